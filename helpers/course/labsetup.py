"""把当前环境里的 JupyterLab 界面设为简体中文（运行：python -m helpers.course.labsetup）。

只装中文语言包 jupyterlab-language-pack-zh-cn 并不会切换界面语言；
在 ``<sys.prefix>/share/jupyter/lab/settings/overrides.json`` 里写入
``{"@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"}}`` 才会。
本模块只改这一项，文件里原有的其他设置保持不变。venv（make venv）和
conda（见 docs/windows.md）两种安装方式都用它。

本模块只用标准库，运行时不导入 pandas、matplotlib 等。
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

PLUGIN = "@jupyterlab/translation-extension:plugin"
NEWS_PLUGIN = "@jupyterlab/apputils-extension:notification"
LOCALE = "zh_CN"


def overrides_path(prefix: str | os.PathLike[str] | None = None) -> Path:
    """返回环境里 JupyterLab 默认设置文件 overrides.json 的位置。

    参数：
        prefix: 环境目录，默认是当前 Python 的 ``sys.prefix``（虚拟环境或 conda 环境）。
    """
    base = Path(prefix) if prefix is not None else Path(sys.prefix)
    return base / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def set_lab_locale(prefix: str | os.PathLike[str] | None = None, locale: str = LOCALE) -> tuple[Path, bool]:
    """把界面语言写进 overrides.json（与已有内容合并），返回（文件路径，内容是否有变化）。

    参数：
        prefix: 环境目录，默认 ``sys.prefix``。
        locale: 语言代码，默认 ``"zh_CN"``（简体中文）；``"en"`` 恢复英文。

    已有文件不是合法 JSON 时抛出 ``ValueError``，不会覆盖它。
    """
    path = overrides_path(prefix)
    settings: dict = {}
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if text.strip():
            try:
                settings = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ValueError(
                    f"{path} 不是合法的 JSON（第 {exc.lineno} 行）：请修正或删除这个文件后重新运行 "
                    "python -m helpers.course.labsetup"
                ) from exc
        if not isinstance(settings, dict):
            raise ValueError(f"{path} 的最外层应是 JSON 对象 {{...}}：请修正或删除这个文件后重新运行")

    plugin = settings.get(PLUGIN)
    if not isinstance(plugin, dict):
        plugin = {}
    changed = plugin.get("locale") != locale
    plugin["locale"] = locale
    settings[PLUGIN] = plugin
    # 第一次打开时不弹出“是否接收 Jupyter 新闻”的询问（课堂上投影时很干扰；已有设置则保留）
    notification = settings.setdefault(NEWS_PLUGIN, {})
    if isinstance(notification, dict):
        notification.setdefault("fetchNews", "false")

    path.parent.mkdir(parents=True, exist_ok=True)
    # 先写临时文件再替换，避免中途出错留下半个文件；内容没变也重写一次，
    # 这样 make 能根据文件时间判断这一步已经做过。
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".overrides-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(settings, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path, changed


def main(argv: list[str] | None = None) -> int:
    """命令行入口：设置界面语言并打印一行说明。"""
    parser = argparse.ArgumentParser(description="把本环境的 JupyterLab 界面设为简体中文")
    parser.add_argument("--prefix", default=None, help="环境目录（默认当前 Python 的 sys.prefix）")
    parser.add_argument("--locale", default=LOCALE, help="语言代码，默认 zh_CN；改回英文用 en")
    args = parser.parse_args(argv)
    try:
        path, changed = set_lab_locale(args.prefix, args.locale)
    except (ValueError, OSError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    what = "已设为" if changed else "已是"
    print(f"JupyterLab 界面语言{what} {args.locale}：{path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""环境检查：工作簿需要的包是否都装好、版本是否在要求范围内、中文字体和小部件能否使用。

需要哪些包、什么版本，只写在 pyproject.toml 一个地方；安装后它们存进本工作簿的
安装信息（“crm-workbook-helpers” 的元数据），这里用 ``importlib.metadata`` 读出来，
所以这里不再另写一份清单。

用法（00 号笔记本）::

    from helpers.course.envcheck import check_environment, check_chinese_font, check_widgets
    check_environment()          # 每个包一行：包、要求、已安装、状态（OK/FAIL）、怎么修
"""
from __future__ import annotations

import re
import sys
from importlib import metadata

import pandas as pd

DIST_NAME = "crm-workbook-helpers"
COLUMNS = ["包", "要求", "已安装", "状态", "怎么修"]
OK, FAIL = "OK", "FAIL"

INSTALL_HINT = ("在仓库根目录运行 python3 tools/workbook.py lab（Windows：py tools\\workbook.py lab，"
                "或双击“开始学习.bat”；用 conda 的见 docs/windows.md）")

#: 字体检查用的测试文字：课程里最常见的术语和全角标点。
FONT_SAMPLE = "客户分组 订单总数 平均订单价 最后下单时间 积分 短信营销 邮件营销 ，。：；“”（）"


def _split(line: str) -> tuple[str, str, str]:
    """把一行依赖拆成 (包名, 版本要求, 环境标记)，例如 'pandas<3.2,>=2.2; extra == "lab"'。"""
    head, _, marker = line.partition(";")
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$", head)
    if not match:
        raise ValueError(f"看不懂这一行依赖：{line!r}。请检查 pyproject.toml 的 dependencies。")
    return match.group(1), match.group(3).strip().strip("()"), marker.strip()


def _pretty(spec: str) -> str:
    """把版本要求写成先下限后上限的顺序：'<3.2,>=2.2' → '>=2.2, <3.2'。"""
    parts = [p.strip() for p in spec.split(",") if p.strip()]
    return ", ".join(sorted(parts, key=lambda p: 0 if p.startswith((">", "~", "=")) else 1))


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _marker_applies(marker: str, extras: tuple[str, ...]) -> bool:
    """环境标记是否适用：没有标记 → 适用；extra == "lab" 这类 → 只在选了这个 extra 时适用。"""
    if not marker:
        return True
    try:
        from packaging.markers import Marker
    except ImportError:  # pragma: no cover - packaging 随 matplotlib 和 pip 安装
        found = re.findall(r"extra\s*==\s*['\"]([^'\"]+)['\"]", marker)
        return not found or any(e in extras for e in found)
    m = Marker(marker)
    if "extra" not in marker:
        return m.evaluate()
    return any(m.evaluate({"extra": e}) for e in extras)


def _version_ok(installed: str, spec: str) -> bool:
    """已安装的版本是否满足要求（例如 '3.1.1' 满足 '>=2.2,<3.2'）。"""
    if not spec:
        return True
    try:
        from packaging.specifiers import SpecifierSet
    except ImportError:  # pragma: no cover
        return _simple_version_ok(installed, spec)
    try:
        return SpecifierSet(spec).contains(installed, prereleases=True)
    except ValueError:  # 版本号写法不规范（例如 'unknown'）：当作不符合，让学生重新安装
        return False


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", version.split("+")[0])[:4])


def _simple_version_ok(installed: str, spec: str) -> bool:
    """没有 packaging 时的简单比较：只认 >=、<=、>、<、==、!= 和数字版本号。"""
    ops = {">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
           "<": lambda a, b: a < b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}
    have = _numbers(installed)
    for part in spec.split(","):
        match = re.match(r"\s*(>=|<=|==|!=|>|<)\s*([\w.]+)\s*$", part)
        if not match:
            continue
        want = _numbers(match.group(2))
        width = max(len(have), len(want))
        a, b = have + (0,) * (width - len(have)), want + (0,) * (width - len(want))
        if not ops[match.group(1)](a, b):
            return False
    return True


def _installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def check_requirements(lines, installed=_installed_version, extras=("lab",),
                       skip=(DIST_NAME,)) -> pd.DataFrame:
    """逐条检查依赖：每个包一行，给出要求的版本、已安装的版本、OK/FAIL 和中文的修复办法。

    参数
    ----
    lines : 依赖清单，每条形如 'pandas<3.2,>=2.2' 或 'ipykernel>=6.29; extra == "lab"'。
    installed : 函数，包名 → 已安装的版本号（没装返回 None）；默认查当前环境。
    extras : 要一起检查的可选依赖组，例如 ("lab",) 或 ("lab", "dev")；
             () 表示只查必需的包。
    skip : 不检查的包（默认跳过工作簿自己）。
    """
    lines = list(lines or ())
    skipped = {_canonical(s) for s in skip}
    extras = _with_nested_extras(lines, tuple(extras), skipped)
    rows, seen = [], set()
    for line in lines:
        name, spec, marker = _split(line)
        key = _canonical(name)
        if key in skipped or key in seen or not _marker_applies(marker, extras):
            continue
        seen.add(key)
        version = installed(name)
        wanted = _pretty(spec) or "任意版本"
        if version is None:
            rows.append((name, wanted, "没有安装", FAIL, f"缺少 {name}：{INSTALL_HINT}。"))
        elif not _version_ok(version, spec):
            rows.append((name, wanted, version, FAIL,
                         f"{name} 的版本 {version} 不在 {wanted} 范围内：运行 python -m pip install "
                         f"\"{name}{spec}\"，或 {INSTALL_HINT}。"))
        else:
            rows.append((name, wanted, version, OK, ""))
    return pd.DataFrame(rows, columns=COLUMNS)


def _with_nested_extras(lines, extras: tuple[str, ...], skipped: set) -> tuple[str, ...]:
    """'crm-workbook-helpers[lab]; extra == "dev"' 表示 dev 也包括 lab：把这样套用的组加进来。"""
    extras = list(extras)
    changed = True
    while changed:
        changed = False
        for line in lines:
            match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*\[([^\]]*)\]", line.partition(";")[0])
            if match and _canonical(match.group(1)) in skipped \
                    and _marker_applies(line.partition(";")[2].strip(), tuple(extras)):
                for extra in (e.strip() for e in match.group(2).split(",")):
                    if extra and extra not in extras:
                        extras.append(extra)
                        changed = True
    return tuple(extras)


def check_environment(extras=("lab",), dist: str = DIST_NAME) -> pd.DataFrame:
    """检查本工作簿需要的 Python 版本和全部包，每项一行：包、要求、已安装、状态（OK/FAIL）、怎么修。

    版本要求来自已安装的工作簿元数据（也就是 pyproject.toml），不另写清单。

    参数
    ----
    extras : 同时检查的可选依赖组：默认 ("lab",)（打开工作簿需要的 JupyterLab 等）；
             老师运行测试前可用 ("lab", "dev")。
    dist : 工作簿的发行包名，一般不用改。
    """
    try:
        lines = metadata.requires(dist) or []
        python_spec = metadata.metadata(dist).get("Requires-Python") or ""
    except metadata.PackageNotFoundError:
        return pd.DataFrame([(dist, "已安装", "没有安装", FAIL,
                              f"工作簿的 helpers 包没有安装到当前环境：{INSTALL_HINT}；"
                              "并确认 JupyterLab 右上角选的是这个环境的内核。")], columns=COLUMNS)
    python = ".".join(map(str, sys.version_info[:3]))
    if _version_ok(python, python_spec):
        python_row = ("Python", _pretty(python_spec), python, OK, "")
    else:
        python_row = ("Python", _pretty(python_spec), python, FAIL,
                      f"需要 Python {python_spec}：安装新版 Python 后删除旧环境（python3 tools/workbook.py clean）"
                      "再运行 python3 tools/workbook.py lab，"
                      "Windows 见 docs/windows.md。")
    packages = check_requirements(lines, extras=extras, skip=(dist,))
    return pd.concat([pd.DataFrame([python_row], columns=COLUMNS), packages], ignore_index=True)


def check_chinese_font(sample: str = FONT_SAMPLE) -> pd.Series:
    """检查图表能不能显示中文：设置中文字体，并确认测试文字的每个字在这个字体里都有。

    返回一行结果：包（“中文字体”）、要求、已安装（字体名）、状态（OK/FAIL）、怎么修，另加“缺字”。

    参数
    ----
    sample : 要检查的文字，默认是课程里常见的术语和全角标点。
    """
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    from ..fonts import use_chinese_font

    try:
        family = use_chinese_font()
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        font = FT2Font(path)
        missing = "".join(sorted({ch for ch in sample if not ch.isspace() and font.get_char_index(ord(ch)) == 0}))
    except Exception as exc:  # 字体文件缺失、损坏等：把原因写进“怎么修”
        return pd.Series({"包": "中文字体", "要求": "能显示中文", "已安装": "没有找到", "状态": FAIL,
                          "怎么修": f"{exc}。请重新获取仓库里的 helpers/fonts/ 目录，或安装一个中文字体"
                                   "（Debian/Ubuntu：sudo apt-get install fonts-wqy-microhei）。",
                          "缺字": ""})
    if missing:
        return pd.Series({"包": "中文字体", "要求": "能显示中文", "已安装": family, "状态": FAIL,
                          "怎么修": f"字体 {family} 缺少这些字：{missing}。请安装一个完整的中文字体"
                                   "（例如微软雅黑、思源黑体或 fonts-wqy-microhei）后重启内核。",
                          "缺字": missing})
    return pd.Series({"包": "中文字体", "要求": "能显示中文", "已安装": family, "状态": OK, "怎么修": "",
                      "缺字": ""})


def font_test_figure(family: str | None = None):
    """画一张小测试图：标题、坐标轴和柱子标签都是中文；中文显示成方框就说明字体有问题。"""
    from ..charts import bar_chart

    values = pd.Series([3, 5, 2], index=["上海", "浙江", "广东"])
    return bar_chart(values, f"中文测试：各地区客户数（字体：{family or '默认'}）", "所属地区", "客户数（人）")


def check_widgets() -> pd.Series:
    """检查课堂小部件能不能用：ipywidgets 能导入，JupyterLab 里显示小部件的扩展也装好了。

    返回一行结果：包、要求、已安装、状态（OK/FAIL）、怎么修。
    """
    try:
        import ipywidgets
    except ImportError:
        return pd.Series({"包": "ipywidgets", "要求": "能导入", "已安装": "没有安装", "状态": FAIL,
                          "怎么修": f"缺少 ipywidgets：{INSTALL_HINT}。"})
    front = _installed_version("jupyterlab_widgets")
    if front is None:
        return pd.Series({"包": "ipywidgets", "要求": "能导入，且有 jupyterlab_widgets", "已安装": ipywidgets.__version__,
                          "状态": FAIL, "怎么修": "缺少 JupyterLab 的小部件扩展 jupyterlab_widgets："
                                               f"{INSTALL_HINT}，然后重启 JupyterLab。"})
    return pd.Series({"包": "ipywidgets", "要求": "能导入，且有 jupyterlab_widgets",
                      "已安装": f"{ipywidgets.__version__}（jupyterlab_widgets {front}）", "状态": OK, "怎么修": ""})

"""让 matplotlib 与 seaborn 图表正常显示中文，并统一工作簿的配色。

用法（每本笔记本开头一次即可）::

    from helpers.fonts import apply_theme
    apply_theme()          # seaborn 主题 + 中文字体 + 100 dpi

只需要中文字体、不要 seaborn 主题时::

    from helpers.fonts import use_chinese_font
    use_chinese_font()

选字体的顺序：先找系统里已安装的中文字体（微软雅黑、黑体、苹方、冬青黑体、
Noto Sans CJK SC、思源黑体、文泉驿微米黑），都没有时使用工作簿自带的
Noto Sans CJK SC 子集（helpers/fonts/NotoSansSC-CRM-subset.otf，SIL OFL 1.1），
所以 Linux、macOS、Windows 上即使没有装任何中文字体也能显示中文。
"""

from __future__ import annotations

import os
from pathlib import Path

# matplotlib 在用到时才导入：import helpers 不必付出导入绘图库的时间（约 0.3 秒）。

__all__ = [
    "PALETTE",
    "PREFERRED_FAMILIES",
    "SHIPPED_FONT",
    "apply_theme",
    "use_chinese_font",
]

#: 按优先顺序排列的系统中文字体（matplotlib 看到的字体族名）。
PREFERRED_FAMILIES: tuple[str, ...] = (
    "Microsoft YaHei",  # 微软雅黑（Windows）
    "SimHei",  # 黑体（Windows）
    "PingFang SC",  # 苹方（macOS）
    "Hiragino Sans GB",  # 冬青黑体简体中文（macOS）
    "Noto Sans CJK SC",  # Linux 常见
    "Source Han Sans SC",  # 思源黑体
    "WenQuanYi Micro Hei",  # 文泉驿微米黑（Linux）
)

#: 工作簿自带的中文字体子集（GB2312 全部汉字与常用标点），系统里没有中文字体时使用。
SHIPPED_FONT: Path = Path(__file__).resolve().with_name("fonts") / "NotoSansSC-CRM-subset.otf"

#: 工作簿统一配色（Tableau 10），所有图表按这个顺序取色。
PALETTE: list[str] = [
    "#4E79A7",  # 蓝
    "#F28E2B",  # 橙
    "#E15759",  # 红
    "#76B7B2",  # 青
    "#59A14F",  # 绿
    "#EDC948",  # 黄
    "#B07AA1",  # 紫
    "#FF9DA7",  # 粉
    "#9C755F",  # 棕
    "#BAB0AC",  # 灰
]

LATIN_FALLBACK = "DejaVu Sans"

# 已经选定的字体族名：{是否优先系统字体: 族名}。第二次调用不再扫描字体列表。
_chosen: dict[bool, str] = {}


def _system_family() -> str | None:
    """在 matplotlib 的字体列表里找第一个已安装的中文字体，跳过文件已被删除的缓存条目。"""
    from matplotlib import font_manager

    installed = {
        entry.name
        for entry in font_manager.fontManager.ttflist
        if entry.name in PREFERRED_FAMILIES and os.path.exists(entry.fname)
    }
    for family in PREFERRED_FAMILIES:
        if family in installed:
            return family
    return None


def _shipped_family() -> str:
    """把自带字体登记到 matplotlib（只登记一次），返回它的字体族名。"""
    from matplotlib import font_manager

    path = str(SHIPPED_FONT)
    if not SHIPPED_FONT.exists():
        raise FileNotFoundError(
            f"找不到工作簿自带的中文字体 {path}：请重新获取仓库里的 helpers/fonts/ 目录，"
            "或安装一个中文字体（例如 Debian/Ubuntu 的 fonts-wqy-microhei）"
        )
    manager = font_manager.fontManager
    if not any(os.path.abspath(entry.fname) == os.path.abspath(path) for entry in manager.ttflist):
        manager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def use_chinese_font(prefer_system: bool = True) -> str:
    """让 matplotlib（及 seaborn）用中文字体画图，返回所用的字体族名。

    参数：
        prefer_system: 为 True（默认）时优先用系统里已安装的中文字体，
            找不到再用工作簿自带的字体；为 False 时直接用自带字体，
            这样不同电脑上画出的图完全一致。

    会设置 ``font.family = "sans-serif"``，把中文字体放在 ``font.sans-serif`` 第一位、
    DejaVu Sans 第二位（拉丁字母的后备字体），并关闭 ``axes.unicode_minus``
    （否则负号显示成方框）。重复调用开销很小，结果相同。
    """
    import matplotlib as mpl

    family = _chosen.get(prefer_system)
    if family is None:
        family = (_system_family() if prefer_system else None) or _shipped_family()
        _chosen[prefer_system] = family

    rc = mpl.rcParams
    rest = [f for f in rc["font.sans-serif"] if f not in (family, LATIN_FALLBACK)]
    rc["font.family"] = ["sans-serif"]
    rc["font.sans-serif"] = [family, LATIN_FALLBACK, *rest]
    rc["axes.unicode_minus"] = False
    return family


def apply_theme(prefer_system: bool = True) -> str:
    """套用工作簿统一的 seaborn 主题与配色并设置中文字体，返回所用的字体族名。

    参数：
        prefer_system: 同 :func:`use_chinese_font`。

    依次调用 ``seaborn.set_theme(style="whitegrid", palette=PALETTE)``，
    再重新设置中文字体（seaborn 会重置字体设置），最后把屏幕显示与保存图片的
    分辨率都设为 100 dpi。
    """
    import matplotlib as mpl
    import seaborn as sns

    sns.set_theme(style="whitegrid", palette=PALETTE)
    family = use_chinese_font(prefer_system=prefer_system)
    mpl.rcParams["figure.dpi"] = 100
    mpl.rcParams["savefig.dpi"] = 100
    return family

"""中文字体与图表主题（helpers.fonts）的测试：中文能画出来，且没有“缺字”警告。"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ft2font import FT2Font  # noqa: E402

from helpers import fonts  # noqa: E402

COURSE_TERMS = (
    "客户分组 订单总数 平均订单价 最后下单时间 积分 铂金 黄金 白银 青铜 至尊VIP "
    "购物狂歡-老客成交沖刺 ≥ ¥"
)
EXTRA_TERMS = (
    "客户 客单价 订单总金额 购买商品总数 性别 所属地区 商品范围 自定义分组 短信营销 邮件营销 "
    "店铺会员 普通会员 高级会员 VIP会员 元 人 单 ，。：；“”（）、！？％ ￥ ‰ ≤ × ÷ → ← ↑ ↓ "
    "★ ☆ ● ○ ■ □ ▲ △ — … · 「 」 0123456789 RFM-PGSB"
)


def _glyph_warnings(records) -> list[str]:
    """从记录下的警告里挑出 matplotlib 的缺字警告。"""
    return [
        str(r.message)
        for r in records
        if "missing from font" in str(r.message) or "Glyph" in str(r.message)
    ]


def _render(draw, path: Path) -> list[str]:
    """调用 draw() 画图并保存为 PNG，返回期间出现的缺字警告。"""
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        fig = draw()
        fig.savefig(path)
        plt.close(fig)
    assert path.stat().st_size > 0
    return _glyph_warnings(records)


def _matplotlib_chart() -> plt.Figure:
    fig, ax = plt.subplots(figsize=(6, 4))
    levels = ["铂金", "黄金", "白银", "青铜"]
    ax.bar(levels, [12, 30, 45, -8], label="客户数（人）")
    ax.plot(levels, [10, 25, 40, 5], color="#E15759", marker="o", label="上月（人）")
    ax.set_title("各会员等级客户数：购物狂歡-老客成交沖刺 ≥ ¥100")
    ax.set_xlabel("会员等级（P/G/S/B）")
    ax.set_ylabel("客户数（人）")
    ax.legend(title="图例")
    return fig


def _seaborn_chart() -> plt.Figure:
    import seaborn as sns

    df = pd.DataFrame(
        {
            "客户分组": ["普通会员", "高级会员", "VIP会员", "至尊VIP"] * 2,
            "平均订单价": [88.5, 120.0, 260.3, 512.9, 80.1, 130.2, 240.0, 498.7],
            "性别": ["男"] * 4 + ["女"] * 4,
        }
    )
    fig, ax = plt.subplots(figsize=(6, 4))
    sns.barplot(data=df, x="客户分组", y="平均订单价", hue="性别", ax=ax)
    ax.set_title("各客户分组的平均订单价（元）")
    ax.set_ylabel("平均订单价（元）")
    return fig


@pytest.fixture(autouse=True)
def _isolated_rcparams():
    """每个测试结束后恢复 rcParams，并清掉 matplotlib 的字体查找缓存与已选字体。"""
    with mpl.rc_context():
        yield
    plt.close("all")
    fonts._chosen.clear()
    font_manager.fontManager._findfont_cached.cache_clear()


@pytest.fixture
def no_system_cjk_font(monkeypatch):
    """模拟一台没有任何中文字体的电脑：matplotlib 只看得到 DejaVu 字体。"""
    latin_only = [e for e in font_manager.fontManager.ttflist if e.name.startswith("DejaVu")]
    assert latin_only, "matplotlib 至少应带有 DejaVu 字体"
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin_only)
    monkeypatch.setattr(fonts, "_chosen", {})
    font_manager.fontManager._findfont_cached.cache_clear()
    yield
    font_manager.fontManager._findfont_cached.cache_clear()


def test_shipped_font_file_is_present_and_small():
    assert fonts.SHIPPED_FONT.is_file()
    assert fonts.SHIPPED_FONT.stat().st_size < 3 * 1024 * 1024
    assert "Source" not in fonts.SHIPPED_FONT.name
    licence = fonts.SHIPPED_FONT.with_name("OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence


def test_shipped_font_covers_course_terms():
    charmap = FT2Font(str(fonts.SHIPPED_FONT)).get_charmap()
    text = COURSE_TERMS + EXTRA_TERMS
    missing = sorted({ch for ch in text if not ch.isspace() and ord(ch) not in charmap})
    assert not missing, f"自带字体缺少这些字符：{''.join(missing)}"


def test_shipped_font_covers_all_gb2312_hanzi():
    charmap = FT2Font(str(fonts.SHIPPED_FONT)).get_charmap()
    hanzi = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                hanzi.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    assert len(hanzi) == 6763
    missing = [ch for ch in hanzi if ord(ch) not in charmap]
    assert not missing, f"自带字体缺少 {len(missing)} 个 GB2312 汉字，例如 {''.join(missing[:20])}"


def test_use_chinese_font_sets_rcparams():
    family = fonts.use_chinese_font()
    assert isinstance(family, str) and family
    assert mpl.rcParams["font.family"] == ["sans-serif"]
    assert mpl.rcParams["font.sans-serif"][:2] == [family, "DejaVu Sans"]
    assert mpl.rcParams["axes.unicode_minus"] is False


def test_use_chinese_font_is_idempotent():
    first = fonts.use_chinese_font()
    sans_first = list(mpl.rcParams["font.sans-serif"])
    n_fonts = len(font_manager.fontManager.ttflist)
    for _ in range(3):
        assert fonts.use_chinese_font() == first
    assert list(mpl.rcParams["font.sans-serif"]) == sans_first
    assert len(sans_first) == len(set(sans_first))
    assert len(font_manager.fontManager.ttflist) == n_fonts


def test_matplotlib_chart_has_no_missing_glyphs(tmp_path):
    fonts.use_chinese_font()
    problems = _render(_matplotlib_chart, tmp_path / "matplotlib.png")
    assert not problems, problems


def test_seaborn_barplot_has_no_missing_glyphs(tmp_path):
    family = fonts.apply_theme()
    assert mpl.rcParams["font.sans-serif"][0] == family
    problems = _render(_seaborn_chart, tmp_path / "seaborn.png")
    assert not problems, problems


def test_apply_theme_sets_palette_and_dpi():
    fonts.apply_theme()
    assert mpl.rcParams["figure.dpi"] == 100
    assert mpl.rcParams["savefig.dpi"] == 100
    cycle = [mpl.colors.to_hex(c).upper() for c in mpl.rcParams["axes.prop_cycle"].by_key()["color"]]
    assert cycle[: len(fonts.PALETTE)] == [c.upper() for c in fonts.PALETTE]
    assert mpl.rcParams["axes.unicode_minus"] is False


def test_detector_sees_missing_glyphs(tmp_path, no_system_cjk_font):
    """对照组：只有 DejaVu 字体时确实会出现缺字警告，证明上面的检查不是摆设。"""
    mpl.rcParams["font.family"] = ["sans-serif"]
    mpl.rcParams["font.sans-serif"] = ["DejaVu Sans"]

    def draw():
        fig, ax = plt.subplots()
        ax.set_title("中文")
        return fig

    assert _render(draw, tmp_path / "boxes.png")


def test_shipped_font_used_when_no_system_font(tmp_path, no_system_cjk_font):
    family = fonts.use_chinese_font()
    expected = font_manager.FontProperties(fname=str(fonts.SHIPPED_FONT)).get_name()
    assert family == expected
    assert mpl.rcParams["font.sans-serif"][0] == expected
    found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert os.path.samefile(found, fonts.SHIPPED_FONT)

    assert not _render(_matplotlib_chart, tmp_path / "shipped-matplotlib.png")
    fonts.apply_theme()
    assert mpl.rcParams["font.sans-serif"][0] == expected
    assert not _render(_seaborn_chart, tmp_path / "shipped-seaborn.png")


def test_prefer_system_false_uses_shipped_font():
    family = fonts.use_chinese_font(prefer_system=False)
    assert family == font_manager.FontProperties(fname=str(fonts.SHIPPED_FONT)).get_name()
    n_fonts = len(font_manager.fontManager.ttflist)
    fonts.use_chinese_font(prefer_system=False)
    fonts._chosen.clear()
    fonts.use_chinese_font(prefer_system=False)  # 再登记一次也不会重复加入字体列表
    assert len(font_manager.fontManager.ttflist) == n_fonts


def test_stale_cache_entry_is_skipped(monkeypatch, no_system_cjk_font):
    gone = font_manager.FontEntry(fname="/nonexistent/fonts/msyh.ttc", name="Microsoft YaHei")
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [*font_manager.fontManager.ttflist, gone])
    family = fonts.use_chinese_font()
    assert family != "Microsoft YaHei"
    assert family == font_manager.FontProperties(fname=str(fonts.SHIPPED_FONT)).get_name()


def test_installed_system_font_is_preferred(monkeypatch, no_system_cjk_font):
    # 用一个真实存在的文件冒充“已安装的文泉驿微米黑”，只检查选择顺序。
    fake = font_manager.FontEntry(fname=str(fonts.SHIPPED_FONT), name="WenQuanYi Micro Hei")
    yahei = font_manager.FontEntry(fname=str(fonts.SHIPPED_FONT), name="Microsoft YaHei")
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [*font_manager.fontManager.ttflist, fake])
    assert fonts.use_chinese_font() == "WenQuanYi Micro Hei"
    fonts._chosen.clear()
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [*font_manager.fontManager.ttflist, yahei])
    assert fonts.use_chinese_font() == "Microsoft YaHei"

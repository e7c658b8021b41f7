"""环境检查（helpers.course.envcheck）：版本范围判断正确，缺包和版本不符时给出中文的修复办法。"""
import pytest

from helpers.course import envcheck
from helpers.course.envcheck import COLUMNS, check_chinese_font, check_environment, check_requirements, check_widgets

LINES = [
    "pandas<3.2,>=2.2",
    "numpy<2.6,>=1.26",
    "seaborn",
    'jupyterlab<4.7,>=4.2; extra == "lab"',
    'pytest<9.3,>=8; extra == "dev"',
    'crm-workbook-helpers[lab]; extra == "dev"',
]
FAKE = {"pandas": "3.1.1", "numpy": "2.6.0", "seaborn": "0.13.2", "jupyterlab": "4.2.0", "pytest": "8.0.0rc1"}


def rows(extras=("lab",), versions=FAKE):
    table = check_requirements(LINES, installed=versions.get, extras=extras)
    return table.set_index("包")


def test_columns_and_one_row_per_package():
    table = check_requirements(LINES, installed=FAKE.get)
    assert list(table.columns) == COLUMNS
    assert list(table["包"]) == ["pandas", "numpy", "seaborn", "jupyterlab"]   # 不含 dev 组、不含工作簿自己


def test_ranges_are_checked_at_the_boundaries():
    table = rows()
    assert table.loc["pandas", "状态"] == "OK" and table.loc["pandas", "要求"] == ">=2.2, <3.2"
    assert table.loc["numpy", "状态"] == "FAIL"             # 2.6.0 不满足 <2.6
    assert table.loc["jupyterlab", "状态"] == "OK"          # 4.2.0 恰好达到 >=4.2
    assert table.loc["seaborn", "要求"] == "任意版本"
    assert "2.6.0" in table.loc["numpy", "怎么修"] and 'pip install "numpy<2.6,>=1.26"' in table.loc["numpy", "怎么修"]
    assert table.loc["pandas", "怎么修"] == ""


def test_missing_package_says_how_to_install():
    table = rows(versions={**FAKE, "seaborn": None})
    assert table.loc["seaborn", "已安装"] == "没有安装"
    assert table.loc["seaborn", "状态"] == "FAIL"
    assert "tools/workbook.py lab" in table.loc["seaborn", "怎么修"] and "docs/windows.md" in table.loc["seaborn", "怎么修"]


def test_extras_select_optional_groups():
    assert list(rows(extras=())[["状态"]].index) == ["pandas", "numpy", "seaborn"]
    # dev 组通过 crm-workbook-helpers[lab] 也包含 lab 组；预发布版 8.0.0rc1 不满足 >=8
    table = rows(extras=("dev",))
    assert list(table.index) == ["pandas", "numpy", "seaborn", "jupyterlab", "pytest"]
    assert table.loc["pytest", "状态"] == "FAIL"


def test_bad_requirement_line_is_explained():
    with pytest.raises(ValueError, match="pyproject.toml"):
        check_requirements([";;"], installed=FAKE.get)


def test_simple_comparison_without_packaging():
    assert envcheck._simple_version_ok("3.1.1", "<3.2,>=2.2")
    assert not envcheck._simple_version_ok("3.2", "<3.2,>=2.2")
    assert envcheck._simple_version_ok("2.2", ">=2.2")


def test_real_environment_lists_python_and_every_dependency():
    table = check_environment()
    assert list(table.columns) == COLUMNS
    assert table.loc[0, "包"] == "Python"
    assert {"pandas", "matplotlib", "ipywidgets", "jupyterlab"} <= set(table["包"])
    assert set(table["状态"]) <= {"OK", "FAIL"}
    assert (table.loc[table["状态"] == "FAIL", "怎么修"] != "").all()
    assert len(check_environment(extras=("lab", "dev"))) > len(table)


def test_workbook_not_installed():
    table = check_environment(dist="no-such-workbook-dist")
    assert table.loc[0, "状态"] == "FAIL" and "helpers 包没有安装" in table.loc[0, "怎么修"]


def test_chinese_font_and_widgets_ok_here():
    font = check_chinese_font()
    assert font["状态"] == "OK" and font["缺字"] == "" and font["已安装"]
    assert check_widgets()["状态"] == "OK"


def test_font_check_reports_missing_characters():
    # 自带字体子集只有 GB2312 里的字：一个生僻字会被报告出来
    result = check_chinese_font("客户𪚥")
    if result["状态"] == "FAIL":
        assert "𪚥" in result["缺字"] and "𪚥" in result["怎么修"]
    else:  # 系统里装了收字很全的字体
        assert result["缺字"] == ""


def test_font_test_figure_has_chinese_title():
    fig = envcheck.font_test_figure("测试字体")
    assert "中文测试" in fig.axes[0].get_title()

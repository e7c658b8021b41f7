"""第 00–04 章新增的图表（line_chart、concentration_chart、sms_parts_chart）：标题、单位和标注的数值正确。"""
import numpy as np
import pandas as pd
import pytest

from helpers import top_share
from helpers.charts import concentration_chart, line_chart, sms_parts_chart


def test_line_chart_marks_the_peaks():
    values = pd.Series([100.0, 500.0, 200.0, 900.0], index=["2015-01", "2015-02", "2015-03", "2015-04"])
    fig = line_chart(values, "每月销售额", "月份", "销售额（元）", highlight=2)
    ax = fig.axes[0]
    assert ax.get_title() == "每月销售额" and ax.get_ylabel() == "销售额（元）"
    notes = sorted(t.get_text() for t in ax.texts)
    assert notes == ["2015-02\n500", "2015-04\n900"]
    assert ax.get_ylim()[0] == 0
    assert fig.dpi == 100


def test_concentration_chart_point_matches_top_share():
    # 10 位买家：前 2 位（20%）花了 80 + 10 = 90，占 90 / 100
    amounts = pd.Series([80.0, 10.0] + [10 / 8] * 8)
    fig = concentration_chart({"小店": amounts})
    ax = fig.axes[0]
    point = ax.collections[0].get_offsets()[0]
    assert point[0] == pytest.approx(20.0)
    assert point[1] == pytest.approx(top_share(amounts) * 100) == pytest.approx(90.0)
    assert "前 20% 买家占 90.0%" in [t.get_text() for t in ax.get_legend().get_texts()][0]
    line = ax.lines[0]
    assert line.get_xdata()[0] == 0 and line.get_ydata()[-1] == pytest.approx(100.0)
    assert np.all(np.diff(line.get_ydata()) >= 0)           # 累计占比只增不减


def test_concentration_chart_rejects_empty():
    with pytest.raises(ValueError, match="没有消费金额"):
        concentration_chart({"空店": pd.Series([0.0, 0.0])})


def test_sms_parts_chart_steps_at_70_and_67():
    fig = sms_parts_chart(max_length=210, marks=(54, 70, 71, 134, 135))
    ax = fig.axes[0]
    x, y = ax.lines[0].get_xdata(), ax.lines[0].get_ydata()
    parts = dict(zip(x, y))
    assert parts[70] == 1 and parts[71] == 2 and parts[134] == 2 and parts[135] == 3 and parts[202] == 4
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["54 字 → 1 条", "70 字 → 1 条", "71 字 → 2 条", "134 字 → 2 条", "135 字 → 3 条"]
    assert ax.get_ylabel() == "计费条数（条/人）"

"""helpers.operations 的单元测试：小表上手算的期望值。"""
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from helpers.operations import (Festival, channel_mix, decompose_change, festival_peaks, kpi_by_period, order_facts,
                                period_report, traffic_funnel, weekly_conversion)
from helpers.widgets.operations import date_range_report


@pytest.fixture
def small():
    orders = pd.DataFrame({
        "order_id": ["1", "2", "3", "4", "5"],
        "customer_id": ["A", "B", "A", "C", "C"],
        "order_time": ["2018-01-01 10:00:00", "2018-01-01 23:59:59", "2018-01-03 08:00:00",
                       "2018-02-10 12:00:00", "2018-02-11 12:00:00"],
        "amount": [100.00, 50.01, 0.10, 200.00, 300.00],
        "channel": ["无线", "PC", "无线", "无线", "PC"],
    })
    items = pd.DataFrame({
        "order_id": ["1", "1", "2", "3", "4", "5"],
        "product": ["衣", "围巾", "衣", "围巾", "衣", "衣"],
        "quantity": [1, 1, 1, 1, 1, 1],
        "amount": [60.00, 40.00, 50.01, 0.10, 200.00, 300.00],
    })
    products = pd.DataFrame({"product": ["衣", "围巾"], "margin": [0.5, 0.25]})
    return orders, items, products


def test_order_facts_profit_in_fen(small):
    facts = order_facts(*small)
    # 订单 1：6000×0.5 + 4000×0.25 = 4000 分；订单 2：5001×0.5 = 2500.5 分（每笔不舍入，汇总后才舍入）
    assert facts["amount_fen"].tolist() == [10000, 5001, 10, 20000, 30000]
    assert facts["profit_fen"].tolist() == [4000.0, 2500.5, 2.5, 10000.0, 15000.0]


def test_order_facts_unknown_product(small):
    orders, items, products = small
    with pytest.raises(ValueError, match="找不到毛利率.*围巾"):
        order_facts(orders, items, products[products["product"] == "衣"])


def test_kpi_by_month(small):
    m = kpi_by_period(order_facts(*small), "月")
    assert list(m.index) == ["2018-01", "2018-02"]
    jan = m.loc["2018-01"]
    assert jan["销售额（元）"] == 150.11
    assert jan["订单量（单）"] == 3
    assert jan["买家数（人）"] == 2
    assert jan["客单价（元）"] == 75.06          # 按人：15011 / 2 = 7505.5 分 → 75.06 元（A 下了两单，只算一人）
    assert jan["平均订单价（元）"] == 50.04      # 按单：15011 / 3 = 5003.67 分 → 50.04 元
    assert m.loc["2018-02", "客单价（元）"] == 500.00 and m.loc["2018-02", "平均订单价（元）"] == 250.00


def test_kpi_by_day_fills_gaps_and_window_edges(small):
    facts = order_facts(*small)
    d = kpi_by_period(facts, "日", "2018-01-01", "2018-01-04")
    assert list(d.index) == ["2018-01-01", "2018-01-02", "2018-01-03", "2018-01-04"]
    assert d["订单量（单）"].tolist() == [2, 0, 1, 0]          # 23:59:59 仍算 1 月 1 日
    assert np.isnan(d.loc["2018-01-02", "客单价（元）"]) and np.isnan(d.loc["2018-01-02", "平均订单价（元）"])
    w = kpi_by_period(facts, "周")
    assert w.index[0] == "2018-01-01"                           # 2018-01-01 是周一
    with pytest.raises(ValueError, match="freq"):
        kpi_by_period(facts, "年")
    with pytest.raises(ValueError, match="早于"):
        kpi_by_period(facts, "日", "2018-02-01", "2018-01-01")


def test_period_report(small):
    r = period_report(order_facts(*small), "2018-01-01", "2018-01-01")
    assert r["销售额（元）"] == 150.01 and r["订单量（单）"] == 2 and r["买家数（人）"] == 2
    three = period_report(order_facts(*small), "2018-01-01", "2018-01-03")
    assert three["买家数（人）"] == 2                       # A 在 1 日、3 日都下了单：整段时间只算一人
    assert three["客单价（元）"] == 75.06 and three["平均订单价（元）"] == 50.04
    assert r["毛利（元）"] == 65.01               # 4000 + 2500.5 = 6500.5 分 → 6501 分（四舍五入，helpers.money）
    assert period_report(order_facts(*small), "2018-01-01", "2018-01-03")["毛利（元）"] == 65.03   # 6503 分


def test_decompose_sums_exactly():
    kpis = pd.DataFrame({"销售额（元）": [1000.00, 1500.00, 1200.01], "订单量（单）": [10, 12, 7],
                         "买家数（人）": [8, 10, 7], "毛利（元）": [500.00, 600.00, 700.00]},
                        index=["2018-01", "2018-02", "2018-03"])
    dec = decompose_change(kpis)                     # 默认：销售额 = 买家数 × 客单价
    # 2 月：客单价 125 → 150，买家数 8 → 10：客单价贡献 25 × 9 = 225，买家数贡献 2 × 137.5 = 275
    assert dec.loc["2018-02", "客单价贡献（元）"] == 225.00
    assert dec.loc["2018-02", "买家数贡献（元）"] == 275.00
    assert dec.loc["2018-02", "销售额主要因素"] == "买家数"
    by_orders = decompose_change(kpis, by="订单量")
    # 2 月：平均订单价 100 → 125，订单量 10 → 12：平均订单价贡献 25 × 11 = 275，订单量贡献 2 × 112.5 = 225
    assert by_orders.loc["2018-02", "平均订单价贡献（元）"] == 275.00
    assert by_orders.loc["2018-02", "订单量贡献（元）"] == 225.00
    assert by_orders.loc["2018-02", "销售额主要因素"] == "平均订单价"
    # 毛利：毛利率 0.5 → 0.4，平均 0.45；毛利率贡献 = -0.1 × 1250 = -125（两种拆法一样）
    assert by_orders.loc["2018-02", "毛利·平均订单价贡献（元）"] == 123.75
    assert by_orders.loc["2018-02", "毛利·订单量贡献（元）"] == 101.25
    assert dec.loc["2018-02", "毛利·客单价贡献（元）"] == 101.25
    assert dec.loc["2018-02", "毛利·买家数贡献（元）"] == 123.75
    assert dec.loc["2018-02", "毛利·毛利率贡献（元）"] == by_orders.loc["2018-02", "毛利·毛利率贡献（元）"] == -125.00
    for table, price, volume in ((dec, "客单价", "买家数"), (by_orders, "平均订单价", "订单量")):
        fen = (table.filter(like="（元）") * 100).round().astype("int64")
        assert (fen[f"{price}贡献（元）"] + fen[f"{volume}贡献（元）"] == fen["销售额变化（元）"]).all()
        assert (fen[f"毛利·{price}贡献（元）"] + fen[f"毛利·{volume}贡献（元）"] + fen["毛利·毛利率贡献（元）"]
                == fen["毛利变化（元）"]).all()


def test_decompose_two_rows_is_year_on_year():
    kpis = pd.DataFrame({"销售额（元）": [1000.00, 9.99, 1500.00], "订单量（单）": [10, 1, 12],
                         "买家数（人）": [8, 1, 10], "毛利（元）": [500.00, 5.00, 600.00]},
                        index=["2017-11", "2018-10", "2018-11"])
    yoy = decompose_change(kpis.loc[["2017-11", "2018-11"]])
    assert list(yoy.index) == ["2018-11"] and yoy.loc["2018-11", "上期"] == "2017-11"
    assert yoy.loc["2018-11", "买家数贡献（元）"] == 275.00


def test_decompose_rejects_empty_period():
    kpis = pd.DataFrame({"销售额（元）": [100.0, 0.0], "订单量（单）": [1, 0], "买家数（人）": [1, 0],
                         "毛利（元）": [50.0, 0.0]}, index=["2018-01", "2018-02"])
    with pytest.raises(ValueError, match="2018-02"):
        decompose_change(kpis)
    with pytest.raises(ValueError, match="平均订单价无法计算.*2018-02"):
        decompose_change(kpis, by="订单量")
    with pytest.raises(ValueError, match="缺少必需的列"):
        decompose_change(kpis.drop(columns="毛利（元）"))
    with pytest.raises(ValueError, match="缺少必需的列"):
        decompose_change(kpis.drop(columns="买家数（人）"))
    with pytest.raises(ValueError, match="by 应是"):
        decompose_change(kpis, by="件数")


def test_decompose_rounds_half_up_and_needs_profit(small):
    kpis = pd.DataFrame({"销售额（元）": [1.00, 2.06], "订单量（单）": [1, 2], "买家数（人）": [1, 2],
                         "毛利（元）": [0.50, 1.00]}, index=["2018-01", "2018-02"])
    dec = decompose_change(kpis)
    # 客单价 100 分 → 103 分，买家数平均 1.5：客单价贡献 4.5 分 → 5 分（四舍五入，不是五成双的 4 分）
    assert dec.loc["2018-02", "客单价贡献（元）"] == 0.05 and dec.loc["2018-02", "买家数贡献（元）"] == 1.01
    no_profit = kpi_by_period(order_facts(small[0]), "月")            # 没给商品明细和商品表：没有毛利
    assert no_profit["毛利（元）"].isna().all()
    with pytest.raises(ValueError, match="毛利是空值.*2018-01.*order_facts"):
        decompose_change(no_profit)


def test_festival_peaks_only_complete_windows():
    idx = pd.date_range("2018-06-01", "2018-11-11").strftime("%Y-%m-%d")
    daily = pd.DataFrame({"销售额（元）": 1.0}, index=idx)
    daily.loc["2018-06-18", "销售额（元）"] = 9.0
    daily.loc["2018-11-11", "销售额（元）"] = 20.0
    peaks = festival_peaks(daily)
    assert peaks["大促"].tolist() == ["6.18", "双11"]          # 年货节、双12 的窗口不完整，不出现
    assert peaks["日期"].tolist() == ["2018-06-18", "2018-11-11"]
    custom = festival_peaks(daily, festivals=[Festival("七夕", "08-17", "08-17")])
    assert custom["日期"].tolist() == ["2018-08-17"]


def _events():
    return pd.DataFrame({
        "customer_id": ["A", "A", "A", "B", "B", "C", "D", "A"],
        "event_time": pd.to_datetime(["2018-04-10 10:00", "2018-04-10 11:00", "2018-04-11 09:00", "2018-04-10 12:00",
                                      "2018-04-12 12:00", "2018-04-10 13:00", "2018-04-16 10:00", "2018-04-17 10:00"]),
        "event": ["浏览", "加购", "下单", "浏览", "加购", "下单", "浏览", "浏览"],
        "product": "衣",
    })


def test_traffic_funnel_is_nested():
    f = traffic_funnel(_events(), "2018-04-10", "2018-04-12")
    # 浏览：A、B；其中加购：A、B；其中下单：A（C 只有下单，没有浏览，不进漏斗）
    assert f["人数（人）"].tolist() == [2, 2, 1]
    assert f.loc["下单", "占上一步（%）"] == 50.0
    assert f.loc["下单", "占第一步（%）"] == 50.0
    with pytest.raises(ValueError, match="没有这些行为"):
        traffic_funnel(_events(), steps=("浏览", "付款"))


def test_weekly_conversion():
    w = weekly_conversion(_events())
    assert list(w.index) == ["2018-04-09", "2018-04-16"]
    assert w["访客数（人）"].tolist() == [2, 2]
    assert w["下单人数（人）"].tolist() == [1, 0]
    assert w["转化率（%）"].tolist() == [50.0, 0.0]


def test_channel_mix(small):
    mix = channel_mix(order_facts(*small))
    assert mix.loc["2018-01", "无线订单（单）"] == 2 and mix.loc["2018-01", "PC订单（单）"] == 1
    assert mix.loc["2018-01", "无线订单占比（%）"] == 66.7
    assert mix.loc["2018-02", "PC平均订单价（元）"] == 300.00


def test_date_range_widget_matches_functions(small):
    facts = order_facts(*small)
    w = date_range_report(facts, "2018-01-01", "2018-02-28", freq="月")
    pd.testing.assert_frame_equal(w.result, kpi_by_period(facts, "月", "2018-01-01", "2018-02-28"))
    w.freq.value = "日"
    assert len(w.result) == 59
    w.end.value = pd.Timestamp("2017-12-01").date()
    assert "早于" in w.total.value


def test_analysis_modules_leave_widgets_to_helpers_widgets():
    """运营、商品、效果、生命周期四个分析模块只做计算和图表：导入它们不会导入 ipywidgets，小部件在 helpers.widgets 里。"""
    modules = ["operations", "products_analysis", "effect", "lifecycle"]
    code = ("import sys\n" + "".join(f"import helpers.{m}\n" for m in modules)
            + "print(sorted(m for m in sys.modules if m.split('.')[0] == 'ipywidgets'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    import helpers.effect
    import helpers.lifecycle
    import helpers.operations
    import helpers.products_analysis
    for module in (helpers.operations, helpers.products_analysis, helpers.effect, helpers.lifecycle):
        assert not hasattr(module, "_ipython_display_")
        assert not [name for name, obj in vars(module).items() if hasattr(obj, "_ipython_display_")], module


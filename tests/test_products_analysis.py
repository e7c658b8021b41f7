"""helpers.products_analysis：小表上手算的期望值、边界和错误输入。"""
import time

import pandas as pd
import pytest

from conftest import make_orders
from helpers.products_analysis import (ABC_EDGES, abc_classes, abc_summary, also_bought, first_orders, new_vs_old,
                                       new_vs_old_chart, pareto_chart, product_pairs, product_sales, purchase_gaps,
                                       repurchase_cycle_chart, repurchase_cycles)
from helpers.widgets.products import AbcExplorer

# 订单 1–6：A 两单、B 两单、C 一单、D 一单（在 as_of 之后）
ORDERS = make_orders([
    ("A", "2016-01-01 10:00:00", 30.00),   # 1：茶 + 杯
    ("B", "2016-01-02 09:00:00", 10.10),   # 2：茶
    ("A", "2016-01-31 23:59:59", 20.00),   # 3：茶（距上次 30 天）
    ("B", "2016-02-01 08:00:00", 50.00),   # 4：杯 + 壶
    ("C", "2016-02-01 09:00:00", 40.00),   # 5：茶 + 杯 + 壶
    ("D", "2016-03-02 00:00:00", 99.99),   # 6：壶，as_of=2016-03-01 时不计入
])
ITEMS = pd.DataFrame({
    "order_id": ["1", "1", "2", "3", "4", "4", "5", "5", "5", "6", "99"],
    "product": ["茶", "杯", "茶", "茶", "杯", "壶", "茶", "杯", "壶", "壶", "幽灵"],
    "quantity": [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    "amount": [20.00, 10.00, 10.10, 20.00, 15.00, 35.00, 10.00, 10.00, 20.00, 99.99, 5.00],
})
AS_OF = "2016-03-01"


def test_product_sales_to_the_fen():
    t = product_sales(ORDERS, ITEMS, AS_OF)
    assert list(t.index) == ["茶", "壶", "杯"]              # 60.10、55.00、35.00
    assert t.loc["茶", "sales"] == 60.10                     # 20.00 + 10.10 + 20.00 + 10.00
    assert t.loc["茶", "units"] == 5 and t.loc["茶", "orders"] == 4 and t.loc["茶", "buyers"] == 3
    assert t.loc["壶", "sales"] == 55.00                      # 订单 6 在 as_of 之后，不计入
    assert t["sales"].sum() == pytest.approx(150.10)         # 订单号 99 对不上，不计入
    assert t.loc["杯", "sales_share"] == pytest.approx(35.00 / 150.10)
    assert product_sales(ORDERS, ITEMS).loc["壶", "sales"] == 154.99


def test_product_sales_of_a_period_includes_both_ends():
    # 2016 年 1 月：订单 1（1-01 10:00）、2、3（1-31 23:59:59 也算）；2 月 1 日的订单不算
    jan = product_sales(ORDERS, ITEMS, as_of="2016-01-31", start="2016-01-01")
    assert list(jan.index) == ["茶", "杯"]
    assert jan.loc["茶", "sales"] == 50.10 and jan.loc["茶", "orders"] == 3
    feb = product_sales(ORDERS, ITEMS, as_of="2016-02-29", start="2016-02-01")   # 2-01 08:00 的订单 4 算进 2 月
    assert feb.loc["壶", "sales"] == 55.00 and feb.loc["杯", "orders"] == 2
    with pytest.raises(ValueError, match="早于开始日期"):
        product_sales(ORDERS, ITEMS, as_of="2016-01-01", start="2016-02-01")


def test_product_sales_ties_sorted_by_name_and_bad_amount():
    items = ITEMS.assign(amount=ITEMS["amount"].astype(object))
    items.loc[3, "amount"] = "abc"
    with pytest.raises(ValueError, match=r"amount.*3"):
        product_sales(ORDERS, items)
    with pytest.raises(ValueError, match="amount"):
        product_sales(ORDERS, ITEMS.drop(columns="amount"))


def sales(**values):
    return pd.Series(values, name="sales", dtype="float64")


def test_abc_boundary_product_belongs_to_the_class_it_completes():
    # 累计：40%、65%、75%（跨过 70%，仍是 A）、85%、92%（跨过 90%，仍是 B）、100%
    t = abc_classes(sales(a=40, b=25, c=10, d=10, e=7, f=8))
    assert list(t.index) == ["a", "b", "c", "d", "f", "e"]
    assert t["abc"].tolist() == ["A", "A", "A", "B", "B", "C"]
    assert t.loc["c", "cum_before"] == pytest.approx(0.65) and t.loc["c", "cum_share"] == pytest.approx(0.75)
    assert t["rank"].tolist() == [1, 2, 3, 4, 5, 6]


def test_abc_exact_edge_is_closed_on_the_completed_class():
    # 累计恰好 70.00%：这个商品补齐了 A 类，算 A；下一个从 70.00% 起步，算 B。90% 同理。
    t = abc_classes(sales(a=50, b=20, c=20, d=10))
    assert t["abc"].tolist() == ["A", "A", "B", "C"]
    # 0.1 + 0.2 之类的浮点误差不影响：用分比较
    t = abc_classes(sales(a=0.70, b=0.20, c=0.10))
    assert t["abc"].tolist() == ["A", "B", "C"]


def test_abc_single_product_and_other_edges():
    assert abc_classes(sales(a=5))["abc"].tolist() == ["A"]
    t = abc_classes(sales(a=50, b=30, c=20), edges=(0.5, 0.8))
    assert t["abc"].tolist() == ["A", "B", "C"]
    assert ABC_EDGES == (0.70, 0.90)


def test_abc_summary_counts_and_shares():
    s = abc_summary(abc_classes(sales(a=40, b=25, c=10, d=10, e=7, f=8)))
    assert s["商品数（种）"].tolist() == [3, 2, 1]
    assert s.loc["A", "销售额占比"] == pytest.approx(0.75)
    assert s.loc["C", "销售额（元）"] == 7.0
    # a 一个就补齐了 A 类和 B 类的边界（90%）：b 从 90% 起步，算 C；B 类是空的，记 0
    empty_b = abc_summary(abc_classes(sales(a=90, b=10)))
    assert empty_b["商品数（种）"].tolist() == [1, 0, 1]
    assert empty_b.loc["B", "销售额占比"] == 0


@pytest.mark.parametrize("edges", [(0.9, 0.7), (0, 0.5), (0.7, 1.0), (0.7,), "ab"])
def test_abc_bad_edges(edges):
    with pytest.raises(ValueError, match="边界|edges"):
        abc_classes(sales(a=1, b=2), edges=edges)


def test_abc_bad_sales():
    with pytest.raises(ValueError, match="全为 0"):
        abc_classes(sales(a=0, b=0))
    with pytest.raises(ValueError, match="负数"):
        abc_classes(sales(a=-1, b=2))
    with pytest.raises(ValueError, match="Series"):
        abc_classes([1, 2])


def test_product_pairs_support_confidence_lift():
    p = product_pairs(ORDERS, ITEMS, AS_OF)
    # 5 笔订单：含茶 4 笔、杯 3 笔、壶 2 笔；茶+杯 2 笔（1、5），杯+壶 2 笔（4、5），茶+壶 1 笔（5）
    row = p[(p["product"] == "茶") & (p["also_bought"] == "杯")].iloc[0]
    assert row["orders_together"] == 2 and row["orders_with_product"] == 4
    assert row["support"] == pytest.approx(2 / 5)
    assert row["confidence"] == pytest.approx(2 / 4)
    assert row["lift"] == pytest.approx((2 / 4) / (3 / 5))
    back = p[(p["product"] == "杯") & (p["also_bought"] == "茶")].iloc[0]
    assert back["confidence"] == pytest.approx(2 / 3) and back["lift"] == pytest.approx(row["lift"])
    assert len(p) == 6                                        # 3 个组合 × 2 个方向
    assert p["orders_together"].tolist()[:4] == [2, 2, 2, 2]
    assert len(product_pairs(ORDERS, ITEMS, AS_OF, min_orders=2)) == 4


def test_product_pairs_no_self_pairs_and_bad_input():
    p = product_pairs(ORDERS, ITEMS)
    assert (p["product"] != p["also_bought"]).all()
    with pytest.raises(ValueError, match="min_orders"):
        product_pairs(ORDERS, ITEMS, min_orders=0)
    assert product_pairs(ORDERS.iloc[:0], ITEMS, AS_OF).empty


def test_also_bought():
    p = product_pairs(ORDERS, ITEMS, AS_OF)
    top = also_bought(p, "杯", n=1)
    assert top["also_bought"].tolist() == ["壶"]          # 置信度 2/3，与茶相同；订单数相同，按名称
    assert also_bought(p, "壶", by="lift")["also_bought"].tolist() == ["杯", "茶"]
    with pytest.raises(ValueError, match="没有商品“咖啡”"):
        also_bought(p, "咖啡")
    with pytest.raises(ValueError, match="by"):
        also_bought(p, "杯", by="price")


def test_purchase_gaps_and_cycles():
    orders = make_orders([
        ("A", "2016-01-01 23:00:00", 10), ("A", "2016-01-31 01:00:00", 10),   # 按日期算 30 天
        ("A", "2016-03-01 12:00:00", 10),                                      # 30 天（闰年 2 月）
        ("B", "2016-01-10 12:00:00", 10), ("B", "2016-01-10 18:00:00", 10),   # 同一天再买：0 天
        ("C", "2016-01-05 12:00:00", 10),
    ])
    items = pd.DataFrame({"order_id": ["1", "2", "3", "4", "5", "6"],
                          "product": ["茶", "茶", "茶", "茶", "茶", "杯"],
                          "quantity": [3, 1, 1, 1, 2, 1], "amount": [10.0] * 6})
    g = purchase_gaps(orders, items)
    assert g["gap_days"].tolist() == [30, 30, 0]
    assert g["previous_quantity"].tolist() == [3, 1, 1]
    products = pd.DataFrame({"product": ["茶", "杯"], "repurchase_days": [20, None]})
    c = repurchase_cycles(orders, items, products)
    assert c.loc["茶", "buyers"] == 2 and c.loc["茶", "repeat_buyers"] == 2 and c.loc["茶", "gaps"] == 3
    assert c.loc["茶", "median_days"] == 30                   # 中位数 of [30, 30, 0]
    assert c.loc["茶", "median_days_per_unit"] == 10          # [10, 30, 0] 的中位数
    assert c.loc["茶", "diff_days"] == 10
    assert pd.isna(c.loc["杯", "median_days"]) and c.loc["杯", "gaps"] == 0
    assert list(c.index) == ["茶", "杯"]                      # 没有间隔的排在最后
    with pytest.raises(ValueError, match="repurchase_days"):
        repurchase_cycles(orders, items, products.drop(columns="repurchase_days"))


def test_first_orders_ties_by_order_id():
    orders = make_orders([("A", "2016-01-01 10:00:00", 1), ("A", "2016-01-01 10:00:00", 1),
                          ("B", "2016-01-02 10:00:00", 1)])
    f = first_orders(orders)
    assert f.to_dict() == {"1": True, "2": False, "3": True}


def test_new_vs_old():
    t = new_vs_old(ORDERS, ITEMS, AS_OF)
    # 首单：A→1（茶、杯），B→2（茶），C→5（茶、杯、壶）；老客订单：3（A 茶）、4（B 杯、壶）
    assert t.loc["茶", "buyers"] == 3 and t.loc["茶", "new_buyers"] == 3 and t.loc["茶", "old_buyers"] == 1
    assert t.loc["杯", "new_buyers"] == 2 and t.loc["杯", "old_buyers"] == 1
    assert t.loc["壶", "new_share"] == pytest.approx(1 / 2)
    assert t.loc["茶", "returned"] == 2                       # A、B 后来又下过单，C 没有
    assert t.loc["茶", "return_rate"] == pytest.approx(2 / 3)
    assert t.loc["壶", "return_rate"] == 0.0                  # 首单买壶的只有 C
    assert list(t.index) == ["茶", "杯", "壶"]


def test_charts_have_chinese_titles_and_units():
    t = abc_classes(sales(a=40, b=25, c=10, d=10, e=7, f=8))
    fig = pareto_chart(t)
    assert fig.axes[0].get_ylabel() == "销售额（万元）" and "帕累托" in fig.axes[0].get_title()
    products = pd.DataFrame({"product": ["茶", "杯", "壶"], "repurchase_days": [20, 30, 40]})
    fig = repurchase_cycle_chart(repurchase_cycles(ORDERS, ITEMS, products, AS_OF))
    assert "天" in fig.axes[0].get_xlabel()
    fig = new_vs_old_chart(new_vs_old(ORDERS, ITEMS, AS_OF))
    assert "%" in fig.axes[0].get_xlabel()
    with pytest.raises(ValueError, match="repurchase_days"):
        repurchase_cycle_chart(repurchase_cycles(ORDERS, ITEMS))


def test_abc_explorer_matches_plain_function_and_is_fast(xiayi):
    s = product_sales(xiayi.orders, xiayi.items, xiayi.today)["sales"]
    w = AbcExplorer(s)
    start = time.perf_counter()
    w.a_edge.value = 0.8
    elapsed = time.perf_counter() - start
    assert elapsed < 0.1
    expected = abc_classes(s, edges=(0.8, 0.9))
    pd.testing.assert_frame_equal(w.table, expected)
    w.b_edge.value = 0.5                                        # B 边界小于 A：显示中文错误
    assert "边界" in w.result.value


def test_readable_headers_and_percent():
    from helpers.products_analysis import readable

    t = readable(product_sales(ORDERS, ITEMS, AS_OF))
    assert list(t.columns) == ["销售额（元）", "销量（件）", "订单数（笔）", "买家数（人）", "销售额占比（%）"]
    assert t.index.name == "商品"
    assert t.loc["杯", "销售额占比（%）"] == round(35.00 / 150.10 * 100, 2)
    p = readable(product_pairs(ORDERS, ITEMS, AS_OF))
    assert p["提升度"].iloc[0] == round(p["提升度"].iloc[0], 2)

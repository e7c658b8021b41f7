import pandas as pd
import pytest

from helpers import customer_summary
from conftest import make_orders

ORDERS = make_orders([
    ("A", "2016-01-05 10:00:00", 54.09),
    ("A", "2016-02-01 12:00:00", 38.86),
    ("A", "2016-03-01 23:59:59", 148.75),
    ("A", "2016-03-02 00:00:00", 55.84),   # as_of=2016-03-01 时不计入
    ("B", "2015-12-31 08:00:00", 2.46),
    ("E", "2016-01-10 08:00:00", 10.00),   # 客户表里没有的买家
])
ITEMS = pd.DataFrame({
    "order_id": ["1", "1", "2", "3", "4", "5", "99"],
    "product": ["奶粉", "奶瓶", "奶粉", "连体衣", "枕头", "枕头", "幽灵"],
    "quantity": [2, 1, 1, 3, 1, 1, 5],
})


def test_counts_and_money_to_the_fen(customers):
    s = customer_summary(ORDERS, ITEMS, customers, as_of="2016-03-01")
    a = s.loc["A"]
    assert a["order_count"] == 3
    assert a["total_amount"] == 241.70          # 54.09 + 38.86 + 148.75
    assert a["avg_order_value"] == 80.57        # 241.70 / 3 = 80.5666… → 80.57
    assert a["item_count"] == 7                 # 2 + 1 + 1 + 3
    assert a["products"] == ["奶瓶", "奶粉", "连体衣"]       # 去重并按名称排序
    assert a["first_order"] == pd.Timestamp("2016-01-05 10:00:00")
    assert a["last_order"] == pd.Timestamp("2016-03-01 23:59:59")
    assert a["recency_days"] == 0               # 最后一单就在 as_of 当天
    assert s.loc["B", "recency_days"] == 61     # 2015-12-31 → 2016-03-01（闰年）


def test_one_row_per_customer_plus_unknown_buyers(customers):
    s = customer_summary(ORDERS, ITEMS, customers, as_of="2016-03-01")
    assert list(s.index) == ["A", "B", "C", "D", "E"]
    for cid in ("C", "D"):
        assert s.loc[cid, "order_count"] == 0
        assert s.loc[cid, "total_amount"] == 0
        assert s.loc[cid, "item_count"] == 0
        assert pd.isna(s.loc[cid, "avg_order_value"])
        assert pd.isna(s.loc[cid, "recency_days"])
        assert s.loc[cid, "products"] == []
    assert pd.isna(s.loc["E", "gender"])        # 买家不在客户表里：属性为空，但不会被丢掉
    assert s.loc["E", "order_count"] == 1
    assert s.loc["C", "occupation"] == "学生"


def test_orders_after_as_of_are_ignored():
    s = customer_summary(ORDERS, as_of="2016-03-01")
    assert s.loc["A", "order_count"] == 3
    s2 = customer_summary(ORDERS, as_of="2016-03-02")
    assert s2.loc["A", "order_count"] == 4
    assert s2.loc["A", "total_amount"] == 297.54


def test_without_as_of_uses_last_order_day():
    s = customer_summary(ORDERS)
    assert s.loc["A", "recency_days"] == 0
    assert s.loc["B", "recency_days"] == 62     # 2015-12-31 → 2016-03-02


def test_without_items_item_count_is_missing():
    s = customer_summary(ORDERS, as_of="2016-03-01")
    assert s["item_count"].isna().all()


def test_float_sum_is_exact():
    orders = make_orders([("A", "2016-01-0%d" % (i + 1), a) for i, a in enumerate([54.09, 38.86, 148.75, 55.84, 2.46])])
    s = customer_summary(orders, as_of="2016-01-31")
    assert s.loc["A", "total_amount"] == 300.00
    assert sum([54.09, 38.86, 148.75, 55.84, 2.46]) != 300.00  # 直接用浮点数相加会有误差


def test_duplicate_customers_rejected(customers):
    dup = pd.concat([customers, customers.iloc[[0]]], ignore_index=True)
    with pytest.raises(ValueError, match=r"customer_id 列有重复.*索引：0、4"):
        customer_summary(ORDERS, customers=dup)


def test_bad_orders_get_chinese_error():
    bad = ORDERS.copy()
    bad.loc[2, "amount"] = -5
    with pytest.raises(ValueError, match="负数金额"):
        customer_summary(bad)


def test_top_share():
    from helpers import top_share
    amounts = pd.Series([100.0, 50, 20, 10, 10, 5, 3, 1, 1, 0])   # 合计 200
    assert top_share(amounts, 0.2) == 0.75                          # 前 2 位：150 / 200
    assert top_share(amounts, 0.25) == 0.85                         # 前 3 位（向上取整）：170 / 200
    with pytest.raises(ValueError, match="0 到 1"):
        top_share(amounts, 20)

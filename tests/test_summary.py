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


# ---------------------------------------------------------------------------
# 大店铺的快速做法（整数代码、按字节读编号、按位置对上订单）和一般做法结果相同
# ---------------------------------------------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from pandas.testing import assert_frame_equal  # noqa: E402

# 编号的各种样子：等长数字（走按字节的快速做法）、带前导零的不等长数字（"007" 和 "7" 是两个编号）、
# 很稀疏的 18 位数字、文字、等长的中文加数字、不等长的文字
ID_STYLES = {
    "digits": lambda i: f"{10**9 + i * 7}",
    "zeros": lambda i: "0" * (i % 3) + str(i // 3),
    "sparse": lambda i: f"{(i * 982_451_653_117) % 10**18:018d}",
    "prefixed": lambda i: f"C{i:05d}",
    "chinese": lambda i: f"客户{i:03d}",
    "text": lambda i: f"O-{i}",
}
PRODUCT_STYLES = [["商品001", "商品017", "商品100"], ["奶粉", " 奶粉", "奶粉\u3000", "奶瓶", "a b", "Tee", "tee"]]


@st.composite
def styled_shops(draw):
    """一家随机的小店，订单号、客户编号各取一种样子；可能有明细对不上的订单、客户表里没有的买家。"""
    order_style = ID_STYLES[draw(st.sampled_from(sorted(ID_STYLES)))]
    customer_style = ID_STYLES[draw(st.sampled_from(sorted(ID_STYLES)))]
    products = draw(st.sampled_from(PRODUCT_STYLES))
    n = draw(st.integers(0, 25))
    people = [customer_style(i) for i in draw(st.lists(st.integers(0, 40), min_size=1, max_size=6, unique=True))]
    orders = pd.DataFrame({
        "order_id": [order_style(i) for i in range(n)],
        "customer_id": [draw(st.sampled_from(people)) for _ in range(n)],
        "order_time": [pd.Timestamp("2018-01-01") + pd.Timedelta(minutes=draw(st.integers(0, 600_000)))
                       for _ in range(n)],
        "amount": [draw(st.integers(0, 200_000)) / 100 for _ in range(n)],
    }).astype({"order_id": "str", "customer_id": "str", "order_time": "datetime64[ns]"})
    pool = list(orders["order_id"]) + [order_style(n + 5), "999"]
    lines = draw(st.lists(st.tuples(st.sampled_from(pool), st.sampled_from(products), st.integers(0, 3)),
                          max_size=40))
    items = pd.DataFrame(lines, columns=["order_id", "product", "quantity"]).astype(
        {"order_id": "str", "product": "str", "quantity": "int64"})
    members = draw(st.lists(st.sampled_from(people + [customer_style(99)]), unique=True))
    customers = pd.DataFrame({"customer_id": pd.Series(members, dtype="str"),
                              "city": pd.Series([f"城市{i}" for i in range(len(members))], dtype="str"),
                              "register_date": pd.Series([pd.Timestamp("2017-01-01")] * len(members),
                                                         dtype="datetime64[ns]")})
    as_of = draw(st.sampled_from([None, "2018-06-30", "2019-12-31"]))
    return orders, items, customers, as_of


def as_objects(table: pd.DataFrame) -> pd.DataFrame:
    """同一张表，编号和商品名换成 object 类型（走一般的做法：factorize 文本、merge）。"""
    return table.astype({c: object for c in ("order_id", "customer_id", "product") if c in table.columns})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shop=styled_shops(), with_customers=st.booleans())
def test_fast_paths_equal_duckdb_and_the_general_path(shop, with_customers):
    orders, items, customers, as_of = shop
    customers = customers if with_customers else None
    got = customer_summary(orders, items, customers, as_of=as_of)
    assert_frame_equal(got, customer_summary(orders, items, customers, as_of=as_of, engine="duckdb"))
    general = customer_summary(as_objects(orders), as_objects(items),
                               None if customers is None else as_objects(customers), as_of=as_of)
    assert_frame_equal(got, general, check_index_type=len(got) > 0)   # 没有客户时 object 列得到 object 索引


def test_duplicate_order_ids_count_the_line_for_every_matching_order():
    # 订单号 "1" 出现两次（两位客户）：和 merge 一样，这行明细两位客户都算
    orders = make_orders([("A", "2016-01-05", 10), ("B", "2016-01-06", 20)]).assign(order_id=["1", "1"])
    items = pd.DataFrame({"order_id": ["1", "2"], "product": ["奶粉", "奶瓶"], "quantity": [2, 5]})
    s = customer_summary(orders, items)
    assert s["item_count"].to_dict() == {"A": 2, "B": 2}
    assert s.loc["A", "products"] == ["奶粉"] and s.loc["B", "products"] == ["奶粉"]


def test_order_ids_with_leading_zeros_are_different_orders():
    orders = make_orders([("A", "2016-01-05", 10), ("B", "2016-01-06", 20), ("C", "2016-01-07", 30)])
    orders["order_id"] = ["7", "07", "007"]
    items = pd.DataFrame({"order_id": ["07", "0007", "7"], "product": ["奶粉", "奶瓶", "枕头"], "quantity": [1, 2, 3]})
    s = customer_summary(orders, items)
    assert s["item_count"].to_dict() == {"A": 3, "B": 1, "C": 0}
    assert s["products"].tolist() == [["枕头"], ["奶粉"], []]


def test_order_ids_of_other_lengths_never_match():
    orders = make_orders([("A", "2016-01-05", 10), ("B", "2016-01-06", 20)]).assign(order_id=["7", "08"])
    items = pd.DataFrame({"order_id": ["07", "8", "7"], "product": ["奶粉", "奶瓶", "枕头"], "quantity": [1, 2, 3]})
    assert customer_summary(orders, items)["item_count"].to_dict() == {"A": 3, "B": 0}


def test_equal_width_ids_are_read_digit_by_digit():
    # 等长编号按字节读成数："C09" 和 "C10"、订单 "09" 和 "10" 都是不同的编号，顺序也按文字
    orders = make_orders([("C10", "2016-01-05", 10), ("C09", "2016-01-06", 20), ("C10", "2016-01-07", 30)])
    orders["order_id"] = ["10", "09", "19"]
    items = pd.DataFrame({"order_id": ["09", "10", "19", "90"], "product": ["奶粉", "奶瓶", "枕头", "幽灵"],
                          "quantity": [1, 2, 3, 4]})
    s = customer_summary(orders, items)
    assert list(s.index) == ["C09", "C10"]
    assert s["order_count"].tolist() == [1, 2] and s["item_count"].tolist() == [1, 5]
    assert s["products"].tolist() == [["奶粉"], ["奶瓶", "枕头"]]


@pytest.mark.parametrize("names", [["奶粉", " 奶粉", "奶粉\u3000", "\t奶粉 "], ["奶粉\u3000", "奶粉"],
                                   ["\u3000奶粉", "奶粉"], ["奶粉\xa0", "奶粉"], ["奶粉", "奶粉\u2003"],
                                   [" 奶粉", "奶粉"], ["奶粉", "奶粉 "]])
def test_product_names_are_stripped_of_spaces_of_every_kind(names):
    orders = make_orders([("A", "2016-01-05", 10)])
    items = pd.DataFrame({"order_id": ["1"] * len(names), "product": names, "quantity": [1] * len(names)})
    assert customer_summary(orders, items).loc["A", "products"] == ["奶粉"]


def test_customer_columns_are_joined_like_a_join(customers):
    # E 不在客户表里：整数列 points 变成小数、真假列变成 object，空值——和 DataFrame.join 一样
    table = customers.assign(vip=[True, False, True, False])
    s = customer_summary(ORDERS, ITEMS, table, as_of="2016-03-01")
    expected = table.set_index("customer_id").reindex(s.index)
    assert_frame_equal(s[expected.columns], expected)
    assert s["points"].dtype == "float64" and s["vip"].dtype == object and pd.isna(s.loc["E", "vip"])


def test_customer_codes_match_groupby():
    from helpers.summary import customer_codes

    ids = pd.Series(["C003", "C001", "C003", "C010", "C001"], dtype="str")
    codes, uniques = customer_codes(ids)
    assert list(uniques) == ["C001", "C003", "C010"] and uniques.name == "customer_id"
    assert list(codes) == [1, 0, 1, 2, 0]
    codes, uniques = customer_codes(ids, rows=[True, False, True, False, False])
    assert list(uniques) == ["C003"] and list(codes) == [0, 0]
    with pytest.raises(ValueError, match="一样长"):
        customer_codes(ids, rows=[True])

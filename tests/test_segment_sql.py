"""Segment.to_sql() 在 DuckDB 上选出的客户 == Segment.select()：三家教学店铺上，和随机数据上（hypothesis）。

随机数据专门落在界线上：金额正好等于门槛、差一分、带半分；最后下单正好在那一天的 0 点和前一秒；
积分为空、性别为空；客户买过的商品在截止日之后才买（不该算）。
"""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import Segment, customer_summary, load_shop
from helpers.sql import customer_summary_sql, run, to_dialect


def sql_ids(segment: Segment, summary: pd.DataFrame, orders, items) -> list:
    result = run(segment.to_sql(titles=summary.attrs.get("product_titles")),
                 customer_summary=summary, orders=orders, items=items)
    return list(result["customer_id"])


def segments_for(shop):
    """每条规则单独一条、几条组合，数值都取在这家店铺数据的界线上。"""
    summary = shop.summary()
    buyers = summary[summary["order_count"] > 0]
    amount = float(buyers["total_amount"].median())                  # 正好有客户踩在上面的金额
    avg = float(buyers["avg_order_value"].round(2).median())
    product = shop.products["product"].iloc[0]
    title = shop.products["title"].iloc[1]
    region = summary["province"].dropna().iloc[0]
    city = summary["city"].dropna().iloc[-1]
    occupation = summary["occupation"].dropna().iloc[0]
    last = summary["last_order"].dropna().sort_values().iloc[len(buyers) // 2].normalize()
    return [
        Segment("订单数", min_orders=2), Segment("金额", min_total_amount=amount),
        Segment("差一分", min_total_amount=amount + 0.01), Segment("平均", min_avg_order_value=avg),
        Segment("件数", min_items=3), Segment("女", gender="女"), Segment("日期", last_order_after=last),
        Segment("积分", min_points=100), Segment("职业", occupations=[occupation]),
        Segment("商品", products=[product, title]), Segment("地区", regions=[region, city]),
        Segment("组合", "几条一起", min_orders=2, min_avg_order_value=avg, gender="女", last_order_after=last,
                products=[product], regions=[region]),
        Segment("全部客户"),
    ]


@pytest.mark.parametrize("name", ["a_kids", "health", "xiayi"])
def test_segment_sql_selects_the_same_customers_on_every_teaching_shop(name):
    shop = load_shop(name)
    summary = shop.summary()
    for segment in segments_for(shop):
        want = sorted(segment.select(summary).index)
        assert sql_ids(segment, summary, shop.orders, shop.items) == want, segment.describe()


def test_segment_sql_runs_on_the_raw_tables_through_the_summary_sql():
    """公司仓库里没有现成的汇总表：WITH customer_summary AS (汇总的 SQL) 接上分组的 SQL，从原始三张表算起。"""
    shop = load_shop("a_kids")
    summary = shop.summary()
    segment = segments_for(shop)[-2]
    query = "WITH customer_summary AS (\n" + customer_summary_sql(shop.today) + "\n)\n" + segment.to_sql()
    result = run(query, orders=shop.orders, items=shop.items, customers=shop.customers)
    assert list(result["customer_id"]) == sorted(segment.select(summary).index)
    for dialect in ("spark", "hive"):
        assert "customer_summary" in to_dialect(query, dialect)


# ---------------------------------------------------------------------------
# 随机数据
# ---------------------------------------------------------------------------
AS_OF = pd.Timestamp("2018-12-10")
AMOUNTS = [200.0, 199.99, 200.01, 100.0, 99.99, 150.005, 308.185, 0.01, 1.005, 0.0, 500.5, 1000.0]
PRODUCTS = ["大衣", "围巾", "帽子", "a'b"]
PROVINCES = ["上海", "浙江", "江苏"]
CITIES = ["上海", "杭州", "苏州"]
MEMBERS = [f"C{i:02d}" for i in range(1, 9)]
DAYS = [AS_OF - pd.Timedelta(days=k) for k in (0, 1, 29, 30, 31, 90, 200)] + [AS_OF + pd.Timedelta(days=1)]
CLOCKS = [pd.Timedelta(0), pd.Timedelta(hours=23, minutes=59, seconds=59), pd.Timedelta(hours=9)]


@st.composite
def shops(draw):
    rows = []
    for i in range(draw(st.integers(0, 20))):
        day = draw(st.sampled_from(DAYS)) + draw(st.sampled_from(CLOCKS))
        rows.append((f"O{i:03d}", draw(st.sampled_from(MEMBERS)), day, draw(st.sampled_from(AMOUNTS))))
    orders = pd.DataFrame(rows, columns=["order_id", "customer_id", "order_time", "amount"]).astype(
        {"order_id": "str", "customer_id": "str", "order_time": "datetime64[ns]", "amount": "float64"})
    lines = [(o, draw(st.sampled_from(PRODUCTS)), draw(st.integers(1, 3)))
             for o in orders["order_id"] for _ in range(draw(st.integers(0, 2)))]
    items = pd.DataFrame(lines, columns=["order_id", "product", "quantity"]).astype(
        {"order_id": "str", "product": "str", "quantity": "int64"})
    n = len(MEMBERS)
    customers = pd.DataFrame({
        "customer_id": MEMBERS,
        "gender": draw(st.lists(st.sampled_from(["女", "男", None]), min_size=n, max_size=n)),
        "points": draw(st.lists(st.sampled_from([None, 0, 99, 100, 101]), min_size=n, max_size=n)),
        "occupation": draw(st.lists(st.sampled_from(["教师", "医生", None]), min_size=n, max_size=n)),
        "province": draw(st.lists(st.sampled_from(PROVINCES), min_size=n, max_size=n)),
        "city": draw(st.lists(st.sampled_from(CITIES), min_size=n, max_size=n)),
    }).astype({"points": "Float64"})
    return orders, items, customers


RULE_VALUES = {
    "min_orders": st.sampled_from([0, 1, 2, 3]),
    "min_total_amount": st.sampled_from([0, 200, 199.99, 200.01, 1.005, 500.5]),
    "min_avg_order_value": st.sampled_from([100, 150.005, 200, 308.185, 0.01]),
    "min_items": st.sampled_from([0, 1, 2, 4]),
    "gender": st.sampled_from(["女", "男"]),
    "last_order_after": st.sampled_from([str(d.date()) for d in DAYS]),
    "min_points": st.sampled_from([0, 99, 100, 100.5]),
    "occupations": st.lists(st.sampled_from(["教师", "医生"]), min_size=1, unique=True),
    "products": st.lists(st.sampled_from(PRODUCTS), min_size=1, unique=True),
    "regions": st.lists(st.sampled_from(PROVINCES + CITIES), min_size=1, unique=True),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shop=shops(), rules=st.fixed_dictionaries({}, optional=RULE_VALUES))
def test_segment_sql_equals_select_on_random_shops(shop, rules):
    orders, items, customers = shop
    summary = customer_summary(orders, items, customers, as_of=AS_OF)
    known = {"occupations": set(summary["occupation"].dropna()), "regions": set(summary["province"]) | set(summary["city"]),
             "products": set(summary["products"].explode().dropna())}
    for key, names in known.items():             # 名单里只留数据里有的名字（写错的名字会得到中文错误，另有测试）
        if key in rules:
            rules[key] = [v for v in rules[key] if v in names]
            if not rules[key]:
                del rules[key]
    segment = Segment("随机", **rules)
    assert sql_ids(segment, summary, orders, items) == sorted(segment.select(summary).index), segment.describe()


@pytest.mark.parametrize("rules", [
    dict(min_orders=2, min_avg_order_value=200, gender="女", last_order_after="2015-03-01", regions=["上海", "浙江"]),
    dict(min_total_amount=199.99, min_items=3, min_points=100, occupations=["教师", "医生"]),
    dict(min_total_amount=150.005, last_order_after="2016-02-29", gender="男"),
], ids=["母亲节式", "金额件数积分职业", "半分和闰日"])
def test_segment_sql_agrees_on_every_boundary_customer(rules):
    """边界客户小表：每条界线上正好一位、差一点一位（正好 0 点下单、前一秒下单、差一分……）。"""
    segment = Segment("边界", **rules)
    probe = segment.boundary_probe()
    chosen = run(segment.to_sql(), customer_summary=probe.drop(columns=["边界", "应入组"]))
    assert list(chosen["customer_id"]) == sorted(probe.index[probe["应入组"]])
    assert probe["应入组"].sum() < len(probe)                 # 小表里确实有不该入组的边界客户

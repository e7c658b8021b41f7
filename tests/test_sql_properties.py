"""随机数据上的性质：每条规则的 SQL 在 DuckDB 上的结果 == pandas 函数的结果（hypothesis）。

随机订单专门落在容易出错的地方：恰好在 R 分档的日期分界上（0 点和 23:59:59）、分界前后一天、
月底（1 月 31 日往前一个月是 2 月 28/29 日）、评估日当天和第二天；金额恰好在 F/M 和 VIP 门槛上、
带半分（x.xx5 元）；有人没有订单、有人只有一笔、有人不在客户表里；订单表也可以是空的。
"""
from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal, assert_series_equal

from helpers import customer_summary, rfm_score, vip_tier
from helpers.lifecycle import LifecycleRule, lifecycle_stages
from helpers.rfm import TEXTBOOK_RFM, RFMTable, rfm_band_edges
from helpers.sql import (customer_summary_sql, lifecycle_frame, lifecycle_sql, rfm_frame, rfm_sql, run,
                         summary_duckdb, summary_frame, vip_frame, vip_sql)
from helpers.vip import EXAMPLE_2018_TIERS, TEXTBOOK_VIP_TIERS

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

AS_OF = ["2016-03-31", "2016-02-29", "2017-03-31", "2018-12-10", "2019-01-31", "2016-05-31", "2018-08-31",
         "2017-12-31"]
TABLES = [TEXTBOOK_RFM, RFMTable((2, 3, 5, 6, 13), (5, 3, 2, 1, 0), (1000, 500.5, 199.99, 0.01, 0))]
WEIGHTS = [(1, 3, 4), (2, 1, 1), (1.5, 2, 2.5)]
LEVELS = [((36, "P"), (26, "G"), (17, "S"), (0, "B")), ((20, "高"), (20, "同分在后"), (10.5, "中"), (0, "低"))]
# 门槛上的金额、带半分的金额、整数和零
AMOUNTS = [2000.0, 1999.99, 1000.0, 500.0, 500.5, 300.0, 299.99, 200.0, 100.0, 99.99, 0.0, 0.01, 1.005, 12.345,
           308.185, 2.675, 0.125, 123456.785, 1000.005]
PRODUCTS = ["外套", "大衣", "帽子", "Tee", "tee", "童鞋", "a b"]
MEMBERS = [f"C{i:02d}" for i in range(1, 9)]
STRANGERS = ["Z1", "Z2", "B0"]          # 只在订单里出现、不在客户表里


@st.composite
def shops(draw):
    """一家随机的小店：(订单表, 明细表, 客户表, 评估日)。"""
    as_of = pd.Timestamp(draw(st.sampled_from(AS_OF)))
    table = draw(st.sampled_from(TABLES))
    edges = [pd.Timestamp(d) for d in rfm_band_edges(as_of, table).iloc[:, 0]]
    special = sorted({d + pd.Timedelta(days=k) for d in edges + [as_of] for k in (-1, 0, 1)}
                     | {(as_of - pd.offsets.MonthEnd(n)).normalize() for n in range(1, 14)})
    n = draw(st.integers(0, 25))
    rows = []
    for i in range(n):
        day = draw(st.one_of(st.sampled_from(special),
                             st.integers(0, 500).map(lambda k: as_of - pd.Timedelta(days=k))))
        clock = draw(st.sampled_from([pd.Timedelta(0), pd.Timedelta(hours=23, minutes=59, seconds=59),
                                      pd.Timedelta(hours=12, minutes=30)]))
        amount = draw(st.one_of(st.sampled_from(AMOUNTS), st.integers(0, 300_000).map(lambda f: f / 100)))
        who = draw(st.sampled_from(MEMBERS + STRANGERS))
        rows.append((f"O{i:03d}", who, day + clock, amount))
    orders = pd.DataFrame(rows, columns=["order_id", "customer_id", "order_time", "amount"])
    orders = orders.astype({"order_id": "str", "customer_id": "str", "order_time": "datetime64[ns]",
                            "amount": "float64"})
    lines = []
    for order_id in orders["order_id"]:
        for _ in range(draw(st.integers(0, 2))):
            lines.append((order_id, draw(st.sampled_from(PRODUCTS)), draw(st.integers(0, 3))))
    items = pd.DataFrame(lines, columns=["order_id", "product", "quantity"]).astype(
        {"order_id": "str", "product": "str", "quantity": "int64"})
    members = draw(st.lists(st.sampled_from(MEMBERS), unique=True, max_size=len(MEMBERS)))
    registered = [draw(st.one_of(st.none(), st.integers(-40, 400).map(lambda k: as_of - pd.Timedelta(days=k))))
                  for _ in members]
    customers = pd.DataFrame({"customer_id": pd.Series(members, dtype="str"),
                              "city": pd.Series([f"城市{i}" for i in range(len(members))], dtype="str"),
                              "register_date": pd.Series(registered, dtype="datetime64[ns]")})
    return orders, items, customers.sort_values("customer_id", ignore_index=True), as_of, table


@FAST
@given(shop=shops(), weights=st.sampled_from(WEIGHTS), levels=st.sampled_from(LEVELS))
def test_rfm_sql_equals_rfm_score(shop, weights, levels):
    orders, _, _, as_of, table = shop
    got = rfm_frame(run(rfm_sql(as_of, table, weights, levels), orders=orders), levels)
    assert_frame_equal(got, rfm_score(orders, as_of, table, weights, levels))


@FAST
@given(shop=shops(), use_as_of=st.booleans(), with_customers=st.booleans())
def test_summary_sql_equals_customer_summary(shop, use_as_of, with_customers):
    orders, items, customers, as_of, _ = shop
    as_of = as_of if use_as_of else None
    customers = customers if with_customers else None
    tables = {"orders": orders, "items": items, **({"customers": customers} if with_customers else {})}
    got = summary_frame(run(customer_summary_sql(as_of, True, with_customers), **tables))
    assert_frame_equal(got, customer_summary(orders, items, customers, as_of=as_of))


@FAST
@given(shop=shops(), seed=st.integers(0, 1000))
def test_engine_duckdb_equals_pandas_with_customers_in_any_order(shop, seed):
    orders, items, customers, as_of, _ = shop
    shuffled = customers.sample(frac=1, random_state=seed).reset_index(drop=True)
    assert_frame_equal(summary_duckdb(orders, items, shuffled, as_of),
                       customer_summary(orders, items, shuffled, as_of=as_of))


@FAST
@given(shop=shops(), tiers=st.sampled_from([TEXTBOOK_VIP_TIERS, EXAMPLE_2018_TIERS]), strict=st.booleans())
def test_vip_sql_equals_vip_tier(shop, tiers, strict):
    orders, _, customers, as_of, _ = shop
    got = vip_frame(run(vip_sql(tiers, as_of, strict), orders=orders, customers=customers), tiers)
    summary = customer_summary(orders, customers=customers, as_of=as_of)
    assert_series_equal(got["vip_tier"], vip_tier(summary, tiers, strict=strict))


@FAST
@given(shop=shops(), rule=st.sampled_from([LifecycleRule(), LifecycleRule(30, 2), LifecycleRule(1, 5)]),
       with_customers=st.booleans())
def test_lifecycle_sql_equals_lifecycle_stages(shop, rule, with_customers):
    orders, _, customers, as_of, _ = shop
    customers = customers if with_customers else None
    tables = {"orders": orders, **({"customers": customers} if with_customers else {})}
    got = lifecycle_frame(run(lifecycle_sql(as_of, rule, with_customers), **tables))
    assert_frame_equal(got, lifecycle_stages(customers, orders, as_of, rule))

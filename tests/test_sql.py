"""helpers.sql：每条规则的 SQL 在 DuckDB 上的结果和 pandas 函数一模一样（三家教学店铺），
run() 的表、类型和中文报错，engine="duckdb" 读文件，翻译成 Spark / Hive / MySQL 后都能解析。"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import sqlglot
from pandas.testing import assert_frame_equal, assert_series_equal

from helpers import customer_summary, load_shop, rfm_score, vip_tier
from helpers.lifecycle import LifecycleRule, lifecycle_stages
from helpers.rfm import RFMTable
from helpers.sql import (DIALECTS, customer_summary_sql, lifecycle_frame, lifecycle_sql, rfm_frame, rfm_score_duckdb,
                         rfm_sql, run, summary_duckdb, summary_frame, to_dialect, vip_frame, vip_sql)
from helpers.money import average_fen
from helpers.summary import SUMMARY_COLUMNS
from helpers.vip import EXAMPLE_2018_TIERS, TEXTBOOK_VIP_TIERS

CJK = re.compile(r"[\u4e00-\u9fff]")
SHOPS = ("a_kids", "health", "xiayi")


@pytest.fixture(scope="module", params=SHOPS)
def shop(request):
    return load_shop(request.param)


# ---------------------------------------------------------------------------
# 每条规则：SQL 的结果 == pandas 的结果（三家店铺，各自的“今天”）
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("with_items, with_customers, use_today", [
    (True, True, True), (False, True, True), (True, False, True), (True, True, False)])
def test_summary_sql_equals_customer_summary(shop, with_items, with_customers, use_today):
    as_of = shop.today if use_today else None
    tables = {"orders": shop.orders}
    if with_items:
        tables["items"] = shop.items
    if with_customers:
        tables["customers"] = shop.customers
    got = summary_frame(run(customer_summary_sql(as_of, with_items, with_customers), **tables))
    want = customer_summary(shop.orders, tables.get("items"), tables.get("customers"), as_of=as_of)
    assert_frame_equal(got, want)
    assert len(got) == (len(shop.customers) if with_customers else shop.orders["customer_id"].nunique())


OTHER_TABLE = RFMTable(recency_months=(2, 4, 6, 9, 18), frequency_min=(8, 5, 3, 2, 1),
                       monetary_min=(3000, 1500.5, 600, 199.99, 0))


@pytest.mark.parametrize("table, weights, levels", [
    (None, None, None),
    (OTHER_TABLE, (2, 2, 2), ((30, "甲"), (20, "乙"), (0, "丙"))),
    (None, (1.5, 2.5, 3.5), ((30.5, "P"), (20.25, "G"), (10, "S"), (0, "B"))),
])
def test_rfm_sql_equals_rfm_score(shop, table, weights, levels):
    kwargs = {k: v for k, v in dict(table=table, weights=weights, levels=levels).items() if v is not None}
    got = rfm_frame(run(rfm_sql(shop.today, **kwargs), orders=shop.orders), kwargs.get("levels", (
        (36, "P"), (26, "G"), (17, "S"), (0, "B"))))
    want = rfm_score(shop.orders, shop.today, **kwargs)
    assert_frame_equal(got, want)
    assert got["level"].nunique() > 1


@pytest.mark.parametrize("tiers, strict, with_customers", [
    (TEXTBOOK_VIP_TIERS, False, True), (TEXTBOOK_VIP_TIERS, True, True), (EXAMPLE_2018_TIERS, False, False)])
def test_vip_sql_equals_vip_tier(shop, tiers, strict, with_customers):
    customers = shop.customers if with_customers else None
    tables = {"orders": shop.orders, **({"customers": customers} if with_customers else {})}
    got = vip_frame(run(vip_sql(tiers, shop.today, strict, with_customers), **tables), tiers)
    summary = customer_summary(shop.orders, customers=customers, as_of=shop.today)
    assert_series_equal(got["vip_tier"], vip_tier(summary, tiers, strict=strict))
    assert_series_equal(got["total_amount"], summary["total_amount"])
    assert got["vip_tier"].notna().any() and got["vip_tier"].isna().any()


@pytest.mark.parametrize("rule, with_customers", [(LifecycleRule(), True), (LifecycleRule(30, 2), True),
                                                  (LifecycleRule(180, 5), False)])
def test_lifecycle_sql_equals_lifecycle_stages(shop, rule, with_customers):
    customers = shop.customers if with_customers else None
    tables = {"orders": shop.orders, **({"customers": customers} if with_customers else {})}
    got = lifecycle_frame(run(lifecycle_sql(shop.today, rule, with_customers), **tables))
    want = lifecycle_stages(customers, shop.orders, shop.today, rule)
    assert_frame_equal(got, want)
    assert got["stage"].nunique() >= (4 if with_customers else 3)


def test_lifecycle_sql_counts_only_customers_registered_by_then(xiayi):
    day = pd.Timestamp("2018-06-30")
    got = lifecycle_frame(run(lifecycle_sql(day), orders=xiayi.orders, customers=xiayi.customers))
    later = xiayi.customers.loc[xiayi.customers["register_date"] > day, "customer_id"]
    buyers = set(xiayi.orders.loc[xiayi.orders["order_time"] < day + pd.Timedelta(days=1), "customer_id"])
    assert len(later) and not (set(got.index) & (set(later) - buyers))
    assert_frame_equal(got, lifecycle_stages(xiayi.customers, xiayi.orders, day))


# ---------------------------------------------------------------------------
# SQL 本身：日期常量、分、ORDER BY、中文注释
# ---------------------------------------------------------------------------
def test_rfm_sql_writes_calendar_month_cutoffs_as_date_literals():
    sql = rfm_sql("2016-03-31")
    for day in ("2016-02-29", "2015-12-31", "2015-11-30", "2015-08-31", "2015-03-31", "2016-04-01"):
        assert f"DATE '{day}'" in sql
    assert "monetary_fen >= 200000" in sql and "ORDER BY customer_id" in sql
    assert "now()" not in sql.lower() and "current_date" not in sql.lower()
    assert all(CJK.search(line) for line in sql.splitlines() if line.lstrip().startswith("--"))


@pytest.mark.parametrize("make", [lambda: customer_summary_sql("2018-12-10"), lambda: rfm_sql("2018-12-10"),
                                  lambda: vip_sql(as_of="2018-12-10"), lambda: lifecycle_sql("2018-12-10")])
def test_every_query_orders_its_rows_and_sums_money_in_fen(make):
    sql = make()
    assert "\nORDER BY " in sql
    assert "CAST(ROUND(CAST(amount AS DECIMAL(18, 8)) * 100) AS BIGINT)" in sql
    assert sum(1 for line in sql.splitlines() if line.lstrip().startswith("--")) >= 3


def test_vip_sql_thresholds_in_fen_and_strict_reading():
    tiers = [("银卡", 99.99, 2), ("金卡", 500, 6)]
    assert "summary.total_fen >= 9999 OR summary.order_count >= 2" in vip_sql(tiers)
    assert "summary.total_fen > 50000 OR summary.order_count > 6" in vip_sql(tiers, strict=True)


def test_quotes_in_names_are_escaped():
    orders = pd.DataFrame({"order_id": ["1", "2"], "customer_id": ["a", "b"],
                           "order_time": pd.to_datetime(["2018-01-01", "2018-02-01"]), "amount": [100.0, 10.0]})
    tiers = [("Joe's 会员", 50, 99)]
    got = vip_frame(run(vip_sql(tiers, with_customers=False), orders=orders), tiers)
    assert_series_equal(got["vip_tier"], vip_tier(customer_summary(orders), tiers))


# ---------------------------------------------------------------------------
# 翻译成公司数据仓库的写法
# ---------------------------------------------------------------------------
def _all_queries():
    yield "customer_summary", customer_summary_sql("2018-12-10")
    yield "customer_summary_no_items", customer_summary_sql(None, with_items=False, with_customers=False)
    yield "rfm", rfm_sql("2018-12-10")
    yield "rfm_float_weights", rfm_sql("2016-02-29", OTHER_TABLE, (1.5, 2, 3), ((20.5, "高"), (0, "低")))
    yield "vip", vip_sql(as_of="2018-12-10")
    yield "vip_strict", vip_sql(EXAMPLE_2018_TIERS, strict=True, with_customers=False)
    yield "lifecycle", lifecycle_sql("2018-12-10")
    yield "lifecycle_buyers", lifecycle_sql("2018-12-10", LifecycleRule(30, 2), with_customers=False)


@pytest.mark.parametrize("dialect", list(DIALECTS))
@pytest.mark.parametrize("name, query", list(_all_queries()), ids=[n for n, _ in _all_queries()])
def test_every_generated_query_parses_in_every_dialect(name, query, dialect):
    translated = to_dialect(query, dialect)
    parsed = sqlglot.parse(translated, read=dialect)
    assert len([p for p in parsed if p is not None]) == 1
    assert "评估日" in translated or "截止日" in translated or "统计范围" in translated   # 中文注释还在
    assert re.search(r"^\s*-- ", translated, re.M)                                   # 写成 -- 注释


@pytest.mark.parametrize("dialect", ["spark", "hive"])
@pytest.mark.parametrize("name, query", list(_all_queries()), ids=[n for n, _ in _all_queries()])
def test_no_duckdb_only_functions_are_left_in_warehouse_sql(name, query, dialect):
    translated = to_dialect(query, dialect)
    leftovers = re.findall(r"\b(?:LIST(?:_SORT|_DISTINCT)?|DATE_DIFF)\(|\[\]|VARCHAR\[\]", translated, re.I)
    assert not leftovers, f"翻译成 {dialect} 后还留着 DuckDB 的写法：{leftovers}（sqlglot 太旧？需要 30.7 及以上）"


def test_builders_translate_themselves():
    spark = rfm_sql("2018-12-10", dialect="spark")
    assert spark == to_dialect(rfm_sql("2018-12-10"), "spark")
    assert "DATEDIFF" in spark.upper() and "DATE_DIFF('day'" not in spark
    hive = customer_summary_sql("2018-12-10", dialect="Hive")
    assert "SORT_ARRAY" in hive.upper() or "ARRAY_SORT" in hive.upper()
    mysql = customer_summary_sql("2018-12-10", dialect="mysql")
    assert mysql.startswith("-- 注意（MySQL 8）：这种库没有数组")


@pytest.mark.parametrize("name, query", list(_all_queries()), ids=[n for n, _ in _all_queries()])
def test_duckdb_round_trip_through_the_transpiler_gives_the_same_rows(name, query, health):
    tables = {"orders": health.orders, "items": health.items, "customers": health.customers}
    assert_frame_equal(run(to_dialect(query, "duckdb"), **tables), run(query, **tables))


def test_to_dialect_errors_are_chinese():
    with pytest.raises(ValueError, match="你是不是想写 'spark'"):
        to_dialect("SELECT 1", "sprak")
    with pytest.raises(ValueError, match="语法错误") as exc:
        to_dialect("SELECT (", "hive")
    assert "\x1b" not in str(exc.value)
    with pytest.raises(ValueError, match="不认识 SQL 写法"):
        rfm_sql("2018-12-10", dialect="oracle")


def test_comment_with_code_keeps_strings_intact():
    sql = "SELECT '/* 不是注释 */' AS a, 1 AS b -- 行末注释\nFROM t"
    out = to_dialect(sql, "spark")
    assert "'/* 不是注释 */'" in out and "-- 行末注释" in out
    sqlglot.parse_one(out, read="spark")


# ---------------------------------------------------------------------------
# run()：表、类型、中文报错
# ---------------------------------------------------------------------------
def test_run_gives_friendly_dtypes(tmp_path):
    orders = pd.DataFrame({"customer_id": ["a", "b", "a"], "amount": [1.5, 2.0, 3.25],
                           "order_time": pd.to_datetime(["2018-01-01 10:00", "2018-01-02 11:00", "2018-02-01 12:00"])})
    orders.to_csv(tmp_path / "orders.csv", index=False)
    sql = """SELECT customer_id, CAST(MAX(order_time) AS DATE) AS last_day, COUNT(*) AS n,
                    CASE WHEN COUNT(*) > 1 THEN 1 END AS repeat, LIST(amount ORDER BY amount) AS amounts,
                    SUM(amount) > 3 AS big
             FROM orders GROUP BY customer_id ORDER BY customer_id"""
    for source in (orders, tmp_path / "orders.csv", str(tmp_path / "orders.csv")):
        got = run(sql, orders=source)
        assert list(got["customer_id"]) == ["a", "b"]
        assert pd.api.types.is_string_dtype(got["customer_id"].dtype)
        assert got["last_day"].dtype.kind == "M" and got["last_day"][0] == pd.Timestamp("2018-02-01")
        assert got["n"].dtype == "int64" and got["repeat"].dtype == "Int64" and pd.isna(got["repeat"][1])
        assert got["big"].dtype == bool and list(got["big"]) == [True, False]
        assert got["amounts"][0] == [1.5, 3.25]


def test_run_keeps_same_named_columns_and_typed_empty_results():
    got = run("SELECT 1 AS a, 2 AS a")
    assert list(got.columns) == ["a", "a"] and got.iloc[0].tolist() == [1, 2]
    empty = run("SELECT * FROM t WHERE x > 5", t=pd.DataFrame({"x": [1], "y": ["文字"]}))
    assert len(empty) == 0 and empty["x"].dtype == "int64" and pd.api.types.is_string_dtype(empty["y"].dtype)


def test_run_keeps_ids_as_text_when_reading_csv(tmp_path):
    (tmp_path / "orders.csv").write_text("order_id,customer_id,amount\n00123,007,1.5\n00124,008,2\n", encoding="utf-8")
    got = run("SELECT * FROM orders ORDER BY order_id", orders=tmp_path / "orders.csv")
    assert list(got["order_id"]) == ["00123", "00124"] and list(got["customer_id"]) == ["007", "008"]


def test_run_does_not_read_variables_from_the_callers_scope():
    secret = pd.DataFrame({"a": [1]})  # noqa: F841 - DuckDB 不能自己找到这个变量
    with pytest.raises(ValueError, match="表 secret 不存在") as exc:
        run("SELECT * FROM secret", orders=pd.DataFrame({"x": [1]}))
    assert "已登记的表：orders" in str(exc.value) and "DuckDB 的原话" in str(exc.value)


@pytest.mark.parametrize("query, message", [
    ("SELECT nope FROM orders", "列 nope 不存在"),
    ("SELECT * FROM order_list", "表 order_list 不存在"),
    ("SELEC * FROM orders", "语法错误，在“SELEC”附近"),
    ("SELECT CAST(customer_id AS INTEGER) FROM orders", "不能转换成"),
    ("CREATE TABLE t AS SELECT 1", "没有返回结果表"),
])
def test_run_errors_are_chinese_and_keep_duckdbs_words(query, message):
    orders = pd.DataFrame({"customer_id": ["a"], "amount": [1.0]})
    with pytest.raises(ValueError, match=message):
        run(query, orders=orders)


@pytest.mark.parametrize("source, message", [
    ("no_such_file.csv", "文件找不到：no_such_file.csv"),
    (".", "却是一个文件夹"),
    ("pyproject.toml", "不是 CSV（.csv）或 Parquet"),
    (3, "应是一张 pandas 表，或 CSV / Parquet 文件的路径"),
])
def test_run_bad_tables(source, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        run("SELECT 1", orders=source)
    with pytest.raises(ValueError, match="表名"):
        run("SELECT 1", **{"order-list": pd.DataFrame({"a": [1]})})


# ---------------------------------------------------------------------------
# engine="duckdb"：表或文件，结果和 pandas 引擎相同
# ---------------------------------------------------------------------------
def test_engine_duckdb_on_frames_equals_pandas(shop):
    want = customer_summary(shop.orders, shop.items, shop.customers, as_of=shop.today, products=shop.products)
    got = customer_summary(shop.orders, shop.items, shop.customers, as_of=shop.today, products=shop.products,
                           engine="duckdb")
    assert_frame_equal(got, want)
    assert got.attrs["product_titles"] == want.attrs["product_titles"]
    got = rfm_score_duckdb(shop.orders, shop.today)
    want = rfm_score(shop.orders, shop.today)
    assert_frame_equal(got, want)
    assert got.attrs["as_of"] == want.attrs["as_of"]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("as_path", [str, lambda p: p])
def test_engine_duckdb_reads_files(health, tmp_path, fmt, as_path):
    paths = {}
    for name in ("orders", "items", "customers"):
        path = tmp_path / f"{name}.{fmt}"
        table = getattr(health, name)
        table.to_csv(path, index=False) if fmt == "csv" else table.to_parquet(path)
        paths[name] = as_path(path)
    got = customer_summary(paths["orders"], paths["items"], paths["customers"], as_of=health.today, engine="duckdb")
    want = customer_summary(health.orders, health.items, health.customers, as_of=health.today)
    assert_frame_equal(got[list(SUMMARY_COLUMNS)], want[list(SUMMARY_COLUMNS)])
    assert list(got.columns) == list(want.columns)
    assert (got["phone"].fillna("") == want["phone"].fillna("")).all()
    assert_frame_equal(rfm_score_duckdb(paths["orders"], health.today), rfm_score(health.orders, health.today))


def test_engine_duckdb_keeps_the_customer_tables_order(tmp_path):
    orders = pd.DataFrame({"order_id": ["1", "2", "3"], "customer_id": ["b", "z", "a"],
                           "order_time": pd.to_datetime(["2018-01-01", "2018-01-02", "2018-01-03"]),
                           "amount": [10.0, 20.0, 30.0]})
    customers = pd.DataFrame({"customer_id": ["c", "a", "b"], "city": ["上海", "杭州", "北京"]})
    want = customer_summary(orders, customers=customers)
    assert list(want.index) == ["c", "a", "b", "z"]
    assert_frame_equal(customer_summary(orders, customers=customers, engine="duckdb"), want)
    customers.to_csv(tmp_path / "customers.csv", index=False)
    got = customer_summary(orders, customers=tmp_path / "customers.csv", engine="duckdb")
    assert list(got.index) == ["c", "a", "b", "z"]


def test_engine_duckdb_checks_files(tmp_path, health):
    orders = health.orders.copy()
    orders.loc[5, "amount"] = -3.0
    orders.to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(ValueError, match=r"订单表（文件 .*bad\.csv）的 amount 列有负数金额，?.*共 1 行"):
        customer_summary(tmp_path / "bad.csv", engine="duckdb")
    health.orders.drop(columns="amount").to_parquet(tmp_path / "no_amount.parquet")
    with pytest.raises(ValueError, match="缺少必需的列：amount"):
        rfm_score_duckdb(tmp_path / "no_amount.parquet", health.today)
    pd.concat([health.customers.head(3), health.customers.head(1)]).to_csv(tmp_path / "dup.csv", index=False)
    with pytest.raises(ValueError, match="customer_id 列有重复编号"):
        customer_summary(health.orders, customers=tmp_path / "dup.csv", engine="duckdb")
    with pytest.raises(ValueError, match="文件找不到"):
        customer_summary(tmp_path / "missing.parquet", engine="duckdb")
    with pytest.raises(ValueError, match="engine 只能是"):
        customer_summary(health.orders, engine="polars")
    with pytest.raises(ValueError, match="engine='duckdb'"):
        customer_summary(str(tmp_path / "bad.csv"))


def test_engine_duckdb_checks_frames_like_pandas(health):
    orders = health.orders.copy()
    orders.loc[3, "order_time"] = None
    with pytest.raises(ValueError, match="order_time 列有空的日期"):
        summary_duckdb(orders)
    with pytest.raises(ValueError, match="缺少必需的列"):
        summary_duckdb(health.items)


# ---------------------------------------------------------------------------
# 平均订单价：在“分”上四舍五入（half up），和 DuckDB 的 ROUND 一样
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("amounts, want", [
    ((308.18, 308.19), 308.19),        # 308.185 → 308.19（以前是 308.18）
    ((0.01, 0.02), 0.02),              # 0.015 → 0.02
    ((100.00, 100.01), 100.01),        # 100.005 → 100.01
    ((1.00, 1.00, 1.01), 1.0),         # 1.00333… → 1.00
    ((0.01, 0.01, 0.02, 0.02), 0.02),  # 0.015 → 0.02
    ((241.70 / 3, 241.70 / 3, 241.70 / 3), 80.57),
])
def test_avg_order_value_rounds_half_up_to_the_fen(amounts, want):
    orders = pd.DataFrame({"order_id": [str(i) for i in range(len(amounts))], "customer_id": "A",
                           "order_time": pd.Timestamp("2018-01-01"), "amount": list(amounts)})
    summary = customer_summary(orders)
    assert summary.loc["A", "avg_order_value"] == want
    assert summary_frame(run(customer_summary_sql(with_items=False, with_customers=False),
                             orders=orders)).loc["A", "avg_order_value"] == want


def test_average_fen_is_exact_integer_rounding():
    total = np.array([61637, 3, 10001, 5, 0, 7])
    count = np.array([2, 2, 2, 3, 0, 0])
    got = average_fen(total, count)
    assert list(got[:4]) == [30819.0, 2.0, 5001.0, 2.0] and np.isnan(got[4:]).all()
    assert list(average_fen(pd.Series([7, 9]), pd.Series([2, 2]))) == [4.0, 5.0]
    with pytest.raises(ValueError, match="负数"):
        average_fen(np.array([-1]), np.array([1]))
    with pytest.raises(ValueError, match="一样长"):
        average_fen(np.array([1, 2]), np.array([1]))
    with pytest.raises(ValueError, match="应是整数"):
        average_fen(["a"], [1])


def test_rule_objects_render_their_own_sql():
    """规则对象自己的 to_sql 就是 helpers.sql 的生成函数（每种方言都一样）。"""
    from helpers import TEXTBOOK_RFM, RFMTable
    from helpers.lifecycle import LifecycleRule
    from helpers.sql import lifecycle_sql, rfm_sql, vip_sql
    from helpers.vip import TEXTBOOK_VIP_TIERS, tiers_sql

    day = "2018-12-10"
    assert TEXTBOOK_RFM.to_sql(day) == rfm_sql(day)
    table = RFMTable(recency_months=(1, 2, 3, 6, 12), frequency_min=(5, 4, 3, 2, 1),
                     monetary_min=(2000, 1000, 500, 200, 0))
    assert table.to_sql(day, dialect="spark") == rfm_sql(day, table, dialect="spark")
    assert LifecycleRule(30, 2).to_sql(day, dialect="spark") == lifecycle_sql(day, LifecycleRule(30, 2), dialect="spark")
    assert tiers_sql(TEXTBOOK_VIP_TIERS, day, dialect="hive") == vip_sql(TEXTBOOK_VIP_TIERS, day, dialect="hive")


def test_rfm_score_takes_engine_duckdb_and_files(tmp_path):
    from helpers import load_shop, rfm_score

    shop = load_shop("xiayi")
    by_pandas = rfm_score(shop.orders, shop.today)
    pd.testing.assert_frame_equal(rfm_score(shop.orders, shop.today, engine="duckdb"), by_pandas)
    path = tmp_path / "订单 表.parquet"
    shop.orders.to_parquet(path)
    pd.testing.assert_frame_equal(rfm_score(path, shop.today, engine="duckdb"), by_pandas)
    with pytest.raises(ValueError, match="engine='duckdb'"):
        rfm_score(path, shop.today)
    with pytest.raises(ValueError, match="engine 只能是"):
        rfm_score(shop.orders, shop.today, engine="spark")

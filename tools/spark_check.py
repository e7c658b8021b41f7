"""可选检查：在本机的 Spark（local 模式）上运行工作簿规则的 Spark SQL，结果要和 pandas 函数一模一样。

公司的数据仓库多半用 Spark SQL / Hive。这里把三家教学店铺的 CSV 读进 Spark，按 load_shop 的“今天”
截断（今天零点以前的订单、注册的客户、这些订单的明细），再运行 to_dialect(..., "spark") 翻译出的五条查询
（客户汇总、自定义分组、RFM-PGSB、店铺VIP、生命周期），和 pandas 函数的结果逐行逐列比较。

需要 Java 17 和 pyspark 4，它们不在默认的测试环境里（默认的 make test 不跑这个检查）：
    python -m venv .venv-spark
    .venv-spark/bin/pip install -e ".[spark]"
    .venv-spark/bin/python tools/spark_check.py            # 三家店铺
    .venv-spark/bin/python tools/spark_check.py health     # 只查一家
全部相同时退出码为 0，有不同时为 1。
"""
from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from pandas.testing import assert_frame_equal, assert_series_equal  # noqa: E402

from helpers import Segment, customer_summary, load_shop, rfm_score, vip_tier  # noqa: E402
from helpers.data import SHOPS, datasets_dir  # noqa: E402
from helpers.lifecycle import lifecycle_stages  # noqa: E402
from helpers.sql import (customer_summary_sql, lifecycle_frame, lifecycle_sql, rfm_frame, rfm_sql,  # noqa: E402
                         summary_frame, to_dialect, vip_frame, vip_sql)
from helpers.summary import SUMMARY_COLUMNS  # noqa: E402

# CSV 各列在 Spark 里的类型（没列出的列按文字读）
SPARK_TYPES = {"order_time": "TIMESTAMP_NTZ", "amount": "DOUBLE", "quantity": "BIGINT", "age": "BIGINT",
               "points": "BIGINT", "sms_opt_out": "INT", "email_opt_out": "INT", "register_date": "DATE",
               "card_claimed_date": "DATE"}


def start_spark():
    """本机的 Spark：2 个核，时刻不带时区（TIMESTAMP_NTZ），结果经 Arrow 交给 pandas。"""
    import warnings

    from pyspark.sql import SparkSession

    # pyspark 4.3 对 pandas 3 只给出“尚未完全支持”的提醒；这里用到的 toPandas 结果已逐列比较过
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    return (SparkSession.builder.master("local[2]").appName("crm-workbook-spark-check")
            .config("spark.sql.session.timeZone", "Asia/Shanghai")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate())


def register_shop(spark, name: str) -> pd.Timestamp:
    """把一家店铺的 orders、items、customers 三个 CSV 登记成 Spark 的临时视图，按店铺的“今天”截断。"""
    today = pd.Timestamp(SHOPS[name].today)
    folder = datasets_dir() / name
    for table in ("orders", "items", "customers"):
        path = folder / f"{table}.csv"
        with open(path, encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f))
        schema = ", ".join(f"`{c}` {SPARK_TYPES.get(c, 'STRING')}" for c in header)
        (spark.read.schema(schema).option("header", True).option("encoding", "UTF-8").csv(str(path))
         .createOrReplaceTempView(f"{table}_csv"))
    day = f"DATE '{today.date()}'"
    spark.sql(f"SELECT * FROM orders_csv WHERE order_time < {day}").createOrReplaceTempView("orders")
    spark.sql(f"SELECT * FROM customers_csv WHERE register_date < {day}").createOrReplaceTempView("customers")
    spark.sql("SELECT * FROM items_csv WHERE order_id IN (SELECT order_id FROM orders)").createOrReplaceTempView("items")
    return today


def checks(shop):
    """(名字, Spark SQL, 把结果整理成 pandas 表, 和 pandas 函数比较)。"""
    summary = customer_summary(shop.orders, shop.items, shop.customers, as_of=shop.today)

    def same_summary(got):
        assert_frame_equal(got[list(SUMMARY_COLUMNS)], summary[list(SUMMARY_COLUMNS)])
        assert list(got.columns) == list(summary.columns)

    def same_rfm(got):
        assert_frame_equal(got, rfm_score(shop.orders, shop.today))

    def same_vip(got):
        assert_series_equal(got["vip_tier"], vip_tier(summary))

    def same_lifecycle(got):
        assert_frame_equal(got, lifecycle_stages(shop.customers, shop.orders, shop.today))

    # 自定义分组：仓库里没有现成的汇总表，用 WITH 把客户汇总的 SQL 接在分组的 SQL 前面
    buyers = summary[summary["order_count"] > 0]
    segment = Segment("检查", min_orders=2, gender="女", last_order_after=shop.today - pd.DateOffset(months=3),
                      products=[buyers["products"].explode().value_counts().index[0]],
                      regions=[buyers["province"].value_counts().index[0]])
    segment_query = to_dialect("WITH customer_summary AS (\n" + customer_summary_sql(shop.today) + "\n)\n"
                               + segment.to_sql(), "spark")

    def same_segment(got):
        assert list(got["customer_id"]) == sorted(segment.select(summary).index)

    return [("客户汇总", customer_summary_sql(shop.today, dialect="spark"), summary_frame, same_summary),
            ("自定义分组", segment_query, lambda raw: raw, same_segment),
            ("RFM-PGSB", rfm_sql(shop.today, dialect="spark"), rfm_frame, same_rfm),
            ("店铺VIP", vip_sql(as_of=shop.today, dialect="spark"), vip_frame, same_vip),
            ("生命周期", lifecycle_sql(shop.today, dialect="spark"), lifecycle_frame, same_lifecycle)]


def run_checks(names=None, spark=None) -> list[dict]:
    """逐家店铺、逐条查询运行并比较，返回每一条的结果（店铺、查询、行数、秒数、是否相同、差别）。"""
    names = list(names or SHOPS)
    own = spark is None
    started = time.perf_counter()
    spark = spark or start_spark()
    spark.sparkContext.setLogLevel("ERROR")
    rows = [{"店铺": "（启动 Spark）", "查询": "", "行数": 0, "秒": time.perf_counter() - started, "相同": True,
             "差别": ""}]
    try:
        for name in names:
            shop = load_shop(name)
            register_shop(spark, name)
            for title, query, shape, compare in checks(shop):
                t0 = time.perf_counter()
                raw = spark.sql(query).toPandas()
                seconds = time.perf_counter() - t0
                try:
                    compare(shape(raw))
                    ok, why = True, ""
                except AssertionError as exc:
                    ok, why = False, " ".join(str(exc).split())[:300]
                rows.append({"店铺": name, "查询": title, "行数": len(raw), "秒": seconds, "相同": ok, "差别": why})
    finally:
        if own:
            spark.stop()
    return rows


def main(argv=None) -> int:
    names = (argv if argv is not None else sys.argv[1:]) or list(SHOPS)
    unknown = [n for n in names if n not in SHOPS]
    if unknown:
        print(f"没有这些店铺：{'、'.join(unknown)}。可选：{'、'.join(SHOPS)}。")
        return 2
    try:
        import pyspark
    except ImportError:
        print("没有安装 pyspark：请在单独的环境里 pip install -e \".[spark]\"（需要 Java 17）。")
        return 2
    print(f"pyspark {pyspark.__version__}，pandas {pd.__version__}")
    rows = run_checks(names)
    for row in rows:
        verdict = "相同" if row["相同"] else f"不同：{row['差别']}"
        print(f"{row['店铺']:<12}{row['查询']:<10}{row['行数']:>8,} 行  {row['秒']:6.2f} 秒  {verdict}")
    failed = [r for r in rows if not r["相同"]]
    print(f"共 {len(rows) - 1} 条查询，{len(rows) - 1 - len(failed)} 条和 pandas 相同，{len(failed)} 条不同。")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

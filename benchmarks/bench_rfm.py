"""基准：rfm_score 与同一套规则的 DuckDB SQL 在同一进程、同一张表上的耗时对比。

运行：make bench（或 .venv/bin/python benchmarks/bench_rfm.py）
要求（issue 13）：pandas 版本不慢于 DuckDB 的 1.2 倍（比值 ≤ 1.2）。DuckDB 这边是手写的 SQL（金额按浮点数取整到分），
比工作簿自己的 SQL 视图（helpers.sql.rfm_sql，按十进制精确到分）快一些；两者的对比见 bench_sql.py。
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import big_orders  # noqa: E402

from helpers import TEXTBOOK_RFM, rfm_score  # noqa: E402

AS_OF = pd.Timestamp("2018-12-10")


def duckdb_rfm(con, as_of: pd.Timestamp) -> pd.DataFrame:
    """同一套教材规则写成 SQL：评估期、自然月 R 分档、F 分档、以分为单位的 M 半开区间、1R+3F+4M。"""
    cut = [(as_of - pd.DateOffset(months=m)).date() for m in TEXTBOOK_RFM.recency_months]
    f5, f4, f3, f2, _ = TEXTBOOK_RFM.frequency_min
    m5, m4, m3, m2, _ = [int(m * 100) for m in TEXTBOOK_RFM.monetary_min]
    end = (as_of + pd.Timedelta(days=1)).date()
    sql = f"""
    WITH agg AS (
      SELECT customer_id, max(order_time) AS last_order, count(*) AS frequency,
             sum(CAST(round(amount * 100) AS BIGINT)) AS monetary_fen
      FROM orders
      WHERE order_time >= DATE '{cut[4]}' AND order_time < DATE '{end}'
      GROUP BY customer_id
    ), scored AS (
      SELECT *, CAST(last_order AS DATE) AS last_day,
        CASE WHEN CAST(last_order AS DATE) >= DATE '{cut[0]}' THEN 5
             WHEN CAST(last_order AS DATE) >= DATE '{cut[1]}' THEN 4
             WHEN CAST(last_order AS DATE) >= DATE '{cut[2]}' THEN 3
             WHEN CAST(last_order AS DATE) >= DATE '{cut[3]}' THEN 2 ELSE 1 END AS R,
        CASE WHEN frequency >= {f5} THEN 5 WHEN frequency >= {f4} THEN 4 WHEN frequency >= {f3} THEN 3
             WHEN frequency >= {f2} THEN 2 ELSE 1 END AS F,
        CASE WHEN monetary_fen >= {m5} THEN 5 WHEN monetary_fen >= {m4} THEN 4 WHEN monetary_fen >= {m3} THEN 3
             WHEN monetary_fen >= {m2} THEN 2 ELSE 1 END AS M
      FROM agg
    )
    SELECT customer_id, last_order, date_diff('day', last_day, DATE '{as_of.date()}') AS recency_days,
           frequency, monetary_fen / 100.0 AS monetary, R, F, M, R + 3 * F + 4 * M AS score,
           CASE WHEN R + 3 * F + 4 * M >= 36 THEN 'P' WHEN R + 3 * F + 4 * M >= 26 THEN 'G'
                WHEN R + 3 * F + 4 * M >= 17 THEN 'S' ELSE 'B' END AS level
    FROM scored ORDER BY customer_id
    """
    return con.execute(sql).df().set_index("customer_id")


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main(n_customers: int = 150_000, n_orders: int = 1_000_000, repeat: int = 9) -> float:
    t0 = time.perf_counter()
    orders = big_orders(n_customers, n_orders)
    print(f"生成 {n_customers:,} 位客户、{n_orders:,} 笔订单：{time.perf_counter() - t0:.1f} 秒")
    con = duckdb.connect()
    con.register("orders", orders)
    ours = rfm_score(orders, AS_OF)
    theirs = duckdb_rfm(con, AS_OF)
    for col in ("frequency", "R", "F", "M", "score", "recency_days"):
        assert np.array_equal(ours[col].to_numpy(), theirs[col].to_numpy().astype("int64")), col
    assert np.array_equal(ours["level"].astype(str).to_numpy(), theirs["level"].to_numpy())
    assert np.allclose(ours["monetary"].to_numpy(), theirs["monetary"].to_numpy())
    print(f"两种实现结果一致：{len(ours):,} 位客户被打分。")
    ours_best, ours_med = best_of(lambda: rfm_score(orders, AS_OF), repeat)
    duck_best, duck_med = best_of(lambda: duckdb_rfm(con, AS_OF), repeat)
    ratio = ours_best / duck_best
    print(f"rfm_score（pandas）：最快 {ours_best * 1000:.0f} 毫秒，中位 {ours_med * 1000:.0f} 毫秒")
    print(f"DuckDB SQL：        最快 {duck_best * 1000:.0f} 毫秒，中位 {duck_med * 1000:.0f} 毫秒")
    print(f"比值 pandas / DuckDB（最快的一次相比）= {ratio:.2f}（要求 ≤ 1.2：{'达到' if ratio <= 1.2 else '没达到'}）")
    return ratio


if __name__ == "__main__":
    main()

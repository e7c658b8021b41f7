"""基准：rfm_score 和 customer_summary，pandas 引擎和 DuckDB 引擎（engine="duckdb"），大店铺上的耗时和内存峰值。

店铺按需生成（15 万客户 / 100 万订单，150 万客户 / 1,000 万订单，都带商品明细和客户表），存成 Parquet 放在
benchmarks/_data/（不提交；可用环境变量 CRM_BENCH_DATA 改到别处），第二次运行直接复用。
每一项在单独的进程里测，内存峰值（进程的最大常驻内存）才只算这一项：
  pandas 引擎：先用 pandas 读 Parquet，再调用函数（读入耗时单独列出）；
  DuckDB（表）：同样先读进 pandas，再 engine="duckdb"（DuckDB 原地扫描 pandas 表）；
  DuckDB（文件）：engine="duckdb"，直接给 Parquet 文件路径，不经过 pandas。
  polars（Parquet 文件）：装了 polars 时，用 polars 直接读同样的 Parquet 文件做同样的计算（只作对照）。
几种做法的结果逐行逐列比较，必须相同；最后一行是 pandas 引擎和 DuckDB（同样的表）的耗时、内存之比。

运行：
    .venv/bin/python benchmarks/bench_sql.py              # 100 万订单
    .venv/bin/python benchmarks/bench_sql.py --orders 10000000
    .venv/bin/python benchmarks/bench_sql.py --orders 1000000 --orders 10000000 --csv   # 也测 CSV 文件
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

AS_OF = "2018-12-10"
PRODUCT_NAMES = [f"商品{i:03d}" for i in range(300)]
SIZES = {1_000_000: 150_000, 10_000_000: 1_500_000}     # 订单数 → 客户数（和第 13 课的大店铺一样）


def data_dir(n_orders: int) -> Path:
    root = Path(os.environ.get("CRM_BENCH_DATA", HERE / "_data"))
    return root / f"sql_{n_orders}"


def generate(n_orders: int, csv: bool = False) -> Path:
    """生成一家大店铺（orders、items、customers 三个 Parquet 文件；csv=True 时另存 CSV），已有时直接用。"""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from synthetic import big_orders

    folder = data_dir(n_orders)
    done = folder / "done.txt"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        n_customers = SIZES.get(n_orders, max(n_orders // 7, 1))
        t0 = time.perf_counter()
        orders = big_orders(n_customers, n_orders)
        rng = np.random.RandomState(11)
        lines = rng.choice([1, 2], size=n_orders, p=[0.5, 0.5])            # 每单 1–2 行，平均 1.5 行
        order_pos = np.repeat(np.arange(n_orders), lines)
        items = pa.table({
            "order_id": pa.array(orders["order_id"].to_numpy(dtype=object)).take(pa.array(order_pos)),
            "product": pa.array(PRODUCT_NAMES).take(pa.array(rng.randint(0, len(PRODUCT_NAMES), len(order_pos)))),
            "quantity": pa.array(rng.randint(1, 4, len(order_pos)), pa.int64()),
            "amount": pa.array(np.round(orders["amount"].to_numpy()[order_pos] / lines[order_pos], 2)),
        })
        register = pd.Timestamp("2016-01-01") + pd.to_timedelta(rng.randint(0, 1000, n_customers), unit="D")
        customers = pd.DataFrame({
            "customer_id": pd.Series(np.arange(n_customers)).map("C{:07d}".format),
            "gender": rng.choice(["女", "男"], n_customers),
            "province": rng.choice(["上海", "浙江", "江苏", "广东", "北京"], n_customers),
            "register_date": register,
        })
        pq.write_table(pa.Table.from_pandas(orders, preserve_index=False), folder / "orders.parquet")
        pq.write_table(items, folder / "items.parquet")
        pq.write_table(pa.Table.from_pandas(customers, preserve_index=False), folder / "customers.parquet")
        done.write_text(f"{n_customers} 位客户，{n_orders} 笔订单，{len(order_pos)} 行明细\n", encoding="utf-8")
        print(f"生成 {done.read_text(encoding='utf-8').strip()}：{time.perf_counter() - t0:.0f} 秒（{folder}）")
    if csv and not (folder / "orders.csv").exists():
        import duckdb

        for name in ("orders", "items", "customers"):
            duckdb.sql(f"COPY (SELECT * FROM read_parquet('{(folder / name).as_posix()}.parquet')) "
                       f"TO '{(folder / name).as_posix()}.csv' (HEADER)")
    return folder


# ---------------------------------------------------------------------------
# polars：同样的计算，直接读同样的 Parquet 文件（只用来对照，工作簿本身不依赖 polars）
# ---------------------------------------------------------------------------
def have_polars() -> bool:
    import importlib.util

    return importlib.util.find_spec("polars") is not None


def _polars_fen(pl, column: str):
    """元 → 整数分，四舍五入（half up，和 helpers.money.to_fen 一样先按 6 位小数收掉浮点噪声）。"""
    scaled = (pl.col(column) * 100).round(6)
    return (scaled.sign() * (scaled.abs() + 0.5).floor()).cast(pl.Int64)


def _polars_yuan(pl, fen):
    """整数分 → 元。polars 的 fen / 100 和 numpy 的除法差最后一位（像是乘以 0.01），所以经过小数类型，结果和 pandas 一样。"""
    return (fen.cast(pl.Decimal(22, 2)) / 100).cast(pl.Float64)


def polars_rfm(folder: Path):
    """rfm_score(orders, AS_OF) 的 polars 写法（教材的评分表、权重和等级）。"""
    import pandas as pd
    import polars as pl

    from helpers.money import to_fen
    from helpers.rfm import TEXTBOOK_LEVELS, TEXTBOOK_RFM, TEXTBOOK_WEIGHTS

    day = pd.Timestamp(AS_OF)
    start = day - pd.DateOffset(months=TEXTBOOK_RFM.period_months)
    cutoffs = [(day - pd.DateOffset(months=m)).date() for m in TEXTBOOK_RFM.recency_months]

    def score(expr, bounds):
        out = pl.lit(0)
        for points, bound in zip((1, 2, 3, 4, 5), reversed(bounds)):       # 从 1 分往上，满足的覆盖前面的
            out = pl.when(expr >= bound).then(points).otherwise(out)
        return out.cast(pl.Int64)

    w_r, w_f, w_m = TEXTBOOK_WEIGHTS
    total = w_r * pl.col("R") + w_f * pl.col("F") + w_m * pl.col("M")
    level = pl.lit(TEXTBOOK_LEVELS[-1][1])
    for low, name in reversed(TEXTBOOK_LEVELS[:-1]):
        level = pl.when(pl.col("score") >= low).then(pl.lit(name)).otherwise(level)
    return (pl.scan_parquet(folder / "orders.parquet")
            .filter((pl.col("order_time") >= start) & (pl.col("order_time") < day + pd.Timedelta(days=1)))
            .group_by("customer_id")
            .agg(last_order=pl.col("order_time").max(), frequency=pl.len().cast(pl.Int64),
                 monetary_fen=_polars_fen(pl, "amount").sum())
            .with_columns(recency_days=(pl.lit(day.date()) - pl.col("last_order").dt.date()).dt.total_days())
            .with_columns(R=score(pl.col("last_order").dt.date(), cutoffs),
                          F=score(pl.col("frequency"), list(TEXTBOOK_RFM.frequency_min)),
                          M=score(pl.col("monetary_fen"), [to_fen(m) for m in TEXTBOOK_RFM.monetary_min]),
                          monetary=_polars_yuan(pl, pl.col("monetary_fen")))
            .with_columns(score=total.cast(pl.Int64))
            .with_columns(level=level)
            .select("customer_id", "last_order", "recency_days", "frequency", "monetary", "R", "F", "M", "score", "level")
            .sort("customer_id")
            .collect())


def polars_summary(folder: Path):
    """customer_summary(orders, items, customers, as_of=AS_OF) 的 polars 写法：客户表的客户按原顺序，
    其后是客户表里没有的买家（按编号）。"""
    import pandas as pd
    import polars as pl

    day = pd.Timestamp(AS_OF)
    orders = (pl.scan_parquet(folder / "orders.parquet")
              .filter(pl.col("order_time") < day + pd.Timedelta(days=1))
              .with_columns(amount_fen=_polars_fen(pl, "amount")))
    per_customer = orders.group_by("customer_id").agg(
        order_count=pl.len().cast(pl.Int64), total_fen=pl.col("amount_fen").sum(),
        first_order=pl.col("order_time").min(), last_order=pl.col("order_time").max())
    lines = (pl.scan_parquet(folder / "items.parquet").select("order_id", "product", "quantity")
             .join(orders.select("order_id", "customer_id"), on="order_id", how="inner")
             .group_by("customer_id")
             .agg(item_count=pl.col("quantity").sum(), products=pl.col("product").unique().sort()))
    customers = pl.scan_parquet(folder / "customers.parquet").with_columns(pl.col("customer_id").str.strip_chars())
    listed = customers.select("customer_id").with_row_index("row")
    buyers = per_customer.select("customer_id").join(listed, on="customer_id", how="anti").sort("customer_id")
    count = pl.col("order_count").fill_null(0)
    total = pl.col("total_fen").fill_null(0)
    out = (pl.concat([listed.select("customer_id"), buyers])
           .join(per_customer, on="customer_id", how="left", maintain_order="left")
           .join(lines, on="customer_id", how="left", maintain_order="left")
           .with_columns(order_count=count, total_amount=_polars_yuan(pl, total),
                         avg_order_value=pl.when(count > 0).then(_polars_yuan(pl, (2 * total + count) // (2 * count))),
                         item_count=pl.col("item_count").fill_null(0),
                         products=pl.col("products").fill_null(pl.lit([], dtype=pl.List(pl.String))),
                         recency_days=(pl.lit(day.date()) - pl.col("last_order").dt.date()).dt.total_days())
           .select("customer_id", "order_count", "total_amount", "avg_order_value", "item_count", "first_order",
                   "last_order", "recency_days", "products")
           .join(customers, on="customer_id", how="left", maintain_order="left"))
    return out.collect()


# ---------------------------------------------------------------------------
# 单独进程里的一项测量
# ---------------------------------------------------------------------------
def _rss() -> int:
    import psutil

    return psutil.Process().memory_info().rss


def peak_rss() -> int:
    """本进程到目前为止的最大常驻内存（字节）。

    Linux 上读 /proc/self/status 的 VmHWM：它只算这个进程自己；getrusage 的 ru_maxrss 会把 fork 时
    父进程的内存也算进来（父进程刚生成完 1,000 万笔订单时，子进程一开始就“用过”好几 GB）。
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    import resource                     # Windows 没有这个模块（那里也没有 /proc）

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024                # macOS 是字节，其余是 KB


def worker(task: str, how: str, folder: Path, out: Path) -> dict:
    """在本进程里测一项：task = summary / rfm，how = pandas / duckdb-frames / duckdb-parquet / duckdb-csv。"""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from helpers import customer_summary, rfm_score
    from helpers.sql import rfm_score_duckdb

    base = _rss()
    load = 0.0
    if how == "polars":                 # 直接读 Parquet 文件（和 DuckDB（文件）一样，耗时里含读文件）
        t0 = time.perf_counter()
        result = polars_summary(folder) if task == "summary" else polars_rfm(folder)
        seconds = time.perf_counter() - t0
        peak = peak_rss()
        pq.write_table(result.to_arrow(), out)
        return {"task": task, "how": how, "seconds": seconds, "load": load, "rows": len(result),
                "base": base, "before": base, "peak": peak}
    names = ("orders", "items", "customers") if task == "summary" else ("orders",)
    if how in ("pandas", "duckdb-frames"):
        t0 = time.perf_counter()
        tables = [pd.read_parquet(folder / f"{n}.parquet") for n in names]
        load = time.perf_counter() - t0
    else:
        ext = "csv" if how == "duckdb-csv" else "parquet"
        tables = [folder / f"{n}.{ext}" for n in names]
    before = _rss()
    engine = "pandas" if how == "pandas" else "duckdb"
    t0 = time.perf_counter()
    if task == "summary":
        result = customer_summary(*tables, as_of=AS_OF, engine=engine)
    elif engine == "pandas":
        result = rfm_score(tables[0], AS_OF)
    else:
        result = rfm_score_duckdb(tables[0], AS_OF)
    seconds = time.perf_counter() - t0
    peak = peak_rss()
    pq.write_table(pa.Table.from_pandas(result.reset_index(), preserve_index=False), out)
    return {"task": task, "how": how, "seconds": seconds, "load": load, "rows": len(result),
            "base": base, "before": before, "peak": peak}


def measure(task: str, how: str, folder: Path) -> dict:
    out = folder / f"result_{task}_{how}.parquet"
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", task, how, str(folder), str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{task} / {how} 失败：\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]) | {"result": str(out)}


HOW = {"pandas": "pandas 引擎（表）", "duckdb-frames": "DuckDB（同样的表）", "duckdb-parquet": "DuckDB（Parquet 文件）",
       "duckdb-csv": "DuckDB（CSV 文件）", "polars": "polars（Parquet 文件）"}
TASK = {"rfm": "rfm_score", "summary": "customer_summary"}


def same_result(path_a: str, path_b: str) -> bool:
    """两份结果（Parquet）逐行逐列相同；客户表的注册日期只比较日期值（各种读法的时间精度不同）。"""
    import pyarrow as pa
    import pyarrow.parquet as pq

    a, b = pq.read_table(path_a), pq.read_table(path_b)
    if a.column_names != b.column_names or a.num_rows != b.num_rows:
        return False
    for name in a.column_names:
        x, y = a[name], b[name]
        if pa.types.is_dictionary(x.type):             # 分类（等级）按文字比较，和类别的排列无关
            x = x.cast(x.type.value_type)
        if pa.types.is_dictionary(y.type):
            y = y.cast(y.type.value_type)
        if name == "register_date":
            x, y = x.cast("date32"), y.cast("date32")
        elif x.type != y.type:
            y = y.cast(x.type)
        if not x.equals(y):          # 逐个值比较（和分块方式无关；pandas 的 NaN 写成 Parquet 后是空值）
            return False
    return True


def run(n_orders: int, csv: bool = False) -> list[dict]:

    folder = generate(n_orders, csv)
    print(f"\n== {n_orders:,} 笔订单：{(folder / 'done.txt').read_text(encoding='utf-8').strip()} ==")
    print(f"{'函数':<18}{'做法':<22}{'耗时（秒）':>10}{'读入（秒）':>10}{'调用前内存':>12}{'内存峰值':>10}{'结果行数':>12}")
    rows = []
    for task in ("rfm", "summary"):
        ways = ["pandas", "duckdb-frames", "duckdb-parquet"] + (["duckdb-csv"] if csv else []) \
            + (["polars"] if have_polars() else [])
        measured = []
        for how in ways:
            m = measure(task, how, folder) | {"orders": n_orders}
            measured.append(m)
            print(f"{TASK[task]:<18}{HOW[how]:<22}{m['seconds']:>10.2f}{m['load']:>10.2f}"
                  f"{m['before'] / 2**30:>10.2f} GB{m['peak'] / 2**30:>8.2f} GB{m['rows']:>12,}", flush=True)
        for m in measured[1:]:
            if not same_result(measured[0]["result"], m["result"]):
                raise AssertionError(f"{TASK[task]}：{HOW[m['how']]} 的结果和 pandas 引擎不同")
        print(f"{'':<18}{len(measured)} 种做法结果相同（{measured[0]['rows']:,} 行）")
        pandas, duck = measured[0], measured[1]
        print(f"{'':<18}pandas 引擎 ÷ DuckDB（同样的表）：耗时 {pandas['seconds'] / duck['seconds']:.2f} 倍，"
              f"内存峰值 {pandas['peak'] / duck['peak']:.2f} 倍", flush=True)
        rows += measured
    return rows


def main(sizes=(1_000_000,), csv: bool = False) -> list[dict]:
    rows = []
    for n in sizes:
        rows += run(n, csv)
    return rows


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        print(json.dumps(worker(sys.argv[2], sys.argv[3], Path(sys.argv[4]), Path(sys.argv[5]))))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, action="append", help="订单数（可写多次），默认 1000000")
    parser.add_argument("--csv", action="store_true", help="也测 DuckDB 直接读 CSV 文件")
    args = parser.parse_args()
    main(tuple(args.orders or [1_000_000]), args.csv)

"""运行全部基准测试并打印结果（python3 tools/workbook.py bench，或 make bench），最后打印一张“目标对照表”。

大店铺的订单数用环境变量 CRM_BENCH_ORDERS 选（逗号分隔），默认 100 万和 1,000 万笔：
    CRM_BENCH_ORDERS=1000000 python3 tools/workbook.py bench        # 只测 100 万笔（快得多）
讲课模式每章打开的时间要 Chromium 和 Playwright，没有时跳过那一项。
"""
from __future__ import annotations

import os
import statistics
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_grade  # noqa: E402
import bench_import  # noqa: E402
import bench_present  # noqa: E402
import bench_rfm  # noqa: E402
import bench_sql  # noqa: E402
import bench_start  # noqa: E402
import bench_widgets  # noqa: E402


def width(text: str) -> int:
    """终端里占几格：汉字和全角符号占两格。"""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(rows: list[tuple]) -> None:
    """按显示宽度对齐地打印一张表（第一行是表头）。"""
    widths = [max(width(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print("  ".join(str(cell) + " " * (w - width(str(cell))) for cell, w in zip(row, widths)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("达到" if ok else "没达到")


def goals(big: dict, rfm_ratio: float, sql_rows: list[dict], imports: list[dict], start: dict,
          grading: dict) -> list[tuple]:
    """issue 13 的目标表：每一行 (项目, 现在, 目标, 是否达到)。"""
    rows = [("项目", "现在（本机）", "目标", "结果")]
    rows.append(("rfm_score，100 万笔订单，同一进程里和手写的 DuckDB SQL 比", f"{rfm_ratio:.2f} 倍", "≤ 1.2 倍",
                 verdict(rfm_ratio <= 1.2)))
    rows.append(("分组表单刷新（含商品规则，15 万客户）", f"最慢 {big['segment']:.0f} 毫秒，建表单 {big['build']:.0f} 毫秒",
                 "≤ 100 毫秒，建表单 ≤ 500 毫秒", verdict(big["segment"] <= 100 and big["build"] <= 500)))
    rows.append(("VIP 编辑器 / RFM 探索器刷新（15 万客户）", f"最慢 {big['vip']:.0f} / {big['rfm']:.0f} 毫秒",
                 "≤ 100 毫秒（10 次里最慢的）", verdict(max(big["vip"], big["rfm"]) <= 100)))
    by = {(r["task"], r["how"], r["orders"]): r for r in sql_rows}
    for task, name in (("rfm", "rfm_score"), ("summary", "customer_summary")):
        for orders in sorted({r["orders"] for r in sql_rows}):
            pandas, duck = by.get((task, "pandas", orders)), by.get((task, "duckdb-frames", orders))
            if not pandas or not duck:
                continue
            ratio, memory = pandas["seconds"] / duck["seconds"], pandas["peak"] / duck["peak"]
            now = (f"{pandas['seconds']:.2f} 秒、{pandas['peak'] / 2**30:.2f} GB；DuckDB {duck['seconds']:.2f} 秒、"
                   f"{duck['peak'] / 2**30:.2f} GB（{ratio:.2f} 倍）")
            polars = by.get((task, "polars", orders))
            if polars:
                now += f"；polars {polars['seconds']:.2f} 秒"
            if task == "rfm" and orders >= 10_000_000:
                goal, ok = "≤ 3 秒，≤ 2 GB", pandas["seconds"] <= 3 and pandas["peak"] <= 2 * 2**30
            elif orders >= 10_000_000:
                goal, ok = "≤ DuckDB 的 1.2 倍时间，内存 ≤ DuckDB", ratio <= 1.2 and memory <= 1
            else:
                goal, ok = "≤ DuckDB 的 1.2 倍", ratio <= 1.2
            rows.append((f"{name}，{orders:,} 笔订单", now, goal, verdict(ok)))
    if imports:
        seconds = statistics.median(m["seconds"] for m in imports)
        cpu = min(m["cpu"] for m in imports)
        peak = max(m["peak"] for m in imports)
        rows.append(("read_taobao_orders，50 万行导出文件", f"中位 {seconds:.1f} 秒（CPU {cpu:.1f} 秒），{peak / 2**30:.2f} GB",
                     "≤ 10 秒，≤ 1 GB，超过 2 秒显示进度条", verdict(seconds <= 10 and peak <= 2**30)))
    cpu = start["cpu"]
    rows.append(("import helpers + load_shop（整个进程）",
                 f"比 import pandas 多 {cpu['gap']:.2f} 秒 CPU（墙钟多 {start['wall']['gap']:.2f} 秒）",
                 "≤ import pandas + 0.3 秒", verdict(cpu["gap"] <= 0.3)))
    for label, ways in (grading or {}).items():
        pool = ways.get("进程池（现在的做法）")
        if pool is not None:
            rows.append((f"批改：每份作业在学生代码之外的时间（{label}）", f"{pool:.2f} 秒", "≤ 1 秒", verdict(pool <= 1)))
    return rows


if __name__ == "__main__":
    print("== 起步：import helpers + load_shop ==")
    start = bench_start.main()
    print()
    print("== RFM：pandas 与 DuckDB（教学店铺） ==")
    rfm_ratio = bench_rfm.main()
    print()
    print("== 小部件刷新耗时（夏艺女装） ==")
    bench_widgets.main()
    print()
    print("== 小部件刷新耗时（15 万客户、100 万笔订单的大店） ==")
    big = bench_widgets.big_shop()
    print()
    print("== rfm_score 与 customer_summary：pandas、DuckDB、polars（每项单独一个进程） ==")
    sizes = os.environ.get("CRM_BENCH_ORDERS", "1000000,10000000")
    sql_rows = bench_sql.main(tuple(int(n.replace("_", "")) for n in sizes.split(",") if n.strip()))
    print()
    print("== 导入 50 万行的订单导出文件 ==")
    imports = bench_import.main()
    print()
    print("== 批改：每份作业的额外时间 ==")
    grading = bench_grade.main()
    print()
    print("== 讲课模式：每一章打开要几秒 ==")
    bench_present.main()
    print()
    print("== 目标对照（issue 13） ==")
    table(goals(big, rfm_ratio, sql_rows, imports, start, grading))

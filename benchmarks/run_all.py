"""运行全部基准测试并打印结果（make bench）。

大店铺的订单数用环境变量 CRM_BENCH_ORDERS 选（逗号分隔），默认 100 万和 1,000 万笔：
    CRM_BENCH_ORDERS=1000000 make bench        # 只测 100 万笔（约半分钟）
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_rfm  # noqa: E402
import bench_sql  # noqa: E402
import bench_widgets  # noqa: E402

if __name__ == "__main__":
    print("== RFM：pandas 与 DuckDB ==")
    bench_rfm.main()
    print()
    print("== 小部件刷新耗时（夏艺女装） ==")
    bench_widgets.main()
    print()
    print("== 小部件刷新耗时（15 万客户、100 万笔订单的大店） ==")
    bench_widgets.big_shop()
    print()
    print("== rfm_score 与 customer_summary：pandas 引擎与 DuckDB 引擎（每项单独一个进程） ==")
    sizes = os.environ.get("CRM_BENCH_ORDERS", "1000000,10000000")
    bench_sql.main(tuple(int(n.replace("_", "")) for n in sizes.split(",") if n.strip()))

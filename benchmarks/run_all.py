"""运行全部基准测试并打印结果（make bench）。"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_rfm  # noqa: E402
import bench_widgets  # noqa: E402

if __name__ == "__main__":
    print("== RFM：pandas 与 DuckDB ==")
    bench_rfm.main()
    print()
    print("== 小部件刷新耗时（夏艺女装） ==")
    bench_widgets.main()

"""基准：打开一课时的起步时间——新进程里 import helpers 并 load_shop("xiayi")，和只 import pandas 比。

两条命令轮流各运行若干次（A B A B …，机器忽快忽慢时两边受的影响一样），取中位数；
墙钟时间和进程用掉的 CPU 时间都打印，是否达到目标按 CPU 时间判断（只在 Linux / macOS 上运行）。
目标（issue 13）：import helpers + load_shop 不超过 import pandas + 0.3 秒。
另测一次不用缓存（CRM_CACHE=off，每次都读 CSV）的情况作对照。

运行：.venv/bin/python benchmarks/bench_start.py
"""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PANDAS = "import pandas"
LESSON = "import helpers; helpers.load_shop('xiayi')"
GOAL = 0.3


def _run(code: str, env: dict) -> tuple[float, float]:
    """运行一次，返回（墙钟秒数，子进程用掉的 CPU 秒数 = 用户态 + 内核态）。"""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(runs: int = 9, cache: bool = True) -> dict:
    """轮流运行两条命令 runs 次，返回两边的中位数（秒）和逐对差值的中位数。"""
    env = dict(os.environ)
    if not cache:
        env["CRM_CACHE"] = "off"
    _run(LESSON, env)                      # 预热：磁盘缓存，以及（用缓存时）第一次写好店铺缓存
    pairs = [(_run(PANDAS, env), _run(LESSON, env)) for _ in range(runs)]
    row = {}
    for k, kind in enumerate(("wall", "cpu")):
        row[kind] = {"pandas": statistics.median(a[k] for a, _ in pairs),
                     "lesson": statistics.median(b[k] for _, b in pairs),
                     "gap": statistics.median(b[k] - a[k] for a, b in pairs)}
    return row


def main(runs: int = 9) -> dict:
    cached = measure(runs, cache=True)
    cold = measure(max(runs // 3, 3), cache=False)
    for label, row in (("用缓存（平常）", cached), ("不用缓存（每次读 CSV）", cold)):
        for kind, name in (("wall", "墙钟"), ("cpu", "CPU")):
            m = row[kind]
            print(f"{label}，{name}：import pandas {m['pandas']:.2f} 秒；import helpers + load_shop "
                  f"{m['lesson']:.2f} 秒；多出 {m['gap']:.2f} 秒（逐对差值的中位数）")
    gap = cached["cpu"]["gap"]
    print(f"目标：多出的时间 ≤ {GOAL} 秒。按 CPU 时间判断（机器上还有别的程序时墙钟会被拖慢，CPU 时间不会）："
          f"{gap:.2f} 秒，{'达到' if gap <= GOAL else '没达到'}")
    return cached


if __name__ == "__main__":
    main()

"""基准：批量评分时，每份作业在学生自己的代码之外多花多少时间（问题 13：目标 ≤ 1 秒）。

做法：作业目录里放 N 份同一本参考答案，同时批改 1 份（jobs=1），调用 grade_folder（和命令行走同一条路：
批改进程、每份一个新内核、判分进程都算在内），

    每份额外用时 = (批改总用时 − N × 学生代码用时) / N

学生代码用时：每次批改之前，由批改进程在新内核里单独运行这本笔记本 3 次，取代码单元格用时的中位数
（不算启动内核）。两本作业：演示章节里最小的作业（只给变量赋值，学生代码几乎不花时间，N=8 份），
第 02 章的参考答案（真实的导入、读数据、交出表格、判分，N=6 份）。
对比两种做法：每份作业新起一个批改进程（jobs_per_worker=1：每份都重新导入 nbformat / nbclient，接近
进程池之前的做法——那时的批改进程还要多导入一次 helpers 和 pandas）和进程池（每个批改进程只导入一次）。

运行：make bench（或 .venv/bin/python benchmarks/bench_grade.py）
另一份工作簿（例如 git worktree 出来的旧版本）也可以一起比：python benchmarks/bench_grade.py --before 目录
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers.course.chapters import CHAPTERS  # noqa: E402

TARGET = 1.0                 # 问题 13 的目标：每份额外用时 ≤ 1 秒
TIMEOUT = 300                # 每份作业的学生代码最多运行多少秒（基准里不该碰到）

# 在子进程里批改一次（PYTHONPATH 指向要测的那份工作簿），打印 {"seconds": 总用时}
_GRADE = """
import json, sys, time
from pathlib import Path
from helpers.course.grade import grade_folder
folder, chapter, kwargs = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
start = time.monotonic()
grades, _ = grade_folder(Path(folder), chapter, echo=lambda *a: None, **kwargs)
seconds = time.monotonic() - start
print(json.dumps({"seconds": seconds, "status": sorted(set(grades["状态"])), "total": float(grades["总分"].sum())}))
"""


def chapter_file(number: str) -> Path:
    return ROOT / "solutions" / next(c.file for c in CHAPTERS if c.number == number)


def code_seconds(notebook: Path, chapter: str, repeat: int = 3) -> float:
    """这本笔记本的代码单元格在新内核里运行多久（秒，repeat 次的中位数）：批改进程量出的学生代码用时，不算启动内核。"""
    from helpers.course.exercises import load_chapter
    from helpers.course.grade import Snapshot, WorkerPool, read_submission, run_submission

    variables = [v for q in load_chapter(chapter).QUESTIONS for v in q.variables]
    snapshot = Snapshot()
    sub = read_submission(notebook, notebook.parent)
    with WorkerPool(1, snapshot=snapshot) as pool:
        runs = [run_submission(sub, chapter, TIMEOUT, variables=variables, snapshot=snapshot, pool=pool)
                for _ in range(repeat)]
    bad = [r["detail"] for r in runs if r["status"] != "完成"]
    if bad:
        raise RuntimeError(f"{notebook.name} 没能正常运行：{bad[0]}")
    return statistics.median(r["code_seconds"] for r in runs)


def trivial_notebook(path: Path) -> Path:
    """演示章节的一本“最小”作业：只给变量赋值（不导入 helpers、不读数据），学生代码几乎不花时间。"""
    import nbformat

    cells = ['学生姓名 = "学生"', "q1_group = None", "q2_parts = 2", 'q3_answer = ["A", "C"]']
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells],
                                  metadata={"crm_exercise": {"chapter": "demo"}})
    nbformat.write(nb, path)
    return path


def grade_seconds(folder: Path, chapter: str, tree: Path, **kwargs) -> float:
    """用 tree 这份工作簿的 grade_folder 批改 folder（jobs=1），返回总用时（秒）。"""
    env = dict(os.environ, PYTHONPATH=str(tree))
    env.pop("CRM_DATASETS", None)
    args = {"timeout": TIMEOUT, "jobs": 1, **kwargs}
    proc = subprocess.run([sys.executable, "-c", _GRADE, str(folder), chapter, json.dumps(args)], env=env,
                          capture_output=True, text=True, encoding="utf-8", errors="replace", cwd=folder.parent)
    if proc.returncode != 0:
        raise RuntimeError(f"批改失败：{proc.stderr.strip()[-800:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    if out["status"] != ["完成"]:
        raise RuntimeError(f"有作业没有完成：{out}")
    return out["seconds"]


def measure(label: str, notebook: Path, chapter: str, n: int, repeat: int, before: Path | None) -> dict:
    """N 份同一本笔记本：每种做法批改 repeat 次（每次之前量一次学生代码用时），打印每份额外用时的最小值和中位数。"""
    ways = [("每份新起批改进程", ROOT, {"jobs_per_worker": 1}),
            ("进程池（现在的做法）", ROOT, {})]
    if before is not None:
        ways.insert(0, (f"另一份工作簿（{before.name}）", before, {}))
    print(f"{label}：{n} 份，同时批改 1 份；学生代码用时是每次批改之前在新内核里单独量的（3 次的中位数）")
    found = {}
    with tempfile.TemporaryDirectory(prefix="crm-bench-grade-") as tmp:
        folder = Path(tmp) / "作业"
        folder.mkdir()
        for i in range(n):
            shutil.copy(notebook, folder / f"学生{i + 1:02d}.ipynb")
        for name, tree, kwargs in ways:
            totals, extra, codes = [], [], []
            for _ in range(repeat):
                codes.append(code_seconds(notebook, chapter))
                totals.append(grade_seconds(folder, chapter, tree, **kwargs))
                extra.append((totals[-1] - n * codes[-1]) / n)
            found[name] = min(extra)
            flag = "达标" if min(extra) <= TARGET else "未达标"
            print(f"  {name:<18} 总用时 {min(totals):6.1f} / {statistics.median(totals):6.1f} 秒  "
                  f"学生代码每份 {statistics.median(codes):5.2f} 秒  "
                  f"每份额外用时 {min(extra):5.2f} / {statistics.median(extra):5.2f} 秒（最少 / 中位）  {flag}")
    return found


def main(n: int = 8, n_real: int = 6, repeat: int = 2, before: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="crm-bench-trivial-") as tmp:
        trivial = trivial_notebook(Path(tmp) / "最小作业.ipynb")
        found = {"演示章节": measure("演示章节，最小的作业（只给变量赋值）", trivial, "demo", n, repeat, before)}
    print()
    found["第 02 章"] = measure("真实章节：第 02 章的参考答案", chapter_file("02"), "02", n_real, repeat, before)
    return found


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="批量评分：每份作业在学生代码之外多花的时间")
    parser.add_argument("--before", type=Path, help="另一份工作簿的目录（例如旧版本），一起比较")
    parser.add_argument("-n", type=int, default=8, help="演示章节批改几份（默认 8）")
    parser.add_argument("--repeat", type=int, default=2, help="每种做法批改几次（默认 2）")
    args = parser.parse_args()
    main(args.n, repeat=args.repeat, before=args.before.resolve() if args.before else None)

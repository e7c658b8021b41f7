"""批量评分的判分：全部作业运行完以后，在另一个进程里用开始时留下的那份 helpers 判分。

compute_verdicts 在批改程序里调用：把每份作业交出的答案写进临时文件夹，另起一个进程
（python -m helpers.course.grade --verdict 任务文件，它调用 verdict_main），读回答案、判分。
判分进程的 helpers 和数据是这时才从内存写出的新副本，学生的代码碰不到；它从不运行学生的代码。
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from .grade_pool import Snapshot, isolated_env


def compute_verdicts(runs: dict, chapter, snapshot: Snapshot, timeout: float = 600) -> dict:
    """runs = {作业编号: 答案文件 {文件名: 字节}} → {作业编号: 每道题的结果列表}。

    chapter 是章节号（例如 "02"）；也可以是 {作业编号: 章节号}，不同章节的作业在同一个判分进程里判分。

    判分进程的 helpers 和数据是 snapshot 这时才写出来的新副本：所有学生的内核都已结束，
    谁也改不了它；判分进程只读答案（JSON 和 Parquet），从不运行学生的代码。
    """
    with tempfile.TemporaryDirectory(prefix="crm-verdict-") as tmp:
        tmp = Path(tmp)
        package = snapshot.write(tmp / "pkg")
        folders = {}
        for i, (key, files) in enumerate(runs.items()):
            folder = tmp / "answers" / f"{i:04d}"
            folder.mkdir(parents=True)
            for name, data in files.items():
                (folder / Path(name).name).write_bytes(data)
            folders[str(key)] = str(folder)
        job = tmp / "verdict.json"
        out = tmp / "verdicts.json"
        chapters = {str(k): str(v) for k, v in chapter.items()} if isinstance(chapter, dict) else \
            {key: str(chapter) for key in folders}
        job.write_text(json.dumps({"chapters": chapters, "folders": folders, "out": str(out)}, ensure_ascii=False),
                       encoding="utf-8")
        env = isolated_env(tmp / "env", package)
        proc = subprocess.run([sys.executable, "-m", "helpers.course.grade", "--verdict", str(job)], cwd=tmp, env=env,
                              capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=timeout)
        if proc.returncode != 0 or not out.exists():
            tail = " / ".join(proc.stderr.strip().splitlines()[-3:])[-300:]
            raise RuntimeError(f"判分进程出错（这是批改程序的问题，不是学生的）：{tail}")
        return json.loads(out.read_text(encoding="utf-8"))


def verdict_main(job_file: str) -> int:
    """判分进程：读回每份作业的答案，用本进程里的检查判分。"""
    from .answers import read_answers
    from .checks import grade_namespace
    from .exercises import load_chapter

    job = json.loads(Path(job_file).read_text(encoding="utf-8"))
    chapters = job["chapters"]
    questions = {chapter: load_chapter(chapter).QUESTIONS for chapter in sorted(set(chapters.values()))}
    results = {key: grade_namespace(questions[chapters[key]], read_answers(folder))
               for key, folder in job["folders"].items()}
    Path(job["out"]).write_text(json.dumps(results, ensure_ascii=False, default=str), encoding="utf-8")
    return 0

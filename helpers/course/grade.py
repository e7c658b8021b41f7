"""批量评分：把一个文件夹里学生交上来的练习本逐一运行、检查，写成一张成绩表。

用法（在装好本工作簿环境的终端里）::

    python -m helpers.course.grade 作业目录/ --out 成绩.xlsx
    python -m helpers.course.grade 作业目录/ --out 成绩.csv --chapter 02 --timeout 120 --jobs 2

判分在学生的内核之外进行：学生的内核只负责运行笔记本、交出答案（表、数、文字、列表，写成
JSON 和 Parquet，见 helpers.course.answers）；全部作业运行完以后，批改程序另起一个进程，用开始批改前
在内存里留好的一份 helpers 和数据，读回这些答案再判分。学生在内核里改掉检查函数、伪造结果文件、
结束批改子进程、甚至改写装好的 helpers 文件，都改变不了任何一份作业的分数。

运行作业的是 --jobs 个长期运行的批改进程（helpers.course.grade_pool、grade_worker）：nbformat / nbclient
只在启动时导入一次，之后每份作业只多花启动一个新内核的时间。

注意：批改会运行学生的代码。每份作业在自己的临时文件夹、自己的 Jupyter 内核、自己的一份 helpers
和数据里运行，有时间和内存上限，结束时它启动的所有进程都会被结束（超时或批改进程被结束时，换一个新的
批改进程）；但这并不是安全沙箱（学生的代码仍能读你电脑上的文件、访问网络），来源不可信的作业请在断网的
容器里批改（见 README）。

- 作业文件名随意（学生常常改名）：章节看笔记本元数据 crm_exercise.chapter，
  没有时看 ``from helpers.course.exercises import ch02`` 这一行；
- 每份作业先复制到临时文件夹再运行，作业目录里的文件一个字节也不会改，也不会多出文件；
- 一份作业出问题（死循环、语法错误、删了单元格、空文件、不是笔记本、别的章节）只影响它自己；
- 每一行：文件、学生、每道题的得分、总分、满分、状态（完成/超时/出错/不是笔记本）、反馈、用时；
  另有一张“题目统计”：每道题多少人答对、多少人作答、最常见的错误。
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .grade_pool import DEFAULT_MEMORY_GB, JOB_ENV, Snapshot, WorkerPool, isolated_env, run_submission  # noqa: F401
from .grade_verdict import compute_verdicts, verdict_main
from .grade_worker import DONE, ERROR, PROBE_TIMEOUT, REPORT_TIMEOUT, STARTUP_TIMEOUT, TIMEOUT  # noqa: F401

NOT_NOTEBOOK = "不是笔记本"
DEFAULT_TIMEOUT = 120        # 每份作业的学生代码最多运行多少秒
FEEDBACK_LIMIT = 160         # 反馈里每条说明最多多少字

# setup 单元的 import 行；旧路径 helpers.exercises 发出去的练习本也认得。
SETUP_IMPORT = re.compile(r"from\s+helpers\.(?:course\.)?exercises\s+import\s+(ch\d\d|[A-Za-z_]\w*)"
                          r"|helpers\.(?:course\.)?exercises\.(ch\d\d|[A-Za-z_]\w*)")
_NAME_ASSIGN = re.compile(r"^\s*(?:学生姓名|姓名|student_name)\s*=\s*(['\"])(.*?)\1", re.M)
_NAME_LINE = re.compile(r"^\s*(?:#|\*\*)?\s*(?:学生)?姓名\s*(?:\*\*)?\s*[:：]\s*(?:\*\*)?\s*([^\s*#]+)", re.M)
_PLACEHOLDER_NAMES = ("填写", "你的姓名", "你的名字", "...", "…", "xxx", "XXX")


# ---------------------------------------------------------------------------
# 读取作业
# ---------------------------------------------------------------------------
@dataclass
class Submission:
    """一份作业：相对路径、原始字节、读出的笔记本（读不出时 problem 说明原因）。"""

    path: Path
    rel: str
    data: bytes
    nb: object = None
    problem: str = ""
    chapter: str | None = None
    student: str = ""


def find_submissions(folder: Path) -> list[Path]:
    """作业目录里的全部文件（包括子文件夹；跳过隐藏文件和 .ipynb_checkpoints）。"""
    files = []
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if any(p.startswith(".") or p in ("__MACOSX", "__pycache__") for p in parts) or not path.is_file():
            continue
        files.append(path)
    return files


def detect_chapter(nb) -> str | None:
    """练习本属于哪一章：先看元数据 crm_exercise.chapter，再看 setup 的 import 行。"""
    from .exercises import normalize_chapter

    meta = nb.get("metadata", {}).get("crm_exercise", {})
    if isinstance(meta, dict) and meta.get("chapter"):
        return normalize_chapter(meta["chapter"])
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            match = SETUP_IMPORT.search(str(cell.get("source", "")))
            if match:
                return normalize_chapter(match.group(1) or match.group(2))
    return None


def student_name(nb, path: Path) -> str:
    """学生姓名：笔记本里的 学生姓名 = "张三" 或“姓名：张三”，没有（或没填）时用文件名。"""
    if nb is not None:
        for cell in nb.get("cells", []):
            source = str(cell.get("source", ""))
            for match in list(_NAME_ASSIGN.finditer(source)) + list(_NAME_LINE.finditer(source)):
                name = match.group(match.lastindex).strip()
                if name and not any(p in name for p in _PLACEHOLDER_NAMES):
                    return name
    return path.stem


def read_submission(path: Path, folder: Path) -> Submission:
    """读一份作业（只读，不改动文件）；不是笔记本时 problem 写明原因。"""
    import nbformat

    rel = path.relative_to(folder).as_posix()
    data = path.read_bytes()
    sub = Submission(path=path, rel=rel, data=data)
    kind = f"{path.suffix} 文件" if path.suffix else "没有扩展名的文件"
    if not data.strip():
        sub.problem = "文件是空的"
    else:
        try:
            # .ipynb 被截断时最后一个汉字可能只剩半个：照样试着读，报告 JSON 在哪一行坏了
            text = data.decode("utf-8-sig", errors="replace" if path.suffix.lower() == ".ipynb" else "strict")
            raw = json.loads(text)
        except UnicodeDecodeError:
            sub.problem = f"{kind}，不是 Jupyter 笔记本"
        except json.JSONDecodeError as exc:
            sub.problem = (f"文件内容不完整或已损坏（第 {exc.lineno} 行），无法按笔记本读取"
                           if path.suffix.lower() == ".ipynb" else f"{kind}，不是 Jupyter 笔记本")
        else:
            if not isinstance(raw, dict) or not isinstance(raw.get("cells", raw.get("worksheets")), list):
                sub.problem = "是 JSON 文件，但不是 Jupyter 笔记本（没有单元格）"
            else:
                try:
                    sub.nb = nbformat.reads(text, as_version=4)
                    for cell in sub.nb.cells:
                        if "cell_type" not in cell or not isinstance(cell.get("source", ""), str):
                            raise ValueError("有的单元格结构不对")
                except Exception as exc:  # nbformat 的各种校验错误
                    sub.nb = None
                    sub.problem = f"笔记本格式不对：{str(exc)[:80]}"
    sub.student = student_name(sub.nb, path)
    if sub.nb is not None:
        sub.chapter = detect_chapter(sub.nb)
    return sub


# ---------------------------------------------------------------------------
# 批改前检查自己需要的东西
# ---------------------------------------------------------------------------
def check_prerequisites(chapter: str | None = None) -> list[str]:
    """批改需要的东西：能运行笔记本的 nbclient / nbformat / ipykernel、读写答案的 pyarrow、
    结束进程用的 psutil、这一章的题目。返回缺少的项目（中文说明），都在时返回空列表。"""
    import importlib.util

    problems = []
    needs = {"nbformat": "读笔记本", "nbclient": "运行笔记本", "jupyter_client": "和内核通信",
             "ipykernel": "Python 内核", "pyarrow": "读写答案（Parquet）", "psutil": "结束作业启动的进程"}
    missing = [f"{name}（{why}）" for name, why in needs.items() if importlib.util.find_spec(name) is None]
    if missing:
        problems.append("缺少 Python 包：" + "、".join(missing) +
                        "。请在工作簿的环境里安装：python -m pip install -e .（或运行 make lab 一次）")
    if chapter is not None:
        try:
            from .exercises import load_chapter

            load_chapter(chapter).QUESTIONS
        except Exception as exc:  # 章节模块坏了、题库文件缺了
            problems.append(f"读不出这一章的题目：{type(exc).__name__}: {str(exc)[:160]}")
    return problems


# ---------------------------------------------------------------------------
# 汇总成表
# ---------------------------------------------------------------------------
@dataclass
class Graded:
    """一份作业的批改结果。"""

    sub: Submission
    status: str
    questions: list = field(default_factory=list)   # report 里的每道题
    errors: list = field(default_factory=list)
    detail: str = ""
    seconds: float = 0.0
    note: str = ""                                  # 给老师的提醒（例如改动了工作簿自己的文件）


def _short(text: str, limit: int = FEEDBACK_LIMIT) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def feedback(g: Graded) -> str:
    """一行简短的中文反馈：哪几题错了、为什么，哪些单元格出错，是否超时。"""
    parts = []
    if g.detail:
        parts.append(g.detail)
    wrong = [q for q in g.questions if not q["correct"]]
    for q in wrong:
        if not q["answered"]:
            parts.append(f"{q['name']} 未作答")
        elif q.get("score"):
            parts.append(f"{q['name']} 部分正确（{q['score']:g}/{q['points']:g} 分）：{_short(q['message']).rstrip('。')}")
        else:
            parts.append(f"{q['name']} 错：{_short(q['message']).rstrip('。')}")
    for e in g.errors[:3]:
        parts.append(f"第 {e['cell']} 个代码单元格（{e['code']}）出错：{e['ename']}: {_short(e['evalue'], 80)}")
    if len(g.errors) > 3:
        parts.append(f"另有 {len(g.errors) - 3} 个单元格出错")
    if g.questions and not wrong and not parts:
        parts.append("全部正确")
    return "；".join(parts)


def _label(q) -> str:
    parts = getattr(q, "parts", 0)
    each = f"，{parts} 部分各 {q.points / parts:g}分" if parts else ""
    return f"{q.name}（{q.points:g}分{each}）"


def _duplicates(graded: list[Graded]) -> dict:
    """同一个学生姓名交了不止一份（不算读不出来的文件）：{作业: 提醒}。"""
    by_name: dict[str, list] = {}
    for g in graded:
        if g.status != NOT_NOTEBOOK:
            by_name.setdefault(g.sub.student.strip(), []).append(g)
    notes = {}
    for name, group in by_name.items():
        if len(group) > 1:
            for g in group:
                others = "、".join(o.sub.rel for o in group if o is not g)
                notes[id(g)] = f"与 {others} 同名（{name}），请核对是不是同一个人交了两份"
    return notes


def tables(graded: list[Graded], questions) -> tuple:
    """(成绩表, 题目统计表)，都是 pandas DataFrame。"""
    import pandas as pd

    full = sum(q.points for q in questions)
    same_name = _duplicates(graded)
    rows = []
    for g in sorted(graded, key=lambda g: g.sub.rel):
        by_name = {q["name"]: q for q in g.questions}
        row = {"文件": g.sub.rel, "学生": g.sub.student}
        for q in questions:
            row[_label(q)] = round(float(by_name.get(q.name, {}).get("score", 0) or 0), 2)
        notes = "；".join(n for n in (same_name.get(id(g), ""), g.note) if n)
        row.update({"总分": round(sum(row[_label(q)] for q in questions), 2), "满分": full, "状态": g.status,
                    "反馈": feedback(g), "提醒": notes, "用时（秒）": g.seconds})
        rows.append(row)
    columns = ["文件", "学生", *[_label(q) for q in questions], "总分", "满分", "状态", "反馈", "提醒", "用时（秒）"]
    grades = pd.DataFrame(rows, columns=columns)
    stats = []
    for q in questions:
        results = [next((r for r in g.questions if r["name"] == q.name), None) for g in graded]
        right = sum(1 for r in results if r and r["correct"])
        answered = sum(1 for r in results if r and r["answered"])
        mistakes = Counter(re.split(r"[。\n]", r["message"], maxsplit=1)[0]
                           for r in results if r and r["answered"] and not r["correct"])
        common = "；".join(f"{m}（{n} 人）" for m, n in mistakes.most_common(2))
        stats.append({"题目": q.name, "内容": q.title, "分值": q.points, "答对人数": right, "作答人数": answered,
                      "提交人数": len(graded), "正确率（%）": round(100 * right / len(graded), 1) if graded else 0.0,
                      "常见错误": common})
    summary = pd.DataFrame(stats, columns=["题目", "内容", "分值", "答对人数", "作答人数", "提交人数",
                                           "正确率（%）", "常见错误"])
    return grades, summary


def summary_path(out: Path) -> Path:
    """CSV 时题目统计写在旁边：成绩.csv → 成绩_题目统计.csv。"""
    return out.with_name(f"{out.stem}_题目统计{out.suffix}")


def write_tables(grades, summary, out: Path) -> list[Path]:
    """写出成绩：.xlsx 两张工作表（成绩、题目统计），.csv 两个文件（UTF-8 带 BOM，Excel 直接打开）。

    学生姓名、反馈里以 = + - @ 开头的文字不会变成公式（见 helpers.export）。
    """
    from ..export import write_csv, write_xlsx

    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        write_csv(grades, out, index=False, encoding="utf-8-sig")
        write_csv(summary, summary_path(out), index=False, encoding="utf-8-sig")
        return [out, summary_path(out)]

    def layout(sheet, df):
        sheet.freeze_panes = "C2" if sheet.title == "成绩" else "B2"
        for i, col in enumerate(df.columns, 1):
            longest = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)])
            letter = sheet.cell(row=1, column=i).column_letter
            sheet.column_dimensions[letter].width = min(60, max(8, 2 * longest if longest < 12 else longest + 4))

    write_xlsx(out, {"成绩": grades, "题目统计": summary}, format_sheet=layout)
    return [out]


# ---------------------------------------------------------------------------
# 命令行
# ---------------------------------------------------------------------------
class UsageError(Exception):
    """命令行用法不对（以非零退出码结束）。"""


def _choose_chapter(subs: list[Submission], wanted: str | None):
    from .exercises import available_chapters, chapter_label, load_chapter, normalize_chapter

    if wanted:
        chapter = normalize_chapter(wanted)
        try:
            return chapter, load_chapter(chapter), False
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    have = set(available_chapters())
    counts = Counter(s.chapter for s in subs if s.chapter in have)
    if not counts:
        return None, None, True
    chapter = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    print(f"没有指定 --chapter：按多数作业判断为{chapter_label(chapter)}（{counts[chapter]} 份）。", flush=True)
    return chapter, load_chapter(chapter), True


def grade_folder(folder: Path, chapter: str | None = None, timeout: float = DEFAULT_TIMEOUT, jobs: int = 2,
                 echo=print, memory_gb: float = DEFAULT_MEMORY_GB, jobs_per_worker: int = 0,
                 report: Path | None = None) -> tuple:
    """批改一个文件夹里的全部作业，返回 (成绩表, 题目统计表)。

    report：成绩表的路径（例如 成绩.xlsx）；给出时在它旁边写一页班级报告（成绩_班级报告.html，见 report.py）。

    先逐份运行（jobs 个批改进程，每份作业在自己的新内核、自己的一份 helpers 里），全部结束后再统一判分
    （见 compute_verdicts）。jobs_per_worker > 0 时每个批改进程批改这么多份后换新的（见 WorkerPool）。
    """
    folder = Path(folder)
    snapshot = Snapshot()                     # 开始前留下 helpers 和数据的原样
    paths = find_submissions(folder)
    # 批改进程先启动（导入 nbformat / nbclient 要一两秒），同时在这里读作业、选章节
    pool = WorkerPool(min(max(1, jobs), len(paths)), memory_gb, snapshot, jobs_per_worker=jobs_per_worker) \
        if paths and not check_prerequisites() else None
    try:
        return _grade(folder, paths, snapshot, pool, chapter, timeout, jobs, echo, report)
    finally:
        if pool is not None:
            pool.close()


def _grade(folder: Path, paths: list, snapshot: Snapshot, pool, chapter, timeout: float, jobs: int, echo,
           report: Path | None = None) -> tuple:
    from .exercises import chapter_label

    subs = [read_submission(p, folder) for p in paths]
    chapter, module, guessed = _choose_chapter(subs, chapter)
    problems = check_prerequisites(chapter)
    if problems:
        raise UsageError("批改前的检查没有通过，没有批改任何作业（也没有写成绩表）：\n  " + "\n  ".join(problems))
    questions = list(module.QUESTIONS) if module else []
    variables = [v for q in questions for v in q.variables]
    full = sum(q.points for q in questions)
    echo(f"开始批改：{folder} 里有 {len(subs)} 份作业"
         + (f"，{chapter_label(chapter)}（{len(questions)} 道题，满分 {full:g} 分）" if module else "")
         + f"，每份最多运行 {timeout:g} 秒，同时批改 {jobs} 份。")
    graded: list[Graded] = []
    to_run = []
    for sub in subs:
        if sub.problem:
            graded.append(Graded(sub, NOT_NOTEBOOK, detail=sub.problem))
        elif module is None:
            graded.append(Graded(sub, ERROR, detail="认不出这是哪一章的练习（笔记本元数据和 import 行里都没有章节），"
                                                     "请用 --chapter 指定"))
        elif sub.chapter is not None and sub.chapter != chapter:
            graded.append(Graded(sub, ERROR, detail=f"这是{chapter_label(sub.chapter)}的练习，不是{chapter_label(chapter)}"))
        else:
            to_run.append(sub)
    lock = threading.Lock()
    done = 0

    def progress(g: Graded):
        nonlocal done
        with lock:
            done += 1
            who = g.sub.rel if g.sub.student == g.sub.path.stem else f"{g.sub.student}（{g.sub.rel}）"
            why = f"（{_short(g.detail, 60)}）" if g.detail and g.status != DONE else ""
            timing = f"，{g.seconds:g} 秒" if g.seconds else ""
            echo(f"[{done}/{len(subs)}] {who}：{g.status}{why}{timing}")

    for g in graded:
        progress(g)
    answers: dict[int, dict] = {}
    running: set = set()
    reported: set = set()
    notes: dict[str, list] = {}               # 作业 → 给老师的提醒
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as executor:
        def run(sub):
            with lock:
                running.add(sub.rel)
            try:
                return run_submission(sub, chapter, timeout, None, variables=variables, snapshot=snapshot, pool=pool)
            finally:
                with lock:
                    running.discard(sub.rel)

        futures = {executor.submit(run, sub): sub for sub in to_run}
        try:
            for future in as_completed(futures):
                sub = futures[future]
                try:
                    r = future.result()
                    g = Graded(sub, r["status"], [], r.get("errors", []), r.get("detail", ""), r.get("seconds", 0.0))
                    answers[id(g)] = r.get("answers", {})
                except Exception as exc:  # 批改程序自身的意外，也只影响这一份
                    g = Graded(sub, ERROR, detail=f"批改程序出错：{type(exc).__name__}: {exc}")
                touched = [t for t in snapshot.changed() if t not in reported]
                if touched:                        # 装好的 helpers 或数据被改了：提醒老师（判分不受影响）
                    reported.update(touched)       # 这一份和还在运行的每一份都可能是改的那一份，都写上提醒
                    with lock:
                        suspects = sorted(running | {sub.rel})
                    for rel in suspects:
                        also = [other for other in suspects if other != rel]
                        notes.setdefault(rel, []).append(
                            f"批改这份作业期间，工作簿自己的文件被改动了（{'、'.join(touched[:3])}"
                            f"{' 等' if len(touched) > 3 else ''}）；每份作业用自己的一份 helpers 运行，判分用开始前"
                            "留下的原样，所以成绩不受影响。请检查这些文件，需要时用 git checkout 恢复"
                            + (f"（同时在运行的还有 {'、'.join(also)}）" if also else ""))
                g.note = "；".join(notes.get(sub.rel, []))
                graded.append(g)
                progress(g)
        except BaseException:              # 被打断（Ctrl+C）：没开始的不再开始，结束批改进程，等着它们的线程随即返回
            for future in futures:
                future.cancel()
            if pool is not None:
                pool.close()
            raise
    if pool is not None:
        pool.close()                           # 全部作业结束，批改进程也结束，然后才判分
    if answers:
        echo(f"全部运行完毕，开始判分（{len(answers)} 份）……")
        by_key = {str(k): v for k, v in answers.items()}
        verdicts = compute_verdicts(by_key, chapter, snapshot)
        for g in graded:
            g.questions = verdicts.get(str(id(g)), []) if id(g) in answers else []
        for g in sorted((g for g in graded if id(g) in answers), key=lambda g: g.sub.rel):
            score = sum(q["score"] for q in g.questions)
            who = g.sub.rel if g.sub.student == g.sub.path.stem else f"{g.sub.student}（{g.sub.rel}）"
            echo(f"  {who}：{score:g}/{full:g} 分")
    if report is not None:
        from .report import write_class_report

        try:
            write_class_report(graded, questions, report, chapter=chapter)
        except OSError as exc:
            echo(f"班级报告没有写出（{exc}）；成绩表照常写出。")
    return tables(graded, questions)


USAGE = ("用法：python -m helpers.course.grade 作业目录/ --out 成绩.xlsx [--timeout 120] [--jobs 2] [--chapter 02] "
         "[--memory 3]")


class _Parser(argparse.ArgumentParser):
    """参数错误时给出中文说明（而不是 argparse 的英文）。"""

    def error(self, message):
        if "required" in message:
            text = "缺少参数：" + message.split(": ", 1)[-1].replace(", ", "、")
        elif "unrecognized arguments" in message:
            text = "不认识的参数：" + message.split(": ", 1)[-1]
        elif "invalid" in message and "value" in message:
            text = f"参数的值不对（{message}）"
        else:
            text = f"命令行参数不对（{message}）"
        raise UsageError(f"{text}。\n{USAGE}")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m helpers.course.grade",
        description="批量评分：运行作业目录里的每一本练习本，写出成绩表。注意：批改会运行学生的代码。")
    p.add_argument("folder", type=Path, help="放学生作业的文件夹（文件名随意，可以有子文件夹）")
    p.add_argument("--out", type=Path, required=True, help="成绩表：.xlsx 或 .csv")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                   help=f"每份作业的代码最多运行多少秒（默认 {DEFAULT_TIMEOUT}）")
    p.add_argument("--jobs", type=int, default=2, help="同时批改几份（默认 2）")
    p.add_argument("--chapter", help="只批改这一章（例如 02）；别的章节的作业记为“出错”")
    p.add_argument("--memory", type=float, default=DEFAULT_MEMORY_GB,
                   help=f"每个内核最多用多少 GB 内存（默认 {DEFAULT_MEMORY_GB:g}，0 表示不限制；Windows 上不限制）")
    return p


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--verdict"] and len(argv) == 2:
        return verdict_main(argv[1])
    try:
        args = _parser().parse_args(argv)
        folder = args.folder
        if not folder.is_dir():
            raise UsageError(f"找不到作业目录 {folder}（应是一个文件夹）。")
        if args.out.suffix.lower() not in (".xlsx", ".csv"):
            raise UsageError(f"成绩表应以 .xlsx 或 .csv 结尾，收到的是 {args.out.name}。")
        out = args.out.resolve()
        if out == folder.resolve() or folder.resolve() in out.parents:
            raise UsageError("成绩表不能放在作业目录里面（批改从不改动作业目录），请换个位置，例如 --out 成绩.xlsx。")
        if not args.timeout > 0:
            raise UsageError(f"--timeout 应大于 0 秒，收到 {args.timeout:g}。")
        if args.jobs < 1:
            raise UsageError(f"--jobs 至少是 1，收到 {args.jobs}。")
        if not args.memory >= 0:
            raise UsageError(f"--memory 应是不小于 0 的 GB 数（0 表示不限制），收到 {args.memory:g}。")
        started = time.time()
        grades, summary = grade_folder(folder, args.chapter, args.timeout, args.jobs,
                                       echo=lambda line: print(line, flush=True), memory_gb=args.memory,
                                       report=args.out)
    except UsageError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:                  # Ctrl+C：批改进程和内核都已结束
        print("已中断批改，没有写成绩表。", file=sys.stderr)
        return 130
    try:
        written = write_tables(grades, summary, args.out)
        from .report import report_path

        report = report_path(args.out)
        if report.exists() and report.stat().st_mtime >= started - 1:     # 这一次写出的（不是上一次留下的）
            written.append(report)
    except PermissionError:
        print(f"错误：无法写入 {args.out}（文件是不是正在 Excel 里打开？关掉后再运行一次）。", file=sys.stderr)
        return 1
    counts = Counter(grades["状态"])
    print("状态：" + "，".join(f"{s} {counts[s]} 份" for s in (DONE, TIMEOUT, ERROR, NOT_NOTEBOOK) if counts[s]))
    for _, row in summary.iterrows():
        print(f"  {row['题目']}：{row['答对人数']}/{row['提交人数']} 人答对（{row['内容']}）")
    print("成绩已写入：" + "、".join(str(p) for p in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())

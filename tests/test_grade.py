"""批量评分端到端：参考答案满分、原样的练习本 0 分、错一题只扣那一题、死循环在时限内记为超时、
坏文件照样报告、作业文件一个字节都不变；成绩表（xlsx、csv）的列和题目统计都对。

要运行内核的作业只有 7 本，全部放在同一次命令行批改里（2 个批改进程）；这次批改在收集完测试后就在后台开始
（见 conftest.py 的 BackgroundGrading），和别的测试同时进行。"""
import hashlib
import importlib.util
import sys
import threading
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import run_cli

from helpers.course import grade as G

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "grading" / "demo_solution.ipynb"
TIMEOUT = 15
COLUMNS = ["文件", "学生", "q1（3分）", "q2（2分）", "q3（1分）", "总分", "满分", "状态", "反馈", "提醒", "用时（秒）"]

_spec = importlib.util.spec_from_file_location("make_exercises", ROOT / "tools" / "make_exercises.py")
mx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mx)


def solution():
    return nbformat.read(FIXTURE, as_version=4)


def cell_index(nb, text):
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and text in c.source)


def student_copy():
    """学生交上来的是练习本，没有“# SOLUTION ONLY”的教师单元格。"""
    nb = solution()
    del nb.cells[cell_index(nb, "# SOLUTION ONLY")]
    return nb


def write(folder: Path, name: str, nb) -> None:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / name)


def make_submissions(folder: Path) -> None:
    """参考答案 → 各种学生作业（文件名随意）。"""
    nb = solution()
    nb.cells[cell_index(nb, "学生姓名")].source = '学生姓名 = "王小明"'
    write(folder, "作业1.ipynb", nb)                                              # 满分，姓名来自单元格

    write(folder, "补交/练习原样.ipynb", mx.make_exercise(solution(), FIXTURE))     # 原样的练习本：0 分

    nb = student_copy()
    nb.cells[cell_index(nb, "q2_parts = sms_parts")].source = "q2_parts = 2\nq2.check()"
    write(folder, "李雷.ipynb", nb)                                                # 只错第 2 题

    nb = student_copy()
    nb.cells.insert(cell_index(nb, "q2_parts = sms_parts"), nbformat.v4.new_code_cell("while True:\n    pass"))
    write(folder, "死循环.ipynb", nb)                                              # 第 1 题后死循环

    nb = student_copy()
    nb.cells.insert(cell_index(nb, "q2_parts = sms_parts"), nbformat.v4.new_code_cell(
        "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    time.sleep(0.05)"))
    write(folder, "不理中断.ipynb", nb)                                            # 连中断都忽略（等待时不占 CPU）

    nb = student_copy()
    nb.cells[cell_index(nb, "q2_parts = sms_parts")].source = "q2_parts = sms_parts(短信\nq2.check()"
    write(folder, "语法错误.ipynb", nb)

    nb = student_copy()
    del nb.cells[cell_index(nb, "q3_answer")]
    del nb.cells[cell_index(nb, "demo.setup")]                                     # 删掉了 setup 单元格
    write(folder, "删了单元格.ipynb", nb)

    nb = student_copy()
    nb.metadata["crm_exercise"] = {"chapter": "03"}
    write(folder, "第三章的.ipynb", nb)                                            # 别的章节（不运行）

    (folder / "空文件.ipynb").write_bytes(b"")
    (folder / "截图.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
    (folder / "坏了.ipynb").write_bytes(FIXTURE.read_bytes()[:300])


def fingerprint(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()} | \
        {p.relative_to(folder).as_posix() + "/": "文件夹" for p in folder.rglob("*") if p.is_dir()}


def run_grading(base: Path, on_stop) -> dict:
    """命令行批改 make_submissions 做出的作业（conftest 在收集完测试后就让它在后台开始）。"""
    folder = base / "作业"
    folder.mkdir()
    make_submissions(folder)
    before = fingerprint(folder)
    proc, elapsed = run_cli([folder, "--out", base / "成绩.xlsx", "--timeout", TIMEOUT, "--jobs", "2",
                             "--chapter", "demo"], cwd=base, on_stop=on_stop, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    grades = pd.read_excel(base / "成绩.xlsx", sheet_name="成绩", dtype={"学生": str})
    summary = pd.read_excel(base / "成绩.xlsx", sheet_name="题目统计")
    report = base / "成绩_班级报告.html"
    return {"proc": proc, "folder": folder, "before": before, "elapsed": elapsed,
            "grades": grades.set_index("文件", drop=False), "summary": summary.set_index("题目"),
            "report": report.read_text(encoding="utf-8") if report.exists() else None, "report_path": report}


@pytest.fixture(scope="module")
def graded(grading):
    return grading(sys.modules[__name__])


def row(graded, name):
    return graded["grades"].loc[name]


def scores(graded, name):
    r = row(graded, name)
    return [int(r["q1（3分）"]), int(r["q2（2分）"]), int(r["q3（1分）"]), int(r["总分"])]


def test_cli_succeeds_and_prints_chinese_progress(graded):
    proc = graded["proc"]
    assert proc.returncode == 0, proc.stderr
    assert "开始批改" in proc.stdout and "[11/11]" in proc.stdout and "成绩已写入" in proc.stdout
    assert "状态：完成 5 份，超时 2 份，出错 1 份，不是笔记本 3 份" in proc.stdout


def test_cli_writes_the_class_report_next_to_the_grade_sheet(graded):
    """成绩表旁边有一页班级报告：每道题都在，正确率和题目统计一致，命令行列出了它。"""
    page = graded["report"]
    assert page is not None, "没有写出 成绩_班级报告.html"
    assert str(graded["report_path"]) in graded["proc"].stdout
    for question, stats in graded["summary"].iterrows():
        assert question in page
        right, answered = int(stats["答对人数"]), int(stats["作答人数"])
        assert f"（{right}/{answered}）" in page, (question, right, answered)


def test_submissions_are_never_modified(graded):
    assert fingerprint(graded["folder"]) == graded["before"]          # 同样的文件、同样的字节，没有多出文件


def test_columns_and_one_row_per_submission(graded):
    grades = graded["grades"]
    assert list(grades.columns) == COLUMNS
    assert len(grades) == 11 and (grades["满分"] == 6).all()


def test_solution_gets_full_marks_and_name_from_cell(graded):
    r = row(graded, "作业1.ipynb")
    assert scores(graded, "作业1.ipynb") == [3, 2, 1, 6]
    assert (r["学生"], r["状态"], r["反馈"]) == ("王小明", "完成", "全部正确")


def test_generated_exercise_gets_zero(graded):
    r = row(graded, "补交/练习原样.ipynb")
    assert scores(graded, "补交/练习原样.ipynb") == [0, 0, 0, 0]
    assert (r["学生"], r["状态"], r["反馈"]) == ("练习原样", "完成", "q1 未作答；q2 未作答；q3 未作答")


def test_one_wrong_answer_loses_exactly_its_points(graded):
    assert scores(graded, "李雷.ipynb") == [3, 0, 1, 4]
    assert row(graded, "李雷.ipynb")["反馈"].startswith("q2 错：你按每 70 字一条算了")


def test_infinite_loop_times_out_within_the_limit_and_keeps_earlier_answers(graded):
    r = row(graded, "死循环.ipynb")
    assert r["状态"] == "超时"
    assert scores(graded, "死循环.ipynb") == [3, 0, 0, 3]          # 死循环之前答的第 1 题照常计分
    assert r["反馈"].startswith(f"运行超过 {TIMEOUT} 秒，在第 6 个代码单元格（while True:）停下")
    assert TIMEOUT <= r["用时（秒）"] < TIMEOUT + 20


def test_kernel_that_ignores_interrupt_is_killed(graded):
    r = row(graded, "不理中断.ipynb")
    assert r["状态"] == "超时" and scores(graded, "不理中断.ipynb") == [0, 0, 0, 0]
    assert "没有响应中断，已强制停止，无法评分" in r["反馈"]
    assert r["用时（秒）"] < TIMEOUT + G.PROBE_TIMEOUT + 20


def test_syntax_error_is_reported_and_other_questions_graded(graded):
    r = row(graded, "语法错误.ipynb")
    assert scores(graded, "语法错误.ipynb") == [3, 0, 1, 4]
    assert r["状态"] == "完成"
    assert r["反馈"].startswith("q2 未作答；第 6 个代码单元格（q2_parts = sms_parts(短信）出错：SyntaxError")


def test_deleted_setup_cell_still_graded(graded):
    r = row(graded, "删了单元格.ipynb")
    assert scores(graded, "删了单元格.ipynb") == [3, 2, 0, 5]
    assert r["反馈"] == ("q3 未作答；第 3 个代码单元格（# BEGIN SOLUTION）出错：NameError: name 'q1' is not defined；"
                         "第 5 个代码单元格（# BEGIN SOLUTION）出错：NameError: name 'q2' is not defined")


@pytest.mark.parametrize("name, status, feedback", [
    ("空文件.ipynb", "不是笔记本", "文件是空的"),
    ("截图.png", "不是笔记本", ".png 文件，不是 Jupyter 笔记本"),
    ("坏了.ipynb", "不是笔记本", "文件内容不完整或已损坏（第 "),
    ("第三章的.ipynb", "出错", "这是第 03 章的练习，不是“demo”章节"),
])
def test_broken_files_are_reported(graded, name, status, feedback):
    r = row(graded, name)
    assert r["状态"] == status and r["反馈"].startswith(feedback) and r["总分"] == 0


def test_per_question_summary(graded):
    s = graded["summary"]
    assert list(s.columns) == ["内容", "分值", "答对人数", "作答人数", "提交人数", "正确率（%）", "常见错误"]
    # 答对 q1：满分、李雷、死循环、语法错误、删了单元格；q2：满分、删了单元格；q3：满分、李雷、语法错误
    assert s["答对人数"].to_dict() == {"q1": 5, "q2": 2, "q3": 3}
    assert s["作答人数"].to_dict() == {"q1": 5, "q2": 3, "q3": 3}
    assert (s["提交人数"] == 11).all()
    assert s.loc["q2", "正确率（%）"] == round(100 * 2 / 11, 1)
    assert s.loc["q2", "常见错误"] == "你按每 70 字一条算了：超过 70 字的长短信每条只能放 67 个字（1 人）"


def test_whole_run_is_parallel_and_bounded(graded):
    # 两本超时的作业各占满一个并行位置；若是串行或没有时限，会远远超过这个上限
    assert graded["elapsed"] < 2 * TIMEOUT + G.PROBE_TIMEOUT + 40


# ---------------------------------------------------------------------------
# 不需要内核的部分
# ---------------------------------------------------------------------------
def test_csv_output_without_kernels(tmp_path):
    folder = tmp_path / "作业"
    folder.mkdir()
    (folder / "空.ipynb").write_bytes(b"")
    (folder / "说明.txt").write_text("这不是作业", encoding="utf-8")
    nb = solution()
    nb.metadata["crm_exercise"] = {"chapter": "02"}
    write(folder, "张三.ipynb", nb)
    before = fingerprint(folder)
    assert G.main([str(folder), "--out", str(tmp_path / "成绩.csv"), "--chapter", "demo"]) == 0
    grades = pd.read_csv(tmp_path / "成绩.csv", encoding="utf-8-sig")
    summary = pd.read_csv(tmp_path / "成绩_题目统计.csv", encoding="utf-8-sig")
    assert (tmp_path / "成绩.csv").read_bytes().startswith("\ufeff文件,学生".encode("utf-8"))
    assert list(grades.columns) == COLUMNS
    assert grades.set_index("文件")["状态"].to_dict() == {"张三.ipynb": "出错", "空.ipynb": "不是笔记本",
                                                         "说明.txt": "不是笔记本"}
    assert grades.set_index("文件").loc["张三.ipynb", "反馈"] == "这是第 02 章的练习，不是“demo”章节"
    assert summary["题目"].tolist() == ["q1", "q2", "q3"] and (summary["答对人数"] == 0).all()
    assert fingerprint(folder) == before


@pytest.mark.parametrize("args, message", [
    (["不存在的目录", "--out", "x.xlsx"], "找不到作业目录"),
    (["{folder}", "--out", "成绩.txt"], "成绩表应以 .xlsx 或 .csv 结尾"),
    (["{folder}", "--out", "{folder}/成绩.xlsx"], "成绩表不能放在作业目录里面"),
    (["{folder}", "--out", "x.csv", "--chapter", "99"], "没有第 99 章的练习题目"),
    (["{folder}", "--out", "x.csv", "--jobs", "0"], "--jobs 至少是 1"),
    (["{folder}"], "缺少参数：--out"),
    (["{folder}", "--out", "x.csv", "--jobs", "两"], "参数的值不对"),
])
def test_bad_usage_exits_nonzero_with_chinese_message(tmp_path, capsys, args, message):
    folder = tmp_path / "作业"
    folder.mkdir()
    # 成绩表一律指向临时目录：即使某个用法没被拦住，也不会在仓库里留下文件
    args = [str(tmp_path / a) if a in ("x.csv", "x.xlsx", "成绩.txt") else a.replace("{folder}", str(folder))
            for a in args]
    assert G.main(args) == 2
    assert message in capsys.readouterr().err
    assert not (folder / "成绩.xlsx").exists()
    assert not any(p.suffix in (".csv", ".xlsx") for p in tmp_path.rglob("*"))


def test_student_name_and_chapter_detection():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('学生姓名 = "李雷"')])
    assert G.student_name(nb, Path("x/作业.ipynb")) == "李雷"
    nb.cells[0].source = "# 姓名：韩梅梅\nprint(1)"
    assert G.student_name(nb, Path("作业.ipynb")) == "韩梅梅"
    nb.cells[0].source = '学生姓名 = ""  # 在引号里写上你的姓名'
    assert G.student_name(nb, Path("20240101_王芳.ipynb")) == "20240101_王芳"
    assert G.detect_chapter(nb) is None
    nb.cells.append(nbformat.v4.new_code_cell("from helpers.course.exercises import ch02\nq1, q2 = ch02.setup(globals())"))
    assert G.detect_chapter(nb) == "02"
    nb.metadata["crm_exercise"] = {"chapter": "5"}
    assert G.detect_chapter(nb) == "05"


def test_chapter_chosen_by_majority_when_not_given(tmp_path):
    subs = [G.Submission(Path(f"{i}.ipynb"), f"{i}.ipynb", b"", chapter=ch)
            for i, ch in enumerate(["demo", "demo", "03", None])]
    chapter, module, guessed = G._choose_chapter(subs, None)
    assert (chapter, module.CHAPTER, guessed) == ("demo", "demo", True)
    assert G._choose_chapter(subs[3:], None)[1] is None


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="需要 /proc 来查找进程")
def test_runaway_worker_is_killed_with_its_kernel_and_replaced(tmp_path):
    """作业超过硬上限时，批改程序结束批改进程和它的内核（不留下失控的进程），下一份作业用一个新的批改进程。"""
    nb = student_copy()
    nb.cells.insert(0, nbformat.v4.new_code_cell(
        "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    time.sleep(0.05)"))
    write(tmp_path, "a.ipynb", nb)
    write(tmp_path, "b.ipynb", nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]))
    sub, small = G.read_submission(tmp_path / "a.ipynb", tmp_path), G.read_submission(tmp_path / "b.ipynb", tmp_path)
    jobs = tmp_path / "jobs"
    jobs.mkdir()

    def ours():
        found = []
        for proc in Path("/proc").iterdir():
            try:
                if str(jobs) in (proc / "cmdline").read_bytes().decode("utf-8", "replace"):
                    found.append(proc.name)
            except OSError:
                pass
        return found

    seen, finished = [0], threading.Event()

    def watch():      # 批改进行中：批改进程和内核都在（批改进程的文件夹、内核的连接文件都在 jobs 里）
        while not finished.wait(0.2):
            seen[0] = max(seen[0], len(ours()))

    with G.WorkerPool(1, tmp_root=jobs) as pool:
        assert G.run_submission(small, "demo", 30, tmp_root=jobs, pool=pool)["status"] == "完成"   # 批改进程已就绪
        first = pool.pids()
        watcher = threading.Thread(target=watch)
        watcher.start()
        result = G.run_submission(sub, "demo", timeout=1, tmp_root=jobs, grace=5, pool=pool)
        finished.set()
        watcher.join()
        assert result["status"] == "超时" and "已强制停止" in result["detail"]
        assert result["seconds"] < 12
        assert seen[0] >= 2
        again = G.run_submission(small, "demo", 30, tmp_root=jobs, pool=pool)
        assert again["status"] == "完成" and pool.started == 2 and pool.pids().isdisjoint(first)

    deadline = time.monotonic() + 5
    while ours() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ours() == []

"""整个课程的结构，按 helpers/course/chapters.py 的目录逐章检查（新加的章节自动纳入）：

- 01 章起，每一课以“章节测试”结尾（放在“小结”前面），存下的题目文字是最新的；
- 02 章起，每一章都有同名的参考答案和练习本；
- 批量评分：一次批改全部参考答案（应得满分）和原样的练习本（应得 0 分）；这次批改收集完测试就在后台开始
  （见 conftest.py），检查它的测试放在文件最后。
"""
from __future__ import annotations

import json
import re
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from helpers.course import grade as G
from helpers.course.chapters import CHAPTERS
from helpers.course.exercises import load_chapter
from helpers.course.quiz import load_quiz, quiz_text

ROOT = Path(__file__).resolve().parent.parent
WITH_QUIZ = [c for c in CHAPTERS if c.number >= "01"]
WITH_EXERCISE = [c for c in CHAPTERS if c.number >= "02"]


def _cells(folder: str, file: str) -> list[dict]:
    return json.loads((ROOT / folder / file).read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("chapter", WITH_QUIZ, ids=lambda c: c.number)
def test_lesson_ends_with_its_quiz_before_summary(chapter):
    n = chapter.number
    cells = _cells("notebooks", chapter.file)
    sources = ["".join(c["source"]) for c in cells]
    head = next(i for i, s in enumerate(sources) if s.startswith("## 章节测试"))
    assert f'check_quiz_answer("{n}", "q1", "A")' in sources[head]
    assert sources[head + 1].startswith("# NBVAL_IGNORE_OUTPUT") and f'quiz("{n}")' in sources[head + 1]
    assert sources[head + 2].endswith(f'print(quiz_text("{n}"))')
    printed = "".join("".join(o.get("text", "")) for o in cells[head + 2]["outputs"])
    assert printed == quiz_text(n) + "\n"              # 存下的题目文字和题库一致
    assert sources[head + 3].startswith("## 小结") and head + 4 == len(cells)
    assert any(s.startswith("## 思考题") for s in sources[:head])
    assert 5 <= len(load_quiz(n).items) <= 10


@pytest.mark.parametrize("chapter", WITH_EXERCISE, ids=lambda c: c.number)
def test_chapter_has_solution_and_exercise(chapter):
    for folder in ("solutions", "exercises"):
        nb = json.loads((ROOT / folder / chapter.file).read_text(encoding="utf-8"))
        assert nb["metadata"]["crm_exercise"] == {"chapter": chapter.number}
    assert load_chapter(chapter.number).QUESTIONS


# ---------------------------------------------------------------------------
# 章节测试题库：每章 5–10 道、四种题型都有、每个选项有自己的讲解、填数题从数据现算
# ---------------------------------------------------------------------------
QUIZ_DIR = ROOT / "helpers" / "course" / "quizzes"
QUIZ_ITEMS = [(c.number, it.id) for c in WITH_QUIZ for it in load_quiz(c.number).items]


@pytest.mark.parametrize("chapter", WITH_QUIZ, ids=lambda c: c.number)
def test_quiz_file_shape(chapter):
    n = chapter.number
    raw = json.loads((QUIZ_DIR / f"ch{n}.json").read_text(encoding="utf-8"))
    items = raw["questions"]
    assert raw["chapter"] == n and 5 <= len(items) <= 10
    assert {"single", "multiple", "true_false", "number"} <= {q["type"] for q in items}
    for q in items:
        if q["type"] in ("single", "multiple"):
            explanations = [o["explanation"] for o in q["options"]]
            assert all(e.strip() and e != o["text"] for e, o in zip(explanations, q["options"]))
            assert len(set(explanations)) == len(explanations)         # 每个选项有自己的讲解
        elif q["type"] == "true_false":
            assert q["explanations"]["对"].strip() and q["explanations"]["错"].strip()
        else:
            assert "answer" not in q and q["compute"].startswith(f"helpers.course.exercises.ch{n}:")
            assert q["explanation"].strip()


@pytest.mark.parametrize("chapter, qid", QUIZ_ITEMS)
def test_quiz_every_option_gets_its_own_feedback(chapter, qid):
    from helpers.course.quiz import check_quiz_answer

    item = load_quiz(chapter).item(qid)
    answer = item.correct_answer()
    right = check_quiz_answer(chapter, qid, list(answer) if isinstance(answer, tuple) else answer)
    assert right.correct
    assert not check_quiz_answer(chapter, qid, None).answered
    if item.type == "number":
        assert isinstance(answer, float) and not check_quiz_answer(chapter, qid, answer + 1).correct
        return
    wanted = answer if isinstance(answer, tuple) else (answer,)
    for key in wanted:
        assert item.explain(key) in right.message
    for key, _, explanation in item.options:
        assert explanation.strip()
        if key in wanted:
            continue
        if item.type == "single":
            assert check_quiz_answer(chapter, qid, key).message == f"你选了 {key}。{explanation}"
        elif item.type == "true_false":
            assert check_quiz_answer(chapter, qid, key).message == f"你选了“{key}”。{explanation}"
        else:
            alone = check_quiz_answer(chapter, qid, [key])
            assert not alone.correct and explanation in alone.message
            assert check_quiz_answer(chapter, qid, [*wanted, key]).message.startswith(f"{key} 不该选：{explanation}")


# ---------------------------------------------------------------------------
# 每一道练习题：分值、标题、提示齐全；没作答时友好提醒，从不抛出异常
# ---------------------------------------------------------------------------
ALL_QUESTIONS = [(c.number, q.name) for c in WITH_EXERCISE for q in load_chapter(c.number).QUESTIONS]


@pytest.mark.parametrize("chapter", WITH_EXERCISE, ids=lambda c: c.number)
def test_every_question_has_points_hint_and_solution(chapter):
    module = load_chapter(chapter.number)
    assert module.CHAPTER == chapter.number and module.TITLE
    names = [q.name for q in module.QUESTIONS]
    assert names == [f"q{i}" for i in range(1, len(names) + 1)]
    assert all(q.points > 0 and q.title and q.hint_text for q in module.QUESTIONS)
    # 每章有一道章节测试题；后来加的题排在它后面，已经发下去的练习本里的题号和变量名不变
    assert sum(type(q).__name__ == "QuizQuestion" for q in module.QUESTIONS) == 1


# 提示的第一步只说思路：不能有代码（半角括号、方括号、等号、引号、.方法名）
_CODE = re.compile(r"[()\[\]=\"']|\.[A-Za-z_]")


@pytest.mark.parametrize("chapter, name", ALL_QUESTIONS)
def test_hints_come_in_two_steps_idea_first(chapter, name, capsys):
    question = next(q for q in load_chapter(chapter).setup({}) if q.name == name)
    assert len(question.hint_steps) == 2, question.hint_steps
    idea, code = question.hint_steps
    assert not _CODE.search(idea), f"{chapter} {name} 的第一步提示里有代码：{idea}"
    assert idea != code
    question.hint()
    first = capsys.readouterr().out
    assert idea in first and code not in first and f"{name}.hint()" in first
    question.hint()
    question.hint()                                    # 第三次起重复代码提示
    again = capsys.readouterr().out
    assert again.count(code) == 2 and idea not in again


# ---------------------------------------------------------------------------
# 每道题的误读清单：按误读算出的答案被判错、反馈正好是那条误读的说明；正确答案判对
# ---------------------------------------------------------------------------
EXERCISES = [(c.number, q.name) for c in WITH_EXERCISE for q in load_chapter(c.number).QUESTIONS
             if type(q).__name__ != "QuizQuestion"]
MISREADINGS = [(c.number, q.name, i) for c in WITH_EXERCISE for q in load_chapter(c.number).QUESTIONS
               for i in range(len(q.misreadings))]


def _question(chapter, name):
    return next(q for q in load_chapter(chapter).QUESTIONS if q.name == name)


def _as_answers(question, value) -> dict:
    if len(question.variables) > 1:
        assert isinstance(value, dict) and set(value) == set(question.variables), value
        return dict(value)
    return {question.variables[0]: value}


@pytest.mark.parametrize("chapter, name", EXERCISES)
def test_every_question_lists_its_misreadings_and_right_answer(chapter, name):
    question = _question(chapter, name)
    assert question.expected is not None, f"{chapter} {name} 没有 expected（正确答案的函数）"
    assert question.misreadings, f"{chapter} {name} 没有误读清单"
    messages = [m.message for m in question.misreadings]
    assert len(set(messages)) == len(messages), f"{chapter} {name} 有两条误读用了同一句反馈"
    assert all(m.boundary.strip() for m in question.misreadings), f"{chapter} {name} 有误读没写 boundary"
    res = question.result(_as_answers(question, question.expected()))
    assert res.correct and res.answered, f"{chapter} {name} 的正确答案被判错：{res.message}"


@pytest.mark.parametrize("chapter, name, index", MISREADINGS)
def test_each_misreading_is_rejected_with_its_own_message(chapter, name, index):
    question = _question(chapter, name)
    wrong = question.misreadings[index]
    res = question.result(_as_answers(question, wrong.answer()))
    assert res.answered and not res.correct, (
        f"{chapter} {name}：误读“{wrong.boundary}”得到的答案被判成正确——数据里没有正好在这条边界上的客户")
    assert wrong.message in res.message, f"{chapter} {name}：误读“{wrong.boundary}”得到的反馈是：{res.message}"


# ---------------------------------------------------------------------------
# 练习的答案不能已经印在本章课文的输出里（练习要比课文多走一步）
# ---------------------------------------------------------------------------
def _lesson_output_text(chapter) -> str:
    parts = []
    for cell in _cells("notebooks", chapter.file):
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            for kind in ("text/plain", "text/html", "text/markdown"):
                parts.append("".join(out.get("data", {}).get(kind, "")))
    return "\n".join(parts)


def _number_forms(value: float) -> set[str]:
    """一个数在输出里可能的写法（只看至少 3 位有效数字的数，太短的数到处都是）。"""
    forms = set()
    if float(value).is_integer():
        if abs(value) >= 100:
            forms |= {f"{int(value)}", f"{int(value):,}"}
        return forms
    for digits in (1, 2, 3, 4):
        text = f"{value:.{digits}f}"
        if len(text.replace("-", "").replace(".", "").lstrip("0")) >= 3:
            forms |= {text, f"{value:,.{digits}f}"}
    if 0 < abs(value) < 1:
        for digits in (1, 2):
            text = f"{value * 100:.{digits}f}"
            if len(text.replace(".", "").lstrip("0")) >= 3:
                forms.add(text + "%")
    return forms


@pytest.mark.parametrize("chapter", WITH_EXERCISE, ids=lambda c: c.number)
def test_no_exercise_answer_is_printed_in_its_lesson(chapter):
    import numbers

    text = _lesson_output_text(chapter)
    found = []
    for question in load_chapter(chapter.number).QUESTIONS:
        if type(question).__name__ == "QuizQuestion" or question.expected is None:
            continue
        value = question.expected()
        values = value.values() if isinstance(value, dict) else [value]
        for v in values:
            if isinstance(v, numbers.Number) and not isinstance(v, bool):
                for form in _number_forms(float(v)):
                    if re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d])", text):
                        found.append(f"{question.name}：{form}")
    assert not found, f"第 {chapter.number} 章课文的输出里已经印着练习的答案：{found}"


@pytest.mark.parametrize("chapter, name", ALL_QUESTIONS)
def test_unanswered_questions_say_so_kindly(chapter, name, capsys):
    module = load_chapter(chapter)
    unbound = next(q for q in module.QUESTIONS if q.name == name)
    assert "setup(globals())" in unbound.result().message and not unbound.result().answered   # 没运行 setup 单元格
    ns = {}
    question = next(q for q in module.setup(ns) if q.name == name)
    var = question.variables[0]
    res = question.check()
    assert not res.answered and not res.correct and res.status == "未作答"
    assert res.message == f"还没有作答：没有找到变量 {var}。请在练习单元格里写 {var} = 你的答案，运行这个单元格后再检查。"
    assert capsys.readouterr().out.startswith(f"○ {name} 还没有作答")
    ns[var] = ...                                        # 生成的练习本里就是这样
    placeholder = question.result()
    assert not placeholder.answered and placeholder.message == f"还没有作答：请把答案赋给变量 {var}（现在还是 ...）。"
    question.hint()
    question.solution()
    out = capsys.readouterr().out
    assert f"💡 {name} 提示" in out and f"📖 {name} 参考答案：" in out


@pytest.mark.parametrize("chapter", WITH_EXERCISE, ids=lambda c: c.number)
def test_solution_is_executed_and_every_check_passes(chapter):
    """参考答案已运行并存了输出：开头是学生姓名和 setup，每道题的答案单元格都打印 ✔。"""
    import re

    cells = [c for c in _cells("solutions", chapter.file) if c["cell_type"] == "code"]
    sources = ["".join(c["source"]) for c in cells]
    assert sources[0].startswith('学生姓名 = ""')
    assert any(f"ch{chapter.number}.setup(globals())" in s for s in sources)
    checked = []
    for cell, source in zip(cells, sources):
        if "# BEGIN SOLUTION" not in source:
            continue
        printed = "".join("".join(o.get("text", "")) for o in cell["outputs"] if o.get("output_type") == "stream")
        for name in re.findall(r"^(q\d+)\.check\(\)$", source, flags=re.M):
            assert f"✔ {name} 正确！" in printed, printed
            checked.append(name)
    assert sorted(checked) == sorted(q.name for q in load_chapter(chapter.number).QUESTIONS)


# ---------------------------------------------------------------------------
# 批量评分：全部参考答案满分、原样的练习本 0 分（这次批改收集完测试就在后台开始，见 conftest.py）
# ---------------------------------------------------------------------------
GRADING_ORDER = 1        # 在命令行批改（test_grade、test_grade_integrity）之后开始：这次一直在算，它们多半在等


def run_grading(base: Path, on_stop) -> dict:
    """一次批改全部参考答案和原样练习本（2 个批改进程，每本最多 90 秒），和 python -m helpers.course.grade 走同一条路：
    学生内核只交出答案，全部运行完以后在一个判分进程里按各自的章节判分。"""
    snapshot = G.Snapshot()
    folder = base / "作业"
    folder.mkdir()
    for chapter in WITH_EXERCISE:
        shutil.copy(ROOT / "solutions" / chapter.file, folder / f"{chapter.number}_参考答案.ipynb")
        shutil.copy(ROOT / "exercises" / chapter.file, folder / f"{chapter.number}_练习原样.ipynb")
    subs = [G.read_submission(p, folder) for p in G.find_submissions(folder)]
    with G.WorkerPool(2, snapshot=snapshot) as workers, ThreadPoolExecutor(max_workers=2) as threads:
        on_stop(workers.close)

        def run(sub):
            variables = [v for q in load_chapter(sub.chapter).QUESTIONS for v in q.variables]
            return G.run_submission(sub, sub.chapter, 90, None, variables=variables, snapshot=snapshot, pool=workers)

        runs = list(threads.map(run, subs))
    verdicts = G.compute_verdicts({sub.path.name: r["answers"] for sub, r in zip(subs, runs)},
                                  {sub.path.name: sub.chapter for sub in subs}, snapshot)
    rows = {}
    for sub, r in zip(subs, runs):
        g = G.Graded(sub, r["status"], verdicts[sub.path.name], r.get("errors", []), r.get("detail", ""),
                     r.get("seconds", 0.0))
        rows[sub.path.name] = (r, G.tables([g], load_chapter(sub.chapter).QUESTIONS)[0].iloc[0])
    return {"rows": rows, "workers_started": workers.started}


@pytest.fixture(scope="module")
def course_grading(grading):
    return grading(sys.modules[__name__])


@pytest.fixture(scope="module")
def graded(course_grading):
    return course_grading["rows"]


def test_grader_runs_every_notebook_in_two_long_lived_workers(course_grading):
    expected = sorted(f"{c.number}_{kind}.ipynb" for c in WITH_EXERCISE for kind in ("参考答案", "练习原样"))
    assert sorted(course_grading["rows"]) == expected
    # 24 本作业，每本一个新内核，但批改进程只启动了 2 个（nbformat / nbclient 各只导入一次）
    assert course_grading["workers_started"] == 2


@pytest.mark.parametrize("chapter", WITH_EXERCISE, ids=lambda c: c.number)
def test_grader_gives_every_solution_full_marks(graded, chapter):
    r, row = graded[f"{chapter.number}_参考答案.ipynb"]
    questions = load_chapter(chapter.number).QUESTIONS
    assert r["status"] == G.DONE and r["errors"] == [], r
    assert row["总分"] == row["满分"] == sum(q.points for q in questions)
    assert row["反馈"] == "全部正确"


@pytest.mark.parametrize("chapter", WITH_EXERCISE, ids=lambda c: c.number)
def test_grader_gives_every_untouched_exercise_zero(graded, chapter):
    r, row = graded[f"{chapter.number}_练习原样.ipynb"]
    questions = load_chapter(chapter.number).QUESTIONS
    assert r["status"] == G.DONE and r["errors"] == [], r     # 原样的练习本运行时不报错，只是没作答
    assert row["总分"] == 0
    assert row["反馈"] == "；".join(f"{q.name} 未作答" for q in questions)

"""整个课程的结构，按 helpers/chapters.py 的目录逐章检查（新加的章节自动纳入）：

- 01 章起，每一课以“章节测试”结尾（放在“小结”前面），存下的题目文字是最新的；
- 02 章起，每一章都有同名的参考答案和练习本；
- 批量评分：一次批改全部参考答案（应得满分）和原样的练习本（应得 0 分）。
"""
from __future__ import annotations

import json
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from helpers import grade as G
from helpers.chapters import CHAPTERS
from helpers.exercises import load_chapter
from helpers.quiz import load_quiz, quiz_text

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


@pytest.fixture(scope="module")
def graded():
    """一次批改全部参考答案和原样练习本（2 个并行，每本最多 90 秒）。"""
    with tempfile.TemporaryDirectory(prefix="crm-course-") as tmp:
        folder = Path(tmp) / "作业"
        folder.mkdir()
        for chapter in WITH_EXERCISE:
            shutil.copy(ROOT / "solutions" / chapter.file, folder / f"{chapter.number}_参考答案.ipynb")
            shutil.copy(ROOT / "exercises" / chapter.file, folder / f"{chapter.number}_练习原样.ipynb")
        subs = [G.read_submission(p, folder) for p in G.find_submissions(folder)]
        work = Path(tmp) / "work"
        work.mkdir()
        with ThreadPoolExecutor(max_workers=2) as pool:
            runs = list(pool.map(lambda s: G.run_submission(s, s.chapter, 90, work), subs))
    rows = {}
    for sub, r in zip(subs, runs):
        g = G.Graded(sub, r["status"], r.get("report") or [], r.get("errors", []), r.get("detail", ""),
                     r.get("seconds", 0.0))
        rows[sub.path.name] = (r, G.tables([g], load_chapter(sub.chapter).QUESTIONS)[0].iloc[0])
    return rows


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


# ---------------------------------------------------------------------------
# 章节测试题库：每章 5–10 道、四种题型都有、每个选项有自己的讲解、填数题从数据现算
# ---------------------------------------------------------------------------
QUIZ_DIR = ROOT / "helpers" / "quizzes"
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
            assert "answer" not in q and q["compute"].startswith(f"helpers.exercises.ch{n}:")
            assert q["explanation"].strip()


@pytest.mark.parametrize("chapter, qid", QUIZ_ITEMS)
def test_quiz_every_option_gets_its_own_feedback(chapter, qid):
    from helpers.quiz import check_quiz_answer

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
    assert type(module.QUESTIONS[-1]).__name__ == "QuizQuestion"     # 最后一道是章节测试题


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
    assert f"💡 {name} 提示：" in out and f"📖 {name} 参考答案：" in out


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

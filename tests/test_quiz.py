"""章节测试：题目文件的格式检查、每个选项的讲解、填数题从数据现算、小部件与普通函数一致。"""
import json
import math

import html

import pytest

from helpers import load_shop
from helpers.course import quiz as Q
from helpers.course.quiz import QuizQuestion, check_quiz_answer, load_quiz, quiz, quiz_answers, quiz_text

DEMO = json.loads((Q.QUIZ_DIR / "demo.json").read_text(encoding="utf-8"))
OPTIONS = {q["id"]: {o["key"]: o["explanation"] for o in q.get("options", [])} for q in DEMO["questions"]}


@pytest.mark.parametrize("path", sorted(Q.QUIZ_DIR.glob("*.json")), ids=lambda p: p.name)
def test_every_quiz_file_is_valid(path):
    quiz_ = load_quiz(path.stem)
    assert quiz_.title and len(quiz_.items) >= 1
    for item in quiz_.items:
        assert item.text.strip()
        if item.type == "number":
            assert isinstance(item.correct_answer(), float)
        else:
            assert all(explanation.strip() for _, _, explanation in item.options)


# ---- 单选：对的、每个错误选项各有自己的讲解、格式宽松、选多了、没有的选项 ----
def test_single_choice_right_with_explanation():
    res = check_quiz_answer("demo", "q1", "A")
    assert res.correct and res.message == "A：" + OPTIONS["q1"]["A"]
    for written in ("a", " A. ", ["A"]):
        assert check_quiz_answer("demo", "q1", written).correct


@pytest.mark.parametrize("key", ["B", "C", "D"])
def test_single_choice_each_wrong_option_explains_itself(key):
    res = check_quiz_answer("demo", "q1", key)
    assert not res.correct and res.message == f"你选了 {key}。{OPTIONS['q1'][key]}"


def test_single_choice_format_problems():
    assert check_quiz_answer("demo", "q1", "AB").message == "这是单选题，只能选一个选项，你选了 A、B。"
    assert check_quiz_answer("demo", "q1", "E").message == "没有选项 E：可选的是 A、B、C、D。"
    assert check_quiz_answer("demo", "q1", 3).message == '请写选项的字母，例如 "A" 或 ["A", "C"]，你给的是 int。'


@pytest.mark.parametrize("blank", [None, "", "  ", [], ...])
def test_unanswered_is_not_an_error(blank):
    res = check_quiz_answer("demo", "q2", blank)
    assert not res.answered and res.message == '还没有作答：请选择或填写所有正确的选项，例如 ["A", "C"]。'


# ---- 多选 ----
@pytest.mark.parametrize("answer", [["A", "C"], "A,C", "ac", "A、C", {"C", "A"}])
def test_multiple_choice_right(answer):
    res = check_quiz_answer("demo", "q2", answer)
    assert res.correct and res.message == f"A：{OPTIONS['q2']['A']} C：{OPTIONS['q2']['C']}"


def test_multiple_choice_missing_and_extra():
    assert check_quiz_answer("demo", "q2", ["A"]).message == "还有 1 个正确选项没选（多选题要选出全部正确的选项）。"
    assert check_quiz_answer("demo", "q2", ["A", "B", "C", "D"]).message == \
        f"B 不该选：{OPTIONS['q2']['B']} D 不该选：{OPTIONS['q2']['D']}"
    assert check_quiz_answer("demo", "q2", ["B"]).message == \
        f"B 不该选：{OPTIONS['q2']['B']} 还有 2 个正确选项没选（多选题要选出全部正确的选项）。"


# ---- 判断 ----
@pytest.mark.parametrize("answer", [True, "对", "T", "正确", "√"])
def test_true_false_right(answer):
    res = check_quiz_answer("demo", "q3", answer)
    assert res.correct and res.message == DEMO["questions"][2]["explanations"]["对"]


def test_true_false_wrong_and_unreadable():
    assert check_quiz_answer("demo", "q3", False).message == "你选了“错”。" + DEMO["questions"][2]["explanations"]["错"]
    assert check_quiz_answer("demo", "q3", "错").message.startswith("你选了“错”。超过 70 个字")
    assert check_quiz_answer("demo", "q3", "也许").message == \
        "判断题请回答 \"对\" 或 \"错\"（也可以写 True / False），你给的是 '也许'。"


# ---- 填数：正确答案从数据现算 ----
def _top20_share_by_hand():
    summary = load_shop("xiayi").summary()
    amounts = summary.loc[summary["order_count"] > 0, "total_amount"].sort_values(ascending=False)
    k = math.ceil(len(amounts) * 0.2)
    return amounts.iloc[:k].sum() / amounts.sum()


def test_number_question_is_computed_from_the_data():
    expected = _top20_share_by_hand()
    assert quiz_answers("demo")["q4"] == pytest.approx(expected)
    assert check_quiz_answer("demo", "q4", round(expected, 2)).correct
    assert check_quiz_answer("demo", "q4", round(expected, 2)).message.startswith(f"{round(expected, 2):g}。用 summary")
    assert check_quiz_answer("demo", "q4", round(expected * 100, 1)).message.startswith(
        f"你的答案 {round(expected * 100, 1):g} 正好是正确答案的 100 倍")
    assert check_quiz_answer("demo", "q4", str(round(expected, 2))).message.startswith("你给的是文字")
    assert check_quiz_answer("demo", "q4", 0.2).message == "你的答案 0.2 偏小了。"


def test_number_question_follows_the_registry(monkeypatch):
    monkeypatch.setitem(Q.COMPUTATIONS, "share_top20_xiayi", lambda: 0.5)
    assert check_quiz_answer("demo", "q4", 0.5).correct
    assert quiz_answers("demo")["q4"] == 0.5


def test_answers_and_text_twin():
    answers = quiz_answers("demo")
    assert {k: v for k, v in answers.items() if k != "q4"} == {"q1": "A", "q2": ("A", "C"), "q3": "对"}
    text = quiz_text("demo")
    for q in DEMO["questions"]:
        assert q["text"] in text
        for opt in q.get("options", []):
            assert f"{opt['key']}. {opt['text']}" in text
            assert opt["explanation"] not in text          # 题目文字里不泄露讲解


# ---- 题目文件写错时的中文提示 ----
BAD_CASES = [
    ({"id": "q1", "type": "single", "text": "?", "options": [{"key": "A", "text": "x", "explanation": "e"},
                                                              {"key": "B", "text": "y"}], "answer": "A"},
     "每个选项都要有 key、text 和 explanation"),
    ({"id": "q1", "type": "single", "text": "?", "options": [{"key": "A", "text": "x", "explanation": "e"},
                                                              {"key": "B", "text": "y", "explanation": "e"}],
      "answer": "C"}, "答案 C 不是选项之一"),
    ({"id": "q1", "type": "number", "text": "?", "compute": "no_such"}, "计算 'no_such' 找不到"),
    ({"id": "q1", "type": "essay", "text": "?"}, "type 应是 single、multiple、true_false、number 之一"),
    ({"id": "q1", "type": "true_false", "text": "?", "answer": True, "explanations": {"对": "e"}},
     "explanations 缺少“错”的讲解"),
    ({"id": "q1", "type": "multiple", "text": "?", "options": [{"key": "A", "text": "x", "explanation": "e"},
                                                                {"key": "B", "text": "y", "explanation": "e"}],
      "answer": "A"}, '的 answer 应写成 ["A", "C"]'),
]


@pytest.fixture
def quiz_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(Q, "QUIZ_DIR", tmp_path)
    load_quiz.cache_clear()
    yield tmp_path
    load_quiz.cache_clear()


@pytest.mark.parametrize("question, message", BAD_CASES)
def test_bad_quiz_files_get_chinese_errors(quiz_dir, question, message):
    (quiz_dir / "bad.json").write_text(json.dumps({"title": "t", "questions": [question]}), encoding="utf-8")
    with pytest.raises(ValueError, match="bad.json 第 1 题（q1）") as info:
        load_quiz("bad")
    assert message in str(info.value)


def test_missing_or_broken_quiz_file(quiz_dir):
    with pytest.raises(ValueError, match="没有第 09 章的测试题文件"):
        load_quiz("09")
    (quiz_dir / "ch05.json").write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match="ch05.json 不是合法的 JSON：第 1 行"):
        load_quiz("5")


# ---- 小部件：点“提交”与 check_quiz_answer 给出同样的结果 ----
def test_quiz_widget_submit_gives_the_same_feedback():
    w = quiz("demo")
    assert "已答对 0 / 4 题" in w.score.value
    w.buttons["q1"].click()                                       # 什么都没选就提交
    assert "还没有作答" in w.feedback["q1"].value
    w.inputs["q1"].value = "B"
    w.buttons["q1"].click()
    assert w.results["q1"] == check_quiz_answer("demo", "q1", "B")
    assert "✘" in w.feedback["q1"].value and OPTIONS["q1"]["B"] in w.feedback["q1"].value
    w.inputs["q1"].value = "A"
    w.buttons["q1"].click()
    assert "✔ 正确！" in w.feedback["q1"].value
    boxes = w.inputs["q2"].children
    boxes[0].value = boxes[2].value = True                        # A、C
    assert w.submit("q2").correct
    w.inputs["q3"].value = "错"
    assert not w.submit("q3").correct
    w.inputs["q4"].value = f"{quiz_answers('demo')['q4']:.2f}"
    assert w.submit("q4").correct
    w.inputs["q4"].value = f"{100 * quiz_answers('demo')['q4']:.1f}%"        # 框里写百分数也可以
    assert w.submit("q4").correct
    w.inputs["q4"].value = "六成"
    assert w.submit("q4").message == "应该是一个数，你给的是文字“六成”。"
    assert "已答对 2 / 4 题" in w.score.value                      # 以每题最后一次提交为准


def test_quiz_question_in_an_exercise(capsys):
    q = QuizQuestion("q7", chapter="demo", qid="q1", points=2)
    assert q.variables == ("q7_answer",) and q.points == 2 and q.title.startswith("（单选）")
    assert q.result({"q7_answer": "A"}).correct
    assert q.result({"q7_answer": "B"}).message == f"你选了 B。{OPTIONS['q1']['B']}"
    assert not q.result({"q7_answer": ...}).answered
    q.hint()
    assert "“平均”是对这位客户自己的订单求平均" in capsys.readouterr().out
    number = QuizQuestion("q8", chapter="demo", qid="q4", variable="share")
    number.solution()
    assert f"share = {quiz_answers('demo')['q4']:.4f}"[:12] in capsys.readouterr().out


def test_computation_by_module_path():
    from helpers.data import shop_names
    from helpers.course.quiz import computation

    func = computation("helpers.data:shop_names")
    assert func() == shop_names() and func is computation("helpers.data:shop_names")
    with pytest.raises(ValueError, match="找不到"):
        computation("helpers.nothing:here")
    with pytest.raises(ValueError, match="找不到"):
        computation("no_such_name")


def test_quiz_text_does_not_repeat_the_type_label():
    from helpers.course.quiz import quiz_text

    text = quiz_text("01")
    assert "（多选）" not in text and "（多选，" in text


# ---- 长选项折行，不被截成“…” ----
@pytest.mark.parametrize("chapter", [f"{n:02d}" for n in range(1, 14)])
def test_quiz_options_are_written_out_in_full(chapter):
    import ipywidgets as W

    w = quiz(chapter)

    def walk(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from walk(child)

    parts = list(walk(w.widget))
    shown = "".join(p.value for p in parts if isinstance(p, W.HTML))
    for it in w.quiz.items:
        for key, text, _ in it.options:
            if text:
                assert html.escape(text) in shown, f"第 {chapter} 章 {it.id} 的选项 {key} 没有完整写出"
    # 控件上只写选项字母（对、错）：放不下而被截断的只可能是长文字
    labels = [p.description for p in parts if isinstance(p, W.Checkbox)]
    labels += [label for p in parts if isinstance(p, (W.ToggleButtons, W.RadioButtons)) for label in p._options_labels]
    assert labels and all(len(label) <= 2 for label in labels), labels

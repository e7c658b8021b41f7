"""即时反馈：每个比较函数对“对、各种典型错误、类型不对”都给出具体的中文说明；题目对象从不抛出异常。"""
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from helpers import Segment, load_shop, sms_length, sms_parts
from helpers.course.checks import (Question, QuestionSet, Result, bind, compare_customer_sets, compare_mapping,
                            compare_number, compare_text, grade_namespace)

from helpers.course.exercises import demo

# 一张手写的小汇总表：A、B 是“正确”的客户
SUMMARY = pd.DataFrame({"order_count": [2, 3, 1, 2, 5, 0, 4, 6]},
                       index=pd.Index(list("ABCDEFGH"), name="customer_id"))
RIGHT = SUMMARY.loc[["A", "B"]]


# ---------------------------------------------------------------------------
# compare_customer_sets
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("answer", [
    RIGHT, RIGHT.reset_index(), ["B", "A"], {"A", "B"}, ("A", "B"), pd.Index(["A", "B"]),
    pd.Series(["A", "B"]), RIGHT["order_count"], np.array(["A", "B"], dtype=object),
])
def test_customer_sets_right_in_every_shape(answer):
    res = compare_customer_sets(answer, RIGHT)
    assert res.correct and res.message == "共 2 位客户。"


def test_customer_sets_count_extra_and_missing():
    res = compare_customer_sets(SUMMARY.loc[["A", "C", "D", "E"]], RIGHT)
    assert not res.correct
    assert res.message == "你选出了 4 位客户，正确答案是 2 位。多选了 3 位（C、D、E）；漏掉了 1 位（B）。"
    res = compare_customer_sets(["A"], RIGHT)
    assert res.message == "你选出了 1 位客户，正确答案是 2 位。漏掉了 1 位（B）。"


def test_customer_sets_same_count_different_people():
    res = compare_customer_sets(["A", "C"], ["A", "B"])
    assert res.message == "人数对了（2 位），但名单不一样：多选了 1 位（C）；漏掉了 1 位（B）。"


def test_customer_sets_lists_at_most_five_ids():
    res = compare_customer_sets(list("ABCDEFGH"), ["A"])
    assert res.message == "你选出了 8 位客户，正确答案是 1 位。多选了 7 位（B、C、D、E、F 等）。"


def test_customer_sets_alternative_misreadings_get_their_own_message():
    gt2 = SUMMARY[SUMMARY["order_count"] > 2]          # B、E、G、H
    ge2 = SUMMARY[SUMMARY["order_count"] >= 2]         # A、B、D、E、G、H
    ge3_lazy = lambda: set(gt2.index)                  # noqa: E731 —— 误读也可以是函数
    alts = {"你用了 > 2，题目要求的是 ≥ 2": ge3_lazy, "你把“女”写成了“男”": ["C"]}
    res = compare_customer_sets(gt2, ge2, alternatives=alts)
    assert res.message == "你用了 > 2，题目要求的是 ≥ 2。你选出了 4 位客户，正确答案是 6 位。"
    assert compare_customer_sets(["C"], ge2, alternatives=alts).message.startswith("你把“女”写成了“男”。")
    assert compare_customer_sets(ge2, ge2, alternatives=alts).correct
    # 误读的结果碰巧与正确答案相同时，不会把正确答案说成误读
    same = compare_customer_sets(["A"], ["A"], alternatives={"误读": ["A"]})
    assert same.correct


@pytest.mark.parametrize("answer, message", [
    (40, "应该是一个 DataFrame 或客户编号列表，你给的是 int（40）：这道题要的是这些客户本身，不是人数。"),
    (2.0, "应该是一个 DataFrame 或客户编号列表，你给的是 float（2）：这道题要的是这些客户本身，不是人数。"),
    ("A", "应该是一个 DataFrame 或客户编号列表，你给的是文字“A”。"),
    (None, "应该是一个 DataFrame 或客户编号列表，你给的是 None（空值）。"),
    (SUMMARY["order_count"] >= 2, "你给的是一列 True/False（每位客户是否满足条件），还没有用它选人：请写成 summary[条件]，得到入组客户的表。"),
    (Segment("x", min_orders=2), "你给的是分组规则（Segment），还没有选出客户：请用 .select(summary) 得到入组客户。"),
    (RIGHT.reset_index(drop=True), "这张表里找不到客户编号：索引是 0、1、2……，也没有 customer_id 列（是不是用了 reset_index(drop=True)？）。"),
])
def test_customer_sets_wrong_type(answer, message):
    res = compare_customer_sets(answer, RIGHT)
    assert not res.correct and res.message == message


def test_customer_sets_duplicates_and_head():
    dup = pd.concat([RIGHT, RIGHT.loc[["A"]]])
    assert compare_customer_sets(dup, RIGHT).message == \
        "名单里有重复的客户：A。每位客户只能出现一次（是不是合并表格时出现了重复行？）。"
    big = pd.DataFrame(index=pd.Index([f"C{i:02d}" for i in range(12)], name="customer_id"))
    assert compare_customer_sets(big.head(), big).message == \
        "你只给了 5 位客户，正确答案是 12 位：是不是把 .head() 的结果赋给了答案？请赋值为完整的表。"


# ---------------------------------------------------------------------------
# compare_number
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("answer", [199.995, 200, 200.004, np.float64(200.0), np.int64(200), Decimal("200.00"),
                                    np.array(200.0)])
def test_number_right_to_the_fen(answer):
    res = compare_number(answer, 199.999)
    assert res.correct and res.message in ("200 元。", "199.995 元。", "200.004 元。")


def test_number_wrong_messages():
    assert compare_number(250, 200).message == "你的答案 250 元偏大了。"
    assert compare_number(150, 200, reveal=True).message == "你的答案 150 元偏小了。正确答案是 200 元。"
    assert compare_number(200.5, 200).message == \
        "很接近了，但偏大了一点（你的答案是 200.5 元）：检查有没有提前四舍五入，或者多算/漏算了几笔。"
    assert compare_number(62.3, 0.623, unit="").message.startswith("你的答案 62.3 正好是正确答案的 100 倍")
    assert compare_number(0.62, 62, unit="", tolerance=0.01).message.startswith(
        "你的答案 0.62 正好是正确答案的 1/100")
    assert compare_number(3, 3.0, tolerance=0, unit="条").message == "3 条。"


def test_number_alternatives():
    alts = {"你按每 70 字一条算了": 2, "这是字数，不是条数": lambda: 138}
    assert compare_number(2, 3, tolerance=0, unit="条", alternatives=alts).message == \
        "你按每 70 字一条算了。你的答案是 2 条。"
    assert compare_number(138, 3, tolerance=0, unit="条", alternatives=alts).message == \
        "这是字数，不是条数。你的答案是 138 条。"
    assert compare_number(3, 3, tolerance=0, alternatives={"误读": 3}).correct


@pytest.mark.parametrize("answer, message", [
    ("12.5", "你给的是文字 “12.5”（带引号），请写成数 12.5，不要加引号。"),
    ("很多", "应该是一个数，你给的是文字“很多”。"),
    (True, "应该是一个数，你给的是 True（真/假值）。"),
    (None, "应该是一个数，你给的是 None（空值）。"),
    (pd.Series([12.5]), "你给的是一个只有一个值的 Series，请取出那个数，例如 .iloc[0] 或 .item()。"),
    (pd.Series([1.0, 2.0, 3.0]), "应该是一个数，你给的是有 3 个值的 Series：是不是还差一步汇总（例如 .sum()、.mean() 或 len(...)）？"),
    ([1, 2], "应该是一个数，你给的是 list（有 2 个元素）。"),
    (float("nan"), "你的结果是 NaN（空值）：检查是不是对空表求了平均，或者列名写错了。"),
])
def test_number_wrong_type(answer, message):
    res = compare_number(answer, 12.5)
    assert not res.correct and res.message == message


# ---------------------------------------------------------------------------
# compare_text
# ---------------------------------------------------------------------------
RULES = "本店会员规则\n\n入会条件：累计消费金额达到 100.0 元\nVIP1 普通会员\nVIP2 高级会员"


def test_text_right_ignores_line_endings_and_final_newline():
    res = compare_text(RULES.replace("\n", "\r\n") + "\r\n", RULES)
    assert res.correct and res.message == "文字完全一致（5 行）。"


def test_text_first_differing_line_and_column():
    wrong = RULES.replace("达到 100.0 元", "大于 100 元")
    assert compare_text(wrong, RULES).message == \
        "第 3 行不一样（从第 12 个字起）：\n  你的：入会条件：累计消费金额大于 100 元\n  应为：入会条件：累计消费金额达到 100.0 元"


def test_text_missing_extra_and_whitespace():
    lines = RULES.split("\n")
    assert compare_text("\n".join(lines[:3]), RULES).message == "你的文字少了最后 2 行，缺少的第一行应为：VIP1 普通会员"
    assert compare_text(RULES + "\nVIP3 VIP会员", RULES).message == "你的文字多了 1 行，多出的第一行是：VIP3 VIP会员"
    assert compare_text(RULES.replace("VIP1 普通会员", "VIP1 普通会员 "), RULES).message == \
        "只有空格不一样：第 4 行的开头或结尾多了/少了空格。"


def test_text_wrong_type_and_alternative():
    assert compare_text(RULES.split("\n"), RULES).message == \
        "你给的是一个 list（5 行），请用 \"\\n\".join(...) 连成一段文字。"
    assert compare_text(5, RULES).message == "应该是一段文字（str），你给的是 int。"
    strict = RULES.replace("达到", "大于")
    assert compare_text(strict, RULES, alternatives={"教材的等级规则写的是“达到”，不是“大于”": strict}).message == \
        "教材的等级规则写的是“达到”，不是“大于”"


# ---------------------------------------------------------------------------
# compare_mapping
# ---------------------------------------------------------------------------
TIERS = {"普通会员": 120, "高级会员": 40, "VIP会员": 12, "至尊VIP": 0}


def test_mapping_right_from_value_counts_or_dict():
    counts = pd.Series(["普通会员"] * 120 + ["高级会员"] * 40 + ["VIP会员"] * 12).value_counts()
    res = compare_mapping(counts, TIERS)       # 至尊VIP 0 人没列出来也算对
    assert res.correct and res.message == "普通会员 120 人、高级会员 40 人、VIP会员 12 人、至尊VIP 0 人。"
    assert compare_mapping(dict(TIERS), pd.Series(TIERS)).correct
    assert compare_mapping(pd.DataFrame({"人数": TIERS}), TIERS).correct


def test_mapping_names_the_keys_that_differ():
    res = compare_mapping({"普通会员": 118, "高级会员": 40, "VIP会员": 12, "非会员": 300}, TIERS)
    assert res.message == "多出：非会员（你的是 300 人）。数目不对：普通会员 你的是 118 人，应为 120 人。"
    res = compare_mapping({"普通会员": 120, "高级会员": 40}, TIERS)
    assert res.message == "缺少：VIP会员。"
    strict = {"普通会员": 119, "高级会员": 40, "VIP会员": 12}
    assert compare_mapping(strict, TIERS, alternatives={"你按“大于”算了门槛": strict}).message == "你按“大于”算了门槛"


def test_mapping_wrong_type():
    assert compare_mapping([120, 40], TIERS).message == \
        "应该是每一类对应一个数（Series 或 dict，例如 value_counts() 的结果），你给的是 list。"
    assert compare_mapping(pd.DataFrame({"a": [1], "b": [2]}), TIERS).message == \
        "应该是每一类对应一个数（Series 或 dict），你给的是有 2 列的 DataFrame。"
    assert compare_mapping({"普通会员": "120"}, TIERS).message.startswith("“普通会员”对应的值不是数：你给的是文字")


# ---------------------------------------------------------------------------
# Question：check / hint / solution，未作答与异常
# ---------------------------------------------------------------------------
def _count_question():
    return Question("q1", "订单总数 ≥ 2 的客户", "q1_group", points=2, hint="用 summary[条件]",
                    solution="q1_group = summary[summary.order_count >= 2]",
                    evaluate=lambda a, ns: compare_customer_sets(
                        a["q1_group"], SUMMARY[SUMMARY["order_count"] >= 2],
                        alternatives={"你用了 > 2，题目要求的是 ≥ 2": SUMMARY[SUMMARY["order_count"] > 2]}))


def test_question_check_prints_and_returns_result(capsys):
    ns = {"q1_group": SUMMARY[SUMMARY["order_count"] >= 2]}
    (q1,) = bind(ns, [_count_question()], chapter="t")
    res = q1.check()
    assert capsys.readouterr().out == "✔ q1 正确！共 6 位客户。\n"
    assert isinstance(res, Result) and res.correct and res.status == "正确" and res.name == "q1"
    res._ipython_display_()            # 单元格最后一行是 q1.check() 时不重复显示
    assert capsys.readouterr().out == ""
    ns["q1_group"] = SUMMARY[SUMMARY["order_count"] > 2]
    assert q1.check().status == "错误"
    assert capsys.readouterr().out == \
        "✘ q1 还不对：你用了 > 2，题目要求的是 ≥ 2。你选出了 4 位客户，正确答案是 6 位。\n"
    ns["q1_group"] = 6
    assert "你给的是 int（6）" in q1.check().message


def test_question_unanswered_never_raises(capsys):
    ns = {}
    (q1,) = bind(ns, [_count_question()])
    res = q1.check()
    assert not res.answered and res.status == "未作答"
    assert capsys.readouterr().out.startswith("○ q1 还没有作答：没有找到变量 q1_group。")
    ns["q1_group"] = ...
    q1.check()
    assert capsys.readouterr().out == "○ q1 还没有作答：请把答案赋给变量 q1_group（现在还是 ...）。\n"
    unbound = _count_question()
    assert "还没有和你的笔记本连起来" in unbound.check().message


def test_question_exception_in_answer_object_becomes_feedback():
    class Weird(list):
        def __iter__(self):
            raise RuntimeError("坏掉的对象")

    (q1,) = bind({"q1_group": Weird()}, [_count_question()])
    res = q1.check()
    assert not res.correct and res.answered
    assert res.message == "答案的类型不对，检查时出错：RuntimeError: 坏掉的对象"


def test_question_hint_solution_and_bool_evaluate(capsys):
    q = _count_question()
    q.hint()
    q.solution()
    out = capsys.readouterr().out
    assert out == "💡 q1 提示：用 summary[条件]\n📖 q1 参考答案：\nq1_group = summary[summary.order_count >= 2]\n"
    yes = Question("q9", "二加二", "q9", evaluate=lambda a, ns: a["q9"] == 4)
    assert yes.result({"q9": 4}).correct and not yes.result({"q9": 5}).correct


def test_setup_returns_unpackable_question_set():
    questions = demo.setup({})
    assert isinstance(questions, QuestionSet) and [q.name for q in questions] == ["q1", "q2", "q3"]
    q1, q2, q3 = questions
    assert "q1（3 分）" in repr(questions) and "q3_answer" in repr(q3)


def test_grade_namespace_scores_every_question_from_plain_answers():
    ns = {"q2_parts": sms_parts(demo.SMS_TEXT), "q3_answer": ["A"]}
    rows = grade_namespace(demo.QUESTIONS, ns)
    assert [(r["name"], r["points"], r["score"], r["correct"], r["answered"]) for r in rows] == \
        [("q1", 3, 0, False, False), ("q2", 2, 2, True, True), ("q3", 1, 0, False, True)]


def test_answer_that_is_not_plain_data_is_scored_as_wrong_with_a_reason():
    from helpers.course.answers import NotPlainData

    rows = grade_namespace(demo.QUESTIONS, {"q2_parts": NotPlainData("function")})
    q2 = rows[1]
    assert q2["answered"] and not q2["correct"] and q2["score"] == 0
    assert q2["message"].startswith("q2_parts 的值是 function，不是可以评分的数据")


def test_partial_credit_per_part():
    q = Question("q1", "五位客户的 R 分", "r", points=5, parts=5,
                 evaluate=lambda a, ns: compare_mapping(a["r"], {"A": 1, "B": 2, "C": 3, "D": 4, "E": 5}, unit="分"))
    rows = grade_namespace([q], {"r": {"A": 1, "B": 2, "C": 3, "D": 5, "E": 1}})
    assert rows[0]["score"] == 3 and not rows[0]["correct"]
    whole = Question("q2", "全对才得分", "r", points=5,
                     evaluate=lambda a, ns: compare_mapping(a["r"], {"A": 1, "B": 2}, unit="分"))
    assert grade_namespace([whole], {"r": {"A": 1, "B": 3}})[0]["score"] == 0


# ---------------------------------------------------------------------------
# 演示章节：在真实数据上，每道题一个对的答案、至少两个典型错误、没作答
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def kids():
    return load_shop("a_kids").summary()


def mothers_day(summary, **changes):
    return Segment("母亲节", "母亲节促销", **dict(demo.MOTHERS_DAY, **changes)).select(summary)


def test_demo_q1_mothers_day(kids):
    ns = {}
    q1, _, _ = demo.setup(ns)
    assert q1.result().message == "还没有作答：没有找到变量 q1_group。请在练习单元格里写 q1_group = 你的答案，运行这个单元格后再检查。"
    right = mothers_day(kids)
    ns["q1_group"] = right
    assert q1.result().correct and q1.result().message == f"共 {len(right)} 位客户。"
    gt2 = mothers_day(kids, min_orders=3)
    ns["q1_group"] = gt2
    assert q1.result().message == (f"你用了“订单总数 > 2”（即 ≥ 3），题目要求的是 ≥ 2。"
                                   f"你选出了 {len(gt2)} 位客户，正确答案是 {len(right)} 位。")
    ns["q1_group"] = mothers_day(kids, min_avg_order_value=200.01)
    assert q1.result().message.startswith("你把“平均订单价 ≥ 200 元”写成了 > 200（≥ 200.01）")
    ns["q1_group"] = len(right)
    assert q1.result().message.startswith(f"应该是一个 DataFrame 或客户编号列表，你给的是 int（{len(right)}）")
    wrong_region = mothers_day(kids, regions=["浙江"])
    ns["q1_group"] = wrong_region
    assert q1.result().message.startswith(f"你选出了 {len(wrong_region)} 位客户，正确答案是 {len(right)} 位。多选了")


def test_demo_q2_sms_parts():
    assert sms_length(demo.SMS_TEXT) == 138          # 70 < 138 ≤ 140：按 67 字算 3 条，按 70 字算只有 2 条
    ns = {"q2_parts": ...}
    _, q2, _ = demo.setup(ns)
    assert not q2.result().answered
    ns["q2_parts"] = sms_parts(demo.SMS_TEXT)
    assert q2.result().correct and q2.result().message == "3 条。"
    for wrong, start in [(2, "你按每 70 字一条算了"), (138, "这是短信的字数"), (1, "超过 70 个字的长短信不是按 1 条计费的"),
                         ("3", "你给的是文字 “3”（带引号）"), (5, "你的答案 5 条偏大了。")]:
        ns["q2_parts"] = wrong
        assert q2.result().message.startswith(start), wrong


def test_demo_q3_quiz_question(capsys):
    ns = {"q3_answer": ...}
    _, _, q3 = demo.setup(ns)
    assert q3.result().status == "未作答"
    ns["q3_answer"] = ["A", "C"]
    assert q3.result().correct
    ns["q3_answer"] = ["A"]
    assert q3.result().message == "还有 1 个正确选项没选（多选题要选出全部正确的选项）。"
    ns["q3_answer"] = "A, B, C"
    assert q3.result().message.startswith("B 不该选：不需要，也不应该")
    ns["q3_answer"] = []
    assert q3.result().status == "未作答"
    q3.solution()
    assert "q3_answer = ['A', 'C']" in capsys.readouterr().out


def test_checks_follow_the_data_not_stored_numbers(kids, monkeypatch):
    """正确答案在检查时由数据算出：数据变了（这里只留一半客户），正确答案跟着变。"""
    ns = {"q1_group": mothers_day(kids)}
    q1, _, _ = demo.setup(ns)
    assert q1.result().correct
    half = kids.iloc[::2]
    monkeypatch.setattr(demo, "_summary", lambda: half)
    demo.mothers_day_group.cache_clear()
    try:
        assert not q1.result().correct
        ns["q1_group"] = mothers_day(half)
        assert q1.result().correct
    finally:
        demo.mothers_day_group.cache_clear()


def test_quiz_only_chapter_is_not_a_gradable_chapter():
    from helpers.course.exercises import available_chapters, load_chapter

    assert "01" not in available_chapters() and "02" in available_chapters()
    with pytest.raises(ValueError, match="第 01 章只有章节测试，没有练习题目"):
        load_chapter("01")
    with pytest.raises(ValueError, match="没有第 99 章的练习题目"):
        load_chapter("99")


def test_customer_ids_from_series_unique_are_accepted():
    from helpers.course.checks import compare_customer_sets

    ids = pd.Series(["A", "B", "B"], dtype="string").unique()   # pandas 扩展数组，不是 numpy 数组
    assert compare_customer_sets(ids, {"A", "B"}).correct


def test_percent_sign_sits_next_to_the_number():
    assert compare_number(12.7, 12.7, unit="%", tolerance=0.05).message == "12.7%。"
    assert compare_number(37, 37, unit="人", tolerance=0).message == "37 人。"
    wrong = compare_number(0.127, 12.7, unit="%", tolerance=0.05)
    assert wrong.message.startswith("你的答案 0.127% 正好是正确答案的 1/100")
    assert compare_number(13.9, 12.7, unit="%", tolerance=0.05, reveal=True).message.endswith("正确答案是 12.7%。")


# ---------------------------------------------------------------------------
# 问题 10：反馈说出真正的错误；全角输入；两步提示；误读清单；分组规则在边界客户上检查
# ---------------------------------------------------------------------------
def test_percent_text_advice_matches_the_unit_the_question_asks_for():
    # 题目要小数（unit=""）时，“69.1%” 应写成 0.691，而不是 69.1
    fraction = compare_number("69.1%", 0.691, unit="")
    assert "0.691" in fraction.message and "写成数 69.1" not in fraction.message
    # 题目要百分数（unit="%"）时，写 69.1 不加 %
    percent = compare_number("69.1%", 69.1, unit="%", tolerance=0.05)
    assert "请写成数 69.1，不加引号也不加 %" in percent.message
    assert "请写成数 12.5，不要加引号" in compare_number("12.5元", 12.5).message


def test_times_100_advice_depends_on_what_the_number_is():
    share = compare_number(69.1, 0.691, unit="", tolerance=0.0005)
    assert "0 到 1 之间的小数" in share.message
    roi = compare_number(3183, 31.83, unit="")                     # ROI 是倍数，远大于 1
    assert "0 到 1" not in roi.message and "不要乘 100" in roi.message
    money = compare_number(1250, 12.5, unit="元")
    assert "把元写成了分" in money.message and "0 到 1" not in money.message
    assert "乘了两次 100" in compare_number(1270, 12.7, unit="%", tolerance=0.05).message


def test_mask_message_names_the_questions_own_table():
    mask = pd.Series([True, False], index=pd.Index(["A", "B"], name="customer_id"))
    assert "请写成 q1_group[条件]" in compare_customer_sets(mask, {"A"}, table="q1_group").message
    assert "请写成 summary[条件]" in compare_customer_sets(mask, {"A"}).message


@pytest.mark.parametrize("answer, expected", [("Ｂ", "B"), ("３", "3"), ("ｐ", "p"), ("６９．１％", "69.1%"),
                                              (["Ａ", "Ｃ"], ["A", "C"]), ({"Ｐ": 3}, {"P": 3})])
def test_full_width_letters_and_digits_become_half_width(answer, expected):
    from helpers.course.checks import half_width

    assert half_width(answer) == expected
    assert half_width("会员：“达到”，ＶＩＰ") == "会员：“达到”，VIP"       # 中文标点不动


def test_full_width_answers_are_accepted_everywhere():
    from helpers.course.quiz import check_quiz_answer, load_quiz

    item = load_quiz("02").items[0]
    answer = item.correct_answer()
    if isinstance(answer, str):
        full = answer.translate({i: i + 0xFEE0 for i in range(0x41, 0x5B)})
        assert check_quiz_answer("02", item.id, full).correct
    levels = pd.Series({"Ｐ": 2, "Ｇ": 5})
    q = Question("q1", "各级人数", "q1_levels",
                 evaluate=lambda a, ns: compare_mapping(a["q1_levels"], {"P": 2, "G": 5}))
    assert q.result({"q1_levels": levels}).correct


def test_hints_two_steps_idea_then_code(capsys):
    q = Question("q1", "题目", "x", evaluate=lambda a, ns: True, hint=("先想一想界线含不含等号。", "x = summary[...]"))
    q.hint()
    first = capsys.readouterr().out
    assert "先想一想" in first and "summary[" not in first and "再运行一次 q1.hint()" in first
    q.hint()
    assert "x = summary[...]" in capsys.readouterr().out
    bound = q.bind({})
    bound.hint()                                  # 连到新笔记本后，重新从第一步开始
    assert "先想一想" in capsys.readouterr().out


def test_question_with_compare_and_misreadings():
    from functools import partial

    from helpers.course.checks import Misreading

    q = Question("q1", "客单价", "x", expected=lambda: 12.5, compare=partial(compare_number, unit="元"),
                 misreadings=[Misreading("你算的是人均消费", lambda: 30.0, boundary="客单价按笔算")])
    assert q.result({"x": 12.5}).correct
    assert q.result({"x": 30.0}).message.startswith("你算的是人均消费")
    with pytest.raises(ValueError, match="expected"):
        Question("q2", "t", "x", compare=compare_number)


def test_boundary_probe_puts_one_customer_on_each_boundary():
    from helpers.segments import Segment

    seg = Segment("父亲节", min_total_amount=200, last_order_after="2016-03-01", min_points=100,
                  min_orders=1, min_avg_order_value=80, gender="男", regions=["上海", "江苏"])
    probe = seg.boundary_probe()
    on = probe.set_index("边界")
    assert on.loc["订单总金额正好 200 元", "total_amount"] == 200 and on.loc["订单总金额正好 200 元", "应入组"]
    assert not on.loc["订单总金额 199.99 元", "应入组"]
    assert on.loc["最后下单时间在 2016-03-01 当天 0 点", "应入组"]
    assert not on.loc["最后下单时间在前一天 2016-02-29 23:59:59", "应入组"]
    assert on.loc["平均订单价正好 80 元", "应入组"] and not on.loc["平均订单价差一分不到 80 元", "应入组"]
    assert on.loc["积分正好 100", "应入组"] and not on.loc["积分 99", "应入组"]
    assert on.loc["所属地区只有“江苏”", "应入组"] and not on.loc["性别为女", "应入组"]
    # 每一种“差一点”的改动都会改变入组的客户
    for changes in (dict(min_total_amount=200.01), dict(last_order_after="2016-03-02"),
                    dict(last_order_after="2016-02-29"), dict(min_points=101), dict(min_points=99),
                    dict(min_avg_order_value=80.01), dict(min_total_amount=199.99)):
        other = Segment("x", **{**seg.rules, **changes})
        assert set(other.select(probe).index) != set(seg.select(probe).index), changes


def test_compare_segment_names_each_boundary():
    from helpers.course.checks import compare_segment
    from helpers.segments import Segment

    rules = dict(min_total_amount=200, gender="男", last_order_after="2016-03-01", min_points=100,
                 regions=["上海", "江苏"])
    exp = Segment("父亲节", **rules)
    assert compare_segment(Segment("随便起名", **rules), exp).correct
    assert "订单总金额正好 200 元" in compare_segment(Segment("x", **{**rules, "min_total_amount": 201}), exp).message
    assert "2016-03-01 当天" in compare_segment(Segment("x", **{**rules, "last_order_after": "2016-03-02"}), exp).message
    assert "前一天 2016-02-29" in compare_segment(Segment("x", **{**rules, "last_order_after": "2016-02-29"}), exp).message
    assert "少了 江苏" in compare_segment(Segment("x", **{**rules, "regions": ["上海"]}), exp).message
    assert "少了“性别”这条规则" in compare_segment(Segment("x", **{k: v for k, v in rules.items() if k != "gender"}), exp).message
    assert "多了“订单总数”这条规则" in compare_segment(Segment("x", **rules, min_orders=1), exp).message
    assert "是选出的客户" in compare_segment(pd.DataFrame({"a": [1]}), exp).message
    special = {"你把满 200 读成了 > 200": Segment("x", **{**rules, "min_total_amount": 200.01})}
    assert compare_segment(Segment("y", **{**rules, "min_total_amount": 200.01}), exp, special).message == \
        "你把满 200 读成了 > 200"

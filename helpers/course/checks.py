"""练习的即时反馈：q1.check() 检查答案、q1.hint() 给提示、q1.solution() 看参考答案。

练习本的第一个代码单元格把本章的题目和笔记本连起来（以演示章节为例）::

    from helpers.course.exercises import demo
    q1, q2, q3 = demo.setup(globals())

之后把答案赋给题目要求的变量（例如 ``q1_group = ...``），运行 ``q1.check()`` 就能看到
中文反馈：对了说“正确”，错了指出具体哪里不对（人数不对、多选或漏选了哪些客户、
类型不对、把 ≥ 看成了 > ……），还没作答时友好地提醒，从不抛出异常。

正确答案总是在检查的那一刻由数据算出来（见各章 helpers/course/exercises/chNN.py），从不写死数字，
所以重新生成数据后检查依然有效。批量评分（python -m helpers.course.grade）用的是同一套检查，但不在学生的
内核里跑：学生的内核只交出答案（纯数据），由批改程序另起的判分进程调用 grade_namespace 判分。

写新题目时可以直接用的比较函数：compare_customer_sets（客户名单）、compare_number（数）、
compare_text（文字，例如导出的会员规则）、compare_mapping（每个等级/分组的人数）。
"""
from __future__ import annotations

import copy
import math
import numbers
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

__all__ = [
    "Result", "Misreading", "Question", "QuestionSet", "bind", "grade_namespace",
    "compare_customer_sets", "compare_number", "compare_text", "compare_mapping", "compare_segment",
    "half_width",
]

MAX_IDS = 5          # 反馈里每类最多列出几个客户编号
SETUP_HINT = "请先运行练习本第一个代码单元格（里面有 setup(globals())），把题目和笔记本连起来。"


# ---------------------------------------------------------------------------
# 检查结果
# ---------------------------------------------------------------------------
@dataclass
class Result:
    """一次检查的结果：对不对（correct）、中文说明（message）、有没有作答（answered）。

    由 Question.check() 得到时，name 是题号，text 是打印出来的那一行反馈。
    """

    correct: bool
    message: str = ""
    answered: bool = True
    name: str = ""
    parts: tuple | None = None        # (答对的部分, 全部部分)：分部分给分的题目用

    def __bool__(self) -> bool:
        return bool(self.correct)

    @property
    def status(self) -> str:
        """'正确'、'错误' 或 '未作答'。"""
        if not self.answered:
            return "未作答"
        return "正确" if self.correct else "错误"

    @property
    def text(self) -> str:
        """给学生看的一段反馈，以 ✔ / ✘ / ○ 开头。"""
        who = f"{self.name} " if self.name else ""
        if not self.answered:
            return f"○ {who}{self.message}"
        if self.correct:
            return f"✔ {who}正确！" + (self.message or "")
        return f"✘ {who}还不对：{self.message}"

    def __str__(self) -> str:
        return self.text

    def _ipython_display_(self):
        # check() 已经打印过反馈；单元格最后一行是 q1.check() 时不再重复显示一遍。
        if not getattr(self, "_printed", False):
            print(self.text)


def _as_result(value) -> Result:
    if isinstance(value, Result):
        return value
    if isinstance(value, (bool, np.bool_)):
        return Result(bool(value), "")
    if isinstance(value, tuple) and len(value) == 2:
        return Result(bool(value[0]), str(value[1]))
    raise TypeError(f"题目的检查函数应返回 Result，返回的是 {type(value).__name__}")


# ---------------------------------------------------------------------------
# 全角字母、数字：中文输入法打出的 Ｂ、Ｐ、３ 当作 B、P、3
# ---------------------------------------------------------------------------
_HALF = {**{0xFF10 + i: 0x30 + i for i in range(10)},        # ０–９
         **{0xFF21 + i: 0x41 + i for i in range(26)},        # Ａ–Ｚ
         **{0xFF41 + i: 0x61 + i for i in range(26)},        # ａ–ｚ
         0xFF0E: 0x2E, 0xFF05: 0x25, 0xFF0D: 0x2D, 0x3000: 0x20}   # ．％－ 和全角空格


def _half_str(text: str) -> str:
    return text.translate(_HALF)


def half_width(value):
    """把答案里的全角字母和数字（Ｂ、Ｐ、３、．、％）换成半角；其余原样返回。

    只换字母、数字、小数点、百分号、减号和全角空格，不动中文标点（“：”“，”仍是全角），
    所以导出的会员规则这类中文文字照样逐字比较。用在字符串、列表/集合/元组、
    dict 的键和值、Series 与 Index（值是文字时）上；其他类型、以及转换时出错的对象原样返回
    （交给比较函数去说明哪里不对）。
    """
    try:
        return _half_width(value)
    except Exception:  # 学生的答案对象坏掉了：原样交给检查，由检查给出中文反馈
        return value


def _half_width(value):
    if isinstance(value, str):
        return _half_str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        if not any(isinstance(v, str) for v in value):
            return value
        items = [_half_str(v) if isinstance(v, str) else v for v in value]
        return items if isinstance(value, list) else type(value)(items)
    if isinstance(value, dict):
        return {_half_str(k) if isinstance(k, str) else k: _half_str(v) if isinstance(v, str) else v
                for k, v in value.items()}
    if isinstance(value, pd.Index):
        if value.dtype == object or pd.api.types.is_string_dtype(value.dtype):
            return pd.Index([_half_str(v) if isinstance(v, str) else v for v in value], name=value.name)
        return value
    if isinstance(value, pd.Series):
        out = value
        if value.dtype == object or pd.api.types.is_string_dtype(value.dtype):
            if value.map(lambda v: isinstance(v, str) and v != _half_str(v)).any():
                out = value.map(lambda v: _half_str(v) if isinstance(v, str) else v)
        if isinstance(out.index, pd.Index) and not isinstance(out.index, pd.MultiIndex):
            index = _half_width(out.index)
            if index is not out.index:
                out = out.copy() if out is value else out
                out.index = index
        return out
    return value


# ---------------------------------------------------------------------------
# 误读：题目的每一条边界可能被怎样读错
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Misreading:
    """一道题的一种误读：读错了哪条边界、读错后会交出什么答案、检查时给什么反馈。

    参数
    ----
    message : 学生的答案正好等于这种误读时显示的反馈（说出错在哪里，用学生的话）。
    answer : 函数，返回按这种误读算出的答案（形式和学生交的一样）；
             多个答案变量的题目返回 {变量名: 值}。
    boundary : 这条误读针对哪条规则或边界，例如 "订单总金额 ≥ 200 元"（给老师看的说明）。

    每道题的 misreadings 是一张清单；tests/test_course.py 逐条检查：按误读算出的答案
    被判错，并且反馈里正好是这条 message。一种误读在数据上算不出不同的答案时，
    不放进清单，在代码里用注释说明为什么。
    """

    message: str
    answer: Callable[[], Any]
    boundary: str = ""


# ---------------------------------------------------------------------------
# 题目
# ---------------------------------------------------------------------------
class Question:
    """一道练习题（learntools 风格）：.check() 检查、.hint() 提示、.solution() 参考答案。

    参数
    ----
    name : 题号，例如 "q1"。
    title : 一句中文题目，例如 "选出母亲节分组的客户"。
    variables : 存放答案的变量名，例如 ("q1_group",)；只有一个时可以直接写字符串。
    evaluate : 检查函数 evaluate(answers, namespace) -> Result；answers 是 {变量名: 值}，
               namespace 是笔记本的全局变量（一般用不到）。也可以写子类覆盖 evaluate 方法。
    points : 分值（批量评分用），默认 1 分。
    hint : .hint() 显示的提示。写成两步 (思路, 代码)：第一次 .hint() 只给思路（想法、用哪个函数、
           注意哪条边界，不写代码），再调用一次才给代码层面的提示。只写一句时两次都显示它。
    solution : .solution() 显示的参考代码。
    expected : 函数，返回正确答案（形式和学生交的一样；多变量题返回 {变量名: 值}）。
    compare : 比较函数，例如 functools.partial(compare_number, unit="元")；给出它而不给 evaluate 时，
              检查就是 compare(答案, expected, alternatives=误读清单)。
    misreadings : 这道题的误读清单（Misreading 的列表），见 Misreading。
    parts : 分几部分给分（例如 5 位客户的 R、F、M 共 15 个数）；0 表示全对才得分。
            给了 parts 时，每部分 points / parts 分，检查函数在 Result.parts 里说答对了几部分。
    """

    def __init__(self, name: str, title: str, variables, evaluate=None, points: float = 1,
                 hint="", solution: str = "", *, expected: Callable[[], Any] | None = None,
                 compare: Callable | None = None, misreadings=(), parts: int = 0):
        self.name = str(name)
        self.title = str(title)
        self.variables = (variables,) if isinstance(variables, str) else tuple(variables)
        if not self.variables:
            raise ValueError(f"题目 {self.name} 至少要有一个答案变量。")
        self._evaluate = evaluate
        self.points = points
        steps = (hint,) if isinstance(hint, str) else tuple(hint)
        self.hint_steps = tuple(str(h) for h in steps if str(h).strip())
        self.hint_text = "\n".join(self.hint_steps)
        self.solution_text = solution
        self.expected = expected
        self.compare = compare
        self.misreadings = tuple(misreadings)
        self.parts = int(parts)
        if compare is not None and expected is None:
            raise ValueError(f"题目 {self.name} 给了 compare，也要给 expected（算出正确答案的函数）。")
        self.namespace: dict | None = None
        self._hints_shown = 0

    def alternatives(self) -> dict:
        """误读清单写成比较函数要的 {反馈: 误读的答案}（值是函数，用到时才算）。"""
        return {m.message: m.answer for m in self.misreadings}

    def __repr__(self) -> str:
        state = "" if self.namespace is not None else "，还没有连到笔记本"
        return (f"<题目 {self.name}（{self.points:g} 分）：{self.title}；答案写在 "
                f"{'、'.join(self.variables)}{state}。用 {self.name}.check() 检查>")

    # ---- 子类或 evaluate 函数实现 ----
    def evaluate(self, answers: dict, namespace) -> Result:
        """比较答案与正确答案，返回 Result。子类可以覆盖这个方法。"""
        if self._evaluate is not None:
            return _as_result(self._evaluate(answers, namespace))
        if self.compare is not None:
            return _as_result(self.compare(answers[self.variables[0]], self.expected,
                                           alternatives=self.alternatives()))
        raise NotImplementedError(f"题目 {self.name} 没有检查函数。")

    def bind(self, namespace: dict) -> "Question":
        """返回一份连到 namespace（笔记本的 globals()）的副本。"""
        bound = copy.copy(self)
        bound.namespace = namespace
        bound._hints_shown = 0
        return bound

    # ---- 学生用的三个方法 ----
    def result(self, namespace: dict | None = None) -> Result:
        """检查答案但不打印（测试和批量评分用）。"""
        ns = self.namespace if namespace is None else namespace
        if ns is None:
            return Result(False, f"这道题还没有和你的笔记本连起来。{SETUP_HINT}", answered=False, name=self.name)
        for var in self.variables:
            if var not in ns:
                return Result(False, f"还没有作答：没有找到变量 {var}。请在练习单元格里写 {var} = 你的答案，"
                                     "运行这个单元格后再检查。", answered=False, name=self.name)
            if ns[var] is Ellipsis:
                return Result(False, f"还没有作答：请把答案赋给变量 {var}（现在还是 ...）。",
                              answered=False, name=self.name)
        from .answers import NotPlainData

        for var in self.variables:
            if isinstance(ns[var], NotPlainData):
                return Result(False, f"{var} 的值是 {ns[var].type_name}，不是可以评分的数据：请把结果本身"
                                     f"（表、数、文字、列表或分组规则）赋给 {var}。", name=self.name)
        answers = {var: half_width(ns[var]) for var in self.variables}
        try:
            res = _as_result(self.evaluate(answers, ns))
        except Exception as exc:  # 学生的答案对象出了任何问题，都变成一句中文反馈
            res = Result(False, f"答案的类型不对，检查时出错：{type(exc).__name__}: {exc}"[:300])
        return Result(bool(res.correct), res.message, res.answered, self.name, res.parts)

    def check(self) -> Result:
        """检查你的答案，打印中文反馈（对了、错在哪里、或还没作答）。"""
        res = self.result()
        print(res.text)
        res._printed = True
        return res

    def hint(self) -> None:
        """给一个提示（不是答案）：第一次只说思路，再调用一次给代码层面的提示。"""
        if not self.hint_steps:
            print(f"💡 {self.name} 提示：这道题没有提示，先读一读上面的讲解吧。")
            return
        step = min(self._hints_shown, len(self.hint_steps) - 1)
        self._hints_shown += 1
        more = len(self.hint_steps) > 1
        label = f"提示（{step + 1}/{len(self.hint_steps)}）" if more else "提示"
        tail = f"\n（还想要更具体的提示？再运行一次 {self.name}.hint()。）" if more and step == 0 else ""
        print(f"💡 {self.name} {label}：{self.hint_steps[step]}{tail}")

    def solution(self) -> None:
        """显示参考答案（先自己试一试再看哦）。"""
        text = self.solution_text or "（这道题没有参考代码。）"
        print(f"📖 {self.name} 参考答案：\n{text}")


class QuestionSet(tuple):
    """setup() 返回的一组题目，可以直接拆开：q1, q2, q3 = ch02.setup(globals())。"""

    def __repr__(self) -> str:
        return "\n".join(repr(q) for q in self)


def bind(namespace: dict, questions, chapter: str = "") -> QuestionSet:
    """把一章的题目连到笔记本的全局变量上（各章 setup(globals()) 调用它）。"""
    if not isinstance(namespace, dict):
        raise ValueError("setup() 需要笔记本的全局变量：请写成 setup(globals())。")
    return QuestionSet(q.bind(namespace) for q in questions)


def _score(q, res: Result) -> float:
    """一道题的得分：全对得满分；分部分给分的题目按答对的部分算（保留两位小数）。"""
    if res.correct:
        return q.points
    if getattr(q, "parts", 0) and res.parts and res.parts[1]:
        right, total = res.parts
        return round(q.points * max(0, min(right, total)) / total, 2)
    return 0


def grade_namespace(questions, namespace: dict) -> list[dict]:
    """用 namespace 里的答案检查每道题，返回 [{name, title, points, score, correct, answered, message}]。

    批量评分在判分进程里调用它（namespace 是从学生内核里取出的纯数据答案，见 helpers.course.answers）。
    """
    rows = []
    for q in questions:
        res = q.result(namespace)
        rows.append({"name": q.name, "title": q.title, "points": q.points,
                     "score": _score(q, res), "correct": bool(res.correct),
                     "answered": bool(res.answered), "message": res.message})
    return rows


# ---------------------------------------------------------------------------
# 比较函数：让反馈具体到“哪里不对”
# ---------------------------------------------------------------------------
def _value(x):
    """正确答案和“误读答案”都可以是函数，用到时才计算。"""
    return x() if callable(x) else x


def _type_name(x) -> str:
    if x is None:
        return "None（空值）"
    if isinstance(x, bool):
        return f"{x}（真/假值）"
    if isinstance(x, str):
        shown = x if len(x) <= 20 else x[:20] + "…"
        return f"文字“{shown}”"
    return type(x).__name__


def _sp(x) -> str:
    """类型名是英文时前面留空格（“你给的是 int”），是中文时不留（“你给的是文字“A””）。"""
    return "" if isinstance(x, str) else " "


def format_number(x) -> str:
    """数字的显示：整数不带小数点，其余最多 4 位小数。"""
    x = float(x)
    if x.is_integer():
        return str(int(x))
    return ("%.4f" % x).rstrip("0").rstrip(".")


def _ids_preview(ids, limit: int = MAX_IDS) -> str:
    ids = sorted(ids, key=str)
    shown = "、".join(map(str, ids[:limit]))
    return shown + (" 等" if len(ids) > limit else "")


def _id_list(answer, what: str, table: str = "summary"):
    """把学生的答案变成客户编号列表；不行时返回 (None, 说明)。table 是题目里用来选人的表名。"""
    from ..segments import Segment

    if isinstance(answer, Segment):
        return None, (f"你给的是分组规则（Segment），还没有选出客户：请用 .select({table}) 得到入组客户。")
    if isinstance(answer, pd.DataFrame):
        if "customer_id" in answer.columns:
            return [str(v) for v in answer["customer_id"]], None
        if isinstance(answer.index, pd.RangeIndex) and answer.index.name is None:
            return None, ("这张表里找不到客户编号：索引是 0、1、2……，也没有 customer_id 列"
                          "（是不是用了 reset_index(drop=True)？）。")
        return [str(v) for v in answer.index], None
    if isinstance(answer, pd.Series):
        if pd.api.types.is_bool_dtype(answer.dtype):
            return None, ("你给的是一列 True/False（每位客户是否满足条件），还没有用它选人："
                          f"请写成 {table}[条件]，得到入组{what}的表。")
        if answer.name == "customer_id" or answer.index.name != "customer_id":
            return [str(v) for v in answer], None
        return [str(v) for v in answer.index], None
    if isinstance(answer, (pd.Index, pd.api.extensions.ExtensionArray)):  # 例如 Series.unique() 的结果
        return [str(v) for v in answer], None
    if isinstance(answer, (list, tuple, set, frozenset, np.ndarray)):
        return [str(v) for v in np.asarray(list(answer), dtype=object).ravel()], None
    if isinstance(answer, numbers.Number) and not isinstance(answer, bool):
        return None, (f"应该是一个 DataFrame 或{what}编号列表，你给的是 {type(answer).__name__}（{format_number(answer)}）"
                      f"：这道题要的是这些{what}本身，不是人数。")
    return None, f"应该是一个 DataFrame 或{what}编号列表，你给的是{_sp(answer)}{_type_name(answer)}。"


def _id_set(value) -> set:
    value = _value(value)
    if isinstance(value, pd.DataFrame):
        return {str(v) for v in (value["customer_id"] if "customer_id" in value.columns else value.index)}
    if isinstance(value, pd.Series) and value.index.name == "customer_id" and value.name != "customer_id":
        return {str(v) for v in value.index}
    return {str(v) for v in value}


def compare_customer_sets(answer, expected, alternatives: dict | None = None, what: str = "客户",
                          table: str = "summary") -> Result:
    """比较学生选出的客户和正确的客户。

    参数
    ----
    answer : 学生的答案：以 customer_id 为索引的 DataFrame，或客户编号的 Series/列表/集合。
    expected : 正确的客户（同样的形式），或算出它们的函数。
    alternatives : {说明: 按某种误读得到的客户}，例如 {"你用了 > 2，题目要求的是 ≥ 2": 按 > 2 选出的客户}。
                   学生的答案正好等于某个误读时，反馈就是那句说明。值也可以是函数。
    what : 名单里是什么，默认“客户”。
    table : 这道题从哪张表里选人（反馈里写“请写成 table[条件]”），默认 summary。
    """
    ids, problem = _id_list(answer, what, table)
    if problem:
        return Result(False, problem)
    exp = _id_set(expected)
    got = set(ids)
    if len(ids) != len(got):
        dups = sorted({i for i in ids if ids.count(i) > 1}) if len(ids) < 5000 else sorted(
            pd.Series(ids)[pd.Series(ids).duplicated()].unique())
        return Result(False, f"名单里有重复的{what}：{_ids_preview(dups)}。每位{what}只能出现一次"
                             "（是不是合并表格时出现了重复行？）。")
    if got == exp:
        return Result(True, f"共 {len(exp)} 位{what}。")
    count = f"你选出了 {len(got)} 位{what}，正确答案是 {len(exp)} 位。"
    for message, alt in (alternatives or {}).items():
        alt_set = _id_set(alt)
        if alt_set != exp and got == alt_set:
            return Result(False, f"{message}。{count}")
    extra, missing = got - exp, exp - got
    if got < exp and len(got) in (5, 10) and len(exp) > len(got):
        return Result(False, f"你只给了 {len(got)} 位{what}，正确答案是 {len(exp)} 位：是不是把 .head() 的结果"
                             "赋给了答案？请赋值为完整的表。")
    parts = []
    if extra:
        parts.append(f"多选了 {len(extra)} 位（{_ids_preview(extra)}）")
    if missing:
        parts.append(f"漏掉了 {len(missing)} 位（{_ids_preview(missing)}）")
    detail = "；".join(parts) + "。"
    if len(got) == len(exp):
        return Result(False, f"人数对了（{len(exp)} 位），但名单不一样：{detail}")
    return Result(False, f"{count}{detail}")


def _text_number_advice(answer: str, unit: str | None):
    """学生把数写成了文字（"69.1%"、"12.5元"）：按题目要的单位说该怎么写；认不出数时返回 None。"""
    text = _half_str(answer).strip().replace(",", "").replace("，", "")
    percent = text.endswith(("%", "％"))
    try:
        value = float(text.rstrip("%％元人条单个次天倍 "))
    except ValueError:
        return None
    if percent and unit == "%":
        return f"你给的是文字 “{answer}”（带引号）：这道题的答案以 % 为单位，请写成数 {format_number(value)}，不加引号也不加 %。"
    if percent:
        return (f"你给的是文字 “{answer}”（带引号）：这道题要的是小数，{format_number(value)}% 请写成 {format_number(value / 100)}，"
                "不加引号也不加 %。")
    return f"你给的是文字 “{answer}”（带引号），请写成数 {format_number(value)}，不要加引号。"


def _as_number(answer, unit: str | None = None):
    """把答案变成 float；不行时返回 (None, 说明)。unit 是题目要的单位（"%" 表示答案以百分数写）。"""
    if isinstance(answer, (bool, np.bool_)):
        return None, f"应该是一个数，你给的是 {answer}（真/假值）。"
    if isinstance(answer, str):
        advice = _text_number_advice(answer, unit)
        return None, advice or f"应该是一个数，你给的是{_sp(answer)}{_type_name(answer)}。"
    if isinstance(answer, (pd.Series, pd.DataFrame, pd.Index)):
        kind = type(answer).__name__
        if answer.size == 1:
            return None, f"你给的是一个只有一个值的 {kind}，请取出那个数，例如 .iloc[0] 或 .item()。"
        return None, (f"应该是一个数，你给的是有 {answer.size} 个值的 {kind}："
                      "是不是还差一步汇总（例如 .sum()、.mean() 或 len(...)）？")
    if isinstance(answer, (list, tuple, set, dict)):
        return None, f"应该是一个数，你给的是 {type(answer).__name__}（有 {len(answer)} 个元素）。"
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer.item()
    if isinstance(answer, numbers.Number):
        try:
            value = float(answer)
        except (TypeError, ValueError):
            return None, f"应该是一个实数，你给的是{_sp(answer)}{_type_name(answer)}。"
        if math.isnan(value):
            return None, "你的结果是 NaN（空值）：检查是不是对空表求了平均，或者列名写错了。"
        return value, None
    return None, f"应该是一个数，你给的是{_sp(answer)}{_type_name(answer)}。"


_TIGHT_UNITS = ("%", "‰")   # 紧跟在数字后面、不留空格的单位


def _with_unit(number: str, unit: str) -> str:
    """数字加单位：“37 人”“12.5 元”，但百分号紧跟数字：“0.89%”。"""
    if not unit:
        return number
    return number + unit if unit in _TIGHT_UNITS else f"{number} {unit}"


def _times_100_advice(exp: float, unit: str) -> str:
    """答案正好是正确答案的 100 倍时，按题目的单位说可能错在哪里。"""
    if unit == "元":
        return "是不是把元写成了分（金额以元为单位，精确到分）？"
    if unit == "%":
        return "是不是乘了两次 100？这道题的答案已经以 % 为单位（写 12.5 表示 12.5%），只乘一次。"
    if unit == "" and 0 < abs(exp) <= 1:
        return "是不是把比例写成了百分数？这道题要 0 到 1 之间的小数（例如 0.125，不是 12.5）。"
    return "是不是多乘了 100？这个数是倍数或个数，不是百分数，不要乘 100。"


def _div_100_advice(unit: str) -> str:
    """答案正好是正确答案的 1/100 时，按题目的单位说可能错在哪里。"""
    if unit == "元":
        return "是不是把分写成了元，或多除了 100？"
    if unit == "%":
        return "这道题的答案以 % 为单位：12.5% 写成 12.5，不要写成小数 0.125。"
    return "是不是多除了 100（把百分数又换算了一次）？"


def compare_number(answer, expected, tolerance: float = 0.005, unit: str = "元",
                   alternatives: dict | None = None, reveal: bool = False) -> Result:
    """比较学生算出的数和正确的数（默认精确到分：相差不超过 0.005）。

    参数
    ----
    answer : 学生的答案。
    expected : 正确的数，或算出它的函数。
    tolerance : 允许的误差，默认 0.005（金额精确到分）；整数题可以用 0。
    unit : 单位，显示在反馈里，例如 "元"、"人"、"条"；比例写 ""。
    alternatives : {说明: 按某种误读得到的数}，例如 {"你按每 70 字一条算了……": 2}。值也可以是函数。
    reveal : 答错时是否说出正确答案（默认不说，只说偏大还是偏小）。
    """
    value, problem = _as_number(answer, unit)
    if problem:
        return Result(False, problem)
    exp = float(_value(expected))
    tol = float(tolerance) + 1e-9
    shown = _with_unit(format_number(value), unit)
    lead = shown if unit and unit not in _TIGHT_UNITS else shown + " "   # 数字或 % 后面紧跟汉字时留一个空格
    if abs(value - exp) <= tol:
        return Result(True, f"{shown}。")
    for message, alt in (alternatives or {}).items():
        alt_value = float(_value(alt))
        if abs(alt_value - exp) > tol and abs(value - alt_value) <= tol:
            return Result(False, f"{message}。你的答案是 {shown}。")
    truth = f"正确答案是 {_with_unit(format_number(exp), unit)}。" if reveal else ""
    if exp != 0 and abs(value - exp * 100) <= tol * 100:
        return Result(False, f"你的答案 {lead}正好是正确答案的 100 倍：{_times_100_advice(exp, unit)}{truth}")
    if exp != 0 and abs(value * 100 - exp) <= tol:
        return Result(False, f"你的答案 {lead}正好是正确答案的 1/100：{_div_100_advice(unit)}{truth}")
    direction = "偏大" if value > exp else "偏小"
    if abs(value - exp) <= max(abs(exp) * 0.01, tol * 10):
        return Result(False, f"很接近了，但{direction}了一点（你的答案是 {shown}）：检查有没有提前四舍五入，"
                             f"或者多算/漏算了几笔。{truth}")
    return Result(False, f"你的答案 {lead}{direction}了。{truth}")


def compare_text(answer, expected, alternatives: dict | None = None, what: str = "文字") -> Result:
    """比较一段文字（例如导出的店铺会员规则），指出第一处不同在第几行、第几个字。

    行尾的换行符风格（\\r\\n 与 \\n）和末尾多余的空行不算不同。
    """
    if isinstance(answer, (list, tuple)) and all(isinstance(x, str) for x in answer):
        return Result(False, f"你给的是一个 {type(answer).__name__}（{len(answer)} 行），"
                             "请用 \"\\n\".join(...) 连成一段文字。")
    if not isinstance(answer, str):
        return Result(False, f"应该是一段{what}（str），你给的是{_sp(answer)}{_type_name(answer)}。")

    def norm(text: str) -> list[str]:
        return text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")

    got, exp = norm(answer), norm(str(_value(expected)))
    if got == exp:
        return Result(True, f"{what}完全一致（{len(exp)} 行）。")
    for message, alt in (alternatives or {}).items():
        alt_lines = norm(str(_value(alt)))
        if alt_lines != exp and got == alt_lines:
            return Result(False, message)
    if [line.strip() for line in got] == [line.strip() for line in exp]:
        n = next(i for i, (a, b) in enumerate(zip(got, exp)) if a != b) + 1
        return Result(False, f"只有空格不一样：第 {n} 行的开头或结尾多了/少了空格。")
    for i, (a, b) in enumerate(zip(got, exp)):
        if a != b:
            col = next((j for j, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            return Result(False, f"第 {i + 1} 行不一样（从第 {col + 1} 个字起）：\n  你的：{a}\n  应为：{b}")
    if len(got) < len(exp):
        return Result(False, f"你的{what}少了最后 {len(exp) - len(got)} 行，缺少的第一行应为：{exp[len(got)]}")
    return Result(False, f"你的{what}多了 {len(got) - len(exp)} 行，多出的第一行是：{got[len(exp)]}")


def _mapping(answer):
    if isinstance(answer, pd.DataFrame):
        if answer.shape[1] != 1:
            return None, (f"应该是每一类对应一个数（Series 或 dict），你给的是有 {answer.shape[1]} 列的 DataFrame。")
        answer = answer.iloc[:, 0]
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        return None, f"应该是每一类对应一个数（Series 或 dict，例如 value_counts() 的结果），你给的是{_sp(answer)}{_type_name(answer)}。"
    out = {}
    for key, value in answer.items():
        label = "（空）" if key is None or (isinstance(key, float) and math.isnan(key)) else str(key).strip()
        number, problem = _as_number(value)
        if problem:
            return None, f"“{label}”对应的值不是数：{problem}"
        out[label] = number
    return out, None


def compare_mapping(answer, expected, alternatives: dict | None = None, unit: str = "人",
                    tolerance: float = 0, missing_is_zero: bool = True) -> Result:
    """比较“每一类 → 一个数”（例如每个会员等级的人数），指出哪几类不对。

    参数
    ----
    answer : 学生的答案：Series（例如 value_counts() 的结果）或 dict。
    expected : 正确的对应关系，或算出它的函数。
    alternatives : {说明: 按某种误读得到的对应关系}。
    unit : 单位，默认“人”。
    tolerance : 每个数允许的误差，默认 0（人数必须完全一样）。
    missing_is_zero : 为 True 时，没有列出的类别当作 0。
    """
    got, problem = _mapping(answer)
    if problem:
        return Result(False, problem)
    exp, _ = _mapping(_value(expected))
    tol = float(tolerance) + 1e-9

    def differences(a: dict, b: dict):
        keys = list(b) + [k for k in a if k not in b]
        missing, extra, wrong = [], [], []
        for k in keys:
            if k not in a:
                if not (missing_is_zero and b[k] == 0):
                    missing.append(k)
            elif k not in b:
                if not (missing_is_zero and a[k] == 0):
                    extra.append(k)
            elif abs(a[k] - b[k]) > tol:
                wrong.append(k)
        return missing, extra, wrong

    missing, extra, wrong = differences(got, exp)
    if not (missing or extra or wrong):
        return Result(True, "、".join(f"{k} {format_number(v)} {unit}" for k, v in exp.items()) + "。")
    right = sum(1 for k in exp if k in got and abs(got[k] - exp[k]) <= tol)
    for message, alt in (alternatives or {}).items():
        alt_map, _ = _mapping(_value(alt))
        if alt_map is not None and any(differences(alt_map, exp)) and not any(differences(got, alt_map)):
            return Result(False, message, parts=(right, len(exp)))
    parts = []
    if missing:
        parts.append("缺少：" + "、".join(missing[:MAX_IDS]) + ("等" if len(missing) > MAX_IDS else ""))
    if extra:
        parts.append("多出：" + "、".join(f"{k}（你的是 {format_number(got[k])} {unit}）" for k in extra[:MAX_IDS]))
    if wrong:
        parts.append("数目不对：" + "；".join(f"{k} 你的是 {format_number(got[k])} {unit}，应为 {format_number(exp[k])} {unit}"
                                               for k in wrong[:MAX_IDS]))
    return Result(False, "。".join(parts) + "。", parts=(right, len(exp)))


def compare_segment(answer, expected, alternatives: dict | None = None, titles: dict | None = None,
                    variable: str = "答案") -> Result:
    """比较学生写的分组规则（Segment）和需求要的规则，在“边界客户”小表上逐条界线检查。

    先看规则条数（少了 / 多了哪条），再看性别、地区、职业、商品名单，最后把两个分组都用在
    expected.boundary_probe() 上：正好踩在界线上的客户该入组却没入组（把 ≥ 读成了 >、日期晚了一天），
    或差一点的客户不该入组却入组了（界线设低了、日期早了一天），反馈都说出是哪条界线。

    参数
    ----
    answer : 学生的 Segment。
    expected : 正确的 Segment，或返回它的函数。
    alternatives : {反馈: 按某种误读写出的 Segment}；规则和某个误读完全一样时给那句反馈。
    titles : {宝贝标题: 商品简称}，学生用标题写商品范围时换成简称再比较。
    variable : 答案变量名，用在反馈里。
    """
    from ..segment_rules import RULE_BY_KEY, RULES, AnyOf, OneOf
    from ..segments import Segment

    exp = _value(expected)
    if not isinstance(answer, Segment):
        if isinstance(answer, (pd.DataFrame, pd.Series, list, set, tuple)):
            return Result(False, f"这道题要的是分组规则本身（Segment(...)），你给的是选出的客户：请把 Segment(...) "
                                 f"赋给 {variable}，选人的那一步留给下一行。")
        return Result(False, f"应该是一个分组规则 Segment(...)，你给的是{_sp(answer)}{_type_name(answer)}。")
    titles = titles or {}

    def rules_of(seg):
        rules = dict(seg.rules)
        if "products" in rules:
            rules["products"] = sorted({titles.get(x, x) for x in rules["products"]})
        for key in rules:
            if isinstance(RULE_BY_KEY[key], AnyOf) and key != "products":
                rules[key] = sorted(set(rules[key]))
        return rules

    got, want = rules_of(answer), rules_of(exp)
    if got == want:
        return Result(True, exp.describe())
    for message, alt in (alternatives or {}).items():
        alt_seg = _value(alt)
        alt_rules = rules_of(alt_seg) if isinstance(alt_seg, Segment) else None
        if alt_rules is not None and alt_rules != want and alt_rules == got:
            return Result(False, message)
    label = {rule.key: rule.label for rule in RULES}
    missing = [label[k] for k in want if k not in got]
    extra = [label[k] for k in got if k not in want]
    parts = []
    if len(missing) == 1:
        parts.append(f"少了“{missing[0]}”这条规则")
    elif missing:
        parts.append(f"少了 {len(missing)} 条规则：{'、'.join(missing)}")
    if len(extra) == 1:
        parts.append(f"多了“{extra[0]}”这条规则：需求里没有它")
    elif extra:
        parts.append(f"多了 {len(extra)} 条需求里没有的规则：{'、'.join(extra)}")
    if parts:
        return Result(False, "；".join(parts) + "。")
    for key in want:
        rule = RULE_BY_KEY[key]
        if isinstance(rule, (OneOf, AnyOf)) and got[key] != want[key]:
            if isinstance(rule, OneOf):
                return Result(False, f"{rule.label}写成了“{got[key]}”，需求要的是“{want[key]}”。")
            lack = [v for v in want[key] if v not in got[key]]
            more = [v for v in got[key] if v not in want[key]]
            parts = ([f"少了 {'、'.join(lack)}"] if lack else []) + ([f"多了 {'、'.join(more)}"] if more else [])
            return Result(False, f"{label[key]}的名单不对：{'；'.join(parts)}（名单里的任一项满足即可入组）。")
    probe = exp.boundary_probe()
    try:
        chosen = probe.index.isin(answer.select(probe).index)
    except ValueError as exc:
        return Result(False, str(exc))
    wrong = probe[chosen != probe["应入组"].to_numpy()]
    if len(wrong):
        first = wrong.iloc[0]
        if first["应入组"]:
            return Result(False, f"“{first['边界']}”的客户应该入组，你的分组把他漏掉了：这条界线要包括界线本身"
                                 "（“满”“达到”“不少于”“当天或之后”都含等号），检查是不是用了 > 或把数/日期设大了。")
        return Result(False, f"“{first['边界']}”的客户不该入组，你的分组把他选进来了：界线设得太低或日期早了。")
    return Result(True, exp.describe())

"""章节测试：单选、多选、判断、填一个从数据算出来的数，提交后马上看到中文讲解。

题目是数据：每章一个文件 helpers/course/quizzes/chNN.json（格式见 helpers/course/quizzes/README.md）。

- ``quiz("02")``：在笔记本里显示可以点选、提交的小测验（ipywidgets）；
- ``quiz_text("02")``：同样的题目写成普通文字（没有内核时也能读）；
- ``check_quiz_answer("02", "q1", "B")``：检查一个答案，返回 Result（对不对、讲解）；
- ``quiz_answers("02")``：全部正确答案（填数题当场从数据算出）；
- ``QuizQuestion``：把一道测试题放进练习本，和其他练习题一起 .check() 和批量评分。

填数题的正确答案从不写在文件里：文件只写计算名（"compute": "share_top20_xiayi"），
由本模块的 COMPUTATIONS 在检查时从数据算出，所以重新生成数据后依然正确。
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .checks import Question, Result, compare_number, half_width

__all__ = ["COMPUTATIONS", "computation", "register", "QuizItem", "Quiz", "load_quiz", "quiz_path", "quiz_text",
           "quiz_answers", "check_quiz_answer", "quiz", "QuizWidget", "QuizQuestion"]

QUIZ_DIR = Path(__file__).resolve().parent / "quizzes"
TYPES = {"single": "单选", "multiple": "多选", "true_false": "判断", "number": "填数"}
TRUE_FALSE = ("对", "错")

# ---------------------------------------------------------------------------
# 填数题的计算：名字 → 从数据算出正确答案的函数（检查时才计算，每个进程缓存一次）
# ---------------------------------------------------------------------------
COMPUTATIONS: dict = {}


def register(name: str):
    """登记一个填数题的计算：@register("share_top20_xiayi") def ...: return 0.62。"""
    def decorate(func):
        COMPUTATIONS[name] = lru_cache(maxsize=None)(func)
        return func
    return decorate


def computation(name: str):
    """按名字找到填数题的计算函数。

    名字有两种写法：在本模块登记过的名字（例如 "share_top20_xiayi"），或者
    "模块:函数"（例如 "helpers.course.exercises.ch07:p_level_count"），这样每一章的计算可以
    写在自己的题目模块里。找不到时抛出中文 ValueError。
    """
    if name in COMPUTATIONS:
        return COMPUTATIONS[name]
    module_name, _, func_name = name.partition(":")
    if func_name:
        import importlib

        try:
            func = getattr(importlib.import_module(module_name), func_name)
        except (ImportError, AttributeError):
            func = None
        if callable(func):
            COMPUTATIONS[name] = lru_cache(maxsize=None)(func)
            return COMPUTATIONS[name]
    raise ValueError(f"填数题的计算 {name!r} 找不到：请在 helpers/course/quiz.py 里用 @register 登记，"
                     "或写成 \"模块:函数\"，例如 \"helpers.course.exercises.ch07:p_level_count\"。")


@register("share_top20_xiayi")
def _share_top20_xiayi() -> float:
    """夏艺女装：下过单的客户中，消费金额前 20% 的客户贡献的金额比例。"""
    from ..data import load_shop
    from ..summary import top_share

    summary = load_shop("xiayi").summary()
    return top_share(summary.loc[summary["order_count"] > 0, "total_amount"], 0.2)


# ---------------------------------------------------------------------------
# 读取与校验题目文件
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class QuizItem:
    """一道测试题（由 JSON 文件读出）。"""

    id: str
    type: str
    text: str
    options: tuple = ()            # ((key, text, explanation), …)；判断题是 (("对", "", …), ("错", "", …))
    answer: object = None          # 单选/判断："A"/"对"；多选：("A", "C")；填数：None（由 compute 算）
    compute: str = ""
    tolerance: float = 0.005
    unit: str = ""
    explanation: str = ""
    hint: str = ""

    @property
    def keys(self) -> list[str]:
        return [o[0] for o in self.options]

    def explain(self, key: str) -> str:
        return next(o[2] for o in self.options if o[0] == key)

    def correct_answer(self):
        """正确答案；填数题当场从数据算出。"""
        return computation(self.compute)() if self.type == "number" else self.answer


@dataclass(frozen=True)
class Quiz:
    chapter: str
    title: str
    items: tuple = field(default=())

    def item(self, qid: str) -> QuizItem:
        for it in self.items:
            if it.id == qid:
                return it
        raise ValueError(f"第 {self.chapter} 章的测试里没有题目 {qid!r}。有：{'、'.join(i.id for i in self.items)}。")


def quiz_path(chapter) -> Path:
    from .exercises import chapter_module_name

    return QUIZ_DIR / f"{chapter_module_name(chapter)}.json"


def _parse_item(raw: dict, where: str) -> QuizItem:
    def need(key, kind=str):
        if key not in raw:
            raise ValueError(f"{where}缺少字段 {key!r}。")
        if not isinstance(raw[key], kind):
            raise ValueError(f"{where}的字段 {key!r} 类型不对。")
        return raw[key]

    qid, qtype, text = need("id"), need("type"), need("text")
    where = f"{where}（{qid}）"
    if qtype not in TYPES:
        raise ValueError(f"{where}的 type 应是 {'、'.join(TYPES)} 之一，收到 {qtype!r}。")
    common = dict(id=qid, type=qtype, text=text, hint=str(raw.get("hint", "")))
    if qtype == "number":
        name = need("compute")
        try:
            computation(name)
        except ValueError as exc:
            raise ValueError(f"{where}：{exc}") from None
        return QuizItem(**common, compute=name, tolerance=float(raw.get("tolerance", 0.005)),
                        unit=str(raw.get("unit", "")), explanation=str(raw.get("explanation", "")))
    if qtype == "true_false":
        answer = need("answer", bool)
        explanations = need("explanations", dict)
        missing = [k for k in TRUE_FALSE if not str(explanations.get(k, "")).strip()]
        if missing:
            raise ValueError(f"{where}的 explanations 缺少“{'、'.join(missing)}”的讲解。")
        options = tuple((k, k, explanations[k]) for k in TRUE_FALSE)
        return QuizItem(**common, options=options, answer="对" if answer else "错")
    options = []
    for opt in need("options", list):
        if not isinstance(opt, dict) or not all(str(opt.get(k, "")).strip() for k in ("key", "text", "explanation")):
            raise ValueError(f"{where}的每个选项都要有 key、text 和 explanation（讲解）：{opt!r}。")
        options.append((str(opt["key"]).strip().upper(), opt["text"], opt["explanation"]))
    keys = [o[0] for o in options]
    if len(set(keys)) != len(keys) or len(keys) < 2:
        raise ValueError(f"{where}的选项至少两个，且 key 不能重复：{keys}。")
    answer = raw.get("answer")
    wanted = [answer] if qtype == "single" else answer
    if not isinstance(wanted, list) or not wanted or not all(isinstance(a, str) for a in wanted):
        kind = '"A"' if qtype == "single" else '["A", "C"]'
        raise ValueError(f"{where}的 answer 应写成 {kind}，收到 {answer!r}。")
    wanted = [a.strip().upper() for a in wanted]
    unknown = [a for a in wanted if a not in keys]
    if unknown:
        raise ValueError(f"{where}的答案 {'、'.join(unknown)} 不是选项之一（选项：{'、'.join(keys)}）。")
    return QuizItem(**common, options=tuple(options),
                    answer=wanted[0] if qtype == "single" else tuple(sorted(set(wanted))))


@lru_cache(maxsize=None)
def load_quiz(chapter) -> Quiz:
    """读取并检查一章的测试题文件；格式不对时给出中文 ValueError（指出哪道题、哪个字段）。"""
    from .exercises import chapter_label, normalize_chapter

    path = quiz_path(chapter)
    if not path.exists():
        raise ValueError(f"没有{chapter_label(chapter)}的测试题文件：{path}。")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path.name} 不是合法的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}。") from None
    items = tuple(_parse_item(raw, f"{path.name} 第 {i} 题") for i, raw in enumerate(data.get("questions", []), 1))
    if not items:
        raise ValueError(f"{path.name} 里没有题目（questions 是空的）。")
    ids = [it.id for it in items]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path.name} 里的题号有重复：{ids}。")
    return Quiz(chapter=normalize_chapter(data.get("chapter", chapter)), title=str(data.get("title", "")),
                items=items)


# ---------------------------------------------------------------------------
# 检查答案（普通函数，小部件和批量评分都用它）
# ---------------------------------------------------------------------------
_TRUE_WORDS = {"对", "正确", "是", "√", "✓", "t", "true", "y", "yes"}
_FALSE_WORDS = {"错", "错误", "否", "不对", "×", "✗", "f", "false", "n", "no"}


def _is_blank(answer) -> bool:
    if answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, str) and not answer.strip():
        return True
    return isinstance(answer, (list, tuple, set, frozenset)) and len(answer) == 0


def _choices(answer) -> list[str]:
    """把 "A"、"a, c"、"A、C"、["A", "C"] 都变成 ["A", "C"]。"""
    if isinstance(answer, str):
        text = answer.strip().upper()
        parts = re.split(r"[\s,，、;；/]+", text)
        if len(parts) == 1 and re.fullmatch(r"[A-Z]{2,}", text):
            parts = list(text)
        return [p.strip(".．)） ") for p in parts if p.strip(".．)） ")]
    if isinstance(answer, (list, tuple, set, frozenset)):
        return [str(a).strip().upper().strip(".．)） ") for a in answer]
    raise TypeError(type(answer).__name__)


def check_quiz_answer(chapter, qid: str, answer) -> Result:
    """检查一道测试题的答案，返回 Result；讲解里说明你选的每个选项为什么对或不对。"""
    item = load_quiz(chapter).item(qid)
    answer = half_width(answer)          # 中文输入法打出的 Ｂ、３ 当作 B、3
    if _is_blank(answer):
        how = {"single": '一个选项，例如 "A"', "multiple": '所有正确的选项，例如 ["A", "C"]',
               "true_false": '"对" 或 "错"', "number": "一个数"}[item.type]
        return Result(False, f"还没有作答：请选择或填写{how}。", answered=False)
    if item.type == "number":
        res = compare_number(answer, item.correct_answer, tolerance=item.tolerance, unit=item.unit)
        if res.correct and item.explanation:
            return Result(True, f"{res.message}{item.explanation}")
        return res
    if item.type == "true_false":
        if isinstance(answer, bool):
            key = "对" if answer else "错"
        elif isinstance(answer, str) and answer.strip().lower() in _TRUE_WORDS | _FALSE_WORDS:
            key = "对" if answer.strip().lower() in _TRUE_WORDS else "错"
        else:
            return Result(False, f"判断题请回答 \"对\" 或 \"错\"（也可以写 True / False），你给的是 {answer!r}。")
        if key == item.answer:
            return Result(True, item.explain(key))
        return Result(False, f"你选了“{key}”。{item.explain(key)}")
    try:
        chosen = _choices(answer)
    except TypeError as exc:
        return Result(False, f"请写选项的字母，例如 \"A\" 或 [\"A\", \"C\"]，你给的是 {exc}。")
    unknown = [c for c in chosen if c not in item.keys]
    if unknown:
        return Result(False, f"没有选项 {'、'.join(unknown)}：可选的是 {'、'.join(item.keys)}。")
    if item.type == "single":
        if len(set(chosen)) > 1:
            return Result(False, f"这是单选题，只能选一个选项，你选了 {'、'.join(chosen)}。")
        key = chosen[0]
        if key == item.answer:
            return Result(True, f"{key}：{item.explain(key)}")
        return Result(False, f"你选了 {key}。{item.explain(key)}")
    chosen_set, right = set(chosen), set(item.answer)
    if chosen_set == right:
        return Result(True, " ".join(f"{k}：{item.explain(k)}" for k in sorted(right)))
    parts = [f"{k} 不该选：{item.explain(k)}" for k in sorted(chosen_set - right)]
    missing = len(right - chosen_set)
    if missing:
        parts.append(f"还有 {missing} 个正确选项没选（多选题要选出全部正确的选项）。")
    return Result(False, " ".join(parts))


def quiz_answers(chapter) -> dict:
    """一章测试的全部正确答案：{题号: 答案}（单选 "A"、多选 ("A", "C")、判断 "对"/"错"、填数当场算出）。"""
    return {it.id: it.correct_answer() for it in load_quiz(chapter).items}


def quiz_text(chapter) -> str:
    """把一章的测试题写成普通文字（没有内核、只读笔记本时也能看到题目）。"""
    q = load_quiz(chapter)
    lines = [q.title, ""]
    for n, it in enumerate(q.items, 1):
        text = it.text.removesuffix(f"（{TYPES[it.type]}）")  # 题目里已写“（多选）”时不重复
        lines.append(f"{n}.（{TYPES[it.type]}，{it.id}）{text}")
        if it.type in ("single", "multiple"):
            lines += [f"   {k}. {t}" for k, t, _ in it.options]
        elif it.type == "true_false":
            lines.append("   对 / 错")
        lines.append("")
    lines.append(f'检查答案：check_quiz_answer("{q.chapter}", "q1", "A")')
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# 小部件
# ---------------------------------------------------------------------------
def _feedback_html(res: Result) -> str:
    if not res.answered:
        color, mark = "#7F8C8D", "○"
    elif res.correct:
        color, mark = "#1E8449", "✔ 正确！"
    else:
        color, mark = "#C0392B", "✘ 还不对："
    return f"<div style='color:{color}'>{mark}{html.escape(res.message)}</div>"


class QuizWidget:
    """一章的测试：每道题下面有“提交”按钮，提交后立即显示讲解；最下面是得分。

    等价的普通函数：check_quiz_answer(chapter, 题号, 答案)。
    """

    def __init__(self, chapter):
        import ipywidgets as W

        self.quiz = load_quiz(chapter)
        self.inputs, self.buttons, self.feedback, self.results = {}, {}, {}, {}
        boxes = [W.HTML(f"<h3>{html.escape(self.quiz.title)}</h3>")]
        for n, it in enumerate(self.quiz.items, 1):
            title = W.HTML(f"<b>{n}.（{TYPES[it.type]}）{html.escape(it.text)}</b>")
            # 选项全文写在 HTML 里，长选项自动折行；下面的按钮只写 A、B、C……（控件的标签放不下时会被截成“…”）
            choices = "".join(f"<div style='white-space:normal;margin:2px 0 2px 1.2em'>{html.escape(k)}. "
                              f"{html.escape(t)}</div>" for k, t, _ in it.options if t)
            if choices:
                title = W.VBox([title, W.HTML(f"<div class='crm-quiz-options'>{choices}</div>")])
            if it.type in ("single", "true_false"):
                field_ = W.ToggleButtons(options=[(k, k) for k, _, _ in it.options], value=None,
                                         style={"button_width": "auto"})
            elif it.type == "multiple":
                field_ = W.HBox([W.Checkbox(value=False, description=k, indent=False,
                                            layout=W.Layout(width="auto", margin="0 16px 0 0"))
                                 for k, _, _ in it.options])
            else:
                field_ = W.Text(placeholder="填一个数", description="答案", layout=W.Layout(width="260px"))
            button = W.Button(description="提交", button_style="primary", layout=W.Layout(width="80px"))
            out = W.HTML("")
            button.on_click(lambda _b, qid=it.id: self.submit(qid))
            self.inputs[it.id], self.buttons[it.id], self.feedback[it.id] = field_, button, out
            boxes.append(W.VBox([title, field_, button, out], layout=W.Layout(margin="0 0 12px 0")))
        self.score = W.HTML(self._score_text())
        boxes.append(self.score)
        self.widget = W.VBox(boxes)

    def answer(self, qid: str):
        """现在界面上选的（填的）答案。"""
        it, field_ = self.quiz.item(qid), self.inputs[qid]
        if it.type == "multiple":
            return [k for k, box in zip(it.keys, field_.children) if box.value]
        if it.type == "number":
            text = field_.value.strip().replace("％", "%")
            try:
                if text.endswith("%"):          # 在框里写 62% 也算 0.62
                    return float(text[:-1]) / 100
                return float(text) if text else None
            except ValueError:
                return text
        return field_.value

    def submit(self, qid: str) -> Result:
        """提交一道题（等同于点它的“提交”按钮）。"""
        res = check_quiz_answer(self.quiz.chapter, qid, self.answer(qid))
        self.results[qid] = res
        self.feedback[qid].value = _feedback_html(res)
        self.score.value = self._score_text()
        return res

    def _score_text(self) -> str:
        right = sum(bool(r.correct) for r in self.results.values())
        return f"<b>已答对 {right} / {len(self.quiz.items)} 题</b>"

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def quiz(chapter) -> QuizWidget:
    """显示一章的测试小部件：quiz("02")。没有内核时用 quiz_text("02") 读题目。"""
    return QuizWidget(chapter)


# ---------------------------------------------------------------------------
# 放进练习本、参与批量评分的测试题
# ---------------------------------------------------------------------------
class QuizQuestion(Question):
    """把章节测试里的一道题变成练习题：答案变量里写 "B"、["A", "C"]、"对" 或一个数。

    例：QuizQuestion("q3", chapter="02", qid="q5", variable="q3_answer", points=1)
    """

    def __init__(self, name: str, chapter, qid: str, variable: str | None = None, points: float = 1):
        item = load_quiz(chapter).item(qid)
        self.chapter, self.qid = chapter, qid
        variable = variable or f"{name}_answer"
        how = {"single": '一个选项，例如 "A"', "multiple": '所有正确选项的列表，例如 ["A", "C"]',
               "true_false": '"对" 或 "错"', "number": "一个数"}[item.type]
        options = "".join(f"\n  {k}. {t}" for k, t, _ in item.options) if item.type != "true_false" else ""
        label = f"（{TYPES[item.type]}）"
        super().__init__(name, item.text if label in item.text else label + item.text, variable, points=points,
                         hint=(item.hint or "再读一读题目和上面的讲解，想清楚每个选项说的是哪条规则。",
                               f"答案写成{how}，赋给 {variable}。{options}"))

    def evaluate(self, answers, namespace) -> Result:
        return check_quiz_answer(self.chapter, self.qid, answers[self.variables[0]])

    def solution(self) -> None:
        item = load_quiz(self.chapter).item(self.qid)
        answer = item.correct_answer()
        if item.type == "number":
            from .checks import format_number
            shown, why = format_number(answer), item.explanation
        else:
            shown = repr(list(answer)) if isinstance(answer, tuple) else repr(answer)
            keys = answer if isinstance(answer, tuple) else (answer,)
            why = " ".join(item.explain(k) for k in keys)
        print(f"📖 {self.name} 参考答案：\n{self.variables[0]} = {shown}\n{why}")

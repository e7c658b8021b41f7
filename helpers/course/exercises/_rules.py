"""规则题的共用工具（第 02、03、04 章）：答案是一个分组规则 Segment，再加上用它选出的客户。

规则先用 compare_segment 在“边界客户”小表上逐条界线检查，规则对了再检查选出的客户。
"""
from __future__ import annotations

from functools import partial

from . import summary
from ..checks import Misreading, Result, compare_segment
from ...segments import Segment

__all__ = ["make_segment", "product_titles", "rule_misreadings", "check_rule_then"]


def make_segment(base: dict, name: str = "分组", description: str = "", **changes) -> Segment:
    """按 base 的规则建一个 Segment；changes 改动某几条规则（值为 None 表示去掉这条）。"""
    rules = {**base, **changes}
    rules = {k: list(v) if isinstance(v, tuple) else v for k, v in rules.items() if v is not None}
    return Segment(name, description, **rules)


def product_titles(shop: str = "health") -> dict:
    """{宝贝标题: 商品简称}：学生用宝贝标题写商品范围也算对（同一个商品的两个名字）。"""
    return dict(summary(shop).attrs.get("product_titles", {}))


def rule_misreadings(readings, answer_of) -> list:
    """把 [(反馈, 边界, 改动的规则)] 写成 Misreading 清单；answer_of(改动) 给出按这种误读交的答案。"""
    return [Misreading(message, partial(answer_of, changes), boundary) for message, boundary, changes in readings]


def check_rule_then(answers: dict, rule_var: str, expected_rule, readings, second_var: str, second_check,
                    titles: dict | None = None) -> Result:
    """先检查规则（compare_segment，在边界客户小表上逐条界线检查），规则对了再检查第二个答案。

    readings 是规则的误读 [(反馈, 边界, 改动)]；expected_rule(**改动) 给出正确的规则（不给改动时）
    或按某种误读写出的规则；second_check(第二个答案) 返回 Result。
    """
    alternatives = {message: partial(expected_rule, **changes) for message, _, changes in readings}
    first = compare_segment(answers[rule_var], expected_rule(), alternatives=alternatives, titles=titles,
                            variable=rule_var)
    if not first.correct:
        return first
    second = second_check(answers[second_var])
    if not second.correct:
        return Result(False, f"{rule_var} 的规则对了，{second_var} 还不对。{second.message}")
    return Result(True, f"{first.message}{second.message}")

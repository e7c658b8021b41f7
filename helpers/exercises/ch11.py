"""第 11 章 商品销售分析（夏艺女装，今天 = 2018-12-10；复购周期用保健品专卖，今天 = 2016-06-01）的练习题。

练习本第一个代码单元格::

    from helpers.exercises import ch11
    q1, q2, q3, q4, q5, q6 = ch11.setup(globals())

任务训练（教材 8.5 了解商品销售分析）：
- q1：销售额前 5 名的商品，按名次排好（答案变量 q1_top5）。
比课堂多走一步：
- q2：把 ABC 边界改成 80%/95%，A 类有几种商品（q2_a_count）；
- q3：买了水波纹羊绒大衣的订单里，有多大比例也买了羊绒大衣（置信度，q3_confidence）；
- q4：保健品专卖：鱼油200粒装 的实际复购间隔中位数（天，q4_days）；
- q5：首单买了羊毛围巾的新客户，后来又下过单的比例（回头率，q5_rate）；
- q6：章节测试（helpers/quizzes/ch11.json）的第 2 题（q6_answer）。

另外提供章节测试填数题的计算（a_class_count_xiayi 等）。正确答案都在检查时从数据算出
（lru_cache 缓存），从不写死数字。
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from . import shop
from ..checks import Question, Result, bind, compare_number
from ..products_analysis import (abc_classes, new_vs_old, product_pairs, product_sales, purchase_gaps,
                                 repurchase_cycles)
from ..quiz import QuizQuestion

CHAPTER = "11"
TITLE = "商品销售分析：畅销商品、ABC 分类、连带购买、复购周期与拉新"

TOP_N = 5                                   # 第 1 题：前几名
Q2_EDGES = (0.80, 0.95)                     # 第 2 题：换一组 ABC 边界
Q3_PAIR = ("水波纹羊绒大衣", "羊绒大衣")      # 第 3 题：买了前者的订单里也买了后者
Q4_PRODUCT = "鱼油200粒装"                  # 第 4 题：保健品专卖的一种商品
Q5_PRODUCT = "羊毛围巾"                      # 第 5 题：看它拉来的新客户


# ---------------------------------------------------------------------------
# 数据（每个内核只算一次）
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _sales(name: str = "xiayi") -> pd.DataFrame:
    s = shop(name)
    return product_sales(s.orders, s.items, as_of=s.today)


@lru_cache(maxsize=None)
def _pairs() -> pd.DataFrame:
    s = shop("xiayi")
    return product_pairs(s.orders, s.items, as_of=s.today)


@lru_cache(maxsize=None)
def _new_vs_old() -> pd.DataFrame:
    s = shop("xiayi")
    return new_vs_old(s.orders, s.items, as_of=s.today)


@lru_cache(maxsize=None)
def _cycles() -> pd.DataFrame:
    s = shop("health")
    return repurchase_cycles(s.orders, s.items, s.products, as_of=s.today)


@lru_cache(maxsize=None)
def _gaps() -> pd.DataFrame:
    s = shop("health")
    return purchase_gaps(s.orders, s.items, as_of=s.today)


# ---------------------------------------------------------------------------
# 章节测试的填数题（helpers/quizzes/ch11.json）
# ---------------------------------------------------------------------------
def a_class_count_xiayi() -> float:
    """夏艺女装：按工作簿的 ABC 规则（70%/90%，跨界商品归入它补齐的一类），A 类有几种商品。"""
    return float((abc_classes(_sales("xiayi")["sales"])["abc"] == "A").sum())


def cocoon_new_share_xiayi() -> float:
    """夏艺女装：茧型毛呢外套的买家里，首单就买了它的新客占比（0 到 1 之间的小数）。"""
    return float(_new_vs_old().loc["茧型毛呢外套", "new_share"])


def propolis_median_days_health() -> float:
    """保健品专卖：蜂胶胶囊120粒装 的实际复购间隔中位数（天）。"""
    return float(_cycles().loc["蜂胶胶囊120粒装", "median_days"])


# ---------------------------------------------------------------------------
# q1 销售额前 5 名
# ---------------------------------------------------------------------------
def top_products(by: str = "sales", n: int = TOP_N) -> tuple:
    """按 by 列（sales 销售额、units 销量、orders 订单数）从高到低的前 n 种商品。"""
    table = _sales("xiayi")
    if by != "sales":
        table = table.reset_index().sort_values([by, "sales", "product"], ascending=[False, False, True]) \
            .set_index("product")
    return tuple(table.index[:n])


def _as_names(answer):
    """把学生的答案（列表、Index、Series、DataFrame）变成商品名的元组；不行时返回 None。"""
    if isinstance(answer, pd.DataFrame):
        if "product" in answer.columns:
            return tuple(str(x) for x in answer["product"])
        return tuple(str(x) for x in answer.index)
    if isinstance(answer, pd.Series):
        values = answer.index if not pd.api.types.is_string_dtype(answer.dtype) and \
            not pd.api.types.is_object_dtype(answer.dtype) else answer
        return tuple(str(x) for x in values)
    if isinstance(answer, (list, tuple, pd.Index, np.ndarray, pd.api.extensions.ExtensionArray)):
        if all(isinstance(x, str) for x in answer):
            return tuple(answer)
    return None


def _check_q1(answers, namespace):
    answer = answers["q1_top5"]
    names = _as_names(answer)
    if names is None:
        kind = type(answer).__name__
        return Result(False, f"应该是 {TOP_N} 个商品名组成的列表（按销售额从高到低），例如 "
                             f"[\"羊毛双面呢大衣\", …]，你给的是 {kind}。")
    expected = top_products()
    if names == expected:
        return Result(True, f"销售额前 {TOP_N} 名：{'、'.join(expected)}。")
    if len(names) != TOP_N:
        return Result(False, f"应该正好 {TOP_N} 个商品，你给了 {len(names)} 个。可以用 .head({TOP_N}) 取前 {TOP_N} 行。")
    if names == top_products("units"):
        return Result(False, "你按销量（件数）排了名，题目要的是按销售额（元）排名。")
    if names == top_products("orders"):
        return Result(False, "你按订单数排了名，题目要的是按销售额（元）排名。")
    if names == expected[::-1]:
        return Result(False, "商品对了，但顺序反了：第 1 名应该是销售额最高的商品（从高到低排）。")
    if set(names) == set(expected):
        return Result(False, "五种商品都对了，但顺序不对：请按销售额从高到低排。")
    wrong = [x for x in names if x not in expected]
    return Result(False, f"有 {len(wrong)} 种商品不在销售额前 {TOP_N} 名里：{'、'.join(wrong)}。")


# ---------------------------------------------------------------------------
# q2 换一组 ABC 边界
# ---------------------------------------------------------------------------
def a_count(edges=Q2_EDGES, reading: str = "补齐") -> int:
    """A 类的商品数：reading="补齐"（工作簿规则）或 "不超过"（含自己的累计占比不超过边界才算）。"""
    table = abc_classes(_sales("xiayi")["sales"], edges=edges)
    if reading == "补齐":
        return int((table["abc"] == "A").sum())
    return int((table["cum_share"] <= edges[0]).sum())


def _check_q2(answers, namespace):
    return compare_number(
        answers["q2_a_count"], lambda: a_count(), tolerance=0, unit="种",
        alternatives={
            "你用的还是课堂上的 70%/90% 边界，这道题要把 A 类边界改成 80%": lambda: a_count((0.70, 0.90)),
            "你把跨过 80% 的那个商品算进了 B 类：本工作簿的规则是跨过边界的商品归入它补齐的那一类（A 类）":
                lambda: a_count(reading="不超过"),
            "这是 A 类加 B 类的商品数，题目只问 A 类":
                lambda: int((abc_classes(_sales("xiayi")["sales"], edges=Q2_EDGES)["abc"] != "C").sum()),
        })


# ---------------------------------------------------------------------------
# q3 置信度
# ---------------------------------------------------------------------------
def pair_value(column: str = "confidence", pair=Q3_PAIR) -> float:
    """连带购买表里 pair[0] → pair[1] 这一行的 column 值（support / confidence / lift）。"""
    table = _pairs()
    row = table[(table["product"] == pair[0]) & (table["also_bought"] == pair[1])]
    return float(row[column].iloc[0])


def _check_q3(answers, namespace):
    expected = pair_value()
    return compare_number(
        answers["q3_confidence"], expected, tolerance=0.0005, unit="",
        alternatives={
            f"方向反了：你算的是买了{Q3_PAIR[1]}的订单里也买了{Q3_PAIR[0]}的比例":
                lambda: pair_value(pair=Q3_PAIR[::-1]),
            "这是支持度（除以全部订单数），置信度要除以含水波纹羊绒大衣的订单数": lambda: pair_value("support"),
            "这是提升度，题目问的是置信度": lambda: pair_value("lift"),
            "你写成了百分数，请写成 0 到 1 之间的小数": expected * 100,
        })


# ---------------------------------------------------------------------------
# q4 复购间隔中位数
# ---------------------------------------------------------------------------
def median_days(product: str = Q4_PRODUCT) -> float:
    """保健品专卖：product 的实际复购间隔中位数（天）。"""
    return float(_cycles().loc[product, "median_days"])


def _check_q4(answers, namespace):
    gaps = _gaps()
    chosen = gaps[gaps["product"] == Q4_PRODUCT]
    table_days = float(shop("health").products.set_index("product").loc[Q4_PRODUCT, "repurchase_days"])
    return compare_number(
        answers["q4_days"], lambda: median_days(), tolerance=0.5, unit="天",
        alternatives={
            "这是间隔的平均数，题目要中位数（平均数会被个别隔了很久才回来的客户拉长）":
                lambda: float(chosen["gap_days"].mean()),
            "这是商品表里写的典型复购周期 repurchase_days，题目要从订单里算出实际间隔": table_days,
            "你把间隔除以了上一次买的件数（每件可用天数），题目要的是两次购买之间的天数":
                lambda: float(_cycles().loc[Q4_PRODUCT, "median_days_per_unit"]),
        })


# ---------------------------------------------------------------------------
# q5 回头率
# ---------------------------------------------------------------------------
def _check_q5(answers, namespace):
    row = _new_vs_old().loc[Q5_PRODUCT]
    expected = float(row["return_rate"])
    return compare_number(
        answers["q5_rate"], expected, tolerance=0.0005, unit="",
        alternatives={
            "这是新客占比（首单买了它的人 ÷ 全部买家），题目问的是这些新客户的回头率": float(row["new_share"]),
            "你除以了全部买家，回头率的分母是首单买了它的新客户": float(row["returned"] / row["buyers"]),
            "你写成了百分数，请写成 0 到 1 之间的小数": expected * 100,
        })


QUESTIONS = [
    Question(
        "q1", points=2, variables="q1_top5", evaluate=_check_q1,
        title="夏艺女装销售额前 5 名的商品（按名次排好）",
        hint="sales = product_sales(shop.orders, shop.items, as_of=TODAY) 已经按销售额从高到低排好，"
             "商品名在索引里：取前 5 行的索引，变成列表。",
        solution=("sales = product_sales(shop.orders, shop.items, as_of=TODAY)\n"
                  "q1_top5 = list(sales.index[:5])"),
    ),
    Question(
        "q2", points=2, variables="q2_a_count", evaluate=_check_q2,
        title="ABC 边界改成 80%/95% 时，A 类有几种商品",
        hint="abc_classes(sales[\"sales\"], edges=(0.80, 0.95)) 给出新的分类；数一数 abc 列等于 \"A\" 的行。"
             "跨过 80% 的那个商品仍然算 A 类。",
        solution=("abc80 = abc_classes(sales[\"sales\"], edges=(0.80, 0.95))\n"
                  "q2_a_count = int((abc80[\"abc\"] == \"A\").sum())"),
    ),
    Question(
        "q3", points=2, variables="q3_confidence", evaluate=_check_q3,
        title="买了水波纹羊绒大衣的订单里，有多大比例也买了羊绒大衣（置信度，0–1 的小数）",
        hint="pairs = product_pairs(...)，找 product 是“水波纹羊绒大衣”、also_bought 是“羊绒大衣”的那一行，"
             "取 confidence。注意方向：A → B 和 B → A 的置信度不一样。",
        solution=("pairs = product_pairs(shop.orders, shop.items, as_of=TODAY)\n"
                  "row = pairs[(pairs[\"product\"] == \"水波纹羊绒大衣\") & (pairs[\"also_bought\"] == \"羊绒大衣\")]\n"
                  "q3_confidence = float(row[\"confidence\"].iloc[0])"),
    ),
    Question(
        "q4", points=2, variables="q4_days", evaluate=_check_q4,
        title="保健品专卖：鱼油200粒装 的实际复购间隔中位数（天）",
        hint="repurchase_cycles(health.orders, health.items, products=health.products, as_of=HEALTH_TODAY) "
             "的 median_days 列；也可以从 purchase_gaps(...) 里筛出这种商品，对 gap_days 取中位数。",
        solution=("cycles = repurchase_cycles(health.orders, health.items, products=health.products, "
                  "as_of=HEALTH_TODAY)\n"
                  "q4_days = float(cycles.loc[\"鱼油200粒装\", \"median_days\"])"),
    ),
    Question(
        "q5", points=2, variables="q5_rate", evaluate=_check_q5,
        title="首单买了羊毛围巾的新客户，后来又下过单的比例（回头率，0–1 的小数）",
        hint="new_vs_old(shop.orders, shop.items, as_of=TODAY) 的 return_rate 列；"
             "分母是首单买了它的新客户（new_buyers），不是全部买家。",
        solution=("nv = new_vs_old(shop.orders, shop.items, as_of=TODAY)\n"
                  "q5_rate = float(nv.loc[\"羊毛围巾\", \"return_rate\"])"),
    ),
    QuizQuestion("q6", chapter="11", qid="q2", variable="q6_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, q3, q4, q5, q6 = ch11.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)


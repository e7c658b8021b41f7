"""第 11 章“商品销售分析”（夏艺女装，今天 = 2018-12-10；复购周期和 ABC 的一题用保健品专卖，今天 = 2016-06-01）的练习题。

练习本第一个代码单元格::

    from helpers.course.exercises import ch11
    q1, q2, q3, q4, q5, q6 = ch11.setup(globals())

练习都比课堂多走一步（换一段时间、一家店、一对商品、一种件数、一款商品）：
- q1：2018 年 11 月销售额前 5 名的商品，按名次排好（q1_top5）；
- q2：保健品专卖按工作簿的 ABC 规则，A 类有几种商品（q2_a_count）；
- q3：买了驼色羊毛大衣的订单里，有多大比例也买了长款羊毛大衣（置信度，q3_confidence）；
- q4：保健品专卖：上一次只买了 1 瓶的客户，再买鱼油200粒装的间隔中位数（天，q4_days）；
- q5：首单买了白鸭绒羽绒服的新客户，后来又下过单的比例（回头率，q5_rate）；
- q6：章节测试（helpers/course/quizzes/ch11.json）的第 2 题（q6_answer）。

每道题的误读写成数据（Misreading）：按误读算出的答案被判错，并给出那条误读自己的反馈；
算不出不同答案的误读不放进清单，在旁边注释里说明为什么。
另外提供章节测试填数题的计算（a_class_count_xiayi 等）。正确答案都在检查时从数据算出
（lru_cache 缓存），从不写死数字。
"""
from __future__ import annotations

from functools import lru_cache, partial

import numpy as np
import pandas as pd

from . import shop
from ..checks import Misreading, Question, Result, bind, compare_number
from ...products_analysis import (abc_classes, new_vs_old, order_lines, product_pairs, product_sales, purchase_gaps,
                                 repurchase_cycles)
from ..quiz import QuizQuestion

CHAPTER = "11"
TITLE = "商品销售分析：当月畅销商品、ABC 分类、连带购买、复购间隔与拉新"

TOP_N = 5                                   # 第 1 题：前几名
Q1_MONTH = ("2018-11-01", "2018-11-30")     # 第 1 题：双11 所在的月份
Q3_PAIR = ("驼色羊毛大衣", "长款羊毛大衣")    # 第 3 题：买了前者的订单里也买了后者
Q4_PRODUCT, Q4_PREVIOUS = "鱼油200粒装", 1   # 第 4 题：保健品专卖的一种商品、上一次买的件数
Q5_PRODUCT = "白鸭绒羽绒服"                  # 第 5 题：看它拉来的新客户


# ---------------------------------------------------------------------------
# 数据（每个内核只算一次）
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _sales(name: str = "xiayi", start: str | None = None, end: str | None = None) -> pd.DataFrame:
    s = shop(name)
    return product_sales(s.orders, s.items, as_of=end or s.today, start=start)


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
# 章节测试的填数题（helpers/course/quizzes/ch11.json）
# ---------------------------------------------------------------------------
def a_class_count_xiayi() -> float:
    """夏艺女装：按工作簿的 ABC 规则（70%/90%，跨界商品归入它补齐的一类），A 类有几种商品。"""
    return float((abc_classes(_sales("xiayi")["sales"])["abc"] == "A").sum())


def cocoon_new_share_xiayi() -> float:
    """夏艺女装：茧型毛呢外套的买家里，首单就买了它的新客占比（0 到 1 之间的小数）。"""
    return float(_new_vs_old().loc["茧型毛呢外套", "new_share"])


def propolis_median_days_health() -> float:
    """保健品专卖：蜂胶胶囊120粒装的实际复购间隔中位数（天）。"""
    return float(_cycles().loc["蜂胶胶囊120粒装", "median_days"])


# ---------------------------------------------------------------------------
# q1 一个月的销售额前 5 名
# ---------------------------------------------------------------------------
def top_products(start: str | None = Q1_MONTH[0], end: str | None = Q1_MONTH[1], by: str = "sales",
                 n: int = TOP_N) -> tuple:
    """start–end（两端都含）按 by 列（sales 销售额、units 销量）从高到低的前 n 种商品。"""
    table = _sales("xiayi", start, end)
    if by != "sales":
        table = table.reset_index().sort_values([by, "sales", "product"], ascending=[False, False, True]) \
            .set_index("product")
    return tuple(table.index[:n])


def _both_novembers() -> tuple:
    """误读：只比较月份（.dt.month == 11），把 2017 年和 2018 年的 11 月合在一起排名。"""
    s = shop("xiayi")
    orders = s.orders[s.orders["order_time"].dt.month == 11]
    return tuple(product_sales(orders, s.items, as_of=s.today).index[:TOP_N])


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


def compare_ranking(answer, expected, alternatives: dict | None = None, n: int = TOP_N) -> Result:
    """比较一份按名次排好的商品名单：名单和顺序都要对；正好等于某个误读时给那条误读的反馈。"""
    names = _as_names(answer)
    if names is None:
        return Result(False, f"应该是 {n} 个商品名组成的列表（按销售额从高到低），例如 "
                             f"[\"羊毛双面呢大衣\", …]，你给的是 {type(answer).__name__}。")
    exp = tuple(expected())
    if names == exp:
        return Result(True, f"销售额前 {n} 名：{'、'.join(exp)}。")
    if len(names) != n:
        return Result(False, f"应该正好 {n} 个商品，你给了 {len(names)} 个。可以用 .head({n}) 取前 {n} 行。")
    for message, alt in (alternatives or {}).items():
        alt_names = tuple(alt())
        if alt_names != exp and names == alt_names:
            return Result(False, message + "。")
    if set(names) == set(exp):
        return Result(False, f"{n} 种商品都对了，但顺序不对：请按销售额从高到低排。")
    wrong = [x for x in names if x not in exp]
    return Result(False, f"有 {len(wrong)} 种商品不在销售额前 {n} 名里：{'、'.join(wrong)}。")


# “漏掉 11 月 1 日或 30 日”“多算 12 月 1 日”不在清单里：差一天不会改变整月的前 5 名。
# “按订单数排”也不在：2018 年 11 月按订单数和按销量排出的前 5 名一样，由“按销量”这一条代表。
Q1_MISREADINGS = [
    Misreading("这是开店以来（截至今天）的销售额前 5 名：题目只看 2018 年 11 月下的单",
               lambda: top_products(None, None), "时间段：2018 年 11 月"),
    Misreading("你把 2017 年 11 月也算进去了（只比较了月份，没比较年份）：题目只看 2018 年 11 月",
               _both_novembers, "年份：2018 年"),
    Misreading("你按销量（件数）排了名，题目要的是按销售额（元）排名",
               lambda: top_products(by="units"), "按销售额排名"),
    Misreading("商品对了，但顺序反了：第 1 名应该是销售额最高的商品（从高到低排）",
               lambda: top_products()[::-1], "从高到低"),
]


# ---------------------------------------------------------------------------
# q2 另一家店的 ABC 分类
# ---------------------------------------------------------------------------
def a_count(name: str = "health", reading: str = "补齐", column: str = "sales") -> int:
    """name 这家店 A 类的商品数：reading="补齐"（工作簿规则）或 "不超过"（含自己的累计占比不超过边界才算）；
    column="units" 是按销量分类的误读。"""
    values = _sales(name)[column].astype("float64")
    table = abc_classes(values.rename(column))
    if reading == "补齐":
        return int((table["abc"] == "A").sum())
    return int((table["cum_share"] <= 0.70).sum())


Q2_MISREADINGS = [
    Misreading("你把跨过 70% 的那个商品算进了 B 类：本工作簿的规则是跨过边界的商品归入它补齐的那一类（A 类）",
               lambda: a_count(reading="不超过"), "跨过 70% 的商品算 A 类"),
    Misreading("这是夏艺女装的 A 类商品数：这道题问的是保健品专卖",
               lambda: a_count("xiayi"), "店铺：保健品专卖"),
    Misreading("这是 A 类加 B 类的商品数，题目只问 A 类",
               lambda: int((abc_classes(_sales("health")["sales"])["abc"] != "C").sum()), "只数 A 类"),
    Misreading("你按销量（件数）分了类：ABC 分类按销售额（元）累计",
               lambda: a_count(column="units"), "按销售额累计"),
]


# ---------------------------------------------------------------------------
# q3 置信度
# ---------------------------------------------------------------------------
def pair_value(column: str = "confidence", pair=Q3_PAIR) -> float:
    """连带购买表里 pair[0] → pair[1] 这一行的 column 值（support / confidence / lift）。"""
    table = _pairs()
    row = table[(table["product"] == pair[0]) & (table["also_bought"] == pair[1])]
    return float(row[column].iloc[0])


def _per_customer_confidence(pair=Q3_PAIR) -> float:
    """误读：按客户算（买过 A 的客户里有多少也买过 B，不管是不是同一笔订单）。"""
    s = shop("xiayi")
    lines = order_lines(s.orders, s.items, as_of=s.today)
    a = lines.loc[lines["product"] == pair[0], "customer_id"].unique()
    b = lines.loc[lines["product"] == pair[1], "customer_id"].unique()
    return float(np.isin(a, b).mean())


Q3_MISREADINGS = [
    Misreading(f"方向反了：你算的是买了{Q3_PAIR[1]}的订单里也买了{Q3_PAIR[0]}的比例",
               lambda: pair_value(pair=Q3_PAIR[::-1]), "方向：A → B，分母是含 A 的订单"),
    Misreading(f"这是支持度（除以全部订单数），置信度要除以含{Q3_PAIR[0]}的订单数",
               lambda: pair_value("support"), "分母：含 A 的订单，不是全部订单"),
    Misreading("这是提升度，题目问的是置信度", lambda: pair_value("lift"), "置信度，不是提升度"),
    Misreading("你按客户算了（买过两种商品的人，不管是不是同一笔订单）：连带购买只看同一笔订单里一起买的",
               _per_customer_confidence, "同一笔订单"),
]


# ---------------------------------------------------------------------------
# q4 上一次买了 1 件的复购间隔中位数
# ---------------------------------------------------------------------------
def median_days(previous: int | None = Q4_PREVIOUS, product: str = Q4_PRODUCT, stat: str = "median",
                current: bool = False) -> float:
    """保健品专卖：product 的再买间隔（天）的中位数；previous 是上一次买的件数（None 表示不限）。

    stat="mean" 取平均数、current=True 按“这一次买的件数”筛选（误读）。
    """
    gaps = _gaps()
    chosen = gaps[gaps["product"] == product]
    if previous is not None and not current:
        chosen = chosen[chosen["previous_quantity"] == previous]
    if current:
        s = shop("health")
        qty = s.items.drop_duplicates(["order_id", "product"]).set_index(["order_id", "product"])["quantity"]
        now = qty.reindex(pd.MultiIndex.from_arrays([chosen["order_id"], chosen["product"]])).to_numpy()
        chosen = chosen[now == previous]
    days = chosen["gap_days"]
    return float(days.mean() if stat == "mean" else days.median())


Q4_MISREADINGS = [
    Misreading("这是所有再买间隔的中位数：题目只看上一次买了 1 瓶的客户（previous_quantity == 1）",
               lambda: median_days(None), "只看上一次买 1 件的"),
    Misreading("你按“这一次买了 1 瓶”筛选了：题目看的是上一次买了几瓶（上一次买得多，下一次来得晚）",
               lambda: median_days(current=True), "按上一次的件数筛选"),
    Misreading("这是间隔的平均数，题目要中位数（平均数会被个别隔了很久才回来的客户拉长）",
               lambda: median_days(stat="mean"), "中位数，不是平均数"),
    Misreading("这是商品表里写的典型复购周期 repurchase_days，题目要从订单里算出实际间隔",
               lambda: float(shop("health").products.set_index("product").loc[Q4_PRODUCT, "repurchase_days"]),
               "从订单里算，不抄商品表"),
    Misreading("这是全部客户的“每件可用天数”（间隔 ÷ 上一次的件数）：题目要的是上一次买 1 瓶的客户的间隔天数",
               lambda: float(_cycles().loc[Q4_PRODUCT, "median_days_per_unit"]), "间隔天数，不折算成每件"),
]


# ---------------------------------------------------------------------------
# q5 回头率
# ---------------------------------------------------------------------------
def return_rate(product: str = Q5_PRODUCT, column: str = "return_rate") -> float:
    """new_vs_old 表里 product 这一行的 column 值。"""
    return float(_new_vs_old().loc[product, column])


def _product_first_return(product: str = Q5_PRODUCT) -> float:
    """误读：把“第一次买这件商品”当成首单，看之后有没有再下单。"""
    s = shop("xiayi")
    lines = order_lines(s.orders, s.items, as_of=s.today)
    first = lines[lines["product"] == product].groupby("customer_id")["order_time"].min()
    last = lines.groupby("customer_id")["order_time"].max()
    return float((last.reindex(first.index) > first).mean())


# “后来在另一天又下过单才算回头”不在清单里：首单买了白鸭绒羽绒服的客户里，没有人只在首单当天又下过单，
# 两种数法结果一样。
Q5_MISREADINGS = [
    Misreading("这是新客占比（首单买了它的人 ÷ 全部买家），题目问的是这些新客户的回头率",
               lambda: return_rate(column="new_share"), "回头率，不是新客占比"),
    Misreading("你除以了全部买家，回头率的分母是首单买了它的新客户",
               lambda: return_rate(column="returned") / return_rate(column="buyers"), "分母：首单买了它的新客户"),
    Misreading("你把“第一次买这件商品”当成了首单：首单是客户在本店的第一笔订单，之前在店里买过别的就不是新客户",
               _product_first_return, "首单 = 在本店的第一笔订单"),
]


QUESTIONS = [
    Question(
        "q1", points=2, variables="q1_top5", title="2018 年 11 月夏艺女装销售额前 5 名的商品（按名次排好）",
        expected=top_products, compare=compare_ranking, misreadings=Q1_MISREADINGS,
        hint=("先只留 2018 年 11 月下的单（1 日到 30 日，两端都含），再按商品汇总销售额、从高到低取前 5 个商品名；"
              "本课的商品销售函数可以给开始日期和截止日期。",
              "sales11 = product_sales(shop.orders, shop.items, start=\"2018-11-01\", as_of=\"2018-11-30\")，"
              "它已经按销售额从高到低排好，商品名在索引里。"),
        solution=("sales11 = product_sales(shop.orders, shop.items, start=\"2018-11-01\", as_of=\"2018-11-30\")\n"
                  "q1_top5 = list(sales11.index[:5])"),
    ),
    Question(
        "q2", points=2, variables="q2_a_count", title="保健品专卖按工作簿的 ABC 规则（70%/90%），A 类有几种商品",
        expected=a_count, compare=partial(compare_number, unit="种", tolerance=0), misreadings=Q2_MISREADINGS,
        hint=("换一家店、同一套规则：先算保健品专卖每种商品的销售额，再按累计销售额分类；"
              "跨过 70% 的那个商品仍然算 A 类。",
              "health_sales = product_sales(health.orders, health.items, as_of=HEALTH_TODAY)，"
              "abc_classes(health_sales[\"sales\"]) 的 abc 列里数一数 \"A\"。"),
        solution=("health_sales = product_sales(health.orders, health.items, as_of=HEALTH_TODAY)\n"
                  "q2_a_count = int((abc_classes(health_sales[\"sales\"])[\"abc\"] == \"A\").sum())"),
    ),
    Question(
        "q3", points=2, variables="q3_confidence",
        title="买了驼色羊毛大衣的订单里，有多大比例也买了长款羊毛大衣（置信度，0–1 的小数）",
        expected=pair_value, compare=partial(compare_number, unit="", tolerance=0.0005), misreadings=Q3_MISREADINGS,
        hint=("置信度有方向：分母是含驼色羊毛大衣的订单，分子是其中也含长款羊毛大衣的订单；只看同一笔订单。"
              "本课的连带购买表每个方向各有一行。",
              "pairs = product_pairs(shop.orders, shop.items, as_of=TODAY)，"
              "找 product 是“驼色羊毛大衣”、also_bought 是“长款羊毛大衣”的那一行，取 confidence。"),
        solution=("pairs = product_pairs(shop.orders, shop.items, as_of=TODAY)\n"
                  "row = pairs[(pairs[\"product\"] == \"驼色羊毛大衣\") & (pairs[\"also_bought\"] == \"长款羊毛大衣\")]\n"
                  "q3_confidence = float(row[\"confidence\"].iloc[0])"),
    ),
    Question(
        "q4", points=2, variables="q4_days",
        title="保健品专卖：上一次只买了 1 瓶的客户，再买鱼油200粒装，间隔天数的中位数（天）",
        expected=median_days, compare=partial(compare_number, unit="天", tolerance=0), misreadings=Q4_MISREADINGS,
        hint=("用本课的“再买”明细表：每行是一次再买，记着距上一次多少天、上一次买了几件；"
              "只留鱼油200粒装、上一次买 1 件的行，再取中位数。",
              "gaps = purchase_gaps(health.orders, health.items, as_of=HEALTH_TODAY)，"
              "筛 (gaps[\"product\"] == \"鱼油200粒装\") & (gaps[\"previous_quantity\"] == 1)，对 gap_days 取 median()。"),
        solution=("gaps = purchase_gaps(health.orders, health.items, as_of=HEALTH_TODAY)\n"
                  "fish = gaps[(gaps[\"product\"] == \"鱼油200粒装\") & (gaps[\"previous_quantity\"] == 1)]\n"
                  "q4_days = float(fish[\"gap_days\"].median())"),
    ),
    Question(
        "q5", points=2, variables="q5_rate",
        title="首单买了白鸭绒羽绒服的新客户，后来又下过单的比例（回头率，0–1 的小数）",
        expected=return_rate, compare=partial(compare_number, unit="", tolerance=0.0005), misreadings=Q5_MISREADINGS,
        hint=("回头率的分母是首单（在本店的第一笔订单）里就买了它的新客户，分子是其中后来又下过单的人；"
              "本课的拉新与留存表每种商品一行。",
              "new_vs_old(shop.orders, shop.items, as_of=TODAY) 的 return_rate 列，“白鸭绒羽绒服”这一行。"),
        solution=("nv = new_vs_old(shop.orders, shop.items, as_of=TODAY)\n"
                  "q5_rate = float(nv.loc[\"白鸭绒羽绒服\", \"return_rate\"])"),
    ),
    QuizQuestion("q6", chapter="11", qid="q2", variable="q6_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, q3, q4, q5, q6 = ch11.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)


"""第 10 章“客户属性分析”（夏艺女装，今天 = 2018-12-10）的练习题和填数题计算。

练习本第一个代码单元格::

    from helpers.exercises import ch10
    q1, q2, q3, q4, q5, q6 = ch10.setup(globals())

教材 8.4 没有单独的任务训练，练习都比课堂多走一步：
- q1：医生、教师买家的复购率（q1_rate）；
- q2：30–34 岁的客户有多少位（q2_count）；
- q3：2018 年 11 月有多少位老买家（q3_returning）；
- q4：第 1 次和第 2 次购买之间间隔的中位数（q4_median）；
- q5：上海客户各年龄段的人数（q5_counts）；
- q6：章节测试（helpers/quizzes/ch10.json）的第 5 题（q6_answer）。

helpers/quizzes/ch10.json 里的填数题也写成 "helpers.exercises.ch10:函数名"。
正确答案都在检查时从数据算出（lru_cache 缓存），从不写死数字。
"""
from __future__ import annotations

from functools import lru_cache, partial

import pandas as pd

from . import shop
from ..audience import audience_table, interval_summary, new_vs_returning, purchase_intervals, repeat_purchase_rate
from ..checks import Question, bind, compare_mapping, compare_number
from ..quiz import QuizQuestion

CHAPTER = "10"
TITLE = "客户属性分析：人群复购率、年龄段、老买家、购买间隔与交叉"

_shop = partial(shop, "xiayi")


@lru_cache(maxsize=None)
def _table() -> pd.DataFrame:
    s = _shop()
    return audience_table(s.customers, s.orders, s.today)


# ---------------------------------------------------------------------------
# 章节测试的填数题
# ---------------------------------------------------------------------------
def repeat_rate_xiayi() -> float:
    """夏艺女装的复购率（二次购买率）：2 单及以上的买家 ÷ 全部买家（0 到 1 之间的小数）。"""
    return repeat_purchase_rate(_table())


def new_buyers_2018_01() -> float:
    """2018 年 1 月有多少位新买家（第一笔订单就在这个月）。"""
    s = _shop()
    return float(new_vs_returning(s.orders, s.today).loc["2018-01", "新买家（人）"])


# ---------------------------------------------------------------------------
# 练习题的正确答案与“误读”
# ---------------------------------------------------------------------------
def crowd_repeat_rate(how: str = "buyers") -> float:
    """医生、教师的复购率；how="customers" 分母用全部客户、"3plus" 用 3 单及以上（误读）。"""
    t = _table()
    crowd = t[t["occupation"].isin(["医生", "教师"])]
    if how == "customers":
        return float((crowd["order_count"] >= 2).sum() / len(crowd))
    if how == "3plus":
        buyers = crowd[crowd["order_count"] > 0]
        return float((buyers["order_count"] >= 3).mean())
    return repeat_purchase_rate(crowd)


def age_count(lo: int = 30, hi: int = 35, closed: str = "left", buyers_only: bool = False) -> float:
    """年龄在 [lo, hi) 的客户数；closed="right" 是 (lo, hi] 的误读。"""
    s = _shop()
    age = s.customers.set_index("customer_id")["age"]
    keep = (age >= lo) & (age < hi) if closed == "left" else (age > lo) & (age <= hi)
    if buyers_only:
        keep &= _table()["order_count"].reindex(age.index) > 0
    return float(keep.sum())


def returning_buyers(month: str = "2018-11", how: str = "people") -> float:
    """某月的老买家人数；how="orders" 数订单、"in_month" 只数当月下了 2 单及以上的人（误读）。"""
    s = _shop()
    if how == "people":
        return float(new_vs_returning(s.orders, s.today).loc[month, "老买家（人）"])
    o = s.orders
    month_of = o["order_time"].dt.strftime("%Y-%m")
    first = o.groupby("customer_id")["order_time"].transform("min").dt.strftime("%Y-%m")
    inside = o[month_of == month]
    if how == "orders":
        return float((first[month_of == month] < month).sum())
    return float((inside["customer_id"].value_counts() >= 2).sum())


def first_gap_median(how: str = "days") -> float:
    """第 1→2 个下单日间隔的中位数（天）；how="all" 用全部间隔、"mean" 用平均数（误读）。"""
    s = _shop()
    table = interval_summary(purchase_intervals(s.orders, s.today))
    if how == "mean":
        return float(table.loc["第 1→2 次", "平均（天）"])
    if how == "all":
        return float(table.loc["全部", "中位数（天）"])
    return float(table.loc["第 1→2 次", "中位数（天）"])


def shanghai_ages(buyers_only: bool = False) -> dict:
    """所属地区为上海的客户，各年龄段的人数；buyers_only=True 是只数买家的误读。"""
    t = _table()
    part = t[(t["province"] == "上海") & ((t["order_count"] > 0) if buyers_only else True)]
    counts = part["age_band"].value_counts(sort=False)
    return {str(k): int(v) for k, v in counts.items()}


def _check_q1(answers, namespace):
    return compare_number(answers["q1_rate"], crowd_repeat_rate, unit="", tolerance=0.0005, alternatives={
        "你的分母是全部医生、教师客户（含没下过单的人）：复购率的分母是买家": lambda: crowd_repeat_rate("customers"),
        "你用了 3 单及以上（> 2），二次购买率要的是 2 单及以上（≥ 2）": lambda: crowd_repeat_rate("3plus"),
    })


def _check_q2(answers, namespace):
    return compare_number(answers["q2_count"], age_count, unit="人", tolerance=0, alternatives={
        "你用了“30 < 年龄 ≤ 35”：本工作簿的年龄段左闭右开，30 岁算、35 岁不算": lambda: age_count(closed="right"),
        "你只数了下过单的客户，题目问的是全部客户": lambda: age_count(buyers_only=True),
        "你把 35 岁也算进去了（≤ 35）：30–34 岁是 [30, 35)": lambda: age_count(30, 36),
    })


def _check_q3(answers, namespace):
    return compare_number(answers["q3_returning"], returning_buyers, unit="人", tolerance=0, alternatives={
        "你数的是老买家的订单笔数：一个人下两单只算一位买家": lambda: returning_buyers(how="orders"),
        "你数的是 11 月当月下了 2 单及以上的人：老买家是“11 月以前就买过、11 月又来下单”的人":
            lambda: returning_buyers(how="in_month"),
        "这是 11 月的新买家人数": lambda: float(new_vs_returning(_shop().orders, _shop().today).loc["2018-11", "新买家（人）"]),
    })


def _check_q4(answers, namespace):
    return compare_number(answers["q4_median"], first_gap_median, unit="天", tolerance=0, alternatives={
        "你把所有相邻两次的间隔都算进去了，题目只问第 1 次和第 2 次之间（nth == 2）": lambda: first_gap_median("all"),
        "这是平均数，题目问的是中位数（少数很长的间隔会把平均数拉高）": lambda: first_gap_median("mean"),
    })


def _check_q5(answers, namespace):
    return compare_mapping(answers["q5_counts"], shanghai_ages, unit="人", alternatives={
        "你只数了下过单的客户，题目问的是上海的全部客户": lambda: shanghai_ages(buyers_only=True),
    })


QUESTIONS = [
    Question("q1", points=2, variables="q1_rate", evaluate=_check_q1,
             title="职业是医生或教师的买家，复购率是多少（0 到 1 之间的小数）",
             hint="people = audience_table(shop.customers, shop.orders, TODAY)，先筛出 occupation 是医生或教师的行，"
                  "再 repeat_purchase_rate(...)。",
             solution="crowd = people[people[\"occupation\"].isin([\"医生\", \"教师\"])]\n"
                      "q1_rate = repeat_purchase_rate(crowd)"),
    Question("q2", points=1, variables="q2_count", evaluate=_check_q2,
             title="30–34 岁（30 ≤ 年龄 < 35）的客户有多少位（含没下过单的）",
             hint="属性表的 age_band 列已经分好了年龄段；或者直接比较 age：30 ≤ age < 35。",
             solution="q2_count = int((people[\"age_band\"] == \"30–34 岁\").sum())"),
    Question("q3", points=2, variables="q3_returning", evaluate=_check_q3,
             title="2018 年 11 月有多少位老买家（11 月下过单、而且以前就买过）",
             hint="new_vs_returning(shop.orders, TODAY) 的“老买家（人）”列。",
             solution="q3_returning = new_vs_returning(shop.orders, TODAY).loc[\"2018-11\", \"老买家（人）\"]"),
    Question("q4", points=2, variables="q4_median", evaluate=_check_q4,
             title="复购客户第 1 次和第 2 次购买之间间隔的中位数（天）",
             hint="purchase_intervals 按下单日计算间隔（同一天的几笔订单算一个下单日）；nth == 2 就是第 1→2 次。",
             solution="intervals = purchase_intervals(shop.orders, TODAY)\n"
                      "q4_median = intervals.loc[intervals[\"nth\"] == 2, \"days\"].median()"),
    Question("q5", points=2, variables="q5_counts", evaluate=_check_q5,
             title="所属地区为上海的客户中，各年龄段各有多少位（Series 或 dict：年龄段 → 人数）",
             hint="cross_attributes(people, \"省份\", \"年龄段\") 的“上海”一行；或者筛出上海客户后 value_counts()。",
             solution="q5_counts = cross_attributes(people, \"省份\", \"年龄段\").loc[\"上海\"]"),
    QuizQuestion("q6", chapter="10", qid="q5", variable="q6_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, …, q6 = ch10.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

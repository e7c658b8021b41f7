"""第 09 章“网店运营分析”（夏艺女装，今天 = 2018-12-10）的练习题和填数题计算。

练习本第一个代码单元格::

    from helpers.exercises import ch09
    q1, q2, q3, q4, q5, q6 = ch09.setup(globals())

教材 8.3 没有单独的任务训练，练习都比课堂多走一步：
- q1：2018 年 10 月的客单价（q1_aov）；
- q2：2018 年双11 当天的销售额（q2_sales）；
- q3：2018 年 2 月比 1 月，销售额变化里订单量贡献了多少（q3_orders_part）；
- q4：2018 年 11 月的毛利（q4_profit）；
- q5：6.18 预热期间加购客户中下单的比例（q5_rate）；
- q6：章节测试（helpers/quizzes/ch09.json）的第 4 题（q6_answer）。

helpers/quizzes/ch09.json 里的填数题也写成 "helpers.exercises.ch09:函数名"。
正确答案都在检查时从数据算出（lru_cache 缓存），从不写死数字。
"""
from __future__ import annotations

from functools import lru_cache, partial

import numpy as np
import pandas as pd

from . import shop
from ..checks import Question, bind, compare_number
from ..operations import decompose_change, kpi_by_period, order_facts, traffic_funnel
from ..quiz import QuizQuestion

CHAPTER = "09"
TITLE = "网店运营分析：客单价、大促当天、环比拆解、毛利与漏斗"

_shop = partial(shop, "xiayi")


@lru_cache(maxsize=None)
def _facts() -> pd.DataFrame:
    s = _shop()
    return order_facts(s.orders, s.items, s.products)


@lru_cache(maxsize=None)
def _monthly() -> pd.DataFrame:
    return kpi_by_period(_facts(), "月", end="2018-11-30")


# ---------------------------------------------------------------------------
# 章节测试的填数题
# ---------------------------------------------------------------------------
def aov_2018_11() -> float:
    """夏艺女装 2018 年 11 月的客单价（元，保留两位小数）。"""
    return float(_monthly().loc["2018-11", "客单价（元）"])


def orders_part_2018_11() -> float:
    """2018 年 11 月比 10 月的销售额变化中，订单量贡献了多少（元）。"""
    return float(decompose_change(_monthly()).loc["2018-11", "订单量贡献（元）"])


def cart_to_order_rate_1111() -> float:
    """2018-11-01 至 11-11 的漏斗里，加购过的客户中有百分之几也下了单（%，保留一位小数）。"""
    return float(traffic_funnel(_shop().events, "2018-11-01", "2018-11-11").loc["下单", "占上一步（%）"])


# ---------------------------------------------------------------------------
# 练习题的正确答案与“误读”
# ---------------------------------------------------------------------------
def aov(month: str = "2018-10", per: str = "order") -> float:
    """某月的客单价；per="buyer" 时是“销售额 ÷ 买家数”（误读）。"""
    row = _monthly().loc[month]
    if per == "buyer":
        return round(row["销售额（元）"] / row["买家数（人）"], 2)
    return float(row["客单价（元）"])


def day_sales(start: str = "2018-11-11", end: str = "2018-11-11") -> float:
    """start 到 end（两端都含）的销售额（元）。"""
    return float(kpi_by_period(_facts(), "日", start, end)["销售额（元）"].sum())


def orders_part(month: str = "2018-02", weight: str = "mid") -> float:
    """某月比上月的订单量贡献（元）；weight="prev"/"this" 是用上月/本月客单价做权重的误读。"""
    m = _monthly()
    if weight == "mid":
        return float(decompose_change(m).loc[month, "订单量贡献（元）"])
    i = list(m.index).index(month)
    prev, this = m.iloc[i - 1], m.iloc[i]
    a = (prev if weight == "prev" else this)
    exact = a["销售额（元）"] / a["订单量（单）"]
    return round((this["订单量（单）"] - prev["订单量（单）"]) * exact, 2)


def month_profit(month: str = "2018-11", how: str = "lines") -> float:
    """某月毛利（元）；how="mean_margin" 用商品毛利率的简单平均、"list_price" 用一口价 × 数量（误读）。"""
    if how == "lines":
        return float(_monthly().loc[month, "毛利（元）"])
    s = _shop()
    if how == "mean_margin":
        return round(float(_monthly().loc[month, "销售额（元）"]) * float(s.products["margin"].mean()), 2)
    orders = s.orders[s.orders["order_time"].dt.strftime("%Y-%m") == month]
    lines = s.items[s.items["order_id"].isin(orders["order_id"])].merge(s.products, on="product")
    fen = np.round(lines["price"].to_numpy() * 100).astype("int64") * lines["quantity"].to_numpy()
    return round(float((fen * lines["margin"].to_numpy()).sum()) / 100, 2)


def cart_rate(start: str = "2018-06-01", end: str = "2018-06-18", how: str = "nested") -> float:
    """start–end 期间加购→下单的比例（%）；how="flat" 不取交集、"first" 占第一步（误读）。"""
    ev = _shop().events
    f = traffic_funnel(ev, start, end)
    if how == "nested":
        return float(f.loc["下单", "占上一步（%）"])
    if how == "first":
        return float(f.loc["下单", "占第一步（%）"])
    day = ev["event_time"].dt.normalize()
    part = ev[(day >= pd.Timestamp(start)) & (day <= pd.Timestamp(end))]
    people = part.groupby("event")["customer_id"].nunique()
    return round(float(people["下单"] / people["加购"] * 100), 1)


def _check_q1(answers, namespace):
    return compare_number(answers["q1_aov"], aov, unit="元", alternatives={
        "你用销售额 ÷ 买家数算了：客单价按“单”算，一个人下两单算两单，应除以订单量": lambda: aov(per="buyer"),
        "这是 2018 年 11 月的客单价，题目问的是 10 月": lambda: aov("2018-11"),
    })


def _check_q2(answers, namespace):
    return compare_number(answers["q2_sales"], day_sales, unit="元", alternatives={
        "这是 11 月 1 日到 11 日的合计，题目只问 11 月 11 日当天": lambda: day_sales("2018-11-01", "2018-11-11"),
        "你把 11 月 12 日也算进去了（是不是写了 order_time <= \"2018-11-12\"？）：当天是 11-11 00:00 到 23:59:59":
            lambda: day_sales("2018-11-11", "2018-11-12"),
        "你的答案是 0：order_time == \"2018-11-11\" 只能匹配零点整下的单，应比较日期（.dt.normalize() 或 .dt.date）": 0,
    })


def _check_q3(answers, namespace):
    return compare_number(answers["q3_orders_part"], orders_part, unit="元", alternatives={
        "你用上个月的客单价做权重（固定权重），本课用两个月客单价的平均：这样两部分加起来才恰好等于总变化":
            lambda: orders_part(weight="prev"),
        "你用这个月的客单价做权重，本课用两个月客单价的平均": lambda: orders_part(weight="this"),
        "这是销售额的总变化，题目只问其中订单量贡献的部分":
            lambda: float(decompose_change(_monthly()).loc["2018-02", "销售额变化（元）"]),
    })


def _check_q4(answers, namespace):
    return compare_number(answers["q4_profit"], month_profit, unit="元", tolerance=0.01, alternatives={
        "你用销售额 × 各商品毛利率的简单平均：每种商品卖得多少不一样，应按每行明细各自的毛利率算":
            lambda: month_profit(how="mean_margin"),
        "你用一口价（标价）× 数量算了：毛利要按实付金额（明细的 amount）算，标价比实付高":
            lambda: month_profit(how="list_price"),
        "这是 11 月的销售额，不是毛利：毛利 = 实付金额 × 毛利率": lambda: float(_monthly().loc["2018-11", "销售额（元）"]),
    })


def _check_q5(answers, namespace):
    return compare_number(answers["q5_rate"], cart_rate, unit="%", tolerance=0.05, alternatives={
        "你直接用“下单人数 ÷ 加购人数”，没有一层层取交集：没浏览、没加购就下单的人也被算进来了":
            lambda: cart_rate(how="flat"),
        "这是占第一步（浏览）的比例，题目问的是占上一步（加购）的比例": lambda: cart_rate(how="first"),
    })


QUESTIONS = [
    Question("q1", points=1, variables="q1_aov", evaluate=_check_q1,
             title="2018 年 10 月的客单价（元）",
             hint="facts = order_facts(shop.orders, shop.items, shop.products)，再 kpi_by_period(facts, \"月\")，"
                  "看 2018-10 这一行。客单价 = 销售额 ÷ 订单量。",
             solution="monthly = kpi_by_period(facts, \"月\")\nq1_aov = monthly.loc[\"2018-10\", \"客单价（元）\"]"),
    Question("q2", points=1, variables="q2_sales", evaluate=_check_q2,
             title="2018 年双11 当天（11 月 11 日）的销售额（元）",
             hint="按日汇总：kpi_by_period(facts, \"日\", \"2018-11-11\", \"2018-11-11\")；或者比较 order_time 的日期部分。",
             solution="q2_sales = kpi_by_period(facts, \"日\", \"2018-11-11\", \"2018-11-11\")[\"销售额（元）\"].sum()"),
    Question("q3", points=2, variables="q3_orders_part", evaluate=_check_q3,
             title="2018 年 2 月比 1 月，销售额变化里订单量贡献了多少（元）",
             hint="decompose_change(kpi_by_period(facts, \"月\", end=\"2018-11-30\")) 的“订单量贡献（元）”列。"
                  "手算时：(订单量₁ − 订单量₀) × (客单价₀ + 客单价₁) ÷ 2。",
             solution="dec = decompose_change(kpi_by_period(facts, \"月\", end=\"2018-11-30\"))\n"
                      "q3_orders_part = dec.loc[\"2018-02\", \"订单量贡献（元）\"]"),
    Question("q4", points=2, variables="q4_profit", evaluate=_check_q4,
             title="2018 年 11 月的毛利（元）",
             hint="毛利 = 每行明细的实付金额 × 该商品的毛利率，再相加；order_facts 已经算好了每笔订单的 profit_fen。",
             solution="q4_profit = kpi_by_period(facts, \"月\").loc[\"2018-11\", \"毛利（元）\"]"),
    Question("q5", points=2, variables="q5_rate", evaluate=_check_q5,
             title="6.18 预热期间（2018-06-01 至 06-18），加购过的客户中有百分之几也下了单（%）",
             hint="traffic_funnel(shop.events, start, end) 一层层取交集；看“下单”一行的“占上一步（%）”。",
             solution="q5_rate = traffic_funnel(shop.events, \"2018-06-01\", \"2018-06-18\").loc[\"下单\", \"占上一步（%）\"]"),
    QuizQuestion("q6", chapter="09", qid="q4", variable="q6_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, …, q6 = ch09.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

"""第 09 章“网店运营分析”（夏艺女装，今天 = 2018-12-10）的练习题和填数题计算。

练习本第一个代码单元格::

    from helpers.course.exercises import ch09
    q1, q2, q3, q4, q5, q6 = ch09.setup(globals())

教材 8.3 没有单独的任务训练，练习都比课堂多走一步（换一段时间、一个渠道、同比）：
- q1：2017 年双11 预热到当天（11 月 1 日至 11 日）的客单价，按支付买家数算（q1_aov）；
- q2：2018 年双11 当天无线端的销售额（q2_sales）；
- q3：2018 年 11 月比 2017 年 11 月（同比），销售额变化里买家数贡献了多少（q3_buyers_part）；
- q4：2018 年 12 月 1 日至 9 日的毛利（q4_profit）；
- q5：6.18 预热期间加购客户中下单的比例（q5_rate）；
- q6：章节测试（helpers/course/quizzes/ch09.json）的第 4 题（q6_answer）。

每道题的误读写成数据（Misreading）：按误读算出的答案被判错，并给出那条误读自己的反馈。
题目里的日期窗口两端都选在有订单的日子上，所以“漏掉第一天 / 最后一天 / 多算一天”都会改变答案；
q2 的当天 0 点整正好有一笔无线订单，所以“用 > 比较时刻”也会改变答案（tests/test_exercises_09_10.py 核对这些前提）。
正确答案都在检查时从数据算出（lru_cache 缓存），从不写死数字。
"""
from __future__ import annotations

from functools import lru_cache, partial

import pandas as pd

from . import shop
from ..checks import Misreading, Question, bind, compare_number
from ...money import fen_to_yuan, round_yuan, to_fen
from ...operations import decompose_change, kpi_by_period, order_facts, period_report, traffic_funnel
from ..quiz import QuizQuestion

CHAPTER = "09"
TITLE = "网店运营分析：客单价、大促当天、同比拆解、毛利与漏斗"

Q1_WINDOW = ("2017-11-01", "2017-11-11")     # 2017 年双11 的预热和当天
Q2_DAY, Q2_CHANNEL = "2018-11-11", "无线"
Q3_MONTHS = ("2017-11", "2018-11")           # 同比：去年同月 → 今年
Q4_WINDOW = ("2018-12-01", "2018-12-09")     # 12 月至今（数据截至今天的前一天）
Q5_WINDOW = ("2018-06-01", "2018-06-18")     # 6.18 的预热和当天

_shop = partial(shop, "xiayi")


@lru_cache(maxsize=None)
def _facts() -> pd.DataFrame:
    s = _shop()
    return order_facts(s.orders, s.items, s.products)


@lru_cache(maxsize=None)
def _monthly() -> pd.DataFrame:
    return kpi_by_period(_facts(), "月", end="2018-11-30")


def _day(text: str, days: int = 0) -> str:
    return (pd.Timestamp(text) + pd.Timedelta(days=days)).strftime("%Y-%m-%d")


# ---------------------------------------------------------------------------
# 章节测试的填数题
# ---------------------------------------------------------------------------
def aov_2018_11() -> float:
    """夏艺女装 2018 年 11 月的客单价（销售额 ÷ 支付买家数，元，保留两位小数）。"""
    return float(_monthly().loc["2018-11", "客单价（元）"])


def cart_to_order_rate_1111() -> float:
    """2018-11-01 至 11-11 的漏斗里，加购过的客户中有百分之几也下了单（%，保留一位小数）。"""
    return float(traffic_funnel(_shop().events, "2018-11-01", "2018-11-11").loc["下单", "占上一步（%）"])


# ---------------------------------------------------------------------------
# q1 一段日期的客单价（按支付买家数）
# ---------------------------------------------------------------------------
def window_value(start: str = Q1_WINDOW[0], end: str = Q1_WINDOW[1], column: str = "客单价（元）") -> float:
    """start 到 end（两端都含）的合计指标，默认客单价。"""
    return float(period_report(_facts(), start, end)[column])


def _daily_buyers_aov() -> float:
    """误读：把每天的买家数加起来当作整段时间的买家数。"""
    daily = kpi_by_period(_facts(), "日", *Q1_WINDOW)
    return round(float(daily["销售额（元）"].sum() / daily["买家数（人）"].sum()), 2)


def _mean_daily_aov() -> float:
    """误读：每天的客单价取简单平均。"""
    return round(float(kpi_by_period(_facts(), "日", *Q1_WINDOW)["客单价（元）"].mean()), 2)


Q1_MISREADINGS = [
    Misreading("你用销售额 ÷ 订单量算了，那是平均订单价（笔单价）：这道题的客单价按支付买家数算，一位买家下两单只算一人",
               lambda: window_value(column="平均订单价（元）"), "客单价 = 销售额 ÷ 支付买家数（不是 ÷ 订单量）"),
    Misreading("你把每天的买家数加了起来：同一位买家在两天里都下过单就被数了两次，买家数要对整段时间去重",
               _daily_buyers_aov, "买家数按整段时间去重"),
    Misreading("你把每天的客单价取了平均：客单价要用整段时间的销售额 ÷ 整段时间的买家数，不能平均每天的比值",
               _mean_daily_aov, "整段时间的合计之比，不是每天比值的平均"),
    Misreading("你漏掉了 11 月 1 日：预热期从 11 月 1 日当天算起（开始日期要用 ≥，不是 >）",
               lambda: window_value(_day(Q1_WINDOW[0], 1)), "开始日 11 月 1 日含当天"),
    Misreading("你漏掉了 11 月 11 日当天：结束日要包括这一天的全天（按日期比较，或写成早于 11 月 12 日）",
               lambda: window_value(end=_day(Q1_WINDOW[1], -1)), "结束日 11 月 11 日含当天全天"),
    Misreading("你把 11 月 12 日也算进去了：这段时间到 11 月 11 日当天为止",
               lambda: window_value(end=_day(Q1_WINDOW[1], 1)), "结束日的后一天不算"),
    Misreading("这是 2017 年 11 月整个月的客单价，题目只问 11 月 1 日至 11 日",
               lambda: window_value("2017-11-01", "2017-11-30"), "时间段：11 月 1 日至 11 日，不是整月"),
    Misreading("这是 2018 年双11 期间的客单价，题目问的是 2017 年",
               lambda: window_value("2018-11-01", "2018-11-11"), "年份：2017 年"),
]


# ---------------------------------------------------------------------------
# q2 大促当天一个渠道的销售额
# ---------------------------------------------------------------------------
def day_sales(start: str = Q2_DAY, end: str = Q2_DAY, channel: str | None = Q2_CHANNEL,
              after_midnight: bool = False, at_midnight: bool = False) -> float:
    """start 到 end（两端都含，按日期）某个渠道的销售额（元）。

    after_midnight=True 是“order_time > 当天零点”的误读（漏掉 00:00:00 整下的单）；
    at_midnight=True 是“order_time == 当天”的误读（只剩 00:00:00 整下的单）。
    """
    f = _facts()
    keep = (f["date"] >= pd.Timestamp(start)) & (f["date"] <= pd.Timestamp(end))
    if channel is not None:
        keep &= f["channel"] == channel
    if after_midnight:
        keep &= f["order_time"] > pd.Timestamp(start)
    if at_midnight:
        keep &= f["order_time"] == pd.Timestamp(start)
    return fen_to_yuan(int(f.loc[keep, "amount_fen"].sum()))


Q2_MISREADINGS = [
    Misreading("你漏掉了 11 月 11 日 0 点整下的单：当天从 00:00:00 算起，比较时刻要用 ≥（或者直接比较日期），不能用 >",
               lambda: day_sales(after_midnight=True), "当天 00:00:00 下的单也算"),
    Misreading("你只算了 0 点整那一刻下的单：order_time == \"2018-11-11\" 只匹配 00:00:00，应比较日期（例如 date 列）",
               lambda: day_sales(at_midnight=True), "“当天”是 00:00:00 到 23:59:59，不是零点那一刻"),
    Misreading("你把 11 月 12 日的订单也算进去了：当天只到 23:59:59",
               lambda: day_sales(end=_day(Q2_DAY, 1)), "第二天 00:00:00 起不算"),
    Misreading("这是当天全部渠道（PC 和无线）的销售额，题目只问无线端",
               lambda: day_sales(channel=None), "渠道：只看无线"),
    Misreading("这是 PC 端的销售额，题目问的是无线端（手机下的单）",
               lambda: day_sales(channel="PC"), "渠道：无线，不是 PC"),
]


# ---------------------------------------------------------------------------
# q3 同比拆解：买家数贡献
# ---------------------------------------------------------------------------
def buyers_part(months=Q3_MONTHS, by: str = "买家数", column: str | None = None) -> float:
    """months[1] 比 months[0] 的销售额变化里某一部分（元），默认买家数贡献。"""
    dec = decompose_change(_monthly().loc[list(months)], by=by)
    return float(dec.loc[months[1], column or f"{by}贡献（元）"])


def _fixed_weight(which: int) -> float:
    """误读：Δ买家数 × 某一期（which = 0 去年、1 今年）的客单价，而不是两期的平均。"""
    two = _monthly().loc[list(Q3_MONTHS)]
    aov = two["销售额（元）"] / two["买家数（人）"]
    return round(float((two["买家数（人）"].iloc[1] - two["买家数（人）"].iloc[0]) * aov.iloc[which]), 2)


Q3_MISREADINGS = [
    Misreading("这是 2018 年 11 月比 10 月（环比）的买家数贡献，题目要和去年同月 2017 年 11 月比（同比）",
               lambda: buyers_part(("2018-10", "2018-11")), "比较对象：去年同月（同比），不是上个月"),
    Misreading("你按“订单量 × 平均订单价”拆了，得到的是订单量贡献：这道题按“买家数 × 客单价”拆，问买家数贡献",
               lambda: buyers_part(by="订单量"), "拆法：销售额 = 买家数 × 客单价"),
    Misreading("你用 2017 年 11 月的客单价做权重（固定权重）：本课用两期客单价的平均，两部分加起来才恰好等于总变化",
               lambda: _fixed_weight(0), "权重：两期客单价的平均，不是去年的客单价"),
    Misreading("你用 2018 年 11 月的客单价做权重：本课用两期客单价的平均",
               lambda: _fixed_weight(1), "权重：两期客单价的平均，不是今年的客单价"),
    Misreading("这是销售额的总变化，题目只问其中买家数贡献的部分",
               lambda: buyers_part(column="销售额变化（元）"), "只要买家数贡献这一部分"),
    Misreading("这是客单价贡献（每位买家花得多了多少带来的变化），题目问的是买家数贡献",
               lambda: buyers_part(column="客单价贡献（元）"), "要买家数贡献，不是客单价贡献"),
]


# ---------------------------------------------------------------------------
# q4 一段日期的毛利
# ---------------------------------------------------------------------------
def window_profit(start: str = Q4_WINDOW[0], end: str = Q4_WINDOW[1], how: str = "lines") -> float:
    """start 到 end 的毛利（元）；how="mean_margin" 用商品毛利率的简单平均、"list_price" 用一口价 × 数量（误读）。"""
    if how == "lines":
        return window_value(start, end, "毛利（元）")
    s = _shop()
    if how == "mean_margin":
        return round(window_value(start, end, "销售额（元）") * float(s.products["margin"].mean()), 2)
    day = s.orders["order_time"].dt.normalize()
    orders = s.orders[(day >= pd.Timestamp(start)) & (day <= pd.Timestamp(end))]
    lines = s.items[s.items["order_id"].isin(orders["order_id"])].merge(s.products, on="product")
    fen = to_fen(lines["price"].to_numpy()) * lines["quantity"].to_numpy()
    return round_yuan(float((fen * lines["margin"].to_numpy()).sum()))


# “包括今天 12 月 10 日”不在清单里：数据截至今天的前一天，今天没有订单，算进去答案也不变。
Q4_MISREADINGS = [
    Misreading("你用销售额 × 各商品毛利率的简单平均：每种商品卖得多少不一样，应按每行明细各自的毛利率算",
               lambda: window_profit(how="mean_margin"), "毛利 = 每行明细的实付金额 × 该商品毛利率"),
    Misreading("你用一口价（标价）× 数量算了：毛利要按实付金额（明细的 amount）算，标价比实付高",
               lambda: window_profit(how="list_price"), "按实付金额，不按一口价"),
    Misreading("这是这段时间的销售额，不是毛利：毛利 = 实付金额 × 毛利率",
               lambda: window_value(*Q4_WINDOW, "销售额（元）"), "毛利，不是销售额"),
    Misreading("你漏掉了 12 月 1 日：这段时间从 12 月 1 日当天算起",
               lambda: window_profit(_day(Q4_WINDOW[0], 1)), "开始日 12 月 1 日含当天"),
    Misreading("你漏掉了 12 月 9 日：这段时间到 12 月 9 日当天为止（含这一天）",
               lambda: window_profit(end=_day(Q4_WINDOW[1], -1)), "结束日 12 月 9 日含当天"),
    Misreading("这是 12 月 3 日那一周（周一到周日）的毛利：题目从 12 月 1 日算起，周报里这两天算在上一周",
               lambda: window_profit("2018-12-03"), "时间段：12 月 1 日起，不是按周"),
]


# ---------------------------------------------------------------------------
# q5 漏斗：加购 → 下单
# ---------------------------------------------------------------------------
def cart_rate(start: str = Q5_WINDOW[0], end: str = Q5_WINDOW[1], how: str = "nested") -> float:
    """start–end 期间加购→下单的比例（%）；how="flat" 不取交集、"first" 占第一步、"cart" 加购占浏览（误读）。"""
    ev = _shop().events
    f = traffic_funnel(ev, start, end)
    if how == "nested":
        return float(f.loc["下单", "占上一步（%）"])
    if how == "first":
        return float(f.loc["下单", "占第一步（%）"])
    if how == "cart":
        return float(f.loc["加购", "占上一步（%）"])
    day = ev["event_time"].dt.normalize()
    part = ev[(day >= pd.Timestamp(start)) & (day <= pd.Timestamp(end))]
    people = part.groupby("event")["customer_id"].nunique()
    return round(float(people["下单"] / people["加购"] * 100), 1)


Q5_MISREADINGS = [
    Misreading("你直接用“下单人数 ÷ 加购人数”，没有一层层取交集：没浏览、没加购就下单的人也被算进来了",
               lambda: cart_rate(how="flat"), "漏斗一层层取交集"),
    Misreading("这是占第一步（浏览）的比例，题目问的是占上一步（加购）的比例",
               lambda: cart_rate(how="first"), "分母：加购过的客户"),
    Misreading("这是“加购”这一步占浏览的比例，题目问的是下一步：加购过的客户里有多少下了单",
               lambda: cart_rate(how="cart"), "看“下单”这一步"),
    Misreading("你漏掉了 6 月 18 日当天：预热期到 6.18 当天为止，含这一天",
               lambda: cart_rate(end=_day(Q5_WINDOW[1], -1)), "结束日 6 月 18 日含当天"),
    Misreading("你漏掉了 6 月 1 日：预热期从 6 月 1 日当天算起",
               lambda: cart_rate(_day(Q5_WINDOW[0], 1)), "开始日 6 月 1 日含当天"),
]


QUESTIONS = [
    Question("q1", points=1, variables="q1_aov", title="2017 年双11 预热到当天（11 月 1 日至 11 日）的客单价（元，按支付买家数）",
             expected=window_value, compare=partial(compare_number, unit="元"), misreadings=Q1_MISREADINGS,
             hint=("客单价按人算：这段时间的销售额 ÷ 这段时间下过单的不同买家数；两端的日期都含当天。"
                   "本课的 period_report 一次给出一段日期的合计。",
                   "period_report(facts, 开始日期, 结束日期) 返回这段时间的一列合计，"
                   "取其中的“客单价（元）”，别取成“平均订单价（元）”。"),
             solution="q1_aov = period_report(facts, \"2017-11-01\", \"2017-11-11\")[\"客单价（元）\"]"),
    Question("q2", points=1, variables="q2_sales", title="2018 年双11 当天（11 月 11 日）无线端的销售额（元）",
             expected=day_sales, compare=partial(compare_number, unit="元"), misreadings=Q2_MISREADINGS,
             hint=("先只留无线端的订单，再只留 11 月 11 日这一天：一天从 00:00:00 到 23:59:59，"
                   "按日期比较最稳妥，0 点整下的单也要算。",
                   "先 facts[facts[\"channel\"] == 渠道] 只留一个渠道，再交给 kpi_by_period(…, \"日\", 当天, 当天)，"
                   "或者按 date 列筛出那一天，对销售额求和。"),
             solution=("wireless = facts[facts[\"channel\"] == \"无线\"]\n"
                       "q2_sales = kpi_by_period(wireless, \"日\", \"2018-11-11\", \"2018-11-11\")[\"销售额（元）\"].sum()")),
    Question("q3", points=2, variables="q3_buyers_part",
             title="2018 年 11 月比 2017 年 11 月（同比），销售额变化里买家数贡献了多少（元，按“买家数 × 客单价”拆）",
             expected=buyers_part, compare=partial(compare_number, unit="元"), misreadings=Q3_MISREADINGS,
             hint=("同比是和去年同月比，不是和上个月比：只留这两个月，再用本课的拆解方法，"
                   "两期的平均值做权重；看买家数那一部分。",
                   "monthly.loc[[去年同月, 今年这个月]] 只留两行，交给 decompose_change(...)，看“买家数贡献（元）”列。"),
             solution=("two = monthly.loc[[\"2017-11\", \"2018-11\"]]\n"
                       "q3_buyers_part = decompose_change(two).loc[\"2018-11\", \"买家数贡献（元）\"]")),
    Question("q4", points=2, variables="q4_profit", title="2018 年 12 月 1 日至 9 日的毛利（元）",
             expected=window_profit, compare=partial(compare_number, unit="元", tolerance=0.01),
             misreadings=Q4_MISREADINGS,
             hint=("毛利按每行商品明细的实付金额 × 该商品的毛利率算，再相加；这段时间两端的日期都含当天。",
                   "period_report(facts, 开始日期, 结束日期) 里的“毛利（元）”一项"
                   "（order_facts 已经按明细算好了每笔订单的 profit_fen）。"),
             solution="q4_profit = period_report(facts, \"2018-12-01\", \"2018-12-09\")[\"毛利（元）\"]"),
    Question("q5", points=2, variables="q5_rate",
             title="6.18 预热期间（2018-06-01 至 06-18），加购过的客户中有百分之几也下了单（%）",
             expected=cart_rate, compare=partial(compare_number, unit="%", tolerance=0.05), misreadings=Q5_MISREADINGS,
             hint=("用本课的流量漏斗：一层层取交集，先浏览、再加购、再下单；"
                   "要的是下单这一步占上一步的比例，两端的日期都含当天。",
                   "traffic_funnel(shop.events, 开始日期, 结束日期) 的“下单”一行、“占上一步（%）”一列。"),
             solution=("q5_rate = traffic_funnel(shop.events, \"2018-06-01\", \"2018-06-18\").loc[\"下单\", \"占上一步（%）\"]")),
    QuizQuestion("q6", chapter="09", qid="q4", variable="q6_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, …, q6 = ch09.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

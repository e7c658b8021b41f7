"""第 10 章“客户属性分析”（夏艺女装，今天 = 2018-12-10）的练习题和填数题计算。

练习本第一个代码单元格::

    from helpers.course.exercises import ch10
    q1, q2, q3, q4, q5, q6 = ch10.setup(globals())

教材 8.4 没有单独的任务训练，练习都比课堂多走一步（换一个人群、年龄范围、日子或门槛）：
- q1：医生、教师买家的复购率（q1_rate）；
- q2：25–34 岁的女性买家有多少位（q2_count）；
- q3：2018 年双11 当天有多少位老买家（q3_returning）；
- q4：第 2 次购买距第 1 次不超过 30 天的复购客户有多少位（q4_count）；
- q5：浙江客户各年龄段的人数（q5_counts）；
- q6：章节测试（helpers/course/quizzes/ch10.json）的第 5 题（q6_answer）。

每道题的误读写成数据（Misreading）：按误读算出的答案被判错，并给出那条误读自己的反馈。
边界都落在数据里有人的地方：正好 25 岁、35 岁的女性买家，正好隔 30 天回购的客户，
11 月 1 日至 10 日第一次下单、11 日又来的买家（tests/test_exercises_09_10.py 核对这些前提）。
正确答案都在检查时从数据算出（lru_cache 缓存），从不写死数字。
"""
from __future__ import annotations

from functools import lru_cache, partial

import pandas as pd

from . import shop
from ...audience import audience_table, new_vs_returning, purchase_intervals, repeat_purchase_rate
from ..checks import Misreading, Question, bind, compare_mapping, compare_number
from ..quiz import QuizQuestion
from ...labels import AGE_EDGES, AGE_LABELS

CHAPTER = "10"
TITLE = "客户属性分析：人群复购率、年龄范围、老买家、回购间隔与交叉"

Q1_CROWD = ("医生", "教师")         # 任务训练 1 的人群
Q2_AGES = (25, 35)                  # 满 25 岁、不满 35 岁
Q3_DAY = "2018-11-11"
Q4_DAYS = 30                        # 第 2 次购买距第 1 次不超过 30 天
Q5_PROVINCE = "浙江"

_shop = partial(shop, "xiayi")


@lru_cache(maxsize=None)
def _table() -> pd.DataFrame:
    s = _shop()
    return audience_table(s.customers, s.orders, s.today)


@lru_cache(maxsize=None)
def _intervals() -> pd.DataFrame:
    s = _shop()
    return purchase_intervals(s.orders, s.today)


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
# q1 一个职业人群的复购率
# ---------------------------------------------------------------------------
def crowd_repeat_rate(jobs=Q1_CROWD, how: str = "buyers") -> float:
    """jobs 这些职业的复购率；how="customers" 分母用全部客户、"3plus" 用 3 单及以上（误读）。"""
    t = _table()
    crowd = t[t["occupation"].isin(list(jobs))]
    if how == "customers":
        return float((crowd["order_count"] >= 2).sum() / len(crowd))
    if how == "3plus":
        buyers = crowd[crowd["order_count"] > 0]
        return float((buyers["order_count"] >= 3).mean())
    return repeat_purchase_rate(crowd)


# “复购 = 有两个及以上下单日”不在清单里：夏艺女装没有只在同一天下过两单的客户，两种数法结果一样。
Q1_MISREADINGS = [
    Misreading("你的分母是全部医生、教师客户（含没下过单的人）：复购率的分母是买家",
               lambda: crowd_repeat_rate(how="customers"), "分母：下过单的买家"),
    Misreading("你用了 3 单及以上（> 2），二次购买率要的是 2 单及以上（≥ 2）",
               lambda: crowd_repeat_rate(how="3plus"), "2 单及以上（≥ 2）"),
    Misreading("你只算了医生：这个人群是医生或教师，两种职业都要",
               lambda: crowd_repeat_rate(("医生",)), "职业：医生或教师"),
    Misreading("你只算了教师：这个人群是医生或教师，两种职业都要",
               lambda: crowd_repeat_rate(("教师",)), "职业：医生或教师（不只教师）"),
    Misreading("这是全店的复购率，题目只问医生、教师这个人群",
               lambda: repeat_purchase_rate(_table()), "人群：只看医生、教师"),
]


# ---------------------------------------------------------------------------
# q2 一个年龄范围的女性买家
# ---------------------------------------------------------------------------
def age_count(lo_closed: bool = True, hi_closed: bool = False, buyers_only: bool = True,
              gender: str | None = "女") -> int:
    """年龄在 Q2_AGES 之间的人数；默认满 25 岁、不满 35 岁（左闭右开）的女性买家。"""
    t = _table()
    age = _shop().customers.set_index("customer_id")["age"].reindex(t.index)
    lo, hi = Q2_AGES
    keep = (age >= lo if lo_closed else age > lo) & (age <= hi if hi_closed else age < hi)
    if buyers_only:
        keep &= t["order_count"] > 0
    if gender is not None:
        keep &= t["gender"] == gender
    return int(keep.sum())


Q2_MISREADINGS = [
    Misreading("你用了“25 < 年龄 ≤ 35”：本工作簿的年龄段左闭右开，25 岁算、35 岁不算",
               lambda: age_count(lo_closed=False, hi_closed=True), "左闭右开：[25, 35)"),
    Misreading("你把 35 岁也算进去了（≤ 35）：25–34 岁是满 25 岁、不满 35 岁",
               lambda: age_count(hi_closed=True), "35 岁不算"),
    Misreading("你把正好 25 岁的人漏掉了（用了 > 25）：满 25 岁就算",
               lambda: age_count(lo_closed=False), "25 岁算（≥ 25）"),
    Misreading("你把没下过单的女性客户也数进来了：题目只问买家",
               lambda: age_count(buyers_only=False), "只数下过单的买家"),
    Misreading("你把男性买家也数进来了：题目只问女性",
               lambda: age_count(gender=None), "性别：女"),
]


# ---------------------------------------------------------------------------
# q3 某一天的老买家
# ---------------------------------------------------------------------------
def returning_on_day(day: str = Q3_DAY, how: str = "people") -> float:
    """day 这一天下单的老买家人数（这一天之前就下过单）；how 是各种误读的数法。"""
    s = _shop()
    if how == "people":
        return float(new_vs_returning(s.orders, s.today, freq="日").loc[day, "老买家（人）"])
    if how == "new":
        return float(new_vs_returning(s.orders, s.today, freq="日").loc[day, "新买家（人）"])
    o = s.orders
    date = o["order_time"].dt.normalize()
    first = o.groupby("customer_id")["order_time"].transform("min")
    on_day = date == pd.Timestamp(day)
    if how == "orders":                      # 数订单而不是人
        return float((on_day & (first.dt.normalize() < pd.Timestamp(day))).sum())
    if how == "month":                       # 用月份判断新老：11 月第一次来的都算新买家
        old = first.dt.to_period("M") < pd.Timestamp(day).to_period("M")
        return float(o.loc[on_day & old, "customer_id"].nunique())
    if how == "same_day":                    # “以前”含当天：当天第一次来的也算老买家
        return float(o.loc[on_day & (first.dt.normalize() <= pd.Timestamp(day)), "customer_id"].nunique())
    if how == "twice":                       # 当天下了 2 单及以上的人
        return float((o.loc[on_day, "customer_id"].value_counts() >= 2).sum())
    raise ValueError(how)


# “按下单时刻判断（当天先下一单、再下一单的新客户算老买家）”不在清单里：
# 2018-11-11 没有第一次来就在当天下两单的客户，两种数法结果一样。
Q3_MISREADINGS = [
    Misreading("你用月份判断新老：11 月 1 日至 10 日第一次下单、11 日又来的买家，在 11 日这一天已经是老买家",
               lambda: returning_on_day(how="month"), "“以前”按日期算：11 月 11 日之前"),
    Misreading("你数的是老买家的订单笔数：一个人当天下两单也只算一位买家",
               lambda: returning_on_day(how="orders"), "数人，不数订单"),
    Misreading("你把当天第一次来下单的新买家也算成了老买家：“以前买过”指 11 月 11 日之前，不含当天",
               lambda: returning_on_day(how="same_day"), "“以前”不含当天"),
    Misreading("这是当天的新买家人数，题目问的是老买家",
               lambda: returning_on_day(how="new"), "老买家，不是新买家"),
    Misreading("你数的是当天下了 2 单及以上的人：老买家是“11 月 11 日以前就买过、当天又来下单”的人",
               lambda: returning_on_day(how="twice"), "老买家按历史订单判断"),
]


# ---------------------------------------------------------------------------
# q4 第 2 次购买距第 1 次不超过 30 天
# ---------------------------------------------------------------------------
def quick_returners(days: int = Q4_DAYS, how: str = "dates") -> int:
    """第 2 个下单日距第 1 个下单日不超过 days 天的客户数；how 是各种误读的数法。"""
    iv = _intervals()
    if how == "dates":
        return int(((iv["nth"] == 2) & (iv["days"] <= days)).sum())
    if how == "below":
        return int(((iv["nth"] == 2) & (iv["days"] < days)).sum())
    if how == "any_interval":
        return int((iv["days"] <= days).sum())
    if how == "any_person":
        return int(iv.loc[iv["days"] <= days, "customer_id"].nunique())
    o = _shop().orders.sort_values(["customer_id", "order_time"], kind="stable")
    second = o.groupby("customer_id").cumcount() == 1
    gap = o["order_time"] - o.groupby("customer_id")["order_time"].shift()
    if how == "timedelta":                   # 按下单时刻相减，满 30×24 小时就不算
        return int((second & (gap <= pd.Timedelta(days=days))).sum())
    if how == "floor":                       # 按下单时刻相减后只取整天数
        return int((second & (gap.dt.days <= days)).sum())
    raise ValueError(how)


# “按订单数（同一天的两笔也算两次）”不在清单里：夏艺女装的客户第 2 笔订单都不在首单当天，两种数法结果一样。
Q4_MISREADINGS = [
    Misreading("你用了 < 30：正好隔 30 天回购的客户也算（不超过 30 天，含第 30 天）",
               lambda: quick_returners(how="below"), "间隔 ≤ 30 天（含 30 天）"),
    Misreading("你按下单时刻相减、再和 30 天比较：差几个小时就被挡在外面了，间隔要按下单日期算天数",
               lambda: quick_returners(how="timedelta"), "按日期算间隔，不按时刻"),
    Misreading("你按下单时刻相减后取了整天数：23 点下单、31 天后的凌晨再来也被算成 30 天，间隔要按下单日期算",
               lambda: quick_returners(how="floor"), "按日期算间隔，不取时刻差的整天数"),
    Misreading("你数的是所有相邻两次之间不超过 30 天的间隔个数：题目只看第 1 次到第 2 次（nth == 2），而且数的是人",
               lambda: quick_returners(how="any_interval"), "只看第 1→2 次"),
    Misreading("你数的是任意两次之间隔得不超过 30 天的人：题目只看第 1 次到第 2 次",
               lambda: quick_returners(how="any_person"), "只看第 1→2 次（不是任意相邻两次）"),
]


# ---------------------------------------------------------------------------
# q5 一个省份客户的年龄构成
# ---------------------------------------------------------------------------
def province_ages(province: str | None = Q5_PROVINCE, buyers_only: bool = False, right: bool = False) -> dict:
    """某省客户各年龄段的人数；buyers_only=True 只数买家、right=True 按右闭区间分段（误读）。"""
    t = _table()
    keep = (t["province"] == province) if province is not None else pd.Series(True, index=t.index)
    if buyers_only:
        keep &= t["order_count"] > 0
    if right:
        age = _shop().customers.set_index("customer_id")["age"].reindex(t.index)
        bands = pd.cut(age[keep], bins=list(AGE_EDGES), labels=list(AGE_LABELS), right=True)
    else:
        bands = t.loc[keep, "age_band"]
    counts = bands.value_counts(sort=False)
    return {str(k): int(v) for k, v in counts.items()}


Q5_MISREADINGS = [
    Misreading("你只数了下过单的客户，题目问的是浙江的全部客户（含没下过单的）",
               lambda: province_ages(buyers_only=True), "全部客户，不只买家"),
    Misreading("你的年龄段右端是闭的（例如 25 < 年龄 ≤ 30）：本工作簿左闭右开，30 岁属于“30–34 岁”",
               lambda: province_ages(right=True), "年龄段左闭右开"),
    Misreading("这是全店客户的年龄构成，题目只问所属地区为浙江的客户",
               lambda: province_ages(None), "地区：浙江"),
]


QUESTIONS = [
    Question("q1", points=2, variables="q1_rate", title="职业是医生或教师的买家，复购率是多少（0 到 1 之间的小数）",
             expected=crowd_repeat_rate, compare=partial(compare_number, unit="", tolerance=0.0005),
             misreadings=Q1_MISREADINGS,
             hint=("先从属性表里选出职业是医生或教师的人，再用本课的复购率函数：分母只算下过单的买家，"
                   "分子是下过 2 单及以上的。",
                   "crowd = people[people[\"occupation\"].isin([\"医生\", \"教师\"])]，再 repeat_purchase_rate(crowd)。"),
             solution=("crowd = people[people[\"occupation\"].isin([\"医生\", \"教师\"])]\n"
                       "q1_rate = repeat_purchase_rate(crowd)")),
    Question("q2", points=1, variables="q2_count", title="25–34 岁（满 25 岁、不满 35 岁）的女性买家有多少位",
             expected=age_count, compare=partial(compare_number, unit="人", tolerance=0), misreadings=Q2_MISREADINGS,
             hint=("三个条件同时满足：年龄落在左闭右开的范围里、性别是女、下过单；"
                   "属性表的 age_band 已经按左闭右开分好了两个年龄段，也可以直接比较年龄。",
                   "三个条件 people[\"age_band\"].isin([...])、people[\"gender\"] == ...、people[\"order_count\"] > 0 "
                   "用 & 连起来（每个条件加括号），再数一数选出了几行。"),
             solution=("chosen = people[people[\"age_band\"].isin([\"25–29 岁\", \"30–34 岁\"]) & (people[\"gender\"] == \"女\")\n"
                       "                & (people[\"order_count\"] > 0)]\n"
                       "q2_count = len(chosen)")),
    Question("q3", points=2, variables="q3_returning",
             title="2018 年双11 当天（11 月 11 日）下单的买家里，有多少位是老买家（11 月 11 日以前就下过单）",
             expected=returning_on_day, compare=partial(compare_number, unit="人", tolerance=0),
             misreadings=Q3_MISREADINGS,
             hint=("新买家、老买家本课按月区分；这道题按天区分：“以前”是这一天之前，不含当天，"
                   "一位买家当天下几单都只算一人。本课的新老买家函数可以换成按日统计。",
                   "new_vs_returning(shop.orders, TODAY, freq=\"日\") 的 2018-11-11 这一行、“老买家（人）”一列。"),
             solution=("daily = new_vs_returning(shop.orders, TODAY, freq=\"日\")\n"
                       "q3_returning = daily.loc[\"2018-11-11\", \"老买家（人）\"]")),
    Question("q4", points=2, variables="q4_count",
             title="复购客户里，第 2 次购买距第 1 次不超过 30 天（含正好 30 天）的有多少位（按下单日计算）",
             expected=quick_returners, compare=partial(compare_number, unit="人", tolerance=0),
             misreadings=Q4_MISREADINGS,
             hint=("用本课的购买间隔表：它按下单日期算天数，一行一个间隔；只看第 1 次到第 2 次那一行，"
                   "间隔不超过 30 天，正好 30 天也算。",
                   "intervals = purchase_intervals(shop.orders, TODAY)；要同时满足 intervals[\"nth\"] == 2 "
                   "和天数的条件（想清楚用 < 还是 <=），再数行数。"),
             solution=("intervals = purchase_intervals(shop.orders, TODAY)\n"
                       "q4_count = int(((intervals[\"nth\"] == 2) & (intervals[\"days\"] <= 30)).sum())")),
    Question("q5", points=2, variables="q5_counts",
             title="所属地区为浙江的客户中，各年龄段各有多少位（Series 或 dict：年龄段 → 人数）",
             expected=province_ages, compare=partial(compare_mapping, unit="人"), misreadings=Q5_MISREADINGS,
             hint=("所属地区看省份；含没下过单的客户；年龄段用属性表里已经分好的那一列，它是左闭右开的。"
                   "本课的属性交叉函数一次给出每个省份的各年龄段人数。",
                   "cross_attributes(people, \"省份\", \"年龄段\") 的“浙江”一行；"
                   "或者筛出浙江客户后对 age_band 用 value_counts()。"),
             solution="q5_counts = cross_attributes(people, \"省份\", \"年龄段\").loc[\"浙江\"]"),
    QuizQuestion("q6", chapter="10", qid="q5", variable="q6_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, …, q6 = ch10.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

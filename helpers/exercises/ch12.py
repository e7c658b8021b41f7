"""第 12 章 客户生命周期与营销效果（夏艺女装，本章的今天 = 2019-02-16）的练习题。

练习本第一个代码单元格::

    from helpers.exercises import ch12
    q1, q2, q3, q4, q5, q6, q7 = ch12.setup(globals())

本章教材没有任务训练，全部是比课堂多走一步的练习：
- q1：活跃天数改成 60 天时，2019-02-16 有几位衰退期客户（q1_declining）；
- q2：2018-11 月底在稳定期、2019-01 月底已经在衰退期的客户（q2_slipped）；
- q3：双 12 短信的对照组在券有效期内的响应率（%，q3_control_rate）；
- q4：发送后 7 天内的增量销售额（元，精确到分，q4_incremental）；
- q5：短信缩短到每人 1 条计费短信、用券不变时的 ROI（q5_roi）；
- q6：有成交的广告计划里 CPA 最低的是哪一个（q6_plan）；
- q7：章节测试（helpers/quizzes/ch12.json）的第 2 题：活动 ROI 的公式（q7_answer）。

另外提供章节测试填数题的计算（quiz_stable_customers、quiz_short_uplift）。正确答案都在检查时从数据算出
（lru_cache 缓存），从不写死数字。
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from . import shop
from ..checks import Question, Result, bind, compare_customer_sets, compare_number
from ..effect import ad_metrics, campaign_cost, campaign_outcomes, response_table, uplift
from ..lifecycle import LifecycleRule, lifecycle_stages, stage_history
from ..quiz import QuizQuestion

CHAPTER = "12"
TITLE = "客户生命周期与营销效果：阶段划分、阶段流转、对照组效果分析与广告指标"

TODAY = "2019-02-16"                        # 本章的“今天”：数据一直到 2019-02-15
Q1_DAYS = 60                                # 第 1 题：活跃天数改成 60 天
Q2_MONTHS = ("2018-11", "2019-01")          # 第 2 题：这两个月月底的阶段
Q4_DAYS = 7                                 # 第 4 题：发送后 7 天
Q5_PARTS = 1                                # 第 5 题：每人只计费 1 条短信


def _shop(today: str | None = TODAY):
    return shop("xiayi", today=today)


# ---------------------------------------------------------------------------
# 数据（每个内核只算一次）
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _stages(active_days: int = 90, loyal_orders: int = 3, today: str | None = TODAY) -> pd.DataFrame:
    s = _shop(today)
    return lifecycle_stages(s.customers, s.orders, s.today, LifecycleRule(active_days, loyal_orders))


@lru_cache(maxsize=None)
def _history() -> pd.DataFrame:
    s = _shop()
    return stage_history(s.customers, s.orders, "2018-10-01", "2019-01-31")


def _campaign() -> pd.Series:
    return _shop().campaigns.iloc[0]


def _send() -> pd.Timestamp:
    return pd.Timestamp(_campaign()["send_time"])


def _short_window() -> tuple[pd.Timestamp, pd.Timestamp]:
    """券有效期内：从发送时刻到券截止时刻之后 1 秒（不含）。"""
    return _send(), pd.Timestamp(_campaign()["coupon_end"]) + pd.Timedelta(seconds=1)


def _days_window(days: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    return _send(), _send() + pd.Timedelta(days=days)


@lru_cache(maxsize=None)
def _outcomes(start, end) -> pd.DataFrame:
    s = _shop()
    return campaign_outcomes(s.campaign_members, s.orders, start, end)


@lru_cache(maxsize=None)
def _ads() -> pd.DataFrame:
    return ad_metrics(_shop().ads)


# ---------------------------------------------------------------------------
# 章节测试的填数题（helpers/quizzes/ch12.json）
# ---------------------------------------------------------------------------
def quiz_stable_customers() -> float:
    """2019-02-16 按默认规则（90 天、3 笔）处在稳定期的客户有几位。"""
    return float((_stages()["stage"] == "稳定期").sum())


def quiz_short_uplift() -> float:
    """双 12 短信在券有效期内（发送时刻到券截止后 1 秒）的响应率提升，单位百分点，保留 2 位小数。"""
    return round(float(uplift(_outcomes(*_short_window()))["提升（百分点）"]), 2)


# ---------------------------------------------------------------------------
# q1 活跃天数 60 天时的衰退期人数
# ---------------------------------------------------------------------------
def declining_count(active_days: int = Q1_DAYS, reading: str = "规则", today: str | None = TODAY) -> int:
    """衰退期人数：reading="规则"（> active_days 天）、"≥"（≥ active_days 天）、"含识别期"（把没下过单的也算上）。"""
    st = _stages(active_days, 3, today)
    if reading == "≥":
        return int(((st["order_count"] > 0) & (st["days_since_last"] >= active_days)).sum())
    if reading == "含识别期":
        return int(st["stage"].isin(["衰退期", "识别期"]).sum())
    return int((st["stage"] == "衰退期").sum())


def _check_q1(answers, namespace):
    return compare_number(
        answers["q1_declining"], lambda: declining_count(), tolerance=0, unit="人",
        alternatives={
            f"你把正好 {Q1_DAYS} 天没下单的客户也算进了衰退期：规则是“距评估日 > {Q1_DAYS} 天”才算衰退期，"
            f"正好 {Q1_DAYS} 天的还算最近在买": lambda: declining_count(reading="≥"),
            "你把从没下过单的客户也算进了衰退期：他们处在识别期（还没有第一单），不是衰退期":
                lambda: declining_count(reading="含识别期"),
            f"你用的还是默认的 90 天，这道题要把活跃天数改成 {Q1_DAYS} 天（LifecycleRule(active_days={Q1_DAYS})）":
                lambda: declining_count(90),
            "你用的是 load_shop(\"xiayi\") 默认的今天 2018-12-10，本章要用 load_shop(\"xiayi\", today=\"2019-02-16\")":
                lambda: declining_count(today=None),
        })


# ---------------------------------------------------------------------------
# q2 从稳定期滑到衰退期的客户
# ---------------------------------------------------------------------------
def moved(before: str, before_stage: str, after: str, after_stage: str) -> pd.Index:
    """before 月底在 before_stage、after 月底在 after_stage 的客户编号。"""
    h = _history()
    if after == "今天":
        later = _stages()["stage"].reindex(h.index)
    else:
        later = h[after]
    return h.index[((h[before] == before_stage) & (later == after_stage)).to_numpy()]


def slipped() -> pd.Index:
    """第 2 题的正确答案：2018-11 月底稳定期、2019-01 月底衰退期的客户。"""
    return moved(Q2_MONTHS[0], "稳定期", Q2_MONTHS[1], "衰退期")


def _check_q2(answers, namespace):
    return compare_customer_sets(
        answers["q2_slipped"], lambda: slipped(),
        alternatives={
            "方向反了：你选的是 2018-11 月底在衰退期、2019-01 月底回到稳定期的客户（被召回的人）":
                lambda: moved("2018-11", "衰退期", "2019-01", "稳定期"),
            "你看的是 2018-12 月底的阶段，题目要 2019-01 月底（两个月以后）已经在衰退期的人":
                lambda: moved("2018-11", "稳定期", "2018-12", "衰退期"),
            "你看的是 2018-10 月底的阶段，题目要 2018-11 月底在稳定期的人":
                lambda: moved("2018-10", "稳定期", "2019-01", "衰退期"),
            "你用的是今天（2019-02-16）的阶段，题目要 2019-01 月底的阶段（stage_history 里的 \"2019-01\" 列）":
                lambda: moved("2018-11", "稳定期", "今天", "衰退期"),
        })


# ---------------------------------------------------------------------------
# q3 对照组的短期响应率
# ---------------------------------------------------------------------------
def response_rate(group: str = "对照组", window: str = "短期", denominator: str = "本组") -> float:
    """group 在窗口里的响应率（%）：window="短期"（券有效期内）或 "60天"；denominator="全部" 时除以全部名单人数。"""
    out = _outcomes(*(_short_window() if window == "短期" else _days_window(60)))
    buyers = int(out.loc[out["group"] == group, "responded"].sum())
    people = len(out) if denominator == "全部" else int((out["group"] == group).sum())
    return buyers / people * 100


def _check_q3(answers, namespace):
    return compare_number(
        answers["q3_control_rate"], lambda: response_rate(), tolerance=0.005, unit="%",
        alternatives={
            "这是发送后 60 天的响应率，题目要券有效期内（发送时刻到 2018-12-13 23:59:59）的短期响应率":
                lambda: response_rate(window="60天"),
            "你把对照组的下单人数除以了全部名单人数（两组合计），响应率的分母是对照组自己的人数":
                lambda: response_rate(denominator="全部"),
            "这是实验组（收到短信的人）的响应率，题目问的是对照组": lambda: response_rate("实验组"),
            "你写成了 0 到 1 之间的小数，这道题要百分数的数值（例如 1.23 表示 1.23%），请乘以 100":
                lambda: response_rate() / 100,
        })


# ---------------------------------------------------------------------------
# q4 发送后 7 天的增量销售额
# ---------------------------------------------------------------------------
def incremental(days: int | None = Q4_DAYS, reading: str = "增量") -> float:
    """发送后 days 天（None = 券有效期内）的增量销售额（元）；reading 给出几种误读的算法。"""
    out = _outcomes(*(_short_window() if days is None else _days_window(days)))
    table = response_table(out)
    if reading == "实验组合计":
        return float(table.loc["实验组", "销售额（元）"])
    if reading == "合计之差":
        return float(table.loc["实验组", "销售额（元）"] - table.loc["对照组", "销售额（元）"])
    if reading == "人均之差":
        return float(table.loc["实验组", "人均销售额（元）"] - table.loc["对照组", "人均销售额（元）"])
    return float(uplift(out)["增量销售额（元）"])


def _check_q4(answers, namespace):
    return compare_number(
        answers["q4_incremental"], lambda: incremental(), tolerance=0.005, unit="元",
        alternatives={
            "这是实验组的销售额合计，其中很多是不发短信也会有的；增量要减去对照组的水平":
                lambda: incremental(reading="实验组合计"),
            "你直接用两组销售额合计相减，可两组人数相差很多：要用人均销售额之差 × 实验组人数":
                lambda: incremental(reading="合计之差"),
            "这是人均销售额之差（每人多出来的钱），还要乘以实验组人数":
                lambda: incremental(reading="人均之差"),
            "这是券有效期内（到 2018-12-14 零点）的增量，题目要发送后 7 天（到 2018-12-19 18:00）":
                lambda: incremental(None),
        })


# ---------------------------------------------------------------------------
# q5 短信缩短到 1 条时的 ROI
# ---------------------------------------------------------------------------
def roi(parts_per_person: int = Q5_PARTS, reading: str = "ROI") -> float:
    """券有效期内的增量销售额配上“每人 parts_per_person 条短信 + 实际用券”的成本算出的 ROI（不四舍五入）。

    reading="忘了券"：成本只算短信费；reading="销售额÷成本"：用广告报表的公式。
    """
    c = _campaign()
    members = _shop().campaign_members
    treated = int((members["group"] == "实验组").sum())
    coupons = int(members.loc[members["group"] == "实验组", "coupon_order_id"].notna().sum())
    cost = campaign_cost(treated * parts_per_person, c["sms_price"], coupons if reading != "忘了券" else 0,
                         c["coupon_value"])["合计（元）"]
    inc = incremental(None)
    if reading == "销售额÷成本":
        return inc / cost
    return (inc - cost) / cost


def _check_q5(answers, namespace):
    return compare_number(
        answers["q5_roi"], lambda: roi(), tolerance=0.005, unit="",
        alternatives={
            "你的成本只算了短信费，忘了用掉的优惠券（张数 × 券面额）也是成本": lambda: roi(reading="忘了券"),
            "你算的是 增量销售额 ÷ 成本（广告报表的“投入产出比”），活动 ROI =（增量销售额 − 成本）÷ 成本":
                lambda: roi(reading="销售额÷成本"),
            "这是原来每人 2 条计费短信时的 ROI，题目要把短信缩短到每人 1 条": lambda: roi(2),
        })


# ---------------------------------------------------------------------------
# q6 CPA 最低的广告计划
# ---------------------------------------------------------------------------
def best_plan(column: str = "CPA（元/单）", lowest: bool = True, fill_zero: bool = False) -> str:
    """按 column 排第一的广告计划；fill_zero=True 时把算不出的 CPA（没有成交）当成 0。"""
    values = _ads()[column]
    if fill_zero:
        values = values.fillna(0)
    return str(values.idxmin() if lowest else values.idxmax())


def _check_q6(answers, namespace):
    answer = answers["q6_plan"]
    plans = list(_ads().index)
    if isinstance(answer, (pd.Series, pd.Index, list, tuple, np.ndarray)) and len(answer) == 1:
        return Result(False, f"你给的是只有一个元素的 {type(answer).__name__}，请取出计划名本身（一个字符串），"
                             "例如 .idxmin() 的结果。")
    if not isinstance(answer, str):
        kind = "数" if isinstance(answer, (int, float, np.number)) and not isinstance(answer, bool) else \
            type(answer).__name__
        return Result(False, f"应该是一个推广计划的名字（字符串，例如 \"{plans[0]}\"），你给的是{kind}"
                             "：是不是交了 CPA 的数值，而不是计划名？")
    answer = answer.strip()
    expected = best_plan()
    if answer == expected:
        return Result(True, f"“{expected}”：每成交一单只花 {_ads().loc[expected, 'CPA（元/单）']:.2f} 元。")
    if answer not in plans:
        return Result(False, f"广告表里没有叫“{answer}”的推广计划。计划有：{'、'.join(plans)}。")
    readings = {
        best_plan(fill_zero=True): "这个计划一单都没有成交，CPA 算不出来（空值），不能当成 0：它不是最省钱的，"
                                   "而是花了钱没有成交。题目只看有成交的计划",
        best_plan(lowest=False): "这是 CPA 最高的计划：CPA 是每成交一单花的钱，越低越好",
        best_plan("转化率 CVR（%）", lowest=False): "这是转化率 CVR 最高的计划，题目问的是 CPA（花费 ÷ 成交笔数）最低的",
    }
    if answer in readings and answer != expected:
        return Result(False, readings[answer] + "。")
    return Result(False, f"“{answer}”的 CPA 是 {_ads().loc[answer, 'CPA（元/单）']:.2f} 元/单，不是最低的。")


QUESTIONS = [
    Question(
        "q1", points=2, variables="q1_declining", evaluate=_check_q1,
        title=f"活跃天数改成 {Q1_DAYS} 天时，2019-02-16 有几位衰退期客户",
        hint="stages60 = lifecycle_stages(shop.customers, shop.orders, TODAY, LifecycleRule(active_days=60))，"
             "数一数 stage 列等于 \"衰退期\" 的行。没下过单的客户是识别期，不是衰退期。",
        solution=("stages60 = lifecycle_stages(shop.customers, shop.orders, TODAY, LifecycleRule(active_days=60))\n"
                  "q1_declining = int((stages60[\"stage\"] == \"衰退期\").sum())"),
    ),
    Question(
        "q2", points=2, variables="q2_slipped", evaluate=_check_q2,
        title="2018-11 月底在稳定期、2019-01 月底已经在衰退期的客户",
        hint="history = stage_history(shop.customers, shop.orders, \"2018-11-01\", \"2019-01-31\") 的每一列是一个月月底的阶段；"
             "同时满足 history[\"2018-11\"] == \"稳定期\" 和 history[\"2019-01\"] == \"衰退期\" 的行就是答案。",
        solution=("history = stage_history(shop.customers, shop.orders, \"2018-11-01\", \"2019-01-31\")\n"
                  "q2_slipped = history[(history[\"2018-11\"] == \"稳定期\") & (history[\"2019-01\"] == \"衰退期\")]"),
    ),
    Question(
        "q3", points=2, variables="q3_control_rate", evaluate=_check_q3,
        title="双 12 短信：对照组在券有效期内的响应率（%）",
        hint="short = campaign_outcomes(members, shop.orders, SEND, SHORT_END)；response_table(short) 里"
             "对照组那一行的“响应率（%）”就是（也可以自己算：对照组下过单的人 ÷ 对照组人数 × 100）。",
        solution=("short = campaign_outcomes(members, shop.orders, SEND, SHORT_END)\n"
                  "control = short[short[\"group\"] == \"对照组\"]\n"
                  "q3_control_rate = control[\"responded\"].mean() * 100"),
    ),
    Question(
        "q4", points=2, variables="q4_incremental", evaluate=_check_q4,
        title=f"发送后 {Q4_DAYS} 天内的增量销售额（元，精确到分）",
        hint="窗口是 [SEND, SEND + pd.Timedelta(days=7))；week = campaign_outcomes(...)，"
             "uplift(week)[\"增量销售额（元）\"] 就是（人均销售额之差 × 实验组人数）。",
        solution=("week = campaign_outcomes(members, shop.orders, SEND, SEND + pd.Timedelta(days=7))\n"
                  "q4_incremental = uplift(week)[\"增量销售额（元）\"]"),
    ),
    Question(
        "q5", points=2, variables="q5_roi", evaluate=_check_q5,
        title="短信缩短到每人 1 条计费短信、用券不变时，券有效期内的 ROI",
        hint="成本 = campaign_cost(实验组人数 × 1, 短信单价, 用掉的券张数, 券面额)；增量销售额仍用券有效期内的；"
             "ROI = campaign_roi(增量销售额, 成本[\"合计（元）\"])。",
        solution=("short = campaign_outcomes(members, shop.orders, SEND, SHORT_END)\n"
                  "treated = members[members[\"group\"] == \"实验组\"]\n"
                  "coupons = int(treated[\"coupon_order_id\"].notna().sum())\n"
                  "cost1 = campaign_cost(len(treated) * 1, campaign[\"sms_price\"], coupons, campaign[\"coupon_value\"])\n"
                  "q5_roi = campaign_roi(uplift(short)[\"增量销售额（元）\"], cost1[\"合计（元）\"])"),
    ),
    Question(
        "q6", points=2, variables="q6_plan", evaluate=_check_q6,
        title="有成交的广告计划里，CPA 最低的是哪一个",
        hint="ads = ad_metrics(shop.ads)；CPA（元/单）列里没有成交的计划是空值，idxmin() 会自动跳过空值。",
        solution=("ads = ad_metrics(shop.ads)\n"
                  "q6_plan = ads[\"CPA（元/单）\"].idxmin()"),
    ),
    QuizQuestion("q7", chapter="12", qid="q2", variable="q7_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, q3, q4, q5, q6, q7 = ch12.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

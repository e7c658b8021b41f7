"""第 12 章 客户生命周期与营销效果（夏艺女装，本章的今天 = 2019-02-16）的练习题。

练习本第一个代码单元格::

    from helpers.course.exercises import ch12
    q1, q2, q3, q4, q5, q6, q7 = ch12.setup(globals())

本章教材没有任务训练，全部是比课堂多走一步的练习：
- q1：活跃天数改成 60 天时，店长点名的几位客户（q1_customers()）各在哪个阶段（q1_stages）；
- q2：2018-11 月底在稳定期、2019-01 月底已经在衰退期的客户（q2_slipped）；
- q3：下一次短信活动的统计窗口 (start, end)（q3_window），在“探针”订单上检查；
- q4：券失效以后两周（2018-12-14 至 12-27）的增量销售额（元，精确到分，q4_incremental）；
- q5：短信缩短到每人 1 条计费短信、用券不变时的活动 ROI（q5_roi）；
- q6：直通车 4 个推广计划合起来的 CPA（元/单，q6_cpa）；
- q7：章节测试（helpers/course/quizzes/ch12.json）的第 2 题：活动 ROI 的公式（q7_answer）。

每道题的误读清单（Misreading）写在题目旁边，每条误读都会算出和正确答案不同的答案：
- 第 1 题的客户在检查时从数据里挑，每位正好踩在一条界线上（正好 60 天、61 天、正好 3 笔……）；
- 第 3 题把学生写的窗口用在一张“探针”订单表上，每条界线前后一秒各有一笔订单；
- 其余各题的界线上数据里都有订单（tests/test_exercises_12.py 逐条核对）。
另外提供章节测试填数题的计算（quiz_stable_customers、quiz_short_uplift）。正确答案都在检查时从数据算出
（lru_cache 缓存），从不写死数字。
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache, partial

import numpy as np
import pandas as pd

from . import shop
from ..checks import Misreading, Question, Result, bind, compare_customer_sets, compare_number
from ...effect import ad_metrics, campaign_cost, campaign_outcomes, campaign_roi, response_table, uplift
from ...lifecycle import STAGES, LifecycleRule, lifecycle_stages, stage_history
from ...money import round_yuan
from ..quiz import QuizQuestion

CHAPTER = "12"
TITLE = "客户生命周期与营销效果：阶段划分、阶段流转、对照组效果分析与广告指标"

TODAY = "2019-02-16"                                # 本章的“今天”：数据一直到 2019-02-15
Q1_RULE = LifecycleRule(active_days=60)             # 第 1 题：活跃天数改成 60 天（稳定期仍是 3 笔）
Q2_MONTHS = ("2018-11", "2019-01")                  # 第 2 题：这两个月月底的阶段
Q3_SEND = pd.Timestamp("2019-03-07 20:00:00")       # 第 3 题：下一次短信的发送时刻
Q3_COUPON_END = pd.Timestamp("2019-03-08 23:59:59")  # 第 3 题：券的截止时刻
Q4_FIRST, Q4_LAST = "2018-12-14", "2018-12-27"      # 第 4 题：券失效以后两周（两端都含）
Q5_PARTS = 1                                        # 第 5 题：每人只计费 1 条短信
Q6_TOOL = "直通车"                                  # 第 6 题：合并这种工具的推广计划

SECOND = pd.Timedelta(seconds=1)
DAY = pd.Timedelta(days=1)


def _shop(today: str | None = TODAY):
    return shop("xiayi", today=today)


def _campaign() -> pd.Series:
    return _shop().campaigns.iloc[0]


def _members() -> pd.DataFrame:
    return _shop().campaign_members


def _send() -> pd.Timestamp:
    return pd.Timestamp(_campaign()["send_time"])


def _short_window() -> tuple[pd.Timestamp, pd.Timestamp]:
    """券有效期内：从发送时刻到券截止时刻之后 1 秒（不含）。"""
    return _send(), pd.Timestamp(_campaign()["coupon_end"]) + SECOND


@lru_cache(maxsize=None)
def _outcomes(start, end) -> pd.DataFrame:
    return campaign_outcomes(_members(), _shop().orders, start, end)


# ---------------------------------------------------------------------------
# 章节测试的填数题（helpers/course/quizzes/ch12.json）
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _stages(rule: LifecycleRule = LifecycleRule()) -> pd.DataFrame:
    s = _shop()
    return lifecycle_stages(s.customers, s.orders, s.today, rule)


def quiz_stable_customers() -> float:
    """2019-02-16 按默认规则（90 天、3 笔）处在稳定期的客户有几位。"""
    return float((_stages()["stage"] == "稳定期").sum())


def quiz_short_uplift() -> float:
    """双 12 短信在券有效期内（发送时刻到券截止后 1 秒）的响应率提升，单位百分点，保留 2 位小数。"""
    return round(float(uplift(_outcomes(*_short_window()))["提升（百分点）"]), 2)


# ---------------------------------------------------------------------------
# q1 店长点名的客户：60 天规则下各在哪个阶段
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _q1_facts() -> pd.DataFrame:
    """每位客户：累计笔数 n、距今天的天数（按日期 days，按时刻 days_by_time）、最近 60 天内的笔数 recent、阶段。"""
    s = _shop()
    st = _stages(Q1_RULE)
    today = pd.Timestamp(s.today)
    orders = s.orders[s.orders["order_time"] < today]
    last_time = orders.groupby("customer_id")["order_time"].max().reindex(st.index)
    recent_from = today - pd.Timedelta(days=Q1_RULE.active_days)
    recent = orders[orders["order_time"] >= recent_from].groupby("customer_id").size()
    return pd.DataFrame({"n": st["order_count"], "days": st["days_since_last"].astype("float"),
                         "days_by_time": (today - last_time).dt.days.astype("float"),
                         "recent": recent.reindex(st.index, fill_value=0), "stage": st["stage"].astype(str)})


# 每位点名客户考一条界线：(这位客户的条件, 说明)。挑的是满足条件、编号最小的客户。
_Q1_PICKS = (
    (lambda f: (f["days"] == 60) & (f["n"] >= 4), "最近一次下单正好 60 天前，累计 4 笔以上"),
    (lambda f: (f["days"] == 61) & (f["days_by_time"] == 60) & (f["n"] >= 4),
     "最近一次下单 61 天前（按时刻算是 60 天零几小时），累计 4 笔以上"),
    (lambda f: f["days"].between(62, 90) & (f["n"] >= 4), "最近一次下单 62～90 天前，累计 4 笔以上"),
    (lambda f: (f["n"] == 3) & (f["days"] <= 60), "累计正好 3 笔，最近 60 天内下过单"),
    (lambda f: (f["n"] >= 4) & (f["days"] <= 60) & (f["recent"] < 3), "累计 4 笔以上、最近 60 天内下过单，但最近 60 天只有一两笔"),
    (lambda f: f["n"].between(1, 2) & (f["days"] <= 60), "下过一两笔，最近 60 天内下过单"),
    (lambda f: f["n"] == 0, "注册了，还没有下过单"),
)


@lru_cache(maxsize=None)
def _q1_picks() -> tuple:
    facts = _q1_facts()
    picked = []
    for condition, label in _Q1_PICKS:
        ids = facts.index[condition(facts).to_numpy()]
        if not len(ids):
            raise ValueError(f"第 1 题：数据里找不到“{label}”的客户，请检查夏艺女装的数据。")
        picked.append(str(ids.min()))
    return tuple(picked)


def q1_customers() -> list:
    """店长点名的几位客户（检查时从数据里挑，每位正好踩在一条界线上），按编号排好。"""
    return sorted(_q1_picks())


def _q1_reading(reading: str = "规则") -> dict:
    """点名客户在 60 天、3 笔规则下的阶段；reading 给出各种误读（见 Q1_MISREADINGS）。"""
    f = _q1_facts().loc[q1_customers()]
    days, n, limit = f["days"].fillna(-1), f["n"], Q1_RULE.active_days
    active = {"≥": days < limit, "按时刻": f["days_by_time"].fillna(-1) <= limit,
              "90天": days <= LifecycleRule().active_days}.get(reading, days <= limit)
    stable = {"> 3": n > 3, "最近笔数": f["recent"] >= 3}.get(reading, n >= Q1_RULE.loyal_orders)
    never = "衰退期" if reading == "识别期" else "识别期"
    stage = np.select([n == 0, ~active, stable], [never, "衰退期", "稳定期"], default="发展期")
    return dict(zip(f.index, stage))


def q1_expected() -> pd.Series:
    """第 1 题的正确答案：lifecycle_stages 按 60 天、3 笔算出的阶段。"""
    return _stages(Q1_RULE).loc[q1_customers(), "stage"]


def _stage_map(answer):
    """把学生的答案变成 {客户编号: 阶段}；不行时返回 (None, 说明)。"""
    if isinstance(answer, pd.DataFrame):
        if "stage" not in answer.columns:
            return None, "你给的是一张表：请取出阶段那一列，例如 stages60.loc[编号列表, \"stage\"]。"
        answer = answer["stage"]
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        kind = f"有 {len(answer)} 个元素的 {type(answer).__name__}" if isinstance(answer, (list, tuple)) else \
            type(answer).__name__
        return None, (f"应该是每位客户对应一个阶段（以客户编号为索引的 Series，或 dict），你给的是 {kind}："
                      "光有阶段、没有客户编号，就不知道哪个阶段是谁的。")
    return {str(k).strip(): str(v).strip() for k, v in answer.items()}, None


def _check_q1(answers, namespace):
    got, problem = _stage_map(answers["q1_stages"])
    if problem:
        return Result(False, problem)
    want = {k: str(v) for k, v in q1_expected().items()}
    if len(got) > 2 * len(want):
        return Result(False, f"你给了 {len(got)} 位客户的阶段：只要店长点名的这 {len(want)} 位（ch12.q1_customers()）。")
    missing, extra = [k for k in want if k not in got], [k for k in got if k not in want]
    if missing or extra:
        parts = ([f"少了 {'、'.join(missing)}"] if missing else []) + ([f"多了 {'、'.join(extra)}"] if extra else [])
        return Result(False, f"客户对不上：{'；'.join(parts)}。店长点名的是 ch12.q1_customers() 里的 {len(want)} 位。")
    odd = sorted({v for v in got.values() if v not in STAGES})
    if odd:
        return Result(False, f"“{'、'.join(odd)}”不是四个阶段之一：阶段只有{'、'.join(STAGES)}。")
    if got == want:
        return Result(True, "；".join(f"{k} {v}" for k, v in want.items()) + "。")
    for m in Q1_MISREADINGS:
        alt = m.answer()
        if alt != want and got == alt:
            return Result(False, m.message + "。")
    facts = _q1_facts()
    cid = next(k for k in want if got[k] != want[k])
    n, days = int(facts.loc[cid, "n"]), facts.loc[cid, "days"]
    since = f"，最近一次下单距今天 {int(days)} 天" if n else ""
    return Result(False, f"{cid} 应该在{want[cid]}，你写的是{got[cid]}（他累计下过 {n} 笔{since}）。"
                         f"对照 60 天、3 笔的规则再看一看。")


Q1_MISREADINGS = [
    Misreading("最近一次下单正好 60 天前的客户，你把他算进了衰退期：规则是“距评估日超过 60 天”才算衰退期，"
               "正好 60 天的还算最近在买（> 60，不是 ≥ 60）", partial(_q1_reading, "≥"),
               "衰退期：最近一次下单距评估日 > 60 天（正好 60 天不算）"),
    Misreading("距评估日的天数按日期相减，不看几点：最近一次下单在 61 天前的客户，按时刻算只差 60 天零几个小时，"
               "按日期算已经 61 天，进了衰退期", partial(_q1_reading, "按时刻"),
               "天数按日期相减（61 天前的某个时刻仍是 61 天）"),
    Misreading(f"你用的还是默认的 90 天：这道题的规则是 {Q1_RULE.active_days} 天，61～90 天没来的客户已经算衰退期",
               partial(_q1_reading, "90天"), "活跃天数 60 天，不是默认的 90 天"),
    Misreading("累计正好 3 笔的客户已经是稳定期（≥ 3 笔）：是不是用了 > 3，或者照搬了课上“60 天、4 笔”的例子",
               partial(_q1_reading, "> 3"), "稳定期：累计 ≥ 3 笔（正好 3 笔也算）"),
    Misreading("稳定期看的是累计订单数（从第一单算起一共几笔），不是最近 60 天里下了几笔",
               partial(_q1_reading, "最近笔数"), "稳定期数的是累计笔数，不是最近 60 天的笔数"),
    Misreading("从没下过单的客户在识别期，不是衰退期：衰退期说的是买过、但很久没来的人",
               partial(_q1_reading, "识别期"), "识别期：注册了还没下单（不是衰退期）"),
    # 没有“评估日用错”的误读：练习本开头已经给好了 shop 和 TODAY（2019-02-16），学生不用自己选评估日。
]


# ---------------------------------------------------------------------------
# q2 从稳定期滑到衰退期的客户
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _history(rule: LifecycleRule = LifecycleRule()) -> pd.DataFrame:
    s = _shop()
    return stage_history(s.customers, s.orders, "2018-10-01", "2019-01-31", rule)


def moved(before: str, before_stage: str, after: str, after_stage: str,
          rule: LifecycleRule = LifecycleRule()) -> pd.Index:
    """before 月底在 before_stage、after 月底（或 "今天"）在 after_stage 的客户编号。"""
    h = _history(rule)
    later = _stages(rule)["stage"].reindex(h.index) if after == "今天" else h[after]
    return h.index[((h[before] == before_stage) & (later == after_stage)).to_numpy()]


def slipped() -> pd.Index:
    """第 2 题的正确答案：2018-11 月底稳定期、2019-01 月底衰退期的客户。"""
    return moved(Q2_MONTHS[0], "稳定期", Q2_MONTHS[1], "衰退期")


Q2_MISREADINGS = [
    Misreading("方向反了：你选的是 2018-11 月底在衰退期、2019-01 月底回到稳定期的客户（被召回的人）",
               partial(moved, "2018-11", "衰退期", "2019-01", "稳定期"), "从稳定期到衰退期，不是反过来"),
    Misreading("你看的是 2018-12 月底的阶段，题目要 2019-01 月底（两个月以后）已经在衰退期的人",
               partial(moved, "2018-11", "稳定期", "2018-12", "衰退期"), "后一个时点：2019-01 月底"),
    Misreading("你看的是 2018-10 月底的阶段，题目要 2018-11 月底在稳定期的人",
               partial(moved, "2018-10", "稳定期", "2019-01", "衰退期"), "前一个时点：2018-11 月底"),
    Misreading("你用的是今天（2019-02-16）的阶段，题目要 2019-01 月底的阶段（stage_history 里的 \"2019-01\" 列）",
               partial(moved, "2018-11", "稳定期", "今天", "衰退期"), "后一个时点是月底，不是今天"),
    Misreading("你用的是第 1 题的 60 天规则：这道题按默认规则（90 天、3 笔）划分阶段",
               partial(moved, "2018-11", "稳定期", "2019-01", "衰退期", Q1_RULE), "默认规则：90 天、3 笔"),
]


# ---------------------------------------------------------------------------
# q3 下一次短信活动的统计窗口（在探针订单上检查）
# ---------------------------------------------------------------------------
Q3_WINDOW = (Q3_SEND, Q3_COUPON_END + SECOND)
_Q3_READINGS = {
    "当天0点": (Q3_SEND.normalize(), Q3_WINDOW[1]),
    "截止时刻": (Q3_SEND, Q3_COUPON_END),
    "漏最后一天": (Q3_SEND, Q3_COUPON_END.normalize()),
    "晚一天": (Q3_SEND, Q3_WINDOW[1] + DAY),
    "24小时": (Q3_SEND, Q3_SEND + DAY),
}


@lru_cache(maxsize=None)
def q3_probe() -> tuple[pd.DataFrame, pd.DataFrame]:
    """探针：每条界线（正确的和各种误读的开始、结束时刻）前一秒和正好那一刻各有一笔订单。

    返回 (活动名单, 订单表)：每笔订单是一位实验组客户（T01、T02……），另有一位没下单的对照组客户。
    """
    edges = {t for window in (Q3_WINDOW, *_Q3_READINGS.values()) for t in window}
    times = sorted({t - SECOND for t in edges} | edges)
    ids = [f"T{i:02d}" for i in range(1, len(times) + 1)]
    members = pd.DataFrame({"customer_id": ids + ["C01"], "group": ["实验组"] * len(ids) + ["对照组"]})
    orders = pd.DataFrame({"order_id": [f"O{i:02d}" for i in range(1, len(times) + 1)], "customer_id": ids,
                           "order_time": times, "amount": 100.0})
    return members, orders


def _window_hits(window) -> pd.Series:
    """探针上每笔订单落不落在窗口 [start, end) 里（用 campaign_outcomes 本身来数）。"""
    members, orders = q3_probe()
    out = campaign_outcomes(members, orders, *window)
    times = orders.set_index("customer_id")["order_time"]
    return pd.Series(out.loc[times.index, "responded"].to_numpy(), index=times.to_numpy())


def _as_window(answer):
    """把学生的答案变成 (start, end) 两个时刻；不行时返回 (None, 说明)。"""
    if isinstance(answer, pd.DataFrame):
        return None, "你给的是统计出来的表：这道题要的是窗口本身，写成 (开始时刻, 结束时刻)。"
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        kind = f"有 {len(answer)} 个元素的 {type(answer).__name__}" if isinstance(answer, (tuple, list)) else \
            type(answer).__name__
        return None, ("应该是两个时刻组成的元组 (start, end)，例如 (pd.Timestamp(\"2019-01-01 10:00\"), "
                      f"pd.Timestamp(\"2019-01-03\"))，你给的是 {kind}。")
    try:
        start, end = (pd.Timestamp(x) for x in answer)
    except (TypeError, ValueError):
        return None, f"看不懂你写的时刻 {answer[0]!r}、{answer[1]!r}：请写成 pd.Timestamp(\"2019-03-07 20:00\") 这样。"
    if pd.isna(start) or pd.isna(end):
        return None, "窗口的开始或结束是空值（NaT）：两个时刻都要写。"
    if start.tzinfo is not None or end.tzinfo is not None:
        return None, "时刻不要带时区：和订单表一样，直接写北京时间，例如 pd.Timestamp(\"2019-03-07 20:00\")。"
    return (start, end), None


def _check_q3(answers, namespace):
    window, problem = _as_window(answers["q3_window"])
    if problem:
        return Result(False, problem)
    try:
        got = _window_hits(window)
    except ValueError as exc:
        return Result(False, str(exc))
    want = _window_hits(Q3_WINDOW)
    if got.equals(want):
        return Result(True, f"从 {Q3_WINDOW[0]} 起，到 {Q3_WINDOW[1]} 为止（不含）。")
    for m in Q3_MISREADINGS:
        alt = _window_hits(m.answer())
        if not alt.equals(want) and got.equals(alt):
            return Result(False, m.message + "。")
    t = next(t for t in want.index if got[t] != want[t])
    if want[t]:
        return Result(False, f"{t} 下的单在券有效期里，你的窗口把它漏掉了：窗口从发送时刻 {Q3_SEND} 开始，"
                             f"到券截止之后一秒为止（不含结束）。")
    why = "短信还没有发出" if t < Q3_SEND else "券已经失效"
    return Result(False, f"{t} 下的单不该算：那时{why}。")


Q3_MISREADINGS = [
    Misreading("窗口要从短信发出的时刻（3 月 7 日 20:00）算起，不是发送当天 0 点：20:00 之前下的单不可能是短信带来的",
               lambda: _Q3_READINGS["当天0点"], "开始 = 发送时刻，不是发送当天 0 点"),
    Misreading("券到 23:59:59 还能用，而窗口不含结束时刻：结束要写券截止之后一秒，也就是 3 月 9 日 0 点",
               lambda: _Q3_READINGS["截止时刻"], "结束不含：券截止时刻 + 1 秒"),
    Misreading("3 月 8 日是券的最后一天，这一整天下的单都要算：结束是 3 月 9 日 0 点，不是 3 月 8 日 0 点",
               lambda: _Q3_READINGS["漏最后一天"], "券的最后一天整天都算"),
    Misreading("3 月 9 日券已经失效，这一天下的单不算券有效期内：结束是 3 月 9 日 0 点",
               lambda: _Q3_READINGS["晚一天"], "券失效后的那一天不算（晚一天）"),
    Misreading("窗口按券的截止时刻算，不是发送后 24 小时：3 月 8 日 20:00 以后券仍然有效",
               lambda: _Q3_READINGS["24小时"], "结束看券的截止时刻，不是发送后 24 小时"),
]


# ---------------------------------------------------------------------------
# q4 券失效以后两周的增量销售额
# ---------------------------------------------------------------------------
def after_coupon(first: str | pd.Timestamp = Q4_FIRST, last: str = Q4_LAST, reading: str = "增量") -> float:
    """[first, last 的第二天 0 点) 里的增量销售额（元）；reading 给出几种误读的算法。"""
    out = _outcomes(pd.Timestamp(first), pd.Timestamp(last) + DAY)
    table = response_table(out)
    if reading == "实验组合计":
        return float(table.loc["实验组", "销售额（元）"])
    if reading == "合计之差":
        return float(table.loc["实验组", "销售额（元）"] - table.loc["对照组", "销售额（元）"])
    if reading == "人均之差":
        return float(table.loc["实验组", "人均销售额（元）"] - table.loc["对照组", "人均销售额（元）"])
    if reading == "乘全部名单":
        per_head = out.groupby("group")["amount_fen"].mean()
        return round_yuan(float(per_head["实验组"] - per_head["对照组"]) * len(out))
    return float(uplift(out)["增量销售额（元）"])


Q4_MISREADINGS = [
    Misreading("这是实验组在这两周的全部销售额，其中绝大部分不发短信也会有（看对照组）：短信带来的只是多出来的部分，"
               "要用人均销售额之差 × 实验组人数", partial(after_coupon, reading="实验组合计"), "效果 = 增量，不是实验组全部销售额"),
    Misreading("两组人数相差很多（实验组大约是对照组的 9 倍），不能直接拿销售额合计相减：要用人均销售额之差 × 实验组人数",
               partial(after_coupon, reading="合计之差"), "两组比人均，不比合计"),
    Misreading("这是每人相差多少（人均销售额之差），还要乘以实验组人数", partial(after_coupon, reading="人均之差"),
               "人均之差 × 实验组人数"),
    Misreading("人均之差要乘以实验组人数（收到短信的人），不是整个名单（实验组 + 对照组）",
               partial(after_coupon, reading="乘全部名单"), "乘实验组人数，不是全部名单人数"),
    Misreading("12 月 14 日是券失效后的第一天，也在这两周里：窗口从 12 月 14 日 0 点开始",
               partial(after_coupon, "2018-12-15"), "第一天 12-14 要算"),
    Misreading("12 月 13 日券还有效，不算“券失效以后”：窗口从 12 月 14 日 0 点开始",
               partial(after_coupon, "2018-12-13"), "前一天 12-13 不算（早一天）"),
    Misreading("12 月 27 日是这两周的最后一天，当天的订单也要算：不含结束的窗口要写到 12 月 28 日 0 点",
               partial(after_coupon, last="2018-12-26"), "最后一天 12-27 要算"),
    Misreading("12 月 28 日不在这两周里：从 14 日起数 14 天，到 27 日为止",
               partial(after_coupon, last="2018-12-28"), "后一天 12-28 不算（晚一天）"),
    Misreading("窗口从券失效（12 月 14 日 0 点）算起，不是从短信发出算起：那样把券有效期里的效果也算进来了",
               lambda: after_coupon(_send()), "开始 = 券失效的时刻，不是发送时刻"),
    # 没有“结束时刻也算进来”（≤ 而不是 <）的误读：订单按秒记录，正好在 12-28 00:00:00 下单的机会几乎为零，
    # 算不出不同的答案；这条界线由第 3 题在探针订单上检查。
]


# ---------------------------------------------------------------------------
# q5 短信缩短到 1 条时的 ROI
# ---------------------------------------------------------------------------
def roi(parts_per_person: int = Q5_PARTS, reading: str = "ROI") -> float:
    """券有效期内，每人 parts_per_person 条计费短信时的活动 ROI（保留 2 位小数）；reading 给出各种误读。

    本课的口径：券前增量销售额（实付的增量 + 用掉的券面额）配成本（短信费 + 用掉的券面额）。
    """
    c, members = _campaign(), _members()
    treated = members["group"] == "实验组"
    coupons = int(members.loc[treated, "coupon_order_id"].notna().sum())
    billed = int(len(members) if reading == "全部名单" else treated.sum())
    issued = int(treated.sum()) if reading == "发出的券" else coupons
    cost = campaign_cost(billed * parts_per_person, c["sms_price"], issued, c["coupon_value"])
    out = _outcomes(*_short_window())
    paid = float(response_table(out).loc["实验组", "销售额（元）"]) if reading == "全部销售额" else \
        float(uplift(out)["增量销售额（元）"])
    back = float(Decimal(str(c["coupon_value"])) * coupons)
    if reading == "券算两次":
        return campaign_roi(paid, cost["合计（元）"])
    if reading == "实付配短信费":
        return campaign_roi(paid, cost["短信费（元）"])
    if reading == "成本漏了券":
        return campaign_roi(paid + back, cost["短信费（元）"])
    if reading == "销售额÷成本":
        return round((paid + back) / cost["合计（元）"], 2)
    return campaign_roi(paid + back, cost["合计（元）"])


Q5_MISREADINGS = [
    Misreading("订单金额记的是实付，券已经从里面扣掉了；你的成本里又算了一遍券面额，同一张券被算了两次。"
               "本课的口径：增量销售额加回用掉的券面额（券前），成本是短信费 + 券面额",
               partial(roi, reading="券算两次"), "同一张券只算一次：券前销售额配含券的成本"),
    Misreading("对照组的人没有收到短信，不花短信费：短信费只按实验组的人数算，不是整个名单（实验组 + 对照组）",
               partial(roi, reading="全部名单"), "短信费只算实验组（对照组不发）"),
    Misreading("你把实验组在券有效期内的全部销售额都当成了短信带来的：其中一部分不发短信也会有（看对照组），"
               "ROI 要用增量销售额", partial(roi, reading="全部销售额"), "效果 = 增量，不是实验组全部销售额"),
    Misreading("你算的是“销售额 ÷ 成本”（广告报表的投入产出比），活动 ROI =（券前增量销售额 − 成本）÷ 成本",
               partial(roi, reading="销售额÷成本"), "活动 ROI 要先减去成本"),
    Misreading("你用的是实付销售额配短信费：这样口径也一致，但本课统一用券前增量销售额配“短信费 + 用掉的券面额”，"
               "才能和课上的 ROI 比较", partial(roi, reading="实付配短信费"), "本课的口径：券前销售额、含券的成本"),
    Misreading("成本漏了券：销售额已经加回了券面额（券前），成本里就要有用掉的券面额",
               partial(roi, reading="成本漏了券"), "用了券前销售额，成本就要含券"),
    Misreading("券的成本只算用掉的券：发出去没有用的券不花钱", partial(roi, reading="发出的券"),
               "券的成本 = 用掉的张数 × 面额"),
    Misreading("这是原来每人 2 条计费短信时的 ROI，题目要把短信缩短到每人 1 条", partial(roi, 2),
               "每人 1 条计费短信"),
    # 没有“从发送当天 0 点算起”的误读：名单规则是“2018-11-11 以来没有下单”，按发送前一刻选人，
    # 所以名单上的人在 12 月 12 日 18:00 之前一笔订单也没有，从 0 点算起答案不变；这条界线由第 3 题检查。
]


# ---------------------------------------------------------------------------
# q6 直通车合起来的 CPA
# ---------------------------------------------------------------------------
def _combined(ads: pd.DataFrame, name: str) -> pd.DataFrame:
    """把几个推广计划加成一行（展现、点击、花费、成交、成交金额各自相加），交给 ad_metrics 算指标。"""
    total = ads[["impressions", "clicks", "cost", "orders", "revenue"]].sum()
    return ad_metrics(pd.DataFrame([{"plan": name, **total.to_dict()}]))


def tool_cpa(tool: str | None = Q6_TOOL, reading: str = "CPA") -> float:
    """tool（None = 全部计划）合起来的 CPA（元/单）；reading 给出几种误读的算法。"""
    ads = _shop().ads
    part = ads if tool is None else ads[ads["tool"] == tool]
    if reading == "去掉没成交":
        part = part[part["orders"] > 0]
    each = ad_metrics(part)["CPA（元/单）"]
    if reading == "平均":
        return round(float(each.mean()), 2)
    if reading == "平均含0":
        return round(float(each.fillna(0).mean()), 2)
    row = _combined(part, tool or "全部").iloc[0]
    if reading == "每次点击":
        return round(float(row["花费（元）"] / row["点击量"]), 2)
    if reading == "倒过来":
        return float(row["成交笔数"] / row["花费（元）"])
    return float(row["CPA（元/单）"])


Q6_MISREADINGS = [
    Misreading("合并几个计划的 CPA，要先把花费、成交笔数各自加起来再相除，不能把各计划的 CPA 平均：成交多的计划应该占更大的分量",
               partial(tool_cpa, reading="平均"), "合起来的 CPA = 合计花费 ÷ 合计成交笔数"),
    Misreading("没有成交的计划 CPA 算不出来，不能当成 0 拿去平均；合起来的 CPA 要用合计花费 ÷ 合计成交笔数",
               partial(tool_cpa, reading="平均含0"), "没有成交的计划 CPA 是空值，不是 0"),
    Misreading("没有成交的“羽绒服-新品测款”也花了钱：合计花费要包括它，只是它不增加成交笔数",
               partial(tool_cpa, reading="去掉没成交"), "没有成交的计划的花费也要算"),
    Misreading("这是平均每次点击的花费（花费 ÷ 点击量），CPA 是花费 ÷ 成交笔数",
               partial(tool_cpa, reading="每次点击"), "CPA 的分母是成交笔数，不是点击量"),
    Misreading(f"你把 7 个推广计划都算上了，题目只看{Q6_TOOL}的计划（tool 一列）",
               partial(tool_cpa, None), f"只看{Q6_TOOL}"),
    Misreading("除反了：CPA 是花费 ÷ 成交笔数（每成交一单花多少元），不是成交笔数 ÷ 花费",
               partial(tool_cpa, reading="倒过来"), "CPA = 花费 ÷ 成交笔数"),
]


# ---------------------------------------------------------------------------
# 题目
# ---------------------------------------------------------------------------
QUESTIONS = [
    Question(
        "q1", points=2, variables="q1_stages", evaluate=_check_q1, expected=q1_expected,
        misreadings=Q1_MISREADINGS,
        title="活跃天数改成 60 天时，店长点名的几位客户（ch12.q1_customers()）今天各在哪个阶段",
        hint=("用课上的 lifecycle_stages，把规则换成 60 天、3 笔，再从结果里取出点名的客户和他们的阶段。"
              "注意三条界线：正好 60 天还不算衰退，正好 3 笔已经算稳定，天数按日期数、不看几点。",
              "把 LifecycleRule(active_days=…) 作为 lifecycle_stages 的最后一个参数；结果以客户编号为索引，"
              "用 .loc[编号列表, \"stage\"] 取出这几位的阶段。"),
        solution=("stages60 = lifecycle_stages(shop.customers, shop.orders, TODAY, LifecycleRule(active_days=60))\n"
                  "q1_stages = stages60.loc[ch12.q1_customers(), \"stage\"]"),
    ),
    Question(
        "q2", points=2, variables="q2_slipped", expected=slipped, misreadings=Q2_MISREADINGS,
        compare=partial(compare_customer_sets, table="history"),
        title="2018-11 月底在稳定期、2019-01 月底已经在衰退期的客户",
        hint=("用课上的 stage_history，每一列是一个月月底的阶段；两个条件要同时满足，用默认规则 90 天、3 笔。",
              "stage_history(shop.customers, shop.orders, 开始日期, 结束日期) 的列名是 \"2018-11\" 这样的月份；"
              "两个条件各写成 (history[月份] == 阶段)，用 & 连起来，再放进 history[...] 选行。"),
        solution=("history = stage_history(shop.customers, shop.orders, \"2018-11-01\", \"2019-01-31\")\n"
                  "q2_slipped = history[(history[\"2018-11\"] == \"稳定期\") & (history[\"2019-01\"] == \"衰退期\")]"),
    ),
    Question(
        "q3", points=2, variables="q3_window", evaluate=_check_q3, expected=lambda: Q3_WINDOW,
        misreadings=Q3_MISREADINGS,
        title="下一次短信（3 月 7 日 20:00 发出，券 3 月 8 日 23:59:59 截止）：统计券有效期内响应的窗口 (start, end)",
        hint=("campaign_outcomes 的窗口含开始、不含结束。开始看短信什么时候发出，不是哪一天；"
              "结束看券什么时候失效：券的最后一天整天都能用，而结束时刻本身不算。",
              "写成 (pd.Timestamp(\"发送时刻\"), pd.Timestamp(\"券截止时刻\") + pd.Timedelta(seconds=1))，"
              "两个时刻都写到秒。"),
        solution="q3_window = (pd.Timestamp(\"2019-03-07 20:00\"), pd.Timestamp(\"2019-03-08 23:59:59\") + pd.Timedelta(seconds=1))",
    ),
    Question(
        "q4", points=2, variables="q4_incremental", expected=after_coupon, misreadings=Q4_MISREADINGS,
        compare=partial(compare_number, unit="元"),
        title="券失效以后两周（2018-12-14 至 12-27，两端都含）的增量销售额（元，精确到分）",
        hint=("先用 campaign_outcomes 数出两组在这两周里各买了多少，再用 uplift 比较：增量是人均之差乘实验组人数。"
              "两端都含：开始是 14 日 0 点，结束写成最后一天的第二天 0 点。",
              "campaign_outcomes(members, shop.orders, pd.Timestamp(\"2018-12-14\"), 结束时刻) 的结果交给 uplift，"
              "取 \"增量销售额（元）\"。"),
        solution=("after = campaign_outcomes(members, shop.orders, pd.Timestamp(\"2018-12-14\"), pd.Timestamp(\"2018-12-28\"))\n"
                  "q4_incremental = uplift(after)[\"增量销售额（元）\"]"),
    ),
    Question(
        "q5", points=2, variables="q5_roi", expected=roi, misreadings=Q5_MISREADINGS,
        compare=partial(compare_number, unit=""),
        title="短信缩短到每人 1 条计费短信、用券不变时，券有效期内的活动 ROI",
        hint=("成本只算真正发出去的短信（实验组）和真正用掉的券；销售额用券前的增量，"
              "也就是实付的增量加回用掉的券面额，和成本同一个口径。",
              "campaign_cost(实验组人数 × 1, 短信单价, 用掉的券张数, 券面额)[\"合计（元）\"]；"
              "券前增量 = uplift(short)[\"增量销售额（元）\"] + 用掉的券张数 × 券面额；最后交给 campaign_roi。"),
        solution=("short = campaign_outcomes(members, shop.orders, SEND, SHORT_END)\n"
                  "treated = members[members[\"group\"] == \"实验组\"]\n"
                  "coupons = int(treated[\"coupon_order_id\"].notna().sum())\n"
                  "cost1 = campaign_cost(len(treated) * 1, campaign[\"sms_price\"], coupons, campaign[\"coupon_value\"])\n"
                  "gross = uplift(short)[\"增量销售额（元）\"] + coupons * campaign[\"coupon_value\"]\n"
                  "q5_roi = campaign_roi(gross, cost1[\"合计（元）\"])"),
    ),
    Question(
        "q6", points=2, variables="q6_cpa", expected=tool_cpa, misreadings=Q6_MISREADINGS,
        compare=partial(compare_number, unit="元"),
        title=f"{Q6_TOOL}的 4 个推广计划合起来的 CPA（元/单，精确到分）",
        hint=(f"先按 tool 一列选出{Q6_TOOL}的计划，再像课上合并钻展那样：花费、成交笔数各自加起来再相除。"
              "没有成交的计划也花了钱。",
              "shop.ads[shop.ads[\"tool\"] == 工具名] 选出计划；花费一列、成交笔数一列各自 .sum()，再相除，"
              "结果保留 2 位小数。"),
        solution=(f"part = shop.ads[shop.ads[\"tool\"] == \"{Q6_TOOL}\"]\n"
                  "q6_cpa = round(part[\"cost\"].sum() / part[\"orders\"].sum(), 2)"),
    ),
    QuizQuestion("q7", chapter="12", qid="q2", variable="q7_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, q3, q4, q5, q6, q7 = ch12.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

"""第 07 章 RFM 与 PGSB 客户分级（夏艺女装，今天 = 2018-12-10）的练习题。

练习本第一个代码单元格::

    from helpers.course.exercises import ch07
    q1, q2, q3, q4, q5, q6, q7, q8, q9 = ch07.setup(globals())

任务训练（教材任务三：用 RFM 给店铺**会员**分 P/G/S/B）：
- q1：换一个评估日（2018-11-11，双11 当天结束时），不用 rfm_score，手算几位客户的 R、F、M 分（q1_rfm）；
- q2：这几位客户在那一天各是哪一级（q2_levels）；
- q3：店铺会员 P/G/S/B 各有多少位（q3_counts）；
- q4：把权重从 1:3:4 改成 2:3:3，会员各级人数（q4_counts）；
- q5：换权重以后，有多少位会员换了等级（q5_moved）。
比课堂多走一步（都只看店铺会员）：
- q6：G 级会员里已经 4 个多月没来的（q6_risk）；
- q7：P、G 两级会员贡献了会员评估期消费的多少（q7_share）；
- q8：只给评估期内买过两次及以上的会员分级（q8_counts）；
- q9：章节测试（helpers/course/quizzes/ch07.json）的第 5 题（q9_answer）。

第 1、2 题的客户在检查时从数据里挑出来（hand_customers()）：每一种误读（R 的分界用了 >、一个月按 30 天、
评估期少了第一天或最后一天、算进了评估期以外的订单、M 或 F 的分界用了 >、等级的分界用了 >……）
都至少改变其中一位客户的分数或等级。店铺会员按第 05 课的定义：membership_status(...) 里 is_member 为 True
的客户（2018-01-01 以前达到门槛自动入会的，加上领了会员卡的）。
正确答案和误读的答案都在检查时从数据算出（lru_cache 缓存），从不写死数字。
"""
from __future__ import annotations

from functools import lru_cache, partial

import numpy as np
import pandas as pd

from . import shop, summary
from ..checks import Misreading, Question, Result, bind, compare_customer_sets, compare_mapping, compare_number
from ...membership import membership_status
from ...money import to_fen
from ..quiz import QuizQuestion
from ...rfm import LEVEL_NAMES, TEXTBOOK_LEVELS, TEXTBOOK_RFM, TEXTBOOK_WEIGHTS, rfm_level
from ...validation import prepare_orders

CHAPTER = "07"
TITLE = "RFM 与 PGSB 客户分级：换个评估日手算、给店铺会员分级、改权重"

EVAL_DAY = "2018-11-11"                 # 第 1、2 题的评估日：双11 当天结束时（当天的订单也算）
HAND_CUSTOMERS = 12           # 第 1 题的客户数：每位客户一部分分（R、F、M 三个分都对才算对）
NEW_WEIGHTS = (2, 3, 3)                 # 第 4、5 题：把 M 的 1 份权重挪给 R，满分仍是 40 分
LEVEL_ORDER = ("P", "G", "S", "B")
# “36～40 分为 P”误读成“大于 36 分”时的分界
EXCLUSIVE_LEVELS = ((37, "P"), (27, "G"), (18, "S"), (0, "B"))
# R 按“1 个月 = 30 天”误读时的分界（天）
DAY_RECENCY = (30, 90, 120, 210, 365)
RISK_R = 2                              # 第 6 题：R ≤ 2 分（最后一次下单在 4 个自然月以前）

# 打分的读法：“教材”是正确读法，其余是误读——R 的分界用 > 或按 30 天一个月，评估期少了第一天或
# 最后一天，算进了评估期以外的订单，M、F 的分界用 >
READINGS = ("教材", "R用>", "R按30天", "少第一天", "少最后一天", "全部历史", "M用>", "F用>")


# ---------------------------------------------------------------------------
# 数据（每个内核只算一次）
# ---------------------------------------------------------------------------
_shop = partial(shop, "xiayi")


@lru_cache(maxsize=None)
def _orders() -> pd.DataFrame:
    prepared = prepare_orders(_shop().orders)
    return prepared.assign(day=prepared["order_time"].dt.normalize())


@lru_cache(maxsize=None)
def scored(as_of: str = EVAL_DAY, reading: str = "教材", weights: tuple = TEXTBOOK_WEIGHTS,
           levels: tuple = TEXTBOOK_LEVELS) -> pd.DataFrame:
    """按教材评分表给每位客户打 R、F、M 分并分级；reading 是 READINGS 之一。

    返回以 customer_id 为索引的表：last_day、frequency、monetary_fen、R、F、M、score、level。
    “教材”读法和 rfm_score 的结果一致（测试里核对）。
    """
    day = pd.Timestamp(as_of)
    orders = _orders()
    start = day - pd.DateOffset(months=TEXTBOOK_RFM.period_months)
    lo = start + pd.Timedelta(days=1) if reading == "少第一天" else start
    hi = day if reading == "少最后一天" else day + pd.Timedelta(days=1)
    keep = orders["order_time"] < hi
    if reading != "全部历史":
        keep &= orders["order_time"] >= lo
    period = orders[keep]
    out = period.groupby("customer_id").agg(last_day=("day", "max"), frequency=("day", "size"),
                                            monetary_fen=("amount_fen", "sum"))
    last = out["last_day"].to_numpy()
    if reading == "R按30天":
        days = (day - out["last_day"]).dt.days.to_numpy()
        r_ok = [days <= d for d in DAY_RECENCY]
    else:
        edges = [np.datetime64(day - pd.DateOffset(months=m)) for m in TEXTBOOK_RFM.recency_months]
        r_ok = [last > e if reading == "R用>" else last >= e for e in edges]
    out["R"] = np.select(r_ok, [5, 4, 3, 2, 1], default=0)
    n = out["frequency"].to_numpy()
    f_top = TEXTBOOK_RFM.frequency_min[0]
    out["F"] = np.select([n > f_top if reading == "F用>" else n >= f_top] +
                         [n >= m for m in TEXTBOOK_RFM.frequency_min[1:]], [5, 4, 3, 2, 1], default=0)
    fen = out["monetary_fen"].to_numpy()
    cut = to_fen(list(TEXTBOOK_RFM.monetary_min)).tolist()
    out["M"] = np.select([fen > c if reading == "M用>" and c > 0 else fen >= c for c in cut],
                         [5, 4, 3, 2, 1], default=0)
    w_r, w_f, w_m = weights
    out["score"] = (w_r * out["R"] + w_f * out["F"] + w_m * out["M"]).astype("int64")
    out["level"] = rfm_level(out["score"], levels).astype(str)
    return out


@lru_cache(maxsize=None)
def _status() -> pd.DataFrame:
    shop = _shop()
    return membership_status(shop.orders, shop.customers, as_of=shop.today)


def members() -> pd.Index:
    """夏艺女装今天的店铺会员（第 05 课的定义：规则前自动入会 + 已领卡）。"""
    return _status().index[_status()["is_member"]]


def old_rule_members() -> pd.Index:
    """达到门槛的全部买家（旧规则下都是会员，含没领卡的潜在会员；“误读”用）。"""
    return _status().index[_status()["reached_date"].notna()]


def _today() -> str:
    return str(_shop().today.date())


def _graded(who: str = "会员", reading: str = "教材", weights: tuple = TEXTBOOK_WEIGHTS,
            levels: tuple = TEXTBOOK_LEVELS) -> pd.DataFrame:
    """今天的分级表，只留 who 里的客户：'会员'、'全店'（评估期内下过单的全部客户）、'旧规则'（含潜在会员）。"""
    table = scored(_today(), reading, weights, levels)
    if who == "全店":
        return table
    ids = members() if who == "会员" else old_rule_members()
    return table[table.index.isin(ids)]


def _counts(levels: pd.Series) -> dict:
    counts = levels.astype(str).value_counts()
    return {k: int(counts.get(k, 0)) for k in LEVEL_ORDER}


# ---------------------------------------------------------------------------
# q1 手算几位客户的 R、F、M（评估日 2018-11-11）；q2 他们的等级
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def hand_customers() -> tuple:
    """第 1、2 题要手算的客户：按规则从数据里挑，保证每一种误读都改变至少一位客户的分数或等级。

    依次满足这些要求（已选的客户满足了就不再加人；都取编号最小的一位）：
    最后下单恰好在 1、3、4、7 个月前的分界日期上；每一种误读读法（READINGS）改变他的 R、F 或 M，
    并且和其他误读的分数不同（找不到时只要求改变）；总分恰好 36、26、17 分；
    权重写反（4:3:1）或用了今天（而不是评估日）时等级不同。
    """
    base = scored()
    day = pd.Timestamp(EVAL_DAY)
    wanted = [base["last_day"] == day - pd.DateOffset(months=m) for m in TEXTBOOK_RFM.recency_months[:-1]]
    rfm = {r: scored(EVAL_DAY, r).reindex(base.index)[["R", "F", "M"]].to_numpy() for r in READINGS}
    for reading in READINGS[1:]:
        changed = ~np.isnan(rfm[reading]).any(axis=1) & (rfm[reading] != rfm["教材"]).any(axis=1)
        own = changed.copy()
        for other in READINGS[1:]:
            if other != reading:
                own &= (rfm[reading] != rfm[other]).any(axis=1)
        wanted.append(pd.Series(own if own.any() else changed, index=base.index))
    wanted += [base["score"] == low for low, _ in TEXTBOOK_LEVELS[:-1]]
    wanted.append(scored(EVAL_DAY, weights=(4, 3, 1))["level"] != base["level"])
    today = scored(_today()).reindex(base.index)
    wanted.append(today["level"].notna() & (today["level"] != base["level"]))
    chosen: list = []
    for mask in wanted:          # 循环的是十几条要求，不是客户
        ids = base.index[mask.to_numpy()]
        if len(ids) and not ids.isin(chosen).any():
            chosen.append(ids.min())
    return tuple(sorted(chosen))


@lru_cache(maxsize=None)
def hand_rfm(reading: str = "教材", as_of: str = EVAL_DAY) -> pd.DataFrame:
    """hand_customers() 的 R、F、M 分（reading、as_of 用来算“误读”；评估期内没有订单的客户不在表里）。"""
    table = scored(as_of, reading)
    ids = [c for c in hand_customers() if c in table.index]
    return table.loc[ids, ["R", "F", "M"]].astype("int64")


def _hand_rfm_today() -> pd.DataFrame:
    return hand_rfm(as_of=_today())


def _period(as_of: str = EVAL_DAY) -> tuple:
    day = pd.Timestamp(as_of)
    return str((day - pd.DateOffset(months=TEXTBOOK_RFM.period_months)).date()), str(day.date())


def _edges(as_of: str = EVAL_DAY) -> list:
    day = pd.Timestamp(as_of)
    return [str((day - pd.DateOffset(months=m)).date()) for m in TEXTBOOK_RFM.recency_months]


_START, _END = _period()
Q1_MISREADINGS = [
    Misreading("R 的分界日期要含当天：最后一次下单恰好在分界日期上（例如恰好 1 个月前的同一天）的客户拿较高的那一档"
               "（“不早于”，用 ≥），你用了 >",
               lambda: hand_rfm("R用>"), "R：最后下单日期 ≥ 分界日期"),
    Misreading("你按“1 个月 = 30 天”算了 R：R 按自然月算，分界日期用 rfm_band_edges(评估日) 给出的日期",
               lambda: hand_rfm("R按30天"), "R：分界按自然月（DateOffset），不是 30 天"),
    Misreading(f"评估期的第一天 {_START} 的订单也要算进来：评估期两端都含（≥ 第一天零点）",
               lambda: hand_rfm("少第一天"), "评估期第一天（含）"),
    Misreading(f"评估日当天 {_END} 的订单也要算进来：评估期两端都含，结束时间要用“< 评估日的次日零点”",
               lambda: hand_rfm("少最后一天"), "评估期最后一天（含）"),
    Misreading("评估期以外的订单也算进来了：F 和 M 只算评估期（一年）内的订单",
               lambda: hand_rfm("全部历史"), "F、M 只算评估期内"),
    Misreading("M 的分界含端点：评估期消费恰好 300、500、1000、2000 元的客户拿较高的那一档（≥），你用了 >",
               lambda: hand_rfm("M用>"), "M：消费 ≥ 分界金额"),
    Misreading("F ≥ 6 包括恰好 6 次：评估期内买了 6 次的客户 F 得 5 分，你用了 > 6",
               lambda: hand_rfm("F用>"), "F：≥ 6 次得 5 分"),
    Misreading(f"你用的是今天（2018-12-10）做评估日：这道题的评估日是 {EVAL_DAY}，评估期是 {_START} 至 {_END}",
               _hand_rfm_today, "评估日 = 2018-11-11"),
]

_WHY = {
    "R": "R 看最后一次下单的日期落在哪一档，按自然月算：{edges}",
    "F": "F 只数评估期（{start} 至 {end}，两端都含）内的订单：≥ 6 次 5 分，4～5 次 4 分，3 次 3 分……",
    "M": "M 是评估期内的消费金额，档位左闭右开：300 ≤ M < 500 得 2 分，500 ≤ M < 1000 得 3 分……",
}


def _as_table(answer, columns) -> tuple:
    """把学生的表整理成以客户编号为索引、只含 columns 的数值表；不行时返回 (None, 说明)。"""
    if isinstance(answer, pd.Series):
        return None, f"应该是一张表（DataFrame），包含 {'、'.join(columns)} 几列，你给的是一列（Series）。"
    if not isinstance(answer, pd.DataFrame):
        return None, (f"应该是一张表（DataFrame），以客户编号为索引，包含 {'、'.join(columns)} 几列；"
                      f"你给的是 {type(answer).__name__}。")
    table = answer.set_index("customer_id") if "customer_id" in answer.columns else answer
    missing = [c for c in columns if c not in table.columns]
    if missing:
        return None, f"表里缺少列 {'、'.join(missing)}（列名要正好是 {'、'.join(columns)}）。"
    table = table[columns].copy()
    table.index = table.index.map(str)
    try:
        table = table.astype("float64")
    except (TypeError, ValueError):
        return None, f"{'、'.join(columns)} 几列应该都是分数（1 到 5 的整数）。"
    return table, None


def _same_table(got: pd.DataFrame, alt: pd.DataFrame) -> bool:
    if set(got.index) != set(alt.index) or got.index.duplicated().any():
        return False
    return bool((got.loc[alt.index].to_numpy() == alt.to_numpy()).all())


def _check_q1(answers, namespace):
    table, problem = _as_table(answers["q1_rfm"], ["R", "F", "M"])
    if problem:
        return Result(False, problem)
    expected = hand_rfm()
    if _same_table(table, expected):
        return Result(True, f"{len(expected)} 位客户的 R、F、M 分全部正确。")
    for m in Q1_MISREADINGS:
        alt = m.answer()
        if not _same_table(expected, alt) and _same_table(table, alt):
            return Result(False, m.message + "。")
    missing = [c for c in expected.index if c not in table.index]
    if missing:
        return Result(False, f"表里没有客户 {'、'.join(missing)}：请按客户编号给题目里的每位客户各一行。")
    extra = [c for c in table.index if c not in expected.index]
    if extra:
        return Result(False, f"表里多了 {len(extra)} 位客户（例如 {extra[0]}）：只要题目里的 {len(expected)} 位。")
    got = table.loc[expected.index]
    wrong = [(cid, col) for col in ("R", "F", "M") for cid in expected.index
             if got.at[cid, col] != expected.at[cid, col]]
    parts = [f"{cid} 的 {col} 应为 {expected.at[cid, col]} 分，你给的是 {got.at[cid, col]:g} 分"
             for cid, col in wrong[:5]]
    reasons = []
    for m in Q1_MISREADINGS:      # 错的分数可能来自哪一种误读（一个学生可能同时犯了两种）
        alt = m.answer()
        if any(cid in alt.index and alt.at[cid, col] == got.at[cid, col] for cid, col in wrong):
            reasons.append(m.message)
    if not reasons:
        edges = "、".join(f"{d} 起得 {s} 分" for s, d in zip([5, 4, 3, 2, 1], _edges()))
        reasons = list(dict.fromkeys(_WHY[col].format(edges=edges, start=_START, end=_END) for _, col in wrong))
    right = sum(1 for cid in expected.index if not any(w[0] == cid for w in wrong))    # R、F、M 三个分都对的客户
    return Result(False, f"{len(wrong)} 个分数不对：" + "；".join(parts) + "。可能的原因：" + "；".join(reasons) + "。",
                  parts=(right, len(expected)))


@lru_cache(maxsize=None)
def hand_levels(weights: tuple = TEXTBOOK_WEIGHTS, levels: tuple = TEXTBOOK_LEVELS, as_of: str = EVAL_DAY) -> dict:
    """hand_customers() 在评估日的等级（P/G/S/B）；参数用来算“误读”。"""
    table = scored(as_of, "教材", weights, levels)
    return {cid: str(table.at[cid, "level"]) for cid in hand_customers() if cid in table.index}


Q2_MISREADINGS = [
    Misreading("你把分界当成了“大于”：36～40 分为 P（含 36 分）、26～35 分为 G、17～25 分为 S，"
               "总分恰好 36、26、17 分的客户属于较高的一级",
               lambda: hand_levels(levels=EXCLUSIVE_LEVELS), "等级分界含端点：36、26、17 分"),
    Misreading("权重写反了：总分 = 1×R + 3×F + 4×M（R 的权重最小，M 的最大），你用了 4×R + 3×F + 1×M",
               lambda: hand_levels((4, 3, 1)), "权重 R:F:M = 1:3:4"),
    Misreading("总分要加权：总分 = 1×R + 3×F + 4×M，你直接把三个分数相加了",
               lambda: hand_levels((1, 1, 1)), "总分是加权和"),
    Misreading(f"这是今天（2018-12-10）的等级：这道题的评估日是 {EVAL_DAY}",
               lambda: hand_levels(as_of=_today()), "评估日 = 2018-11-11"),
]


def _level_key(value) -> str:
    text = str(value).strip()
    names = {v: k for k, v in LEVEL_NAMES.items()}
    return names.get(text, text.upper())


def _check_q2(answers, namespace):
    answer = answers["q2_levels"]
    if isinstance(answer, pd.DataFrame):
        if "level" not in answer.columns:
            return Result(False, "应该是每位客户对应一个等级（Series 或 dict），你给的表里没有 level 列。")
        answer = (answer.set_index("customer_id") if "customer_id" in answer.columns else answer)["level"]
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        first = hand_customers()[0]
        return Result(False, f"应该是每位客户对应一个等级，例如 {{\"{first}\": \"P\", …}}（dict 或 Series），"
                             f"你给的是 {type(answer).__name__}。")
    got = {str(k): _level_key(v) for k, v in answer.items()}
    expected = hand_levels()
    if got == expected:
        return Result(True, "、".join(f"{c} {v}" for c, v in expected.items()) + "。")
    for m in Q2_MISREADINGS:
        alt = m.answer()
        if alt != expected and got == alt:
            return Result(False, m.message + "。")
    missing = [c for c in expected if c not in got]
    if missing:
        return Result(False, f"缺少客户 {'、'.join(missing[:5])} 的等级。")
    if got.keys() - expected.keys():
        return Result(False, f"多了客户 {'、'.join(sorted(got.keys() - expected.keys())[:3])}：只要题目里的 {len(expected)} 位。")
    scores = scored()["score"]
    wrong = [c for c in expected if got[c] != expected[c]]
    return Result(False, "；".join(f"{c} 总分 {int(scores[c])} 分，应为 {expected[c]}，你给的是 {got[c]}" for c in wrong)
                  + "。提示：总分 = 1×R + 3×F + 4×M；36～40 分 P，26～35 分 G，17～25 分 S，16 分及以下 B。")


# ---------------------------------------------------------------------------
# q3 店铺会员的 P/G/S/B 人数；q4 改权重后的人数；q5 换了等级的人数
# ---------------------------------------------------------------------------
def member_level_counts(weights: tuple = TEXTBOOK_WEIGHTS, levels: tuple = TEXTBOOK_LEVELS, who: str = "会员",
                        reading: str = "教材") -> dict:
    """店铺会员（who='全店' 时是评估期内下过单的全部客户）里 P/G/S/B 各有多少位。"""
    return _counts(_graded(who, reading, weights, levels)["level"])


def level_counts(weights: tuple = TEXTBOOK_WEIGHTS, levels: tuple = TEXTBOOK_LEVELS) -> dict:
    """全店评估期内下过单的客户里 P/G/S/B 各有多少位（第 07 课讲的全店分级）。"""
    return member_level_counts(weights, levels, who="全店")


def p_level_count() -> float:
    """教材评分表、权重 1:3:4 下全店的 P 级人数（章节测试的填数题）。"""
    return float(level_counts()["P"])


# 不在清单里：评估期少了最后一天（今天）。店铺的数据只到今天的前一天（load_shop 只读“今天”零点以前的数据），
# 今天没有订单，少不少这一天结果都一样；这条误读由第 1 题（评估日 2018-11-11，当天有订单）检查。
Q3_MISREADINGS = [
    Misreading("你给全店客户分级了：任务训练要给店铺会员分级（会员 = 规则前自动入会 + 已领卡，"
               "即 membership_status 的 is_member 为 True 的客户）",
               lambda: member_level_counts(who="全店"), "只给店铺会员分级"),
    Misreading("你把达到门槛、还没领卡的潜在会员也算成了会员：2018 年起要领卡才是会员",
               lambda: member_level_counts(who="旧规则"), "会员不含潜在会员"),
    Misreading("你把等级分界当成了“大于”：36～40 分为 P（含 36 分），26～35 分为 G，17～25 分为 S",
               lambda: member_level_counts(levels=EXCLUSIVE_LEVELS), "等级分界含端点"),
    Misreading("评估期的第一天（2017-12-10）的订单也要算进来：评估期两端都含",
               lambda: member_level_counts(reading="少第一天"), "评估期第一天（含）"),
    Misreading("R 的分界日期要含当天（用 ≥）：最后一次下单恰好在分界日期上的会员拿较高的那一档",
               lambda: member_level_counts(reading="R用>"), "R：最后下单日期 ≥ 分界日期"),
    Misreading("你按“1 个月 = 30 天”算了 R：R 按自然月算", lambda: member_level_counts(reading="R按30天"),
               "R：分界按自然月"),
]

Q4_MISREADINGS = [
    Misreading("这还是教材权重 1:3:4 的结果：请写 weights=(2, 3, 3)", member_level_counts, "权重 2:3:3"),
    Misreading("你只改了 R 的权重（2:3:4）：M 的权重也要从 4 改成 3", lambda: member_level_counts((2, 3, 4)),
               "M 的权重 = 3"),
    Misreading("你只改了 M 的权重（1:3:3）：R 的权重也要从 1 改成 2", lambda: member_level_counts((1, 3, 3)),
               "R 的权重 = 2"),
    Misreading("权重的顺序是 (R, F, M)：你写成了 (3, 3, 2)", lambda: member_level_counts((3, 3, 2)), "权重顺序 (R, F, M)"),
    Misreading("你给全店客户分级了：这一题和第 3 题一样只看店铺会员",
               lambda: member_level_counts(NEW_WEIGHTS, who="全店"), "只看店铺会员"),
]


def _moves(weights: tuple = NEW_WEIGHTS, who: str = "会员") -> pd.Series:
    """每位客户换权重后升了几级（正数）或降了几级（负数）。"""
    rank = {k: len(LEVEL_ORDER) - i for i, k in enumerate(LEVEL_ORDER)}
    before = _graded(who)["level"].map(rank)
    after = _graded(who, weights=weights)["level"].map(rank)
    return after - before


def moved_count(who: str = "会员") -> float:
    """换成 2:3:3 后换了等级的会员数（升级和降级都算）。"""
    return float((_moves(who=who) != 0).sum())


def _net(level: str | None = None) -> int:
    before, after = member_level_counts(), member_level_counts(NEW_WEIGHTS)
    return sum(abs(after[k] - before[k]) for k in ([level] if level else LEVEL_ORDER))


Q5_MISREADINGS = [
    Misreading("你只数了降级的会员：升级的会员也换了等级", lambda: int((_moves() < 0).sum()), "升级和降级都算"),
    Misreading("你只数了升级的会员：降级的会员也换了等级", lambda: int((_moves() > 0).sum()), "升级和降级都算"),
    Misreading("这是 P 级人数的净变化：有人降出 P 级、也可能有人升进来，净变化不等于换了等级的人数",
               lambda: _net("P"), "数的是换了等级的人，不是人数的净变化"),
    Misreading("这是各级人数净变化的合计：一位会员从 G 降到 S，G 少一人、S 多一人，要数的是会员本身",
               lambda: _net(), "数的是会员本身"),
    Misreading("你数的是全店客户：这一题只看店铺会员", lambda: moved_count("全店"), "只看店铺会员"),
]


# ---------------------------------------------------------------------------
# q6 G 级会员里 R ≤ 2 分的（最后一次下单在 4 个自然月以前）
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def g_at_risk(reading: str = "教材", who: str = "会员", strict: bool = False, level: str | None = "G") -> frozenset:
    """G 级会员里 R ≤ RISK_R 的客户；reading（R 的读法）、who、strict（用 <）、level（None = 全部等级）用来算“误读”。"""
    table = _graded(who)
    r = _graded(who, reading)["R"]
    risky = (r < RISK_R) if strict else (r <= RISK_R)
    if level:
        risky &= table["level"] == level
    return frozenset(table.index[risky.to_numpy()])


Q6_MISREADINGS = [
    Misreading(f"你用了 R < {RISK_R}：题目要求 R ≤ {RISK_R}（R 得 {RISK_R} 分的会员也要提醒）",
               lambda: g_at_risk(strict=True), f"R ≤ {RISK_R}"),
    Misreading("你按“1 个月 = 30 天”（超过 120 天）选了：R 按自然月分档，请直接用 rfm_score 算出的 R 列",
               lambda: g_at_risk("R按30天"), "R 按自然月"),
    Misreading("R 的分界日期要含当天：最后一次下单恰好在 4 个月前的同一天（2018-08-10）的会员 R 是 3 分，不用提醒",
               lambda: g_at_risk("R用>"), "R：最后下单日期 ≥ 分界日期"),
    Misreading("你没有只看 G 级：题目只要黄金（G）会员", lambda: g_at_risk(level=None), "只看 G 级"),
    Misreading("你选的是全店的 G 级客户：题目只看店铺会员", lambda: g_at_risk(who="全店"), "只看店铺会员"),
]


# ---------------------------------------------------------------------------
# q7 P、G 两级会员的消费占比
# ---------------------------------------------------------------------------
def pg_share(what: str = "金额", who: str = "会员") -> float:
    """P、G 两级在会员评估期消费中的占比；what='人数' 或 '全部历史'、who='全店' 用来算“误读”。"""
    table = _graded(who)
    top = table["level"].isin(["P", "G"]).to_numpy()
    if what == "人数":
        return float(top.mean())
    if what == "全部历史":
        fen = to_fen(summary("xiayi").loc[table.index, "total_amount"]).to_numpy()
    else:
        fen = table["monetary_fen"].to_numpy()
    return float(fen[top].sum() / fen.sum())


Q7_MISREADINGS = [
    Misreading("这是 P、G 两级的人数占比，题目问的是消费金额的占比", lambda: pg_share("人数"), "占比按金额"),
    Misreading("你用了全部历史的订单总金额（total_amount）：题目看评估期内的消费（monetary）",
               lambda: pg_share("全部历史"), "金额只算评估期内"),
    Misreading("这是全店的占比：题目只看店铺会员（分子、分母都是会员）", lambda: pg_share(who="全店"), "只看店铺会员"),
]


# ---------------------------------------------------------------------------
# q8 只给评估期内买过两次及以上的会员分级
# ---------------------------------------------------------------------------
def repeat_level_counts(min_frequency: int = 2, all_history: bool = False, who: str = "会员") -> dict:
    """评估期内购买次数 ≥ min_frequency 的会员的 P/G/S/B 人数；all_history=True 时按全部历史的订单总数（“误读”）。"""
    table = _graded(who)
    if all_history:
        keep = summary("xiayi").loc[table.index, "order_count"].to_numpy() >= min_frequency
    else:
        keep = table["frequency"].to_numpy() >= min_frequency
    return _counts(table.loc[keep, "level"])


Q8_MISREADINGS = [
    Misreading("你用了 F > 2（即 ≥ 3）：“两次及以上”包括恰好两次", lambda: repeat_level_counts(3), "评估期内 ≥ 2 次"),
    Misreading("你用了全部历史的订单总数：题目要的是评估期（一年）内买过两次及以上",
               lambda: repeat_level_counts(all_history=True), "次数只算评估期内"),
    Misreading("这是全部会员的分级人数，还没有去掉评估期内只买过一次的会员", member_level_counts, "去掉只买过一次的"),
    Misreading("你数的是全店客户：这一题只看店铺会员", lambda: repeat_level_counts(who="全店"), "只看店铺会员"),
]


# ---------------------------------------------------------------------------
# 题目
# ---------------------------------------------------------------------------
QUESTIONS = [
    Question(
        "q1", points=6, parts=HAND_CUSTOMERS, variables="q1_rfm", evaluate=_check_q1,
        title=f"任务训练：评估日换成 {EVAL_DAY}（当天的订单也算），不用 rfm_score，"
              f"手算 ch07.hand_customers() 里每位客户的 R、F、M 分（{HAND_CUSTOMERS} 位客户，"
              f"每位的三个分都对得 {6 / HAND_CUSTOMERS:g} 分）",
        hint=("评估期是评估日往前 12 个自然月到评估日，两端都含；R 的分界日期随评估日变，按自然月算，"
              "最后下单恰好在分界日期上的拿较高一档；M 的档左闭右开，F ≥ 6 含 6 次。",
              "start = DAY - pd.DateOffset(months=12)；订单时间 >= start 且 < DAY + pd.Timedelta(days=1)；"
              "分界日期用 rfm_band_edges(DAY)，R 用 np.select([last_day >= e for e in edges], [5, 4, 3, 2, 1])"),
        solution=("DAY = pd.Timestamp(\"2018-11-11\")\n"
                  "start = DAY - pd.DateOffset(months=12)\n"
                  "orders = shop.orders\n"
                  "period = orders[(orders[\"order_time\"] >= start) & (orders[\"order_time\"] < DAY + pd.Timedelta(days=1))]\n"
                  "mine = period[period[\"customer_id\"].isin(CUSTOMERS)].assign(fen=lambda d: to_fen(d[\"amount\"]))\n"
                  "q1_rfm = mine.groupby(\"customer_id\").agg(last=(\"order_time\", \"max\"), n=(\"order_id\", \"size\"),\n"
                  "                                         fen=(\"fen\", \"sum\"))\n"
                  "edges = pd.to_datetime(rfm_band_edges(DAY)[\"最后下单日期不早于\"])\n"
                  "last_day = q1_rfm[\"last\"].dt.normalize()\n"
                  "q1_rfm[\"R\"] = np.select([last_day >= e for e in edges], [5, 4, 3, 2, 1], default=0)\n"
                  "n = q1_rfm[\"n\"]\n"
                  "q1_rfm[\"F\"] = np.select([n >= 6, n >= 4, n == 3, n == 2, n == 1], [5, 4, 3, 2, 1], default=0)\n"
                  "fen = q1_rfm[\"fen\"]\n"
                  "q1_rfm[\"M\"] = np.select([fen >= 200000, fen >= 100000, fen >= 50000, fen >= 30000], [5, 4, 3, 2], default=1)"),
        expected=hand_rfm, misreadings=Q1_MISREADINGS,
    ),
    Question(
        "q2", points=2, variables="q2_levels", evaluate=_check_q2,
        title=f"任务训练：这几位客户在 {EVAL_DAY} 各是哪一级（P/G/S/B）",
        hint=("总分是加权和：R 的权重 1、F 的权重 3、M 的权重 4；36～40 分 P，26～35 分 G，17～25 分 S，"
              "16 分及以下 B，分界都含端点。",
              "score = 1 * q1_rfm[\"R\"] + 3 * q1_rfm[\"F\"] + 4 * q1_rfm[\"M\"]，再 pd.cut(score, [0, 16, 25, 35, 40], ...)"),
        solution=("score = 1 * q1_rfm[\"R\"] + 3 * q1_rfm[\"F\"] + 4 * q1_rfm[\"M\"]\n"
                  "q2_levels = pd.cut(score, [0, 16, 25, 35, 40], labels=[\"B\", \"S\", \"G\", \"P\"])"),
        expected=hand_levels, misreadings=Q2_MISREADINGS,
    ),
    Question(
        "q3", points=3, variables="q3_counts",
        title="任务训练：给店铺会员分级，P/G/S/B 各有多少位会员",
        hint=("先用 rfm_score 给评估期内下过单的客户打分分级，再只留下店铺会员：会员是第 05 课 membership_status "
              "里 is_member 为真的客户，达到门槛却没领卡的潜在会员不算。",
              "会员的编号是 status.index[status[\"is_member\"]]；rfm[rfm.index.isin(编号)] 只留下会员，再数 level"),
        solution=("rfm = rfm_score(shop.orders, TODAY)\n"
                  "status = membership_status(shop.orders, shop.customers, as_of=TODAY)\n"
                  "members = status.index[status[\"is_member\"]]\n"
                  "member_rfm = rfm[rfm.index.isin(members)]\n"
                  "q3_counts = member_rfm[\"level\"].value_counts()"),
        expected=member_level_counts, compare=compare_mapping, misreadings=Q3_MISREADINGS,
    ),
    Question(
        "q4", points=2, variables="q4_counts",
        title="任务训练：权重改成 R:F:M = 2:3:3（等级分界不变），会员各级人数",
        hint=("改的是 rfm_score 的权重参数，顺序是 R、F、M；满分仍是 40 分，所以等级分界不用改；只数店铺会员。",
              "rfm_score(shop.orders, TODAY, weights=(2, 3, 3))，再像第 3 题一样只留会员"),
        solution=("rfm_233 = rfm_score(shop.orders, TODAY, weights=(2, 3, 3))\n"
                  "member_233 = rfm_233[rfm_233.index.isin(members)]\n"
                  "q4_counts = member_233[\"level\"].value_counts()"),
        expected=lambda: member_level_counts(NEW_WEIGHTS), compare=compare_mapping, misreadings=Q4_MISREADINGS,
    ),
    Question(
        "q5", points=2, variables="q5_moved",
        title="任务训练：换成 2:3:3 以后，有多少位会员换了等级（升级、降级都算）",
        hint=("逐位会员比较两次的等级，不同的就是换了等级的：数的是人，不是各级人数的变化。",
              "两张会员表的 level 列先 .astype(str)，逐位比较不相等的有几个；pd.crosstab 能看出谁换到了哪一级"),
        solution=("moved = member_rfm[\"level\"].astype(str) != member_233[\"level\"].astype(str)\n"
                  "q5_moved = int(moved.sum())\n"
                  "pd.crosstab(member_rfm[\"level\"], member_233[\"level\"])"),
        expected=moved_count, compare=partial(compare_number, tolerance=0, unit="位"), misreadings=Q5_MISREADINGS,
    ),
    Question(
        "q6", points=3, variables="q6_risk",
        title=f"G 级会员里，R ≤ {RISK_R} 分（最后一次下单在 4 个自然月以前）的会员",
        hint=(f"直接用 rfm_score 算出的 R 分（按自然月），选等级是 G、R 不超过 {RISK_R} 分的会员；不要自己用天数换算。",
              "在 member_rfm 里用 & 连起两个条件：level 列等于 \"G\"，R 列不超过 2"),
        solution=f"q6_risk = member_rfm[(member_rfm[\"level\"] == \"G\") & (member_rfm[\"R\"] <= {RISK_R})]",
        expected=g_at_risk, compare=partial(compare_customer_sets, table="member_rfm"), misreadings=Q6_MISREADINGS,
    ),
    Question(
        "q7", points=2, variables="q7_share",
        title="P、G 两级会员贡献了会员评估期消费金额的多少（0 到 1 的小数，精确到 0.001）",
        hint=("用评估期内的消费金额 monetary，分子是 P、G 两级会员的合计，分母是全部会员的合计。",
              "top = member_rfm[\"level\"].isin([...])；分子、分母都是 monetary 列的合计"),
        solution=("top = member_rfm[\"level\"].isin([\"P\", \"G\"])\n"
                  "q7_share = member_rfm.loc[top, \"monetary\"].sum() / member_rfm[\"monetary\"].sum()"),
        expected=pg_share, compare=partial(compare_number, tolerance=0.0005, unit=""), misreadings=Q7_MISREADINGS,
    ),
    Question(
        "q8", points=2, variables="q8_counts",
        title="只给评估期内买过两次及以上的会员分级：P/G/S/B 各有多少位",
        hint=("教材的任务情景说“把购买过两次及以上的客户分层”：用评估期内的购买次数 frequency 筛选，两次也算。",
              "先用 member_rfm 的 frequency 列筛选（恰好两次也要留下），再数 level"),
        solution="q8_counts = member_rfm.loc[member_rfm[\"frequency\"] >= 2, \"level\"].value_counts()",
        expected=repeat_level_counts, compare=compare_mapping, misreadings=Q8_MISREADINGS,
    ),
    QuizQuestion("q9", chapter="07", qid="q5", variable="q9_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, …, q9 = ch07.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

"""第 07 章 RFM 与 PGSB 客户分级（夏艺女装，评估日 = 2018-12-10）的练习题。

练习本第一个代码单元格::

    from helpers.exercises import ch07
    q1, q2, q3, q4, q5, q6, q7, q8, q9 = ch07.setup(globals())

任务训练（教材任务三：用 RFM 给店铺客户分 P/G/S/B）：
- q1：不用 rfm_score，手算 5 位客户的 R、F、M 分（q1_rfm）；
- q2：这 5 位客户各是哪一级（q2_levels）；
- q3：全店 P/G/S/B 各有多少位客户（q3_counts）；
- q4：把权重从 1:3:4 改成 2:3:3，各级人数（q4_counts）；
- q5：换权重以后，有多少位客户换了等级（q5_moved）。
比课堂多走一步：
- q6：G 级里已经 3 个多月没来的客户（q6_risk）；
- q7：P、G 两级贡献了评估期消费的多少（q7_share）；
- q8：只给评估期内买过两次及以上的客户分级（q8_counts）；
- q9：章节测试（helpers/quizzes/ch07.json）的第 5 题（q9_answer）。

正确答案都在检查时从数据算出（lru_cache 缓存），从不写死数字。
"""
from __future__ import annotations

from functools import lru_cache, partial

import numpy as np
import pandas as pd

from . import shop, summary
from ..checks import Question, Result, bind, compare_customer_sets, compare_mapping, compare_number
from ..members import membership_status
from ..quiz import QuizQuestion
from ..rfm import LEVEL_NAMES, TEXTBOOK_LEVELS, TEXTBOOK_RFM, TEXTBOOK_WEIGHTS, RFMTable, rfm_band_edges, rfm_score

CHAPTER = "07"
TITLE = "RFM 与 PGSB 客户分级：手算五位客户、全店分级、改权重"

# 第 1、2 题的五位客户：每一位都站在一条分界线上
FIVE = ("XY001187", "XY000941", "XY002042", "XY006570", "XY000018")
NEW_WEIGHTS = (2, 3, 3)                 # 第 4、5 题：把 M 的 1 份权重挪给 R，满分仍是 40 分
LEVEL_ORDER = ("P", "G", "S", "B")
# “36～40 分为 P”误读成“大于 36 分”时的分界
EXCLUSIVE_LEVELS = ((37, "P"), (27, "G"), (18, "S"), (0, "B"))
# R 按“1 个月 = 30 天”误读时的分界（天）
DAY_RECENCY = (30, 90, 120, 210, 365)


# ---------------------------------------------------------------------------
# 数据（每个内核只算一次）
# ---------------------------------------------------------------------------
_shop = partial(shop, "xiayi")


@lru_cache(maxsize=None)
def _rfm(weights: tuple = TEXTBOOK_WEIGHTS, levels: tuple = TEXTBOOK_LEVELS) -> pd.DataFrame:
    shop = _shop()
    return rfm_score(shop.orders, shop.today, weights=weights, levels=levels)


def _counts(levels: pd.Series) -> dict:
    counts = levels.astype(str).value_counts()
    return {k: int(counts.get(k, 0)) for k in LEVEL_ORDER}


# ---------------------------------------------------------------------------
# q1 五位客户的 R、F、M 分
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def five_rfm(reading: str = "教材") -> pd.DataFrame:
    """五位客户的 R、F、M 分。reading：'教材'（默认）、'按天'（R 按 30 天一个月）、'全部订单'（不限评估期）。"""
    shop = _shop()
    if reading == "全部订单":
        # 不限评估期：把评估期拉到很长，R 的 1 分档也跟着放宽
        table = RFMTable(recency_months=(1, 3, 4, 7, 600), frequency_min=TEXTBOOK_RFM.frequency_min,
                         monetary_min=TEXTBOOK_RFM.monetary_min)
        out = rfm_score(shop.orders, shop.today, table=table)
        return out.loc[list(FIVE), ["R", "F", "M"]].astype("int64")
    out = _rfm().loc[list(FIVE), ["recency_days", "R", "F", "M"]].copy()
    if reading == "按天":
        days = out["recency_days"].to_numpy()
        out["R"] = np.select([days <= d for d in DAY_RECENCY], [5, 4, 3, 2, 1], default=0)
    return out[["R", "F", "M"]].astype("int64")


_WHY = {
    "R": "R 看最后一次下单的日期落在哪一档，按自然月算：{edges}",
    "F": "F 只数评估期（2017-12-10 至 2018-12-10，两端都含）内的订单",
    "M": "M 是评估期内的消费金额，档位左闭右开：300 ≤ M < 500 得 2 分，500 ≤ M < 1000 得 3 分……",
}


def _as_table(answer, columns) -> tuple:
    """把学生的表整理成以客户编号为索引、含 columns 的 DataFrame；不行时返回 (None, 说明)。"""
    if isinstance(answer, pd.Series):
        return None, f"应该是一张表（DataFrame），包含 {'、'.join(columns)} 几列，你给的是一列（Series）。"
    if not isinstance(answer, pd.DataFrame):
        return None, f"应该是一张表（DataFrame），以客户编号为索引，包含 {'、'.join(columns)} 几列；你给的是 {type(answer).__name__}。"
    table = answer.set_index("customer_id") if "customer_id" in answer.columns else answer
    missing = [c for c in columns if c not in table.columns]
    if missing:
        return None, f"表里缺少列 {'、'.join(missing)}（列名要正好是 {'、'.join(columns)}）。"
    table = table.copy()
    table.index = table.index.map(str)
    return table, None


def _check_q1(answers, namespace):
    table, problem = _as_table(answers["q1_rfm"], ["R", "F", "M"])
    if problem:
        return Result(False, problem)
    expected = five_rfm()
    missing = [c for c in expected.index if c not in table.index]
    if missing:
        return Result(False, f"表里没有客户 {'、'.join(missing)}：请按客户编号给五位客户各一行。")
    extra = [c for c in table.index if c not in expected.index]
    if extra:
        return Result(False, f"表里多了 {len(extra)} 位客户（例如 {extra[0]}）：只要题目里的五位。")
    got = table.loc[list(expected.index), ["R", "F", "M"]]
    try:
        got = got.astype("float64")
    except (TypeError, ValueError):
        return Result(False, "R、F、M 三列应该都是分数（1 到 5 的整数）。")
    for message, reading in (
            ("你按“1 个月 = 30 天”算了 R：R 按自然月算，例如最后下单在 2018-09-10 就是恰好 3 个月前，得 4 分", "按天"),
            ("评估期以外的订单也算进来了：F 和 M 只算评估期（2017-12-10 至 2018-12-10）内的订单", "全部订单")):
        alt = five_rfm(reading)
        if not alt.equals(expected) and (got.to_numpy() == alt.to_numpy()).all():
            return Result(False, message + "。")
    wrong = [(cid, col) for col in ("R", "F", "M") for cid in expected.index if got.at[cid, col] != expected.at[cid, col]]
    if not wrong:
        return Result(True, "五位客户的 R、F、M 分全部正确。")
    edges = "、".join(f"{d} 起得 {s} 分" for s, d in rfm_band_edges(_shop().today)["最后下单日期不早于"].items())
    parts = [f"{cid} 的 {col} 应为 {expected.at[cid, col]} 分，你给的是 {got.at[cid, col]:g} 分" for cid, col in wrong[:5]]
    why = "；".join(dict.fromkeys(_WHY[col].format(edges=edges) for _, col in wrong))
    return Result(False, f"{len(wrong)} 个分数不对：" + "；".join(parts) + f"。提示：{why}。")


# ---------------------------------------------------------------------------
# q2 五位客户的等级
# ---------------------------------------------------------------------------
def five_levels(levels: tuple = TEXTBOOK_LEVELS) -> dict:
    """五位客户的等级（P/G/S/B）。"""
    return {cid: str(v) for cid, v in _rfm(levels=levels).loc[list(FIVE), "level"].items()}


def _level_key(value) -> str:
    text = str(value).strip().upper()
    names = {v: k for k, v in LEVEL_NAMES.items()}
    return names.get(str(value).strip(), text)


def _check_q2(answers, namespace):
    answer = answers["q2_levels"]
    if isinstance(answer, pd.DataFrame):
        if "level" not in answer.columns:
            return Result(False, "应该是每位客户对应一个等级（Series 或 dict），你给的表里没有 level 列。")
        answer = (answer.set_index("customer_id") if "customer_id" in answer.columns else answer)["level"]
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        return Result(False, f"应该是每位客户对应一个等级，例如 {{\"{FIVE[0]}\": \"P\", …}}（dict 或 Series），"
                             f"你给的是 {type(answer).__name__}。")
    got = {str(k): _level_key(v) for k, v in answer.items()}
    expected = five_levels()
    missing = [c for c in expected if c not in got]
    if missing:
        return Result(False, f"缺少客户 {'、'.join(missing)} 的等级。")
    if got.keys() - expected.keys():
        return Result(False, f"多了客户 {'、'.join(sorted(got.keys() - expected.keys())[:3])}：只要题目里的五位。")
    if got == expected:
        return Result(True, "、".join(f"{c} {v}" for c, v in expected.items()) + "。")
    if got == five_levels(EXCLUSIVE_LEVELS):
        return Result(False, "你把分界当成了“大于”：36～40 分为 P、26～35 分为 G、17～25 分为 S，"
                             "恰好 36、26、17 分的客户属于较高的一级。")
    scores = _rfm().loc[list(FIVE), "score"]
    wrong = [c for c in expected if got[c] != expected[c]]
    return Result(False, "；".join(f"{c} 总分 {int(scores[c])} 分，应为 {expected[c]}，你给的是 {got[c]}" for c in wrong)
                  + "。提示：总分 = 1×R + 3×F + 4×M；36～40 分 P，26～35 分 G，17～25 分 S，16 分及以下 B。")


# ---------------------------------------------------------------------------
# q3 全店 P/G/S/B 人数；q4 改权重后的人数；q5 换了等级的人数
# ---------------------------------------------------------------------------
def level_counts(weights: tuple = TEXTBOOK_WEIGHTS, levels: tuple = TEXTBOOK_LEVELS) -> dict:
    """全店评估期内下过单的客户里，P/G/S/B 各有多少位。"""
    return _counts(_rfm(weights, levels)["level"])


def p_level_count() -> float:
    """教材评分表、权重 1:3:4 下的 P 级人数（章节测试的填数题）。"""
    return float(level_counts()["P"])


def member_level_counts() -> dict:
    """只数店铺会员（规则前自动入会 + 已领卡）时的 P/G/S/B 人数（“误读”用）。"""
    shop = _shop()
    status = membership_status(shop.orders, shop.customers, as_of=shop.today)
    members = status.index[status["is_member"]]
    rfm = _rfm()
    return _counts(rfm.loc[rfm.index.intersection(members), "level"])


def _check_q3(answers, namespace):
    return compare_mapping(answers["q3_counts"], level_counts, alternatives={
        "你把分界当成了“大于”：36～40 分为 P（含 36 分），26～35 分为 G，17～25 分为 S":
            lambda: level_counts(levels=EXCLUSIVE_LEVELS),
        "你只数了店铺会员：这一题要给全店评估期内下过单的客户分级": member_level_counts,
    })


def _check_q4(answers, namespace):
    return compare_mapping(answers["q4_counts"], lambda: level_counts(NEW_WEIGHTS), alternatives={
        "这还是教材权重 1:3:4 的结果：请写 weights=(2, 3, 3)": level_counts,
        "你只改了 R 的权重（2:3:4）：M 的权重也要从 4 改成 3": lambda: level_counts((2, 3, 4)),
        "你只改了 M 的权重（1:3:3）：R 的权重也要从 1 改成 2": lambda: level_counts((1, 3, 3)),
        "权重的顺序是 (R, F, M)：你写成了 (3, 3, 2)": lambda: level_counts((3, 3, 2)),
    })


def _moves(weights: tuple = NEW_WEIGHTS) -> pd.Series:
    """每位客户换权重后升了几级（正数）或降了几级（负数）。"""
    rank = {k: len(LEVEL_ORDER) - i for i, k in enumerate(LEVEL_ORDER)}
    before = _rfm()["level"].astype(str).map(rank)
    after = _rfm(weights)["level"].astype(str).map(rank)
    return after - before


def moved_count() -> float:
    """换成 2:3:3 后换了等级的客户数（升级和降级都算）。"""
    return float((_moves() != 0).sum())


def _check_q5(answers, namespace):
    m = _moves()
    before, after = level_counts(), level_counts(NEW_WEIGHTS)
    return compare_number(answers["q5_moved"], moved_count, tolerance=0, unit="位", alternatives={
        "你只数了降级的客户：升级的客户也换了等级": int((m < 0).sum()),
        "你只数了升级的客户：降级的客户也换了等级": int((m > 0).sum()),
        "这是 P 级人数的净变化：有人降出 P 级、也可能有人升进来，净变化不等于换了等级的人数":
            abs(after["P"] - before["P"]),
        "这是各级人数净变化的合计：一位客户从 G 降到 S，G 少一人、S 多一人，要数的是客户本身":
            sum(abs(after[k] - before[k]) for k in LEVEL_ORDER),
    })


# ---------------------------------------------------------------------------
# q6 G 级里 R ≤ 3 分的客户（3 个多月没来）
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def g_at_risk(reading: str = "R分") -> frozenset:
    """G 级客户里 R ≤ 3 分（最后一次下单在 3 个自然月以前）的客户；reading 用来算“误读”。"""
    rfm = _rfm()
    g = rfm[rfm["level"].astype(str) == "G"]
    if reading == "R<3":
        return frozenset(g.index[g["R"] < 3])
    if reading == "按天":
        return frozenset(g.index[g["recency_days"] > 90])
    if reading == "全部等级":
        return frozenset(rfm.index[rfm["R"] <= 3])
    return frozenset(g.index[g["R"] <= 3])


def _check_q6(answers, namespace):
    return compare_customer_sets(answers["q6_risk"], g_at_risk(), alternatives={
        "你用了 R < 3：题目要求 R ≤ 3（R 得 3 分的客户也要提醒）": lambda: g_at_risk("R<3"),
        "你用天数（> 90 天）代替了 R 分：R 按自然月分档，请直接用 R 列": lambda: g_at_risk("按天"),
        "你没有只看 G 级：题目只要黄金（G）客户": lambda: g_at_risk("全部等级"),
    })


# ---------------------------------------------------------------------------
# q7 P、G 两级的消费占比
# ---------------------------------------------------------------------------
def pg_share(what: str = "金额") -> float:
    """P、G 两级在评估期消费中的占比；what='人数' 或 '全部历史' 用来算“误读”。"""
    rfm = _rfm()
    top = rfm["level"].astype(str).isin(["P", "G"]).to_numpy()
    if what == "人数":
        return float(top.mean())
    if what == "全部历史":
        fen = np.round(summary("xiayi").loc[rfm.index, "total_amount"].to_numpy() * 100)
    else:
        fen = np.round(rfm["monetary"].to_numpy() * 100)
    return float(fen[top].sum() / fen.sum())


def _check_q7(answers, namespace):
    return compare_number(answers["q7_share"], pg_share, tolerance=0.0005, unit="", alternatives={
        "这是 P、G 两级的人数占比，题目问的是消费金额的占比": lambda: pg_share("人数"),
        "你用了全部历史的订单总金额（total_amount）：题目看评估期内的消费（monetary）": lambda: pg_share("全部历史"),
    })


# ---------------------------------------------------------------------------
# q8 只给评估期内买过两次及以上的客户分级
# ---------------------------------------------------------------------------
def repeat_level_counts(min_frequency: int = 2, all_history: bool = False) -> dict:
    """评估期内购买次数 ≥ min_frequency 的客户的 P/G/S/B 人数；all_history=True 时按全部历史的订单总数（“误读”）。"""
    rfm = _rfm()
    if all_history:
        keep = summary("xiayi").loc[rfm.index, "order_count"].to_numpy() >= min_frequency
    else:
        keep = rfm["frequency"].to_numpy() >= min_frequency
    return _counts(rfm.loc[keep, "level"])


def _check_q8(answers, namespace):
    return compare_mapping(answers["q8_counts"], repeat_level_counts, alternatives={
        "你用了 F > 2（即 ≥ 3）：“两次及以上”包括恰好两次": lambda: repeat_level_counts(3),
        "你用了全部历史的订单总数：题目要的是评估期（一年）内买过两次及以上": lambda: repeat_level_counts(all_history=True),
        "这是全部客户的分级人数，还没有去掉评估期内只买过一次的客户": level_counts,
    })


# ---------------------------------------------------------------------------
# 题目
# ---------------------------------------------------------------------------
_FIVE_TEXT = "、".join(FIVE)

QUESTIONS = [
    Question(
        "q1", points=4, variables="q1_rfm", evaluate=_check_q1,
        title=f"任务训练：不用 rfm_score，手算 {_FIVE_TEXT} 的 R、F、M 分",
        hint="① 只留评估期 [TODAY − 12 个月, TODAY]（两端都含）内的订单；② 按客户汇总最后下单时间、订单数、金额；"
             "③ R 用 rfm_band_edges(TODAY) 的分界日期打分，F、M 对照评分表（M 左闭右开，用“分”比较）。",
        solution=("start = TODAY - pd.DateOffset(months=12)\n"
                  "orders = shop.orders\n"
                  "period = orders[(orders[\"order_time\"] >= start) & (orders[\"order_time\"] < TODAY + pd.Timedelta(days=1))]\n"
                  "mine = period[period[\"customer_id\"].isin(FIVE)].assign(fen=lambda d: (d[\"amount\"] * 100).round())\n"
                  "q1_rfm = mine.groupby(\"customer_id\").agg(last=(\"order_time\", \"max\"), n=(\"order_id\", \"size\"),\n"
                  "                                         fen=(\"fen\", \"sum\"))\n"
                  "edges = pd.to_datetime(rfm_band_edges(TODAY)[\"最后下单日期不早于\"])\n"
                  "last_day = q1_rfm[\"last\"].dt.normalize()\n"
                  "q1_rfm[\"R\"] = np.select([last_day >= e for e in edges], [5, 4, 3, 2, 1], default=0)\n"
                  "n = q1_rfm[\"n\"]\n"
                  "q1_rfm[\"F\"] = np.select([n >= 6, n >= 4, n == 3, n == 2, n == 1], [5, 4, 3, 2, 1], default=0)\n"
                  "fen = q1_rfm[\"fen\"]\n"
                  "q1_rfm[\"M\"] = np.select([fen >= 200000, fen >= 100000, fen >= 50000, fen >= 30000], [5, 4, 3, 2], default=1)"),
    ),
    Question(
        "q2", points=2, variables="q2_levels", evaluate=_check_q2,
        title="任务训练：这五位客户各是哪一级（P/G/S/B）",
        hint="总分 = 1×R + 3×F + 4×M；36～40 分 P，26～35 分 G，17～25 分 S，16 分及以下 B（分界都含端点）。",
        solution=("score = 1 * q1_rfm[\"R\"] + 3 * q1_rfm[\"F\"] + 4 * q1_rfm[\"M\"]\n"
                  "q2_levels = pd.cut(score, [0, 16, 25, 35, 40], labels=[\"B\", \"S\", \"G\", \"P\"])"),
    ),
    Question(
        "q3", points=3, variables="q3_counts", evaluate=_check_q3,
        title="任务训练：全店 P/G/S/B 各有多少位客户",
        hint="rfm_score(shop.orders, TODAY) 给评估期内下过单的每位客户打分分级，再数 level。",
        solution="rfm = rfm_score(shop.orders, TODAY)\nq3_counts = rfm[\"level\"].value_counts()",
    ),
    Question(
        "q4", points=2, variables="q4_counts", evaluate=_check_q4,
        title="任务训练：权重改成 R:F:M = 2:3:3（等级分界不变），各级人数",
        hint="rfm_score(shop.orders, TODAY, weights=(2, 3, 3))；权重的顺序是 (R, F, M)。满分仍是 40 分，所以分界不用改。",
        solution="rfm_233 = rfm_score(shop.orders, TODAY, weights=(2, 3, 3))\nq4_counts = rfm_233[\"level\"].value_counts()",
    ),
    Question(
        "q5", points=2, variables="q5_moved", evaluate=_check_q5,
        title="任务训练：换成 2:3:3 以后，有多少位客户换了等级（升级、降级都算）",
        hint="把两次的 level 逐位客户比较：(rfm[\"level\"] != rfm_233[\"level\"]).sum()；"
             "pd.crosstab 能看出谁从哪一级换到了哪一级。",
        solution=("moved = rfm[\"level\"].astype(str) != rfm_233[\"level\"].astype(str)\n"
                  "q5_moved = int(moved.sum())\n"
                  "pd.crosstab(rfm[\"level\"], rfm_233[\"level\"])"),
    ),
    Question(
        "q6", points=3, variables="q6_risk", evaluate=_check_q6,
        title="G 级客户里，R ≤ 3 分（最后一次下单在 3 个自然月以前）的客户",
        hint="在 rfm_score 的结果里选 level 是 \"G\"、并且 R ≤ 3 的行。",
        solution="q6_risk = rfm[(rfm[\"level\"] == \"G\") & (rfm[\"R\"] <= 3)]",
    ),
    Question(
        "q7", points=2, variables="q7_share", evaluate=_check_q7,
        title="P、G 两级客户贡献了评估期消费金额的多少（0 到 1 的小数，精确到 0.001）",
        hint="用 rfm 的 monetary（评估期内的消费），P、G 两级的合计 ÷ 全部客户的合计。",
        solution=("top = rfm[\"level\"].isin([\"P\", \"G\"])\n"
                  "q7_share = rfm.loc[top, \"monetary\"].sum() / rfm[\"monetary\"].sum()"),
    ),
    Question(
        "q8", points=2, variables="q8_counts", evaluate=_check_q8,
        title="只给评估期内买过两次及以上的客户分级：P/G/S/B 各有多少位",
        hint="教材的任务情景说“把购买过两次及以上的客户分层”：用 rfm 的 frequency（评估期内的次数）≥ 2 筛选。",
        solution="q8_counts = rfm.loc[rfm[\"frequency\"] >= 2, \"level\"].value_counts()",
    ),
    QuizQuestion("q9", chapter="07", qid="q5", variable="q9_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, …, q9 = ch07.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

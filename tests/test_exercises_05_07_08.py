"""第 05、07、08 章的练习与章节测试：每道题一个对的答案、至少两个典型错误（各有自己的说明）、没作答、类型不对；
章节测试的每个选项都有讲解、填数题从数据现算；课文末尾的章节测试；以及一次批改：
参考答案满分、生成的练习本 0 分（8 本笔记本放在同一个 2 并行的进程池里，每本最多 60 秒）。"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import (TEXTBOOK_VIP_TIERS, Segment, VipTier, plan_sms, rfm_band_edges, rfm_score,
                     vip_rules_text, vip_tier)
from helpers.exercises import ch05, ch07, ch08
from helpers.members import (first_order_cohort, first_purchase_followup, membership_status, repurchase_rates,
                             tier_table)
from helpers.quiz import load_quiz
from helpers.touch import (HighPotentialRule, carted_without_order, high_potential, repurchase_calendar,
                           repurchase_due, schedule_sends)
from conftest import check_answer as result, right_answer as right, wrong_message as message



@pytest.fixture(scope="module")
def summary(xiayi):
    return xiayi.summary()


# ---------------------------------------------------------------------------
# 每一道题：没作答（没有变量、还是 ...）时友好提醒，从不抛出异常
# ---------------------------------------------------------------------------
# ---------------------------------------------------------------------------
# 第 05 章
# ---------------------------------------------------------------------------
def test_ch05_q1_crowd(summary):
    def crowd(occupations):
        return Segment("x", "y", occupations=occupations).select(summary)

    ok = crowd(["医生", "教师"])
    assert right(ch05, "q1", ok).message == f"共 {len(ok)} 位客户。"
    assert right(ch05, "q1", list(ok.index)).correct                     # 编号列表也行
    assert message(ch05, "q1", crowd(["医生"])).startswith("你只选了职业是“医生”的客户，题目要的是医生或教师")
    assert message(ch05, "q1", crowd(["教师"])).startswith("你只选了职业是“教师”的客户")
    assert message(ch05, "q1", ok[ok["order_count"] > 0]).startswith("你只留下了下过单的客户")
    assert message(ch05, "q1", []).startswith("一位客户只有一个职业，“是医生并且是教师”的客户一个也没有")
    assert message(ch05, "q1", len(ok)) == (f"应该是一个 DataFrame 或客户编号列表，你给的是 int（{len(ok)}）"
                                            "：这道题要的是这些客户本身，不是人数。")
    assert message(ch05, "q1", summary["occupation"].isin(["医生", "教师"])).startswith("你给的是一列 True/False")


def test_ch05_checks_follow_the_data(summary, monkeypatch):
    """正确答案在检查时由数据算出：数据变了（只留一半客户），正确答案跟着变。"""
    half = summary.iloc[::2]
    ok = Segment("x", "y", occupations=["医生", "教师"]).select(summary)
    assert right(ch05, "q1", ok)
    monkeypatch.setattr(ch05, "_summary", lambda: half)
    ch05.crowd.cache_clear()
    try:
        assert not result(ch05, "q1", ok).correct
        assert right(ch05, "q1", Segment("x", "y", occupations=["医生", "教师"]).select(half))
    finally:
        ch05.crowd.cache_clear()


TIERS = [VipTier("普通会员", 100.0, 3), VipTier("高级会员", 200.0, 5), VipTier("VIP会员", 500.0, 10),
         VipTier("至尊VIP", 2000.0, 20)]


def test_ch05_q2_tiers():
    assert right(ch05, "q2", TIERS).message.startswith("四个等级：普通会员 100 元或 3 笔；")
    assert right(ch05, "q2", [("普通会员", 100, 3), ("高级会员", 200, 5), ("VIP会员", 500, 10), ("至尊VIP", 2000, 20)])
    assert message(ch05, "q2", TIERS[::-1]) == "等级要从低到高排列：普通会员、高级会员、VIP会员、至尊VIP；你的顺序是 至尊VIP、VIP会员、高级会员、普通会员。"
    assert message(ch05, "q2", TIERS[:3] + [VipTier("至尊VIP", 1000.0, 20)]) == \
        "第 4 级 至尊VIP 的累计消费门槛应是 2000 元，你写的是 1000 元。"
    assert message(ch05, "q2", [VipTier("普通会员", 3, 100)] + TIERS[1:]) == \
        "第 1 级 普通会员 的金额和笔数写反了：VipTier(名称, 金额门槛, 笔数门槛)。"
    assert message(ch05, "q2", TIERS[:2] + [VipTier("VIP会员", 500.0, 8)] + TIERS[3:]) == \
        "第 3 级 VIP会员 的交易笔数门槛应是 10 笔，你写的是 8 笔。"
    assert message(ch05, "q2", TIERS[:3]) == "教材有 4 个等级（VIP1–VIP4），你给了 3 个。"
    assert message(ch05, "q2", [VipTier("银卡", 100.0, 3)] + TIERS[1:]) == "第 1 级的名称应是“普通会员”，你写的是“银卡”。"
    assert message(ch05, "q2", TIERS[0]).startswith("你只给了一个等级。")
    assert message(ch05, "q2", {"普通会员": 100}).startswith("应该是 4 个 VipTier 组成的列表")
    assert message(ch05, "q2", [1, 2, 3, 4]).startswith("列表里第 1 个元素不是等级")


def test_ch05_q3_counts(summary):
    counts = vip_tier(summary).value_counts()
    res = right(ch05, "q3", counts)
    assert res.message.startswith(f"普通会员 {counts['普通会员']} 人、")
    assert right(ch05, "q3", counts.to_dict())
    assert message(ch05, "q3", vip_tier(summary, strict=True).value_counts()).startswith(
        "你按“大于”（>）评级了：本工作簿按“达到”（≥）评级")
    fen = (summary["total_amount"] * 100).round()
    n = summary["order_count"]
    both = {t.name: int(((fen >= t.min_amount * 100) & (n >= t.min_orders)).sum()) for t in TEXTBOOK_VIP_TIERS}
    reached = {t.name: int(((fen >= t.min_amount * 100) | (n >= t.min_orders)).sum()) for t in TEXTBOOK_VIP_TIERS}
    # “同时达到”时每位客户的最高一级
    level = pd.Series("", index=summary.index)
    for t in TEXTBOOK_VIP_TIERS:
        level[(fen >= t.min_amount * 100) & (n >= t.min_orders)] = t.name
    assert both["普通会员"] > level.eq("普通会员").sum()
    assert message(ch05, "q3", level[level != ""].value_counts()).startswith("你要求金额和笔数同时达到")
    assert message(ch05, "q3", reached).startswith("你数的是“达到这一级门槛”的人数")
    wrong = counts.to_dict() | {"至尊VIP": counts["至尊VIP"] + 1}
    assert message(ch05, "q3", wrong) == f"数目不对：至尊VIP 你的是 {counts['至尊VIP'] + 1} 人，应为 {counts['至尊VIP']} 人。"
    assert message(ch05, "q3", 5).startswith("应该是每一类对应一个数（Series 或 dict")


def test_ch05_q4_rules():
    text = vip_rules_text(TIERS, "夏艺女装")
    assert right(ch05, "q4", text).message == "会员规则完全一致（16 行）。"
    assert message(ch05, "q4", vip_rules_text(TIERS)).startswith("店铺名写成了默认的“本店”")
    assert message(ch05, "q4", None).startswith("你的变量是 None：print(...) 只把文字显示出来")
    other = vip_rules_text(TIERS[:3] + [VipTier("至尊VIP", 1000.0, 20)], "夏艺女装")
    assert message(ch05, "q4", other).startswith("第 13 行不一样（从第 21 个字起）")
    assert message(ch05, "q4", text.split("\n")).startswith("你给的是一个 list（16 行）")


def test_ch05_q5_potential(xiayi):
    status = membership_status(xiayi.orders, xiayi.customers, as_of=xiayi.today)
    n = int((status["status"] == "潜在会员").sum())
    assert right(ch05, "q5", n).message == f"{n} 位。"
    reached = status["reached_date"].notna()
    assert message(ch05, "q5", int(reached.sum())).startswith("这是达到门槛的全部买家（旧规则下他们都是会员）")
    assert message(ch05, "q5", int((reached & status["card_claimed_date"].isna()).sum())).startswith(
        "你把 2018-01-01 之前就达到门槛的买家也算进来了")
    assert message(ch05, "q5", int(xiayi.customers["card_claimed_date"].isna().sum())).startswith(
        "你数的是所有没领卡的客户")
    strict = membership_status(xiayi.orders, xiayi.customers, as_of=xiayi.today, strict=True)
    assert message(ch05, "q5", int((strict["status"] == "潜在会员").sum())).startswith("你按“大于”（>）判断")
    assert message(ch05, "q5", str(n)) == f"你给的是文字 “{n}”（带引号），请写成数 {n}，不要加引号。"


def test_ch05_q6_july(xiayi):
    july = membership_status(xiayi.orders, xiayi.customers, as_of=xiayi.today, rule_change="2018-07-01")
    n = int((july["status"] == "潜在会员").sum())
    assert right(ch05, "q6", n)
    assert message(ch05, "q6", ch05.potential_members()).startswith("这还是生效日为 2018-01-01 时的人数")
    assert message(ch05, "q6", n + 100).startswith(f"你的答案 {n + 100} 位偏大了")
    assert message(ch05, "q6", july["status"]).startswith("应该是一个数，你给的是有")


def nudge_list(summary, strict=False, non_buyers=False, unranked=True):
    level = vip_tier(summary).astype(object)
    need = level.map({"普通会员": 200.0, "高级会员": 500.0, "VIP会员": 2000.0})
    need[level.isna()] = 100.0
    gap = (need - summary["total_amount"]).round(2)
    ok = (gap > 0) & ((gap < 100) if strict else (gap <= 100))
    if not non_buyers:
        ok &= summary["order_count"] > 0
    if not unranked:
        ok &= level.notna()
    return summary[ok]


def test_ch05_q7_nudge(summary):
    ok = nudge_list(summary)
    assert right(ch05, "q7", ok).message == f"共 {len(ok)} 位客户。"
    assert message(ch05, "q7", nudge_list(summary, strict=True)).startswith("你用了“差额 < 100 元”：题目要求差额 ≤ 100 元")
    assert message(ch05, "q7", nudge_list(summary, non_buyers=True)).startswith("从没下过单的客户也被选进来了")
    assert message(ch05, "q7", nudge_list(summary, unranked=False)).startswith("你漏掉了下过单、但还没达到普通会员的买家")
    assert message(ch05, "q7", ok.head()).startswith(f"你只给了 5 位客户，正确答案是 {len(ok)} 位")
    assert message(ch05, "q7", "XY000001").startswith("应该是一个 DataFrame 或客户编号列表，你给的是文字")


def test_ch05_q8_share(xiayi, summary):
    status = membership_status(xiayi.orders, xiayi.customers, as_of=xiayi.today)
    crowd = summary.index[summary["occupation"].isin(["医生", "教师"])]
    mine = status.loc[crowd]
    share = (mine["status"] == "潜在会员").sum() / mine["reached_date"].notna().sum()
    assert right(ch05, "q8", share)
    assert right(ch05, "q8", round(share, 3))                               # 精确到 0.001 就算对
    assert message(ch05, "q8", (mine["status"] == "潜在会员").mean()).startswith("分母用了整个医生/教师人群")
    whole = (status["status"] == "潜在会员").sum() / status["reached_date"].notna().sum()
    assert message(ch05, "q8", whole).startswith("这是全店的比例：题目只看医生/教师人群")
    assert "正好是正确答案的 100 倍" in message(ch05, "q8", share * 100)
    assert message(ch05, "q8", mine["status"]).startswith("应该是一个数，你给的是有")


def test_ch05_q9_quiz():
    assert right(ch05, "q9", "D").message.startswith("D：对。至尊VIP 的金额门槛是 2000 元")
    assert message(ch05, "q9", "A").startswith("你选了 A。只看笔数的话，4 笔只够普通会员")
    assert message(ch05, "q9", "C").startswith("你选了 C。VIP会员需要 500 元或 10 笔")
    assert message(ch05, "q9", 4) == '请写选项的字母，例如 "A" 或 ["A", "C"]，你给的是 int。'


# ---------------------------------------------------------------------------
# 第 07 章
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def rfm(xiayi):
    return rfm_score(xiayi.orders, xiayi.today)


def hand_rfm(xiayi, period=True, by_days=False):
    """不用 rfm_score，手算五位客户的 R、F、M（和参考答案的做法一样）。"""
    today = xiayi.today
    o = xiayi.orders
    if period:
        o = o[(o["order_time"] >= today - pd.DateOffset(months=12)) & (o["order_time"] < today + pd.Timedelta(days=1))]
    mine = o[o["customer_id"].isin(ch07.FIVE)].assign(fen=lambda d: (d["amount"] * 100).round())
    t = mine.groupby("customer_id").agg(last=("order_time", "max"), n=("order_id", "size"), fen=("fen", "sum"))
    if by_days:
        days = (today - t["last"].dt.normalize()).dt.days
        t["R"] = np.select([days <= 30, days <= 90, days <= 120, days <= 210, days <= 365], [5, 4, 3, 2, 1], default=1)
    else:
        edges = pd.to_datetime(rfm_band_edges(today)["最后下单日期不早于"])
        t["R"] = np.select([t["last"].dt.normalize() >= e for e in edges], [5, 4, 3, 2, 1], default=1)
    n = t["n"]
    t["F"] = np.select([n >= 6, n >= 4, n == 3, n == 2, n == 1], [5, 4, 3, 2, 1], default=0)
    t["M"] = np.select([t["fen"] >= 200000, t["fen"] >= 100000, t["fen"] >= 50000, t["fen"] >= 30000], [5, 4, 3, 2],
                       default=1)
    return t


def test_ch07_five_customers_sit_on_boundaries(xiayi, rfm):
    five = rfm.loc[list(ch07.FIVE)]
    assert five.loc["XY001187", "score"] == 36                                  # P 的下界
    assert five.loc["XY006570", "score"] == 16 and five.loc["XY006570", "monetary"] == 499.99   # B 的上界、M 的缝隙
    assert str(five.loc["XY000941", "last_order"].date()) == "2018-09-10"     # 恰好 3 个月前
    assert str(five.loc["XY002042", "last_order"].date()) == "2018-08-10"     # 恰好 4 个月前
    assert (xiayi.orders["customer_id"] == "XY000018").sum() > five.loc["XY000018", "frequency"]  # 评估期外还有订单


def test_ch07_q1_by_hand(xiayi):
    ok = hand_rfm(xiayi)
    assert right(ch07, "q1", ok).message == "五位客户的 R、F、M 分全部正确。"
    assert right(ch07, "q1", ok[["R", "F", "M"]].reset_index())                 # customer_id 是一列也行
    assert message(ch07, "q1", hand_rfm(xiayi, by_days=True)).startswith("你按“1 个月 = 30 天”算了 R：R 按自然月算")
    assert message(ch07, "q1", hand_rfm(xiayi, period=False)).startswith("评估期以外的订单也算进来了")
    one = ok.copy()
    one.loc["XY006570", "M"] = 1
    assert message(ch07, "q1", one) == ("1 个分数不对：XY006570 的 M 应为 2 分，你给的是 1 分。提示：M 是评估期内的消费金额，"
                                        "档位左闭右开：300 ≤ M < 500 得 2 分，500 ≤ M < 1000 得 3 分……。")
    two = ok.copy()
    two.loc["XY000941", "R"] = 3
    assert message(ch07, "q1", two).startswith("1 个分数不对：XY000941 的 R 应为 4 分，你给的是 3 分。提示：R 看最后一次下单的日期")
    assert message(ch07, "q1", ok.drop(columns="M")) == "表里缺少列 M（列名要正好是 R、F、M）。"
    assert message(ch07, "q1", ok.drop(index="XY000018")) == "表里没有客户 XY000018：请按客户编号给五位客户各一行。"
    assert message(ch07, "q1", ok["R"]).startswith("应该是一张表（DataFrame），包含 R、F、M 几列，你给的是一列（Series）")
    assert message(ch07, "q1", [5, 4, 3]).startswith("应该是一张表（DataFrame），以客户编号为索引")


def test_ch07_q2_levels(rfm):
    levels = rfm.loc[list(ch07.FIVE), "level"]
    assert right(ch07, "q2", levels).message.startswith("XY001187 P、XY000941 G、")
    assert right(ch07, "q2", {c: {"P": "铂金", "G": "黄金", "S": "白银", "B": "青铜"}[str(v)] for c, v in levels.items()})
    assert right(ch07, "q2", {c: str(v).lower() for c, v in levels.items()})
    excl = levels.astype(str).replace({"P": "G"}) if (rfm.loc[list(ch07.FIVE), "score"] == 36).any() else None
    assert message(ch07, "q2", excl).startswith("你把分界当成了“大于”：36～40 分为 P")
    wrong = levels.astype(str).to_dict() | {"XY000941": "S"}
    assert message(ch07, "q2", wrong).startswith("XY000941 总分 30 分，应为 G，你给的是 S。提示：总分 = 1×R + 3×F + 4×M")
    assert message(ch07, "q2", ["P", "G", "S", "B", "G"]).startswith("应该是每位客户对应一个等级")
    assert message(ch07, "q2", {"XY001187": "P"}).startswith("缺少客户 XY000941、")


def test_ch07_q3_counts(xiayi, rfm):
    counts = rfm["level"].value_counts()
    assert right(ch07, "q3", counts).message == "P {P} 人、G {G} 人、S {S} 人、B {B} 人。".format(**counts.to_dict())
    excl = rfm_score(xiayi.orders, xiayi.today, levels=((37, "P"), (27, "G"), (18, "S"), (0, "B")))
    assert message(ch07, "q3", excl["level"].value_counts()).startswith("你把分界当成了“大于”")
    status = membership_status(xiayi.orders, xiayi.customers, as_of=xiayi.today)
    members = rfm.index.intersection(status.index[status["is_member"]])
    assert message(ch07, "q3", rfm.loc[members, "level"].value_counts()).startswith("你只数了店铺会员")
    assert message(ch07, "q3", rfm["level"]).startswith("“XY")              # 每位客户的等级，不是每级的人数
    assert message(ch07, "q3", 4).startswith("应该是每一类对应一个数")


def test_ch07_q4_q5_weights(xiayi, rfm):
    new = rfm_score(xiayi.orders, xiayi.today, weights=(2, 3, 3))
    assert right(ch07, "q4", new["level"].value_counts())
    for weights, start in [((1, 3, 4), "这还是教材权重 1:3:4 的结果"), ((2, 3, 4), "你只改了 R 的权重（2:3:4）"),
                           ((1, 3, 3), "你只改了 M 的权重（1:3:3）"), ((3, 3, 2), "权重的顺序是 (R, F, M)")]:
        counts = rfm_score(xiayi.orders, xiayi.today, weights=weights)["level"].value_counts()
        assert message(ch07, "q4", counts).startswith(start), weights
    assert message(ch07, "q4", None) == \
        "应该是每一类对应一个数（Series 或 dict，例如 value_counts() 的结果），你给的是 None（空值）。"
    before, after = rfm["level"].astype(str), new["level"].astype(str)
    rank = {"P": 4, "G": 3, "S": 2, "B": 1}
    step = after.map(rank) - before.map(rank)
    moved = int((before != after).sum())
    assert right(ch07, "q5", moved).message == f"{moved} 位。"
    assert message(ch07, "q5", int((step < 0).sum())).startswith("你只数了降级的客户")
    assert message(ch07, "q5", int((step > 0).sum())).startswith("你只数了升级的客户")
    assert message(ch07, "q5", abs((after == "P").sum() - (before == "P").sum())).startswith("这是 P 级人数的净变化")
    assert message(ch07, "q5", before != after).startswith("应该是一个数，你给的是有")
    # 参考答案的解释：有人升级（B→S、S→G），有人降级（P→G、G→S）
    table = pd.crosstab(before, after)
    assert table.loc["B", "S"] > 0 and table.loc["S", "G"] > 0 and table.loc["P", "G"] > 0 and table.loc["G", "S"] > 0


def test_ch07_q6_q7_q8(xiayi, rfm):
    g = rfm[rfm["level"] == "G"]
    assert right(ch07, "q6", g[g["R"] <= 3])
    assert message(ch07, "q6", g[g["R"] < 3]).startswith("你用了 R < 3：题目要求 R ≤ 3")
    assert message(ch07, "q6", g[g["recency_days"] > 90]).startswith("你用天数（> 90 天）代替了 R 分")
    assert message(ch07, "q6", rfm[rfm["R"] <= 3]).startswith("你没有只看 G 级")
    assert message(ch07, "q6", len(g)).startswith("应该是一个 DataFrame 或客户编号列表，你给的是 int")

    top = rfm["level"].isin(["P", "G"])
    share = rfm.loc[top, "monetary"].sum() / rfm["monetary"].sum()
    assert right(ch07, "q7", share)
    assert message(ch07, "q7", top.mean()).startswith("这是 P、G 两级的人数占比")
    total = xiayi.summary().loc[rfm.index, "total_amount"]
    assert message(ch07, "q7", total[top].sum() / total.sum()).startswith("你用了全部历史的订单总金额")
    assert "正好是正确答案的 100 倍" in message(ch07, "q7", share * 100)
    assert message(ch07, "q7", f"{share:.1%}").startswith("你给的是文字")

    twice = rfm.loc[rfm["frequency"] >= 2, "level"].value_counts()
    assert right(ch07, "q8", twice)
    assert message(ch07, "q8", rfm.loc[rfm["frequency"] >= 3, "level"].value_counts()).startswith(
        "你用了 F > 2（即 ≥ 3）：“两次及以上”包括恰好两次")
    orders_all = xiayi.summary().loc[rfm.index, "order_count"]
    assert message(ch07, "q8", rfm.loc[orders_all >= 2, "level"].value_counts()).startswith("你用了全部历史的订单总数")
    assert message(ch07, "q8", rfm["level"].value_counts()).startswith("这是全部客户的分级人数")
    assert message(ch07, "q8", list(twice)).startswith("应该是每一类对应一个数")
    # 思考题的说法：P 级人数不变（F = 1 最多 28 分），B 级少得最多
    all_counts = rfm["level"].value_counts()
    assert twice["P"] == all_counts["P"]
    assert (all_counts - twice.reindex(all_counts.index, fill_value=0)).idxmax() == "B"


def test_ch07_q9_quiz():
    assert right(ch07, "q9", ["A", "B", "C", "D"])
    assert message(ch07, "q9", ["A", "B", "C", "D", "E"]).startswith("E 不该选：不对：他在评估期内有订单")
    assert message(ch07, "q9", "ABC") == "还有 1 个正确选项没选（多选题要选出全部正确的选项）。"
    assert message(ch07, "q9", 5) == '请写选项的字母，例如 "A" 或 ["A", "C"]，你给的是 int。'


# ---------------------------------------------------------------------------
# 第 08 章
# ---------------------------------------------------------------------------
def recall(xiayi, customers=True, **changes):
    kw = dict(lookback_months=12, min_orders=2, quiet_since="2018-11-11", active_days=14,
              active_events=("收藏", "加购")) | changes
    return high_potential(xiayi.orders, xiayi.events, as_of=xiayi.today, rule=HighPotentialRule(**kw),
                          customers=xiayi.customers if customers else None)[1]


def test_ch08_q1_recall(xiayi):
    ok = recall(xiayi)
    assert right(ch08, "q1", ok).message == f"共 {len(ok)} 位客户。"
    for changes, start in [(dict(active_events=("浏览", "收藏", "加购")), "你把“浏览”也算成了有兴趣"),
                           (dict(active_days=30), "你用的是课堂上的 30 天"),
                           (dict(active_days=15), "你多算了一天：最近 14 天是今天之前的 14 天"),
                           (dict(min_orders=3), "你用了“下单 > 2 笔”（即 ≥ 3）"),
                           (dict(quiet_since="2018-11-12"), "11 月 11 日当天下过单的客户也要去掉")]:
        assert message(ch08, "q1", recall(xiayi, **changes)).startswith(start), changes
    assert message(ch08, "q1", high_potential(xiayi.orders, xiayi.events, xiayi.today)[0]).startswith(
        "这张表里找不到客户编号")                                   # 把漏斗表当成了名单
    assert message(ch08, "q1", len(ok)).startswith("应该是一个 DataFrame 或客户编号列表，你给的是 int")


@pytest.fixture(scope="module")
def recall_plan(xiayi):
    return plan_sms(recall(xiayi), ch08.RECALL_TEXT, "夏艺女装", price=0.05)


def test_ch08_q2_schedule(xiayi, recall_plan):
    ok = schedule_sends(recall_plan.messages, "2018-12-12 18:00", "2018-12-12 20:00", every_minutes=15)
    assert right(ch08, "q2", ok).message.startswith(f"{len(ok)} 人分 8 批，每批")
    assert right(ch08, "q2", ok.reset_index())
    everyone = schedule_sends(recall(xiayi), "2018-12-12 18:00", "2018-12-12 20:00", every_minutes=15)
    assert message(ch08, "q2", everyone).startswith("收件人不对：名单里还有已退订或没留手机号的客户")
    ten = schedule_sends(recall_plan.messages, "2018-12-12 18:00", "2018-12-12 20:00", every_minutes=10)
    assert message(ch08, "q2", ten) == "你每 10 分钟发一批，题目要求每 15 分钟一批（18:00、18:15……共 8 批）。"
    late = schedule_sends(recall_plan.messages, "2018-12-12 19:00", "2018-12-12 21:00", every_minutes=15)
    assert message(ch08, "q2", late).startswith(f"有 {(late['send_time'] >= '2018-12-12 20:00').sum()} 位安排在 18:00–20:00 之外")
    uneven = ok.copy()
    uneven.iloc[:3, uneven.columns.get_loc("send_time")] = pd.Timestamp("2018-12-12 18:15")
    assert message(ch08, "q2", uneven).startswith("各批人数不平均：最多")
    assert message(ch08, "q2", recall_plan.messages) == \
        "发送安排表里缺少 batch、send_time 列：请用 schedule_sends(plan.messages, 开始, 结束, 间隔) 分批。"
    assert message(ch08, "q2", recall_plan).startswith("应该是一张发送安排表（schedule_sends 的结果，DataFrame），你给的是 SmsPlan")


def test_ch08_q3_cost(xiayi, recall_plan):
    assert right(ch08, "q3", recall_plan.cost)
    assert (recall_plan.messages["parts"] > 1).any() and (recall_plan.messages["parts"] == 1).any()
    assert message(ch08, "q3", recall_plan.recipients * 0.05).startswith("你按每人 1 条算了")
    assert message(ch08, "q3", len(recall(xiayi)) * 0.05).startswith("你没有去掉已退订和没留手机号的客户")
    assert message(ch08, "q3", recall_plan.total_parts).startswith("你的答案")        # 条数不是费用
    assert message(ch08, "q3", [recall_plan.cost]) == "应该是一个数，你给的是 list（有 1 个元素）。"


def remind(health, days=7, by_quantity=True, drop=True):
    due = repurchase_due(health.orders, health.items, health.products, as_of=health.today, days=days,
                         by_quantity=by_quantity)
    ids = pd.Index(due["customer_id"].unique())
    opted = health.customers.set_index("customer_id")["sms_opt_out"]
    return ids[~opted.loc[ids].to_numpy()] if drop else ids


def test_ch08_q4_reminders(health):
    assert right(ch08, "q4", remind(health)).message == f"共 {len(remind(health))} 位客户。"
    assert message(ch08, "q4", remind(health, drop=False)).startswith("回复过退订的客户还在名单里")
    assert message(ch08, "q4", remind(health, days=8)).startswith("你多算了一天：今天起 7 天是 6 月 1 日至 6 月 7 日")
    assert message(ch08, "q4", remind(health, days=6)).startswith("你少算了一天")
    assert message(ch08, "q4", remind(health, by_quantity=False)).startswith("你没有按购买数量算可用天数")
    due = repurchase_due(health.orders, health.items, health.products, as_of=health.today, days=7)
    assert message(ch08, "q4", due).startswith("名单里有重复的客户")          # 一位客户多种商品 → 多行
    assert message(ch08, "q4", True) == "应该是一个 DataFrame 或客户编号列表，你给的是 True（真/假值）。"


def test_ch08_q5_q6_carted(xiayi):
    ev, o = xiayi.events, xiayi.orders
    ok = carted_without_order(ev, o, "2018-06-01", "2018-06-18", "2018-06-01", "2018-10-31")
    assert right(ch08, "q5", ok)
    june = carted_without_order(ev, o, "2018-06-01", "2018-06-18", "2018-06-01", "2018-06-30")
    assert message(ch08, "q5", june).startswith("这还是课堂上“只看 6 月没下单”的人群")
    assert message(ch08, "q5", carted_without_order(ev, o, "2018-06-01", "2018-06-17", "2018-06-01", "2018-10-31")
                   ).startswith("你漏掉了 6 月 18 日当天加购的客户")
    assert message(ch08, "q5", len(ok)).startswith("应该是一个 DataFrame 或客户编号列表，你给的是 int")

    case_summary = xiayi.summary(as_of=pd.Timestamp("2018-10-31"))
    plan = plan_sms(case_summary.loc[june.index], ch08.CART_TEXT, "夏艺女装", price=0.05)
    window = o[(o["order_time"] >= "2018-11-01") & (o["order_time"] < "2018-11-12")]
    rate = plan.messages.index.isin(window["customer_id"]).mean()
    assert right(ch08, "q6", rate)
    before11 = o[(o["order_time"] >= "2018-11-01") & (o["order_time"] < "2018-11-11")]
    assert message(ch08, "q6", plan.messages.index.isin(before11["customer_id"]).mean()).startswith(
        "你漏掉了 11 月 11 日当天的订单")
    assert message(ch08, "q6", june.index.isin(window["customer_id"]).mean()).startswith("分母用了全部加购未购买的客户")
    assert message(ch08, "q6", plan.messages.index.isin(window["customer_id"])) == "应该是一个数，你给的是 ndarray。"
    assert message(ch08, "q6", f"{rate:.3f}").startswith("你给的是文字")


def test_ch08_q7_lapsed(health):
    cal = repurchase_calendar(health.orders, health.items, health.products, as_of=health.today)
    opted = health.customers.set_index("customer_id")["sms_opt_out"]

    def lapsed(lo=-30, hi=-1, drop=True):
        ids = pd.Index(cal.loc[cal["days_left"].between(lo, hi), "customer_id"].unique())
        return ids[~opted.loc[ids].to_numpy()] if drop else ids

    assert right(ch08, "q7", lapsed())
    assert message(ch08, "q7", lapsed(hi=0)).startswith("你把今天刚好到期（days_left = 0）的也算进来了")
    assert message(ch08, "q7", lapsed(lo=-29)).startswith("你漏掉了恰好过期 30 天")
    assert message(ch08, "q7", lapsed(drop=False)).startswith("回复过退订的客户还在名单里")
    assert message(ch08, "q7", {"XY": 1}) == "应该是一个 DataFrame 或客户编号列表，你给的是 dict。"
    cal_ids = cal.loc[cal["days_left"].between(-30, -1), "customer_id"]
    assert message(ch08, "q7", cal_ids).startswith("名单里有重复的客户")             # 一位客户几种商品
    assert right(ch08, "q7", cal_ids.drop_duplicates()[~opted.loc[cal_ids.drop_duplicates()].to_numpy()].unique())


def test_ch08_q8_quiz():
    assert right(ch08, "q8", "C")
    assert message(ch08, "q8", "B").startswith("你选了 B。活动刚开始时")
    assert message(ch08, "q8", "A, C") == "这是单选题，只能选一个选项，你选了 A、C。"
    assert message(ch08, "q8", 12) == '请写选项的字母，例如 "A" 或 ["A", "C"]，你给的是 int。'


# ---------------------------------------------------------------------------
# 章节测试：每个选项有讲解，对的答案对、每个错误选项给出它自己的讲解，填数题从数据现算
# ---------------------------------------------------------------------------
def test_quiz_numbers_match_independent_computations(xiayi, summary, rfm):
    assert load_quiz("05").item("q7").correct_answer() == tier_table(summary).loc["至尊VIP", "客户数（位）"]
    assert load_quiz("07").item("q7").correct_answer() == (rfm["level"] == "P").sum()
    followup = first_purchase_followup(xiayi.orders, as_of=xiayi.today, windows=(60, 180))
    cohort = first_order_cohort(followup, "2018-01-05", "2018-01-09", inside="聚划算新客", outside="其他新客")
    rate = repurchase_rates(followup[["first_order", "next_order", "days_to_next", "repurchase_180"]], cohort)
    assert round(load_quiz("06").item("q6").correct_answer() * 100, 1) == rate.loc["聚划算新客", ("180 天内", "复购率（%）")]
    june = carted_without_order(xiayi.events, xiayi.orders, "2018-06-01", "2018-06-18", "2018-06-01", "2018-06-30")
    assert load_quiz("08").item("q6").correct_answer() == len(june)

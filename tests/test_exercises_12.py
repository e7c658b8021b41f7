"""第 12 章的练习（q7 是章节测试第 2 题）：正确答案用不经过 helpers.effect / helpers.lifecycle 的独立算法核对；
每条误读都有自己的反馈（各题一个测试），边界上确实有客户或订单；类型不对时的说明。
误读清单的逐条检查、没作答、参考答案全对、批改满分/零分由 tests/test_course.py 统一检查。"""
from __future__ import annotations

from functools import partial

import pandas as pd
import pytest

from helpers import load_shop
from helpers.effect import ad_metrics
from helpers.course.exercises import ch12
from helpers.lifecycle import LifecycleRule, lifecycle_stages, stage_history
from conftest import right_answer, wrong_message

message = partial(wrong_message, ch12)
right = partial(right_answer, ch12)


@pytest.fixture(scope="module")
def shop12():
    """夏艺女装，本章的今天 2019-02-16（整个模块只加载一次；测试不得修改它）。"""
    return load_shop("xiayi", today="2019-02-16")


@pytest.fixture(scope="module")
def window(shop12):
    c = shop12.campaigns.iloc[0]
    return pd.Timestamp(c["send_time"]), pd.Timestamp(c["coupon_end"]) + pd.Timedelta(seconds=1)


def _per_person(shop12, start, end):
    """独立算法：名单上每人在 [start, end) 的销售额（分）和组别，不经过 helpers.effect。"""
    o = shop12.orders
    part = o[(o["order_time"] >= start) & (o["order_time"] < end)]
    fen = (part["amount"] * 100).round().astype("int64").groupby(part["customer_id"]).sum()
    m = shop12.campaign_members.set_index("customer_id")
    return m["group"], fen.reindex(m.index, fill_value=0)


def _incremental(shop12, start, end) -> float:
    """独立算法：（实验组人均 − 对照组人均）× 实验组人数，元，四舍五入到分。"""
    group, fen = _per_person(shop12, start, end)
    t, c = fen[group == "实验组"], fen[group == "对照组"]
    return round((t.sum() - c.sum() * len(t) / len(c)) / 100, 2)


def test_chapter_has_seven_questions():
    assert [q.name for q in ch12.QUESTIONS] == ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]
    assert sum(q.points for q in ch12.QUESTIONS) == 13
    counts = {q.name: len(q.misreadings) for q in ch12.QUESTIONS[:-1]}
    assert counts == {"q1": 6, "q2": 5, "q3": 5, "q4": 9, "q5": 8, "q6": 6}


# ---------------------------------------------------------------------------
# q1 点名客户的阶段（60 天、3 笔）
# ---------------------------------------------------------------------------
def test_q1_customers_sit_on_the_boundaries(shop12):
    """点名的客户从数据里挑：每条界线上各有一位，用手写的规则核对他们的阶段。"""
    ids = ch12.q1_customers()
    assert ids == sorted(ids) and len(ids) == len(set(ids)) == 7
    o = shop12.orders[shop12.orders["customer_id"].isin(ids)]
    today = pd.Timestamp("2019-02-16")
    n = o.groupby("customer_id").size().reindex(ids, fill_value=0)
    last = o.groupby("customer_id")["order_time"].max().reindex(ids)
    days = (today - last.dt.normalize()).dt.days                 # 按日期相减
    recent = o[o["order_time"] >= today - pd.Timedelta(days=60)].groupby("customer_id").size().reindex(ids, fill_value=0)
    assert (days == 60).sum() >= 1 and (days == 61).sum() >= 1
    assert ((days > 61) & (days <= 90)).any() and ((n == 3) & (days <= 60)).any()
    assert ((n >= 4) & (days <= 60) & (recent < 3)).any() and (n == 0).any()
    by_hand = {}
    for cid in ids:
        if n[cid] == 0:
            by_hand[cid] = "识别期"
        elif days[cid] > 60:
            by_hand[cid] = "衰退期"
        else:
            by_hand[cid] = "稳定期" if n[cid] >= 3 else "发展期"
    assert {k: str(v) for k, v in ch12.q1_expected().items()} == by_hand
    assert set(by_hand.values()) == {"识别期", "发展期", "稳定期", "衰退期"}      # 四个阶段都有
    right("q1", by_hand)
    right("q1", pd.Series(by_hand).sample(frac=1, random_state=1))             # 顺序不要紧
    st = lifecycle_stages(shop12.customers, shop12.orders, shop12.today, LifecycleRule(active_days=60))
    right("q1", st.loc[ids])                                                   # 整张表也行：取 stage 列


def test_q1_each_misreading_names_its_boundary():
    m = {x.boundary: x for x in ch12.Q1_MISREADINGS}
    expected = {
        "衰退期：最近一次下单距评估日 > 60 天（正好 60 天不算）": "最近一次下单正好 60 天前的客户，你把他算进了衰退期",
        "天数按日期相减（61 天前的某个时刻仍是 61 天）": "距评估日的天数按日期相减，不看几点",
        "活跃天数 60 天，不是默认的 90 天": "你用的还是默认的 90 天",
        "稳定期：累计 ≥ 3 笔（正好 3 笔也算）": "累计正好 3 笔的客户已经是稳定期（≥ 3 笔）",
        "稳定期数的是累计笔数，不是最近 60 天的笔数": "稳定期看的是累计订单数",
        "识别期：注册了还没下单（不是衰退期）": "从没下过单的客户在识别期，不是衰退期",
    }
    assert set(m) == set(expected)
    for boundary, start in expected.items():
        answer = m[boundary].answer()
        assert message("q1", answer).startswith(start)
        changed = [k for k in answer if answer[k] != str(ch12.q1_expected()[k])]
        assert 1 <= len(changed) <= 3                                          # 每条误读只改变界线上的客户


def test_q1_other_wrong_answers():
    want = {k: str(v) for k, v in ch12.q1_expected().items()}
    first = next(iter(want))
    flipped = {**want, first: "稳定期"}
    assert message("q1", flipped).startswith(f"{first} 应该在识别期，你写的是稳定期（他累计下过 0 笔）")
    assert message("q1", {k: want[k] for k in list(want)[1:]}).startswith(f"客户对不上：少了 {first}")
    assert message("q1", {**want, first: "成长期"}) == "“成长期”不是四个阶段之一：阶段只有识别期、发展期、稳定期、衰退期。"
    assert message("q1", list(want.values())).startswith("应该是每位客户对应一个阶段")
    stages = ch12._stages(ch12.Q1_RULE)
    assert message("q1", stages["stage"]).startswith(f"你给了 {len(stages)} 位客户的阶段：只要店长点名的这 7 位")
    assert message("q1", stages[["order_count"]]).startswith("你给的是一张表：请取出阶段那一列")


# ---------------------------------------------------------------------------
# q2 从稳定期滑到衰退期
# ---------------------------------------------------------------------------
def test_q2_stable_to_declining(shop12):
    h = stage_history(shop12.customers, shop12.orders, "2018-11-01", "2019-01-31")
    mask = (h["2018-11"] == "稳定期") & (h["2019-01"] == "衰退期")
    right("q2", h[mask])
    right("q2", list(h.index[mask]))
    n = int(mask.sum())
    back = h[(h["2018-11"] == "衰退期") & (h["2019-01"] == "稳定期")]
    assert message("q2", back).startswith("方向反了：你选的是 2018-11 月底在衰退期、2019-01 月底回到稳定期的客户")
    dec = h[(h["2018-11"] == "稳定期") & (h["2018-12"] == "衰退期")]
    assert message("q2", dec) == ("你看的是 2018-12 月底的阶段，题目要 2019-01 月底（两个月以后）已经在衰退期的人。"
                                  f"你选出了 {len(dec)} 位客户，正确答案是 {n} 位。")
    now = lifecycle_stages(shop12.customers, shop12.orders, shop12.today)["stage"].reindex(h.index)
    assert message("q2", h[(h["2018-11"] == "稳定期") & (now == "衰退期")]).startswith("你用的是今天（2019-02-16）的阶段")
    h60 = stage_history(shop12.customers, shop12.orders, "2018-11-01", "2019-01-31", LifecycleRule(active_days=60))
    assert message("q2", h60[(h60["2018-11"] == "稳定期") & (h60["2019-01"] == "衰退期")]).startswith(
        "你用的是第 1 题的 60 天规则")
    assert message("q2", list(h.index[mask])[:-1]).startswith(f"你选出了 {n - 1} 位客户，正确答案是 {n} 位。漏掉了 1 位")
    assert message("q2", n).startswith("应该是一个 DataFrame 或客户编号列表，你给的是 int")


def test_q2_mask_advice_names_the_history_table(shop12):
    h = stage_history(shop12.customers, shop12.orders, "2018-11-01", "2019-01-31")
    mask = (h["2018-11"] == "稳定期") & (h["2019-01"] == "衰退期")
    assert "请写成 history[条件]" in message("q2", mask)
    assert "summary[条件]" not in message("q2", mask)


# ---------------------------------------------------------------------------
# q3 下一次活动的窗口（探针）
# ---------------------------------------------------------------------------
def test_q3_window_on_the_probe():
    right("q3", (pd.Timestamp("2019-03-07 20:00"), pd.Timestamp("2019-03-09")))
    right("q3", ["2019-03-07 20:00:00", "2019-03-09 00:00:00"])                # 字符串、列表也行
    members, orders = ch12.q3_probe()
    assert set(members["group"]) == {"实验组", "对照组"}
    send, end = ch12.Q3_SEND, ch12.Q3_COUPON_END
    for t in (send, send - pd.Timedelta(seconds=1), send.normalize(), end, end + pd.Timedelta(seconds=1)):
        assert (orders["order_time"] == t).sum() == 1                         # 每条界线上都有一笔订单
    cases = {
        (send.normalize(), "2019-03-09"): "窗口要从短信发出的时刻（3 月 7 日 20:00）算起，不是发送当天 0 点",
        (send, end): "券到 23:59:59 还能用，而窗口不含结束时刻",
        (send, "2019-03-08"): "3 月 8 日是券的最后一天，这一整天下的单都要算",
        (send, "2019-03-10"): "3 月 9 日券已经失效，这一天下的单不算券有效期内",
        (send, "2019-03-08 20:00"): "窗口按券的截止时刻算，不是发送后 24 小时",
    }
    for window, start in cases.items():
        assert message("q3", window).startswith(start)
    assert message("q3", (send + pd.Timedelta(seconds=1), "2019-03-09")) == (
        "2019-03-07 20:00:00 下的单在券有效期里，你的窗口把它漏掉了：窗口从发送时刻 2019-03-07 20:00:00 开始，"
        "到券截止之后一秒为止（不含结束）。")
    assert message("q3", (send - pd.Timedelta(hours=1), "2019-03-09")) == "2019-03-07 19:59:59 下的单不该算：那时短信还没有发出。"
    assert message("q3", (send, "2019-03-09 00:00:01")) == "2019-03-09 00:00:00 下的单不该算：那时券已经失效。"


def test_q3_type_mistakes():
    assert message("q3", ("2019-03-09", "2019-03-07 20:00")).startswith("窗口的结束 2019-03-07 20:00:00 不晚于开始")
    assert message("q3", pd.Timestamp("2019-03-07 20:00")).startswith("应该是两个时刻组成的元组 (start, end)")
    assert message("q3", ("2019-03-07", "2019-03-08", "2019-03-09")).startswith("应该是两个时刻组成的元组")
    assert message("q3", ("三月七日", "2019-03-09")).startswith("看不懂你写的时刻")
    assert message("q3", (pd.NaT, "2019-03-09")).startswith("窗口的开始或结束是空值")
    assert message("q3", pd.DataFrame({"a": [1]})).startswith("你给的是统计出来的表")


# ---------------------------------------------------------------------------
# q4 券失效以后两周的增量销售额
# ---------------------------------------------------------------------------
def test_q4_boundary_days_have_orders_in_both_groups(shop12):
    """误读“第一天/最后一天漏掉、早一天、晚一天”能改变答案：这四天两组都有人下单。"""
    o = shop12.orders.merge(shop12.campaign_members[["customer_id", "group"]], on="customer_id")
    days = o["order_time"].dt.strftime("%Y-%m-%d")
    for day in ("2018-12-13", "2018-12-14", "2018-12-27", "2018-12-28"):
        assert set(o.loc[days == day, "group"]) == {"实验组", "对照组"}, day


def test_q4_incremental_after_coupon(shop12, window):
    start, end = pd.Timestamp("2018-12-14"), pd.Timestamp("2018-12-28")
    inc = _incremental(shop12, start, end)
    right("q4", inc)
    group, fen = _per_person(shop12, start, end)
    t, c = fen[group == "实验组"], fen[group == "对照组"]
    assert message("q4", t.sum() / 100).startswith("这是实验组在这两周的全部销售额，其中绝大部分不发短信也会有")
    assert message("q4", (t.sum() - c.sum()) / 100).startswith("两组人数相差很多")
    assert message("q4", round(t.mean() / 100, 2) - round(c.mean() / 100, 2)).startswith("这是每人相差多少")
    assert message("q4", round((t.mean() - c.mean()) * len(fen) / 100, 2)).startswith(
        "人均之差要乘以实验组人数（收到短信的人），不是整个名单")
    day = pd.Timedelta(days=1)
    assert message("q4", _incremental(shop12, start + day, end)).startswith("12 月 14 日是券失效后的第一天")
    assert message("q4", _incremental(shop12, start - day, end)).startswith("12 月 13 日券还有效")
    assert message("q4", _incremental(shop12, start, end - day)).startswith("12 月 27 日是这两周的最后一天")
    assert message("q4", _incremental(shop12, start, end + day)).startswith("12 月 28 日不在这两周里")
    assert message("q4", _incremental(shop12, window[0], end)).startswith("窗口从券失效（12 月 14 日 0 点）算起")
    assert message("q4", pd.Series([inc])).startswith("你给的是一个只有一个值的 Series")


# ---------------------------------------------------------------------------
# q5 短信缩短到 1 条时的活动 ROI（券前销售额配含券的成本）
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def roi_parts(shop12, window):
    c = shop12.campaigns.iloc[0]
    m = shop12.campaign_members
    treated = m[m["group"] == "实验组"]
    coupons = int(treated["coupon_order_id"].notna().sum())
    inc = _incremental(shop12, *window)
    group, fen = _per_person(shop12, *window)
    return {"inc": inc, "coupon": round(coupons * c["coupon_value"], 2), "sms1": round(len(treated) * c["sms_price"], 2),
            "sms_all": round(len(m) * c["sms_price"], 2), "issued": round(len(treated) * c["coupon_value"], 2),
            "all_sales": fen[group == "实验组"].sum() / 100}


def test_q5_roi_one_part(roi_parts):
    p = roi_parts
    gross, cost = p["inc"] + p["coupon"], p["sms1"] + p["coupon"]
    right("q5", (gross - cost) / cost)
    right("q5", round((gross - cost) / cost, 2))
    assert (gross - cost) == pytest.approx(p["inc"] - p["sms1"])                 # 加回的券和成本里的券抵消
    assert message("q5", (p["inc"] - cost) / cost).startswith(
        "订单金额记的是实付，券已经从里面扣掉了；你的成本里又算了一遍券面额，同一张券被算了两次")
    cost_all = p["sms_all"] + p["coupon"]
    assert message("q5", (gross - cost_all) / cost_all).startswith(
        "对照组的人没有收到短信，不花短信费：短信费只按实验组的人数算")
    assert message("q5", (p["all_sales"] + p["coupon"] - cost) / cost).startswith(
        "你把实验组在券有效期内的全部销售额都当成了短信带来的")
    assert message("q5", gross / cost).startswith("你算的是“销售额 ÷ 成本”（广告报表的投入产出比）")
    assert message("q5", (p["inc"] - p["sms1"]) / p["sms1"]).startswith("你用的是实付销售额配短信费：这样口径也一致")
    assert message("q5", (gross - p["sms1"]) / p["sms1"]).startswith("成本漏了券")
    cost_issued = p["sms1"] + p["issued"]
    assert message("q5", (gross - cost_issued) / cost_issued).startswith("券的成本只算用掉的券")
    cost2 = 2 * p["sms1"] + p["coupon"]
    assert message("q5", (gross - cost2) / cost2).startswith("这是原来每人 2 条计费短信时的 ROI")
    assert message("q5", True) == "应该是一个数，你给的是 True（真/假值）。"


def test_q5_messages_are_not_about_rounding(roi_parts):
    """以前“给整个名单发短信”被说成“提前四舍五入”：现在每种误读都说出自己的原因。"""
    p = roi_parts
    gross = p["inc"] + p["coupon"]
    cost_all = p["sms_all"] + p["coupon"]
    assert "四舍五入" not in message("q5", (gross - cost_all) / cost_all)


# ---------------------------------------------------------------------------
# q6 直通车合起来的 CPA
# ---------------------------------------------------------------------------
def test_q6_combined_cpa(shop12):
    ads = shop12.ads
    z = ads[ads["tool"] == "直通车"]
    assert len(z) == 4 and (z["orders"] == 0).sum() == 1                       # 有一个计划没有成交
    fen = (z["cost"] * 100).round().astype(int)
    cpa = round(fen.sum() / z["orders"].sum() / 100, 2)
    right("q6", cpa)
    right("q6", fen.sum() / z["orders"].sum() / 100)
    each = (z["cost"] / z["orders"].where(z["orders"] > 0)).round(2)
    assert message("q6", round(each.mean(), 2)).startswith("合并几个计划的 CPA，要先把花费、成交笔数各自加起来再相除")
    assert message("q6", round(each.fillna(0).mean(), 2)).startswith("没有成交的计划 CPA 算不出来，不能当成 0")
    sold = z[z["orders"] > 0]
    assert message("q6", round(sold["cost"].sum() / sold["orders"].sum(), 2)).startswith("没有成交的“羽绒服-新品测款”也花了钱")
    assert message("q6", round(z["cost"].sum() / z["clicks"].sum(), 2)).startswith("这是平均每次点击的花费")
    assert message("q6", round(ads["cost"].sum() / ads["orders"].sum(), 2)).startswith("你把 7 个推广计划都算上了")
    assert message("q6", z["orders"].sum() / z["cost"].sum()).startswith("除反了")
    assert message("q6", "直通车").startswith("应该是一个数")


def test_ad_metrics_sanity(shop12):
    """第 6 题的前提：恰好一条计划没有成交（CPA 为空值），它在直通车里。"""
    m = ad_metrics(shop12.ads)
    assert m["CPA（元/单）"].isna().sum() == 1
    assert shop12.ads.set_index("plan").loc[m.index[m["CPA（元/单）"].isna()][0], "tool"] == "直通车"


# ---------------------------------------------------------------------------
# q7 章节测试题、填数题
# ---------------------------------------------------------------------------
def test_q7_quiz_roi_formula():
    right("q7", "B")
    right("q7", "b")
    right("q7", "Ｂ")                                                         # 全角字母
    assert message("q7", "A").startswith("你选了 A。这是 50,000 ÷ 2,000，即广告报表“成交金额 ÷ 花费”的算法")
    assert message("q7", "D").startswith("你选了 D。48,000 元是增量销售额减去成本的差")
    assert message("q7", 24) == '请写选项的字母，例如 "A" 或 ["A", "C"]，你给的是 int。'


def test_quiz_numbers_match_independent_computations(shop12, window):
    st = lifecycle_stages(shop12.customers, shop12.orders, shop12.today)
    bought = st["order_count"] > 0
    stable = int((bought & (st["order_count"] >= 3) & (st["days_since_last"] <= 90)).sum())
    assert ch12.quiz_stable_customers() == stable
    group, fen = _per_person(shop12, *window)
    o = shop12.orders
    buyers = set(o.loc[(o["order_time"] >= window[0]) & (o["order_time"] < window[1]), "customer_id"])
    responded = group.index.isin(list(buyers))
    rates = pd.Series(responded, index=group.index).groupby(group).mean() * 100
    assert ch12.quiz_short_uplift() == pytest.approx(round(rates["实验组"] - rates["对照组"], 2), abs=0.006)


def test_members_had_no_orders_before_the_send_moment(shop12, window):
    """第 5 题不列“从发送当天 0 点算起”的原因：名单上的人在发送前一刻（双11 以来）都没有下单。"""
    o = shop12.orders[shop12.orders["customer_id"].isin(shop12.campaign_members["customer_id"])]
    assert not ((o["order_time"] >= "2018-11-11") & (o["order_time"] < window[0])).any()

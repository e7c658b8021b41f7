"""第 12 章的练习（q7 是章节测试第 2 题）：每道题一个对的答案、至少两个典型错误（各有自己的说明）、类型不对；
章节测试填数题的计算和课文的独立算法一致。没作答、参考答案全对、批改满分/零分由 tests/test_course.py 统一检查。"""
from __future__ import annotations

from functools import partial

import pandas as pd
import pytest

from helpers import load_shop
from helpers.effect import ad_metrics
from helpers.exercises import ch12
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


def test_chapter_has_seven_questions():
    assert [q.name for q in ch12.QUESTIONS] == ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]
    assert sum(q.points for q in ch12.QUESTIONS) == 13


def test_q1_declining_60_days(shop12):
    st = lifecycle_stages(shop12.customers, shop12.orders, shop12.today, LifecycleRule(active_days=60))
    bought = st["order_count"] > 0
    n = int((bought & (st["days_since_last"] > 60)).sum())       # 手写规则：下过单且 > 60 天
    assert n == int((st["stage"] == "衰退期").sum())
    right("q1", n)
    ge = int((bought & (st["days_since_last"] >= 60)).sum())
    assert ge > n                                                  # 正好 60 天的客户确实存在
    assert message("q1", ge).startswith("你把正好 60 天没下单的客户也算进了衰退期：规则是“距评估日 > 60 天”")
    assert message("q1", n + int((~bought).sum())).startswith("你把从没下过单的客户也算进了衰退期：他们处在识别期")
    st90 = lifecycle_stages(shop12.customers, shop12.orders, shop12.today)
    assert message("q1", int((st90["stage"] == "衰退期").sum())).startswith("你用的还是默认的 90 天")
    old = load_shop("xiayi")
    st_old = lifecycle_stages(old.customers, old.orders, old.today, LifecycleRule(active_days=60))
    assert message("q1", int((st_old["stage"] == "衰退期").sum())).startswith(
        "你用的是 load_shop(\"xiayi\") 默认的今天 2018-12-10")
    assert message("q1", "14036").startswith("你给的是文字")
    assert message("q1", st["stage"]).startswith("应该是一个数，你给的是有")


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
    assert message("q2", list(h.index[mask])[:-1]).startswith(f"你选出了 {n - 1} 位客户，正确答案是 {n} 位。漏掉了 1 位")
    assert message("q2", n).startswith("应该是一个 DataFrame 或客户编号列表，你给的是 int")
    assert message("q2", mask).startswith("你给的是一列 True/False")


def test_q3_control_rate(shop12, window):
    group, fen = _per_person(shop12, *window)
    o = shop12.orders
    buyers = set(o.loc[(o["order_time"] >= window[0]) & (o["order_time"] < window[1]), "customer_id"])
    control = group[group == "对照组"].index
    rate = sum(c in buyers for c in control) / len(control) * 100
    right("q3", rate)
    right("q3", round(rate, 2))
    end60 = window[0] + pd.Timedelta(days=60)
    buyers60 = set(o.loc[(o["order_time"] >= window[0]) & (o["order_time"] < end60), "customer_id"])
    assert message("q3", sum(c in buyers60 for c in control) / len(control) * 100).startswith("这是发送后 60 天的响应率")
    assert message("q3", sum(c in buyers for c in control) / len(group) * 100).startswith(
        "你把对照组的下单人数除以了全部名单人数")
    treated = group[group == "实验组"].index
    assert message("q3", sum(c in buyers for c in treated) / len(treated) * 100).startswith("这是实验组")
    assert message("q3", rate / 100).startswith("你写成了 0 到 1 之间的小数，这道题要百分数的数值")
    assert message("q3", [rate]) == "应该是一个数，你给的是 list（有 1 个元素）。"


def test_q4_incremental_7_days(shop12, window):
    start, end = window[0], window[0] + pd.Timedelta(days=7)
    group, fen = _per_person(shop12, start, end)
    t, c = fen[group == "实验组"], fen[group == "对照组"]
    inc = round((t.sum() - c.sum() * len(t) / len(c)) / 100, 2)  # （人均之差 × 实验组人数），元
    right("q4", inc)
    assert message("q4", t.sum() / 100).startswith("这是实验组的销售额合计")
    assert message("q4", (t.sum() - c.sum()) / 100).startswith("你直接用两组销售额合计相减")
    assert message("q4", round(t.mean() / 100, 2) - round(c.mean() / 100, 2)).startswith("这是人均销售额之差")
    g2, f2 = _per_person(shop12, *window)
    t2, c2 = f2[g2 == "实验组"], f2[g2 == "对照组"]
    assert message("q4", round((t2.sum() - c2.sum() * len(t2) / len(c2)) / 100, 2)).startswith("这是券有效期内")
    assert message("q4", pd.Series([inc])).startswith("你给的是一个只有一个值的 Series")


def test_q5_roi_one_part(shop12, window):
    c = shop12.campaigns.iloc[0]
    m = shop12.campaign_members
    treated = m[m["group"] == "实验组"]
    coupons = int(treated["coupon_order_id"].notna().sum())
    group, fen = _per_person(shop12, *window)
    t, ctl = fen[group == "实验组"], fen[group == "对照组"]
    inc = round((t.sum() - ctl.sum() * len(t) / len(ctl)) / 100, 2)
    sms = round(len(treated) * 1 * c["sms_price"], 2)
    cost = sms + coupons * c["coupon_value"]
    right("q5", (inc - cost) / cost)
    right("q5", round((inc - cost) / cost, 2))
    assert message("q5", (inc - sms) / sms).startswith("你的成本只算了短信费，忘了用掉的优惠券")
    assert message("q5", inc / cost).startswith("你算的是 增量销售额 ÷ 成本（广告报表的“投入产出比”）")
    cost2 = 2 * sms + coupons * c["coupon_value"]
    assert message("q5", (inc - cost2) / cost2).startswith("这是原来每人 2 条计费短信时的 ROI")
    assert message("q5", True) == "应该是一个数，你给的是 True（真/假值）。"


def test_q6_lowest_cpa(shop12):
    ads = shop12.ads.set_index("plan")
    with_orders = ads[ads["orders"] > 0]
    cpa = with_orders["cost"] / with_orders["orders"]
    best = cpa.idxmin()
    right("q6", best)
    right("q6", f" {best} ")                                     # 多余的空格不算错
    zero = ads.index[ads["orders"] == 0][0]
    assert message("q6", zero).startswith("这个计划一单都没有成交，CPA 算不出来（空值），不能当成 0")
    assert message("q6", cpa.idxmax()) == "这是 CPA 最高的计划：CPA 是每成交一单花的钱，越低越好。"
    cvr = (with_orders["orders"] / with_orders["clicks"]).idxmax()
    assert cvr != best
    assert message("q6", cvr).startswith("这是转化率 CVR 最高的计划")
    assert message("q6", "大衣").startswith("广告表里没有叫“大衣”的推广计划")
    assert message("q6", float(cpa.min())).startswith("应该是一个推广计划的名字（字符串")
    assert message("q6", [best]).startswith("你给的是只有一个元素的 list")


def test_q7_quiz_roi_formula():
    right("q7", "B")
    right("q7", "b")
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


def test_ad_metrics_sanity(shop12):
    """第 6 题的前提：恰好一条计划没有成交（CPA 为空值）。"""
    assert ad_metrics(shop12.ads)["CPA（元/单）"].isna().sum() == 1

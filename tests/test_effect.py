"""helpers.effect 的单元测试：小表上手算的期望值。"""
import math

import numpy as np
import pandas as pd
import pytest

from helpers.effect import (ad_metrics, campaign_cost, campaign_outcomes, campaign_roi, compare_shares,
                            daily_traffic, effect_over_time, order_profile, response_table, traffic_chart, uplift)

START = pd.Timestamp("2018-12-12 18:00:00")
END = pd.Timestamp("2018-12-14 00:00:00")
Z95 = 1.959964


@pytest.fixture
def members():
    return pd.DataFrame({"customer_id": ["T1", "T2", "T3", "C1", "C2"],
                         "group": ["实验组", "实验组", "实验组", "对照组", "对照组"]})


@pytest.fixture
def orders():
    return pd.DataFrame({
        "order_id": ["1", "2", "3", "4", "5", "6"],
        "customer_id": ["T1", "T1", "T2", "T3", "C1", "X"],
        "order_time": ["2018-12-12 18:00:00",        # 正好在开始时刻：算
                       "2018-12-13 23:59:59",        # 窗口最后一秒：算
                       "2018-12-14 00:00:00",        # 正好在结束时刻：不算
                       "2018-12-12 17:59:59",        # 开始前一秒：不算
                       "2018-12-13 10:00:00",
                       "2018-12-13 10:00:00"],       # X 不在名单上：不算
        "amount": [1.00, 1.01, 50.00, 9.00, 0.67, 999.00],
    })


def test_campaign_outcomes_window(members, orders):
    out = campaign_outcomes(members, orders, START, END)
    assert list(out.index) == ["T1", "T2", "T3", "C1", "C2"] and out.index.name == "customer_id"
    assert out["orders"].tolist() == [2, 0, 0, 1, 0]
    assert out["amount_fen"].tolist() == [201, 0, 0, 67, 0]
    assert out["responded"].tolist() == [True, False, False, True, False]
    assert out["group"].tolist() == members["group"].tolist()
    assert "X" not in out.index
    later = campaign_outcomes(members, orders, START, END + pd.Timedelta(seconds=1))
    assert later.loc["T2", "orders"] == 1                                 # 结束时刻往后挪 1 秒就算上了
    with pytest.raises(ValueError, match="不晚于开始"):
        campaign_outcomes(members, orders, END, START)


def test_members_checks_name_rows(members, orders):
    dup = members.copy()
    dup.loc[4, "customer_id"] = " T1 "                                    # 去掉空格后和第 0 行重复
    with pytest.raises(ValueError, match="customer_id 重复.*0、4"):
        campaign_outcomes(dup, orders, START, END)
    bad = members.copy()
    bad.loc[[1, 3], "group"] = ["实验", "control"]
    with pytest.raises(ValueError, match="实验组.*对照组.*1、3"):
        campaign_outcomes(bad, orders, START, END)
    with pytest.raises(ValueError, match="没有对照组"):
        campaign_outcomes(members[members["group"] == "实验组"], orders, START, END)
    with pytest.raises(ValueError, match="group"):
        campaign_outcomes(members[["customer_id"]], orders, START, END)
    with pytest.raises(ValueError, match="没有对照组"):
        effect_over_time(members.iloc[:3], orders, START, 2)


def test_response_table(members, orders):
    t = response_table(campaign_outcomes(members, orders, START, END))
    assert list(t.index) == ["实验组", "对照组"] and t.index.name == "组别"
    assert t["人数（人）"].tolist() == [3, 2]
    assert t["下单人数（人）"].tolist() == [1, 1]
    assert t["响应率（%）"].tolist() == [33.33, 50.0]
    assert t["销售额（元）"].tolist() == [2.01, 0.67]
    assert t["人均销售额（元）"].tolist() == [0.67, 0.34]                    # 67 / 2 = 33.5 分 → 0.34 元


def test_uplift_by_hand(members, orders):
    u = uplift(campaign_outcomes(members, orders, START, END))
    p1, p0, n1, n0 = 1 / 3, 1 / 2, 3, 2
    se = math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
    assert u["实验组人数（人）"] == 3 and u["对照组人数（人）"] == 2
    assert u["实验组响应率（%）"] == 33.33 and u["对照组响应率（%）"] == 50.0
    assert u["提升（百分点）"] == -16.67
    assert u["提升 95% 下限（百分点）"] == round((p1 - p0 - Z95 * se) * 100, 2)
    assert u["提升 95% 上限（百分点）"] == round((p1 - p0 + Z95 * se) * 100, 2)
    assert u["提升 95% 下限（百分点）"] == -104.12                              # −16.667 − 1.96 × 44.618
    assert u["提升 95% 上限（百分点）"] == 70.78
    assert u["增量下单人数（人）"] == -0.5
    # 增量 = 201 − 67 × 3 / 2 = 100.5 分，四舍五入到 1.01 元（用浮点数 round(1.005, 2) 会得到 1.0）
    assert u["增量销售额（元）"] == 1.01
    assert round(2.01 - 0.67 * 3 / 2, 2) == 1.0
    # 每人销售额（分）的样本方差：实验组 [201, 0, 0] → 13467，对照组 [67, 0] → 2244.5
    se_inc = math.sqrt(13467 / 3 + 2244.5 / 2) * 3
    assert u["增量销售额 95% 下限（元）"] == pytest.approx((100.5 - Z95 * se_inc) / 100, abs=0.006)
    assert u["增量销售额 95% 上限（元）"] == pytest.approx((100.5 + Z95 * se_inc) / 100, abs=0.006)
    assert u["增量销售额 95% 上限（元）"] == 5.41


def test_uplift_confidence_and_errors(members, orders):
    out = campaign_outcomes(members, orders, START, END)
    u90 = uplift(out, confidence=0.9)
    assert "提升 90% 下限（百分点）" in u90.index
    se = math.sqrt((1 / 3) * (2 / 3) / 3 + 0.25 / 2)
    assert u90["提升 90% 上限（百分点）"] == round((1 / 3 - 1 / 2 + 1.644854 * se) * 100, 2)
    for bad in (0, 1, 95):
        with pytest.raises(ValueError, match="confidence"):
            uplift(out, confidence=bad)
    with pytest.raises(ValueError, match="至少要有 1 个人"):
        uplift(out[out["group"] == "实验组"])


def test_campaign_cost_exact():
    c = campaign_cost(3, 0.045, 0, 30)
    assert c["短信费（元）"] == 0.14 and c["合计（元）"] == 0.14            # 0.135 四舍五入
    c = campaign_cost(5, 0.045, 3, 0.015)
    assert c.tolist() == [0.23, 0.05, 0.28]                             # 0.225、0.045 都是“五入”
    assert round(0.045 * 5, 2) == 0.22 and round(0.015 * 3, 2) == 0.04  # 浮点数直接 round 会少一分
    c = campaign_cost(8106 * 2, 0.05, 370, 30.0)
    assert c.tolist() == [810.60, 11100.00, 11910.60]
    assert c.index.tolist() == ["短信费（元）", "优惠券（元）", "合计（元）"]
    assert campaign_cost(np.int64(10), "0.1", np.int64(3), 0.1)["合计（元）"] == 1.30
    assert campaign_cost(0, 0.05, 0, 30)["合计（元）"] == 0.0


def test_campaign_cost_bad_inputs():
    for bad in (True, -1, 2.0, "3"):
        with pytest.raises(ValueError, match="sms_parts 应是(不小于 0 的整数|一个整数)"):
            campaign_cost(bad, 0.05, 1, 30)
    with pytest.raises(ValueError, match="coupons_used 应是不小于 0 的整数"):
        campaign_cost(1, 0.05, -3, 30)
    with pytest.raises(ValueError, match="不能是负数"):
        campaign_cost(1, -0.05, 1, 30)
    with pytest.raises(ValueError, match="不能是负数"):
        campaign_cost(1, 0.05, 1, -30)
    for bad in (None, "五分钱", float("nan"), float("inf")):
        with pytest.raises(ValueError, match="sms_price 应是一个金额数字"):
            campaign_cost(1, bad, 1, 30)


def test_campaign_roi():
    assert campaign_roi(391012.52, 11910.60) == 31.83                     # 379101.92 / 11910.60 = 31.829
    assert campaign_roi(3.25, 2) == 0.63                                  # 0.625 四舍五入（round(0.625, 2) 是 0.62）
    assert campaign_roi(100, 200) == -0.5
    for bad in (0, -1, 0.0):
        with pytest.raises(ValueError, match="成本应大于 0"):
            campaign_roi(10, bad)
    with pytest.raises(ValueError, match="cost 应是一个金额数字"):
        campaign_roi(10, float("nan"))


def test_roi_counts_each_coupon_once():
    """口径：实付的增量 100.00 元里已经扣掉了 2 张 10 元券，短信费 5.00 元。
    券前增量 120.00 配成本 25.00：(120 − 25) ÷ 25 = 3.80；
    实付增量配只有短信费的成本也一致，分子一样（95.00），只是分母不同：(100 − 5) ÷ 5 = 19.00；
    实付增量配含券的成本把券算了两次：(100 − 25) ÷ 25 = 3.00。"""
    cost = campaign_cost(100, 0.05, 2, 10)
    assert cost.tolist() == [5.00, 20.00, 25.00]
    assert campaign_roi(100.00 + 2 * 10, cost["合计（元）"]) == 3.80
    assert campaign_roi(100.00, cost["短信费（元）"]) == 19.00
    assert campaign_roi(100.00, cost["合计（元）"]) == 3.00
    # 课上的双12 数字：实付增量 391,012.52、370 张 30 元券、短信费 810.60
    assert campaign_roi(391012.52 + 370 * 30, 810.60 + 370 * 30) == 32.76        # 390201.92 / 11910.60 = 32.761
    assert campaign_roi(391012.52, 810.60) == 481.37


@pytest.fixture
def coupon_case():
    """T1 在第 1 天用券（实付 90.00）、第 2 天又买 20.00；T2 在第 3 天用券（实付 40.00）；C1 第 1 天买 30.00。"""
    members = pd.DataFrame({"customer_id": ["T1", "T2", "T3", "C1", "C2"],
                            "group": ["实验组", "实验组", "实验组", "对照组", "对照组"],
                            "coupon_order_id": ["1", "4", None, None, None]})
    orders = pd.DataFrame({"order_id": ["1", "2", "3", "4"], "customer_id": ["T1", "T1", "C1", "T2"],
                           "order_time": ["2018-12-12 19:00:00", "2018-12-13 20:00:00", "2018-12-13 10:00:00",
                                          "2018-12-14 19:00:00"],
                           "amount": [90.00, 20.00, 30.00, 40.00]})
    return members, orders


def test_effect_over_time_counts_coupons_used(coupon_case):
    members, orders = coupon_case
    t = effect_over_time(members, orders, START, days=3)
    assert t["累计增量销售额（元）"].tolist() == [45.00, 65.00, 105.00]        # (90/3 − 30/2) × 3 …
    assert t["累计用券（张）"].tolist() == [1, 1, 2]
    assert "累计用券（张）" not in effect_over_time(members.drop(columns="coupon_order_id"), orders, START, 3)
    with pytest.raises(ValueError, match="订单表却没有 order_id"):
        effect_over_time(members, orders.drop(columns="order_id"), START, days=3)


def test_effect_explorer_roi_adds_back_the_coupons_used(coupon_case):
    """成本 25.00（短信 5.00 + 2 张 10 元券）。第 2 天：实付增量 65.00 + 1 张券 = 75.00，ROI = 2.00；
    第 3 天：105.00 + 2 张券 = 125.00，ROI = 4.00。不给券面额时按实付算：(65 − 25) ÷ 25 = 1.60。"""
    from helpers.widgets.effect import EffectExplorer

    members, orders = coupon_case
    explorer = EffectExplorer(members, orders, START, cost=25.00, days=3, coupon_value=10)
    assert "前 2 天累计增量销售额 <b>65.00</b> 元；加回用掉的 1 张券 10.00 元，券前 75.00 元；" in explorer.result.value
    assert "ROI = <b>2.00</b>" in explorer.result.value
    explorer.days.value = 3
    assert "加回用掉的 2 张券 20.00 元，券前 125.00 元" in explorer.result.value
    assert "ROI = <b>4.00</b>" in explorer.result.value
    plain = EffectExplorer(members, orders, START, cost=25.00, days=3)
    assert "加回" not in plain.result.value and "ROI = <b>1.60</b>" in plain.result.value
    with pytest.raises(ValueError, match="券面额 coupon_value 应是不小于 0 的金额"):
        EffectExplorer(members, orders, START, cost=25.00, days=3, coupon_value=-1)


def test_effect_over_time(members):
    orders = pd.DataFrame({
        "customer_id": ["T1", "T1", "T1", "T2", "T3", "C1", "C2"],
        "order_time": ["2018-12-12 18:00:00",        # 第 1 天第一秒
                       "2018-12-13 17:59:59",        # 第 1 天最后一秒
                       "2018-12-13 18:00:00",        # 第 2 天
                       "2018-12-15 17:59:59",        # 第 3 天最后一秒
                       "2018-12-15 18:00:00",        # 第 4 天：不在 3 天里
                       "2018-12-13 20:00:00",        # 第 2 天
                       "2018-12-12 17:59:59"],       # 发送之前：不算
        "amount": [1.00, 1.01, 3.00, 6.00, 100.00, 0.68, 50.00],
    })
    t = effect_over_time(members, orders, START, days=3)
    assert list(t.index) == [1, 2, 3] and t.index.name == "第几天"
    assert t["实验组累计人均销售额（元）"].tolist() == [0.67, 1.67, 3.67]          # 201、501、1101 分 ÷ 3 人
    assert t["实验组累计下单率（%）"].tolist() == [33.33, 33.33, 66.67]           # T1 只算第一次
    assert t["对照组累计人均销售额（元）"].tolist() == [0.0, 0.34, 0.34]
    assert t["对照组累计下单率（%）"].tolist() == [0.0, 50.0, 50.0]
    assert t["累计增量销售额（元）"].tolist() == [2.01, 3.99, 9.99]               # 11.01 − 0.34 × 3 = 9.99
    # 和同一窗口的 uplift 一致
    for d in (1, 2, 3):
        u = uplift(campaign_outcomes(members, orders, START, START + pd.Timedelta(days=d)))
        assert u["增量销售额（元）"] == t.loc[d, "累计增量销售额（元）"]                # 都是四舍五入到分
    empty = effect_over_time(members, orders.iloc[:0], START, days=2)
    assert (empty.to_numpy() == 0).all()
    for bad in (0, True, 2.5, "60"):
        with pytest.raises(ValueError, match="days 应是(正整数|一个整数)"):
            effect_over_time(members, orders, START, days=bad)


@pytest.fixture
def events():
    return pd.DataFrame({
        "customer_id": ["A", "A", "A", "B", "B", "C", "D"],
        "event_time": pd.to_datetime(["2018-12-11 10:00:00", "2018-12-11 10:05:00", "2018-12-11 15:00:00",
                                      "2018-12-11 23:59:59", "2018-12-13 00:00:00", "2018-12-14 00:00:00",
                                      "2018-12-10 23:59:59"]),
        "event": ["浏览", "加购", "浏览", "浏览", "收藏", "浏览", "浏览"],
        "session_id": ["s1", "s1", "s2", "s3", "s4", "s5", "s6"],
    })


def test_daily_traffic(events):
    t = daily_traffic(events, "2018-12-11", "2018-12-13")
    assert list(t.index) == list(pd.date_range("2018-12-11", "2018-12-13")) and t.index.name == "日期"
    assert t["访客数（人）"].tolist() == [2, 0, 1]
    assert t["访问次数（次）"].tolist() == [3, 0, 1]
    assert t["浏览量（次）"].tolist() == [3, 0, 0]
    assert (t.dtypes == "int64").all()
    plain = daily_traffic(events.drop(columns="session_id"), "2018-12-11", "2018-12-11")
    assert list(plain.columns) == ["访客数（人）", "浏览量（次）"]
    assert daily_traffic(events, "2018-12-12", "2018-12-12").iloc[0].tolist() == [0, 0, 0]
    with pytest.raises(ValueError, match="早于开始日期"):
        daily_traffic(events, "2018-12-13", "2018-12-11")
    with pytest.raises(ValueError, match="行为事件表缺少必需的列"):
        daily_traffic(events.drop(columns="event"), "2018-12-11", "2018-12-13")


def test_compare_shares():
    values = pd.Series(["青年", "青年", "中年", "中年", "老年"], index=list("ABCDE"), name="年龄段")
    s = compare_shares(values, {"参与": ["A", "B", "C"], "全部": list("ABCDE")})
    assert list(s.columns) == ["参与", "全部"] and s.index.name == "年龄段"
    assert list(s.index) == ["青年", "中年", "老年"]                         # 按第一列从大到小
    assert s["参与"].tolist() == [66.7, 33.3, 0.0]
    assert s["全部"].tolist() == [40.0, 40.0, 20.0]
    cat = values.astype(pd.CategoricalDtype(["老年", "中年", "青年"], ordered=True))
    s = compare_shares(cat, {"参与": ["A", "B", "C"]})
    assert list(s.index) == ["老年", "中年", "青年"] and s["参与"].tolist() == [0.0, 33.3, 66.7]
    with pytest.raises(ValueError, match="人群“空”是空的"):
        compare_shares(values, {"空": []})


def test_order_profile():
    orders = pd.DataFrame({"order_id": ["1", "2", "3"], "customer_id": ["A", "B", "C"],
                           "order_time": ["2018-12-12", "2018-12-13", "2018-12-13"], "amount": [100.00, 0.01, 8.00]})
    items = pd.DataFrame({"order_id": ["1", "1", "2"], "product": ["衣", "帽", "衣"], "quantity": [2, 1, 1],
                          "amount": [90.00, 10.00, 0.01]})
    p = order_profile(orders, items, {"用券": ["1", "2"], "其他": [3]})
    assert list(p.index) == ["用券", "其他"] and p.index.name == "订单"
    assert p.loc["用券", "订单数（单）"] == 2 and p.loc["用券", "销售额（元）"] == 100.01
    assert p.loc["用券", "客单价（元）"] == 50.01                          # 10001 / 2 = 5000.5 分 → 50.01 元
    assert p.loc["用券", "每单件数（件）"] == 2.0                           # (3 + 1) / 2
    assert p.loc["其他", "每单件数（件）"] == 0.0 and p.loc["其他", "客单价（元）"] == 8.00
    with pytest.raises(ValueError, match="“其他”里有订单号在订单表中找不到：99"):
        order_profile(orders, items, {"用券": ["1"], "其他": ["3", "99"]})


@pytest.fixture
def ads():
    return pd.DataFrame({
        "plan": ["P1", "P2", "P3", "P4"],
        "impressions": [1000, 0, 300, 50],
        "clicks": [30, 0, 7, 5],
        "cost": [45.00, 0.00, 0.05, 2.00],
        "orders": [3, 0, 2, 0],
        "revenue": [300.00, 0.00, 0.10, 0.00],
    })


def test_ad_metrics_by_hand(ads):
    m = ad_metrics(ads)
    assert list(m.index) == ["P1", "P2", "P3", "P4"] and m.index.name == "推广计划"
    assert m.loc["P1"].tolist() == [1000, 30, 45.00, 3, 300.00, 3.0, 10.0, 15.00, 6.67]
    assert m.loc["P2", ["点击率 CTR（%）", "转化率 CVR（%）", "CPA（元/单）", "ROI（成交金额÷花费）"]].isna().all()
    assert m.loc["P3", "点击率 CTR（%）"] == 2.33 and m.loc["P3", "转化率 CVR（%）"] == 28.57
    assert m.loc["P3", "CPA（元/单）"] == 0.03                              # 5 分 ÷ 2 单 = 2.5 分，四舍五入
    assert m.loc["P3", "ROI（成交金额÷花费）"] == 2.0
    assert m.loc["P4", "转化率 CVR（%）"] == 0.0 and np.isnan(m.loc["P4", "CPA（元/单）"])
    assert m.loc["P4", "ROI（成交金额÷花费）"] == 0.0


def test_ad_metrics_errors(ads):
    bad = ads.copy()
    bad.loc[[0, 2], "clicks"] = [2000, 400]
    with pytest.raises(ValueError, match="点击多于展现.*0、2"):
        ad_metrics(bad)
    bad = ads.copy()
    bad.loc[3, "orders"] = 6
    with pytest.raises(ValueError, match="成交多于点击.*3"):
        ad_metrics(bad)
    bad = ads.copy()
    bad["impressions"] = bad["impressions"].astype(float)
    bad.loc[1, "impressions"] = 10.5
    with pytest.raises(ValueError, match="impressions 列应是不小于 0 的整数.*1"):
        ad_metrics(bad)
    bad = ads.copy()
    bad["orders"] = bad["orders"].astype(object)
    bad.loc[0, "orders"] = "三"
    with pytest.raises(ValueError, match="orders 列应是不小于 0 的整数.*0"):
        ad_metrics(bad)
    bad = ads.copy()
    bad.loc[2, "cost"] = -1
    with pytest.raises(ValueError, match="cost 列应是不小于 0 的金额.*2"):
        ad_metrics(bad)
    with pytest.raises(ValueError, match="广告表缺少必需的列：revenue"):
        ad_metrics(ads.drop(columns="revenue"))


def test_daily_traffic_parses_text_times_and_names_bad_rows():
    events = pd.DataFrame({"customer_id": ["A", "B", "A"],
                           "event_time": ["2018-12-12 18:05:00", "2018-12-12 23:59:59", "2018-12-13 00:00:00"],
                           "event": ["浏览", "加购", "浏览"]})
    out = daily_traffic(events, "2018-12-12", "2018-12-13")
    assert out["访客数（人）"].tolist() == [2, 1] and out["浏览量（次）"].tolist() == [1, 1]
    events.loc[1, "event_time"] = "2018-12-32 10:00:00"
    with pytest.raises(ValueError, match="event_time"):
        daily_traffic(events, "2018-12-12", "2018-12-13")


def test_compare_shares_refuses_ids_missing_from_the_attribute_table():
    values = pd.Series(["女", "男", "女"], index=pd.Index(["A", "B", "C"], name="customer_id"), name="gender")
    assert compare_shares(values, {"全部": ["A", "B", "C"]})["全部"].to_dict() == {"女": 66.7, "男": 33.3}
    with pytest.raises(ValueError, match="1 位客户在属性表里找不到.*Z"):
        compare_shares(values, {"回应者": ["A", "Z"]})


def test_traffic_chart_marks_the_send_day_and_names_the_time():
    traffic = pd.DataFrame({"访客数（人）": [3, 9, 4]}, index=pd.date_range("2018-12-11", periods=3, name="日期"))
    ax = traffic_chart(traffic, mark="2018-12-12 18:00").axes[0]
    line = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"][0]
    assert pd.Timestamp(line.get_xdata()[0]) == pd.Timestamp("2018-12-12")
    assert [t.get_text() for t in ax.texts] == ["短信发出（12-12 18:00）"]
    ax = traffic_chart(traffic, mark="2018-12-12", mark_label="活动日").axes[0]
    assert [t.get_text() for t in ax.texts] == ["活动日"]


def test_assign_groups_is_random_reproducible_and_rounds_the_holdout():
    from helpers.effect import assign_groups

    ids = [f"C{i:03d}" for i in range(25)]
    first = assign_groups(ids, holdout=0.1, seed=7)
    assert first["customer_id"].tolist() == sorted(ids)
    assert (first["group"] == "对照组").sum() == 3                 # 25 × 0.1 = 2.5，四舍五入为 3
    assert first.equals(assign_groups(list(reversed(ids)), holdout=0.1, seed=7))   # 同一批人、同一种子，分组一样
    assert not first.equals(assign_groups(ids, holdout=0.1, seed=8))
    assert (assign_groups(["A", "B"], holdout=0.01)["group"] == "对照组").sum() == 1   # 两组都至少 1 人
    outcomes = campaign_outcomes(first, pd.DataFrame(columns=["customer_id", "order_time", "amount"]),
                                 "2018-12-12", "2018-12-13")
    assert outcomes["group"].value_counts().to_dict() == {"实验组": 22, "对照组": 3}
    with pytest.raises(ValueError, match="重复的编号.*C001"):
        assign_groups(ids + ["C001"])
    with pytest.raises(ValueError, match="holdout 应在 0 和 1 之间"):
        assign_groups(ids, holdout=10)
    with pytest.raises(ValueError, match="只有 1 位"):
        assign_groups(["A"])

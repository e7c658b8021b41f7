"""helpers.audience 的单元测试：小表上手算的期望值（年龄段来自 helpers.labels，属性交叉小部件在 helpers.widgets.audience）。"""
import numpy as np
import pandas as pd
import pytest

from helpers.audience import (attribute_profile, audience_table, cohort_table, cross_attributes, interval_summary,
                              new_vs_returning, purchase_intervals, repeat_purchase_rate)
from helpers.labels import AGE_LABELS, NO_ORDER, NOT_REACHED, age_band
from helpers.widgets.audience import attribute_crosser


@pytest.fixture
def shop():
    customers = pd.DataFrame({
        "customer_id": ["A", "B", "C", "D"],
        "gender": ["女", "女", "男", "女"],
        "age": [24, 25, 30, 45],
        "province": ["上海", "浙江", "上海", "广东"],
        "city": ["上海", "杭州", "上海", "深圳"],
        "occupation": ["教师", "医生", "教师", "学生"],
    })
    orders = pd.DataFrame({
        "order_id": ["1", "2", "3", "4", "5", "6"],
        "customer_id": ["A", "A", "A", "B", "C", "A"],
        "order_time": ["2018-01-05 10:00:00", "2018-01-05 20:00:00", "2018-02-04 09:00:00",
                       "2018-02-10 12:00:00", "2018-03-01 08:00:00", "2018-12-11 08:00:00"],
        "amount": [60.00, 40.00, 500.00, 99.99, 100.00, 10.00],
    })
    return customers, orders


def test_age_band_edges():
    bands = age_band(pd.Series([0, 24, 25, 29, 30, 44, 45, 199]))
    assert bands.astype(str).tolist() == ["24 岁及以下", "24 岁及以下", "25–29 岁", "25–29 岁", "30–34 岁",
                                          "40–44 岁", "45 岁及以上", "45 岁及以上"]
    with pytest.raises(ValueError, match="超出分界"):
        age_band(pd.Series([-1]))
    with pytest.raises(ValueError, match="少一个"):
        age_band(pd.Series([30]), edges=(0, 30), labels=("a", "b"))


def test_audience_table(shop):
    t = audience_table(*shop, as_of="2018-12-10")           # 12-11 的订单不算
    assert t.loc["A", "order_count"] == 3 and t.loc["A", "total_amount"] == 600.00
    assert t["tier"].astype(str).tolist() == ["VIP会员", NOT_REACHED, "普通会员", NO_ORDER]   # 99.99 元没达到 100
    assert NOT_REACHED == "未达门槛（下过单）" and NO_ORDER == "未下单"
    assert list(t["age_band"].cat.categories) == list(AGE_LABELS)           # 和第 05 课的客户标签同一套年龄段
    assert t["buyer_type"].astype(str).tolist() == ["复购（2 单及以上）", "一次购买", "一次购买", "未下单"]
    assert t.loc["B", "age_band"] == "25–29 岁"


def test_repeat_rate(shop):
    t = audience_table(*shop, as_of="2018-12-10")
    assert repeat_purchase_rate(t) == pytest.approx(1 / 3)     # 买家 A、B、C，其中 A 复购；D 没下单不算
    with pytest.raises(ValueError, match="没有下过单"):
        repeat_purchase_rate(t[t["order_count"] == 0])


def test_attribute_profile(shop):
    t = audience_table(*shop, as_of="2018-12-10")
    p = attribute_profile(t, "省份")
    assert p.index.tolist() == ["上海", "广东", "浙江"] or p.index.tolist() == ["上海", "浙江", "广东"]
    assert p.loc["上海", "客户数（人）"] == 2 and p.loc["上海", "占比（%）"] == 50.0
    assert p.loc["上海", "复购率（%）"] == 50.0
    assert p.loc["上海", "订单总金额（元）"] == 700.00
    top = attribute_profile(t, "省份", top=1)
    assert top.index.tolist() == ["上海", "其他"] and top.loc["其他", "客户数（人）"] == 2
    b = attribute_profile(t, "性别", buyers_only=True)
    assert b.loc["女", "客户数（人）"] == 2
    tiers = attribute_profile(t, "会员等级")
    assert tiers.index.astype(str).tolist()[:2] == [NO_ORDER, NOT_REACHED]     # 按等级顺序，不按人数
    with pytest.raises(ValueError, match="可用的属性"):
        attribute_profile(t, "星座")


def test_new_vs_returning(shop):
    customers, orders = shop
    nr = new_vs_returning(orders, as_of="2018-12-10")
    assert list(nr.index) == [f"2018-{m:02d}" for m in range(1, 4)]
    assert nr["新买家（人）"].tolist() == [1, 1, 1]       # A 1 月、B 2 月、C 3 月
    assert nr["老买家（人）"].tolist() == [0, 1, 0]       # A 在 2 月回来
    assert nr.loc["2018-02", "老买家占比（%）"] == 50.0


def test_new_vs_returning_by_day():
    orders = pd.DataFrame({
        "order_id": ["1", "2", "3", "4", "5", "6"],
        "customer_id": ["X", "X", "Y", "Y", "Z", "Z"],
        "order_time": ["2018-11-01 09:00:00", "2018-11-11 00:00:00", "2018-11-11 08:00:00", "2018-11-11 22:00:00",
                       "2018-10-05 12:00:00", "2018-11-11 23:59:59"],
        "amount": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0],
    })
    daily = new_vs_returning(orders, freq="日")
    assert daily.index.name == "日期" and daily.index[0] == "2018-10-05" and len(daily) == 38   # 没有订单的日子也占一行
    # 11-11：X（11-01 来过）和 Z（10-05 来过）是老买家；Y 当天第一次来、下了两单，是一位新买家
    assert daily.loc["2018-11-11", ["新买家（人）", "老买家（人）"]].tolist() == [1, 2]
    assert daily.loc["2018-11-02", ["新买家（人）", "老买家（人）"]].tolist() == [0, 0]
    monthly = new_vs_returning(orders)                   # 按月时 X 是 11 月的新买家
    assert monthly.loc["2018-11", ["新买家（人）", "老买家（人）"]].tolist() == [2, 1]
    with pytest.raises(ValueError, match="freq"):
        new_vs_returning(orders, freq="周")


def test_purchase_intervals_use_order_days(shop):
    iv = purchase_intervals(shop[1], as_of="2018-12-11")
    # A：1-05 两笔算一个下单日，1-05 → 2-04 = 30 天，2-04 → 12-11 = 310 天
    assert iv["customer_id"].tolist() == ["A", "A"]
    assert iv["nth"].tolist() == [2, 3]
    assert iv["days"].tolist() == [30, 310]
    s = interval_summary(iv)
    assert s.loc["第 1→2 次", "中位数（天）"] == 30 and s.loc["全部", "间隔个数"] == 2
    assert s.loc["第 3 次以后", "间隔个数"] == 0


def test_cohort_table(shop):
    c = cohort_table(shop[1], as_of="2018-03-15", max_months=3)
    assert c["首单人数"].tolist() == [1, 1, 1]
    assert c.loc["2018-01", "第 1 月"] == 100.0           # A 2 月又来了
    assert c.loc["2018-01", "第 2 月"] == 0.0
    assert np.isnan(c.loc["2018-01", "第 3 月"])          # 4 月还没到
    assert np.isnan(c.loc["2018-03", "第 1 月"])


def test_cross_attributes(shop):
    t = audience_table(*shop, as_of="2018-12-10")
    n = cross_attributes(t, "性别", "省份")
    assert n.loc["女", "上海"] == 1 and n.loc["男", "上海"] == 1
    share = cross_attributes(t, "性别", "省份", "行占比")
    assert share.loc["女"].sum() == pytest.approx(100.0, abs=0.2)
    rep = cross_attributes(t, "省份", "性别", "复购率")
    assert rep.loc["上海", "女"] == 100.0 and rep.loc["上海", "男"] == 0.0
    with pytest.raises(ValueError, match="同一个属性"):
        cross_attributes(t, "性别", "性别")
    with pytest.raises(ValueError, match="measure"):
        cross_attributes(t, "性别", "省份", "销售额")


def test_crosser_widget_matches_function(shop):
    t = audience_table(*shop, as_of="2018-12-10")
    w = attribute_crosser(t, "性别", "职业")
    pd.testing.assert_frame_equal(w.result, cross_attributes(t, "性别", "职业"))
    w.measure.value = "复购率"
    pd.testing.assert_frame_equal(w.result, cross_attributes(t, "性别", "职业", "复购率"))
    w.column.value = "性别"
    assert "同一个属性" in w.view.value
    with pytest.raises(ValueError, match="measure"):
        attribute_crosser(t, "性别", "职业", "销售额")
    with pytest.raises(ValueError, match="属性表缺少"):
        attribute_crosser(t.drop(columns="city"))

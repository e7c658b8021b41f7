"""第 09、10 章的练习与章节测试：每道题一个对的答案、至少两个典型错误（各有自己的说明）、没作答、类型不对；
章节测试的每个选项都有讲解、填数题从数据现算。批量评分由 tests/test_course.py 按章节目录统一运行。"""
from __future__ import annotations


import pytest

from helpers.audience import (audience_table, cross_attributes, interval_summary, new_vs_returning,
                              purchase_intervals, repeat_purchase_rate)
from helpers.exercises import ch09, ch10
from helpers.operations import decompose_change, kpi_by_period, order_facts, traffic_funnel
from helpers.quiz import load_quiz
from conftest import check_answer as result, right_answer as right, wrong_message as message



@pytest.fixture(scope="module")
def facts(xiayi):
    return order_facts(xiayi.orders, xiayi.items, xiayi.products)


@pytest.fixture(scope="module")
def monthly(facts):
    return kpi_by_period(facts, "月", end="2018-11-30")


@pytest.fixture(scope="module")
def people(xiayi):
    return audience_table(xiayi.customers, xiayi.orders, xiayi.today)


# ---------------------------------------------------------------------------
# 第 09 章（独立算出正确答案，不借用题目模块里的函数）
# ---------------------------------------------------------------------------
def test_ch09_q1_aov(monthly):
    oct_ = monthly.loc["2018-10"]
    ok = round(oct_["销售额（元）"] / oct_["订单量（单）"], 2)
    assert right(ch09, "q1", ok).message == f"{ok} 元。"
    assert message(ch09, "q1", round(oct_["销售额（元）"] / oct_["买家数（人）"], 2)).startswith("你用销售额 ÷ 买家数算了")
    assert message(ch09, "q1", monthly.loc["2018-11", "客单价（元）"]).startswith("这是 2018 年 11 月的客单价")
    assert "偏" in message(ch09, "q1", ok * 2)
    assert message(ch09, "q1", "842") == "你给的是文字 “842”（带引号），请写成数 842，不要加引号。"


def test_ch09_q2_day_sales(xiayi):
    o = xiayi.orders
    day = o["order_time"].dt.normalize()
    ok = round(o.loc[day == "2018-11-11", "amount"].sum(), 2)
    right(ch09, "q2", ok)
    window = round(o.loc[(day >= "2018-11-01") & (day <= "2018-11-11"), "amount"].sum(), 2)
    assert message(ch09, "q2", window).startswith("这是 11 月 1 日到 11 日的合计")
    assert message(ch09, "q2", 0).startswith("你的答案是 0：order_time == \"2018-11-11\"")
    two = round(o.loc[(day >= "2018-11-11") & (day <= "2018-11-12"), "amount"].sum(), 2)
    assert message(ch09, "q2", two).startswith("你把 11 月 12 日也算进去了")


def test_ch09_q3_orders_part(monthly):
    jan, feb = monthly.loc["2018-01"], monthly.loc["2018-02"]
    a0 = jan["销售额（元）"] / jan["订单量（单）"]
    a1 = feb["销售额（元）"] / feb["订单量（单）"]
    dn = feb["订单量（单）"] - jan["订单量（单）"]
    ok = dn * (a0 + a1) / 2
    right(ch09, "q3", round(ok, 2))
    assert message(ch09, "q3", round(dn * a0, 2)).startswith("你用上个月的客单价做权重")
    assert message(ch09, "q3", round(dn * a1, 2)).startswith("你用这个月的客单价做权重")
    assert message(ch09, "q3", round(feb["销售额（元）"] - jan["销售额（元）"], 2)).startswith("这是销售额的总变化")


def test_ch09_q4_profit(xiayi, monthly):
    nov = xiayi.orders[xiayi.orders["order_time"].dt.strftime("%Y-%m") == "2018-11"]
    lines = xiayi.items[xiayi.items["order_id"].isin(nov["order_id"])].merge(xiayi.products, on="product")
    ok = round((lines["amount"] * lines["margin"]).sum(), 2)
    right(ch09, "q4", ok)                                            # 直接按行相乘也在 1 分误差内
    sales = monthly.loc["2018-11", "销售额（元）"]
    assert message(ch09, "q4", round(sales * xiayi.products["margin"].mean(), 2)).startswith("你用销售额 × 各商品毛利率的简单平均")
    listed = round((lines["price"] * lines["quantity"] * lines["margin"]).sum(), 2)
    assert message(ch09, "q4", listed).startswith("你用一口价（标价）× 数量算了")
    assert message(ch09, "q4", sales).startswith("这是 11 月的销售额，不是毛利")


def test_ch09_q5_cart_rate(xiayi):
    f = traffic_funnel(xiayi.events, "2018-06-01", "2018-06-18")
    right(ch09, "q5", f.loc["下单", "占上一步（%）"])
    ev = xiayi.events
    d = ev["event_time"].dt.normalize()
    part = ev[(d >= "2018-06-01") & (d <= "2018-06-18")]
    people = part.groupby("event")["customer_id"].nunique()
    flat = round(people["下单"] / people["加购"] * 100, 1)
    assert message(ch09, "q5", flat).startswith("你直接用“下单人数 ÷ 加购人数”")
    assert message(ch09, "q5", f.loc["下单", "占第一步（%）"]).startswith("这是占第一步（浏览）的比例")
    assert "1/100" in message(ch09, "q5", f.loc["下单", "占上一步（%）"] / 100)


def test_ch09_q6_quiz():
    right(ch09, "q6", "A")
    assert message(ch09, "q6", "B").startswith("你选了 B。毛利率只影响毛利的拆解")
    assert message(ch09, "q6", "D").startswith("你选了 D。两部分可以一正一负")


# ---------------------------------------------------------------------------
# 第 10 章
# ---------------------------------------------------------------------------
def test_ch10_q1_rate(people):
    crowd = people[people["occupation"].isin(["医生", "教师"])]
    buyers = crowd[crowd["order_count"] > 0]
    right(ch10, "q1", (buyers["order_count"] >= 2).mean())
    assert message(ch10, "q1", (crowd["order_count"] >= 2).mean()).startswith("你的分母是全部医生、教师客户")
    assert message(ch10, "q1", (buyers["order_count"] > 2).mean()).startswith("你用了 3 单及以上（> 2）")
    assert "100 倍" in message(ch10, "q1", (buyers["order_count"] >= 2).mean() * 100)


def test_ch10_q2_age(xiayi):
    age = xiayi.customers["age"]
    right(ch10, "q2", int(((age >= 30) & (age < 35)).sum()))
    assert message(ch10, "q2", int(((age > 30) & (age <= 35)).sum())).startswith("你用了“30 < 年龄 ≤ 35”")
    assert message(ch10, "q2", int(((age >= 30) & (age <= 35)).sum())).startswith("你把 35 岁也算进去了")
    buyers = xiayi.customers["customer_id"].isin(xiayi.orders["customer_id"])
    assert message(ch10, "q2", int(((age >= 30) & (age < 35) & buyers).sum())).startswith("你只数了下过单的客户")


def test_ch10_q3_returning(xiayi):
    o = xiayi.orders
    month = o["order_time"].dt.strftime("%Y-%m")
    first = o.groupby("customer_id")["order_time"].transform("min").dt.strftime("%Y-%m")
    nov = (month == "2018-11")
    ok = o.loc[nov & (first < "2018-11"), "customer_id"].nunique()
    right(ch10, "q3", ok)
    assert message(ch10, "q3", int((nov & (first < "2018-11")).sum())).startswith("你数的是老买家的订单笔数")
    assert message(ch10, "q3", int((o.loc[nov, "customer_id"].value_counts() >= 2).sum())).startswith(
        "你数的是 11 月当月下了 2 单及以上的人")
    assert message(ch10, "q3", o.loc[nov & (first == "2018-11"), "customer_id"].nunique()) == \
        f"这是 11 月的新买家人数。你的答案是 {o.loc[nov & (first == '2018-11'), 'customer_id'].nunique()} 人。"


def test_ch10_q4_interval(xiayi):
    iv = purchase_intervals(xiayi.orders, xiayi.today)
    right(ch10, "q4", iv.loc[iv["nth"] == 2, "days"].median())
    assert message(ch10, "q4", iv["days"].median()).startswith("你把所有相邻两次的间隔都算进去了")
    assert message(ch10, "q4", round(iv.loc[iv["nth"] == 2, "days"].mean(), 1)).startswith("这是平均数")
    assert interval_summary(iv).loc["第 1→2 次", "中位数（天）"] == iv.loc[iv["nth"] == 2, "days"].median()


def test_ch10_q5_shanghai(people):
    sh = people[people["province"] == "上海"]
    right(ch10, "q5", sh["age_band"].value_counts())
    right(ch10, "q5", cross_attributes(people, "省份", "年龄段").loc["上海"])
    assert message(ch10, "q5", sh.loc[sh["order_count"] > 0, "age_band"].value_counts()).startswith("你只数了下过单的客户")
    wrong = sh["age_band"].value_counts().to_dict()
    wrong[next(iter(wrong))] += 1
    assert "不对" in message(ch10, "q5", wrong) or "应是" in message(ch10, "q5", wrong)
    assert not result(ch10, "q5", 5).correct


def test_ch10_q6_quiz():
    right(ch10, "q6", "A")
    assert message(ch10, "q6", "B").startswith("你选了 B。同一天的几笔订单只算一个下单日")
    assert message(ch10, "q6", "C").startswith("你选了 C。这是从第一次到最后一次的总跨度")


# ---------------------------------------------------------------------------
# 章节测试
# ---------------------------------------------------------------------------
def test_quiz_numbers_match_independent_computations(xiayi, facts, people):
    monthly = kpi_by_period(facts, "月")
    assert load_quiz("09").item("q6").correct_answer() == monthly.loc["2018-11", "客单价（元）"]
    assert load_quiz("09").item("q7").correct_answer() == \
        traffic_funnel(xiayi.events, "2018-11-01", "2018-11-11").loc["下单", "占上一步（%）"]
    assert ch09.orders_part_2018_11() == decompose_change(kpi_by_period(facts, "月", end="2018-11-30")).loc[
        "2018-11", "订单量贡献（元）"]
    buyers = people[people["order_count"] > 0]
    assert load_quiz("10").item("q6").correct_answer() == pytest.approx((buyers["order_count"] >= 2).mean())
    assert load_quiz("10").item("q6").correct_answer() == repeat_purchase_rate(people)
    assert load_quiz("10").item("q7").correct_answer() == \
        new_vs_returning(xiayi.orders, xiayi.today).loc["2018-01", "新买家（人）"]

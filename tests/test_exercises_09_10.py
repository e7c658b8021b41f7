"""第 09、10 章的练习与章节测试：正确答案由测试自己从原始表独立算出；每条误读的答案得到它自己的反馈；
误读要改变答案所依赖的数据前提（边界上真的有订单、有客户）也在这里核对。
tests/test_course.py 另外逐条走一遍每道题的误读清单，批量评分也由它统一运行。"""
from __future__ import annotations

import pandas as pd
import pytest

from helpers.audience import (audience_table, cross_attributes, new_vs_returning, purchase_intervals,
                              repeat_purchase_rate)
from helpers.course.exercises import ch09, ch10
from helpers.operations import decompose_change, kpi_by_period, order_facts, traffic_funnel
from helpers.course.quiz import load_quiz
from conftest import check_answer as result, right_answer as right, wrong_message as message


@pytest.fixture(scope="module")
def facts(xiayi):
    return order_facts(xiayi.orders, xiayi.items, xiayi.products)


@pytest.fixture(scope="module")
def orders(xiayi):
    return xiayi.orders.assign(day=xiayi.orders["order_time"].dt.normalize())


@pytest.fixture(scope="module")
def people(xiayi):
    return audience_table(xiayi.customers, xiayi.orders, xiayi.today)


def _window(orders, start, end):
    return orders[(orders["day"] >= start) & (orders["day"] <= end)]


def _aov(part):
    return round(part["amount"].sum() / part["customer_id"].nunique(), 2)


# ---------------------------------------------------------------------------
# 第 09 章（独立算出正确答案，不借用题目模块里的函数）
# ---------------------------------------------------------------------------
def test_ch09_q1_aov_per_buyer(orders):
    part = _window(orders, "2017-11-01", "2017-11-11")
    # 前提：两端和后一天都有订单，有人在窗口里不止一天下单（否则“每天买家数相加”不改变答案）
    for day in ("2017-11-01", "2017-11-11", "2017-11-12"):
        assert (orders["day"] == day).any()
    assert (part.groupby("customer_id")["day"].nunique() > 1).any()
    ok = _aov(part)
    assert right(ch09, "q1", ok).message == f"{ok} 元。"
    per_order = round(part["amount"].sum() / len(part), 2)
    assert message(ch09, "q1", per_order).startswith("你用销售额 ÷ 订单量算了，那是平均订单价（笔单价）")
    daily_buyers = part.groupby("day")["customer_id"].nunique().sum()
    assert message(ch09, "q1", round(part["amount"].sum() / daily_buyers, 2)).startswith("你把每天的买家数加了起来")
    assert message(ch09, "q1", _aov(_window(orders, "2017-11-02", "2017-11-11"))).startswith("你漏掉了 11 月 1 日")
    assert message(ch09, "q1", _aov(_window(orders, "2017-11-01", "2017-11-10"))).startswith("你漏掉了 11 月 11 日当天")
    assert message(ch09, "q1", _aov(_window(orders, "2017-11-01", "2017-11-12"))).startswith("你把 11 月 12 日也算进去了")
    assert message(ch09, "q1", _aov(_window(orders, "2018-11-01", "2018-11-11"))).startswith("这是 2018 年双11 期间")
    assert message(ch09, "q1", "860") == "你给的是文字 “860”（带引号），请写成数 860，不要加引号。"


def test_ch09_q2_one_channel_one_day(orders):
    wireless = orders[orders["channel"] == "无线"]
    midnight = wireless[wireless["order_time"] == "2018-11-11 00:00:00"]
    assert len(midnight) == 1                                   # 前提：当天 0 点整有一笔无线订单
    day = wireless[wireless["day"] == "2018-11-11"]
    ok = round(day["amount"].sum(), 2)
    right(ch09, "q2", ok)
    after = round(day.loc[day["order_time"] > "2018-11-11", "amount"].sum(), 2)
    assert message(ch09, "q2", after).startswith("你漏掉了 11 月 11 日 0 点整下的单")
    assert message(ch09, "q2", round(midnight["amount"].sum(), 2)).startswith("你只算了 0 点整那一刻下的单")
    two = round(_window(wireless, "2018-11-11", "2018-11-12")["amount"].sum(), 2)
    assert message(ch09, "q2", two).startswith("你把 11 月 12 日的订单也算进去了")
    every = round(orders.loc[orders["day"] == "2018-11-11", "amount"].sum(), 2)
    assert message(ch09, "q2", every).startswith("这是当天全部渠道（PC 和无线）的销售额")
    pc = round(orders.loc[(orders["day"] == "2018-11-11") & (orders["channel"] == "PC"), "amount"].sum(), 2)
    assert message(ch09, "q2", pc).startswith("这是 PC 端的销售额")


def _month(orders, month):
    part = orders[orders["order_time"].dt.strftime("%Y-%m") == month]
    return part["amount"].sum(), part["customer_id"].nunique(), len(part)


def test_ch09_q3_year_on_year_buyers_part(orders):
    (s0, n0, k0), (s1, n1, k1) = _month(orders, "2017-11"), _month(orders, "2018-11")
    a0, a1 = s0 / n0, s1 / n1
    ok = (n1 - n0) * (a0 + a1) / 2
    expected = ch09.QUESTIONS[2].expected()
    assert abs(expected - ok) <= 0.011                          # 各部分先按分四舍五入，最多差 1 分
    right(ch09, "q3", expected)
    so, no, _ = _month(orders, "2018-10")
    mom = (n1 - no) * (so / no + a1) / 2
    assert message(ch09, "q3", round(mom, 2)).startswith("这是 2018 年 11 月比 10 月（环比）的买家数贡献")
    by_orders = (k1 - k0) * (s0 / k0 + s1 / k1) / 2
    assert message(ch09, "q3", round(by_orders, 2)).startswith("你按“订单量 × 平均订单价”拆了")
    assert message(ch09, "q3", round((n1 - n0) * a0, 2)).startswith("你用 2017 年 11 月的客单价做权重")
    assert message(ch09, "q3", round((n1 - n0) * a1, 2)).startswith("你用 2018 年 11 月的客单价做权重")
    assert message(ch09, "q3", round(s1 - s0, 2)).startswith("这是销售额的总变化")


def test_ch09_q4_profit(xiayi, orders):
    part = _window(orders, "2018-12-01", "2018-12-09")
    assert (orders["day"] == "2018-12-01").any() and (orders["day"] == "2018-12-09").any()
    assert not (orders["day"] == "2018-12-10").any()            # 今天没有订单：“含今天”不改变答案，不在清单里
    lines = xiayi.items[xiayi.items["order_id"].isin(part["order_id"])].merge(xiayi.products, on="product")
    right(ch09, "q4", round((lines["amount"] * lines["margin"]).sum(), 2))
    mean_margin = round(part["amount"].sum() * xiayi.products["margin"].mean(), 2)
    assert message(ch09, "q4", mean_margin).startswith("你用销售额 × 各商品毛利率的简单平均")
    listed = round((lines["price"] * lines["quantity"] * lines["margin"]).sum(), 2)
    assert message(ch09, "q4", listed).startswith("你用一口价（标价）× 数量算了")
    assert message(ch09, "q4", round(part["amount"].sum(), 2)).startswith("这是这段时间的销售额，不是毛利")
    later = lines[~lines["order_id"].isin(_window(orders, "2018-12-01", "2018-12-01")["order_id"])]
    assert message(ch09, "q4", round((later["amount"] * later["margin"]).sum(), 2)).startswith("你漏掉了 12 月 1 日")


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
    assert message(ch09, "q5", f.loc["加购", "占上一步（%）"]).startswith("这是“加购”这一步占浏览的比例")
    short = traffic_funnel(xiayi.events, "2018-06-01", "2018-06-17").loc["下单", "占上一步（%）"]
    assert message(ch09, "q5", short).startswith("你漏掉了 6 月 18 日当天")
    assert "1/100" in message(ch09, "q5", f.loc["下单", "占上一步（%）"] / 100)
    assert message(ch09, "q5", f"{f.loc['下单', '占上一步（%）']}%").startswith("你给的是文字")


def test_ch09_q6_quiz():
    right(ch09, "q6", "A")
    assert message(ch09, "q6", "B").startswith("你选了 B。毛利率只影响毛利的拆解")
    assert message(ch09, "q6", "D").startswith("你选了 D。两部分可以一正一负")


def test_ch09_quiz_aov_is_per_buyer_and_per_order_is_a_misreading():
    from helpers.course.quiz import check_quiz_answer

    assert check_quiz_answer("09", "q1", "A").correct                      # 60,000 ÷ 150 人
    assert "平均订单价（笔单价）" in check_quiz_answer("09", "q1", "B").message   # 60,000 ÷ 200 单


# ---------------------------------------------------------------------------
# 第 10 章
# ---------------------------------------------------------------------------
def test_ch10_q1_rate(people):
    crowd = people[people["occupation"].isin(["医生", "教师"])]
    buyers = crowd[crowd["order_count"] > 0]
    right(ch10, "q1", (buyers["order_count"] >= 2).mean())
    assert message(ch10, "q1", (crowd["order_count"] >= 2).mean()).startswith("你的分母是全部医生、教师客户")
    assert message(ch10, "q1", (buyers["order_count"] > 2).mean()).startswith("你用了 3 单及以上（> 2）")
    doctors = buyers[buyers["occupation"] == "医生"]
    assert message(ch10, "q1", (doctors["order_count"] >= 2).mean()).startswith("你只算了医生")
    assert message(ch10, "q1", repeat_purchase_rate(people)).startswith("这是全店的复购率")
    assert "100 倍" in message(ch10, "q1", (buyers["order_count"] >= 2).mean() * 100)


def test_ch10_q2_age_range(xiayi, people):
    age = xiayi.customers.set_index("customer_id")["age"]
    woman_buyer = (people["gender"] == "女") & (people["order_count"] > 0)
    assert ((age == 25) & woman_buyer).any() and ((age == 35) & woman_buyer).any()   # 前提：边界上有人
    right(ch10, "q2", int(((age >= 25) & (age < 35) & woman_buyer).sum()))
    assert message(ch10, "q2", int(((age > 25) & (age <= 35) & woman_buyer).sum())).startswith("你用了“25 < 年龄 ≤ 35”")
    assert message(ch10, "q2", int(((age >= 25) & (age <= 35) & woman_buyer).sum())).startswith("你把 35 岁也算进去了")
    assert message(ch10, "q2", int(((age > 25) & (age < 35) & woman_buyer).sum())).startswith("你把正好 25 岁的人漏掉了")
    women = people["gender"] == "女"
    assert message(ch10, "q2", int(((age >= 25) & (age < 35) & women).sum())).startswith("你把没下过单的女性客户也数进来了")
    assert message(ch10, "q2", int(((age >= 25) & (age < 35) & (people["order_count"] > 0)).sum())).startswith(
        "你把男性买家也数进来了")


def test_ch10_q3_returning_on_a_day(orders):
    first = orders.groupby("customer_id")["day"].transform("min")
    on_day = orders["day"] == "2018-11-11"
    ok = orders.loc[on_day & (first < "2018-11-11"), "customer_id"].nunique()
    right(ch10, "q3", ok)
    month_old = orders.loc[on_day & (first < "2018-11-01"), "customer_id"].nunique()
    assert month_old < ok                                      # 前提：有 11 月 1–10 日首单、11 日又来的人
    assert message(ch10, "q3", month_old).startswith("你用月份判断新老")
    assert message(ch10, "q3", int((on_day & (first < "2018-11-11")).sum())).startswith("你数的是老买家的订单笔数")
    everyone = orders.loc[on_day, "customer_id"].nunique()
    assert message(ch10, "q3", everyone).startswith("你把当天第一次来下单的新买家也算成了老买家")
    new = orders.loc[on_day & (first == "2018-11-11"), "customer_id"].nunique()
    assert message(ch10, "q3", new) == f"这是当天的新买家人数，题目问的是老买家。你的答案是 {new} 人。"


def test_ch10_q4_returned_within_30_days(xiayi):
    o = xiayi.orders.assign(day=xiayi.orders["order_time"].dt.normalize())
    days = o.drop_duplicates(["customer_id", "day"]).sort_values(["customer_id", "day"])
    nth = days.groupby("customer_id").cumcount() + 1
    gap = (days["day"] - days.groupby("customer_id")["day"].shift()).dt.days
    second = gap[nth == 2]
    assert (second == 30).any()                                # 前提：有正好隔 30 天回来的客户
    right(ch10, "q4", int((second <= 30).sum()))
    assert message(ch10, "q4", int((second < 30).sum())).startswith("你用了 < 30")
    assert message(ch10, "q4", int((gap <= 30).sum())).startswith("你数的是所有相邻两次之间不超过 30 天的间隔个数")
    iv = purchase_intervals(xiayi.orders, xiayi.today)
    assert (iv.loc[iv["nth"] == 2, "days"].to_numpy() == second.to_numpy()).all()
    ordered = xiayi.orders.sort_values(["customer_id", "order_time"])
    timed = ordered["order_time"] - ordered.groupby("customer_id")["order_time"].shift()
    is_second = ordered.groupby("customer_id").cumcount() == 1
    assert message(ch10, "q4", int((is_second & (timed <= pd.Timedelta(days=30))).sum())).startswith("你按下单时刻相减、再和 30 天比较")


def test_ch10_q5_zhejiang(people, xiayi):
    zj = people[people["province"] == "浙江"]
    right(ch10, "q5", zj["age_band"].value_counts())
    right(ch10, "q5", cross_attributes(people, "省份", "年龄段").loc["浙江"])
    assert message(ch10, "q5", zj.loc[zj["order_count"] > 0, "age_band"].value_counts()).startswith("你只数了下过单的客户")
    age = xiayi.customers.set_index("customer_id")["age"].reindex(zj.index)
    right_closed = pd.cut(age, bins=[0, 25, 30, 35, 40, 45, 200], labels=list(zj["age_band"].cat.categories),
                          right=True).value_counts()
    assert message(ch10, "q5", right_closed).startswith("你的年龄段右端是闭的")
    assert message(ch10, "q5", people["age_band"].value_counts()).startswith("这是全店客户的年龄构成")
    wrong = zj["age_band"].value_counts().to_dict()
    wrong[next(iter(wrong))] += 1
    assert "数目不对" in message(ch10, "q5", wrong)
    assert not result(ch10, "q5", 5).correct


def test_ch10_q6_quiz():
    right(ch10, "q6", "A")
    assert message(ch10, "q6", "B").startswith("你选了 B。同一天的几笔订单只算一个下单日")
    assert message(ch10, "q6", "C").startswith("你选了 C。这是从第一次到最后一次的总跨度")


# ---------------------------------------------------------------------------
# 章节测试
# ---------------------------------------------------------------------------
def test_quiz_numbers_match_independent_computations(xiayi, orders, people):
    sales, buyers, _ = _month(orders, "2018-11")
    assert load_quiz("09").item("q6").correct_answer() == round(sales / buyers, 2)    # 客单价按人算
    assert load_quiz("09").item("q7").correct_answer() == \
        traffic_funnel(xiayi.events, "2018-11-01", "2018-11-11").loc["下单", "占上一步（%）"]
    buyers_ = people[people["order_count"] > 0]
    assert load_quiz("10").item("q6").correct_answer() == pytest.approx((buyers_["order_count"] >= 2).mean())
    assert load_quiz("10").item("q7").correct_answer() == \
        new_vs_returning(xiayi.orders, xiayi.today).loc["2018-01", "新买家（人）"]


def test_monthly_kpis_used_by_the_questions_are_consistent(facts):
    monthly = kpi_by_period(facts, "月", end="2018-11-30")
    dec = decompose_change(monthly)
    fen = (dec.filter(like="（元）") * 100).round().astype("int64")
    assert (fen["客单价贡献（元）"] + fen["买家数贡献（元）"] == fen["销售额变化（元）"]).all()

"""第 11 章的练习与章节测试：正确答案由测试自己从原始表独立算出；每条误读的答案得到它自己的反馈；
误读要改变答案所依赖的数据前提也在这里核对。tests/test_course.py 另外逐条走一遍每道题的误读清单，
批量评分也由它统一运行。"""
from __future__ import annotations

from functools import partial

import pandas as pd
import pytest

from helpers.course.exercises import ch11
from helpers.products_analysis import abc_classes, product_pairs, product_sales, purchase_gaps
from helpers.course.quiz import check_quiz_answer, load_quiz
from conftest import right_answer, wrong_message

message = partial(wrong_message, ch11)
right = partial(right_answer, ch11)


@pytest.fixture(scope="module")
def lines(xiayi):
    return xiayi.items.merge(xiayi.orders.drop(columns="amount"), on="order_id")   # amount 是明细的实付金额


def _top(lines, mask, by="amount", n=5):
    chosen = lines[mask].groupby("product")[by].sum()
    return list(chosen.sort_values(ascending=False, kind="stable").index[:n])


def test_chapter_has_six_questions():
    assert [q.name for q in ch11.QUESTIONS] == ["q1", "q2", "q3", "q4", "q5", "q6"]


def test_q1_top5_of_a_month(lines):
    month = lines["order_time"].dt.strftime("%Y-%m")
    top = _top(lines, month == "2018-11")
    right("q1", top)
    right("q1", pd.Index(top))
    assert right("q1", top).message == f"销售额前 5 名：{'、'.join(top)}。"
    whole = _top(lines, month == month)
    assert whole != top and message("q1", whole).startswith("这是开店以来（截至今天）的销售额前 5 名")
    novembers = _top(lines, lines["order_time"].dt.month == 11)
    assert message("q1", novembers).startswith("你把 2017 年 11 月也算进去了")
    by_units = _top(lines, month == "2018-11", by="quantity")
    assert message("q1", by_units) == "你按销量（件数）排了名，题目要的是按销售额（元）排名。"
    assert message("q1", top[::-1]).startswith("商品对了，但顺序反了")
    assert message("q1", [top[1], top[0], *top[2:]]) == "5 种商品都对了，但顺序不对：请按销售额从高到低排。"
    assert message("q1", top[:3]) == "应该正好 5 个商品，你给了 3 个。可以用 .head(5) 取前 5 行。"
    assert message("q1", [*top[:4], "贝雷帽"]) == "有 1 种商品不在销售额前 5 名里：贝雷帽。"
    assert message("q1", 5).startswith("应该是 5 个商品名组成的列表")


def test_q2_abc_of_another_shop(health):
    sales = health.items.merge(health.orders.drop(columns="amount"), on="order_id").groupby("product")["amount"].sum()
    sales = sales.sort_values(ascending=False)
    before = sales.cumsum() - sales
    n_a = int((before / sales.sum() < 0.70).sum())
    right("q2", n_a)
    crossing = int((sales.cumsum() / sales.sum() <= 0.70).sum())
    assert crossing == n_a - 1                                 # 前提：有一个商品跨过 70%
    assert message("q2", crossing).startswith("你把跨过 70% 的那个商品算进了 B 类")
    assert message("q2", int((before / sales.sum() < 0.90).sum())).startswith("这是 A 类加 B 类的商品数")
    assert message("q2", "8").startswith("你给的是文字")


def test_q2_other_shop_message(xiayi):
    n = int((abc_classes(product_sales(xiayi.orders, xiayi.items, as_of=xiayi.today)["sales"])["abc"] == "A").sum())
    assert message("q2", n).startswith("这是夏艺女装的 A 类商品数")


def test_q3_confidence(xiayi, lines):
    a, b = "驼色羊毛大衣", "长款羊毛大衣"
    per_order = lines.groupby("order_id")["product"].agg(set)
    with_a = per_order[per_order.map(lambda s: a in s)]
    both = with_a.map(lambda s: b in s).sum()
    right("q3", both / len(with_a))
    with_b = per_order[per_order.map(lambda s: b in s)]
    assert message("q3", both / len(with_b)).startswith(f"方向反了：你算的是买了{b}的订单里也买了{a}的比例")
    assert message("q3", both / len(per_order)).startswith("这是支持度")
    pairs = product_pairs(xiayi.orders, xiayi.items, as_of=xiayi.today).set_index(["product", "also_bought"])
    assert message("q3", pairs.loc[(a, b), "lift"]).startswith("这是提升度")
    buyers_a = set(lines.loc[lines["product"] == a, "customer_id"])
    buyers_b = set(lines.loc[lines["product"] == b, "customer_id"])
    assert message("q3", len(buyers_a & buyers_b) / len(buyers_a)).startswith("你按客户算了")
    assert "把比例写成了百分数" in message("q3", both / len(with_a) * 100)


def test_q4_median_after_buying_one(health):
    gaps = purchase_gaps(health.orders, health.items, as_of=health.today)
    fish = gaps[gaps["product"] == "鱼油200粒装"]
    right("q4", fish.loc[fish["previous_quantity"] == 1, "gap_days"].median())
    assert message("q4", fish["gap_days"].median()).startswith("这是所有再买间隔的中位数")
    assert message("q4", fish.loc[fish["previous_quantity"] == 1, "gap_days"].mean()).startswith("这是间隔的平均数")
    assert message("q4", 65).startswith("这是商品表里写的典型复购周期")
    qty = health.items.set_index(["order_id", "product"])["quantity"]
    now = qty.reindex(pd.MultiIndex.from_arrays([fish["order_id"], fish["product"]])).to_numpy()
    assert message("q4", fish.loc[now == 1, "gap_days"].median()).startswith("你按“这一次买了 1 瓶”筛选了")


def test_q5_return_rate(xiayi, lines):
    ordered = xiayi.orders.sort_values(["customer_id", "order_time", "order_id"])
    first_order = set(ordered.drop_duplicates("customer_id")["order_id"])
    counts = xiayi.orders.groupby("customer_id").size()
    down = lines[lines["product"] == "白鸭绒羽绒服"]
    new = down.loc[down["order_id"].isin(first_order), "customer_id"].unique()
    right("q5", (counts[new] >= 2).mean())
    assert message("q5", len(new) / down["customer_id"].nunique()).startswith("这是新客占比")
    assert message("q5", (counts[new] >= 2).sum() / down["customer_id"].nunique()).startswith("你除以了全部买家")
    first_buy = down.groupby("customer_id")["order_time"].min()
    last = lines.groupby("customer_id")["order_time"].max()
    assert message("q5", (last[first_buy.index] > first_buy).mean()).startswith("你把“第一次买这件商品”当成了首单")
    assert message("q5", [0.5]) == "应该是一个数，你给的是 list（有 1 个元素）。"


def test_q6_quiz_lift_below_one_is_negative_association():
    right("q6", "B")
    assert "负相关" in check_quiz_answer("11", "q2", "B").message
    assert message("q6", "A").startswith("你选了 A。这是置信度的意思")
    assert message("q6", "C").startswith("你选了 C。这是支持度的意思")
    assert message("q6", 2) == '请写选项的字母，例如 "A" 或 ["A", "C"]，你给的是 int。'


# ---------------------------------------------------------------------------
# 章节测试
# ---------------------------------------------------------------------------
def test_quiz_numbers_match_independent_computations(xiayi, health, lines):
    quiz_ = load_quiz("11")
    sales = product_sales(xiayi.orders, xiayi.items, as_of=xiayi.today)
    assert quiz_.item("q6").correct_answer() == (abc_classes(sales["sales"])["abc"] == "A").sum()
    first = lines.sort_values(["order_time", "order_id"]).groupby("customer_id")["order_id"].transform("first")
    cocoon = lines[lines["product"] == "茧型毛呢外套"]
    share = cocoon.loc[cocoon["order_id"] == first[cocoon.index], "customer_id"].nunique() / cocoon["customer_id"].nunique()
    assert quiz_.item("q7").correct_answer() == pytest.approx(share)
    gaps = purchase_gaps(health.orders, health.items, as_of=health.today)
    assert quiz_.item("q8").correct_answer() == gaps.loc[gaps["product"] == "蜂胶胶囊120粒装", "gap_days"].median()

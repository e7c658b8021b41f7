"""第 11 章的练习与章节测试：每道题一个对的答案、至少两个典型错误（各有自己的说明）、没作答、类型不对；
章节测试的每个选项都有讲解、填数题从数据现算；课文末尾的章节测试；以及一次批改：
参考答案满分、生成的练习本 0 分（2 本笔记本，2 并行，每本最多 60 秒）。"""
from __future__ import annotations

from functools import partial


import pandas as pd
import pytest

from helpers.exercises import ch11
from helpers.products_analysis import (abc_classes, new_vs_old, product_pairs, product_sales, purchase_gaps,
                                       repurchase_cycles)
from helpers.quiz import load_quiz
from conftest import right_answer, wrong_message

message = partial(wrong_message, ch11)
right = partial(right_answer, ch11)



@pytest.fixture(scope="module")
def sales(xiayi):
    return product_sales(xiayi.orders, xiayi.items, as_of=xiayi.today)


def test_chapter_has_six_questions():
    assert [q.name for q in ch11.QUESTIONS] == ["q1", "q2", "q3", "q4", "q5", "q6"]


def test_q1_top5(sales):
    top = list(sales.index[:5])
    right("q1", top)
    right("q1", sales.head(5))                                   # 直接交表也行
    right("q1", pd.Index(top))
    by_units = sales.sort_values(["units", "sales"], ascending=False)
    assert message("q1", list(by_units.index[:5])) == "你按销量（件数）排了名，题目要的是按销售额（元）排名。"
    assert message("q1", top[::-1]) == "商品对了，但顺序反了：第 1 名应该是销售额最高的商品（从高到低排）。"
    assert message("q1", [top[1], top[0], *top[2:]]) == "五种商品都对了，但顺序不对：请按销售额从高到低排。"
    assert message("q1", top[:3]) == "应该正好 5 个商品，你给了 3 个。可以用 .head(5) 取前 5 行。"
    assert message("q1", [*top[:4], "贝雷帽"]) == "有 1 种商品不在销售额前 5 名里：贝雷帽。"
    assert message("q1", 5).startswith("应该是 5 个商品名组成的列表")


def test_q2_abc_edges(sales):
    table = abc_classes(sales["sales"], edges=(0.80, 0.95))
    n = int((table["abc"] == "A").sum())
    right("q2", n)
    old = int((abc_classes(sales["sales"])["abc"] == "A").sum())
    assert message("q2", old) == f"你用的还是课堂上的 70%/90% 边界，这道题要把 A 类边界改成 80%。你的答案是 {old} 种。"
    strict = int((table["cum_share"] <= 0.80).sum())
    assert strict == n - 1                                       # 跨过 80% 的那个商品
    assert message("q2", strict).startswith("你把跨过 80% 的那个商品算进了 B 类")
    assert message("q2", int((table["abc"] != "C").sum())).startswith("这是 A 类加 B 类的商品数")
    assert message("q2", "16").startswith("你给的是文字")


def test_q3_confidence(xiayi):
    pairs = product_pairs(xiayi.orders, xiayi.items, as_of=xiayi.today)
    lines = pairs.set_index(["product", "also_bought"])
    row = lines.loc[("水波纹羊绒大衣", "羊绒大衣")]
    # 手算：一起买的订单数 ÷ 含水波纹羊绒大衣的订单数
    assert row["confidence"] == row["orders_together"] / row["orders_with_product"]
    right("q3", row["confidence"])
    back = lines.loc[("羊绒大衣", "水波纹羊绒大衣"), "confidence"]
    assert message("q3", back).startswith("方向反了：你算的是买了羊绒大衣的订单里也买了水波纹羊绒大衣的比例")
    assert message("q3", row["support"]).startswith("这是支持度")
    assert message("q3", row["lift"]).startswith("这是提升度")
    assert message("q3", row["confidence"] * 100).startswith("你写成了百分数")


def test_q4_median_days(health):
    gaps = purchase_gaps(health.orders, health.items, as_of=health.today)
    fish = gaps[gaps["product"] == "鱼油200粒装"]
    right("q4", fish["gap_days"].median())
    assert message("q4", fish["gap_days"].mean()).startswith("这是间隔的平均数")
    assert message("q4", 65).startswith("这是商品表里写的典型复购周期")
    per_unit = repurchase_cycles(health.orders, health.items, as_of=health.today).loc["鱼油200粒装",
                                                                                      "median_days_per_unit"]
    assert message("q4", per_unit).startswith("你把间隔除以了上一次买的件数")


def test_q5_return_rate(xiayi):
    nv = new_vs_old(xiayi.orders, xiayi.items, as_of=xiayi.today).loc["羊毛围巾"]
    right("q5", nv["returned"] / nv["new_buyers"])
    assert message("q5", nv["new_share"]).startswith("这是新客占比")
    assert message("q5", nv["returned"] / nv["buyers"]).startswith("你除以了全部买家")
    assert message("q5", [0.26]) == "应该是一个数，你给的是 list（有 1 个元素）。"


def test_q6_quiz():
    right("q6", "B")
    assert message("q6", "A").startswith("你选了 A。这是置信度的意思")
    assert message("q6", "C").startswith("你选了 C。这是支持度的意思")
    assert message("q6", 2) == '请写选项的字母，例如 "A" 或 ["A", "C"]，你给的是 int。'


# ---------------------------------------------------------------------------
# 章节测试
# ---------------------------------------------------------------------------
def test_quiz_numbers_match_independent_computations(xiayi, health, sales):
    quiz_ = load_quiz("11")
    assert quiz_.item("q6").correct_answer() == (abc_classes(sales["sales"])["abc"] == "A").sum()
    lines = xiayi.items.merge(xiayi.orders, on="order_id")
    first = lines.sort_values(["order_time", "order_id"]).groupby("customer_id")["order_id"].transform("first")
    cocoon = lines[lines["product"] == "茧型毛呢外套"]
    share = cocoon.loc[cocoon["order_id"] == first[cocoon.index], "customer_id"].nunique() / cocoon["customer_id"].nunique()
    assert quiz_.item("q7").correct_answer() == pytest.approx(share)
    gaps = purchase_gaps(health.orders, health.items, as_of=health.today)
    assert quiz_.item("q8").correct_answer() == gaps.loc[gaps["product"] == "蜂胶胶囊120粒装", "gap_days"].median()

import pandas as pd
import pytest

from helpers import Segment, customer_summary, normalize_region
from conftest import make_orders

ORDERS = make_orders([
    ("A", "2015-03-01 00:00:00", 200.00), ("A", "2015-04-01 10:00:00", 200.00),  # 2 单，平均 200.00
    ("B", "2015-02-28 23:59:59", 300.00), ("B", "2015-01-01 10:00:00", 99.99),   # 2 单，平均 199.995
    ("C", "2015-04-20 10:00:00", 150.00), ("C", "2015-04-21 10:00:00", 150.00),
    ("C", "2015-04-22 10:00:00", 150.01),                                       # 3 单，平均 150.0033
    ("D", "2015-04-30 10:00:00", 500.00),
])
ITEMS = pd.DataFrame({
    "order_id": ["1", "2", "3", "4", "5", "6", "7", "8"],
    "product": ["新生儿枕头", "幼儿连体衣", "幼儿连体衣", "袜子", "袜子", "袜子", "袜子", "新生儿枕头"],
    "quantity": [1, 1, 2, 1, 1, 1, 1, 4],
})
PRODUCTS = pd.DataFrame({"product": ["新生儿枕头", "幼儿连体衣", "袜子"],
                         "title": ["婴儿定型枕新生儿枕头", "纯棉幼儿连体衣爬服", "宝宝袜子"]})


@pytest.fixture
def summary(customers):
    return customer_summary(ORDERS, ITEMS, customers, as_of="2015-05-01", products=PRODUCTS)


def ids(seg, summary):
    return sorted(seg.select(summary).index)


def test_min_orders_is_inclusive(summary):
    assert ids(Segment("x", min_orders=2), summary) == ["A", "B", "C"]
    assert ids(Segment("x", min_orders=3), summary) == ["C"]


def test_avg_order_value_boundary_exact_to_the_fen(summary):
    # A: 400.00 / 2 = 200.00 正好达到；B: 399.99 / 2 = 199.995 差半分，不达标
    assert ids(Segment("x", min_avg_order_value=200), summary) == ["A", "D"]
    assert ids(Segment("x", min_avg_order_value=199.99), summary) == ["A", "B", "D"]
    # 平均 150.0033 ≥ 150 但 < 150.01
    assert "C" in ids(Segment("x", min_avg_order_value=150), summary)
    assert "C" not in ids(Segment("x", min_avg_order_value=150.01), summary)


def test_total_amount_and_items(summary):
    assert ids(Segment("x", min_total_amount=450.01), summary) == ["C", "D"]
    assert ids(Segment("x", min_total_amount=450.02), summary) == ["D"]
    assert ids(Segment("x", min_items=4), summary) == ["D"]
    assert ids(Segment("x", min_items=3), summary) == ["B", "C", "D"]


def test_last_order_after_includes_the_day(summary):
    # A 最后一单 2015-04-01；B 最后一单 2015-02-28 23:59:59
    assert ids(Segment("x", last_order_after="2015-03-01"), summary) == ["A", "C", "D"]
    assert ids(Segment("x", last_order_after="2015-02-28"), summary) == ["A", "B", "C", "D"]
    assert ids(Segment("x", last_order_after="2015-04-02"), summary) == ["C", "D"]


def test_attributes(summary):
    assert ids(Segment("x", gender="女"), summary) == ["A", "C", "D"]
    assert ids(Segment("x", gender="男性"), summary) == ["B"]
    assert ids(Segment("x", min_points=1), summary) == ["A", "C", "D"]
    assert ids(Segment("x", occupations=["医生", "教师"]), summary) == ["A", "B", "D"]


def test_regions_match_province_or_city_with_suffixes(summary):
    assert ids(Segment("x", regions=["上海市"]), summary) == ["A", "C"]
    assert ids(Segment("x", regions=["杭州市", "广东省"]), summary) == ["B", "D"]
    assert normalize_region("广西壮族自治区") == "广西"
    assert normalize_region("香港特别行政区") == "香港"


def test_products_by_short_name_or_title(summary):
    assert ids(Segment("x", products=["新生儿枕头"]), summary) == ["A", "D"]
    assert ids(Segment("x", products=["纯棉幼儿连体衣爬服"]), summary) == ["A", "B"]
    assert ids(Segment("x", products=["新生儿枕头", "幼儿连体衣"]), summary) == ["A", "B", "D"]


def test_rules_combine_with_and_and_funnel_counts(summary):
    seg = Segment("母亲节", "母亲节促销", min_orders=2, min_avg_order_value=200,
                  last_order_after="2015-03-01", gender="女", products=["新生儿枕头"], regions=["上海"])
    assert ids(seg, summary) == ["A"]
    funnel = seg.funnel(summary)
    assert funnel["剩余客户数"].tolist() == [4, 3, 1, 1, 1, 1, 1]
    assert funnel["本步去掉"].tolist() == [0, 1, 2, 0, 0, 0, 0]
    assert funnel["表单分区"].tolist() == ["全部客户", "购买行为", "购买行为", "客户属性", "客户属性", "商品范围", "所属地区"]


def test_describe_reads_like_the_crm_form():
    seg = Segment("母亲节", "母亲节促销", regions=["上海市"], min_orders=2, last_order_after="2015-03-01")
    assert seg.describe() == ("母亲节（母亲节促销）：订单总数 ≥ 2 笔，且最后下单时间在 2015-03-01 当天或之后，"
                              "且所属地区为“上海”。")
    many = Segment("x", products=["A", "B"], occupations=["医生"])
    assert many.describe() == "x：职业为“医生”，且买过“A、B”中的任一个。"
    assert Segment("全部").describe() == "全部：不加任何条件（全部客户）。"


def test_no_rules_selects_everyone(summary):
    assert len(Segment("全部").select(summary)) == len(summary)


def test_typo_in_region_or_product_suggests_closest(summary):
    with pytest.raises(ValueError, match="'上梅'.*最接近的名称：上海"):
        Segment("x", regions=["上梅"]).select(summary)
    with pytest.raises(ValueError, match="'新生儿忱头'.*新生儿枕头"):
        Segment("x", products=["新生儿忱头"]).select(summary)
    with pytest.raises(ValueError, match="'医师'"):
        Segment("x", occupations=["医师"]).funnel(summary)


@pytest.mark.parametrize("rules, message", [
    (dict(min_order=2), "不认识的分组规则：min_order.*min_orders"),
    (dict(min_orders=-1), "min_orders（订单总数）应是不小于 0 的数字"),
    (dict(min_orders="2"), "min_orders（订单总数）应是不小于 0 的数字"),
    (dict(gender="female"), "gender（性别）只能是 \"女\" 或 \"男\""),
    (dict(订单总数=2), "“订单总数”的参数名是 min_orders"),
    (dict(regions=5), "regions（所属地区）应是一个名称或名称的列表，例如 regions=\\[\"上海\", \"浙江\"\\]"),
    (dict(last_order_after="2015-02-30"), "last_order_after 不是有效的日期"),
    (dict(regions=[]), "regions 是空列表"),
])
def test_bad_rules_get_chinese_errors(rules, message):
    with pytest.raises(ValueError, match=message):
        Segment("x", **rules)


def test_product_rule_needs_items(customers):
    summary = customer_summary(ORDERS, customers=customers, as_of="2015-05-01")
    with pytest.raises(ValueError, match="需要汇总表里的 products 列"):
        Segment("x", products=["袜子"]).select(summary)


def test_segment_equality_and_repr():
    a = Segment("x", regions="上海市", min_orders=2)
    assert a == Segment("x", min_orders=2, regions=["上海"])
    assert repr(a) == "Segment('x', min_orders=2, regions=['上海'])"


def test_products_rule_on_a_hand_made_summary_with_python_sets(summary):
    # 学生自己拼的汇总表：products 每格是 Python 集合，规则照样能用
    own = summary.assign(products=[set(p) for p in summary["products"]]).astype({"products": object})
    assert ids(Segment("x", products=["新生儿枕头"]), own) == ["A", "D"]

"""一条分组规则只声明一次：检查、掩码、说明、漏斗、表单、SQL 都从 segments.RULES 来。

这里在测试里临时“加一条规则”（往 RULES 里加一行声明），看它是不是在每个地方都出现，
证明加规则不需要改别的地方。SQL 和 pandas 的结果相等另见 tests/test_sql*.py。
"""
import dataclasses

import pandas as pd
import pytest

import helpers.segment_rules as S
from helpers import Segment, load_shop
from helpers.segment_rules import RULE_BY_KEY, RULES, AtLeast, find_rule, rule_table


@pytest.fixture
def extra_rule(monkeypatch):
    """临时多一条规则：最近一次下单距今天数 ≤ ……的反面——“距今天数 ≥ v 天”（沉睡客户）。"""
    rule = AtLeast("min_recency_days", "购买行为", "距上次下单天数", ("recency_days",), unit="天", example=(180,),
                   words=("沉睡天数",))
    rules = RULES + (rule,)
    monkeypatch.setattr(S, "RULES", rules)
    monkeypatch.setattr(S, "RULE_BY_KEY", {r.key: r for r in rules})
    monkeypatch.setattr(S, "RULE_NAMES", tuple(r.key for r in rules))
    return rule


def test_a_new_rule_is_one_declaration(extra_rule):
    summary = load_shop("a_kids").summary()
    seg = Segment("沉睡", min_recency_days=200)
    want = summary[summary["recency_days"] >= 200]
    assert seg.select(summary).index.equals(want.index)
    assert "距上次下单天数 ≥ 200 天" in seg.describe()
    assert seg.funnel(summary)["条件"].tolist()[-1] == "距上次下单天数 ≥ 200 天"
    assert "s.recency_days >= 200  -- 距上次下单天数 ≥ 200 天" in seg.to_sql()
    assert find_rule("沉睡天数") == "min_recency_days"
    assert "min_recency_days" in rule_table()["参数"].tolist()
    with pytest.raises(ValueError, match="min_recency_days（距上次下单天数）应是不小于 0 的数字"):
        Segment("x", min_recency_days="很久")
    from helpers.widgets.segment import SegmentBuilder
    builder = SegmentBuilder(summary, seg)
    assert builder.controls["min_recency_days"].description == "距上次下单天数 ≥"
    assert f"{len(want):,} 位" in builder.count.value


def test_rule_table_lists_every_rule_with_its_form_label():
    table = rule_table()
    assert table["参数"].tolist() == [r.key for r in RULES]
    assert table["表单上的写法"].tolist() == [r.form_label for r in RULES]
    for example in table["例子"]:                      # 每个例子都是能运行的代码
        assert isinstance(eval(example, {"Segment": Segment}), Segment)


@pytest.mark.parametrize("text, key", [
    ("所属地区为“上海”", "regions"), ("订单总金额 ≥ 200 元", "min_total_amount"), ("订单总数", "min_orders"),
    ("客单价", "min_avg_order_value"), ("买过“新生儿枕头”", "products"), ("min_points", "min_points"),
    ("天气", None),
])
def test_find_rule_reads_labels_and_other_words(text, key):
    assert find_rule(text) == key


def test_every_rule_describes_masks_and_renders_sql_from_its_declaration():
    shop = load_shop("health")
    summary = shop.summary()
    values = {"min_orders": 2, "min_total_amount": 300, "min_avg_order_value": 150, "min_items": 3,
              "gender": "女", "last_order_after": "2016-01-01", "min_points": 50,
              "occupations": [summary["occupation"].dropna().iloc[0]], "products": [shop.products["product"].iloc[0]],
              "regions": [summary["province"].dropna().iloc[0]]}
    assert set(values) == set(RULE_BY_KEY)
    for key, value in values.items():
        rule, seg = RULE_BY_KEY[key], Segment("一条", **{key: value})
        assert seg.describe() == f"一条：{rule.text(getattr(seg, key))}。"
        chosen = seg.select(summary)
        assert len(chosen) == int(rule.mask(getattr(seg, key), summary).sum())
        assert rule.sql(getattr(seg, key), {}) in seg.to_sql()


def test_purchases_are_exploded_once_per_column_and_never_stale():
    """分组表单每次刷新都要“买过哪些商品”：同一列只展开一次；列换了（哪怕是副本）就重新展开。"""
    from helpers.segment_rules import purchases

    summary = load_shop("a_kids").summary()
    first = purchases(summary)
    assert purchases(summary) is first                          # 同一列：直接用记住的结果
    product = summary["products"].explode().dropna().iloc[0]
    before = Segment("买过", products=[product]).select(summary)
    changed = summary.copy()
    changed["products"] = changed["products"].map(lambda items: [p for p in items if p != product],
                                                  na_action="ignore").astype(summary["products"].dtype)
    assert purchases(changed) is not first
    with pytest.raises(ValueError, match="不存在"):             # 新的列里没人买过它了：不会用旧结果
        Segment("买过", products=[product]).select(changed)
    assert len(before) > 0 and purchases(summary) is first

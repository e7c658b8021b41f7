"""小部件与它旁边的普通函数给出同样的结果；填错时显示中文提示而不是抛出异常。"""
import pandas as pd
import pytest

from helpers import Segment, TEXTBOOK_VIP_TIERS, customer_summary, rfm_score, vip_tier
from helpers.sms import plan_sms
from helpers.widgets import rfm_explorer, segment_builder, sms_composer, vip_editor
from conftest import make_orders

ORDERS = make_orders([
    ("A", "2018-11-20", 250.00), ("A", "2018-10-01", 250.00), ("A", "2018-06-01", 1800.00),
    ("B", "2018-12-01", 99.99), ("C", "2018-03-01", 520.00), ("C", "2018-04-01", 20.00),
    ("D", "2017-01-01", 3000.00),
])
ITEMS = pd.DataFrame({"order_id": [str(i) for i in range(1, 8)],
                      "product": ["大衣", "围巾", "大衣", "围巾", "风衣", "围巾", "大衣"], "quantity": [1] * 7})


@pytest.fixture
def summary(customers):
    customers = customers.assign(nickname=["小雨", None, "阿琳", "dd"], sms_opt_out=[False, False, False, True])
    return customer_summary(ORDERS, ITEMS, customers, as_of="2018-12-10")


def test_segment_builder_matches_segment(summary):
    builder = segment_builder(summary, Segment("测试", min_orders=2))
    assert "2 位" in builder.count.value      # A（3 单）、C（2 单）；D 只有 1 单
    builder.min_orders.value = "3"
    assert "1 位" in builder.count.value
    builder.gender.value = "男"
    expected = Segment("测试", min_orders=3, gender="男").select(summary)
    assert f"{len(expected)} 位" in builder.count.value
    builder.gender.value = ""
    builder.regions.value = ("上海",)
    builder.products.value = ("风衣",)
    seg = builder.save()
    assert seg == Segment("测试", min_orders=3, products=["风衣"], regions=["上海"])
    assert builder.saved is seg and "已保存" in builder.message.value


def test_segment_builder_bad_input_shows_chinese_message(summary):
    builder = segment_builder(summary)
    builder.min_orders.value = "两"
    assert "应填数字" in builder.message.value
    builder.min_orders.value = "1.5"
    assert "应填整数" in builder.message.value
    builder.min_orders.value = ""
    builder.last_order_after.value = "2018-02-30"
    assert "不是有效的日期" in builder.message.value
    assert builder.save() is None


def test_sms_composer_matches_plan(summary):
    audience = summary[summary["order_count"] > 0]
    comp = sms_composer(audience, "夏艺女装", "{昵称}您好，新款大衣到店", price=0.05)
    plan = plan_sms(audience, "{昵称}您好，新款大衣到店", "夏艺女装", 0.05)
    assert comp.plan.recipients == plan.recipients == 2     # D 已退订、C 没有手机号
    assert plan.excluded == {"已退订": 1, "没有手机号": 1}
    # B 没有昵称：用“亲”称呼
    assert plan.messages["text"].tolist() == ["【夏艺女装】小雨您好，新款大衣到店回T退订",
                                              "【夏艺女装】亲您好，新款大衣到店回T退订"]
    assert plan.messages["phone"].tolist() == ["138****5678", "139****0000"]
    assert "计费 <b>2</b> 条" in comp.stats.value and "0.10</b> 元" in comp.stats.value
    comp.text.value = "好" * 60          # 加签名和退订后 60 + 6 + 4 = 70 字：1 条
    assert comp.plan.messages["parts"].tolist() == [1, 1]
    comp.text.value = "好" * 61          # 71 字：2 条
    assert comp.plan.messages["parts"].tolist() == [2, 2] and comp.plan.cost == 0.20
    comp.text.value = "{券面额}元券"
    assert "无法填写" in comp.stats.value


def test_plan_sms_never_contacts_opted_out(summary):
    plan = plan_sms(summary, "上新啦", "店", 0.045)
    assert not summary.loc[plan.messages.index, "sms_opt_out"].any()
    assert plan.messages["phone"].str.contains(r"\*\*\*\*").all()
    assert plan.total_parts == 2 and plan.cost == 0.09          # 2 × 0.045 元
    assert plan_sms(summary, "上新啦", "店", 0.045).summary()["总费用（元）"] == 0.09
    three = plan_sms(summary.assign(sms_opt_out=False, phone="13800000000"), "上新啦", "店", 0.045)
    assert three.total_parts == 4 and three.cost == 0.18


def test_vip_editor_matches_vip_tier(summary):
    editor = vip_editor(summary)
    pd.testing.assert_series_equal(editor.tiers, vip_tier(summary, TEXTBOOK_VIP_TIERS))
    assert "VIP1 普通会员" in editor.rules.value
    editor.rows[0][1].value = 50.0
    editor.rows[0][2].value = 1
    assert editor.tiers.loc["B"] == "普通会员"
    editor.rows[1][1].value = 10.0       # 高级会员门槛低于普通会员
    assert "逐级不降低" in editor.chart.value


def test_rfm_explorer_matches_rfm_score():
    explorer = rfm_explorer(ORDERS, "2018-12-10")
    pd.testing.assert_frame_equal(explorer.result, rfm_score(ORDERS, "2018-12-10"))
    explorer.weight_cells[0].value = 2
    expected = rfm_score(ORDERS, "2018-12-10", weights=(2, 3, 4))
    pd.testing.assert_series_equal(explorer.result["score"], expected["score"], check_dtype=False)
    explorer.table_cells[4][0].value = 24    # 评估期改为 24 个月：D 也进来
    assert "D" in explorer.result.index
    explorer.table_cells[0][0].value = 5     # 5 分的月数大于 4 分：提示
    assert "从小到大" in explorer.chart.value


def test_segment_form_is_built_from_the_rule_declarations(summary):
    """表单的控件、标签和分区都来自 segments.RULES：每条规则一个控件，标签就是声明里的写法。"""
    from helpers.segment_rules import RULES

    builder = segment_builder(summary)
    assert list(builder.controls) == [rule.key for rule in RULES]
    for rule in RULES:
        assert builder.controls[rule.key].description == rule.form_label
    headers = [w.value for w in builder.widget.children[0].children if isinstance(getattr(w, "value", None), str) and w.value.startswith("<b>")]
    assert headers == ["<b>基本信息</b>"] + [f"<b>{s}</b>" for s in dict.fromkeys(r.section for r in RULES)]

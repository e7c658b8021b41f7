"""店铺会员与客户标签（手算的小例子）：helpers.labels（客户标签、人群洞察）、helpers.membership（领卡规则）、
helpers.giftpack（新会员礼包）、helpers.vip（等级表、会员卡）、helpers.followup（首购回购）、
helpers.rfm.customer_layers（级外客户）。"""
import pandas as pd
import pytest
from matplotlib.figure import Figure

from helpers import TEXTBOOK_VIP_TIERS, VipTier, customer_summary, rfm_score
from helpers.followup import (first_order_cohort, first_purchase_followup, monthly_sales,
                              first_order_return_rates)
from helpers.giftpack import Coupon, GiftPack, GiftPackRules, check_gift_pack
from helpers.labels import NO_ORDER, NOT_REACHED, crowd_insight, crowd_metrics, customer_labels, label_lift, label_rates
from helpers.membership import MEMBER_STATUSES, membership_status, tier_reached_date
from helpers.rfm import customer_layers
from helpers.vip import CARD_COLORS, membership_card, membership_cards, tier_table, vip_tier_label
from helpers.widgets.giftpack import gift_pack_editor
from conftest import make_orders

TODAY = "2018-12-10"


def people(ids, **cols):
    base = {"customer_id": ids, "gender": ["女"] * len(ids), "age": [30] * len(ids),
            "occupation": ["教师"] * len(ids), "province": ["上海"] * len(ids), "city": ["上海"] * len(ids)}
    base.update(cols)
    return pd.DataFrame(base)


def events(rows):
    return pd.DataFrame(rows, columns=["customer_id", "event_time", "event", "product"]).assign(
        event_time=lambda d: pd.to_datetime(d["event_time"], format="ISO8601"))


# ---------------------------------------------------------------- 客户标签
def test_labels_bands_and_windows():
    customers = people(["A", "B", "C", "D"], age=[24, 25, 39, 40])
    orders = make_orders([
        ("A", "2018-11-10 09:00:00", 100),                                   # 距 12-10 恰好 30 天
        ("B", "2018-11-09 09:00:00", 100), ("B", "2018-01-01 09:00:00", 50),  # 31 天，2 单
        ("C", "2018-12-10 10:00:00", 100),                                   # “今天”当天：不算
    ])
    ev = events([("A", "2018-11-10 00:00:00", "浏览", "风衣"),   # as_of − 30 天的零点：算
                 ("B", "2018-11-09 23:59:59", "加购", "风衣"),   # 早一秒：不算
                 ("C", "2018-12-10 08:00:00", "收藏", "风衣"),   # 当天：不算
                 ("D", "2018-12-09 23:00:00", "收藏", "风衣")])
    labels = customer_labels(customers, orders, ev, as_of=TODAY, recent_days=30)
    assert labels["age_band"].astype(str).tolist() == ["24 岁及以下", "25–29 岁", "35–39 岁", "40–44 岁"]
    assert labels.loc["A", "recency_band"] == "30 天内"
    assert labels.loc["B", "recency_band"] == "31–90 天"
    assert labels.loc["C", "recency_band"] == NO_ORDER == "未下单"     # 没下过单：两个标签用同一个名字
    assert labels["order_band"].astype(str).tolist() == ["1 单", "2 单", NO_ORDER, NO_ORDER]
    assert labels["repurchaser"].tolist() == [False, True, False, False]
    assert labels["browsed"].tolist() == [True, False, False, False]
    assert labels["carted"].tolist() == [False, False, False, False]
    assert labels["favourited"].tolist() == [False, False, False, True]


def test_labels_need_date_and_columns():
    with pytest.raises(ValueError, match="as_of"):
        customer_labels(people(["A"]), make_orders([("A", "2018-01-01", 1)]))
    with pytest.raises(ValueError, match="客户表缺少必需的列：age"):
        customer_labels(people(["A"]).drop(columns="age"), make_orders([("A", "2018-01-01", 1)]), as_of=TODAY)
    with pytest.raises(ValueError, match="recent_days"):
        customer_labels(people(["A"]), make_orders([("A", "2018-01-01", 1)]), as_of=TODAY, recent_days=0)


def test_label_lift_by_hand():
    ids = [f"C{i:02d}" for i in range(8)]
    labels = pd.DataFrame({"gender": ["女"] * 4 + ["男"] * 4,
                           "carted": [True, True, False, False, True, True, False, False]}, index=ids)
    y = pd.Series([1, 1, 0, 0, 1, 0, 0, 0], index=ids).astype(bool)
    lift = label_lift(labels, y, min_size=1)
    # 性别：女 2/4 = 50%，男 1/4 = 25% → 差 25 个百分点；加购：是 3/4 = 75%，否 0/4 = 0% → 差 75
    assert lift.index.tolist() == ["近 30 天加购过", "性别"]
    assert lift.loc["近 30 天加购过", ["最低比例（%）", "最高比例（%）", "差距（百分点）"]].tolist() == [0.0, 75.0, 75.0]
    assert lift.loc["近 30 天加购过", "最高的取值"] == "是"
    assert lift.loc["性别", "差距（百分点）"] == 25.0
    assert label_lift(labels, y, min_size=5).empty  # 每组只有 4 人，全被过滤掉
    rates = label_rates(labels, y, "gender")
    assert rates.loc["女", "比例（%）"] == 50.0 and rates.loc["男", "客户数（位）"] == 4
    with pytest.raises(ValueError, match="找不到"):
        label_lift(labels, y.iloc[:3])


# ---------------------------------------------------------------- 领卡规则
def test_tier_reached_date_cumulative_and_strict():
    orders = make_orders([
        ("A", "2018-03-01 10:00:00", 60.00), ("A", "2018-03-05 10:00:00", 40.00),   # 3-05 累计恰好 100.00
        ("B", "2018-02-01", 10), ("B", "2018-02-02", 10), ("B", "2018-02-03", 10),  # 第 3 笔时达到
        ("C", "2018-01-01", 99.99),                                                  # 永远差 1 分
        ("D", "2018-12-11", 500.00),                                                 # as_of 之后：不算
    ])
    reached = tier_reached_date(orders, as_of=TODAY)
    assert reached.to_dict() == {"A": pd.Timestamp("2018-03-05"), "B": pd.Timestamp("2018-02-03")}
    strict = tier_reached_date(orders, as_of=TODAY, strict=True)
    assert strict.empty  # 恰好 100 元、恰好 3 笔都不“大于”


def test_membership_status_every_case():
    orders = make_orders([
        ("A", "2017-12-31 23:00:00", 150),  # 生效日前一天达到 → 自动入会
        ("B", "2018-01-01 00:10:00", 150),  # 生效日当天达到，领了卡
        ("C", "2018-05-01", 150),           # 达到但卡在 as_of 之后才领 → 仍是潜在会员
        ("D", "2018-05-01", 150),           # 达到、没领卡
        ("E", "2018-05-01", 50),            # 没达到
    ])
    customers = pd.DataFrame({"customer_id": list("ABCDEF"),
                              "card_claimed_date": pd.to_datetime([None, "2018-01-02", "2018-12-11", None, None, None])})
    status = membership_status(orders, customers, as_of=TODAY)
    assert status["status"].astype(str).tolist() == ["规则前自动入会", "已领卡会员", "潜在会员", "潜在会员",
                                                     "未达门槛（下过单）", "未下单"]
    assert status["is_member"].tolist() == [True, True, False, False, False, False]
    assert pd.isna(status.loc["C", "card_claimed_date"])
    assert list(status["status"].cat.categories) == list(MEMBER_STATUSES)
    later_rule = membership_status(orders, customers, as_of=TODAY, rule_change="2018-06-01")
    assert later_rule.loc["D", "status"] == "规则前自动入会"


def test_membership_status_textbook_example_and_errors():
    tiers = [VipTier("普通会员", 100, 3), VipTier("高级会员", 500, 10)]
    orders = make_orders([("买家B", "2018-03-01", 105.00)])
    before = membership_status(orders, pd.DataFrame({"customer_id": ["买家B"], "card_claimed_date": [pd.NaT]}),
                               as_of="2018-03-02", tiers=tiers, strict=True)
    assert before.loc["买家B", "status"] == "潜在会员"
    with pytest.raises(ValueError, match="card_claimed_date"):
        membership_status(orders, pd.DataFrame({"customer_id": ["买家B"]}), as_of=TODAY)


def test_tier_table_sums_in_fen():
    orders = make_orders([("A", "2018-01-01", 0.10), ("A", "2018-01-02", 0.20), ("A", "2018-01-03", 99.70),
                          ("B", "2018-01-01", 2000.00), ("C", "2018-01-01", 50.00)])
    summary = customer_summary(orders, customers=pd.DataFrame({"customer_id": list("ABCD")}), as_of=TODAY)
    table = tier_table(summary)
    assert table["客户数（位）"].to_dict() == {"普通会员": 1, "高级会员": 0, "VIP会员": 0, "至尊VIP": 1,
                                          "未达门槛（下过单）": 1}
    assert table.loc["普通会员", "订单总金额（元）"] == 100.00
    assert table["金额占比（%）"].sum() == pytest.approx(100.0, abs=0.2)
    assert NOT_REACHED in table.index and "未下单" not in table.index       # 只算下过单的客户（D 没下单）


def test_vip_tier_label_names_both_kinds_of_non_members():
    orders = make_orders([("A", "2018-01-01", 100.00), ("B", "2018-01-01", 99.99), ("C", "2018-12-11", 500)])
    summary = customer_summary(orders, customers=pd.DataFrame({"customer_id": list("ABC")}), as_of=TODAY)
    label = vip_tier_label(summary)
    assert label.astype(str).tolist() == ["普通会员", NOT_REACHED, NO_ORDER]  # C 的订单在今天之后
    assert list(label.cat.categories[:3]) == [NO_ORDER, NOT_REACHED, "普通会员"] and label.cat.ordered
    assert vip_tier_label(summary, strict=True).loc["A"] == NOT_REACHED     # 恰好 100 元不“大于”


# ---------------------------------------------------------------- 人群
def test_crowd_metrics_by_hand():
    orders = make_orders([("A", "2018-01-01", 100.10), ("A", "2018-02-01", 200.20), ("B", "2018-01-01", 50.00)])
    summary = customer_summary(orders, customers=pd.DataFrame({"customer_id": list("ABC")}), as_of=TODAY)
    m = crowd_metrics(summary, {"AC": summary.index.isin(["A", "C"]), "全部": slice(None)})
    assert m.loc["AC", "客户数（位）"] == 2 and m.loc["AC", "下过单的客户（位）"] == 1
    assert m.loc["AC", "订单总金额（元）"] == 300.30 and m.loc["AC", "平均订单价（元）"] == 150.15
    assert m.loc["全部", "复购客户占比（%，按下单客户）"] == 50.0
    assert m.loc["全部", "下单客户占比（%）"] == 66.7


def test_crowd_insight_tgi_counts_people_not_events():
    ev = events([("A", "2018-11-01", "浏览", "风衣"), ("A", "2018-11-02", "浏览", "风衣"),
                 ("B", "2018-11-01", "浏览", "围巾"), ("B", "2018-11-02", "浏览", "风衣"),
                 ("C", "2018-11-02", "浏览", "围巾"), ("A", "2018-11-03", "加购", "围巾"),
                 ("X", "2018-11-03", "浏览", "风衣")])                      # X 不在全店客户里：不算
    insight = crowd_insight(ev, ["A", "D"], "浏览", population=["A", "B", "C", "D"])
    # 人群 A、D：浏览过风衣的 1/2 = 50%；全店 A–D：风衣 2/4 = 50% → TGI 100（A 浏览两次只算一人）
    assert insight.loc["风衣"].to_dict() == {"人群人数（位）": 1, "人群占比（%）": 50.0, "全店人数（位）": 2,
                                             "全店占比（%）": 50.0, "TGI": 100.0}
    assert "围巾" not in insight.index                                       # 人群里没人浏览过围巾
    carted = crowd_insight(ev, ["A"], "加购", population=["A", "B", "C"])
    assert carted.loc["围巾", "TGI"] == 300.0                                 # 100% ÷ (1/3) × 100
    three = crowd_insight(ev, ["A", "B", "C"], "浏览", population=["A", "B", "C", "D"])
    assert three.loc["风衣", "TGI"] == round(2 / 3 / (2 / 4) * 100, 1)
    assert len(crowd_insight(ev, ["A", "B"], "浏览", top=1, population=list("ABCD"))) == 1
    with pytest.raises(ValueError, match="没有“点赞”"):
        crowd_insight(ev, ["A"], "点赞", population=list("ABCD"))
    with pytest.raises(ValueError, match="没有任何"):
        crowd_insight(ev, ["D"], "浏览", population=list("ABCD"))
    with pytest.raises(ValueError, match="population"):
        crowd_insight(ev, ["Z"], "浏览", population=list("ABCD"))


# ---------------------------------------------------------------- 新会员礼包
def test_coupon_validation_and_text():
    assert Coupon(5).describe() == "5 元无门槛店铺优惠券"
    assert Coupon(10, threshold=199, name="关怀券").describe() == "关怀券：满 199 元减 10 元店铺优惠券"
    for bad in (0, -5, float("nan"), "5", True):
        with pytest.raises(ValueError, match="面额|face_value"):
            Coupon(bad)
    with pytest.raises(ValueError, match="门槛"):
        Coupon(5, threshold=-1)
    with pytest.raises(ValueError, match="Coupon"):
        GiftPack(coupons=[5])


def test_gift_pack_boundaries_pass():
    pack = GiftPack([Coupon(100), Coupon(5), Coupon(3)], ["贝雷帽"], issue_within_hours=24)
    assert check_gift_pack(pack, existing_denominations=range(1, 49)) == []  # 48 种 + 新的 100 元 = 49 种
    assert check_gift_pack(GiftPack([Coupon(55)]), existing_denominations=range(1, 50)) == []  # 恰好 50 种
    assert check_gift_pack(GiftPack([Coupon(5)]), existing_denominations=range(1, 51)) == []   # 5 元已有，不算新面额


@pytest.mark.parametrize("pack, existing, tag", [
    (GiftPack([Coupon(1), Coupon(2), Coupon(3), Coupon(4)]), (), "【券数】"),
    (GiftPack([Coupon(5)], ["围巾", "帽子"]), (), "【礼品】"),
    (GiftPack([Coupon(5, kind="平台优惠券")]), (), "【券种】"),
    (GiftPack([Coupon(100.01)]), (), "【面额】"),
    (GiftPack([Coupon(55)]), range(1, 51), "【面额种数】"),
    (GiftPack([Coupon(5)], issue_within_hours=24.5), (), "【发放时间】"),
    (GiftPack([Coupon(5)], issue_within_hours=0), (), "【发放时间】"),
])
def test_gift_pack_each_rule(pack, existing, tag):
    problems = check_gift_pack(pack, existing_denominations=existing)
    assert len(problems) == 1 and problems[0].startswith(tag)


def test_gift_pack_messages_and_raise():
    bad = GiftPack([Coupon(5), Coupon(10, kind="平台优惠券"), Coupon(120), Coupon(20)], ["a", "b"], 48)
    problems = check_gift_pack(bad)
    assert [p[:p.index("】") + 1] for p in problems] == ["【券数】", "【礼品】", "【券种】", "【面额】", "【发放时间】"]
    assert "第 3 张是 120 元" in problems[3] and "删掉 1 张" in problems[0]
    with pytest.raises(ValueError, match="不符合平台规则"):
        check_gift_pack(bad, raise_errors=True)
    assert check_gift_pack(GiftPack([Coupon(150)]), rules=GiftPackRules(max_face_value=200)) == []
    with pytest.raises(ValueError, match="大于 0"):
        check_gift_pack(GiftPack([Coupon(5)]), existing_denominations=[0])


def test_gift_pack_editor_matches_function():
    editor = gift_pack_editor(GiftPack([Coupon(5)], ["贝雷帽"]), existing_denominations=[3, 5])
    assert editor.problems == [] and editor.pack.coupons == (Coupon(5),)
    first_row = editor.widget.children[0].children
    first_row[1].value = 120
    assert editor.problems == check_gift_pack(GiftPack([Coupon(120)], ["贝雷帽"]), [3, 5])
    assert "不符合平台规则" in editor.result.value
    editor.existing.value = "3、五"                                          # 填错：显示中文错误，保留上一次的结果
    assert "店里已有的券面额" in editor.result.value and editor.pack.coupons == (Coupon(120),)
    editor.existing.value = "3，5、120"                                      # 全角逗号也能分隔；120 元已有，不算新面额
    assert editor.problems == check_gift_pack(GiftPack([Coupon(120)], ["贝雷帽"]), [3, 5, 120])


def test_money_text_is_exact_to_the_fen():
    assert Coupon(5.5, threshold=99.9).describe() == "满 99.90 元减 5.50 元店铺优惠券"
    assert Coupon(0.1 + 0.2).face_fen == 30                                  # 0.30000000000000004 元 → 30 分
    problems = check_gift_pack(GiftPack([Coupon(100.01)]))
    assert problems == ["【面额】优惠券面额最高 100 元：第 1 张是 100.01 元，请改到 100 元以内。"]
    with pytest.raises(ValueError, match="应是数字"):
        check_gift_pack(GiftPack([Coupon(5)]), existing_denominations=["五"])


# ---------------------------------------------------------------- 会员卡
def test_membership_cards():
    fig = membership_cards(TEXTBOOK_VIP_TIERS, "夏艺女装")
    assert isinstance(fig, Figure) and len([a for a in fig.axes if a.get_visible()]) == 4
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "至尊VIP" in texts and "累计消费达到 2000 元" in texts and "VIP4" in texts
    card = membership_card(TEXTBOOK_VIP_TIERS[0], 1, "夏艺女装")
    assert tuple(round(v) for v in card.get_size_inches() * card.dpi) == (640, 404)
    three = membership_cards(TEXTBOOK_VIP_TIERS[:3])
    assert len(three.axes) == 4 and not three.axes[3].axison
    with pytest.raises(ValueError, match="颜色"):
        membership_cards(TEXTBOOK_VIP_TIERS, colors=CARD_COLORS[:2])


# ---------------------------------------------------------------- 首购回购
def test_first_purchase_followup_windows():
    orders = make_orders([
        ("A", "2018-01-05 10:00:00", 299), ("A", "2018-01-05 20:00:00", 99),  # 同一天第二单：不算复购
        ("A", "2018-02-04 09:00:00", 99),                                      # 首单后恰好 30 天
        ("B", "2018-01-06", 299), ("B", "2018-04-06", 99),                     # 90 天
        ("C", "2018-11-20", 500),                                              # 观察期不足 30 天
        ("D", "2018-01-07", 299),                                              # 没回来
    ])
    fu = first_purchase_followup(orders, TODAY, windows=(30, 90))
    assert fu["days_to_next"].tolist()[:2] == [30, 90]
    assert fu["repurchase_30"].tolist()[:2] == [True, False]
    assert fu["repurchase_90"].tolist()[:2] == [True, True]
    assert pd.isna(fu.loc["C", "repurchase_30"]) and fu.loc["D", "repurchase_90"] == False  # noqa: E712
    cohort = first_order_cohort(fu, "2018-01-05", "2018-01-06", inside="团购新客")
    assert cohort.astype(str).tolist() == ["团购新客", "团购新客", "其他新客", "其他新客"]
    rates = first_order_return_rates(fu, cohort)
    assert rates.loc["团购新客", ("30 天内", "复购率（%）")] == 50.0
    assert rates.loc["其他新客", ("30 天内", "可观察人数")] == 1  # C 观察期不足，不参加
    with pytest.raises(ValueError, match="windows"):
        first_purchase_followup(orders, TODAY, windows=(0,))
    with pytest.raises(ValueError, match="早于"):
        first_order_cohort(fu, "2018-02-01", "2018-01-01")


def test_monthly_sales_in_fen():
    orders = make_orders([("A", "2018-01-05", 0.10), ("A", "2018-01-06", 0.20), ("B", "2018-02-01", 1.00)])
    table = monthly_sales(orders, highlight=["A"], highlight_label="团购新客")
    assert table.loc["2018-01", "团购新客"] == 0.30 and table.loc["2018-01", "其他客户"] == 0
    assert table["合计"].tolist() == [0.30, 1.00]


# ---------------------------------------------------------------- 级外客户
def test_customer_layers():
    orders = make_orders([("A", "2018-11-01", 3000), ("A", "2018-11-20", 3000), ("B", "2017-06-01", 100)])
    customers = pd.DataFrame({"customer_id": list("ABCD")})
    summary = customer_summary(orders, customers=customers, as_of=TODAY)
    rfm = rfm_score(orders, TODAY)
    ev = events([("C", "2018-10-01", "加购", "风衣"), ("D", "2018-10-01", "浏览", "风衣")])
    layers = customer_layers(summary, rfm, ev)
    assert layers.astype(str).tolist() == [rfm.loc["A", "level"], "无订购客户", "无销售客户", "非订购客户"]
    assert customer_layers(summary, rfm).loc["C"] == "非订购客户"  # 没有行为数据时分不出无销售客户

import pandas as pd
import pytest

from helpers import TEXTBOOK_VIP_TIERS, VipTier, customer_summary, vip_rules_text, vip_tier
from conftest import make_orders


def tiers_for(rows, **kw):
    summary = customer_summary(make_orders(rows), as_of="2018-12-10")
    return vip_tier(summary, **kw)


@pytest.mark.parametrize("amounts, expected", [
    ([99.99], None), ([100.00], "普通会员"), ([50.00, 50.00], "普通会员"), ([199.99], "普通会员"),
    ([200.00], "高级会员"), ([499.99], "高级会员"), ([500.00], "VIP会员"), ([1999.99], "VIP会员"),
    ([2000.00], "至尊VIP"), ([54.09, 45.91], "普通会员"),
])
def test_amount_thresholds_are_reached_inclusive(amounts, expected):
    got = tiers_for([("A", f"2018-01-{i + 1:02d}", a) for i, a in enumerate(amounts)]).loc["A"]
    assert (None if pd.isna(got) else got) == expected


@pytest.mark.parametrize("n, expected", [(2, None), (3, "普通会员"), (4, "普通会员"), (5, "高级会员"),
                                         (9, "高级会员"), (10, "VIP会员"), (19, "VIP会员"), (20, "至尊VIP")])
def test_order_count_alone_is_enough(n, expected):
    got = tiers_for([("A", f"2018-01-{i + 1:02d}", 1.00) for i in range(n)]).loc["A"]
    assert (None if pd.isna(got) else got) == expected


def test_either_condition_highest_tier_wins():
    # 3 单共 600 元：按笔数是普通会员，按金额是 VIP会员 → VIP会员
    assert tiers_for([("A", "2018-01-01", 200), ("A", "2018-01-02", 200), ("A", "2018-01-03", 200)]).loc["A"] == "VIP会员"


def test_strict_reading_changes_boundary_customers():
    rows = [("A", "2018-01-01", 100.00), ("B", "2018-01-01", 100.01),
            ("C", "2018-01-01", 1), ("C", "2018-01-02", 1), ("C", "2018-01-03", 1)]
    reach = tiers_for(rows)
    greater = tiers_for(rows, strict=True)
    assert reach.loc["A"] == "普通会员" and pd.isna(greater.loc["A"])
    assert reach.loc["B"] == "普通会员" and greater.loc["B"] == "普通会员"
    assert reach.loc["C"] == "普通会员" and pd.isna(greater.loc["C"])


def test_customers_without_orders_are_not_members(customers):
    summary = customer_summary(make_orders([("A", "2018-01-01", 150)]), customers=customers, as_of="2018-12-10")
    tiers = vip_tier(summary)
    assert tiers.loc["A"] == "普通会员"
    assert tiers.drop("A").isna().all()


def test_custom_tiers_and_validation():
    custom = [VipTier("银卡", 50, 2), VipTier("金卡", 300, 6)]
    assert tiers_for([("A", "2018-01-01", 60)], tiers=custom).loc["A"] == "银卡"
    with pytest.raises(ValueError, match="逐级不降低"):
        tiers_for([("A", "2018-01-01", 60)], tiers=[VipTier("高", 500, 10), VipTier("低", 100, 3)])
    with pytest.raises(ValueError, match="不能重复"):
        vip_rules_text([VipTier("同名", 1, 1), VipTier("同名", 2, 2)])


def test_rules_text_contains_every_tier_and_the_either_sentence():
    text = vip_rules_text(TEXTBOOK_VIP_TIERS, shop_name="夏艺女装")
    assert text.splitlines()[0] == "夏艺女装会员规则"
    assert "《隐私政策》" in text and "旺旺消息" in text
    # 2018 年起达到门槛只是有资格申请，领卡后才是会员（不能写成“即可成为会员”）
    assert ("累计消费金额达到 100.0 元，或累计交易成功达到 3 笔，才有资格申请成为夏艺女装会员；"
            "达到条件后领取会员卡，领卡成功即成为会员。") in text
    assert "即可成为会员" not in text
    for i, (name, amount, orders) in enumerate([("普通会员", "100.0", 3), ("高级会员", "200.0", 5),
                                                ("VIP会员", "500.0", 10), ("至尊VIP", "2000.0", 20)], 1):
        assert f"VIP{i} {name}：累计消费金额达到 {amount} 元，或累计交易成功达到 {orders} 笔。" in text
    assert "满足其中任意一个" in text
    assert text.splitlines()[-1] == "本规则的最终解释权归夏艺女装所有。"        # 以店铺的解释权结尾
    assert vip_rules_text(TEXTBOOK_VIP_TIERS).splitlines()[-1] == "本规则的最终解释权归本店所有。"

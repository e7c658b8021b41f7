"""load_shop(name, today=...)：站在不同的“今天”看同一家店，只读入今天零点之前的数据。"""
import pandas as pd
import pytest

from helpers import load_shop

LATE = "2019-02-16"


@pytest.fixture(scope="module")
def late():
    """夏艺女装站在 2019-02-16 看（第 12 章）。"""
    return load_shop("xiayi", today=LATE)


@pytest.fixture(scope="module")
def early():
    return load_shop("xiayi", today="2018-06-01")


def _check_consistent(shop, day):
    day = pd.Timestamp(day)
    assert shop.today == day
    assert shop.orders["order_time"].max() < day
    assert shop.customers["register_date"].max() < day
    assert shop.events["event_time"].max() < day
    assert set(shop.items["order_id"]) <= set(shop.orders["order_id"])        # 明细只属于留下来的订单
    assert set(shop.orders["order_id"]) <= set(shop.items["order_id"])        # 留下来的订单明细都在
    assert set(shop.campaign_members["campaign_id"]) <= set(shop.campaigns["campaign_id"])
    if len(shop.campaigns):
        assert shop.campaigns["send_time"].max() < day
    if len(shop.ads):
        assert shop.ads["end_date"].max() < day
    for table in (shop.customers, shop.orders, shop.items, shop.events):
        assert table.index.equals(pd.RangeIndex(len(table)))


def test_default_view_unchanged(xiayi):
    assert xiayi.today == pd.Timestamp("2018-12-10")
    assert len(xiayi.customers) == 20000
    _check_consistent(xiayi, "2018-12-10")
    assert len(xiayi.campaigns) == 0 and len(xiayi.campaign_members) == 0       # 双12 活动还没发生
    assert list(xiayi.campaign_members.columns) == ["campaign_id", "customer_id", "group", "coupon_order_id"]


def test_default_equals_explicit_today(xiayi):
    same = load_shop("xiayi", today="2018-12-10")
    assert len(same.orders) == len(xiayi.orders) and len(same.customers) == len(xiayi.customers)
    assert len(same.events) == len(xiayi.events) and len(same.items) == len(xiayi.items)
    pd.testing.assert_frame_equal(same.orders, xiayi.orders)


def test_late_view_sees_the_campaign(late, xiayi):
    _check_consistent(late, LATE)
    assert len(late.customers) == 22400
    assert (late.customers["register_date"] >= pd.Timestamp("2018-12-10")).sum() == 2400
    assert late.orders["order_time"].max() >= pd.Timestamp("2019-02-15")      # 数据写到 2019-02-15
    assert len(late.orders) > len(xiayi.orders) and len(late.events) > len(xiayi.events)
    # 2018-12-10 之前的部分和默认视图完全一样
    before = late.orders[late.orders["order_time"] < pd.Timestamp("2018-12-10")].reset_index(drop=True)
    pd.testing.assert_frame_equal(before, xiayi.orders)
    c = late.campaigns
    assert len(c) == 1 and c.loc[0, "campaign_id"] == "C20181212"
    assert c.loc[0, "send_time"] == pd.Timestamp("2018-12-12 18:00:00")
    assert c.loc[0, "coupon_end"] == pd.Timestamp("2018-12-13 23:59:59")
    m = late.campaign_members
    assert m["group"].value_counts().to_dict() == {"实验组": 8106, "对照组": 901}
    assert not m["customer_id"].duplicated().any()
    assert set(m["customer_id"]) <= set(late.customers["customer_id"])
    assert m["coupon_order_id"].notna().sum() == 370
    assert m.loc[m["group"] == "对照组", "coupon_order_id"].isna().all()        # 对照组没有收到券
    assert "session_id" in late.events.columns and len(late.ads) == 7


def test_coupon_order_ids_are_text_and_match_orders(late):
    used = late.campaign_members["coupon_order_id"].dropna()
    assert len(used) == 370
    assert used.map(type).eq(str).all()
    assert set(used) <= set(late.orders["order_id"])
    coupon_orders = late.orders[late.orders["order_id"].isin(used)]
    assert coupon_orders["amount"].min() >= 299 - 30                          # 满 299 减 30：付款至少 269 元
    assert coupon_orders["order_time"].between("2018-12-12 18:00:00", "2018-12-13 23:59:59").all()


def test_earlier_today_filters_consistently(early, xiayi):
    _check_consistent(early, "2018-06-01")
    assert 0 < len(early.orders) < len(xiayi.orders)
    assert 0 < len(early.customers) < len(xiayi.customers)
    assert len(early.items) < len(xiayi.items) and len(early.events) <= len(xiayi.events)
    assert len(early.campaigns) == 0 and len(early.ads) == 0
    assert early.orders["order_time"].min() == xiayi.orders["order_time"].min()
    assert early.products.equals(xiayi.products)


def test_today_too_late_is_refused():
    with pytest.raises(ValueError, match="数据只到 2019-02-15.*最晚可以设为 2019-02-16.*2019-02-17"):
        load_shop("xiayi", today="2019-02-17")
    with pytest.raises(ValueError, match="today"):
        load_shop("xiayi", today="2019/02/30")


@pytest.mark.parametrize("name, today, after", [("a_kids", "2015-05-01", "2015-05-02"),
                                                ("health", "2016-06-01", "2016-07-01")])
def test_other_shops_reject_a_later_today(name, today, after):
    with pytest.raises(ValueError, match=f"店铺 {name} 的数据只到.*最晚可以设为 {today}"):
        load_shop(name, today=after)


def test_other_shop_earlier_today():
    shop = load_shop("a_kids", today="2015-03-01")
    assert shop.today == pd.Timestamp("2015-03-01")
    assert shop.orders["order_time"].max() < pd.Timestamp("2015-03-01")
    assert set(shop.items["order_id"]) <= set(shop.orders["order_id"])

"""三家教学店铺：能加载、列和类型对、教材案例的分组人数合理，矛盾的两种读法确实不同。"""
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers import Segment, load_shop, rfm_score, shop_names, vip_tier

README = Path(__file__).resolve().parent.parent / "datasets" / "README.md"


@pytest.fixture(scope="module")
def shops():
    return {name: load_shop(name) for name in shop_names()}


def test_tables_and_types(shops):
    for shop in shops.values():
        assert {"customer_id", "gender", "age", "province", "city", "occupation", "points", "phone", "email",
                "nickname", "sms_opt_out"} <= set(shop.customers.columns)
        assert shop.orders["order_id"].is_unique
        assert pd.api.types.is_datetime64_any_dtype(shop.orders["order_time"])
        assert shop.orders["order_time"].max() < shop.today          # 没有“今天”及以后的订单
        assert shop.customers["sms_opt_out"].dtype == bool
        assert shop.products["product"].is_unique
        assert set(shop.items["product"]) <= set(shop.products["product"])
        # 手机号全部已打码
        assert shop.customers["phone"].dropna().str.fullmatch(r"1\d\d\*{4}\d{4}").all()
        assert not shop.customers["province"].str.endswith(("省", "市")).any()


def test_today_is_fixed(shops):
    assert {n: str(s.today.date()) for n, s in shops.items()} == {
        "a_kids": "2015-05-01", "health": "2016-06-01", "xiayi": "2018-12-10"}


def test_unknown_shop_lists_names():
    with pytest.raises(ValueError, match="没有名为 'kids' 的店铺.*a_kids.*health.*xiayi"):
        load_shop("kids")


def test_missing_folder_is_explained(monkeypatch, tmp_path):
    monkeypatch.setenv("CRM_DATASETS", str(tmp_path))
    with pytest.raises(ValueError, match="datasets/generate.py"):
        load_shop("health")


def mothers_day(**changes):
    rules = dict(min_orders=2, min_avg_order_value=200, last_order_after="2015-03-01", gender="女",
                 products=["新生儿枕头"], regions=["上海"])
    rules.update(changes)
    return Segment("母亲节", "母亲节促销", **rules)


def test_case1_groups_are_non_trivial_and_readings_differ(shops):
    summary = shops["a_kids"].summary()
    steps = mothers_day().select(summary)
    goal = mothers_day(min_orders=3, min_avg_order_value=100.01).select(summary)
    romper = mothers_day(products=["幼儿连体衣"]).select(summary)
    for group in (steps, goal, romper):
        assert 10 <= len(group) <= 300
    assert set(steps.index) != set(goal.index)
    assert set(steps.index) != set(romper.index)


def test_case2_and_case3_audiences(shops):
    summary = shops["health"].summary()
    sms = Segment("端午短信", min_orders=1, last_order_after="2016-01-01", min_points=1,
                  products=["买3送1BCCJ天然蜂胶胶囊"], regions=["上海"]).select(summary)
    email = Segment("端午邮件", min_orders=1, min_total_amount=100, min_items=1, last_order_after="2016-01-01",
                    min_points=1, products=["蜂胶胶囊120粒装", "鱼油200粒装", "预售深海鱼油200粒装"]).select(summary)
    assert 10 <= len(sms) <= 300 and len(email) > len(sms)
    assert sms["sms_opt_out"].any()              # 有人退订：发送前必须去掉
    assert sms["phone"].isna().any()


def test_xiayi_vip_and_rfm_have_every_level(shops):
    shop = shops["xiayi"]
    tiers = vip_tier(shop.summary())
    assert set(tiers.dropna().unique()) == {"普通会员", "高级会员", "VIP会员", "至尊VIP"}
    rfm = rfm_score(shop.orders, shop.today)
    assert set(rfm["level"].astype(str)) == {"P", "G", "S", "B"}
    for col in "RFM":
        assert set(rfm[col]) == {1, 2, 3, 4, 5}
    assert shop.events["event"].isin(["浏览", "收藏", "加购", "下单"]).all()


def test_readme_row_counts_match_data(shops):
    text = README.read_text(encoding="utf-8")
    views = [(f"| `{name}` |", shop) for name, shop in shops.items()]
    views.append(("| `xiayi`（第 12 章） |", load_shop("xiayi", today="2019-02-16")))
    for start, shop in views:
        row = next(line for line in text.splitlines() if line.startswith(start))
        numbers = [int(n.replace(",", "")) for n in re.findall(r"\| ([\d,]+) (?=\|)", row)]
        events = len(shop.events) if shop.events is not None else None
        expected = [len(shop.customers), len(shop.orders), len(shop.items), len(shop.products)]
        assert numbers[:4] == expected, start
        if events is not None:
            assert numbers[4] == events

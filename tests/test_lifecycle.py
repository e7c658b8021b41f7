"""helpers.lifecycle 的单元测试：小表上手算的期望值。"""
import numpy as np
import pandas as pd
import pytest

from helpers.lifecycle import (NEW, STAGES, STRATEGY, LifecycleRule, lifecycle_stages, month_ends, reclassify_stages,
                               stage_history, stage_sizes, stage_transitions, stage_value)
from helpers.operations import order_facts

AS_OF = "2018-12-10"


@pytest.fixture
def shop():
    """评估日 2018-12-10，默认规则（90 天、3 笔）。

    2018-09-11 → 2018-12-10 是 19 + 31 + 30 + 10 = 90 天；2018-09-10 是 91 天。
    """
    customers = pd.DataFrame({
        "customer_id": ["N", "D", "K", "S", "E", "L", "F", "LATE"],
        "register_date": ["2018-01-01", "2018-01-01", "2018-01-01", "2018-01-01", "2018-01-01",
                          "2018-01-01", "2018-11-01", "2018-12-11"],
    })
    orders = pd.DataFrame({
        "order_id": [str(i) for i in range(1, 12)],
        "customer_id": ["D", "K", "K", "S", "S", "S", "S", "E", "L", "F", "LATE"],
        "order_time": ["2018-12-01 10:00:00",                                # D：1 笔 → 发展期
                       "2018-06-01 10:00:00", "2018-09-11 23:59:59",         # K：2 笔，最近一次正好 90 天 → 发展期
                       "2018-10-01 10:00:00", "2018-11-01 10:00:00",
                       "2018-12-10 23:59:59",                                # S：评估日当天最后一秒也算
                       "2018-12-11 00:00:00",                                # S：第二天的不算
                       "2018-09-10 08:00:00",                                # E：91 天 → 衰退期
                       "2018-09-11 00:00:00",                                # L：90 天（不看几点）→ 发展期
                       "2018-12-11 00:00:00",                                # F：只有第二天的订单 → 识别期
                       "2018-12-11 09:00:00"],                               # LATE：评估日之后才注册和下单
        "amount": [10.00, 20.00, 30.00, 1.01, 2.02, 3.03, 99.00, 5.00, 6.00, 7.00, 8.00],
    })
    return customers, orders


def test_every_stage_and_boundaries(shop):
    t = lifecycle_stages(*shop, AS_OF)
    assert sorted(t.index) == ["D", "E", "F", "K", "L", "N", "S"]             # LATE 还没注册
    assert t["stage"].astype(str).to_dict() == {
        "D": "发展期", "E": "衰退期", "F": "识别期", "K": "发展期", "L": "发展期", "N": "识别期", "S": "稳定期"}
    assert t.loc["K", "days_since_last"] == 90 and t.loc["L", "days_since_last"] == 90
    assert t.loc["E", "days_since_last"] == 91
    assert t.loc["S", "days_since_last"] == 0
    assert t.loc["S", "order_count"] == 3 and t.loc["S", "total_amount"] == 6.06      # 99 元那笔是第二天的
    assert t.loc["S", "last_order"] == pd.Timestamp("2018-12-10")
    assert t.loc["N", "order_count"] == 0 and t.loc["N", "total_amount"] == 0
    assert pd.isna(t.loc["N", "days_since_last"]) and pd.isna(t.loc["N", "last_order"])
    assert t.loc["F", "order_count"] == 0
    assert list(t["stage"].cat.categories) == list(STAGES) and t["stage"].cat.ordered
    assert t.attrs["rule"] == LifecycleRule() and t.attrs["as_of"] == pd.Timestamp(AS_OF)


def test_rule_changes_boundaries(shop):
    # active_days=89：K 和 L（90 天）变成衰退期；loyal_orders=2：K 的 2 笔算稳定
    t = lifecycle_stages(*shop, AS_OF, LifecycleRule(active_days=89))
    assert t.loc["K", "stage"] == "衰退期" and t.loc["L", "stage"] == "衰退期"
    t = lifecycle_stages(*shop, AS_OF, LifecycleRule(active_days=91, loyal_orders=2))
    assert t.loc["K", "stage"] == "稳定期" and t.loc["E", "stage"] == "发展期" and t.loc["D", "stage"] == "发展期"
    t = lifecycle_stages(*shop, AS_OF, LifecycleRule(loyal_orders=4))
    assert t.loc["S", "stage"] == "发展期"                                        # 3 笔 = 4 − 1


def test_as_of_is_a_whole_day(shop):
    customers, orders = shop
    t = lifecycle_stages(customers, orders, "2018-12-11")                     # 第二天：LATE、F 的订单都算了
    assert t.loc["S", "order_count"] == 4 and t.loc["F", "stage"] == "发展期"
    assert "LATE" in t.index and t.loc["LATE", "stage"] == "发展期"
    assert lifecycle_stages(customers, orders, pd.Timestamp("2018-12-10 15:00")).loc["S", "order_count"] == 3


def test_customers_none_only_buyers(shop):
    t = lifecycle_stages(None, shop[1], AS_OF)
    assert sorted(t.index) == ["D", "E", "K", "L", "S"]                       # 没有识别期
    assert (t["stage"] != "识别期").all()


def test_buyer_missing_from_customer_table_counts(shop):
    customers, orders = shop
    t = lifecycle_stages(customers[customers["customer_id"] != "D"], orders, AS_OF)
    assert t.loc["D", "stage"] == "发展期"


def test_register_date_with_time_counts_whole_day():
    customers = pd.DataFrame({"customer_id": ["A"], "register_date": [pd.Timestamp("2018-12-10 15:00")]})
    orders = pd.DataFrame({"customer_id": ["B"], "order_time": ["2018-01-01"], "amount": [1.0]})
    assert "A" in lifecycle_stages(customers, orders, AS_OF).index


def test_bad_register_date_names_rows(shop):
    customers, orders = shop
    customers = customers.copy()
    customers.loc[[2, 5], "register_date"] = ["2018-13-01", "不知道"]
    with pytest.raises(ValueError, match="register_date.*2、5"):
        lifecycle_stages(customers, orders, AS_OF)
    with pytest.raises(ValueError, match="register_date.*2、5"):
        stage_history(customers, orders, "2018-01-01", AS_OF)


def test_rule_validation():
    for bad in (True, 0, -5, 2.5, "90"):
        with pytest.raises(ValueError, match="active_days 应是(正整数|一个整数)"):
            LifecycleRule(active_days=bad)
    with pytest.raises(ValueError, match="loyal_orders 应是(正整数|一个整数)"):
        LifecycleRule(loyal_orders=False)
    with pytest.raises(ValueError, match="loyal_orders 至少是 2"):
        LifecycleRule(loyal_orders=1)
    assert LifecycleRule(np.int64(30), 2).active_days == 30


def test_rule_table():
    table = LifecycleRule(60, 4).table()
    assert list(table.index) == list(STAGES) and list(table.columns) == ["判定条件", "营销重点"]
    assert table.loc["发展期", "判定条件"] == "下过 1–3 笔，最近一次下单距评估日 ≤ 60 天"
    assert table.loc["稳定期", "判定条件"] == "下过 ≥ 4 笔，最近一次下单距评估日 ≤ 60 天"
    assert table.loc["衰退期", "判定条件"].endswith("> 60 天")
    assert table["营销重点"].tolist() == [STRATEGY[s] for s in STAGES]


def test_month_ends():
    assert [d.strftime("%Y-%m-%d") for d in month_ends("2018-01-15", "2018-03-10")] == \
        ["2018-01-31", "2018-02-28", "2018-03-10"]
    assert [d.strftime("%Y-%m-%d") for d in month_ends("2016-01-31", "2016-02-29")] == ["2016-01-31", "2016-02-29"]
    assert [d.strftime("%Y-%m-%d") for d in month_ends("2018-12-01", "2019-01-01")] == ["2018-12-31", "2019-01-01"]
    assert [d.strftime("%Y-%m-%d") for d in month_ends("2018-05-20", "2018-05-20")] == ["2018-05-20"]
    with pytest.raises(ValueError, match="早于开始日期"):
        month_ends("2018-03-01", "2018-02-28")


def test_stage_history_small(shop):
    customers, orders = shop
    h = stage_history(customers, orders, "2018-10-01", "2018-12-10")
    assert list(h.columns) == ["2018-10", "2018-11", "2018-12"]
    assert "LATE" not in h.index                                              # 12-10 还没注册
    # F 在 11-01 注册：10 月底还不是客户（空），11 月底起是识别期
    assert pd.isna(h.loc["F", "2018-10"]) and h.loc["F", "2018-11"] == "识别期" and h.loc["F", "2018-12"] == "识别期"
    # S：10 月底 1 笔、11 月底 2 笔（发展期），12-10 当天 3 笔（稳定期）
    assert h.loc["S"].astype(str).tolist() == ["发展期", "发展期", "稳定期"]
    # E：最后一笔 09-10；10-31 距 51 天，11-30 距 81 天，12-10 距 91 天
    assert h.loc["E"].astype(str).tolist() == ["发展期", "发展期", "衰退期"]
    sizes = stage_sizes(h)
    assert list(sizes.columns) == list(STAGES)
    # 10 月底：N、D（12 月才下单）识别期；K、S、E、L 发展期。11 月底多了 F（识别期）。
    # 12-10：N、F 识别期；D、K、L 发展期；S 稳定期；E 衰退期
    assert sizes.loc["2018-10"].tolist() == [2, 4, 0, 0]
    assert sizes.loc["2018-11"].tolist() == [3, 4, 0, 0]
    assert sizes.loc["2018-12"].tolist() == [2, 3, 1, 1]


def test_stage_history_buyers_not_in_customer_table():
    orders = pd.DataFrame({"customer_id": ["A", "B", "C"], "order_time": ["2018-01-05", "2018-03-05", "2018-05-01"],
                           "amount": [1.0, 2.0, 3.0]})
    h = stage_history(None, orders, "2018-01-01", "2018-03-31")
    assert list(h.index) == ["A", "B"]                                        # C 的订单在结束之后
    assert pd.isna(h.loc["B", "2018-02"]) and h.loc["B", "2018-03"] == "发展期"   # 第一笔订单之前不是识别期
    customers = pd.DataFrame({"customer_id": ["A"], "register_date": ["2018-01-01"]})
    h = stage_history(customers, orders, "2018-01-01", "2018-03-31")
    assert list(h.index) == ["A", "B"] and pd.isna(h.loc["B", "2018-01"])


def _random_shop(seed):
    rng = np.random.default_rng(seed)
    n = 40
    ids = [f"C{i:02d}" for i in range(n)]
    reg = pd.Timestamp("2017-10-01") + pd.to_timedelta(rng.integers(0, 400, n), unit="D")
    customers = pd.DataFrame({"customer_id": ids, "register_date": reg})
    rows = []
    for cid, r in zip(ids, reg):
        for _ in range(rng.integers(0, 6)):
            when = r + pd.Timedelta(seconds=int(rng.integers(0, 400 * 86400)))
            rows.append((cid, when, round(float(rng.integers(1, 50000)) / 100, 2)))
    rows += [("X1", pd.Timestamp("2018-04-30 23:59:59"), 5.0), ("X1", pd.Timestamp("2018-09-01"), 5.0)]
    orders = pd.DataFrame(rows, columns=["customer_id", "order_time", "amount"])
    return customers, orders


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("with_customers", [True, False])
def test_stage_history_equals_lifecycle_stages(seed, with_customers):
    customers, orders = _random_shop(seed)
    customers = customers if with_customers else None
    rule = LifecycleRule(active_days=60, loyal_orders=2 + seed)
    h = stage_history(customers, orders, "2018-01-10", "2018-11-20", rule)
    ends = month_ends("2018-01-10", "2018-11-20")
    assert list(h.columns) == [d.strftime("%Y-%m") for d in ends]
    for month, day in zip(h.columns, ends):
        expected = lifecycle_stages(customers, orders, day, rule)["stage"].astype(str)
        got = h[month].dropna().astype(str)
        assert got.sort_index().to_dict() == expected.sort_index().to_dict(), month


@pytest.fixture
def history():
    """手写的阶段表：4 个客户 × 3 个月（空 = 那个月底还没注册）。"""
    h = pd.DataFrame({"2018-01": ["发展期", "稳定期", None, None],
                      "2018-02": ["稳定期", "稳定期", "识别期", None],
                      "2018-03": ["衰退期", "稳定期", "发展期", "识别期"]},
                     index=pd.Index(["A", "B", "C", "D"], name="customer_id"))
    return h.apply(lambda s: pd.Categorical(s, categories=list(STAGES), ordered=True))


def test_stage_transitions_counts(history):
    t = stage_transitions(history)
    assert list(t.index) == [NEW] + list(STAGES) and list(t.columns) == list(STAGES)
    assert t.index.name == "上月阶段" and t.columns.name == "本月阶段"
    assert t.loc[NEW, "识别期"] == 2                                         # C 在 2 月、D 在 3 月新注册
    assert t.loc["发展期", "稳定期"] == 1 and t.loc["稳定期", "稳定期"] == 2 and t.loc["稳定期", "衰退期"] == 1
    assert t.loc["识别期", "发展期"] == 1
    assert t.to_numpy().sum() == 7                                           # 2 月底 3 人 + 3 月底 4 人
    only_march = stage_transitions(history, start="2018-03")
    assert only_march.to_numpy().sum() == 4 and only_march.loc[NEW, "识别期"] == 1
    only_feb = stage_transitions(history, end="2018-02")
    assert only_feb.to_numpy().sum() == 3 and only_feb.loc["发展期", "稳定期"] == 1


def test_stage_transitions_share(history):
    s = stage_transitions(history, share=True)
    filled = s.dropna(how="all")
    assert np.allclose(filled.sum(axis=1), 100, atol=0.11)
    assert s.loc["稳定期", "稳定期"] == 66.7 and s.loc["稳定期", "衰退期"] == 33.3
    assert s.loc[NEW, "识别期"] == 100.0
    assert s.loc["衰退期"].isna().all()                                     # 上月没有衰退期的人


def test_stage_transitions_bad_months(history):
    with pytest.raises(ValueError, match="没有相邻的两个月"):
        stage_transitions(history, start="2019-01")
    with pytest.raises(ValueError, match="没有相邻的两个月"):
        stage_transitions(history[["2018-01"]])


def test_stage_value_sums_to_the_fen(shop):
    customers, orders = shop
    products = pd.DataFrame({"product": ["衣"], "margin": [0.3]})
    items = pd.DataFrame({"order_id": orders["order_id"], "product": "衣", "quantity": 1, "amount": orders["amount"]})
    stages = lifecycle_stages(customers, orders, "2018-11-30")
    facts = order_facts(orders, items, products)
    v = stage_value(stages, facts, "2018-12-01", "2018-12-31")
    assert list(v.index) == list(STAGES) and v.index.name == "阶段"
    # 12 月的订单：D 10.00（11-30 时 D 是识别期）、S 3.03 + 99.00（发展期：2 笔）、F 7.00（识别期）、
    # LATE 8.00 不在 stages 里（11-30 还没注册）
    assert v["销售额（元）"].tolist() == [17.00, 102.03, 0.0, 0.0]
    assert v["客户数（人）"].sum() == len(stages)
    assert v["毛利（元）"].tolist() == [5.10, 30.61, 0.0, 0.0]              # 10203 × 0.3 = 3060.9 分
    assert v["毛利占比（%）"].sum() == pytest.approx(100, abs=0.11)
    assert v["客户数占比（%）"].sum() == pytest.approx(100, abs=0.11)


RULES = [LifecycleRule(), LifecycleRule(active_days=89), LifecycleRule(active_days=91, loyal_orders=2),
         LifecycleRule(loyal_orders=4), LifecycleRule(active_days=1, loyal_orders=10)]


@pytest.mark.parametrize("rule", RULES, ids=str)
def test_reclassify_stages_equals_a_fresh_run(shop, rule):
    """换规则重新划分（不重读订单）和用这条规则从头算出的阶段完全一样，边界客户 K、L（90 天）、E（91 天）都在里面。"""
    base = lifecycle_stages(*shop, AS_OF)
    fresh = lifecycle_stages(*shop, AS_OF, rule)["stage"]
    pd.testing.assert_series_equal(reclassify_stages(base, rule), fresh)
    with pytest.raises(ValueError, match="lifecycle_stages"):
        reclassify_stages(base.drop(columns="days_since_last"), rule)


def test_lifecycle_explorer_matches_plain_function(shop):
    from helpers.widgets.lifecycle import lifecycle_explorer

    w = lifecycle_explorer(*shop, AS_OF)
    pd.testing.assert_series_equal(w.stages, lifecycle_stages(*shop, AS_OF)["stage"])
    w.active_days.value = 15
    w.loyal_orders.value = 2
    expected = lifecycle_stages(*shop, AS_OF, LifecycleRule(15, 2))["stage"]
    pd.testing.assert_series_equal(w.stages, expected)
    for stage, n in expected.value_counts().items():
        assert f"{n:,} 人" in w.result.value
    assert "最近一次下单距评估日 ≤ 15 天" in w.result.value and f"共 {len(expected):,} 位客户" in w.result.value

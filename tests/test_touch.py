"""helpers.touch：复购提醒、加购/收藏未购买、高潜老客规则、分批发送（手算的小例子和边界）。"""
import pandas as pd
import pytest

from helpers import plan_sms
from helpers.touch import (HighPotentialRule, batch_table, carted_without_order, favourited_never_bought,
                           high_potential, repurchase_calendar, repurchase_due, schedule_sends, send_times)
from conftest import make_orders

TODAY = "2016-06-01"


def events(rows):
    return pd.DataFrame(rows, columns=["customer_id", "event_time", "event", "product"]).assign(
        event_time=lambda d: pd.to_datetime(d["event_time"], format="ISO8601"))


PRODUCTS = pd.DataFrame({"product": ["蜂胶", "鱼油", "杯子"], "repurchase_days": [60, 30, None]})


def shop_tables(rows):
    """rows: (customer_id, order_time, product, quantity)；每行一笔订单。"""
    orders = make_orders([(c, t, 10.0) for c, t, _, _ in rows])
    items = pd.DataFrame({"order_id": orders["order_id"], "product": [r[2] for r in rows],
                          "quantity": [r[3] for r in rows]})
    return orders, items


# ---------------------------------------------------------------- 复购提醒
def test_calendar_uses_last_purchase_and_quantity():
    orders, items = shop_tables([
        ("A", "2016-01-01 10:00:00", "蜂胶", 1),
        ("A", "2016-03-01 10:00:00", "蜂胶", 2),   # 最后一次：2 盒 → 120 天
        ("B", "2016-05-02 10:00:00", "鱼油", 1),   # 30 天 → 06-01
        ("C", "2016-05-02 10:00:00", "杯子", 1),   # 没有复购周期：不在表里
        ("D", "2016-06-02 10:00:00", "鱼油", 1),   # as_of 之后：不算
    ])
    cal = repurchase_calendar(orders, items, PRODUCTS, TODAY)
    assert cal[["customer_id", "product"]].values.tolist() == [["B", "鱼油"], ["A", "蜂胶"]]
    a = cal.set_index("customer_id").loc["A"]
    assert a["quantity"] == 2 and a["supply_days"] == 120 and str(a["due_date"].date()) == "2016-06-29"
    assert cal.set_index("customer_id").loc["B", "days_left"] == 0
    flat = repurchase_calendar(orders, items, PRODUCTS, TODAY, by_quantity=False).set_index("customer_id")
    assert flat.loc["A", "supply_days"] == 60


def test_due_window_is_today_plus_six_days():
    orders, items = shop_tables([
        ("T0", "2016-05-02", "鱼油", 1),   # 06-01：今天到期 → 算
        ("T6", "2016-05-08", "鱼油", 1),   # 06-07：第 7 天 → 算
        ("T7", "2016-05-09", "鱼油", 1),   # 06-08：第 8 天 → 不算
        ("TM", "2016-05-01", "鱼油", 1),   # 05-31：已经过期 → 不算
    ])
    due = repurchase_due(orders, items, PRODUCTS, TODAY, days=7)
    assert sorted(due["customer_id"]) == ["T0", "T6"]
    assert repurchase_due(orders, items, PRODUCTS, TODAY, days=1)["customer_id"].tolist() == ["T0"]
    with pytest.raises(ValueError, match="days"):
        repurchase_due(orders, items, PRODUCTS, TODAY, days=0)
    with pytest.raises(ValueError, match="repurchase_days"):
        repurchase_due(orders, items, PRODUCTS.drop(columns="repurchase_days"), TODAY)
    bad = PRODUCTS.assign(repurchase_days=[60, 0, None])
    with pytest.raises(ValueError, match="鱼油"):
        repurchase_due(orders, items, bad, TODAY)


# ---------------------------------------------------------------- 加购 / 收藏未购买
def test_carted_without_order_boundaries():
    ev = events([
        ("A", "2018-06-18 23:59:59", "加购", "风衣"),   # 窗口最后一秒：算
        ("A", "2018-06-02 10:00:00", "加购", "围巾"),
        ("B", "2018-06-19 00:00:00", "加购", "风衣"),   # 窗口之后：不算
        ("C", "2018-06-10 10:00:00", "加购", "风衣"),   # 6-30 下了单：去掉
        ("D", "2018-06-10 10:00:00", "加购", "风衣"),   # 7-01 才下单：保留
        ("E", "2018-06-10 10:00:00", "收藏", "风衣"),   # 不是加购
    ])
    orders = make_orders([("C", "2018-06-30 23:00:00", 100), ("D", "2018-07-01 00:00:01", 100)])
    out = carted_without_order(ev, orders, "2018-06-01", "2018-06-18", "2018-06-01", "2018-06-30")
    assert out.index.tolist() == ["A", "D"]
    assert out.loc["A", "cart_count"] == 2 and out.loc["A", "carted_products"] == "围巾、风衣"
    with pytest.raises(ValueError, match="早于"):
        carted_without_order(ev, orders, "2018-06-18", "2018-06-01", "2018-06-01", "2018-06-30")
    with pytest.raises(ValueError, match="行为事件表缺少"):
        carted_without_order(ev.drop(columns="event"), orders, "2018-06-01", "2018-06-18", "2018-06-01", "2018-06-30")


def test_favourited_never_bought():
    ev = events([("A", "2018-09-01", "收藏", "风衣"), ("B", "2018-09-01", "收藏", "风衣"),
                 ("C", "2018-11-01 08:00:00", "收藏", "风衣")])   # as_of 当天：不算
    orders = make_orders([("B", "2018-03-01", 100), ("A", "2018-11-01 09:00:00", 100)])  # A 的单在 as_of 当天
    out = favourited_never_bought(ev, orders, "2018-11-01")
    assert out.index.tolist() == ["A"]


# ---------------------------------------------------------------- 高潜老客
def test_high_potential_rule_validation_and_text():
    rule = HighPotentialRule()
    assert rule.steps() == ["近 12 个月下单 ≥ 2 笔", "2018-11-11 起没有下单", "近 30 天下单后还浏览/收藏/加购过"]
    assert rule.describe() == ("高潜老客：最近 12 个月下单 ≥ 2 笔，且 2018-11-11 以来没有下单，"
                               "且最近 30 天里、在自己最后一次下单之后还浏览、收藏、加购过。")
    for bad in (dict(min_orders=0), dict(active_days=1.5), dict(lookback_months=True), dict(active_events=())):
        with pytest.raises(ValueError):
            HighPotentialRule(**bad)
    with pytest.raises(ValueError, match="quiet_since"):
        HighPotentialRule(quiet_since="2018-13-01")
    assert HighPotentialRule(active_events="加购").active_events == ("加购",)


def test_high_potential_funnel_by_hand():
    orders = make_orders([
        ("A", "2018-03-01", 100), ("A", "2018-10-01", 100),             # 老客，双11 前买过
        ("B", "2018-03-01", 100), ("B", "2018-11-11 00:00:01", 100),    # 双11 当天买了：去掉
        ("C", "2017-12-09", 100), ("C", "2018-10-01", 100),             # 12 个月前一天的单不算 → 只有 1 笔
        ("D", "2018-05-01", 100), ("D", "2018-11-10 20:00:00", 100),    # 只在下单前浏览过：不算有兴趣
        ("E", "2018-05-01", 100), ("E", "2018-06-01", 100),             # 最近没来逛
        ("F", "2017-12-10", 100), ("F", "2018-01-01", 100),             # 评估期第一天的单算 → 2 笔
    ])
    ev = events([("A", "2018-12-09 22:00:00", "加购", "风衣"), ("B", "2018-12-01", "浏览", "风衣"),
                 ("C", "2018-12-01", "浏览", "风衣"), ("D", "2018-11-10 19:50:00", "浏览", "风衣"),
                 ("E", "2018-11-09 23:59:59", "浏览", "风衣"),   # 30 天窗口之外
                 ("F", "2018-11-10 00:00:00", "收藏", "风衣"),   # 窗口第一秒：算
                 ("A", "2018-12-10 09:00:00", "浏览", "风衣")])  # 今天：不算（也不影响 A）
    customers = pd.DataFrame({"customer_id": list("ABCDEFG"), "nickname": list("abcdefg"),
                              "phone": ["13800000000"] * 7, "sms_opt_out": [False] * 6 + [True]})
    funnel, chosen = high_potential(orders, ev, "2018-12-10", customers=customers)
    assert funnel["剩余客户数"].tolist() == [7, 5, 4, 2]
    assert funnel["本步去掉"].tolist() == [0, 2, 1, 2]
    assert chosen.index.tolist() == ["A", "F"]
    assert chosen.loc["A", "orders_in_period"] == 2 and chosen.loc["A", "nickname"] == "a"
    assert str(chosen.loc["F", "last_active"]) == "2018-11-10 00:00:00"
    plain_funnel, plain = high_potential(orders, ev, "2018-12-10")   # 不给客户表：从有记录的客户算起
    assert plain_funnel["剩余客户数"].iloc[0] == 6 and plain.index.tolist() == ["A", "F"]


# ---------------------------------------------------------------- 分批发送
def test_send_times():
    times = send_times("2018-12-12 18:00", "2018-12-12 20:00", 10)
    assert len(times) == 12 and str(times[0]) == "2018-12-12 18:00:00" and str(times[-1]) == "2018-12-12 19:50:00"
    assert len(send_times("2018-12-12 18:00", "2018-12-12 20:00", 7)) == 18  # 18:00 … 19:59
    with pytest.raises(ValueError, match="晚于"):
        send_times("2018-12-12 20:00", "2018-12-12 18:00")
    for bad in (0, 2.5, True):
        with pytest.raises(ValueError, match="every_minutes"):
            send_times("2018-12-12 18:00", "2018-12-12 20:00", bad)


@pytest.mark.parametrize("n", [0, 1, 11, 12, 25, 265])
def test_schedule_is_even_and_deterministic(n):
    recipients = pd.DataFrame({"parts": [1] * n}, index=pd.Index([f"XY{i:06d}" for i in range(n)][::-1],
                                                                  name="customer_id"))
    schedule = schedule_sends(recipients, "2018-12-12 18:00", "2018-12-12 20:00")
    assert len(schedule) == n and schedule.index.is_monotonic_increasing
    table = batch_table(schedule)
    assert table["人数"].sum() == n
    if n:
        assert table["人数"].max() - table["人数"].min() <= 1
        assert len(table) == min(n, 12)
        assert (schedule["send_time"] < pd.Timestamp("2018-12-12 20:00")).all()
        assert table["计费条数"].sum() == n
    again = schedule_sends(recipients.sample(frac=1, random_state=1), "2018-12-12 18:00", "2018-12-12 20:00")
    assert again["send_time"].equals(schedule["send_time"])


def test_schedule_with_sms_plan_never_includes_opted_out():
    audience = pd.DataFrame({"nickname": ["甲", "乙", "丙"], "phone": ["13800000001", "13800000002", None],
                             "sms_opt_out": [False, True, False]}, index=pd.Index(["A", "B", "C"], name="customer_id"))
    plan = plan_sms(audience, "{昵称}，双12最后几小时！", "夏艺女装")
    schedule = schedule_sends(plan.messages, "2018-12-12 18:00", "2018-12-12 20:00")
    assert schedule.index.tolist() == ["A"]
    assert batch_table(schedule)["发送时间"].tolist() == ["2018-12-12 18:00"]
    with pytest.raises(ValueError, match="schedule_sends"):
        batch_table(plan.messages)

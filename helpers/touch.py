"""智能触达：复购提醒、加购未购买、收藏未购买（优惠券关怀）、双12 高潜老客召回与分批发送。

任务四用到这里的函数。日期一律按“天”比较、两端都含（除非另有说明）；所有计算都是整列的
pandas 运算，不逐个客户循环。发短信仍然用 plan_sms（自动加签名和“回T退订”、去掉退订的客户）。
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .validation import checked, parse_date, prepare_items, prepare_orders, require_columns

_DAY = pd.Timedelta(days=1)


def _window(start, end, what: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """[start, end] 两端都含的日期区间 → (起点零点, 终点次日零点)。"""
    lo, hi = parse_date(start, f"{what}的开始日期"), parse_date(end, f"{what}的结束日期")
    if hi < lo:
        raise ValueError(f"{what}的结束日期 {hi.date()} 早于开始日期 {lo.date()}，请检查。")
    return lo, hi + _DAY


def _check_events(events: pd.DataFrame) -> None:
    require_columns(events, ["customer_id", "event_time", "event", "product"], "行为事件表",
             "请传入 load_shop('xiayi').events。")


def _joined(products: pd.Series) -> pd.Series:
    """每位客户涉及的商品（去重、排序后用“、”连接），例如“围巾、风衣”。

    products 以 customer_id 为索引；字符串按组相加（整列运算），再去掉末尾多出的“、”。
    """
    pairs = products.astype(str).reset_index().drop_duplicates()
    key, name = pairs.columns[0], pairs.columns[1]
    pairs = pairs.sort_values([key, name], kind="stable")
    return (pairs[name] + "、").groupby(pairs[key]).sum().str[:-1]


# ============================================================================
# 一、智能复购提醒：消耗品快用完时提醒客户
# ============================================================================

@checked
def repurchase_calendar(orders: pd.DataFrame, items: pd.DataFrame, products: pd.DataFrame, as_of,
                        by_quantity: bool = True) -> pd.DataFrame:
    """每位客户买过的每种消耗品：最后一次购买的日期和数量、预计用完（该复购）的日期。

    参数
    ----
    orders, items, products : 订单表、商品明细表、商品表（products 需要 repurchase_days 列）。
    as_of : “今天”；只用这一天及以前的订单。
    by_quantity : True（默认）时按数量算可用天数：买 3 盒 = 3 个复购周期；False 时不论买几件都只算 1 个周期。

    返回每个（客户, 商品）一行：customer_id、product、last_purchase（日期）、quantity、repurchase_days、
    supply_days（可用天数）、due_date（= last_purchase + supply_days）、days_left（due_date − as_of，天）。
    没有复购周期的商品（repurchase_days 为空）不在表里。
    """
    require_columns(products, ["product", "repurchase_days"], "商品表", "请传入 load_shop(...).products。")
    day = parse_date(as_of, "as_of")
    prepared = prepare_orders(orders, require_order_id=True)
    prepared = prepared[prepared["order_time"] < day + _DAY]
    lines = prepare_items(items).merge(prepared[["order_id", "customer_id", "order_time"]], on="order_id")
    cycles = products[["product", "repurchase_days"]].dropna()
    if (cycles["repurchase_days"] <= 0).any():
        bad = "、".join(cycles.loc[cycles["repurchase_days"] <= 0, "product"].astype(str))
        raise ValueError(f"商品表的 repurchase_days 列应是正整数天数，这些商品不是：{bad}。")
    lines = lines.merge(cycles, on="product")
    last = lines.sort_values(["order_time", "order_id"], kind="stable").drop_duplicates(
        ["customer_id", "product"], keep="last")
    out = pd.DataFrame({
        "customer_id": last["customer_id"].to_numpy(),
        "product": last["product"].to_numpy(),
        "last_purchase": last["order_time"].dt.normalize().to_numpy(),
        "quantity": last["quantity"].to_numpy(),
        "repurchase_days": last["repurchase_days"].astype("int64").to_numpy(),
    })
    out["supply_days"] = out["repurchase_days"] * (out["quantity"] if by_quantity else 1)
    out["due_date"] = out["last_purchase"] + pd.to_timedelta(out["supply_days"], unit="D")
    out["days_left"] = (out["due_date"] - day).dt.days.astype("int64")
    return out.sort_values(["due_date", "customer_id", "product"], kind="stable").reset_index(drop=True)


@checked
def repurchase_due(orders: pd.DataFrame, items: pd.DataFrame, products: pd.DataFrame, as_of,
                   days: int = 7, by_quantity: bool = True) -> pd.DataFrame:
    """今天起 days 天内（含今天，共 days 天）该复购的（客户, 商品），即 as_of ≤ due_date ≤ as_of + days − 1。

    参数同 repurchase_calendar；days 默认 7（今天和之后 6 天）。已经过了复购日还没回购的不算“即将到期”。
    """
    if int(days) < 1:
        raise ValueError(f"days 应是正整数（例如 7），收到 {days!r}。")
    cal = repurchase_calendar(orders, items, products, as_of, by_quantity)
    return cal[(cal["days_left"] >= 0) & (cal["days_left"] <= int(days) - 1)].reset_index(drop=True)


# ============================================================================
# 二、行为人群：加购未购买、收藏未购买
# ============================================================================

@checked
def carted_without_order(events: pd.DataFrame, orders: pd.DataFrame, cart_start, cart_end,
                         quiet_start, quiet_end) -> pd.DataFrame:
    """在 [cart_start, cart_end] 加购过、但在 [quiet_start, quiet_end] 没有下单的客户（日期两端都含）。

    例如 6.18：carted_without_order(events, orders, "2018-06-01", "2018-06-18", "2018-06-01", "2018-06-30")。
    返回以 customer_id 为索引的 DataFrame：cart_count（加购次数）、first_cart、last_cart、carted_products（加购的商品）。
    """
    _check_events(events)
    c_lo, c_hi = _window(cart_start, cart_end, "加购时间段")
    q_lo, q_hi = _window(quiet_start, quiet_end, "不下单时间段")
    prepared = prepare_orders(orders)
    times = events["event_time"]
    carts = events[(events["event"] == "加购") & (times >= c_lo) & (times < c_hi)]
    bought = prepared.loc[(prepared["order_time"] >= q_lo) & (prepared["order_time"] < q_hi), "customer_id"]
    carts = carts[~carts["customer_id"].isin(bought)]
    grouped = carts.groupby("customer_id")
    out = pd.DataFrame({"cart_count": grouped.size(), "first_cart": grouped["event_time"].min(),
                        "last_cart": grouped["event_time"].max()})
    out["carted_products"] = _joined(carts.set_index("customer_id")["product"]).reindex(out.index)
    out.index.name = "customer_id"
    return out


@checked
def favourited_never_bought(events: pd.DataFrame, orders: pd.DataFrame, as_of) -> pd.DataFrame:
    """收藏过商品、但到 as_of（不含当天）为止从没在本店下过单的客户。

    返回以 customer_id 为索引的 DataFrame：favourite_count（收藏次数）、last_favourite、favourited_products。
    """
    _check_events(events)
    day = parse_date(as_of, "as_of")
    prepared = prepare_orders(orders)
    favs = events[(events["event"] == "收藏") & (events["event_time"] < day)]
    buyers = prepared.loc[prepared["order_time"] < day, "customer_id"]
    favs = favs[~favs["customer_id"].isin(buyers)]
    grouped = favs.groupby("customer_id")
    out = pd.DataFrame({"favourite_count": grouped.size(), "last_favourite": grouped["event_time"].max()})
    out["favourited_products"] = _joined(favs.set_index("customer_id")["product"]).reindex(out.index)
    out.index.name = "customer_id"
    return out


# ============================================================================
# 三、双12“购物狂欢-老客成交冲刺”：高潜老客（规则是我们自己定的，写成数据）
# ============================================================================

@checked
@dataclass(frozen=True)
class HighPotentialRule:
    """高潜老客的规则：平台的算法不公开，这里用店铺自己的数据写一个看得懂的版本。

    lookback_months : 看最近几个自然月的订单（含 as_of 当天），默认 12。
    min_orders : 这段时间里至少下过几笔订单（老客户、买过不止一次），默认 2。
    quiet_since : 这一天及以后没有下过单（例如双11 以来还没买），默认 "2018-11-11"。
    active_days : 最近几天（今天之前的 N 天，不含今天）、并且在最后一次下单之后，还浏览、收藏或加购过，默认 30。
    active_events : 算作“有兴趣”的行为，默认 浏览、收藏、加购。
    """

    lookback_months: int = 12
    min_orders: int = 2
    quiet_since: str = "2018-11-11"
    active_days: int = 30
    active_events: tuple = ("浏览", "收藏", "加购")

    def __post_init__(self):
        for name in ("lookback_months", "min_orders", "active_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"HighPotentialRule 的 {name} 应是正整数，收到 {value!r}。")
        parse_date(self.quiet_since, "quiet_since")
        events = (self.active_events,) if isinstance(self.active_events, str) else tuple(self.active_events)
        if not events:
            raise ValueError("active_events 至少要有一种行为，例如 ('浏览', '收藏', '加购')。")
        object.__setattr__(self, "active_events", events)

    def steps(self) -> list:
        """规则每一步的简短说法（漏斗表和漏斗图的标签），和 high_potential 的漏斗一一对应。"""
        return [f"近 {self.lookback_months} 个月下单 ≥ {self.min_orders} 笔",
                f"{parse_date(self.quiet_since).date()} 起没有下单",
                f"近 {self.active_days} 天下单后还{'/'.join(self.active_events)}过"]

    def describe(self) -> str:
        """把规则读成一句完整的中文。"""
        return (f"高潜老客：最近 {self.lookback_months} 个月下单 ≥ {self.min_orders} 笔，"
                f"且 {parse_date(self.quiet_since).date()} 以来没有下单，"
                f"且最近 {self.active_days} 天里、在自己最后一次下单之后还{'、'.join(self.active_events)}过。")


@checked
def high_potential(orders: pd.DataFrame, events: pd.DataFrame, as_of, rule: HighPotentialRule = HighPotentialRule(),
                   customers: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """按 HighPotentialRule 找出高潜老客，返回 (漏斗表, 入选客户)。

    参数
    ----
    orders, events : 订单表、行为事件表。
    as_of : 评估日（“今天”）。
    rule : 规则，默认 HighPotentialRule()。
    customers : 客户表；给出时漏斗从全部客户算起，入选客户附上昵称、手机号、退订等列（可直接交给 plan_sms）。

    漏斗表的列与 Segment.funnel 相同（表单分区、条件、剩余客户数、本步去掉），可以用 funnel_chart 画图。
    入选客户：以 customer_id 为索引，含 orders_in_period、last_order、last_active。
    """
    _check_events(events)
    day = parse_date(as_of, "as_of")
    quiet = parse_date(rule.quiet_since, "quiet_since")
    prepared = prepare_orders(orders)
    prepared = prepared[prepared["order_time"] < day + _DAY]
    if customers is not None:
        require_columns(customers, ["customer_id"], "客户表", "请传入 load_shop(...).customers。")
        base = pd.Index(customers["customer_id"].astype(str).str.strip())
    else:
        base = pd.Index(prepared["customer_id"].unique()).union(pd.Index(events["customer_id"].unique()))
    start = day - pd.DateOffset(months=rule.lookback_months)
    period = prepared[prepared["order_time"] >= start]
    n_period = period.groupby("customer_id").size().reindex(base, fill_value=0)
    step1 = n_period >= rule.min_orders
    recent_buyers = prepared.loc[prepared["order_time"] >= quiet, "customer_id"]
    step2 = step1 & ~base.isin(recent_buyers)
    lo = day - pd.Timedelta(days=rule.active_days)
    last_order = prepared.groupby("customer_id")["order_time"].max()
    active = events[events["event"].isin(rule.active_events) & (events["event_time"] >= lo)
                    & (events["event_time"] < day)]
    after = active["customer_id"].map(last_order)
    active = active[after.isna() | (active["event_time"] > after)]  # 下单之前的浏览不算“还有兴趣”
    last_active = active.groupby("customer_id")["event_time"].max()
    step3 = step2 & base.isin(last_active.index)
    names = rule.steps()
    rows = [("全部客户", "（不加条件）", len(base), 0)]
    for section, text, mask in zip(["购买行为", "购买行为", "浏览行为"], names, [step1, step2, step3]):
        left = int(mask.sum())
        rows.append((section, text, left, rows[-1][2] - left))
    funnel = pd.DataFrame(rows, columns=["表单分区", "条件", "剩余客户数", "本步去掉"])
    chosen = base[step3.to_numpy()]
    out = pd.DataFrame(index=pd.Index(chosen, name="customer_id"))
    out["orders_in_period"] = n_period.reindex(chosen).astype("int64")
    out["last_order"] = last_order.reindex(chosen)
    out["last_active"] = last_active.reindex(chosen)
    if customers is not None:
        extra = customers.assign(customer_id=customers["customer_id"].astype(str).str.strip()).set_index("customer_id")
        out = out.join(extra.drop(columns=[c for c in out.columns if c in extra.columns]))
    out = out.sort_index()
    out.attrs["rule"] = rule
    return funnel, out


# ============================================================================
# 四、分批发送：在一个时间段里按固定间隔平均分批
# ============================================================================

@checked
def send_times(start, end, every_minutes: int = 10) -> pd.DatetimeIndex:
    """[start, end) 之间每隔 every_minutes 分钟一个发送时刻，例如 18:00、18:10 …… 19:50。"""
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    if hi <= lo:
        raise ValueError(f"发送结束时间 {hi} 应晚于开始时间 {lo}。")
    if isinstance(every_minutes, bool) or int(every_minutes) != every_minutes or every_minutes < 1:
        raise ValueError(f"every_minutes 应是正整数分钟，收到 {every_minutes!r}。")
    return pd.date_range(lo, hi, freq=f"{int(every_minutes)}min", inclusive="left")


@checked
def schedule_sends(recipients: pd.DataFrame, start, end, every_minutes: int = 10) -> pd.DataFrame:
    """把收件人平均分到 [start, end) 之间每 every_minutes 分钟一批（各批人数最多差 1 人）。

    参数
    ----
    recipients : 收件人表，以 customer_id 为索引（例如 plan_sms(...).messages）。
    start, end : 发送时间段，例如 "2018-12-12 18:00"、"2018-12-12 20:00"（end 那一刻不再发）。
    every_minutes : 每隔几分钟发一批，默认 10。

    按客户编号排序后依次分批，结果每次都一样。返回收件人表的副本，加上 batch（第几批）和 send_time 两列。
    """
    times = send_times(start, end, every_minutes)
    out = recipients.sort_index(kind="stable").copy()
    n, k = len(out), len(times)
    batch = (np.arange(n) * k) // n if n else np.zeros(0, dtype="int64")
    out["batch"] = batch + 1
    out["send_time"] = times[batch] if n else pd.DatetimeIndex([])
    return out


@checked
def batch_table(schedule: pd.DataFrame) -> pd.DataFrame:
    """分批发送表：每一批的发送时间、人数（以及计费条数，若有 parts 列）。"""
    require_columns(schedule, ["batch", "send_time"], "发送安排", "请先用 schedule_sends(...) 分批。")
    grouped = schedule.groupby("batch")
    out = pd.DataFrame({"发送时间": grouped["send_time"].first().dt.strftime("%Y-%m-%d %H:%M"),
                        "人数": grouped.size()})
    if "parts" in schedule.columns:
        out["计费条数"] = grouped["parts"].sum().astype("int64")
    out.index.name = "批次"
    return out

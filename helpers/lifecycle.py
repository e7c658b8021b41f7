"""客户生命周期：识别期、发展期、稳定期、衰退期，按规则从订单数据里算出来。

规则（LifecycleRule，默认值可以改）：
  * 识别期：已经注册（关注）了，但截至评估日还没有下过单；
  * 发展期：下过单，累计订单少于 loyal_orders 笔（默认 3），最近一次下单距评估日不超过 active_days 天（默认 90）；
  * 稳定期：累计订单达到 loyal_orders 笔及以上，最近一次下单距评估日不超过 active_days 天；
  * 衰退期：下过单，但最近一次下单距评估日已经超过 active_days 天。
评估日当天全天都算（和 customer_summary 的 as_of 一样）；“距评估日的天数”按日期相减，不看几点。

本模块先是规则（LifecycleRule），再是计算（某一天的阶段、每月月底的阶段、人数、流转、价值），最后是图表。
拖动规则看人数的小部件 LifecycleExplorer 在 helpers.widgets.lifecycle。
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .charts import new_figure
from .money import fen_to_yuan, round_yuan
from .validation import checked, parse_date, prepare_orders, require_columns

STAGES = ("识别期", "发展期", "稳定期", "衰退期")
STAGE_COLORS = {"识别期": "#BAB0AC", "发展期": "#F28E2B", "稳定期": "#4E79A7", "衰退期": "#9C755F"}
NEW = "（新注册）"

#: 每个阶段的营销重点（用自己的话概括的实践经验，课堂上可以补充）。
STRATEGY = {
    "识别期": "还没有下单：先分清谁是目标客户，用首单优惠、新客礼包和可信的评价、售后承诺建立信任，促成第一单。",
    "发展期": "刚买过一两次：推荐搭配商品、邀请入会、给第二单优惠，让购买次数和客单价一起往上走。",
    "稳定期": "常买、最近也在买：利润的主要来源。用会员等级、专属客服、新品优先和生日关怀留住他们，少用大额折扣。",
    "衰退期": "很久没有来：先看过去的价值。价值高的用召回短信、专属券挽回；价值低的降低触达频率，不必花大成本。",
}


@checked
@dataclass(frozen=True)
class LifecycleRule:
    """生命周期阶段的划分规则。

    active_days : 最近一次下单距评估日不超过几天算“最近还在买”，默认 90。
    loyal_orders : 累计下单达到几笔算“稳定”，默认 3（和店铺 VIP 入会的“交易 3 笔”一致）。
    """

    active_days: int = 90
    loyal_orders: int = 3

    def __post_init__(self):
        for name in ("active_days", "loyal_orders"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"LifecycleRule 的 {name} 应是正整数，收到 {value!r}。")
        if self.loyal_orders < 2:
            raise ValueError(f"loyal_orders 至少是 2（买过一次的人都算稳定就没有发展期了），收到 {self.loyal_orders}。")

    def conditions(self) -> dict:
        """每个阶段的判定条件（中文）。"""
        d, k = self.active_days, self.loyal_orders
        return {"识别期": "已注册，截至评估日还没有下过单",
                "发展期": f"下过 1–{k - 1} 笔，最近一次下单距评估日 ≤ {d} 天",
                "稳定期": f"下过 ≥ {k} 笔，最近一次下单距评估日 ≤ {d} 天",
                "衰退期": f"下过单，但最近一次下单距评估日 > {d} 天"}

    def to_sql(self, as_of, with_customers: bool = True, dialect: str = "duckdb") -> str:
        """按这条规则划分阶段的 SQL（和 lifecycle_stages(customers, orders, as_of, self) 结果相同）。"""
        from .sql import lifecycle_sql

        return lifecycle_sql(as_of, self, with_customers, dialect)

    def table(self) -> pd.DataFrame:
        """规则表：阶段、判定条件、营销重点。"""
        cond = self.conditions()
        return pd.DataFrame({"判定条件": [cond[s] for s in STAGES], "营销重点": [STRATEGY[s] for s in STAGES]},
                            index=pd.Index(STAGES, name="阶段"))


def _present(customers: pd.DataFrame | None, prepared: pd.DataFrame, day: pd.Timestamp) -> pd.Index:
    """评估日当天结束时已经是客户的人：注册日期不晚于评估日的客户，加上下过单的人。"""
    buyers = pd.Index(prepared["customer_id"].unique())
    if customers is None:
        return buyers.sort_values()
    require_columns(customers, ["customer_id"], "客户表", "请传入 load_shop(...).customers。")
    ids = customers["customer_id"].astype(str).str.strip()
    if "register_date" in customers.columns:
        registered = pd.to_datetime(customers["register_date"], errors="coerce")
        bad = registered.isna() & customers["register_date"].notna()
        if bad.any():
            rows = "、".join(map(str, customers.index[bad][:10]))
            raise ValueError(f"客户表的 register_date 列有无法识别的日期（出问题的行：{rows}）。请写成 2018-12-10 这样的日期。")
        ids = ids[(registered.isna() | (registered.dt.normalize() <= day)).to_numpy()]
    return pd.Index(ids.unique()).union(buyers).sort_values()    # 客户表为空时 union 不排序


def _stage_codes(n_orders: np.ndarray, days_since: np.ndarray, rule: LifecycleRule) -> np.ndarray:
    """0 识别期 1 发展期 2 稳定期 3 衰退期（days_since 对没下过单的人无意义）。"""
    active = days_since <= rule.active_days
    return np.select([n_orders == 0, ~active, n_orders >= rule.loyal_orders], [0, 3, 2], default=1)


def _as_category(codes: np.ndarray) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=list(STAGES), ordered=True)


@checked
def lifecycle_stages(customers: pd.DataFrame | None, orders: pd.DataFrame, as_of,
                     rule: LifecycleRule = LifecycleRule()) -> pd.DataFrame:
    """评估日那天每位客户处在哪个阶段。

    参数
    ----
    customers : 客户表（customer_id，最好有 register_date）；None 时只看下过单的人（没有识别期）。
    orders : 订单表（customer_id、order_time、amount）；只算评估日当天及以前的订单。
    as_of : 评估日。
    rule : 划分规则，默认 LifecycleRule()（90 天、3 笔）。

    返回以 customer_id 为索引的表：order_count、total_amount（元）、last_order（日期）、
    days_since_last（天，没下过单为空）、stage（有序分类：识别期 < 发展期 < 稳定期 < 衰退期）。
    """
    day = parse_date(as_of, "as_of")
    prepared = prepare_orders(orders)
    prepared = prepared[prepared["order_time"] < day + pd.Timedelta(days=1)]
    ids = _present(customers, prepared, day)
    g = prepared.groupby("customer_id", sort=False)
    n = g.size().reindex(ids, fill_value=0).to_numpy()
    total = g["amount_fen"].sum().reindex(ids, fill_value=0).to_numpy()
    last = g["order_time"].max().dt.normalize().reindex(ids)
    days_since = (day - last).dt.days
    codes = _stage_codes(n, days_since.fillna(-1).to_numpy(), rule)
    out = pd.DataFrame({"order_count": n.astype("int64"), "total_amount": fen_to_yuan(total), "last_order": last,
                        "days_since_last": days_since.astype("Int64"), "stage": _as_category(codes)},
                       index=pd.Index(ids, name="customer_id"))
    out.attrs["rule"] = rule
    out.attrs["as_of"] = day
    return out


@checked
def reclassify_stages(stages: pd.DataFrame, rule: LifecycleRule) -> pd.Series:
    """换一条规则重新划分阶段：只用 lifecycle_stages(...) 结果里的订单数和天数，不重读订单（小部件每次拖动用它）。

    参数
    ----
    stages : lifecycle_stages(...) 的结果（要有 order_count 和 days_since_last 两列）。
    rule : 新的划分规则，例如 LifecycleRule(60, 4)。

    返回以 customer_id 为索引的 stage 列（有序分类）；和 lifecycle_stages(customers, orders, as_of, rule)["stage"]
    一模一样。
    """
    require_columns(stages, ["order_count", "days_since_last"], "阶段表", "请传入 lifecycle_stages(...) 的结果。")
    n = stages["order_count"].to_numpy(dtype="int64")
    days_since = stages["days_since_last"].fillna(-1).to_numpy(dtype="int64")
    return pd.Series(_as_category(_stage_codes(n, days_since, rule)), index=stages.index, name="stage")


@checked
def month_ends(start, end) -> pd.DatetimeIndex:
    """start 所在月到 end 所在月，每个月的最后一天（end 所在月没过完时用 end 当天）。"""
    first, last = parse_date(start, "start"), parse_date(end, "end")
    if last < first:
        raise ValueError(f"结束日期 {last.date()} 早于开始日期 {first.date()}，请检查日期。")
    ends = pd.date_range(first + pd.offsets.MonthEnd(0), last + pd.offsets.MonthEnd(0), freq="ME")
    return ends.where(ends <= last, last)


@checked
def stage_history(customers: pd.DataFrame | None, orders: pd.DataFrame, start, end,
                  rule: LifecycleRule = LifecycleRule()) -> pd.DataFrame:
    """从 start 所在月到 end 所在月，每个月月底每位客户的阶段。

    返回：行 = 客户，列 = 月份（'2018-01' 这样的字符串），值 = 阶段；那个月月底还没注册的人为空。
    每个月是一次整表计算（按月循环，不按客户循环）。
    """
    ends = month_ends(start, end)
    prepared = prepare_orders(orders)
    prepared = prepared[prepared["order_time"] < ends[-1] + pd.Timedelta(days=1)]   # 最后一个月底之后的订单不看
    ids = _present(customers, prepared, ends[-1])
    prepared = prepared[prepared["customer_id"].isin(ids)]
    cust = pd.Index(ids).get_indexer(prepared["customer_id"])
    day = prepared["order_time"].dt.normalize().to_numpy().astype("datetime64[D]").astype("int64")
    # 客户表里的人注册后就在（没有注册日期的一直在）；不在客户表里的买家从第一笔订单起才在（和 lifecycle_stages 一致）
    known = np.zeros(len(ids), dtype=bool)
    first_seen = np.full(len(ids), np.datetime64("NaT"), dtype="datetime64[D]")
    if customers is not None:
        cid = customers["customer_id"].astype(str).str.strip()
        known = pd.Index(ids).isin(cid)
        if "register_date" in customers.columns:
            reg = pd.Series(pd.to_datetime(customers["register_date"], errors="coerce").to_numpy(), index=cid)
            first_seen = reg[~reg.index.duplicated()].reindex(ids).to_numpy().astype("datetime64[D]")
    columns = {}
    for month_end in ends:
        end_day = np.datetime64(month_end.date(), "D")
        seen = day <= end_day.astype("int64")
        n = np.bincount(cust[seen], minlength=len(ids))
        last = np.full(len(ids), np.iinfo("int64").min, dtype="int64")
        np.maximum.at(last, cust[seen], day[seen])
        days_since = np.where(n > 0, end_day.astype("int64") - last, -1)
        codes = _stage_codes(n, days_since, rule)
        present = (n > 0) | (known & (np.isnat(first_seen) | (first_seen <= end_day)))
        columns[month_end.strftime("%Y-%m")] = pd.Series(_as_category(codes), index=ids).where(present)
    out = pd.DataFrame(columns)
    out.index.name = "customer_id"
    out.columns.name = "月份"
    out.attrs["rule"] = rule
    return out


@checked
def stage_sizes(history: pd.DataFrame) -> pd.DataFrame:
    """每个月月底各阶段的客户数：行 = 月份，列 = 阶段。"""
    counts = {month: history[month].value_counts().reindex(list(STAGES), fill_value=0) for month in history.columns}
    out = pd.DataFrame(counts).T.astype("int64")
    out.index.name = "月份"
    out.columns.name = "阶段"
    return out


@checked
def stage_transitions(history: pd.DataFrame, start: str | None = None, end: str | None = None,
                      share: bool = False) -> pd.DataFrame:
    """相邻两个月之间的阶段流转：行 = 上月月底的阶段（或“（新注册）”），列 = 本月月底的阶段。

    参数
    ----
    history : stage_history(...) 的结果。
    start, end : 只看这几个月（'2018-06' 这样的字符串，两端都含，指“本月”）；默认全部相邻月份。
    share : True 时每一行除以该行合计（上月在这个阶段的人，本月去了哪里，%）。
    """
    months = list(history.columns)
    chosen = [m for m in months[1:] if (start is None or m >= start) and (end is None or m <= end)]
    if not chosen:
        raise ValueError(f"所选月份里没有相邻的两个月可以比较。可选的“本月”：{'、'.join(months[1:]) or '（无）'}。")
    rows = [NEW] + list(STAGES)
    total = pd.DataFrame(0, index=pd.Index(rows, name="上月阶段"), columns=pd.Index(list(STAGES), name="本月阶段"))
    for month in chosen:
        before = history[months[months.index(month) - 1]].astype(object).where(lambda s: s.notna(), NEW)
        after = history[month]
        keep = after.notna()
        table = pd.crosstab(before[keep], after[keep].astype(object))
        total = total.add(table.reindex(index=rows, columns=list(STAGES), fill_value=0), fill_value=0)
    total = total.astype("int64")
    if share:
        sums = total.sum(axis=1)
        return (total.div(sums.where(sums > 0), axis=0) * 100).round(1)
    return total


@checked
def stage_value(stages: pd.DataFrame, facts: pd.DataFrame, start, end) -> pd.DataFrame:
    """各阶段的客户在一段时间里贡献的销售额和毛利。

    参数
    ----
    stages : lifecycle_stages(...) 的结果（通常评估日 = start 的前一天）。
    facts : operations.order_facts(orders, items, products) 的结果（含 profit_fen）。
    start, end : 统计这段日期的订单（两端都含）。
    """
    lo, hi = parse_date(start, "start"), parse_date(end, "end")
    part = facts[(facts["date"] >= lo) & (facts["date"] <= hi)]
    stage = part["customer_id"].map(stages["stage"].astype(object))
    sales = part["amount_fen"].groupby(stage).sum().reindex(list(STAGES), fill_value=0)
    profit = part["profit_fen"].groupby(stage).sum().reindex(list(STAGES), fill_value=0.0)
    people = stages["stage"].value_counts().reindex(list(STAGES), fill_value=0)
    out = pd.DataFrame({"客户数（人）": people.astype("int64"),
                        "销售额（元）": fen_to_yuan(sales.astype("int64")),
                        "毛利（元）": profit.map(round_yuan)})
    out["客户数占比（%）"] = (out["客户数（人）"] / max(out["客户数（人）"].sum(), 1) * 100).round(1)
    out["毛利占比（%）"] = (out["毛利（元）"] / (out["毛利（元）"].sum() or np.nan) * 100).round(1)
    out.index.name = "阶段"
    return out


# ---------------------------------------------------------------- 图表

@checked
def stage_area_chart(sizes: pd.DataFrame, title: str = "每月月底各生命周期阶段的客户数") -> Figure:
    """堆叠面积图：横轴月份，纵轴客户数（人）。"""
    fig, ax = new_figure(7.2, 3.8)
    x = np.arange(len(sizes))
    ax.stackplot(x, *[sizes[s].to_numpy() for s in STAGES], labels=list(STAGES),
                 colors=[STAGE_COLORS[s] for s in STAGES], alpha=0.9)
    ax.set_xticks(x[::max(len(x) // 8, 1)], [sizes.index[i] for i in x[::max(len(x) // 8, 1)]])
    ax.set_xlabel("月份（月底）")
    ax.set_ylabel("客户数（人）")
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=9, ncols=4)
    ax.margins(x=0)
    return fig


@checked
def transition_heatmap(transitions: pd.DataFrame, title: str = "阶段流转：上月月底 → 本月月底（行内占比，%）") -> Figure:
    """流转矩阵热力图（建议传 share=True 的结果）。"""
    fig, ax = new_figure(6.0, 3.8)
    data = transitions.to_numpy(dtype=float)
    ax.imshow(np.nan_to_num(data), cmap="Blues", aspect="auto")
    ax.set_xticks(range(transitions.shape[1]), transitions.columns)
    ax.set_yticks(range(transitions.shape[0]), transitions.index)
    ax.set_xlabel("本月阶段")
    ax.set_ylabel("上月阶段")
    ax.grid(False)
    top = np.nanmax(data) if np.isfinite(data).any() else 0
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            if np.isfinite(data[i, j]):
                ax.text(j, i, f"{data[i, j]:g}", ha="center", va="center", fontsize=9,
                        color="white" if data[i, j] > top * 0.6 else "#333333")
    ax.set_title(title)
    return fig

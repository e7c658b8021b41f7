"""客户属性分析（8.4）：性别、年龄段、地区、职业、会员等级的构成，任意两个属性的交叉，新老买家，
复购率（二次购买率），购买间隔和同期群，以及它们的图表。

复购率（二次购买率）= 下过 2 单及以上的买家 ÷ 全部买家（只算下过单的客户），不看时间；
首单之后 N 天内回来再买的比例在 helpers.followup（first_order_return_rates）。
购买间隔 = 同一位客户相邻两个“下单日”之间的天数（同一天的几笔订单算一个下单日）。
年龄段、“未下单”“未达门槛（下过单）”来自 helpers.labels，会员等级来自 helpers.vip；
属性交叉小部件在 helpers.widgets.audience。
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .charts import new_figure
from .fonts import PALETTE
from .labels import NO_ORDER, age_band
from .money import fen_to_yuan, to_fen
from .summary import customer_summary
from .validation import checked, parse_date, prepare_orders, require_columns
from .vip import TEXTBOOK_VIP_TIERS, vip_tier_label

#: 可以交叉的属性：中文名 → audience_table 里的列名。
ATTRIBUTES = {"性别": "gender", "年龄段": "age_band", "省份": "province", "城市": "city",
              "职业": "occupation", "会员等级": "tier", "买家类型": "buyer_type"}
#: cross_attributes 的指标：名称 → 单位。
MEASURES = {"客户数": "人", "行占比": "%", "买家数": "人", "复购率": "%"}


@checked
def audience_table(customers: pd.DataFrame, orders: pd.DataFrame, as_of, tiers=TEXTBOOK_VIP_TIERS) -> pd.DataFrame:
    """一位客户一行的属性表：性别、年龄段、省份、城市、职业、会员等级、买家类型，外加订单总数和订单总金额。

    参数
    ----
    customers : 客户表（customer_id、gender、age、province、city、occupation）。
    orders : 订单表；只算 as_of 当天及以前的订单。
    as_of : 评估日（本案例的“今天”）。
    tiers : 会员等级门槛，默认教材的四级（按“达到”即 ≥ 评级，与第 05 课相同）。

    年龄段按 labels.AGE_EDGES 分（左闭右开）。
    会员等级（vip_tier_label）：下过单但一级都没达到的是“未达门槛（下过单）”，没下过单的是“未下单”。
    买家类型：“未下单”“一次购买”“复购（2 单及以上）”。
    """
    require_columns(customers, ("customer_id", "gender", "age", "province", "city", "occupation"), "客户表")
    summary = customer_summary(orders, customers=customers, as_of=as_of)
    out = summary[["order_count", "total_amount", "gender", "province", "city", "occupation"]].copy()
    out["age_band"] = age_band(summary["age"])
    out["tier"] = vip_tier_label(summary, tiers).rename(None)
    kind = np.select([summary["order_count"].to_numpy() == 0, summary["order_count"].to_numpy() == 1],
                     [NO_ORDER, "一次购买"], "复购（2 单及以上）")
    out["buyer_type"] = pd.Categorical(kind, categories=[NO_ORDER, "一次购买", "复购（2 单及以上）"], ordered=True)
    return out


def _column(table: pd.DataFrame, attribute: str) -> str:
    col = ATTRIBUTES.get(attribute, attribute)
    if col not in table.columns:
        raise ValueError(f"属性表里没有“{attribute}”。可用的属性：{'、'.join(ATTRIBUTES)}。")
    return col


@checked
def attribute_profile(table: pd.DataFrame, attribute: str, buyers_only: bool = False, top: int | None = None) -> pd.DataFrame:
    """某个属性的构成：每个取值的客户数、占比（%）、买家数、复购率（%）和订单总金额（元）。

    参数
    ----
    table : audience_table(...) 的结果。
    attribute : 中文属性名（见 ATTRIBUTES，例如“年龄段”）或列名。
    buyers_only : True 时只看下过单的客户。
    top : 只保留客户数最多的前 top 个取值（省份、城市取值很多时用），其余合并为“其他”。
    """
    col = _column(table, attribute)
    part = table[table["order_count"] > 0] if buyers_only else table
    key = part[col]
    if top is not None and not isinstance(key.dtype, pd.CategoricalDtype):
        keep = key.value_counts().head(top).index
        key = key.where(key.isin(keep), "其他")
    orders = part["order_count"]
    g = pd.DataFrame({"key": key.array, "buyer": (orders > 0).to_numpy(), "repeat": (orders >= 2).to_numpy(),
                      "fen": to_fen(part["total_amount"]).to_numpy()}
                     ).groupby("key", observed=True, sort=isinstance(key.dtype, pd.CategoricalDtype))
    out = pd.DataFrame({"客户数（人）": g.size(), "买家数（人）": g["buyer"].sum().astype("int64"),
                        "复购买家（人）": g["repeat"].sum().astype("int64"), "订单总金额（元）": fen_to_yuan(g["fen"].sum())})
    if not isinstance(key.dtype, pd.CategoricalDtype):
        out = out.sort_values("客户数（人）", ascending=False, kind="stable")
        if "其他" in out.index:
            out = pd.concat([out.drop(index="其他"), out.loc[["其他"]]])
    out.insert(1, "占比（%）", (out["客户数（人）"] / out["客户数（人）"].sum() * 100).round(1))
    out["复购率（%）"] = (out["复购买家（人）"] / out["买家数（人）"].where(out["买家数（人）"] > 0) * 100).round(1)
    out.index.name = attribute
    return out


@checked
def repeat_purchase_rate(table: pd.DataFrame) -> float:
    """复购率（二次购买率）：下过 2 单及以上的买家 ÷ 全部买家（没下过单的客户不算），返回 0–1 的比例。"""
    require_columns(table, ("order_count",), "客户表", "请传入 customer_summary 或 audience_table 的结果。")
    buyers = table["order_count"] > 0
    if not buyers.any():
        raise ValueError("表里没有下过单的客户（order_count 全为 0），复购率无法计算。")
    return float((table["order_count"] >= 2).sum() / buyers.sum())


#: new_vs_returning 的时间粒度：中文名 → (pandas 周期代码, 标签格式, 索引名)。
NEW_RETURNING_FREQS = {"月": ("M", "%Y-%m", "月份"), "日": ("D", "%Y-%m-%d", "日期")}


@checked
def new_vs_returning(orders: pd.DataFrame, as_of=None, freq: str = "月") -> pd.DataFrame:
    """每月（或每天）的新买家和老买家人数：新买家 = 第一笔订单就在这一期；老买家 = 这一期下单、但以前就买过。

    参数
    ----
    orders : 订单表。
    as_of : 评估日（含当天）；之后的订单不算。
    freq : "月"（默认）或 "日"。按日时，“以前买过”指这一天之前（不含当天）下过单：
           同一天先后下两单的新客户仍是这一天的新买家。

    一位买家在一期里下几单都只算一人。注意：“以前买过”只能看到数据里的历史，
    数据最早那几个月的买家几乎都会被算成新买家（左截断）。
    """
    if freq not in NEW_RETURNING_FREQS:
        raise ValueError(f"freq 应是 {'、'.join(NEW_RETURNING_FREQS)} 之一，收到 {freq!r}。")
    code, label, index_name = NEW_RETURNING_FREQS[freq]
    prepared = prepare_orders(orders)
    if as_of is not None:
        prepared = prepared[prepared["order_time"] < parse_date(as_of, "as_of") + pd.Timedelta(days=1)]
    period = prepared["order_time"].dt.to_period(code)
    first = period.groupby(prepared["customer_id"]).transform("min")
    pairs = pd.DataFrame({"period": period, "customer_id": prepared["customer_id"], "new": period == first}).drop_duplicates()
    g = pairs.groupby("period", sort=True)["new"]
    out = pd.DataFrame({"新买家（人）": g.sum().astype("int64"), "老买家（人）": (g.size() - g.sum()).astype("int64")})
    full = pd.period_range(out.index.min(), out.index.max(), freq=code)
    out = out.reindex(full, fill_value=0)
    out["老买家占比（%）"] = (out["老买家（人）"] / (out.sum(axis=1)).where(out.sum(axis=1) > 0) * 100).round(1)
    out.index = pd.Index(full.strftime(label), name=index_name)
    return out


@checked
def purchase_intervals(orders: pd.DataFrame, as_of=None) -> pd.DataFrame:
    """每位复购客户相邻两个下单日之间隔了多少天（同一天的几笔订单只算一个下单日）。

    返回一行一个间隔：customer_id、nth（2 表示第 1 个和第 2 个下单日之间）、from_date、to_date、days。
    """
    prepared = prepare_orders(orders)
    if as_of is not None:
        prepared = prepared[prepared["order_time"] < parse_date(as_of, "as_of") + pd.Timedelta(days=1)]
    days = pd.DataFrame({"customer_id": prepared["customer_id"].to_numpy(),
                         "date": prepared["order_time"].dt.normalize().to_numpy()}).drop_duplicates()
    days = days.sort_values(["customer_id", "date"], kind="stable", ignore_index=True)
    g = days.groupby("customer_id", sort=False)
    days["nth"] = g.cumcount() + 1
    days["from_date"] = g["date"].shift(1)
    out = days[days["nth"] >= 2].rename(columns={"date": "to_date"})
    out = out.assign(days=(out["to_date"] - out["from_date"]).dt.days.astype("int64"))
    return out[["customer_id", "nth", "from_date", "to_date", "days"]].reset_index(drop=True)


@checked
def interval_summary(intervals: pd.DataFrame) -> pd.DataFrame:
    """购买间隔的概况：第 1→2 次、第 2→3 次、之后各次的间隔个数、中位数、平均数和四分位数（天）。"""
    require_columns(intervals, ("nth", "days"), "购买间隔表", "请传入 purchase_intervals(...) 的结果。")
    step = np.select([intervals["nth"] == 2, intervals["nth"] == 3], ["第 1→2 次", "第 2→3 次"], "第 3 次以后")
    g = intervals["days"].groupby(pd.Categorical(step, categories=["第 1→2 次", "第 2→3 次", "第 3 次以后"]),
                                  observed=False)
    out = pd.DataFrame({"间隔个数": g.size(), "中位数（天）": g.median(), "平均（天）": g.mean().round(1),
                        "下四分位（天）": g.quantile(0.25), "上四分位（天）": g.quantile(0.75)})
    out.loc["全部"] = [len(intervals), intervals["days"].median(), round(intervals["days"].mean(), 1),
                      intervals["days"].quantile(0.25), intervals["days"].quantile(0.75)]
    out["间隔个数"] = out["间隔个数"].astype("int64")
    out.index.name = "哪两次之间"
    return out


@checked
def cohort_table(orders: pd.DataFrame, as_of, max_months: int = 12) -> pd.DataFrame:
    """同期群表：按首单月份分组，首单之后第 1、2……个月还有多少比例（%）的买家下单。

    参数
    ----
    orders : 订单表。
    as_of : 评估日（含当天）；还没走完的月份（首单月 + k 个月晚于 as_of 所在月）为空。
    max_months : 最多看到首单后第几个月。

    行是首单月份（附“首单人数”列），列“第 k 月”是首单月之后第 k 个自然月里下过单的人数 ÷ 首单人数。
    """
    day = parse_date(as_of, "as_of")
    prepared = prepare_orders(orders)
    prepared = prepared[prepared["order_time"] < day + pd.Timedelta(days=1)]
    month = prepared["order_time"].dt.to_period("M")
    first = month.groupby(prepared["customer_id"]).transform("min")
    age = (month.dt.year - first.dt.year) * 12 + (month.dt.month - first.dt.month)
    pairs = pd.DataFrame({"cohort": first.dt.strftime("%Y-%m"), "k": age, "customer_id": prepared["customer_id"]})
    pairs = pairs[(pairs["k"] >= 0) & (pairs["k"] <= max_months)].drop_duplicates()
    counts = pairs.groupby(["cohort", "k"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=range(max_months + 1), fill_value=0)
    size = counts[0]
    rate = counts.div(size, axis=0) * 100
    last = day.to_period("M")
    cohorts = pd.PeriodIndex(counts.index, freq="M")
    ks = np.arange(max_months + 1)
    elapsed = ((last.year - cohorts.year) * 12 + (last.month - cohorts.month)).to_numpy()
    rate = rate.where(ks[None, :] <= elapsed[:, None]).round(1)
    out = rate.drop(columns=0)
    out.columns = [f"第 {k} 月" for k in out.columns]
    out.insert(0, "首单人数", size.astype("int64"))
    out.index.name = "首单月份"
    return out


@checked
def cross_attributes(table: pd.DataFrame, row: str, column: str, measure: str = "客户数") -> pd.DataFrame:
    """把任意两个属性交叉：行是 row 的取值、列是 column 的取值，格子里是 measure。

    参数
    ----
    table : audience_table(...) 的结果。
    row, column : 中文属性名（见 ATTRIBUTES）。
    measure : MEASURES 之一："客户数"（人）、"行占比"（每行加起来 100%）、"买家数"（人）
              或 "复购率"（%，该格买家中 2 单及以上的比例）。
    """
    r, c = _column(table, row), _column(table, column)
    if r == c:
        raise ValueError(f"行和列选了同一个属性“{row}”，请换一个。")
    if measure not in MEASURES:
        raise ValueError(f"measure 应是 {'、'.join(MEASURES)} 之一，收到 {measure!r}。")
    keys = [table[r], table[c]]
    if measure in ("客户数", "行占比"):
        out = pd.crosstab(*keys)
        if measure == "行占比":
            out = (out.div(out.sum(axis=1), axis=0) * 100).round(1)
    else:
        buyer = table["order_count"] > 0
        part = [k[buyer] for k in keys]
        n = pd.crosstab(*part)
        if measure == "买家数":
            out = n
        else:
            rep = pd.crosstab(*part, values=(table.loc[buyer, "order_count"] >= 2).astype("int64"), aggfunc="sum")
            rep = rep.reindex_like(n).fillna(0)
            out = (rep / n.where(n > 0) * 100).round(1)
    out.index.name, out.columns.name = row, column
    return out


# ---------------------------------------------------------------------------
# 图表
# ---------------------------------------------------------------------------

@checked
def profile_chart(profile: pd.DataFrame, title: str | None = None) -> Figure:
    """横向条形图：attribute_profile(...) 的客户数（人），条末写上占比。"""
    fig, ax = new_figure(6.4, max(2.4, 0.32 * len(profile) + 1.2))
    labels = [str(i) for i in profile.index][::-1]
    values = profile["客户数（人）"].to_numpy()[::-1]
    bars = ax.barh(labels, values, color=PALETTE[0])
    ax.bar_label(bars, labels=[f"{v:,}（{s:.1f}%）" for v, s in zip(values, profile["占比（%）"].to_numpy()[::-1])],
                 padding=2, fontsize=8)
    ax.margins(x=0.22)
    name = profile.index.name or "属性"
    ax.set(title=title or f"客户的{name}构成", xlabel="客户数（人）", ylabel=name)
    return fig


@checked
def new_returning_chart(table: pd.DataFrame, title: str = "每月的新买家与老买家") -> Figure:
    """堆叠柱状图：new_vs_returning(...) 的结果，每月新买家（橙）与老买家（蓝）人数。"""
    fig, ax = new_figure(8.0, 3.6)
    labels = list(table.index)
    new = table["新买家（人）"].to_numpy()
    old = table["老买家（人）"].to_numpy()
    ax.bar(labels, old, color=PALETTE[0], label="老买家")
    ax.bar(labels, new, bottom=old, color=PALETTE[1], label="新买家")
    ax.set(title=title, xlabel="月份", ylabel="买家数（人）")
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(loc="upper left")
    return fig


@checked
def interval_chart(intervals: pd.DataFrame, bin_days: int = 15, max_days: int = 450,
                   title: str = "复购客户的购买间隔") -> Figure:
    """直方图：相邻两次下单日之间的天数（每 bin_days 天一格），竖线是中位数。"""
    fig, ax = new_figure(6.8, 3.4)
    days = intervals["days"].to_numpy()
    ax.hist(np.clip(days, 0, max_days), bins=np.arange(0, max_days + bin_days, bin_days), color=PALETTE[0])
    if len(days):
        med = float(np.median(days))
        ax.axvline(med, color=PALETTE[2], linestyle="--")
        ax.annotate(f"中位数 {med:.0f} 天", (med, ax.get_ylim()[1] * 0.9), xytext=(4, 0),
                    textcoords="offset points", fontsize=9, color=PALETTE[2])
    ax.set(title=title, xlabel=f"间隔（天，每 {bin_days} 天一格）", ylabel="间隔个数（个）")
    return fig


@checked
def cohort_heatmap(cohorts: pd.DataFrame, title: str = "同期群：首单之后每个月还有多少人回来下单（%）") -> Figure:
    """热力图：cohort_table(...) 的结果（不含“首单人数”列），颜色越深回购比例越高。"""
    import seaborn as sns

    data = cohorts.drop(columns="首单人数")
    fig, ax = new_figure(8.4, 0.32 * len(data) + 1.6)
    sns.heatmap(data, annot=True, fmt=".1f", cmap="Blues", cbar_kws={"label": "回购比例（%）"}, ax=ax,
                annot_kws={"fontsize": 7})
    ax.set(title=title, xlabel="首单之后的第几个月", ylabel="首单月份")
    return fig

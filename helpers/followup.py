"""首购客户跟进（任务二）：第一次买完之后，多少人在 30/90/180 天内回来再买，以及每月销售额里一批客户占多少。

- first_purchase_followup：每位买家的首单日期、下一次下单的日期、N 天内是否回来（repurchase_N 列）；
- first_order_cohort：按首单日期把买家分成“活动新客”和“其他新客”；
- first_order_return_rates / first_order_return_chart：各组首单之后 N 天内回来再买的比例及其柱状图；
- monthly_sales / monthly_sales_chart：每月销售额，可把一批客户（例如活动新客）单独列出来。

“回来再买”只看首单之后另一天的订单（首单当天的第二单不算）；观察期不够 N 天的客户不参加 N 天的比较。
这和 audience.repeat_purchase_rate（下过 2 单及以上的买家占全部买家的比例，不看时间）不是一回事。
金额按“分”相加，显示时换回元（helpers.money）。
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .charts import new_figure
from .fonts import PALETTE
from .money import fen_to_yuan
from .validation import checked, parse_date, prepare_orders


@checked
def first_purchase_followup(orders: pd.DataFrame, as_of, windows=(30, 90, 180)) -> pd.DataFrame:
    """每位买家的首单日期、下一次（首单之后另一天）下单的日期，以及是否在 N 天内复购。

    参数
    ----
    orders : 订单表；只用 as_of 当天及以前的订单。
    as_of : 评估日（含当天）。
    windows : 要看的天数，默认 30、90、180 天。

    复购的定义：首单日期之后（不含首单当天）N 天之内又下了单。
    观察期不够 N 天的客户（首单日期 + N 天晚于 as_of），repurchase_N 为空值（不参与比例）。
    返回以 customer_id 为索引的 DataFrame：first_order、next_order、days_to_next、repurchase_30 ……
    """
    windows = tuple(int(w) for w in windows)
    if not windows or min(windows) < 1:
        raise ValueError(f"windows 应是若干个正整数天数，例如 (30, 90, 180)，收到 {windows!r}。")
    day = parse_date(as_of, "as_of")
    prepared = prepare_orders(orders)
    prepared = prepared[prepared["order_time"] < day + pd.Timedelta(days=1)]
    dates = prepared["order_time"].dt.normalize()
    first = dates.groupby(prepared["customer_id"]).min()
    later = dates > prepared["customer_id"].map(first)
    nxt = dates[later].groupby(prepared.loc[later, "customer_id"]).min()
    out = pd.DataFrame({"first_order": first})
    out.index.name = "customer_id"
    out["next_order"] = nxt.reindex(out.index)
    gap = (out["next_order"] - out["first_order"]).dt.days
    out["days_to_next"] = gap.astype("Int64")
    for w in windows:  # 循环的是几个时间窗口，不是客户
        observable = out["first_order"] + pd.Timedelta(days=w) <= day
        flag = pd.array(gap.le(w).to_numpy(), dtype="boolean")
        flag[~observable.to_numpy()] = pd.NA
        out[f"repurchase_{w}"] = flag
    out.attrs["as_of"] = day
    return out


@checked
def first_order_cohort(followup: pd.DataFrame, start, end, inside: str = "活动新客",
                       outside: str = "其他新客") -> pd.Series:
    """按首单日期给买家分两组：首单在 [start, end]（两端都含）的为 inside，其余为 outside。"""
    lo, hi = parse_date(start, "start"), parse_date(end, "end")
    if hi < lo:
        raise ValueError(f"end（{hi.date()}）早于 start（{lo.date()}），请检查日期。")
    f = followup["first_order"]
    labels = np.where((f >= lo) & (f <= hi), inside, outside)
    return pd.Series(pd.Categorical(labels, categories=[inside, outside]), index=followup.index, name="cohort")


@checked
def first_order_return_rates(followup: pd.DataFrame, cohort: pd.Series) -> pd.DataFrame:
    """各组买家首单之后 30/90/180 天内回来再买的比例：每个窗口给出可观察人数、复购人数、复购率（%）。

    followup 是 first_purchase_followup(...) 的结果，cohort 是 first_order_cohort(...) 的分组。
    """
    cols = [c for c in followup.columns if c.startswith("repurchase_")]
    if not cols:
        raise ValueError("followup 里没有 repurchase_N 列：请先用 first_purchase_followup(...) 计算。")
    frames = {}
    for col in cols:  # 循环的是 3 个时间窗口，不是客户
        w = col.split("_", 1)[1]
        flag = followup[col]
        known = flag.notna()
        grouped = flag[known].astype(bool).groupby(cohort[known], observed=False)
        frames[f"{w} 天内"] = pd.DataFrame({"可观察人数": grouped.size(), "复购人数": grouped.sum(),
                                           "复购率（%）": (grouped.mean() * 100).round(1)})
    out = pd.concat(frames, axis=1)
    out.index.name = "客户组"
    return out


@checked
def first_order_return_chart(rates: pd.DataFrame, title: str = "首单之后多少人回来再买") -> Figure:
    """分组柱状图：first_order_return_rates(...) 的结果，横轴是时间窗口，每组客户一种颜色，柱上标复购率（%）。"""
    if not isinstance(rates.columns, pd.MultiIndex) or "复购率（%）" not in rates.columns.get_level_values(1):
        raise ValueError("first_order_return_chart 要的是 first_order_return_rates(...) 的结果"
                         "（两层表头，下层有“复购率（%）”），"
                         f"收到的表的列是：{'、'.join(map(str, list(rates.columns)[:6])) or '没有列'}。")
    fig, ax = new_figure(6.8, 3.6)
    table = rates.xs("复购率（%）", axis=1, level=1)
    windows = list(table.columns)
    x = np.arange(len(windows))
    width = 0.8 / max(len(table), 1)
    for i, group in enumerate(table.index):  # 循环的是两三个客户组，不是客户
        row = table.loc[group]
        color = PALETTE[[1, 0, 2, 3, 4][i % 5]]  # 第一组（活动新客）橙色，第二组蓝色
        bars = ax.bar(x + (i - (len(table) - 1) / 2) * width, row.to_numpy(), width, label=str(group), color=color)
        ax.bar_label(bars, labels=[f"{v:.1f}%" for v in row], fontsize=9, padding=2)
    ax.set_xticks(x, windows)
    ax.set_xlabel("首单之后的时间窗口")
    ax.set_ylabel("复购率（%）")
    ax.set_title(title)
    ax.legend(loc="upper left")
    return fig


@checked
def monthly_sales(orders: pd.DataFrame, highlight=None, highlight_label: str = "重点客户",
                  other_label: str = "其他客户") -> pd.DataFrame:
    """每月销售额（元，精确到分），可把一组客户（highlight）单独列出来。

    返回以月份（“2018-01”）为索引的表：highlight_label、other_label 两列和“合计”。
    """
    prepared = prepare_orders(orders)
    month = prepared["order_time"].dt.strftime("%Y-%m")
    group = np.where(prepared["customer_id"].isin(pd.Index(highlight if highlight is not None else [])),
                     highlight_label, other_label)
    fen = prepared["amount_fen"].groupby([month, group]).sum().unstack(fill_value=0)
    fen = fen.reindex(columns=[highlight_label, other_label], fill_value=0)
    out = pd.DataFrame({label: fen_to_yuan(fen[label]) for label in (highlight_label, other_label)})
    out["合计"] = fen_to_yuan(fen.sum(axis=1))
    out.index.name = "月份"
    out.columns.name = None
    return out


@checked
def monthly_sales_chart(table: pd.DataFrame, title: str = "每月销售额") -> Figure:
    """堆叠柱状图：monthly_sales(...) 的结果，每月两段（重点客户 / 其他客户），单位万元。"""
    fig, ax = new_figure(8.0, 3.8)
    parts = [c for c in table.columns if c != "合计"]
    bottom = np.zeros(len(table))
    colors = [PALETTE[1], PALETTE[0]]
    for i, col in enumerate(parts):  # 循环的是两段（重点客户 / 其他客户）
        values = table[col].to_numpy() / 10000
        ax.bar(list(table.index), values, bottom=bottom, color=colors[i % 2], label=col)
        bottom = bottom + values
    ax.set_xlabel("月份")
    ax.set_ylabel("销售额（万元）")
    ax.set_title(title)
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(loc="upper left")
    return fig

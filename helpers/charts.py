"""工作簿的图表：统一配色、中文标题和带单位的坐标轴，100 dpi。

每个函数返回一个 matplotlib Figure（不经过 pyplot，所以在笔记本里只显示一次、
不会越积越多）；放在单元格最后一行即可显示。
"""
from __future__ import annotations

import html

import pandas as pd
from matplotlib.figure import Figure

from .fonts import PALETTE, apply_theme
from .rfm import LEVEL_NAMES

LEVEL_COLORS = {"P": "#6C5B7B", "G": "#EDC948", "S": "#BAB0AC", "B": "#9C755F"}


def new_figure(width: float = 6.4, height: float = 3.6) -> tuple[Figure, object]:
    """新建一张 100 dpi 的图（已设置中文字体和工作簿主题），返回 (fig, ax)。"""
    apply_theme()
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig, fig.add_subplot()


def bar_chart(values: pd.Series, title: str, xlabel: str, ylabel: str,
              horizontal: bool = False, color: str | None = None, fmt: str = "{:,.0f}") -> Figure:
    """柱状图：values 的索引是类别，值是高度；每根柱子上标出数值。"""
    fig, ax = new_figure()
    labels = [str(i) for i in values.index]
    colors = color or PALETTE[0]
    if horizontal:
        bars = ax.barh(labels[::-1], values.to_numpy()[::-1], color=colors)
        ax.set_xlabel(ylabel)
        ax.set_ylabel(xlabel)
    else:
        bars = ax.bar(labels, values.to_numpy(), color=colors)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
    ax.bar_label(bars, labels=[fmt.format(v) for v in (values.to_numpy()[::-1] if horizontal else values)],
                 padding=2, fontsize=9)
    ax.set_title(title)
    return fig


def funnel_chart(funnel: pd.DataFrame, title: str = "分组漏斗：每加一条规则剩下的客户") -> Figure:
    """分组漏斗图：Segment.funnel(...) 的结果，每一步剩下多少位客户。"""
    values = pd.Series(funnel["剩余客户数"].to_numpy(), index=funnel["条件"])
    return bar_chart(values, title, "规则", "剩余客户数（人）", horizontal=True)


def level_chart(rfm: pd.DataFrame, title: str = "P/G/S/B 各级客户数与消费金额占比") -> Figure:
    """左图：各等级的客户数（人）；右图：各等级消费金额占全部的比例（%）。"""
    apply_theme()
    fig = Figure(figsize=(8, 3.4), dpi=100, layout="constrained")
    left, right = fig.subplots(1, 2)
    order = [lv for lv in LEVEL_NAMES if lv in set(rfm["level"].astype(str))] or list(LEVEL_NAMES)
    counts = rfm["level"].astype(str).value_counts().reindex(order, fill_value=0)
    spend = rfm.groupby(rfm["level"].astype(str))["monetary"].sum().reindex(order, fill_value=0)
    share = spend / spend.sum() * 100 if spend.sum() else spend
    names = [f"{lv} {LEVEL_NAMES[lv]}" for lv in order]
    colors = [LEVEL_COLORS[lv] for lv in order]
    bars = left.bar(names, counts.to_numpy(), color=colors)
    left.bar_label(bars, labels=[f"{v:,}" for v in counts], fontsize=9)
    left.set(title="客户数", xlabel="等级", ylabel="客户数（人）")
    bars = right.bar(names, share.to_numpy(), color=colors)
    right.bar_label(bars, labels=[f"{v:.1f}%" for v in share], fontsize=9)
    right.set(title="消费金额占比", xlabel="等级", ylabel="占评估期消费金额（%）")
    fig.suptitle(title)
    return fig


def rf_heatmap(rfm: pd.DataFrame, title: str = "R × F：各格的客户数（人）") -> Figure:
    """R 分 × F 分的热力图，格子里是客户数。"""
    import seaborn as sns

    fig, ax = new_figure(5.6, 4.2)
    table = pd.crosstab(rfm["R"], rfm["F"]).reindex(index=[5, 4, 3, 2, 1], columns=[1, 2, 3, 4, 5], fill_value=0)
    sns.heatmap(table, annot=True, fmt=",d", cmap="Blues", cbar_kws={"label": "客户数（人）"}, ax=ax)
    ax.set(title=title, xlabel="F 分（购买次数）", ylabel="R 分（最近一次购买）")
    return fig


def html_bars(values: pd.Series, unit: str = "人", colors: dict | None = None, width: int = 260) -> str:
    """用 HTML 画一个横向条形图（给小部件用：不经过 matplotlib，更新几乎不花时间）。"""
    peak = max(float(values.max()) if len(values) else 0, 1)
    rows = []
    for i, (label, value) in enumerate(values.items()):
        color = (colors or {}).get(label, PALETTE[i % len(PALETTE)])
        px = int(round(width * float(value) / peak))
        rows.append(
            f"<tr><td style='padding:1px 8px 1px 0;white-space:nowrap'>{html.escape(str(label))}</td>"
            f"<td><div style='background:{color};width:{px}px;height:14px;display:inline-block'></div>"
            f"<span style='margin-left:6px'>{value:,.0f} {unit}</span></td></tr>")
    return "<table style='border-collapse:collapse'>" + "".join(rows) + "</table>"


def table_html(df: pd.DataFrame, max_rows: int = 8) -> str:
    """把一张小表转成 HTML（小部件里的预览表用）。"""
    shown = df.head(max_rows)
    return shown.to_html(border=0, na_rep="", float_format=lambda v: f"{v:,.2f}", escape=True)


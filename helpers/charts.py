"""工作簿的图表：统一配色、中文标题和带单位的坐标轴，100 dpi。

每个函数返回一个 matplotlib Figure（不经过 pyplot，所以在笔记本里只显示一次、
不会越积越多）；放在单元格最后一行即可显示。
"""
from __future__ import annotations

import html
import textwrap

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .fonts import PALETTE, apply_theme
from .rfm import LEVEL_NAMES
from .validation import checked

LEVEL_COLORS = {"P": "#6C5B7B", "G": "#EDC948", "S": "#BAB0AC", "B": "#9C755F"}


@checked
def new_figure(width: float = 6.4, height: float = 3.6) -> tuple[Figure, object]:
    """新建一张 100 dpi 的图（已设置中文字体和工作簿主题），返回 (fig, ax)。"""
    apply_theme()
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig, fig.add_subplot()


@checked
def bar_chart(values: pd.Series, title: str, xlabel: str, ylabel: str,
              horizontal: bool = False, color: str | None = None, fmt: str = "{:,.0f}") -> Figure:
    """柱状图：values 的索引是类别，值是高度；每根柱子上标出数值。"""
    fig, ax = new_figure()
    labels = [str(i) for i in values.index]
    colors = color or PALETTE[0]
    if horizontal:
        labels = [textwrap.fill(label, 16) for label in labels]  # 长条件换行，不挤压图形
        bars = ax.barh(labels[::-1], values.to_numpy()[::-1], color=colors)
        ax.set_xlabel(ylabel)
        ax.set_ylabel(xlabel)
        ax.margins(x=0.12)  # 给柱子末端的数字留出位置
    else:
        bars = ax.bar(labels, values.to_numpy(), color=colors)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.margins(y=0.12)
    ax.bar_label(bars, labels=[fmt.format(v) for v in (values.to_numpy()[::-1] if horizontal else values)],
                 padding=2, fontsize=9)
    if pd.api.types.is_integer_dtype(values.dtype):  # 人数、笔数的坐标轴只标整数
        (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    return fig


@checked
def funnel_chart(funnel: pd.DataFrame, title: str = "分组漏斗：每加一条规则剩下的客户") -> Figure:
    """分组漏斗图：Segment.funnel(...) 的结果，每一步剩下多少位客户。"""
    values = pd.Series(funnel["剩余客户数"].to_numpy(), index=funnel["条件"])
    return bar_chart(values, title, "规则", "剩余客户数（人）", horizontal=True)


@checked
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
    left.margins(y=0.12)
    right.margins(y=0.12)
    fig.suptitle(title)
    return fig


@checked
def rf_heatmap(rfm: pd.DataFrame, title: str = "R × F：各格的客户数（人）") -> Figure:
    """R 分 × F 分的热力图，格子里是客户数。"""
    import seaborn as sns

    fig, ax = new_figure(5.6, 4.2)
    table = pd.crosstab(rfm["R"], rfm["F"]).reindex(index=[5, 4, 3, 2, 1], columns=[1, 2, 3, 4, 5], fill_value=0)
    sns.heatmap(table, annot=True, fmt=",d", cmap="Blues", cbar_kws={"label": "客户数（人）"}, ax=ax)
    ax.set(title=title, xlabel="F 分（购买次数）", ylabel="R 分（最近一次购买）")
    return fig


@checked
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


# 小部件里的表：表头和它那一列同样对齐（数字靠右、文字靠左），格子不折行；比框宽时在框里横向滚动。
TABLE_STYLE = ("<style>.crm-table-box{overflow-x:auto;max-width:100%}"
               ".crm-table{border-collapse:collapse;font-size:12px;line-height:1.4}"
               ".crm-table th,.crm-table td{padding:2px 8px;white-space:nowrap;text-align:left;vertical-align:top}"
               ".crm-table thead th{border-bottom:1px solid #999}"
               ".crm-table .num{text-align:right}</style>")


def _cell(value, number: bool) -> str:
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return ""
    if number and isinstance(value, float):
        return f"{value:,.2f}"
    if number and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, pd.Timestamp):
        return str(value.date()) if value == value.normalize() else value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


@checked
def table_html(df: pd.DataFrame, max_rows: int = 8) -> str:
    """把一张小表转成 HTML（小部件里的预览表用）：手机号和邮箱打码、中文表头（helpers.columns）、
    表头与它那一列对齐、格子不折行，放不下时横向滚动而不是被截掉。"""
    from .columns import chinese_headers
    from .privacy import mask_contacts

    shown = df.head(max_rows)
    if not (isinstance(shown.index, pd.RangeIndex) and shown.index.name is None):
        shown = shown.reset_index()            # 有名字的索引（客户编号……）变成普通的第一列：表头只有一行
    shown = chinese_headers(mask_contacts(shown))
    numeric = [pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_bool_dtype(shown[c])
               for c in shown.columns]
    head = "".join(f"<th class='num'>{html.escape(str(c))}</th>" if num else f"<th>{html.escape(str(c))}</th>"
                   for c, num in zip(shown.columns, numeric))
    rows = []
    for record in shown.itertuples(index=False, name=None):      # 最多 max_rows 行的小表
        cells = "".join(f"<td class='num'>{html.escape(_cell(v, num))}</td>" if num
                        else f"<td>{html.escape(_cell(v, num))}</td>" for v, num in zip(record, numeric))
        rows.append(f"<tr>{cells}</tr>")
    return (f"{TABLE_STYLE}<div class='crm-table-box'><table class='crm-table'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>")


@checked
def line_chart(values: pd.Series, title: str, xlabel: str, ylabel: str, fmt: str = "{:,.0f}",
               highlight: int = 0) -> Figure:
    """折线图：values 的索引是横轴（例如月份），值是纵轴；可以标出最高的 highlight 个点。

    参数
    ----
    values : 一列数，索引按时间顺序排好。
    title, xlabel, ylabel : 中文标题和带单位的坐标轴名称。
    fmt : 标注数值的格式。
    highlight : 标出数值最大的几个点（0 表示不标）。
    """
    from matplotlib.ticker import FuncFormatter

    fig, ax = new_figure(7.2, 3.6)
    labels = [str(i) for i in values.index]
    ax.plot(labels, values.to_numpy(), marker="o", markersize=3, color=PALETTE[0])
    if highlight:
        top = values.reset_index(drop=True).nlargest(highlight)
        ax.scatter(top.index, top.to_numpy(), color=PALETTE[2], zorder=3)
        for x, y in top.items():
            ax.annotate(f"{labels[x]}\n{fmt.format(y)}", (x, y), textcoords="offset points", xytext=(0, 6),
                        ha="center", fontsize=8, color=PALETTE[2])
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.set_ylim(0, float(values.max()) * 1.25 if len(values) else 1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.format(v)))
    step = max(len(labels) // 8, 1)
    ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right")
    return fig


@checked
def concentration_chart(amounts: dict, top: float = 0.2,
                        title: str = "消费集中度：前百分之几的买家贡献了多少销售额") -> Figure:
    """消费集中度曲线（帕累托曲线）：横轴是按消费从高到低排的买家占比，纵轴是他们的销售额占比。

    参数
    ----
    amounts : {名称: 每位买家的消费金额（Series）}，例如 {"A店铺": buyers["total_amount"]}。
    top : 在曲线上标出“前 top 的买家”这一点（默认 20%），数值与 helpers.top_share 一致。
    title : 图标题。
    """
    import numpy as np

    from .summary import top_share

    fig, ax = new_figure(6.4, 4.2)
    for i, (name, values) in enumerate(amounts.items()):
        ordered = np.sort(pd.Series(values).to_numpy(dtype="float64"))[::-1]
        if not len(ordered) or ordered.sum() == 0:
            raise ValueError(f"“{name}”没有消费金额（全为 0 或为空），画不出集中度曲线。请只传入下过单的买家。")
        x = np.arange(len(ordered) + 1) / len(ordered) * 100
        y = np.concatenate([[0.0], np.cumsum(ordered) / ordered.sum() * 100])
        color = PALETTE[i % len(PALETTE)]
        share = top_share(pd.Series(ordered), top) * 100
        k = max(int(np.ceil(len(ordered) * top)), 1)
        ax.plot(x, y, color=color, label=f"{name}：前 {top:.0%} 买家占 {share:.1f}%")
        ax.scatter([k / len(ordered) * 100], [share], color=color, zorder=3)
    ax.plot([0, 100], [0, 100], color="#999999", linestyle=":", linewidth=1, label="人人消费一样多")
    ax.axvline(top * 100, color="#999999", linestyle="--", linewidth=1)
    ax.axhline(80, color="#999999", linestyle="--", linewidth=1)
    ax.annotate("“二八定律”：前 20% 占 80%", (top * 100, 80), textcoords="offset points", xytext=(6, 6),
                fontsize=8, color="#666666")
    ax.set(title=title, xlabel="买家占比（%，按消费从高到低）", ylabel="销售额累计占比（%）", xlim=(0, 100), ylim=(0, 102))
    ax.legend(loc="lower right", fontsize=8)
    return fig


@checked
def sms_parts_chart(max_length: int = 210, marks=(54, 70, 71, 134, 135)) -> Figure:
    """短信计费阶梯图：横轴是一条短信的字数，纵轴是按几条计费（70 字以内 1 条，之后每 67 字 1 条）。

    参数
    ----
    max_length : 横轴画到多少字。
    marks : 在图上标出的字数（例如教材短信加签名后的字数）。
    """
    from .sms import sms_parts

    lengths = list(range(1, max_length + 1))
    parts = [sms_parts("字" * n) for n in lengths]       # 只对 1…max_length 这些字数各算一次，不涉及客户
    fig, ax = new_figure(6.4, 3.4)
    ax.step(lengths, parts, where="post", color=PALETTE[0])
    for n in marks:
        if 1 <= n <= max_length:
            p = sms_parts("字" * n)
            before_jump = sms_parts("字" * (n + 1)) > p      # 跳档前的最后一个字数：标签放在点的下方
            ax.scatter([n], [p], color=PALETTE[2], zorder=3)
            ax.annotate(f"{n} 字 → {p} 条", (n, p), textcoords="offset points",
                        xytext=(4, -13) if before_jump else (4, 6), fontsize=8)
    ax.set(title="短信字数与计费条数", xlabel="短信字数（字，含签名和退订提示）", ylabel="计费条数（条/人）",
           ylim=(0, max(parts) + 1))
    ax.set_yticks(range(0, max(parts) + 2))
    return fig

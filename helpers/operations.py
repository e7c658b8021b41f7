"""网店运营分析：按日/周/月看销售额、订单量、买家数、客单价和毛利，拆解环比、同比变化，看流量漏斗和下单渠道。

两个“每单/每人花多少钱”的指标，名字不要混用：

- 客单价 = 销售额 ÷ 支付买家数（每位买家平均花多少钱；生意参谋等平台数据工具的定义）；
- 平均订单价（笔单价）= 销售额 ÷ 订单量（每笔订单平均多少钱；CRM 分组表单里的“平均订单价”）。

于是销售额 = 支付买家数 × 客单价 = 访客数 × 转化率 × 客单价，也 = 订单量 × 平均订单价；
毛利 = 销售额 × 毛利率。教材写的“销售额 = 客单价 × 销量、利润 = 销售额 × 利润率”，
“销量”在这里读作支付买家数（按订单数算时，单价就得用平均订单价）。
金额一律先换算成整数“分”再求和，最后才换回元，所以结果精确到分。

环比拆解用“中点权重”（平均权重）的增量贡献公式，各部分相加恰好等于变化量::

    Δ销售额 = Δ客单价 × 两期买家数的平均 + Δ买家数 × 两期客单价的平均
    Δ毛利   = Δ销售额 × 两期毛利率的平均 + Δ毛利率 × 两期销售额的平均

（代数上严格相等，没有“交叉项”剩下；by="订单量" 时把买家数、客单价换成订单量、平均订单价。）
各部分四舍五入到分后，最后一部分取“变化量减去前面各部分”，所以按分计算时各部分之和与变化量分毫不差。
到分的四舍五入都是 helpers.money 的“四舍五入”（half up）。

本模块先是计算（order_facts → kpi_by_period、period_report、festival_peaks、decompose_change、
traffic_funnel、weekly_conversion、channel_mix），再是图表；日期范围小部件在 helpers.widgets.operations。
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .charts import new_figure
from .fonts import PALETTE
from .money import fen_to_yuan, round_fen, to_fen
from .validation import checked, money_fen, parse_date, prepare_items, prepare_orders, require_columns

#: 汇总的时间粒度：中文名 → pandas 的周期代码（周从周一开始）。
FREQS = {"日": "D", "周": "W-SUN", "月": "M"}

#: KPI 表的列（单位写在列名里）。
KPI_COLUMNS = ("销售额（元）", "订单量（单）", "买家数（人）", "客单价（元）", "平均订单价（元）", "毛利（元）", "毛利率（%）")

#: 拆解销售额的两种乘法“数量 × 单价”：参数 by → (KPI 表里数量那一列, 对应的单价)。
DECOMPOSITIONS = {"买家数": ("买家数（人）", "客单价"), "订单量": ("订单量（单）", "平均订单价")}


@checked
@dataclass(frozen=True)
class Festival:
    """一个电商大促：名称和每年的活动窗口（月-日，两端都含）；窗口里销售额最高的一天算作它的峰值。"""

    name: str
    start: str
    end: str


#: 本工作簿标注的大促。年货节没有固定日期，取每年 1 月；6.18、双11、双12 取预热期到当天。
FESTIVALS = (
    Festival("年货节", "01-01", "01-31"),
    Festival("6.18", "06-01", "06-18"),
    Festival("双11", "11-01", "11-11"),
    Festival("双12", "12-01", "12-12"),
)


@checked
def order_facts(orders: pd.DataFrame, items: pd.DataFrame | None = None,
                products: pd.DataFrame | None = None) -> pd.DataFrame:
    """把订单整理成“一笔订单一行”的事实表：日期、渠道、实付金额（分）和毛利（分）。

    参数
    ----
    orders : 订单表（order_id、customer_id、order_time、amount，可选 channel）。
    items : 商品明细表（order_id、product、quantity、amount）；和 products 一起给出时计算毛利。
    products : 商品表（product、margin）。

    每行明细的毛利 = 明细实付金额（分）× 该商品的毛利率；profit_fen 是一笔订单各行之和（分，不四舍五入，
    汇总成日、周、月以后才四舍五入到分，避免每笔订单各舍入一次累积误差）。没给 items/products 时 profit_fen 为空值。
    """
    prepared = prepare_orders(orders, require_order_id=items is not None)
    cols = ["customer_id", "order_time", "amount_fen"] + [c for c in ("order_id", "channel") if c in prepared]
    facts = prepared[cols].copy()
    facts["date"] = facts["order_time"].dt.normalize()
    if items is not None and products is not None:
        lines = prepare_items(items)
        require_columns(lines, ("amount",), "商品明细表", "计算毛利需要每行明细的实付金额 amount（元）。")
        require_columns(products, ("product", "margin"), "商品表", "计算毛利需要商品表的 margin（毛利率）列。")
        margin = lines["product"].map(products.set_index(products["product"].astype(str))["margin"])
        unknown = margin.isna()
        if unknown.any():
            names = "、".join(lines.loc[unknown, "product"].drop_duplicates().head(5))
            raise ValueError(f"商品明细表里有商品在商品表中找不到毛利率（例如 {names}）。"
                             "请在商品表里补上这些商品的 margin，或检查商品名是否写错。")
        line_fen = money_fen(lines["amount"], "商品明细表", "amount").to_numpy()
        line_profit = pd.Series(line_fen * margin.to_numpy(dtype="float64"), index=lines.index)
        per_order = line_profit.groupby(lines["order_id"].to_numpy()).sum()
        profit = facts["order_id"].map(per_order).fillna(0.0)
        facts["profit_fen"] = profit.to_numpy(dtype="float64")
    else:
        facts["profit_fen"] = np.nan
    return facts.sort_values("order_time", kind="stable").reset_index(drop=True)


def _window(facts: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    """只保留 start 到 end（两端都含，按日期）之间的订单。"""
    keep = np.ones(len(facts), dtype=bool)
    if start is not None:
        keep &= (facts["date"] >= parse_date(start, "start")).to_numpy()
    if end is not None:
        keep &= (facts["date"] <= parse_date(end, "end")).to_numpy()
    if start is not None and end is not None and parse_date(end, "end") < parse_date(start, "start"):
        raise ValueError(f"结束日期 {parse_date(end).date()} 早于开始日期 {parse_date(start).date()}，请检查日期。")
    return facts[keep]


def _labels(periods: pd.PeriodIndex, freq: str) -> pd.Index:
    if freq == "M":
        return pd.Index(periods.strftime("%Y-%m"))
    return pd.Index(periods.start_time.strftime("%Y-%m-%d"))   # 日：当天；周：这一周的周一


def _per(sales_fen, count) -> np.ndarray:
    """销售额（分）÷ 人数或单数 → 元，四舍五入到分；除数为 0 时为空值。"""
    count = np.asarray(count, dtype="int64")
    each = fen_to_yuan(round_fen(np.asarray(sales_fen, dtype="float64") / np.maximum(count, 1)))
    return np.where(count > 0, each, np.nan)


def _kpi_frame(sales_fen, orders, buyers, profit_fen) -> pd.DataFrame:
    sales_fen = np.asarray(sales_fen, dtype="int64")
    orders = np.asarray(orders, dtype="int64")
    buyers = np.asarray(buyers, dtype="int64")
    profit_fen = np.asarray(profit_fen, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        margin = np.where(sales_fen > 0, np.round(profit_fen / np.maximum(sales_fen, 1) * 100, 2), np.nan)
    return pd.DataFrame({"销售额（元）": fen_to_yuan(sales_fen), "订单量（单）": orders, "买家数（人）": buyers,
                         "客单价（元）": _per(sales_fen, buyers), "平均订单价（元）": _per(sales_fen, orders),
                         "毛利（元）": fen_to_yuan(profit_fen), "毛利率（%）": margin})


@checked
def kpi_by_period(facts: pd.DataFrame, freq: str = "月", start=None, end=None) -> pd.DataFrame:
    """按日、周或月汇总：销售额、订单量、买家数、客单价、毛利和毛利率。

    参数
    ----
    facts : order_facts(...) 的结果。
    freq : "日"、"周"（周一到周日，标签是周一的日期）或 "月"。
    start, end : 只看这段日期（两端都含）；不给时用全部订单。

    没有订单的日子（周、月）也占一行，数值为 0。买家数是这段时间里下过单的不同客户数
    （一个人下两单只算一人）；客单价 = 销售额 ÷ 买家数，平均订单价 = 销售额 ÷ 订单量（都四舍五入到分）。
    """
    if freq not in FREQS:
        raise ValueError(f"freq 应是 {'、'.join(FREQS)} 之一，收到 {freq!r}。")
    code = FREQS[freq]
    part = _window(facts, start, end)
    if part.empty:
        return _kpi_frame([], [], [], []).rename_axis(freq)
    periods = part["date"].dt.to_period(code)
    g = part.groupby(periods, sort=True)
    lo = parse_date(start).to_period(code) if start is not None else periods.min()
    hi = parse_date(end).to_period(code) if end is not None else periods.max()
    full = pd.period_range(lo, hi, freq=code)
    sales = g["amount_fen"].sum().reindex(full, fill_value=0)
    count = g.size().reindex(full, fill_value=0)
    buyers = g["customer_id"].nunique().reindex(full, fill_value=0)
    profit = round_fen(g["profit_fen"].sum(min_count=1).reindex(full).to_numpy(dtype="float64"))
    out = _kpi_frame(sales.to_numpy(), count.to_numpy(), buyers.to_numpy(), np.where(count.to_numpy() > 0, profit, 0.0))
    out.index = _labels(full, code)
    out.index.name = freq
    return out


@checked
def period_report(facts: pd.DataFrame, start=None, end=None) -> pd.Series:
    """一段日期（两端都含）的合计：销售额、订单量、买家数、客单价、平均订单价、毛利、毛利率，一行数。

    买家数是这段时间里的不同客户数：一位客户在几天里都下过单，也只算一人（所以它不等于每天买家数之和）。
    """
    part = _window(facts, start, end)
    frame = _kpi_frame([part["amount_fen"].sum()], [len(part)], [part["customer_id"].nunique()],
                       round_fen([part["profit_fen"].sum()]) if len(part) else [0.0])
    return frame.iloc[0].rename("合计")


@checked
def festival_peaks(daily: pd.DataFrame, column: str = "销售额（元）", festivals=FESTIVALS) -> pd.DataFrame:
    """找出每个大促窗口里数值最高的那一天（只看数据完整覆盖的窗口）。

    参数
    ----
    daily : kpi_by_period(facts, "日") 的结果（索引是 'YYYY-MM-DD'）。
    column : 按哪一列找峰值，默认销售额。
    festivals : 大促列表，默认 FESTIVALS（年货节、6.18、双11、双12）。
    """
    if column not in daily.columns:
        raise ValueError(f"日汇总表里没有 {column} 列；可用的列：{'、'.join(daily.columns)}。")
    dates = pd.to_datetime(pd.Index(daily.index), format="%Y-%m-%d")
    values = pd.Series(daily[column].to_numpy(), index=dates)
    first, last = dates.min(), dates.max()
    rows = []
    for year in range(first.year, last.year + 1):       # 循环的是年份和几个大促，不是客户
        for fest in festivals:
            lo, hi = pd.Timestamp(f"{year}-{fest.start}"), pd.Timestamp(f"{year}-{fest.end}")
            if lo < first or hi > last:
                continue
            window = values[lo:hi]
            day = window.idxmax()
            rows.append({"大促": fest.name, "日期": day.strftime("%Y-%m-%d"), column: window.max(),
                         "窗口日均": round(float(window.mean()), 2)})
    out = pd.DataFrame(rows, columns=["大促", "日期", column, "窗口日均"])
    return out.sort_values("日期", ignore_index=True)


@checked
def decompose_change(kpis: pd.DataFrame, by: str = "买家数") -> pd.DataFrame:
    """逐期拆解销售额和毛利的变化：是买家数（或订单量）、客单价（或平均订单价）还是毛利率在起作用。

    参数
    ----
    kpis : kpi_by_period(...) 的结果（通常按月），每一期与上一期比较；第一期没有上一期，不出现在结果里。
           只留两行（例如 2017-11 和 2018-11）就是同比拆解。
    by : 按哪个乘法拆销售额："买家数"（默认：销售额 = 买家数 × 客单价）或
         "订单量"（销售额 = 订单量 × 平均订单价）。

    方法（中点权重的增量贡献公式，各部分之和恰好等于变化量；下面以 by="买家数" 为例）：

    - 销售额变化 = 客单价贡献 + 买家数贡献，
      客单价贡献 = (客单价₁ − 客单价₀) × (买家数₀ + 买家数₁)/2，
      买家数贡献 = (买家数₁ − 买家数₀) × (客单价₀ + 客单价₁)/2；
    - 毛利变化 = 客单价贡献 × 平均毛利率 + 买家数贡献 × 平均毛利率 + 毛利率贡献，
      毛利率贡献 = (毛利率₁ − 毛利率₀) × (销售额₀ + 销售额₁)/2。

    客单价、毛利率用未四舍五入的精确值（销售额 ÷ 买家数、毛利 ÷ 销售额）。返回的金额单位是元，
    列名随 by 变化（例如“客单价贡献（元）”“买家数贡献（元）”）；“主要因素”是绝对值最大的那部分。
    任一期没有订单时无法定义单价，会报错。
    """
    if by not in DECOMPOSITIONS:
        raise ValueError(f"by 应是 {'、'.join(DECOMPOSITIONS)} 之一，收到 {by!r}。")
    volume, price = DECOMPOSITIONS[by]
    require_columns(kpis, ("销售额（元）", volume, "毛利（元）"), "KPI 表", "请传入 kpi_by_period(...) 的结果。")
    unknown = kpis["毛利（元）"].isna().to_numpy()
    if unknown.any():
        raise ValueError(f"KPI 表这几期的毛利是空值，不能拆解毛利：{'、'.join(map(str, kpis.index[unknown][:10]))}。"
                         "请用 order_facts(orders, items, products) 建事实表（给出商品明细和商品表才有毛利）。")
    s = to_fen(kpis["销售额（元）"]).to_numpy()
    n = kpis[volume].to_numpy(dtype="int64")
    p = to_fen(kpis["毛利（元）"]).to_numpy()
    empty = n == 0
    if empty.any():
        raise ValueError(f"这几期没有订单，{price}无法计算，不能拆解：{'、'.join(map(str, kpis.index[empty]))}。"
                         "请缩小日期范围，或改用更粗的时间粒度（例如按月）。")
    a = s / n                     # 单价（分，精确值）
    m = p / s                     # 毛利率（精确值）
    s0, s1, n0, n1, a0, a1, m0, m1, p0, p1 = s[:-1], s[1:], n[:-1], n[1:], a[:-1], a[1:], m[:-1], m[1:], p[:-1], p[1:]
    ds = s1 - s0
    price_part = round_fen((a1 - a0) * (n0 + n1) / 2).astype("int64")  # 四舍五入到分
    volume_part = ds - price_part                                         # 余下的归数量：相加恰好等于变化量
    dp = p1 - p0
    m_bar = (m0 + m1) / 2
    p_price = round_fen((a1 - a0) * (n0 + n1) / 2 * m_bar).astype("int64")
    p_volume = round_fen((n1 - n0) * (a0 + a1) / 2 * m_bar).astype("int64")
    p_margin = dp - p_price - p_volume
    out = pd.DataFrame({
        "上期": kpis.index[:-1].astype(str), "销售额变化（元）": fen_to_yuan(ds),
        f"{price}贡献（元）": fen_to_yuan(price_part), f"{by}贡献（元）": fen_to_yuan(volume_part),
        "毛利变化（元）": fen_to_yuan(dp), f"毛利·{price}贡献（元）": fen_to_yuan(p_price),
        f"毛利·{by}贡献（元）": fen_to_yuan(p_volume), "毛利·毛利率贡献（元）": fen_to_yuan(p_margin),
    }, index=kpis.index[1:])
    parts = np.abs(np.vstack([price_part, volume_part]))
    out["销售额主要因素"] = np.where(parts[0] >= parts[1], price, by)
    names = np.array([price, by, "毛利率"])
    out["毛利主要因素"] = names[np.abs(np.vstack([p_price, p_volume, p_margin])).argmax(axis=0)]
    out.index.name = kpis.index.name
    return out


@checked
def traffic_funnel(events: pd.DataFrame, start=None, end=None, steps=("浏览", "加购", "下单")) -> pd.DataFrame:
    """流量漏斗：这段时间里做过第一步的客户，有多少人接着做了下一步。

    参数
    ----
    events : 行为事件表（customer_id、event_time、event）。
    start, end : 日期范围（两端都含）；不给时用全部事件。
    steps : 漏斗的步骤，默认“浏览 → 加购 → 下单”。

    第 k 步的人数 = 在这段时间里前 k 个行为都做过的客户数（一层层取交集，所以人数只减不增）。
    注意：样例数据里的浏览、加购只是抽样记录，转化率只用来比较，不代表真实访客量。
    """
    require_columns(events, ("customer_id", "event_time", "event"), "行为事件表")
    steps = tuple(steps)
    unknown = [s for s in steps if s not in set(events["event"].unique())]
    if unknown:
        raise ValueError(f"行为事件表的 event 列里没有这些行为：{'、'.join(unknown)}。"
                         f"现有的行为：{'、'.join(map(str, events['event'].unique()))}。")
    day = events["event_time"].dt.normalize()
    keep = np.ones(len(events), dtype=bool)
    if start is not None:
        keep &= (day >= parse_date(start, "start")).to_numpy()
    if end is not None:
        keep &= (day <= parse_date(end, "end")).to_numpy()
    part = events.loc[keep & events["event"].isin(steps).to_numpy(), ["customer_id", "event"]].drop_duplicates()
    did = pd.crosstab(part["customer_id"], part["event"]).reindex(columns=list(steps), fill_value=0) > 0
    reached = did.cumprod(axis=1).sum(axis=0).astype("int64")
    out = pd.DataFrame({"人数（人）": reached.to_numpy()}, index=pd.Index(steps, name="步骤"))
    prev = out["人数（人）"].shift(1)
    out["占上一步（%）"] = (out["人数（人）"] / prev * 100).round(1)
    first = out["人数（人）"].iloc[0] if len(out) else 0
    out["占第一步（%）"] = (out["人数（人）"] / first * 100).round(1) if first else np.nan
    return out


@checked
def weekly_conversion(events: pd.DataFrame, visit: str = "浏览", buy: str = "下单") -> pd.DataFrame:
    """每周的访客数（做过 visit 的不同客户）、下单人数（其中也做了 buy 的人）和转化率（%）。"""
    require_columns(events, ("customer_id", "event_time", "event"), "行为事件表")
    week = events["event_time"].dt.to_period("W-SUN")
    part = pd.DataFrame({"week": week, "customer_id": events["customer_id"], "event": events["event"]})
    part = part[part["event"].isin([visit, buy])].drop_duplicates()
    did = pd.crosstab([part["week"], part["customer_id"]], part["event"]).reindex(columns=[visit, buy], fill_value=0) > 0
    both = did[visit] & did[buy]
    visitors = did[visit].groupby(level=0).sum()
    buyers = both.groupby(level=0).sum()
    out = pd.DataFrame({"访客数（人）": visitors.astype("int64"), "下单人数（人）": buyers.astype("int64")})
    out["转化率（%）"] = (out["下单人数（人）"] / out["访客数（人）"].where(out["访客数（人）"] > 0) * 100).round(1)
    out.index = _labels(pd.PeriodIndex(out.index), "W-SUN")
    out.index.name = "周"
    return out


@checked
def channel_mix(facts: pd.DataFrame, freq: str = "月", start=None, end=None) -> pd.DataFrame:
    """PC 与无线：每期两个渠道的订单量、平均订单价（销售额 ÷ 订单量），以及无线的订单占比（%）。"""
    require_columns(facts, ("channel",), "订单事实表", "订单表需要 channel 列（PC 或无线）。")
    if freq not in FREQS:
        raise ValueError(f"freq 应是 {'、'.join(FREQS)} 之一，收到 {freq!r}。")
    part = _window(facts, start, end)
    periods = part["date"].dt.to_period(FREQS[freq])
    g = part.groupby([periods, part["channel"]], sort=True)
    count = g.size().unstack(fill_value=0)
    sales = g["amount_fen"].sum().unstack(fill_value=0)
    channels = [c for c in ("PC", "无线") if c in count.columns] + [c for c in count.columns if c not in ("PC", "无线")]
    out = pd.DataFrame(index=count.index)
    for c in channels:
        out[f"{c}订单（单）"] = count[c].astype("int64")
    for c in channels:
        out[f"{c}平均订单价（元）"] = _per(sales[c].to_numpy(), count[c].to_numpy())
    if "无线" in count.columns:
        out["无线订单占比（%）"] = (count["无线"] / count.sum(axis=1) * 100).round(1)
    out.index = _labels(pd.PeriodIndex(out.index), FREQS[freq])
    out.index.name = freq
    return out


# ---------------------------------------------------------------------------
# 图表
# ---------------------------------------------------------------------------

@checked
def trend_chart(kpis: pd.DataFrame, column: str = "销售额（元）", peaks: pd.DataFrame | None = None,
                title: str = "每日销售额与大促峰值", unit: str = "万元", scale: float = 10000) -> Figure:
    """折线图：某个指标随时间的走势，并在图上标出大促峰值（festival_peaks 的结果）。

    参数
    ----
    kpis : kpi_by_period(...) 的结果。
    column : 画哪一列。
    peaks : festival_peaks(...) 的结果；给出时在这些日期上打点并写上大促名。
    unit, scale : 纵轴单位和换算（默认把元换成万元）。
    """
    from matplotlib.ticker import FuncFormatter

    fig, ax = new_figure(8.0, 3.8)
    x = pd.to_datetime(pd.Index(kpis.index), format="mixed")
    y = kpis[column].to_numpy(dtype="float64") / scale
    ax.plot(x, y, color=PALETTE[0], linewidth=1)
    if peaks is not None and len(peaks):
        px = pd.to_datetime(peaks["日期"])
        py = peaks[column].to_numpy(dtype="float64") / scale
        ax.scatter(px, py, color=PALETTE[2], zorder=3, s=18)
        for (d, v, name) in zip(px, py, peaks["大促"]):   # 循环的是几个峰值
            ax.annotate(f"{name}\n{d:%m-%d}", (d, v), textcoords="offset points", xytext=(0, 6),
                        ha="center", fontsize=8, color=PALETTE[2])
    ax.set_ylim(0, float(np.nanmax(y)) * 1.25 if len(y) else 1)
    name = column.split("（")[0]
    ax.set(title=title, xlabel="日期", ylabel=f"{name}（{unit}）")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if scale > 1 else f"{v:,.0f}"))
    return fig


@checked
def decomposition_chart(dec: pd.DataFrame, target: str = "销售额",
                        title: str | None = None) -> Figure:
    """堆叠柱状图：每月的环比变化拆成单价、数量（毛利还有毛利率）几部分，黑点是总变化（万元）。"""
    contributions = [c for c in dec.columns if c.endswith("贡献（元）")]
    if target == "销售额":
        parts = [c for c in contributions if not c.startswith("毛利")]
        total = "销售额变化（元）"
    elif target == "毛利":
        parts = [c for c in contributions if c.startswith("毛利·")]
        total = "毛利变化（元）"
    else:
        raise ValueError(f"target 应是“销售额”或“毛利”，收到 {target!r}。")
    fig, ax = new_figure(8.0, 3.8)
    labels = [str(i) for i in dec.index]
    x = np.arange(len(labels))
    pos = np.zeros(len(x))
    neg = np.zeros(len(x))
    for i, col in enumerate(parts):    # 循环的是两三个组成部分
        v = dec[col].to_numpy(dtype="float64") / 10000
        base = np.where(v >= 0, pos, neg)
        ax.bar(x, v, bottom=base, color=PALETTE[[0, 1, 4][i]], label=col.replace("毛利·", "").replace("（元）", ""))
        pos = pos + np.where(v >= 0, v, 0)
        neg = neg + np.where(v < 0, v, 0)
    ax.scatter(x, dec[total].to_numpy(dtype="float64") / 10000, color="black", zorder=3, s=14, label="总变化")
    ax.axhline(0, color="#666666", linewidth=0.8)
    ax.set_xticks(x, labels, rotation=45, ha="right")
    ax.set(title=title or f"{target}环比变化的拆解", xlabel="月份（与上月比）", ylabel=f"{target}变化（万元）")
    ax.legend(loc="upper left", fontsize=8)
    return fig


@checked
def traffic_funnel_chart(funnel: pd.DataFrame, title: str = "流量漏斗：浏览 → 加购 → 下单") -> Figure:
    """漏斗图：每一步的人数（横条居中），旁边写上占上一步的比例。"""
    fig, ax = new_figure(6.4, 3.2)
    values = funnel["人数（人）"].to_numpy(dtype="float64")
    y = np.arange(len(values))[::-1]
    ax.barh(y, values, left=(values.max() - values) / 2, color=[PALETTE[i % len(PALETTE)] for i in range(len(values))])
    for yi, v, step, prev in zip(y, values, funnel.index, funnel["占上一步（%）"]):   # 循环的是漏斗的三四个步骤
        rate = "" if pd.isna(prev) else f"（占上一步 {prev:.1f}%）"
        ax.text(values.max() / 2, yi, f"{step}：{int(v):,} 人{rate}", ha="center", va="center", fontsize=9,
                color="white" if v > values.max() * 0.45 else "black")
    ax.set_yticks([])
    ax.set(title=title, xlabel="客户数（人）")
    return fig


@checked
def channel_chart(mix: pd.DataFrame, title: str = "无线订单占比（%）") -> Figure:
    """折线图：每期无线（手机）订单占全部订单的比例。"""
    fig, ax = new_figure(7.2, 3.4)
    labels = [str(i) for i in mix.index]
    ax.plot(labels, mix["无线订单占比（%）"].to_numpy(), marker="o", markersize=3, color=PALETTE[0])
    ax.set_ylim(0, 100)
    ax.set(title=title, xlabel="月份", ylabel="无线订单占比（%）")
    ax.tick_params(axis="x", labelrotation=45)
    return fig

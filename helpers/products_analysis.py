"""商品销售分析：畅销商品、帕累托曲线与 ABC 分类、连带购买、复购周期、拉新与留存。

全部是整店一次算完的 pandas 运算（不逐个客户、逐个订单循环）；金额按整数“分”求和，
日期按“天”比较。每一节先是计算，再是它的图表（返回 matplotlib Figure）；最后是把结果表换成
中文表头的 readable。ABC 分类的小部件 AbcExplorer 在 helpers.widgets.products。
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .columns import chinese_headers
from .money import fen_to_yuan, to_fen
from .summary import filter_as_of
from .validation import checked, money_fen, parse_date, prepare_items, prepare_orders, require_columns

#: 工作簿采用的 ABC 分类边界：按销售额从高到低累加，A 类是前 70% 的销售额，B 类是接下来的 20%，C 类是最后 10%。
#: 跨过边界的那个商品（“补齐”这一类的商品）归入它补齐的那一类。
ABC_EDGES = (0.70, 0.90)

ABC_COLORS = {"A": "#4E79A7", "B": "#F28E2B", "C": "#BAB0AC"}


# ---------------------------------------------------------------- 准备数据

@checked
def order_lines(orders: pd.DataFrame, items: pd.DataFrame, as_of=None, start=None) -> pd.DataFrame:
    """把商品明细和订单连起来：每行一个（订单, 商品），带上客户、下单时间和金额（分）。

    参数
    ----
    orders : 订单表（order_id、customer_id、order_time）。
    items : 商品明细表（order_id、product、quantity、amount）。
    as_of : 截止日期（含当天，这一天 23:59:59 下的单也算），之后的订单不计入；不给时用全部订单。
    start : 开始日期（含当天，从 00:00:00 算起）；不给时从第一笔订单算起。

    返回列：order_id、customer_id、order_time、product、quantity、amount_fen。
    找不到订单的明细行（订单号对不上）不计入。
    """
    require_columns(items, ["order_id", "product", "quantity", "amount"], "商品明细表")
    prepared = filter_as_of(prepare_orders(orders, require_order_id=True), as_of)
    if start is not None:
        first = parse_date(start, "start")
        if as_of is not None and parse_date(as_of, "as_of") < first:
            raise ValueError(f"截止日期 as_of（{parse_date(as_of).date()}）早于开始日期 start（{first.date()}），请检查日期。")
        prepared = prepared[prepared["order_time"] >= first]
    lines = prepare_items(items)
    lines = lines.assign(amount_fen=money_fen(items["amount"], "商品明细表", "amount"))
    lines = lines[["order_id", "product", "quantity", "amount_fen"]].merge(
        prepared[["order_id", "customer_id", "order_time"]], on="order_id", how="inner")
    return lines[["order_id", "customer_id", "order_time", "product", "quantity", "amount_fen"]]


# ---------------------------------------------------------------- 畅销商品

@checked
def product_sales(orders: pd.DataFrame, items: pd.DataFrame, as_of=None, start=None) -> pd.DataFrame:
    """每种商品一行：销售额、销量、订单数、买家数和销售额占比，按销售额从高到低排。

    参数
    ----
    orders, items : 订单表和商品明细表（明细要有 amount 列，单位元）。
    as_of : 截止日期（含当天）。
    start : 开始日期（含当天）；和 as_of 一起给出时只看这段日期，例如一个月：
            start="2018-01-01", as_of="2018-01-31"。这段时间没卖出的商品不出现在表里。

    返回以 product 为索引的表：sales（销售额，元，精确到分）、units（销量，件）、
    orders（含这种商品的订单数，笔）、buyers（买家数，人）、sales_share（占全店销售额的比例，0–1）。
    销售额相同的商品按商品名排序，结果每次都一样。
    """
    lines = order_lines(orders, items, as_of, start)
    grouped = lines.groupby("product", sort=True)
    out = pd.DataFrame({
        "sales_fen": grouped["amount_fen"].sum(),
        "units": grouped["quantity"].sum(),
        "orders": grouped["order_id"].nunique(),
        "buyers": grouped["customer_id"].nunique(),
    })
    total = int(out["sales_fen"].sum())
    out["sales"] = fen_to_yuan(out["sales_fen"])
    out["sales_share"] = out["sales_fen"] / total if total else 0.0
    out = out.reset_index().sort_values(["sales_fen", "product"], ascending=[False, True]).set_index("product")
    return out[["sales", "units", "orders", "buyers", "sales_share"]]


# ---------------------------------------------------------------- 帕累托与 ABC

def _edges_basis_points(edges) -> tuple[int, int]:
    try:
        a, b = (float(e) for e in edges)
    except (TypeError, ValueError):
        raise ValueError(f"edges 应是两个 0 到 1 之间的数，例如 (0.70, 0.90)，收到 {edges!r}。") from None
    if not 0 < a < b < 1:
        raise ValueError(f"ABC 边界应满足 0 < A 类边界 < B 类边界 < 1（例如 (0.70, 0.90)），收到 {edges!r}。")
    return round(a * 10000), round(b * 10000)


@checked
def abc_classes(sales: pd.Series, edges=ABC_EDGES) -> pd.DataFrame:
    """按销售额给商品分 A/B/C 三类（帕累托分析）。

    规则（工作簿的约定）：商品按销售额从高到低排（相同时按商品名），逐个累加销售额占比。
    一个商品“之前”的累计占比小于 A 类边界（默认 70%）就是 A 类，小于 B 类边界（默认 90%）就是 B 类，
    其余是 C 类。所以**跨过边界的那个商品归入它补齐的那一类**：例如累计占比从 65% 跳到 75% 的商品算 A 类；
    累计恰好到 70.00% 的商品也算 A 类，下一个商品从 70.00% 起步，算 B 类。比较用整数“分”，没有浮点误差。

    参数
    ----
    sales : 每种商品的销售额（元），索引是商品名，例如 product_sales(...)["sales"]。
    edges : (A 类边界, B 类边界)，累计销售额占比，默认 (0.70, 0.90)。

    返回以商品为索引、按销售额从高到低的表：sales、share（占比）、cum_share（含本商品的累计占比）、
    cum_before（本商品之前的累计占比）、rank（名次，1 起）、abc（"A"/"B"/"C"）。
    """
    a_bp, b_bp = _edges_basis_points(edges)
    if not isinstance(sales, pd.Series):
        raise ValueError("sales 应是一列销售额（pandas Series，索引是商品名），例如 product_sales(...)['sales']。")
    fen = money_fen(sales, "销售额", str(sales.name or "sales"))
    if fen.sum() == 0:
        raise ValueError("销售额全为 0 或没有商品，无法做 ABC 分类。请先确认订单和商品明细不为空。")
    frame = pd.DataFrame({"product": sales.index.astype(str), "fen": fen.to_numpy()})
    frame = frame.sort_values(["fen", "product"], ascending=[False, True], kind="mergesort")
    total = int(frame["fen"].sum())
    cum = frame["fen"].cumsum()
    before = cum - frame["fen"]
    # before / total < a_bp / 10000  ⇔  before * 10000 < a_bp * total（全是整数）
    abc = np.where(before * 10000 < a_bp * total, "A", np.where(before * 10000 < b_bp * total, "B", "C"))
    out = pd.DataFrame({
        "sales": fen_to_yuan(frame["fen"].to_numpy()),
        "share": frame["fen"].to_numpy() / total,
        "cum_share": cum.to_numpy() / total,
        "cum_before": before.to_numpy() / total,
        "rank": np.arange(1, len(frame) + 1),
        "abc": abc,
    }, index=pd.Index(frame["product"].to_numpy(), name="product"))
    return out


@checked
def abc_summary(table: pd.DataFrame) -> pd.DataFrame:
    """ABC 三类各有几种商品、占商品种数和销售额的比例（abc_classes 的结果汇总）。

    参数
    ----
    table : abc_classes(...) 的结果。

    返回以 "A"/"B"/"C" 为索引的表：商品数（种）、商品数占比、销售额（元）、销售额占比；没有商品的类记 0。
    """
    require_columns(table, ["sales", "abc"], "ABC 分类表")
    fen = to_fen(table["sales"])
    counts = table["abc"].value_counts().reindex(list("ABC"), fill_value=0)
    sales_fen = fen.groupby(table["abc"]).sum().reindex(list("ABC"), fill_value=0)
    out = pd.DataFrame({
        "商品数（种）": counts.astype("int64"),
        "商品数占比": counts / max(len(table), 1),
        "销售额（元）": fen_to_yuan(sales_fen),
        "销售额占比": sales_fen / max(int(fen.sum()), 1),
    })
    out.index.name = "类别"
    return out


@checked
def pareto_chart(table: pd.DataFrame, title: str = "商品帕累托图：销售额与累计占比"):
    """帕累托图：柱子是每种商品的销售额（按 ABC 上色），折线是累计销售额占比，虚线是 ABC 边界。

    参数
    ----
    table : abc_classes(...) 的结果（按销售额从高到低）。
    title : 图标题。
    """
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter, PercentFormatter

    from .charts import new_figure
    from .fonts import PALETTE

    require_columns(table, ["sales", "cum_share", "abc"], "ABC 分类表")
    fig, ax = new_figure(8.0, 4.2)
    x = np.arange(len(table))
    ax.bar(x, table["sales"].to_numpy() / 10000, color=[ABC_COLORS[c] for c in table["abc"]])
    ax.set_xticks(x, [str(p) for p in table.index], rotation=60, ha="right", fontsize=7)
    ax.set(title=title, xlabel="商品（按销售额从高到低）", ylabel="销售额（万元）")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    right = ax.twinx()
    right.plot(x, table["cum_share"].to_numpy() * 100, color=PALETTE[2], marker="o", markersize=3)
    right.set_ylim(0, 105)
    right.set_ylabel("累计销售额占比（%）")
    right.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    right.grid(False)
    last = {c: int(np.flatnonzero(table["abc"].to_numpy() == c).max()) for c in "AB" if (table["abc"] == c).any()}
    for c, i in last.items():
        y = float(table["cum_share"].iloc[i]) * 100
        right.axvline(i + 0.5, color="#999999", linestyle="--", linewidth=1)
        right.annotate(f"{c} 类到第 {i + 1} 种\n累计 {y:.1f}%", (i + 0.5, y), textcoords="offset points",
                       xytext=(4, -26), fontsize=8, color="#555555")
    ax.legend(handles=[Patch(color=ABC_COLORS[c], label=f"{c} 类") for c in "ABC"], loc="center right", fontsize=8)
    return fig


# ---------------------------------------------------------------- 连带购买

@checked
def product_pairs(orders: pd.DataFrame, items: pd.DataFrame, as_of=None, min_orders: int = 1) -> pd.DataFrame:
    """连带购买：同一笔订单里一起买的两种商品，算支持度、置信度和提升度。

    做法：把商品明细按 order_id 和自己连接（self-merge），得到每笔订单里所有“商品 A → 商品 B”的组合，
    再数每个组合出现在几笔订单里。不逐笔订单循环。

    - 支持度 support = 同时含 A 和 B 的订单数 ÷ 全部订单数；
    - 置信度 confidence = 同时含 A 和 B 的订单数 ÷ 含 A 的订单数（买了 A 的订单里，有多少也买了 B）；
    - 提升度 lift = 置信度 ÷（含 B 的订单数 ÷ 全部订单数）；大于 1 表示一起买的比“碰巧”多（正相关），
      小于 1 表示一起买的比“碰巧”还少（负相关：买了 A 的订单反而更少含 B）。

    参数
    ----
    orders, items : 订单表和商品明细表。
    as_of : 截止日期（含当天）。
    min_orders : 至少一起出现在几笔订单里才列出（默认 1）。

    返回每个有方向的组合一行（A → B 和 B → A 各一行）：product、also_bought、orders_together（笔）、
    orders_with_product（含 A 的订单数）、support、confidence、lift；按一起购买的订单数、提升度从高到低排。
    """
    if int(min_orders) < 1:
        raise ValueError(f"min_orders 至少是 1（一起出现在 1 笔订单里），收到 {min_orders!r}。")
    lines = order_lines(orders, items, as_of)[["order_id", "product"]].drop_duplicates()
    n_orders = lines["order_id"].nunique()
    columns = ["product", "also_bought", "orders_together", "orders_with_product", "support", "confidence", "lift"]
    if n_orders == 0:
        return pd.DataFrame(columns=columns)
    per_product = lines.groupby("product")["order_id"].nunique()
    pairs = lines.merge(lines, on="order_id", suffixes=("", "_b"))
    pairs = pairs[pairs["product"] != pairs["product_b"]]
    out = (pairs.groupby(["product", "product_b"]).size().rename("orders_together").reset_index()
           .rename(columns={"product_b": "also_bought"}))
    out = out[out["orders_together"] >= int(min_orders)]
    out["orders_with_product"] = out["product"].map(per_product).astype("int64")
    with_b = out["also_bought"].map(per_product).astype("int64")
    out["support"] = out["orders_together"] / n_orders
    out["confidence"] = out["orders_together"] / out["orders_with_product"]
    out["lift"] = out["confidence"] / (with_b / n_orders)
    out = out.sort_values(["orders_together", "lift", "product", "also_bought"],
                          ascending=[False, False, True, True]).reset_index(drop=True)
    return out[columns]


@checked
def also_bought(pairs: pd.DataFrame, product: str, n: int = 5, by: str = "confidence") -> pd.DataFrame:
    """买了某个商品的订单里，最常一起买的 n 种商品（product_pairs 的结果里筛一种商品）。

    参数
    ----
    pairs : product_pairs(...) 的结果。
    product : 商品简称。
    n : 列出几种。
    by : 按哪一列从高到低排："confidence"（置信度）、"lift"（提升度）或 "orders_together"（订单数）。
    """
    if by not in ("confidence", "lift", "orders_together"):
        raise ValueError(f"by 只能是 'confidence'、'lift' 或 'orders_together'，收到 {by!r}。")
    known = set(pairs["product"])
    if product not in known:
        raise ValueError(f"连带购买表里没有商品“{product}”（它可能没和别的商品一起卖过）。"
                         f"可选的商品例如：{'、'.join(sorted(known)[:5])}。")
    chosen = pairs[pairs["product"] == product]
    return chosen.sort_values([by, "orders_together", "also_bought"], ascending=[False, False, True]).head(n) \
        .reset_index(drop=True)


# ---------------------------------------------------------------- 复购周期

@checked
def purchase_gaps(orders: pd.DataFrame, items: pd.DataFrame, as_of=None) -> pd.DataFrame:
    """同一位客户两次购买同一种商品之间隔了几天（每次“再买”一行）。

    按（客户, 商品）把购买按下单时间排好，和上一次购买相减，按日期算天数（同一天再买记 0 天）。

    参数
    ----
    orders, items : 订单表和商品明细表。
    as_of : 截止日期（含当天）。

    返回列：customer_id、product、order_id、order_time、gap_days（距上一次买这种商品的天数）、
    previous_quantity（上一次买了几件）。每个（客户, 商品）的第一次购买没有“上一次”，不在结果里。
    """
    lines = order_lines(orders, items, as_of).sort_values(["customer_id", "product", "order_time", "order_id"])
    day = lines["order_time"].dt.normalize()
    group = lines.groupby(["customer_id", "product"], sort=False)
    lines = lines.assign(gap_days=day.groupby([lines["customer_id"], lines["product"]]).diff().dt.days,
                         previous_quantity=group["quantity"].shift())
    out = lines.dropna(subset=["gap_days"])
    out = out.assign(gap_days=out["gap_days"].astype("int64"), previous_quantity=out["previous_quantity"].astype("int64"))
    return out[["customer_id", "product", "order_id", "order_time", "gap_days", "previous_quantity"]] \
        .reset_index(drop=True)


@checked
def repurchase_cycles(orders: pd.DataFrame, items: pd.DataFrame, products: pd.DataFrame | None = None,
                      as_of=None) -> pd.DataFrame:
    """每种商品的实际复购周期：同一位客户相邻两次购买同一商品间隔天数的中位数，并和商品表的 repurchase_days 对比。

    参数
    ----
    orders, items : 订单表和商品明细表。
    products : 商品表（product、repurchase_days）；给出时附上典型复购周期和差值。
    as_of : 截止日期（含当天）。

    返回以商品为索引的表：buyers（买家数，人）、repeat_buyers（买过 2 次及以上的人）、
    repeat_rate（复购率 = repeat_buyers ÷ buyers）、gaps（再买的次数）、median_days（间隔天数中位数）、
    median_days_per_unit（间隔天数 ÷ 上一次买的件数，再取中位数：一件大约用几天）；
    给了商品表时再加 repurchase_days（商品表的典型周期）和 diff_days（median_days − repurchase_days）。
    没人再买过的商品 median_days 为空。按 median_days 从短到长排。
    """
    lines = order_lines(orders, items, as_of)
    pairs = lines.groupby(["product", "customer_id"]).size()
    buyers = pairs.groupby(level="product").size()
    repeat = (pairs >= 2).groupby(level="product").sum()
    gaps = purchase_gaps(orders, items, as_of)
    per_unit = gaps["gap_days"] / gaps["previous_quantity"].clip(lower=1)
    stats = pd.DataFrame({
        "gaps": gaps.groupby("product").size(),
        "median_days": gaps.groupby("product")["gap_days"].median(),
        "median_days_per_unit": per_unit.groupby(gaps["product"]).median(),
    })
    out = pd.DataFrame({"buyers": buyers.astype("int64"), "repeat_buyers": repeat.astype("int64")})
    out["repeat_rate"] = out["repeat_buyers"] / out["buyers"]
    out = out.join(stats)
    out["gaps"] = out["gaps"].fillna(0).astype("int64")
    if products is not None:
        require_columns(products, ["product", "repurchase_days"], "商品表")
        cycle = pd.to_numeric(products.set_index(products["product"].astype(str))["repurchase_days"], errors="coerce")
        out["repurchase_days"] = cycle.reindex(out.index)
        out["diff_days"] = out["median_days"] - out["repurchase_days"]
    out.index.name = "product"
    return out.reset_index().sort_values(["median_days", "product"], na_position="last").set_index("product")


@checked
def repurchase_cycle_chart(cycles: pd.DataFrame, title: str = "实际复购间隔 vs 商品表的复购周期"):
    """哑铃图：每种商品一行，灰点是商品表的典型复购周期，蓝点是实际间隔的中位数（天）。

    参数
    ----
    cycles : repurchase_cycles(..., products=...) 的结果（要有 median_days 和 repurchase_days）。
    title : 图标题。
    """
    from .charts import new_figure
    from .fonts import PALETTE

    require_columns(cycles, ["median_days", "repurchase_days"], "复购周期表",
                    "请用 repurchase_cycles(orders, items, products=商品表) 得到这两列。")
    shown = cycles.dropna(subset=["median_days", "repurchase_days"]).sort_values(["median_days"], ascending=False)
    fig, ax = new_figure(7.2, 0.28 * len(shown) + 1.4)
    y = np.arange(len(shown))
    ax.hlines(y, shown["repurchase_days"], shown["median_days"], color="#CCCCCC", linewidth=2)
    ax.scatter(shown["repurchase_days"], y, color="#999999", label="商品表的复购周期", zorder=3)
    ax.scatter(shown["median_days"], y, color=PALETTE[0], label="实际间隔中位数", zorder=3)
    ax.set_yticks(y, [str(p) for p in shown.index], fontsize=8)
    ax.set(title=title, xlabel="天数（天）", ylabel="商品")
    ax.legend(loc="upper right", fontsize=8)
    return fig


# ---------------------------------------------------------------- 拉新与留存

@checked
def first_orders(orders: pd.DataFrame, as_of=None) -> pd.Series:
    """每笔订单是不是这位客户在本店的第一笔订单（True/False），索引是 order_id。

    同一时间下了两笔单时，订单号小的那笔算第一笔。“第一笔”指数据里的第一笔（数据开始之前的订单看不到）。
    """
    prepared = filter_as_of(prepare_orders(orders, require_order_id=True), as_of)
    ordered = prepared.sort_values(["customer_id", "order_time", "order_id"])
    return pd.Series(~ordered["customer_id"].duplicated().to_numpy(), index=ordered["order_id"].to_numpy(),
                     name="is_first").sort_index()


@checked
def new_vs_old(orders: pd.DataFrame, items: pd.DataFrame, as_of=None) -> pd.DataFrame:
    """每种商品的买家里，有多少是“第一次来本店就买了它”的新客户，这些新客户后来又回来了多少。

    参数
    ----
    orders, items : 订单表和商品明细表。
    as_of : 截止日期（含当天）。

    返回以商品为索引的表：buyers（买过这种商品的人）、new_buyers（在首单里买了它的人）、
    new_share（新客占比 = new_buyers ÷ buyers）、old_buyers（买它时已经是老客户的人：
    在首单之后的订单里买过它；一个人可以既是新客又是老客）、returned（new_buyers 里后来又下过单的人）、
    return_rate（回头率 = returned ÷ new_buyers）。按 new_buyers 从多到少排。
    """
    lines = order_lines(orders, items, as_of)
    first = first_orders(orders, as_of)
    lines = lines.assign(is_first=lines["order_id"].map(first).astype(bool))
    counts = filter_as_of(prepare_orders(orders, require_order_id=True), as_of).groupby("customer_id").size()
    buyer = lines[["product", "customer_id"]].drop_duplicates()
    new = lines.loc[lines["is_first"], ["product", "customer_id"]].drop_duplicates()
    old = lines.loc[~lines["is_first"], ["product", "customer_id"]].drop_duplicates()
    new_returned = new[new["customer_id"].map(counts).to_numpy() >= 2]
    out = pd.DataFrame({
        "buyers": buyer.groupby("product").size(),
        "new_buyers": new.groupby("product").size(),
        "old_buyers": old.groupby("product").size(),
        "returned": new_returned.groupby("product").size(),
    }).fillna(0).astype("int64")
    out["new_share"] = out["new_buyers"] / out["buyers"]
    out["return_rate"] = (out["returned"] / out["new_buyers"].where(out["new_buyers"] > 0)).astype("float64")
    out.index.name = "product"
    out = out.reset_index().sort_values(["new_buyers", "product"], ascending=[False, True]).set_index("product")
    return out[["buyers", "new_buyers", "new_share", "old_buyers", "returned", "return_rate"]]


@checked
def new_vs_old_chart(table: pd.DataFrame, label=3,
                     title: str = "哪些商品拉来新客户，新客户又回来了多少"):
    """散点图：横轴是新客占比（%），纵轴是这些新客户的回头率（%），点的大小是首单买它的新客户数。

    参数
    ----
    table : new_vs_old(...) 的结果。
    label : 给哪些商品标上名字：一个整数表示新客户最多的前几种，也可以直接给商品名的列表。
    title : 图标题。
    """
    from .charts import new_figure
    from .fonts import PALETTE

    require_columns(table, ["new_share", "return_rate", "new_buyers"], "拉新与留存表")
    shown = table[table["new_buyers"] > 0]
    fig, ax = new_figure(7.2, 4.4)
    size = 20 + 400 * shown["new_buyers"] / max(int(shown["new_buyers"].max()), 1)
    ax.scatter(shown["new_share"] * 100, shown["return_rate"] * 100, s=size, color=PALETTE[0], alpha=0.6,
               edgecolor="white")
    if isinstance(label, int):
        top = shown.nlargest(label, "new_buyers")      # 只给几种商品标名字
    else:
        missing = [p for p in label if p not in shown.index]
        if missing:
            raise ValueError(f"要标名字的商品不在表里（或没有新客户）：{'、'.join(map(str, missing))}。")
        top = shown.loc[list(label)]
    for name, n, x, y in zip(top.index, top["new_buyers"], top["new_share"] * 100, top["return_rate"] * 100):
        ax.annotate(f"{name}（{n:,} 人）", (x, y), textcoords="offset points", xytext=(6, 4), fontsize=8)
    ax.set(title=title, xlabel="新客占比（%：首单就买了它的买家 ÷ 全部买家）",
           ylabel="新客户的回头率（%：后来又下过单）", xlim=(0, 100))
    return fig


# ---------------------------------------------------------------- 中文表头

#: 比例列：展示时乘 100 写成百分数。
_PERCENT_COLUMNS = {"sales_share", "share", "cum_share", "cum_before", "support", "confidence", "repeat_rate",
                    "new_share", "return_rate"}


@checked
def readable(table: pd.DataFrame, decimals: int = 2) -> pd.DataFrame:
    """把本模块的结果表换成中文表头：比例乘 100 写成百分数，提升度保留两位小数。只用于展示，不改原表。

    参数
    ----
    table : product_sales、abc_classes、product_pairs、repurchase_cycles、new_vs_old 等的结果。
    decimals : 百分数保留几位小数。
    """
    out = table.copy()
    for column in out.columns:
        if column in _PERCENT_COLUMNS:
            out[column] = (out[column].astype("float64") * 100).round(decimals)
        elif column == "lift":
            out[column] = out[column].astype("float64").round(2)
    return chinese_headers(out)     # 表头来自工作簿唯一的对照表 helpers.columns

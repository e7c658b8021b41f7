"""按客户汇总订单：订单总数、订单总金额、平均订单价、购买商品总数、最后下单时间等。

customer_summary 默认用 pandas 计算；engine="duckdb" 时交给 DuckDB（helpers.sql.summary_duckdb），
订单、明细、客户表还可以是 CSV / Parquet 文件的路径，适合放不进 pandas 的大店铺。两种引擎结果相同。
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from .money import average_fen, fen_to_yuan
from .validation import checked, parse_date, prepare_items, prepare_orders

SUMMARY_COLUMNS = ("order_count", "total_amount", "avg_order_value", "item_count",
                   "first_order", "last_order", "recency_days", "products")


# 每位客户买过的商品：一列“文本列表”（Arrow 列表类型），取出一格得到 Python 列表。
PRODUCT_LIST = pd.ArrowDtype(pa.list_(pa.string()))


@checked
def product_lists(pairs: pd.DataFrame, ids: pd.Index) -> pd.Series:
    """把（客户, 商品）对整理成每位客户一格的商品列表（去重、按名称排序），没买过的客户是空列表。

    一次性用偏移量构造 Arrow 列表列，不逐个客户循环。
    """
    position = ids.get_indexer(pairs["customer_id"])
    pairs = (pd.DataFrame({"position": position, "product": pairs["product"].astype(str).to_numpy()})
             .query("position >= 0").drop_duplicates().sort_values(["position", "product"]))
    counts = np.bincount(pairs["position"].to_numpy(), minlength=len(ids))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype("int32")
    lists = pa.ListArray.from_arrays(pa.array(offsets), pa.array(pairs["product"].to_numpy(dtype=object), pa.string()))
    return pd.Series(pd.arrays.ArrowExtensionArray(lists), index=ids, name="products")


@checked
def filter_as_of(orders: pd.DataFrame, as_of) -> pd.DataFrame:
    """只保留 as_of 当天及以前的订单（as_of 当天全天都算）。"""
    if as_of is None:
        return orders
    end = parse_date(as_of, "as_of") + pd.Timedelta(days=1)
    return orders[orders["order_time"] < end]


@checked
def customer_summary(orders: pd.DataFrame | Path, items: pd.DataFrame | Path | None = None,
                     customers: pd.DataFrame | Path | None = None, as_of=None,
                     products: pd.DataFrame | None = None, engine: str = "pandas") -> pd.DataFrame:
    """把订单表汇总成“一位客户一行”的表，这是自定义分组、VIP 和分析的起点。

    参数
    ----
    orders : 订单表（customer_id、order_time、amount，最好还有 order_id）。
    items : 商品明细表（order_id、product、quantity），给出时计算 item_count 和 products。
    customers : 客户表；给出时每位客户都有一行（没下过单的客户订单数为 0），并附上客户属性列。
    as_of : 截止日期（含当天）；之后的订单不计入。recency_days 按它计算；
            不给时以数据里最后一笔订单的日期为准。
    products : 商品表（product、title）；给出时分组规则里也可以用商品标题指代商品。
    engine : "pandas"（默认）或 "duckdb"。"duckdb" 时由 DuckDB 计算，orders、items、customers
             还可以是 CSV / Parquet 文件的路径（DuckDB 直接读文件，不先读进 pandas），适合很大的店铺；
             结果和 "pandas" 相同。

    返回以 customer_id 为索引的 DataFrame：order_count、total_amount（元，精确到分）、
    avg_order_value（元，订单总金额 ÷ 订单总数，四舍五入到分）、item_count、first_order、last_order、
    recency_days（天）、products（买过的商品名列表，按名称排序），然后是客户表的各列。
    """
    engine = str(engine).strip().lower()
    if engine == "duckdb":
        from .sql.results import summary_duckdb

        out = summary_duckdb(orders, items, customers, as_of)
        _remember_titles(out, products)
        return out
    if engine != "pandas":
        raise ValueError(f"engine 只能是 'pandas' 或 'duckdb'，收到 {engine!r}。")
    for name, table in (("orders", orders), ("items", items), ("customers", customers)):
        if table is not None and not isinstance(table, pd.DataFrame):
            raise ValueError(f"engine='pandas' 时 {name} 应是一张 pandas 表；文件路径（{table}）请配合 "
                             "engine='duckdb' 使用，或先用 pd.read_csv / pd.read_parquet 读进来。")
    prepared = prepare_orders(orders, require_order_id=items is not None)
    prepared = filter_as_of(prepared, as_of)
    grouped = prepared.groupby("customer_id", sort=True)
    out = pd.DataFrame({
        "order_count": grouped.size(),
        "total_fen": grouped["amount_fen"].sum(),
        "first_order": grouped["order_time"].min(),
        "last_order": grouped["order_time"].max(),
    })
    ids = out.index
    if customers is not None:
        if "customer_id" not in customers.columns:
            raise ValueError("客户表缺少 customer_id 列，无法和订单对应。")
        customer_ids = customers["customer_id"].astype(str).str.strip()
        dup = customer_ids.duplicated(keep=False)
        if dup.any():
            from .validation import format_rows
            raise ValueError(f"客户表的 customer_id 列有重复编号（出问题的行，按表格索引："
                             f"{format_rows(customers.index[dup])}）。每位客户只能出现一次。")
        ids = pd.Index(customer_ids).append(ids.difference(customer_ids))
    out = out.reindex(ids)
    out.index.name = "customer_id"
    out["order_count"] = out["order_count"].fillna(0).astype("int64")
    total_fen = out["total_fen"].fillna(0).astype("int64")
    out["total_amount"] = fen_to_yuan(total_fen)
    out["avg_order_value"] = fen_to_yuan(average_fen(total_fen, out["order_count"]))

    if items is not None:
        lines = prepare_items(items)
        lines = lines.merge(prepared[["order_id", "customer_id"]], on="order_id", how="inner")
        out["item_count"] = lines.groupby("customer_id")["quantity"].sum().reindex(ids).fillna(0).astype("int64")
        out["products"] = product_lists(lines[["customer_id", "product"]], out.index)
    else:
        out["item_count"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["products"] = pd.Series(pd.array([None] * len(out), dtype=PRODUCT_LIST), index=out.index)

    if as_of is not None:
        ref = parse_date(as_of, "as_of")
    else:
        ref = prepared["order_time"].max().normalize() if len(prepared) else pd.NaT
    days = (ref - out["last_order"].dt.normalize()).dt.days
    out["recency_days"] = days.astype("Int64")
    out = out[list(SUMMARY_COLUMNS)]
    if customers is not None:
        extra = customers.assign(customer_id=customers["customer_id"].astype(str).str.strip())
        extra = extra.set_index("customer_id").drop(columns=[c for c in SUMMARY_COLUMNS if c in extra.columns])
        out = out.join(extra)
    _remember_titles(out, products)
    return out


def _remember_titles(summary: pd.DataFrame, products: pd.DataFrame | None) -> None:
    """记下“商品标题 → 商品名”，分组规则里写商品标题时用。"""
    if products is not None and {"product", "title"} <= set(products.columns):
        summary.attrs["product_titles"] = dict(zip(products["title"].astype(str), products["product"].astype(str)))


@checked
def top_share(amounts: pd.Series, top: float = 0.2) -> float:
    """消费金额最高的前 top（默认 20%）客户贡献了全部金额的多少比例，用来检验“二八定律”。

    参数
    ----
    amounts : 每位客户的消费金额（例如汇总表的 total_amount，只取下过单的客户）。
    top : 取前多少比例的客户，0 到 1 之间。
    """
    if not 0 < top <= 1:
        raise ValueError(f"top 应在 0 到 1 之间（例如 0.2 表示前 20%），收到 {top!r}。")
    ordered = np.sort(amounts.to_numpy(dtype="float64"))[::-1]
    if not len(ordered) or ordered.sum() == 0:
        return 0.0
    k = max(int(np.ceil(len(ordered) * top)), 1)
    return float(ordered[:k].sum() / ordered.sum())

"""把 SQL 的结果整理成和 pandas 函数相同的表，以及 customer_summary / rfm_score 的 DuckDB 引擎。

summary_frame、rfm_frame、vip_frame、lifecycle_frame：SQL 结果（customer_id 是普通的一列）→ 以 customer_id
为索引、列类型和 pandas 函数完全相同的表，方便直接比较（DuckDB、Spark 的结果都可以）。

summary_duckdb、rfm_score_duckdb：orders、items、customers 可以是 pandas 表，也可以是 CSV / Parquet
文件的路径（DuckDB 直接读文件，不先读进 pandas）。pandas 表先经过和 pandas 引擎一样的检查；
文件由 DuckDB 检查缺列、空值、负数金额和重复的客户编号，出错时给出说出文件名的中文 ValueError。
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from ..lifecycle import STAGES
from ..rfm import TEXTBOOK_LEVELS, TEXTBOOK_RFM, TEXTBOOK_WEIGHTS, RFMTable
from ..summary import PRODUCT_LIST, SUMMARY_COLUMNS
from ..validation import (MAX_AMOUNT_YUAN, checked, format_rows, parse_date, prepare_items, prepare_orders,
                          require_columns)
from ..vip import TEXTBOOK_VIP_TIERS, check_tiers
from .builders import customer_summary_sql, rfm_levels, rfm_sql
from .engine import TABLE_TITLES, attach, column_types, fetch

__all__ = ["summary_frame", "rfm_frame", "vip_frame", "lifecycle_frame", "summary_duckdb", "rfm_score_duckdb"]

_REQUIRED = {"orders": ("customer_id", "order_time", "amount"), "items": ("order_id", "product", "quantity"),
             "customers": ("customer_id",)}


# ---------------------------------------------------------------------------
# SQL 结果 → 和 pandas 函数相同的表
# ---------------------------------------------------------------------------
def _times(values: pd.Series) -> pd.Series:
    """时刻列统一成 datetime64[ns]（pandas 函数的结果都是纳秒精度，不带时区）。"""
    values = pd.to_datetime(values)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    return values.astype("datetime64[ns]")


def _ints(values: pd.Series, nullable: bool = False) -> pd.Series:
    values = pd.to_numeric(values).astype("Int64")
    return values if nullable else values.astype("int64")


def _indexed(result: pd.DataFrame, columns, table: str, fix: str) -> pd.DataFrame:
    require_columns(result, ["customer_id", *columns], table, fix)
    out = result.copy()
    out["customer_id"] = out["customer_id"].astype(str)
    return out.set_index("customer_id")


def _products(values: pd.Series) -> pd.Series:
    if isinstance(values.dtype, pd.ArrowDtype):
        array = values.array.__arrow_array__().cast(PRODUCT_LIST.pyarrow_dtype)   # Arrow 的接口，不复制
    else:
        array = pa.array([None if v is None or (np.ndim(v) == 0 and pd.isna(v)) else list(v) for v in values],
                         type=PRODUCT_LIST.pyarrow_dtype)
    return pd.Series(pd.arrays.ArrowExtensionArray(array), index=values.index, name=values.name)


@checked
def summary_frame(result: pd.DataFrame) -> pd.DataFrame:
    """customer_summary_sql 的运行结果 → 和 customer_summary 相同的表（customer_id 为索引，列类型相同）。"""
    out = _indexed(result, SUMMARY_COLUMNS, "客户汇总的 SQL 结果", "请传入 run(customer_summary_sql(...), ...) 的结果。")
    out["order_count"] = _ints(out["order_count"])
    for col in ("total_amount", "avg_order_value"):
        out[col] = pd.to_numeric(out[col]).astype("float64")
    out["item_count"] = _ints(out["item_count"], nullable=out["item_count"].isna().any())
    for col in ("first_order", "last_order"):
        out[col] = _times(out[col])
    out["recency_days"] = _ints(out["recency_days"], nullable=True)
    out["products"] = _products(out["products"])
    return out[list(SUMMARY_COLUMNS) + [c for c in out.columns if c not in SUMMARY_COLUMNS]]


@checked
def rfm_frame(result: pd.DataFrame, levels=TEXTBOOK_LEVELS) -> pd.DataFrame:
    """rfm_sql 的运行结果 → 和 rfm_score 相同的表（levels 要和生成 SQL 时的一样，决定 level 列的分类顺序）。"""
    columns = ["last_order", "recency_days", "frequency", "monetary", "R", "F", "M", "score", "level"]
    out = _indexed(result, columns, "RFM 的 SQL 结果", "请传入 run(rfm_sql(...), orders=...) 的结果。")[columns]
    out["last_order"] = _times(out["last_order"])
    for col in ("recency_days", "frequency", "R", "F", "M"):
        out[col] = _ints(out[col])
    out["monetary"] = pd.to_numeric(out["monetary"]).astype("float64")
    score = pd.to_numeric(out["score"]).astype("float64")
    out["score"] = score.astype("int64") if pd.api.types.is_integer_dtype(result["score"].dtype) else score
    names = [name for _, name in rfm_levels(levels)]
    out["level"] = pd.Categorical(out["level"].astype(object), categories=names, ordered=False)
    return out


@checked
def vip_frame(result: pd.DataFrame, tiers=TEXTBOOK_VIP_TIERS) -> pd.DataFrame:
    """vip_sql 的运行结果 → customer_id 为索引的表；vip_tier 一列和 vip_tier(...) 的结果相同（有序分类，空值是非会员）。"""
    tiers = check_tiers(tiers)
    out = _indexed(result, ["order_count", "total_amount", "vip_tier"], "VIP 的 SQL 结果",
                   "请传入 run(vip_sql(...), orders=...) 的结果。")
    out["order_count"] = _ints(out["order_count"])
    out["total_amount"] = pd.to_numeric(out["total_amount"]).astype("float64")
    out["vip_tier"] = pd.Categorical(out["vip_tier"].astype(object).where(out["vip_tier"].notna(), None),
                                     categories=[t.name for t in tiers], ordered=True)
    return out


@checked
def lifecycle_frame(result: pd.DataFrame) -> pd.DataFrame:
    """lifecycle_sql 的运行结果 → 和 lifecycle_stages 相同的表（customer_id 为索引，stage 是有序分类）。"""
    columns = ["order_count", "total_amount", "last_order", "days_since_last", "stage"]
    out = _indexed(result, columns, "生命周期的 SQL 结果", "请传入 run(lifecycle_sql(...), ...) 的结果。")[columns]
    out["order_count"] = _ints(out["order_count"])
    out["total_amount"] = pd.to_numeric(out["total_amount"]).astype("float64")
    out["last_order"] = _times(out["last_order"])
    out["days_since_last"] = _ints(out["days_since_last"], nullable=True)
    out["stage"] = pd.Categorical(out["stage"].astype(object), categories=list(STAGES), ordered=True)
    return out


# ---------------------------------------------------------------------------
# DuckDB 引擎：表或文件 → 检查 → SQL → 和 pandas 相同的结果
# ---------------------------------------------------------------------------
def _label(name: str, source) -> str:
    title = TABLE_TITLES.get(name, name)
    return f"{title}（文件 {Path(source)}）" if isinstance(source, (str, os.PathLike)) else title


def _examples(con, name: str, condition: str, columns: dict) -> str:
    key = "order_id" if "order_id" in columns else "customer_id" if "customer_id" in columns else None
    if key is None:
        return ""
    rows = con.execute(f"SELECT {key} FROM {name} WHERE {condition} LIMIT 5").fetchall()
    return f"（例如 {key} 为 {'、'.join(str(r[0]) for r in rows)} 的行）" if rows else ""


def _check_file(con, name: str, source) -> None:
    """用 DuckDB 检查一个文件：缺列、编号和日期的空值、金额和数量（空、负数、大得离谱）、客户表的重复编号。

    编号读成了数字、日期读成了文字的列，重新登记时转成需要的类型；客户表里和汇总列同名的列不要（和 pandas 一样）。
    """
    label = _label(name, source)
    columns = column_types(con, name)
    missing = [c for c in _REQUIRED[name] if c not in columns]
    if missing:
        raise ValueError(f"{label}缺少必需的列：{'、'.join(missing)}。表中现有的列：{'、'.join(columns)}。"
                         "如果列名不同，请先改成标准的列名。")
    casts = {col: "VARCHAR" for col in ("order_id", "customer_id", "product")
             if col in columns and columns[col] != "VARCHAR"}
    if name == "orders" and not columns["order_time"].startswith(("TIMESTAMP", "DATE")):
        casts["order_time"] = "TIMESTAMP"
    if name == "orders" and columns["amount"] == "VARCHAR":
        casts["amount"] = "DOUBLE"
    if name == "items" and columns["quantity"] == "VARCHAR":
        casts["quantity"] = "BIGINT"
    drop = [c for c in SUMMARY_COLUMNS if c in columns] if name == "customers" else []
    if casts or drop:
        attach(con, name, source, casts, drop)
    problems = {"customers": [("customer_id IS NULL", "customer_id 列有空值")],
                "orders": [("customer_id IS NULL", "customer_id 列有空值"),
                           ("order_time IS NULL", "order_time 列有空的日期"),
                           ("amount IS NULL", "amount 列有空的金额"),
                           ("amount < 0", "amount 列有负数金额（退款请删除订单，不要写成负数）"),
                           (f"amount > {MAX_AMOUNT_YUAN}", "amount 列有一笔超过 10 亿元的金额（多半是别的列读成了金额）")],
                "items": [("order_id IS NULL", "order_id 列有空值"), ("product IS NULL", "product 列有空的商品名"),
                          ("quantity IS NULL OR quantity < 0", "quantity 列有空的或负数的购买数量")]}[name]
    counts = ", ".join(f"COUNT(*) FILTER (WHERE {cond})" for cond, _ in problems)
    try:
        found = con.execute(f"SELECT {counts} FROM {name}").fetchall()[0]
    except duckdb.Error as exc:
        raise ValueError(f"{label}读不出来，或有的值不是需要的类型（日期、数字）：{exc}") from None
    for (cond, problem), n in zip(problems, found):
        if n:
            raise ValueError(f"{label}的 {problem}，共 {n:,} 行{_examples(con, name, cond, columns)}。请改正后再试。")
    if name == "customers":
        dup = con.execute("SELECT customer_id FROM customers GROUP BY customer_id HAVING COUNT(*) > 1 LIMIT 5").fetchall()
        if dup:
            raise ValueError(f"{label}的 customer_id 列有重复编号（例如 {'、'.join(str(r[0]) for r in dup)}）。"
                             "每位客户只能出现一次。")


def _attach_checked(con, name: str, source, require_order_id: bool = False) -> None:
    """登记一张表：pandas 表先经过和 pandas 引擎一样的检查；文件交给 DuckDB 检查。"""
    if isinstance(source, pd.DataFrame):
        if name == "orders":
            prepared = prepare_orders(source, require_order_id=require_order_id)
            keep = [c for c in ("order_id", "customer_id", "order_time", "amount") if c in prepared.columns]
            source = prepared[keep]
        elif name == "items":
            source = prepare_items(source)[["order_id", "product", "quantity"]]
        else:
            require_columns(source, ["customer_id"], "客户表", "客户表需要 customer_id 列，和订单对应。")
            ids = source["customer_id"].astype(str).str.strip()
            dup = ids.duplicated(keep=False)
            if dup.any():
                raise ValueError(f"客户表的 customer_id 列有重复编号（出问题的行，按表格索引："
                                 f"{format_rows(source.index[dup])}）。每位客户只能出现一次。")
            source = source.drop(columns=[c for c in SUMMARY_COLUMNS if c in source.columns]).assign(customer_id=ids)
        attach(con, name, source)
        return
    attach(con, name, source)
    if name == "orders" and require_order_id and "order_id" not in column_types(con, name):
        raise ValueError(f"{_label(name, source)}缺少 order_id 列：给了商品明细表时要用订单编号把两张表对上。")
    _check_file(con, name, source)


def _connect(**tables) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute("SET python_enable_replacements = false")
    try:
        for name, source in tables.items():
            if source is not None:
                _attach_checked(con, name, source, require_order_id=name == "orders" and tables.get("items") is not None)
    except BaseException:
        con.close()
        raise
    return con


def _listed_order(con, customers) -> pd.Index | None:
    """客户表里编号的原始顺序（没有按编号排好时才需要），用来把结果排成和 pandas 一样。"""
    if isinstance(customers, pd.DataFrame):
        ids = pd.Index(customers["customer_id"].astype(str).str.strip())
    else:
        ids = pd.Index(con.execute("SELECT customer_id FROM customers").fetch_df()["customer_id"].astype(str))
    return None if ids.is_monotonic_increasing else ids


@checked
def summary_duckdb(orders: pd.DataFrame | Path, items: pd.DataFrame | Path | None = None,
                   customers: pd.DataFrame | Path | None = None, as_of=None) -> pd.DataFrame:
    """customer_summary(..., engine="duckdb")：用 DuckDB 汇总，结果和 pandas 引擎相同。

    参数
    ----
    orders, items, customers : pandas 表，或 CSV / Parquet 文件的路径（文字或 Path）。
    as_of : 截止日（含当天）；不给时用订单里最后一天。
    文件里的客户属性列按 DuckDB 读出来的类型（例如 0/1 是整数，不会变成真假值）。
    """
    day = None if as_of is None else parse_date(as_of, "as_of")
    con = _connect(orders=orders, items=items, customers=customers)
    try:
        query = customer_summary_sql(day, with_items=items is not None, with_customers=customers is not None)
        out = summary_frame(fetch(con, query))
        listed = _listed_order(con, customers) if customers is not None else None
    finally:
        con.close()
    if listed is not None:      # 客户表没有按编号排：和 pandas 一样按客户表的顺序，其余的人按编号排在后面
        out = out.reindex(listed.append(out.index.difference(listed)))
    return out


@checked
def rfm_score_duckdb(orders: pd.DataFrame | Path, as_of, table: RFMTable = TEXTBOOK_RFM,
                     weights=TEXTBOOK_WEIGHTS, levels=TEXTBOOK_LEVELS) -> pd.DataFrame:
    """rfm_score(..., engine="duckdb")：用 DuckDB 打分分级，结果和 pandas 引擎相同。

    orders 可以是 pandas 表，也可以是 CSV / Parquet 文件的路径；其余参数和 rfm_score 相同。
    """
    day = parse_date(as_of, "as_of")
    query = rfm_sql(day, table, weights, levels)
    con = _connect(orders=orders)
    try:
        out = rfm_frame(fetch(con, query), levels)
    finally:
        con.close()
    out.attrs["as_of"] = day
    return out

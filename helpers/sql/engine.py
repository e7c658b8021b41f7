"""在 DuckDB 上运行 SQL：把 pandas 表或文件（CSV、Parquet）登记成表，执行查询，结果变回 pandas 表。

- pandas 表原地登记（DuckDB 直接扫描 pandas / Arrow 的内存，不复制一份）；
- 文件路径登记成视图：查询时 DuckDB 自己读文件，不先读进 pandas；编号列（order_id、customer_id、
  product……）一律按文字读，免得 00123 这样的编号被当成数字；
- SQL 写错（表名、列名、语法）时给出说出问题的中文 ValueError，后面附 DuckDB 的原话；
- 结果的列类型对 pandas 友好：文字是 str，日期是 datetime64，整数列有空值时是 Int64，列表列是 Arrow 列表。
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from ..validation import checked
from .dialects import sql_text

__all__ = ["ID_COLUMNS", "TABLE_TITLES", "connect", "attach", "column_types", "fetch", "run"]

#: 按文字读入的编号列（和 load_shop 读 CSV 时一样）
ID_COLUMNS = ("order_id", "customer_id", "product", "coupon_order_id", "phone", "email")
#: 标准表的中文名，用在报错里
TABLE_TITLES = {"orders": "订单表", "items": "商品明细表", "customers": "客户表", "products": "商品表"}

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CSV = (".csv", ".txt", ".tsv")
_PARQUET = (".parquet", ".pq")


def _title(name: str) -> str:
    return TABLE_TITLES.get(name, f"表 {name}")


def _check_path(name: str, source) -> Path:
    path = Path(source)
    if not path.exists():
        raise ValueError(f"{_title(name)}的文件找不到：{path}。请检查路径和文件名（相对路径从当前文件夹 "
                         f"{Path.cwd()} 算起）。")
    if path.is_dir():
        raise ValueError(f"{_title(name)}应是一个 CSV 或 Parquet 文件，{path} 却是一个文件夹。")
    if path.suffix.lower() not in _CSV + _PARQUET:
        raise ValueError(f"{_title(name)}的文件 {path} 不是 CSV（.csv）或 Parquet（.parquet）文件，DuckDB 不知道怎么读它。"
                         "请先另存为 CSV 或 Parquet。")
    return path


def _reader(con: duckdb.DuckDBPyConnection, name: str, path: Path) -> str:
    """读这个文件的 SQL（read_csv / read_parquet）；CSV 里的编号列指定按文字读。"""
    where = sql_text(path.as_posix())
    if path.suffix.lower() in _PARQUET:
        return f"read_parquet({where})"
    try:
        sniffed = con.execute(f"DESCRIBE SELECT * FROM read_csv({where})").fetchall()
    except duckdb.Error as exc:
        raise ValueError(f"{_title(name)}的文件 {path} 读不出来：{_chinese_reason(exc)}。"
                         f"\nDuckDB 的原话：{exc}") from None
    types = {row[0]: "VARCHAR" for row in sniffed if row[0] in ID_COLUMNS and row[1] != "VARCHAR"}
    if not types:
        return f"read_csv({where})"
    spec = ", ".join(f"{sql_text(col)}: 'VARCHAR'" for col in types)
    return f"read_csv({where}, types = {{{spec}}})"


@checked
def attach(con: duckdb.DuckDBPyConnection, name: str, source, casts: dict | None = None,
           drop: list | None = None) -> None:
    """把一张表登记到连接 con 上，名字叫 name。

    参数
    ----
    con : DuckDB 连接（connect() 的结果）。
    name : 表名（英文字母、数字、下划线，例如 orders）。
    source : pandas DataFrame（原地扫描，不复制），或 CSV / Parquet 文件的路径（查询时才读文件）。
    casts : {列名: SQL 类型}，登记时顺便把这些列转成指定类型（例如 {"order_time": "TIMESTAMP"}）。
    drop : 登记时不要的列。
    """
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(f"表名 {name!r} 不能用：表名只能由英文字母、数字和下划线组成，且不以数字开头（例如 orders）。")
    casts = dict(casts or {})
    drop = list(drop or [])
    select = "SELECT *"
    if drop:
        select += f" EXCLUDE ({', '.join(drop)})"
    if casts:
        select += " REPLACE (" + ", ".join(f"CAST({col} AS {kind}) AS {col}" for col, kind in casts.items()) + ")"
    con.execute(f"DROP VIEW IF EXISTS {name}")
    if isinstance(source, pd.DataFrame):
        hidden = f"{name}__frame"
        if not casts and not drop:
            con.register(name, source)
            return
        con.register(hidden, source)
        con.execute(f"CREATE VIEW {name} AS {select} FROM {hidden}")
        return
    if isinstance(source, (str, os.PathLike)):
        path = _check_path(name, source)
        con.execute(f"CREATE VIEW {name} AS {select} FROM {_reader(con, name, path)}")
        return
    raise ValueError(f"{_title(name)}（{name}=）应是一张 pandas 表，或 CSV / Parquet 文件的路径，"
                     f"收到的是 {type(source).__name__}。")


@checked
def connect(**tables) -> duckdb.DuckDBPyConnection:
    """新建一个只在内存里的 DuckDB 连接，并把每张表登记进去（名字 = 参数名）。

    例如 connect(orders=shop.orders, items="datasets/xiayi/items.csv")。用完请 con.close()。
    """
    con = duckdb.connect(":memory:")
    try:
        # 只认登记过的表：不让 DuckDB 到调用者的 Python 变量里去找同名的表
        con.execute("SET python_enable_replacements = false")
        for name, source in tables.items():
            attach(con, name, source)
    except BaseException:
        con.close()
        raise
    return con


@checked
def column_types(con: duckdb.DuckDBPyConnection, name: str) -> dict:
    """登记过的表 name 有哪些列、各是什么 SQL 类型：{列名: 类型}（按表里的顺序）。"""
    try:
        rows = con.execute(f"DESCRIBE {name}").fetchall()
    except duckdb.Error as exc:
        raise ValueError(f"{_title(name)}读不出来：{_chinese_reason(exc)}。\nDuckDB 的原话：{exc}") from None
    return {row[0]: row[1] for row in rows}


def _chinese_reason(exc: Exception) -> str:
    """把 DuckDB 的英文错误翻成一句中文（认不出的给出大类）。"""
    text = str(exc)
    if m := re.search(r"Table with name (\S+) does not exist", text):
        return f"SQL 里用到的表 {m.group(1)} 不存在"
    if m := re.search(r'Referenced column "?([^"\s]+)"? not found', text):
        hint = re.search(r"Candidate bindings: (.*)", text)
        extra = f"（相近的列：{hint.group(1).strip()}）" if hint else ""
        return f"SQL 里用到的列 {m.group(1)} 不存在{extra}"
    if m := re.search(r'Values list "?(\w+)"? does not have a column named "?([^"\s]+)"?', text):
        return f"表 {m.group(1)} 里没有列 {m.group(2)}"
    if m := re.search(r'syntax error at or near "([^"]*)"', text):
        return f"SQL 有语法错误，在“{m.group(1)}”附近"
    if "syntax error at end of input" in text:
        return "SQL 有语法错误：语句没写完（结尾缺了东西）"
    if m := re.search(r"No files found that match the pattern \"([^\"]+)\"", text):
        return f"找不到文件 {m.group(1)}"
    if m := re.search(r"Could not convert string '([^']*)' to (\w+)", text):
        return f"“{m.group(1)}”不能转换成 {m.group(2)} 类型"
    if isinstance(exc, duckdb.ParserException):
        return "SQL 有语法错误"
    if isinstance(exc, duckdb.BinderException):
        return "SQL 里的列、函数或类型用得不对"
    if isinstance(exc, duckdb.ConversionException):
        return "有数据不能转换成需要的类型"
    if isinstance(exc, duckdb.IOException):
        return "读取文件失败"
    return "DuckDB 执行 SQL 时出错"


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    """Arrow 结果 → pandas：整数 int64（有空值时 Int64）、真假 bool（有空值时 boolean）、小数 float64、
    日期 datetime64、时刻保留原来的精度、列表列是 Arrow 列表。"""
    columns = []
    for field, column in zip(table.schema, table.columns):
        kind = field.type
        if pa.types.is_list(kind) or pa.types.is_large_list(kind):
            column = column.cast(pa.list_(kind.value_type))
            series = pd.Series(pd.arrays.ArrowExtensionArray(column), dtype=pd.ArrowDtype(pa.list_(kind.value_type)))
        elif pa.types.is_integer(kind):
            series = column.cast(pa.int64()).to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
            series = series.astype("int64") if column.null_count == 0 else series
        elif pa.types.is_boolean(kind):
            series = column.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get)
            series = series.astype("bool") if column.null_count == 0 else series
        elif pa.types.is_decimal(kind) or pa.types.is_floating(kind):
            series = column.cast(pa.float64()).to_pandas()
        elif pa.types.is_date(kind):
            series = column.cast(pa.timestamp("us")).to_pandas()
        else:
            series = column.to_pandas()
        columns.append(series.reset_index(drop=True).rename(field.name))
    out = pd.concat(columns, axis=1) if columns else pd.DataFrame(index=pd.RangeIndex(table.num_rows))
    out.columns = [field.name for field in table.schema]      # 同名的列（SELECT 1 AS a, 2 AS a）也都留着
    return out


@checked
def fetch(con: duckdb.DuckDBPyConnection, query: str) -> pd.DataFrame:
    """在连接 con 上执行一条 SQL 查询，返回 pandas 表（列类型见本模块开头）。出错时给出中文 ValueError。"""
    try:
        statements = con.extract_statements(query)
        if len(statements) != 1:
            raise ValueError(f"一次只能运行一条查询，这里有 {len(statements)} 条（用分号隔开的）。请分开运行。")
        if statements[0].type != duckdb.StatementType.SELECT:
            raise ValueError("这条 SQL 没有返回结果表：这里只用来查询（SELECT / WITH ……），不用来建表、改表、删数据。")
        table = con.sql(query).to_arrow_table()
    except duckdb.Error as exc:
        names = [row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        names = [n for n in names if not n.endswith("__frame")] or ["（没有）"]
        raise ValueError(f"{_chinese_reason(exc)}。已登记的表：{'、'.join(sorted(names))}。"
                         f"\nDuckDB 的原话：{exc}") from None
    return _to_pandas(table)


@checked
def run(query: str, **tables) -> pd.DataFrame:
    """在 DuckDB 上运行一条 SQL 查询，表就是传进来的 pandas 表或文件，返回 pandas 表。

    参数
    ----
    query : SQL 查询，例如 "SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id ORDER BY n DESC"。
    **tables : SQL 里用到的表：名字 = pandas 表（原地扫描，不复制）或 CSV / Parquet 文件路径（DuckDB 直接读文件）。
               例如 run(sql, orders=shop.orders, customers=shop.customers)。

    每次调用都新开一个只在内存里的连接，查完就关，不会留下任何东西。
    SQL 写错（表名、列名、语法）时抛出中文 ValueError，后面附 DuckDB 的原话。
    """
    con = connect(**tables)
    try:
        return fetch(con, query)
    finally:
        con.close()

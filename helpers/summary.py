"""按客户汇总订单：订单总数、订单总金额、平均订单价、购买商品总数、最后下单时间等。

customer_summary 默认用 pandas 计算；engine="duckdb" 时交给 DuckDB（helpers.sql.summary_duckdb），
订单、明细、客户表还可以是 CSV / Parquet 文件的路径，适合放不进 pandas 的大店铺。两种引擎结果相同。

pandas 引擎的做法（一千万笔订单不比 DuckDB 慢，见 benchmarks/bench_sql.py）：客户编号只编码一次
（customer_codes：每行一个整数代码；"C0000001" 这样等长的数字编号直接按字节读成整数，不做哈希），之后按客户的
计数、求和、最早最晚都在整数数组上做（np.bincount、np.add.at）；明细按订单号对上订单时，数字订单号先换成整数
再查表（_order_rows）；每位客户买过的商品用“行号 × 商品数 + 商品代码”一个整数去重排序，再用偏移量一次拼成
Arrow 列表列。全程不逐个客户循环，也不把几千万个文本变成 Python 对象。
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

_NAT = np.iinfo("int64").min        # datetime64[ns] 的 NaT 在 int64 里的样子


def _byte_matrices(text) -> list | None:
    """等长、无空值的 Arrow 文本 → 每块一个 (行数, 字节数) 的 uint8 矩阵（直接看 Arrow 的内存，不复制文字）。

    长短不一、为空或有空值时返回 None。
    """
    import pyarrow.compute as pc

    if not len(text) or text.null_count:
        return None
    span = pc.min_max(pc.binary_length(text)).as_py()
    width = span["min"]
    if width != span["max"] or not 0 < width <= 64:
        return None
    matrices = []
    for chunk in text.chunks:
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64)[chunk.offset: chunk.offset + len(chunk) + 1]
        if len(chunk):
            data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)[offsets[0]: offsets[-1]]
            matrices.append(data.reshape(len(chunk), width))
    return matrices


def _byte_range(matrix: np.ndarray) -> tuple:
    """每个字节位的最小、最大值（64 行拼成一段再按列归约，比直接 axis=0 快十倍）。"""
    rows = len(matrix) // 64 * 64
    low, high = matrix[rows:].min(axis=0, initial=255), matrix[rows:].max(axis=0, initial=0)
    if rows:
        block = matrix[:rows].reshape(-1, 64 * matrix.shape[1])
        low = np.minimum(low, block.min(axis=0).reshape(64, -1).min(axis=0))
        high = np.maximum(high, block.max(axis=0).reshape(64, -1).max(axis=0))
    return low, high


def _fixed_width_numbers(texts: list) -> list | None:
    """几列等长的编号（"C0000001"、"商品031"、"1000000000000042"）→ 一一对应、保持顺序的 int64。

    所有行都相同的字节位不用看；其余的字节位都是数字（最多 18 位）时当作十进制数读出来，不做哈希，
    也不逐个解析文本。不适用时返回 None。
    """
    groups = [_byte_matrices(text) for text in texts]
    if any(g is None for g in groups) or len({m.shape[1] for g in groups for m in g}) > 1:
        return None
    ranges = [_byte_range(m) for g in groups for m in g]
    low = np.minimum.reduce([r[0] for r in ranges])
    high = np.maximum.reduce([r[1] for r in ranges])
    vary = np.flatnonzero(low != high)
    if len(vary) > 18 or (low[vary] < ord("0")).any() or (high[vary] > ord("9")).any():
        return None
    numbers = []
    for matrices in groups:
        number, done = np.empty(sum(len(m) for m in matrices), dtype="int64"), 0
        for matrix in matrices:
            for start in range(0, len(matrix), 1 << 16):          # 分块算，临时数组留在缓存里
                block = matrix[start: start + (1 << 16)]
                value = np.zeros(len(block), dtype="int64")
                for column in vary:
                    value *= 10
                    value += block[:, column]
                number[done: done + len(block)] = value           # 每位多算了 ord("0")，对所有行都一样
                done += len(block)
        numbers.append(number)
    return numbers


def _sorted_codes(values: pd.Series, rows: np.ndarray | None = None) -> tuple:
    """pd.factorize(values[rows], sort=True)，返回 (codes, uniques 的 Index)。

    等长的数字编号（见 _fixed_width_numbers）不做哈希：值域不太稀疏时用一张表直接排出顺序。
    """
    text = _arrow_text(values)
    numbers = None if text is None else _fixed_width_numbers([text])
    if numbers is None:
        codes, uniques = pd.factorize(values if rows is None else values[rows], sort=True)
        return codes.astype(np.intp, copy=False), pd.Index(uniques)
    number, picked = numbers[0], None
    if rows is not None and not rows.all():
        picked = np.flatnonzero(rows)
        number = number[picked]
    if not len(number):
        return np.zeros(0, dtype=np.intp), pd.Index(values.iloc[:0].array)
    number -= number.min()
    top = int(number.max())
    if top > 4 * len(number) + 1_000_000:                # 值域太稀疏：整数哈希（仍比文本快）
        codes = pd.factorize(number, sort=True)[0].astype(np.intp, copy=False)
    else:
        seen = np.zeros(top + 1, dtype=bool)
        seen[number] = True
        codes = (np.cumsum(seen, dtype=np.intp) - 1)[number]
    del number
    where = np.empty(int(codes.max()) + 1, dtype=np.intp)
    where[codes] = np.arange(len(codes), dtype=np.intp)      # 同一代码的各行文字相同，取哪一行都行
    if picked is not None:
        where = picked[where]
    return codes, pd.Index(values.iloc[where].array)


@checked
def customer_codes(ids: pd.Series, rows: np.ndarray | None = None) -> tuple:
    """把一列客户编号编成整数代码，返回 (codes, uniques)。

    uniques 是不重复、按编号排序的客户编号（名为 customer_id 的 Index），codes[i] 是第 i 行（给了 rows 时是
    rows 选中的第 i 行）的客户在 uniques 里的位置，和 groupby("customer_id", sort=True) 分出的组完全一样。
    之后按客户计数、求和、取最早最晚都在整数代码上做（np.bincount、np.add.at），一千万行也不必再比较文本。
    rows : 和 ids 一样长的真假数组，只编码选中的行（uniques 里也只有这些行的客户）。
    """
    if rows is not None:
        rows = np.asarray(rows, dtype=bool)
        if rows.shape != (len(ids),):
            raise ValueError(f"customer_codes 的 rows 应是和 ids 一样长（{len(ids)} 个）的真假数组，收到 {rows.size} 个。")
    codes, uniques = _sorted_codes(ids, rows)
    if uniques.dtype == object:          # 和 groupby 一样：object 列里全是文字时，分组的索引是文本类型
        uniques = pd.Index(uniques.tolist(), dtype=None if len(uniques) else object)
    return codes, pd.Index(uniques, name="customer_id")


def _lists(owner: np.ndarray, product_codes: np.ndarray, names: pd.Index, n: int) -> pa.ListArray:
    """（位置, 商品代码）对 → n 格的 Arrow 列表：每格去重、按商品名排序（names 已排好序），没有的是空列表。"""
    width = max(len(names), 1)
    keys = np.sort(owner.astype("int64") * width + product_codes)           # 先按位置，再按商品名
    if len(keys):
        keys = keys[np.concatenate([[True], keys[1:] != keys[:-1]])]      # 去重
    counts = np.bincount(keys // width, minlength=n)
    offsets = np.zeros(n + 1, dtype="int32")
    np.cumsum(counts, out=offsets[1:])
    values = pa.array(np.asarray(names, dtype=object), pa.string()).take(pa.array(keys % width))
    return pa.ListArray.from_arrays(pa.array(offsets), values)


@checked
def product_lists(pairs: pd.DataFrame, ids: pd.Index) -> pd.Series:
    """把（客户, 商品）对整理成每位客户一格的商品列表（去重、按名称排序），没买过的客户是空列表。

    一次性用偏移量构造 Arrow 列表列，不逐个客户循环。
    """
    position = ids.get_indexer(pairs["customer_id"])
    codes, names = pd.factorize(pairs["product"].astype(str), sort=True)
    known = position >= 0
    lists = _lists(position[known], codes[known], pd.Index(names), len(ids))
    return pd.Series(pd.arrays.ArrowExtensionArray(lists), index=ids, name="products")


@checked
def filter_as_of(orders: pd.DataFrame, as_of) -> pd.DataFrame:
    """只保留 as_of 当天及以前的订单（as_of 当天全天都算）。"""
    if as_of is None:
        return orders
    end = parse_date(as_of, "as_of") + pd.Timedelta(days=1)
    keep = orders["order_time"] < end
    return orders if keep.all() else orders[keep]          # 一单都没去掉时不复制整张表


def _arrow_text(values):
    """Arrow 文本列（Series 或 Index） → pyarrow 的 large_string 数组（不复制）；不是 Arrow 文本时返回 None。"""
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype):
        arrow = dtype.storage == "pyarrow"
    else:
        arrow = isinstance(dtype, pd.ArrowDtype) and (pa.types.is_string(dtype.pyarrow_dtype)
                                                      or pa.types.is_large_string(dtype.pyarrow_dtype))
    if not arrow:
        return None
    return pa.chunked_array(values.array.__arrow_array__()).cast(pa.large_string())


def _digit_keys(orders, items):
    """纯数字（最多 18 位）的订单号 → 一一对应的 int64（不同位数时把位数也编进去，"007" 和 "7" 不同）。"""
    import pyarrow.compute as pc

    for ids in (orders, items):
        if pc.all(pc.ascii_is_decimal(ids)).as_py() is False:       # 空字符串也不算数字
            return None
    lengths = [pc.min_max(pc.binary_length(ids)).as_py() for ids in (orders, items) if len(ids)]
    low = min((m["min"] for m in lengths), default=1)
    high = max((m["max"] for m in lengths), default=1)
    if high > 18 or (low != high and high > 17):
        return None
    keys = []
    for ids in (orders, items):
        value = pc.cast(ids, pa.int64()).to_numpy()
        if low != high:
            value = value * 32 + pc.binary_length(ids).to_numpy().astype("int64")
        keys.append(value)
    return keys


def _int_rows(order_keys: np.ndarray, item_keys: np.ndarray) -> np.ndarray | None:
    """每个 item_keys 在 order_keys 里的位置（没有是 -1）；order_keys 有重复时返回 None。"""
    if not len(order_keys):
        return np.full(len(item_keys), -1, dtype=np.intp)
    low, high = int(order_keys.min()), int(order_keys.max())
    if high - low < 2 * len(order_keys) + 1_000_000:          # 编号很密（常见的流水号）：直接查表
        table = np.full(high - low + 1, -1, dtype=np.intp)
        table[order_keys - low] = np.arange(len(order_keys), dtype=np.intp)
        if np.count_nonzero(table >= 0) != len(order_keys):
            return None
        shifted = (item_keys - low).view(np.uint64)            # 比 low 小的变成很大的数，一次比较就够
        inside = shifted <= high - low
        if inside.all():
            return table[shifted]
        out = np.full(len(item_keys), -1, dtype=np.intp)
        out[inside] = table[shifted[inside]]
        return out
    index = pd.Index(order_keys)
    return index.get_indexer(item_keys) if index.is_unique else None


def _order_rows(order_ids: pd.Series, item_ids: pd.Series) -> np.ndarray | None:
    """每行明细属于第几笔订单（对不上是 -1），和按 order_id 做 merge 相同。

    订单号有重复（一行明细会对上几笔订单）或不是 Arrow 文本时返回 None，由调用方改用 merge。
    """
    import pyarrow.compute as pc

    orders, items = _arrow_text(order_ids), _arrow_text(item_ids)
    if orders is None or items is None:
        return None
    keys = _fixed_width_numbers([orders, items]) or _digit_keys(orders, items)
    if keys is not None:
        return _int_rows(*keys)
    if pc.count_distinct(orders).as_py() != len(orders):
        return None
    return pc.index_in(items, value_set=orders).fill_null(-1).to_numpy().astype(np.intp)


def _lines_by_customer(prepared: pd.DataFrame, codes: np.ndarray, items: pd.DataFrame):
    """明细行对上订单 → (每行的客户代码, 数量, 商品代码, 排好序的商品名)，只含对上了订单的明细行。"""
    lines = prepare_items(items)
    rows = _order_rows(prepared["order_id"], lines["order_id"])
    if rows is None:                    # 一般情况（订单号重复、object 列……）：照常 merge，带上客户代码
        coded = pd.DataFrame({"order_id": prepared["order_id"], "code": codes})
        lines = lines[["order_id", "product", "quantity"]].merge(coded, on="order_id", how="inner")
        owner = lines["code"].to_numpy(dtype=np.intp)
        matched = slice(None)
    else:
        matched = rows >= 0
        owner = codes[rows[matched]]
    product, names = _sorted_codes(lines["product"])
    return owner, lines["quantity"].to_numpy(dtype="int64")[matched], product[matched], names


def _with_customers(customers: pd.DataFrame, uniques: pd.Index) -> tuple:
    """结果的行：客户表的客户按客户表的顺序，然后是客户表里没有的买家（按编号）。

    返回 (ids, where)：where[i] 是第 i 行在 uniques（下过单的客户）里的位置，没下过单是 -1。
    等长的数字编号按整数查表，其他 Arrow 文本交给 pyarrow（都不必把一百五十万个编号变成 Python 对象），
    不是 Arrow 文本时用 pandas。
    """
    import pyarrow.compute as pc

    if "customer_id" not in customers.columns:
        raise ValueError("客户表缺少 customer_id 列，无法和订单对应。")
    customer_ids = customers["customer_id"].astype(str).str.strip()
    listed, known = _arrow_text(customer_ids), _arrow_text(uniques)
    keys = None if listed is None or known is None else _fixed_width_numbers([listed, known])
    if keys is not None:                                # 等长的数字编号：按整数查表
        in_list = _int_rows(keys[0], keys[1])           # 客户表有重复编号时是 None
        unique = in_list is not None
    else:
        unique = listed is not None and pc.count_distinct(listed).as_py() == len(listed)
    if not unique:
        dup = customer_ids.duplicated(keep=False)
        if dup.any():
            from .validation import format_rows
            raise ValueError(f"客户表的 customer_id 列有重复编号（出问题的行，按表格索引："
                             f"{format_rows(customers.index[dup])}）。每位客户只能出现一次。")
    if listed is None or known is None:
        ids = pd.Index(customer_ids).append(uniques.difference(customer_ids))
        ids.name = "customer_id"
        return ids, uniques.get_indexer(ids)
    if keys is not None:
        where, unlisted = _int_rows(keys[1], keys[0]), in_list < 0
    else:
        unlisted = ~pc.is_in(known, value_set=listed).to_numpy(zero_copy_only=False)
        where = pc.index_in(listed, value_set=known).fill_null(-1).to_numpy().astype(np.intp)
    ids = pd.Index(customer_ids).append(uniques[unlisted])      # uniques 已排好序，等于 difference
    ids.name = "customer_id"
    return ids, np.concatenate([where, np.flatnonzero(unlisted)])


def _join_customers(out: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """附上客户表的各列，等于 out.join(客户表按编号)。

    out 的前 len(customers) 行正好是客户表的客户、顺序相同，所以按位置对齐（不再按文本编号查找）；
    其余的行（客户表里没有的买家）是空值，和 join 一样。
    """
    extra = customers.drop(columns=["customer_id", *[c for c in SUMMARY_COLUMNS if c in customers.columns]])
    extra = extra.reset_index(drop=True)
    if len(out) > len(extra):
        extra = extra.reindex(np.arange(len(out)))           # 多出来的行是空值（类型变化和 join 相同）
    extra.index = out.index
    return pd.concat([out, extra], axis=1)


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
    codes, uniques = customer_codes(prepared["customer_id"])
    n = len(uniques)
    count = np.bincount(codes, minlength=n).astype("int64")
    total = np.zeros(n, dtype="int64")
    np.add.at(total, codes, prepared["amount_fen"].to_numpy(dtype="int64"))
    times = prepared["order_time"].to_numpy(dtype="datetime64[ns]").view("int64")
    first = np.full(n, np.iinfo("int64").max)
    np.minimum.at(first, codes, times)
    last = np.full(n, _NAT)
    np.maximum.at(last, codes, times)
    del times

    if customers is not None:
        ids, where = _with_customers(customers, uniques)
    else:
        ids, where = uniques, np.arange(n, dtype=np.intp)
    has = where >= 0
    take = np.where(has, where, 0)

    def spread(values: np.ndarray, empty) -> np.ndarray:
        return np.where(has, values[take], empty) if n else np.full(len(ids), empty, dtype=values.dtype)

    total_fen = pd.Series(spread(total, 0), index=ids)
    out = pd.DataFrame({"order_count": spread(count, 0)}, index=ids)
    out["total_amount"] = fen_to_yuan(total_fen)
    out["avg_order_value"] = fen_to_yuan(average_fen(total_fen, out["order_count"]))
    out["first_order"] = spread(first, _NAT).view("datetime64[ns]")
    out["last_order"] = spread(last, _NAT).view("datetime64[ns]")

    if items is not None:
        owner, quantity, product, names = _lines_by_customer(prepared, codes, items)
        row_of = np.empty(n, dtype=np.intp)            # 第 i 位下过单的客户在结果里的行号
        row_of[where[has]] = np.flatnonzero(has)
        owner = row_of[owner]
        item_count = np.zeros(len(ids), dtype="int64")
        np.add.at(item_count, owner, quantity)
        out["item_count"] = item_count
        out["products"] = pd.Series(pd.arrays.ArrowExtensionArray(_lists(owner, product, names, len(ids))),
                                    index=ids)
    else:
        out["item_count"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["products"] = pd.Series(pd.array([None] * len(out), dtype=PRODUCT_LIST), index=out.index)

    if as_of is not None:
        ref = parse_date(as_of, "as_of")
    else:
        ref = pd.Timestamp(last.max()).normalize() if n else pd.NaT
    days = (ref - out["last_order"].dt.normalize()).dt.days
    out["recency_days"] = days.astype("Int64")
    out = out[list(SUMMARY_COLUMNS)]
    if customers is not None:
        out = _join_customers(out, customers)
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

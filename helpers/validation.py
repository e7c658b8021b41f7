"""检查并规范化订单表：缺列、日期、金额、重复订单号，出错时用中文说明列名和行。

本模块是“订单表长什么样”的唯一定义。其他函数拿到订单表时都先经过这里的
快速检查（``prepare_orders``），完整检查（含重复订单号）用 ``validate_orders``。
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd


ORDER_COLUMNS = ("order_id", "customer_id", "order_time", "amount")
ITEM_COLUMNS = ("order_id", "product", "quantity")

# 报错时最多列出多少行，避免一次刷屏
_MAX_ROWS_SHOWN = 10
EARLIEST = pd.Timestamp("2000-01-01")   # 更早的“订单”日期多半是缺省值（1900-01-01）之类写错的
MAX_AMOUNT_YUAN = 10 ** 9     # 一笔订单不可能超过 10 亿元；更大的数换成“分”还会溢出


# ---------------------------------------------------------------------------
# 公开函数的参数检查：传错类型时给出说出参数名和期望类型的中文错误
# ---------------------------------------------------------------------------
def _kind_of(value) -> str:
    """给学生看的“你传进来的是什么”。"""
    if value is None:
        return "None（空值）"
    if isinstance(value, bool):
        return f"真/假值 {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 20 else value[:20] + "…"
        return f"文字 {shown!r}"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return f"{'整数' if float(value).is_integer() else '小数'} {value!r}" if np.isfinite(value) else f"数 {value!r}"
    if isinstance(value, pd.DataFrame):
        return f"一张表（{len(value)} 行：{'、'.join(map(str, list(value.columns)[:6])) or '没有列'}）"
    if isinstance(value, pd.Series):
        return f"一列数据（Series，{len(value)} 个值）"
    if isinstance(value, (list, tuple, set, dict)):
        return f"{type(value).__name__}（{len(value)} 个元素）"
    return type(value).__name__


_EXPECT = {"DataFrame": "一张表（pandas DataFrame）", "Series": "一列数据（pandas Series）", "str": "文字（str）",
           "float": "一个数", "int": "一个整数", "bool": "True 或 False", "dict": "一个字典（dict）",
           "list": "一个列表（list）", "tuple": "一个元组（tuple）", "Path": "文件路径（文字或 Path）",
           dt.datetime: "日期时间（例如 '2018-12-12 18:00'）", dt.date: "日期（例如 '2018-12-10'）",
           pd.Timestamp: "日期时间（例如 '2018-12-12 18:00'）", bytes: "字节（bytes）"}


def _accepts(value, kind) -> bool:
    import numbers
    import os

    if isinstance(kind, type) and issubclass(kind, dt.date):     # 日期参数也收 '2018-12-10' 这样的文字
        return isinstance(value, (dt.date, str, np.datetime64))
    if isinstance(kind, type):                 # 工作簿自己的类、bytes……
        return isinstance(value, kind)

    if kind == "DataFrame":
        return isinstance(value, pd.DataFrame)
    if kind == "Series":
        return isinstance(value, pd.Series)
    if kind == "str":
        return isinstance(value, str)
    if kind == "float":
        return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
    if kind == "int":                          # 3.0 这样的整数值也算整数
        return (isinstance(value, numbers.Integral) or (isinstance(value, numbers.Real) and float(value).is_integer())) \
            and not isinstance(value, (bool, np.bool_))
    if kind == "bool":
        return isinstance(value, (bool, np.bool_))
    if kind == "dict":
        return isinstance(value, dict)
    if kind in ("list", "tuple"):               # 只有一项时常写成一个字符串（"加购"），由函数自己换成列表
        return isinstance(value, (list, tuple, set, frozenset, str, pd.Index, pd.Series, np.ndarray))
    if kind == "Path":
        return isinstance(value, (str, os.PathLike))
    return True


def _kinds(annotation) -> tuple[list[str], bool] | None:
    """从类型注解里读出要检查的类型和能不能是 None；认不出的注解返回 None（不检查）。"""
    import types
    import typing
    from pathlib import PurePath

    names = {pd.DataFrame: "DataFrame", pd.Series: "Series", str: "str", float: "float", int: "int", bool: "bool",
             dict: "dict", list: "list", tuple: "tuple", set: "list", frozenset: "list", range: "list",
             pd.Index: "list", np.ndarray: "list"}
    args = typing.get_args(annotation) if typing.get_origin(annotation) in (typing.Union, types.UnionType) \
        else (annotation,)
    kinds, optional = [], False
    for arg in args:
        if arg is type(None):
            optional = True
        elif arg in names:
            kinds.append(names[arg])
        elif isinstance(arg, type) and issubclass(arg, PurePath):
            kinds.append("Path")
        elif typing.get_origin(arg) in names:
            kinds.append(names[typing.get_origin(arg)])
        elif isinstance(arg, type) and (issubclass(arg, (dt.date, bytes))
                                        or str(getattr(arg, "__module__", "")).startswith("helpers")):
            kinds.append(arg)                  # 日期时间、bytes、工作簿自己的类（GiftPack、GroupBuy……）
        else:
            return None                      # 有认不出的类型（Any、Callable……）：交给函数自己检查
    if "Path" in kinds:
        kinds = [k for k in kinds if k != "str"]                   # 文件路径本来就可以写成文字
    return (kinds, optional) if kinds else None


def checked(func):
    """装饰公开函数或类：按类型注解检查每个参数，传错时抛出中文 ValueError，说出函数、参数名、
    期望的类型和实际收到的东西；漏了必需的参数、多写了参数，也用中文说明（而不是英文的 TypeError）；
    函数因为传进来的表缺了某一列而出 KeyError 时，说出是哪个参数缺了哪一列。

    检查的注解：DataFrame、Series、str、数、bool、dict、列表类、Path、日期时间（也收 '2018-12-10' 这样的文字）、
    bytes 和工作簿自己的类（以及它们加 None）；注解里有别的类型时不检查那个参数，交给函数自己。
    """
    import functools
    import inspect
    import types
    import typing

    if not callable(func):
        raise ValueError(f"checked 用来装饰函数或类，收到的是{_kind_of(func)}。")
    cls = func if isinstance(func, type) else None
    if cls is not None:
        func = cls.__init__
    signature = inspect.signature(func)
    if cls is not None:
        signature = signature.replace(parameters=list(signature.parameters.values())[1:])   # 去掉 self
    label = f"{(cls or func).__qualname__.replace('.__init__', '')}()"
    cache: dict = {}

    def plan():
        """{参数名: (要检查的类型, 能不能是 None)}；第一次调用时解析注解，之后直接用。"""
        if "plan" not in cache:
            hints = {}
            for name, annotation in getattr(func, "__annotations__", {}).items():
                try:   # 逐个解析：只在类型检查时导入的名字（如 matplotlib 的 Figure）解析不了，就不查这一个
                    one = types.SimpleNamespace(__annotations__={name: annotation})
                    hints[name] = typing.get_type_hints(one, globalns=getattr(func, "__globals__", {}))[name]
                except Exception:
                    pass
            cache["plan"] = {name: kinds for name in signature.parameters
                             if name in hints and (kinds := _kinds(hints[name])) is not None}
        return cache["plan"]

    required = [p.name for p in signature.parameters.values()
                if p.default is inspect.Parameter.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
                and p.name not in ("self", "cls")]

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        call_args = args[1:] if cls is not None else args        # 构造时第一个是 self
        try:
            bound = signature.bind_partial(*call_args, **kwargs)
        except TypeError as exc:
            raise ValueError(f"{label} 的参数写错了：{_chinese_type_error(exc)}。用法：{label[:-2]}{signature}") from None
        rules = plan()
        for name, value in bound.arguments.items():
            rule = rules.get(name)
            if rule is None:
                continue
            kinds, optional = rule
            if value is None and optional:
                continue
            if not any(_accepts(value, k) for k in kinds):
                want = "或".join(_EXPECT.get(k, k.__name__ if isinstance(k, type) else str(k)) for k in kinds)
                advice = ""
                if "float" in kinds or "int" in kinds:
                    try:
                        float(value)
                        advice = "：去掉引号，写成数本身" if isinstance(value, str) else ""
                    except (TypeError, ValueError):
                        pass
                got = _kind_of(value)
                space = " " if got[:1].isascii() else ""
                raise ValueError(f"{label} 的参数 {name} 应是{want}，收到的是{space}{got}{advice}。")
        missing = [name for name in required if name not in bound.arguments]
        if missing:
            raise ValueError(f"{label} 缺少参数：{'、'.join(missing)}。用法：{label[:-2]}{signature}")
        try:
            return func(*args, **kwargs)
        except KeyError as exc:                # 传进来的表少了函数要用的列：说出是哪张表、哪一列
            column = exc.args[0] if exc.args else None
            for name, value in bound.arguments.items():
                if isinstance(value, pd.DataFrame) and isinstance(column, str) and column not in value.columns \
                        and column not in (value.index.names or []):
                    found = "、".join(map(str, list(value.columns)[:8])) or "没有任何列"
                    raise ValueError(f"{label} 的参数 {name} 缺少列 {column}（这张表现有的列：{found}）。"
                                     "请检查是不是传错了表。") from None
            raise

    if cls is not None:                        # 装饰一个类：检查的是它的构造参数
        cls.__init__ = wrapper
        return cls
    return wrapper


def _chinese_type_error(exc: TypeError) -> str:
    text = str(exc)
    if m := re.search(r"unexpected keyword argument '(\w+)'", text):
        return f"没有叫 {m.group(1)} 的参数"
    if "too many positional arguments" in text:
        return "按位置传的参数太多了"
    if m := re.search(r"multiple values for argument '(\w+)'", text):
        return f"参数 {m.group(1)} 写了两次"
    return text


@checked
def format_rows(labels: pd.Index | list | tuple | np.ndarray | range) -> str:
    """把出问题的行号（DataFrame 索引）排成一句中文，过长时截断并给出总数。"""
    labels = list(labels)
    shown = "、".join(str(x) for x in labels[:_MAX_ROWS_SHOWN])
    if len(labels) > _MAX_ROWS_SHOWN:
        shown += f" 等，共 {len(labels)} 行"
    return shown


def _fail(table: str, column: str, problem: str, rows, fix: str) -> None:
    raise ValueError(
        f"{table}的 {column} 列{problem}（出问题的行，按表格索引：{format_rows(rows)}）。{fix}"
    )


@checked
def parse_date(value, name: str = "日期") -> pd.Timestamp:
    """把 date、Timestamp 或 'YYYY-MM-DD' 字符串变成当天零点的 Timestamp。

    参数
    ----
    value : datetime.date | datetime.datetime | pandas.Timestamp | str
    name : 参数名，用于报错信息。
    """
    ts = _moment(value)
    if ts is pd.NaT or pd.isna(ts):
        raise ValueError(
            f"参数 {name} 不是有效的日期：{value!r}。"
            "请写成 'YYYY-MM-DD' 形式的字符串（例如 '2015-05-01'），或传入 date / Timestamp。"
        )
    return ts.normalize()


_MOMENT = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})(?:[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?:Z|[+-]\d{2}:?\d{2})?)?")


def _moment(value):
    """date、Timestamp 或 'YYYY-MM-DD[ HH:MM[:SS]]' → 北京时间的 Timestamp（不带时区）；看不懂时返回 NaT。

    文字只认完整的日期（后面可以跟时刻），'2015-05-01 垃圾' 这种后面多了东西的不接受。
    """
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date, np.datetime64)):
        ts = pd.Timestamp(value)
    elif isinstance(value, str) and _MOMENT.fullmatch(value.strip()):
        try:
            ts = pd.Timestamp(value.strip())
        except ValueError:                     # 2015-02-30 这种不存在的日期
            return pd.NaT
    else:
        return pd.NaT
    if ts is pd.NaT or pd.isna(ts):
        return pd.NaT
    if ts.tzinfo is not None:
        ts = ts.tz_convert("Asia/Shanghai").tz_localize(None)
    return ts


def parse_moment(value, name: str = "时刻") -> pd.Timestamp:
    """把 datetime、Timestamp 或 'YYYY-MM-DD HH:MM[:SS]' 字符串变成一个时刻（北京时间）；只写日期时是那天 0 点。

    看不懂时抛出说出参数名的中文 ValueError。
    """
    ts = _moment(value)
    if ts is pd.NaT or pd.isna(ts):
        raise ValueError(f"参数 {name} 不是有效的时刻：{value!r}。请写成 'YYYY-MM-DD HH:MM:SS' 形式的字符串"
                         "（例如 '2018-12-12 18:00:00'），或传入 datetime / Timestamp；日期要真实存在（没有 13 月、2 月 30 日）。")
    return ts


@checked
def require_columns(df, columns, table: str, fix: str = "") -> None:
    """检查 df 是 DataFrame 且含有全部必需的列；缺列时用中文说明缺了什么、现有什么、怎么改。

    参数
    ----
    df : 要检查的表。
    columns : 必需的列名。
    table : 表的中文名，例如 "订单表"。
    fix : 追加在报错末尾的修改建议；不给时提示用 rename 改列名。
    """
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{table}应该是一个 pandas DataFrame，收到的是 {type(df).__name__}。")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        found = "、".join(map(str, df.columns)) or "（没有任何列）"
        fix = fix or "如果列名不同，请先用 df.rename(columns={...}) 改名。"
        raise ValueError(
            f"{table}缺少必需的列：{'、'.join(missing)}。"
            f"表中现有的列：{found}。需要的列：{'、'.join(columns)}。{fix}"
        )


@checked
def years_out_of_range(text: pd.Series) -> pd.Series:
    """一列时间文字里，年份在 pandas 表示不了的范围（1677 年以前、2262 年以后）的行。"""
    year = pd.to_numeric(text.str.extract(r"^(\d{4})", expand=False), errors="coerce")
    return ((year >= 2262) | (year <= 1677)).fillna(False).astype(bool)


@checked
def parse_iso_times(text: pd.Series, rows: pd.Series) -> tuple[pd.Series, pd.Series]:
    """按 ISO 写法解析 rows 选中的时间文字，返回 (时间, 不带时区的行)；其余行和看不懂的是 NaT。

    带时区的写法（2015-03-01T10:00:00+08:00、…Z）换算成北京时间，去掉时区。
    """
    rows = rows.fillna(False).astype(bool)
    zoned = rows & text.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True).fillna(False).astype(bool)
    plain = rows & ~zoned
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if zoned.any():
        utc = pd.to_datetime(text[zoned], errors="coerce", utc=True, format="ISO8601")
        parsed.loc[zoned] = utc.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None).astype("datetime64[ns]")
    if plain.any():
        parsed.loc[plain] = pd.to_datetime(text[plain], errors="coerce", format="ISO8601").astype("datetime64[ns]")
    return parsed, plain


@checked
def implausible_times(parsed: pd.Series, earliest: pd.Timestamp) -> pd.Series:
    """不可能是真实订单的时间：早于 earliest，或比这一列时间的中位数晚 20 年以上（例如写错的 2099 年）。"""
    if not parsed.notna().any():
        return pd.Series(False, index=parsed.index)
    # 最晚的不比最早的晚 20 年（余量两天：2 月 29 日加 20 年会退一天）：不会比中位数晚 20 年，不必求中位数
    if parsed.max() + pd.Timedelta(days=2) <= parsed.min() + pd.DateOffset(years=20):
        return (parsed < earliest).fillna(False).astype(bool)
    late = parsed > parsed.median() + pd.DateOffset(years=20)
    return ((parsed < earliest) | late).fillna(False).astype(bool)


@checked
def parse_times(values: pd.Series, table: str, column: str) -> pd.Series:
    """把一列日期时间解析为 datetime64；空值、无法识别或不存在的日期（如 2月30日）报错。"""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        parsed = values.astype("datetime64[ns]")
    else:
        text = values.astype("string").str.strip()
        out_of_range = years_out_of_range(text)
        if out_of_range.any():
            examples = "、".join(repr(str(v)) for v in values[out_of_range].head(3))
            _fail(table, column, f"有年份超出能处理范围（1678–2261 年）的日期（例如 {examples}）",
                  values.index[out_of_range], "请检查这些行的年份是不是写错了。")
        parsed, plain = parse_iso_times(text, text.notna())
        retry = parsed.isna() & plain & text.notna() & (text != "")
        if retry.any():  # 学生自己的表格里常见 2015/3/1 10:00 这类写法
            parsed.loc[retry] = pd.to_datetime(text[retry], errors="coerce", format="mixed").astype("datetime64[ns]")
    bad = parsed.isna()
    if bad.any():
        missing = values.isna() | (values.astype("string").str.strip() == "")
        if (bad & missing).any():
            _fail(table, column, "有空的日期", values.index[bad & missing],
                  "每一行都需要日期，请补上或删除这些行后再试。")
        examples = "、".join(repr(str(v)) for v in values[bad].head(3))
        _fail(table, column, f"有无法识别或不存在的日期（例如 {examples}）", values.index[bad],
              "请写成 'YYYY-MM-DD HH:MM:SS' 形式，并确认日期真实存在（例如没有 2 月 30 日）。")
    implausible = implausible_times(parsed, EARLIEST)
    if implausible.any():
        examples = "、".join(repr(str(v)) for v in values[implausible].head(3))
        _fail(table, column, f"有不可能是真实订单的日期（例如 {examples}：早于 2000 年，"
                             "或比表里其他订单晚 20 年以上）", values.index[implausible],
              "请检查这些行的年份是不是写错了。")
    return parsed


def _parse_amount_fen(values: pd.Series, table: str, column: str) -> pd.Series:
    """把金额（元）换算成整数“分”，四舍五入到分；非数字、空值、负数报错。"""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        numbers = values.astype("float64")
    else:
        cleaned = values.astype("string").str.replace(",", "", regex=False).str.strip()
        cleaned = cleaned.str.lstrip("¥￥")
        numbers = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    from .money import to_fen      # money 用本模块的 checked，这里用到时再导入，避免循环导入
    plain = numbers.to_numpy()
    if not ((plain >= 0) & (plain <= MAX_AMOUNT_YUAN)).all():       # 有不在 0 到 10 亿元之间的数：查出是哪几行
        bad = numbers.isna()
        if bad.any():
            _fail(table, column, "有空值或不是数字的金额", values.index[bad],
                  "金额应是以元为单位的数字，例如 128.00。")
        huge = ~np.isfinite(numbers) | (numbers.abs() > MAX_AMOUNT_YUAN)
        if huge.any():
            _fail(table, column, "有不是真实的金额（无穷大，或一笔超过 10 亿元）", values.index[huge],
                  "请检查这些行：多半是把别的列（例如订单编号）读成了金额。")
        negative = numbers < 0
        if negative.any():
            _fail(table, column, "有负数金额", values.index[negative],
                  "实付金额不能小于 0；退款请从订单表中删除对应订单，而不是写成负数。")
    return pd.Series(to_fen(plain), index=values.index, copy=False)     # 数组进、数组出：不多复制一千万个数


@checked
def money_fen(values: pd.Series, table: str, column: str) -> pd.Series:
    """把一列金额（元）换成整数“分”（四舍五入到分），索引不变；空值、非数字、负数给出中文错误，写明行号。

    订单表的实付金额用更宽松的 _parse_amount_fen（还认 ¥ 和千位逗号）；这里用于明细、销售额、广告花费等数字列。
    """
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna() | (numbers < 0)
    if bad.any():
        raise ValueError(f"{table}的 {column} 列应是不小于 0 的金额（元），这些行有空值、非数字或负数"
                         f"（按表格索引）：{format_rows(values.index[bad])}。")
    from .money import to_fen

    return to_fen(numbers)


def _stripped(values: pd.Series) -> pd.Series:
    """values.astype(str).str.strip()；Arrow 文本每格首尾都是可见 ASCII 字符或常用汉字（不会是空白）时不必逐格去空白。"""
    text = values.astype(str)
    arrow = isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow"
    for chunk in text.array.__arrow_array__().chunks if arrow else [None]:
        if chunk is None or chunk.null_count or chunk.type != "large_string":
            return text.str.strip()
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64)[chunk.offset: chunk.offset + len(chunk) + 1]
        filled = offsets[1:] > offsets[:-1]                            # 空文字不用看
        start, end = offsets[:-1][filled], offsets[1:][filled]
        data = np.frombuffer(chunk.buffers()[2] or b"", dtype=np.uint8)
        first, last, lead = data[start], data[end - 1], data[np.maximum(end - 3, start)]
        visible = lambda b: (b > 0x20) & (b < 0x7F)                     # noqa: E731
        han = lambda b: (b >= 0xE4) & (b <= 0xE9)       # noqa: E731  U+4000–U+9FFF 三字节字符（常用汉字）的首字节
        if not (visible(first) | han(first)).all() or not (visible(last) | (han(lead) & (end - start >= 3))).all():
            return text.str.strip()
    return text


def _check_ids(values: pd.Series, table: str, column: str, normalize: bool = True) -> pd.Series:
    """编号列不能为空；normalize=True 时转成去掉首尾空格的文本（快速检查时对文本列跳过这一步）。"""
    bad = values.isna()
    if bad.any():
        _fail(table, column, "有空值", values.index[bad], "每一行都需要编号，请补上或删除这些行。")
    if pd.api.types.is_float_dtype(values.dtype):
        # 1.0、2.0 这类编号往往是被 Excel 改坏的长数字，原样转字符串会错，干脆要求文本
        raise ValueError(
            f"{table}的 {column} 列是小数类型，编号可能已被 Excel 改写（例如科学计数法）。"
            "请在读取时指定 dtype={'" + column + "': str}，让编号保持为文本。"
        )
    if not normalize and (isinstance(values.dtype, pd.StringDtype) or values.dtype == object):
        return values
    return _stripped(values)


@checked
def prepare_orders(orders: pd.DataFrame, require_order_id: bool = False,
                   normalize_ids: bool = False) -> pd.DataFrame:
    """快速检查订单表并返回带 ``amount_fen``（整数分）的规范化副本，不改动原表。

    只做便宜的检查：缺列、空编号、日期无法识别、金额为负。重复订单号和编号里的
    首尾空格由 ``validate_orders`` 处理（normalize_ids=True）。
    """
    columns = ORDER_COLUMNS if require_order_id else ORDER_COLUMNS[1:]
    require_columns(orders, columns, "订单表")
    out = orders.copy(deep=False)
    out["customer_id"] = _check_ids(orders["customer_id"], "订单表", "customer_id", normalize_ids)
    if "order_id" in orders.columns:
        out["order_id"] = _check_ids(orders["order_id"], "订单表", "order_id", normalize_ids)
    out["order_time"] = parse_times(orders["order_time"], "订单表", "order_time")
    out["amount_fen"] = _parse_amount_fen(orders["amount"], "订单表", "amount")
    from .money import fen_to_yuan

    out["amount"] = fen_to_yuan(out["amount_fen"])
    return out


@checked
def validate_orders(df: pd.DataFrame) -> pd.DataFrame:
    """完整检查一张订单表并返回规范化的副本（编号为文本、日期已解析、金额精确到分）。

    参数
    ----
    df : 订单表，至少包含 order_id、customer_id、order_time、amount 四列；
         其他列原样保留。传入的表不会被修改。

    出错时抛出 ``ValueError``，用中文说明哪一列、哪些行、怎么改。
    """
    out = prepare_orders(df, require_order_id=True, normalize_ids=True)
    dup = out["order_id"].duplicated(keep=False)
    if dup.any():
        ids = "、".join(out.loc[dup, "order_id"].drop_duplicates().head(5))
        _fail("订单表", "order_id", f"有重复的订单编号（例如 {ids}）", out.index[dup],
              "每个订单编号只能出现一次；同一订单的多件商品请放在商品明细表里。")
    return out.drop(columns="amount_fen")


@checked
def prepare_items(items: pd.DataFrame) -> pd.DataFrame:
    """快速检查商品明细表（order_id、product、quantity），返回规范化副本。"""
    require_columns(items, ITEM_COLUMNS, "商品明细表")
    out = items.copy(deep=False)
    out["order_id"] = _check_ids(items["order_id"], "商品明细表", "order_id")
    bad = items["product"].isna()
    if bad.any():
        _fail("商品明细表", "product", "有空的商品名", items.index[bad], "请补上商品名。")
    out["product"] = _stripped(items["product"])
    qty = items["quantity"]
    plain_int = isinstance(qty.dtype, np.dtype) and qty.dtype.kind in "iu"     # numpy 整数列：不必转换，没有空值、小数
    qty = qty if plain_int else pd.to_numeric(qty, errors="coerce")
    bad = (qty < 0) if plain_int else qty.isna() | (qty < 0) | (qty != np.floor(qty))
    if bad.any():
        _fail("商品明细表", "quantity", "有空值、负数或非整数的购买数量", items.index[bad],
              "数量应为 0 或正整数。")
    out["quantity"] = qty.astype("int64")
    return out

"""解析字段：把一列列文本换成时间、金额（分）、手机号、省份城市、是/否（整列一起做，不逐行循环）。

每个 read_* 函数都返回 (结果, 原因)：读不了的格子结果是空值，原因里用中文写明是哪一列的哪个值、为什么，
导入时这些原因原样写进报告的问题行。parse_* 函数只要结果。
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..money import to_fen
from ..privacy import normalize_phone
from ..segment_rules import normalize_region
from ..validation import checked, implausible_times, parse_iso_times, years_out_of_range

SCIENTIFIC = r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+"     # 被 Excel 改成科学计数法的长数字，例如 1.23457E+17
_BOOL_TRUE = {"是", "1", "y", "yes", "true", "退订", "已退订", "√", "t"}
_BOOL_FALSE = {"否", "0", "n", "no", "false", "", "×", "f"}
_MUNICIPALITIES = {"北京", "上海", "天津", "重庆"}

EARLIEST = pd.Timestamp("2003-05-10")      # 淘宝上线的日子：更早的付款时间不可能是真的
_SLASHED = r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T].*)?$"


@checked
def read_times(text: pd.Series, date_format: str | None = None, column: str = "时间") -> tuple[pd.Series, pd.Series]:
    """把一列时间文字解析成日期时间（北京时间），返回 (时间, 原因)；读不了的时间是 NaT，原因写明为什么。

    - 带时区的写法（2023-06-01T11:00:00+08:00、…Z）换算成北京时间；
    - 01/06/2023 这种看不出是“日/月”还是“月/日”的写法不猜：原因里写明，请用 date_format= 说明
      （例如 date_format="%d/%m/%Y %H:%M"）；13/06/2023 这种只有一种读法的照读；
    - pandas 表示不了的年份（例如 2262 年以后）和不可能的时间（淘宝上线的 2003 年以前、
      比文件里其余时间的中位数晚 20 年以上）都写明原因。
    """
    text = text.astype(str).str.strip()
    reason = pd.Series("", index=text.index, dtype=object)
    too_far = _years_out_of_range(text)                     # pandas 的纳秒时间表示不了
    reason[too_far] = column + " “" + text[too_far] + "” 的年份超出了能处理的范围（1678–2261 年）"
    explained = too_far.copy()                              # 已经写了原因的行
    filled = (text != "") & ~too_far
    if date_format:
        out = pd.to_datetime(text.where(filled), errors="coerce", format=date_format).astype("datetime64[ns]")
    else:
        out, plain = parse_iso_times(text, filled)
        slashed = text[plain & out.isna()].str.extract(_SLASHED)                        # 只看 ISO 读不了的几行
        first = pd.to_numeric(slashed[0], errors="coerce").reindex(text.index)
        second = pd.to_numeric(slashed[1], errors="coerce").reindex(text.index)
        ambiguous = plain & out.isna() & (first <= 12) & (second <= 12) & (first != second)
        day_first = plain & out.isna() & (first > 12)
        retry = plain & out.isna() & ~ambiguous
        if retry.any():   # 被 Excel 改过的 2024/6/1 20:15 这类写法；13/06/2023 只能是日/月
            out.loc[retry & ~day_first] = pd.to_datetime(text[retry & ~day_first], errors="coerce",
                                                         format="mixed").astype("datetime64[ns]")
            out.loc[day_first] = pd.to_datetime(text[day_first], errors="coerce", format="mixed",
                                                dayfirst=True).astype("datetime64[ns]")
        reason[ambiguous] = (column + " “" + text[ambiguous] + "” 看不出是“日/月/年”还是“月/日/年”："
                             "请用 date_format= 说明（例如 date_format=\"%d/%m/%Y %H:%M\"）")
        explained |= ambiguous
    implausible = implausible_times(out, EARLIEST)
    reason[implausible] = column + " “" + text[implausible] + "” 不可能是真的付款时间（早于 2003 年淘宝上线，" \
        "或比文件里其他订单晚 20 年以上）"
    out[implausible] = pd.NaT
    bad = filled & out.isna() & ~(explained | implausible)
    reason[bad] = column + " “" + text[bad] + "” 看不懂（应写成 2024-06-01 20:15:33 这样）"
    return out, reason


def _years_out_of_range(text: pd.Series) -> pd.Series:
    """和 validation.years_out_of_range 相同，但开头是 4 个 ASCII 数字（几乎所有行）的整列在 Arrow 里算。

    开头几个 ASCII 数字后面紧跟非 ASCII 字符的行（可能是全角数字，正则的 \\d 也认）仍交给 years_out_of_range。
    """
    arrow = _arrow(text)
    ascii4 = pc.match_substring_regex(arrow, "^[0-9]{4}").to_numpy(zero_copy_only=False).astype(bool)
    year = np.zeros(len(text), dtype=np.int64)
    if ascii4.any():
        head = pc.utf8_slice_codeunits(arrow.filter(pa.array(ascii4)), 0, 4)
        year[ascii4] = pc.cast(head, pa.int64()).to_numpy(zero_copy_only=False)
    out = ascii4 & ((year >= 2262) | (year <= 1677))
    unsure = ~ascii4 & pc.match_substring_regex(arrow, "^[0-9]{0,3}[^\\x00-\\x7f]").to_numpy(
        zero_copy_only=False).astype(bool)
    if unsure.any():
        out[unsure] = years_out_of_range(text[unsure]).to_numpy(dtype=bool)
    return pd.Series(out, index=text.index)


def _arrow(text: pd.Series) -> pa.ChunkedArray:
    """一列文字（pandas）→ Arrow 文本列；pandas 3 的 str 列不复制。"""
    array = text.array
    if hasattr(array, "__arrow_array__"):
        return pa.chunked_array(array.__arrow_array__())
    return pa.chunked_array([pa.array(text.astype(object).where(text.notna(), None).tolist(), type=pa.large_string())])


@checked
def parse_times(text: pd.Series) -> pd.Series:
    """把一列时间文字解析成日期时间；空的和看不懂的得到 NaT（原因见 read_times）。"""
    return read_times(text)[0]


MAX_ORDER_YUAN = 10 ** 9     # 一笔订单不可能超过 10 亿元：更大的数多半是把别的列读成了金额


@checked
def read_money_fen(text: pd.Series, decimal: str = ".", column: str = "金额") -> tuple[pd.Series, pd.Series]:
    """把一列金额文字（元，可带 ¥）换成整数“分”，返回 (分, 原因)；读不了的为缺失值，原因写明为什么。

    - 千位逗号只认 1,234.56 这种三位一组的写法；12,34 这种看不出逗号是小数点还是千位分隔的不猜，
      原因里写明（小数点是逗号的表格请传 decimal=","）；
    - inf、Infinity、1e400、超过 10 亿元的数都不是真的金额，写明原因，不会溢出成奇怪的负数。
    """
    return _each_value(text.astype(str).str.strip(), lambda raw: _money_fen(raw, decimal, column))


def _money_fen(raw: pd.Series, decimal: str, column: str) -> tuple[pd.Series, pd.Series]:
    text = raw
    cleaned = raw.str.replace(r"[¥￥\s]", "", regex=True)
    reason = pd.Series("", index=text.index, dtype=object)
    if decimal == ",":
        cleaned = cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        grouped = cleaned.str.fullmatch(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
        comma = cleaned.str.contains(",", regex=False) & ~grouped
        reason[comma] = column + " “" + raw[comma] + "” 里的逗号看不出是小数点还是千位分隔：" \
            "请写成 1234.56；小数点本来就是逗号的表格请传 decimal=\",\""
        cleaned = cleaned.where(~comma, "").str.replace(",", "", regex=False)
    numbers = pd.to_numeric(cleaned.where(cleaned != ""), errors="coerce").astype("float64")
    huge = ~np.isfinite(numbers.fillna(0)) | (numbers.abs() > MAX_ORDER_YUAN)
    reason[huge & (reason == "")] = column + " “" + raw[huge] + "” 不是真实的金额（无穷大或超过 10 亿元）"
    numbers[huge] = np.nan
    bad = numbers.isna() & (raw != "") & (reason == "")
    reason[bad] = column + " “" + raw[bad] + "” 不是数字"
    fen = pd.Series(pd.NA, index=text.index, dtype="Int64")
    known = numbers.notna()
    fen[known] = to_fen(numbers[known])                # 四舍五入到分（helpers.money）
    return fen, reason


@checked
def parse_money_fen(text: pd.Series) -> pd.Series:
    """把一列金额文字（元，可带 ¥ 和千位逗号）换成整数“分”；看不懂的为缺失值（原因见 read_money_fen）。"""
    return read_money_fen(text)[0]


@checked
def read_phones(text: pd.Series, column: str = "手机号") -> tuple[pd.Series, pd.Series]:
    """整理一列手机号，返回 (手机号, 原因)；不是手机号的为空值，原因写明是哪个值。

    号码怎么规范由 helpers.privacy.normalize_phone 决定（空格、横线、+86 前缀、Excel 的 .0……，
    全工作簿只有这一个规范手机号的函数）；已经打码的号码（例如 138****1234，新版千牛导出时就打了码）原样保留。
    """
    return _each_value(text.astype(str).str.strip(), lambda text: _phones(text, column))


def _phones(text: pd.Series, column: str) -> tuple[pd.Series, pd.Series]:
    phones = normalize_phone(text, keep_masked=True)
    bad = (phones.isna() & (text != "")).to_numpy()
    reason = pd.Series("", index=text.index, dtype=object)
    reason[bad] = column + " “" + text[bad] + "” 不是 11 位手机号"
    return phones, reason


@checked
def to_numbers(text: pd.Series) -> pd.Series:
    """和 pd.to_numeric(text, errors="coerce") 相同，但每个不同的值只算一次（件数、宝贝种类这种重复很多的列快得多）。"""
    return _each_value(text, lambda values: (pd.to_numeric(values, errors="coerce"),))[0]


def _each_value(text: pd.Series, compute) -> tuple:
    """compute 是逐个值计算的函数（返回几列）：每个不同的值只算一次，再按行展开。

    几十万行的导出文件里，同样的金额、同一位客户的手机号重复很多次；结果和逐行算完全相同。
    """
    if not isinstance(text.dtype, pd.StringDtype):       # 只对文本列这样做（object 列里 1 和 1.0 会被当成同一个值）
        return compute(text)
    codes, uniques = pd.factorize(text, use_na_sentinel=False)
    if len(uniques) > len(text) // 2:
        return compute(text)
    results = compute(pd.Series(uniques, dtype=text.dtype, name=text.name))
    return tuple(r.take(codes).set_axis(text.index) for r in results)


_SPACES = r"[\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]+"
_COMPACT = (r"^(?P<p>.+?(?:特别行政区|自治区|省|市)|内蒙古|广西|西藏|宁夏|新疆|上海|北京|天津|重庆)"
            r"(?P<c>.+?(?:自治州|地区|盟|市))?")


@checked
def parse_address(address: pd.Series) -> pd.DataFrame:
    """从收货地址里取出省份和城市（不带“省/市/自治区”）。

    "上海 上海市 浦东新区 …" → 上海、上海；"浙江省 杭州市 西湖区 …" → 浙江、杭州；
    没有空格的 "浙江省杭州市西湖区…" 也认得。直辖市的城市就是它自己。
    """
    text = address.astype(str).str.strip()
    # 整列在 Arrow（RE2）里切开、匹配；空白照 Python 正则的 \s 写全（全角空格也算），结果和 re 模块的相同
    arrow = pc.fill_null(_arrow(text).combine_chunks(), "")          # 空值和空地址一样：省份、城市都是空的
    words = pc.split_pattern_regex(arrow, _SPACES, max_splits=2)
    offsets = words.offsets.to_numpy()
    spaced = pa.array(np.diff(offsets) >= 2)                       # 有空格分开的省、市
    province = words.values.take(pa.array(offsets[:-1]))
    city = pc.if_else(spaced, words.values.take(pa.array(np.minimum(offsets[:-1] + 1, offsets[1:] - 1))), None)
    if not pc.all(spaced).as_py():                                # 没有空格的 "浙江省杭州市西湖区…"：按后缀认
        compact = pc.extract_regex(pc.if_else(spaced, None, arrow), _COMPACT)
        compact_city = pc.struct_field(compact, "c")
        province = pc.if_else(spaced, province, pc.struct_field(compact, "p"))
        city = pc.if_else(spaced, city, pc.if_else(pc.equal(compact_city, ""), None, compact_city))
    names = pc.unique(pa.concat_arrays([province, city]).drop_null())
    short = pa.array([normalize_region(v) for v in names.to_pylist()], type=pa.string())
    province = short.take(pc.index_in(province, value_set=names))
    city = short.take(pc.index_in(city, value_set=names))
    filled = pc.fill_null(pc.not_equal(city, ""), False)
    city = pc.if_else(filled, city, pc.if_else(pc.is_in(province, value_set=pa.array(sorted(_MUNICIPALITIES))),
                                               province, None))                       # 直辖市的城市就是它自己
    empty = pc.equal(arrow, "")
    columns = {name: _objects(pc.if_else(empty, None, values)) for name, values in (("province", province), ("city", city))}
    return pd.DataFrame(columns, index=address.index, dtype=object)


def _objects(values: pa.Array) -> np.ndarray:
    """Arrow 文本列 → object 数组（空值是 None）；省份、城市只有几十种，相同的文字共用一个 Python 对象。"""
    encoded = pc.dictionary_encode(values)
    shared = np.array(encoded.dictionary.to_pylist() + [None], dtype=object)
    return shared[pc.fill_null(encoded.indices, len(encoded.dictionary)).to_numpy(zero_copy_only=False)]


@checked
def parse_flags(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """把“是/否”一类的文字换成 True/False；返回 (结果, 是否看不懂)。看不懂的按 True（宁可少发，不可错发）。"""
    low = text.astype(str).str.strip().str.lower()
    yes, no = low.isin(_BOOL_TRUE), low.isin(_BOOL_FALSE)
    return (yes | ~no), ~(yes | no)

"""解析字段：把一列列文本换成时间、金额（分）、手机号、省份城市、是/否（整列一起做，不逐行循环）。

每个 read_* 函数都返回 (结果, 原因)：读不了的格子结果是空值，原因里用中文写明是哪一列的哪个值、为什么，
导入时这些原因原样写进报告的问题行。parse_* 函数只要结果。
"""
from __future__ import annotations

import numpy as np
import pandas as pd

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
    too_far = years_out_of_range(text)                      # pandas 的纳秒时间表示不了
    reason[too_far] = column + " “" + text[too_far] + "” 的年份超出了能处理的范围（1678–2261 年）"
    filled = (text != "") & ~too_far
    if date_format:
        out = pd.to_datetime(text.where(filled), errors="coerce", format=date_format).astype("datetime64[ns]")
    else:
        out, plain = parse_iso_times(text, filled)
        slashed = text.str.extract(_SLASHED)
        first, second = pd.to_numeric(slashed[0], errors="coerce"), pd.to_numeric(slashed[1], errors="coerce")
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
    implausible = implausible_times(out, EARLIEST)
    reason[implausible] = column + " “" + text[implausible] + "” 不可能是真的付款时间（早于 2003 年淘宝上线，" \
        "或比文件里其他订单晚 20 年以上）"
    out[implausible] = pd.NaT
    bad = filled & out.isna() & (reason == "")
    reason[bad] = column + " “" + text[bad] + "” 看不懂（应写成 2024-06-01 20:15:33 这样）"
    return out, reason


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
    raw = text.astype(str).str.strip()
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
    text = text.astype(str).str.strip()
    phones = normalize_phone(text, keep_masked=True)
    bad = (phones.isna() & (text != "")).to_numpy()
    reason = pd.Series("", index=text.index, dtype=object)
    reason[bad] = column + " “" + text[bad] + "” 不是 11 位手机号"
    return phones, reason


@checked
def parse_address(address: pd.Series) -> pd.DataFrame:
    """从收货地址里取出省份和城市（不带“省/市/自治区”）。

    "上海 上海市 浦东新区 …" → 上海、上海；"浙江省 杭州市 西湖区 …" → 浙江、杭州；
    没有空格的 "浙江省杭州市西湖区…" 也认得。直辖市的城市就是它自己。
    """
    text = address.astype(str).str.strip()
    parts = text.str.split(r"\s+", n=2, expand=True).reindex(columns=[0, 1])
    compact = text.str.extract(r"^(?P<p>.+?(?:特别行政区|自治区|省|市)|内蒙古|广西|西藏|宁夏|新疆|上海|北京|天津|重庆)"
                               r"(?P<c>.+?(?:自治州|地区|盟|市))?")
    spaced = parts[1].notna() & (parts[1] != "")
    province = parts[0].where(spaced, compact["p"])
    city = parts[1].where(spaced, compact["c"])
    lookup = {v: normalize_region(v) for v in pd.concat([province, city]).dropna().unique()}
    province = province.map(lookup)
    city = city.map(lookup)
    city = city.where(city.notna() & (city != ""), province.where(province.isin(_MUNICIPALITIES)))
    out = pd.DataFrame({"province": province, "city": city}, index=address.index)
    return out.where(text != "").astype(object).where(lambda d: d.notna(), None)


@checked
def parse_flags(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """把“是/否”一类的文字换成 True/False；返回 (结果, 是否看不懂)。看不懂的按 True（宁可少发，不可错发）。"""
    low = text.astype(str).str.strip().str.lower()
    yes, no = low.isin(_BOOL_TRUE), low.isin(_BOOL_FALSE)
    return (yes | ~no), ~(yes | no)

"""金额：元和分的换算、四舍五入、显示。全工作簿只在这里写一次。

约定（见 docs/代码约定.md）：
- 计算一律用整数“分”（int64），求和、比较都不会有 0.1 + 0.2 这样的浮点误差；
- 只有显示、导出时才换回“元”；
- 到分的四舍五入是“四舍五入”（half up，0.125 元 → 0.13 元），和店铺后台、DuckDB 一样，
  不是 Python round() 的“银行家舍入”（half even）。

常用：
    to_fen(19.9)                  → 1990
    to_fen(orders["amount"])      → 一列整数分（索引不变）
    fen_to_yuan(1990)             → 19.9
    average_fen([61637], [2])     → [30819.]（总额 ÷ 单数，整数运算四舍五入到分；0 单是 NaN）
    round_fen(6500.5)             → 6501.0（带小数的分四舍五入到整分，空值仍是空值）
    round_yuan(Fraction(1, 3))    → 0.0（1/3 分四舍五入到分）
    yuan_text(20000)              → "200"；yuan_text(19990) → "199.90"
    format_yuan(1234.5)           → "1,234.50"
    parse_yuan("19.90", "券面额") → Decimal("19.90")（不是金额时给出中文错误）
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

import numpy as np
import pandas as pd

from .validation import checked

__all__ = ["to_fen", "round_fen", "average_fen", "fen_to_yuan", "round_yuan", "yuan_text", "format_yuan", "parse_yuan", "FEN_PER_YUAN"]

FEN_PER_YUAN = 100


def _require_number(value, what: str) -> None:
    """金额参数的内容检查（checked 只管参数个数和注解）：不是数时给出中文错误。"""
    if isinstance(value, bool) or value is None or isinstance(value, (str, bytes, dict, set, pd.DataFrame)):
        shown = "None（空值）" if value is None else repr(value)[:60]
        raise ValueError(f"{what}应是金额数字（一个数、数组或一列数），收到的是 {shown}。")
    if isinstance(value, (list, tuple)) and not all(isinstance(v, (int, float, np.integer, np.floating))
                                                     and not isinstance(v, bool) for v in value):
        raise ValueError(f"{what}的列表里应全是数字，收到的是 {list(value)[:5]!r}。")


def _half_up(scaled: np.ndarray) -> np.ndarray:
    """把“分”（可能带小数）四舍五入成整数分：先按 6 位小数收掉浮点噪声（1.005 × 100 = 100.4999…），再 half up。"""
    scaled = np.round(scaled, 6)
    return np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)


@checked
def to_fen(yuan):
    """元 → 整数分（四舍五入到分）。

    yuan 可以是一个数、numpy 数组或 pandas Series（Series 的索引不变）；空值留给调用方先检查。
    """
    _require_number(yuan, "to_fen 的参数 yuan（元）")
    if isinstance(yuan, pd.Series):
        values = pd.to_numeric(yuan).to_numpy(dtype="float64")
        return pd.Series(_half_up(values * FEN_PER_YUAN).astype("int64"), index=yuan.index, name=yuan.name)
    if isinstance(yuan, (np.ndarray, list, tuple)):
        return _half_up(np.asarray(yuan, dtype="float64") * FEN_PER_YUAN).astype("int64")
    if isinstance(yuan, (Decimal, Fraction)):
        return int((Decimal(yuan.numerator) / Decimal(yuan.denominator) if isinstance(yuan, Fraction) else yuan)
                   .scaleb(2).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return int(_half_up(np.float64(yuan) * FEN_PER_YUAN))


@checked
def round_fen(fen):
    """带小数的“分”（例如 金额 × 毛利率、总额 ÷ 人数）四舍五入到整分（half up）；空值仍是空值。

    fen 可以是一个数、数组或 Series；结果是 float（为了能放空值），值都是整数。
    """
    _require_number(fen, "round_fen 的参数 fen（分）")
    if isinstance(fen, pd.Series):
        return pd.Series(round_fen(fen.to_numpy(dtype="float64")), index=fen.index, name=fen.name)
    values = np.asarray(fen, dtype="float64")
    out = np.where(np.isnan(values), np.nan, _half_up(np.nan_to_num(values)))
    return out if out.ndim else float(out)


@checked
def average_fen(total_fen, counts) -> np.ndarray:
    """平均每单多少分：总分数 ÷ 单数，四舍五入到分（half up：308.185 元 → 308.19 元，和 DuckDB 的 ROUND 一样）。

    total_fen、counts 是整数（数组或 Series）；单数为 0 的位置返回 NaN。全程整数运算，没有浮点误差。
    """
    try:
        total = np.asarray(total_fen, dtype="int64")
        n = np.asarray(counts, dtype="int64")
    except (TypeError, ValueError):
        raise ValueError("total_fen 和 counts 应是整数（分、单数），例如 average_fen([61637], [2])。") from None
    if total.shape != n.shape:
        raise ValueError(f"total_fen 和 counts 应一样长，收到 {total.size} 个和 {n.size} 个。")
    if (total < 0).any() or (n < 0).any():
        raise ValueError("total_fen 和 counts 不能有负数（金额和单数都不小于 0）。")
    safe = np.where(n > 0, n, 1)
    rounded = (2 * total + safe) // (2 * safe)     # ⌊总额 ÷ 单数 + 0.5⌋，全是整数
    return np.where(n > 0, rounded.astype("float64"), np.nan)


@checked
def fen_to_yuan(fen):
    """整数分 → 元（float；一个数、数组或 Series）。分本来就是整数，除以 100 不丢精度。"""
    _require_number(fen, "fen_to_yuan 的参数 fen（分）")
    if isinstance(fen, pd.Series):
        return fen.astype("float64") / FEN_PER_YUAN
    if isinstance(fen, (np.ndarray, list, tuple)):
        return np.asarray(fen, dtype="float64") / FEN_PER_YUAN
    return float(fen) / FEN_PER_YUAN if not isinstance(fen, (Fraction, Decimal)) else round_yuan(fen)


@checked
def round_yuan(fen) -> float:
    """分（可以是分数，例如人均、比例算出来的 Fraction）→ 元，精确四舍五入到分。"""
    _require_number(fen, "round_yuan 的参数 fen（分）")
    exact = Fraction(fen)
    value = Decimal(exact.numerator) / Decimal(exact.denominator)
    return float((value / FEN_PER_YUAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@checked
def yuan_text(fen: int) -> str:
    """整数分 → 写在句子里的金额：整元不带小数（“200”），否则两位小数（“199.90”）。"""
    _require_number(fen, "yuan_text 的参数 fen（分）")
    fen = int(fen)
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{whole}" if cents == 0 else f"{sign}{whole}.{cents:02d}"


@checked
def format_yuan(yuan, thousands: bool = True) -> str:
    """元 → 表格、报表里的金额文字：两位小数，默认带千位逗号（“1,234.50”）。"""
    _require_number(yuan, "format_yuan 的参数 yuan（元）")
    value = Decimal(str(yuan)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value:,.2f}" if thousands else f"{value:.2f}"


@checked
def parse_yuan(value, name: str = "金额") -> Decimal:
    """把用户填的金额（元）变成精确的 Decimal（到分）；不是不小于 0 的有限数字时给出说出名字的中文错误。"""
    if not isinstance(name, str):
        raise ValueError(f"parse_yuan 的参数 name 应是文字（金额的名字），收到的是 {name!r}。")
    if value is None or isinstance(value, (bool, list, tuple, dict, set, pd.DataFrame, pd.Series, np.ndarray)):
        raise ValueError(f"{name} 应是一个金额数字（元），收到的是 {repr(value)[:60]}。")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{name} 应是金额数字（元），收到的是 {value!r}。") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{name} 应是不小于 0 的金额（元），收到的是 {value!r}。")
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

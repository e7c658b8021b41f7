"""helpers.money：元和分的换算只有这一处；到分的四舍五入是 half up（和店铺后台、DuckDB 一样）。"""
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from helpers.money import fen_to_yuan, format_yuan, parse_yuan, round_fen, round_yuan, to_fen, yuan_text


@pytest.mark.parametrize("yuan, fen", [
    (19.9, 1990), (0.1 + 0.2, 30), (1.005, 101), (308.185, 30819), (0.125, 13), (0.135, 14),
    (-0.125, -13), (0, 0), (10 ** 9, 10 ** 11), (Decimal("0.125"), 13), (Fraction(1, 8), 13),
])
def test_to_fen_rounds_half_up_to_the_fen(yuan, fen):
    assert to_fen(yuan) == fen
    # 和十进制的手算一致（浮点数 1.005 其实是 1.00499999…，按写出来的样子算）
    exact = Decimal(str(yuan)) if not isinstance(yuan, Fraction) else Decimal(yuan.numerator) / yuan.denominator
    assert fen == int((exact * 100).quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def test_to_fen_keeps_the_index_of_a_series_and_works_on_arrays():
    s = pd.Series([1.005, 2.5, 99.99], index=["a", "b", "c"], name="amount")
    out = to_fen(s)
    assert out.tolist() == [101, 250, 9999] and out.index.tolist() == ["a", "b", "c"] and out.dtype == "int64"
    assert to_fen(np.array([0.125, 0.135])).tolist() == [13, 14]
    assert to_fen([0.1, 0.2]).tolist() == [10, 20]


def test_round_fen_keeps_blanks_and_rounds_half_up():
    assert round_fen(6500.5) == 6501.0
    out = round_fen(np.array([1.5, np.nan, -2.5]))
    assert out[0] == 2 and np.isnan(out[1]) and out[2] == -3
    assert round_fen(pd.Series([0.5, np.nan])).iloc[0] == 1


def test_back_to_yuan_and_the_texts():
    assert fen_to_yuan(1990) == 19.9 and fen_to_yuan(pd.Series([1, 250])).tolist() == [0.01, 2.5]
    assert round_yuan(Fraction(1, 2)) == 0.01 and round_yuan(Fraction(1, 3)) == 0.0 and round_yuan(Fraction(-1, 2)) == -0.01
    assert yuan_text(20000) == "200" and yuan_text(19990) == "199.90" and yuan_text(-5) == "-0.05"
    assert format_yuan(1234.5) == "1,234.50" and format_yuan(0.125) == "0.13"
    assert format_yuan(1234.5, thousands=False) == "1234.50"
    assert parse_yuan("19.9", "券面额") == Decimal("19.90")


@pytest.mark.parametrize("call, message", [
    (lambda: to_fen("19.9"), "to_fen 的参数 yuan（元）应是金额数字"),
    (lambda: to_fen(None), "应是金额数字"),
    (lambda: to_fen([1, "a"]), "列表里应全是数字"),
    (lambda: parse_yuan("十块", "券面额"), "券面额 应是金额数字"),
    (lambda: parse_yuan("-1", "券面额"), "券面额 应是不小于 0 的金额"),
])
def test_wrong_input_gets_a_chinese_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()

import datetime as dt

import pandas as pd
import pytest

from helpers import parse_date, validate_orders
from helpers.validation import prepare_items
from conftest import make_orders


def good():
    return make_orders([("A", "2016-01-05 10:00:00", "128.00"), ("B", "2016/3/1 9:05", 99.5),
                        ("A", "2016-02-29", 0)])


def test_normalises_types_and_keeps_input_untouched():
    df = good()
    before = df.copy()
    out = validate_orders(df)
    pd.testing.assert_frame_equal(df, before)  # 学生自己的表不被修改
    assert out["order_time"].tolist() == [pd.Timestamp("2016-01-05 10:00"), pd.Timestamp("2016-03-01 09:05"),
                                          pd.Timestamp("2016-02-29")]
    assert out["amount"].tolist() == [128.0, 99.5, 0.0]
    assert out["order_id"].tolist() == ["1", "2", "3"]


def test_amount_rounded_to_fen():
    out = validate_orders(make_orders([("A", "2016-01-01", 10.004), ("A", "2016-01-02", "¥1,234.5"),
                                       ("A", "2016-01-03", 10.006)]))
    assert out["amount"].tolist() == [10.0, 1234.5, 10.01]


@pytest.mark.parametrize("column", ["order_id", "customer_id", "order_time", "amount"])
def test_missing_column_is_named(column):
    with pytest.raises(ValueError) as err:
        validate_orders(good().drop(columns=column))
    msg = str(err.value)
    assert "缺少必需的列" in msg and column in msg and "现有的列" in msg


@pytest.mark.parametrize("bad_date", ["2015-02-30", "2015-13-01", "昨天", "2015-02-29 10:00"])
def test_impossible_or_unparseable_dates_name_column_and_row(bad_date):
    df = good()
    df.loc[1, "order_time"] = bad_date
    with pytest.raises(ValueError) as err:
        validate_orders(df)
    msg = str(err.value)
    assert "order_time" in msg and "无法识别或不存在" in msg and "1" in msg.split("按表格索引：")[1]


def test_empty_date_reported():
    df = good()
    df.loc[2, "order_time"] = None
    with pytest.raises(ValueError, match=r"order_time 列有空的日期.*索引：2"):
        validate_orders(df)


def test_negative_amount_names_rows():
    df = make_orders([("A", "2016-01-01", 5), ("A", "2016-01-02", -0.01), ("B", "2016-01-03", -3)])
    with pytest.raises(ValueError, match=r"amount 列有负数金额.*索引：1、2"):
        validate_orders(df)


def test_non_numeric_amount():
    df = good()
    df.loc[0, "amount"] = "一百"
    with pytest.raises(ValueError, match=r"amount 列有空值或不是数字.*索引：0"):
        validate_orders(df)


def test_duplicate_order_id():
    df = good()
    df.loc[2, "order_id"] = "1"
    with pytest.raises(ValueError, match=r"重复的订单编号（例如 1）.*索引：0、2"):
        validate_orders(df)


def test_missing_customer_id():
    df = good()
    df.loc[0, "customer_id"] = None
    with pytest.raises(ValueError, match=r"customer_id 列有空值.*索引：0"):
        validate_orders(df)


def test_float_ids_rejected_with_fix():
    df = good()
    df["order_id"] = [1.5e15, 2.0, 3.0]
    with pytest.raises(ValueError, match="dtype"):
        validate_orders(df)


def test_long_row_lists_are_truncated():
    df = make_orders([("A", "2016-01-01", -1)] * 25)
    with pytest.raises(ValueError, match="共 25 行"):
        validate_orders(df)


def test_not_a_dataframe():
    with pytest.raises(ValueError, match="DataFrame"):
        validate_orders([1, 2, 3])


def test_timezone_aware_times_converted_to_shanghai():
    df = good()
    df["order_time"] = pd.to_datetime(["2016-01-04 16:30:00"] * 3).tz_localize("UTC")
    out = validate_orders(df)
    assert out["order_time"].iloc[0] == pd.Timestamp("2016-01-05 00:30:00")


@pytest.mark.parametrize("value", ["2015-05-01", dt.date(2015, 5, 1), pd.Timestamp("2015-05-01 13:00"),
                                   dt.datetime(2015, 5, 1, 8)])
def test_parse_date_accepts_date_like(value):
    assert parse_date(value) == pd.Timestamp("2015-05-01")


@pytest.mark.parametrize("value", ["2015-02-30", "五月一日", 20150501, None])
def test_parse_date_rejects(value):
    with pytest.raises(ValueError, match="不是有效的日期"):
        parse_date(value, "as_of")


def test_items_quantity_checked():
    items = pd.DataFrame({"order_id": ["1", "2"], "product": ["x", "y"], "quantity": [1, -2]})
    with pytest.raises(ValueError, match=r"quantity.*索引：1"):
        prepare_items(items)


def test_times_with_utc_offsets_become_beijing_time():
    df = make_orders([("A", "2015-03-01T10:00:00+08:00", 1), ("A", "2015-03-01T02:00:00Z", 1),
                      ("B", "2015-03-02 09:30", 1)])
    out = validate_orders(df)
    assert out["order_time"].tolist() == [pd.Timestamp("2015-03-01 10:00"), pd.Timestamp("2015-03-01 10:00"),
                                          pd.Timestamp("2015-03-02 09:30")]


def test_bad_time_with_offset_is_reported_in_chinese():
    df = make_orders([("A", "2015-02-30T10:00:00+08:00", 1), ("B", "2015-03-02", 1)])
    with pytest.raises(ValueError, match=r"order_time 列有无法识别或不存在的日期.*索引：0"):
        validate_orders(df)

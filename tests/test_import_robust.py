"""问题 11 §3：真实世界里坏掉的导出文件，每一种都给出说出行号的中文说明（其余行照常导入），
或一句文件级的中文错误；从不抛出英文的 traceback，也从不悄悄读错。"""
from __future__ import annotations

import codecs

import pandas as pd
import pytest
from openpyxl import Workbook

from helpers import validate_orders
from helpers.taobao import HEADER_ROWS, read_taobao_orders
from test_taobao import BASIC, HEADER, field, row, write_export


def problems(shop) -> dict:
    p = shop.import_report.problems
    return dict(zip(p["行号"], p["问题"]))


def test_gbk_file_that_starts_with_a_utf8_bom(tmp_path):
    body = ("\r\n".join([",".join(field(h) for h in HEADER)] + [",".join(field(v) for v in r) for r in BASIC])
            + "\r\n").encode("gb18030")
    path = tmp_path / "o.csv"
    path.write_bytes(codecs.BOM_UTF8 + body)
    shop = read_taobao_orders(path)
    assert shop.import_report.kept == 4 and "喝茶的小林" in set(shop.orders["customer_id"])
    assert "UTF-8 的 BOM" in shop.import_report.files[0]["编码"]


def test_a_few_utf8_rows_in_a_gbk_file_are_read_right_and_named(tmp_path):
    path = write_export(tmp_path / "o.csv", BASIC)
    extra = ",".join(field(v) for v in row("3876543210987659999", "茶友阿青", "66.00")) + "\r\n"
    path.write_bytes(path.read_bytes() + extra.encode("utf-8"))
    shop = read_taobao_orders(path)
    assert "茶友阿青" in set(shop.orders["customer_id"])                 # 不是“鑼跺弸闃块潚”
    assert not any("鑼" in c for c in shop.customers["customer_id"])
    assert "UTF-8" in problems(shop)[9] and shop.import_report.kept == 5


@pytest.mark.parametrize("amount, why", [("inf", "不是真实的金额"), ("Infinity", "不是真实的金额"),
                                         ("1e400", "不是真实的金额"), ("12345678901234567890", "不是真实的金额"),
                                         ("12,34", "逗号看不出是小数点还是千位分隔")])
def test_impossible_or_ambiguous_amounts_are_named(tmp_path, amount, why):
    rows = BASIC[:3] + [row("3876543210987650001", "怪金额", amount)]
    shop = read_taobao_orders(write_export(tmp_path / "o.csv", rows))
    assert why in problems(shop)[5] and shop.import_report.kept == 3
    assert (shop.orders["amount"] < 10 ** 6).all()


def test_thousands_separator_and_decimal_comma_are_read_when_clear(tmp_path):
    rows = BASIC[:1] + [row("3876543210987650002", "大客户", "1,234.50")]
    assert sorted(read_taobao_orders(write_export(tmp_path / "a.csv", rows)).orders["amount"]) == [298.0, 1234.5]
    rows = [row("3876543210987650003", "欧洲客", "12,34")]
    assert read_taobao_orders(write_export(tmp_path / "b.csv", rows), decimal=",").orders["amount"].tolist() == [12.34]


def test_validate_orders_names_impossible_amounts_instead_of_overflowing():
    orders = pd.DataFrame({"order_id": ["1", "2", "3"], "customer_id": ["a", "b", "c"],
                           "order_time": ["2023-06-01"] * 3, "amount": [10.0, float("inf"), 1e25]})
    with pytest.raises(ValueError, match=r"amount 列.*不是真实的金额.*索引：1、2"):
        validate_orders(orders)


@pytest.mark.parametrize("pay, expected", [("2023-06-01T11:00:00+08:00", "2023-06-01 11:00:00"),
                                           ("2023-06-01T03:00:00Z", "2023-06-01 11:00:00"),
                                           ("2023-06-01T05:00:00+02:00", "2023-06-01 11:00:00")])
def test_pay_times_with_a_time_zone_become_beijing_time(tmp_path, pay, expected):
    shop = read_taobao_orders(write_export(tmp_path / "o.csv", [row("3876543210987650004", "a", "9.90", pay=pay)]))
    assert shop.orders.loc[0, "order_time"] == pd.Timestamp(expected)


@pytest.mark.parametrize("pay, why", [("2262-05-01 10:00:00", "超出了能处理的范围（1678–2261 年）"),
                                      ("1900-01-01 10:00:00", "不可能是真的付款时间"),
                                      ("2099-06-01 10:00:00", "不可能是真的付款时间"),
                                      ("01/06/2023 10:00", "看不出是“日/月/年”还是“月/日/年”")])
def test_impossible_or_ambiguous_dates_are_named(tmp_path, pay, why):
    rows = BASIC[:3] + [row("3876543210987650005", "怪日期", "9.90", pay=pay)]
    shop = read_taobao_orders(write_export(tmp_path / "o.csv", rows))
    assert why in problems(shop)[5] and shop.import_report.kept == 3


def test_day_first_dates_are_read_when_stated_or_unambiguous(tmp_path):
    rows = [row("3876543210987650006", "a", "9.90", pay="01/06/2023 10:00"),
            row("3876543210987650007", "b", "9.90", pay="13/06/2023 10:00")]
    shop = read_taobao_orders(write_export(tmp_path / "o.csv", rows), date_format="%d/%m/%Y %H:%M")
    assert shop.orders["order_time"].dt.strftime("%m-%d").tolist() == ["06-01", "06-13"]
    alone = read_taobao_orders(write_export(tmp_path / "p.csv", rows[1:]))
    assert alone.orders.loc[0, "order_time"] == pd.Timestamp("2023-06-13 10:00")


@pytest.mark.parametrize("thing, message", [(b"abc", "收到的是文件内容（bytes）"), (12, "收到的是 int"),
                                            ("FOLDER", "是一个文件夹，不是文件")])
def test_a_folder_or_raw_bytes_is_not_a_file(tmp_path, thing, message):
    with pytest.raises(ValueError, match=message):
        read_taobao_orders(tmp_path if thing == "FOLDER" else thing)


def _xlsx(path, sheets):
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        ws = book.create_sheet(name)
        for r in rows:
            ws.append(r)
    book.save(path)
    return path


def test_orders_on_the_second_sheet_below_the_first_rows(tmp_path):
    header = [h.strip() for h in HEADER]
    data = [[c.strip('="') for c in r] for r in BASIC]
    notes = [["订单导出说明"]] + [[f"第 {i} 行说明"] for i in range(14)]
    path = _xlsx(tmp_path / "o.xlsx", [("说明", [["这是说明页"]]), ("订单", notes + [header] + data)])
    shop = read_taobao_orders(path)
    assert shop.import_report.kept == 4 and "工作表“订单”" in shop.import_report.files[0]["编码"]


def test_when_no_sheet_has_the_header_the_error_says_where_it_looked(tmp_path):
    path = _xlsx(tmp_path / "o.xlsx", [("Sheet1", [["随便"]]), ("汇总", [["合计", 100]])])
    with pytest.raises(ValueError, match=f"工作表“Sheet1”、工作表“汇总”的前 {HEADER_ROWS} 行"):
        read_taobao_orders(path)


def test_unreadable_encoding_advice_keeps_order_ids(tmp_path):
    path = tmp_path / "o.csv"
    path.write_bytes(b"\x81\x30\xff\xfe\x00\x81")
    with pytest.raises(ValueError) as info:
        read_taobao_orders(path)
    text = str(info.value)
    assert "encoding=" in text and "设为“文本”" in text and "不要直接用 Excel 打开再保存" in text


@pytest.mark.parametrize("when, why", [("2262-05-01 10:00", "年份超出能处理范围"), ("1900-01-01", "不可能是真实订单的日期"),
                                       ("2099-06-01", "不可能是真实订单的日期")])
def test_validate_orders_names_out_of_range_and_implausible_dates(when, why):
    orders = pd.DataFrame({"order_id": ["1", "2", "3"], "customer_id": ["a", "b", "c"],
                           "order_time": ["2023-06-01", "2023-06-02", when], "amount": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match=f"order_time 列有{why}.*索引：2"):
        validate_orders(orders)

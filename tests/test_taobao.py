"""读入自己店铺的导出文件（helpers.taobao）：编码、="…" 编号、科学计数法、坏行、排除的订单、列名对应。

所有测试文件都在 tmp_path 里现写：一个小小的“千牛订单报表”，每种编码、每种毛病各来一遍。
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers import Segment, rfm_score, validate_orders, vip_tier
from helpers.money import to_fen
from helpers.taobao import (ORDER_REQUIRED, ImportedShop, detect_encoding, parse_address, read_taobao_orders)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "datasets" / "sample_export" / "qinghe_tea"
ORDER_FILE = SAMPLE / "ExportOrderList202407010930.csv"
DETAIL_FILE = SAMPLE / "ExportOrderDetailList202407010930.csv"
LIST_FILE = SAMPLE / "客户名单.csv"

# 真实导出文件的表头（部分）：有几个列名后面带空格，和千牛导出的一样
HEADER = ["订单编号", "买家会员名", "买家应付货款", "买家实际支付金额", "订单状态", "买家留言", "收货地址 ",
          "联系手机", "订单创建时间", "订单付款时间 ", "宝贝标题 ", "宝贝种类 ", "宝贝总数量", "订单备注",
          "店铺名称", "是否手机订单"]


def row(oid, buyer, paid, status="交易成功", pay="2024-06-01 20:15:33", created="2024-06-01 20:10:00",
        address="浙江省 杭州市 西湖区 文三路1号(310012)", phone="13800001234", title="西湖龙井 250g", kinds="1",
        qty="1", note="", message="", mobile="手机订单"):
    return [f'="{oid}"' if oid and oid[0].isdigit() and "E" not in oid else oid, buyer, paid, paid, status, message,
            address, phone, created, pay, title, kinds, qty, note, "测试茶铺", mobile]


def field(text: str) -> str:
    if text.startswith('="'):
        return text
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def write_export(path: Path, rows, header=HEADER, encoding="gb18030", raw_lines=None) -> Path:
    """写一个千牛风格的 CSV：\\r\\n 换行；raw_lines={位置: 原样的一行} 用来插入坏行。"""
    lines = [",".join(field(h) for h in header)] + [",".join(field(v) for v in r) for r in rows]
    for index, line in sorted((raw_lines or {}).items()):
        lines.insert(index, line)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


BASIC = [
    row("3876543210987654321", "喝茶的小林", "298.00"),
    row("3876543210987654322", "tb_wang1234", "128.50", pay="2024-06-03 09:00:00", created="2024-06-03 08:59:00",
        address="上海 上海市 浦东新区 张杨路500号(200120)", phone="13900005678"),
    row("3876543210987654323", "喝茶的小林", "58.00", pay="2024-06-10 21:00:00", created="2024-06-10 20:59:00"),
    row("3876543210987654324", "云雾山人", "0.00", status="交易关闭", pay=""),
    row("3876543210987654325", "云雾山人", "99.00", status="交易关闭", pay="2024-06-05 10:00:00"),  # 付款后退款
    row("3876543210987654326", "慢生活静静", "0.00", status="等待买家付款", pay=""),
    row("3876543210987654327", "tb_wang1234", "45.00", status="卖家已发货，等待买家确认", pay="2024-06-28 22:00:00",
        created="2024-06-28 21:58:00", mobile="", phone="13900005678"),
]


def test_basic_import(tmp_path):
    shop = read_taobao_orders(write_export(tmp_path / "ExportOrderList.csv", BASIC))
    assert isinstance(shop, ImportedShop)
    report = shop.import_report
    assert list(shop.orders["order_id"]) == ["3876543210987654321", "3876543210987654322",
                                             "3876543210987654323", "3876543210987654327"]
    assert shop.orders["amount"].tolist() == [298.0, 128.5, 58.0, 45.0]
    assert shop.orders["channel"].tolist() == ["无线", "无线", "无线", "PC"]
    assert report.rows_read == 7 and report.kept == 4
    assert report.excluded == {"交易关闭": 2, "等待买家付款": 1}
    assert report.rows_read == report.kept + sum(report.excluded.values()) + report.skipped
    assert report.customers_with_orders == 2 and report.customers_without_paid == 2
    assert len(shop.customers) == 4
    assert shop.today == pd.Timestamp("2024-06-29")         # 最后一笔已付款订单的第二天
    assert "最后一笔已付款订单的第二天" in report.today_reason
    assert shop.title == "测试茶铺" and shop.name == "my_shop"
    text = str(report)
    assert "保留已付款订单 4 笔" in text and "交易关闭 2 笔" in text and "没有发现有问题的行" in text
    pd.testing.assert_frame_equal(validate_orders(shop.orders), shop.orders)


def test_order_time_is_payment_time(tmp_path):
    rows = [row("1001", "a", "10.00", created="2024-06-01 23:58:00", pay="2024-06-02 00:03:00")]
    shop = read_taobao_orders(write_export(tmp_path / "o.csv", rows))
    assert shop.orders.loc[0, "order_time"] == pd.Timestamp("2024-06-02 00:03:00")
    assert shop.customers.loc[0, "register_date"] == pd.Timestamp("2024-06-01")   # 第一次下单（拍下）的日期


@pytest.mark.parametrize("encoding, label", [("gb18030", "GB18030/GBK"), ("gbk", "GB18030/GBK"),
                                             ("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8（带 BOM）"),
                                             ("utf-16", "UTF-16（Excel 的“Unicode 文本”）")])
def test_every_encoding_gives_the_same_shop(tmp_path, encoding, label):
    reference = read_taobao_orders(write_export(tmp_path / "ref.csv", BASIC))
    shop = read_taobao_orders(write_export(tmp_path / f"{encoding}.csv", BASIC, encoding=encoding))
    assert shop.import_report.files[0]["编码"] == label
    pd.testing.assert_frame_equal(shop.orders, reference.orders)
    pd.testing.assert_frame_equal(shop.customers, reference.customers)


def test_explicit_encoding_and_detection():
    assert detect_encoding("订单".encode("gbk")) == ("gb18030", "GB18030/GBK")
    assert detect_encoding(b"\xef\xbb\xbfabc")[0] == "utf-8-sig"
    assert detect_encoding("订单".encode("utf-8"))[0] == "utf-8"


def test_wrong_explicit_encoding_is_explained(tmp_path):
    path = write_export(tmp_path / "o.csv", BASIC, encoding="gbk")
    with pytest.raises(ValueError, match="无法按 utf-8 读取"):
        read_taobao_orders(path, encoding="utf-8")


def test_ids_kept_exact_in_every_form(tmp_path):
    rows = [row("3876543210987654321", "a", "1.00"), row("'2876543210987654321", "b", "2.00"),
            row("1876543210987654321", "c", "3.00")]
    rows[2][0] = "1876543210987654321"                      # 没有 ="…"，直接写数字
    shop = read_taobao_orders(write_export(tmp_path / "o.csv", rows))
    assert sorted(shop.orders["order_id"]) == ["1876543210987654321", "2876543210987654321", "3876543210987654321"]


def test_scientific_id_is_reported_not_guessed(tmp_path):
    rows = BASIC[:2] + [row("3.87654E+18", "被改坏的", "66.00")] + BASIC[2:3]
    shop = read_taobao_orders(write_export(tmp_path / "o.csv", rows))
    report = shop.import_report
    assert report.kept == 3 and report.skipped == 1
    problem = report.problems.iloc[0]
    assert problem["行号"] == 4 and problem["订单编号"] == "3.87654E+18"
    assert "科学计数法" in problem["问题"] and "不会去猜" in problem["问题"]
    assert "被改坏的" not in set(shop.orders["customer_id"])
    assert not shop.orders["order_id"].str.contains("E").any()


def test_broken_rows_in_the_middle_are_reported_with_row_numbers(tmp_path):
    rows = [
        row("1001", "a", "10.00", message="请尽快发货,谢谢\n老板辛苦"),      # 第 2 行：留言里有逗号和换行（加了引号）
        row("1002", "b", "20.00"),                                          # 第 3 行
        row("1004", "d", "40.00", pay="2024-06-31 10:00:00"),               # 第 5 行：6 月没有 31 日
        row("1005", "e", "五十元"),                                          # 第 6 行：金额不是数字
        row("1006", "f", "60.00"),                                          # 第 7 行
        row("1002", "b", "20.00"),                                          # 第 8 行：重复的订单
        row("1007", "g", "-1.00"),                                          # 第 9 行：负数
    ]
    broken = '="1003",c,30.00,30.00,交易成功,,浙江省 杭州市,西湖区,13800001111'   # 第 4 行：格子数不对
    path = write_export(tmp_path / "o.csv", rows, raw_lines={3: broken})
    shop = read_taobao_orders(path)
    report = shop.import_report
    assert sorted(shop.orders["order_id"]) == ["1001", "1002", "1006"]
    problems = report.problems.set_index("行号")
    assert list(problems.index) == [4, 5, 6, 8, 9]
    assert "格子" in problems.loc[4, "问题"] and problems.loc[4, "订单编号"] == "1003"
    assert "看不懂" in problems.loc[5, "问题"]
    assert "不是数字" in problems.loc[6, "问题"]
    assert "第 3 行" in problems.loc[8, "问题"] and "重复" in problems.loc[8, "问题"]
    assert "负数" in problems.loc[9, "问题"]
    assert (problems["处理"].str.startswith("整行跳过") | problems["处理"].str.startswith("跳过")).all()
    assert report.rows_read == 8 and report.skipped == 5
    assert report.rows_read == report.kept + sum(report.excluded.values()) + report.skipped
    text = str(report)
    assert "o.csv 第 4 行" in text and "o.csv 第 9 行" in text and "跳过有问题的行 5 行" in text


def test_empty_lines_and_title_line_above_the_header(tmp_path):
    path = tmp_path / "o.csv"
    body = ",".join(HEADER) + "\r\n" + ",".join(field(v) for v in row("1001", "a", "10.00")) + "\r\n\r\n" \
        + ",".join(field(v) for v in row("1002", "b", "20.00")) + "\r\n"
    path.write_bytes(("订单报表 导出时间 2024-07-01\r\n" + body).encode("gbk"))
    shop = read_taobao_orders(path)
    assert shop.import_report.rows_read == 2 and shop.import_report.kept == 2


@pytest.mark.parametrize("address, province, city", [
    ("上海 上海市 浦东新区 张杨路500号(200120)", "上海", "上海"),
    ("浙江省 杭州市 西湖区 文三路1号", "浙江", "杭州"),
    ("北京 北京市 朝阳区 建国路", "北京", "北京"),
    ("内蒙古自治区 呼和浩特市 新城区 xx路", "内蒙古", "呼和浩特"),
    ("广西壮族自治区 南宁市 青秀区", "广西", "南宁"),
    ("浙江省杭州市西湖区文三路1号", "浙江", "杭州"),
    ("上海市浦东新区张杨路500号", "上海", "上海"),
    ("", None, None),
])
def test_address_to_province_and_city(address, province, city):
    got = parse_address(pd.Series([address])).iloc[0]
    assert (got["province"], got["city"]) == (province, city)


def test_customer_region_and_phone_come_from_the_latest_order(tmp_path):
    rows = [row("1001", "a", "10.00", pay="2024-06-01 10:00:00", created="2024-06-01 09:00:00",
                address="浙江省 杭州市 西湖区", phone="13800001111"),
            row("1002", "a", "10.00", pay="2024-06-05 10:00:00", created="2024-06-05 09:00:00",
                address="上海 上海市 徐汇区", phone="")]
    shop = read_taobao_orders(write_export(tmp_path / "o.csv", rows), mask_phones=False)
    customer = shop.customers.set_index("customer_id").loc["a"]
    assert (customer["province"], customer["city"]) == ("上海", "上海")
    assert customer["phone"] == "13800001111"                    # 最近一次没留手机号，用上一次的
    assert customer["register_date"] == pd.Timestamp("2024-06-01")


def test_phones_masked_on_import_unless_asked(tmp_path):
    path = write_export(tmp_path / "o.csv", BASIC)
    masked = read_taobao_orders(path)
    assert set(masked.customers["phone"].dropna()) == {"138****1234", "139****5678"}
    assert masked.import_report.phones_masked and "已打码" in str(masked.import_report)
    plain = read_taobao_orders(path, mask_phones=False)
    assert set(plain.customers["phone"].dropna()) == {"13800001234", "13900005678"}
    assert "没有打码" in str(plain.import_report)


def test_bad_phone_kept_order_reported(tmp_path):
    rows = [row("1001", "a", "10.00", phone="021-5555"), row("1002", "b", "10.00", phone="+86 138 0000 2222")]
    shop = read_taobao_orders(write_export(tmp_path / "o.csv", rows), mask_phones=False)
    assert shop.import_report.kept == 2
    phones = shop.customers.set_index("customer_id")["phone"]
    assert phones["a"] is None and phones["b"] == "13800002222"
    problem = shop.import_report.problems.iloc[0]
    assert problem["行号"] == 2 and problem["处理"] == "保留订单，手机号留空"



def test_importer_and_sms_list_share_the_one_phone_normalizer(tmp_path):
    """导入时整理手机号用的就是 privacy.normalize_phone：它认得的写法导入时都认得，它不认的都写进报告。"""
    from helpers.privacy import normalize_phone

    written = ["(+86)13700001111", "0086 139-0000-5678", "13800001234.0", "138****1234", "12345678901", "021-5555"]
    rows = [row(str(1001 + i), f"买家{i}", "10.00", phone=p) for i, p in enumerate(written)]
    shop = read_taobao_orders(write_export(tmp_path / "o.csv", rows), mask_phones=False)
    phones = shop.customers.set_index("customer_id")["phone"]
    expected = normalize_phone(pd.Series(written), keep_masked=True)
    for i, value in enumerate(expected):
        assert phones[f"买家{i}"] == (None if pd.isna(value) else value), written[i]
    reported = shop.import_report.problems
    bad = [written[i] for i in range(len(written)) if pd.isna(expected[i])]
    assert bad and sorted(reported["行号"]) == sorted(2 + written.index(b) for b in bad)
    assert all(f"“{b}”" in text for b, text in zip(bad, reported.sort_values("行号")["问题"]))
    # 默认（发送名单用）：打码的号码发不了短信，是空值；带着 keep_masked=True 时原样保留
    assert pd.isna(normalize_phone("138****1234")[0]) and normalize_phone("138****1234", keep_masked=True)[0] == "138****1234"


def test_money_is_rounded_half_up_to_the_fen_like_helpers_money(tmp_path):
    """金额文字 → 分：四舍五入（10.005 元 → 1001 分），和 helpers.money、店铺后台一样，不是银行家舍入。"""
    from decimal import ROUND_HALF_UP, Decimal

    from helpers.taobao import read_money_fen

    texts = ["10.005", "0.125", "2.675", "1,234.565", "¥19.90"]
    fen, reason = read_money_fen(pd.Series(texts))
    expected = [int((Decimal(t.replace(",", "").lstrip("¥")) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
                for t in texts]
    assert fen.tolist() == expected and (reason == "").all()
    rows = [row("1001", "a", texts[0]), row("1002", "b", texts[1])]
    shop = read_taobao_orders(write_export(tmp_path / "o.csv", rows))
    assert to_fen(shop.orders["amount"]).tolist() == expected[:2]

def test_today_given_or_the_day_after_the_last_paid_order(tmp_path):
    path = write_export(tmp_path / "o.csv", BASIC)
    assert read_taobao_orders(path, today="2024-07-01").today == pd.Timestamp("2024-07-01")
    early = read_taobao_orders(path, today="2024-06-05")
    assert "在今天（2024-06-05）之后" in str(early.import_report)
    with pytest.raises(ValueError, match="today"):
        read_taobao_orders(path, today="明天")


def detail_file(tmp_path, rows, name="ExportOrderDetailList.csv"):
    header = ["订单编号", "标题", "价格", "购买数量", "外部系统编号", "商品属性", "套餐信息", "备注", "订单状态", "商家编码"]
    return write_export(tmp_path / name, [[f'="{r[0]}"', r[1], r[2], r[3], "", "", "", "", "交易成功", ""] for r in rows],
                        header=header)


def test_item_export_is_matched_by_order_id_and_amounts_add_up(tmp_path):
    rows = [row("1001", "a", "100.00", title="龙井，茶杯", kinds="2", qty="3"),
            row("1002", "b", "33.33"),
            row("1003", "c", "0.00", status="交易关闭", pay=""),
            row("1004", "d", "50.00", title="菊花茶")]                     # 宝贝报表里没有这一笔
    details = [("1001", "龙井", "80.00", "1"), ("1001", "茶杯", "20.00", "2"),
               ("1002", "龙井", "10.00", "1"), ("1002", "茶杯", "10.00", "1"), ("1002", "菊花", "10.00", "1"),
               ("1003", "龙井", "80.00", "1"), ("9999", "龙井", "80.00", "1"),
               ("1001", "茶杯", "20.00", "x")]
    shop = read_taobao_orders(write_export(tmp_path / "o.csv", rows), items=detail_file(tmp_path, details))
    items = shop.items.set_index(["order_id", "product"])
    assert items.loc[("1001", "龙井"), "quantity"] == 1 and items.loc[("1001", "茶杯"), "quantity"] == 2
    # 100 元按 80:40 分：66.66 + 33.34 = 100.00；33.33 按 1:1:1 分，合计恰好 33.33
    sums = to_fen(shop.items["amount"]).groupby(shop.items["order_id"]).sum()
    assert sums.to_dict() == {"1001": 10000, "1002": 3333, "1004": 5000}
    assert items.loc[("1004", "菊花茶"), "quantity"] == 1               # 找不到时改用宝贝标题
    note = shop.import_report.items_note
    assert "属于已排除或跳过的订单 1 行" in note and "在订单文件里找不到对应订单 1 行" in note
    assert "1 笔已付款订单在宝贝报表里找不到" in note
    problem = shop.import_report.problems.iloc[0]
    assert problem["文件"] == "ExportOrderDetailList.csv" and problem["行号"] == 9 and "购买数量" in problem["问题"]
    assert set(shop.products["product"]) == {"龙井", "茶杯", "菊花", "菊花茶"}
    summary = shop.summary()
    assert summary.loc["a", "item_count"] == 3 and set(summary.loc["a", "products"]) == {"龙井", "茶杯"}


def test_without_item_export_titles_become_products(tmp_path):
    rows = [row("1001", "a", "100.00", title="龙井，茶杯", kinds="2", qty="3"), row("1002", "b", "10.00", qty="")]
    shop = read_taobao_orders(write_export(tmp_path / "o.csv", rows))
    assert shop.items["product"].tolist() == ["龙井，茶杯", "西湖龙井 250g"]
    assert shop.items["quantity"].tolist() == [3, 1]
    assert shop.items["amount"].tolist() == [100.0, 10.0]
    assert "1 笔订单有不止一种宝贝" in shop.import_report.items_note


def test_missing_columns_list_what_was_found_and_expected(tmp_path):
    header = ["订单号", "下单帐号", "应付金额", "付款时间", "订单状态"]
    path = write_export(tmp_path / "jd.csv", [["1", "a", "1.00", "2024-06-01 10:00:00", "完成"]], header=header,
                        encoding="utf-8")
    with pytest.raises(ValueError) as info:
        read_taobao_orders(path)
    message = str(info.value)
    assert "订单号、下单帐号、应付金额、付款时间、订单状态" in message        # 找到的列
    assert "、".join(ORDER_REQUIRED) in message and "columns=" in message     # 需要的列和改法


def test_columns_mapping_for_other_platforms(tmp_path):
    header = ["订单号", "下单帐号", "应付金额", "付款时间", "订单状态", "客户地址"]
    rows = [["2001", "jd_li", "1,299.00", "2024/6/1 10:00", "完成", "江苏省 南京市 鼓楼区"],
            ["2002", "jd_li", "¥50.00", "", "已取消", ""],
            ["2003", "jd_wu", "20", "2024/6/2 11:00", "已完成", ""],
            ["2004", "jd_wu", "20", "", "等待付款", ""]]
    path = write_export(tmp_path / "jd.csv", rows, header=header, encoding="utf-8-sig")
    mapping = {"订单号": "订单编号", "下单帐号": "customer_id", "应付金额": "买家实际支付金额",
               "付款时间": "订单付款时间", "客户地址": "收货地址"}
    shop = read_taobao_orders(path, columns=mapping)
    assert shop.orders["order_id"].tolist() == ["2001", "2003"]
    assert shop.orders["amount"].tolist() == [1299.0, 20.0]
    assert shop.import_report.excluded == {"交易关闭": 1, "等待买家付款": 1}
    assert shop.customers.set_index("customer_id").loc["jd_li", "province"] == "江苏"
    assert shop.items.empty and "没有宝贝标题" in shop.import_report.items_note
    assert "文件里没有手机号" in str(shop.import_report)
    assert shop.summary().loc["jd_li", "item_count"] == 0
    with pytest.raises(ValueError, match="'订单号码'.*在文件里找不到"):
        read_taobao_orders(path, columns={**mapping, "订单号码": "订单编号"})
    with pytest.raises(ValueError, match="工作簿不认得"):
        read_taobao_orders(path, columns={**mapping, "客户地址": "地址"})


def test_own_sheet_without_status_column(tmp_path):
    header = ["订单编号", "买家会员名", "买家实际支付金额", "订单付款时间"]
    rows = [["A-001", "王阿姨", "88", "2024-05-01"], ["A-002", "王阿姨", "12.5", ""]]
    shop = read_taobao_orders(write_export(tmp_path / "mine.csv", rows, header=header, encoding="utf-8"))
    assert shop.orders["order_id"].tolist() == ["A-001"]
    assert shop.import_report.excluded == {"没有付款时间": 1}
    assert shop.orders["channel"].isna().all()


def write_xlsx(path, header, rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    book.save(path)
    return path


def test_xlsx_export_and_an_id_destroyed_by_excel(tmp_path):
    import datetime as dt

    header = [h.strip() for h in HEADER]
    text_rows = [[c[2:-1] if c.startswith('="') else c for c in r] for r in BASIC]
    rows = [list(r) for r in text_rows]
    rows[1][0] = 3876543210987654322                   # Excel 把长编号存成了数字：末几位已经丢了
    rows[2][9] = dt.datetime(2024, 6, 10, 21, 0, 0)     # 真正的日期单元格
    rows[2][3] = 58                                    # 金额是数字单元格
    path = write_xlsx(tmp_path / "ExportOrderList.xlsx", header, rows)
    shop = read_taobao_orders(path)
    report = shop.import_report
    assert report.files[0]["编码"] == "Excel 工作簿"
    assert shop.orders["order_id"].tolist() == ["3876543210987654321", "3876543210987654323",
                                                "3876543210987654327"]
    assert shop.orders["amount"].tolist() == [298.0, 58.0, 45.0]
    problem = report.problems.iloc[0]
    assert problem["行号"] == 3 and "科学计数法" in problem["问题"]
    assert report.rows_read == report.kept + sum(report.excluded.values()) + report.skipped


def test_old_xls_and_missing_file_are_explained(tmp_path):
    (tmp_path / "a.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ValueError, match="另存为 .xlsx"):
        read_taobao_orders(tmp_path / "a.xls")
    with pytest.raises(ValueError, match="找不到文件"):
        read_taobao_orders(tmp_path / "nothing.csv")


def test_a_file_with_no_usable_order_explains_excel(tmp_path):
    rows = [row("3.87654E+18", "a", "1.00"), row("3.87654E+18", "b", "1.00")]
    with pytest.raises(ValueError, match="不要先用 Excel 打开保存"):
        read_taobao_orders(write_export(tmp_path / "o.csv", rows))


def test_the_students_files_are_never_modified(tmp_path):
    csv_path = write_export(tmp_path / "o.csv", BASIC)
    xlsx_path = write_xlsx(tmp_path / "o.xlsx", [h.strip() for h in HEADER],
                           [[c[2:-1] if c.startswith('="') else c for c in r] for r in BASIC])
    before = {p: p.read_bytes() for p in (csv_path, xlsx_path, ORDER_FILE, DETAIL_FILE, LIST_FILE)}
    read_taobao_orders(csv_path)
    read_taobao_orders(xlsx_path)
    read_taobao_orders(ORDER_FILE, items=DETAIL_FILE, customers=LIST_FILE, columns={"旺旺名": "买家会员名"})
    assert {p: p.read_bytes() for p in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.csv", "o.xlsx"]


def test_several_monthly_files_and_overlap(tmp_path):
    first = write_export(tmp_path / "may.csv", BASIC[:3])
    second = write_export(tmp_path / "june.csv", BASIC[2:])
    shop = read_taobao_orders([first, second])
    assert shop.import_report.kept == 4
    duplicate = shop.import_report.problems.iloc[0]
    assert duplicate["文件"] == "june.csv" and duplicate["行号"] == 2 and "may.csv 第 4 行" in duplicate["问题"]


def test_customer_list_is_merged(tmp_path):
    path = write_export(tmp_path / "o.csv", BASIC)
    sheet = write_export(tmp_path / "名单.csv", [
        ["喝茶的小林", "女", "35", "lin@example.com", "否", "否"],
        ["tb_wang1234", "男", "四十", "wang@example", "是", "嗯"],
        ["新关注的", "女", "", "fan@example.com", "", ""],
        ["喝茶的小林", "男", "1", "", "", ""],
    ], header=["旺旺名", "性别", "年龄", "邮箱", "短信退订", "邮件退订"], encoding="utf-8-sig")
    shop = read_taobao_orders(path, customers=sheet, columns={"旺旺名": "买家会员名"}, mask_phones=False)
    c = shop.customers.set_index("customer_id")
    assert c.loc["喝茶的小林", ["gender", "age", "email"]].tolist() == ["女", 35, "lin@example.com"]
    assert c.loc["tb_wang1234", "sms_opt_out"] and c.loc["tb_wang1234", "email_opt_out"]   # “嗯” 按已退订
    assert pd.isna(c.loc["tb_wang1234", "age"]) and c.loc["tb_wang1234", "email"] is None
    assert "新关注的" in c.index and shop.import_report.customers_from_list == 1
    problems = shop.import_report.problems
    assert set(problems["文件"]) == {"名单.csv"}
    assert sorted(problems["行号"]) == [3, 3, 3, 5]
    summary = shop.summary()
    assert summary.loc["新关注的", "order_count"] == 0


def test_masked_emails_follow_phones_unless_told(tmp_path):
    path = write_export(tmp_path / "o.csv", BASIC)
    sheet = write_export(tmp_path / "名单.csv", [["喝茶的小林", "lin2024@example.com"]], header=["买家会员名", "邮箱"])
    masked = read_taobao_orders(path, customers=sheet)
    assert masked.customers.set_index("customer_id").loc["喝茶的小林", "email"] == "lin***@example.com"
    shown = read_taobao_orders(path, customers=sheet, mask_emails=False)
    assert shown.customers.set_index("customer_id").loc["喝茶的小林", "email"] == "lin2024@example.com"


# ---- 样例导出文件（datasets/sample_export） ------------------------------------------------------


def test_sample_export_regenerates_byte_for_byte(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "datasets" / "make_sample_export.py"), "--out", str(tmp_path)],
                   check=True, cwd=ROOT, capture_output=True, timeout=120)
    committed = sorted(p.name for p in SAMPLE.glob("*.csv"))
    assert committed == sorted(p.name for p in tmp_path.glob("*.csv")) and len(committed) == 3
    for name in committed:
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), (
            f"{name} 重新生成后不同：请运行 python datasets/make_sample_export.py 并提交结果")
    source = (ROOT / "datasets" / "make_sample_export.py").read_text(encoding="utf-8")
    assert "default_rng" not in source and "import random" not in source


def test_sample_export_looks_like_a_qianniu_export():
    raw = ORDER_FILE.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")
    text = raw.decode("gb18030")
    assert text.split("\r\n", 1)[1].startswith('="')
    assert "交易关闭" in text and "等待买家付款" in text and "收货地址 ," in text
    total = sum(p.stat().st_size for p in SAMPLE.parent.rglob("*") if p.is_file())
    assert total < 300 * 1024


def test_sample_export_imports_cleanly():
    shop = read_taobao_orders(ORDER_FILE, items=DETAIL_FILE, customers=LIST_FILE, columns={"旺旺名": "买家会员名"})
    report = shop.import_report
    assert 300 <= report.rows_read <= 800 and len(report.problems) == 0
    assert report.excluded["交易关闭"] > 0 and report.excluded["等待买家付款"] > 0
    assert report.rows_read == report.kept + sum(report.excluded.values())
    assert shop.today == pd.Timestamp("2024-07-01")
    # 宝贝报表分摊后的金额与订单实付金额逐笔相等（以分比较）
    fen = to_fen(shop.items["amount"]).groupby(shop.items["order_id"]).sum()
    orders = shop.orders.set_index("order_id")
    assert fen.reindex(orders.index).tolist() == to_fen(orders["amount"]).tolist()
    summary = shop.summary()
    assert summary["phone"].dropna().str.fullmatch(r"1\d\d\*{4}\d{4}").all()
    assert len(Segment("上海", regions=["上海"]).select(summary)) > 0
    assert vip_tier(summary).notna().any()
    assert set(rfm_score(shop.orders, shop.today)["level"].astype(str)) <= {"P", "G", "S", "B"}


def test_typo_in_columns_mapping_is_named(tmp_path):
    path = tmp_path / "jd.csv"
    path.write_text("订单号,下单帐号,应付金额,付款时间\n1001,张三,10.00,2024-06-01 10:00:00\n", encoding="utf-8")
    from helpers.taobao import read_taobao_orders
    with pytest.raises(ValueError, match=r"columns= 里的列名 '下单账号' 在这个文件里找不到"):
        read_taobao_orders(path, columns={"订单号": "订单编号", "下单账号": "买家会员名",
                                          "应付金额": "买家实际支付金额", "付款时间": "订单付款时间"})
    shop = read_taobao_orders(path, columns={"订单号": "订单编号", "下单帐号": "买家会员名",
                                             "应付金额": "买家实际支付金额", "付款时间": "订单付款时间"})
    assert shop.orders["amount"].tolist() == [10.0]

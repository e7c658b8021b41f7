"""问题 11 §3：真实世界里坏掉的导出文件，每一种都给出说出行号的中文说明（其余行照常导入），
或一句文件级的中文错误；从不抛出英文的 traceback，也从不悄悄读错。"""
from __future__ import annotations

import codecs
from pathlib import Path

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


# ---------------------------------------------------------------------------
# 问题 13：50 万行的导出文件几秒读完（按块解码、Arrow 整列切开），结果和逐行用 csv 模块读的一样；进度条
# ---------------------------------------------------------------------------
def _reference(path: Path, required=("订单编号",)) -> tuple[list, list, list]:
    """参照：整个文件解码后用 csv 模块逐条读，按 read_export 写明的规则留下、跳过（只在测试里用，慢但简单）。

    返回 (表头, 留下的行 [(行号, 格子...)], 问题 [(行号, 订单编号, 问题)])。
    """
    import csv
    import io
    import re

    from helpers.taobao import decode_export

    def clean(cell):
        cell = re.sub(r"^'", "", re.sub(r'^="(.*)"$', r"\1", str(cell).strip()))
        return cell.strip()

    text, _, notes = decode_export(path.read_bytes(), path.name)
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t" if first.count("\t") > first.count(",") else ",")
    records, ends = [], [0]
    for rec in reader:
        records.append(rec)
        ends.append(reader.line_num)
    # csv 模块的 line_num 数的是按 \r、\n、\r\n 分开的段；说明里的行号按 \n 数：每一段换成它在第几行
    line_of, line = [], 1
    for piece in io.StringIO(text, newline=""):
        line_of.append(line)
        line += piece.endswith("\n")
    start = next(i for i, rec in enumerate(records) if required[0] in {c.strip() for c in rec})
    header = [c.strip() for c in records[start]]
    while header and header[-1] == "":
        header.pop()
    width, noted = len(header), {line for line, _ in notes}
    rows, problems = [], []
    for index in range(start + 1, len(records)):
        rec, number = records[index], index + 1
        if not any(c.strip() for c in rec):
            continue
        if len(rec) > width and not any(c.strip() for c in rec[width:]):
            rec = rec[:width]
        if len(rec) != width:
            problems.append((number, clean(rec[0]), f"这一行有 {len(rec)} 个格子，表头有 {width} 列"))
            continue
        if {line_of[k] for k in range(ends[index], ends[index + 1])} & noted:       # 这条记录有一行是按 UTF-8 读的
            problems.append((number, clean(rec[0]), "UTF-8"))
        rows.append((number, *[clean(c) for c in rec]))
    return header, rows, problems


def _tricky_export(path: Path, n: int = 400, seed: int = 13) -> Path:
    """一份什么毛病都有的“千牛导出”：加了引号的逗号、引号和换行，单独的 \\r，空行，只有逗号的行，行末多出来的
    空格子，格子太多或太少的行，全角空格，开头的单引号，夹在 GBK 里的 UTF-8 行，最后一个引号没有配对。"""
    import random

    rng = random.Random(seed)
    header = ["订单编号", "买家会员名", "买家实际支付金额", "订单付款时间", "订单状态", "买家留言", "收货地址 ", "联系手机"]
    lines = [",".join(header).encode("gb18030")]
    for i in range(n):
        cells = [f'="{3876543210987650000 + i}"', rng.choice(["喝茶的小林", "tb_wang", " 云雾山人\u3000", "'007"]),
                 rng.choice(["10.00", "1,234.50", "五十元", ""]), "2024-06-01 10:00:00", "交易成功",
                 rng.choice(["", "好"] * 4 + ['"请尽快发货,谢谢"', '"第一行\r\n第二行"', '"他说""好的"""', '"ab"cd']),
                 rng.choice(["浙江省 杭州市 西湖区"] * 8 + ["上海\r上海市", "  "]), rng.choice(["13800001234", "'13900005678"])]
        kind = rng.random()
        if kind < 0.05:
            line = ""
        elif kind < 0.08:
            line = ",,,   ,"
        elif kind < 0.12:
            line = ",".join(cells) + ",,  ,"
        elif kind < 0.16:
            line = ",".join(cells) + ",多出来的"
        elif kind < 0.19:
            line = ",".join(cells[:5])
        else:
            line = ",".join(cells)
        lines.append(line.encode("utf-8") if rng.random() < 0.03 else line.encode("gb18030"))
    lines.append(b'="1",a,1.00,2024-06-01 10:00:00,\xbd\xbb,"never closed')
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    return path


@pytest.mark.parametrize("chunk", [64, 1000, 16 * 2**20])
def test_fast_reader_matches_the_csv_module_cell_by_cell(tmp_path, monkeypatch, chunk):
    """按块读（块很小时，一条跨几行的记录会跨块）和参照（csv 模块逐条读）逐格相同：行号、格子、问题行。"""
    from helpers.taobao import ORDER_COLUMNS, read_export
    from helpers.taobao import decoding

    monkeypatch.setattr(decoding, "CHUNK_BYTES", chunk)
    path = _tricky_export(tmp_path / "tricky.csv")
    header, rows, problems = _reference(path)
    table = read_export(path, ("订单编号",), ORDER_COLUMNS)
    assert table.header == header and "其中" in table.encoding            # 认出了夹在里面的 UTF-8 行
    got = list(table.data[["_行号", *header]].itertuples(index=False, name=None))
    assert got == rows and len(rows) > 200 and len(problems) > 50
    reported = [(p[1], p[2], p[3]) for p in table.problems]
    assert [(n, i) for n, i, _ in reported] == [(n, i) for n, i, _ in problems]
    assert all(want in text for (_, _, text), (_, _, want) in zip(reported, problems))
    # 只留下几列时，行号和问题行不变（不留的列仍然参与判断空行和格子数）
    some = read_export(path, ("订单编号",), ORDER_COLUMNS, keep=("订单编号", "订单付款时间"))
    assert list(some.data.columns) == ["订单编号", "订单付款时间", "_行号", "_文件"]
    assert some.data["_行号"].tolist() == table.data["_行号"].tolist() and some.problems == table.problems


def test_rows_read_counts_utf8_rows_once(tmp_path):
    """按 UTF-8 读的行保留下来，也写进问题行，但“读取的订单行”只算一次。"""
    path = write_export(tmp_path / "o.csv", BASIC)
    extra = ",".join(field(v) for v in row("3876543210987659999", "茶友阿青", "66.00")) + "\r\n"
    path.write_bytes(path.read_bytes() + extra.encode("utf-8"))
    report = read_taobao_orders(path).import_report
    assert report.rows_read == len(BASIC) + 1 == report.kept + sum(report.excluded.values()) + report.skipped


def test_no_progress_bar_for_a_small_file(tmp_path, capsys):
    read_taobao_orders(write_export(tmp_path / "o.csv", BASIC))
    assert "读取订单导出文件" not in capsys.readouterr().err


def test_progress_bar_when_the_import_is_slow(tmp_path, capsys, monkeypatch):
    """“慢”由时钟决定：把门槛设成 0 秒，小文件也算慢，进度条出现、走到 100%；progress=False 时从不出现。"""
    from helpers.taobao import progress

    path = write_export(tmp_path / "o.csv", BASIC)
    monkeypatch.setattr(progress, "SHOW_AFTER", 0.0)
    read_taobao_orders(path)
    err = capsys.readouterr().err
    assert "读取订单导出文件" in err and "100%" in err and "整理客户" in err
    read_taobao_orders(path, progress=False)
    assert "%" not in capsys.readouterr().err


def test_progress_appears_only_after_the_threshold_on_its_clock(capsys):
    from helpers.taobao import Progress

    now = [100.0]
    bar = Progress(description="读取订单导出文件", after=2.0, clock=lambda: now[0])
    part = bar.part(0.0, 0.5, "读取订单导出文件")
    part.update(0.5)
    now[0] = 101.9                                    # 还不到 2 秒：不显示
    part.update(0.9)
    assert bar.bar is None and bar.done == pytest.approx(0.45)
    now[0] = 102.5                                    # 超过 2 秒还没完成：显示，并从已经完成的地方接着走
    bar.part(0.5, 1.0, "整理客户").update(0.5)
    assert bar.bar is not None and bar.bar.n == 750 and bar.bar.desc == "整理客户"
    bar.close()
    assert "整理客户" in capsys.readouterr().err
    with pytest.raises(ValueError, match="clock"):
        Progress(clock="现在")

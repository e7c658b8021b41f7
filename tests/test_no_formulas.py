"""问题 11 §2：工作簿写出的每个表格文件里，以 = + - @、制表符、回车开头的文字都不会变成公式。

CSV：这样的文字前加一个单引号 '（OWASP 对 CSV 注入的建议）；xlsx：单元格明确存成文字，内容一字不差。
每个写文件的地方各测一次：export_excel、成绩表（xlsx 和 csv）、短信发送名单（xlsx 和 csv）、
短信发送记录（写了再读回来，频率限制照常）、邮件发送记录。
"""
from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers.campaigns import SmsCampaign, read_send_log
from helpers.export import FORMULA_START, export_excel, neutralize_formulas, restore_formulas, write_csv

DANGEROUS = ['=HYPERLINK("http://example.com","点我领券")', "=1+1", "+86 138", "-2+3", "@SUM(A1)",
             "\t=1+1", "\r=1+1"]


def _xlsx_cells(path):
    book = load_workbook(path)
    return [(c.value, c.data_type) for ws in book.worksheets for row in ws.iter_rows() for c in row]


def test_neutralize_keeps_numbers_and_plain_text_and_marks_formula_text():
    df = pd.DataFrame({"昵称": DANGEROUS + ["小林", None], "金额": list(range(-7, 0)) + [5, 6]})
    out = neutralize_formulas(df)
    assert out["昵称"].tolist()[:len(DANGEROUS)] == ["'" + t for t in DANGEROUS]
    assert out["昵称"].iloc[-2] == "小林" and pd.isna(out["昵称"].iloc[-1])
    assert out["金额"].tolist() == df["金额"].tolist()                      # -7 是数，不是公式
    assert df["昵称"].tolist()[0] == DANGEROUS[0]                          # 原表不变
    assert restore_formulas(out)["昵称"].tolist()[:len(DANGEROUS)] == DANGEROUS


def test_export_excel_writes_formula_text_as_text(tmp_path):
    df = pd.DataFrame({"customer_id": ["A", "B"], "nickname": ["=1+1", '=HYPERLINK("http://x","点我")']})
    path = export_excel(df, tmp_path / "名单.xlsx")
    cells = _xlsx_cells(path)
    assert ("=1+1", "s") in cells and ('=HYPERLINK("http://x","点我")', "s") in cells
    assert not any(kind == "f" for _, kind in cells)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_grade_sheet_never_holds_a_formula(tmp_path, suffix):
    from helpers.course.grade import summary_path, write_tables

    grades = pd.DataFrame({"文件": ["a.ipynb"], "学生": ["=1+1"], "反馈": ["@SUM(A1)"], "总分": [-1]})
    summary = pd.DataFrame({"题目": ["q1"], "最常见的错误": ["+1"]})
    out = tmp_path / f"成绩{suffix}"
    write_tables(grades, summary, out)
    if suffix == ".xlsx":
        cells = _xlsx_cells(out)
        assert ("=1+1", "s") in cells and not any(kind == "f" for _, kind in cells)
    else:
        text = out.read_text(encoding="utf-8-sig") + summary_path(out).read_text(encoding="utf-8-sig")
        assert "'=1+1" in text and "'@SUM(A1)" in text and "'+1" in text and ",-1" in text


@pytest.fixture
def audience():
    return pd.DataFrame({"nickname": ["=1+1", "小林"], "phone": ["13800001111", "13800002222"],
                         "sms_opt_out": [False, False]},
                        index=pd.Index(["=cmd|' /C calc'!A0", "B"], name="customer_id"))


def test_sms_send_list_csv_and_xlsx(audience, tmp_path):
    sms = SmsCampaign(audience, "{昵称}您好，新品到店", "青禾茶舍", send_date="2024-07-01")
    csv = sms.write_send_list(tmp_path / "名单.csv").read_text(encoding="utf-8-sig")
    assert all(not line.startswith(FORMULA_START) for row in csv.splitlines() for line in row.split(","))
    cells = _xlsx_cells(sms.write_send_list(tmp_path / "名单.xlsx"))
    assert not any(kind == "f" for _, kind in cells)


def test_sms_log_round_trip_keeps_ids_and_the_frequency_cap(audience, tmp_path):
    sms = SmsCampaign(audience, "{昵称}您好", "青禾茶舍", send_date="2024-07-01")
    path = sms.append_to_log(tmp_path / "发送记录.csv")
    assert "'=cmd" in path.read_text(encoding="utf-8-sig")               # 文件里不是公式
    log = read_send_log(path)
    assert set(log["customer_id"]) == {"=cmd|' /C calc'!A0", "B"}         # 读回来还是原来的编号
    again = SmsCampaign(audience, "{昵称}您好", "青禾茶舍", send_date="2024-07-03", send_log=log)
    assert again.recipients == 0


def test_write_csv_to_an_open_file(tmp_path):
    path = tmp_path / "x.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        write_csv(pd.DataFrame({"a": ["=1"]}), f, index=False)
    assert path.read_text(encoding="utf-8").splitlines() == ["a", "'=1"]


def test_email_send_record_round_trip(tmp_path):
    from helpers.campaigns.email_send import RECORD_COLUMNS, _append_record, _read_record

    path = tmp_path / "邮件发送记录.csv"
    row = dict(zip(RECORD_COLUMNS, ["新茶", "=1+1", "a@example.com", "<id@x>", "已发送", "-250 OK"]))
    _append_record(path, row)
    assert "'=1+1" in path.read_text(encoding="utf-8-sig") and "'-250 OK" in path.read_text(encoding="utf-8-sig")
    back = _read_record(path, "新茶")
    assert back.iloc[0]["customer_id"] == "=1+1" and back.iloc[0]["reply"] == "-250 OK"

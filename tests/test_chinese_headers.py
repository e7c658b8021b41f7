"""学生看到的表格都是中文表头：课程笔记本里展示的表、小部件的预览表、导出的文件，用同一张对照表。"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import helpers
import helpers.export
from helpers.charts import table_html
from helpers.columns import COLUMN_LABELS, chinese_headers, column_label

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# 像代码里的列名：全小写英文加下划线（customer_id、order_count、days_since_last ……）
IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$|^[a-z]{3,}$")


def headers(html: str) -> set[str]:
    """表头行（<thead>）里的文字：列名和索引名（索引的值在 <tbody> 里，不算）。"""
    heads = "".join(re.findall(r"<thead>(.*?)</thead>", html, flags=re.S))
    return {h.strip() for h in re.findall(r"<th[^>]*>([^<]*)</th>", heads)}


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name[:2])
def test_tables_in_lessons_have_chinese_headers(path):
    english = []
    for number, cell in enumerate(nbformat.read(path, as_version=4).cells):
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            if "<table" in html:
                found = sorted(h for h in headers(html) if h in COLUMN_LABELS or IDENTIFIER.match(h))
                english += [f"第 {number} 格：{', '.join(found)}"] if found else []
    assert not english, f"{path.name} 里展示的表格还有英文表头（请用 show(...)，必要时在 helpers.columns 里补上中文名）：{english}"


def test_the_check_above_finds_english_headers():
    html = pd.DataFrame({"order_count": [1]}, index=pd.Index(["A"], name="customer_id")).to_html()
    assert {"order_count", "customer_id"} <= {h for h in headers(html) if IDENTIFIER.match(h)}
    assert not {h for h in headers(helpers.show(pd.DataFrame({"order_count": [1]})).to_html()) if IDENTIFIER.match(h)}


def test_show_widgets_and_exports_use_the_one_mapping(tmp_path):
    shop = helpers.load_shop("a_kids")
    summary = shop.summary()
    shown = helpers.show(summary, 3)
    assert list(shown.columns[:3]) == ["订单总数", "订单总金额（元）", "平均订单价（元）"]
    assert shown.index.name == "客户编号" and summary.index.name == "customer_id"      # 原表不变
    assert shown["买过的商品"].iloc[0] == "、".join(summary["products"].iloc[0])
    assert "手机号" in shown.columns and shown["手机号"].str.contains(r"\*{4}").all()
    page = table_html(summary[["nickname", "order_count", "total_amount", "phone"]], max_rows=3)
    assert [column_label(c) for c in ("customer_id", "nickname", "order_count", "total_amount", "phone")] == \
        re.findall(r"<th[^>]*>([^<]*)</th>", page)
    back = pd.read_excel(helpers.export.export_excel(summary.head(3), tmp_path / "x.xlsx"))
    assert list(back.columns[:4]) == ["客户编号", "订单总数", "订单总金额（元）", "平均订单价（元）"]


def test_a_preview_header_sits_over_its_column():
    """数字列的表头和格子都靠右，文字列都靠左：每个格子的对齐方式和它的表头一样。"""
    table = pd.DataFrame({"nickname": ["甲", "乙"], "order_count": [3, 12], "total_amount": [1234.5, 8.0],
                          "last_order": [pd.Timestamp("2018-12-01 10:00:00"), pd.Timestamp("2018-11-11")]})
    page = table_html(table)
    head = re.findall(r"<th( class='num')?>", page)
    rows = re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>")[1])
    for row in rows:
        assert re.findall(r"<td( class='num')?>", row) == head
    assert "<th>昵称</th><th class='num'>订单总数</th><th class='num'>订单总金额（元）</th><th>最后下单时间</th>" in page
    assert "<td class='num'>1,234.50</td>" in page and "<td>2018-11-11</td>" in page
    assert "white-space:nowrap" in page and "overflow-x:auto" in page       # 不折行；放不下时横向滚动


def test_chinese_headers_leave_the_original_alone():
    table = pd.DataFrame({"order_count": [1]}, index=pd.Index(["A"], name="customer_id"))
    out = chinese_headers(table)
    assert list(out.columns) == ["订单总数"] and out.index.name == "客户编号"
    assert list(table.columns) == ["order_count"] and table.index.name == "customer_id"

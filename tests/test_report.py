"""班级报告（helpers.course.report）：批量评分之后写出的一页 HTML。

用合成的批改结果（和 helpers.course.grade 里一样的 Submission / Graded），不运行内核：
每道题都在页面上；同一种错误的人数数对了；学生姓名和说明里的 <script> 只是文字；没有任何外部链接；
内嵌的字体子集覆盖页面上的每一个字（自带字体里也没有的生僻字在页脚列出）；平均分、中位数、正确率和成绩表一致。
真浏览器里的检查见 tests/test_browser_report.py。
"""
from __future__ import annotations

import base64
import html
import io
import re
import statistics
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from helpers.course import grade as G
from helpers.course import report as R
from helpers.course.checks import Question

FULL, WRONG, BLANK = "full", "wrong", "blank"


def questions(n: int = 3):
    return [Question(f"q{i}", f"第 {i} 题：选出满 {100 * i} 元的客户", f"q{i}_answer", points=i % 3 + 1)
            for i in range(1, n + 1)]


def result(q, kind: str, message: str = "") -> dict:
    correct = kind == FULL
    return {"name": q.name, "title": q.title, "points": q.points, "score": q.points if correct else 0,
            "correct": correct, "answered": kind != BLANK, "message": message or ("" if correct else "还没有作答")}


def submission(name: str, status: str = G.DONE, results=(), detail: str = "", chapter: str = "demo") -> G.Graded:
    sub = G.Submission(path=Path("作业") / f"{name}.ipynb", rel=f"{name}.ipynb", data=b"", chapter=chapter,
                       student=name)
    return G.Graded(sub, status, list(results), detail=detail)


MISTAKE = "你用了“超过 200 元”，题目要求满 200 元（≥ 200）"
OTHER = "你按订单数算了，题目问的是客户数"


@pytest.fixture
def cls():
    """6 份作业、3 道题：两人在 q2 犯同一个错（第二句不同），一人犯另一个错，一人没答 q2；另有超时和坏文件。"""
    qs = questions()
    q1, q2, q3 = qs
    graded = [
        submission("张三", results=[result(q1, FULL), result(q2, FULL), result(q3, FULL)]),
        submission("李四", results=[result(q1, FULL), result(q2, WRONG, MISTAKE + "。多了 3 位客户：C001、C002。"),
                                    result(q3, WRONG, OTHER)]),
        submission("王五", results=[result(q1, WRONG, OTHER), result(q2, WRONG, MISTAKE + "。多了 1 位客户：C009。"),
                                    result(q3, FULL)]),
        submission("赵六", results=[result(q1, FULL), result(q2, WRONG, OTHER + "\n详细：……"), result(q3, BLANK)]),
        submission("钱七", G.TIMEOUT, [result(q1, FULL), result(q2, BLANK), result(q3, BLANK)], detail="运行超过 120 秒"),
        submission("截图", G.NOT_NOTEBOOK, detail="是 .png 文件，不是 Jupyter 笔记本"),
    ]
    return graded, qs


def block(page: str, name: str) -> str:
    match = re.search(rf'<section class="q" id="q-{name}">(.*?)</section>', page, re.DOTALL)
    assert match, f"页面上没有 {name} 这道题"
    return match.group(1)


def table_rows(fragment: str) -> dict:
    """{第一格的文字: 人数}（每道题的错误表）。"""
    rows = re.findall(r'<tr(?: class="blank")?><td>([^<]*)</td><td class="n">(\d+) 人</td>', fragment)
    return {html.unescape(text): int(n) for text, n in rows}


def font_chars(page: str) -> set:
    from fontTools.ttLib import TTFont

    data = re.search(r"url\(data:font/otf;base64,([A-Za-z0-9+/=]+)\)", page).group(1)
    font = TTFont(io.BytesIO(base64.b64decode(data)))
    return {chr(c) for c in font["cmap"].getBestCmap()}


def visible_text(page: str) -> str:
    """页面上显示出来的文字（去掉样式和标签，再反转义）。"""
    body = re.sub(r"<style>.*?</style>", "", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


# ---------------------------------------------------------------------------
def test_every_question_appears_in_its_block_and_in_the_chart(cls):
    graded, qs = cls
    page = R.class_report_html(graded, qs, "demo")
    for q in qs:
        assert html.escape(q.title) in block(page, q.name)
        assert re.search(rf'<tspan class="qn">{q.name}</tspan>', page), f"正确率图里没有 {q.name}"
    assert page.count('<section class="q"') == len(qs)


def test_same_mistake_counted_once_per_student(cls):
    graded, qs = cls
    page = R.class_report_html(graded, qs, "demo")
    rows = table_rows(block(page, "q2"))
    # 李四、王五：同一句说明（第二句不同）→ 2 人；赵六：另一种 → 1 人；钱七没答、截图没运行 → 未作答 2 人
    assert rows == {MISTAKE: 2, OTHER: 1, "未作答": 2}
    assert list(rows) == [MISTAKE, OTHER, "未作答"]          # 人多的在前
    assert table_rows(block(page, "q3")) == {OTHER: 1, "未作答": 3}
    # 和成绩表“题目统计”的“常见错误”是同样的归并
    _, summary = G.tables(graded, qs)
    assert summary.set_index("题目").loc["q2", "常见错误"] == f"{MISTAKE}（2 人）；{OTHER}（1 人）"
    # 占全班：2 ÷ 6
    assert re.search(rf"{re.escape(html.escape(MISTAKE))}</td><td class=\"n\">2 人</td><td class=\"n\">33.3%</td>",
                     page)


def test_many_kinds_of_mistakes_are_folded_into_one_row():
    q = questions(1)[0]
    graded = [submission(f"学生{i}", results=[result(q, WRONG, f"错误{i % 7}")]) for i in range(14)]
    rows = table_rows(block(R.class_report_html(graded, [q], "demo"), "q1"))
    assert len(rows) == R.TOP_MISTAKES + 2                   # 前几种 + “其余” + 未作答
    assert rows[f"其余 {7 - R.TOP_MISTAKES} 种错误"] == 2 * (7 - R.TOP_MISTAKES)
    assert sum(rows.values()) == 14 and rows["未作答"] == 0


def test_numbers_match_the_grade_sheet(cls):
    graded, qs = cls
    page = R.class_report_html(graded, qs, "demo")
    grades, summary = G.tables(graded, qs)
    stats = R.class_stats(graded, qs)
    assert sorted(stats["totals"]) == sorted(grades["总分"])
    totals = list(grades["总分"])
    mean = Decimal(repr(statistics.mean(totals))).quantize(Decimal("0.1"), ROUND_HALF_UP)
    median = Decimal(repr(statistics.median(totals))).quantize(Decimal("0.1"), ROUND_HALF_UP)
    assert f"<dt>平均分</dt><dd>{mean}</dd>" in page and f"<dt>中位数</dt><dd>{median}</dd>" in page
    assert f"<dt>作业</dt><dd>{len(graded)} 份</dd>" in page
    for status, n in ((G.DONE, 4), (G.TIMEOUT, 1), (G.ERROR, 0), (G.NOT_NOTEBOOK, 1)):
        assert f"<dt>{status}</dt><dd>{n} 份</dd>" in page
    for _, row in summary.iterrows():
        share = f"{row['正确率（%）']:g}%"
        assert f"正确率 <b>{share}</b>：答对 {row['答对人数']} 人，作答但没答对 {row['作答人数'] - row['答对人数']} 人" \
            in block(page, row["题目"])
        assert f"{share}（{row['答对人数']}/{row['作答人数']}）" in page       # 正确率图的标签


def test_score_bands_keep_zero_and_full_marks_apart():
    bands = R.score_bands([0, 0, 5.99, 6, 6.99, 7, 9.99, 10, 10], 10)
    assert [n for _, _, n in bands] == [2, 1, 2, 1, 0, 1, 2]       # 正好 6 分（60%）算进 60%–70%
    assert bands[0][0] == "0 分" and bands[-1] == ("10 分", "满分", 2)
    # 满分 21 分：70% 是 14.7 分，浮点数 0.7 × 21 = 14.699999… 也不会把 14.7 分算错档
    assert [n for _, _, n in R.score_bands([14.7, 14.69], 21)] == [0, 0, 1, 1, 0, 0, 0]


def test_student_text_is_escaped(cls):
    graded, qs = cls
    evil = '<script>alert("名字")</script>'
    graded.append(submission(evil, G.ERROR, detail='<img src=x onerror="alert(1)">内核退出'))
    graded[1].questions[2]["message"] = "<script>document.title='x'</script>答案不对"
    page = R.class_report_html(graded, qs, "demo", title="<b>班级</b>")
    assert "<script" not in page.lower() and "<img" not in page.lower() and "<b>班级" not in page
    assert "&lt;script&gt;alert(&quot;名字&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "&lt;script&gt;document.title=&#x27;x&#x27;&lt;/script&gt;答案不对" in page


def test_no_external_resources(cls):
    graded, qs = cls
    page = R.class_report_html(graded, qs, "demo")
    without_font = re.sub(r"url\(data:[^)]*\)", "url(FONT)", page)
    assert page.count("url(data:font/otf;base64,") == 1
    assert "http" not in without_font.lower()
    assert not re.search(r"""(?:src|href|action)\s*=|url\((?!FONT\))|@import|<link|<script|<iframe""",
                         without_font, re.IGNORECASE)


def test_embedded_font_covers_every_character_on_the_page(cls):
    graded, qs = cls
    page = R.class_report_html(graded, qs, "demo")
    covered = font_chars(page)
    shown = {ch for ch in visible_text(page) if not ch.isspace()}
    assert shown - covered == set()
    assert len(covered) < 400 and len(page.encode()) < 200_000      # 只带用到的字，不是整个 1.5 MB 的字体


def test_rare_characters_fall_back_and_are_listed(cls):
    graded, qs = cls
    rare = "堃"                                   # 常见于名字，但不在 GB2312 里，自带字体也没有
    assert rare not in R.font_charmap()
    graded.append(submission(f"李{rare}", G.ERROR, detail="内核退出"))
    page = R.class_report_html(graded, qs, "demo")
    covered = font_chars(page)
    assert {ch for ch in visible_text(page) if not ch.isspace()} - covered == {rare}
    assert f"由电脑上的中文字体显示：{rare}" in page
    assert f'"{R.FONT_FAMILY}", "Microsoft YaHei"' in page          # 字体栈里排在内嵌字体后面


def test_header_print_rules_and_attention_list(cls):
    graded, qs = cls
    page = R.class_report_html(graded, qs, "demo", source="成绩.xlsx")
    assert "<h1>“demo”章节班级报告</h1>" in page
    assert "演示：母亲节分组与短信计费" in page                       # 章节标题
    assert "@page { size: A4" in page and "break-inside: avoid" in page and "@media print" in page
    attention = re.search(r'<section class="attention">(.*?)</section>', page, re.DOTALL).group(1)
    assert "钱七" in attention and "截图" in attention and "张三" not in attention
    assert "成绩表 成绩.xlsx" in page


def test_write_class_report_next_to_the_grade_sheet(cls, tmp_path):
    graded, qs = cls
    for name in ("成绩.xlsx", "成绩.csv"):
        path = R.write_class_report(graded, qs, tmp_path / "输出" / name)
        assert path == tmp_path / "输出" / "成绩_班级报告.html"
        page = path.read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and "“demo”章节班级报告" in page   # 章节取自作业


def test_empty_class_and_chapter_without_module():
    qs = questions(2)
    page = R.class_report_html([], qs, "")
    assert "<h1>班级报告</h1>" in page and "<dt>平均分</dt><dd>—</dd>" in page
    assert "没有人作答" in block(page, "q1") and table_rows(block(page, "q1")) == {"未作答": 0}


@pytest.mark.parametrize("call, message", [
    (lambda qs: R.class_report_html(None, qs), "graded"),
    (lambda qs: R.class_report_html([1, 2], qs), "graded 应是批改结果"),
    (lambda qs: R.class_report_html([], ["q1"]), "questions 应是这一章的题目"),
    (lambda qs: R.write_class_report([], qs, None), "out"),
])
def test_wrong_arguments_get_chinese_errors(call, message):
    with pytest.raises(ValueError, match=message) as info:
        call(questions())
    assert re.search(r"[\u4e00-\u9fff]", str(info.value))


def public_callables():
    import inspect

    return [pytest.param(obj, id=name) for name, obj in sorted(vars(R).items())
            if not name.startswith("_") and inspect.isfunction(obj) and obj.__module__ == R.__name__
            and inspect.signature(obj).parameters]


@pytest.mark.parametrize("bad", [None, [1, "a"], "empty_table"], ids=["None", "list", "empty_table"])
@pytest.mark.parametrize("func", public_callables())
def test_every_public_function_answers_bad_input_in_chinese(func, bad, tmp_path, monkeypatch):
    import pandas as pd

    monkeypatch.chdir(tmp_path)
    try:
        func(pd.DataFrame() if bad == "empty_table" else bad)
    except ValueError as exc:
        assert re.search(r"[\u4e00-\u9fff]", str(exc)), f"{func.__name__}({bad!r}) 的错误不是中文：{exc}"
    except Exception as exc:  # noqa: BLE001 - 正是要抓住英文的 traceback
        pytest.fail(f"{func.__name__}({bad!r}) 抛出了 {type(exc).__name__}: {exc}")

"""班级报告：把批量评分的结果写成一页 HTML，和成绩表放在一起（成绩.xlsx → 成绩_班级报告.html）。

``python -m helpers.course.grade`` 批改完以后调用 write_class_report；也可以自己调用::

    from helpers.course.report import class_report_html, write_class_report
    write_class_report(graded, questions, Path("成绩.xlsx"), chapter="02")   # graded：grade.Graded 的列表

页面上有：章节、作业份数、平均分和中位数、完成 / 超时 / 出错 / 不是笔记本各几份；成绩分布（0 分和满分各自
单独一档）；每道题的正确率（横条：答对、作答但没答对、未作答）；每道题最常见的错误——按检查给出的说明
（第一句）归并，几个人、占全班多少，另有“未作答”几人；最后列出没有正常完成的作业。

- 离线可读：CSS 写在页面里，图是内嵌的 SVG，没有任何外部链接（没有 CDN、外部字体、脚本）；
- 不缺字：把页面用到的字符从工作簿自带的字体（helpers/fonts/NotoSansSC-CRM-subset.otf）里取出，
  做成一个小字体（几十 KB）以 base64 写进页面（fontTools 是 matplotlib 的依赖，装了工作簿就有）；
  自带字体里也没有的生僻字交给电脑上的中文字体，页面末尾列出这些字；
- 可以打印：A4，一道题不会被分页切开；
- 学生姓名、文件名、检查的说明都经过 HTML 转义（姓名写成 <script> 也只是文字）。
- 数字和成绩表一致：总分、正确率（答对人数 ÷ 提交人数）和“题目统计”用同样的算法。
"""
from __future__ import annotations

import base64
import html
import io
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from ..validation import checked
from .grade_worker import DONE, ERROR, TIMEOUT

FONT = Path(__file__).resolve().parent.parent / "fonts" / "NotoSansSC-CRM-subset.otf"
FONT_FAMILY = "CRM Report SC"
#: 内嵌字体里没有的字由这些字体显示（Windows、macOS、Linux 常见的中文字体）
FALLBACK_FONTS = ('"Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", '
                  '"Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif')
BANDS = (60, 70, 80, 90)          # 成绩分布的分档（满分的百分之几）；另有 0 分、满分两档
TOP_MISTAKES = 5                  # 每道题列出几种最常见的错误，其余合成一行
MESSAGE_LIMIT = 80                # 每条说明最多显示多少字
ATTENTION_LIMIT = 30              # “没有正常完成的作业”最多列出几份
_SENTENCE = r"[。\n]"             # 和成绩表的“常见错误”一样：按说明的第一句归并
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# ---------------------------------------------------------------------------
# 小工具
# ---------------------------------------------------------------------------
def _esc(text) -> str:
    """给人看的文字：去掉控制字符、合并空白，再做 HTML 转义（< > & " ' 都转义）。"""
    return html.escape(" ".join(_CONTROL.sub("", str(text)).split()), quote=True)


def _clip(text: str, width: float) -> str:
    """截到大约 width 个汉字宽（英文字母、数字按半个算），超出时以“…”结尾。"""
    used = 0.0
    for i, ch in enumerate(text):
        used += 0.55 if ord(ch) < 0x2E80 else 1.0
        if used > width:
            return text[:max(0, i - 1)] + "…"
    return text


def _num(x: float) -> str:
    """分数的写法：3、2.5、0.75（不写多余的 0）。"""
    return f"{round(float(x), 2):g}"


def _half_up(x: float, places: int = 1) -> str:
    """四舍五入（half up）到 places 位小数，例如平均分 7.25 → “7.3”。"""
    return str(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _pct(part: int, whole: int) -> str:
    """百分比，和成绩表的“正确率（%）”一样算：round(100 × part / whole, 1)。"""
    return f"{round(100 * part / whole, 1) if whole else 0.0:g}%"


def _check_inputs(graded, questions) -> None:
    for i, g in enumerate(graded, 1):
        if not all(hasattr(g, a) for a in ("sub", "status", "questions")):
            raise ValueError(f"graded 应是批改结果（helpers.course.grade.Graded）的列表，第 {i} 个是 {type(g).__name__}。")
    for i, q in enumerate(questions, 1):
        if not all(hasattr(q, a) for a in ("name", "title", "points")):
            raise ValueError(f"questions 应是这一章的题目（Question）的列表，第 {i} 个是 {type(q).__name__}。")


# ---------------------------------------------------------------------------
# 统计（向量化：每份作业每道题一行的长表）
# ---------------------------------------------------------------------------
def _results(graded, questions):
    """每份作业每道题一行：sub（作业序号）、question、score、correct、answered、message。"""
    import pandas as pd

    rows = [(i, str(r.get("name")), r.get("score") or 0, bool(r.get("correct")), bool(r.get("answered")),
             str(r.get("message") or "")) for i, g in enumerate(graded) for r in g.questions]
    df = pd.DataFrame(rows, columns=["sub", "question", "score", "correct", "answered", "message"]).astype(
        {"sub": int, "question": object, "correct": bool, "answered": bool, "message": object})
    df = df[df["question"].isin([q.name for q in questions])].drop_duplicates(["sub", "question"])
    df["score"] = pd.to_numeric(df["score"], errors="coerce").fillna(0).astype(float).round(2)
    return df


@checked
def class_stats(graded: list, questions: list) -> dict:
    """报告里的数字：totals（每份作业的总分）、per_question（每题答对、作答人数）、mistakes（每题每种错误几人）。"""
    import pandas as pd

    graded, questions = list(graded), list(questions)
    _check_inputs(graded, questions)
    names = [q.name for q in questions]
    df = _results(graded, questions)
    totals = df.groupby("sub")["score"].sum().reindex(range(len(graded)), fill_value=0.0).round(2)
    per_question = pd.DataFrame({
        "right": df.loc[df["correct"]].groupby("question").size(),
        "answered": df.loc[df["answered"]].groupby("question").size(),
    }).reindex(names).fillna(0).astype(int)
    wrong = df.loc[df["answered"] & ~df["correct"]]
    key = wrong["message"].str.split(_SENTENCE, n=1, regex=True).str[0].str.strip()
    mistakes = (wrong.assign(key=key).groupby(["question", "key"], sort=False).size().rename("count").reset_index())
    mistakes["order"] = mistakes["question"].map({n: i for i, n in enumerate(names)})
    mistakes = mistakes.sort_values(["order", "count"], ascending=[True, False], kind="stable").drop(columns="order")
    return {"totals": totals, "per_question": per_question, "mistakes": mistakes.reset_index(drop=True)}


@checked
def score_bands(totals: list, full: float) -> list[tuple[str, str, int]]:
    """成绩分布：[(分数范围, 说明, 人数)]。0 分、满分各一档；中间按满分的 60%、70%、80%、90% 分档，
    每档含下限、不含上限。按“分”的整数比较，不受小数误差影响。"""
    import numpy as np

    try:
        cents = np.round(np.asarray(list(totals), dtype=float) * 100).astype(np.int64)
    except (TypeError, ValueError):
        raise ValueError(f"score_bands() 的参数 totals 应是每份作业的总分（数字的列表），收到 {str(totals)[:40]}") from None
    full_c = round(full * 100)
    band = 1 + np.searchsorted(np.array([full_c * b for b in BANDS]), cents * 100, side="right")
    band = np.where(cents <= 0, 0, np.where(cents >= full_c, len(BANDS) + 2, band))
    counts = np.bincount(band, minlength=len(BANDS) + 3)
    edges = [0, *(full * b / 100 for b in BANDS), full]
    labels = [("0 分", "")]
    labels += [(f"{_num(lo)}–{_num(hi)} 分", f"{a}%–{b}%" if a else f"不到 {b}%")
               for lo, hi, a, b in zip(edges, edges[1:], (0, *BANDS), (*BANDS, 100))]
    labels[-1] = (labels[-1][0], f"{BANDS[-1]}% 以上")
    labels.append((f"{_num(full)} 分", "满分"))
    return [(a, b, int(n)) for (a, b), n in zip(labels, counts)]


# ---------------------------------------------------------------------------
# 图（内嵌 SVG）
# ---------------------------------------------------------------------------
def _histogram_svg(bands) -> str:
    """成绩分布：横条，一档一行（0 分在上，满分在下），条后写份数。"""
    row, label_w, bar_w = 22, 128, 170
    peak = max([n for _, _, n in bands] + [1])
    parts = [(f'<svg class="chart" viewBox="0 0 340 {row * len(bands) + 4}" role="img" aria-labelledby="hist-title">'
              '<title id="hist-title">成绩分布：每个分数段的作业份数</title>')]
    for i, (label, note, n) in enumerate(bands):
        y, w = i * row + 2, bar_w * n / peak
        kind = "zero" if i == 0 else "full" if i == len(bands) - 1 else "mid"
        parts.append(f'<text x="0" y="{y + 14}">{_esc(label)} <tspan class="note">{_esc(note)}</tspan></text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="15" class="bar {kind}">'
                     f'<title>{_esc(label)} {_esc(note)}：{n} 份</title></rect>'
                     f'<text x="{label_w + w + 5:.1f}" y="{y + 14}" class="count">{n} 份</text>')
    return "".join(parts) + "</svg>"


def _share_svg(questions, per_question, submitted: int) -> str:
    row, label_w, bar_w = 24, 150, 210
    height = row * len(questions) + 4
    parts = [(f'<svg class="chart" viewBox="0 0 480 {height}" role="img" aria-labelledby="share-title">'
              '<title id="share-title">每道题的正确率（答对人数 ÷ 提交人数）</title>')]
    for i, q in enumerate(questions):
        right, answered = (int(v) for v in per_question.loc[q.name, ["right", "answered"]])
        y = i * row + 4
        scale = bar_w / submitted if submitted else 0
        parts.append(
            f'<text x="0" y="{y + 15}" class="qlabel"><tspan class="qn">{_esc(q.name)}</tspan> '
            f'{_esc(_clip(" ".join(str(q.title).split()), 9.5))}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="16" class="track"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{answered * scale:.1f}" height="16" class="tried"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{right * scale:.1f}" height="16" class="right">'
            f'<title>{_esc(q.name)}：答对 {right} 人，作答 {answered} 人，提交 {submitted} 份</title></rect>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 15}" class="value">{_pct(right, submitted)}'
            f'（{right}/{answered}）</text>')
    return "".join(parts) + "</svg>"


# ---------------------------------------------------------------------------
# 页面
# ---------------------------------------------------------------------------
CSS = """
@font-face { font-family: "%(family)s"; src: url(data:font/otf;base64,%(font)s) format("opentype"); }
:root { --ink: #1f2933; --muted: #5f6b7a; --line: #d8dee6; --right: #2563eb; --tried: #a9c2f5; --track: #eef1f5; }
* { box-sizing: border-box; }
body { font-family: "%(family)s", %(fallback)s; color: var(--ink); margin: 0 auto; padding: 20px 24px;
       max-width: 1060px; line-height: 1.5; font-size: 14px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 2px; } h2 { font-size: 16px; margin: 18px 0 8px; }
.sub { color: var(--muted); margin: 0 0 10px; }
.facts { display: flex; flex-wrap: wrap; gap: 6px 22px; margin: 0; padding: 8px 12px; border: 1px solid var(--line);
         border-radius: 6px; }
.facts div { white-space: nowrap; } .facts dt { display: inline; color: var(--muted); }
.facts dd { display: inline; margin: 0 0 0 4px; font-weight: bold; }
.charts { display: grid; grid-template-columns: 2fr 3fr; gap: 20px; align-items: start; }
figure { margin: 0; } figcaption { font-weight: bold; margin: 10px 0 4px; }
.chart { width: 100%%; height: auto; display: block; font-family: inherit; }
.chart text { font-size: 12px; fill: var(--ink); }
.chart .note { fill: var(--muted); font-size: 10px; }
.bar.mid { fill: var(--right); } .bar.zero { fill: #c2410c; }
.bar.full { fill: #15803d; } .track { fill: var(--track); } .tried { fill: var(--tried); }
.right { fill: var(--right); }
.chart .qn { font-weight: bold; }
.legend { color: var(--muted); font-size: 12px; margin: 4px 0 0; }
.key { display: inline-block; width: 10px; height: 10px; margin: 0 3px 0 8px; vertical-align: -1px; }
.questions { column-width: 440px; column-gap: 24px; }
.q { break-inside: avoid; page-break-inside: avoid; border: 1px solid var(--line); border-radius: 6px;
     padding: 8px 12px 10px; margin: 0 0 12px; }
.q h3 { font-size: 14.5px; margin: 0 0 4px; } .q h3 .qn { color: var(--right); margin-right: 4px; }
.q h3 .pts { color: var(--muted); font-weight: normal; white-space: nowrap; }
.qstat { margin: 0 0 6px; color: var(--muted); } .qstat b { color: var(--ink); }
table { border-collapse: collapse; width: 100%%; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 4px; text-align: left; vertical-align: top; }
th { color: var(--muted); font-weight: normal; } td.n, th.n { text-align: right; white-space: nowrap; width: 4.5em; }
tr.blank td { color: var(--muted); } .none { color: var(--muted); margin: 0; }
.attention td:nth-child(3) { white-space: nowrap; }
footer { color: var(--muted); font-size: 12px; margin-top: 16px; border-top: 1px solid var(--line); padding-top: 6px; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@page { size: A4; margin: 12mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 11px; line-height: 1.4; }
  h1 { font-size: 18px; } h2 { font-size: 13px; margin: 10px 0 5px; } .q h3 { font-size: 12px; }
  .questions { column-count: 2; column-width: auto; column-gap: 12px; }
  .q { padding: 5px 8px 6px; margin-bottom: 8px; } table { font-size: 10.5px; } th, td { padding: 2px 3px; }
  .legend { font-size: 10px; } figcaption { margin: 6px 0 2px; }
  figure, .facts, tr { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
}
"""


def _question_block(q, per_question, mistakes, submitted: int) -> str:
    right, answered = (int(v) for v in per_question.loc[q.name, ["right", "answered"]])
    mine = mistakes[mistakes["question"] == q.name]
    parts = getattr(q, "parts", 0)
    each = f"，{parts} 部分各 {_num(q.points / parts)} 分" if parts else ""
    rows = [f'<tr><td>{_esc(_clip(key, MESSAGE_LIMIT)) or "（检查没有给出说明）"}</td><td class="n">{n} 人</td>'
            f'<td class="n">{_pct(n, submitted)}</td></tr>'
            for key, n in zip(mine["key"].head(TOP_MISTAKES), mine["count"].head(TOP_MISTAKES))]
    if len(mine) > TOP_MISTAKES:
        rest = int(mine["count"].iloc[TOP_MISTAKES:].sum())
        rows.append(f'<tr class="blank"><td>其余 {len(mine) - TOP_MISTAKES} 种错误</td><td class="n">{rest} 人</td>'
                    f'<td class="n">{_pct(rest, submitted)}</td></tr>')
    blank = submitted - answered
    rows.append(f'<tr class="blank"><td>未作答</td><td class="n">{blank} 人</td>'
                f'<td class="n">{_pct(blank, submitted)}</td></tr>')
    wrong = answered - right
    return (f'<section class="q" id="q-{_esc(q.name)}"><h3><span class="qn">{_esc(q.name)}</span>'
            f'{_esc(q.title)} <span class="pts">（{_num(q.points)} 分{each}）</span></h3>'
            f'<p class="qstat">正确率 <b>{_pct(right, submitted)}</b>：答对 {right} 人，作答但没答对 {wrong} 人，'
            f'提交 {submitted} 份</p>'
            + '<table><thead><tr><th>最常见的错误（检查给出的说明）</th><th class="n">人数</th>'
              '<th class="n">占全班</th></tr></thead><tbody>'
            + ("" if not mine.empty else
               f'<tr><td colspan="3">{"作答的人都答对了" if answered else "没有人作答"}</td></tr>')
            + "".join(rows) + "</tbody></table></section>")


def _attention(graded) -> str:
    """没有正常完成的作业（超时、出错、不是笔记本）：文件、学生、状态、原因。"""
    late = [g for g in sorted(graded, key=lambda g: g.sub.rel) if g.status != DONE]
    if not late:
        return ""
    rows = "".join(f"<tr><td>{_esc(g.sub.rel)}</td><td>{_esc(g.sub.student)}</td><td>{_esc(g.status)}</td>"
                   f"<td>{_esc(_clip(' '.join(str(g.detail).split()), 60))}</td></tr>" for g in late[:ATTENTION_LIMIT])
    more = f'<p class="none">另有 {len(late) - ATTENTION_LIMIT} 份，见成绩表。</p>' if len(late) > ATTENTION_LIMIT else ""
    return ('<section class="attention"><h2>没有正常完成的作业</h2><table><thead><tr><th>文件</th><th>学生</th>'
            f'<th>状态</th><th>原因</th></tr></thead><tbody>{rows}</tbody></table>{more}</section>')


def _chapter_title(chapter: str) -> tuple[str, str]:
    from .exercises import chapter_label, load_chapter

    if not chapter:
        return "", ""
    try:
        subtitle = str(getattr(load_chapter(chapter), "TITLE", ""))
    except Exception:  # noqa: BLE001 - 没有这一章的题目模块、或它导入出错：只写章节号
        subtitle = ""
    return chapter_label(chapter), subtitle


@checked
def class_report_html(graded: list, questions: list, chapter: str = "", title: str = "", source: str = "") -> str:
    """一页班级报告的 HTML（一个字符串，不依赖任何外部文件）。

    graded：批改结果（helpers.course.grade.Graded 的列表）；questions：这一章的题目；chapter：章节号，例如 "02"；
    title：页面标题（默认“第 02 章班级报告”）；source：成绩表的文件名，写在页脚。
    """
    from .grade import NOT_NOTEBOOK

    graded, questions = list(graded), list(questions)
    _check_inputs(graded, questions)
    label, subtitle = _chapter_title(chapter)
    subtitle = subtitle if not title else " · ".join(t for t in (label, subtitle) if t)
    title = title or f"{label}班级报告".strip()
    submitted, full = len(graded), sum(float(q.points) for q in questions)
    stats = class_stats(graded, questions)
    totals, per_question = stats["totals"], stats["per_question"]
    status = [g.status for g in graded]
    facts = [("作业", f"{submitted} 份"), ("满分", f"{_num(full)} 分"),
             ("平均分", _half_up(totals.mean()) if submitted else "—"),
             ("中位数", _half_up(totals.median()) if submitted else "—")]
    facts += [(s, f"{status.count(s)} 份") for s in (DONE, TIMEOUT, ERROR, NOT_NOTEBOOK)]
    body = (f'<header><h1>{_esc(title)}</h1><p class="sub">{_esc(subtitle)}</p>'
            '<dl class="facts">' + "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in facts) + "</dl></header>"
            '<section class="charts"><figure><figcaption>成绩分布（份数）</figcaption>'
            + _histogram_svg(score_bands(totals, full))
            + '<p class="legend">每档含下限、不含上限；0 分和满分各自单独一档。平均分、中位数按全部作业算'
              '（没能批改的作业记 0 分）。</p></figure>'
              '<figure><figcaption>每道题的正确率</figcaption>' + _share_svg(questions, per_question, submitted)
            + '<p class="legend"><span class="key" style="background:var(--right)"></span>答对'
              '<span class="key" style="background:var(--tried)"></span>作答但没答对'
              '<span class="key" style="background:var(--track)"></span>未作答；'
              '正确率 = 答对人数 ÷ 提交人数，括号里是 答对人数/作答人数。</p></figure></section>'
            '<h2>每道题的情况</h2><p class="legend">错误按检查给出的说明（第一句）归并；“占全班”是占提交份数的比例；'
            '未作答包括没能运行的作业。</p><div class="questions">'
            + "".join(_question_block(q, per_question, stats["mistakes"], submitted) for q in questions)
            + "</div>" + _attention(graded))
    footer = ("由 python -m helpers.course.grade 生成" + (f"；每份作业的得分和反馈见成绩表 {_esc(source)}" if source else "")
              + "。")
    shown = html.unescape(body + _esc(title))
    missing = sorted(ch for ch in set(shown) if ch not in _charmap() and not ch.isspace())
    if missing:
        footer += f"内嵌字体里没有这些字，由电脑上的中文字体显示：{_esc(''.join(missing))}。"
    body += f"<footer>{footer}</footer>"
    css = CSS % {"family": FONT_FAMILY, "fallback": FALLBACK_FONTS, "font": _font_subset(_page_chars(body + _esc(title)))}
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_esc(title)}</title>'
            f"<style>{css}</style></head><body>{body}</body></html>\n")


# ---------------------------------------------------------------------------
# 字体子集
# ---------------------------------------------------------------------------
def _page_chars(markup: str) -> str:
    """页面会显示的字符（标签里的字、转义后的字都算上，再加全部 ASCII 可打印字符），排好序。"""
    chars = set(markup) | set(html.unescape(markup)) | {chr(c) for c in range(0x20, 0x7F)}
    return "".join(sorted(ch for ch in chars if ch >= " "))


@lru_cache(maxsize=1)
def _charmap() -> frozenset:
    from fontTools.ttLib import TTFont

    with TTFont(FONT, lazy=True) as font:
        return frozenset(chr(c) for c in font["cmap"].getBestCmap())


@checked
def font_charmap() -> frozenset:
    """自带字体（helpers/fonts/NotoSansSC-CRM-subset.otf）里有字形的全部字符。"""
    return _charmap()


@lru_cache(maxsize=8)
def _font_subset(chars: str) -> str:
    """自带字体只保留 chars 里的字符，返回 OpenType 字体文件的 base64 文字（写进 @font-face）。

    去掉子程序（desubroutinize）反而更小也更快；保留 name 表（版权和 SIL OFL 许可证说明）。
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features, options.name_IDs, options.name_languages = [], ["*"], ["*"]
    options.desubroutinize, options.notdef_outline = True, True
    with TTFont(FONT, lazy=True, recalcBBoxes=False) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=chars)
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


# ---------------------------------------------------------------------------
# 写文件
# ---------------------------------------------------------------------------
@checked
def report_path(out: Path) -> Path:
    """班级报告放在成绩表旁边：成绩.xlsx（或 成绩.csv）→ 成绩_班级报告.html。"""
    out = Path(out)
    return out.with_name(f"{out.stem}_班级报告.html")


@checked
def write_class_report(graded: list, questions: list, out: Path, chapter: str | None = None, title: str = "") -> Path:
    """写出班级报告（UTF-8 的 .html），返回它的路径。out 是成绩表的路径，报告放在它旁边（见 report_path）。

    chapter 不给时取作业里最多的章节。
    """
    from collections import Counter

    graded = list(graded)
    if chapter is None:
        found = Counter(getattr(g.sub, "chapter", None) for g in graded if getattr(g, "sub", None) is not None)
        found.pop(None, None)
        chapter = found.most_common(1)[0][0] if found else ""
    path = report_path(out)
    page = class_report_html(graded, questions, chapter, title=title, source=Path(out).name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path

"""真浏览器里打开班级报告（helpers.course.report）：10 道题、30 份作业的一章。

- 用 file:// 打开写出的 HTML，每道题的标题都看得见；
- 内嵌的字体加载成功，页面上每一段文字实际都是用它画出来的（Chromium 开发者协议的
  CSS.getPlatformFontsForNode：没有一个字落到别的字体上，也就没有缺字的方框）；
- 没有任何请求离开本机（拦下一切不是 file: / data: 的请求，测试结束时清单必须是空的）；
- 截图存到 test-artifacts/class_report.png；打印成 A4 PDF（test-artifacts/class_report.pdf）只有 1～2 页。

用 Playwright 驱动 Debian 的 Chromium（/usr/bin/chromium，或环境变量 CRM_CHROMIUM），从不下载浏览器；
缺少浏览器时大声跳过（CI 上则失败）。启动方式和 tests/test_browser.py 相同。
"""
from __future__ import annotations

import contextlib
import random
import re
from pathlib import Path

import pytest
from browser import BROWSER_ARGS, CHROMIUM, need_browser

from helpers.course import grade as G
from helpers.course import report as R
from helpers.course.exercises import load_chapter

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHAPTER = "05"                     # 10 道题的一章
SUBMISSIONS = 30



def class_results(questions, n: int = SUBMISSIONS, seed: int = 5) -> list:
    """n 份合成的批改结果：每道题答对、犯这道题的某种误读（说明来自题目自己的误读清单）或没答；
    另有超时、出错、不是笔记本的作业，还有一个想注入脚本的姓名。"""
    rnd = random.Random(seed)
    graded = []
    for i in range(n):
        name = '<script>document.title="被注入"</script>' if i == 11 else f"学生{i:02d}"
        sub = G.Submission(path=Path(f"作业/{i:02d}.ipynb"), rel=f"{i:02d}.ipynb", data=b"", chapter=CHAPTER,
                           student=name)
        status = G.NOT_NOTEBOOK if i == 3 else G.ERROR if i == 11 else G.TIMEOUT if i == 19 else G.DONE
        results = []
        for q in questions if status in (G.DONE, G.TIMEOUT) else ():
            draw = rnd.random()
            kind = "right" if draw < 0.55 else "wrong" if draw < 0.9 and q.misreadings else "blank"
            message = (rnd.choice(q.misreadings[:4]).message + "。多了 2 位客户：C001、C002。" if kind == "wrong"
                       else "还没有作答" if kind == "blank" else "")
            results.append({"name": q.name, "title": q.title, "points": q.points, "message": message,
                            "score": q.points if kind == "right" else 0, "correct": kind == "right",
                            "answered": kind != "blank"})
        graded.append(G.Graded(sub, status, results, detail="" if status == G.DONE else f"{status}：<b>原因</b>"))
    return graded


@pytest.fixture(scope="module")
def browser_and_report(tmp_path_factory):
    """写出一份 10 道题的班级报告，启动一次 Chromium（本模块的测试共用）。"""
    need_browser()
    from playwright.sync_api import sync_playwright

    questions = list(load_chapter(CHAPTER).QUESTIONS)
    assert len(questions) == 10
    report = R.write_class_report(class_results(questions), questions, tmp_path_factory.mktemp("report") / "成绩.xlsx")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS, headless=True)
        try:
            yield browser, report, questions
        finally:
            browser.close()


@contextlib.contextmanager
def _offline_page(browser, left: list, failure_shot: str):
    """一个中文界面的页面：不是 file: / data: 的请求都记进 left 并拦掉；出错时先截图再抛出。"""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="zh-CN")

    def block_outside(route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            left.append(url)
            route.abort()

    context.route("**/*", block_outside)
    page = context.new_page()
    try:
        yield page
    except Exception:
        page.screenshot(path=str(ARTIFACTS / failure_shot), full_page=True)
        raise
    finally:
        context.close()


def _fonts_used(page, selector: str) -> dict:
    """选中的每个元素的文字实际用了哪些字体：{字体名: 字形数}（Chromium 开发者协议）。"""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    used: dict = {}
    for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]:
        for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
            key = (font["familyName"], font["isCustomFont"])
            used[key] = used.get(key, 0) + font["glyphCount"]
    return used


def test_class_report_in_real_browser(browser_and_report):
    browser, report, questions = browser_and_report
    left: list[str] = []
    with _offline_page(browser, left, "class_report_failure.png") as page:
        _check_report_page(page, report, questions)
    assert left == [], f"报告向外发出了请求：{left}"


def _check_report_page(page, report, questions) -> None:
    page.goto(report.as_uri(), wait_until="load")
    page.evaluate("document.fonts.ready")

    # 每道题的标题都看得见（标题里是完整的题目）
    for q in questions:
        heading = page.locator(f"#q-{q.name} h3")
        assert heading.is_visible(), f"{q.name} 的标题看不见"
        assert " ".join(q.title.split()) in heading.inner_text()
    assert page.locator("section.q").count() == len(questions)
    assert page.title() == "第 05 章班级报告"                      # 注入的脚本没有运行
    assert page.get_by_text('<script>document.title="被注入"</script>').is_visible()

    # 内嵌字体加载成功，而且每一段文字都只用了它（没有落到系统字体上的字，也就没有缺字）
    faces = page.evaluate("[...document.fonts].map(f => [f.family.replace(/\"/g, ''), f.status])")
    assert faces == [[R.FONT_FAMILY, "loaded"]]
    assert page.evaluate(f"document.fonts.check('14px \"{R.FONT_FAMILY}\"', document.body.innerText)")
    used = _fonts_used(page, "h1, h2, h3, p, dt, dd, th, td, figcaption, footer, svg text, tspan, span")
    assert used and all(custom for _, custom in used), f"有文字没有用内嵌字体画出来：{used}"
    assert sum(used.values()) > 1000

    page.screenshot(path=str(ARTIFACTS / "class_report.png"), full_page=True)
    pdf = page.pdf(path=str(ARTIFACTS / "class_report.pdf"), format="A4", print_background=True,
                   prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert 1 <= pages <= 2, f"打印出来是 {pages} 页，10 道题的一章应在 1～2 页以内"


def test_print_layout_is_two_columns_and_keeps_each_question_together(browser_and_report):
    """打印样式：A4 宽度上两栏，每道题的方框 break-inside: avoid（分栏、分页都不把一道题切开）。

    连续的屏幕布局里没有“页”，所以这里检查打印样式真的生效了；分页本身由上一个测试的 PDF 页数
    和人工看过的 test-artifacts/class_report.pdf 把关。"""
    browser, report, questions = browser_and_report
    with _offline_page(browser, [], "class_report_print_failure.png") as page:
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 703, "height": 1000})       # A4 去掉左右边距的宽度（186 毫米）
        page.goto(report.as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready")
        assert page.evaluate("getComputedStyle(document.querySelector('.questions')).columnCount") == "2"
        breaks = page.evaluate("[...document.querySelectorAll('section.q')].map(e => getComputedStyle(e).breakInside)")
        assert breaks == ["avoid"] * len(questions)
        # 两栏都用上了，每道题都整个落在一栏里
        lefts = page.evaluate("[...document.querySelectorAll('section.q')].map(e => e.getClientRects().length === 1"
                              " ? Math.round(e.getBoundingClientRect().left) : -1)")
        assert -1 not in lefts and len(set(lefts)) == 2

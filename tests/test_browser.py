"""真浏览器测试：在 JupyterLab（中文界面）里打开笔记本、运行全部单元格，再动一动小部件。

- 02 号：在自定义分组表单里改“订单总数”，人数应变成 Segment(...).select 算出的数；
- 12 号：把活动效果探索器的滑块往右拨一格，累计增量销售额应变成 effect_over_time 算出的数；
- 讲课模式（Voilà）：从章节目录点开 02、07 号，看不到代码和报错；分组表单、RFM 探索器照样能改。

用 Playwright 驱动 Debian 的 Chromium（/usr/bin/chromium，或环境变量 CRM_CHROMIUM），
从不下载浏览器。截图保存在 test-artifacts/。缺少浏览器时大声跳过（CI 上则失败）。
"""
from __future__ import annotations

import ast
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser import BROWSER_ARGS, CHROMIUM, free_port, need_browser

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "02_客户分组_母亲节.ipynb"
EFFECT_NOTEBOOK = "12_客户生命周期与营销效果.ipynb"
ARTIFACTS = ROOT / "test-artifacts"




def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read().decode("utf-8"))


@pytest.fixture
def lab(tmp_path):
    """在临时目录里启动 JupyterLab（自己的进程组、无令牌、只听 127.0.0.1），测试结束后连同子进程一起停掉。"""
    need_browser()
    work = tmp_path / "work"
    work.mkdir()
    for name in (NOTEBOOK, EFFECT_NOTEBOOK):   # 在副本上操作：自动保存不会改动仓库里的笔记本
        shutil.copy(ROOT / "notebooks" / name, work / name)
    settings = tmp_path / "user-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # 关掉“只渲染屏幕内单元格”，这样不用滚动也能找到小部件
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    env = dict(os.environ, HOME=str(tmp_path / "home"), JUPYTER_CONFIG_DIR=str(tmp_path / "jcfg"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "jrt"), IPYTHONDIR=str(tmp_path / "ipy"),
               MPLCONFIGDIR=str(tmp_path / "mpl"), JUPYTER_PLATFORM_DIRS="1")
    env.pop("MPLBACKEND", None)
    port = free_port()
    log = open(tmp_path / "lab.log", "w")
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
           "--IdentityProvider.token=", "--ServerApp.password=", "--allow-root",
           f"--ServerApp.root_dir={work}", f"--LabApp.user_settings_dir={tmp_path / 'user-settings'}",
           "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                _get_json(base + "/api/status")
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("JupyterLab 60 秒内没有启动：\n" + (tmp_path / "lab.log").read_text())
        yield base, work
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def _builder_segment():
    """从笔记本源码算出表单初始的分组：找到 segment_builder(summary, X)，X 是 Segment(...) 或前面赋值过的变量。"""
    import helpers

    cells = json.loads((ROOT / "notebooks" / NOTEBOOK).read_text(encoding="utf-8"))["cells"]
    sources = ["\n".join(line for line in "".join(c["source"]).splitlines() if not line.lstrip().startswith(("%", "!")))
               for c in cells if c["cell_type"] == "code"]
    assignments, call = {}, None
    for tree in map(ast.parse, sources):
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                assignments[node.targets[0].id] = node.value
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "segment_builder":
                call = node
    assert call is not None and len(call.args) >= 2, f"{NOTEBOOK} 里应有 segment_builder(summary, 分组)"
    arg = call.args[1]
    if isinstance(arg, ast.Name):
        arg = assignments[arg.id]
    namespace = {name: getattr(helpers, name) for name in helpers.__all__}
    return eval(compile(ast.Expression(arg), NOTEBOOK, "eval"), namespace)


def _kernel_idle(base: str) -> bool:
    kernels = _get_json(base + "/api/kernels")
    return bool(kernels) and all(k["execution_state"] == "idle" for k in kernels)


@contextlib.contextmanager
def _browser_page(failure_shot: str):
    """打开一个中文界面的 Chromium 页面；出错时先截图（test-artifacts/ 下的 failure_shot）再抛出。"""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        try:
            yield page
        except Exception:
            page.screenshot(path=str(ARTIFACTS / failure_shot))
            raise
        finally:
            browser.close()


def _open_and_run_all(page, base: str, notebook: str) -> None:
    """在 JupyterLab 里打开笔记本，确认界面是中文，等内核就绪后“运行所有单元格”。"""
    page.goto(f"{base}/lab/tree/{notebook}", wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    page.get_by_role("menuitem", name="文件").first.wait_for(timeout=30_000)   # 菜单栏是中文
    deadline = time.monotonic() + 60
    while not _kernel_idle(base):
        assert time.monotonic() < deadline, "内核 60 秒内没有就绪"
        time.sleep(0.5)
    page.get_by_role("menuitem", name="运行").first.click()
    page.get_by_role("menuitem", name=re.compile("运行所有单元格|运行全部单元格")).first.click()


def _segment_counts() -> tuple[int, int, int]:
    """(改成的订单总数, 表单一开始的人数, 改了以后应有的人数)：都用 Segment(...).select 算出。"""
    from helpers import Segment, load_shop

    start = _builder_segment()
    summary = load_shop("a_kids").summary()
    initial = len(start.select(summary))
    changed = dict(start.rules, min_orders=(start.min_orders or 0) + 1)
    expected = len(Segment(start.name, start.description, **changed).select(summary))
    assert expected != initial, "改动后的人数应该不同，否则测试看不出表单是否生效"
    return changed["min_orders"], initial, expected


def _change_min_orders(page, min_orders: int, initial: int, expected: int) -> str:
    """等表单显示一开始的人数，把“订单总数”改成 min_orders，等人数变成 expected，返回人数那一行的文字。"""
    count = page.locator(".crm-segment-count").first
    count.scroll_into_view_if_needed()
    page.wait_for_function(
        "n => { const el = document.querySelector('.crm-segment-count');"
        " return el && el.textContent.includes(n); }", arg=f"{initial:,} 位", timeout=60_000)
    field = page.locator(".widget-text", has_text="订单总数").locator("input").first
    field.scroll_into_view_if_needed()
    field.fill(str(min_orders))
    field.press("Tab")
    page.wait_for_function("n => document.querySelector('.crm-segment-count').textContent.includes(n)",
                           arg=f"{expected:,} 位", timeout=30_000)
    return count.text_content()


def test_segment_builder_in_real_browser(lab):
    base, work = lab
    min_orders, initial, expected = _segment_counts()

    with _browser_page("browser_02_failure.png") as page:
        _open_and_run_all(page, base, NOTEBOOK)
        page.locator(".crm-segment-count").first.wait_for(state="attached", timeout=180_000)
        text = _change_min_orders(page, min_orders, initial, expected)
        page.screenshot(path=str(ARTIFACTS / "browser_02_segment_builder.png"), full_page=False)
    assert f"{expected:,} 位" in text


def test_effect_explorer_in_real_browser(lab):
    from helpers import load_shop
    from helpers.effect import effect_over_time

    base, _ = lab
    shop = load_shop("xiayi", today="2019-02-16")
    table = effect_over_time(shop.campaign_members, shop.orders, shop.campaigns["send_time"].iloc[0], days=60)
    before, after = (f"前 {d} 天累计增量销售额 {table.loc[d, '累计增量销售额（元）']:,.2f} 元" for d in (2, 3))

    with _browser_page("browser_12_failure.png") as page:
        _open_and_run_all(page, base, EFFECT_NOTEBOOK)
        result = page.locator(".crm-effect-result").first
        result.wait_for(state="attached", timeout=180_000)
        result.scroll_into_view_if_needed()
        page.wait_for_function("t => document.querySelector('.crm-effect-result').textContent.includes(t)",
                               arg=before, timeout=60_000)
        handle = page.locator(".widget-slider", has_text="看发送后几天").locator(".noUi-handle").first
        handle.focus()
        handle.press("ArrowRight")      # 滑块往右一格：第 2 天 → 第 3 天
        page.wait_for_function("t => document.querySelector('.crm-effect-result').textContent.includes(t)",
                               arg=after, timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "browser_12_effect_explorer.png"), full_page=False)


# ---------------------------------------------------------------------------
# 讲课模式（python -m helpers.course.present，Voilà）：不露代码，表单和探索器照样能拖
# ---------------------------------------------------------------------------
RFM_NOTEBOOK = "07_RFM与PGSB客户分级.ipynb"
LESSON_CODE = "builder = segment_builder(summary, "          # 02 号里建表单的那行代码：讲课模式不应显示
PYTHON_ERROR = re.compile(r"Traceback|\w+(Error|Exception): |There was an error")


@pytest.fixture
def lesson_mode(tmp_path):
    """像老师一样启动讲课模式（python -m helpers.course.present --no-browser，自己的进程组），
    放映 02、07 号的副本；测试结束后连同内核一起停掉。"""
    need_browser()
    from helpers.course.present import running

    lessons = tmp_path / "lessons"
    lessons.mkdir()
    for name in (NOTEBOOK, RFM_NOTEBOOK):
        shutil.copy(ROOT / "notebooks" / name, lessons / name)
    with open(tmp_path / "present.log", "w") as log:
        try:
            with running(free_port(), notebooks=lessons, log=log, timeout=90) as base:
                yield base
        except RuntimeError as exc:
            pytest.fail(f"{exc}\n" + (tmp_path / "present.log").read_text())


def _open_lesson(page, base: str, chapter: str, ready: str) -> None:
    """从章节目录点开一章（“第 02 章”），等到 ready 选中的小部件出现；确认没有代码、没有报错。"""
    page.goto(base + "/", wait_until="load")
    page.get_by_text(f"第 {chapter} 章").click()
    page.locator(ready).first.wait_for(state="attached", timeout=180_000)
    page.wait_for_selector("#loading", state="detached", timeout=60_000)
    code = page.locator(".jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor, .jp-InputPrompt, .jp-OutputPrompt")
    assert code.count() == 0, "讲课模式不应显示代码格"
    text = page.locator("body").inner_text()
    assert not PYTHON_ERROR.search(text), f"页面上有报错：{PYTHON_ERROR.search(text).group(0)}"
    assert page.locator(".crm-cell-error").count() == 0, "有的格子运行出错了"
    assert "正在运行" not in text and "Executing" not in text


def test_lesson_mode_hides_code_and_the_segment_form_still_works(lesson_mode):
    min_orders, initial, expected = _segment_counts()

    with _browser_page("present_02_failure.png") as page:
        _open_lesson(page, lesson_mode, "02", ".crm-segment-count")
        assert LESSON_CODE not in page.locator("body").inner_text()
        text = _change_min_orders(page, min_orders, initial, expected)
        page.screenshot(path=str(ARTIFACTS / "present_02_segment_builder.png"))
        assert f"{expected:,} 位" in text


def _level_counts(text: str) -> list[int]:
    """RFM 探索器右边“各等级人数”一段里的人数（P、G、S、B 的顺序）。"""
    part = text.split("各等级人数", 1)[1].split("消费金额占比", 1)[0]
    return [int(n.replace(",", "")) for n in re.findall(r"([\d,]+) 人", part)]


def test_lesson_mode_rfm_explorer_follows_the_weights(lesson_mode):
    from helpers import load_shop, rfm_score
    from helpers.rfm import TEXTBOOK_LEVELS, TEXTBOOK_WEIGHTS

    shop = load_shop("xiayi")
    order = [name for _, name in TEXTBOOK_LEVELS]

    def counts(weights):
        levels = rfm_score(shop.orders, shop.today, weights=weights)["level"].astype(str)
        return levels.value_counts().reindex(order, fill_value=0).tolist()

    changed_weights = (TEXTBOOK_WEIGHTS[0] + 2,) + tuple(TEXTBOOK_WEIGHTS[1:])
    before, after = counts(TEXTBOOK_WEIGHTS), counts(changed_weights)
    assert before != after, "改权重后人数应该不同，否则测试看不出探索器是否生效"

    with _browser_page("present_07_failure.png") as page:
        _open_lesson(page, lesson_mode, "07", ".crm-rfm-chart")
        chart = page.locator(".crm-rfm-chart").first
        chart.scroll_into_view_if_needed()
        page.wait_for_function("() => document.querySelector('.crm-rfm-chart').textContent.includes('各等级人数')",
                               timeout=60_000)
        shown_before = chart.text_content()
        assert _level_counts(shown_before) == before
        weights_row = page.locator(".widget-hbox").filter(has_text="权重 R/F/M").filter(has_not_text="分值")
        weight_r = weights_row.locator("input").first      # 只有“权重”这一行（外面那层也含评分表的“分值”）
        weight_r.fill(str(changed_weights[0]))
        weight_r.press("Tab")
        # 改之前的文字要在改之前取：内核很快时，图在下一行取文字之前就已经变了
        page.wait_for_function("t => !document.querySelector('.crm-rfm-chart').textContent.includes(t)",
                               arg=shown_before, timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "present_07_rfm_explorer.png"))
        assert _level_counts(chart.text_content()) == after

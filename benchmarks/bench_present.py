"""基准：讲课模式（python -m helpers.course.present，Voilà）里每一章打开要几秒。

Voilà 每打开一次页面就从头运行一遍这一课，所以“打开一章”= 启动内核 + 运行全部格子（服务器）+ 浏览器显示
表格、图表和小部件。这里开一个讲课模式，用无界面的 Chromium 依次打开 00–13 章，从开始跳转计时，到页面
完全显示为止：等待画面消失、全部格子的输出都已显示、每个小部件都画了出来。超过 5 秒的章节标出“偏慢”。

运行：make bench（或 python benchmarks/bench_present.py [--repeat 3] [章节号 …]）。
需要 Debian 的 Chromium（/usr/bin/chromium，或环境变量 CRM_CHROMIUM）和 playwright，从不下载浏览器。
机器忙时数字会抖动：--repeat 3 每章打开三次，打印最快和中位数。
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LIMIT_S = 5.0
CHROMIUM = os.environ.get("CRM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# 在页面里记下 Voilà 送来的每一个小部件输出（这些 <script> 显示后就被删掉，所以要边来边数）。
COUNT_WIDGETS = """
window.crmWidgetOutputs = 0;
new MutationObserver(records => {
  for (const r of records) for (const n of r.addedNodes) {
    if (n.nodeName === 'SCRIPT' && n.type === 'application/vnd.voila.cell-output+json'
        && n.textContent.includes('application/vnd.jupyter.widget-view+json')) window.crmWidgetOutputs += 1;
  }
}).observe(document, {childList: true, subtree: true});
"""
# 完全显示：等待画面没了、没有还没显示的输出、每个小部件输出都有了画出来的小部件。
RENDERED = """() => document.readyState === 'complete' && !document.getElementById('loading')
  && !document.querySelector('script[type="application/vnd.voila.cell-output+json"]')
  && document.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets').length >= window.crmWidgetOutputs"""
# 服务器把整页送完（全部格子运行完）的时刻，从开始跳转算起
SERVER_DONE = "() => performance.getEntriesByType('navigation')[0].responseEnd / 1000"


def chapters(wanted=()) -> list[Path]:
    found = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    return [p for p in found if not wanted or p.name[:2] in wanted]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def open_chapter(page, base: str, name: str) -> dict:
    """打开一章，返回 {总秒数, 服务器秒数, 小部件数, 出错格数}。"""
    from urllib.parse import quote

    start = time.monotonic()
    page.goto(f"{base}/voila/render/{quote(name)}", wait_until="commit", timeout=300_000)
    page.wait_for_function(RENDERED, timeout=300_000, polling=50)
    total = time.monotonic() - start
    return {"total": total, "server": page.evaluate(SERVER_DONE),
            "widgets": page.evaluate("window.crmWidgetOutputs"),
            "errors": page.evaluate("() => [...document.querySelectorAll('.crm-cell-error')]"
                                    ".map(e => Number(e.closest('[cell-index]').getAttribute('cell-index')) - 1)")}


def pad(text: str, width: int) -> str:
    """按显示宽度补空格（一个汉字占两格），让表格对齐。"""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - shown, 0)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description="讲课模式里每一章打开要几秒")
    parser.add_argument("--repeat", type=int, default=1, help="每章打开几次（默认 1）")
    parser.add_argument("--preheat", default="", help="讲课模式提前运行好这几章（例如 02,07），看打开快了多少")
    parser.add_argument("--warmup", type=float, default=60, help="用 --preheat 时先等几秒，让提前运行做完（默认 60）")
    parser.add_argument("chapters", nargs="*", help="只测这些章节号，例如 02 07")
    args = parser.parse_args([] if argv is None else argv)
    if not Path(CHROMIUM).exists():
        print(f"跳过：没有找到 Chromium（{CHROMIUM}）。Debian/Ubuntu：sudo apt-get install -y chromium fonts-wqy-microhei")
        return {}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("跳过：没有安装 playwright（pip install -e \".[dev]\"）。")
        return {}
    from helpers.course.present import running

    results = {}
    extra = [f"--preheat={args.preheat}"] if args.preheat else []
    with running(free_port(), extra=extra) as base, sync_playwright() as p:
        if args.preheat:
            time.sleep(args.warmup)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        context.add_init_script(COUNT_WIDGETS)
        page = context.new_page()
        page.goto(base + "/", wait_until="load")          # 先打开章节目录，和老师一样（也让浏览器缓存好脚本）
        for path in chapters(tuple(args.chapters)):
            runs = [open_chapter(page, base, path.name) for _ in range(args.repeat)]
            results[path.name] = runs
        browser.close()

    print(pad("章节", 30) + "".join(pad(h, 14) for h in ("最快（秒）", "中位（秒）", "其中运行格子", "小部件", "出错格"))
          + "状态")
    for name, runs in results.items():
        totals = [r["total"] for r in runs]
        errors = max(len(r["errors"]) for r in runs)
        median = statistics.median(totals)
        flag = "出错" if errors else ("偏慢" if median > LIMIT_S else "通过")
        cells = (f"{min(totals):.2f}", f"{median:.2f}", f"{min(r['server'] for r in runs):.2f}",
                 str(runs[0]["widgets"]), str(errors))
        print(pad(name[:-6].replace("_", " "), 30) + "".join(pad(c, 14) for c in cells) + flag)
    for name, runs in results.items():
        cells = sorted({i for r in runs for i in r["errors"]})
        if cells:
            print(f"{name[:2]} 章出错的格子（从 0 数）：{cells}；用 --show_tracebacks=True 开讲课模式可以看到原因")
    slow = [name[:2] for name, runs in results.items() if statistics.median(r["total"] for r in runs) > LIMIT_S]
    print(f"超过 {LIMIT_S:g} 秒的章节：{'、'.join(slow) if slow else '没有'}"
          f"（“其中运行格子”是服务器启动内核、运行全部格子、送完整页的时间；其余是浏览器显示小部件）")
    return results


if __name__ == "__main__":
    main(sys.argv[1:])

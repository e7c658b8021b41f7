"""真浏览器测试共用的东西：找 Chromium、启动参数、缺浏览器时大声跳过（CI 上失败）、找一个空闲端口。

用 Playwright 驱动 Debian 的 Chromium（/usr/bin/chromium，或环境变量 CRM_CHROMIUM），从不下载浏览器。
"""
from __future__ import annotations

import os
import shutil
import socket
import sys
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CRM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# 这台机器（和 CI）不能上网：关掉 Chromium 启动时的各种后台联网，否则会一直被拒绝连接
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def need_browser():
    """没有 Chromium 或 playwright 时跳过这个测试，并大声说明怎么装；CI 上则让测试失败。"""
    if not Path(CHROMIUM).exists():
        message = ("\n" + "!" * 70 + f"\n!! 没有找到 Chromium（{CHROMIUM}），浏览器测试被跳过。\n"
                   "!! Debian/Ubuntu：sudo apt-get install -y chromium fonts-wqy-microhei\n" + "!" * 70)
        print(message, file=sys.stderr)
        if os.environ.get("CI"):
            pytest.fail("CI 上必须能运行浏览器测试：" + message)
        pytest.skip(message)
    pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import pytest


def make_orders(rows):
    """rows: (customer_id, order_time, amount) 三元组；订单号按顺序编号。"""
    return pd.DataFrame(
        [(str(i + 1), c, t, a) for i, (c, t, a) in enumerate(rows)],
        columns=["order_id", "customer_id", "order_time", "amount"],
    )


@pytest.fixture
def customers():
    return pd.DataFrame({
        "customer_id": ["A", "B", "C", "D"],
        "gender": ["女", "男", "女", "女"],
        "province": ["上海", "浙江", "上海", "广东"],
        "city": ["上海", "杭州", "上海", "深圳"],
        "occupation": ["教师", "医生", "学生", "医生"],
        "points": [10, 0, 1, 3],
        "phone": ["13812345678", "139****0000", None, "13700001111"],
        "email": ["linxiao@163.com", None, "ab@qq.com", "x***@126.com"],
    })


@pytest.fixture(scope="session")
def xiayi():
    """夏艺女装（整个测试过程只加载一次；测试不得修改它）。"""
    from helpers import load_shop

    return load_shop("xiayi")


@pytest.fixture(scope="session")
def health():
    """**保健品专卖（整个测试过程只加载一次；测试不得修改它）。"""
    from helpers import load_shop

    return load_shop("health")


def check_answer(module, name, value, **extra):
    """把 value 作为某章第 name 题的答案，检查并返回 Result（extra 是练习本里的其他变量）。"""
    ns = dict(extra)
    question = next(q for q in module.setup(ns) if q.name == name)
    ns[question.variables[0]] = value
    return question.result()


def wrong_message(module, name, value, **extra) -> str:
    """断言这是一个“答了但答错”的答案，返回它得到的反馈。"""
    res = check_answer(module, name, value, **extra)
    assert not res.correct and res.answered, f"{module.CHAPTER} {name}：这个错误答案被判成了正确或未作答：{value!r}"
    return res.message


def right_answer(module, name, value, **extra):
    """断言这是正确答案。"""
    res = check_answer(module, name, value, **extra)
    assert res.correct and res.answered, res.message
    return res


@pytest.fixture
def smtp_server():
    """在 127.0.0.1 的空闲端口上启动 aiosmtpd：start(handler) 返回端口；测试结束时全部关闭（邮件发送的测试共用）。"""
    from aiosmtpd.controller import Controller

    controllers = []

    def start(handler):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return port

    yield start
    for controller in controllers:
        controller.stop()


# ---------------------------------------------------------------------------
# 批量评分的几次批改在后台同时进行
# ---------------------------------------------------------------------------
class BackgroundGrading:
    """test_course、test_grade、test_grade_integrity 各有一次批改：几十本笔记本，大部分时间在等内核启动、
    等超时的作业，单线程的 pytest 只用得上一个核。收集完测试后，选中的测试里用到 grading 的模块，
    它的 run_grading(临时目录, on_stop) 就在后台线程里开始，和其余测试同时进行；用到结果的 fixture
    调用 grading(模块) 等它结束。各模块检查的内容不变，只是不再排队等。

    先同时开始 GRADING_ORDER = 0 的（命令行批改：作业少，多半时间在等超时），它们都结束后再开始
    GRADING_ORDER = 1 的（全部章节的参考答案：一直在算）。有测试先要结果时，立即开始。"""

    def __init__(self):
        self.base: Path | None = None
        self.runs: dict[str, dict] = {}
        self.stoppers: list = []
        self.stopping = False
        self.lock = threading.Lock()

    def start(self, module) -> None:
        name = module.__name__
        with self.lock:
            if name in self.runs or self.stopping:
                return
            if self.base is None:
                self.base = Path(tempfile.mkdtemp(prefix="crm-test-grading-"))
            box = self.runs[name] = {"done": threading.Event()}
        folder = self.base / name.rsplit(".", 1)[-1]
        folder.mkdir()

        def target():
            try:
                box["value"] = module.run_grading(folder, self.stoppers.append)
            except BaseException as exc:  # noqa: BLE001 - 交给等结果的测试报告
                box["error"] = exc
            finally:
                box["done"].set()

        threading.Thread(target=target, name=f"grading-{name}", daemon=True).start()

    def result(self, module):
        self.start(module)
        box = self.runs[module.__name__]
        box["done"].wait()
        if "error" in box:
            raise box["error"]
        return box["value"]

    def stop(self) -> None:
        """测试提前结束时，结束还在进行的批改（还没开始的不再开始）；删除临时目录。"""
        with self.lock:
            self.stopping = True
        for stop in self.stoppers:
            try:
                stop()
            except Exception:  # noqa: BLE001
                pass
        for box in self.runs.values():
            box["done"].wait(30)
        if self.base is not None:
            shutil.rmtree(self.base, ignore_errors=True)

    def start_in_order(self, modules) -> None:
        waves: dict[int, list] = {}
        for module in modules:
            waves.setdefault(getattr(module, "GRADING_ORDER", 0), []).append(module)

        def run():
            for order in sorted(waves):
                for module in waves[order]:
                    self.start(module)
                for module in waves[order]:
                    if module.__name__ in self.runs:
                        self.runs[module.__name__]["done"].wait()

        threading.Thread(target=run, name="grading-order", daemon=True).start()


BACKGROUND = BackgroundGrading()


def pytest_collection_finish(session):
    if session.config.option.collectonly:
        return
    modules = {}
    for item in session.items:
        module = getattr(item, "module", None)
        if module is not None and hasattr(module, "run_grading") and "grading" in getattr(item, "fixturenames", ()):
            modules[module.__name__] = module
    if modules:
        BACKGROUND.start_in_order(modules.values())


def pytest_sessionfinish(session):
    BACKGROUND.stop()


@pytest.fixture(scope="session")
def grading():
    """grading(模块) → 这个模块的 run_grading 的结果（收集完测试就在后台开始了，这里等它结束）。"""
    return BACKGROUND.result


def run_cli(args, cwd, on_stop, env=None, timeout=400):
    """在子进程里运行 python -m helpers.course.grade …，返回 (CompletedProcess, 用时秒数)。
    on_stop 收到一个函数：测试提前结束时调用它，像 Ctrl+C 一样打断这次批改。"""
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "helpers.course.grade", *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")

    def interrupt():
        if proc.poll() is None:
            if os.name == "posix":
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
            else:  # pragma: no cover - Windows
                proc.kill()

    on_stop(interrupt)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        interrupt()
        raise
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), time.monotonic() - start

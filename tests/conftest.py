import socket

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

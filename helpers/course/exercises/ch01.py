"""第 01 章“认识电商 CRM”的填数题计算（本章只有章节测试，没有练习本）。

helpers/course/quizzes/ch01.json 里的填数题写成 "helpers.course.exercises.ch01:函数名"，
检查答案时才调用这里的函数从数据算出正确答案，从不写死数字。
"""
from __future__ import annotations

from functools import lru_cache

from ...data import load_shop
from ...summary import top_share


@lru_cache(maxsize=None)
def _buyers(shop: str):
    """一家店铺下过单的客户（截至这家店的“今天”）。"""
    summary = load_shop(shop).summary()
    return summary[summary["order_count"] > 0]


def top20_share_a_kids() -> float:
    """A店铺：消费金额前 20% 的买家贡献了全部销售额的多少（0 到 1 之间的小数）。"""
    return float(top_share(_buyers("a_kids")["total_amount"], 0.2))


def repurchase_rate_health() -> float:
    """保健品专卖的二次购买率：下过 2 笔及以上订单的买家 ÷ 全部买家（0 到 1 之间的小数）。"""
    buyers = _buyers("health")
    return float((buyers["order_count"] >= 2).mean())

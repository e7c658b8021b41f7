"""按需生成大店铺（只用于基准测试，不提交到仓库）：15 万客户、100 万订单。"""
from __future__ import annotations

import numpy as np
import pandas as pd


def big_orders(n_customers: int = 150_000, n_orders: int = 1_000_000, seed: int = 7,
               start: str = "2017-06-01", end: str = "2018-12-10") -> pd.DataFrame:
    """生成订单表：字符串客户编号、帕累托式的购买频次、两位小数的金额。"""
    rng = np.random.RandomState(seed)
    weights = rng.pareto(1.5, n_customers) + 1
    customer_idx = rng.choice(n_customers, size=n_orders, p=weights / weights.sum())
    customer_idx[:n_customers] = np.arange(n_customers)  # 每位客户至少一单
    span = int((pd.Timestamp(end) - pd.Timestamp(start)).total_seconds())
    seconds = rng.randint(0, span, size=n_orders)
    fen = rng.lognormal(mean=np.log(30_000), sigma=0.8, size=n_orders).astype("int64") + 1
    return pd.DataFrame({
        "order_id": pd.Series(np.arange(n_orders) + 10**15).astype(str),
        "customer_id": pd.Series(customer_idx).map("C{:07d}".format),
        "order_time": pd.Timestamp(start) + pd.to_timedelta(seconds, unit="s"),
        "amount": fen / 100,
    })

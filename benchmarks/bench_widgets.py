"""基准：各章小部件在最大的教学店铺（夏艺女装）上每次改动的刷新耗时；另测真实大店的规模
（15 万客户、100 万笔订单、约 150 万行明细，按需生成，见 bench_sql.generate）上的分组表单、VIP 等级编辑器
和 RFM 探索器。

要求：每次刷新 < 0.1 秒（100 毫秒），大店上建表单 ≤ 0.5 秒。运行：make bench（或 python benchmarks/bench_widgets.py）。
教学店铺用的是文件里的全部数据（夏艺女装到 2019-02-15，即第 12 章的视角），比各章默认的 2018-12-10 还多一些。
"""
from __future__ import annotations

import statistics
import time

from helpers import SHOPS, Segment, load_shop
from helpers.widgets import rfm_explorer, segment_builder, sms_composer, vip_editor
from helpers.widgets.effect import EffectExplorer
from helpers.widgets.lifecycle import lifecycle_explorer
from helpers.widgets.operations import date_range_report
from helpers.widgets.products import AbcExplorer

LIMIT_MS = 100


def timed(label: str, changes) -> float:
    """依次执行每个改动（每个改动会触发小部件刷新），打印中位数和最大耗时（毫秒）。"""
    times = []
    for change in changes:
        start = time.perf_counter()
        change()
        times.append((time.perf_counter() - start) * 1000)
    worst = max(times)
    flag = "通过" if worst < LIMIT_MS else "超时"
    print(f"{label:<14} 中位 {statistics.median(times):6.1f} 毫秒  最大 {worst:6.1f} 毫秒  {flag}")
    return worst


def main() -> float:
    shop = load_shop("xiayi", today=SHOPS["xiayi"].latest_today)
    summary = shop.summary()
    print(f"店铺：{shop.title}，客户 {len(summary):,} 位，订单 {len(shop.orders):,} 笔")
    worst = []

    builder = segment_builder(summary, Segment("测试", min_orders=2, gender="女"))
    products = list(builder.products.options)
    worst.append(timed("自定义分组表单", [
        lambda v=v: setattr(builder.min_orders, "value", v) for v in ["1", "2", "3", "5", "2"]
    ] + [
        lambda p=p: setattr(builder.products, "value", (p,)) for p in products[:5]
    ] + [
        lambda r=r: setattr(builder.regions, "value", (r,)) for r in list(builder.regions.options)[:5]
    ]))

    audience = Segment("老客", min_orders=2).select(summary)
    composer = sms_composer(audience, shop.title, "{昵称}您好，")
    worst.append(timed("短信编辑器", [
        lambda n=n: setattr(composer.text, "value", "{昵称}您好，" + "冬季新款大衣上新" * n) for n in range(1, 11)
    ]))

    editor = vip_editor(summary)
    worst.append(timed("VIP等级编辑器", [
        lambda v=v: setattr(editor.rows[0][1], "value", v) for v in [100.0, 120.0, 150.0, 99.0, 100.0]
    ] + [
        lambda v=v: setattr(editor.rows[3][2], "value", v) for v in [20, 25, 30, 20]
    ]))

    explorer = rfm_explorer(shop.orders, shop.today)
    worst.append(timed("RFM探索器", [
        lambda v=v: setattr(explorer.weight_cells[2], "value", v) for v in [4, 5, 6, 4]
    ] + [
        lambda v=v: setattr(explorer.table_cells[0][2], "value", v) for v in [2000, 2500, 3000, 2000]
    ]))
    from helpers.audience import audience_table
    from helpers.widgets.audience import attribute_crosser
    from helpers.widgets.giftpack import gift_pack_editor
    from helpers.operations import order_facts
    from helpers.products_analysis import product_sales

    report = date_range_report(order_facts(shop.orders, shop.items, shop.products), "2018-10-01", "2018-11-30")
    worst.append(timed("日期范围报表", [
        lambda f=f: setattr(report.freq, "value", f) for f in list(report.freq.options) * 2
    ]))

    crosser = attribute_crosser(audience_table(shop.customers, shop.orders, shop.today), "年龄段", "会员等级", "客户数")
    worst.append(timed("属性交叉表", [
        lambda r=r: setattr(crosser.row, "value", r) for r in list(crosser.row.options)[:6]
    ]))

    pack = gift_pack_editor(existing_denominations=range(1, 50))
    worst.append(timed("新会员礼包编辑器", [
        lambda v=v: setattr(pack.rows[0][1], "value", v) for v in [5.0, 55.0, 120.0, 99.5, 5.0]
    ]))

    explorer = AbcExplorer(product_sales(shop.orders, shop.items, as_of=shop.today)["sales"])
    worst.append(timed("ABC分类探索器", [
        lambda v=v: setattr(explorer.a_edge, "value", v) for v in [0.6, 0.65, 0.7, 0.75, 0.8]
    ]))

    life = lifecycle_explorer(shop.customers, shop.orders, shop.today)
    worst.append(timed("生命周期探索器", [
        lambda v=v: setattr(life.active_days, "value", v) for v in [30, 60, 120, 180, 90]
    ] + [
        lambda v=v: setattr(life.loyal_orders, "value", v) for v in [2, 4, 5, 3]
    ]))
    campaign = shop.campaigns.iloc[0]
    effect = EffectExplorer(shop.campaign_members, shop.orders, campaign["send_time"], cost=11910.60, coupon_value=30)
    worst.append(timed("活动效果探索器", [
        lambda v=v: setattr(effect.days, "value", v) for v in [1, 7, 14, 30, 60, 2]
    ]))
    return max(worst)


def big_shop(n_orders: int = 1_000_000) -> dict:
    """15 万客户的大店：分组表单（含商品范围规则）、VIP 等级编辑器、RFM 探索器，建的耗时和每次刷新的耗时。

    返回 {"build": 建分组表单, "segment": 分组表单最慢一次刷新, "vip": …, "rfm": …}（毫秒）。"""
    import pandas as pd

    import bench_sql
    from helpers import customer_summary

    folder = bench_sql.generate(n_orders)
    orders, items, customers = (pd.read_parquet(folder / f"{name}.parquet") for name in ("orders", "items", "customers"))
    customers["city"] = customers["province"]
    summary = customer_summary(orders, items, customers)
    print(f"大店：客户 {len(summary):,} 位，订单 {len(orders):,} 笔，明细 {len(items):,} 行")
    product = summary["products"].explode().value_counts().index[0]
    rule = Segment("大店", min_orders=2, min_avg_order_value=100, gender="女", products=[product],
                   regions=[summary["province"].value_counts().index[0]])
    start = time.perf_counter()
    builder = segment_builder(summary, rule)
    built = time.perf_counter() - start
    print(f"{'建分组表单':<14} {built * 1000:6.0f} 毫秒  {'通过' if built <= 0.5 else '超时'}（要求 ≤ 500 毫秒）")
    segment = timed("分组表单（大店）", [
        lambda v=v: setattr(builder.min_orders, "value", v) for v in ["3", "2", "4", "2", "5", "2", "3", "2", "1", "2"]
    ])
    editor = vip_editor(summary)
    vip = timed("VIP 编辑器（大店）", [
        lambda v=v: setattr(editor.rows[0][1], "value", v) for v in [100, 150, 200, 120, 80, 100, 90, 110, 130, 100]
    ])
    explorer = rfm_explorer(orders, orders["order_time"].max().normalize())
    rfm = timed("RFM 探索器（大店）", [
        lambda v=v: setattr(explorer.weight_cells[0], "value", v) for v in [2, 3, 1, 2, 3, 1, 2, 3, 1, 1]
    ])
    return {"build": built * 1000, "segment": segment, "vip": vip, "rfm": rfm}


if __name__ == "__main__":
    main()
    print()
    big_shop()

"""列名对照：代码里用英文列名（customer_id、order_count……），给人看的表格用中文表头。

全工作簿只有这一张对照表（与 docs/术语表.md 一致）：笔记本里展示客户的 show()、每个小部件的预览表、
导出的 Excel 都经过 chinese_headers。代码和练习里照旧写英文列名；表头换成中文只发生在展示的副本上。
"""
from __future__ import annotations

import pandas as pd

from .validation import checked

#: 英文列名 → 中文表头。没列出的列保留原名（本来就是中文的列、学生自己起名的列）。
COLUMN_LABELS: dict[str, str] = {
    # 客户表
    "customer_id": "客户编号", "nickname": "昵称", "gender": "性别", "age": "年龄",
    "province": "省份", "city": "城市", "occupation": "职业", "points": "积分",
    "phone": "手机号", "email": "邮箱", "sms_opt_out": "已退订短信", "email_opt_out": "已退订邮件",
    "register_date": "成为客户日期", "card_claimed_date": "领卡日期",
    # 客户汇总（customer_summary）
    "order_count": "订单总数", "total_amount": "订单总金额（元）", "avg_order_value": "平均订单价（元）",
    "item_count": "购买商品总数", "first_order": "首次下单时间", "last_order": "最后下单时间",
    "recency_days": "距今天数", "products": "买过的商品",
    # RFM 与会员
    "frequency": "购买次数 F", "monetary": "消费金额 M（元）", "score": "RFM 总分", "level": "等级",
    "vip_tier": "会员等级", "layer": "客户分层", "stage": "生命周期阶段",
    # 订单、明细、商品
    "order_id": "订单编号", "order_time": "下单时间", "amount": "金额（元）", "channel": "下单渠道",
    "product": "商品", "title": "宝贝标题", "quantity": "数量", "price": "单价（元）", "category": "类目",
    # 商品分析（helpers.products_analysis；比例列展示时已乘 100）
    "sales": "销售额（元）", "units": "销量（件）", "orders": "订单数（笔）", "buyers": "买家数（人）",
    "sales_share": "销售额占比（%）", "share": "占比（%）", "cum_share": "累计占比（%）",
    "cum_before": "之前的累计占比（%）", "rank": "名次", "abc": "ABC 类",
    "also_bought": "一起买的商品", "orders_together": "一起买的订单（笔）",
    "orders_with_product": "含该商品的订单（笔）", "support": "支持度（%）", "confidence": "置信度（%）",
    "lift": "提升度", "repeat_buyers": "回购人数（人）", "repeat_rate": "复购率（%）", "gaps": "再买次数（次）",
    "median_days": "间隔中位数（天）", "median_days_per_unit": "每件可用天数（天）",
    "repurchase_days": "商品表复购周期（天）", "diff_days": "相差（天）", "new_buyers": "新客（人）",
    "new_share": "新客占比（%）", "old_buyers": "老客（人）", "returned": "新客回头（人）",
    "return_rate": "回头率（%）",
    # 短信与活动
    "text": "短信内容", "length": "字数", "parts": "计费条数", "batch": "发送批次", "send_time": "发送时间",
    "campaign_id": "活动编号", "group": "组别",
    # 行为、智能触达
    "event_time": "行为时间", "event": "行为", "browsed": "浏览过", "favourited": "收藏过", "carted": "加购过",
    "cart_count": "加购次数", "first_cart": "首次加购时间", "last_cart": "最后加购时间",
    "carted_products": "加购的商品", "favourite_count": "收藏次数", "last_favourite": "最后收藏时间",
    "favourited_products": "收藏的商品", "last_purchase": "上次购买时间", "supply_days": "可用天数（天）",
    "due_date": "该回购的日期", "days_left": "还剩天数（天）", "orders_in_period": "期间订单数（笔）",
    "last_active": "最后活跃时间",
    # 标签、会员状态、生命周期
    "age_band": "年龄段", "recency_band": "最近一次下单", "order_band": "订单总数分档", "repurchaser": "复购过",
    "buyer_type": "买家类型", "tier": "会员等级", "reached_date": "达到门槛日期", "status": "会员状态",
    "is_member": "是会员", "days_since_last": "距上次下单（天）",
    # 购买间隔、运营数据
    "nth": "第几次购买", "from_date": "上次购买日期", "to_date": "这次购买日期", "days": "间隔（天）",
    "gap_days": "间隔（天）", "previous_quantity": "上次购买件数", "product_b": "另一件商品",
    "date": "日期", "amount_fen": "金额（分）", "profit_fen": "毛利（分）", "margin": "毛利率",
}


@checked
def column_label(name: str) -> str:
    """一个列名的中文表头；对照表里没有时原样返回。"""
    return COLUMN_LABELS.get(name, name)


@checked
def chinese_headers(df: pd.DataFrame) -> pd.DataFrame:
    """返回一份表头换成中文的副本（列名和索引名都换，原表不变）；“买过的商品”写成一格文字（、分隔）。

    只换表头，不打码：给人看的表请用 helpers.show（打码 + 中文表头），导出请用 helpers.export。
    """
    out = df.copy(deep=False)
    if "products" in out.columns and isinstance(out["products"].dtype, pd.ArrowDtype):
        import pyarrow as pa
        import pyarrow.compute as pc

        joined = pc.binary_join(pa.array(out["products"].array), "、")
        out["products"] = pd.array(joined.to_numpy(zero_copy_only=False), dtype="string")
    out.columns = [column_label(c) if isinstance(c, str) else c for c in out.columns]
    out.index = out.index.set_names([column_label(n) if isinstance(n, str) else n for n in out.index.names])
    return out

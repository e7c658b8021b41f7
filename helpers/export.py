"""导出到 Excel：中文列名、手机号和邮箱打码，从不改动原表或学生自己的文件。"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .privacy import mask_contacts

# 英文列名 → 中文表头（与 docs/术语表.md 一致）。没列出的列保留原名。
COLUMN_LABELS = {
    "customer_id": "客户编号", "nickname": "昵称", "gender": "性别", "age": "年龄",
    "province": "省份", "city": "城市", "occupation": "职业", "points": "积分",
    "phone": "手机号", "email": "邮箱", "sms_opt_out": "已退订短信", "email_opt_out": "已退订邮件",
    "register_date": "成为客户日期", "card_claimed_date": "领卡日期",
    "order_count": "订单总数", "total_amount": "订单总金额（元）", "avg_order_value": "平均订单价（元）",
    "item_count": "购买商品总数", "first_order": "首次下单时间", "last_order": "最后下单时间",
    "recency_days": "距今天数", "products": "买过的商品",
    "frequency": "购买次数 F", "monetary": "消费金额 M（元）", "score": "RFM 总分", "level": "等级",
    "vip_tier": "会员等级", "order_id": "订单编号", "order_time": "下单时间", "amount": "金额（元）",
    "product": "商品", "title": "宝贝标题", "quantity": "数量", "text": "短信内容", "length": "字数",
    "parts": "计费条数", "channel": "下单渠道",
    "layer": "客户分层", "batch": "发送批次", "send_time": "发送时间",
}


def to_chinese_columns(df: pd.DataFrame) -> pd.DataFrame:
    """返回一份换成中文表头、手机号邮箱已打码、商品集合写成文字的副本（原表不变）。"""
    out = mask_contacts(df)
    if "products" in out.columns and isinstance(out["products"].dtype, pd.ArrowDtype):
        joined = pc.binary_join(pa.array(out["products"]), "、")
        out["products"] = joined.to_numpy(zero_copy_only=False)
    if out.index.name in COLUMN_LABELS or out.index.name:
        out = out.reset_index()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(object)
    return out.rename(columns=COLUMN_LABELS)


def export_excel(df: pd.DataFrame, path, sheet_name: str = "客户名单", overwrite: bool = False) -> Path:
    """把一张表（分组、会员名单、RFM 结果……）导出为 Excel，表头是中文，手机号已打码。

    参数
    ----
    df : 要导出的表。
    path : 目标文件路径（.xlsx）。为保护已有文件，默认不覆盖，需要时传 overwrite=True。
    sheet_name : 工作表名称。
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"导出文件应以 .xlsx 结尾，收到的是 {path.name}。")
    if path.exists() and not overwrite:
        raise ValueError(f"文件 {path} 已经存在。为了不覆盖你的文件，请换个文件名，或传入 overwrite=True。")
    path.parent.mkdir(parents=True, exist_ok=True)
    to_chinese_columns(df).to_excel(path, sheet_name=sheet_name[:31], index=False)
    return path

"""短信计费：中文短信按字数拆成几条计费。"""
from __future__ import annotations
from .validation import checked

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

SINGLE_LIMIT = 70   # 不超过 70 个字算 1 条
PART_LIMIT = 67     # 超过 70 个字时，每条长短信能放 67 个字（其余留给拼接信息）
OPT_OUT = "回T退订"


@checked
def sms_length(text: str) -> int:
    """短信的计费字数：汉字、字母、数字、标点、空格都算 1 个字；表情符号按运营商的规则算 2 个字。"""
    if not isinstance(text, str):
        raise ValueError(f"短信内容应是文字（str），收到的是 {type(text).__name__}。")
    return len(text.encode("utf-16-le")) // 2


@checked
def sms_parts(text: str) -> int:
    """一条中文短信按几条计费：不超过 70 个字 1 条，超过时每 67 个字 1 条（向上取整）。

    参数
    ----
    text : 完整的短信内容（包括【店铺签名】和“回T退订”）。空内容计 0 条。
    """
    n = sms_length(text)
    if n == 0:
        return 0
    return 1 if n <= SINGLE_LIMIT else math.ceil(n / PART_LIMIT)


@checked
def with_signature(text: str, shop_name: str, opt_out: str = OPT_OUT) -> str:
    """给营销短信加上店铺签名和退订提示：'【店铺名】正文 回T退订'。"""
    body = text.strip()
    if not shop_name.strip():
        raise ValueError("营销短信必须带店铺签名，shop_name 不能为空。")
    if not opt_out.strip():
        raise ValueError("营销短信必须带退订提示（例如“回T退订”），opt_out 不能为空。")
    signature = f"【{shop_name.strip().strip('【】')}】"
    if not body.startswith(signature):
        body = signature + body
    if not body.endswith(opt_out):
        body = f"{body}{opt_out}"
    return body


# 短信里可以用的个性化占位符：{占位符} → 客户表里的列
PLACEHOLDERS = {"昵称": "nickname"}
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@checked
def render_messages(template: str, audience: pd.DataFrame, values: dict | None = None) -> pd.Series:
    """把模板里的 {昵称} 等占位符换成每位客户自己的内容（整列一起替换，不逐个循环）。

    参数
    ----
    template : 含占位符的短信文字，例如 "{昵称}您好，……"。
    audience : 客户表（以 customer_id 为索引或含 customer_id 列）。
    values : 其他固定占位符的值，例如 {"券面额": "5"}。
    """
    values = {k: str(v) for k, v in (values or {}).items()}
    pieces = _PLACEHOLDER.split(template)  # 偶数位是原文，奇数位是占位符名
    result = pd.Series(pieces[0], index=audience.index, dtype="object")
    for i in range(1, len(pieces), 2):
        key = pieces[i]
        if key in values:
            filled = values[key]
        elif key in PLACEHOLDERS and PLACEHOLDERS[key] in audience.columns:
            filled = audience[PLACEHOLDERS[key]].fillna("亲").astype(str)
        else:
            known = "、".join("{" + k + "}" for k in [*PLACEHOLDERS, *values])
            raise ValueError(f"短信里的占位符 {{{key}}} 无法填写。可用的占位符：{known or '（无）'}。")
        result = result + filled + pieces[i + 1]
    return result


def _utf16_length(texts: pd.Series) -> pd.Series:
    texts = texts.astype(str)
    return texts.str.len() + texts.str.count("[\U00010000-\U0010FFFF]")


@checked
@dataclass
class SmsPlan:
    """一次短信营销的发送计划：发给谁、每条多少字、计费多少条、一共多少钱。"""

    template: str
    messages: pd.DataFrame          # 每位收件人一行：customer_id、nickname、phone（打码）、text、length、parts
    excluded: dict                  # 被排除的人数：{"已退订": n, "没有手机号": n}
    price: float                    # 每条计费短信的单价（元）

    @property
    def recipients(self) -> int:
        return len(self.messages)

    @property
    def total_parts(self) -> int:
        return int(self.messages["parts"].sum())

    @property
    def cost(self) -> float:
        """总费用（元）：计费条数 × 单价，四舍五入到分（单价可以是 0.045 元这样的厘）。"""
        exact = Decimal(str(self.price)) * self.total_parts
        return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))

    def summary(self) -> pd.Series:
        """发送计划的中文小结。"""
        lengths = self.messages["length"]
        return pd.Series({
            "收件人（人）": self.recipients,
            "排除：已退订（人）": self.excluded.get("已退订", 0),
            "排除：没有手机号（人）": self.excluded.get("没有手机号", 0),
            "最长一条（字）": int(lengths.max()) if len(lengths) else 0,
            "计费条数（条）": self.total_parts,
            "单价（元/条）": self.price,
            "总费用（元）": self.cost,
        }, name="短信发送计划", dtype=object)


_YES = {"true", "1", "1.0", "是", "y", "yes", "已退订", "退订"}
_NO = {"false", "0", "0.0", "否", "n", "no", "未退订"}


@checked
def opt_out_flags(flags: pd.Series, column: str = "sms_opt_out") -> pd.Series:
    """读退订标记：True/1/“是”为已退订，False/0/“否”为未退订；空值当作已退订（没有同意就不发）。

    认不出的值（例如“待定”）给出中文 ValueError，说出列名和行。
    """
    if pd.api.types.is_bool_dtype(flags.dtype) and not flags.isna().any():
        return flags.astype(bool)
    text = flags.astype("string").str.strip().str.lower()
    yes, no = text.isin(_YES).fillna(False), text.isin(_NO).fillna(False)
    blank = text.isna() | (text == "")
    unknown = ~(yes | no | blank)
    if unknown.any():
        rows = "、".join(map(str, flags.index[unknown.to_numpy()][:5]))
        raise ValueError(f"{column} 列有认不出的退订标记（第 {rows} 行等，值如 {flags[unknown].iloc[0]!r}）："
                         "请写成 True/False、1/0 或 是/否。")
    return (yes | blank).astype(bool)


@checked
def plan_sms(audience: pd.DataFrame, text: str, shop_name: str, price: float = 0.05,
             opt_out: str = OPT_OUT, values: dict | None = None) -> SmsPlan:
    """生成短信发送计划：加签名和退订提示、去掉已退订和没有手机号的客户、逐人计费。

    参数
    ----
    audience : 目标客户（Segment.select 的结果，需要 phone、sms_opt_out 列，最好有 nickname）。
               退订标记是空值的客户当作已退订（没有同意就不发）。
    text : 短信正文，可含 {昵称} 等占位符。
    shop_name : 店铺签名，会加成【店铺名】。
    price : 每条计费短信的单价（元），默认 0.05 元。
    opt_out : 退订提示，默认“回T退订”。
    values : 其他占位符的值，例如 {"券面额": "5"}。
    """
    from .privacy import mask_phone

    for col in ("phone", "sms_opt_out"):
        if col not in audience.columns:
            raise ValueError(f"目标客户表缺少 {col} 列：请用带客户表的汇总（shop.summary()）来选人。")
    if price < 0:
        raise ValueError(f"短信单价不能为负数，收到 {price!r}。")
    template = with_signature(text, shop_name, opt_out)
    opted_out = opt_out_flags(audience["sms_opt_out"], "sms_opt_out")
    no_phone = audience["phone"].isna() | (audience["phone"].astype("string").str.strip() == "")
    keep = audience[~opted_out & ~no_phone.fillna(True)]
    texts = render_messages(template, keep, values)
    lengths = _utf16_length(texts)
    parts = np.where(lengths <= SINGLE_LIMIT, 1, np.ceil(lengths / PART_LIMIT)).astype("int64")
    messages = pd.DataFrame({
        "nickname": keep["nickname"] if "nickname" in keep.columns else pd.NA,
        "phone": mask_phone(keep["phone"]),
        "text": texts, "length": lengths.astype("int64"), "parts": parts,
    }, index=keep.index)
    excluded = {"已退订": int(opted_out.sum()), "没有手机号": int((no_phone & ~opted_out).sum())}
    return SmsPlan(template=template, messages=messages, excluded=excluded, price=float(price))

"""短信计费：中文短信按字数拆成几条计费。"""
from __future__ import annotations

import math

SINGLE_LIMIT = 70   # 不超过 70 个字算 1 条
PART_LIMIT = 67     # 超过 70 个字时，每条长短信能放 67 个字（其余留给拼接信息）
OPT_OUT = "回T退订"


def sms_length(text: str) -> int:
    """短信的计费字数：汉字、字母、数字、标点、空格都算 1 个字；表情符号按运营商的规则算 2 个字。"""
    if not isinstance(text, str):
        raise ValueError(f"短信内容应是文字（str），收到的是 {type(text).__name__}。")
    return len(text.encode("utf-16-le")) // 2


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

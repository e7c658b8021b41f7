"""保护客户隐私：手机号显示为 138****1234，邮箱显示为 abc***@163.com。

真实导出里的手机号五花八门：``138 0013 8000``、``138-0013-8001``、``+86 138 0013 8002``、
``(+86)13800138003``、被 Excel 变成小数的 ``13800138000.0``……这里先把它们规范成 11 位
（normalize_phone），再打码。全工作簿只有这一个规范手机号的函数：导入订单（helpers.taobao）、
短信发送名单（helpers.campaigns）都用它。哪些列要打码：列名像手机号或邮箱的（phone、mobile、tel、
手机号、联系手机、电话、email、邮箱……），以及内容里有手机号、邮箱的文字列（例如“备注：请打
138 0013 8000”），还有几乎全是手机号的数字列。
"""
from __future__ import annotations
from .validation import checked

import re

import pandas as pd

CONTACT_COLUMNS = ("phone", "email")

# 中国大陆手机号：1 开头、第二位 3–9、共 11 位；前面可以有 +86 / 86 / 0086 / (+86)，中间可以有空格或 -
_PREFIX = r"(?:\(?\+?(?:00)?86\)?[\s\-]*)?"
_MOBILE_BODY = r"1[3-9]\d(?:[\s\-]?\d){8}"
MOBILE_IN_TEXT = re.compile(rf"(?<!\d){_PREFIX}({_MOBILE_BODY})(?!\d)")
EMAIL_IN_TEXT = re.compile(r"([A-Za-z0-9._%+\-]+)@([A-Za-z0-9.\-]+\.[A-Za-z]{2,})")

MASKED_PHONE = r"1\d{2}\*{4}\d{4}"          # 打了码的手机号：前 3 位、4 个 *、后 4 位
PHONE_NAME = re.compile(r"phone|mobile|\btel\b|^tel|telephone|手机|电话|联系方式", re.I)
EMAIL_NAME = re.compile(r"e-?mail|邮箱|电子邮件|邮件地址", re.I)


def _digits_of_float(text: pd.Series) -> pd.Series:
    """Excel 把手机号存成小数时读进来是 '13800138000.0'：去掉 .0。"""
    return text.str.replace(r"^(\d+)\.0+$", r"\1", regex=True)


@checked
def normalize_phone(phone: pd.Series | list | str | int, keep_masked: bool = False) -> pd.Series:
    """把各种写法的手机号规范成 11 位数字（'13800138000'）；不是有效的大陆手机号时为空值（<NA>）。

    认得：空格或 - 分隔、+86 / 86 / 0086 / (+86) 前缀、整数、Excel 留下的 '13800138000.0'。

    keep_masked : 已经打码的号码（138****1234，新版千牛导出时就打了码）怎么办。默认 False：
                  打码的号码发不了短信，得到空值；True：去掉空格、横线和 +86 后原样保留
                  （导入订单时用，号码虽然打了码，仍是客户留下的联系方式）。
    """
    series = phone if isinstance(phone, pd.Series) else pd.Series(phone)
    text = _digits_of_float(series.astype("string").str.strip())
    compact = text.str.replace(r"[\s\-()（）]", "", regex=True)
    compact = compact.str.replace(r"^(?:\+|00)?86(?=1[\d*]{10}$)", "", regex=True)
    valid = compact.str.fullmatch(r"1[3-9]\d{9}").fillna(False).astype(bool)
    if keep_masked:
        valid |= compact.str.fullmatch(MASKED_PHONE).fillna(False).astype(bool)
    return compact.where(valid, pd.NA)


@checked
def is_masked(values: pd.Series) -> pd.Series:
    """哪些格子已经打过码（里面有 *，例如 138****1234、lin***@qq.com）：一列 True/False，空值算 False。"""
    return values.astype("string").str.contains("*", regex=False).fillna(False).astype(bool)


@checked
def mask_phone(phone: pd.Series | list | str | int) -> pd.Series:
    """把手机号中间四位换成 ****（138****8000），各种写法都认；已经打码的号码和空值保持不变。

    不是有效手机号、但有 7 位以上数字的值（座机、写错的号码）也只留前 3 位和后 4 位数字。
    """
    series = phone if isinstance(phone, pd.Series) else pd.Series(phone)
    text = _digits_of_float(series.astype("string").str.strip())
    normal = normalize_phone(series)
    masked = normal.str[:3] + "****" + normal.str[-4:]
    digits = text.str.replace(r"\D", "", regex=True)
    long = (digits.str.len() >= 7).fillna(False) & ~is_masked(text)
    other = digits.str[:3] + "****" + digits.str[-4:]
    out = text.where(normal.isna(), masked)
    return out.where(~(normal.isna() & long), other)


@checked
def mask_email(email: pd.Series) -> pd.Series:
    """邮箱 @ 前只留前三个字符，其余换成 ***；已经打码的保持不变。"""
    text = email.astype("string").str.strip()
    parts = text.str.extract(r"^(?P<user>[^@]+)@(?P<domain>.+)$")
    keep = parts["user"].str[:3]
    masked = keep + "***@" + parts["domain"]
    already = parts["user"].str.contains(r"\*", regex=True)
    return text.where(already.fillna(True), masked)


@checked
def mask_in_text(text: pd.Series) -> pd.Series:
    """一列文字里出现的手机号、邮箱（例如备注“请打 138 0013 8000”）就地打码，其余文字不变。"""
    def phone(m: re.Match) -> str:
        digits = re.sub(r"\D", "", m.group(1))
        return digits[:3] + "****" + digits[-4:]

    def mail(m: re.Match) -> str:
        return m.group(1)[:3] + "***@" + m.group(2)

    out = text.astype("string")
    out = out.str.replace(MOBILE_IN_TEXT, phone, regex=True)
    return out.str.replace(EMAIL_IN_TEXT, mail, regex=True)


def _is_text(column: pd.Series) -> bool:
    return column.dtype == object or pd.api.types.is_string_dtype(column.dtype)


def _mostly_phones(column: pd.Series) -> bool:
    """数字列里（几乎）全是手机号：例如 Excel 把“联系方式”存成了数。"""
    values = column.dropna()
    if not len(values) or not pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_bool_dtype(column):
        return False
    if (values.abs() >= 1e10).mean() < 0.8:        # 手机号至少 11 位：小于 100 亿的数（金额、笔数）不用细看
        return False
    return normalize_phone(values).notna().mean() >= 0.8


@checked
def contact_columns(df: pd.DataFrame) -> dict:
    """哪些列要打码、怎么打：{列名: "phone" | "email" | "text"}。"""
    kinds = {}
    for col in df.columns:
        name = str(col)
        if PHONE_NAME.search(name) or _mostly_phones(df[col]):
            kinds[col] = "phone"
        elif EMAIL_NAME.search(name):
            kinds[col] = "email"
        elif _is_text(df[col]):
            kinds[col] = "text"
    return kinds


@checked
def mask_contacts(df: pd.DataFrame) -> pd.DataFrame:
    """返回一份把手机号、邮箱打码的副本（原表不变），用于在笔记本里展示或导出。

    列名像手机号、邮箱的列整列打码；其他文字列里出现的手机号、邮箱也打码。
    """
    out = df.copy()
    out.attrs = {}        # 打码的副本用不到 attrs（例如商品标题对照）；pandas 每一步都会深拷贝它，留着只会变慢
    for col, kind in contact_columns(out).items():
        if kind == "phone":
            out[col] = mask_phone(out[col])
        elif kind == "email":
            out[col] = mask_email(out[col])
        else:
            text = out[col].astype("string")
            masked = mask_in_text(text)
            hit = (masked != text).fillna(False)            # 只改动里面真有手机号、邮箱的格子
            if hit.any():
                out[col] = out[col].astype(object).where(~hit, masked.astype(object))
    return out


@checked
def show(df: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """展示前 n 行：手机号和邮箱打码，表头换成中文（昵称、订单总数……）。笔记本里展示客户时都用它。

    返回的是给人看的副本，代码里请继续用原表和英文列名。
    """
    from .columns import chinese_headers

    return chinese_headers(mask_contacts(df.head(n)))

"""保护客户隐私：手机号显示为 138****1234，邮箱显示为 abc***@163.com。"""
from __future__ import annotations

import pandas as pd

CONTACT_COLUMNS = ("phone", "email")


def mask_phone(phone: pd.Series) -> pd.Series:
    """把手机号中间四位换成 ****；已经打码的号码和空值保持不变。"""
    text = phone.astype("string").str.strip()
    digits = text.str.fullmatch(r"\+?(86)?1\d{10}")
    core = text.str[-11:]
    masked = core.str[:3] + "****" + core.str[-4:]
    return text.where(~digits.fillna(False), masked)


def mask_email(email: pd.Series) -> pd.Series:
    """邮箱 @ 前只留前三个字符，其余换成 ***；已经打码的保持不变。"""
    text = email.astype("string").str.strip()
    parts = text.str.extract(r"^(?P<user>[^@]+)@(?P<domain>.+)$")
    keep = parts["user"].str[:3]
    masked = keep + "***@" + parts["domain"]
    already = parts["user"].str.contains(r"\*", regex=True)
    return text.where(already.fillna(True), masked)


def mask_contacts(df: pd.DataFrame) -> pd.DataFrame:
    """返回一份把 phone、email 列打码的副本（原表不变），用于在笔记本里展示。"""
    out = df.copy()
    if "phone" in out.columns:
        out["phone"] = mask_phone(out["phone"])
    if "email" in out.columns:
        out["email"] = mask_email(out["email"])
    return out


def show(df: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """展示前 n 行，手机号和邮箱自动打码。笔记本里展示客户时都用它。"""
    return mask_contacts(df.head(n))

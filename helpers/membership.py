"""2018 年的领卡规则：达到最低一级会员门槛只是“潜在会员”，领取会员卡后才是店铺会员。

tier_reached_date 找出每位客户第一次达到门槛的那一天，membership_status 据此和领卡日期判断每位客户的状态
（MEMBER_STATUSES）。教材只说规则在“2018 年”改变，本工作簿把生效日定为 RULE_CHANGE_DATE（2018-01-01）。
金额按“分”累计和比较，日期按“天”比较。
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .labels import NO_ORDER, NOT_REACHED
from .money import to_fen
from .validation import checked, parse_date, prepare_orders, require_columns
from .vip import TEXTBOOK_VIP_TIERS, check_tiers

# 本工作簿的决定：教材只说“2018 年”起，我们把规则生效日定为 2018-01-01。
RULE_CHANGE_DATE = "2018-01-01"
#: 客户状态，按顺序判断：前两种是店铺会员（is_member），后三种不是。
MEMBER_STATUSES = ("规则前自动入会", "已领卡会员", "潜在会员", NOT_REACHED, NO_ORDER)


@checked
def tier_reached_date(orders: pd.DataFrame, tiers=TEXTBOOK_VIP_TIERS, as_of=None,
                      strict: bool = False) -> pd.Series:
    """每位客户累计消费或累计笔数第一次达到最低一级会员门槛的那一天（没达到的客户不出现）。

    参数
    ----
    orders : 订单表（customer_id、order_time、amount）。
    tiers : 会员等级，默认教材的四级；只用最低一级（普通会员：100 元或 3 笔）。
    as_of : 截止日期（含当天），之后的订单不算。
    strict : False（默认）按“达到”（≥）理解；True 按“大于”（>）理解。
    """
    first = check_tiers(tiers)[0]
    prepared = prepare_orders(orders)
    if as_of is not None:
        prepared = prepared[prepared["order_time"] < parse_date(as_of, "as_of") + pd.Timedelta(days=1)]
    sort_cols = ["customer_id", "order_time"] + (["order_id"] if "order_id" in prepared.columns else [])
    ordered = prepared.sort_values(sort_cols, kind="stable")
    grouped = ordered.groupby("customer_id", sort=False)
    cum_fen = grouped["amount_fen"].cumsum()
    cum_orders = grouped.cumcount() + 1
    need_fen = to_fen(first.min_amount)
    if strict:
        reached = (cum_fen > need_fen) | (cum_orders > first.min_orders)
    else:
        reached = (cum_fen >= need_fen) | (cum_orders >= first.min_orders)
    days = ordered.loc[reached, "order_time"].dt.normalize()
    out = days.groupby(ordered.loc[reached, "customer_id"]).min().sort_index()
    out.index.name = "customer_id"
    return out.rename("reached_date")


@checked
def membership_status(orders: pd.DataFrame, customers: pd.DataFrame, as_of, tiers=TEXTBOOK_VIP_TIERS,
                      rule_change=RULE_CHANGE_DATE, strict: bool = False) -> pd.DataFrame:
    """按 2018 年的领卡规则判断每位客户是不是店铺会员。

    规则：在规则生效日（rule_change）之前达到最低一级门槛的买家已自动成为会员；
    生效日当天及以后才达到门槛的买家只是“潜在会员”，领取会员卡（card_claimed_date 不晚于 as_of）后才是会员。

    参数
    ----
    orders : 订单表。
    customers : 客户表（customer_id、card_claimed_date）。
    as_of : 评估日（含当天）。
    tiers : 会员等级，默认教材的四级（只用最低一级判断入会）。
    rule_change : 新规则生效日，默认 RULE_CHANGE_DATE（2018-01-01，本工作簿的决定）。
    strict : 门槛按“大于”理解时为 True；默认按“达到”（≥）。

    返回以 customer_id 为索引的 DataFrame：reached_date（达到门槛日）、card_claimed_date（领卡日，
    晚于 as_of 的视为没领）、status（MEMBER_STATUSES 之一）、is_member（是否会员）。
    下过单却没达到门槛的是 NOT_REACHED（未达门槛（下过单）），as_of 以前一单都没有的是 NO_ORDER（未下单）。
    """
    require_columns(customers, ["customer_id", "card_claimed_date"], "客户表",
                    "需要 card_claimed_date（领卡日期）列：请传入 load_shop('xiayi').customers。")
    day = parse_date(as_of, "as_of")
    change = parse_date(rule_change, "rule_change")
    ids = customers["customer_id"].astype(str).str.strip()
    out = pd.DataFrame(index=pd.Index(ids, name="customer_id"))
    reached = tier_reached_date(orders, tiers, as_of=day, strict=strict)
    out["reached_date"] = reached.reindex(out.index)
    claimed = pd.to_datetime(pd.Series(customers["card_claimed_date"].to_numpy(), index=out.index)).dt.normalize()
    out["card_claimed_date"] = claimed.where(claimed <= day)
    prepared = prepare_orders(orders)
    ordered_ids = prepared.loc[prepared["order_time"] < day + pd.Timedelta(days=1), "customer_id"]
    has_order = out.index.isin(ordered_ids)
    r = out["reached_date"]
    status = np.select(
        [r.notna() & (r < change), r.notna() & out["card_claimed_date"].notna(), r.notna(), has_order],
        list(MEMBER_STATUSES[:4]), default=MEMBER_STATUSES[4])
    out["status"] = pd.Categorical(status, categories=list(MEMBER_STATUSES), ordered=True)
    out["is_member"] = out["status"].isin(MEMBER_STATUSES[:2])
    return out

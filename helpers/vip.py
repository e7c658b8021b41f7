"""店铺VIP会员：四个等级的门槛（累计消费金额“或”交易次数）与导出的店铺会员规则文字。"""
from __future__ import annotations
from .validation import checked

from dataclasses import dataclass

import numpy as np
import pandas as pd


@checked
@dataclass(frozen=True)
class VipTier:
    """一个会员等级：名称、累计消费金额门槛（元）、累计交易次数门槛（笔），两者满足其一即可。"""

    name: str
    min_amount: float
    min_orders: int


TEXTBOOK_VIP_TIERS = (
    VipTier("普通会员", 100.0, 3),
    VipTier("高级会员", 200.0, 5),
    VipTier("VIP会员", 500.0, 10),
    VipTier("至尊VIP", 2000.0, 20),
)

# 教材讲 2018 年领卡规则时举的例子：一家设了普通/高级/VIP/至尊VIP 四级的店，只给出
# 普通会员“大于 100 元”、高级会员“大于 500 元”。后两级的金额（1000 元、2000 元）和各级笔数
# （沿用任务训练 2 的 3、5、10、20 笔）是本工作簿补上的。
EXAMPLE_2018_TIERS = (
    VipTier("普通会员", 100.0, 3),
    VipTier("高级会员", 500.0, 5),
    VipTier("VIP会员", 1000.0, 10),
    VipTier("至尊VIP", 2000.0, 20),
)


@checked
def check_tiers(tiers) -> tuple:
    """检查等级设置：至少一级，名称不重复，门槛不为负且逐级不降低。"""
    if isinstance(tiers, (str, bytes, pd.DataFrame)) or not hasattr(tiers, "__iter__"):
        raise ValueError(f"会员等级应是 VipTier 的列表（例如 TEXTBOOK_VIP_TIERS），收到的是 {type(tiers).__name__}。")
    bad = [t for t in tiers if not isinstance(t, (VipTier, tuple, list))]
    if bad:
        raise ValueError(f"会员等级的每一级应是 VipTier(名称, 金额门槛, 订单数门槛) 或 (名称, 金额, 笔数)，"
                         f"收到了 {bad[0]!r}。")
    try:
        tiers = tuple(t if isinstance(t, VipTier) else VipTier(*t) for t in tiers)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"会员等级写得不对：{exc}。每一级写成 VipTier(\"普通会员\", 100, 3)。") from None
    if not tiers:
        raise ValueError("会员等级至少要有一级。")
    names = [t.name for t in tiers]
    if len(set(names)) != len(names):
        raise ValueError(f"会员等级名称不能重复：{'、'.join(names)}。")
    for low, high in zip(tiers, tiers[1:]):
        if high.min_amount < low.min_amount or high.min_orders < low.min_orders:
            raise ValueError(f"会员等级的门槛应逐级不降低：{high.name}（{high.min_amount:g} 元 / {high.min_orders} 笔）"
                             f"低于 {low.name}（{low.min_amount:g} 元 / {low.min_orders} 笔）。")
    for t in tiers:
        if t.min_amount < 0 or t.min_orders < 0:
            raise ValueError(f"会员等级 {t.name} 的门槛不能为负数。")
    return tiers


@checked
def vip_tier(summary: pd.DataFrame, tiers=TEXTBOOK_VIP_TIERS, strict: bool = False) -> pd.Series:
    """给每位客户评出能达到的最高会员等级；一级都达不到的客户为空值（非会员）。

    参数
    ----
    summary : customer_summary 的结果（需要 total_amount 和 order_count 两列）。
    tiers : 会员等级，从低到高，默认教材的四级。
    strict : False（默认）按“达到”理解，即 ≥ 门槛；True 按“大于”理解，即 > 门槛。
             教材的入会条件写“大于”、等级规则写“达到”，本工作簿采用“达到”。
    """
    tiers = check_tiers(tiers)
    for col in ("total_amount", "order_count"):
        if col not in summary.columns:
            raise ValueError(f"vip_tier 需要客户汇总表的 {col} 列，请先用 customer_summary 汇总。")
    total_fen = np.round(summary["total_amount"].astype("float64").to_numpy() * 100)
    orders = summary["order_count"].to_numpy()
    result = np.full(len(summary), None, dtype=object)
    for tier in tiers:  # 从低到高逐级覆盖，最后留下的是最高的一级（循环的是等级，不是客户）
        need_fen = round(tier.min_amount * 100)
        if strict:
            reached = (total_fen > need_fen) | (orders > tier.min_orders)
        else:
            reached = (total_fen >= need_fen) | (orders >= tier.min_orders)
        result[reached] = tier.name
    return pd.Series(pd.Categorical(result, categories=[t.name for t in tiers], ordered=True),
                     index=summary.index, name="vip_tier")


def _yuan(value: float) -> str:
    return f"{float(value):.1f}"


@checked
def vip_rules_text(tiers=TEXTBOOK_VIP_TIERS, shop_name: str = "本店") -> str:
    """生成“导出店铺会员规则”的文字：会员协议、入会条件（达到门槛后还要领卡申请）、每一级的门槛、说明和解释权。

    入会条件按 2018 年起的规则写：达到最低一级门槛只是有了申请资格，买家领取会员卡（授权）后才成为会员。
    """
    tiers = check_tiers(tiers)
    first = tiers[0]
    lines = [
        f"{shop_name}会员规则",
        "",
        "一、会员协议",
        f"申请加入{shop_name}会员，即表示您已阅读并同意《会员服务条款》《隐私政策》和《会员协议》，"
        "并同意我们通过电子邮件、彩信、旺旺消息或电话向您发送会员相关信息。",
        "",
        "二、入会条件",
        f"在{shop_name}累计消费金额达到 {_yuan(first.min_amount)} 元，"
        f"或累计交易成功达到 {first.min_orders} 笔，才有资格申请成为{shop_name}会员；"
        "达到条件后领取会员卡，领卡成功即成为会员。",
        "",
        "三、会员等级",
    ]
    for i, tier in enumerate(tiers, start=1):
        lines.append(f"VIP{i} {tier.name}：累计消费金额达到 {_yuan(tier.min_amount)} 元，"
                     f"或累计交易成功达到 {tier.min_orders} 笔。")
    lines += ["", "四、说明",
              "每一级的两个条件（累计消费金额、累计交易笔数）满足其中任意一个即可升到该等级。",
              f"本规则的最终解释权归{shop_name}所有。"]
    return "\n".join(lines)

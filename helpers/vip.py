"""店铺VIP会员：会员等级的门槛（累计消费金额“或”交易次数）、给客户评级、导出的店铺会员规则文字，
各等级的人数与金额表（tier_table、tier_chart），以及每个等级一张的手机端会员卡（membership_card、membership_cards）。

金额一律换成整数“分”再比较、相加（helpers.money）；“未下单”“未达门槛（下过单）”两个标签来自 helpers.labels。
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .fonts import PALETTE, apply_theme
from .labels import NO_ORDER, NOT_REACHED
from .money import fen_to_yuan, to_fen, yuan_text
from .validation import checked, require_columns

if TYPE_CHECKING:   # 绘图库在画图时才导入，import helpers 不用等它
    from matplotlib.figure import Figure


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
            raise ValueError(f"会员等级的门槛应逐级不降低：{high.name}（{yuan_text(to_fen(high.min_amount))} 元 / "
                             f"{high.min_orders} 笔）低于 {low.name}（{yuan_text(to_fen(low.min_amount))} 元 / "
                             f"{low.min_orders} 笔）。")
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
    amount = pd.to_numeric(summary["total_amount"], errors="coerce")
    if amount.isna().any():
        rows = "、".join(map(str, summary.index[amount.isna().to_numpy()][:10]))
        raise ValueError(f"客户汇总表的 total_amount 列有空值或不是数字（出问题的行：{rows}）。"
                         "请用 customer_summary 汇总，没下过单的客户金额是 0。")
    total_fen = to_fen(amount.to_numpy(dtype="float64"))
    orders = summary["order_count"].to_numpy()
    result = np.full(len(summary), None, dtype=object)
    for tier in tiers:  # 从低到高逐级覆盖，最后留下的是最高的一级（循环的是等级，不是客户）
        need_fen = to_fen(tier.min_amount)
        if strict:
            reached = (total_fen > need_fen) | (orders > tier.min_orders)
        else:
            reached = (total_fen >= need_fen) | (orders >= tier.min_orders)
        result[reached] = tier.name
    return pd.Series(pd.Categorical(result, categories=[t.name for t in tiers], ordered=True),
                     index=summary.index, name="vip_tier")


@checked
def tiers_sql(tiers=TEXTBOOK_VIP_TIERS, as_of=None, strict: bool = False, dialect: str = "duckdb") -> str:
    """会员等级规则的 SQL（和 vip_tier(customer_summary(...), tiers, strict) 结果相同；金额按分比较）。"""
    from .sql import vip_sql

    return vip_sql(tiers, as_of, strict, dialect=dialect)


@checked
def vip_rules_text(tiers=TEXTBOOK_VIP_TIERS, shop_name: str = "本店") -> str:
    """生成“导出店铺会员规则”的文字：会员协议、入会条件（达到门槛后还要领卡申请）、每一级的门槛、说明和解释权。

    入会条件按 2018 年起的规则写：达到最低一级门槛只是有了申请资格，买家领取会员卡（授权）后才成为会员。
    """
    tiers = check_tiers(tiers)

    def amount(yuan) -> str:  # 后台导出的规则写成“100.0 元”：整元补一位小数，有角分时照写到分
        text = yuan_text(to_fen(yuan))
        return text if "." in text else f"{text}.0"

    first = tiers[0]
    lines = [
        f"{shop_name}会员规则",
        "",
        "一、会员协议",
        f"申请加入{shop_name}会员，即表示您已阅读并同意《会员服务条款》《隐私政策》和《会员协议》，"
        "并同意我们通过电子邮件、彩信、旺旺消息或电话向您发送会员相关信息。",
        "",
        "二、入会条件",
        f"在{shop_name}累计消费金额达到 {amount(first.min_amount)} 元，"
        f"或累计交易成功达到 {first.min_orders} 笔，才有资格申请成为{shop_name}会员；"
        "达到条件后领取会员卡，领卡成功即成为会员。",
        "",
        "三、会员等级",
    ]
    for i, tier in enumerate(tiers, start=1):
        lines.append(f"VIP{i} {tier.name}：累计消费金额达到 {amount(tier.min_amount)} 元，"
                     f"或累计交易成功达到 {tier.min_orders} 笔。")
    lines += ["", "四、说明",
              "每一级的两个条件（累计消费金额、累计交易笔数）满足其中任意一个即可升到该等级。",
              f"本规则的最终解释权归{shop_name}所有。"]
    return "\n".join(lines)


@checked
def vip_tier_label(summary: pd.DataFrame, tiers=TEXTBOOK_VIP_TIERS, strict: bool = False) -> pd.Series:
    """每位客户的会员等级标签：达到的最高等级；下过单但一级都没达到的是 NOT_REACHED（未达门槛（下过单）），
    没下过单的是 NO_ORDER（未下单）。

    和 vip_tier 的区别：vip_tier 把这两种客户都留成空值；这里分开写明，适合做分布表、交叉表。
    返回有序的分类列，顺序是 未下单 < 未达门槛（下过单） < 最低一级 < …… < 最高一级。
    """
    tiers = check_tiers(tiers)
    require_columns(summary, ["order_count", "total_amount"], "客户汇总表", "请先用 shop.summary() 汇总。")
    level = vip_tier(summary, tiers, strict=strict).astype(object)
    bought = summary["order_count"].to_numpy() > 0
    values = np.where(bought, level.fillna(NOT_REACHED).to_numpy(), NO_ORDER)
    return pd.Series(pd.Categorical(values, categories=[NO_ORDER, NOT_REACHED, *(t.name for t in tiers)], ordered=True),
                     index=summary.index, name="vip_tier")


# ============================================================================
# 各等级的人数与金额
# ============================================================================

@checked
def tier_table(summary: pd.DataFrame, tiers=TEXTBOOK_VIP_TIERS, strict: bool = False) -> pd.DataFrame:
    """每个会员等级有多少位客户、累计消费多少元（精确到分），以及金额占全部买家的比例。

    参数
    ----
    summary : 客户汇总表（shop.summary()）。
    tiers : 会员等级，默认教材的四级。
    strict : 门槛按“大于”理解时为 True；默认按“达到”（≥）。

    只算下过单的客户；一级都没达到的买家单独一行 NOT_REACHED（未达门槛（下过单））。
    """
    tiers = check_tiers(tiers)
    label = vip_tier_label(summary, tiers, strict=strict)
    buyers = (label != NO_ORDER).to_numpy()
    names = [t.name for t in tiers] + [NOT_REACHED]
    label = label[buyers].astype(object)
    fen = to_fen(pd.to_numeric(summary["total_amount"]))[buyers]
    fen_by_tier = fen.groupby(label).sum().reindex(names, fill_value=0)
    out = pd.DataFrame({"客户数（位）": label.value_counts().reindex(names, fill_value=0),
                        "订单总金额（元）": fen_to_yuan(fen_by_tier)})
    total = int(fen_by_tier.sum())
    out["金额占比（%）"] = (fen_by_tier / total * 100).round(1) if total else 0.0
    out.index.name = "会员等级"
    return out


@checked
def tier_chart(table: pd.DataFrame, title: str = "各会员等级的客户数与订单总金额") -> Figure:
    """左图：各等级客户数（人）；右图：各等级订单总金额（万元）。table 是 tier_table(...) 的结果。"""
    require_columns(table, ["客户数（位）", "订单总金额（元）"], "会员等级表", "请传入 tier_table(summary) 的结果。")
    apply_theme()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.4, 3.6), dpi=100, layout="constrained")
    left, right = fig.subplots(1, 2)
    names = list(table.index)
    colors = [CARD_COLORS[i] if i < len(CARD_COLORS) and n != NOT_REACHED else PALETTE[9]
              for i, n in enumerate(names)]
    short = ["未达门槛" if n == NOT_REACHED else str(n) for n in names]  # 横轴放不下长名字；表里仍是全称
    bars = left.bar(short, table["客户数（位）"].to_numpy(), color=colors)
    left.bar_label(bars, labels=[f"{v:,}" for v in table["客户数（位）"]], fontsize=9)
    left.set(title="客户数", xlabel="会员等级", ylabel="客户数（人）")
    wan = table["订单总金额（元）"].to_numpy() / 10000
    bars = right.bar(short, wan, color=colors)
    right.bar_label(bars, labels=[f"{v:,.1f}" for v in wan], fontsize=9)
    right.set(title="订单总金额", xlabel="会员等级", ylabel="订单总金额（万元）")
    for ax in (left, right):
        ax.tick_params(axis="x", labelsize=9)
    fig.suptitle(title)
    return fig


# ============================================================================
# 会员卡：每个等级一张手机端会员卡（银行卡的长宽比 85.6 : 54）
# ============================================================================

CARD_RATIO = 85.6 / 54
#: 按等级从低到高取色：银灰、蓝、金、黑
CARD_COLORS = ("#8D99AE", "#4E79A7", "#C9A227", "#2B2B36")
_CARD_TEXT = ("#FFFFFF", "#FFFFFF", "#3A2E05", "#E8C872")


def _draw_card(ax, tier, number: int, shop_name: str, color: str, text_color: str) -> None:
    from matplotlib.patches import FancyBboxPatch

    w, h = 85.6, 54.0
    ax.set_xlim(0, w)
    ax.set_ylim(0, h)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.add_patch(FancyBboxPatch((0.6, 0.6), w - 1.2, h - 1.2, boxstyle="round,pad=0,rounding_size=4",
                                facecolor=color, edgecolor="none"))
    # 一条浅色斜带做装饰
    ax.add_patch(FancyBboxPatch((48, 0.6), 20, h - 1.2, boxstyle="round,pad=0,rounding_size=0",
                                facecolor="#FFFFFF", alpha=0.10, edgecolor="none"))
    ax.text(5, h - 8, shop_name, color=text_color, fontsize=12, va="center")
    ax.text(w - 5, h - 8, f"VIP{number}", color=text_color, fontsize=11, ha="right", va="center")
    ax.text(5, h / 2 + 1, tier.name, color=text_color, fontsize=20, va="center")
    ax.text(5, 13, f"累计消费达到 {yuan_text(to_fen(tier.min_amount))} 元", color=text_color, fontsize=8.5, va="center")
    ax.text(5, 7, f"或交易达到 {tier.min_orders} 笔", color=text_color, fontsize=8.5, va="center")
    ax.text(w - 5, 7, "店铺会员卡", color=text_color, fontsize=8.5, ha="right", va="center", alpha=0.85)


@checked
def membership_card(tier: VipTier, number: int = 1, shop_name: str = "本店", color: str | None = None) -> Figure:
    """画一张会员卡（640 × 404 像素，和银行卡一样的长宽比），可以另存为图片上传到会员中心。

    参数
    ----
    tier : VipTier，例如 TEXTBOOK_VIP_TIERS[0]。
    number : 等级序号（1 = 最低一级），决定卡面上的“VIP1”和默认颜色。
    shop_name : 卡面上的店铺名。
    color : 卡面颜色；不给时按等级从 CARD_COLORS 里取。
    """
    apply_theme()
    if not 1 <= int(number) <= len(CARD_COLORS) and color is None:
        raise ValueError(f"等级序号 number 应在 1 到 {len(CARD_COLORS)} 之间，或者自己给出 color。")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, round(6.4 / CARD_RATIO, 2)), dpi=100)  # 640 × 404 像素（取整，避免截成 403）
    ax = fig.add_axes((0, 0, 1, 1))
    idx = min(max(int(number), 1), len(CARD_COLORS)) - 1
    _draw_card(ax, tier, int(number), shop_name, color or CARD_COLORS[idx], _CARD_TEXT[idx])
    return fig


@checked
def membership_cards(tiers=TEXTBOOK_VIP_TIERS, shop_name: str = "本店", colors=CARD_COLORS,
                     title: str | None = None) -> Figure:
    """把每个会员等级的会员卡排在一张图里（两列），卡面写店铺名、等级名、门槛，每级一种颜色。"""
    tiers = check_tiers(tiers)
    if len(colors) < len(tiers):
        raise ValueError(f"colors 只有 {len(colors)} 种颜色，但有 {len(tiers)} 个等级：请每个等级给一种颜色。")
    apply_theme()
    cols = 2
    rows = (len(tiers) + cols - 1) // cols
    card_h = 3.9 / CARD_RATIO
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.0, rows * (card_h + 0.15) + 0.5), dpi=100, layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
    for i, ax in enumerate(axes):  # 循环的是几张卡，不是客户
        if i >= len(tiers):
            ax.axis("off")
            continue
        text = _CARD_TEXT[i] if i < len(_CARD_TEXT) else "#FFFFFF"
        _draw_card(ax, tiers[i], i + 1, shop_name, colors[i], text)
    fig.suptitle(title or f"{shop_name}会员卡（{len(tiers)} 个等级）")
    return fig

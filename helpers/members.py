"""店铺会员与客户标签：客户标签、2018 年领卡规则（潜在会员）、人群洞察、新会员礼包检查、会员卡图片、首购客户回购分析。

任务一（店铺VIP会员）、任务二（新会员营销）和任务三（PGSB 分级之外的客户）用到这里的函数。
所有计算都是整列的 pandas 运算（不逐个客户循环）；日期按“天”比较，金额按“分”比较。
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from .charts import new_figure
from .fonts import PALETTE, apply_theme
from .summary import customer_summary
from .validation import checked, parse_date, prepare_orders, require_columns
from .vip import TEXTBOOK_VIP_TIERS, VipTier, check_tiers

# ============================================================================
# 一、客户标签：基础标签（人是谁）与行为标签（人做了什么）
# ============================================================================

# 年龄段：(最大年龄（含）, 名称)，从小到大
AGE_BANDS = ((24, "24 岁及以下"), (29, "25–29 岁"), (34, "30–34 岁"), (39, "35–39 岁"), (200, "40 岁及以上"))
# 最近一次下单距今：(最多几天（含）, 名称)
RECENCY_BANDS = ((30, "30 天内"), (90, "31–90 天"), (180, "91–180 天"), (365, "181–365 天"),
                 (10 ** 6, "一年以上"))
NEVER_ORDERED = "从未下单"
# 订单总数：(最少几笔, 名称)，从多到少
ORDER_BANDS = ((5, "5 单及以上"), (3, "3–4 单"), (2, "2 单"), (1, "1 单"), (0, "未下单"))

# 标签表的每一列：(列名, 中文名, 类型)。淘气值是淘宝平台的数据，店铺拿不到，所以不在表里。
LABELS = (
    ("gender", "性别", "基础标签"),
    ("age_band", "年龄段", "基础标签"),
    ("occupation", "职业", "基础标签"),
    ("province", "所属地区（省份）", "基础标签"),
    ("recency_band", "最近一次下单", "行为标签"),
    ("order_band", "订单总数", "行为标签"),
    ("repurchaser", "复购过（订单总数 ≥ 2）", "行为标签"),
    ("browsed", "近 30 天浏览过", "行为标签"),
    ("favourited", "近 30 天收藏过", "行为标签"),
    ("carted", "近 30 天加购过", "行为标签"),
)
LABEL_NAMES = {col: name for col, name, _ in LABELS}
LABEL_KINDS = {col: kind for col, _, kind in LABELS}
EVENT_LABELS = {"browsed": "浏览", "favourited": "收藏", "carted": "加购"}


def _bands_upper(values: pd.Series, bands) -> pd.Categorical:
    """按“最大值（含）”分档：值 ≤ 第一档上限归第一档，依此类推。"""
    arr = values.to_numpy(dtype="float64", na_value=np.nan)
    names = [name for _, name in bands]
    codes = np.select([arr <= upper for upper, _ in bands], list(range(len(bands))), default=-1)
    return pd.Categorical.from_codes(codes, categories=names, ordered=True)


@checked
def customer_labels(customers: pd.DataFrame, orders: pd.DataFrame, events: pd.DataFrame | None = None,
                    as_of=None, recent_days: int = 30) -> pd.DataFrame:
    """给每位客户贴上基础标签（性别、年龄段、职业、地区）和行为标签（下单、复购、浏览、收藏、加购）。

    参数
    ----
    customers : 客户表（customer_id、gender、age、occupation、province）。
    orders : 订单表。
    events : 行为事件表（customer_id、event_time、event、product）；不给时浏览、收藏、加购三列为 False。
    as_of : 贴标签的那一天（“今天”）。和店铺的“今天”一样，只用这一天之前（不含当天）的订单和行为。
    recent_days : “近 N 天”的 N，默认 30：as_of 之前的 N 天（不含 as_of 当天）。

    返回以 customer_id 为索引的 DataFrame，列见 LABELS（中文名见 LABEL_NAMES）。
    淘气值由淘宝平台计算，店铺的数据里没有，所以不在表里。
    """
    require_columns(customers, ["customer_id", "gender", "age", "occupation", "province"], "客户表",
             "请传入 load_shop(...).customers。")
    if as_of is None:
        raise ValueError("customer_labels 需要 as_of（贴标签的日期），例如 shop.today；不用电脑当前时间。")
    day = parse_date(as_of, "as_of")
    if int(recent_days) < 1:
        raise ValueError(f"recent_days 应是正整数（例如 30），收到 {recent_days!r}。")
    summary = customer_summary(orders, customers=customers, as_of=day - pd.Timedelta(days=1))
    out = pd.DataFrame(index=summary.index)
    out["gender"] = summary["gender"]
    out["age_band"] = _bands_upper(summary["age"], AGE_BANDS)
    out["occupation"] = summary["occupation"]
    out["province"] = summary["province"]
    recency = _bands_upper(summary["recency_days"].astype("float64") + 1, RECENCY_BANDS)  # 距“今天”的天数
    recency = recency.add_categories([NEVER_ORDERED]).fillna(NEVER_ORDERED)
    out["recency_band"] = recency
    counts = summary["order_count"].to_numpy()
    order_names = [name for _, name in ORDER_BANDS]
    out["order_band"] = pd.Categorical(np.select([counts >= low for low, _ in ORDER_BANDS], order_names,
                                                 default=order_names[-1]),
                                       categories=order_names[::-1], ordered=True)
    out["repurchaser"] = summary["order_count"] >= 2
    start = day - pd.Timedelta(days=int(recent_days))
    for col, kind in EVENT_LABELS.items():
        out[col] = False
    if events is not None:
        require_columns(events, ["customer_id", "event_time", "event"], "行为事件表", "请传入 load_shop('xiayi').events。")
        times = events["event_time"]
        recent = events[(times >= start) & (times < day)]
        for col, kind in EVENT_LABELS.items():
            out[col] = out.index.isin(recent.loc[recent["event"] == kind, "customer_id"])
    out.attrs["as_of"] = day
    return out


@checked
def label_lift(labels: pd.DataFrame, outcome: pd.Series, min_size: int = 100) -> pd.DataFrame:
    """比较每个标签“区分客户”的本领：按标签取值分组后，结果比例最高组与最低组差多少。

    参数
    ----
    labels : customer_labels 的结果。
    outcome : 与 labels 同索引的 True/False，例如“之后是否下单”。
    min_size : 人数少于这个数的标签取值不参与比较（人太少时比例不可靠），默认 100。

    返回每个标签一行：类型、最低比例（%）及其取值、最高比例（%）及其取值、差距（百分点），按差距从大到小。
    """
    if not outcome.index.equals(labels.index):
        outcome = outcome.reindex(labels.index)
    if outcome.isna().any():
        raise ValueError("outcome 里有客户在 labels 中找不到或是空值：请用与 labels 相同的客户索引。")
    y = outcome.astype(bool)
    rows = []
    for col, name, kind in LABELS:  # 循环的是 10 个标签，不是客户
        if col not in labels.columns:
            continue
        stats = y.groupby(labels[col], observed=True).agg(["mean", "size"])
        stats = stats[stats["size"] >= min_size]
        if len(stats) < 2:
            continue
        low, high = stats["mean"].idxmin(), stats["mean"].idxmax()
        rows.append((name, kind, _label_value(low), round(stats.loc[low, "mean"] * 100, 1),
                     _label_value(high), round(stats.loc[high, "mean"] * 100, 1)))
    out = pd.DataFrame(rows, columns=["标签", "类型", "最低的取值", "最低比例（%）", "最高的取值", "最高比例（%）"])
    out = out.astype({"最低比例（%）": "float64", "最高比例（%）": "float64"})  # 没有标签入选时也是数值列
    out["差距（百分点）"] = (out["最高比例（%）"] - out["最低比例（%）"]).round(1)
    return out.sort_values(["差距（百分点）", "标签"], ascending=[False, True]).set_index("标签")


def _label_value(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "是" if value else "否"
    return str(value)


@checked
def label_rates(labels: pd.DataFrame, outcome: pd.Series, column: str) -> pd.DataFrame:
    """一个标签每个取值的人数和结果比例（%），例如“最近一次下单”各档后来下单的比例。"""
    if column not in labels.columns:
        raise ValueError(f"标签表里没有 {column} 列。可用的列：{'、'.join(labels.columns)}。")
    y = outcome.reindex(labels.index).astype(bool)
    stats = y.groupby(labels[column], observed=True).agg(["size", "mean"])
    stats.index = [_label_value(v) for v in stats.index]
    stats.index.name = LABEL_NAMES.get(column, column)
    return pd.DataFrame({"客户数（位）": stats["size"].astype("int64"),
                         "比例（%）": (stats["mean"] * 100).round(1)})


@checked
def label_lift_chart(lift: pd.DataFrame, title: str = "哪类标签更能区分客户") -> Figure:
    """横向条形图：每个标签的“最高组 − 最低组”差距（百分点），基础标签和行为标签用两种颜色。"""
    fig, ax = new_figure(7.2, 4.0)
    ordered = lift.iloc[::-1]
    colors = [PALETTE[0] if k == "行为标签" else PALETTE[9] for k in ordered["类型"]]
    bars = ax.barh(list(ordered.index), ordered["差距（百分点）"].to_numpy(), color=colors)
    ax.bar_label(bars, labels=[f"{v:.1f}" for v in ordered["差距（百分点）"]], padding=2, fontsize=9)
    ax.set_xlabel("最高组与最低组的比例之差（百分点）")
    ax.set_ylabel("标签")
    ax.set_title(title)
    from matplotlib.patches import Patch
    ax.legend(handles=[Patch(color=PALETTE[0], label="行为标签"), Patch(color=PALETTE[9], label="基础标签")],
              loc="lower right")
    return fig


NOT_REACHED = "未达门槛（下过单）"


@checked
def tier_table(summary: pd.DataFrame, tiers=TEXTBOOK_VIP_TIERS, strict: bool = False) -> pd.DataFrame:
    """每个会员等级有多少位客户、累计消费多少元（精确到分），以及金额占全部买家的比例。

    参数
    ----
    summary : 客户汇总表（shop.summary()）。
    tiers : 会员等级，默认教材的四级。
    strict : 门槛按“大于”理解时为 True；默认按“达到”（≥）。

    只算下过单的客户；一级都没达到的买家单独一行“未达门槛（下过单）”。
    """
    from .vip import vip_tier

    tiers = check_tiers(tiers)
    require_columns(summary, ["order_count", "total_amount"], "客户汇总表", "请先用 shop.summary() 汇总。")
    level = vip_tier(summary, tiers, strict=strict)
    names = [t.name for t in tiers] + [NOT_REACHED]
    buyers = summary["order_count"].to_numpy() > 0
    label = pd.Series(level.astype(object).where(level.notna(), NOT_REACHED).to_numpy(), index=summary.index)[buyers]
    fen = pd.Series(np.round(summary["total_amount"].to_numpy() * 100).astype("int64"), index=summary.index)[buyers]
    out = pd.DataFrame({"客户数（位）": label.value_counts().reindex(names, fill_value=0),
                        "订单总金额（元）": fen.groupby(label).sum().reindex(names, fill_value=0) / 100})
    total = out["订单总金额（元）"].sum()
    out["金额占比（%）"] = (out["订单总金额（元）"] / total * 100).round(1) if total else 0.0
    out.index.name = "会员等级"
    return out


@checked
def tier_chart(table: pd.DataFrame, title: str = "各会员等级的客户数与订单总金额") -> Figure:
    """左图：各等级客户数（人）；右图：各等级订单总金额（万元）。table 是 tier_table(...) 的结果。"""
    apply_theme()
    fig = Figure(figsize=(8.4, 3.6), dpi=100, layout="constrained")
    left, right = fig.subplots(1, 2)
    names = list(table.index)
    colors = [CARD_COLORS[i] if i < len(CARD_COLORS) and n != NOT_REACHED else PALETTE[9]
              for i, n in enumerate(names)]
    short = [n.replace("（下过单）", "") for n in names]
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
# 二、人群指标分解与访客人群洞察（任务训练 1）
# ============================================================================

@checked
def crowd_metrics(summary: pd.DataFrame, groups: dict) -> pd.DataFrame:
    """人群指标分解：每个人群的客户数、下单人数、订单总金额、平均订单价、复购占比，一组一行。

    参数
    ----
    summary : 客户汇总表（shop.summary()）。
    groups : {人群名称: 布尔掩码或客户编号集合}，例如 {"医生/教师": mask, "全店": slice(None)}。
    """
    require_columns(summary, ["order_count", "total_amount"], "客户汇总表", "请先用 shop.summary() 汇总。")
    rows = {}
    for name, members in groups.items():  # 循环的是几个人群，不是客户
        part = summary.loc[members]
        buyers = part[part["order_count"] > 0]
        fen = int(np.round(part["total_amount"].to_numpy() * 100).sum())
        orders = int(part["order_count"].sum())
        rows[name] = {
            "客户数（位）": len(part),
            "下过单的客户（位）": len(buyers),
            "下单客户占比（%）": round(len(buyers) / len(part) * 100, 1) if len(part) else 0.0,
            "订单总数（笔）": orders,
            "订单总金额（元）": fen / 100,
            "人均消费（元，按下单客户）": round(fen / 100 / len(buyers), 2) if len(buyers) else 0.0,
            "平均订单价（元）": round(fen / 100 / orders, 2) if orders else 0.0,
            "复购客户占比（%，按下单客户）": round((buyers["order_count"] >= 2).mean() * 100, 1) if len(buyers) else 0.0,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


@checked
def crowd_insight(events: pd.DataFrame, members, event: str = "浏览", top: int | None = 10, *,
                  population) -> pd.DataFrame:
    """访客人群洞察：一个人群里有多少人浏览（或收藏、加购）过每个商品，和全店客户相比偏好有多强（TGI）。

    参数
    ----
    events : 行为事件表（customer_id、event、product）。
    members : 人群的客户编号（列表、集合或 Index）。
    event : 看哪种行为：'浏览'、'收藏'、'加购' 或 '下单'。
    top : 只列人群人数最多的前几个商品；None 列出全部商品。
    population : 全店客户的编号（例如 summary.index）：TGI 拿人群和这些客户比，
                 人群里不在其中的客户不算。

    按“人”算（一个人浏览同一商品多次只算一人）：
    人群占比 = 人群里有这种行为的人数 ÷ 人群人数；全店占比 = 全店有这种行为的人数 ÷ 全店客户数；
    TGI = 人群占比 ÷ 全店占比 × 100（保留一位小数）。高于 100 表示这个人群比全店更偏爱这个商品。
    """
    require_columns(events, ["customer_id", "event", "product"], "行为事件表", "请传入 load_shop('xiayi').events。")
    known = set(events["event"].unique())
    if event not in known:
        raise ValueError(f"行为事件表里没有“{event}”这种行为。可用的行为：{'、'.join(sorted(known))}。")
    everyone = pd.Index(population).astype(str).unique()
    crowd_ids = pd.Index(members).astype(str).unique()
    crowd_ids = crowd_ids[crowd_ids.isin(everyone)]
    if len(crowd_ids) == 0:
        raise ValueError("人群里没有一位客户在 population（全店客户）里：请检查 members 和 population 是不是同一家店的编号。")
    pairs = events.loc[(events["event"] == event) & events["customer_id"].isin(everyone),
                       ["customer_id", "product"]].drop_duplicates()
    people_all = pairs["product"].value_counts()
    people_crowd = pairs.loc[pairs["customer_id"].isin(crowd_ids), "product"].value_counts()
    if people_crowd.sum() == 0:
        raise ValueError(f"这个人群没有任何“{event}”记录，无法做人群洞察。")
    share_crowd = people_crowd / len(crowd_ids)
    share_all = people_all.reindex(people_crowd.index) / len(everyone)
    out = pd.DataFrame({"人群人数（位）": people_crowd,
                        "人群占比（%）": (share_crowd * 100).round(1),
                        "全店人数（位）": people_all.reindex(people_crowd.index),
                        "全店占比（%）": (share_all * 100).round(1),
                        "TGI": (share_crowd / share_all * 100).round(1)})
    out.index.name = "商品"
    out = out.sort_values(["人群人数（位）", "TGI"], ascending=[False, False], kind="stable")
    return out if top is None else out.head(int(top))


# ============================================================================
# 三、2018 年规则：达到门槛只是“潜在会员”，领卡后才是会员
# ============================================================================

# 本工作簿的决定：教材只说“2018 年”起，我们把规则生效日定为 2018-01-01。
RULE_CHANGE_DATE = "2018-01-01"
MEMBER_STATUSES = ("规则前自动入会", "已领卡会员", "潜在会员", "未达门槛", "未下单")


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
    need_fen = int(round(first.min_amount * 100))
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


# ============================================================================
# 四、新会员礼包：最多 3 张店铺优惠券 + 1 份礼品，面额不超过 100 元……
# ============================================================================

@checked
@dataclass(frozen=True)
class Coupon:
    """一张优惠券：面额（元）、使用门槛（满多少元可用，0 = 无门槛）、券的种类。"""

    face_value: float
    threshold: float = 0.0
    kind: str = "店铺优惠券"
    name: str = ""

    def __post_init__(self):
        if isinstance(self.face_value, bool) or not isinstance(self.face_value, (int, float, np.integer, np.floating)) \
                or not np.isfinite(self.face_value) or self.face_value <= 0:
            raise ValueError(f"优惠券面额 face_value 应是大于 0 的数字（元），收到 {self.face_value!r}。")
        if isinstance(self.threshold, bool) or not isinstance(self.threshold, (int, float, np.integer, np.floating)) \
                or not np.isfinite(self.threshold) or self.threshold < 0:
            raise ValueError(f"使用门槛 threshold 应是不小于 0 的数字（元，0 = 无门槛），收到 {self.threshold!r}。")
        if not str(self.kind).strip():
            raise ValueError("优惠券种类 kind 不能为空，例如“店铺优惠券”。")

    @property
    def face_fen(self) -> int:
        return int(round(float(self.face_value) * 100))

    def describe(self) -> str:
        """读成一句话，例如“5 元无门槛店铺优惠券”“满 199 元减 10 元店铺优惠券”。"""
        head = f"{self.name}：" if self.name else ""
        if self.threshold == 0:
            return f"{head}{_money(self.face_value)} 元无门槛{self.kind}"
        return f"{head}满 {_money(self.threshold)} 元减 {_money(self.face_value)} 元{self.kind}"


@checked
@dataclass(frozen=True)
class GiftPack:
    """新会员礼包：几张优惠券、几份专享礼，以及入会后多少小时内发放。"""

    coupons: tuple = ()
    gifts: tuple = ()
    issue_within_hours: float = 24
    name: str = "新会员礼包"

    def __post_init__(self):
        object.__setattr__(self, "coupons", tuple(self.coupons))
        gifts = (self.gifts,) if isinstance(self.gifts, str) else tuple(self.gifts)
        object.__setattr__(self, "gifts", gifts)
        for c in self.coupons:
            if not isinstance(c, Coupon):
                raise ValueError(f"礼包里的优惠券应是 Coupon(...)，收到 {c!r}。例如 Coupon(5) 表示 5 元无门槛券。")

    def describe(self) -> str:
        """把礼包读成几行中文。"""
        lines = [f"{self.name}（入会后 {self.issue_within_hours:g} 小时内发放）："]
        lines += [f"  券 {i}：{c.describe()}" for i, c in enumerate(self.coupons, start=1)]
        lines += [f"  礼 {i}：{g}" for i, g in enumerate(self.gifts, start=1)]
        return "\n".join(lines)


@checked
@dataclass(frozen=True)
class GiftPackRules:
    """新会员礼包的平台规则（都是数据，可以改）。"""

    max_coupons: int = 3
    max_gifts: int = 1
    coupon_kind: str = "店铺优惠券"
    max_face_value: float = 100.0
    max_denominations: int = 50
    max_issue_hours: float = 24.0


TEXTBOOK_GIFT_PACK_RULES = GiftPackRules()


def _money(value) -> str:
    return f"{float(value):g}"


@checked
def check_gift_pack(pack: GiftPack, existing_denominations=(), rules: GiftPackRules = TEXTBOOK_GIFT_PACK_RULES,
                    raise_errors: bool = False) -> list:
    """检查新会员礼包是否符合平台规则，返回违反的规则（中文，一条一句）；空列表表示全部符合。

    参数
    ----
    pack : GiftPack(...)。
    existing_denominations : 店铺里已经在用的优惠券面额（元），例如 [3, 5, 10]；
                             平台规定一家店铺的优惠券面额最多 50 种，要加新面额得先删旧的。
    rules : 平台规则，默认 TEXTBOOK_GIFT_PACK_RULES（3 张券、1 份礼、店铺券、≤ 100 元、50 种面额、24 小时）。
    raise_errors : True 时，有违反就抛出 ValueError（信息里列出全部问题）。
    """
    if not isinstance(pack, GiftPack):
        raise ValueError(f"check_gift_pack 需要 GiftPack(...)，收到 {type(pack).__name__}。")
    problems = []
    n = len(pack.coupons)
    if n > rules.max_coupons:
        problems.append(f"【券数】礼包最多放 {rules.max_coupons} 张优惠券：现在有 {n} 张，请删掉 {n - rules.max_coupons} 张。")
    g = len(pack.gifts)
    if g > rules.max_gifts:
        problems.append(f"【礼品】礼包最多放 {rules.max_gifts} 份专享礼：现在有 {g} 份，请只留 {rules.max_gifts} 份。")
    for i, c in enumerate(pack.coupons, start=1):
        if c.kind != rules.coupon_kind:
            problems.append(f"【券种】礼包只能放{rules.coupon_kind}：第 {i} 张是“{c.kind}”，请换成{rules.coupon_kind}。")
        if c.face_fen > int(round(rules.max_face_value * 100)):
            problems.append(f"【面额】优惠券面额最高 {_money(rules.max_face_value)} 元：第 {i} 张是 "
                            f"{_money(c.face_value)} 元，请改到 {_money(rules.max_face_value)} 元以内。")
    existing = {int(round(float(v) * 100)) for v in existing_denominations}
    if any(v <= 0 for v in existing):
        raise ValueError("existing_denominations 里的面额都应大于 0 元。")
    new = sorted({c.face_fen for c in pack.coupons} - existing)
    total = len(existing) + len(new)
    if total > rules.max_denominations:
        names = "、".join(f"{_money(v / 100)} 元" for v in new)
        problems.append(f"【面额种数】一家店铺的优惠券面额最多 {rules.max_denominations} 种：已有 {len(existing)} 种，"
                        f"加上新面额 {names}后共 {total} 种，请先删除 {total - rules.max_denominations} 种不再使用的旧面额。")
    hours = float(pack.issue_within_hours)
    if not 0 < hours <= rules.max_issue_hours:
        problems.append(f"【发放时间】礼包要在客户入会后 {_money(rules.max_issue_hours)} 小时内发放：现在设置的是 "
                        f"{_money(hours)} 小时，请改为 0 到 {_money(rules.max_issue_hours)} 小时之间。")
    if problems and raise_errors:
        raise ValueError("新会员礼包不符合平台规则：\n" + "\n".join(problems))
    return problems


@checked
def gift_pack_editor(pack: GiftPack | None = None, existing_denominations=(),
                     rules: GiftPackRules = TEXTBOOK_GIFT_PACK_RULES):
    """新会员礼包编辑器（课堂小部件）：改券的面额、门槛、种类和礼品，立即看到违反了哪条平台规则。

    等价的普通函数：``check_gift_pack(GiftPack(...), existing_denominations)``。
    返回的小部件有 ``.pack`` 属性（当前填写的 GiftPack）和 ``.problems``（当前的问题列表）。
    """
    import html

    import ipywidgets as W

    pack = pack or GiftPack()
    slots = max(rules.max_coupons + 1, len(pack.coupons))
    kinds = sorted({rules.coupon_kind, "商品优惠券", "平台优惠券", *(c.kind for c in pack.coupons)})
    rows = []
    for i in range(slots):
        c = pack.coupons[i] if i < len(pack.coupons) else None
        rows.append((W.Checkbox(value=c is not None, description=f"券 {i + 1}", indent=False,
                                layout=W.Layout(width="60px")),
                     W.BoundedFloatText(value=c.face_value if c else 5.0, min=0.01, max=10000, step=1,
                                        description="面额（元）", layout=W.Layout(width="170px")),
                     W.BoundedFloatText(value=c.threshold if c else 0.0, min=0, max=100000, step=1,
                                        description="门槛（元）", layout=W.Layout(width="170px")),
                     W.Dropdown(options=kinds, value=c.kind if c else rules.coupon_kind,
                                layout=W.Layout(width="130px"))))
    gifts = W.Text(value="、".join(pack.gifts), description="专享礼（用“、”分隔）",
                   style={"description_width": "initial"}, layout=W.Layout(width="420px"))
    hours = W.BoundedFloatText(value=pack.issue_within_hours, min=0, max=1000, description="入会后几小时内发放",
                               style={"description_width": "initial"})
    existing = W.Text(value="、".join(_money(v) for v in existing_denominations),
                      description="店里已有的券面额（元，用“、”分隔）", style={"description_width": "initial"},
                      layout=W.Layout(width="520px"))
    result = W.HTML()
    box = W.VBox([*[W.HBox(list(r)) for r in rows], gifts, hours, existing, result])

    def current() -> tuple[GiftPack, list]:
        coupons = [Coupon(face.value, threshold.value, kind.value) for use, face, threshold, kind in rows if use.value]
        gift_names = [g.strip() for g in gifts.value.replace(",", "、").split("、") if g.strip()]
        values = [float(v) for v in existing.value.replace(",", "、").split("、") if v.strip()]
        new_pack = GiftPack(coupons, gift_names, hours.value, pack.name)
        return new_pack, check_gift_pack(new_pack, values, rules)

    def update(change=None) -> None:
        try:
            box.pack, box.problems = current()
        except ValueError as exc:
            result.value = f"<span style='color:#C0392B'>{html.escape(str(exc))}</span>"
            return
        text = html.escape(box.pack.describe()).replace("\n", "<br>")
        if box.problems:
            items = "".join(f"<li>{html.escape(p)}</li>" for p in box.problems)
            result.value = f"{text}<br><b style='color:#C0392B'>不符合平台规则：</b><ul>{items}</ul>"
        else:
            result.value = f"{text}<br><b style='color:#1E8449'>全部符合平台规则。</b>"

    for control in [c for r in rows for c in r] + [gifts, hours, existing]:
        control.observe(update, names="value")
    update()
    return box


# ============================================================================
# 五、会员卡：每个等级一张手机端会员卡（银行卡的长宽比 85.6 : 54）
# ============================================================================

CARD_RATIO = 85.6 / 54
# 按等级从低到高取色：银灰、蓝、金、黑
CARD_COLORS = ("#8D99AE", "#4E79A7", "#C9A227", "#2B2B36")
_CARD_TEXT = ("#FFFFFF", "#FFFFFF", "#3A2E05", "#E8C872")


def _draw_card(ax, tier, number: int, shop_name: str, color: str, text_color: str) -> None:
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
    ax.text(5, 13, f"累计消费达到 {_money(tier.min_amount)} 元", color=text_color, fontsize=8.5, va="center")
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
    fig = Figure(figsize=(8.0, rows * (card_h + 0.15) + 0.5), dpi=100, layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
    for i, ax in enumerate(axes):
        if i >= len(tiers):
            ax.axis("off")
            continue
        text = _CARD_TEXT[i] if i < len(_CARD_TEXT) else "#FFFFFF"
        _draw_card(ax, tiers[i], i + 1, shop_name, colors[i], text)
    fig.suptitle(title or f"{shop_name}会员卡（{len(tiers)} 个等级）")
    return fig


# ============================================================================
# 六、首购客户跟进：第一次买完之后，多少人在 30/90/180 天内回来再买
# ============================================================================

@checked
def first_purchase_followup(orders: pd.DataFrame, as_of, windows=(30, 90, 180)) -> pd.DataFrame:
    """每位买家的首单日期、下一次（首单之后另一天）下单的日期，以及是否在 N 天内复购。

    参数
    ----
    orders : 订单表；只用 as_of 当天及以前的订单。
    as_of : 评估日（含当天）。
    windows : 要看的天数，默认 30、90、180 天。

    复购的定义：首单日期之后（不含首单当天）N 天之内又下了单。
    观察期不够 N 天的客户（首单日期 + N 天晚于 as_of），repurchase_N 为空值（不参与比例）。
    返回以 customer_id 为索引的 DataFrame：first_order、next_order、days_to_next、repurchase_30 ……
    """
    windows = tuple(int(w) for w in windows)
    if not windows or min(windows) < 1:
        raise ValueError(f"windows 应是若干个正整数天数，例如 (30, 90, 180)，收到 {windows!r}。")
    day = parse_date(as_of, "as_of")
    prepared = prepare_orders(orders)
    prepared = prepared[prepared["order_time"] < day + pd.Timedelta(days=1)]
    dates = prepared["order_time"].dt.normalize()
    first = dates.groupby(prepared["customer_id"]).min()
    later = dates > prepared["customer_id"].map(first)
    nxt = dates[later].groupby(prepared.loc[later, "customer_id"]).min()
    out = pd.DataFrame({"first_order": first})
    out.index.name = "customer_id"
    out["next_order"] = nxt.reindex(out.index)
    gap = (out["next_order"] - out["first_order"]).dt.days
    out["days_to_next"] = gap.astype("Int64")
    for w in windows:
        observable = out["first_order"] + pd.Timedelta(days=w) <= day
        flag = pd.array(gap.le(w).to_numpy(), dtype="boolean")
        flag[~observable.to_numpy()] = pd.NA
        out[f"repurchase_{w}"] = flag
    out.attrs["as_of"] = day
    return out


@checked
def first_order_cohort(followup: pd.DataFrame, start, end, inside: str = "活动新客",
                       outside: str = "其他新客") -> pd.Series:
    """按首单日期给买家分两组：首单在 [start, end]（两端都含）的为 inside，其余为 outside。"""
    lo, hi = parse_date(start, "start"), parse_date(end, "end")
    if hi < lo:
        raise ValueError(f"end（{hi.date()}）早于 start（{lo.date()}），请检查日期。")
    f = followup["first_order"]
    labels = np.where((f >= lo) & (f <= hi), inside, outside)
    return pd.Series(pd.Categorical(labels, categories=[inside, outside]), index=followup.index, name="cohort")


@checked
def repurchase_rates(followup: pd.DataFrame, cohort: pd.Series) -> pd.DataFrame:
    """各组买家在 30/90/180 天内的复购率：每个窗口给出可观察人数、复购人数、复购率（%）。"""
    cols = [c for c in followup.columns if c.startswith("repurchase_")]
    if not cols:
        raise ValueError("followup 里没有 repurchase_N 列：请先用 first_purchase_followup(...) 计算。")
    frames = {}
    for col in cols:  # 循环的是 3 个时间窗口，不是客户
        w = col.split("_", 1)[1]
        flag = followup[col]
        known = flag.notna()
        grouped = flag[known].astype(bool).groupby(cohort[known], observed=False)
        frames[f"{w} 天内"] = pd.DataFrame({"可观察人数": grouped.size(), "复购人数": grouped.sum(),
                                           "复购率（%）": (grouped.mean() * 100).round(1)})
    out = pd.concat(frames, axis=1)
    out.index.name = "客户组"
    return out


@checked
def repurchase_chart(rates: pd.DataFrame, title: str = "首单之后多少人回来再买") -> Figure:
    """分组柱状图：repurchase_rates(...) 的结果，横轴是时间窗口，每组客户一种颜色，柱上标复购率（%）。"""
    if not isinstance(rates.columns, pd.MultiIndex) or "复购率（%）" not in rates.columns.get_level_values(1):
        raise ValueError("repurchase_chart 要的是 repurchase_rates(...) 的结果（两层表头，下层有“复购率（%）”），"
                         f"收到的表的列是：{'、'.join(map(str, list(rates.columns)[:6])) or '没有列'}。")
    fig, ax = new_figure(6.8, 3.6)
    table = rates.xs("复购率（%）", axis=1, level=1)
    windows = list(table.columns)
    x = np.arange(len(windows))
    width = 0.8 / max(len(table), 1)
    for i, group in enumerate(table.index):  # 循环的是两三个客户组，不是客户
        row = table.loc[group]
        color = PALETTE[[1, 0, 2, 3, 4][i % 5]]  # 第一组（活动新客）橙色，第二组蓝色
        bars = ax.bar(x + (i - (len(table) - 1) / 2) * width, row.to_numpy(), width, label=str(group), color=color)
        ax.bar_label(bars, labels=[f"{v:.1f}%" for v in row], fontsize=9, padding=2)
    ax.set_xticks(x, windows)
    ax.set_xlabel("首单之后的时间窗口")
    ax.set_ylabel("复购率（%）")
    ax.set_title(title)
    ax.legend(loc="upper left")
    return fig


@checked
def monthly_sales(orders: pd.DataFrame, highlight=None, highlight_label: str = "重点客户",
                  other_label: str = "其他客户") -> pd.DataFrame:
    """每月销售额（元，精确到分），可把一组客户（highlight）单独列出来。"""
    prepared = prepare_orders(orders)
    month = prepared["order_time"].dt.strftime("%Y-%m")
    group = np.where(prepared["customer_id"].isin(pd.Index(highlight if highlight is not None else [])),
                     highlight_label, other_label)
    fen = prepared["amount_fen"].groupby([month, group]).sum().unstack(fill_value=0)
    for label in (highlight_label, other_label):
        if label not in fen.columns:
            fen[label] = 0
    out = fen[[highlight_label, other_label]] / 100
    out["合计"] = fen[[highlight_label, other_label]].sum(axis=1) / 100
    out.index.name = "月份"
    out.columns.name = None
    return out


@checked
def monthly_sales_chart(table: pd.DataFrame, title: str = "每月销售额") -> Figure:
    """堆叠柱状图：monthly_sales(...) 的结果，每月两段（重点客户 / 其他客户），单位万元。"""
    fig, ax = new_figure(8.0, 3.8)
    parts = [c for c in table.columns if c != "合计"]
    bottom = np.zeros(len(table))
    colors = [PALETTE[1], PALETTE[0]]
    for i, col in enumerate(parts):
        values = table[col].to_numpy() / 10000
        ax.bar(list(table.index), values, bottom=bottom, color=colors[i % 2], label=col)
        bottom = bottom + values
    ax.set_xlabel("月份")
    ax.set_ylabel("销售额（万元）")
    ax.set_title(title)
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(loc="upper left")
    return fig


# ============================================================================
# 七、PGSB 之外的客户：无订购客户、无销售客户、非订购客户
# ============================================================================

LAYER_ORDER = ("P", "G", "S", "B", "无订购客户", "无销售客户", "非订购客户")


@checked
def customer_layers(summary: pd.DataFrame, rfm: pd.DataFrame, events: pd.DataFrame | None = None) -> pd.Series:
    """把全部客户分成 P/G/S/B 四级和三类“级外客户”，一位客户只归一类。

    参数
    ----
    summary : 客户汇总表（截至评估日，含从未下单的客户），需要 order_count 列。
    rfm : rfm_score(...) 的结果（评估期内下过单的客户及其 level）。
    events : 行为事件表；用来找“加购过但从没下单”的客户。

    规则（按顺序，先满足先归类）：
    评估期内下过单 → 该客户的 P/G/S/B；
    以前下过单、评估期内没有 → 无订购客户（很久没买的老客户）；
    从没下过单、但加购过 → 无销售客户；
    从没下过单、也没加购过 → 非订购客户（只关注、浏览或领券）。
    恶意客户（恶意差评、职业索赔等）需要人工标记，数据里没有，所以不在结果里。
    """
    require_columns(summary, ["order_count"], "客户汇总表", "请先用 shop.summary() 汇总。")
    require_columns(rfm, ["level"], "RFM 结果", "请传入 rfm_score(...) 的结果。")
    level = rfm["level"].astype(str).reindex(summary.index)
    ordered = summary["order_count"].to_numpy() > 0
    carted = np.zeros(len(summary), dtype=bool)
    if events is not None:
        require_columns(events, ["customer_id", "event"], "行为事件表", "请传入 load_shop('xiayi').events。")
        carted = summary.index.isin(events.loc[events["event"] == "加购", "customer_id"])
    values = np.select([level.notna().to_numpy(), ordered, carted],
                       [level.fillna("").to_numpy(), "无订购客户", "无销售客户"], default="非订购客户")
    return pd.Series(pd.Categorical(values, categories=list(LAYER_ORDER)), index=summary.index, name="layer")

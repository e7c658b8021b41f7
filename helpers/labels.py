"""客户标签与人群：分档的定义（年龄段、最近一次下单、订单总数）、“未下单”“未达门槛（下过单）”两个标签，
给客户贴标签（customer_labels）、比较标签的区分力（label_lift、label_rates、label_lift_chart），
以及任务训练 1 的人群指标分解（crowd_metrics）和访客人群洞察（crowd_insight，TGI）。

全工作簿的年龄段、未下单、未达门槛（下过单）都只在这里定义一次：第 05 课的客户标签、第 10 课的属性表、
会员等级表（vip.tier_table）和领卡规则（membership.membership_status）用的是同一套名字和同一个意思。
所有计算都是整列的 pandas 运算（不逐个客户循环）；日期按“天”比较，金额按“分”计算。
"""
from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .fonts import PALETTE
from .money import fen_to_yuan, round_yuan, to_fen
from .summary import customer_summary
from .validation import checked, parse_date, require_columns

if TYPE_CHECKING:   # 绘图库在画图时才导入，import helpers 不用等它
    from matplotlib.figure import Figure

# ============================================================================
# 一、分档与两个“不在等级里”的标签（全工作簿只定义这一次）
# ============================================================================

#: 年龄段的分界（岁），左闭右开：[0, 25) 是“24 岁及以下”，[25, 30) 是“25–29 岁”……[45, 200) 是“45 岁及以上”。
AGE_EDGES = (0, 25, 30, 35, 40, 45, 200)
AGE_LABELS = ("24 岁及以下", "25–29 岁", "30–34 岁", "35–39 岁", "40–44 岁", "45 岁及以上")

#: 截止日（含）以前一单都没有的客户。用在订单总数、最近一次下单、会员等级、买家类型、领卡状态里，意思都一样。
NO_ORDER = "未下单"
#: 下过单、但累计消费和累计笔数都没达到最低一级会员门槛的买家（没下过单的客户是 NO_ORDER，不算在这里）。
NOT_REACHED = "未达门槛（下过单）"

#: 最近一次下单距“今天”几天：(最多几天（含）, 名称)，从近到远；没下过单的客户是 NO_ORDER。
RECENCY_BANDS = ((30, "30 天内"), (90, "31–90 天"), (180, "91–180 天"), (365, "181–365 天"),
                 (10 ** 6, "一年以上"))
#: 订单总数：(最少几笔, 名称)，从多到少；0 笔是 NO_ORDER。
ORDER_BANDS = ((5, "5 单及以上"), (3, "3–4 单"), (2, "2 单"), (1, "1 单"), (0, NO_ORDER))


@checked
def age_band(age: pd.Series, edges=AGE_EDGES, labels=AGE_LABELS) -> pd.Series:
    """把年龄分成年龄段（左闭右开：25 岁属于“25–29 岁”），返回有序的分类列；年龄为空的客户年龄段也为空。

    参数
    ----
    age : 年龄（岁）。
    edges : 分界，从小到大，默认 AGE_EDGES；labels 比 edges 少一个，默认 AGE_LABELS。
    """
    if len(labels) != len(edges) - 1:
        raise ValueError(f"labels 应比 edges 少一个：edges 有 {len(edges)} 个，labels 有 {len(labels)} 个。")
    if list(edges) != sorted(set(edges)):
        raise ValueError(f"edges 应从小到大且不重复，收到 {tuple(edges)!r}。")
    values = pd.to_numeric(age, errors="coerce")
    bad = values.notna() & ((values < edges[0]) | (values >= edges[-1]))
    if bad.any():
        raise ValueError(f"年龄超出分界范围 [{edges[0]}, {edges[-1]})（出问题的行：{'、'.join(map(str, age.index[bad][:10]))}）。"
                         "请检查 age 列，或把 edges 的两端放宽。")
    return pd.Series(pd.cut(values, bins=list(edges), labels=list(labels), right=False), index=age.index, name="age_band")


def _bands_upper(values: pd.Series, bands) -> pd.Categorical:
    """按“最大值（含）”分档：值 ≤ 第一档上限归第一档，依此类推；空值不归档。"""
    arr = values.to_numpy(dtype="float64", na_value=np.nan)
    names = [name for _, name in bands]
    codes = np.select([arr <= upper for upper, _ in bands], list(range(len(bands))), default=-1)
    return pd.Categorical.from_codes(codes, categories=names, ordered=True)


# ============================================================================
# 二、客户标签：基础标签（人是谁）与行为标签（人做了什么）
# ============================================================================

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
    年龄段按 AGE_EDGES 分；as_of 之前没下过单的客户，“最近一次下单”和“订单总数”都是 NO_ORDER（未下单）。
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
    out["age_band"] = age_band(summary["age"])
    out["occupation"] = summary["occupation"]
    out["province"] = summary["province"]
    recency = _bands_upper(summary["recency_days"].astype("float64") + 1, RECENCY_BANDS)  # 距“今天”的天数
    out["recency_band"] = recency.add_categories([NO_ORDER]).fillna(NO_ORDER)
    counts = summary["order_count"].to_numpy()
    order_names = [name for _, name in ORDER_BANDS]
    out["order_band"] = pd.Categorical(np.select([counts >= low for low, _ in ORDER_BANDS], order_names,
                                                 default=order_names[-1]),
                                       categories=order_names[::-1], ordered=True)
    out["repurchaser"] = summary["order_count"] >= 2
    start = day - pd.Timedelta(days=int(recent_days))
    for col in EVENT_LABELS:
        out[col] = False
    if events is not None:
        require_columns(events, ["customer_id", "event_time", "event"], "行为事件表", "请传入 load_shop('xiayi').events。")
        times = events["event_time"]
        recent = events[(times >= start) & (times < day)]
        for col, kind in EVENT_LABELS.items():  # 循环的是 3 种行为，不是客户
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
    from matplotlib.patches import Patch

    from .charts import new_figure

    fig, ax = new_figure(7.2, 4.0)
    ordered = lift.iloc[::-1]
    colors = [PALETTE[0] if k == "行为标签" else PALETTE[9] for k in ordered["类型"]]
    bars = ax.barh(list(ordered.index), ordered["差距（百分点）"].to_numpy(), color=colors)
    ax.bar_label(bars, labels=[f"{v:.1f}" for v in ordered["差距（百分点）"]], padding=2, fontsize=9)
    ax.set_xlabel("最高组与最低组的比例之差（百分点）")
    ax.set_ylabel("标签")
    ax.set_title(title)
    ax.legend(handles=[Patch(color=PALETTE[0], label="行为标签"), Patch(color=PALETTE[9], label="基础标签")],
              loc="lower right")
    return fig


# ============================================================================
# 三、人群指标分解与访客人群洞察（任务训练 1）
# ============================================================================

@checked
def crowd_metrics(summary: pd.DataFrame, groups: dict) -> pd.DataFrame:
    """人群指标分解：每个人群的客户数、下单人数、订单总金额、平均订单价、复购占比，一组一行。

    参数
    ----
    summary : 客户汇总表（shop.summary()）。
    groups : {人群名称: 布尔掩码或客户编号集合}，例如 {"医生/教师": mask, "全店": slice(None)}。

    金额先换成整数分再相加，人均和平均订单价四舍五入到分。
    """
    require_columns(summary, ["order_count", "total_amount"], "客户汇总表", "请先用 shop.summary() 汇总。")
    rows = {}
    for name, members in groups.items():  # 循环的是几个人群，不是客户
        part = summary.loc[members]
        buyers = part[part["order_count"] > 0]
        fen = int(to_fen(part["total_amount"]).sum())
        orders = int(part["order_count"].sum())
        rows[name] = {
            "客户数（位）": len(part),
            "下过单的客户（位）": len(buyers),
            "下单客户占比（%）": round(len(buyers) / len(part) * 100, 1) if len(part) else 0.0,
            "订单总数（笔）": orders,
            "订单总金额（元）": fen_to_yuan(fen),
            "人均消费（元，按下单客户）": round_yuan(Fraction(fen, len(buyers))) if len(buyers) else 0.0,
            "平均订单价（元）": round_yuan(Fraction(fen, orders)) if orders else 0.0,
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

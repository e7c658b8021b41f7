"""营销效果分析：留出对照组的活动看“多出来”的部分，以及广告的 CTR、CVR、CPA、ROI。

口径（都在这里定义一次）：
  * 响应率 = 活动窗口里下过单的人 ÷ 组里的人数（实验组收到短信，对照组随机留出、不发）；
  * 提升（uplift）= 实验组响应率 − 对照组响应率，单位“百分点”，附 95% 置信区间（两个比例之差的正态近似）；
  * 增量销售额 = （实验组人均销售额 − 对照组人均销售额）× 实验组人数，四舍五入到分，也附 95% 置信区间；
    订单金额是买家实付，用了券的订单已经扣掉了券面额，所以这里的增量是“实付的增量”；
  * 成本 = 短信费（计费条数 × 单价）+ 实际用掉的优惠券面额；
  * 活动 ROI =（券前增量销售额 − 成本）÷ 成本，券前增量销售额 = 实付的增量 + 用掉的券面额。
    成本里算了券，销售额就用券前的金额，同一张券只算一次（实付的销售额配上含券的成本，券就被算了两次）。
    券只发给实验组、只在有效期内能用，所以窗口包含整个有效期时，加回的就是全部用掉的券。
    ROI 比的是销售额和成本，不是利润：多卖的货本身还有进货成本。
  * 广告：点击率 CTR = 点击 ÷ 展现，转化率 CVR = 成交笔数 ÷ 点击，CPA = 花费 ÷ 成交笔数，
    投入产出比 ROI = 成交金额 ÷ 花费（直通车报表的习惯说法，和上面活动的 ROI 不是一个公式）。
金额在内部一律用整数“分”相加（换算和四舍五入见 helpers.money）。

本模块依次是：对照组实验（分组、结果、提升、成本、ROI、效果随时间）、四个角度的对比（流量、人、订单）、
广告指标、图表。拖动天数看效果的小部件 EffectExplorer 在 helpers.widgets.effect。
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from statistics import NormalDist

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .charts import new_figure
from .fonts import PALETTE
from .money import fen_to_yuan, round_yuan, to_fen
from .validation import checked, money_fen, parse_date, parse_moment, parse_times, prepare_orders, require_columns

TREATED, CONTROL = "实验组", "对照组"
GROUPS = (TREATED, CONTROL)
GROUP_COLORS = {TREATED: PALETTE[0], CONTROL: "#BAB0AC"}


def _decimal(value, name: str) -> Decimal:
    """把金额（元）变成精确的 Decimal；不是有限的数字时用中文报错。"""
    try:
        number = Decimal(str(value).strip())
    except (ArithmeticError, ValueError, TypeError):
        number = None
    if number is None or isinstance(value, bool) or not number.is_finite():
        raise ValueError(f"{name} 应是一个金额数字（元），例如 0.05，收到 {value!r}。")
    return number


def _check_members(members: pd.DataFrame) -> pd.DataFrame:
    require_columns(members, ("customer_id", "group"), "活动名单", "需要 customer_id 和 group（实验组 / 对照组）两列。")
    ids = members["customer_id"].astype(str).str.strip()
    dup = ids.duplicated(keep=False)
    if dup.any():
        raise ValueError(f"活动名单里 customer_id 重复（出问题的行：{'、'.join(map(str, members.index[dup][:10]))}）。"
                         "每位客户只能在一个组里出现一次。")
    bad = ~members["group"].isin(GROUPS)
    if bad.any():
        raise ValueError(f"活动名单的 group 列只能是“实验组”或“对照组”（出问题的行：{'、'.join(map(str, members.index[bad][:10]))}）。")
    missing = [g for g in GROUPS if not (members["group"] == g).any()]
    if missing:
        raise ValueError(f"活动名单里没有{'、'.join(missing)}：没有对照组就算不出“多出来”的效果。")
    return pd.DataFrame({"customer_id": ids.to_numpy(), "group": members["group"].to_numpy()})


@checked
def assign_groups(customer_ids: pd.Series | list | tuple | pd.Index, holdout: float = 0.10, seed: int = 2018) -> pd.DataFrame:
    """发送之前把目标客户随机分成实验组和对照组（对照组不发），返回活动名单（customer_id、group）。

    参数
    ----
    customer_ids : 目标客户的编号（例如 plan_sms(...).messages["customer_id"]，已去掉退订和没手机号的人）。
    holdout : 对照组占几成，默认 0.10；对照组人数 = 总人数 × holdout 四舍五入，两组都至少 1 人。
    seed : 随机种子：同一批客户、同一个种子，分组每次都一样（和名单的先后顺序无关，方便事后核对）。
    """
    ids = pd.Index(pd.Series(customer_ids, dtype="object").astype(str).str.strip())
    if ids.has_duplicates:
        dup = "、".join(ids[ids.duplicated()].unique()[:10])
        raise ValueError(f"目标客户里有重复的编号（例如 {dup}）。请先去重，每位客户只能分到一个组。")
    if isinstance(holdout, bool) or not isinstance(holdout, (int, float)) or not 0 < holdout < 1:
        raise ValueError(f"holdout 应在 0 和 1 之间，例如 0.1 表示留出一成，收到 {holdout!r}。")
    if len(ids) < 2:
        raise ValueError(f"目标客户只有 {len(ids)} 位，分不出实验组和对照组。")
    ids = ids.sort_values()                       # 先按编号排好：名单顺序不同，分组也一样
    n_control = int(Decimal(len(ids)) * Decimal(str(holdout)) + Decimal("0.5"))
    n_control = min(max(n_control, 1), len(ids) - 1)
    order = np.random.RandomState(seed).permutation(len(ids))
    group = np.full(len(ids), TREATED, dtype=object)
    group[order[:n_control]] = CONTROL
    return pd.DataFrame({"customer_id": ids, "group": group})


@checked
def campaign_outcomes(members: pd.DataFrame, orders: pd.DataFrame, start, end) -> pd.DataFrame:
    """名单上每个人在活动窗口 [start, end) 里下了几单、花了多少钱。

    参数
    ----
    members : 活动名单（customer_id、group）。
    orders : 订单表（customer_id、order_time、amount）。
    start, end : 窗口的开始和结束时刻（含开始、不含结束），例如发送时刻和券的截止时刻之后一秒。

    返回以 customer_id 为索引的表：group、orders（笔）、amount_fen（分）、responded（下过单为 True）。
    """
    lo, hi = parse_moment(start, "start"), parse_moment(end, "end")
    if hi <= lo:
        raise ValueError(f"窗口的结束 {hi} 不晚于开始 {lo}，请检查 start 和 end。")
    table = _check_members(members)
    prepared = prepare_orders(orders)
    part = prepared[(prepared["order_time"] >= lo) & (prepared["order_time"] < hi)
                    & prepared["customer_id"].isin(table["customer_id"])]
    g = part.groupby("customer_id")
    out = table.set_index("customer_id")
    out["orders"] = g.size().reindex(out.index, fill_value=0).astype("int64")
    out["amount_fen"] = g["amount_fen"].sum().reindex(out.index, fill_value=0).astype("int64")
    out["responded"] = out["orders"] > 0
    out.attrs["window"] = (lo, hi)
    return out


@checked
def response_table(outcomes: pd.DataFrame) -> pd.DataFrame:
    """两组各自的人数、下单人数、响应率（%）、销售额和人均销售额（元）。"""
    g = outcomes.groupby("group", sort=False)
    people = g.size().reindex(GROUPS)
    buyers = g["responded"].sum().reindex(GROUPS).astype("int64")
    sales = g["amount_fen"].sum().reindex(GROUPS).astype("int64")
    out = pd.DataFrame({"人数（人）": people.astype("int64"), "下单人数（人）": buyers,
                        "响应率（%）": (buyers / people * 100).round(2),
                        "销售额（元）": fen_to_yuan(sales),
                        "人均销售额（元）": [round_yuan(Fraction(int(s), int(n))) for s, n in zip(sales, people)]})
    out.index.name = "组别"
    return out


@checked
def uplift(outcomes: pd.DataFrame, confidence: float = 0.95) -> pd.Series:
    """实验组比对照组多出来多少：响应率的提升和增量销售额，各带置信区间。

    置信区间用正态近似：两个比例之差的标准误 √(p₁(1−p₁)/n₁ + p₀(1−p₀)/n₀)；
    人均销售额之差的标准误 √(s₁²/n₁ + s₀²/n₀)（s 为每人销售额的样本标准差）。
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence 应在 0 和 1 之间，例如 0.95，收到 {confidence!r}。")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    t = outcomes[outcomes["group"] == TREATED]
    c = outcomes[outcomes["group"] == CONTROL]
    n1, n0 = len(t), len(c)
    if n1 == 0 or n0 == 0:
        raise ValueError("实验组和对照组都至少要有 1 个人才能比较。")
    p1, p0 = t["responded"].mean(), c["responded"].mean()
    se_p = np.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
    sum1, sum0 = int(t["amount_fen"].sum()), int(c["amount_fen"].sum())
    inc_fen = Fraction(sum1) - Fraction(sum0 * n1, n0)          # 精确到分以下，最后再四舍五入
    s1 = t["amount_fen"].std(ddof=1) if n1 > 1 else 0.0
    s0 = c["amount_fen"].std(ddof=1) if n0 > 1 else 0.0
    se_inc = np.sqrt(s1 ** 2 / n1 + s0 ** 2 / n0) * n1           # 增量销售额（分）的标准误
    level = f"{confidence:.0%}"
    return pd.Series({
        "实验组人数（人）": n1, "对照组人数（人）": n0,
        "实验组响应率（%）": round(p1 * 100, 2), "对照组响应率（%）": round(p0 * 100, 2),
        "提升（百分点）": round((p1 - p0) * 100, 2),
        f"提升 {level} 下限（百分点）": round((p1 - p0 - z * se_p) * 100, 2),
        f"提升 {level} 上限（百分点）": round((p1 - p0 + z * se_p) * 100, 2),
        "增量下单人数（人）": round((p1 - p0) * n1, 1),
        "增量销售额（元）": round_yuan(inc_fen),
        f"增量销售额 {level} 下限（元）": round_yuan(float(inc_fen) - z * se_inc),
        f"增量销售额 {level} 上限（元）": round_yuan(float(inc_fen) + z * se_inc),
    }, name="活动效果", dtype=object)


@checked
def campaign_cost(sms_parts: int, sms_price, coupons_used: int, coupon_value) -> pd.Series:
    """活动成本（元，精确到分）：短信计费条数 × 单价 + 用掉的券张数 × 面额。

    参数
    ----
    sms_parts : 计费短信的条数（只算真正发出去的，也就是实验组；对照组不发、不花钱）。
    sms_price : 每条短信的单价（元）。
    coupons_used : 用掉的券张数（发出去没用的券不花钱）。
    coupon_value : 券面额（元）。

    成本里含券，所以和它相比的销售额要用券前金额（实付 + 用掉的券面额），见 campaign_roi。
    """
    for name, value in (("sms_parts", sms_parts), ("coupons_used", coupons_used)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f"{name} 应是不小于 0 的整数，收到 {value!r}。")
    price, value = _decimal(sms_price, "sms_price"), _decimal(coupon_value, "coupon_value")
    if price < 0 or value < 0:
        raise ValueError("短信单价和券面额不能是负数。")
    sms = to_fen(price * int(sms_parts))            # 单价可以不到一分（例如 0.045 元），乘完再四舍五入到分
    coupons = to_fen(value * int(coupons_used))
    return pd.Series({"短信费（元）": fen_to_yuan(sms), "优惠券（元）": fen_to_yuan(coupons),
                      "合计（元）": fen_to_yuan(sms + coupons)}, name="活动成本", dtype=object)


@checked
def campaign_roi(incremental_revenue, cost) -> float:
    """活动 ROI =（增量销售额 − 成本）÷ 成本，保留 2 位小数。成本必须大于 0。

    两个参数要用同一个口径：成本是 campaign_cost 的“合计”（短信费 + 用掉的券面额）时，
    增量销售额要用券前的金额 = 实付的增量销售额 + 用掉的券面额。订单金额是实付、券已经扣掉，
    如果成本里再算一遍券，同一张券就被算了两次。例如实付增量 391,012.52 元、用掉 370 张 30 元的券、
    短信费 810.60 元：campaign_roi(391012.52 + 11100, 810.60 + 11100) = 32.76。
    """
    cost = _decimal(cost, "cost")
    if cost <= 0:
        raise ValueError(f"成本应大于 0 才能算 ROI，收到 {cost}。")
    roi = (_decimal(incremental_revenue, "incremental_revenue") - cost) / cost
    return float(roi.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@checked
def effect_over_time(members: pd.DataFrame, orders: pd.DataFrame, start, days: int = 60) -> pd.DataFrame:
    """从 start 起第 1 天到第 days 天，每天结束时两组累计的人均销售额、累计下单率和累计增量销售额。

    “第 d 天”= [start, start + d×24 小时)。增量销售额 = 两组累计人均之差 × 实验组人数（元，实付）。
    活动名单有 coupon_order_id 列（用券的订单号）时，另有“累计用券（张）”：到第 d 天结束已经用掉的券，
    算券前的增量（实付的增量 + 用掉的张数 × 券面额）时用。
    """
    if isinstance(days, bool) or not isinstance(days, (int, np.integer)) or days < 1:
        raise ValueError(f"days 应是正整数，收到 {days!r}。")
    lo = pd.Timestamp(start)
    table = _check_members(members)
    prepared = prepare_orders(orders)
    part = prepared[(prepared["order_time"] >= lo) & (prepared["order_time"] < lo + pd.Timedelta(days=days))]
    part = part.merge(table, on="customer_id")
    day = ((part["order_time"] - lo) // pd.Timedelta(days=1)).to_numpy() + 1
    coupon_ids = _coupon_order_ids(members)
    sizes = table["group"].value_counts().reindex(GROUPS)
    out = pd.DataFrame(index=pd.RangeIndex(1, days + 1, name="第几天"))
    per_head = {}
    for group in GROUPS:
        mine = (part["group"] == group).to_numpy()
        fen = np.bincount(day[mine], weights=part["amount_fen"].to_numpy()[mine], minlength=days + 1)[1:]
        first = pd.Series(day[mine]).groupby(part["customer_id"].to_numpy()[mine]).min()
        buyers = np.bincount(first.to_numpy(), minlength=days + 1)[1:]
        per_head[group] = fen_to_yuan(np.cumsum(fen)) / sizes[group]        # 元，还带着不到一分的部分
        out[f"{group}累计人均销售额（元）"] = fen_to_yuan(to_fen(per_head[group]))   # 四舍五入到分
        out[f"{group}累计下单率（%）"] = np.round(np.cumsum(buyers) / sizes[group] * 100, 2)
    increment = (per_head[TREATED] - per_head[CONTROL]) * sizes[TREATED]      # 用未舍入的人均，最后才舍入到分
    out["累计增量销售额（元）"] = fen_to_yuan(to_fen(increment))
    if coupon_ids is not None:
        if "order_id" not in part.columns:
            raise ValueError("活动名单有 coupon_order_id（用券的订单号），订单表却没有 order_id 列，对不上用券的订单。")
        used = part["order_id"].isin(coupon_ids).to_numpy()
        out["累计用券（张）"] = np.cumsum(np.bincount(day[used], minlength=days + 1)[1:]).astype("int64")
    return out


def _coupon_order_ids(members: pd.DataFrame):
    """活动名单里用券的订单号（去掉空值）；名单没有 coupon_order_id 列时返回 None。"""
    if "coupon_order_id" not in members.columns:
        return None
    ids = members["coupon_order_id"].dropna().astype(str).str.strip()
    return pd.Index(ids[ids != ""])


# ---------------------------------------------------------------- 四个角度：流量、人、订单、商品

@checked
def daily_traffic(events: pd.DataFrame, start, end) -> pd.DataFrame:
    """每天的访客数（UV，不同客户数）、访问次数（session 数）和浏览量（PV，“浏览”事件条数）。

    start, end : 日期，两端都含。events 需要 customer_id、event_time、event，有 session_id 时才算访问次数。
    """
    require_columns(events, ("customer_id", "event_time", "event"), "行为事件表")
    lo, hi = parse_date(start, "start"), parse_date(end, "end")
    if hi < lo:
        raise ValueError(f"结束日期 {hi.date()} 早于开始日期 {lo.date()}，请检查日期。")
    when = parse_times(events["event_time"], "行为事件表", "event_time")
    keep = ((when >= lo) & (when < hi + pd.Timedelta(days=1))).to_numpy()
    part = events[keep]
    day = when[keep].dt.normalize()
    g = part.groupby(day)
    index = pd.date_range(lo, hi, freq="D", name="日期")
    out = pd.DataFrame({"访客数（人）": g["customer_id"].nunique().reindex(index, fill_value=0)})
    if "session_id" in part.columns:
        out["访问次数（次）"] = g["session_id"].nunique().reindex(index, fill_value=0)
    out["浏览量（次）"] = (part["event"] == "浏览").groupby(day).sum().reindex(index, fill_value=0)
    return out.astype("int64")


@checked
def compare_shares(values: pd.Series, groups: dict) -> pd.DataFrame:
    """几群人在同一个属性上的构成（%）：行 = 属性取值，列 = 人群。

    values : 以 customer_id 为索引的属性（例如 audience_table(...)["age_band"]）。
    groups : {人群名: 这群人的 customer_id}。
    """
    cols = {}
    for name, ids in groups.items():
        ids = pd.Index(ids)
        if len(ids) == 0:
            raise ValueError(f"人群“{name}”是空的，没法算构成。")
        unknown = ids.difference(values.index)
        if len(unknown):
            raise ValueError(f"人群“{name}”里有 {len(unknown)} 位客户在属性表里找不到（例如 {'、'.join(map(str, unknown[:5]))}）。"
                             "请用包含全部客户的属性表，例如 audience_table(shop.customers, ...)。")
        part = values.reindex(ids)
        cols[name] = (part.value_counts(normalize=True, sort=False) * 100).round(1)
    out = pd.DataFrame(cols).fillna(0.0)
    if isinstance(values.dtype, pd.CategoricalDtype):
        out = out.reindex([c for c in values.cat.categories if c in out.index])
    else:
        out = out.sort_values(out.columns[0], ascending=False)
    out.index.name = values.name
    return out


@checked
def order_profile(orders: pd.DataFrame, items: pd.DataFrame, groups: dict) -> pd.DataFrame:
    """几组订单的笔数、客单价（元）、每单件数。groups = {名称: 这组订单的 order_id}。"""
    prepared = prepare_orders(orders, require_order_id=True).set_index("order_id")
    qty = items.groupby(items["order_id"].astype(str))["quantity"].sum()
    rows = {}
    for name, ids in groups.items():
        ids = pd.Index(ids).astype(str)
        amounts = prepared["amount_fen"].reindex(ids)
        if amounts.isna().any():
            missing = "、".join(ids[amounts.isna().to_numpy()][:5])
            raise ValueError(f"“{name}”里有订单号在订单表中找不到：{missing}。")
        n = len(ids)
        rows[name] = {"订单数（单）": n,
                      "销售额（元）": fen_to_yuan(int(amounts.sum())),
                      "客单价（元）": round_yuan(Fraction(int(amounts.sum()), n)) if n else np.nan,
                      "每单件数（件）": round(float(qty.reindex(ids, fill_value=0).mean()), 2) if n else np.nan}
    return pd.DataFrame(rows).T.rename_axis("订单")


# ---------------------------------------------------------------- 广告

AD_COLUMNS = ("impressions", "clicks", "cost", "orders", "revenue")


@checked
def ad_metrics(ads: pd.DataFrame) -> pd.DataFrame:
    """广告计划的点击率、转化率、CPA 和投入产出比。

    ads : 每个推广计划一行（plan、impressions 展现量、clicks 点击量、cost 花费（元）、orders 成交笔数、
          revenue 成交金额（元））。分母为 0 的指标留空（没有点击就没有转化率，没有成交就没有 CPA）。
    """
    require_columns(ads, ("plan",) + AD_COLUMNS, "广告表")
    counts = {}
    for col in ("impressions", "clicks", "orders"):
        values = pd.to_numeric(ads[col], errors="coerce")
        bad = values.isna() | (values < 0) | (values != values.round())
        if bad.any():
            raise ValueError(f"广告表的 {col} 列应是不小于 0 的整数（出问题的行：{'、'.join(map(str, ads.index[bad][:10]))}）。")
        counts[col] = values.astype("int64")
    over = (counts["clicks"] > counts["impressions"]) | (counts["orders"] > counts["clicks"])
    if over.any():
        raise ValueError("广告表里有点击多于展现、或成交多于点击的行"
                         f"（出问题的行：{'、'.join(map(str, ads.index[over][:10]))}）。请检查这几行是不是填错了列。")
    cost = money_fen(ads["cost"], "广告表", "cost").to_numpy()
    revenue = money_fen(ads["revenue"], "广告表", "revenue").to_numpy()
    imp, clk, n = (counts[c].to_numpy() for c in ("impressions", "clicks", "orders"))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = pd.DataFrame({
            "展现量": imp, "点击量": clk, "花费（元）": fen_to_yuan(cost), "成交笔数": n,
            "成交金额（元）": fen_to_yuan(revenue),
            "点击率 CTR（%）": np.where(imp > 0, np.round(clk / imp * 100, 2), np.nan),
            "转化率 CVR（%）": np.where(clk > 0, np.round(n / clk * 100, 2), np.nan),
            "CPA（元/单）": [round_yuan(Fraction(int(c), int(k))) if k > 0 else np.nan for c, k in zip(cost, n)],
            "ROI（成交金额÷花费）": np.where(cost > 0, np.round(revenue / np.maximum(cost, 1), 2), np.nan),
        }, index=pd.Index(ads["plan"].astype(str), name="推广计划"))
    return out


# ---------------------------------------------------------------- 图表

@checked
def uplift_chart(outcomes: pd.DataFrame, confidence: float = 0.95,
                 title: str = "两组的下单率（误差线为 95% 置信区间）") -> Figure:
    """两根柱子：实验组、对照组的响应率（%），各带置信区间的误差线。"""
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    table = response_table(outcomes)
    p = table["响应率（%）"].to_numpy() / 100
    n = table["人数（人）"].to_numpy()
    err = z * np.sqrt(p * (1 - p) / n) * 100
    fig, ax = new_figure(5.2, 3.6)
    bars = ax.bar(list(GROUPS), p * 100, yerr=err, capsize=8, color=[GROUP_COLORS[g] for g in GROUPS])
    ax.bar_label(bars, labels=[f"{v:.2f}%" for v in p * 100], padding=12, fontsize=9)
    ax.set_ylabel("下单率（%）")
    ax.set_xlabel("组别")
    ax.margins(y=0.2)
    ax.set_title(title)
    return fig


@checked
def effect_chart(over_time: pd.DataFrame, title: str = "累计增量销售额：发送后第几天") -> Figure:
    """折线：累计增量销售额（元）随天数的变化，0 处画一条参考线。"""
    fig, ax = new_figure(6.4, 3.6)
    s = over_time["累计增量销售额（元）"]
    ax.plot(s.index, s.to_numpy(), color=PALETTE[0], marker="o", markersize=2)
    ax.axhline(0, color="#888888", linewidth=1)
    ax.set_xlabel("发送后第几天")
    ax.set_ylabel("累计增量销售额（元）")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.set_title(title)
    return fig


@checked
def traffic_chart(traffic: pd.DataFrame, mark=None, mark_label: str = "短信发出",
                  title: str = "每天的访客数与访问次数") -> Figure:
    """折线：每天的访客数（和访问次数），在 mark 那一天画一条竖线标出活动。

    每天的点画在当天的位置（零点），所以竖线也画在 mark 当天；mark 带时刻时写进标签，例如“短信发出（12-12 18:00）”。
    """
    fig, ax = new_figure(6.8, 3.6)
    for i, col in enumerate(c for c in ("访客数（人）", "访问次数（次）") if c in traffic.columns):
        ax.plot(traffic.index, traffic[col].to_numpy(), label=col, color=PALETTE[i])
    if mark is not None:
        when = pd.Timestamp(mark)
        if when != when.normalize():
            mark_label = f"{mark_label}（{when:%m-%d %H:%M}）"
        ax.axvline(when.normalize(), color="#C0392B", linestyle="--", linewidth=1)
        ax.annotate(mark_label, (when.normalize(), ax.get_ylim()[1]), xytext=(4, -14), textcoords="offset points",
                    color="#C0392B", fontsize=9)
    ax.set_xlabel("日期")
    ax.set_ylabel("人 / 次")
    ax.legend(fontsize=9)
    fig.autofmt_xdate()
    ax.set_title(title)
    return fig

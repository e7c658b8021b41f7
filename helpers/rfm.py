"""RFM 打分与 P-G-S-B（铂金/黄金/白银/青铜）客户分级，完全按教材的评分表。

评分表和权重都是数据（``RFMTable``、``weights``、``levels``），课堂上可以改。
另有 PGSB 之外的三类客户：``customer_layers``、``LAYER_ORDER``（无订购、无销售、非订购客户）。
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .money import fen_to_yuan, to_fen
from .summary import customer_codes
from .validation import checked, parse_date, prepare_orders


@checked
@dataclass(frozen=True)
class RFMTable:
    """RFM 评分表：每一列从 5 分到 1 分的分界。

    recency_months : 5、4、3、2、1 分各自允许的“距今最多几个月”（含端点），
                     最后一个数同时是评估期长度（教材：1 年 = 12 个月）。
    frequency_min : 5、4、3、2、1 分各自需要的最少购买次数。
    monetary_min : 5、4、3、2、1 分各自需要的最低消费金额（元，含端点；区间左闭右开）。
    """

    recency_months: tuple = (1, 3, 4, 7, 12)
    frequency_min: tuple = (6, 4, 3, 2, 1)
    monetary_min: tuple = (2000, 1000, 500, 300, 0)

    def __post_init__(self):
        for name, values, rising in (("recency_months", self.recency_months, True),
                                     ("frequency_min", self.frequency_min, False),
                                     ("monetary_min", self.monetary_min, False)):
            values = tuple(values)
            if len(values) != 5:
                raise ValueError(f"RFM 评分表的 {name} 需要 5 个数（对应 5 分到 1 分），收到 {len(values)} 个。")
            steps = np.diff(values)
            if (rising and (steps <= 0).any()) or (not rising and (steps >= 0).any()):
                order = "从小到大" if rising else "从大到小"
                raise ValueError(f"RFM 评分表的 {name} 应{order}严格排列（5 分在前），收到 {values}。")
            if min(values) < 0:
                raise ValueError(f"RFM 评分表的 {name} 不能有负数，收到 {values}。")
            object.__setattr__(self, name, values)

    @property
    def period_months(self) -> int:
        """评估期长度（月）。"""
        return self.recency_months[-1]

    def to_sql(self, as_of, weights=None, levels=None, dialect: str = "duckdb") -> str:
        """按这张评分表打分分级的 SQL（和 rfm_score(orders, as_of, self, weights, levels) 结果相同）。

        评估期和 R 档的日历月界线由 Python 算好，写成日期常量；金额按分比较。dialect 同 helpers.sql.to_dialect。
        """
        from .sql import rfm_sql

        return rfm_sql(as_of, self, TEXTBOOK_WEIGHTS if weights is None else weights,
                       TEXTBOOK_LEVELS if levels is None else levels, dialect)

    def to_frame(self) -> pd.DataFrame:
        """把评分表排成和教材一样的表格（中文）。"""
        rm, fm, mm = self.recency_months, self.frequency_min, self.monetary_min
        r_text = [f"R ≤ {rm[0]} 个月"] + [f"{rm[i - 1]} < R ≤ {rm[i]} 个月" for i in range(1, 5)]
        f_text = [f"F ≥ {fm[0]}"] + [f"F = {fm[i]}" if fm[i - 1] - fm[i] == 1 else f"{fm[i]} ≤ F ≤ {fm[i - 1] - 1}"
                                     for i in range(1, 5)]
        m_text = [f"M ≥ {mm[0]:,} 元"] + [f"{mm[i]:,} ≤ M < {mm[i - 1]:,} 元" for i in range(1, 5)]
        return pd.DataFrame({"分值": [5, 4, 3, 2, 1], "R（最近一次购买距今）": r_text,
                             "F（购买次数）": f_text, "M（消费金额）": m_text}).set_index("分值")


TEXTBOOK_RFM = RFMTable()
TEXTBOOK_WEIGHTS = (1, 3, 4)
# (最低总分, 等级)：从高到低，第一个满足的就是该客户的等级。
TEXTBOOK_LEVELS = ((36, "P"), (26, "G"), (17, "S"), (0, "B"))
LEVEL_NAMES = {"P": "铂金", "G": "黄金", "S": "白银", "B": "青铜"}


@checked
def rfm_band_edges(as_of, table: RFMTable = TEXTBOOK_RFM) -> pd.DataFrame:
    """列出 R 每一档的日期分界：最后下单日期不早于“起始日期”才能拿到这一档的分。"""
    day = parse_date(as_of, "as_of")
    return pd.DataFrame({"R 分": [5, 4, 3, 2, 1],
                         "最后下单日期不早于": [(day - pd.DateOffset(months=m)).date()
                                         for m in table.recency_months]}).set_index("R 分")


def _score_desc(values: np.ndarray, minimums) -> np.ndarray:
    """值 ≥ 第 k 个下限就得 5-k 分（下限从大到小）；都不满足得 0 分。

    下限从大到小排好时，得分就是“不超过这个值的下限有几个”：一次 searchsorted（比逐档比较快）。"""
    minimums = np.asarray(minimums)
    if len(minimums) == 5 and bool(np.all(minimums[:-1] >= minimums[1:])):
        return np.searchsorted(minimums[::-1], values, side="right").astype("int64")
    return np.select([values >= m for m in minimums], [5, 4, 3, 2, 1], default=0)


@checked
def rfm_values(orders: pd.DataFrame, as_of, period_months: int = TEXTBOOK_RFM.period_months) -> pd.DataFrame:
    """第一步：算出每位客户在评估期内的 R、F、M 原始值（还没打分）。

    评估期为 [as_of − period_months 个自然月, as_of]，两端都含；评估期内没有订单的客户不出现。
    返回以 customer_id 为索引的 DataFrame：last_order、recency_days、frequency、monetary（元）。
    """
    day = parse_date(as_of, "as_of")
    prepared = prepare_orders(orders)
    start = day - pd.DateOffset(months=int(period_months))
    times = prepared["order_time"]
    in_period = ((times >= start) & (times < day + pd.Timedelta(days=1))).to_numpy()
    codes, uniques = customer_codes(prepared["customer_id"], in_period)     # 按客户：整数代码
    n = len(uniques)
    last = np.full(n, np.iinfo("int64").min)
    np.maximum.at(last, codes, times.to_numpy(dtype="datetime64[ns]").view("int64")[in_period])
    monetary_fen = np.zeros(n, dtype="int64")
    np.add.at(monetary_fen, codes, prepared["amount_fen"].to_numpy(dtype="int64")[in_period])
    ns_per_day = 86_400 * 10**9
    recency_days = day.value // ns_per_day - np.floor_divide(last, ns_per_day)    # 按日历日相减（不看几点）
    out = pd.DataFrame({"last_order": last.view("datetime64[ns]"), "recency_days": recency_days,
                        "frequency": np.bincount(codes, minlength=n).astype("int64"),
                        "monetary": fen_to_yuan(monetary_fen)}, index=uniques)
    out.attrs["as_of"] = day
    return out


@checked
def rfm_assign(values: pd.DataFrame, as_of, table: RFMTable = TEXTBOOK_RFM,
               weights=TEXTBOOK_WEIGHTS, levels=TEXTBOOK_LEVELS) -> pd.DataFrame:
    """第二步：按评分表给 rfm_values 的结果打 R、F、M 分，加权求总分，再分 P/G/S/B。

    改评分表、权重或等级分界时只需重做这一步（评估期长度不变时）。
    """
    day = parse_date(as_of, "as_of")
    try:
        w_r, w_f, w_m = (float(w) for w in weights)
        if isinstance(weights, str) or not all(np.isfinite([w_r, w_f, w_m])):
            raise ValueError
    except (TypeError, ValueError):
        raise ValueError(f"weights 需要 3 个数（R、F、M 的权重），例如 (1, 3, 4)，收到 {weights!r}。") from None
    out = values[["last_order", "recency_days", "frequency", "monetary"]].copy()
    last_day = out["last_order"].dt.normalize().to_numpy()
    cutoffs = [np.datetime64(day - pd.DateOffset(months=m)) for m in table.recency_months]
    out["R"] = _score_desc(last_day, cutoffs)
    out["F"] = _score_desc(out["frequency"].to_numpy(), table.frequency_min)
    monetary_fen = to_fen(out["monetary"].to_numpy(dtype="float64"))
    out["M"] = _score_desc(monetary_fen, [to_fen(m) for m in table.monetary_min])
    score = w_r * out["R"] + w_f * out["F"] + w_m * out["M"]
    out["score"] = score.astype("int64") if all(float(w).is_integer() for w in weights) else score
    out["level"] = rfm_level(out["score"], levels)
    return out


@checked
def rfm_score(orders: pd.DataFrame | Path, as_of, table: RFMTable = TEXTBOOK_RFM,
              weights=TEXTBOOK_WEIGHTS, levels=TEXTBOOK_LEVELS, engine: str = "pandas") -> pd.DataFrame:
    """按教材的 RFM 评分表给每位客户打分并分级（P/G/S/B）。

    参数
    ----
    orders : 订单表（customer_id、order_time、amount）。
    as_of : 评估日（“今天”），date、Timestamp 或 'YYYY-MM-DD'。评估期为
            [as_of − 12 个自然月, as_of]，两端都含；评估期内没有订单的客户不打分。
    table : 评分表，默认教材的 TEXTBOOK_RFM。
    weights : (R 权重, F 权重, M 权重)，默认 (1, 3, 4)。
    levels : ((最低总分, 等级), ...)，从高到低；默认 36–40 P、26–35 G、17–25 S、其余 B。

    返回以 customer_id 为索引的 DataFrame：last_order、recency_days、frequency、
    monetary（元）、R、F、M、score、level。
    R 按自然月计算（pandas.DateOffset），恰好 n 个月前下单的客户归入较近的那一档。
    等同于 rfm_assign(rfm_values(orders, as_of, table.period_months), as_of, table, weights, levels)。

    engine="duckdb" 时用 DuckDB 计算（结果相同），orders 还可以是 CSV / Parquet 文件的路径：
    几千万笔订单的大店铺不必先读进 pandas（见 helpers.sql.rfm_score_duckdb）。
    """
    engine = str(engine).strip().lower()
    if engine == "duckdb":
        from .sql import rfm_score_duckdb

        return rfm_score_duckdb(orders, as_of, table, weights, levels)
    if engine != "pandas":
        raise ValueError(f"engine 只能是 'pandas' 或 'duckdb'，收到 {engine!r}。")
    if not isinstance(orders, pd.DataFrame):
        raise ValueError(f"engine='pandas' 时 orders 应是一张 pandas 表；文件路径（{orders}）请配合 engine='duckdb' "
                         "使用，或先用 pd.read_csv / pd.read_parquet 读进来。")
    values = rfm_values(orders, as_of, table.period_months)
    return rfm_assign(values, as_of, table, weights, levels)


@checked
def rfm_level(score: pd.Series, levels=TEXTBOOK_LEVELS) -> pd.Series:
    """把总分换成等级：默认 36 分及以上 P，26–35 G，17–25 S，其余 B。"""
    levels = sorted(levels, key=lambda pair: pair[0], reverse=True)
    codes = np.select([score.to_numpy() >= low for low, _ in levels[:-1]], list(range(len(levels) - 1)),
                      default=len(levels) - 1)         # 第几个等级（不先做出一百多万个文字再归类）
    return pd.Series(pd.Categorical.from_codes(codes, categories=[n for _, n in levels], ordered=False),
                     index=score.index, name="level")


# ============================================================================
# PGSB 之外的客户：无订购客户、无销售客户、非订购客户
# ============================================================================

#: customer_layers 的全部类别：四个等级在前，三类“级外客户”在后。
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
    from .validation import require_columns

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

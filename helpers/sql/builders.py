"""工作簿里每条规则的 SQL：客户汇总、RFM 打分与 P/G/S/B 分级、店铺VIP等级、客户生命周期阶段。

每个函数返回一条排好版、带中文注释的 SQL 查询，用的是标准的几张表：
  orders（order_id、customer_id、order_time、amount 元）、items（order_id、product、quantity）、
  customers（customer_id、register_date 和其他客户属性）。
在 DuckDB 上运行（helpers.sql.run）得到的结果和对应的 pandas 函数一模一样：
  - 金额一律先换成整数“分”再相加、比较；
  - 按自然月算的日期分界（例如“3 个月前”）在 Python 里算好，写进 SQL 成为日期常量；
  - 结果一律 ORDER BY，顺序和 pandas 函数的结果相同。
dialect="spark" / "hive" / "mysql" 时翻译成公司数据仓库的写法（helpers.sql.to_dialect）。
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..lifecycle import STAGES, LifecycleRule
from ..money import to_fen, yuan_text
from ..rfm import LEVEL_NAMES, TEXTBOOK_LEVELS, TEXTBOOK_RFM, TEXTBOOK_WEIGHTS, RFMTable, rfm_band_edges
from ..validation import checked, parse_date
from ..vip import TEXTBOOK_VIP_TIERS, check_tiers
from .dialects import check_dialect, sql_text, to_dialect

__all__ = ["customer_summary_sql", "rfm_sql", "vip_sql", "lifecycle_sql", "rfm_weights", "rfm_levels"]


# ---------------------------------------------------------------------------
# 写 SQL 用的小工具
# ---------------------------------------------------------------------------
def _note(value) -> str:
    """放进 -- 注释里的文字：去掉换行和会提前结束注释的记号。"""
    return " ".join(str(value).replace("*/", "* /").split())


def _date(day) -> str:
    return f"DATE '{pd.Timestamp(day).date()}'"


def _number(x) -> str:
    """整数值写成整数；其他写成 DOUBLE（和 pandas 的浮点运算一致，而不是 SQL 的定点小数）。"""
    x = float(x)
    return str(int(x)) if x.is_integer() else f"CAST({x!r} AS DOUBLE)"


def _finish(sql: str, dialect: str) -> str:
    key = check_dialect(dialect)
    sql = sql.strip() + "\n"
    return sql if key == "duckdb" else to_dialect(sql, key)


#: 订单金额（元）→ 整数分。先转成定点小数再乘 100、四舍五入：直接用浮点数乘 100 时
#: 1.005 元会变成 100.4999… 分而被舍掉，和 helpers.money.to_fen 的“四舍五入到分”不一致。
AMOUNT_FEN = "CAST(ROUND(CAST(amount AS DECIMAL(18, 8)) * 100) AS BIGINT)"


def _paid(day, columns: str, start=None) -> str:
    """第一个公用表：截止日（含当天）及以前的订单，金额换成分。"""
    where = []
    if start is not None:
        where.append(f"order_time >= {_date(start)}")
    if day is not None:
        where.append(f"order_time < {_date(day + pd.Timedelta(days=1))}")
    condition = f"\n  WHERE {' AND '.join(where)}" if where else ""
    return f"""paid AS (
  SELECT
    {columns},
    -- 金额换成整数“分”：先转成定点小数再乘 100、四舍五入（直接用浮点数算，1.005 元会变成 100.4999… 分）
    {AMOUNT_FEN} AS amount_fen
  FROM orders{condition}
)"""


def _customer_order(with_customers: bool) -> str:
    if with_customers:
        return ("-- 顺序和 pandas 一样：客户表里的客户在前，只在订单里出现的人在后，各自按编号排序\n"
                "ORDER BY customers.customer_id IS NULL, customer_id")
    return "ORDER BY customer_id"


def _day_or_none(as_of):
    return None if as_of is None else parse_date(as_of, "as_of")


# ---------------------------------------------------------------------------
# 客户汇总
# ---------------------------------------------------------------------------
@checked
def customer_summary_sql(as_of=None, with_items: bool = True, with_customers: bool = True,
                         dialect: str = "duckdb") -> str:
    """客户汇总（customer_summary）的 SQL：一位客户一行，订单总数、订单总金额、平均订单价、购买商品总数……

    参数
    ----
    as_of : 截止日（含当天），之后的订单不算；recency_days 从这一天算起。不给时用订单里最后一天。
    with_items : True 时用 items 表算 item_count 和 products；False 时这两列是空值（和不给 items 的 pandas 一样）。
    with_customers : True 时客户表里的每一位都有一行（没下过单的订单数为 0），并接上客户表的各列。
    dialect : "duckdb"（默认）、"spark"、"hive" 或 "mysql"。

    结果的列和 customer_summary(orders, items, customers, as_of) 相同（customer_id 是普通的一列），
    顺序也相同（客户表按编号排好时）：客户表里的客户在前，只在订单里出现的人在后，各自按编号排序。
    """
    day = _day_or_none(as_of)
    if day is None:
        header = "-- 截止日：没有指定，用订单里最后一笔的日期；recency_days = 这一天 − 最后下单日期（天）"
        ref = "(SELECT CAST(MAX(order_time) AS DATE) FROM paid)"
    else:
        header = f"-- 截止日 {day.date()}（含当天），之后的订单不算；recency_days = 截止日 − 最后下单日期（天）"
        ref = _date(day)
    ctes = [_paid(day, "order_id,\n    customer_id,\n    order_time"), """-- 每位客户的订单总数、订单总金额（分）、第一次和最后一次下单时间
order_stats AS (
  SELECT
    customer_id,
    COUNT(*) AS order_count,
    CAST(SUM(amount_fen) AS BIGINT) AS total_fen,
    MIN(order_time) AS first_order,
    MAX(order_time) AS last_order
  FROM paid
  GROUP BY customer_id
)"""]
    if with_items:
        ctes.append("""-- 每位客户的购买商品总数（件数相加），以及买过哪些商品（去重、按名称排序）
item_stats AS (
  SELECT
    paid.customer_id,
    CAST(SUM(items.quantity) AS BIGINT) AS item_count,
    LIST_SORT(LIST_DISTINCT(LIST(items.product))) AS products
  FROM items
  JOIN paid
    ON items.order_id = paid.order_id
  GROUP BY paid.customer_id
)""")
        item_columns = ("COALESCE(s.item_count, 0) AS item_count",
                        "COALESCE(s.products, CAST([] AS VARCHAR[])) AS products")
        item_join = "\n  LEFT JOIN item_stats AS s\n    ON s.customer_id = o.customer_id"
    else:
        item_columns = ("CAST(NULL AS BIGINT) AS item_count", "CAST(NULL AS VARCHAR[]) AS products")
        item_join = ""
    if with_customers:
        ctes.append("""-- 全部客户：客户表里的每一位，加上下过单的人（UNION 去掉重复）
everyone AS (
  SELECT customer_id FROM customers
  UNION
  SELECT customer_id FROM order_stats
)""")
        source = "everyone\n  LEFT JOIN order_stats AS o\n    ON o.customer_id = everyone.customer_id"
        item_join = item_join.replace("o.customer_id", "everyone.customer_id")
        first = "everyone.customer_id"
    else:
        source = "order_stats AS o"
        first = "o.customer_id"
    ctes.append(f"""-- 每位客户一行：没下过单的订单数、金额为 0，日期为空值
summary AS (
  SELECT
    {first},
    COALESCE(o.order_count, 0) AS order_count,
    COALESCE(o.total_fen, 0) / 100 AS total_amount,
    ROUND(o.total_fen / o.order_count) / 100 AS avg_order_value,  -- 平均订单价：先在“分”上四舍五入，再换成元
    {item_columns[0]},
    o.first_order,
    o.last_order,
    DATE_DIFF('day', CAST(o.last_order AS DATE), {ref}) AS recency_days,
    {item_columns[1]}
  FROM {source}{item_join}
)""")
    if with_customers:
        final = ("-- 接上客户表的各列（USING 让 customer_id 只出现一次）\nSELECT *\nFROM summary\n"
                 "LEFT JOIN customers\n  USING (customer_id)\n" + _customer_order(True))
    else:
        final = "SELECT *\nFROM summary\n" + _customer_order(False)
    tables = "orders（订单）" + ("、items（商品明细）" if with_items else "") + ("、customers（客户）" if with_customers else "")
    sql = (f"-- 客户汇总（customer_summary 的 SQL 版）：一位客户一行\n{header}\n"
           f"-- 用到的表：{tables}；金额按整数“分”相加\n"
           "WITH " + ",\n".join(ctes) + "\n" + final)
    return _finish(sql, dialect)


# ---------------------------------------------------------------------------
# RFM
# ---------------------------------------------------------------------------
@checked
def rfm_weights(weights=TEXTBOOK_WEIGHTS) -> tuple:
    """检查 RFM 权重：3 个有限的数（R、F、M 的权重），返回 (w_r, w_f, w_m)。"""
    try:
        if isinstance(weights, (str, bytes)) or len(weights) != 3:
            raise ValueError
        values = tuple(float(w) for w in weights)
        if not all(np.isfinite(values)):
            raise ValueError
    except (TypeError, ValueError):
        raise ValueError(f"weights 需要 3 个数（R、F、M 的权重），例如 (1, 3, 4)，收到 {weights!r}。") from None
    return values


@checked
def rfm_levels(levels=TEXTBOOK_LEVELS) -> list:
    """检查 P/G/S/B 等级分界：((最低总分, 等级名), ...)，返回按最低总分从高到低排好的列表（同分时保持原来的先后）。"""
    try:
        if isinstance(levels, (str, bytes)) or not len(levels):
            raise ValueError
        pairs = [(float(low), str(name)) for low, name in levels]
    except (TypeError, ValueError):
        raise ValueError(f"levels 应是 ((最低总分, 等级名), ...)，例如 ((36, 'P'), (26, 'G'), (17, 'S'), (0, 'B'))，"
                         f"收到 {levels!r}。") from None
    if len({name for _, name in pairs}) != len(pairs):
        raise ValueError(f"levels 里的等级名不能重复，收到 {levels!r}。")
    return sorted(pairs, key=lambda pair: pair[0], reverse=True)


def _case(column: str, conditions: list[tuple[str, str, str]], default: str, indent: str = "    ",
          default_note: str = "") -> str:
    """CASE WHEN …：conditions 是 (条件, 值, 注释)。"""
    lines = [f"{indent}CASE"]
    for condition, value, note in conditions:
        lines.append(f"{indent}  WHEN {condition} THEN {value}" + (f"  -- {_note(note)}" if note else ""))
    lines.append(f"{indent}  ELSE {default}" + (f"  -- {_note(default_note)}" if default_note else ""))
    lines.append(f"{indent}END AS {column}")
    return "\n".join(lines)


@checked
def rfm_sql(as_of, table: RFMTable = TEXTBOOK_RFM, weights=TEXTBOOK_WEIGHTS, levels=TEXTBOOK_LEVELS,
            dialect: str = "duckdb") -> str:
    """RFM 打分与 P/G/S/B 分级（rfm_score）的 SQL：和 rfm_score(orders, as_of, table, weights, levels) 结果相同。

    参数
    ----
    as_of : 评估日（“今天”）。评估期为 [as_of − 评估期月数 个自然月, as_of]，两端都含。
    table : RFM 评分表（RFMTable），默认教材的 TEXTBOOK_RFM。
    weights : (R 权重, F 权重, M 权重)，默认 (1, 3, 4)。
    levels : ((最低总分, 等级名), ...)，默认 36 分及以上 P、26 分及以上 G、17 分及以上 S、其余 B。
    dialect : "duckdb"（默认）、"spark"、"hive" 或 "mysql"。

    R 的日期分界（“n 个自然月前”，例如 3 月 31 日往前 1 个月是 2 月 28/29 日）用 rfm_band_edges
    在 Python 里算好，写成日期常量；M 的门槛换成整数分。
    """
    day = parse_date(as_of, "as_of")
    w_r, w_f, w_m = rfm_weights(weights)
    ordered = rfm_levels(levels)
    edges = [pd.Timestamp(d) for d in rfm_band_edges(day, table).iloc[:, 0]]
    start = edges[-1]
    months = table.recency_months
    r_rules = [(f"CAST(last_order AS DATE) >= {_date(edge)}", str(5 - i), f"{months[i]} 个月内")
               for i, edge in enumerate(edges)]
    f_rules = [(f"frequency >= {int(n)}", str(5 - i), "") for i, n in enumerate(table.frequency_min)]
    m_rules = [(f"monetary_fen >= {to_fen(m)}", str(5 - i), f"{yuan_text(to_fen(m))} 元")
               for i, m in enumerate(table.monetary_min)]
    score = f"{_number(w_r)} * R + {_number(w_f)} * F + {_number(w_m)} * M"
    level_rules = [(f"score >= {_number(low)}", sql_text(name), "") for low, name in ordered[:-1]]
    def named(name):
        return f"{name}（{LEVEL_NAMES[name]}）" if name in LEVEL_NAMES else name

    level_text = ("，".join(f"{low:g} 分及以上 {named(name)}" for low, name in ordered[:-1])
                  + f"，其余 {named(ordered[-1][1])}")
    paid = _paid(day, "customer_id,\n    order_time", start=start)
    sql = f"""-- RFM 打分与 P/G/S/B 分级（rfm_score 的 SQL 版）
-- 评估日 {day.date()}；评估期 {start.date()} 至 {day.date()}（{table.period_months} 个自然月，两端都含）
-- 总分 = {w_r:g}×R + {w_f:g}×F + {w_m:g}×M；{_note(level_text)}
WITH {paid},
-- 每位客户在评估期内的原始值：最后下单时间（R）、购买次数（F）、消费金额（M，分）
rfm_values AS (
  SELECT
    customer_id,
    MAX(order_time) AS last_order,
    COUNT(*) AS frequency,
    CAST(SUM(amount_fen) AS BIGINT) AS monetary_fen
  FROM paid
  GROUP BY customer_id
),
-- 按评分表打分。R 的日期分界按自然月在 Python 里算好（rfm_band_edges），恰好 n 个月前下单归较近的一档
scored AS (
  SELECT
    *,
{_case("R", r_rules, "0")},
{_case("F", f_rules, "0")},
{_case("M", m_rules, "0")}
  FROM rfm_values
),
-- 加权总分
weighted AS (
  SELECT
    *,
    {score} AS score
  FROM scored
)
SELECT
  customer_id,
  last_order,
  DATE_DIFF('day', CAST(last_order AS DATE), {_date(day)}) AS recency_days,
  frequency,
  monetary_fen / 100 AS monetary,
  R,
  F,
  M,
  score,
  -- 从最高的等级往下看，第一个够分的就是这位客户的等级
{_case("level", level_rules, sql_text(ordered[-1][1]), indent="  ")}
FROM weighted
ORDER BY customer_id
"""
    return _finish(sql, dialect)


# ---------------------------------------------------------------------------
# 店铺VIP
# ---------------------------------------------------------------------------
@checked
def vip_sql(tiers=TEXTBOOK_VIP_TIERS, as_of=None, strict: bool = False, with_customers: bool = True,
            dialect: str = "duckdb") -> str:
    """店铺VIP会员等级（vip_tier）的 SQL：累计消费金额“或”累计交易笔数达到门槛即可，取达到的最高一级。

    参数
    ----
    tiers : 会员等级（从低到高），默认教材的四级 TEXTBOOK_VIP_TIERS。
    as_of : 截止日（含当天）；不给时用全部订单。
    strict : False（默认）按“达到”（≥ 门槛），True 按“大于”（> 门槛），和 vip_tier 一样。
    with_customers : True 时客户表里没下过单的客户也有一行。
    dialect : "duckdb"（默认）、"spark"、"hive" 或 "mysql"。

    返回的列：customer_id、order_count、total_amount（元）、vip_tier（一级都没达到的是空值，即非会员）。
    vip_tier 一列和 vip_tier(customer_summary(orders, items, customers, as_of), tiers, strict) 相同，顺序也相同。
    """
    tiers = check_tiers(tiers)
    day = _day_or_none(as_of)
    sign = ">" if strict else ">="
    rules = [(f"summary.total_fen {sign} {to_fen(t.min_amount)} OR summary.order_count {sign} {int(t.min_orders)}",
              sql_text(t.name),
              f"{yuan_text(to_fen(t.min_amount))} 元或 {int(t.min_orders)} 笔")
             for t in reversed(tiers)]
    reading = "大于门槛（>）" if strict else "达到门槛（≥）"
    when = f"截止日 {day.date()}（含当天）" if day is not None else "全部订单"
    ctes = [_paid(day, "customer_id"), """-- 每位客户的累计交易笔数和累计消费金额（分）
order_stats AS (
  SELECT
    customer_id,
    COUNT(*) AS order_count,
    CAST(SUM(amount_fen) AS BIGINT) AS total_fen
  FROM paid
  GROUP BY customer_id
)"""]
    if with_customers:
        ctes.append("""-- 全部客户：客户表里的每一位，加上下过单的人
everyone AS (
  SELECT customer_id FROM customers
  UNION
  SELECT customer_id FROM order_stats
)""")
        ctes.append("""-- 每位客户一行：没下过单的笔数、金额为 0
summary AS (
  SELECT
    everyone.customer_id,
    COALESCE(o.order_count, 0) AS order_count,
    COALESCE(o.total_fen, 0) AS total_fen
  FROM everyone
  LEFT JOIN order_stats AS o
    ON o.customer_id = everyone.customer_id
)""")
        tail = "FROM summary\nLEFT JOIN customers\n  ON customers.customer_id = summary.customer_id\n"
        order = ("-- 顺序和 pandas 一样：客户表里的客户在前，只在订单里出现的人在后，各自按编号排序\n"
                 "ORDER BY customers.customer_id IS NULL, summary.customer_id")
    else:
        ctes.append("summary AS (\n  SELECT * FROM order_stats\n)")
        tail = "FROM summary\n"
        order = "ORDER BY summary.customer_id"
    ctes = ",\n".join(ctes)
    tier_case = _case("vip_tier", rules, "NULL", indent="  ")
    sql = f"""-- 店铺VIP会员等级（vip_tier 的 SQL 版）：累计消费金额“或”累计交易笔数{reading}即可，取达到的最高一级
-- 统计范围：{when}；金额按整数“分”比较
WITH {ctes}
SELECT
  summary.customer_id,
  summary.order_count,
  summary.total_fen / 100 AS total_amount,
  -- 从最高一级往下看，第一个达到的就是会员等级；一级都没达到的是空值（非会员）
{tier_case}
{tail}{order}
"""
    return _finish(sql, dialect)


# ---------------------------------------------------------------------------
# 客户生命周期
# ---------------------------------------------------------------------------
@checked
def lifecycle_sql(as_of, rule: LifecycleRule = LifecycleRule(), with_customers: bool = True,
                  dialect: str = "duckdb") -> str:
    """客户生命周期阶段（lifecycle_stages）的 SQL：识别期、发展期、稳定期、衰退期。

    参数
    ----
    as_of : 评估日（含当天）。
    rule : 划分规则 LifecycleRule(active_days, loyal_orders)，默认 90 天、3 笔。
    with_customers : True 时用 customers 表（需要 register_date 列）：评估日前已注册、还没下单的人是识别期；
                     False 时只看下过单的人（没有识别期），和 lifecycle_stages(None, orders, as_of, rule) 一样。
    dialect : "duckdb"（默认）、"spark"、"hive" 或 "mysql"。

    返回的列和 lifecycle_stages 相同：customer_id、order_count、total_amount（元）、last_order（日期）、
    days_since_last（天，没下过单为空）、stage；按 customer_id 排序。
    """
    day = parse_date(as_of, "as_of")
    d, k = rule.active_days, rule.loyal_orders
    identify, develop, stable, decline = (sql_text(s) for s in STAGES)
    present = """-- 评估日那天已经在的客户：客户表里注册日期不晚于评估日的（没有注册日期的也算），加上下过单的人
present AS (
  SELECT customer_id
  FROM customers
  WHERE register_date IS NULL OR CAST(register_date AS DATE) <= {day}
  UNION
  SELECT customer_id FROM order_stats
)""".format(day=_date(day)) if with_customers else "present AS (\n  SELECT customer_id FROM order_stats\n)"
    paid = _paid(day, "customer_id,\n    order_time")
    sql = f"""-- 客户生命周期阶段（lifecycle_stages 的 SQL 版）
-- 评估日 {day.date()}（含当天）；{d} 天内下过单算“最近还在买”，累计 {k} 笔及以上算“稳定”
WITH {paid},
-- 每位客户的订单数、消费金额（分）、最后下单日期
order_stats AS (
  SELECT
    customer_id,
    COUNT(*) AS order_count,
    CAST(SUM(amount_fen) AS BIGINT) AS total_fen,
    CAST(MAX(order_time) AS DATE) AS last_order
  FROM paid
  GROUP BY customer_id
),
{present},
-- 每一位：订单数、消费金额（元）、最后下单日期、距评估日几天（没下过单的是 0 笔、空值）
staged AS (
  SELECT
    present.customer_id,
    COALESCE(o.order_count, 0) AS order_count,
    COALESCE(o.total_fen, 0) / 100 AS total_amount,
    o.last_order,
    DATE_DIFF('day', o.last_order, {_date(day)}) AS days_since_last
  FROM present
  LEFT JOIN order_stats AS o
    ON o.customer_id = present.customer_id
)
SELECT
  *,
{_case("stage", [("order_count = 0", identify, "还没有下过单"),
                 (f"days_since_last > {int(d)}", decline, f"最近一次下单在 {d} 天以前"),
                 (f"order_count >= {int(k)}", stable, f"{k} 笔及以上，最近 {d} 天内买过")],
       develop, indent="  ", default_note=f"1–{k - 1} 笔，最近 {d} 天内买过")}
FROM staged
ORDER BY customer_id
"""
    return _finish(sql, dialect)

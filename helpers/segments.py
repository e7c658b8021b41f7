"""自定义分组（客户分组）：和 CRM 后台“创建分组”表单一样，规则全部用“且”连接。

Segment 只管把规则组合起来（选人、漏斗、中文说明、SQL、边界客户小表）；
每条规则本身的含义声明在 helpers.segment_rules.RULES 里。
"""
from __future__ import annotations

import difflib
import re

import numpy as np
import pandas as pd
import pyarrow as pa

from . import segment_rules
from .money import fen_to_yuan, to_fen, yuan_text
from .segment_rules import AnyOf, AtLeast, BoughtAny, OneOf, OnOrAfter
from .validation import checked

def _rule(key: str):
    """参数名对应的规则声明（每次都从 segment_rules 里取，测试里临时加的规则也认得）。"""
    return segment_rules.RULE_BY_KEY[key]


def _suggest(wrong: str, candidates) -> str:
    close = difflib.get_close_matches(wrong, list(candidates), n=3, cutoff=0.3)
    return f"最接近的名称：{'、'.join(close)}。" if close else ""


@checked
class Segment:
    """一个自定义分组：名称、描述和若干条规则（所有规则同时满足才入组）。

    用法：``Segment("母亲节", "母亲节促销", min_orders=2, gender="女", regions=["上海"])``

    参数（规则都可以不填；数值规则都是“大于或等于”）
    ----
    name, description : 分组名称和描述，例如 "母亲节"、"母亲节促销"。
    min_orders : 订单总数 ≥ 该值。
    min_total_amount : 订单总金额（元）≥ 该值。
    min_avg_order_value : 平均订单价（元）≥ 该值。
    min_items : 购买商品总数 ≥ 该值。
    gender : "女" 或 "男"。
    last_order_after : 日期；最后下单时间在这一天当天或之后。
    min_points : 积分 ≥ 该值。
    occupations : 职业列表，满足其一即可。
    products : 商品列表（商品简称或宝贝标题），买过其中任一即可。
    regions : 地区列表，匹配省份或城市，满足其一即可；"上海市" 等同 "上海"。
    """

    def __init__(self, name: str, description: str = "", **rules):
        unknown = [k for k in rules if k not in segment_rules.RULE_BY_KEY]
        if unknown:
            by_label = {rule.label: rule.key for rule in segment_rules.RULES}
            hints = "".join(f"“{k}”的参数名是 {by_label[k]}。" if k in by_label else _suggest(k, segment_rules.RULE_NAMES)
                            for k in unknown)
            raise ValueError(f"不认识的分组规则：{'、'.join(unknown)}。{hints}"
                             f"可用的规则：{'、'.join(segment_rules.RULE_NAMES)}。")
        self.name = str(name)
        self.description = str(description or "")
        for rule in segment_rules.RULES:
            value = rules.get(rule.key)
            setattr(self, rule.key, None if value is None else rule.normalize(value))

    def __repr__(self) -> str:
        args = [repr(self.name)] + ([repr(self.description)] if self.description else [])
        args += [f"{k}={v.date().isoformat()!r}" if isinstance(v, pd.Timestamp) else f"{k}={v!r}"
                 for k, v in self.rules.items()]
        return f"Segment({', '.join(args)})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Segment) and (self.name, self.description, self.rules) == \
            (other.name, other.description, other.rules)

    @property
    def rules(self) -> dict:
        """已填写的规则（按表单顺序），例如 {'min_orders': 2, 'gender': '女'}。"""
        return {k: getattr(self, k) for k in segment_rules.RULE_NAMES if getattr(self, k) is not None}

    def describe(self) -> str:
        """把分组规则读成一句中文，就像 CRM 后台显示的那样。"""
        parts = [_rule(k).text(v) for k, v in self.rules.items()]
        head = self.name + (f"（{self.description}）" if self.description else "")
        body = "，且".join(parts) if parts else "不加任何条件（全部客户）"
        return f"{head}：{body}。"

    def _check(self, summary: pd.DataFrame) -> None:
        """检查规则用到的列都在、填写的名称在数据里存在（拼错时给出最接近的名称）。"""
        for key, value in self.rules.items():
            rule = _rule(key)
            for col in rule.columns:
                if col not in summary.columns or (rule.needs == "items" and len(summary) and summary[col].isna().all()):
                    raise ValueError(f"分组规则 {key}（{rule.label}）需要汇总表里的 {col} 列：请在 customer_summary 里传入"
                                     + ("商品明细表 items。" if rule.needs == "items" else "客户表 customers。"))
            if isinstance(rule, AnyOf):
                self._check_names(key, rule.label, value, rule.known(summary))

    def _check_names(self, key, label, wanted, known) -> None:
        for name in wanted:
            if name not in known:
                raise ValueError(f"分组规则 {key} 里的{label} {name!r} 在数据中不存在。{_suggest(name, known)}"
                                 "请检查有没有错别字。")

    def _steps(self, summary: pd.DataFrame):
        """按表单顺序逐条应用规则，每一步给出 (规则名, 累计的布尔掩码)。"""
        if "order_count" not in summary.columns and {"order_time", "amount"} <= set(summary.columns):
            raise ValueError("分组规则要用在客户汇总表上（一位客户一行，有 order_count、total_amount……），"
                             "你传进来的是订单表（一笔订单一行）：请先 summary = shop.summary()"
                             "（或 customer_summary(订单表, …)），再 .select(summary)。")
        self._check(summary)
        mask = np.ones(len(summary), dtype=bool)
        for key in self.rules:
            mask = mask & _rule(key).mask(getattr(self, key), summary)
            yield key, mask

    @checked
    def run(self, summary: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """一次算出 (漏斗表, 入组客户)，等同于 funnel(summary) 和 select(summary)。"""
        rows = [("全部客户", "（不加条件）", len(summary), 0)]
        mask = np.ones(len(summary), dtype=bool)
        for key, mask in self._steps(summary):
            rule, left = _rule(key), int(mask.sum())
            rows.append((rule.section, rule.text(getattr(self, key)), left, rows[-1][2] - left))
        funnel = pd.DataFrame(rows, columns=["表单分区", "条件", "剩余客户数", "本步去掉"])
        return funnel, summary[mask]

    @checked
    def select(self, summary: pd.DataFrame) -> pd.DataFrame:
        """从客户汇总表中选出满足全部规则的客户（返回这些行）。"""
        return self.run(summary)[1]

    @checked
    def funnel(self, summary: pd.DataFrame) -> pd.DataFrame:
        """按表单顺序逐条加规则，看每一步之后还剩多少客户。"""
        return self.run(summary)[0]

    @checked
    def to_sql(self, table: str = "customer_summary", titles: dict | None = None, dialect: str = "duckdb") -> str:
        """这个分组的 SQL：从客户汇总表 table 里选出入组的客户（每条规则一行 WHERE 条件，带中文注释）。

        金额按分比较（ROUND(金额 × 100)），日期写成 TIMESTAMP 常量，按 customer_id 排序。
        商品范围要用到订单表 orders 和商品明细表 items。titles 是 {宝贝标题: 商品简称}
        （汇总表的 attrs["product_titles"]），用标题写的商品范围换成简称。
        dialect 为 "spark"、"hive"、"mysql" 时换成那种数据库的写法（见 helpers.sql.to_dialect）。

        在工作簿里运行：``helpers.sql.run(seg.to_sql(), customer_summary=summary, orders=…, items=…)``。
        """
        if not re.fullmatch(r"[A-Za-z_][A-Za-z_0-9]*", table):
            raise ValueError(f"table 应是一个表名（字母、数字、下划线），收到的是 {table!r}。")
        titles = titles or {}
        lines = [f"-- {self.describe()}", "SELECT s.*", f"FROM {table} AS s"]
        for i, (key, value) in enumerate(self.rules.items()):
            rule = _rule(key)
            lines.append(f"{'WHERE' if i == 0 else '  AND'} {rule.sql(value, titles)}  -- {rule.text(value)}")
        lines.append("ORDER BY s.customer_id")
        query = "\n".join(lines)
        if dialect != "duckdb":
            from .sql import to_dialect
            query = to_dialect(query, dialect)
        return query

    def boundary_probe(self) -> pd.DataFrame:
        """造一张“边界客户”小表：每条数值或日期规则各有一位正好踩在界线上的客户和一位差一点的客户。

        其余条件都宽松满足，所以每一行只考一条界线：“订单总金额正好 200 元”应入组，
        “订单总金额 199.99 元”不应入组；“最后下单时间在 2016-03-01 当天 0 点”应入组，“前一天 23:59:59”
        不应入组。把 ≥ 读成 >、日期差一天，在这张表上都会选出不同的客户。

        返回以 customer_id（P01、P02……）为索引、和客户汇总表同样列名的表，另有两列：
        边界（这一行考的是哪条界线）、应入组（按本分组的规则，这位客户该不该入组）。
        """
        r = self.rules
        # 订单总数、订单总金额、平均订单价三条互相牵连（金额 = 平均 × 笔数），单独处理；其余规则按种类生成
        count = max(int(np.ceil(r.get("min_orders", 1))), 1) + 1
        aov = float(r.get("min_avg_order_value", 0))
        total_fen = max(to_fen(r.get("min_total_amount", 0)) + 5000, to_fen(aov + 50) * count, 10000)
        base = {"order_count": count, "total_fen": total_fen, "item_count": count, "points": 0,
                "gender": "女", "last_order": pd.Timestamp("2000-01-01 10:00"), "occupation": "企业职员",
                "province": "上海", "city": "上海", "products": ["（任意商品）"], "边界": "全部条件都宽松满足"}
        linked = ("min_orders", "min_total_amount", "min_avg_order_value")
        for key, value in r.items():                  # 宽松满足每一条规则
            rule = _rule(key)
            column = rule.columns[0]
            if isinstance(rule, AtLeast) and key not in linked:
                base[column] = max(int(np.ceil(value)) + 10, base.get(column) or 0)
            elif isinstance(rule, OnOrAfter):
                base[column] = value + pd.Timedelta(days=10, hours=10)
            elif isinstance(rule, BoughtAny):
                base[column] = [value[0]]
            elif isinstance(rule, (OneOf, AnyOf)):
                base.update({c: value if isinstance(rule, OneOf) else value[0] for c in rule.columns})
        rows = [base]

        def row(label, **changes):
            rows.append({**base, **changes, "边界": label})

        if "min_orders" in r:
            v = int(np.ceil(r["min_orders"]))
            row(f"订单总数正好 {v} 笔", order_count=v, item_count=max(base["item_count"], v),
                total_fen=max(total_fen, to_fen(aov + 50) * v))
            if v >= 1:
                row(f"订单总数 {v - 1} 笔", order_count=v - 1, total_fen=max(total_fen, to_fen(aov + 50) * v))
        if "min_total_amount" in r:
            v = to_fen(r["min_total_amount"])
            n = max(int(np.ceil(r.get("min_orders", 1))), 1)
            if aov == 0 or v >= to_fen(aov) * n:            # 平均订单价的规则也要满足
                row(f"订单总金额正好 {yuan_text(v)} 元", total_fen=v, order_count=n)
                if v >= 1:
                    row(f"订单总金额 {yuan_text(v - 1)} 元", total_fen=v - 1, order_count=n)
        if "min_avg_order_value" in r:
            v = to_fen(aov)
            n = max(count, int(np.ceil(to_fen(r.get("min_total_amount", 0)) / v)) + 1 if v else count)
            row(f"平均订单价正好 {yuan_text(v)} 元", total_fen=v * n, order_count=n)
            if v >= 1:
                row(f"平均订单价差一分不到 {yuan_text(v)} 元", total_fen=v * n - 1, order_count=n)
        for key, value in r.items():
            rule = _rule(key)
            column = rule.columns[0]
            if isinstance(rule, AtLeast) and key not in linked:
                v = int(np.ceil(value))
                unit = f" {rule.unit}" if rule.unit else ""
                row(f"{rule.label}正好 {v}{unit}", **{column: v})
                if v >= 1:
                    row(f"{rule.label} {v - 1}{unit}", **{column: v - 1})
            elif isinstance(rule, OnOrAfter):
                row(f"{rule.label}在 {value.date()} 当天 0 点", **{column: value})
                row(f"{rule.label}在前一天 {(value - pd.Timedelta(days=1)).date()} 23:59:59",
                    **{column: value - pd.Timedelta(seconds=1)})
            elif isinstance(rule, OneOf):
                for other in rule.choices:
                    if other != value:
                        row(f"{rule.label}为{other}", **{column: other})
            elif isinstance(rule, AnyOf):
                what = "买过的商品" if isinstance(rule, BoughtAny) else rule.label
                cell = (lambda v: [v]) if isinstance(rule, BoughtAny) else (lambda v: v)
                for item in value[1:]:                    # 名单里的每一项都有一位只满足这一项的客户
                    row(f"{what}只有“{item}”", **{c: cell(item) for c in rule.columns})
                other = "（其他商品）" if isinstance(rule, BoughtAny) else f"（其他{rule.label}）"
                row(f"{what}不在名单里", **{c: cell(other) for c in rule.columns})
        probe = pd.DataFrame(rows)
        probe.index = pd.Index([f"P{i:02d}" for i in range(1, len(probe) + 1)], name="customer_id")
        probe["total_amount"] = fen_to_yuan(probe.pop("total_fen"))
        probe["avg_order_value"] = np.where(probe["order_count"] > 0,
                                            probe["total_amount"] / probe["order_count"].clip(lower=1), np.nan)
        probe["products"] = pd.Series(probe["products"].tolist(), index=probe.index,
                                      dtype=pd.ArrowDtype(pa.list_(pa.string())))
        probe["应入组"] = probe.index.isin(self.select(probe).index)
        return probe

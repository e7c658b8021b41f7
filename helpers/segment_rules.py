"""分组规则的声明：每条规则只在这里写一次（RULES），Segment、表单、检查和 SQL 都读它。

一条规则的全部行为由它的“种类”决定：AtLeast（≥ 某个数，金额按分比较）、AverageAtLeast（平均订单价）、
OnOrAfter（某天当天或之后）、OneOf（单选，如性别）、AnyOf（名单，满足其一）、BoughtAny（买过名单里的任一商品）。
每个种类知道怎样检查参数（normalize）、怎样选人（mask，向量化）、怎样读成中文（text）、
表单上怎样写（form_label、control）、怎样写成 SQL（sql）。

加一条规则 = 在 RULES 里加一行声明 + 写它的测试（例子见 docs/代码约定.md）。
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .money import to_fen
from .validation import checked, parse_date

# ---------------------------------------------------------------------------
# 规则的声明：每条规则只在这里写一次
# ---------------------------------------------------------------------------
# 一条规则的全部行为（检查参数、选人的掩码、中文说明、漏斗、表单控件和标签、SQL）都由它的“种类”决定，
# 种类是下面几个小类；RULES 里每条规则是一行声明。加一条规则 = 在 RULES 里加一行 + 写它的测试
# （见 docs/代码约定.md 的例子）。表单（helpers.widgets.segment）、检查（compare_segment）、SQL 都读 RULES。

def _sql_text(value) -> str:
    """SQL 里的文字常量（helpers.sql.sql_text）；用到 SQL 时才导入 helpers.sql，import helpers 不必加载 DuckDB。"""
    from .sql.dialects import sql_text

    return sql_text(value)


def _sql_list(values) -> str:
    return "(" + ", ".join(_sql_text(v) for v in values) + ")"


@checked
@dataclass(frozen=True)
class Rule:
    """一条分组规则的声明（所有种类共有的部分）。

    key：Segment 的参数名；section：表单分区；label：中文名；columns：读汇总表的哪些列；
    needs：缺这些列时该给 customer_summary 传什么（"customers" 客户表 或 "items" 商品明细表）；
    words：这条规则的别的叫法（find_rule 认得出）。
    """

    key: str
    section: str
    label: str
    columns: tuple
    needs: str = "customers"
    words: tuple = ()             # 学生可能用来指这条规则的别的说法（“地区”“省份”……），find_rule 用
    example: tuple = ()           # rule_table 里一行例子用的值

    control = "text"            # 表单控件：text（数字）/ choice（单选）/ date（日期）/ names（多选名单）

    @property
    def form_label(self) -> str:
        return self.label

    def normalize(self, value):
        return value

    def text(self, value) -> str:
        raise NotImplementedError

    def mask(self, value, summary: pd.DataFrame) -> np.ndarray:
        raise NotImplementedError

    def sql(self, value, titles: dict) -> str:
        raise NotImplementedError


@checked
@dataclass(frozen=True)
class AtLeast(Rule):
    """数值规则“≥ 某个数”。money=True 时按整数分比较；fill 是空值当作的数（积分没填 = 0）。"""

    unit: str = ""
    integer: bool = True
    money: bool = False
    fill: float | None = None

    @property
    def form_label(self) -> str:
        return f"{self.label}（元）≥" if self.money else f"{self.label} ≥"

    def normalize(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                or not np.isfinite(value) or value < 0:
            raise ValueError(f"分组规则 {self.key}（{self.label}）应是不小于 0 的数字，收到的是 {value!r}。")
        return value

    def text(self, value) -> str:
        return f"{self.label} ≥ {_format_value(value)}{' ' + self.unit if self.unit else ''}"

    def _column(self, summary: pd.DataFrame) -> pd.Series:
        column = summary[self.columns[0]]
        return column.fillna(self.fill) if self.fill is not None else column

    def mask(self, value, summary):
        column = self._column(summary)
        if self.money:
            return np.asarray(to_fen(column.astype("float64")) >= to_fen(value))
        return np.asarray((column >= value).fillna(False), dtype=bool)

    def sql(self, value, titles):
        column = f"s.{self.columns[0]}"
        if self.fill is not None:
            column = f"COALESCE({column}, {self.fill:g})"
        if self.money:
            return f"ROUND({column} * 100) >= {to_fen(value)}"
        return f"{column} >= {_format_value(value)}"


@checked
@dataclass(frozen=True)
class AverageAtLeast(AtLeast):
    """“平均订单价 ≥ v 元”：按整数分比较 订单总金额 ≥ v × 订单总数（不做除法，没有舍入误差）。"""

    def mask(self, value, summary):
        count = summary["order_count"]
        return np.asarray((count > 0) & (to_fen(summary["total_amount"].astype("float64")) >= to_fen(value) * count))

    def sql(self, value, titles):
        return f"s.order_count > 0 AND ROUND(s.total_amount * 100) >= {to_fen(value)} * s.order_count"


@checked
@dataclass(frozen=True)
class OnOrAfter(Rule):
    """日期规则“在这一天当天或之后”（含当天 0 点起的整天）。"""

    control = "date"

    @property
    def form_label(self) -> str:
        return f"{self.label}不早于"

    def normalize(self, value):
        return parse_date(value, self.key)

    def text(self, value) -> str:
        return f"{self.label}在 {_format_value(value)} 当天或之后"

    def mask(self, value, summary):
        return np.asarray((summary[self.columns[0]] >= value).fillna(False), dtype=bool)

    def sql(self, value, titles):
        # 括号让换成别的数据库写法（to_dialect）时，行末的注释仍跟在整个条件后面
        return f"(s.{self.columns[0]} >= TIMESTAMP '{value:%Y-%m-%d %H:%M:%S}')"


@checked
@dataclass(frozen=True)
class OneOf(Rule):
    """单选规则（性别）：choices 是可选的值，aliases 把别的写法换成标准写法（“女性” → “女”）。"""

    choices: tuple = ()
    aliases: tuple = ()
    control = "choice"

    def normalize(self, value):
        text = str(value).strip()
        text = dict(self.aliases).get(text, text)
        if text not in self.choices:
            options = " 或 ".join(f'"{c}"' for c in self.choices)
            raise ValueError(f"分组规则 {self.key}（{self.label}）只能是 {options}，收到的是 {value!r}。")
        return text

    def text(self, value) -> str:
        return f"{self.label}为{value}"

    def mask(self, value, summary):
        return np.asarray((summary[self.columns[0]] == value).fillna(False), dtype=bool)

    def sql(self, value, titles):
        return f"s.{self.columns[0]} = {_sql_text(value)}"


@checked
@dataclass(frozen=True)
class AnyOf(Rule):
    """名单规则：汇总表的某一列（或几列中的任一列）在名单里，满足其一即可。"""

    clean: object = None          # 名单里每一项的规范化（地区去掉“省”“市”）
    control = "names"

    @property
    def form_label(self) -> str:
        return f"{self.label}（可多选，不选 = 不限）"

    def normalize(self, value):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple, set, frozenset, pd.Series, pd.Index, np.ndarray)):
            example = ", ".join(f'"{e}"' for e in self.example)
            raise ValueError(f"分组规则 {self.key}（{self.label}）应是一个名称或名称的列表，"
                             f"例如 {self.key}=[{example}]，收到的是 {value!r}。")
        value = [str(v).strip() for v in value]
        if not value:
            raise ValueError(f"分组规则 {self.key} 是空列表；不想限制就不要填这条规则。")
        return [self.clean(v) for v in value] if self.clean else value

    def text(self, value) -> str:
        return f"{self.label}为{_format_value(value)}"

    def known(self, summary: pd.DataFrame) -> set:
        """数据里出现过的名称（用来发现错别字）。"""
        return set().union(*(set(summary[c].dropna().unique()) for c in self.columns))

    def options(self, summary: pd.DataFrame) -> list:
        """表单里可选的名称：数据里出现过的，常见的在前（地区按省份）。"""
        column = self.columns[0]
        return summary[column].value_counts().index.tolist() if column in summary.columns else []

    def mask(self, value, summary):
        hit = np.zeros(len(summary), dtype=bool)
        for column in self.columns:
            hit |= np.asarray(summary[column].isin(value), dtype=bool)
        return hit

    def sql(self, value, titles):
        parts = [f"s.{c} IN {_sql_list(value)}" for c in self.columns]
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


@checked
@dataclass(frozen=True)
class BoughtAny(AnyOf):
    """商品范围：买过名单里的任一商品（商品简称或宝贝标题都行）。"""

    @property
    def form_label(self) -> str:
        return f"{self.label}（买过任一，不选 = 不限）"

    def text(self, value) -> str:
        return f"买过{_format_value(value)}"

    def known(self, summary):
        return set(purchases(summary)[1].categories) | set(summary.attrs.get("product_titles", {}))

    def options(self, summary):
        return sorted(purchases(summary)[1].categories) if "products" in summary.columns else []

    def mask(self, value, summary):
        titles = summary.attrs.get("product_titles", {})
        positions, products = purchases(summary)
        hit = np.zeros(len(summary), dtype=bool)
        hit[positions[products.isin([titles.get(v, v) for v in value])]] = True
        return hit

    def sql(self, value, titles):
        names = sorted({titles.get(v, v) for v in value})
        # 汇总表只算截止日期前的订单：客户的订单只要不晚于他的最后下单时间，就在汇总的范围里
        return ("EXISTS (SELECT 1 FROM orders AS o JOIN items AS i ON i.order_id = o.order_id\n"
                "              WHERE o.customer_id = s.customer_id AND o.order_time <= s.last_order\n"
                f"                AND i.product IN {_sql_list(names)})")


# 规则的顺序 = CRM 表单里的顺序：购买行为 → 客户属性 → 商品范围 → 所属地区。
RULES = (
    AtLeast("min_orders", "购买行为", "订单总数", ("order_count",), words=("订单数", "购买次数"), example=(2,),
            unit="笔"),
    AtLeast("min_total_amount", "购买行为", "订单总金额", ("total_amount",), words=("金额", "消费"), example=(500,),
            unit="元", integer=False, money=True),
    AverageAtLeast("min_avg_order_value", "购买行为", "平均订单价", ("order_count", "total_amount"),
                   words=("客单价",), example=(200,), unit="元", integer=False, money=True),
    AtLeast("min_items", "购买行为", "购买商品总数", ("item_count",), needs="items", words=("件数",), example=(3,),
            unit="件", fill=0),
    OneOf("gender", "客户属性", "性别", ("gender",), example=("女",), choices=("女", "男"),
          aliases=(("女性", "女"), ("男性", "男"))),
    OnOrAfter("last_order_after", "客户属性", "最后下单时间", ("last_order",), words=("下单时间", "日期"),
              example=("2015-03-01",)),
    AtLeast("min_points", "客户属性", "积分", ("points",), example=(100,), integer=False, fill=0),
    AnyOf("occupations", "客户属性", "职业", ("occupation",), example=("教师", "医生")),
    BoughtAny("products", "商品范围", "商品范围", ("products",), needs="items", words=("商品", "买过"),
              example=("新生儿枕头", "幼儿连体衣")),
    AnyOf("regions", "所属地区", "所属地区", ("province", "city"), words=("地区", "省份", "城市"),
          example=("上海", "浙江"), clean=lambda v: normalize_region(v)),
)
RULE_BY_KEY = {rule.key: rule for rule in RULES}
RULE_NAMES = tuple(RULE_BY_KEY)


@checked
def find_rule(text: str) -> str | None:
    """认出一段中文说的是哪条规则（中文名、别的叫法或参数名），返回参数名；认不出时返回 None。

    例如 find_rule("所属地区为“上海”") → "regions"，find_rule("客单价") → "min_avg_order_value"。
    长的名字先比，“订单总金额”不会被认成“订单总数”。
    """
    text = " ".join(str(text).split())
    if text in RULE_BY_KEY:
        return text
    names = [(rule.label, rule.key) for rule in RULES] + [(w, rule.key) for rule in RULES for w in rule.words]
    for name, key in sorted(names, key=lambda pair: -len(pair[0])):
        if name in text:
            return key
    return None


@checked
def rule_table() -> pd.DataFrame:
    """分组规则一览（参数、表单分区、表单上的写法、一行例子），直接由 RULES 生成。"""
    rows = []
    for rule in RULES:
        values = [f'"{v}"' if isinstance(v, str) else f"{v:g}" for v in rule.example]
        example = "[" + ", ".join(values) + "]" if rule.control == "names" else values[0]
        rows.append({"参数": rule.key, "表单分区": rule.section, "表单上的写法": rule.form_label,
                     "例子": f'Segment("例", {rule.key}={example})'})
    return pd.DataFrame(rows)


_REGION_SUFFIX = re.compile(
    r"(壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)$")


@checked
def normalize_region(name: str) -> str:
    """去掉地区名末尾的“省/市/自治区”等后缀：'上海市' → '上海'，'浙江省' → '浙江'。"""
    return _REGION_SUFFIX.sub("", str(name).strip()) or str(name).strip()


def _format_value(value) -> str:
    if isinstance(value, (list, tuple)):
        quoted = "“" + "、".join(map(str, value)) + "”"
        return quoted if len(value) == 1 else quoted + "中的任一个"
    if isinstance(value, pd.Timestamp):
        return str(value.date())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# 最近展开过的 products 列：{id(列的数组): (数组, 结果)}。表单每次刷新、每条规则都要用它，只展开一次；
# 存着数组本身，id 就不会被别的对象重用；列被换掉（哪怕内容相同）就是另一个数组，会重新展开。
_PURCHASES: dict = {}


@checked
def purchases(summary: pd.DataFrame) -> tuple[np.ndarray, pd.Categorical]:
    """把汇总表的 products 列展开成（客户所在行号, 商品）两列；Arrow 列表列直接在 C 层展开。

    同一列展开一次以后记住结果（最近的 8 列），分组表单刷新时不再重复展开。
    """
    if "products" not in summary.columns:
        raise ValueError("客户汇总表里没有 products 列（买过的商品）：请在 customer_summary 里传入商品明细表 items。")
    column = summary["products"]
    array = column.array
    hit = _PURCHASES.get(id(array))
    if hit is not None and hit[0] is array:
        return hit[1]
    result = _explode(column)
    _PURCHASES[id(array)] = (array, result)
    while len(_PURCHASES) > 8:
        _PURCHASES.pop(next(iter(_PURCHASES)))
    return result


def _explode(column: pd.Series) -> tuple[np.ndarray, pd.Categorical]:
    if isinstance(column.dtype, pd.ArrowDtype):
        lists = pa.array(column)
        positions = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
        products = pc.list_flatten(lists).to_numpy(zero_copy_only=False)
    else:  # 自己拼出来的汇总表：每格是 Python 的 list/set
        exploded = pd.Series(column.to_numpy()).explode().dropna()
        positions, products = exploded.index.to_numpy(), exploded.to_numpy()
    return positions, pd.Categorical(products)

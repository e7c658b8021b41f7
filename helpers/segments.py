"""自定义分组（客户分组）：和 CRM 后台“创建分组”表单一样的规则，全部用“且”连接。"""
from __future__ import annotations

import difflib
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .validation import parse_date

# 规则的顺序 = CRM 表单里的顺序：购买行为 → 客户属性 → 商品范围 → 所属地区。
# 每条规则：(参数名, 表单分区, 中文名, 说明模板)
RULES = (
    ("min_orders", "购买行为", "订单总数", "订单总数 ≥ {v} 笔"),
    ("min_total_amount", "购买行为", "订单总金额", "订单总金额 ≥ {v} 元"),
    ("min_avg_order_value", "购买行为", "平均订单价", "平均订单价 ≥ {v} 元"),
    ("min_items", "购买行为", "购买商品总数", "购买商品总数 ≥ {v} 件"),
    ("gender", "客户属性", "性别", "性别为{v}"),
    ("last_order_after", "客户属性", "最后下单时间", "最后下单时间在 {v} 当天或之后"),
    ("min_points", "客户属性", "积分", "积分 ≥ {v}"),
    ("occupations", "客户属性", "职业", "职业为{v}"),
    ("products", "商品范围", "商品范围", "买过{v}"),
    ("regions", "所属地区", "所属地区", "所属地区为{v}"),
)
RULE_NAMES = tuple(r[0] for r in RULES)
_NUMERIC = ("min_orders", "min_total_amount", "min_avg_order_value", "min_items", "min_points")
_LIST = ("regions", "occupations", "products")

_REGION_SUFFIX = re.compile(
    r"(壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)$")


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


def _to_fen(value) -> int:
    return int(round(float(value) * 100))


def _suggest(wrong: str, candidates) -> str:
    close = difflib.get_close_matches(wrong, list(candidates), n=3, cutoff=0.3)
    return f"最接近的名称：{'、'.join(close)}。" if close else ""


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
        unknown = [k for k in rules if k not in RULE_NAMES]
        if unknown:
            hints = "".join(_suggest(k, RULE_NAMES) for k in unknown)
            raise ValueError(f"不认识的分组规则：{'、'.join(unknown)}。{hints}"
                             f"可用的规则：{'、'.join(RULE_NAMES)}。")
        self.name = str(name)
        self.description = str(description or "")
        for key in RULE_NAMES:
            setattr(self, key, rules.get(key))
        self._normalize()

    def _normalize(self) -> None:
        for key in _NUMERIC:
            value = getattr(self, key)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
                    or not np.isfinite(value) or value < 0:
                raise ValueError(f"分组规则 {key} 应是不小于 0 的数字，收到的是 {value!r}。")
        if self.gender is not None:
            gender = {"女性": "女", "男性": "男"}.get(str(self.gender).strip(), str(self.gender).strip())
            if gender not in ("女", "男"):
                raise ValueError(f"分组规则 gender 只能是 \"女\" 或 \"男\"，收到的是 {self.gender!r}。")
            self.gender = gender
        if self.last_order_after is not None:
            self.last_order_after = parse_date(self.last_order_after, "last_order_after")
        for key in _LIST:
            value = getattr(self, key)
            if value is None:
                continue
            if isinstance(value, str):
                value = [value]
            value = [str(v).strip() for v in value]
            if not value:
                raise ValueError(f"分组规则 {key} 是空列表；不想限制就不要填这条规则。")
            if key == "regions":
                value = [normalize_region(v) for v in value]
            setattr(self, key, value)

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
        return {k: getattr(self, k) for k in RULE_NAMES if getattr(self, k) is not None}

    def describe(self) -> str:
        """把分组规则读成一句中文，就像 CRM 后台显示的那样。"""
        labels = {r[0]: r[3] for r in RULES}
        parts = [labels[k].format(v=_format_value(v)) for k, v in self.rules.items()]
        head = self.name + (f"（{self.description}）" if self.description else "")
        body = "，且".join(parts) if parts else "不加任何条件（全部客户）"
        return f"{head}：{body}。"

    # ---- 规则逐条转成布尔掩码（全部向量化） ----
    def _mask(self, key: str, summary: pd.DataFrame) -> pd.Series:
        value = getattr(self, key)
        if key == "min_orders":
            return summary["order_count"] >= value
        if key == "min_total_amount":
            return _fen(summary["total_amount"]) >= _to_fen(value)
        if key == "min_avg_order_value":
            # 平均订单价 ≥ v ⇔ 订单总金额 ≥ v × 订单总数（用整数分比较，避免除法误差）
            count = summary["order_count"]
            return (count > 0) & (_fen(summary["total_amount"]) >= _to_fen(value) * count)
        if key == "min_items":
            items = summary["item_count"]
            if items.isna().all() and len(items):
                raise ValueError("规则 min_items 需要购买商品总数：请在 customer_summary 里传入商品明细表 items。")
            return items.fillna(0) >= value
        if key == "gender":
            return summary["gender"] == value
        if key == "last_order_after":
            return summary["last_order"] >= value
        if key == "min_points":
            return summary["points"].fillna(0) >= value
        if key == "occupations":
            return summary["occupation"].isin(value)
        if key == "regions":
            return summary["province"].isin(value) | summary["city"].isin(value)
        if key == "products":
            return _bought_any(summary, value)
        raise KeyError(key)

    def _check(self, summary: pd.DataFrame) -> None:
        """检查规则用到的列都在、填写的名称在数据里存在（拼错时给出最接近的名称）。"""
        needs = {"gender": ["gender"], "min_points": ["points"], "occupations": ["occupation"],
                 "regions": ["province", "city"], "products": ["products"]}
        for key in self.rules:
            for col in needs.get(key, []):
                if col not in summary.columns or (col == "products" and summary[col].isna().all()):
                    raise ValueError(f"分组规则 {key} 需要汇总表里的 {col} 列：请在 customer_summary 里传入"
                                     + ("商品明细表 items。" if col == "products" else "客户表 customers。"))
        if self.regions:
            known = set(summary["province"].dropna().unique()) | set(summary["city"].dropna().unique())
            self._check_names("regions", "地区", self.regions, known)
        if self.occupations:
            self._check_names("occupations", "职业", self.occupations, set(summary["occupation"].dropna().unique()))
        if self.products:
            known = set(_purchases(summary)[1].categories)
            titles = summary.attrs.get("product_titles", {})
            self._check_names("products", "商品", self.products, known | set(titles))

    def _check_names(self, key, label, wanted, known) -> None:
        for name in wanted:
            if name not in known:
                raise ValueError(f"分组规则 {key} 里的{label} {name!r} 在数据中不存在。{_suggest(name, known)}"
                                 "请检查有没有错别字。")

    def _steps(self, summary: pd.DataFrame):
        """按表单顺序逐条应用规则，每一步给出 (规则名, 累计的布尔掩码)。"""
        self._check(summary)
        mask = np.ones(len(summary), dtype=bool)
        for key in self.rules:
            rule = self._mask(key, summary)
            mask = mask & np.asarray(pd.Series(rule, index=summary.index).fillna(False), dtype=bool)
            yield key, mask

    def run(self, summary: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """一次算出 (漏斗表, 入组客户)，等同于 funnel(summary) 和 select(summary)。"""
        labels = {r[0]: (r[1], r[3]) for r in RULES}
        rows = [("全部客户", "（不加条件）", len(summary), 0)]
        mask = np.ones(len(summary), dtype=bool)
        for key, mask in self._steps(summary):
            section, template = labels[key]
            left = int(mask.sum())
            rows.append((section, template.format(v=_format_value(getattr(self, key))), left, rows[-1][2] - left))
        funnel = pd.DataFrame(rows, columns=["表单分区", "条件", "剩余客户数", "本步去掉"])
        return funnel, summary[mask]

    def select(self, summary: pd.DataFrame) -> pd.DataFrame:
        """从客户汇总表中选出满足全部规则的客户（返回这些行）。"""
        return self.run(summary)[1]

    def funnel(self, summary: pd.DataFrame) -> pd.DataFrame:
        """按表单顺序逐条加规则，看每一步之后还剩多少客户。"""
        return self.run(summary)[0]


def _fen(amount: pd.Series) -> pd.Series:
    return np.round(amount.astype("float64") * 100).astype("int64")


def _purchases(summary: pd.DataFrame) -> tuple[np.ndarray, pd.Categorical]:
    """把 products 列展开成（客户所在行号, 商品）两列；Arrow 列表列直接在 C 层展开。"""
    column = summary["products"]
    if isinstance(column.dtype, pd.ArrowDtype):
        lists = pa.array(column)
        positions = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
        products = pc.list_flatten(lists).to_numpy(zero_copy_only=False)
    else:  # 自己拼出来的汇总表：每格是 Python 的 list/set
        exploded = pd.Series(column.to_numpy()).explode().dropna()
        positions, products = exploded.index.to_numpy(), exploded.to_numpy()
    return positions, pd.Categorical(products)


def _bought_any(summary: pd.DataFrame, wanted) -> np.ndarray:
    titles = summary.attrs.get("product_titles", {})
    names = [titles.get(w, w) for w in wanted]
    positions, products = _purchases(summary)
    mask = np.zeros(len(summary), dtype=bool)
    mask[positions[products.isin(names)]] = True
    return mask

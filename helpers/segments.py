"""自定义分组（客户分组）：和 CRM 后台“创建分组”表单一样的规则，全部用“且”连接。"""
from __future__ import annotations

import difflib
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .validation import checked, parse_date

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


def _to_fen(value) -> int:
    return int(round(float(value) * 100))


def _yuan(fen: int) -> str:
    """整数分写成元：20000 → '200'，19999 → '199.99'。"""
    return f"{fen // 100}" if fen % 100 == 0 else f"{fen / 100:.2f}"


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
            if not isinstance(value, (list, tuple, set, frozenset, pd.Series, pd.Index, np.ndarray)):
                label = {r[0]: r[2] for r in RULES}[key]
                raise ValueError(f"分组规则 {key}（{label}）应是一个名称或名称的列表，例如 {key}=[\"上海\", \"浙江\"]，"
                                 f"收到的是 {value!r}。")
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
        if "order_count" not in summary.columns and {"order_time", "amount"} <= set(summary.columns):
            raise ValueError("分组规则要用在客户汇总表上（一位客户一行，有 order_count、total_amount……），"
                             "你传进来的是订单表（一笔订单一行）：请先 summary = shop.summary()"
                             "（或 customer_summary(订单表, …)），再 .select(summary)。")
        self._check(summary)
        mask = np.ones(len(summary), dtype=bool)
        for key in self.rules:
            rule = self._mask(key, summary)
            mask = mask & np.asarray(pd.Series(rule, index=summary.index).fillna(False), dtype=bool)
            yield key, mask

    @checked
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

    @checked
    def select(self, summary: pd.DataFrame) -> pd.DataFrame:
        """从客户汇总表中选出满足全部规则的客户（返回这些行）。"""
        return self.run(summary)[1]

    @checked
    def funnel(self, summary: pd.DataFrame) -> pd.DataFrame:
        """按表单顺序逐条加规则，看每一步之后还剩多少客户。"""
        return self.run(summary)[0]

    def boundary_probe(self) -> pd.DataFrame:
        """造一张“边界客户”小表：每条数值或日期规则各有一位正好踩在界线上的客户和一位差一点的客户。

        其余条件都宽松满足，所以每一行只考一条界线：“订单总金额正好 200 元”应入组，
        “订单总金额 199.99 元”不应入组；“最后下单在 2016-03-01 当天”应入组，“前一天 23:59:59”
        不应入组。把 ≥ 读成 >、日期差一天，在这张表上都会选出不同的客户。

        返回以 customer_id（P01、P02……）为索引、和客户汇总表同样列名的表，另有两列：
        边界（这一行考的是哪条界线）、应入组（按本分组的规则，这位客户该不该入组）。
        """
        r = self.rules
        count = max(int(np.ceil(r.get("min_orders", 1))), 1) + 1
        aov = float(r.get("min_avg_order_value", 0))
        total_fen = max(_to_fen(r.get("min_total_amount", 0)) + 5000, _to_fen(aov + 50) * count, 10000)
        last = (r["last_order_after"] + pd.Timedelta(days=10, hours=10)) if "last_order_after" in r \
            else pd.Timestamp("2000-01-01 10:00")
        base = {"order_count": count, "total_fen": total_fen,
                "item_count": max(int(np.ceil(r.get("min_items", 0))) + 1, count),
                "gender": r.get("gender", "女"), "last_order": last,
                "points": int(np.ceil(r.get("min_points", 0))) + 10,
                "occupation": (r.get("occupations") or ["企业职员"])[0],
                "province": (r.get("regions") or ["上海"])[0], "city": (r.get("regions") or ["上海"])[0],
                "products": [(r.get("products") or ["（任意商品）"])[0]],
                "边界": "全部条件都宽松满足"}
        rows = [base]

        def row(label, **changes):
            rows.append({**base, **changes, "边界": label})

        if "min_orders" in r:
            v = int(np.ceil(r["min_orders"]))
            row(f"订单总数正好 {v} 笔", order_count=v, item_count=max(base["item_count"], v),
                total_fen=max(total_fen, _to_fen(aov + 50) * v))
            if v >= 1:
                row(f"订单总数 {v - 1} 笔", order_count=v - 1, total_fen=max(total_fen, _to_fen(aov + 50) * v))
        if "min_total_amount" in r:
            v = _to_fen(r["min_total_amount"])
            n = max(int(np.ceil(r.get("min_orders", 1))), 1)
            if aov == 0 or v >= _to_fen(aov) * n:            # 平均订单价的规则也要满足
                row(f"订单总金额正好 {_yuan(v)} 元", total_fen=v, order_count=n)
                if v >= 1:
                    row(f"订单总金额 {_yuan(v - 1)} 元", total_fen=v - 1, order_count=n)
        if "min_avg_order_value" in r:
            v = _to_fen(aov)
            n = max(count, int(np.ceil(_to_fen(r.get("min_total_amount", 0)) / v)) + 1 if v else count)
            row(f"平均订单价正好 {_yuan(v)} 元", total_fen=v * n, order_count=n)
            if v >= 1:
                row(f"平均订单价差一分不到 {_yuan(v)} 元", total_fen=v * n - 1, order_count=n)
        if "min_items" in r:
            v = int(np.ceil(r["min_items"]))
            row(f"购买商品总数正好 {v} 件", item_count=v)
            if v >= 1:
                row(f"购买商品总数 {v - 1} 件", item_count=v - 1)
        if "last_order_after" in r:
            day = r["last_order_after"]
            row(f"最后下单在 {day.date()} 当天", last_order=day + pd.Timedelta(hours=9, minutes=30))
            row(f"最后下单在前一天 {(day - pd.Timedelta(days=1)).date()} 23:59:59",
                last_order=day - pd.Timedelta(seconds=1))
        if "min_points" in r:
            v = int(np.ceil(r["min_points"]))
            row(f"积分正好 {v}", points=v)
            if v >= 1:
                row(f"积分 {v - 1}", points=v - 1)
        if "gender" in r:
            row(f"性别为{'男' if r['gender'] == '女' else '女'}", gender="男" if r["gender"] == "女" else "女")
        for key, column, what in (("occupations", "occupation", "职业"), ("regions", "province", "地区"),
                                  ("products", "products", "买过的商品")):
            for value in (r.get(key) or [])[1:]:                  # 列表里的每一项都有一位只满足这一项的客户
                cell = [value] if key == "products" else value
                row(f"{what}只有“{value}”", **{column: cell}, **({"city": value} if key == "regions" else {}))
            if key in r:
                other = "（其他商品）" if key == "products" else f"（其他{what}）"
                row(f"{what}不在名单里", **{column: [other] if key == "products" else other},
                    **({"city": other} if key == "regions" else {}))
        probe = pd.DataFrame(rows)
        probe.index = pd.Index([f"P{i:02d}" for i in range(1, len(probe) + 1)], name="customer_id")
        probe["total_amount"] = probe.pop("total_fen") / 100
        probe["avg_order_value"] = np.where(probe["order_count"] > 0,
                                            probe["total_amount"] / probe["order_count"].clip(lower=1), np.nan)
        probe["products"] = pd.Series(probe["products"].tolist(), index=probe.index,
                                      dtype=pd.ArrowDtype(pa.list_(pa.string())))
        probe["应入组"] = probe.index.isin(self.select(probe).index)
        return probe


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

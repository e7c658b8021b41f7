"""自定义分组表单（和 CRM 后台“创建分组”一样）。等价的普通函数：Segment(...).run(summary)。
"""
from __future__ import annotations

import html

import ipywidgets as W
import pandas as pd

from ..charts import table_html
from ..privacy import mask_contacts
from ..segments import Segment
from ..validation import checked
from .base import LABEL_STYLE, Widget, error_html, parse_number

PREVIEW_COLUMNS = ["nickname", "gender", "province", "city", "order_count", "total_amount",
                   "avg_order_value", "last_order", "points", "phone"]

@checked
class SegmentBuilder(Widget):
    """和 CRM 后台“创建分组”一样的表单：改任何一项，立即看到人数、漏斗和预览。

    点“保存”后，``builder.saved`` 就是一个 Segment，下一个单元格可以直接用。
    等价的普通函数：``Segment(...).select(summary)`` 和 ``Segment(...).funnel(summary)``。
    """

    def __init__(self, summary: pd.DataFrame, segment: Segment | None = None):
        self.summary = summary
        self.saved: Segment | None = None
        seg = segment or Segment("新分组")
        text = lambda v: "" if v is None else (str(v.date()) if isinstance(v, pd.Timestamp) else f"{v:g}")  # noqa: E731
        self.name = W.Text(seg.name, description="分组名称", style=LABEL_STYLE)
        self.description = W.Text(seg.description, description="分组描述", style=LABEL_STYLE)
        self.min_orders = W.Text(text(seg.min_orders), description="订单总数 ≥", placeholder="不限", style=LABEL_STYLE)
        self.min_total_amount = W.Text(text(seg.min_total_amount), description="订单总金额（元）≥",
                                       placeholder="不限", style=LABEL_STYLE)
        self.min_avg_order_value = W.Text(text(seg.min_avg_order_value), description="平均订单价（元）≥",
                                          placeholder="不限", style=LABEL_STYLE)
        self.min_items = W.Text(text(seg.min_items), description="购买商品总数 ≥", placeholder="不限", style=LABEL_STYLE)
        self.gender = W.Dropdown(options=[("不限", ""), ("女", "女"), ("男", "男")], value=seg.gender or "",
                                 description="性别", style=LABEL_STYLE)
        self.last_order_after = W.Text(text(seg.last_order_after), description="最后下单时间不早于",
                                       placeholder="YYYY-MM-DD", style=LABEL_STYLE)
        self.min_points = W.Text(text(seg.min_points), description="积分 ≥", placeholder="不限", style=LABEL_STYLE)
        occupations = sorted(summary["occupation"].dropna().unique()) if "occupation" in summary else []
        self.occupations = W.SelectMultiple(options=occupations, value=tuple(seg.occupations or ()),
                                            description="职业（可多选）", rows=4, style=LABEL_STYLE)
        products = sorted(set(summary["products"].dropna().explode().dropna())) if "products" in summary else []
        chosen = [summary.attrs.get("product_titles", {}).get(p, p) for p in (seg.products or ())]
        self.products = W.SelectMultiple(options=products, value=tuple(p for p in chosen if p in products),
                                         description="商品范围（买过任一）", rows=5, style=LABEL_STYLE)
        provinces = summary["province"].value_counts().index.tolist() if "province" in summary else []
        self.regions = W.SelectMultiple(options=provinces, value=tuple(r for r in (seg.regions or ()) if r in provinces),
                                        description="所属地区（不选 = 全部）", rows=5, style=LABEL_STYLE)
        self.save_button = W.Button(description="保存", button_style="primary", icon="save")
        self.count = W.HTML()
        self.count.add_class("crm-segment-count")
        self.message = W.HTML()
        self.funnel_view = W.HTML()
        self.preview = W.HTML()
        sections = [
            W.HTML("<b>基本信息</b>"), self.name, self.description,
            W.HTML("<b>购买行为</b>"), self.min_orders, self.min_total_amount, self.min_avg_order_value, self.min_items,
            W.HTML("<b>客户属性</b>"), self.gender, self.last_order_after, self.min_points, self.occupations,
            W.HTML("<b>商品范围</b>"), self.products,
            W.HTML("<b>所属地区</b>"), self.regions,
            self.save_button,
        ]
        form = W.VBox(sections, layout=W.Layout(width="46%"))
        result = W.VBox([self.count, self.message, W.HTML("<b>漏斗：每加一条规则剩下的客户</b>"), self.funnel_view,
                         W.HTML("<b>预览（前 5 位，手机号已打码）</b>"), self.preview], layout=W.Layout(width="54%"))
        self.widget = W.HBox([form, result])
        for control in sections:
            if isinstance(control, (W.Text, W.Dropdown, W.SelectMultiple)):
                control.observe(self.update, names="value")
        self.save_button.on_click(self.save)
        self.update()

    def current(self) -> Segment:
        """按表单当前填写的内容建一个 Segment（填错时抛出中文 ValueError）。"""
        rules = {
            "min_orders": parse_number(self.min_orders.value, "订单总数", integer=True),
            "min_total_amount": parse_number(self.min_total_amount.value, "订单总金额"),
            "min_avg_order_value": parse_number(self.min_avg_order_value.value, "平均订单价"),
            "min_items": parse_number(self.min_items.value, "购买商品总数", integer=True),
            "gender": self.gender.value or None,
            "last_order_after": self.last_order_after.value.strip() or None,
            "min_points": parse_number(self.min_points.value, "积分"),
            "occupations": list(self.occupations.value) or None,
            "products": list(self.products.value) or None,
            "regions": list(self.regions.value) or None,
        }
        return Segment(self.name.value.strip() or "新分组", self.description.value.strip(),
                       **{k: v for k, v in rules.items() if v is not None})

    def update(self, change=None) -> None:
        """重算人数、漏斗和预览。"""
        try:
            seg = self.current()
            funnel, chosen = seg.run(self.summary)
        except ValueError as exc:
            self.message.value = error_html(str(exc))
            return
        self.message.value = f"<span style='color:#555'>{html.escape(seg.describe())}</span>"
        self.count.value = f"<b style='font-size:1.3em'>符合条件的客户：{len(chosen):,} 位</b>"
        self.funnel_view.value = table_html(funnel, max_rows=20)
        columns = [c for c in PREVIEW_COLUMNS if c in chosen.columns]
        self.preview.value = table_html(mask_contacts(chosen[columns].head(5)))

    def save(self, button=None) -> Segment | None:
        """保存当前分组到 .saved。"""
        try:
            self.saved = self.current()
        except ValueError as exc:
            self.message.value = error_html(str(exc))
            return None
        n = len(self.saved.select(self.summary))
        self.message.value = (f"<span style='color:#1E8449'>✔ 已保存分组“{html.escape(self.saved.name)}”，"
                              f"共 {n:,} 位客户。下一个单元格用 builder.saved 取用。</span>")
        return self.saved



@checked
def segment_builder(summary: pd.DataFrame, segment: Segment | None = None) -> SegmentBuilder:
    """打开自定义分组表单（可以传入一个 Segment 作为初始填写）。"""
    return SegmentBuilder(summary, segment)

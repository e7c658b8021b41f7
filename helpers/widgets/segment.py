"""自定义分组表单（和 CRM 后台“创建分组”一样）。等价的普通函数：Segment(...).run(summary)。
"""
from __future__ import annotations

import html

import ipywidgets as W
import pandas as pd

from ..charts import table_html
from .. import segment_rules
from ..segments import Segment
from ..validation import checked
from .base import LABEL_STYLE, Widget, error_html, parse_number

# 预览表的列：放得进表单右边一半的宽度（再多就要横向滚动）
PREVIEW_COLUMNS = ["nickname", "city", "order_count", "total_amount", "last_order", "phone"]

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
        self.name = W.Text(seg.name, description="分组名称", style=LABEL_STYLE)
        self.description = W.Text(seg.description, description="分组描述", style=LABEL_STYLE)
        self.controls = {rule.key: _control(rule, getattr(seg, rule.key), summary) for rule in segment_rules.RULES}
        self.save_button = W.Button(description="保存", button_style="primary", icon="save")
        self.count = W.HTML()
        self.count.add_class("crm-segment-count")
        self.message = W.HTML()
        self.funnel_view = W.HTML()
        self.preview = W.HTML()
        sections = [W.HTML("<b>基本信息</b>"), self.name, self.description]
        previous = None
        for rule in segment_rules.RULES:                       # 表单分区和控件的顺序都来自 RULES
            if rule.section != previous:
                sections.append(W.HTML(f"<b>{rule.section}</b>"))
                previous = rule.section
            sections.append(self.controls[rule.key])
        sections.append(self.save_button)
        form = W.VBox(sections, layout=W.Layout(width="46%"))
        result = W.VBox([self.count, self.message, W.HTML("<b>漏斗：每加一条规则剩下的客户</b>"), self.funnel_view,
                         W.HTML("<b>预览（前 5 位，手机号已打码）</b>"), self.preview], layout=W.Layout(width="54%"))
        self.widget = W.HBox([form, result])
        for control in [self.name, self.description, *self.controls.values()]:
            control.observe(self.update, names="value")
        self.save_button.on_click(self.save)
        self.update()

    def __getattr__(self, name):
        """表单控件也可以按规则名取：builder.min_orders、builder.regions ……"""
        controls = self.__dict__.get("controls", {})
        if name in controls:
            return controls[name]
        raise AttributeError(name)

    def current(self) -> Segment:
        """按表单当前填写的内容建一个 Segment（填错时抛出中文 ValueError）。"""
        rules = {rule.key: _read(rule, self.controls[rule.key]) for rule in segment_rules.RULES}
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
        self.preview.value = table_html(chosen[columns], max_rows=5)

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



def _control(rule, value, summary: pd.DataFrame):
    """按规则的声明做表单控件：数字和日期是文本框，单选是下拉框，名单是多选框。"""
    if rule.control == "choice":
        return W.Dropdown(options=[("不限", "")] + [(c, c) for c in rule.choices], value=value or "",
                          description=rule.form_label, style=LABEL_STYLE)
    if rule.control == "names":
        options = rule.options(summary)
        titles = summary.attrs.get("product_titles", {}) if rule.key == "products" else {}
        chosen = [titles.get(v, v) for v in (value or ())]
        return W.SelectMultiple(options=options, value=tuple(v for v in chosen if v in options),
                                description=rule.form_label, rows=5 if len(options) > 4 else 4, style=LABEL_STYLE)
    if rule.control == "date":
        text = "" if value is None else str(value.date())
        return W.Text(text, description=rule.form_label, placeholder="YYYY-MM-DD", style=LABEL_STYLE)
    text = "" if value is None else f"{value:g}"
    return W.Text(text, description=rule.form_label, placeholder="不限", style=LABEL_STYLE)


def _read(rule, control):
    """读出一个控件填的值；没填（不限）时是 None。"""
    if rule.control == "names":
        return list(control.value) or None
    if rule.control == "text":
        return parse_number(control.value, rule.label, integer=rule.integer)
    return (control.value or "").strip() or None


@checked
def segment_builder(summary: pd.DataFrame, segment: Segment | None = None) -> SegmentBuilder:
    """打开自定义分组表单（可以传入一个 Segment 作为初始填写）。"""
    return SegmentBuilder(summary, segment)

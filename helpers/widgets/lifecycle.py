"""生命周期规则探索器。等价的普通函数：lifecycle_stages(customers, orders, as_of, LifecycleRule(天数, 笔数))。
"""
from __future__ import annotations

import html

import ipywidgets as W
import pandas as pd

from ..charts import html_bars
from ..lifecycle import STAGE_COLORS, STAGES, LifecycleRule, lifecycle_stages, reclassify_stages
from ..validation import checked
from .base import LABEL_STYLE, Widget, error_html


@checked
class LifecycleExplorer(Widget):
    """生命周期规则探索器：拖动“多少天内下过单”和“几笔算稳定”，立即看到四个阶段各有多少人。

    订单只汇总一次（lifecycle_stages），之后每次拖动只用 reclassify_stages 重新划分。
    等价的普通函数：``lifecycle_stages(customers, orders, as_of, LifecycleRule(天数, 笔数))``。
    """

    def __init__(self, customers: pd.DataFrame | None, orders: pd.DataFrame, as_of,
                 rule: LifecycleRule = LifecycleRule()):
        self.base = lifecycle_stages(customers, orders, as_of, rule)
        self.as_of = self.base.attrs["as_of"]
        self.active_days = W.IntSlider(value=rule.active_days, min=15, max=365, step=15, style=LABEL_STYLE,
                                       description="最近几天内下过单算“还在买”（天）", layout=W.Layout(width="460px"))
        self.loyal_orders = W.IntSlider(value=rule.loyal_orders, min=2, max=10, step=1, style=LABEL_STYLE,
                                        description="累计几笔算“稳定”（笔）", layout=W.Layout(width="460px"))
        self.result = W.HTML()
        self.result.add_class("crm-lifecycle-result")
        self.stages: pd.Series | None = None
        self.widget = W.VBox([self.active_days, self.loyal_orders, self.result])
        self.active_days.observe(self.update, names="value")
        self.loyal_orders.observe(self.update, names="value")
        self.update()

    def update(self, change=None) -> None:
        """按当前规则重新划分阶段（整列运算，不重读订单）。"""
        try:
            rule = LifecycleRule(self.active_days.value, self.loyal_orders.value)
        except ValueError as exc:
            self.result.value = error_html(str(exc))
            return
        self.stages = reclassify_stages(self.base, rule)
        counts = self.stages.value_counts().reindex(list(STAGES), fill_value=0)
        cond = rule.conditions()
        lines = "".join(f"<li><b>{s}</b>：{html.escape(cond[s])}</li>" for s in STAGES)
        self.result.value = (f"<div>评估日 {self.as_of.date()}，共 {len(self.stages):,} 位客户</div>"
                             + html_bars(counts, unit="人", colors=STAGE_COLORS) + f"<ul>{lines}</ul>")


@checked
def lifecycle_explorer(customers: pd.DataFrame | None, orders: pd.DataFrame, as_of,
                       rule: LifecycleRule = LifecycleRule()) -> LifecycleExplorer:
    """生成生命周期规则探索器（放在单元格最后一行即可显示）。"""
    return LifecycleExplorer(customers, orders, as_of, rule)

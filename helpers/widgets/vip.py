"""VIP 等级编辑器。等价的普通函数：vip_tier(summary, tiers)、vip_rules_text(tiers)。
"""
from __future__ import annotations

import html

import ipywidgets as W
import pandas as pd

from ..charts import html_bars
from ..validation import checked
from ..vip import TEXTBOOK_VIP_TIERS, VipTier, vip_rules_text, vip_tier
from .base import Widget, error_html

@checked
class VipEditor(Widget):
    """VIP 等级编辑器：四行门槛（金额或笔数），立即看到各等级人数和导出的会员规则。

    等价的普通函数：``vip_tier(summary, tiers)`` 和 ``vip_rules_text(tiers)``。
    """

    def __init__(self, summary: pd.DataFrame, tiers=TEXTBOOK_VIP_TIERS, shop_name: str = "本店"):
        self.summary, self.shop_name = summary, shop_name
        self.rows = []
        for tier in tiers:
            self.rows.append((W.Text(tier.name, layout=W.Layout(width="120px")),
                              W.FloatText(tier.min_amount, layout=W.Layout(width="110px")),
                              W.IntText(tier.min_orders, layout=W.Layout(width="80px"))))
        header = W.HBox([W.HTML("<b>等级名称</b>", layout=W.Layout(width="120px")),
                         W.HTML("<b>金额达到（元）</b>", layout=W.Layout(width="110px")),
                         W.HTML("<b>或笔数达到</b>", layout=W.Layout(width="80px"))])
        self.chart = W.HTML()
        self.chart.add_class("crm-vip-chart")
        self.rules = W.HTML()
        self.tiers = None
        self.widget = W.HBox([W.VBox([header, *[W.HBox(list(r)) for r in self.rows], self.chart]), self.rules])
        for row in self.rows:
            for control in row:
                control.observe(self.update, names="value")
        self.update()

    def current(self) -> list[VipTier]:
        return [VipTier(n.value.strip(), float(a.value), int(o.value)) for n, a, o in self.rows]

    def update(self, change=None) -> None:
        try:
            tiers = self.current()
            result = vip_tier(self.summary, tiers)
            text = vip_rules_text(tiers, self.shop_name)
        except ValueError as exc:
            self.chart.value = error_html(str(exc))
            return
        self.tiers = result
        counts = result.value_counts(sort=False).reindex([t.name for t in tiers], fill_value=0)
        buyers = int((self.summary["order_count"] > 0).sum())
        counts.loc["非会员（下过单）"] = buyers - int(counts.sum())
        self.chart.value = "<b>各等级人数</b>" + html_bars(counts)
        self.rules.value = f"<pre style='white-space:pre-wrap;max-width:420px'>{html.escape(text)}</pre>"



@checked
def vip_editor(summary: pd.DataFrame, tiers=TEXTBOOK_VIP_TIERS, shop_name: str = "本店") -> VipEditor:
    """打开 VIP 等级编辑器。"""
    return VipEditor(summary, tiers, shop_name)

"""ABC 分类探索器（商品销售分析）。等价的普通函数：abc_summary(abc_classes(sales, edges=(a, b)))。
"""
from __future__ import annotations

import ipywidgets as W
import pandas as pd

from ..charts import table_html
from ..money import format_yuan
from ..products_analysis import ABC_EDGES, abc_classes, abc_summary
from ..validation import checked
from .base import LABEL_STYLE, Widget, error_html


@checked
class AbcExplorer(Widget):
    """ABC 分类探索器：拖动 A 类、B 类的边界，立即看到各类有几种商品、占多少销售额。

    等价的普通函数：``abc_summary(abc_classes(sales, edges=(a, b)))``。
    """

    def __init__(self, sales: pd.Series, edges=ABC_EDGES):
        try:
            a, b = (float(e) for e in edges)
        except (TypeError, ValueError):
            raise ValueError(f"edges 应是两个 0 到 1 之间的数，例如 (0.70, 0.90)，收到 {edges!r}。") from None
        self.sales = sales
        self.a_edge = W.FloatSlider(value=a, min=0.05, max=0.95, step=0.05, description="A 类：前百分之几的销售额",
                                    readout_format=".0%", style=LABEL_STYLE, layout=W.Layout(width="420px"))
        self.b_edge = W.FloatSlider(value=b, min=0.10, max=0.99, step=0.01, description="B 类：累计到百分之几",
                                    readout_format=".0%", style=LABEL_STYLE, layout=W.Layout(width="420px"))
        self.result = W.HTML()
        self.result.add_class("crm-abc-result")
        self.table: pd.DataFrame | None = None
        self.widget = W.VBox([self.a_edge, self.b_edge, self.result])
        self.a_edge.observe(self.update, names="value")
        self.b_edge.observe(self.update, names="value")
        self.update()

    def update(self, change=None) -> None:
        """按当前两个边界重新分类。"""
        try:
            table = abc_classes(self.sales, edges=(self.a_edge.value, self.b_edge.value))
        except ValueError as exc:
            self.result.value = error_html(str(exc))
            return
        self.table = table
        summary = abc_summary(table)
        shown = summary.assign(**{"商品数占比": summary["商品数占比"].map("{:.1%}".format),
                                  "销售额（元）": summary["销售额（元）"].map(format_yuan),
                                  "销售额占比": summary["销售额占比"].map("{:.1%}".format)})
        self.result.value = table_html(shown)

"""RFM 探索器。等价的普通函数：rfm_score(orders, as_of, table, weights, levels)。
"""
from __future__ import annotations

import ipywidgets as W
import pandas as pd

from ..charts import LEVEL_COLORS, html_bars
from ..rfm import LEVEL_NAMES, TEXTBOOK_LEVELS, TEXTBOOK_RFM, TEXTBOOK_WEIGHTS, RFMTable, rfm_assign, rfm_values
from ..validation import checked
from .base import Widget, error_html

@checked
class RfmExplorer(Widget):
    """RFM 探索器：改评分表、权重或等级分界，立即看到 P/G/S/B 人数和消费占比。

    评估期内的 R、F、M 原始值只算一次（rfm_values），之后每次改动只重新打分（rfm_assign）。
    等价的普通函数：``rfm_score(orders, as_of, table, weights, levels)``。
    """

    def __init__(self, orders: pd.DataFrame, as_of, table: RFMTable = TEXTBOOK_RFM,
                 weights=TEXTBOOK_WEIGHTS, levels=TEXTBOOK_LEVELS):
        self.orders, self.as_of = orders, as_of
        self._values = rfm_values(orders, as_of, table.period_months)
        self._period = table.period_months
        box = lambda v, w="70px": W.FloatText(v, layout=W.Layout(width=w))  # noqa: E731
        self.table_cells = [[box(table.recency_months[i]), box(table.frequency_min[i]), box(table.monetary_min[i], "90px")]
                            for i in range(5)]
        self.weight_cells = [box(w) for w in weights]
        self.level_cells = [box(low) for low, _ in levels[:-1]]
        self.level_names = [name for _, name in levels]
        grid = [W.HBox([W.HTML("<b>分值</b>", layout=W.Layout(width="40px")),
                        W.HTML("<b>R ≤ 月</b>", layout=W.Layout(width="70px")),
                        W.HTML("<b>F ≥ 次</b>", layout=W.Layout(width="70px")),
                        W.HTML("<b>M ≥ 元</b>", layout=W.Layout(width="90px"))])]
        for i, cells in enumerate(self.table_cells):
            grid.append(W.HBox([W.HTML(f"{5 - i}", layout=W.Layout(width="40px")), *cells]))
        grid.append(W.HBox([W.HTML("<b>权重 R/F/M</b>", layout=W.Layout(width="110px")), *self.weight_cells]))
        grid.append(W.HBox([W.HTML("<b>P/G/S 最低分</b>", layout=W.Layout(width="110px")), *self.level_cells]))
        self.chart = W.HTML()
        self.chart.add_class("crm-rfm-chart")
        self.result = None
        self.widget = W.HBox([W.VBox(grid), self.chart])
        for control in [c for row in self.table_cells for c in row] + self.weight_cells + self.level_cells:
            control.observe(self.update, names="value")
        self.update()

    def current(self):
        cols = list(zip(*[[c.value for c in row] for row in self.table_cells]))
        table = RFMTable(recency_months=tuple(int(v) for v in cols[0]),
                         frequency_min=tuple(int(v) for v in cols[1]), monetary_min=tuple(cols[2]))
        weights = tuple(c.value for c in self.weight_cells)
        levels = tuple(zip([c.value for c in self.level_cells], self.level_names)) + ((0, self.level_names[-1]),)
        return table, weights, levels

    def update(self, change=None) -> None:
        try:
            table, weights, levels = self.current()
            if table.period_months != self._period:  # 评估期变了才需要重新汇总订单
                self._values = rfm_values(self.orders, self.as_of, table.period_months)
                self._period = table.period_months
            result = rfm_assign(self._values, self.as_of, table, weights, levels)
        except ValueError as exc:
            self.chart.value = error_html(str(exc))
            return
        self.result = result
        order = [name for _, name in sorted(levels, key=lambda p: -p[0])]
        level = result["level"].astype(str)
        counts = level.value_counts().reindex(order, fill_value=0)
        spend = result.groupby(level)["monetary"].sum().reindex(order, fill_value=0)
        share = (spend / spend.sum() * 100).round(1) if spend.sum() else spend
        labels = {lv: f"{lv} {LEVEL_NAMES.get(lv, '')}" for lv in order}
        colors = {labels[lv]: LEVEL_COLORS.get(lv, "#4E79A7") for lv in order}
        self.chart.value = (f"<b>评估期内有订单的客户：{len(result):,} 位</b><br>"
                            + "<b>各等级人数</b>" + html_bars(counts.rename(labels), colors=colors)
                            + "<b>消费金额占比</b>" + html_bars(share.rename(labels), unit="%", colors=colors))



@checked
def rfm_explorer(orders: pd.DataFrame, as_of, **kw) -> RfmExplorer:
    """打开 RFM 探索器。"""
    return RfmExplorer(orders, as_of, **kw)

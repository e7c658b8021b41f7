"""属性交叉小部件。等价的普通函数：cross_attributes(table, row, column, measure)。
"""
from __future__ import annotations

import html

import ipywidgets as W
import numpy as np
import pandas as pd

from ..audience import ATTRIBUTES, MEASURES, cross_attributes
from ..validation import checked, require_columns
from .base import LABEL_STYLE, Widget, error_html


def _heat_html(table: pd.DataFrame, unit: str) -> str:
    """把交叉表画成 HTML 表格：格子颜色越深，数值越大。"""
    values = table.to_numpy(dtype="float64")
    peak = np.nanmax(values) if np.isfinite(values).any() else 1.0
    digits = 1 if unit == "%" else 0
    head = "".join(f"<th style='padding:2px 6px'>{html.escape(str(c))}</th>" for c in table.columns)
    rows = []
    for label, row in zip(table.index, values):      # 循环的是表格的几十行，不是客户
        cells = []
        for v in row:
            if np.isnan(v):
                cells.append("<td></td>")
                continue
            alpha = 0.08 + 0.75 * (v / peak if peak else 0)
            cells.append(f"<td style='padding:2px 6px;text-align:right;background:rgba(78,121,167,{alpha:.2f})'>"
                         f"{v:,.{digits}f}</td>")
        rows.append(f"<tr><th style='padding:2px 6px;text-align:left'>{html.escape(str(label))}</th>{''.join(cells)}</tr>")
    name = f"{html.escape(str(table.index.name))} \\ {html.escape(str(table.columns.name))}"
    return (f"<table style='border-collapse:collapse;font-size:12px'><tr><th>{name}</th>{head}</tr>"
            + "".join(rows) + f"</table><small>单位：{unit}</small>")


@checked
class AttributeCrosser(Widget):
    """属性交叉小部件：任选两个属性和一个指标，立即看到交叉表（颜色越深数值越大）。

    省份、城市的取值太多，只保留客户最多的 top 个，其余合并为“其他”。
    等价的普通函数：``cross_attributes(table, row, column, measure)``。
    """

    def __init__(self, table: pd.DataFrame, row: str = "年龄段", column: str = "会员等级", measure: str = "客户数",
                 top: int = 10):
        require_columns(table, ["order_count", "province", "city"], "属性表", "请传入 audience_table(...) 的结果。")
        for name, value, options in (("row", row, ATTRIBUTES), ("column", column, ATTRIBUTES),
                                     ("measure", measure, MEASURES)):
            if value not in options:
                raise ValueError(f"{name} 应是 {'、'.join(options)} 之一，收到 {value!r}。")
        self.table = table.copy()
        for col in ("province", "city"):      # 循环的是两列
            keep = self.table[col].value_counts().head(top).index
            self.table[col] = self.table[col].where(self.table[col].isin(keep), "其他")
        self.row = W.Dropdown(options=list(ATTRIBUTES), value=row, description="行", style=LABEL_STYLE)
        self.column = W.Dropdown(options=list(ATTRIBUTES), value=column, description="列", style=LABEL_STYLE)
        self.measure = W.Dropdown(options=list(MEASURES), value=measure, description="指标", style=LABEL_STYLE)
        self.view = W.HTML()
        self.result: pd.DataFrame | None = None
        self.widget = W.VBox([W.HBox([self.row, self.column, self.measure]), self.view])
        for control in (self.row, self.column, self.measure):
            control.observe(self.update, names="value")
        self.update()

    def update(self, change=None) -> None:
        """按当前选择重算交叉表。"""
        try:
            result = cross_attributes(self.table, self.row.value, self.column.value, self.measure.value)
        except ValueError as exc:
            self.view.value = error_html(str(exc))
            return
        self.result = result
        self.view.value = _heat_html(result, MEASURES[self.measure.value])


@checked
def attribute_crosser(table: pd.DataFrame, row: str = "年龄段", column: str = "会员等级",
                      measure: str = "客户数") -> AttributeCrosser:
    """打开属性交叉小部件。"""
    return AttributeCrosser(table, row, column, measure)

"""日期范围报表（网店运营分析）。等价的普通函数：period_report(facts, start, end)、kpi_by_period(facts, freq, start, end)。
"""
from __future__ import annotations

import ipywidgets as W
import pandas as pd

from ..money import format_yuan
from ..operations import FREQS, kpi_by_period, period_report
from ..validation import checked, parse_date
from .base import LABEL_STYLE, Widget, error_html


def _number_text(column: str, value) -> str:
    """合计行里的一个数：金额按元写到分（带千位逗号），百分数两位小数，人数、单数取整；空值写“—”。"""
    if pd.isna(value):
        return "—"
    if "元" in column:
        return format_yuan(value)
    if "%" in column:
        return f"{value:.2f}"
    return f"{value:,.0f}"


@checked
class DateRangeReport(Widget):
    """日期范围小部件：选开始、结束日期和时间粒度，立即看到这段时间的合计与分期 KPI 表。

    等价的普通函数：``period_report(facts, start, end)`` 和 ``kpi_by_period(facts, freq, start, end)``。
    """

    def __init__(self, facts: pd.DataFrame, start=None, end=None, freq: str = "周"):
        if freq not in FREQS:
            raise ValueError(f"freq 应是 {'、'.join(FREQS)} 之一，收到 {freq!r}。")
        if "date" not in facts.columns:
            raise ValueError("facts 应是 order_facts(orders, items, products) 的结果（要有 date 列）。")
        self.facts = facts
        lo = parse_date(start, "start") if start is not None else facts["date"].min()
        hi = parse_date(end, "end") if end is not None else facts["date"].max()
        if pd.isna(lo) or pd.isna(hi):
            raise ValueError("订单事实表是空的，没有可选的日期。")
        self.start = W.DatePicker(value=lo.date(), description="开始日期", style=LABEL_STYLE)
        self.end = W.DatePicker(value=hi.date(), description="结束日期", style=LABEL_STYLE)
        self.freq = W.ToggleButtons(options=list(FREQS), value=freq, description="粒度", style=LABEL_STYLE)
        self.total = W.HTML()
        self.table = W.HTML()
        self.result: pd.DataFrame | None = None
        self.widget = W.VBox([W.HBox([self.start, self.end]), self.freq, self.total, self.table])
        for control in (self.start, self.end, self.freq):
            control.observe(self.update, names="value")
        self.update()

    def update(self, change=None) -> None:
        """按当前选择重算。"""
        try:
            if self.start.value is None or self.end.value is None:
                raise ValueError("请选好开始日期和结束日期。")
            total = period_report(self.facts, self.start.value, self.end.value)
            table = kpi_by_period(self.facts, self.freq.value, self.start.value, self.end.value)
        except ValueError as exc:
            self.total.value = error_html(str(exc))
            return
        self.result = table
        self.total.value = "<b>合计：</b>" + "；".join(f"{k} {_number_text(k, v)}" for k, v in total.items())
        money = {c: (lambda v: "" if pd.isna(v) else format_yuan(v)) for c in table.columns if "元" in c}
        self.table.value = table.tail(40).to_html(border=0, na_rep="", formatters=money,
                                                  float_format=lambda v: f"{v:,.2f}")


@checked
def date_range_report(facts: pd.DataFrame, start=None, end=None, freq: str = "周") -> DateRangeReport:
    """打开日期范围小部件。"""
    return DateRangeReport(facts, start, end, freq)

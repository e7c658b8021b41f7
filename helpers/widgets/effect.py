"""活动效果探索器（营销效果）。等价的普通函数：effect_over_time(members, orders, start, days) 的第 d 行和 campaign_roi。
"""
from __future__ import annotations

import ipywidgets as W
import pandas as pd

from ..charts import table_html
from ..effect import GROUPS, campaign_roi, effect_over_time
from ..money import fen_to_yuan, format_yuan, parse_yuan, to_fen
from ..validation import checked
from .base import LABEL_STYLE, Widget


@checked
class EffectExplorer(Widget):
    """效果随时间：拖动“看发送后几天”，立即看到两组累计下单率、人均销售额和增量销售额、ROI。

    等价的普通函数：``effect_over_time(members, orders, start, days)`` 的第 d 行；
    ROI = campaign_roi(累计增量销售额 + 累计用券 × coupon_value, cost)。

    cost : 活动成本（campaign_cost 的“合计”：短信费 + 用掉的券面额，元）。
    coupon_value : 券面额（元）。订单金额是实付，算 ROI 时把到第 d 天为止用掉的券加回来（券前增量），
                   和含券的成本同一个口径；活动没有发券时用默认的 0。
    """

    def __init__(self, members: pd.DataFrame, orders: pd.DataFrame, start, cost, days: int = 60,
                 coupon_value=0):
        self.table = effect_over_time(members, orders, start, days)
        self.cost_fen = to_fen(parse_yuan(cost, "成本 cost"))
        self.coupon_fen = to_fen(parse_yuan(coupon_value, "券面额 coupon_value"))
        self.days = W.IntSlider(value=min(2, days), min=1, max=days, step=1, description="看发送后几天",
                                style=LABEL_STYLE, layout=W.Layout(width="460px"))
        self.result = W.HTML()
        self.result.add_class("crm-effect-result")
        self.widget = W.VBox([self.days, self.result])
        self.days.observe(self.update, names="value")
        self.update()

    def update(self, change=None) -> None:
        """按当前天数取 effect_over_time 的那一行，金额按分相加后算 ROI。"""
        row = self.table.loc[self.days.value]
        inc_fen = to_fen(row["累计增量销售额（元）"])
        used = int(row["累计用券（张）"]) if "累计用券（张）" in row.index and self.coupon_fen else 0
        coupons_fen = self.coupon_fen * used
        gross_fen = inc_fen + coupons_fen                      # 券前增量 = 实付的增量 + 用掉的券面额
        roi = campaign_roi(fen_to_yuan(gross_fen), fen_to_yuan(self.cost_fen)) if self.cost_fen > 0 else float("nan")
        shown = pd.DataFrame({g: [f"{row[f'{g}累计下单率（%）']:.2f}%", format_yuan(row[f"{g}累计人均销售额（元）"])]
                              for g in GROUPS}, index=["累计下单率", "累计人均销售额（元）"])
        back = (f"加回用掉的 {used} 张券 {format_yuan(fen_to_yuan(coupons_fen))} 元，"
                f"券前 {format_yuan(fen_to_yuan(gross_fen))} 元；" if used else "")
        self.result.value = (table_html(shown)
                             + f"<p>前 {self.days.value} 天累计增量销售额 <b>{format_yuan(fen_to_yuan(inc_fen))}</b> 元；"
                             f"{back}成本 {format_yuan(fen_to_yuan(self.cost_fen))} 元；ROI = <b>{roi:.2f}</b></p>")

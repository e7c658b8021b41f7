"""短信编辑器。等价的普通函数：plan_sms(audience, text, shop_name, price)。
"""
from __future__ import annotations

import html

import ipywidgets as W
import pandas as pd

from ..charts import table_html
from ..sms import OPT_OUT, plan_sms
from ..validation import checked
from .base import LABEL_STYLE, Widget, error_html

@checked
class SmsComposer(Widget):
    """短信编辑器：边写边看字数、计费条数、总费用和三位真实客户的预览（手机号打码）。

    等价的普通函数：``plan_sms(audience, text, shop_name, price)``。
    """

    def __init__(self, audience: pd.DataFrame, shop_name: str, text: str = "", price: float = 0.05,
                 opt_out: str = OPT_OUT, values: dict | None = None):
        self.audience, self.shop_name, self.opt_out, self.values = audience, shop_name, opt_out, values
        self.text = W.Textarea(text, description="短信正文", placeholder="可以用 {昵称} 称呼客户",
                               layout=W.Layout(width="98%", height="90px"), style=LABEL_STYLE)
        self.price = W.BoundedFloatText(price, min=0, max=10, step=0.01, description="单价（元/条）", style=LABEL_STYLE)
        self.stats = W.HTML()
        self.stats.add_class("crm-sms-stats")
        self.preview = W.HTML()
        self.plan = None
        self.widget = W.VBox([self.text, self.price, self.stats, W.HTML("<b>预览（前三位收件人）</b>"), self.preview])
        self.text.observe(self.update, names="value")
        self.price.observe(self.update, names="value")
        self.update()

    def update(self, change=None) -> None:
        try:
            plan = plan_sms(self.audience, self.text.value or " ", self.shop_name, self.price.value,
                            self.opt_out, self.values)
        except ValueError as exc:
            self.stats.value = error_html(str(exc))
            return
        self.plan = plan
        s = plan.summary()
        self.stats.value = (
            f"模板字数：{len(plan.template)} 字（含签名和“{html.escape(self.opt_out)}”）；"
            f"最长一条：{s['最长一条（字）']} 字；收件人 {plan.recipients:,} 人"
            f"（已去掉退订 {s['排除：已退订（人）']} 人、无手机号 {s['排除：没有手机号（人）']} 人）；"
            f"计费 <b>{plan.total_parts:,}</b> 条；总费用 <b>{plan.cost:,.2f}</b> 元")
        self.preview.value = table_html(plan.messages[["nickname", "phone", "text", "length", "parts"]].head(3))



@checked
def sms_composer(audience: pd.DataFrame, shop_name: str, text: str = "", price: float = 0.05, **kw) -> SmsComposer:
    """打开短信编辑器。"""
    return SmsComposer(audience, shop_name, text, price, **kw)

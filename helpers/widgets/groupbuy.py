"""拼团设置表单。等价的普通函数：campaign.problems(others)、campaign.schedule()、campaign.prices()。
"""
from __future__ import annotations

import html

import ipywidgets as W

from ..charts import table_html
from ..groupbuy import GROUP_TYPES, GroupBuy, SkuStock, format_time
from ..validation import checked
from .base import LABEL_STYLE, Widget, error_html


def _sku_lines(skus) -> str:
    return "\n".join(f"{s.product}, {s.sku}, {s.price:g}, {s.normal_stock}, "
                     f"{'' if s.campaign_stock is None else s.campaign_stock}" for s in skus)


def _parse_sku_lines(text: str) -> list:
    """每行“商品, 规格, 原价, 正常库存, 活动库存”（活动库存空着表示还没设置）。"""
    skus = []
    for number, line in enumerate(text.replace("，", ",").splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split(",")]
        if len(cells) != 5:
            raise ValueError(f"SKU 第 {number} 行应有 5 项（商品, 规格, 原价, 正常库存, 活动库存），现在有 {len(cells)} 项。")
        try:
            price, normal = float(cells[2]), int(cells[3])
            stock = int(cells[4]) if cells[4] else None
        except ValueError:
            raise ValueError(f"SKU 第 {number} 行的原价、正常库存、活动库存应是数字：{line.strip()}") from None
        skus.append(SkuStock(cells[0], cells[1], price, normal, stock))
    return skus


@checked
class GroupBuyEditor(Widget):
    """拼团设置表单（课堂小部件）：改名称、时间、类型、折扣或 SKU，立即看到违反的规则、北京时间和两个页面的价格。

    等价的普通函数：``campaign.problems(others)``、``campaign.schedule()`` 和 ``campaign.prices()``。
    ``editor.campaign`` 是当前填写的 GroupBuy，``editor.found`` 是当前的问题列表。
    """

    def __init__(self, campaign: GroupBuy, others=(), previous: GroupBuy | None = None):
        self.others, self.previous = tuple(others), previous
        self.campaign: GroupBuy | None = None
        self.found: list = []
        wide = W.Layout(width="520px")
        self.name = W.Text(campaign.name, description="活动名称（卖家可见）", style=LABEL_STYLE, layout=wide)
        self.start = W.Text(format_time(campaign.start), description="开始（太平洋时间）", style=LABEL_STYLE)
        self.end = W.Text(format_time(campaign.end), description="结束（太平洋时间）", style=LABEL_STYLE)
        self.group_type = W.Dropdown(options=list(GROUP_TYPES), value=campaign.group_type if campaign.group_type
                                     in GROUP_TYPES else GROUP_TYPES[0], description="类型", style=LABEL_STYLE)
        self.group_size = W.BoundedIntText(campaign.group_size, min=2, max=100, description="几人成团", style=LABEL_STYLE)
        self.discount = W.BoundedFloatText(campaign.discount, min=0, max=100, step=0.5, description="折扣（%）",
                                           style=LABEL_STYLE)
        self.skus = W.Textarea(_sku_lines(campaign.skus), description="SKU：商品, 规格, 原价, 正常库存, 活动库存",
                               style=LABEL_STYLE, layout=W.Layout(width="520px", height="110px"))
        self.result = W.HTML()
        self.result.add_class("crm-groupbuy-result")
        controls = [self.name, self.start, self.end, self.group_type, self.group_size, self.discount, self.skus]
        self.widget = W.VBox([*controls, self.result])
        for control in controls:
            control.observe(self.update, names="value")
        self.update()

    def current(self) -> GroupBuy:
        """按表单当前填写的内容建一个 GroupBuy（填错时抛出中文 ValueError）。"""
        return GroupBuy(self.name.value, self.start.value, self.end.value, self.group_type.value,
                        int(self.group_size.value), float(self.discount.value), _parse_sku_lines(self.skus.value))

    def update(self, change=None) -> None:
        """重新检查一遍，刷新下面的结果。"""
        try:
            campaign = self.current()
        except ValueError as exc:
            self.result.value = error_html(str(exc))
            return
        self.campaign = campaign
        self.found = campaign.problems(self.others, previous=self.previous)
        if self.found:
            items = "".join(f"<li>{html.escape(p)}</li>" for p in self.found)
            verdict = f"<b style='color:#C0392B'>不符合平台规则：</b><ul>{items}</ul>"
        else:
            verdict = "<b style='color:#1E8449'>全部符合平台规则。</b>"
        self.result.value = (verdict + "<b>开始和结束时刻</b>" + table_html(campaign.schedule())
                             + "<b>两个页面上显示的价格</b>" + table_html(campaign.prices()))


@checked
def group_buy_editor(campaign: GroupBuy, others=(), previous: GroupBuy | None = None) -> GroupBuyEditor:
    """打开拼团设置表单。等价的普通函数：campaign.problems(others)、campaign.schedule()、campaign.prices()。"""
    return GroupBuyEditor(campaign, others, previous)

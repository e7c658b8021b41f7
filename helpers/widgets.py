"""课堂小部件：自定义分组表单、短信编辑器、VIP 等级编辑器、RFM 探索器。

每个小部件旁边都有一个普通函数能得到同样的结果（见各类的说明），
所以没有内核、只读笔记本时也能看懂。每次改动只重算需要的部分，
在最大的教学店铺上也在 0.1 秒内刷新（见 benchmarks/bench_widgets.py）。
"""
from __future__ import annotations

import html

import ipywidgets as W
import pandas as pd

from .charts import LEVEL_COLORS, html_bars, table_html
from .privacy import mask_contacts
from .rfm import LEVEL_NAMES, TEXTBOOK_LEVELS, TEXTBOOK_RFM, TEXTBOOK_WEIGHTS, RFMTable, rfm_assign, rfm_values
from .segments import Segment
from .sms import OPT_OUT, plan_sms
from .vip import TEXTBOOK_VIP_TIERS, VipTier, vip_rules_text, vip_tier
from .validation import checked

_LABEL = {"description_width": "initial"}
PREVIEW_COLUMNS = ["nickname", "gender", "province", "city", "order_count", "total_amount",
                   "avg_order_value", "last_order", "points", "phone"]


def _error(message: str) -> str:
    return f"<span style='color:#C0392B'>⚠ {html.escape(message)}</span>"


def _number(text: str, label: str, integer: bool = False):
    """表单里的数字：空着表示不限；填了非数字时给出中文提示。"""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"“{label}”应填数字，现在是“{text}”。") from None
    if integer:
        if not value.is_integer():
            raise ValueError(f"“{label}”应填整数，现在是“{text}”。")
        return int(value)
    return value


class _Widget:
    """所有小部件的共同点：在笔记本里显示 .widget，update() 重算一次。"""

    widget: W.Widget

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


@checked
class SegmentBuilder(_Widget):
    """和 CRM 后台“创建分组”一样的表单：改任何一项，立即看到人数、漏斗和预览。

    点“保存”后，``builder.saved`` 就是一个 Segment，下一个单元格可以直接用。
    等价的普通函数：``Segment(...).select(summary)`` 和 ``Segment(...).funnel(summary)``。
    """

    def __init__(self, summary: pd.DataFrame, segment: Segment | None = None):
        self.summary = summary
        self.saved: Segment | None = None
        seg = segment or Segment("新分组")
        text = lambda v: "" if v is None else (str(v.date()) if isinstance(v, pd.Timestamp) else f"{v:g}")  # noqa: E731
        self.name = W.Text(seg.name, description="分组名称", style=_LABEL)
        self.description = W.Text(seg.description, description="分组描述", style=_LABEL)
        self.min_orders = W.Text(text(seg.min_orders), description="订单总数 ≥", placeholder="不限", style=_LABEL)
        self.min_total_amount = W.Text(text(seg.min_total_amount), description="订单总金额（元）≥",
                                       placeholder="不限", style=_LABEL)
        self.min_avg_order_value = W.Text(text(seg.min_avg_order_value), description="平均订单价（元）≥",
                                          placeholder="不限", style=_LABEL)
        self.min_items = W.Text(text(seg.min_items), description="购买商品总数 ≥", placeholder="不限", style=_LABEL)
        self.gender = W.Dropdown(options=[("不限", ""), ("女", "女"), ("男", "男")], value=seg.gender or "",
                                 description="性别", style=_LABEL)
        self.last_order_after = W.Text(text(seg.last_order_after), description="最后下单时间不早于",
                                       placeholder="YYYY-MM-DD", style=_LABEL)
        self.min_points = W.Text(text(seg.min_points), description="积分 ≥", placeholder="不限", style=_LABEL)
        occupations = sorted(summary["occupation"].dropna().unique()) if "occupation" in summary else []
        self.occupations = W.SelectMultiple(options=occupations, value=tuple(seg.occupations or ()),
                                            description="职业（可多选）", rows=4, style=_LABEL)
        products = sorted(set(summary["products"].dropna().explode().dropna())) if "products" in summary else []
        chosen = [summary.attrs.get("product_titles", {}).get(p, p) for p in (seg.products or ())]
        self.products = W.SelectMultiple(options=products, value=tuple(p for p in chosen if p in products),
                                         description="商品范围（买过任一）", rows=5, style=_LABEL)
        provinces = summary["province"].value_counts().index.tolist() if "province" in summary else []
        self.regions = W.SelectMultiple(options=provinces, value=tuple(r for r in (seg.regions or ()) if r in provinces),
                                        description="所属地区（不选 = 全部）", rows=5, style=_LABEL)
        self.save_button = W.Button(description="保存", button_style="primary", icon="save")
        self.count = W.HTML()
        self.count.add_class("crm-segment-count")
        self.message = W.HTML()
        self.funnel_view = W.HTML()
        self.preview = W.HTML()
        sections = [
            W.HTML("<b>基本信息</b>"), self.name, self.description,
            W.HTML("<b>购买行为</b>"), self.min_orders, self.min_total_amount, self.min_avg_order_value, self.min_items,
            W.HTML("<b>客户属性</b>"), self.gender, self.last_order_after, self.min_points, self.occupations,
            W.HTML("<b>商品范围</b>"), self.products,
            W.HTML("<b>所属地区</b>"), self.regions,
            self.save_button,
        ]
        form = W.VBox(sections, layout=W.Layout(width="46%"))
        result = W.VBox([self.count, self.message, W.HTML("<b>漏斗：每加一条规则剩下的客户</b>"), self.funnel_view,
                         W.HTML("<b>预览（前 5 位，手机号已打码）</b>"), self.preview], layout=W.Layout(width="54%"))
        self.widget = W.HBox([form, result])
        for control in sections:
            if isinstance(control, (W.Text, W.Dropdown, W.SelectMultiple)):
                control.observe(self.update, names="value")
        self.save_button.on_click(self.save)
        self.update()

    def current(self) -> Segment:
        """按表单当前填写的内容建一个 Segment（填错时抛出中文 ValueError）。"""
        rules = {
            "min_orders": _number(self.min_orders.value, "订单总数", integer=True),
            "min_total_amount": _number(self.min_total_amount.value, "订单总金额"),
            "min_avg_order_value": _number(self.min_avg_order_value.value, "平均订单价"),
            "min_items": _number(self.min_items.value, "购买商品总数", integer=True),
            "gender": self.gender.value or None,
            "last_order_after": self.last_order_after.value.strip() or None,
            "min_points": _number(self.min_points.value, "积分"),
            "occupations": list(self.occupations.value) or None,
            "products": list(self.products.value) or None,
            "regions": list(self.regions.value) or None,
        }
        return Segment(self.name.value.strip() or "新分组", self.description.value.strip(),
                       **{k: v for k, v in rules.items() if v is not None})

    def update(self, change=None) -> None:
        """重算人数、漏斗和预览。"""
        try:
            seg = self.current()
            funnel, chosen = seg.run(self.summary)
        except ValueError as exc:
            self.message.value = _error(str(exc))
            return
        self.message.value = f"<span style='color:#555'>{html.escape(seg.describe())}</span>"
        self.count.value = f"<b style='font-size:1.3em'>符合条件的客户：{len(chosen):,} 位</b>"
        self.funnel_view.value = table_html(funnel, max_rows=20)
        columns = [c for c in PREVIEW_COLUMNS if c in chosen.columns]
        self.preview.value = table_html(mask_contacts(chosen[columns].head(5)))

    def save(self, button=None) -> Segment | None:
        """保存当前分组到 .saved。"""
        try:
            self.saved = self.current()
        except ValueError as exc:
            self.message.value = _error(str(exc))
            return None
        n = len(self.saved.select(self.summary))
        self.message.value = (f"<span style='color:#1E8449'>✔ 已保存分组“{html.escape(self.saved.name)}”，"
                              f"共 {n:,} 位客户。下一个单元格用 builder.saved 取用。</span>")
        return self.saved


@checked
class SmsComposer(_Widget):
    """短信编辑器：边写边看字数、计费条数、总费用和三位真实客户的预览（手机号打码）。

    等价的普通函数：``plan_sms(audience, text, shop_name, price)``。
    """

    def __init__(self, audience: pd.DataFrame, shop_name: str, text: str = "", price: float = 0.05,
                 opt_out: str = OPT_OUT, values: dict | None = None):
        self.audience, self.shop_name, self.opt_out, self.values = audience, shop_name, opt_out, values
        self.text = W.Textarea(text, description="短信正文", placeholder="可以用 {昵称} 称呼客户",
                               layout=W.Layout(width="98%", height="90px"), style=_LABEL)
        self.price = W.BoundedFloatText(price, min=0, max=10, step=0.01, description="单价（元/条）", style=_LABEL)
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
            self.stats.value = _error(str(exc))
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
class VipEditor(_Widget):
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
            self.chart.value = _error(str(exc))
            return
        self.tiers = result
        counts = result.value_counts(sort=False).reindex([t.name for t in tiers], fill_value=0)
        buyers = int((self.summary["order_count"] > 0).sum())
        counts.loc["非会员（下过单）"] = buyers - int(counts.sum())
        self.chart.value = "<b>各等级人数</b>" + html_bars(counts)
        self.rules.value = f"<pre style='white-space:pre-wrap;max-width:420px'>{html.escape(text)}</pre>"


@checked
class RfmExplorer(_Widget):
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
            self.chart.value = _error(str(exc))
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
def segment_builder(summary: pd.DataFrame, segment: Segment | None = None) -> SegmentBuilder:
    """打开自定义分组表单（可以传入一个 Segment 作为初始填写）。"""
    return SegmentBuilder(summary, segment)


@checked
def sms_composer(audience: pd.DataFrame, shop_name: str, text: str = "", price: float = 0.05, **kw) -> SmsComposer:
    """打开短信编辑器。"""
    return SmsComposer(audience, shop_name, text, price, **kw)


@checked
def vip_editor(summary: pd.DataFrame, tiers=TEXTBOOK_VIP_TIERS, shop_name: str = "本店") -> VipEditor:
    """打开 VIP 等级编辑器。"""
    return VipEditor(summary, tiers, shop_name)


@checked
def rfm_explorer(orders: pd.DataFrame, as_of, **kw) -> RfmExplorer:
    """打开 RFM 探索器。"""
    return RfmExplorer(orders, as_of, **kw)

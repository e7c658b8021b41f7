"""新会员礼包编辑器。等价的普通函数：check_gift_pack(GiftPack(...), existing_denominations)。
"""
from __future__ import annotations

import html

import ipywidgets as W

from ..giftpack import TEXTBOOK_GIFT_PACK_RULES, Coupon, GiftPack, GiftPackRules, check_gift_pack
from ..money import to_fen, yuan_text
from ..validation import checked
from .base import LABEL_STYLE, Widget, error_html, parse_number


@checked
class GiftPackEditor(Widget):
    """新会员礼包编辑器：勾选、修改每张券的面额、门槛和种类，写上礼品，立即看到违反了哪条平台规则。

    等价的普通函数：``check_gift_pack(GiftPack(...), existing_denominations)``。
    ``.pack`` 是当前填写的 GiftPack，``.problems`` 是当前的问题列表（填错时保留上一次的结果）。
    """

    def __init__(self, pack: GiftPack | None = None, existing_denominations=(),
                 rules: GiftPackRules = TEXTBOOK_GIFT_PACK_RULES):
        pack = pack or GiftPack()
        self.rules, self.name = rules, pack.name
        self.pack: GiftPack | None = None
        self.problems: list | None = None
        slots = max(rules.max_coupons + 1, len(pack.coupons))   # 比规则多一行，才能试出“券太多”
        kinds = sorted({rules.coupon_kind, "商品优惠券", "平台优惠券", *(c.kind for c in pack.coupons)})
        self.rows = []
        for i in range(slots):  # 循环的是四五行券
            c = pack.coupons[i] if i < len(pack.coupons) else None
            self.rows.append((W.Checkbox(value=c is not None, description=f"券 {i + 1}", indent=False,
                                         layout=W.Layout(width="60px")),
                              W.BoundedFloatText(value=c.face_value if c else 5.0, min=0.01, max=10000, step=1,
                                                 description="面额（元）", layout=W.Layout(width="170px")),
                              W.BoundedFloatText(value=c.threshold if c else 0.0, min=0, max=100000, step=1,
                                                 description="门槛（元）", layout=W.Layout(width="170px")),
                              W.Dropdown(options=kinds, value=c.kind if c else rules.coupon_kind,
                                         layout=W.Layout(width="130px"))))
        self.gifts = W.Text(value="、".join(pack.gifts), description="专享礼（用“、”分隔）",
                            style=LABEL_STYLE, layout=W.Layout(width="420px"))
        self.hours = W.BoundedFloatText(value=pack.issue_within_hours, min=0, max=1000,
                                        description="入会后几小时内发放", style=LABEL_STYLE)
        self.existing = W.Text(value="、".join(yuan_text(to_fen(v)) for v in existing_denominations),
                               description="店里已有的券面额（元，用“、”分隔）", style=LABEL_STYLE,
                               layout=W.Layout(width="520px"))
        self.result = W.HTML()
        self.widget = W.VBox([*[W.HBox(list(r)) for r in self.rows], self.gifts, self.hours, self.existing,
                              self.result])
        for control in [c for r in self.rows for c in r] + [self.gifts, self.hours, self.existing]:
            control.observe(self.update, names="value")
        self.update()

    def current(self) -> GiftPack:
        """按表单当前填写的内容建一个 GiftPack（填错时抛出中文 ValueError）。"""
        coupons = [Coupon(face.value, threshold.value, kind.value) for use, face, threshold, kind in self.rows
                   if use.value]
        gift_names = [g.strip() for g in self.gifts.value.replace(",", "、").split("、") if g.strip()]
        return GiftPack(coupons, gift_names, self.hours.value, self.name)

    def existing_values(self) -> list:
        """“店里已有的券面额”一栏里的面额（元）。"""
        parts = self.existing.value.replace(",", "、").replace("，", "、").split("、")
        return [parse_number(v, "店里已有的券面额") for v in parts if v.strip()]

    def update(self, change=None) -> None:
        """重新检查礼包，显示礼包内容和违反的规则。"""
        try:
            pack = self.current()
            problems = check_gift_pack(pack, self.existing_values(), self.rules)
        except ValueError as exc:
            self.result.value = error_html(str(exc))
            return
        self.pack, self.problems = pack, problems
        text = html.escape(pack.describe()).replace("\n", "<br>")
        if problems:
            items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
            self.result.value = f"{text}<br><b style='color:#C0392B'>不符合平台规则：</b><ul>{items}</ul>"
        else:
            self.result.value = f"{text}<br><b style='color:#1E8449'>全部符合平台规则。</b>"


@checked
def gift_pack_editor(pack: GiftPack | None = None, existing_denominations=(),
                     rules: GiftPackRules = TEXTBOOK_GIFT_PACK_RULES) -> GiftPackEditor:
    """打开新会员礼包编辑器（课堂小部件）。等价的普通函数：``check_gift_pack(GiftPack(...), existing_denominations)``。"""
    return GiftPackEditor(pack, existing_denominations, rules)

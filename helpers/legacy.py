"""旧的模块路径（过渡期）：已经发给学生的练习本里还写着 ``from helpers.members import …``、
``from helpers.email import …``，这里让它们照样能用，旧作业照样能批改。

- helpers.members 拆成了 labels、membership、giftpack、followup，VIP 表和会员卡去了 vip，
  customer_layers 去了 rfm，两个名字改成了说出算什么的名字（见 MOVED）；
- helpers.email 改名为 helpers.mail（不再和 Python 自带的 email 模块同名）。

旧路径得到的是新位置上的同一个对象，不复制代码。新写的代码请直接用新位置；过渡期结束后删除本文件
（tests/test_layout.py 检查旧路径）。
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import types

# 旧模块 → {旧名字: "新模块" 或 "新模块:新名字"}；"*" 表示整个模块搬家
MOVED = {
    "helpers.email": {"*": "helpers.mail"},
    "helpers.members": {
        **dict.fromkeys(["ORDER_BANDS", "RECENCY_BANDS", "customer_labels", "label_lift",
                         "label_rates", "label_lift_chart", "crowd_metrics", "crowd_insight"], "helpers.labels"),
        **dict.fromkeys(["RULE_CHANGE_DATE", "MEMBER_STATUSES", "tier_reached_date", "membership_status"],
                        "helpers.membership"),
        **dict.fromkeys(["Coupon", "GiftPack", "GiftPackRules", "TEXTBOOK_GIFT_PACK_RULES", "check_gift_pack"],
                        "helpers.giftpack"),
        **dict.fromkeys(["first_purchase_followup", "first_order_cohort", "monthly_sales", "monthly_sales_chart"],
                        "helpers.followup"),
        "repurchase_rates": "helpers.followup:first_order_return_rates",
        "repurchase_chart": "helpers.followup:first_order_return_chart",
        **dict.fromkeys(["tier_table", "tier_chart", "membership_card", "membership_cards", "CARD_COLORS",
                         "CARD_RATIO"], "helpers.vip"),
        **dict.fromkeys(["customer_layers", "LAYER_ORDER"], "helpers.rfm"),
        "NOT_REACHED": "helpers.labels",
        "gift_pack_editor": "helpers.widgets.giftpack",
    },
}


def _resolve(old: str, name: str):
    where = MOVED[old].get(name)
    if where is None:
        raise AttributeError(f"{old} 已经拆开了，里面没有 {name}：请查 README 的 helpers 一览表，从新的模块导入。")
    module, _, new_name = where.partition(":")
    return getattr(importlib.import_module(module), new_name or name)


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """import helpers.members / helpers.email 时给出指向新位置的模块。"""

    def find_spec(self, fullname, path=None, target=None):
        return importlib.util.spec_from_loader(fullname, self) if fullname in MOVED else None

    def create_module(self, spec):
        whole = MOVED[spec.name].get("*")
        if whole:
            return importlib.import_module(whole)
        module = types.ModuleType(spec.name, f"旧路径：{spec.name} 里的名字已经搬到新模块（见 helpers.legacy.MOVED）。")
        module.__getattr__ = lambda name, old=spec.name: _resolve(old, name)
        module.__all__ = sorted(MOVED[spec.name])
        return module

    def exec_module(self, module):
        pass


if not any(isinstance(f, _Finder) for f in sys.meta_path):
    sys.meta_path.append(_Finder())

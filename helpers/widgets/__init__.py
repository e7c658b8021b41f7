"""课堂小部件（ipywidgets）：每个主题一个模块，都继承 base.Widget。

小部件只负责表单和显示，计算都交给同名主题的库模块（segments、sms、vip、rfm ……），
所以 ``import helpers`` 不会导入 ipywidgets；用到哪个小部件才导入哪个模块。
每个小部件在最大的教学店铺上 0.1 秒内刷新（见 benchmarks/bench_widgets.py）。

    from helpers.widgets import segment_builder
    segment_builder(summary)
"""
from __future__ import annotations

import importlib

# 公开名字 → 所在的模块（按需导入）
_WHERE = {
    "SegmentBuilder": "segment", "segment_builder": "segment", "PREVIEW_COLUMNS": "segment",
    "SmsComposer": "sms", "sms_composer": "sms",
    "VipEditor": "vip", "vip_editor": "vip",
    "RfmExplorer": "rfm", "rfm_explorer": "rfm",
    "DateRangeReport": "operations", "date_range_report": "operations",
    "AbcExplorer": "products",
    "EffectExplorer": "effect",
    "LifecycleExplorer": "lifecycle", "lifecycle_explorer": "lifecycle",
    "GroupBuyEditor": "groupbuy", "group_buy_editor": "groupbuy",
    "AttributeCrosser": "audience", "attribute_crosser": "audience",
    "GiftPackEditor": "giftpack", "gift_pack_editor": "giftpack",
    "Widget": "base",
}
__all__ = sorted(_WHERE)


def __getattr__(name):
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"helpers.widgets 里没有 {name}")


def __dir__():
    return __all__

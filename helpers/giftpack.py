"""新会员礼包：优惠券（Coupon）、礼包（GiftPack）、平台规则（GiftPackRules，都是数据）和逐条检查（check_gift_pack）。

平台规则（任务二）：入会后 24 小时内发放；最多 3 张优惠券 + 1 份礼品；只能放店铺优惠券；
每张券面额最高 100 元；一家店铺的优惠券面额最多 50 种。
面额一律换成整数“分”再比较（helpers.money），写成中文时整元不带小数（“5 元”），有角分时写到分（“5.50 元”）。
课堂上的礼包编辑器在 helpers.widgets.giftpack。
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .money import to_fen, yuan_text
from .validation import checked


def _is_number(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float, np.integer, np.floating)) \
        and bool(np.isfinite(value))


@checked
@dataclass(frozen=True)
class Coupon:
    """一张优惠券：面额（元）、使用门槛（满多少元可用，0 = 无门槛）、券的种类。"""

    face_value: float
    threshold: float = 0.0
    kind: str = "店铺优惠券"
    name: str = ""

    def __post_init__(self):
        if not _is_number(self.face_value) or self.face_value <= 0:
            raise ValueError(f"优惠券面额 face_value 应是大于 0 的数字（元），收到 {self.face_value!r}。")
        if not _is_number(self.threshold) or self.threshold < 0:
            raise ValueError(f"使用门槛 threshold 应是不小于 0 的数字（元，0 = 无门槛），收到 {self.threshold!r}。")
        if not str(self.kind).strip():
            raise ValueError("优惠券种类 kind 不能为空，例如“店铺优惠券”。")

    @property
    def face_fen(self) -> int:
        """面额（整数分）。"""
        return to_fen(self.face_value)

    def describe(self) -> str:
        """读成一句话，例如“5 元无门槛店铺优惠券”“满 199 元减 10 元店铺优惠券”。"""
        head = f"{self.name}：" if self.name else ""
        face = yuan_text(self.face_fen)
        if to_fen(self.threshold) == 0:
            return f"{head}{face} 元无门槛{self.kind}"
        return f"{head}满 {yuan_text(to_fen(self.threshold))} 元减 {face} 元{self.kind}"


@checked
@dataclass(frozen=True)
class GiftPack:
    """新会员礼包：几张优惠券、几份专享礼，以及入会后多少小时内发放。"""

    coupons: tuple = ()
    gifts: tuple = ()
    issue_within_hours: float = 24
    name: str = "新会员礼包"

    def __post_init__(self):
        object.__setattr__(self, "coupons", tuple(self.coupons))
        gifts = (self.gifts,) if isinstance(self.gifts, str) else tuple(self.gifts)
        object.__setattr__(self, "gifts", gifts)
        for c in self.coupons:
            if not isinstance(c, Coupon):
                raise ValueError(f"礼包里的优惠券应是 Coupon(...)，收到 {c!r}。例如 Coupon(5) 表示 5 元无门槛券。")

    def describe(self) -> str:
        """把礼包读成几行中文。"""
        lines = [f"{self.name}（入会后 {self.issue_within_hours:g} 小时内发放）："]
        lines += [f"  券 {i}：{c.describe()}" for i, c in enumerate(self.coupons, start=1)]
        lines += [f"  礼 {i}：{g}" for i, g in enumerate(self.gifts, start=1)]
        return "\n".join(lines)


@checked
@dataclass(frozen=True)
class GiftPackRules:
    """新会员礼包的平台规则（都是数据，可以改）。"""

    max_coupons: int = 3
    max_gifts: int = 1
    coupon_kind: str = "店铺优惠券"
    max_face_value: float = 100.0
    max_denominations: int = 50
    max_issue_hours: float = 24.0


TEXTBOOK_GIFT_PACK_RULES = GiftPackRules()


@checked
def check_gift_pack(pack: GiftPack, existing_denominations=(), rules: GiftPackRules = TEXTBOOK_GIFT_PACK_RULES,
                    raise_errors: bool = False) -> list:
    """检查新会员礼包是否符合平台规则，返回违反的规则（中文，一条一句）；空列表表示全部符合。

    参数
    ----
    pack : GiftPack(...)。
    existing_denominations : 店铺里已经在用的优惠券面额（元），例如 [3, 5, 10]；
                             平台规定一家店铺的优惠券面额最多 50 种，要加新面额得先删旧的。
    rules : 平台规则，默认 TEXTBOOK_GIFT_PACK_RULES（3 张券、1 份礼、店铺券、≤ 100 元、50 种面额、24 小时）。
    raise_errors : True 时，有违反就抛出 ValueError（信息里列出全部问题）。
    """
    if not isinstance(pack, GiftPack):
        raise ValueError(f"check_gift_pack 需要 GiftPack(...)，收到 {type(pack).__name__}。")
    problems = []
    n = len(pack.coupons)
    if n > rules.max_coupons:
        problems.append(f"【券数】礼包最多放 {rules.max_coupons} 张优惠券：现在有 {n} 张，请删掉 {n - rules.max_coupons} 张。")
    g = len(pack.gifts)
    if g > rules.max_gifts:
        problems.append(f"【礼品】礼包最多放 {rules.max_gifts} 份专享礼：现在有 {g} 份，请只留 {rules.max_gifts} 份。")
    max_fen = to_fen(rules.max_face_value)
    for i, c in enumerate(pack.coupons, start=1):  # 循环的是礼包里的几张券
        if c.kind != rules.coupon_kind:
            problems.append(f"【券种】礼包只能放{rules.coupon_kind}：第 {i} 张是“{c.kind}”，请换成{rules.coupon_kind}。")
        if c.face_fen > max_fen:
            problems.append(f"【面额】优惠券面额最高 {yuan_text(max_fen)} 元：第 {i} 张是 "
                            f"{yuan_text(c.face_fen)} 元，请改到 {yuan_text(max_fen)} 元以内。")
    values = list(existing_denominations)
    if not all(_is_number(v) for v in values):
        bad = next(v for v in values if not _is_number(v))
        raise ValueError(f"existing_denominations 里的面额应是数字（元），例如 [3, 5, 10]，收到 {bad!r}。")
    existing = set(to_fen(values).tolist()) if values else set()
    if any(v <= 0 for v in existing):
        raise ValueError("existing_denominations 里的面额都应大于 0 元。")
    new = sorted({c.face_fen for c in pack.coupons} - existing)
    total = len(existing) + len(new)
    if total > rules.max_denominations:
        names = "、".join(f"{yuan_text(v)} 元" for v in new)
        problems.append(f"【面额种数】一家店铺的优惠券面额最多 {rules.max_denominations} 种：已有 {len(existing)} 种，"
                        f"加上新面额 {names}后共 {total} 种，请先删除 {total - rules.max_denominations} 种不再使用的旧面额。")
    hours = float(pack.issue_within_hours)
    if not 0 < hours <= rules.max_issue_hours:
        limit = f"{float(rules.max_issue_hours):g}"
        problems.append(f"【发放时间】礼包要在客户入会后 {limit} 小时内发放：现在设置的是 "
                        f"{hours:g} 小时，请改为 0 到 {limit} 小时之间。")
    if problems and raise_errors:
        raise ValueError("新会员礼包不符合平台规则：\n" + "\n".join(problems))
    return problems

"""第 06 章 新会员营销（夏艺女装，今天 = 2018-12-10）的练习题。

练习本第一个代码单元格::

    from helpers.course.exercises import ch06
    q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11 = ch06.setup(globals())

任务训练（教材任务二）：
- q1：一个新会员礼包违反了哪些平台规则（q1_rules）；
- q2：只改违规的地方，改好这个礼包（q2_pack）；
- q3：新会员专享的 5 元无门槛券（q3_coupon）；
- q4：四张手机端会员卡，存成 PNG 文件（q4_files）。
比课堂多走一步：
- q5：聚划算新客首单后 60 天内又下单的人数（q5_back）；
- q6：下一批要跟进的新客：首单在双11 期间的客户（q6_new）；
- q7：给他们发欢迎短信的总费用（q7_cost）。
拼团：
- q8：一份拼团设置违反了哪些平台规则（q8_rules）；
- q9：一场拼团在北京时间几点开始、几点结束（q9_start、q9_end）；
- q10：两个团最晚什么时候成团，过了就失败（q10_a、q10_b，太平洋时间）。
- q11：章节测试（helpers/course/quizzes/ch06.json）的第 10 题（q11_answer）。

每道题的误读写成数据（Misreading）：礼包和拼团设置的每一项都正好踩在规则的边界上（3 张券、100 元、
24 小时、50 种面额、32 个字、180 天、5% 折扣、活动库存等于正常库存……），误读的答案用同一个检查函数
在“改了一条边界”的规则上算出来，所以每种误读都得到不同的答案。正确答案都在检查时算出，从不写死数字。
"""
from __future__ import annotations

import datetime as dt
import io
import re
import struct
import tempfile
from dataclasses import replace
from functools import lru_cache, partial
from pathlib import Path

import pandas as pd

from . import shop, summary
from ..checks import Misreading, Question, Result, compare_customer_sets, compare_number, bind
from ...groupbuy import (BEIJING, PACIFIC, TEXTBOOK_GROUP_BUY_RULES, UTC, GroupBuy, SkuStock, format_time,
                        group_deadline, parse_time, to_beijing, zone_label)
from ...followup import first_purchase_followup
from ...giftpack import TEXTBOOK_GIFT_PACK_RULES, Coupon, GiftPack, check_gift_pack
from ...money import to_fen, yuan_text
from ..quiz import QuizQuestion
from ...sms import plan_sms
from ...vip import TEXTBOOK_VIP_TIERS, membership_card, membership_cards

CHAPTER = "06"
TITLE = "新会员营销：礼包规则、5 元无门槛券、会员卡、新客跟进与拼团"

SHOP_NAME = "夏艺女装"
SMS_PRICE = 0.05
JHS_START, JHS_END = "2018-01-05", "2018-01-09"      # 聚划算团购（两端都含）
D11_START, D11_END = "2018-11-01", "2018-11-11"      # 第 6 题：双11 期间（两端都含）
WINDOW = 60                                          # 第 5 题：首单后 60 天

# ---------------------------------------------------------------------------
# 第 1、2 题的礼包：每条数量规则都正好踩在边界上，只有“券种”真的违反了
# ---------------------------------------------------------------------------
GIFT_RULES = TEXTBOOK_GIFT_PACK_RULES
# 店里已经在用的 49 种优惠券面额（元）；礼包带来 1 种新面额（66 元）后正好 50 种。
EXISTING = (tuple(range(1, 31))
            + (32, 35, 38, 40, 45, 48, 50, 55, 58, 60, 65, 68, 70, 75, 78, 80, 85, 88, 100))
BROKEN_PACK = GiftPack(
    coupons=(Coupon(5, name="新会员专享券"), Coupon(66, threshold=699, kind="商品优惠券"),
             Coupon(100, threshold=999)),
    gifts=("新会员专享礼：羊毛贝雷帽一顶",),
    issue_within_hours=24,
)
RULE_TAGS = ("券数", "礼品", "券种", "面额", "面额种数", "发放时间")

# 第 7 题的欢迎短信（plan_sms 会加上【夏艺女装】和“回T退订”）
WELCOME_TEXT = ("{昵称}，欢迎来到夏艺女装！领取会员卡即得新会员礼包：5元无门槛券+满299减20券，"
                "另送羊毛贝雷帽一顶，24小时内有效~")

# ---------------------------------------------------------------------------
# 第 8 题的拼团设置：名称正好 32 个字、正好 180 天、折扣正好 5%、一个 SKU 的活动库存正好等于正常库存、
# 一个商品刚从另一场还在进行的活动里退出；真正违反的只有“类型”（保存后把二人团改成了多人团）
# ---------------------------------------------------------------------------
GB_RULES = TEXTBOOK_GROUP_BUY_RULES
GB_NAME = "2019春季新款拼团-茧型毛呢外套与羊毛围巾-老客带新客第01期"  # 正好 32 个字
GB_START = "2019-03-01 00:00:00"
GB_SAVED = GroupBuy(
    GB_NAME, GB_START, parse_time(GB_START) + dt.timedelta(days=GB_RULES.max_days), "二人团",
    discount=GB_RULES.min_discount,
    skus=(SkuStock("茧型毛呢外套", "驼色 M", 299, 80, 30), SkuStock("茧型毛呢外套", "驼色 L", 299, 45, 45),
          SkuStock("羊毛围巾", "燕麦色", 89, 200, 60)),
)
GB_SETTING = replace(GB_SAVED, group_type="多人团", group_size=3)
GB_OTHERS = (GroupBuy("冬季清仓二人团", "2019-01-15 00:00:00", "2019-03-15 23:59:59", discount=30,
                      skus=(SkuStock("羊毛围巾", "燕麦色", 89, 200, 50),), withdrawn={"羊毛围巾"}),)
GB_TAGS = ("名称", "时间", "时长", "类型", "折扣", "库存", "商品")

# 第 9 题：一场跨过夏令时结束（11 月第一个星期日）的拼团
AUTUMN = GroupBuy("黑五拼团", "2019-10-25 09:00:00", "2019-12-02 09:00:00", discount=20,
                  skus=(SkuStock("羊毛双面呢大衣", "藏青 M", 599, 60, 20),))
# 第 10 题：活动在太平洋时间 11 月 10 日 23:59:59 结束；团 A 在夏令时结束的前一天开团，团 B 离活动结束不到 24 小时
Q10_END = "2019-11-10 23:59:59"
Q10_OPEN_A = "2019-11-02 20:00:00"
Q10_OPEN_B = "2019-11-10 08:00:00"


# ---------------------------------------------------------------------------
# 数据（每个内核只算一次）
# ---------------------------------------------------------------------------
_shop = partial(shop, "xiayi")
_summary = partial(summary, "xiayi")


@lru_cache(maxsize=None)
def _followup() -> pd.DataFrame:
    shop = _shop()
    return first_purchase_followup(shop.orders, as_of=shop.today, windows=(WINDOW, 180))


# ---------------------------------------------------------------------------
# 规则名的集合（第 1、8 题）
# ---------------------------------------------------------------------------
def _tag_of(text: str) -> str:
    match = re.match(r"\s*【\s*([^】]+?)\s*】", text)
    return (match.group(1) if match else text.strip()).removesuffix("规则")


def _tags(answer, valid) -> tuple:
    """学生的答案 → 规则名的集合；不行时返回 (None, 说明)。答案可以是规则名、规则名的列表或检查函数的结果。"""
    if isinstance(answer, str):
        answer = [answer]
    if not isinstance(answer, (list, tuple, set, frozenset)):
        return None, f"应该是规则名组成的列表，例如 [\"{valid[0]}\"]（一条也没违反时写 []），你给的是 {type(answer).__name__}。"
    if not all(isinstance(a, str) for a in answer):
        return None, "列表里应该都是规则名（文字），例如 [\"" + valid[0] + "\"]。"
    tags = {_tag_of(a) for a in answer}
    unknown = sorted(tags - set(valid))
    if unknown:
        return None, f"没有叫“{unknown[0]}”的规则：规则名是 {'、'.join(valid)} 之一。"
    return tags, None


def _compare_tags(answer, expected, alternatives, valid, why_fine) -> Result:
    tags, problem = _tags(answer, valid)
    if problem:
        return Result(False, problem)
    want = set(expected())
    if tags == want:
        shown = "、".join(f"【{t}】" for t in valid if t in want) or "没有"
        return Result(True, f"违反的是{shown}。")
    for message, alt in alternatives.items():
        alt_tags = set(alt())
        if alt_tags != want and tags == alt_tags:
            return Result(False, message)
    extra = [t for t in valid if t in tags - want]
    if extra:
        return Result(False, f"【{extra[0]}】这条没有违反：{why_fine(extra[0])}。")
    return Result(False, f"还漏了 {len(want - tags)} 条被违反的规则：用检查函数再看一遍，每条问题开头【】里的字就是规则名。")


# ---------------------------------------------------------------------------
# q1 礼包违反了哪些规则
# ---------------------------------------------------------------------------
def _pack_tags(pack: GiftPack = BROKEN_PACK, rules=GIFT_RULES, existing=EXISTING) -> list:
    """礼包违反的规则名（例如 ["券种"]），由 check_gift_pack 的每条问题开头【】里的字取出。"""
    return [_tag_of(p) for p in check_gift_pack(pack, existing, rules)]


def broken_rules() -> list:
    """第 1 题的正确答案：BROKEN_PACK 违反的规则名。"""
    return _pack_tags()


def _new_denominations(pack: GiftPack = BROKEN_PACK) -> list:
    return sorted({c.face_fen for c in pack.coupons} - set(to_fen(list(EXISTING)).tolist()))


def _top_coupon(pack: GiftPack = BROKEN_PACK) -> Coupon:
    return max(pack.coupons, key=lambda c: c.face_fen)


_N_COUPONS = len(BROKEN_PACK.coupons)
_TOP = _top_coupon()
_NEW = _new_denominations()
_WRONG_KIND = next(i for i, c in enumerate(BROKEN_PACK.coupons, start=1) if c.kind != GIFT_RULES.coupon_kind)
M1_COUPONS = (f"礼包里正好 {_N_COUPONS} 张券：“最多 {GIFT_RULES.max_coupons} 张”含 {GIFT_RULES.max_coupons} 张；"
              "那份礼品另算，不占券的名额")
M1_FACE = (f"最大的一张券正好 {_TOP.face_value:g} 元：“面额最高 {GIFT_RULES.max_face_value:g} 元”"
           f"含 {GIFT_RULES.max_face_value:g} 元，没有超")
M1_HOURS = (f"礼包设在入会后 {BROKEN_PACK.issue_within_hours:g} 小时内发放：“{GIFT_RULES.max_issue_hours:g} 小时内”"
            f"含第 {GIFT_RULES.max_issue_hours:g} 小时，没有超")
M1_DENOM = (f"店里已有 {len(EXISTING)} 种面额，加上礼包的新面额 {'、'.join(f'{yuan_text(v)} 元' for v in _NEW)}后正好 "
            f"{len(EXISTING) + len(_NEW)} 种：“最多 {GIFT_RULES.max_denominations} 种”含 {GIFT_RULES.max_denominations} 种")
M1_KIND = (f"第 {_WRONG_KIND} 张是“{BROKEN_PACK.coupons[_WRONG_KIND - 1].kind}”：新会员礼包只能放"
           f"{GIFT_RULES.coupon_kind}，商品优惠券也不行")

Q1_MISREADINGS = [
    Misreading(M1_COUPONS, lambda: _pack_tags(rules=replace(GIFT_RULES, max_coupons=GIFT_RULES.max_coupons - 1)),
               "券数 ≤ 3（礼品不算券）"),
    Misreading(M1_FACE, lambda: _pack_tags(rules=replace(GIFT_RULES, max_face_value=GIFT_RULES.max_face_value - 0.01)),
               "面额 ≤ 100 元"),
    Misreading(M1_HOURS, lambda: _pack_tags(rules=replace(GIFT_RULES, max_issue_hours=GIFT_RULES.max_issue_hours - 0.01)),
               "入会后 ≤ 24 小时发放"),
    Misreading(M1_DENOM, lambda: _pack_tags(rules=replace(GIFT_RULES, max_denominations=GIFT_RULES.max_denominations - 1)),
               "面额种数（已有 + 新面额）≤ 50"),
    Misreading(M1_KIND, lambda: [t for t in broken_rules() if t != "券种"], "只能放店铺优惠券（商品优惠券不行）"),
]
# “只数礼包里的新面额、忘了店里已有的”：1 种 ≤ 50，和正确的数法一样不违反，答案不变，所以不列。


def _q1_fine(tag: str) -> str:
    return {"券数": M1_COUPONS, "面额": M1_FACE, "发放时间": M1_HOURS, "面额种数": M1_DENOM}.get(
        tag, f"礼包里有 {len(BROKEN_PACK.gifts)} 份礼品，没有超过 {GIFT_RULES.max_gifts} 份")


# ---------------------------------------------------------------------------
# q2 只改违规的地方
# ---------------------------------------------------------------------------
def fixed_pack() -> GiftPack:
    """第 2 题的正确答案：只把那张商品优惠券换成店铺优惠券，面额和门槛都不动。"""
    coupons = [replace(c, kind=GIFT_RULES.coupon_kind) for c in BROKEN_PACK.coupons]
    return replace(BROKEN_PACK, coupons=tuple(coupons))


def _with_coupon(index: int, **changes) -> GiftPack:
    coupons = list(fixed_pack().coupons)
    coupons[index] = replace(coupons[index], **changes)
    return replace(fixed_pack(), coupons=tuple(coupons))


def _existing_below(value: float) -> float:
    """店里已有面额中比 value 小的最大一个（学生把新面额换成已有面额时最可能选的）。"""
    return max(v for v in EXISTING if v < value)


_TOP_INDEX = BROKEN_PACK.coupons.index(_TOP)
_NEW_INDEX = next(i for i, c in enumerate(BROKEN_PACK.coupons) if c.face_fen in _NEW)
M2_DROPPED = (f"礼包最多 {GIFT_RULES.max_coupons} 张券，原来正好 {_N_COUPONS} 张，没有超：不用删券，"
              "只把违规的那一张换成店铺优惠券")
M2_FACE = (f"{_TOP.face_value:g} 元的那张券本来就合规（面额最高 {GIFT_RULES.max_face_value:g} 元，含 "
           f"{GIFT_RULES.max_face_value:g} 元）：不要改它的面额")
M2_HOURS = (f"发放时间 {BROKEN_PACK.issue_within_hours:g} 小时本来就合规（{GIFT_RULES.max_issue_hours:g} 小时内，"
            f"含 {GIFT_RULES.max_issue_hours:g} 小时）：不要改它")
M2_DENOM = (f"加上新面额后正好 {len(EXISTING) + len(_NEW)} 种，本来就合规（最多 {GIFT_RULES.max_denominations} 种，"
            f"含 {GIFT_RULES.max_denominations} 种）：不用把新面额换成店里已有的面额")
M2_KIND = f"第 {_WRONG_KIND} 张还是“{BROKEN_PACK.coupons[_WRONG_KIND - 1].kind}”：把它的种类改成{GIFT_RULES.coupon_kind}"

Q2_MISREADINGS = [
    Misreading(M2_DROPPED, lambda: replace(fixed_pack(), coupons=tuple(
        c for i, c in enumerate(fixed_pack().coupons) if i != _WRONG_KIND - 1)), "券数 ≤ 3"),
    Misreading(M2_FACE, lambda: _with_coupon(_TOP_INDEX, face_value=_TOP.face_value - 1), "面额 ≤ 100 元"),
    Misreading(M2_HOURS, lambda: replace(fixed_pack(), issue_within_hours=BROKEN_PACK.issue_within_hours - 1),
               "入会后 ≤ 24 小时发放"),
    Misreading(M2_DENOM, lambda: _with_coupon(_NEW_INDEX, face_value=_existing_below(
        BROKEN_PACK.coupons[_NEW_INDEX].face_value)), "面额种数 ≤ 50"),
    Misreading(M2_KIND, lambda: BROKEN_PACK, "只能放店铺优惠券"),
]


def _is_five_no_threshold(c: Coupon) -> bool:
    return c.face_fen == 500 and c.threshold == 0 and c.kind == GIFT_RULES.coupon_kind


def _check_q2(answers, namespace):
    pack = answers["q2_pack"]
    if isinstance(pack, list):
        return Result(False, "你给的是一个列表：请赋值为改好的礼包 GiftPack(...)，而不是检查结果。")
    if not isinstance(pack, GiftPack):
        return Result(False, f"应该是一个 GiftPack(...)（改好的礼包），你给的是 {type(pack).__name__}。")
    if len(pack.coupons) < _N_COUPONS:
        return Result(False, M2_DROPPED + "。")
    if pack.issue_within_hours != BROKEN_PACK.issue_within_hours:
        return Result(False, M2_HOURS + "。")
    got = {(c.face_fen, c.threshold) for c in pack.coupons}
    if (_TOP.face_fen, _TOP.threshold) not in got:
        return Result(False, M2_FACE + "。")
    new = BROKEN_PACK.coupons[_NEW_INDEX]
    if (new.face_fen, new.threshold) not in got:
        return Result(False, M2_DENOM + "。")
    if any(c.kind == BROKEN_PACK.coupons[_WRONG_KIND - 1].kind for c in pack.coupons):
        return Result(False, M2_KIND + "。")
    problems = check_gift_pack(pack, EXISTING)
    if problems:
        return Result(False, "还有不符合平台规则的地方（店里已有的面额不能删，别的活动还在用）：\n" + "\n".join(problems))
    if not any(_is_five_no_threshold(c) for c in pack.coupons):
        return Result(False, "新会员专享的 5 元无门槛店铺优惠券不见了：任务训练要求礼包里有这张券。")
    if len(pack.gifts) != 1:
        return Result(False, "任务训练要求礼包里有一份新会员专享礼：你的礼包里没有礼品。")
    return Result(True, "只改了违规的那一处，礼包符合全部平台规则：" + "；".join(c.describe() for c in pack.coupons)
                  + f"；{pack.gifts[0]}。")


# ---------------------------------------------------------------------------
# q3 5 元无门槛券
# ---------------------------------------------------------------------------
M3_FEN = "面额以元为单位：5 元写 5，不是 500（那是分）"
M3_THRESHOLD = "threshold 是使用门槛（满多少元才能用）：无门槛就是 0，不是 5"
M3_KIND = f"新会员礼包只能放{GIFT_RULES.coupon_kind}，商品优惠券不行：kind 不写就是{GIFT_RULES.coupon_kind}"
Q3_MISREADINGS = [
    Misreading(M3_FEN, lambda: Coupon(500, name="新会员专享券"), "面额单位：元"),
    Misreading(M3_THRESHOLD, lambda: Coupon(5, threshold=5, name="新会员专享券"), "无门槛 = 门槛 0 元"),
    Misreading(M3_KIND, lambda: Coupon(5, kind="商品优惠券", name="新会员专享券"), "只能放店铺优惠券"),
]


def _check_q3(answers, namespace):
    c = answers["q3_coupon"]
    if isinstance(c, (int, float)) and not isinstance(c, bool):
        return Result(False, f"你给的是一个数（{c:g}）：请写成一张券 Coupon(5, name=\"新会员专享券\")。")
    if isinstance(c, str):
        return Result(False, "你给的是文字：请写成一张券 Coupon(5, name=\"新会员专享券\")，它能检查面额和门槛。")
    if not isinstance(c, Coupon):
        return Result(False, f"应该是一张券 Coupon(...)，你给的是 {type(c).__name__}。")
    if c.face_fen == to_fen(500):
        return Result(False, M3_FEN + "。")
    if c.face_fen != 500:
        return Result(False, f"面额应是 5 元，你写的是 {c.face_value:g} 元。")
    if c.threshold == c.face_value:
        return Result(False, M3_THRESHOLD + "。")
    if c.threshold != 0:
        return Result(False, f"这张券有门槛（满 {c.threshold:g} 元才能用），任务要求无门槛：threshold=0（不写就是 0）。")
    if c.kind != GIFT_RULES.coupon_kind:
        return Result(False, M3_KIND + f"（你的券是“{c.kind}”）。")
    return Result(True, c.describe() + "。")


# ---------------------------------------------------------------------------
# q4 四张会员卡（PNG 文件）
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def card_size() -> tuple:
    """membership_card(...).savefig(...) 存出的 PNG 的宽、高（像素），当场存一张到内存里量出来。"""
    buffer = io.BytesIO()
    membership_card(TEXTBOOK_VIP_TIERS[0], 1).savefig(buffer, format="png")
    return _png_size(buffer.getvalue())


def _png_size(data):
    """PNG 文件头里写的宽、高（像素）；不是 PNG 时返回 None。data 是文件路径或字节。"""
    if not isinstance(data, bytes):
        with open(data, "rb") as fh:
            data = fh.read(24)
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return tuple(struct.unpack(">II", data[16:24]))


@lru_cache(maxsize=None)
def _saved_cards(way: str = "对") -> tuple:
    """按某种做法把会员卡存进一个临时文件夹，返回文件路径（正确答案和误读的答案都用它）。"""
    folder = Path(tempfile.mkdtemp(prefix="crm-ch06-cards-"))
    if way == "拼成一张":
        path = folder / "会员卡.png"
        membership_cards(TEXTBOOK_VIP_TIERS, shop_name=SHOP_NAME).savefig(path)
        return (path,)
    tiers = list(enumerate(TEXTBOOK_VIP_TIERS, start=1))
    if way == "少一张":
        tiers = [(n, t) for n, t in tiers if n in range(1, len(TEXTBOOK_VIP_TIERS))]   # range(1, 4) 只到 3
    paths = []
    for number, tier in tiers:
        path = folder / (f"card{number}.png" if way == "没写等级名" else f"VIP{number}_{tier.name}.png")
        options = {"dpi": 200} if way == "改了分辨率" else {}
        membership_card(tier, number, shop_name=SHOP_NAME).savefig(path, **options)
        paths.append(path)
    return tuple(paths)


M4_COMBINED = "你存的是四张卡拼在一起的一张大图（membership_cards）：会员中心要每个等级单独一张，用 membership_card 一张一张存"
M4_THREE = (f"少了一张：{len(TEXTBOOK_VIP_TIERS)} 个等级 VIP1–VIP{len(TEXTBOOK_VIP_TIERS)} 各一张"
            f"（range 的结尾不含：要写 range(1, {len(TEXTBOOK_VIP_TIERS) + 1})，或者直接循环 enumerate(TEXTBOOK_VIP_TIERS, start=1)）")
M4_SIZE = "图片的像素不对：savefig 时不要改 dpi，会员中心要 membership_card 原本的大小"
M4_NAMES = (f"没有一张卡的文件名里有“{TEXTBOOK_VIP_TIERS[0].name}”：请按等级给文件起名，"
            f"例如 VIP1_{TEXTBOOK_VIP_TIERS[0].name}.png")
Q4_MISREADINGS = [
    Misreading(M4_COMBINED, lambda: list(_saved_cards("拼成一张")), "每个等级一个文件"),
    Misreading(M4_THREE, lambda: list(_saved_cards("少一张")), "四个等级 VIP1–VIP4 都要有"),
    Misreading(M4_SIZE, lambda: list(_saved_cards("改了分辨率")), "图片大小 = membership_card 的原始像素"),
    Misreading(M4_NAMES, lambda: list(_saved_cards("没写等级名")), "文件名含等级名"),
]


def _check_q4(answers, namespace):
    files = answers["q4_files"]
    if hasattr(files, "savefig"):
        return Result(False, "你给的是一张图（Figure）：请把四张卡分别存成 PNG 文件（.savefig(路径)），"
                             "再把四个文件路径组成的列表赋给 q4_files。")
    if isinstance(files, (str, Path)):
        return Result(False, "你只给了一个路径：请把四张卡的文件路径放进一个列表。")
    if not isinstance(files, (list, tuple)):
        return Result(False, f"应该是四个文件路径组成的列表，你给的是 {type(files).__name__}。")
    names = [t.name for t in TEXTBOOK_VIP_TIERS]
    paths = [Path(str(p)) for p in files]
    missing = [p.as_posix() for p in paths if not p.is_file()]
    if missing:
        return Result(False, f"找不到文件 {missing[0]}：是不是还没有 savefig，或者路径写错了？")
    want = card_size()
    sizes = [_png_size(p) for p in paths]
    if len(paths) == 1 and sizes[0] is not None and sizes[0] != want:
        return Result(False, M4_COMBINED + "。")
    if len(paths) == len(names) - 1:
        return Result(False, M4_THREE + "。")
    if len(paths) != len(names):
        return Result(False, f"每个等级一张卡，一共 {len(names)} 张；你给了 {len(paths)} 个文件。")
    for p, size in zip(paths, sizes):
        if size is None:
            return Result(False, f"{p.name} 不是 PNG 图片：文件名以 .png 结尾，savefig 就会存成 PNG。")
        if size != want:
            return Result(False, M4_SIZE + f"（{p.name} 是 {size[0]} × {size[1]} 像素，应为 {want[0]} × {want[1]}）。")
    if not any(names[0] in p.name for p in paths):
        return Result(False, M4_NAMES + "。")
    for name in names[1:]:
        if not any(name in p.name for p in paths):
            return Result(False, f"没有一张卡的文件名里有“{name}”：每个等级一张，文件名里写上等级名。")
    return Result(True, f"{len(paths)} 张会员卡，每张 {want[0]} × {want[1]} 像素。")


# ---------------------------------------------------------------------------
# q5 聚划算新客首单后 60 天内又下单的人数
# ---------------------------------------------------------------------------
def _cohort_ids(start: str = JHS_START, end: str = JHS_END) -> pd.Index:
    f = _followup()["first_order"]
    return f.index[(f >= start) & (f <= end)]


def jhs_back(window: int = WINDOW, strict: bool = False, cohort: str = "聚划算新客",
             start: str = JHS_START, end: str = JHS_END) -> int:
    """首单在 [start, end] 的新客（或全部新客）中，首单之后 window 天内又下单的人数；strict=True 时按 < window 天。"""
    fu = _followup()
    if cohort == "回来过":
        return int(fu.loc[_cohort_ids(start, end), "next_order"].notna().sum())
    gap = fu["days_to_next"] if cohort == "全部新客" else fu.loc[_cohort_ids(start, end), "days_to_next"]
    hit = (gap < window) if strict else (gap <= window)
    return int(hit.fillna(False).astype(bool).sum())


def jhs_rate_180() -> float:
    """聚划算新客首单后 180 天内的复购率（章节测试的填数题；他们都能完整观察 180 天）。"""
    return jhs_back(180) / len(_cohort_ids())


def _day_after(day: str) -> str:
    return str((pd.Timestamp(day) + pd.Timedelta(days=1)).date())


def _day_before(day: str) -> str:
    return str((pd.Timestamp(day) - pd.Timedelta(days=1)).date())


Q5_MISREADINGS = [
    Misreading(f"你用了“< {WINDOW} 天”：首单之后 {WINDOW} 天之内（含第 {WINDOW} 天）再下单都算复购",
               lambda: jhs_back(strict=True), f"首单之后 ≤ {WINDOW} 天"),
    Misreading(f"你多算了一天：第 {WINDOW + 1} 天才回来的客户不在 {WINDOW} 天之内",
               lambda: jhs_back(WINDOW + 1), f"首单之后 ≤ {WINDOW} 天（不是 {WINDOW + 1} 天）"),
    Misreading(f"你漏掉了首单在 {JHS_START}（团购第一天）的客户：团购的日期两端都含",
               lambda: jhs_back(start=_day_after(JHS_START)), f"首单 ≥ {JHS_START}"),
    Misreading(f"你漏掉了首单在 {JHS_END}（团购最后一天）的客户：团购的日期两端都含",
               lambda: jhs_back(end=_day_before(JHS_END)), f"首单 ≤ {JHS_END}"),
    Misreading(f"这是全部新客（不只是聚划算新客）里 {WINDOW} 天内复购的人数",
               lambda: jhs_back(cohort="全部新客"), "只看聚划算新客"),
    Misreading(f"这是到今天为止回来过的人数，没有限定首单后 {WINDOW} 天之内",
               lambda: jhs_back(cohort="回来过"), f"限定 {WINDOW} 天窗口"),
    Misreading(f"这是 180 天内复购的人数，题目问的是 {WINDOW} 天", lambda: jhs_back(180), f"窗口是 {WINDOW} 天"),
]
# “首单当天的第二笔也算复购”：聚划算新客里没有人在首单当天下过两单，答案不变，所以不列。


# ---------------------------------------------------------------------------
# q6 双11 期间首单的新客
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def d11_new(reading: str = "首单", start: str = D11_START, end: str = D11_END) -> frozenset:
    """首单在 [start, end]（两端都含）的客户；reading 用来算“误读”。"""
    shop = _shop()
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    if reading == "下过单":
        o = shop.orders
        return frozenset(o.loc[(o["order_time"] >= lo) & (o["order_time"] < hi + pd.Timedelta(days=1)), "customer_id"])
    if reading == "注册":
        c = shop.customers
        return frozenset(c.loc[(c["register_date"] >= lo) & (c["register_date"] <= hi), "customer_id"])
    f = _followup()["first_order"]
    return frozenset(f.index[(f >= lo) & (f <= hi)])


Q6_MISREADINGS = [
    Misreading("你漏掉了 11 月 11 日当天第一次下单的客户：日期两端都含，双11 当天正是新客最多的一天",
               lambda: d11_new(end=_day_before(D11_END)), f"首单 ≤ {D11_END}"),
    Misreading("你漏掉了 11 月 1 日当天第一次下单的客户：日期两端都含",
               lambda: d11_new(start=_day_after(D11_START)), f"首单 ≥ {D11_START}"),
    Misreading("你选的是这段时间下过单的全部客户，里面有很多老客户：题目要的是首单（第一次下单）在这段时间的新客",
               lambda: d11_new("下过单"), "首单（不是任意一单）"),
    Misreading("你用的是 register_date（成为本店客户的日期，可能是关注或领券的日子）：题目看的是第一次下单的日期",
               lambda: d11_new("注册"), "首单日期（不是注册日期）"),
]


# ---------------------------------------------------------------------------
# q7 欢迎短信的总费用
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _welcome_plan(reading: str = "对"):
    ids = sorted(d11_new(end=_day_before(D11_END)) if reading == "漏了双11当天" else d11_new())
    audience = _summary().loc[ids]
    if reading == "没去掉":
        audience = audience.assign(sms_opt_out=False, phone="13800000000")   # 当作人人都能发
    return plan_sms(audience, WELCOME_TEXT, SHOP_NAME, price=SMS_PRICE)


def welcome_cost() -> float:
    """给双11 新客发欢迎短信的总费用（元）：去掉已退订和没留手机号的客户，按计费条数算。"""
    return _welcome_plan().cost


Q7_MISREADINGS = [
    Misreading("你按每人 1 条算了：这条短信加上签名、昵称和“回T退订”超过 70 个字，长短信每 67 个字算 1 条",
               lambda: round(_welcome_plan().recipients * SMS_PRICE, 2), "长短信按 67 字一条计费"),
    Misreading("你没有去掉已退订和没留手机号的客户：营销短信不能发给他们，plan_sms 会自动去掉",
               lambda: _welcome_plan("没去掉").cost, "去掉已退订、没有手机号的客户"),
    Misreading("你漏掉了 11 月 11 日当天第一次下单的新客：第 6 题的日期两端都含",
               lambda: _welcome_plan("漏了双11当天").cost, f"首单 ≤ {D11_END}"),
    Misreading("这是平均每位收件人的费用：题目要的是发给全部收件人的总费用",
               lambda: round(_welcome_plan().cost / _welcome_plan().recipients, 2), "总费用（不是人均）"),
]
# “长短信按 70 字一条算”：每位客户的这条短信都不超过 134 字，按 67 字或 70 字切条数一样，答案不变，所以不列。


# ---------------------------------------------------------------------------
# q8 拼团设置违反了哪些规则
# ---------------------------------------------------------------------------
def _gb_tags(setting: GroupBuy = GB_SETTING, rules=GB_RULES, others=GB_OTHERS, previous=GB_SAVED) -> list:
    return [_tag_of(p) for p in setting.problems(others, previous=previous, rules=rules)]


def gb_broken_rules() -> list:
    """第 8 题的正确答案：GB_SETTING 违反的规则名。"""
    return _gb_tags()


_ONE_SECOND_DAYS = 1 / 86400
_FULL_SKU = next(s for s in GB_SETTING.skus if s.campaign_stock == s.normal_stock)
_RELEASED = sorted(GB_OTHERS[0].withdrawn)[0]
M8_NAME = (f"活动名称正好 {len(GB_NAME)} 个字：“最多 {GB_RULES.max_name_chars} 个字”含 {GB_RULES.max_name_chars} 个")
M8_DAYS = (f"活动正好 {GB_SETTING.duration.days} 天（太平洋时间的同一钟点）：“最长 {GB_RULES.max_days} 天”"
           f"含 {GB_RULES.max_days} 天")
M8_DISCOUNT = (f"折扣正好 {GB_SETTING.discount:g}%：折扣范围 {GB_RULES.min_discount:g}%–{GB_RULES.max_discount:g}% "
               "两端都可以")
M8_STOCK = (f"{_FULL_SKU.label} 的活动库存正好等于正常库存（{_FULL_SKU.normal_stock} 件）：活动库存不超过正常库存就行，"
            "可以相等")
M8_RELEASED = (f"“{_RELEASED}”已经从“{GB_OTHERS[0].name}”里退出了：退出之后就可以参加别的拼团，"
               "不用等那场活动结束")
M8_TYPE = (f"这场活动保存时是{GB_SAVED.group_type}，现在改成了{GB_SETTING.group_type}：拼团类型设置后不能修改"
           "（检查时把上一次保存的设置传给 previous）")

Q8_MISREADINGS = [
    Misreading(M8_NAME, lambda: _gb_tags(rules=replace(GB_RULES, max_name_chars=GB_RULES.max_name_chars - 1)),
               "名称 ≤ 32 个字"),
    Misreading(M8_DAYS, lambda: _gb_tags(rules=replace(GB_RULES, max_days=GB_RULES.max_days - _ONE_SECOND_DAYS)),
               "时长 ≤ 180 天"),
    Misreading(M8_DISCOUNT, lambda: _gb_tags(rules=replace(GB_RULES, min_discount=GB_RULES.min_discount + 0.001)),
               "折扣 ≥ 5%"),
    Misreading(M8_STOCK, lambda: _gb_tags(setting=replace(GB_SETTING, skus=tuple(
        replace(s, normal_stock=s.normal_stock - 1) for s in GB_SETTING.skus))), "活动库存 ≤ 正常库存"),
    Misreading(M8_RELEASED, lambda: _gb_tags(others=tuple(replace(o, withdrawn=frozenset()) for o in GB_OTHERS)),
               "退出活动的商品已释放"),
    Misreading(M8_TYPE, lambda: _gb_tags(previous=None), "类型设置后不能改"),
]
# “180 天按实际经过的小时算”：这场活动跨过 3 月的夏令时开始，实际只经过 179 天 23 小时，同样不超，答案不变，所以不列。


def _q8_fine(tag: str) -> str:
    return {"名称": M8_NAME, "时长": M8_DAYS, "折扣": M8_DISCOUNT, "库存": M8_STOCK, "商品": M8_RELEASED}.get(
        tag, "开始、结束时间都是太平洋时间里真实存在的钟点，结束晚于开始")


# ---------------------------------------------------------------------------
# 时间答案（第 9、10 题）
# ---------------------------------------------------------------------------
def _wall(value: dt.datetime) -> str:
    return format_time(value)


def _parse_answer(value, zone, zone_name: str, var: str):
    """学生写的时间 → 这个时区的钟点文字；不行时返回 (None, 说明)。"""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None, f"{var} 应该是一个时刻，例如 \"2019-10-26 08:00\"，你给的是数 {value:g}。"
    try:
        moment = parse_time(value, zone, var)
    except ValueError as exc:
        return None, str(exc)
    if isinstance(value, (dt.datetime, pd.Timestamp)) and value.tzinfo is not None:
        original = value if isinstance(value, dt.datetime) else value.to_pydatetime()
        if original.utcoffset() != moment.utcoffset():
            return None, (f"{var} 带着时区（{zone_label(original)}）：题目要的是{zone_name}，"
                          f"请换算成{zone_name}再写。")
    return _wall(moment), None


def _compare_times(answers: dict, expected: dict, misreadings, zone, zone_name: str) -> Result:
    got = {}
    for var in expected:
        text, problem = _parse_answer(answers[var], zone, zone_name, var)
        if problem:
            return Result(False, problem)
        got[var] = text
    want = {var: _wall(parse_time(v, zone)) for var, v in expected.items()}
    if got == want:
        return Result(True, "；".join(f"{var} = {zone_name} {text}" for var, text in got.items()) + "。")
    for m in misreadings:
        alt = {var: _wall(parse_time(v, zone)) for var, v in m.answer().items()}
        if alt != want and alt == got:
            return Result(False, m.message + "。")
    wrong = [var for var in want if got[var] != want[var]]
    parts = [f"{var} {'偏早' if got[var] < want[var] else '偏晚'}（你的是 {got[var]}）" for var in wrong]
    return Result(False, "；".join(parts) + "。")


# ---------------------------------------------------------------------------
# q9 拼团在北京时间几点开始、几点结束
# ---------------------------------------------------------------------------
def _beijing_text(moment: dt.datetime) -> str:
    return _wall(to_beijing(moment))


def autumn_beijing() -> dict:
    """第 9 题的正确答案：AUTUMN 的开始、结束时刻换成北京时间。"""
    return {"q9_start": _beijing_text(AUTUMN.start), "q9_end": _beijing_text(AUTUMN.end)}


def _shifted(hours_start: float, hours_end: float) -> dict:
    """把太平洋时间的钟点直接加上固定的小时数（不看夏令时）。"""
    naive = lambda t, h: _wall(t.replace(tzinfo=None) + dt.timedelta(hours=h))  # noqa: E731
    return {"q9_start": naive(AUTUMN.start, hours_start), "q9_end": naive(AUTUMN.end, hours_end)}


def _gap_hours(moment: dt.datetime) -> float:
    """这一刻北京比太平洋快几个小时（夏令时 15，冬令时 16），由时区数据算出。"""
    return (to_beijing(moment).utcoffset() - moment.utcoffset()).total_seconds() / 3600


_GAP_START, _GAP_END = _gap_hours(AUTUMN.start), _gap_hours(AUTUMN.end)
Q9_MISREADINGS = [
    Misreading("你写的还是太平洋时间：平台后台的钟点是美国太平洋时间，要换算成北京时间",
               lambda: _shifted(0, 0), "后台时间 = 太平洋时间"),
    Misreading(f"你两头都加了 {_GAP_START:g} 小时：活动中途夏令时结束，结束时刻北京比太平洋快 {_GAP_END:g} 小时",
               lambda: _shifted(_GAP_START, _GAP_START), "夏令时：开始时差"),
    Misreading(f"你两头都加了 {_GAP_END:g} 小时：开始时还是夏令时，那时北京只比太平洋快 {_GAP_START:g} 小时",
               lambda: _shifted(_GAP_END, _GAP_END), "夏令时：结束时差"),
    Misreading("你把时差减掉了：北京在太平洋时间的前面，北京时间要更晚（加上时差）",
               lambda: _shifted(-_GAP_START, -_GAP_END), "换算方向：北京比太平洋快"),
    Misreading("这是协调世界时（UTC）：北京时间是 UTC+8，还要再加 8 小时",
               lambda: {"q9_start": _wall(AUTUMN.start.astimezone(UTC)), "q9_end": _wall(AUTUMN.end.astimezone(UTC))},
               "北京时间 = UTC+8"),
]


def _check_q9(answers, namespace):
    return _compare_times(answers, autumn_beijing(), Q9_MISREADINGS, BEIJING, "北京时间")


# ---------------------------------------------------------------------------
# q10 两个团最晚什么时候成团（太平洋时间）
# ---------------------------------------------------------------------------
def q10_deadlines() -> dict:
    """第 10 题的正确答案：两个团的截止时刻 min(开团 + 24 小时, 活动结束)，太平洋时间。"""
    return {"q10_a": _wall(group_deadline(Q10_OPEN_A, Q10_END)), "q10_b": _wall(group_deadline(Q10_OPEN_B, Q10_END))}


def _timer_only(opened: str) -> str:
    """只算开团 + 24 小时（实际经过的时间），不看活动结束。"""
    return _wall((parse_time(opened).astimezone(UTC) + dt.timedelta(hours=GB_RULES.fill_hours)).astimezone(PACIFIC))


def _wall_clock_deadline(opened: str) -> str:
    """钟面上加 24 小时（Python 同一时区的 datetime 相加就是这样），再和活动结束比。"""
    wall = parse_time(opened) + dt.timedelta(hours=GB_RULES.fill_hours)
    return _wall(min(wall, parse_time(Q10_END)))


Q10_MISREADINGS = [
    Misreading("团 B 开团时离活动结束已经不到 24 小时：截止时刻是“开团 + 24 小时”和“活动结束”里更早的那个",
               lambda: {"q10_a": q10_deadlines()["q10_a"], "q10_b": _timer_only(Q10_OPEN_B)}, "截止 ≤ 活动结束"),
    Misreading("团 A 的 24 小时里夏令时结束了，钟往回拨了 1 小时：24 小时按实际经过的时间算，钟面上只过了 23 小时"
               "（同一时区的 datetime 直接加 timedelta 是按钟面算的，用 group_deadline）",
               lambda: {"q10_a": _wall_clock_deadline(Q10_OPEN_A), "q10_b": q10_deadlines()["q10_b"]},
               "24 小时 = 实际经过的时间（跨夏令时）"),
    Misreading("你写的是北京时间：这道题要太平洋时间（平台后台的时间）",
               lambda: {var: _wall(to_beijing(parse_time(v))) for var, v in q10_deadlines().items()},
               "答案用太平洋时间"),
    Misreading("团 A 离活动结束还早：开团后 24 小时内没成团就失败，不是等到活动结束",
               lambda: {"q10_a": _wall(parse_time(Q10_END)), "q10_b": _wall(parse_time(Q10_END))}, "24 小时成团时限"),
]


def _check_q10(answers, namespace):
    return _compare_times(answers, q10_deadlines(), Q10_MISREADINGS, PACIFIC, "太平洋时间")


# ---------------------------------------------------------------------------
# 题目
# ---------------------------------------------------------------------------
QUESTIONS = [
    Question(
        "q1", points=2, variables="q1_rules",
        title="任务训练：礼包 原礼包 违反了哪些平台规则（规则名的列表）",
        evaluate=lambda answers, ns: _compare_tags(answers["q1_rules"], broken_rules,
                                                   {m.message: m.answer for m in Q1_MISREADINGS}, RULE_TAGS, _q1_fine),
        expected=broken_rules, misreadings=Q1_MISREADINGS,
        hint=("用第 5 节的礼包检查函数，把 原礼包 和 已有面额 交给它；每条问题开头【】里的字就是规则名。"
              "自己数的时候注意：最多 3 张、最高 100 元、24 小时内、最多 50 种，都含边界本身。",
              "problems = check_gift_pack(原礼包, 已有面额)，再写 q1_rules = [\"…\"]，"
              "把每条问题【】里的规则名放进列表（也可以直接 q1_rules = problems）。"),
        solution="problems = check_gift_pack(原礼包, 已有面额)\nprint(problems)\nq1_rules = [\"券种\"]",
    ),
    Question(
        "q2", points=3, variables="q2_pack", evaluate=_check_q2, expected=fixed_pack, misreadings=Q2_MISREADINGS,
        title="任务训练：只改违规的地方，改好这个礼包",
        hint=("只有第 1 题找到的那一条规则被违反；其余各项都正好在边界上，是合规的，一项也不要动。",
              "把那张券的 kind 改成 \"店铺优惠券\"，面额和门槛不变；其余照抄 原礼包，"
              "再用 check_gift_pack(q2_pack, 已有面额) 检查，结果应是 []。"),
        solution=("q2_pack = GiftPack(\n"
                  "    coupons=[Coupon(5, name=\"新会员专享券\"), Coupon(66, threshold=699), Coupon(100, threshold=999)],\n"
                  "    gifts=[\"新会员专享礼：羊毛贝雷帽一顶\"],\n"
                  "    issue_within_hours=24,\n"
                  ")\n"
                  "check_gift_pack(q2_pack, 已有面额)  # 应是 []"),
    ),
    Question(
        "q3", points=1, variables="q3_coupon", evaluate=_check_q3, misreadings=Q3_MISREADINGS,
        expected=lambda: Coupon(5, name="新会员专享券"),
        title="任务训练：新会员专享的 5 元无门槛券",
        hint=("一张券用 Coupon 写：面额以元为单位，“无门槛”就是使用门槛为 0，种类要是店铺优惠券。",
              "Coupon(面额, threshold=门槛, kind=种类, name=名字)；threshold 和 kind 不写就是 0 和 \"店铺优惠券\"。"),
        solution="q3_coupon = Coupon(5, name=\"新会员专享券\")\nprint(q3_coupon.describe())",
    ),
    Question(
        "q4", points=2, variables="q4_files", evaluate=_check_q4, misreadings=Q4_MISREADINGS,
        expected=lambda: list(_saved_cards()),
        title="任务训练：四个等级的手机端会员卡，存成 PNG 文件",
        hint=("四个等级各画一张卡、各存一个文件，文件名里写上等级名；用的是画单张卡的 membership_card，保存时不改大小。",
              "for number, tier in enumerate(TEXTBOOK_VIP_TIERS, start=1): 用 membership_card(tier, number, "
              "shop_name=\"夏艺女装\") 画卡，.savefig(文件夹 / f\"VIP{number}_{tier.name}.png\")，把路径收进列表。"),
        solution=("card_dir = Path(\"outputs\") / \"会员卡\"\n"
                  "card_dir.mkdir(parents=True, exist_ok=True)\n"
                  "q4_files = []\n"
                  "for number, tier in enumerate(TEXTBOOK_VIP_TIERS, start=1):  # 循环的是 4 个等级\n"
                  "    path = card_dir / f\"VIP{number}_{tier.name}.png\"\n"
                  "    membership_card(tier, number, shop_name=\"夏艺女装\").savefig(path)\n"
                  "    q4_files.append(path)"),
    ),
    Question(
        "q5", points=2, variables="q5_back", expected=jhs_back, misreadings=Q5_MISREADINGS,
        compare=partial(compare_number, tolerance=0, unit="位"),
        title="聚划算新客里，首单之后 60 天内又下单的有多少位",
        hint=("用第 06 课的首购跟进表，把窗口换成 60 天；只看首单在团购那几天（两端都含）的客户，"
              "“60 天之内”含第 60 天、不算首单当天。",
              "first_purchase_followup(shop.orders, as_of=TODAY, windows=(60,)) 给出 repurchase_60；"
              "用 .between(\"2018-01-05\", \"2018-01-09\") 选出聚划算新客，再数一数 True。"),
        solution=("followup = first_purchase_followup(shop.orders, as_of=TODAY, windows=(60,))\n"
                  "jhs = followup[followup[\"first_order\"].between(\"2018-01-05\", \"2018-01-09\")]\n"
                  "q5_back = int(jhs[\"repurchase_60\"].sum())\n"
                  "print(f\"{q5_back} 位，占聚划算新客的 {q5_back / len(jhs):.1%}\")"),
    ),
    Question(
        "q6", points=3, variables="q6_new", expected=d11_new, misreadings=Q6_MISREADINGS,
        compare=compare_customer_sets,
        title="首单在 2018-11-01 至 2018-11-11（两端都含）的新客",
        hint=("看每位买家的首单日期，不是他们的全部订单，也不是注册日期；两端的 11 月 1 日和 11 月 11 日都要算进去。",
              "first_purchase_followup 的 first_order 是首单日期（零点）；"
              "followup[followup[\"first_order\"].between(\"2018-11-01\", \"2018-11-11\")]。"),
        solution=("first = followup[\"first_order\"]\n"
                  "q6_new = followup[first.between(\"2018-11-01\", \"2018-11-11\")]"),
    ),
    Question(
        "q7", points=2, variables="q7_cost", expected=welcome_cost, misreadings=Q7_MISREADINGS,
        compare=partial(compare_number, unit="元"),
        title="给这些新客发欢迎短信（变量 欢迎短信）的总费用（元，每条 0.05 元）",
        hint=("用短信发送计划：它会加签名和退订提示、去掉已退订和没有手机号的客户、按计费条数算钱；要的是总费用。",
              "plan_sms(summary.loc[q6_new.index], 欢迎短信, \"夏艺女装\", price=0.05) 的 .cost 就是总费用。"),
        solution=("welcome = plan_sms(summary.loc[q6_new.index], 欢迎短信, \"夏艺女装\", price=0.05)\n"
                  "q7_cost = welcome.cost"),
    ),
    Question(
        "q8", points=2, variables="q8_rules",
        title="拼团：设置 拼团设置 违反了哪些平台规则（规则名的列表）",
        evaluate=lambda answers, ns: _compare_tags(answers["q8_rules"], gb_broken_rules,
                                                   {m.message: m.answer for m in Q8_MISREADINGS}, GB_TAGS, _q8_fine),
        expected=gb_broken_rules, misreadings=Q8_MISREADINGS,
        hint=("用拼团设置的检查方法，把店里的其他活动和这场活动上一次保存的设置都交给它；"
              "自己数的时候注意：32 个字、180 天、5% 和 99%、等于正常库存，都含边界本身。",
              "拼团设置.problems(其他活动, previous=上次保存的设置)，把每条问题【】里的规则名放进列表。"),
        solution=("problems = 拼团设置.problems(其他活动, previous=上次保存的设置)\n"
                  "print(problems)\n"
                  "q8_rules = [\"类型\"]"),
    ),
    Question(
        "q9", points=2, variables=("q9_start", "q9_end"), evaluate=_check_q9, expected=autumn_beijing,
        misreadings=Q9_MISREADINGS,
        title="拼团：活动 黑五拼团 在北京时间几点开始、几点结束",
        hint=("后台的钟点是美国太平洋时间；这场活动中途夏令时结束，开始和结束时北京比太平洋快的小时数不一样，"
              "让时区数据去换算，不要手加固定的小时数。",
              "to_beijing(黑五拼团.start) 和 to_beijing(黑五拼团.end)，"
              "再用 .strftime(\"%Y-%m-%d %H:%M\") 写成文字（也可以直接交 datetime）。"),
        solution=("q9_start = to_beijing(黑五拼团.start).strftime(\"%Y-%m-%d %H:%M\")\n"
                  "q9_end = to_beijing(黑五拼团.end).strftime(\"%Y-%m-%d %H:%M\")\n"
                  "print(q9_start, q9_end)"),
    ),
    Question(
        "q10", points=2, variables=("q10_a", "q10_b"), evaluate=_check_q10, expected=q10_deadlines,
        misreadings=Q10_MISREADINGS,
        title="拼团：团 A、团 B 最晚什么时候成团，过了这一刻还没满员就失败（太平洋时间）",
        hint=("截止时刻是“开团 + 24 小时”和“活动结束”里更早的那个；24 小时是实际经过的时间，"
              "跨过夏令时结束时，钟面上只走 23 小时。",
              "group_deadline(开团时刻, 活动结束) 返回太平洋时间；"
              "再用 .strftime(\"%Y-%m-%d %H:%M:%S\") 写成文字（也可以直接交 datetime）。"),
        solution=("q10_a = group_deadline(团A开团, 活动结束).strftime(\"%Y-%m-%d %H:%M:%S\")\n"
                  "q10_b = group_deadline(团B开团, 活动结束).strftime(\"%Y-%m-%d %H:%M:%S\")\n"
                  "print(q10_a, q10_b)"),
    ),
    QuizQuestion("q11", chapter="06", qid="q10", variable="q11_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, …, q11 = ch06.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

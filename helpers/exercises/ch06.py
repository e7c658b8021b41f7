"""第 06 章 新会员营销（夏艺女装，今天 = 2018-12-10）的练习题。

练习本第一个代码单元格::

    from helpers.exercises import ch06
    q1, q2, q3, q4, q5, q6, q7, q8 = ch06.setup(globals())

任务训练（教材任务二）：
- q1：一个新会员礼包违反了一条平台规则，是哪一条（q1_rule）；
- q2：改好这个礼包（q2_pack）；
- q3：新会员专享的 5 元无门槛券（q3_coupon）；
- q4：四张手机端会员卡，存成 PNG 文件（q4_files）。
比课堂多走一步：
- q5：聚划算新客首单后 60 天内又下单的人数（q5_back）；
- q6：下一批要跟进的新客：首单在双11 期间的客户（q6_new）；
- q7：给他们发欢迎短信的总费用（q7_cost）；
- q8：章节测试（helpers/quizzes/ch06.json）的第 2 题（q8_answer）。

正确答案都在检查时从数据算出（lru_cache 缓存），从不写死数字。
"""
from __future__ import annotations

import io
import re
import struct
from functools import lru_cache, partial
from pathlib import Path

import pandas as pd

from . import shop, summary
from ..checks import Question, Result, bind, compare_customer_sets, compare_number
from ..members import (TEXTBOOK_GIFT_PACK_RULES, Coupon, GiftPack, check_gift_pack, first_purchase_followup,
                       membership_card)
from ..quiz import QuizQuestion
from ..sms import plan_sms
from ..vip import TEXTBOOK_VIP_TIERS

CHAPTER = "06"
TITLE = "新会员营销：礼包规则、5 元无门槛券、会员卡与新客跟进"

SHOP_NAME = "夏艺女装"
SMS_PRICE = 0.05
JHS_START, JHS_END = "2018-01-05", "2018-01-09"      # 聚划算团购（两端都含）
D11_START, D11_END = "2018-11-01", "2018-11-11"      # 第 6 题：双11 期间（两端都含）
WINDOW = 60                                          # 第 5 题：首单后 60 天

# 店里已经在用的 50 种优惠券面额（元）：已经到了平台的上限。
EXISTING = (tuple(range(1, 31))
            + (32, 35, 38, 40, 45, 48, 50, 55, 58, 60, 65, 68, 70, 75, 78, 80, 85, 88, 90, 100))
# 违反了一条规则的礼包（第 1、2 题）：第 3 张券的面额 66 元是店里没有的新面额。
BROKEN_PACK = GiftPack(
    coupons=(Coupon(5, name="新会员专享券"), Coupon(20, threshold=299), Coupon(66, threshold=699)),
    gifts=("新会员专享礼：羊毛贝雷帽一顶",),
    issue_within_hours=24,
)
# 第 7 题的欢迎短信（plan_sms 会加上【夏艺女装】和“回T退订”）
WELCOME_TEXT = ("{昵称}，欢迎来到夏艺女装！领取会员卡即得新会员礼包：5元无门槛券+满299减20券，"
                "另送羊毛贝雷帽一顶，24小时内有效~")
RULE_TAGS = ("券数", "礼品", "券种", "面额", "面额种数", "发放时间")


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
# q1 哪一条规则被违反了
# ---------------------------------------------------------------------------
def broken_rules(pack: GiftPack = BROKEN_PACK) -> list:
    """礼包违反的规则名（例如 ["面额种数"]），由 check_gift_pack 的提示里【】中的字取出。"""
    return [re.match(r"【(.+?)】", p).group(1) for p in check_gift_pack(pack, EXISTING)]


def _rule_is_fine(tag: str, pack: GiftPack = BROKEN_PACK) -> str:
    """说明这个礼包为什么没有违反某条规则（按礼包的内容现写）。"""
    r = TEXTBOOK_GIFT_PACK_RULES
    if tag == "券数":
        return f"礼包里有 {len(pack.coupons)} 张券，没有超过 {r.max_coupons} 张"
    if tag == "礼品":
        return f"礼包里有 {len(pack.gifts)} 份礼品，没有超过 {r.max_gifts} 份"
    if tag == "券种":
        kinds = "、".join(sorted({c.kind for c in pack.coupons}))
        return f"礼包里的券都是{kinds}，符合“只能放{r.coupon_kind}”"
    if tag == "面额":
        top = max(c.face_value for c in pack.coupons)
        return f"最大的一张券是 {top:g} 元，没有超过 {r.max_face_value:g} 元；再数一数店里已经有几种面额"
    if tag == "发放时间":
        return f"礼包设置在入会后 {pack.issue_within_hours:g} 小时内发放，符合规则"
    new = sorted({c.face_fen for c in pack.coupons} - {round(v * 100) for v in EXISTING})
    return f"加上礼包里的新面额后共 {len(EXISTING) + len(new)} 种，没有超过 {r.max_denominations} 种"


def _check_q1(answers, namespace):
    answer = answers["q1_rule"]
    if isinstance(answer, (list, tuple)) and len(answer) == 1 and isinstance(answer[0], str):
        answer = answer[0]                       # 直接把 check_gift_pack 的结果赋过来也行
    if isinstance(answer, (list, tuple)):
        return Result(False, f"只有一条规则被违反，请只写一条规则的名字，你给了 {len(answer)} 项。")
    if not isinstance(answer, str):
        return Result(False, f"应该是规则的名字（文字），例如 \"券数\"，你给的是 {type(answer).__name__}。")
    match = re.match(r"\s*【?\s*([^】]+?)\s*】", answer) or re.match(r"\s*(\S+)\s*$", answer)
    tag = (match.group(1) if match else answer.strip()).removesuffix("规则")
    wanted = broken_rules()
    if tag in wanted:
        return Result(True, f"违反的是【{tag}】规则。")
    if tag not in RULE_TAGS:
        return Result(False, f"没有叫“{tag}”的规则：规则名是 {'、'.join(RULE_TAGS)} 之一。")
    return Result(False, f"【{tag}】这条没有违反：{_rule_is_fine(tag)}。")


# ---------------------------------------------------------------------------
# q2 改好的礼包
# ---------------------------------------------------------------------------
def _is_five_no_threshold(c: Coupon) -> bool:
    return c.face_fen == 500 and c.threshold == 0 and c.kind == TEXTBOOK_GIFT_PACK_RULES.coupon_kind


def _check_q2(answers, namespace):
    pack = answers["q2_pack"]
    if isinstance(pack, list):
        return Result(False, "你给的是一个列表：请赋值为改好的礼包 GiftPack(...)，而不是检查结果。")
    if not isinstance(pack, GiftPack):
        return Result(False, f"应该是一个 GiftPack(...)（改好的礼包），你给的是 {type(pack).__name__}。")
    problems = check_gift_pack(pack, EXISTING)
    if problems:
        return Result(False, "还有不符合平台规则的地方（店里已有的 50 种面额不能删，别的活动还在用）：\n"
                             + "\n".join(problems))
    if not any(_is_five_no_threshold(c) for c in pack.coupons):
        return Result(False, "新会员专享的 5 元无门槛店铺优惠券不见了：任务训练要求礼包里有这张券。")
    if len(pack.gifts) != 1:
        return Result(False, "任务训练要求礼包里有一份新会员专享礼：你的礼包里没有礼品。")
    return Result(True, "礼包符合全部平台规则：" + "；".join(c.describe() for c in pack.coupons)
                  + f"；{pack.gifts[0]}。")


# ---------------------------------------------------------------------------
# q3 5 元无门槛券
# ---------------------------------------------------------------------------
def _check_q3(answers, namespace):
    c = answers["q3_coupon"]
    if isinstance(c, (int, float)) and not isinstance(c, bool):
        return Result(False, f"你给的是一个数（{c:g}）：请写成一张券 Coupon(5, name=\"新会员专享券\")。")
    if isinstance(c, str):
        return Result(False, "你给的是文字：请写成一张券 Coupon(5, name=\"新会员专享券\")，它能检查面额和门槛。")
    if not isinstance(c, Coupon):
        return Result(False, f"应该是一张券 Coupon(...)，你给的是 {type(c).__name__}。")
    if c.face_fen != 500:
        return Result(False, f"面额应是 5 元，你写的是 {c.face_value:g} 元。")
    if c.threshold != 0:
        return Result(False, f"这张券有门槛（满 {c.threshold:g} 元才能用），任务要求无门槛：threshold=0（不写就是 0）。")
    if c.kind != TEXTBOOK_GIFT_PACK_RULES.coupon_kind:
        return Result(False, f"新会员礼包只能放{TEXTBOOK_GIFT_PACK_RULES.coupon_kind}，你的券是“{c.kind}”。")
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
    if len(files) != len(names):
        return Result(False, f"每个等级一张卡，一共 {len(names)} 张；你给了 {len(files)} 个文件。")
    paths = [Path(str(p)) for p in files]
    missing = [p.as_posix() for p in paths if not p.is_file()]
    if missing:
        return Result(False, f"找不到文件 {missing[0]}：是不是还没有 savefig，或者路径写错了？")
    want = card_size()
    for p in paths:
        size = _png_size(p)
        if size is None:
            return Result(False, f"{p.name} 不是 PNG 图片：文件名以 .png 结尾，savefig 就会存成 PNG。")
        if size != want:
            return Result(False, f"{p.name} 是 {size[0]} × {size[1]} 像素，会员中心要的是 {want[0]} × {want[1]}"
                                 "（用 membership_card(...) 画卡，savefig 时不要改 dpi）。")
    for name in names:
        if not any(name in p.name for p in paths):
            return Result(False, f"没有一张卡的文件名里有“{name}”：请按等级给文件起名，例如 VIP1_普通会员.png。")
    return Result(True, f"{len(paths)} 张会员卡，每张 {want[0]} × {want[1]} 像素。")


# ---------------------------------------------------------------------------
# q5 聚划算新客首单后 60 天内又下单的人数
# ---------------------------------------------------------------------------
def _jhs_ids() -> pd.Index:
    f = _followup()["first_order"]
    return f.index[(f >= JHS_START) & (f <= JHS_END)]


def jhs_back(window: int = WINDOW, strict: bool = False, cohort: str = "聚划算新客") -> int:
    """聚划算新客（或全部新客）中，首单之后 window 天内又下单的人数；strict=True 时按 < window 天（“误读”）。"""
    fu = _followup()
    if cohort == "回来过":
        return int(fu.loc[_jhs_ids(), "next_order"].notna().sum())
    gap = fu["days_to_next"] if cohort == "全部新客" else fu.loc[_jhs_ids(), "days_to_next"]
    hit = (gap < window) if strict else (gap <= window)
    return int(hit.fillna(False).astype(bool).sum())


def jhs_rate_180() -> float:
    """聚划算新客首单后 180 天内的复购率（章节测试的填数题；他们都能完整观察 180 天）。"""
    return jhs_back(180) / len(_jhs_ids())


def _check_q5(answers, namespace):
    return compare_number(answers["q5_back"], jhs_back, tolerance=0, unit="位", alternatives={
        f"你用了“< {WINDOW} 天”：首单之后 {WINDOW} 天之内（含第 {WINDOW} 天）再下单都算复购":
            lambda: jhs_back(strict=True),
        "这是全部新客（不只是聚划算新客）里 60 天内复购的人数": lambda: jhs_back(cohort="全部新客"),
        "这是到今天为止回来过的人数，没有限定首单后 60 天之内": lambda: jhs_back(cohort="回来过"),
        "这是 180 天内复购的人数，题目问的是 60 天": lambda: jhs_back(180),
    })


# ---------------------------------------------------------------------------
# q6 双11 期间首单的新客
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def d11_new(reading: str = "首单") -> frozenset:
    """首单在 [D11_START, D11_END]（两端都含）的客户；reading 用来算“误读”。"""
    shop = _shop()
    lo, hi = pd.Timestamp(D11_START), pd.Timestamp(D11_END)
    if reading == "下过单":
        o = shop.orders
        return frozenset(o.loc[(o["order_time"] >= lo) & (o["order_time"] < hi + pd.Timedelta(days=1)), "customer_id"])
    if reading == "注册":
        c = shop.customers
        return frozenset(c.loc[(c["register_date"] >= lo) & (c["register_date"] <= hi), "customer_id"])
    f = _followup()["first_order"]
    end_ok = (f < hi) if reading == "不含最后一天" else (f <= hi)
    return frozenset(f.index[(f >= lo) & end_ok])


def _check_q6(answers, namespace):
    return compare_customer_sets(answers["q6_new"], d11_new(), alternatives={
        "你漏掉了 11 月 11 日当天第一次下单的客户：日期两端都含，双11 当天正是新客最多的一天":
            lambda: d11_new("不含最后一天"),
        "你选的是这段时间下过单的全部客户，里面有很多老客户：题目要的是首单（第一次下单）在这段时间的新客":
            lambda: d11_new("下过单"),
        "你用的是 register_date（成为本店客户的日期，可能是关注或领券的日子）：题目看的是第一次下单的日期":
            lambda: d11_new("注册"),
    })


# ---------------------------------------------------------------------------
# q7 欢迎短信的总费用
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _welcome_plan():
    return plan_sms(_summary().loc[sorted(d11_new())], WELCOME_TEXT, SHOP_NAME, price=SMS_PRICE)


def welcome_cost() -> float:
    """给双11 新客发欢迎短信的总费用（元）：去掉已退订和没留手机号的客户，按计费条数算。"""
    return _welcome_plan().cost


def _check_q7(answers, namespace):
    plan = _welcome_plan()
    everyone = len(d11_new())
    return compare_number(answers["q7_cost"], welcome_cost, unit="元", alternatives={
        "你按每人 1 条算了：这条短信加上签名、昵称和“回T退订”超过 70 个字，长短信每 67 个字算 1 条":
            round(plan.recipients * SMS_PRICE, 2),
        "你没有去掉已退订和没留手机号的客户，也没有按计费条数算：请用 plan_sms 生成发送计划，看它的 cost":
            round(everyone * SMS_PRICE, 2),
        "你没有去掉已退订和没留手机号的客户：营销短信不能发给他们，plan_sms 会自动去掉":
            round(everyone * int(plan.messages["parts"].max()) * SMS_PRICE, 2),
    })


# ---------------------------------------------------------------------------
# 题目
# ---------------------------------------------------------------------------
QUESTIONS = [
    Question(
        "q1", points=2, variables="q1_rule", evaluate=_check_q1,
        title="任务训练：礼包 原礼包 违反了哪一条平台规则",
        hint="用 check_gift_pack(原礼包, 已有面额) 检查；每条问题开头【】里的字就是规则名。"
             "规则名：券数、礼品、券种、面额、面额种数、发放时间。",
        solution="print(check_gift_pack(原礼包, 已有面额))\nq1_rule = \"面额种数\"",
    ),
    Question(
        "q2", points=3, variables="q2_pack", evaluate=_check_q2,
        title="任务训练：改好这个礼包（保留 5 元无门槛券和专享礼，不删店里已有的面额）",
        hint="新面额 66 元让面额超过了 50 种。已有面额不能删，那就把这张券换成店里已有的面额（例如 68 元），"
             "再用 check_gift_pack 检查，结果应是空列表 []。",
        solution=("q2_pack = GiftPack(\n"
                  "    coupons=[Coupon(5, name=\"新会员专享券\"), Coupon(20, threshold=299), Coupon(68, threshold=699)],\n"
                  "    gifts=[\"新会员专享礼：羊毛贝雷帽一顶\"],\n"
                  "    issue_within_hours=24,\n"
                  ")\n"
                  "check_gift_pack(q2_pack, 已有面额)  # 应是 []"),
    ),
    Question(
        "q3", points=1, variables="q3_coupon", evaluate=_check_q3,
        title="任务训练：新会员专享的 5 元无门槛券",
        hint="Coupon(面额, threshold=门槛, kind=种类, name=名字)；无门槛就是 threshold=0，也是默认值。",
        solution="q3_coupon = Coupon(5, name=\"新会员专享券\")\nprint(q3_coupon.describe())",
    ),
    Question(
        "q4", points=2, variables="q4_files", evaluate=_check_q4,
        title="任务训练：四个等级的手机端会员卡，存成 PNG 文件",
        hint="for number, tier in enumerate(TEXTBOOK_VIP_TIERS, start=1): 用 membership_card(tier, number, "
             "shop_name=\"夏艺女装\") 画卡，.savefig(文件夹 / f\"VIP{number}_{tier.name}.png\")，把路径收进列表。",
        solution=("card_dir = Path(\"outputs\") / \"会员卡\"\n"
                  "card_dir.mkdir(parents=True, exist_ok=True)\n"
                  "q4_files = []\n"
                  "for number, tier in enumerate(TEXTBOOK_VIP_TIERS, start=1):  # 循环的是 4 个等级\n"
                  "    path = card_dir / f\"VIP{number}_{tier.name}.png\"\n"
                  "    membership_card(tier, number, shop_name=\"夏艺女装\").savefig(path)\n"
                  "    q4_files.append(path)"),
    ),
    Question(
        "q5", points=2, variables="q5_back", evaluate=_check_q5,
        title="聚划算新客里，首单之后 60 天内又下单的有多少位",
        hint="first_purchase_followup(shop.orders, as_of=TODAY, windows=(60,)) 给出 repurchase_60（首单之后、"
             "不算首单当天，60 天之内有没有再下单）；只看首单在 2018-01-05 至 2018-01-09 的客户，数一数 True。",
        solution=("followup = first_purchase_followup(shop.orders, as_of=TODAY, windows=(60,))\n"
                  "jhs = followup[followup[\"first_order\"].between(\"2018-01-05\", \"2018-01-09\")]\n"
                  "q5_back = int(jhs[\"repurchase_60\"].sum())\n"
                  "print(f\"{q5_back} 位，占聚划算新客的 {q5_back / len(jhs):.1%}\")"),
    ),
    Question(
        "q6", points=3, variables="q6_new", evaluate=_check_q6,
        title="首单在 2018-11-01 至 2018-11-11（两端都含）的新客",
        hint="first_purchase_followup 的 first_order 是每位买家首单的日期（零点）；两端都含，"
             "可以用 .between(\"2018-11-01\", \"2018-11-11\")。",
        solution=("first = followup[\"first_order\"]\n"
                  "q6_new = followup[first.between(\"2018-11-01\", \"2018-11-11\")]"),
    ),
    Question(
        "q7", points=2, variables="q7_cost", evaluate=_check_q7,
        title="给这些新客发欢迎短信（变量 欢迎短信）的总费用（元，每条 0.05 元）",
        hint="plan_sms(summary.loc[新客编号], 欢迎短信, \"夏艺女装\", price=0.05) 会加签名和退订提示、"
             "去掉已退订和没有手机号的客户、逐人算计费条数；它的 .cost 就是总费用。",
        solution=("welcome = plan_sms(summary.loc[q6_new.index], 欢迎短信, \"夏艺女装\", price=0.05)\n"
                  "q7_cost = welcome.cost"),
    ),
    QuizQuestion("q8", chapter="06", qid="q2", variable="q8_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, …, q8 = ch06.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

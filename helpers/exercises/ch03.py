"""第 03 章“短信营销：端午节”的练习题目。

练习本第一个代码单元格之后::

    from helpers.exercises import ch03
    q1, q2, q3, q4, q5, q6 = ch03.setup(globals())

任务训练（给一群指定的客户写一条短信）：
- q1：端午节鱼油短信真正能发给哪些客户（去掉已退订和没有手机号的；答案变量 q1_recipients）；
- q2：给这些客户写一条完整的短信：签名 + 正文 + 回T退订，每人只按 1 条计费（q2_sms）。
练习：
- q3：一条很长的短信按 0.045 元/条发给他们，总费用多少元（q3_cost）；
- q4：用 {昵称} 个性化以后，有多少位收件人的短信超过 70 字（q4_over）；
- q5：短信发不到、但可以改发邮件的目标客户（q5_email_instead）；
- q6：章节测试 ch03.json 的 q1（q6_answer）。

正确答案都由下面的函数在检查时从数据算出（lru_cache，每个内核只算一次），从不写死数字。
章节测试里的填数题也用本模块的函数：case2_cost_0045、case2_all_regions_recipients。
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache, partial

import pandas as pd

from . import summary
from ..checks import Question, Result, bind, compare_customer_sets, compare_number
from ..quiz import QuizQuestion
from ..segments import Segment
from ..sms import (OPT_OUT, PART_LIMIT, SINGLE_LIMIT, SmsPlan, plan_sms, render_messages, sms_length, sms_parts,
                   with_signature)

CHAPTER = "03"
TITLE = "短信营销：端午节（练习：鱼油端午特惠短信）"

SHOP_NAME = "保健品专卖"          # 短信签名：教材隐去了店名
SIGNATURE = f"【{SHOP_NAME}】"
PRICE = 0.045                     # 第 3 题的短信单价（元/条）
OFFER_PRODUCT = "鱼油"            # 第 2 题：短信里必须写到的商品
OFFER_PRICE = "139"               # 第 2 题：短信里必须写到的活动价（元）

# 任务训练：端午节鱼油短信的目标客户（全部地区）
FISH_OIL = dict(min_orders=1, last_order_after="2016-01-01", min_points=1, products=("鱼油200粒装",))
# 课上的案例 2（蜂胶短信，只发上海），章节测试的填数题用
CASE2 = dict(min_orders=1, last_order_after="2016-01-01", min_points=1, products=("蜂胶胶囊120粒装",),
             regions=("上海",))
CASE2_TEXT = "亲,端午节特惠抢购中,只需99元即可抢购原价128元蜂胶胶囊一份,先到先得机不可失哦!"

# 第 3 题：运营同事写的一条很长的短信（还没加签名和退订提示）
LONG_TEXT = ("亲,端午节特惠来啦!BCCJ深海鱼油软胶囊200粒装,调节血脂、呵护心脑血管,原价168元,端午期间只需139元。"
             "6月9日前下单再送维生素C咀嚼片一瓶,买两瓶再减20元,数量有限,先到先得!"
             "详情请打开手机天猫搜索“保健品专卖”进店查看,祝您端午安康!")
# 第 4 题：用 {昵称} 个性化的短信（还没加签名和退订提示）
PERSONAL_TEXT = "{昵称}您好,端午节鱼油特惠:BCCJ深海鱼油200粒装只要139元(原价168元),6月9日前下单有效!"


# ---------------------------------------------------------------------------
# 从数据算出正确答案（以及常见误读的结果）
# ---------------------------------------------------------------------------
_summary = partial(summary, "health")


def _select(base: dict, changes: dict) -> pd.DataFrame:
    rules = {**base, **changes}
    rules = {k: list(v) if isinstance(v, tuple) else v for k, v in rules.items() if v is not None}
    return Segment("端午短信", **rules).select(_summary())


@lru_cache(maxsize=None)
def audience(**changes) -> pd.DataFrame:
    """鱼油短信的目标客户（按规则选出，还没去掉不能发的人）；changes 用来算“误读”。"""
    return _select(FISH_OIL, changes)


def _reachable(df: pd.DataFrame, drop_opted_out: bool = True, drop_no_phone: bool = True) -> pd.Series:
    keep = pd.Series(True, index=df.index)
    if drop_opted_out:
        keep &= ~df["sms_opt_out"].astype(bool)
    if drop_no_phone:
        keep &= df["phone"].notna()
    return keep


@lru_cache(maxsize=None)
def recipient_ids(drop_opted_out: bool = True, drop_no_phone: bool = True, **changes) -> frozenset:
    """真正能收到短信的客户编号：目标客户去掉已退订的和没有手机号的。"""
    df = audience(**changes)
    return frozenset(df.index[_reachable(df, drop_opted_out, drop_no_phone)])


def recipients() -> pd.DataFrame:
    """真正能收到短信的客户（汇总表的行）。"""
    df = audience()
    return df[_reachable(df)]


def _lengths(texts: pd.Series) -> pd.Series:
    """每条短信的计费字数（整列一起算，和 sms_length 一样：表情符号算 2 个字）。"""
    texts = texts.astype(str)
    return texts.str.len() + texts.str.count("[\U00010000-\U0010FFFF]")


def _parts(length: int) -> int:
    return 0 if length == 0 else 1 if length <= SINGLE_LIMIT else math.ceil(length / PART_LIMIT)


def _yuan(amount: Decimal) -> float:
    return float(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@lru_cache(maxsize=None)
def long_cost(kind: str = "right") -> float:
    """第 3 题：LONG_TEXT 发给全部收件人的总费用（元）。kind 给出常见误读的算法。"""
    full = with_signature(LONG_TEXT, SHOP_NAME)
    full_length, parts = sms_length(full), sms_parts(full)
    people = len(recipient_ids())
    price = Decimal(str(PRICE))
    if kind == "right":
        return plan_sms(recipients(), LONG_TEXT, SHOP_NAME, price=PRICE).cost
    if kind == "rounded_price":                 # 先把单价四舍五入到分
        return _yuan(price.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * parts * people)
    if kind == "per_70":                        # 每 70 字一条
        return _yuan(price * (-(-full_length // SINGLE_LIMIT)) * people)
    if kind == "everyone":                      # 没去掉不能发的人
        return _yuan(price * parts * len(audience()))
    if kind == "one_part":                      # 每人只算 1 条
        return _yuan(price * people)
    if kind == "parts":                         # 只算了条数
        return float(parts * people)
    raise ValueError(f"不认识的 kind：{kind!r}。")


@lru_cache(maxsize=None)
def personal_lengths(who: str = "recipients", signed: bool = True) -> pd.Series:
    """第 4 题：PERSONAL_TEXT 填上每位客户的昵称后的字数（含签名和退订提示）。"""
    df = recipients() if who == "recipients" else audience()
    text = SIGNATURE + PERSONAL_TEXT + OPT_OUT if signed else PERSONAL_TEXT
    return _lengths(render_messages(text, df))


def over_limit(who: str = "recipients", signed: bool = True, limit: int = SINGLE_LIMIT,
               inclusive: bool = False) -> float:
    """第 4 题：个性化短信超过 limit 字（inclusive=True 时为 ≥ limit 字）的人数。"""
    lengths = personal_lengths(who, signed)
    return float((lengths >= limit).sum() if inclusive else (lengths > limit).sum())


@lru_cache(maxsize=None)
def email_instead_ids(only_opted_out: bool = False, need_email: bool = True, need_email_ok: bool = True,
                      sms_unreachable: bool = True) -> frozenset:
    """第 5 题：短信发不到（已退订短信或没有手机号）、但留了邮箱且没退订邮件的目标客户。"""
    df = audience()
    if not sms_unreachable:
        blocked = pd.Series(True, index=df.index)
    elif only_opted_out:
        blocked = df["sms_opt_out"].astype(bool)
    else:
        blocked = ~_reachable(df)
    keep = blocked.copy()
    if need_email:
        keep &= df["email"].notna()
    if need_email_ok:
        keep &= ~df["email_opt_out"].astype(bool)
    return frozenset(df.index[keep])


def case2_cost_0045() -> float:
    """章节测试：案例 2 的教材短信（加签名和退订）发给案例 2 的收件人，单价 0.045 元时的总费用（元）。"""
    plan = plan_sms(_select(CASE2, {}), CASE2_TEXT, SHOP_NAME, price=0.045)
    return plan.cost


def case2_all_regions_recipients() -> float:
    """章节测试：案例 2 的规则去掉“所属地区 = 上海”（全部地区）后，真正能收到短信的人数。"""
    df = _select(CASE2, {"regions": None})
    return float(_reachable(df).sum())


# ---------------------------------------------------------------------------
# 检查
# ---------------------------------------------------------------------------
def _check_q1(answers, namespace):
    answer = answers["q1_recipients"]
    if isinstance(answer, SmsPlan):
        return Result(False, "你给的是发送计划（SmsPlan）：收件人在它的 .messages 表里，请写成 q1_recipients = 计划.messages。")
    return compare_customer_sets(
        answer, recipient_ids(),
        alternatives={
            "你还没有去掉不能发的客户：已退订短信的客户不能再发，没有手机号的客户发不了":
                lambda: recipient_ids(drop_opted_out=False, drop_no_phone=False),
            "还要去掉没有手机号的客户：他们收不到短信": lambda: recipient_ids(drop_no_phone=False),
            "已退订短信的客户绝对不能再发营销短信，必须去掉": lambda: recipient_ids(drop_opted_out=False),
            "这次不限地区：只有案例 2 的蜂胶短信才只发上海": lambda: recipient_ids(regions=("上海",)),
            "商品范围只要鱼油200粒装，不包括预售深海鱼油200粒装":
                lambda: recipient_ids(products=("鱼油200粒装", "预售深海鱼油200粒装")),
        })


def sms_feedback(text) -> Result:
    """检查一条完整的营销短信：签名、退订提示、商品和活动价、占位符，以及发给每位收件人时是否都只按 1 条计费。"""
    if isinstance(text, SmsPlan):
        return Result(False, "你给的是发送计划（SmsPlan）：请把完整的短信文字（例如它的 .template）赋给答案。")
    if not isinstance(text, str):
        return Result(False, f"应该是一段文字（完整的短信），你给的是 {type(text).__name__}。")
    text = text.strip()
    if not text:
        return Result(False, "短信是空的。")
    if not text.startswith(SIGNATURE):
        if text.startswith("【"):
            return Result(False, f"签名应是{SIGNATURE}（教材隐去了店名，本工作簿用“{SHOP_NAME}”）。")
        return Result(False, f"短信开头缺少店铺签名{SIGNATURE}：营销短信必须写明是谁发的，"
                             f"可以用 with_signature(正文, \"{SHOP_NAME}\") 加上。")
    if not text.endswith(OPT_OUT):
        if OPT_OUT in text:
            return Result(False, f"“{OPT_OUT}”要放在短信的最后。")
        return Result(False, f"短信结尾缺少退订提示“{OPT_OUT}”：营销短信必须告诉客户怎样拒收。")
    if OFFER_PRODUCT not in text:
        return Result(False, f"短信里没有写要推的商品（{OFFER_PRODUCT}）。")
    if OFFER_PRICE not in text:
        return Result(False, f"短信里没有写活动价 {OFFER_PRICE} 元。")
    people = recipients()
    try:
        rendered = render_messages(text, people)
    except ValueError as exc:
        return Result(False, str(exc))
    lengths = _lengths(rendered)
    longest = int(lengths.max()) if len(lengths) else sms_length(text)
    parts = _parts(longest)
    personal = "{" in text
    if longest > SINGLE_LIMIT:
        if personal:
            who = people.loc[lengths.idxmax(), "nickname"]
            return Result(False, f"填上昵称以后，最长的一条（发给“{who}”的）有 {longest} 字，按 {parts} 条计费："
                                 f"整条（含签名和“{OPT_OUT}”）要控制在 {SINGLE_LIMIT} 字以内。可以不用昵称，"
                                 f"或者把正文再缩短 {longest - SINGLE_LIMIT} 个字。")
        return Result(False, f"你的短信有 {longest} 字（含签名和“{OPT_OUT}”），按 {parts} 条计费："
                             f"要控制在 {SINGLE_LIMIT} 字以内，再删掉 {longest - SINGLE_LIMIT} 个字。")
    head = f"最长的一条 {longest} 字" if personal else f"整条 {longest} 字"
    return Result(True, f"{head}（含签名和退订提示），每位收件人按 1 条计费；发给 {len(people)} 人共计费 "
                        f"{len(people)} 条。")


def _check_q2(answers, namespace):
    return sms_feedback(answers["q2_sms"])


def _check_q3(answers, namespace):
    return compare_number(
        answers["q3_cost"], lambda: long_cost("right"), unit="元",
        alternatives={
            f"你先把单价 {PRICE} 元四舍五入成了 0.05 元：要先算 计费条数 × {PRICE}，最后再按分四舍五入":
                lambda: long_cost("rounded_price"),
            f"你按每 {SINGLE_LIMIT} 字一条算了：超过 {SINGLE_LIMIT} 字的长短信每条只能放 {PART_LIMIT} 个字":
                lambda: long_cost("per_70"),
            "你把已退订和没有手机号的客户也算进去了：他们收不到短信，不花钱": lambda: long_cost("everyone"),
            f"超过 {SINGLE_LIMIT} 字的长短信不是按 1 条计费的": lambda: long_cost("one_part"),
            "这是计费条数，题目问的是总费用（元）": lambda: long_cost("parts"),
        })


def _check_q4(answers, namespace):
    return compare_number(
        answers["q4_over"], lambda: over_limit(), tolerance=0, unit="人",
        alternatives={
            f"你数的是超过 {PART_LIMIT} 字的：{PART_LIMIT} 字是长短信每一段的容量，"
            f"判断会不会变成 2 条要看是否超过 {SINGLE_LIMIT} 字": lambda: over_limit(limit=PART_LIMIT),
            f"恰好 {SINGLE_LIMIT} 字的短信仍按 1 条计费：要数的是超过 {SINGLE_LIMIT} 字（> {SINGLE_LIMIT}）的":
                lambda: over_limit(inclusive=True),
            f"你只数了正文：签名{SIGNATURE}和“{OPT_OUT}”也算字数": lambda: over_limit(signed=False),
            "你数的是全部目标客户：已退订和没有手机号的客户收不到短信，不该算": lambda: over_limit(who="audience"),
        })


def _check_q5(answers, namespace):
    return compare_customer_sets(
        answers["q5_email_instead"], email_instead_ids(),
        alternatives={
            "没有手机号的客户短信也发不到：他们留了邮箱的，同样可以改发邮件":
                lambda: email_instead_ids(only_opted_out=True),
            "没有留邮箱的客户也发不了邮件，要去掉": lambda: email_instead_ids(need_email=False),
            "退订了营销邮件的客户不能改发邮件，要去掉": lambda: email_instead_ids(need_email_ok=False),
            "题目只问短信发不到的客户：短信能发到的客户不需要改发邮件":
                lambda: email_instead_ids(sms_unreachable=False),
        })


QUESTIONS = [
    Question(
        "q1", points=2, variables="q1_recipients", evaluate=_check_q1,
        title="端午节鱼油短信真正能发给哪些客户",
        hint="先用 Segment 按四条规则选出目标客户（不限地区），再去掉 sms_opt_out 为 True 的客户和 phone 为空的客户。"
             "plan_sms(...).messages 里就是去掉以后的收件人。",
        solution=("fish_oil = Segment(\"端午鱼油短信\", min_orders=1, last_order_after=\"2016-01-01\", min_points=1,\n"
                  "                   products=[\"鱼油200粒装\"])\n"
                  "audience = fish_oil.select(summary)\n"
                  "q1_recipients = audience[~audience[\"sms_opt_out\"] & audience[\"phone\"].notna()]"),
    ),
    Question(
        "q2", points=3, variables="q2_sms", evaluate=_check_q2,
        title="写一条完整的鱼油端午特惠短信：每人只按 1 条计费",
        hint=f"用 with_signature(正文, \"{SHOP_NAME}\") 加上签名和“{OPT_OUT}”，再用 sms_length 数字数："
             f"整条不超过 {SINGLE_LIMIT} 字。签名和退订提示一共占 {len(SIGNATURE) + len(OPT_OUT)} 个字，"
             f"正文最多 {SINGLE_LIMIT - len(SIGNATURE) - len(OPT_OUT)} 个字；用 {{昵称}} 时还要给最长的昵称留位置。",
        solution=("正文 = \"亲,端午特惠!BCCJ鱼油200粒装原价168元,现只需139元,6月9日截止,先到先得!\"\n"
                  f"q2_sms = with_signature(正文, \"{SHOP_NAME}\")\n"
                  "print(q2_sms, sms_length(q2_sms), \"字\")"),
    ),
    Question(
        "q3", points=2, variables="q3_cost", evaluate=_check_q3,
        title=f"长短信按 {PRICE} 元/条发给第 1 题的收件人，总费用多少元",
        hint=f"plan_sms(收件人, 长短信, \"{SHOP_NAME}\", price={PRICE}) 会加上签名和退订提示、逐人计费，"
             ".cost 是按分四舍五入后的总费用。自己算时：先数整条字数，超过 70 字每 67 字 1 条。",
        solution=f"q3_cost = plan_sms(q1_recipients, 长短信, \"{SHOP_NAME}\", price={PRICE}).cost",
    ),
    Question(
        "q4", points=2, variables="q4_over", evaluate=_check_q4,
        title="个性化短信：有多少位收件人的短信超过 70 字",
        hint="plan_sms 会把 {昵称} 换成每位客户自己的昵称，.messages 里的 length 是每条的字数（含签名和退订提示）。"
             "数一数 length > 70 的有几条。",
        solution=("personal_plan = plan_sms(q1_recipients, 个性化短信, \"保健品专卖\")\n"
                  "q4_over = int((personal_plan.messages[\"length\"] > 70).sum())"),
    ),
    Question(
        "q5", points=2, variables="q5_email_instead", evaluate=_check_q5,
        title="短信发不到、但可以改发邮件的目标客户",
        hint="在目标客户里，短信发不到 = 已退订短信 或 没有手机号；能发邮件 = 留了邮箱 且 没有退订邮件。"
             "两组条件用 & 连起来。",
        solution=("sms_blocked = audience[\"sms_opt_out\"] | audience[\"phone\"].isna()\n"
                  "email_ok = audience[\"email\"].notna() & ~audience[\"email_opt_out\"]\n"
                  "q5_email_instead = audience[sms_blocked & email_ok]"),
    ),
    QuizQuestion("q6", chapter="03", qid="q1", variable="q6_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, q3, q4, q5, q6 = ch03.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

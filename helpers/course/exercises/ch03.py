"""第 03 章“短信营销：端午节”的练习题目。

练习本第一个代码单元格之后::

    from helpers.course.exercises import ch03
    q1, q2, q3, q4, q5, q6 = ch03.setup(globals())

任务训练（给一群指定的客户写一条短信）：
- q1：端午节鱼油短信的目标客户规则（q1_rule，一个 Segment），以及真正能发给哪些客户
  （去掉已退订和没有手机号的；q1_recipients）；
- q2：给这些客户写一条完整的短信：签名 + 正文 + 回T退订，每人只按 1 条计费（q2_sms）。
练习：
- q3：一条很长的短信按 0.045 元/条发给他们，总费用多少元（q3_cost）；
- q4：用 {昵称} 个性化以后，有多少位收件人的短信超过 70 字（q4_over）；
- q5：短信发不到、但可以改发邮件的目标客户（q5_email_instead）；
- q6：章节测试 ch03.json 的 q1（q6_answer）。

每道题的误读写成数据（Misreading）。第 1 题的规则在“边界客户”小表上检查（见 helpers/course/exercises/_rules.py 的 check_rule_then），
所以“最后下单时间含 2016-01-01 当天”“积分 ≥ 1”这些界线由设计决定，不靠数据碰巧。

正确答案都由下面的函数在检查时从数据算出（lru_cache，每个内核只算一次），从不写死数字。
章节测试里的填数题也用本模块的函数：case2_cost_0045、case2_all_regions_recipients。
"""
from __future__ import annotations

import math
from decimal import Decimal
from functools import lru_cache, partial

import pandas as pd

from . import summary
from ._rules import check_rule_then, make_segment, product_titles, rule_misreadings
from ..checks import Misreading, Question, Result, bind, compare_customer_sets, compare_number
from ..quiz import QuizQuestion
from ...money import FEN_PER_YUAN, round_yuan, to_fen
from ...sms import (OPT_OUT, PART_LIMIT, SINGLE_LIMIT, SmsPlan, plan_sms, render_messages, sms_length, sms_parts,
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
# 第 2 题的参考正文（45 字），以及一条正文不到 70 字、加上签名和退订提示就超过 70 字的正文
BODY = "亲,端午特惠!BCCJ鱼油200粒装原价168元,现只需139元,6月9日截止,先到先得!"
BODY_NEAR_70 = BODY + "另有钙片、蛋白粉同步特惠,详情请进店查看。"


# ---------------------------------------------------------------------------
# 从数据算出正确答案（以及常见误读的结果）
# ---------------------------------------------------------------------------
_summary = partial(summary, "health")


def fish_oil_rule(**changes):
    """鱼油短信目标客户的规则；changes 改动某条规则（值为 None 表示去掉这条），用来写“误读”。"""
    return make_segment(FISH_OIL, "端午鱼油短信", "端午节鱼油特惠", **changes)


@lru_cache(maxsize=None)
def _audience(changes: tuple) -> pd.DataFrame:
    return fish_oil_rule(**dict(changes)).select(_summary())


def audience(**changes) -> pd.DataFrame:
    """鱼油短信的目标客户（按规则选出，还没去掉不能发的人）；changes 同 fish_oil_rule。"""
    return _audience(tuple(sorted(changes.items())))


def _reachable(df: pd.DataFrame, drop_opted_out: bool = True, drop_no_phone: bool = True) -> pd.Series:
    keep = pd.Series(True, index=df.index)
    if drop_opted_out:
        keep &= ~df["sms_opt_out"].astype(bool)
    if drop_no_phone:
        keep &= df["phone"].notna()
    return keep


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


LONG_FULL = with_signature(LONG_TEXT, SHOP_NAME)
LONG_PARTS = sms_parts(LONG_FULL)            # 每人几条（由上面的文字决定，不依赖数据）


@lru_cache(maxsize=None)
def long_cost(kind: str = "right") -> float:
    """第 3 题：LONG_TEXT 发给全部收件人的总费用（元）。kind 给出常见误读的算法。"""
    people = len(recipient_ids())
    price = Decimal(str(PRICE))                 # 元（精确）
    fen = price * FEN_PER_YUAN                  # 分（单价可能不是整分，例如 0.045 元 = 4.5 分）
    if kind == "right":
        return plan_sms(recipients(), LONG_TEXT, SHOP_NAME, price=PRICE).cost
    if kind == "rounded_price":                 # 先把单价四舍五入到分（或用了课上的 0.05 元）
        return round_yuan(to_fen(price) * LONG_PARTS * people)
    if kind == "per_person":                    # 每人的费用先四舍五入到分，再相加
        return round_yuan(to_fen(price * LONG_PARTS) * people)
    if kind == "one_less":                      # 每 70 字一条，或只数了正文：每人少算 1 条
        return round_yuan(fen * (LONG_PARTS - 1) * people)
    if kind == "everyone":                      # 没去掉不能发的人
        return round_yuan(fen * LONG_PARTS * len(audience()))
    if kind == "one_part":                      # 每人只算 1 条
        return round_yuan(fen * people)
    if kind == "parts":                         # 只算了条数
        return float(LONG_PARTS * people)
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
    plan = plan_sms(make_segment(CASE2).select(_summary()), CASE2_TEXT, SHOP_NAME, price=0.045)
    return plan.cost


def case2_all_regions_recipients() -> float:
    """章节测试：案例 2 的规则去掉“所属地区 = 上海”（全部地区）后，真正能收到短信的人数。"""
    df = make_segment(CASE2, regions=None).select(_summary())
    return float(_reachable(df).sum())


# ---------------------------------------------------------------------------
# 第 1 题：规则（边界客户小表上检查）+ 真正的收件人
# ---------------------------------------------------------------------------
Q1_RULE_READINGS = [
    ("最后下单时间要含 2016-01-01 当天：last_order_after=\"2016-01-01\" 已经包括这一天，写成 1 月 2 日就晚了一天",
     "最后下单时间 ≥ 2016-01-01（含当天），不是晚一天", {"last_order_after": "2016-01-02"}),
    ("last_order_after 本身就含当天：写成 2015-12-31 会把 2015 年最后一天下单的客户也选进来",
     "最后下单时间 ≥ 2016-01-01（含当天），不是早一天", {"last_order_after": "2015-12-31"}),
    ("积分写成了“> 1”：“积分 ≥ 1”含积分正好 1 的客户，写 min_points=1", "积分 ≥ 1（含 1）", {"min_points": 2}),
    ("购买次数写成了“> 1”：需求是购买次数 ≥ 1，只买过 1 次的客户也要，写 min_orders=1", "购买次数 ≥ 1（含 1）",
     {"min_orders": 2}),
    ("这次不限地区：只有课上案例 2 的蜂胶短信才只发上海，所属地区不要填", "所属地区 = 全部", {"regions": ("上海",)}),
    ("商品范围只要鱼油200粒装，不包括预售深海鱼油200粒装", "商品范围只有一款商品",
     {"products": ("鱼油200粒装", "预售深海鱼油200粒装")}),
    ("商品范围抄了案例 2 的蜂胶胶囊120粒装：这次推的是鱼油200粒装", "商品范围 = 鱼油200粒装",
     {"products": ("蜂胶胶囊120粒装",)}),
]

NOT_REMOVED = "你还没有去掉不能发的客户：已退订短信的客户不能再发，没有手机号的客户发不了"
NO_PHONE_KEPT = "还要去掉没有手机号的客户：他们收不到短信"
OPTED_OUT_KEPT = "已退订短信的客户绝对不能再发营销短信，必须去掉"
Q1_RECIPIENT_READINGS = [
    (NOT_REMOVED, "发送前去掉已退订和没有手机号的客户", dict(drop_opted_out=False, drop_no_phone=False)),
    (NO_PHONE_KEPT, "去掉没有手机号的客户", dict(drop_no_phone=False)),
    (OPTED_OUT_KEPT, "去掉已退订短信的客户", dict(drop_opted_out=False)),
]


def _q1_answer(changes: dict, drops: dict | None = None) -> dict:
    return {"q1_rule": fish_oil_rule(**changes), "q1_recipients": recipient_ids(**(drops or {}), **changes)}


def _check_recipients(answer) -> Result:
    if isinstance(answer, SmsPlan):
        return Result(False, "你给的是发送计划（SmsPlan）：收件人在它的 .messages 表里，请写成 q1_recipients = 计划.messages。")
    alternatives = {message: partial(recipient_ids, **drops) for message, _, drops in Q1_RECIPIENT_READINGS}
    return compare_customer_sets(answer, recipient_ids(), alternatives=alternatives, table="audience")


def _check_q1(answers, namespace):
    return check_rule_then(answers, "q1_rule", fish_oil_rule, Q1_RULE_READINGS, "q1_recipients",
                           _check_recipients, titles=product_titles())


Q1_MISREADINGS = rule_misreadings(Q1_RULE_READINGS, _q1_answer) + [
    Misreading(message, partial(_q1_answer, {}, drops), boundary) for message, boundary, drops in Q1_RECIPIENT_READINGS]


# ---------------------------------------------------------------------------
# 第 2 题：一条完整的短信
# ---------------------------------------------------------------------------
NO_SIGNATURE = f"短信开头缺少店铺签名{SIGNATURE}"
WRONG_SIGNATURE = f"签名应是{SIGNATURE}"
NO_OPT_OUT = f"短信结尾缺少退订提示“{OPT_OUT}”"
OPT_OUT_NOT_LAST = f"“{OPT_OUT}”要放在短信的最后"
NO_PRODUCT = f"短信里没有写要推的商品（{OFFER_PRODUCT}）"
NO_PRICE = f"短信里没有写活动价 {OFFER_PRICE} 元"
BODY_ONLY = f"只数了正文：签名{SIGNATURE}和“{OPT_OUT}”也算字数"
LONGEST_NICKNAME = "用了 {昵称} 就要按昵称最长的那位收件人数字数"


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
            return Result(False, f"{WRONG_SIGNATURE}（教材隐去了店名，本工作簿用“{SHOP_NAME}”）。")
        return Result(False, f"{NO_SIGNATURE}：营销短信必须写明是谁发的，"
                             f"可以用 with_signature(正文, \"{SHOP_NAME}\") 加上。")
    if not text.endswith(OPT_OUT):
        if OPT_OUT in text:
            return Result(False, f"{OPT_OUT_NOT_LAST}。")
        return Result(False, f"{NO_OPT_OUT}：营销短信必须告诉客户怎样拒收。")
    if OFFER_PRODUCT not in text:
        return Result(False, f"{NO_PRODUCT}。")
    if OFFER_PRICE not in text:
        return Result(False, f"{NO_PRICE}。")
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
        shortest = int(lengths.min()) if len(lengths) else longest
        if personal and shortest <= SINGLE_LIMIT:
            who = people.loc[lengths.idxmax(), "nickname"]
            return Result(False, f"{LONGEST_NICKNAME}：填上昵称以后，最长的一条（发给“{who}”的）有 {longest} 字，"
                                 f"按 {parts} 条计费。整条（含签名和“{OPT_OUT}”）要控制在 {SINGLE_LIMIT} 字以内："
                                 f"可以不用昵称，或者把正文再缩短 {longest - SINGLE_LIMIT} 个字。")
        body = text[len(SIGNATURE):-len(OPT_OUT)]
        if not personal and sms_length(body) <= SINGLE_LIMIT:
            return Result(False, f"{BODY_ONLY}。正文 {sms_length(body)} 字，整条有 {longest} 字，按 {parts} 条计费；"
                                 f"再删掉 {longest - SINGLE_LIMIT} 个字。")
        return Result(False, f"你的短信有 {longest} 字（含签名和“{OPT_OUT}”），按 {parts} 条计费："
                             f"要控制在 {SINGLE_LIMIT} 字以内，再删掉 {longest - SINGLE_LIMIT} 个字。")
    head = f"最长的一条 {longest} 字" if personal else f"整条 {longest} 字"
    return Result(True, f"{head}（含签名和退订提示），每位收件人按 1 条计费；发给 {len(people)} 人共计费 "
                        f"{len(people)} 条。")


def _check_q2(answers, namespace):
    return sms_feedback(answers["q2_sms"])


def _full(body: str) -> str:
    return SIGNATURE + body + OPT_OUT


Q2_MISREADINGS = [
    Misreading(NO_SIGNATURE, lambda: BODY + OPT_OUT, "开头要有【店铺签名】"),
    Misreading(WRONG_SIGNATURE, lambda: "【BCCJ】" + BODY + OPT_OUT, "签名是店铺名，不是品牌名"),
    Misreading(NO_OPT_OUT, lambda: SIGNATURE + BODY, "结尾要有退订提示"),
    Misreading(OPT_OUT_NOT_LAST, lambda: SIGNATURE + OPT_OUT + BODY, "退订提示放在最后"),
    Misreading(NO_PRODUCT, lambda: _full(BODY.replace("鱼油", "软胶囊")), "写到要推的商品"),
    Misreading(NO_PRICE, lambda: _full(BODY.replace("现只需139元", "现在更优惠")), "写到活动价"),
    Misreading(BODY_ONLY, lambda: _full(BODY_NEAR_70), "签名和退订提示也算字数：整条 ≤ 70 字"),
    Misreading(LONGEST_NICKNAME, lambda: _full(PERSONAL_TEXT), "个性化短信按最长的昵称算字数"),
    # 把 70 字的界线记成 67 字、或以为正好 70 字要按 2 条计费，写出的短信只会更短，仍是对的：这两种误读不改变答案。
]


# ---------------------------------------------------------------------------
# 第 3–5 题
# ---------------------------------------------------------------------------
Q3_MISREADINGS = [
    Misreading(f"你按 0.05 元/条算了（课上假设的单价，或把 {PRICE} 元先四舍五入成了 0.05 元）："
               f"要先算 计费条数 × {PRICE}，最后再按分四舍五入", partial(long_cost, "rounded_price"),
               "单价 0.045 元，最后才四舍五入"),
    Misreading(f"你把每个人的费用（{LONG_PARTS} 条 × {PRICE} 元）先四舍五入到分再相加：要把全部计费条数乘单价，"
               "最后只四舍五入一次", partial(long_cost, "per_person"), "总额最后只四舍五入一次"),
    Misreading(f"你算成了每人 {LONG_PARTS - 1} 条：要么按每 {SINGLE_LIMIT} 字一条算了（长短信每条只能放 {PART_LIMIT} 个字），"
               f"要么只数了正文（签名和“{OPT_OUT}”也算字数）", partial(long_cost, "one_less"),
               f"整条含签名和退订提示，超过 {SINGLE_LIMIT} 字后每 {PART_LIMIT} 字 1 条"),
    Misreading("你把已退订和没有手机号的客户也算进去了：他们收不到短信，不花钱", partial(long_cost, "everyone"),
               "只算第 1 题的收件人"),
    Misreading(f"超过 {SINGLE_LIMIT} 字的长短信不是按 1 条计费的", partial(long_cost, "one_part"),
               f"超过 {SINGLE_LIMIT} 字的短信按几段计费"),
    Misreading("这是计费条数，题目问的是总费用（元）", partial(long_cost, "parts"), "答案是元，不是条"),
]

Q4_MISREADINGS = [
    Misreading(f"你数的是超过 {PART_LIMIT} 字的：{PART_LIMIT} 字是长短信每一段的容量，"
               f"判断会不会变成 2 条要看是否超过 {SINGLE_LIMIT} 字", partial(over_limit, limit=PART_LIMIT),
               f"界线是 {SINGLE_LIMIT} 字，不是 {PART_LIMIT} 字"),
    Misreading(f"正好 {SINGLE_LIMIT} 字的短信仍按 1 条计费：要数的是超过 {SINGLE_LIMIT} 字（> {SINGLE_LIMIT}）的",
               partial(over_limit, inclusive=True), f"> {SINGLE_LIMIT} 字，不含正好 {SINGLE_LIMIT} 字"),
    Misreading(f"你只数了正文：签名{SIGNATURE}和“{OPT_OUT}”也算字数", partial(over_limit, signed=False),
               "字数含签名和退订提示"),
    Misreading("你数的是全部目标客户：已退订和没有手机号的客户收不到短信，不该算", partial(over_limit, who="audience"),
               "只数第 1 题的收件人"),
]

Q5_MISREADINGS = [
    Misreading("没有手机号的客户短信也发不到：他们留了邮箱的，同样可以改发邮件",
               partial(email_instead_ids, only_opted_out=True), "短信发不到 = 已退订短信 或 没有手机号"),
    Misreading("没有留邮箱的客户也发不了邮件，要去掉", partial(email_instead_ids, need_email=False), "要留了邮箱"),
    Misreading("题目只问短信发不到的客户：短信能发到的客户不需要改发邮件",
               partial(email_instead_ids, sms_unreachable=False), "只看短信发不到的客户"),
    # “没有去掉退订了营销邮件的客户”在这份数据上改变不了答案：鱼油短信的目标客户里，
    # 短信发不到、又留了邮箱的人没有一位退订过邮件（数据里要有这样一位客户，这条误读才能判出来）。
]


QUESTIONS = [
    Question(
        "q1", points=2, variables=("q1_rule", "q1_recipients"), evaluate=_check_q1,
        title="端午节鱼油短信：目标客户的规则，以及真正能发给哪些客户",
        hint=("先把四条规则写成一个 Segment：“当天或之后”含这一天，“≥ 1”含 1，这次不限地区；"
              "选出目标客户以后，再去掉已退订短信的客户和没有手机号的客户。",
              "q1_rule = Segment(..., min_orders=..., last_order_after=\"2016-..-..\", min_points=..., products=[...])；"
              "audience = q1_rule.select(summary)；再用 ~audience[\"sms_opt_out\"] 和 audience[\"phone\"].notna() 筛。"),
        solution=("q1_rule = Segment(\"端午鱼油短信\", \"端午节鱼油特惠\", min_orders=1, last_order_after=\"2016-01-01\",\n"
                  "                  min_points=1, products=[\"鱼油200粒装\"])\n"
                  "audience = q1_rule.select(summary)\n"
                  "q1_recipients = audience[~audience[\"sms_opt_out\"] & audience[\"phone\"].notna()]"),
        expected=lambda: _q1_answer({}),
        misreadings=Q1_MISREADINGS,
    ),
    Question(
        "q2", points=3, variables="q2_sms", evaluate=_check_q2,
        title="写一条完整的鱼油端午特惠短信：每人只按 1 条计费",
        hint=(f"完整的短信由签名、正文、退订提示三部分组成，三部分都算字数；整条不超过 {SINGLE_LIMIT} 字才按 1 条计费。"
              f"签名和退订提示一共占 {len(SIGNATURE) + len(OPT_OUT)} 个字，正文最多 "
              f"{SINGLE_LIMIT - len(SIGNATURE) - len(OPT_OUT)} 个字；用昵称时要给最长的昵称留位置。",
              f"q2_sms = with_signature(正文, \"{SHOP_NAME}\")，再用 sms_length(q2_sms) 数字数；"
              "用 {昵称} 时可以 plan_sms(q1_recipients, q2_sms, ...).messages[\"length\"].max() 看最长的一条。"),
        solution=(f"正文 = \"{BODY}\"\n"
                  f"q2_sms = with_signature(正文, \"{SHOP_NAME}\")\n"
                  "print(q2_sms, sms_length(q2_sms), \"字\")"),
        expected=lambda: _full(BODY),
        misreadings=Q2_MISREADINGS,
    ),
    Question(
        "q3", points=2, variables="q3_cost",
        title=f"长短信按 {PRICE} 元/条发给第 1 题的收件人，总费用多少元",
        hint=(f"先数整条短信（含签名和退订提示）的字数，定出每人几条：超过 {SINGLE_LIMIT} 字后每 {PART_LIMIT} 字 1 条；"
              f"总费用是全部计费条数乘单价 {PRICE} 元，最后才按分四舍五入。",
              f"plan_sms(q1_recipients, 长短信, \"{SHOP_NAME}\", price={PRICE}).cost"),
        solution=f"q3_cost = plan_sms(q1_recipients, 长短信, \"{SHOP_NAME}\", price={PRICE}).cost",
        expected=partial(long_cost, "right"), compare=partial(compare_number, unit="元"),
        misreadings=Q3_MISREADINGS,
    ),
    Question(
        "q4", points=2, variables="q4_over",
        title="个性化短信：有多少位收件人的短信超过 70 字",
        hint=(f"换上每位收件人自己的昵称后，每条短信的字数都不一样；字数含签名和退订提示。"
              f"要数的是超过 {SINGLE_LIMIT} 字的，正好 {SINGLE_LIMIT} 字的仍按 1 条计费。",
              "personal_plan = plan_sms(q1_recipients, 个性化短信, ...)，"
              f"再数 personal_plan.messages[\"length\"] > {SINGLE_LIMIT} 的有几条。"),
        solution=(f"personal_plan = plan_sms(q1_recipients, 个性化短信, \"{SHOP_NAME}\")\n"
                  f"q4_over = int((personal_plan.messages[\"length\"] > {SINGLE_LIMIT}).sum())"),
        expected=over_limit, compare=partial(compare_number, tolerance=0, unit="人"),
        misreadings=Q4_MISREADINGS,
    ),
    Question(
        "q5", points=2, variables="q5_email_instead",
        title="短信发不到、但可以改发邮件的目标客户",
        hint=("在目标客户里：短信发不到是指已退订短信，或者没有手机号；能发邮件是指留了邮箱，并且没有退订邮件。"
              "两组条件要同时满足。",
              "audience = q1_rule.select(summary)；sms_blocked = audience[\"sms_opt_out\"] | audience[\"phone\"].isna()；"
              "email_ok = audience[\"email\"].notna() & ~audience[\"email_opt_out\"]；再 audience[sms_blocked & email_ok]。"),
        solution=("sms_blocked = audience[\"sms_opt_out\"] | audience[\"phone\"].isna()\n"
                  "email_ok = audience[\"email\"].notna() & ~audience[\"email_opt_out\"]\n"
                  "q5_email_instead = audience[sms_blocked & email_ok]"),
        expected=email_instead_ids, compare=partial(compare_customer_sets, table="audience"),
        misreadings=Q5_MISREADINGS,
    ),
    QuizQuestion("q6", chapter="03", qid="q1", variable="q6_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, q3, q4, q5, q6 = ch03.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

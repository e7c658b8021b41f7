"""第 04 章“邮件营销：端午节”的练习题目。

练习本第一个代码单元格之后::

    from helpers.course.exercises import ch04
    q1, q2, q3, q4, q5, q6 = ch04.setup(globals())

任务训练（为三款商品挑选邮件营销的客户）：
- q1：618 “骨骼与营养专场”邮件的目标客户规则（q1_rule，一个 Segment）和入组客户（q1_audience）；
- q2：去掉退订邮件和没有邮箱的客户后，真正的收件人（q2_recipients）。
练习：
- q3：三款商品各有多少位目标客户买过（q3_by_product）；
- q4：目标客户按能用的渠道分三类：能发邮件 / 只能发短信 / 都联系不上（q4_channels）；
- q5：给第一位收件人写一封营销邮件（HTML，q5_html）；
- q6：章节测试 ch04.json 的 q1（q6_answer）。

每道题的误读写成数据（Misreading）。第 1 题的规则在“边界客户”小表上检查（见 helpers/course/exercises/_rules.py 的 check_rule_then），
所以“订单总金额满 150 元”“至少 2 件”“2015-12-01 当天”这些界线由设计决定，不靠数据碰巧。

正确答案都由下面的函数在检查时从数据算出（lru_cache，每个内核只算一次），从不写死数字。
章节测试里的填数题也用本模块的函数：case3_email_recipients、case3_no_email_share。
"""
from __future__ import annotations

import html
import re
from functools import lru_cache, partial

import pandas as pd

from . import shop, summary
from ._rules import check_rule_then, make_segment, product_titles, rule_misreadings
from ..checks import Misreading, Question, Result, bind, compare_customer_sets, compare_mapping
from ...mail import email_recipients, render_email
from ...money import format_yuan
from ..quiz import QuizQuestion

CHAPTER = "04"
TITLE = "邮件营销：端午节（练习：618 骨骼与营养专场邮件）"

SHOP_NAME = "保健品专卖"
THREE = ("氨糖软骨素钙片", "液体钙软胶囊", "复合维生素片")
# 任务训练：618 邮件的目标客户（全部地区）
JUNE18 = dict(min_orders=1, min_total_amount=150, min_items=2, last_order_after="2015-12-01", min_points=1,
              products=THREE)
# 第 5 题：邮件里推的商品、活动价、原价、购买链接；主题和正文写在练习本里（这里是同样的文字，检查时用）
OFFER_TITLE = "BCCJ氨糖软骨素加钙片 中老年关节 120片"
OFFER_PRICE = 79
OFFER_ORIGINAL = 98
LINK_TAG = "from=618-email"
LINK = f"https://shop.example.com/item/antang-120?{LINK_TAG}"
SUBJECT = "618 年中特惠｜氨糖软骨素钙片老客户价 79 元"
PARAGRAPHS = ("6.18 年中大促来了，感谢您一直以来对本店的信任。",
              "BCCJ 氨糖软骨素加钙片（120 片）原价 98 元，618 期间老客户只需 79 元，数量有限，先到先得。",
              "点击下面的按钮即可直接下单。祝您和家人身体健康！")
CHANNELS = ("能发邮件", "只能发短信", "都联系不上")

# 课上的案例 3（三款商品的端午邮件），章节测试的填数题用
CASE3 = dict(min_orders=1, min_total_amount=100, min_items=1, last_order_after="2016-01-01", min_points=1,
             products=("蜂胶胶囊120粒装", "鱼油200粒装", "预售深海鱼油200粒装"))


# ---------------------------------------------------------------------------
# 从数据算出正确答案（以及常见误读的结果）
# ---------------------------------------------------------------------------
_shop = partial(shop, "health")
_summary = partial(summary, "health")


def june18_rule(**changes):
    """618 邮件目标客户的规则；changes 改动某条规则（值为 None 表示去掉这条），用来写“误读”。"""
    return make_segment(JUNE18, "618邮件", "骨骼与营养专场", **changes)


@lru_cache(maxsize=None)
def _audience(changes: tuple) -> pd.DataFrame:
    return june18_rule(**dict(changes)).select(_summary())


def audience(**changes) -> pd.DataFrame:
    """618 邮件的目标客户；changes 同 june18_rule。"""
    return _audience(tuple(sorted(changes.items())))


def audience_ids(**changes) -> frozenset:
    return frozenset(audience(**changes).index)


def _email_ok(df: pd.DataFrame, drop_opted_out: bool = True, drop_no_email: bool = True) -> pd.Series:
    keep = pd.Series(True, index=df.index)
    if drop_opted_out:
        keep &= ~df["email_opt_out"].astype(bool)
    if drop_no_email:
        keep &= df["email"].notna()
    return keep


@lru_cache(maxsize=None)
def recipient_ids(drop_opted_out: bool = True, drop_no_email: bool = True) -> frozenset:
    """能收到邮件的目标客户编号：去掉退订了营销邮件的和没有留邮箱的。"""
    df = audience()
    return frozenset(df.index[_email_ok(df, drop_opted_out, drop_no_email)])


@lru_cache(maxsize=None)
def recipients() -> pd.DataFrame:
    """能收到邮件的目标客户（顺序和 email_recipients 的结果相同）。"""
    return email_recipients(audience())[0]


@lru_cache(maxsize=None)
def product_counts(kind: str = "customers") -> dict:
    """第 3 题：三款商品各有多少位目标客户买过。kind 给出常见误读：
    "lines" 数订单（明细行），"quantity" 数件数，"shop" 数全店客户，"recipients" 只数能收邮件的客户。"""
    if kind in ("customers", "shop", "recipients"):
        df = {"customers": audience, "shop": _summary, "recipients": recipients}[kind]()
        bought = df["products"].explode()
        counts = bought[bought.isin(THREE)].value_counts()
    else:
        data = _shop()
        lines = data.items.merge(data.orders[["order_id", "customer_id"]], on="order_id")
        lines = lines[lines["customer_id"].isin(audience_ids()) & lines["product"].isin(THREE)]
        counts = lines["product"].value_counts() if kind == "lines" else lines.groupby("product")["quantity"].sum()
    return {p: int(counts.get(p, 0)) for p in THREE}


@lru_cache(maxsize=None)
def channel_counts(sms_opt_out: bool = True, email_opt_out: bool = True, sms_only: bool = True) -> dict:
    """第 4 题：目标客户按渠道分三类的人数。sms_opt_out / email_opt_out 为 False 时算“忘了看退订”的误读；
    sms_only=False 算“只能发短信”里混进了也能发邮件的客户的误读。"""
    df = audience()
    email = _email_ok(df, drop_opted_out=email_opt_out)
    sms = df["phone"].notna()
    if sms_opt_out:
        sms &= ~df["sms_opt_out"].astype(bool)
    only_sms = (~email & sms) if sms_only else sms
    return {CHANNELS[0]: int(email.sum()), CHANNELS[1]: int(only_sms.sum()),
            CHANNELS[2]: int((~email & ~sms).sum())}


def case3_email_recipients() -> float:
    """章节测试：案例 3 的目标客户里，真正能收到邮件的人数。"""
    return float(len(email_recipients(make_segment(CASE3).select(_summary()))[0]))


def case3_no_email_share() -> float:
    """章节测试：案例 3 的目标客户里，因为没有留邮箱（且没有退订邮件）而被排除的比例（0 到 1）。"""
    df = make_segment(CASE3).select(_summary())
    return float(email_recipients(df)[1]["没有邮箱"] / len(df))


# ---------------------------------------------------------------------------
# 第 1 题：规则（边界客户小表上检查）+ 入组客户
# ---------------------------------------------------------------------------
Q1_READINGS = [
    ("订单总金额写成了“> 150 元”：“满 150 元”含正好 150 元，写 min_total_amount=150",
     "订单总金额 ≥ 150 元（满 150 元）", {"min_total_amount": 150.01}),
    ("订单总金额抄了案例 3 的 100 元：这次是满 150 元", "订单总金额的界线是 150 元", {"min_total_amount": 100}),
    ("购买商品总数写成了“> 2”：“至少 2 件”含正好 2 件，写 min_items=2", "购买商品总数 ≥ 2 件（至少 2 件）",
     {"min_items": 3}),
    ("购买商品总数抄了案例 3 的 1 件：这次要至少 2 件", "购买商品总数的界线是 2 件", {"min_items": 1}),
    ("购买次数写成了“> 1”：需求是购买次数 ≥ 1，写 min_orders=1", "购买次数 ≥ 1（含 1）", {"min_orders": 2}),
    ("最后下单时间晚了一天：“2015-12-01 当天或之后”要含 12 月 1 日，last_order_after=\"2015-12-01\" 已经包括这一天",
     "最后下单时间 ≥ 2015-12-01（含当天），不是晚一天", {"last_order_after": "2015-12-02"}),
    ("最后下单时间早了一天：last_order_after 本身就含当天，写 2015-11-30 会把 11 月 30 日下单的客户也选进来",
     "最后下单时间 ≥ 2015-12-01（含当天），不是早一天", {"last_order_after": "2015-11-30"}),
    ("“最近半年”按 180 天算成了 2015-12-04：半年是 6 个日历月，从今天 2016-06-01 往前推是 2015-12-01",
     "最近半年 = 6 个日历月，不是 180 天", {"last_order_after": "2015-12-04"}),
    ("最后下单时间抄了案例 3 的 2016-01-01：这次是最近半年，即 2015-12-01 当天或之后",
     "最后下单时间的起点是 2015-12-01", {"last_order_after": "2016-01-01"}),
    ("积分写成了“> 1”：“积分 ≥ 1”含积分正好 1 的客户，写 min_points=1", "积分 ≥ 1（含 1）", {"min_points": 2}),
    (f"商品范围只勾了{THREE[0]}：三款商品都要勾上（买过任一款即可）", "商品范围 = 三款商品（买过任一）",
     {"products": THREE[:1]}),
    ("这次不限地区：所属地区选“全部”，不要只勾上海", "所属地区 = 全部", {"regions": ("上海",)}),
    # “三款商品都买过才算”写不成一条 Segment 规则（商品范围总是“买过任一”），所以不在规则的误读清单里；
    # 章节测试第 1 题专门问这一点。
]


def _q1_answer(changes: dict) -> dict:
    return {"q1_rule": june18_rule(**changes), "q1_audience": audience(**changes)}


def _check_q1(answers, namespace):
    return check_rule_then(answers, "q1_rule", june18_rule, Q1_READINGS, "q1_audience",
                           lambda group: compare_customer_sets(group, audience_ids(), table="summary"),
                           titles=product_titles())


# ---------------------------------------------------------------------------
# 第 2 题：真正的收件人
# ---------------------------------------------------------------------------
Q2_MISREADINGS = [
    Misreading("你还没有去掉不能发的客户：退订了营销邮件的不能再发，没有留邮箱的发不了",
               partial(recipient_ids, drop_opted_out=False, drop_no_email=False), "去掉退订邮件和没有邮箱的客户"),
    Misreading("还要去掉没有留邮箱的客户：他们收不到邮件", partial(recipient_ids, drop_no_email=False),
               "去掉没有邮箱的客户"),
    Misreading("退订了营销邮件的客户不能再发，必须去掉", partial(recipient_ids, drop_opted_out=False),
               "去掉退订邮件的客户"),
]


def _check_q2(answers, namespace):
    answer = answers["q2_recipients"]
    if isinstance(answer, tuple) and len(answer) == 2 and isinstance(answer[0], pd.DataFrame):
        return Result(False, "email_recipients 返回两样东西：(能发送的客户, 被排除的人数)。请拆开来写："
                             "q2_recipients, excluded = email_recipients(...)。")
    alternatives = {m.message: m.answer for m in Q2_MISREADINGS}
    return compare_customer_sets(answer, recipient_ids(), alternatives=alternatives, table="q1_audience")


# ---------------------------------------------------------------------------
# 第 3、4 题
# ---------------------------------------------------------------------------
Q3_MISREADINGS = [
    Misreading("你数的是订单（买一次算一次）：题目问的是有多少位客户买过，一位客户买过几次都只算 1 位。",
               partial(product_counts, "lines"), "数客户，不数订单"),
    Misreading("你数的是件数：题目问的是有多少位客户买过。", partial(product_counts, "quantity"), "数客户，不数件数"),
    Misreading("你数的是全店客户：题目只问第 1 题的目标客户。", partial(product_counts, "shop"), "人群是目标客户"),
    Misreading("你只数了能收邮件的客户：题目问的是全部目标客户（第 1 题）。", partial(product_counts, "recipients"),
               "人群是全部目标客户，不只是收件人"),
]

Q4_MISREADINGS = [
    Misreading("“只能发短信”里混进了已退订短信的客户：退订了短信的客户也不能发短信。",
               partial(channel_counts, sms_opt_out=False), "能发短信 = 有手机号且没退订短信"),
    Misreading("“能发邮件”里混进了退订了营销邮件的客户：他们只是留了邮箱，不能再发邮件。",
               partial(channel_counts, email_opt_out=False), "能发邮件 = 有邮箱且没退订邮件"),
    Misreading("两种退订都没有看：留了手机号或邮箱，不等于可以发营销信息。",
               partial(channel_counts, sms_opt_out=False, email_opt_out=False), "两种退订都要看"),
    Misreading("“只能发短信”里混进了也能发邮件的客户：三类不能重叠，能发邮件的客户只算在第一类。",
               partial(channel_counts, sms_only=False), "只能发短信 = 不能发邮件且能发短信"),
]


# ---------------------------------------------------------------------------
# 第 5 题：给第一位收件人的邮件
# ---------------------------------------------------------------------------
NO_EMAIL = "这封邮件写给了没有留邮箱的客户"
OPTED_OUT = "这封邮件写给了退订了营销邮件的客户"
WRONG_PERSON = "邮件的称呼不是第一位收件人"
ORIGINAL_AS_PRICE = "你把原价写成了活动价"
NO_ORIGINAL = "邮件里没有划线的原价"
NO_TAG = "购买链接里没有来源标记"


def email_feedback(page) -> Result:
    """检查第 5 题的邮件：写给第一位收件人、活动价、带来源标记的购买链接、商品图片。"""
    if hasattr(page, "data") and type(page).__name__ == "HTML":
        return Result(False, "你给的是用来显示的 HTML(...) 对象：请把 render_email(...) 返回的文字本身赋给 q5_html。")
    if isinstance(page, (list, tuple, pd.Series)):
        return Result(False, f"你给的是 {len(page)} 封邮件：题目只要发给第一位收件人的那一封（一段 HTML 文字）。")
    if not isinstance(page, str):
        return Result(False, f"应该是一段 HTML 文字（render_email 的结果），你给的是 {type(page).__name__}。")
    first = recipients().iloc[0]
    greeting = f"<p>{html.escape(str(first['nickname']))}，您好：</p>"
    if greeting not in page:
        people = audience()
        found = re.search(r"<p>([^<]*)，您好：</p>", page)
        hit = people.index[people["nickname"].astype(str) == html.unescape(found.group(1))] if found else []
        if len(hit) and hit[0] not in recipient_ids():
            cid = hit[0]
            lead = OPTED_OUT if bool(people.loc[cid, "email_opt_out"]) else NO_EMAIL
            return Result(False, f"{lead}（“{people.loc[cid, 'nickname']}”），对方收不到："
                                 "请从第 2 题去掉退订和没有邮箱之后的收件人 q2_recipients 里取第一位。")
        return Result(False, f"{WRONG_PERSON}“{first['nickname']}”：用 q2_recipients.iloc[0] 取出这位客户，"
                             "作为 render_email 的第一个参数。")
    if f"{format_yuan(OFFER_ORIGINAL, thousands=False)} 元</span>" in page:
        return Result(False, f"{ORIGINAL_AS_PRICE}：price 写活动价 {OFFER_PRICE}，原价用 original_price={OFFER_ORIGINAL}。")
    if f"{format_yuan(OFFER_PRICE, thousands=False)} 元</span>" not in page:
        return Result(False, f"邮件里的活动价不是 {OFFER_PRICE} 元：render_email 的 price 参数写 {OFFER_PRICE}。")
    if f"原价 {format_yuan(OFFER_ORIGINAL, thousands=False)} 元" not in page:
        return Result(False, f"{NO_ORIGINAL}：加上 original_price={OFFER_ORIGINAL}，客户才看得出便宜了多少。")
    if LINK_TAG not in page:
        return Result(False, f"{NO_TAG} {LINK_TAG}：用练习本里给的 LINK，事后才能统计有多少订单来自这封邮件。")
    if "<img src='data:image/" not in page:
        return Result(False, "邮件里没有商品图片。")
    return Result(True, f"写给“{first['nickname']}”，有商品图片、活动价 {OFFER_PRICE}.00 元（原价 {OFFER_ORIGINAL}.00 元）"
                        "和带来源标记的购买链接。")


def _check_q5(answers, namespace):
    return email_feedback(answers["q5_html"])


@lru_cache(maxsize=None)
def _offer_image() -> bytes:
    from ...mail import product_image

    return product_image(OFFER_TITLE)


def offer_email(customer=None, price=OFFER_PRICE, original_price=OFFER_ORIGINAL, link=LINK) -> str:
    """第 5 题的邮件（customer 不给时写给第一位收件人）；参数用来写“误读”的答案。"""
    customer = recipients().iloc[0] if customer is None else customer
    return render_email(customer, SUBJECT, list(PARAGRAPHS), OFFER_TITLE, price, link, image=_offer_image(),
                        shop_name=SHOP_NAME, original_price=original_price)


def _first_outside(opted_out: bool) -> pd.Series:
    """目标客户里第一位收不到邮件的客户：opted_out=True 找退订了邮件的，False 找没有邮箱的。"""
    people = audience()
    mask = people["email_opt_out"].astype(bool) if opted_out else people["email"].isna()
    return people[mask].iloc[0]


Q5_MISREADINGS = [
    Misreading(NO_EMAIL, lambda: offer_email(audience().iloc[0]), "写给收件人 q2_recipients 的第一位，不是 q1_audience 的第一位"),
    Misreading(OPTED_OUT, lambda: offer_email(_first_outside(opted_out=True)), "退订了邮件的客户收不到"),
    Misreading(WRONG_PERSON, lambda: offer_email(recipients().iloc[1]), "第一位收件人是 iloc[0]，不是 iloc[1]"),
    Misreading(ORIGINAL_AS_PRICE, lambda: offer_email(price=OFFER_ORIGINAL, original_price=None), "price 是活动价"),
    Misreading(NO_ORIGINAL, lambda: offer_email(original_price=None), "原价要划线显示"),
    Misreading(NO_TAG, lambda: offer_email(link=LINK.split("?")[0]), "购买链接带来源标记"),
]


QUESTIONS = [
    Question(
        "q1", points=3, variables=("q1_rule", "q1_audience"), evaluate=_check_q1,
        title="618 “骨骼与营养专场”邮件：目标客户的规则和入组客户",
        hint=("和课上一样，一句需求一条规则：“满”“至少”“当天或之后”都含界线本身；“最近半年”从今天往前推 6 个日历月；"
              "三款商品写进同一个商品范围，买过任一即可；不限地区就不填所属地区。",
              "q1_rule = Segment(..., min_orders=..., min_total_amount=..., min_items=..., last_order_after=\"....-..-..\", "
              "min_points=..., products=[...])，再 q1_audience = q1_rule.select(summary)。"),
        solution=("q1_rule = Segment(\"618邮件\", \"骨骼与营养专场\", min_orders=1, min_total_amount=150, min_items=2,\n"
                  "                  last_order_after=\"2015-12-01\", min_points=1,\n"
                  "                  products=[\"氨糖软骨素钙片\", \"液体钙软胶囊\", \"复合维生素片\"])\n"
                  "q1_audience = q1_rule.select(summary)"),
        expected=lambda: _q1_answer({}),
        misreadings=rule_misreadings(Q1_READINGS, _q1_answer),
    ),
    Question(
        "q2", points=2, variables="q2_recipients", evaluate=_check_q2,
        title="去掉不能发邮件的客户，得到真正的收件人",
        hint=("发送前要去掉两种客户：退订了营销邮件的，和没有留邮箱的。课上有一个函数一次做完这两步，"
              "它同时告诉你各去掉了多少人。",
              "email_recipients(q1_audience) 返回 (能发送的客户, 被排除的人数)：取第一个。"),
        solution="q2_recipients, excluded = email_recipients(q1_audience)",
        expected=lambda: recipient_ids(),
        misreadings=Q2_MISREADINGS,
    ),
    Question(
        "q3", points=2, variables="q3_by_product",
        title="三款商品各有多少位目标客户买过",
        hint=("目标客户每人一行，products 一格里是他买过的全部商品：先展开成一行一个商品，只留这三款，再按商品数人数。"
              "一位客户买过几次同一款，也只算 1 位。",
              "bought = q1_audience[\"products\"].explode()，再 bought[bought.isin(三款)].value_counts()。"),
        solution=("three = [\"氨糖软骨素钙片\", \"液体钙软胶囊\", \"复合维生素片\"]\n"
                  "bought = q1_audience[\"products\"].explode()\n"
                  "q3_by_product = bought[bought.isin(three)].value_counts()"),
        expected=product_counts, compare=compare_mapping,
        misreadings=Q3_MISREADINGS,
    ),
    Question(
        "q4", points=2, variables="q4_channels",
        title="目标客户按渠道分三类：能发邮件 / 只能发短信 / 都联系不上",
        hint=("能发邮件是指留了邮箱且没退订邮件，能发短信是指留了手机号且没退订短信。三类不重叠：能发邮件的算第一类，"
              "剩下能发短信的算第二类，两样都不能的算第三类。",
              "email_ok = q1_audience[\"email\"].notna() & ~q1_audience[\"email_opt_out\"]；sms_ok 同理；"
              "结果写成 {\"能发邮件\": 人数, \"只能发短信\": 人数, \"都联系不上\": 人数}。"),
        solution=("email_ok = q1_audience[\"email\"].notna() & ~q1_audience[\"email_opt_out\"]\n"
                  "sms_ok = q1_audience[\"phone\"].notna() & ~q1_audience[\"sms_opt_out\"]\n"
                  "q4_channels = {\"能发邮件\": int(email_ok.sum()),\n"
                  "               \"只能发短信\": int((~email_ok & sms_ok).sum()),\n"
                  "               \"都联系不上\": int((~email_ok & ~sms_ok).sum())}"),
        expected=channel_counts, compare=compare_mapping,
        misreadings=Q4_MISREADINGS,
    ),
    Question(
        "q5", points=2, variables="q5_html", evaluate=_check_q5,
        title="给第一位收件人写一封 618 营销邮件",
        hint=("收件人从第 2 题去掉退订和没有邮箱之后的名单里取第一位；价格写活动价，原价另外给出才会划线显示；"
              "购买链接用练习本里带来源标记的那一条。",
              "render_email(q2_recipients.iloc[0], SUBJECT, PARAGRAPHS, 宝贝标题, 活动价, LINK, "
              "shop_name=..., original_price=...)"),
        solution=(f"q5_html = render_email(q2_recipients.iloc[0], SUBJECT, PARAGRAPHS, \"{OFFER_TITLE}\", {OFFER_PRICE},\n"
                  f"                       LINK, shop_name=\"{SHOP_NAME}\", original_price={OFFER_ORIGINAL})"),
        expected=offer_email,
        misreadings=Q5_MISREADINGS,
    ),
    QuizQuestion("q6", chapter="04", qid="q1", variable="q6_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, q3, q4, q5, q6 = ch04.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

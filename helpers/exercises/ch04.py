"""第 04 章“邮件营销：端午节”的练习题目。

练习本第一个代码单元格之后::

    from helpers.exercises import ch04
    q1, q2, q3, q4, q5, q6 = ch04.setup(globals())

任务训练（为三款商品挑选邮件营销的客户）：
- q1：618 “骨骼与营养专场”邮件的目标客户（答案变量 q1_audience）；
- q2：去掉退订邮件和没有邮箱的客户后，真正的收件人（q2_recipients）。
练习：
- q3：三款商品各有多少位目标客户买过（q3_by_product）；
- q4：目标客户按能用的渠道分三类：能发邮件 / 只能发短信 / 都联系不上（q4_channels）；
- q5：给第一位收件人写一封营销邮件（HTML，q5_html）；
- q6：章节测试 ch04.json 的 q1（q6_answer）。

正确答案都由下面的函数在检查时从数据算出（lru_cache，每个内核只算一次），从不写死数字。
章节测试里的填数题也用本模块的函数：case3_email_recipients、case3_no_email_share。
"""
from __future__ import annotations

import html
import re
from functools import lru_cache, partial

import pandas as pd

from . import shop, summary
from ..checks import Question, Result, bind, compare_customer_sets, compare_mapping
from ..email import email_recipients
from ..quiz import QuizQuestion
from ..segments import Segment

CHAPTER = "04"
TITLE = "邮件营销：端午节（练习：618 骨骼与营养专场邮件）"

SHOP_NAME = "保健品专卖"
THREE = ("氨糖软骨素钙片", "液体钙软胶囊", "复合维生素片")
# 任务训练：618 邮件的目标客户（全部地区）
JUNE18 = dict(min_orders=1, min_total_amount=150, min_items=2, last_order_after="2015-12-01", min_points=1,
              products=THREE)
# 第 5 题：邮件里推的商品、活动价、原价、购买链接
OFFER_TITLE = "BCCJ氨糖软骨素加钙片 中老年关节 120片"
OFFER_PRICE = 79
OFFER_ORIGINAL = 98
LINK_TAG = "from=618-email"
LINK = f"https://shop.example.com/item/antang-120?{LINK_TAG}"
CHANNELS = ("能发邮件", "只能发短信", "都联系不上")

# 课上的案例 3（三款商品的端午邮件），章节测试的填数题用
CASE3 = dict(min_orders=1, min_total_amount=100, min_items=1, last_order_after="2016-01-01", min_points=1,
             products=("蜂胶胶囊120粒装", "鱼油200粒装", "预售深海鱼油200粒装"))


# ---------------------------------------------------------------------------
# 从数据算出正确答案（以及常见误读的结果）
# ---------------------------------------------------------------------------
_shop = partial(shop, "health")


_summary = partial(summary, "health")


def _select(base: dict, changes: dict) -> pd.DataFrame:
    rules = {**base, **changes}
    rules = {k: list(v) if isinstance(v, tuple) else v for k, v in rules.items() if v is not None}
    return Segment("邮件", **rules).select(_summary())


@lru_cache(maxsize=None)
def audience(**changes) -> pd.DataFrame:
    """618 邮件的目标客户；changes 用来算“误读”（值为 None 表示去掉这条规则）。"""
    return _select(JUNE18, changes)


@lru_cache(maxsize=None)
def audience_ids(**changes) -> frozenset:
    return frozenset(audience(**changes).index)


@lru_cache(maxsize=None)
def all_three_ids() -> frozenset:
    """误读：三款商品都买过的客户（商品范围按“且”理解）。"""
    df = audience(products=None)
    bought = df["products"].explode()
    kinds = bought[bought.isin(THREE)].groupby(level=0).nunique()
    return frozenset(kinds.index[kinds == len(THREE)])


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
        shop = _shop()
        lines = shop.items.merge(shop.orders[["order_id", "customer_id"]], on="order_id")
        lines = lines[lines["customer_id"].isin(audience_ids()) & lines["product"].isin(THREE)]
        counts = lines["product"].value_counts() if kind == "lines" else lines.groupby("product")["quantity"].sum()
    return {p: int(counts.get(p, 0)) for p in THREE}


@lru_cache(maxsize=None)
def channel_counts(sms_opt_out: bool = True, email_opt_out: bool = True) -> dict:
    """第 4 题：目标客户按渠道分三类的人数。参数为 False 时算“忘了看退订”的误读。"""
    df = audience()
    email = _email_ok(df, drop_opted_out=email_opt_out)
    sms = df["phone"].notna()
    if sms_opt_out:
        sms &= ~df["sms_opt_out"].astype(bool)
    return {CHANNELS[0]: int(email.sum()), CHANNELS[1]: int((~email & sms).sum()),
            CHANNELS[2]: int((~email & ~sms).sum())}


def case3_email_recipients() -> float:
    """章节测试：案例 3 的目标客户里，真正能收到邮件的人数。"""
    return float(len(email_recipients(_select(CASE3, {}))[0]))


def case3_no_email_share() -> float:
    """章节测试：案例 3 的目标客户里，因为没有留邮箱（且没有退订邮件）而被排除的比例（0 到 1）。"""
    df = _select(CASE3, {})
    return float(email_recipients(df)[1]["没有邮箱"] / len(df))


# ---------------------------------------------------------------------------
# 检查
# ---------------------------------------------------------------------------
def _check_q1(answers, namespace):
    return compare_customer_sets(
        answers["q1_audience"], audience_ids(),
        alternatives={
            "你选的是三款商品都买过的客户：商品范围勾选多个商品时，买过其中任一款就算": all_three_ids,
            f"商品范围只勾了{THREE[0]}：三款商品都要勾上（买过任一款即可）":
                lambda: audience_ids(products=THREE[:1]),
            "这次不限地区：所属地区选“全部”，不要只勾上海": lambda: audience_ids(regions=("上海",)),
            "你用了“购买商品总数 > 2”：需求写的是“至少 2 件”，即 ≥ 2": lambda: audience_ids(min_items=3),
            "最后下单时间抄了案例 3 的 2016-01-01：这次是最近半年，即 2015-12-01 当天或之后":
                lambda: audience_ids(last_order_after="2016-01-01"),
            "订单总金额抄了案例 3 的 100 元：这次是满 150 元": lambda: audience_ids(min_total_amount=100),
        })


def _check_q2(answers, namespace):
    answer = answers["q2_recipients"]
    if isinstance(answer, tuple) and len(answer) == 2 and isinstance(answer[0], pd.DataFrame):
        return Result(False, "email_recipients 返回两样东西：(能发送的客户, 被排除的人数)。请拆开来写："
                             "q2_recipients, excluded = email_recipients(...)。")
    return compare_customer_sets(
        answer, recipient_ids(),
        alternatives={
            "你还没有去掉不能发的客户：退订了营销邮件的不能再发，没有留邮箱的发不了":
                lambda: recipient_ids(drop_opted_out=False, drop_no_email=False),
            "还要去掉没有留邮箱的客户：他们收不到邮件": lambda: recipient_ids(drop_no_email=False),
            "退订了营销邮件的客户不能再发，必须去掉": lambda: recipient_ids(drop_opted_out=False),
        })


def _check_q3(answers, namespace):
    return compare_mapping(
        answers["q3_by_product"], lambda: product_counts(),
        alternatives={
            "你数的是订单（买一次算一次）：题目问的是有多少位客户买过，一位客户买过几次都只算 1 位。":
                lambda: product_counts("lines"),
            "你数的是件数：题目问的是有多少位客户买过。": lambda: product_counts("quantity"),
            "你数的是全店客户：题目只问第 1 题的目标客户。": lambda: product_counts("shop"),
            "你只数了能收邮件的客户：题目问的是全部目标客户（第 1 题）。": lambda: product_counts("recipients"),
        })


def _check_q4(answers, namespace):
    return compare_mapping(
        answers["q4_channels"], lambda: channel_counts(),
        alternatives={
            "“只能发短信”里混进了已退订短信的客户：退订了短信的客户也不能发短信。":
                lambda: channel_counts(sms_opt_out=False),
            "“能发邮件”里混进了退订了营销邮件的客户：他们只是留了邮箱，不能再发邮件。":
                lambda: channel_counts(email_opt_out=False),
            "两种退订都没有看：留了手机号或邮箱，不等于可以发营销信息。":
                lambda: channel_counts(sms_opt_out=False, email_opt_out=False),
        })


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
        if len(hit):
            cid = hit[0]
            if cid not in recipient_ids():
                why = "退订了营销邮件" if bool(people.loc[cid, "email_opt_out"]) else "没有留邮箱"
                return Result(False, f"这封邮件写给了“{people.loc[cid, 'nickname']}”，可这位客户{why}，收不到邮件："
                                     "请从第 2 题去掉退订和没有邮箱之后的收件人里取第一位。")
        return Result(False, f"邮件的称呼不是第一位收件人“{first['nickname']}”：用 q2_recipients.iloc[0] 取出这位客户，"
                             "作为 render_email 的第一个参数。")
    if f"{OFFER_ORIGINAL:.2f} 元</span>" in page:
        return Result(False, f"你把原价 {OFFER_ORIGINAL} 元写成了活动价：price 写活动价 {OFFER_PRICE}，"
                             f"原价用 original_price={OFFER_ORIGINAL}。")
    if f"{OFFER_PRICE:.2f} 元</span>" not in page:
        return Result(False, f"邮件里的活动价不是 {OFFER_PRICE} 元：render_email 的 price 参数写 {OFFER_PRICE}。")
    if f"原价 {OFFER_ORIGINAL:.2f} 元" not in page:
        return Result(False, f"邮件里没有划线的原价：加上 original_price={OFFER_ORIGINAL}，客户才看得出便宜了多少。")
    if LINK_TAG not in page:
        return Result(False, f"购买链接里没有来源标记 {LINK_TAG}：用练习本里给的 LINK，事后才能统计有多少订单来自这封邮件。")
    if "<img src='data:image/" not in page:
        return Result(False, "邮件里没有商品图片。")
    return Result(True, f"写给“{first['nickname']}”，有商品图片、活动价 {OFFER_PRICE}.00 元（原价 {OFFER_ORIGINAL}.00 元）"
                        "和带来源标记的购买链接。")


def _check_q5(answers, namespace):
    return email_feedback(answers["q5_html"])


QUESTIONS = [
    Question(
        "q1", points=3, variables="q1_audience", evaluate=_check_q1,
        title="618 “骨骼与营养专场”邮件的目标客户",
        hint="和课上一样用 Segment，六条规则：min_orders、min_total_amount、min_items、last_order_after、"
             "min_points、products（三款商品写进同一个列表，买过任一即可）；不限地区就不写 regions。",
        solution=("june18 = Segment(\"618邮件\", \"骨骼与营养专场\", min_orders=1, min_total_amount=150, min_items=2,\n"
                  "                 last_order_after=\"2015-12-01\", min_points=1,\n"
                  "                 products=[\"氨糖软骨素钙片\", \"液体钙软胶囊\", \"复合维生素片\"])\n"
                  "q1_audience = june18.select(summary)"),
    ),
    Question(
        "q2", points=2, variables="q2_recipients", evaluate=_check_q2,
        title="去掉不能发邮件的客户，得到真正的收件人",
        hint="email_recipients(目标客户) 返回 (能发送的客户, 被排除的人数)：取第一个。",
        solution="q2_recipients, excluded = email_recipients(q1_audience)",
    ),
    Question(
        "q3", points=2, variables="q3_by_product", evaluate=_check_q3,
        title="三款商品各有多少位目标客户买过",
        hint="目标客户的 products 列是每位客户买过的商品列表：.explode() 展开成一行一个商品，"
             "只留这三款，再 value_counts()。一位客户买过几次同一款，也只算 1 位。",
        solution=("three = [\"氨糖软骨素钙片\", \"液体钙软胶囊\", \"复合维生素片\"]\n"
                  "bought = q1_audience[\"products\"].explode()\n"
                  "q3_by_product = bought[bought.isin(three)].value_counts()"),
    ),
    Question(
        "q4", points=2, variables="q4_channels", evaluate=_check_q4,
        title="目标客户按渠道分三类：能发邮件 / 只能发短信 / 都联系不上",
        hint="能发邮件 = 留了邮箱且没退订邮件；能发短信 = 留了手机号且没退订短信。"
             "“只能发短信”是不能发邮件、但能发短信的客户。结果写成 {\"能发邮件\": 人数, …} 或一个 Series。",
        solution=("email_ok = q1_audience[\"email\"].notna() & ~q1_audience[\"email_opt_out\"]\n"
                  "sms_ok = q1_audience[\"phone\"].notna() & ~q1_audience[\"sms_opt_out\"]\n"
                  "q4_channels = {\"能发邮件\": int(email_ok.sum()),\n"
                  "               \"只能发短信\": int((~email_ok & sms_ok).sum()),\n"
                  "               \"都联系不上\": int((~email_ok & ~sms_ok).sum())}"),
    ),
    Question(
        "q5", points=2, variables="q5_html", evaluate=_check_q5,
        title="给第一位收件人写一封 618 营销邮件",
        hint="render_email 的参数依次是：收件人（q2_recipients.iloc[0]）、主题、正文、宝贝标题、活动价、购买链接；"
             "原价用 original_price=…，店铺名用 shop_name=…。不传 image 时会自动画一张商品图。",
        solution=(f"q5_html = render_email(q2_recipients.iloc[0], SUBJECT, PARAGRAPHS, \"{OFFER_TITLE}\", {OFFER_PRICE},\n"
                  f"                       LINK, shop_name=\"{SHOP_NAME}\", original_price={OFFER_ORIGINAL})"),
    ),
    QuizQuestion("q6", chapter="04", qid="q1", variable="q6_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, q3, q4, q5, q6 = ch04.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

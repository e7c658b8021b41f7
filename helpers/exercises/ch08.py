"""第 08 章 智能触达（夏艺女装，今天 = 2018-12-10；保健品专卖，今天 = 2016-06-01）的练习题。

练习本第一个代码单元格::

    from helpers.exercises import ch08
    q1, q2, q3, q4, q5, q6, q7, q8 = ch08.setup(globals())

任务训练（教材任务四）：
- q1：双12 高潜老客召回名单（按本题的规则，q1_recall）；
- q2：召回短信的分批发送安排（q2_schedule）；
- q3：召回短信的总费用（q3_cost）；
- q4：本周该收到复购提醒的客户（保健品专卖，q4_remind）。
比课堂多走一步：
- q5：6.18 加购、到 10 月底都没下单的客户（q5_carted）；
- q6：双十一加购提醒短信的收件人里，11 月 1 日至 11 日下单的比例（q6_rate）；
- q7：复购日已过 1～30 天、还没回购的流失召回名单（保健品专卖，q7_lapsed）；
- q8：章节测试（helpers/quizzes/ch08.json）的第 4 题（q8_answer）。

正确答案都在检查时从数据算出（lru_cache 缓存），从不写死数字。
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache, partial

import pandas as pd

from . import shop
from ..checks import Question, Result, bind, compare_customer_sets, compare_number
from ..quiz import QuizQuestion
from ..sms import plan_sms
from ..touch import (HighPotentialRule, carted_without_order, high_potential, repurchase_calendar, repurchase_due,
                     send_times)

CHAPTER = "08"
TITLE = "智能触达：双12 召回名单与发送安排、本周复购提醒、加购人群与效果"

SHOP_NAME = "夏艺女装"
SMS_PRICE = 0.05
# 第 1 题：本题的高潜老客规则（比课堂更严：最近 14 天、只看收藏和加购）
RECALL_RULE = HighPotentialRule(lookback_months=12, min_orders=2, quiet_since="2018-11-11", active_days=14,
                                active_events=("收藏", "加购"))
RECALL_TEXT = "{昵称}，双12最后几小时！您收藏、加购的宝贝今晚24点恢复原价，老客专享满399减40，库存不多，别错过~"
SEND_START, SEND_END, EVERY_MINUTES = "2018-12-12 18:00", "2018-12-12 20:00", 15
REMIND_DAYS = 7                      # 第 4 题：今天起 7 天（含今天）
CART_START, CART_END = "2018-06-01", "2018-06-18"        # 6.18 加购的日子
QUIET_START, QUIET_END = "2018-06-01", "2018-10-31"      # 第 5 题：这段时间一单都没下
CASE_DATE = "2018-11-01"                                 # 双十一前的触达方案在这一天准备
CART_TEXT = "{昵称}，您在6.18加购的大衣还在购物车里等您~双11当天全店满299减30，先加购不错过！"
RESPONSE_START, RESPONSE_END = "2018-11-01", "2018-11-11"  # 第 6 题：看这段时间（两端都含）有没有下单
LAPSED_DAYS = 30                     # 第 7 题：复购日已过 1～30 天


# ---------------------------------------------------------------------------
# 数据（每个内核只算一次）
# ---------------------------------------------------------------------------
_xiayi = partial(shop, "xiayi")


_health = partial(shop, "health")


def _opted_out(shop, ids) -> pd.Series:
    return shop.customers.set_index("customer_id").loc[list(ids), "sms_opt_out"].astype(bool)


# ---------------------------------------------------------------------------
# q1 高潜老客召回名单
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def recall_ids(**changes) -> frozenset:
    """按 RECALL_RULE（或改动后的规则）选出的高潜老客。"""
    shop = _xiayi()
    rule = replace(RECALL_RULE, **changes)
    return frozenset(high_potential(shop.orders, shop.events, shop.today, rule)[1].index)


@lru_cache(maxsize=None)
def _recall_table() -> pd.DataFrame:
    shop = _xiayi()
    return high_potential(shop.orders, shop.events, shop.today, RECALL_RULE, customers=shop.customers)[1]


def _check_q1(answers, namespace):
    return compare_customer_sets(answers["q1_recall"], recall_ids, alternatives={
        "你把“浏览”也算成了有兴趣：本题只看收藏和加购": lambda: recall_ids(active_events=("浏览", "收藏", "加购")),
        "你用的是课堂上的 30 天：本题只看最近 14 天（11 月 26 日至 12 月 9 日）": lambda: recall_ids(active_days=30),
        "你多算了一天：最近 14 天是今天之前的 14 天（11 月 26 日至 12 月 9 日），不是 15 天":
            lambda: recall_ids(active_days=15),
        "你用了“下单 > 2 笔”（即 ≥ 3）：题目要求 ≥ 2 笔": lambda: recall_ids(min_orders=3),
        "11 月 11 日当天下过单的客户也要去掉：“双11 以来”包括 11 日当天":
            lambda: recall_ids(quiet_since="2018-11-12"),
    })


# ---------------------------------------------------------------------------
# q2 分批发送；q3 总费用
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _recall_plan():
    return plan_sms(_recall_table(), RECALL_TEXT, SHOP_NAME, price=SMS_PRICE)


def recall_cost() -> float:
    """召回短信的总费用（元）：去掉已退订和没留手机号的客户，按每人的计费条数算。"""
    return _recall_plan().cost


def _check_q2(answers, namespace):
    schedule = answers["q2_schedule"]
    if not isinstance(schedule, pd.DataFrame):
        return Result(False, f"应该是一张发送安排表（schedule_sends 的结果，DataFrame），你给的是 {type(schedule).__name__}。")
    missing = [c for c in ("batch", "send_time") if c not in schedule.columns]
    if missing:
        return Result(False, f"发送安排表里缺少 {'、'.join(missing)} 列：请用 schedule_sends(plan.messages, 开始, 结束, 间隔) 分批。")
    people = compare_customer_sets(schedule, lambda: _recall_plan().messages.index, alternatives={
        "名单里还有已退订或没留手机号的客户：先用 plan_sms 生成发送计划，再把 plan.messages 分批": lambda: recall_ids(),
    })
    if not people.correct:
        return Result(False, f"收件人不对：{people.message}")
    ids = schedule["customer_id"] if "customer_id" in schedule.columns else pd.Series(schedule.index, index=schedule.index)
    opted = _opted_out(_xiayi(), ids.astype(str))
    if opted.any():
        return Result(False, f"名单里有已退订的客户（例如 {opted.index[opted.to_numpy()][0]}），他们不能收到营销短信。")
    times = pd.to_datetime(schedule["send_time"])
    wanted = send_times(SEND_START, SEND_END, EVERY_MINUTES)
    outside = times[(times < wanted[0]) | (times >= pd.Timestamp(SEND_END))]
    if len(outside):
        return Result(False, f"有 {len(outside)} 位安排在 {SEND_START[-5:]}–{SEND_END[-5:]} 之外（例如 {outside.iloc[0]}）："
                             "召回短信要在 12 月 12 日 18:00 到 20:00 之间发完，20:00 那一刻不再发。")
    used = pd.DatetimeIndex(sorted(times.unique()))
    if not used.equals(wanted):
        gaps = sorted({int(m) for m in (used[1:] - used[:-1]).total_seconds() // 60}) if len(used) > 1 else []
        if gaps and gaps != [EVERY_MINUTES]:
            return Result(False, f"你每 {'、'.join(map(str, gaps))} 分钟发一批，题目要求每 {EVERY_MINUTES} 分钟一批"
                                 f"（18:00、18:15……共 {len(wanted)} 批）。")
        return Result(False, f"发送时刻应是 18:00 起每 {EVERY_MINUTES} 分钟一批、共 {len(wanted)} 批，你的是 {len(used)} 个时刻。")
    sizes = times.value_counts()
    if sizes.max() - sizes.min() > 1:
        return Result(False, f"各批人数不平均：最多 {sizes.max()} 人、最少 {sizes.min()} 人，应该最多差 1 人。")
    per = f"{sizes.min()} 人" if sizes.min() == sizes.max() else f"{sizes.min()}～{sizes.max()} 人"
    return Result(True, f"{len(schedule)} 人分 {len(wanted)} 批，每批 {per}，"
                        f"{SEND_START[-5:]} 起每 {EVERY_MINUTES} 分钟一批。")


def _check_q3(answers, namespace):
    plan = _recall_plan()
    return compare_number(answers["q3_cost"], recall_cost, unit="元", alternatives={
        "你没有去掉已退订和没留手机号的客户：营销短信不能发给他们，plan_sms 会自动去掉":
            round(len(recall_ids()) * SMS_PRICE, 2),
        "你按每人 1 条算了：有的昵称较长，加上签名和“回T退订”后超过 70 个字，要按 2 条计费":
            round(plan.recipients * SMS_PRICE, 2),
    })


# ---------------------------------------------------------------------------
# q4 本周的复购提醒（保健品专卖）
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def remind_ids(days: int = REMIND_DAYS, by_quantity: bool = True, drop_opted_out: bool = True) -> frozenset:
    """今天起 days 天内（含今天）该复购、没有退订短信的客户。"""
    shop = _health()
    due = repurchase_due(shop.orders, shop.items, shop.products, as_of=shop.today, days=days, by_quantity=by_quantity)
    ids = pd.Index(due["customer_id"].unique())
    if drop_opted_out:
        ids = ids[~_opted_out(shop, ids).to_numpy()]
    return frozenset(ids)


def _check_q4(answers, namespace):
    return compare_customer_sets(answers["q4_remind"], remind_ids, alternatives={
        "回复过退订的客户还在名单里：本工作簿一律不主动联系他们（复购提醒也一样）":
            lambda: remind_ids(drop_opted_out=False),
        "你多算了一天：今天起 7 天是 6 月 1 日至 6 月 7 日（days=7），不是到 6 月 8 日":
            lambda: remind_ids(days=REMIND_DAYS + 1),
        "你少算了一天：今天起 7 天包括今天，是 6 月 1 日至 6 月 7 日": lambda: remind_ids(days=REMIND_DAYS - 1),
        "你没有按购买数量算可用天数：买 3 盒能吃 3 个复购周期": lambda: remind_ids(by_quantity=False),
    })


# ---------------------------------------------------------------------------
# q5 6.18 加购、到 10 月底都没下单
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def carted_ids(cart_end: str = CART_END, quiet_end: str = QUIET_END) -> frozenset:
    """CART_START 至 cart_end 加购过、QUIET_START 至 quiet_end 都没下单的客户。"""
    shop = _xiayi()
    return frozenset(carted_without_order(shop.events, shop.orders, CART_START, cart_end, QUIET_START, quiet_end).index)


def _check_q5(answers, namespace):
    return compare_customer_sets(answers["q5_carted"], carted_ids, alternatives={
        "这还是课堂上“只看 6 月没下单”的人群：7 月到 10 月回来买过的客户也要去掉": lambda: carted_ids(quiet_end="2018-06-30"),
        "你漏掉了 6 月 18 日当天加购的客户：加购日期两端都含": lambda: carted_ids(cart_end="2018-06-17"),
    })


# ---------------------------------------------------------------------------
# q6 加购提醒短信的收件人里，11 月 1 日至 11 日下单的比例
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _cart_plan():
    shop = _xiayi()
    case_summary = shop.summary(as_of=pd.Timestamp(CASE_DATE) - pd.Timedelta(days=1))
    audience = carted_ids(quiet_end="2018-06-30")
    return plan_sms(case_summary.loc[sorted(audience)], CART_TEXT, SHOP_NAME, price=SMS_PRICE)


def response_rate(end: str = RESPONSE_END, base: str = "收件人") -> float:
    """加购提醒的收件人（base='全部加购客户' 时是整个人群）里，RESPONSE_START 至 end（两端都含）下过单的比例。"""
    orders = _xiayi().orders
    lo, hi = pd.Timestamp(RESPONSE_START), pd.Timestamp(end) + pd.Timedelta(days=1)
    buyers = orders.loc[(orders["order_time"] >= lo) & (orders["order_time"] < hi), "customer_id"]
    ids = pd.Index(sorted(carted_ids(quiet_end="2018-06-30"))) if base != "收件人" else _cart_plan().messages.index
    return float(ids.isin(buyers).mean())


def _check_q6(answers, namespace):
    return compare_number(answers["q6_rate"], response_rate, tolerance=0.0005, unit="", alternatives={
        "你漏掉了 11 月 11 日当天的订单：两端都含，双11 当天正是下单最多的一天": lambda: response_rate("2018-11-10"),
        "分母用了全部加购未购买的客户：题目问的是收到短信的人（去掉了已退订和没留手机号的）":
            lambda: response_rate(base="全部加购客户"),
    })


# ---------------------------------------------------------------------------
# q7 流失召回：复购日已过 1～30 天、还没回购
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def lapsed_ids(lo: int = -LAPSED_DAYS, hi: int = -1, drop_opted_out: bool = True) -> frozenset:
    """days_left 在 [lo, hi] 之间（复购日已过 1～30 天）的客户，去掉退订了短信的。"""
    shop = _health()
    cal = repurchase_calendar(shop.orders, shop.items, shop.products, as_of=shop.today)
    ids = pd.Index(cal.loc[(cal["days_left"] >= lo) & (cal["days_left"] <= hi), "customer_id"].unique())
    if drop_opted_out:
        ids = ids[~_opted_out(shop, ids).to_numpy()]
    return frozenset(ids)


def _check_q7(answers, namespace):
    return compare_customer_sets(answers["q7_lapsed"], lapsed_ids, alternatives={
        "你把今天刚好到期（days_left = 0）的也算进来了：他们属于本周的复购提醒，还没“过期”":
            lambda: lapsed_ids(hi=0),
        "你漏掉了恰好过期 30 天（days_left = -30）的客户：“1～30 天”两端都含": lambda: lapsed_ids(lo=-LAPSED_DAYS + 1),
        "回复过退订的客户还在名单里：召回短信不能发给他们": lambda: lapsed_ids(drop_opted_out=False),
    })


# ---------------------------------------------------------------------------
# 填数题（章节测试 helpers/quizzes/ch08.json 用）
# ---------------------------------------------------------------------------
def carted_618_count() -> float:
    """6.18（6 月 1 日至 18 日）加购过、整个 6 月都没下单的客户数。"""
    return float(len(carted_ids(quiet_end="2018-06-30")))


# ---------------------------------------------------------------------------
# 题目
# ---------------------------------------------------------------------------
QUESTIONS = [
    Question(
        "q1", points=3, variables="q1_recall", evaluate=_check_q1,
        title="任务训练：按本题的规则选出双12 高潜老客",
        hint="HighPotentialRule(lookback_months=12, min_orders=2, quiet_since=\"2018-11-11\", active_days=14, "
             "active_events=(\"收藏\", \"加购\"))，再 high_potential(xiayi.orders, xiayi.events, as_of=TODAY, rule=..., "
             "customers=xiayi.customers)，返回的第二张表就是名单。",
        solution=("rule = HighPotentialRule(lookback_months=12, min_orders=2, quiet_since=\"2018-11-11\",\n"
                  "                         active_days=14, active_events=(\"收藏\", \"加购\"))\n"
                  "funnel, q1_recall = high_potential(xiayi.orders, xiayi.events, as_of=TODAY, rule=rule,\n"
                  "                                   customers=xiayi.customers)"),
    ),
    Question(
        "q2", points=3, variables="q2_schedule", evaluate=_check_q2,
        title="任务训练：召回短信在 12 月 12 日 18:00–20:00 每 15 分钟一批的发送安排",
        hint="先 plan = plan_sms(q1_recall, 召回短信, \"夏艺女装\", price=0.05)（去掉已退订和没有手机号的），"
             "再 schedule_sends(plan.messages, \"2018-12-12 18:00\", \"2018-12-12 20:00\", every_minutes=15)。",
        solution=("recall_plan = plan_sms(q1_recall, 召回短信, \"夏艺女装\", price=0.05)\n"
                  "q2_schedule = schedule_sends(recall_plan.messages, \"2018-12-12 18:00\", \"2018-12-12 20:00\",\n"
                  "                             every_minutes=15)\n"
                  "batch_table(q2_schedule)"),
    ),
    Question(
        "q3", points=2, variables="q3_cost", evaluate=_check_q3,
        title="任务训练：召回短信的总费用（元，每条 0.05 元）",
        hint="plan_sms(...) 逐人算计费条数（超过 70 个字的长短信每 67 个字 1 条），.cost 就是总费用。",
        solution="q3_cost = recall_plan.cost",
    ),
    Question(
        "q4", points=3, variables="q4_remind", evaluate=_check_q4,
        title="任务训练：本周（今天起 7 天）该收到复购提醒的客户（保健品专卖）",
        hint="repurchase_due(health.orders, health.items, health.products, as_of=HEALTH_TODAY, days=7) 列出"
             "（客户，商品）；取出客户编号去重，再去掉 sms_opt_out 为 True 的客户。",
        solution=("due = repurchase_due(health.orders, health.items, health.products, as_of=HEALTH_TODAY, days=7)\n"
                  "opted = health.customers.set_index(\"customer_id\")[\"sms_opt_out\"]\n"
                  "due_ids = pd.Index(due[\"customer_id\"].unique())\n"
                  "q4_remind = due_ids[~opted.loc[due_ids].to_numpy()]"),
    ),
    Question(
        "q5", points=3, variables="q5_carted", evaluate=_check_q5,
        title="6.18（6 月 1 日至 18 日）加购过、6 月 1 日至 10 月 31 日一单都没下的客户",
        hint="carted_without_order(xiayi.events, xiayi.orders, cart_start, cart_end, quiet_start, quiet_end)，"
             "两段日期都是两端都含。",
        solution=("q5_carted = carted_without_order(xiayi.events, xiayi.orders, cart_start=\"2018-06-01\", cart_end=\"2018-06-18\",\n"
                  "                                 quiet_start=\"2018-06-01\", quiet_end=\"2018-10-31\")"),
    ),
    Question(
        "q6", points=2, variables="q6_rate", evaluate=_check_q6,
        title="加购提醒短信的收件人里，11 月 1 日至 11 日（两端都含）下过单的比例（0 到 1，精确到 0.001）",
        hint="收件人是 cart_plan.messages 的索引；订单时间要 ≥ 11 月 1 日零点、< 11 月 12 日零点。",
        solution=("o = xiayi.orders\n"
                  "window = o[(o[\"order_time\"] >= \"2018-11-01\") & (o[\"order_time\"] < \"2018-11-12\")]\n"
                  "q6_rate = cart_plan.messages.index.isin(window[\"customer_id\"]).mean()"),
    ),
    Question(
        "q7", points=3, variables="q7_lapsed", evaluate=_check_q7,
        title="流失召回名单：复购日已经过了 1～30 天还没回购的客户（保健品专卖，去掉已退订的）",
        hint="repurchase_calendar(...) 的 days_left 是“该复购日 − 今天”：过期 1～30 天就是 −30 ≤ days_left ≤ −1。",
        solution=("cal = repurchase_calendar(health.orders, health.items, health.products, as_of=HEALTH_TODAY)\n"
                  "late_ids = pd.Index(cal.loc[cal[\"days_left\"].between(-30, -1), \"customer_id\"].unique())\n"
                  "q7_lapsed = late_ids[~opted.loc[late_ids].to_numpy()]"),
    ),
    QuizQuestion("q8", chapter="08", qid="q4", variable="q8_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, …, q8 = ch08.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

"""第 08 章 智能触达（夏艺女装，今天 = 2018-12-10；保健品专卖，今天 = 2016-06-01）的练习题。

练习本第一个代码单元格::

    from helpers.course.exercises import ch08
    q1, q2, q3, q4, q5, q6, q7, q8 = ch08.setup(globals())

任务训练（教材任务四）：
- q1：双12 高潜老客召回名单（按本题的规则，q1_recall）；
- q2：召回短信的分批发送安排（q2_schedule）；
- q3：召回短信的总费用（q3_cost）；
- q4：今天起 10 天内该收到复购提醒的客户（保健品专卖，q4_remind）。
比课堂多走一步：
- q5：6.18 加购、到双11（11 月 11 日）都没下单的客户（q5_carted）；
- q6：双十一加购提醒短信的收件人里，11 月 1 日至 11 日下单的比例（q6_rate）；
- q7：复购日已过 1～30 天、还没回购的流失召回名单（保健品专卖，q7_lapsed）；
- q8：章节测试（helpers/course/quizzes/ch08.json）的第 4 题（q8_answer）。

每道题的误读（Misreading）写成清单：读错了哪条规则或边界、读错后会交出什么答案、反馈说什么。
正确答案和误读的答案都在检查时从数据算出（lru_cache 缓存），从不写死数字。
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache, partial

import pandas as pd

from . import shop
from ..checks import Misreading, Question, Result, bind, compare_customer_sets, compare_number
from ..quiz import QuizQuestion
from ...sms import plan_sms
from ...touch import (HighPotentialRule, carted_without_order, high_potential, repurchase_calendar, repurchase_due,
                     schedule_sends, send_times)

CHAPTER = "08"
TITLE = "智能触达：双12 召回名单与发送安排、复购提醒、加购人群与效果"

SHOP_NAME = "夏艺女装"
SMS_PRICE = 0.05
# 第 1 题：本题的高潜老客规则（比课堂更严：最近 14 天、只看收藏和加购）
RECALL_RULE = HighPotentialRule(lookback_months=12, min_orders=2, quiet_since="2018-11-11", active_days=14,
                                active_events=("收藏", "加购"))
RECALL_TEXT = "{昵称}，双12最后几小时！您收藏、加购的宝贝今晚24点恢复原价，老客专享满399减40，库存不多，别错过~"
SEND_START, SEND_END, EVERY_MINUTES = "2018-12-12 18:00", "2018-12-12 20:00", 15
REMIND_DAYS = 10                     # 第 4 题：今天起 10 天（含今天），即 6 月 1 日至 6 月 10 日
CART_START, CART_END = "2018-06-01", "2018-06-18"        # 6.18 加购的日子
QUIET_START, QUIET_END = "2018-06-01", "2018-11-11"      # 第 5 题：从 6 月 1 日到双11 当天一单都没下
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


# 不在清单里的误读（在这份数据上算不出不同的名单）：
# - “最近 14 天”算上了今天：店铺的数据只到今天的前一天，今天没有行为记录；
# - 把双11 前一天（11 月 10 日）下过单的也去掉：没有哪位候选客户的最后一单正好在 11 月 10 日；
# - 12 个月的第一天（2017-12-10）的订单不算：没有候选客户因此少于 2 笔；
# - 下单之前的收藏、加购也算“有兴趣”：本题的 14 天（11 月 26 日起）全在“双11 以来没下单”之后，
#   候选客户在这段时间里的行为一定晚于他的最后一单，这条规则不可能改变名单。
Q1_MISREADINGS = [
    Misreading("你把“浏览”也算成了有兴趣：本题只看收藏和加购",
               lambda: recall_ids(active_events=("浏览", "收藏", "加购")), "有兴趣 = 收藏或加购"),
    Misreading("你用的是课堂上的 30 天：本题只看最近 14 天（11 月 26 日至 12 月 9 日）",
               lambda: recall_ids(active_days=30), "最近 14 天"),
    Misreading("你多算了一天：最近 14 天是今天之前的 14 天（11 月 26 日至 12 月 9 日），不是 15 天",
               lambda: recall_ids(active_days=15), "最近 14 天从 11 月 26 日算起"),
    Misreading("你少算了一天：最近 14 天从 11 月 26 日零点算起，11 月 26 日当天的收藏、加购也算",
               lambda: recall_ids(active_days=13), "最近 14 天含 11 月 26 日"),
    Misreading("你用了“下单 > 2 笔”（即 ≥ 3）：题目要求 ≥ 2 笔", lambda: recall_ids(min_orders=3), "下单 ≥ 2 笔"),
    Misreading("11 月 11 日当天下过单的客户也要去掉：“双11 以来”包括 11 日当天",
               lambda: recall_ids(quiet_since="2018-11-12"), "11 月 11 日当天起没有下单"),
]


# ---------------------------------------------------------------------------
# q2 分批发送；q3 总费用
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _recall_plan():
    return plan_sms(_recall_table(), RECALL_TEXT, SHOP_NAME, price=SMS_PRICE)


def recall_cost() -> float:
    """召回短信的总费用（元）：去掉已退订和没留手机号的客户，按每人的计费条数算。"""
    return _recall_plan().cost


def _recall_schedule(recipients: str = "计划", start: str = SEND_START, end: str = SEND_END,
                     every: int = EVERY_MINUTES) -> pd.DataFrame:
    """召回短信的发送安排；参数用来算“误读”（recipients='全部' 时没去掉已退订和没有手机号的客户）。"""
    people = _recall_plan().messages if recipients == "计划" else _recall_table()
    return schedule_sends(people, start, end, every_minutes=every)


Q2_OPTED = "名单里还有已退订或没留手机号的客户：先用 plan_sms 生成发送计划，再把 plan.messages 分批"
Q2_END = (f"20:00 那一刻不再发：发送时段是 {SEND_START[-5:]} 到 {SEND_END[-5:]}（不含 {SEND_END[-5:]}），"
          "最后一批在 19:45，你多排了 20:00 这一批")
Q2_MIDNIGHT = ("发送要从 12 月 12 日 18:00 开始：只写日期“2018-12-12”就是当天零点，你的安排从 00:00 就开始发了")
Q2_EVERY = f"发送间隔是每 {EVERY_MINUTES} 分钟一批（18:00、18:15……共 8 批）"
Q2_MISREADINGS = [
    Misreading(Q2_OPTED, lambda: _recall_schedule("全部"), "收件人 = plan_sms 的发送计划"),
    Misreading(Q2_END, lambda: _recall_schedule(end="2018-12-12 20:15"), "发送时段 [18:00, 20:00)：不含 20:00"),
    Misreading(Q2_MIDNIGHT, lambda: _recall_schedule(start="2018-12-12"), "开始时间是 18:00，不是零点"),
    Misreading(Q2_EVERY, lambda: _recall_schedule(every=10), "每 15 分钟一批"),
]


def _check_q2(answers, namespace):
    schedule = answers["q2_schedule"]
    if not isinstance(schedule, pd.DataFrame):
        return Result(False, f"应该是一张发送安排表（schedule_sends 的结果，DataFrame），你给的是 {type(schedule).__name__}。")
    missing = [c for c in ("batch", "send_time") if c not in schedule.columns]
    if missing:
        return Result(False, f"发送安排表里缺少 {'、'.join(missing)} 列：请用 schedule_sends(plan.messages, 开始, 结束, 间隔) 分批。")
    people = compare_customer_sets(schedule, lambda: _recall_plan().messages.index,
                                   alternatives={Q2_OPTED: lambda: recall_ids()}, table="recall_plan.messages")
    if not people.correct:
        return Result(False, f"收件人不对：{people.message}")
    times = pd.to_datetime(schedule["send_time"])
    wanted = send_times(SEND_START, SEND_END, EVERY_MINUTES)
    start, end = pd.Timestamp(SEND_START), pd.Timestamp(SEND_END)
    if (times < start).any() and times.min() == start.normalize():
        return Result(False, Q2_MIDNIGHT + "。")
    if (times == end).any() and not (times > end).any() and not (times < start).any():
        return Result(False, Q2_END + "。")
    outside = times[(times < start) | (times >= end)]
    if len(outside):
        return Result(False, f"有 {len(outside)} 位安排在 {SEND_START[-5:]}–{SEND_END[-5:]} 之外（例如 {outside.iloc[0]}）："
                             "召回短信要在 12 月 12 日 18:00 到 20:00 之间发完，20:00 那一刻不再发。")
    used = pd.DatetimeIndex(sorted(times.unique()))
    if not used.equals(wanted):
        gaps = sorted({int(m) for m in (used[1:] - used[:-1]).total_seconds() // 60}) if len(used) > 1 else []
        if gaps and gaps != [EVERY_MINUTES]:
            return Result(False, f"你每 {'、'.join(map(str, gaps))} 分钟发一批：{Q2_EVERY}。")
        return Result(False, f"发送时刻应是 18:00 起每 {EVERY_MINUTES} 分钟一批、共 {len(wanted)} 批，你的是 {len(used)} 个时刻。")
    sizes = times.value_counts()
    if sizes.max() - sizes.min() > 1:
        return Result(False, f"各批人数不平均：最多 {sizes.max()} 人、最少 {sizes.min()} 人，应该最多差 1 人。")
    per = f"{sizes.min()} 人" if sizes.min() == sizes.max() else f"{sizes.min()}～{sizes.max()} 人"
    return Result(True, f"{len(schedule)} 人分 {len(wanted)} 批，每批 {per}，"
                        f"{SEND_START[-5:]} 起每 {EVERY_MINUTES} 分钟一批。")


Q3_MISREADINGS = [
    Misreading("你没有去掉已退订和没留手机号的客户：营销短信不能发给他们，plan_sms 会自动去掉",
               lambda: round(len(recall_ids()) * SMS_PRICE, 2), "只给能收短信的人计费"),
    Misreading("你按每人 1 条算了：有的昵称较长，加上签名和“回T退订”后超过 70 个字，要按 2 条计费",
               lambda: round(_recall_plan().recipients * SMS_PRICE, 2), "长短信按计费条数算"),
]


# ---------------------------------------------------------------------------
# q4 今天起 10 天内的复购提醒（保健品专卖）
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def remind_ids(days: int = REMIND_DAYS, by_quantity: bool = True, drop_opted_out: bool = True,
               overdue: bool = False) -> frozenset:
    """今天起 days 天内（含今天）该复购、没有退订短信的客户；overdue=True 时连已经过了复购日的也算上（“误读”用）。"""
    shop = _health()
    if overdue:
        cal = repurchase_calendar(shop.orders, shop.items, shop.products, as_of=shop.today, by_quantity=by_quantity)
        due = cal[cal["days_left"] <= days - 1]
    else:
        due = repurchase_due(shop.orders, shop.items, shop.products, as_of=shop.today, days=days,
                             by_quantity=by_quantity)
    ids = pd.Index(due["customer_id"].unique())
    if drop_opted_out:
        ids = ids[~_opted_out(shop, ids).to_numpy()]
    return frozenset(ids)


Q4_MISREADINGS = [
    Misreading("回复过退订的客户还在名单里：本工作簿一律不主动联系他们（复购提醒也一样）",
               lambda: remind_ids(drop_opted_out=False), "去掉已退订的客户"),
    Misreading("你多算了一天：今天起 10 天是 6 月 1 日至 6 月 10 日（days=10），不是到 6 月 11 日",
               lambda: remind_ids(days=REMIND_DAYS + 1), "该复购日 ≤ 6 月 10 日"),
    Misreading("你少算了一天：今天起 10 天包括今天，是 6 月 1 日至 6 月 10 日", lambda: remind_ids(days=REMIND_DAYS - 1),
               "今天起的 10 天含今天（6 月 1 日）"),
    Misreading("你没有按购买数量算可用天数：买 3 盒能吃 3 个复购周期", lambda: remind_ids(by_quantity=False),
               "可用天数 = 复购周期 × 数量"),
    Misreading("已经过了复购日还没回购的客户也在名单里：他们属于流失召回（第 7 题），这次提醒只发今天起 10 天内到期的",
               lambda: remind_ids(overdue=True), "该复购日 ≥ 今天"),
]


# ---------------------------------------------------------------------------
# q5 6.18 加购、到 10 月底都没下单
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def carted_ids(cart_start: str = CART_START, cart_end: str = CART_END, quiet_start: str = QUIET_START,
               quiet_end: str = QUIET_END) -> frozenset:
    """cart_start 至 cart_end 加购过、quiet_start 至 quiet_end 都没下单的客户（日期两端都含）。"""
    shop = _xiayi()
    return frozenset(carted_without_order(shop.events, shop.orders, cart_start, cart_end, quiet_start, quiet_end).index)


def _day(day: str, shift: int) -> str:
    return str((pd.Timestamp(day) + pd.Timedelta(days=shift)).date())


# 不在清单里：不下单的时间段从 5 月 31 日算起（早了一天）。6.18 加购的客户里没有谁在 5 月 31 日下过单
# 而之后再没下单，两种读法选出同一批人。
Q5_MISREADINGS = [
    Misreading("这还是课堂上“只看 6 月没下单”的人群：7 月到双11 回来买过的客户也要去掉",
               lambda: carted_ids(quiet_end="2018-06-30"), "不下单时间段到 11 月 11 日"),
    Misreading("你只看到 10 月 31 日：11 月 1 日到双11 当天回来买过的客户也要去掉",
               lambda: carted_ids(quiet_end="2018-10-31"), "不下单时间段到 11 月 11 日"),
    Misreading("双11 当天（11 月 11 日）下过单的客户也要去掉：不下单的时间段到 11 月 11 日，两端都含",
               lambda: carted_ids(quiet_end=_day(QUIET_END, -1)), "不下单时间段含 11 月 11 日"),
    Misreading("11 月 12 日才下单的客户不用去掉：不下单的时间段到 11 月 11 日为止",
               lambda: carted_ids(quiet_end=_day(QUIET_END, 1)), "不下单时间段到 11 月 11 日为止"),
    Misreading("你漏掉了 6 月 18 日当天加购的客户：加购日期两端都含", lambda: carted_ids(cart_end=_day(CART_END, -1)),
               "加购时间段含 6 月 18 日"),
    Misreading("你把 6 月 19 日加购的客户也算进来了：6.18 的加购时间段到 6 月 18 日为止",
               lambda: carted_ids(cart_end=_day(CART_END, 1)), "加购时间段到 6 月 18 日为止"),
    Misreading("你漏掉了 6 月 1 日当天加购的客户：加购日期两端都含", lambda: carted_ids(cart_start=_day(CART_START, 1)),
               "加购时间段含 6 月 1 日"),
    Misreading("你把 5 月 31 日加购的客户也算进来了：6.18 的加购时间段从 6 月 1 日开始",
               lambda: carted_ids(cart_start=_day(CART_START, -1)), "加购时间段从 6 月 1 日开始"),
    Misreading("6 月 1 日当天下过单的客户也要去掉：不下单的时间段从 6 月 1 日算起（两端都含）",
               lambda: carted_ids(quiet_start=_day(QUIET_START, 1)), "不下单时间段含 6 月 1 日"),
]


# ---------------------------------------------------------------------------
# q6 加购提醒短信的收件人里，11 月 1 日至 11 日下单的比例
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _cart_plan():
    shop = _xiayi()
    case_summary = shop.summary(as_of=pd.Timestamp(CASE_DATE) - pd.Timedelta(days=1))
    audience = carted_ids(quiet_end="2018-06-30")
    return plan_sms(case_summary.loc[sorted(audience)], CART_TEXT, SHOP_NAME, price=SMS_PRICE)


def response_rate(end: str = RESPONSE_END, base: str = "收件人", start: str = RESPONSE_START) -> float:
    """加购提醒的收件人（base='全部加购客户' 时是整个人群）里，start 至 end（两端都含）下过单的比例。"""
    orders = _xiayi().orders
    lo, hi = pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)
    buyers = orders.loc[(orders["order_time"] >= lo) & (orders["order_time"] < hi), "customer_id"]
    ids = pd.Index(sorted(carted_ids(quiet_end="2018-06-30"))) if base != "收件人" else _cart_plan().messages.index
    return float(ids.isin(buyers).mean())


Q6_MISREADINGS = [
    Misreading("你漏掉了 11 月 1 日当天的订单：时间段从 11 月 1 日零点算起，两端都含",
               lambda: response_rate(start=_day(RESPONSE_START, 1)), "下单时间段含 11 月 1 日"),
    Misreading("你漏掉了 11 月 11 日当天的订单：两端都含，双11 当天正是下单最多的一天",
               lambda: response_rate(_day(RESPONSE_END, -1)), "下单时间段含 11 月 11 日"),
    Misreading("你把 11 月 12 日的订单也算进来了：时间段到 11 月 11 日为止，结束要用“< 11 月 12 日零点”",
               lambda: response_rate(_day(RESPONSE_END, 1)), "下单时间段到 11 月 11 日为止"),
    Misreading("分母用了全部加购未购买的客户：题目问的是收到短信的人（去掉了已退订和没留手机号的）",
               lambda: response_rate(base="全部加购客户"), "分母 = 收件人"),
]


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


Q7_MISREADINGS = [
    Misreading("你把今天刚好到期（days_left = 0）的也算进来了：他们属于即将到期的复购提醒，还没“过期”",
               lambda: lapsed_ids(hi=0), "days_left ≤ −1"),
    Misreading("你漏掉了恰好过期 30 天（days_left = -30）的客户：“1～30 天”两端都含",
               lambda: lapsed_ids(lo=-LAPSED_DAYS + 1), "days_left ≥ −30"),
    Misreading("你把过期 31 天（days_left = -31）的客户也算进来了：只要过期 1～30 天的",
               lambda: lapsed_ids(lo=-LAPSED_DAYS - 1), "过期不超过 30 天"),
    Misreading("回复过退订的客户还在名单里：召回短信不能发给他们", lambda: lapsed_ids(drop_opted_out=False),
               "去掉已退订的客户"),
]


# ---------------------------------------------------------------------------
# 填数题（章节测试 helpers/course/quizzes/ch08.json 用）
# ---------------------------------------------------------------------------
def carted_618_count() -> float:
    """6.18（6 月 1 日至 18 日）加购过、整个 6 月都没下单的客户数。"""
    return float(len(carted_ids(quiet_end="2018-06-30")))


# ---------------------------------------------------------------------------
# 题目
# ---------------------------------------------------------------------------
QUESTIONS = [
    Question(
        "q1", points=3, variables="q1_recall",
        title="任务训练：按本题的规则选出双12 高潜老客",
        hint=("本题的规则和课堂不同：最近 12 个月下单 ≥ 2 笔；11 月 11 日当天起没有下单；今天之前的 14 天里"
              "（11 月 26 日至 12 月 9 日）收藏或加购过，浏览不算。把规则写成 HighPotentialRule，再交给 high_potential。",
              "HighPotentialRule(lookback_months=..., min_orders=..., quiet_since=..., active_days=..., "
              "active_events=(...))，再交给 high_potential(..., rule=..., customers=xiayi.customers)，返回的第二张表是名单"),
        solution=("rule = HighPotentialRule(lookback_months=12, min_orders=2, quiet_since=\"2018-11-11\",\n"
                  "                         active_days=14, active_events=(\"收藏\", \"加购\"))\n"
                  "funnel, q1_recall = high_potential(xiayi.orders, xiayi.events, as_of=TODAY, rule=rule,\n"
                  "                                   customers=xiayi.customers)"),
        expected=recall_ids, compare=partial(compare_customer_sets, table="recall"), misreadings=Q1_MISREADINGS,
    ),
    Question(
        "q2", points=3, variables="q2_schedule", evaluate=_check_q2,
        title="任务训练：召回短信在 12 月 12 日 18:00–20:00 每 15 分钟一批的发送安排",
        hint=("先用 plan_sms 生成发送计划（它会去掉已退订和没有手机号的客户），再用 schedule_sends 分批；"
              "开始和结束时间都要写到几点几分，20:00 那一刻不再发。",
              "plan_sms(名单, 召回短信, 店铺名, price=...) 得到发送计划；schedule_sends(计划.messages, 开始, 结束, "
              "every_minutes=...)，开始、结束写成 \"2018-12-12 18:00\" 这样带时刻的文字"),
        solution=("recall_plan = plan_sms(q1_recall, 召回短信, \"夏艺女装\", price=0.05)\n"
                  "q2_schedule = schedule_sends(recall_plan.messages, \"2018-12-12 18:00\", \"2018-12-12 20:00\",\n"
                  "                             every_minutes=15)\n"
                  "batch_table(q2_schedule)"),
        expected=_recall_schedule, misreadings=Q2_MISREADINGS,
    ),
    Question(
        "q3", points=2, variables="q3_cost",
        title="任务训练：召回短信的总费用（元，每条 0.05 元）",
        hint=("费用按计费条数算，不按人数：超过 70 个字的长短信每 67 个字算 1 条；已退订和没有手机号的客户不发、不计费。",
              "第 2 题的发送计划已经逐人算好了计费条数和费用：看一看它的属性（recipients、total_parts……），不要用人数 × 单价"),
        solution="q3_cost = recall_plan.cost",
        expected=recall_cost, compare=partial(compare_number, unit="元"), misreadings=Q3_MISREADINGS,
    ),
    Question(
        "q4", points=3, variables="q4_remind",
        title="任务训练：6.18 前提早提醒——今天起 10 天内（6 月 1 日至 10 日）该复购的客户（保健品专卖）",
        hint=("今天起 10 天是 6 月 1 日至 6 月 10 日，两端都含；已经过了复购日的不在这次提醒里；"
              "可用天数按购买数量算；一位客户买了几种商品也只出现一次，回复过退订的客户去掉。",
              "repurchase_due(health.orders, health.items, health.products, as_of=HEALTH_TODAY, days=10)，"
              "取出 customer_id 去重，再去掉 sms_opt_out 为 True 的客户"),
        solution=("due = repurchase_due(health.orders, health.items, health.products, as_of=HEALTH_TODAY, days=10)\n"
                  "opted = health.customers.set_index(\"customer_id\")[\"sms_opt_out\"]\n"
                  "due_ids = pd.Index(due[\"customer_id\"].unique())\n"
                  "q4_remind = due_ids[~opted.loc[due_ids].to_numpy()]"),
        expected=remind_ids, compare=partial(compare_customer_sets, table="due"), misreadings=Q4_MISREADINGS,
    ),
    Question(
        "q5", points=3, variables="q5_carted",
        title="6.18（6 月 1 日至 18 日）加购过、6 月 1 日至双11（11 月 11 日）一单都没下的客户",
        hint=("两段日期都是两端都含：加购在 6 月 1 日至 18 日之间，不下单的时间段从 6 月 1 日到 11 月 11 日"
              "（比课堂的“整个 6 月”长得多，双11 当天下过单的也要去掉）。",
              "carted_without_order(xiayi.events, xiayi.orders, cart_start, cart_end, quiet_start, quiet_end)"),
        solution=("q5_carted = carted_without_order(xiayi.events, xiayi.orders, cart_start=\"2018-06-01\", cart_end=\"2018-06-18\",\n"
                  "                                 quiet_start=\"2018-06-01\", quiet_end=\"2018-11-11\")"),
        expected=carted_ids, compare=partial(compare_customer_sets, table="carted"), misreadings=Q5_MISREADINGS,
    ),
    Question(
        "q6", points=2, variables="q6_rate",
        title="加购提醒短信的收件人里，11 月 1 日至 11 日（两端都含）下过单的比例（0 到 1，精确到 0.001）",
        hint=("分母是真正收到短信的人（发送计划里的收件人），分子是其中在 11 月 1 日零点到 11 月 12 日零点之前下过单的人。",
              "先选出下单时间在 [11 月 1 日零点, 11 月 12 日零点) 的订单；收件人编号 .isin(这些订单的 customer_id)，"
              "再求平均"),
        solution=("o = xiayi.orders\n"
                  "window = o[(o[\"order_time\"] >= \"2018-11-01\") & (o[\"order_time\"] < \"2018-11-12\")]\n"
                  "q6_rate = cart_plan.messages.index.isin(window[\"customer_id\"]).mean()"),
        expected=response_rate, compare=partial(compare_number, tolerance=0.0005, unit=""), misreadings=Q6_MISREADINGS,
    ),
    Question(
        "q7", points=3, variables="q7_lapsed",
        title="流失召回名单：复购日已经过了 1～30 天还没回购的客户（保健品专卖，去掉已退订的）",
        hint=("days_left 是该复购日减今天：过期 1～30 天就是 days_left 在 −30 到 −1 之间，两端都含；"
              "今天到期的属于即将到期的提醒，不算过期；回复过退订的客户去掉。",
              "repurchase_calendar(...) 的 days_left 列用 .between(下限, 上限)（两端都含）筛选，取出 customer_id 去重，"
              "再去掉已退订的"),
        solution=("cal = repurchase_calendar(health.orders, health.items, health.products, as_of=HEALTH_TODAY)\n"
                  "late_ids = pd.Index(cal.loc[cal[\"days_left\"].between(-30, -1), \"customer_id\"].unique())\n"
                  "q7_lapsed = late_ids[~opted.loc[late_ids].to_numpy()]"),
        expected=lapsed_ids, compare=partial(compare_customer_sets, table="cal"), misreadings=Q7_MISREADINGS,
    ),
    QuizQuestion("q8", chapter="08", qid="q4", variable="q8_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, …, q8 = ch08.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

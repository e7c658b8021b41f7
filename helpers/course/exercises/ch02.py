"""第 02 章“客户分组：母亲节”的练习题目。

练习本第一个代码单元格之后::

    from helpers.course.exercises import ch02
    q1, q2, q3, q4, q5, q6, q7 = ch02.setup(globals())

任务训练（照一份写好的需求建分组）：
- q1：保健品专卖的“父亲节”分组：先写出规则本身（q1_rule，一个 Segment），再用它选出客户（q1_group）；
- q2：按表单顺序加规则，哪一条规则去掉的客户最多（q2_rule）。
练习：
- q3：在分组结果上再加一个表单里没有的条件：年龄 ≥ 50 岁（q3_group）；
- q4：父亲节分组的客单价：销售额 ÷ 付款买家数（q4_aov，元）；
- q5：下过单的客户按最后下单距今天数分成活跃 / 普通 / 休眠（q5_activity）；
- q6：章节测试 ch02.json 的 q3（q6_answer）；
- q7（SQL 视图）：在父亲节分组的 SQL 里把订单总金额的门槛降到 150 元，用 DuckDB 运行（q7_group），
  再写出同样规则的 Segment（q7_rule），两者选出同一批人。

每道题的误读写成数据（Misreading：读错了哪条边界、会交出什么答案、反馈说什么）。
第 1 题要的是规则本身，检查时把规则用在一张“边界客户”小表上（Segment.boundary_probe）：
每条数值和日期界线上都正好有一位客户，所以 > 与 ≥、日期早一天或晚一天都会被认出来，
不依赖真实数据里碰巧有没有这样的客户。

正确答案都由下面的函数在检查时从数据算出（lru_cache，每个内核只算一次），从不写死数字。
章节测试里的填数题也用本模块的函数：mothers_day_total_amount、mothers_goal_ge100_count。

本模块还提供第 03、04 章共用的“规则题”工具：make_segment、rule_misreadings、check_rule_then。
"""
from __future__ import annotations

from functools import lru_cache, partial

import numpy as np
import pandas as pd

from . import summary
from ..checks import Misreading, Question, Result, bind, compare_customer_sets, compare_mapping, compare_number
from ..quiz import QuizQuestion
from ...money import to_fen
from ...segment_rules import RULE_BY_KEY, find_rule
from ...segments import Segment
from ._rules import check_rule_then, make_segment, product_titles, rule_misreadings

CHAPTER = "02"
TITLE = "客户分组：母亲节（练习：父亲节分组）"

# 任务训练：保健品专卖的父亲节分组（需求写在练习本里；这里是同一份需求的代码形式）
FATHERS_DAY = dict(min_total_amount=200, gender="男", last_order_after="2016-03-01", min_points=100,
                   products=("辅酶Q10软胶囊", "银杏叶片", "纳豆红曲胶囊", "番茄红素软胶囊"),
                   regions=("上海", "江苏", "浙江", "北京"))
MIN_AGE = 50                 # 第 3 题：年龄 ≥ 50 岁
SQL_THRESHOLD = 150          # 第 7 题：SQL 里把订单总金额的门槛降到 150 元
ACTIVE_DAYS = 60             # 第 5 题：距今 ≤ 60 天为活跃
SLEEP_DAYS = 180             # 第 5 题：距今 > 180 天为休眠
ACTIVITY = ("活跃", "普通", "休眠")

# 课上的母亲节分组（操作步骤口径），章节测试的填数题用
MOTHERS_DAY = dict(min_orders=2, min_avg_order_value=200, gender="女", last_order_after="2015-03-01",
                   products=("新生儿枕头",), regions=("上海",))

_summary = partial(summary, "health")


# ---------------------------------------------------------------------------
# 从数据算出正确答案（以及常见误读的结果）
# ---------------------------------------------------------------------------
def fathers_day_rule(**changes) -> Segment:
    """父亲节分组的规则；changes 改动某条规则（值为 None 表示去掉这条），用来写“误读”。"""
    return make_segment(FATHERS_DAY, "父亲节", "父亲节关爱", **changes)


@lru_cache(maxsize=None)
def _fathers_day_selection(changes: tuple) -> pd.DataFrame:
    return fathers_day_rule(**dict(changes)).select(_summary())


def fathers_day_ids(**changes) -> frozenset:
    """父亲节分组的客户编号；changes 同 fathers_day_rule。"""
    return frozenset(_fathers_day_selection(tuple(sorted(changes.items()))).index)


def fathers_day_group() -> pd.DataFrame:
    """父亲节分组的入组客户（汇总表的行）。"""
    return _fathers_day_selection(())


def _q1_answer(changes: dict) -> dict:
    rule = fathers_day_rule(**changes)
    return {"q1_rule": rule, "q1_group": _fathers_day_selection(tuple(sorted(changes.items())))}


@lru_cache(maxsize=None)
def fathers_day_steps() -> pd.DataFrame:
    """父亲节分组的漏斗，每条规则一行：rule（参数名）、条件、剩余客户数、本步去掉、去掉比例。"""
    segment = fathers_day_rule()
    funnel = segment.funnel(_summary()).iloc[1:].reset_index(drop=True)
    funnel.insert(0, "rule", list(segment.rules))
    before = funnel["剩余客户数"] + funnel["本步去掉"]
    funnel["去掉比例"] = funnel["本步去掉"] / before
    return funnel


def age_ids(min_age: int = MIN_AGE, whole_shop: bool = False, strict: bool = False,
            younger: bool = False) -> frozenset:
    """第 3 题：父亲节分组里年龄 ≥ min_age 的客户。strict=True 算“> min_age”的误读，
    whole_shop=True 在全店里筛，younger=True 留下的是 min_age 岁以下的客户。"""
    data = _summary() if whole_shop else fathers_day_group()
    age = data["age"]
    keep = age < min_age if younger else (age > min_age if strict else age >= min_age)
    return frozenset(data.index[keep])


def _fen_sum(amounts: pd.Series) -> int:
    return int(to_fen(amounts.astype("float64")).sum())


def fathers_day_aov(kind: str = "per_buyer") -> float:
    """父亲节分组的客单价（元）。kind：
    "per_buyer" 销售额 ÷ 付款买家数（客单价，正确答案）；"per_order" 销售额 ÷ 订单数（平均订单价）；
    "mean_aov" 每位客户平均订单价的平均；"shop" 全店的客单价（全店销售额 ÷ 全店买家数）。"""
    group = fathers_day_group()
    if kind == "per_buyer":
        return _fen_sum(group["total_amount"]) / int((group["order_count"] > 0).sum()) / 100
    if kind == "per_order":
        return _fen_sum(group["total_amount"]) / int(group["order_count"].sum()) / 100
    if kind == "mean_aov":
        return float(group["avg_order_value"].mean())
    if kind == "shop":
        data = _summary()
        return _fen_sum(data["total_amount"]) / int((data["order_count"] > 0).sum()) / 100
    raise ValueError(f"不认识的 kind：{kind!r}。")


@lru_cache(maxsize=None)
def activity_counts(active: int = ACTIVE_DAYS, active_inclusive: bool = True, sleep_inclusive: bool = True,
                    with_non_buyers: bool = False, by_timedelta: bool = False) -> dict:
    """下过单的客户按最后下单距今天数分档的人数：≤ active 天活跃，≤ 180 天普通，> 180 天休眠。

    误读：active_inclusive=False 把正好 active 天的客户分到普通；sleep_inclusive=False 把正好 180 天的
    分到休眠；with_non_buyers=True 把没下过单的客户算进休眠；by_timedelta=True 用
    “今天 − 最后下单时刻”的 .dt.days 算天数（下单时刻不是零点，每人少算 1 天）。
    """
    data = _summary()
    if by_timedelta:
        days = (pd.Timestamp(shop_today()) - data["last_order"]).dt.days.astype("float64")
    else:
        days = data["recency_days"].astype("float64")
    is_active = days <= active if active_inclusive else days < active
    is_sleep = days > SLEEP_DAYS if sleep_inclusive else days >= SLEEP_DAYS
    result = {"活跃": int(is_active.sum()), "普通": int((~is_active & ~is_sleep & days.notna()).sum()),
              "休眠": int((is_sleep & ~is_active).sum())}
    if with_non_buyers:
        result["休眠"] += int(days.isna().sum())
    return result


def shop_today() -> pd.Timestamp:
    from . import shop

    return shop("health").today


def mothers_day_total_amount() -> float:
    """章节测试：A店铺母亲节分组（操作步骤口径）全部客户的订单总金额合计（元，精确到分）。"""
    group = make_segment(MOTHERS_DAY, "母亲节").select(summary("a_kids"))
    return _fen_sum(group["total_amount"]) / 100


def mothers_goal_ge100_count() -> float:
    """章节测试：订单总数 > 2（即 ≥ 3）、平均订单价 ≥ 100 元、其余按操作步骤时，母亲节分组的人数。"""
    segment = make_segment(MOTHERS_DAY, "母亲节", min_avg_order_value=100, min_orders=3)
    return float(len(segment.select(summary("a_kids"))))


# ---------------------------------------------------------------------------
# 第 1 题：规则本身（在边界客户小表上检查）+ 用它选出的客户
# ---------------------------------------------------------------------------
_P = FATHERS_DAY["products"]
Q1_READINGS = [
    ("订单总金额写成了“> 200 元”：需求说“满 200 元”，正好 200 元的客户也要入组，写 min_total_amount=200",
     "订单总金额 ≥ 200 元（满 200 元）", {"min_total_amount": 200.01}),
    ("“累计消费”是订单总金额（min_total_amount），不是平均订单价（min_avg_order_value）",
     "累计消费 = 订单总金额", {"min_total_amount": None, "min_avg_order_value": 200}),
    ("积分写成了“> 100”：需求说“不少于 100”，积分正好 100 的客户也要入组，写 min_points=100",
     "积分 ≥ 100（不少于 100）", {"min_points": 101}),
    ("最后下单时间晚了一天：“3 月 1 日当天或之后”要含 3 月 1 日，last_order_after=\"2016-03-01\" 已经包括这一天",
     "最后下单时间 ≥ 2016-03-01（含当天），不是晚一天", {"last_order_after": "2016-03-02"}),
    ("最后下单时间早了一天：last_order_after 本身就含当天，写 2016-02-29 会把 2 月 29 日下单的客户也选进来",
     "最后下单时间 ≥ 2016-03-01（含当天），不是早一天", {"last_order_after": "2016-02-29"}),
    ("“最近 3 个月”按 90 天算成了 2016-03-03：3 个月是日历月，从今天 6 月 1 日往前推 3 个月是 3 月 1 日",
     "最近 3 个月 = 3 个日历月，不是 90 天", {"last_order_after": "2016-03-03"}),
    ("最后下单时间用了 2016-01-01（今年以来）：需求要的是最近 3 个月，即 2016-03-01 当天或之后",
     "最后下单时间的起点是 3 月 1 日，不是 1 月 1 日", {"last_order_after": "2016-01-01"}),
    ("所属地区只勾了上海：需求里要的是上海、江苏、浙江、北京四个地区（属于其中任一即可）",
     "所属地区 = 上海、江苏、浙江、北京", {"regions": ("上海",)}),
    ("没有填所属地区：这次只做江浙沪和北京，要勾选上海、江苏、浙江、北京",
     "所属地区只要四个地区，不是全部地区", {"regions": None}),
    ("漏了“性别：男”这一条：父亲节分组只要男性客户", "性别 = 男", {"gender": None}),
    (f"商品范围只勾了{_P[0]}：需求里的四款商品买过任一款就算", "商品范围 = 四款商品（买过任一）",
     {"products": _P[:1]}),
]


def _check_q1(answers, namespace):
    return check_rule_then(
        answers, "q1_rule", fathers_day_rule, Q1_READINGS, "q1_group",
        lambda group: compare_customer_sets(group, fathers_day_ids(), table="summary"),
        titles=product_titles())


# ---------------------------------------------------------------------------
# 第 2 题：漏斗里哪一条规则去掉的客户最多
# ---------------------------------------------------------------------------
BY_SHARE = "你找的是去掉比例最大的一条"
FEWEST_LEFT = "你找的是做完以后剩下客户最少的一步"
MOST_LEFT = "你找的是“剩余客户数”最大的一行"
FEWEST_REMOVED = "你找的是去掉人数最少的一条"
NOT_IN_GROUP = "父亲节分组里没有这条规则"

_NO_RULE = ("（不加条件）", "不加条件", "全部客户")


def _rule_key(text: str, steps: pd.DataFrame):
    """把学生写的规则（漏斗里的“条件”、中文规则名或参数名）认成参数名；认不出时返回 None。"""
    text = " ".join(str(text).split())
    for key, condition in zip(steps["rule"], steps["条件"]):
        if text == condition or text == key:
            return key
    return find_rule(text)


def _step_condition(column: str, how: str) -> str:
    steps = fathers_day_steps()
    index = steps[column].idxmax() if how == "max" else steps[column].idxmin()
    return str(steps.loc[index, "条件"])


def _check_q2(answers, namespace):
    answer = answers["q2_rule"]
    steps = fathers_day_steps()
    if isinstance(answer, pd.DataFrame):
        return Result(False, "你给的是整张漏斗表：请找出“本步去掉”最大的那一行，把它的“条件”赋给 q2_rule。")
    if isinstance(answer, pd.Series) and "条件" in answer.index:
        answer = answer["条件"]
    if isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool):
        return Result(False, f"你给的是一个数（{answer:g}）：题目要的是哪一条规则，请写漏斗表里“条件”一列的文字，"
                             "例如“所属地区为……”。")
    if not isinstance(answer, str):
        return Result(False, f"应该是一段文字（漏斗表里“条件”一列的内容），你给的是 {type(answer).__name__}。")
    if answer.strip() in _NO_RULE:
        return Result(False, f"{MOST_LEFT}：那是还没加任何规则的第一行。题目问的是哪一条规则去掉的人最多，"
                             "在“本步去掉”一列里找最大的。")
    key = _rule_key(answer, steps)
    if key is None:
        return Result(False, f"认不出“{answer}”是哪一条规则：请照抄漏斗表里“条件”一列的文字，例如“{steps['条件'].iloc[0]}”。")
    if key not in set(steps["rule"]):
        name = RULE_BY_KEY[key].label
        return Result(False, f"{NOT_IN_GROUP}：“{name}”不在需求里（是不是看了课上母亲节分组的漏斗？）。"
                             "先按需求把父亲节分组建好，再看它的漏斗。")
    row = steps.set_index("rule").loc[key]
    best = steps.loc[steps["本步去掉"].idxmax()]
    if key == best["rule"]:
        return Result(True, f"“{best['条件']}”这一步去掉了 {int(best['本步去掉'])} 位客户，比任何一条都多。")
    if key == steps.loc[steps["去掉比例"].idxmax(), "rule"]:
        return Result(False, f"{BY_SHARE}（“{row['条件']}”去掉了上一步的 {row['去掉比例']:.1%}），"
                             f"但人数只有 {int(row['本步去掉'])} 位：题目问的是去掉人数最多的一条，看“本步去掉”一列。")
    if key == steps["rule"].iloc[-1]:
        return Result(False, f"{FEWEST_LEFT}：“{row['条件']}”是最后一条规则，做完它剩下的客户自然最少"
                             f"（{int(row['剩余客户数'])} 位），但它只去掉了 {int(row['本步去掉'])} 位。"
                             "题目问的是哪一条去掉的人最多，看“本步去掉”一列。")
    if key == steps.loc[steps["本步去掉"].idxmin(), "rule"]:
        return Result(False, f"{FEWEST_REMOVED}（“{row['条件']}”只去掉了 {int(row['本步去掉'])} 位）："
                             "要的是最多的一条，用 idxmax，不是 idxmin。")
    return Result(False, f"“{row['条件']}”去掉了 {int(row['本步去掉'])} 位客户，还有一条规则去掉的更多。")


Q2_MISREADINGS = [
    Misreading(BY_SHARE, partial(_step_condition, "去掉比例", "max"), "按人数（本步去掉）比，不是按比例"),
    Misreading(FEWEST_LEFT, lambda: str(fathers_day_steps()["条件"].iloc[-1]), "看“本步去掉”，不是“剩余客户数”最少"),
    Misreading(MOST_LEFT, lambda: "（不加条件）", "在“剩余客户数”一列上用了 idxmax"),
    Misreading(FEWEST_REMOVED, partial(_step_condition, "本步去掉", "min"), "idxmax，不是 idxmin"),
    Misreading(NOT_IN_GROUP, lambda: "订单总数 ≥ 2 笔", "父亲节分组的漏斗，不是课上母亲节分组的漏斗"),
]


# ---------------------------------------------------------------------------
# 第 3–5 题
# ---------------------------------------------------------------------------
Q3_MISREADINGS = [
    Misreading(f"年龄写成了“> {MIN_AGE}”：“{MIN_AGE} 岁及以上”含正好 {MIN_AGE} 岁的客户，要用 >=",
               partial(age_ids, strict=True), f"年龄 ≥ {MIN_AGE}（含 {MIN_AGE} 岁）"),
    Misreading("你在全店客户里按年龄筛选了：要在第 1 题选出的父亲节分组 q1_group 里再筛",
               partial(age_ids, whole_shop=True), "在 q1_group 上筛，不是在 summary 上"),
    Misreading(f"你用了课上“老年”的界线 60 岁：店长要的是 {MIN_AGE} 岁及以上", partial(age_ids, 60),
               f"界线是 {MIN_AGE} 岁，不是课上年龄段的 60 岁"),
    Misreading(f"你留下的是 {MIN_AGE} 岁以下的客户：店长要的是 {MIN_AGE} 岁及以上的，条件的方向反了",
               partial(age_ids, younger=True), f"留下 ≥ {MIN_AGE} 岁的客户"),
]

Q4_MISREADINGS = [
    Misreading("你算的是平均订单价（也叫笔单价）：订单总金额 ÷ 订单总数。这道题问的是客单价，"
               "按平台数据工具的口径是销售额 ÷ 付款买家人数", partial(fathers_day_aov, "per_order"),
               "客单价 = 销售额 ÷ 付款买家数（不是 ÷ 订单数）"),
    Misreading("你把每位客户的平均订单价又平均了一次：那既不是客单价，也不是整组的平均订单价；"
               "客单价 = 全组的订单总金额 ÷ 付款买家人数", partial(fathers_day_aov, "mean_aov"),
               "先汇总全组，再相除"),
    Misreading("这是全店的客单价：题目只问父亲节分组（q1_group）的客户", partial(fathers_day_aov, "shop"),
               "人群是父亲节分组，不是全店"),
    # “除以全部客户（含没下过单的）”在这里改变不了答案：父亲节分组要求订单总金额 ≥ 200 元，组里人人都是买家。
]

Q5_MISREADINGS = [
    Misreading(f"正好 {ACTIVE_DAYS} 天和 {SLEEP_DAYS} 天的客户都被分到了下一档：“{ACTIVE_DAYS} 天以内”含第 {ACTIVE_DAYS} 天，"
               f"“超过 {SLEEP_DAYS} 天”不含第 {SLEEP_DAYS} 天（pd.cut 用默认的 right=True，不要改成 False）。",
               partial(activity_counts, active_inclusive=False, sleep_inclusive=False),
               f"两条界线都含右端：≤ {ACTIVE_DAYS}、≤ {SLEEP_DAYS}"),
    Misreading(f"正好 {ACTIVE_DAYS} 天的客户被分到了普通：活跃是“{ACTIVE_DAYS} 天以内（含第 {ACTIVE_DAYS} 天）”，"
               f"即 ≤ {ACTIVE_DAYS}，不是 < {ACTIVE_DAYS}。", partial(activity_counts, active_inclusive=False),
               f"活跃：距今 ≤ {ACTIVE_DAYS} 天"),
    Misreading(f"正好 {SLEEP_DAYS} 天的客户被分到了休眠：休眠是“超过 {SLEEP_DAYS} 天”，第 {SLEEP_DAYS} 天还算普通。",
               partial(activity_counts, sleep_inclusive=False), f"休眠：距今 > {SLEEP_DAYS} 天"),
    Misreading(f"你用了课上 A店铺的界线 90 天：保健品的复购周期短，这里活跃的界线是 {ACTIVE_DAYS} 天。",
               partial(activity_counts, active=90), f"活跃的界线是 {ACTIVE_DAYS} 天，不是 90 天"),
    Misreading("你把没下过单的客户也算进了休眠：他们从来没买过，不属于这三档里的任何一档。",
               partial(activity_counts, with_non_buyers=True), "只数下过单的客户"),
    Misreading("你用“今天 − 最后下单时间”再取 .dt.days 算天数：下单时刻不是零点，每位客户都少算了 1 天；"
               "按日期算（直接用 recency_days）。", partial(activity_counts, by_timedelta=True),
               "距今天数按日历日期算"),
]


# ---------------------------------------------------------------------------
# 第 7 题：SQL 视图——在 SQL 里改门槛，再写出同样的 Segment
# ---------------------------------------------------------------------------
def sql_rule(**changes) -> Segment:
    """第 7 题的规则：父亲节分组，订单总金额门槛降到 SQL_THRESHOLD 元；changes 写误读。"""
    return fathers_day_rule(**{"min_total_amount": SQL_THRESHOLD, **changes})


def sql_ids(**changes) -> frozenset:
    return fathers_day_ids(**{"min_total_amount": SQL_THRESHOLD, **changes})


Q7_UNCHANGED = "q7_group 还是原来 200 元门槛的名单：SQL 里订单总金额那一行的 20000 没有改"
Q7_POINTS = "改成了积分那一行（COALESCE(s.points, 0) >= 100）：要改的是订单总金额（累计消费）的门槛，积分仍是 100"
Q7_READINGS = [
    (f"Segment 里的金额写“元”：门槛 {SQL_THRESHOLD} 元就写 min_total_amount={SQL_THRESHOLD}；"
     f"{SQL_THRESHOLD * 100} 是 SQL 里按分比较时的写法", "Segment 用元，SQL 用分",
     {"min_total_amount": SQL_THRESHOLD * 100}),
    (f"q7_rule 还是原来 200 元的门槛：要和改过的 SQL 一样降到 {SQL_THRESHOLD} 元", f"门槛降到 {SQL_THRESHOLD} 元",
     {"min_total_amount": 200}),
    ("改成了积分的门槛：要改的是订单总金额（累计消费），积分仍是 100", "改订单总金额，不改积分",
     {"min_total_amount": 200, "min_points": SQL_THRESHOLD}),
]
# SQL 里把 15000 写成 150（元当成分）在这份数据上选不出别的人：积分 ≥ 100 的客户都买过不止 1.5 元，
# 所以这个误读只在 Segment 一侧检查（第一条 Q7_READINGS：Segment 里写成 15000）。
Q7_GROUPS = {Q7_UNCHANGED: partial(sql_ids, min_total_amount=200),
             Q7_POINTS: partial(sql_ids, min_total_amount=200, min_points=SQL_THRESHOLD)}


def _q7_answer(rule_changes: dict, group=None) -> dict:
    return {"q7_rule": sql_rule(**rule_changes), "q7_group": sorted(group() if group else sql_ids())}


def _check_q7(answers, namespace):
    return check_rule_then(
        answers, "q7_rule", sql_rule, Q7_READINGS, "q7_group",
        lambda group: compare_customer_sets(group, sql_ids(), alternatives=Q7_GROUPS, table="run 的结果"),
        titles=product_titles())


QUESTIONS = [
    Question(
        "q1", points=3, variables=("q1_rule", "q1_group"), evaluate=_check_q1,
        title="照需求写出保健品专卖“父亲节”分组的规则，并选出入组客户",
        hint=("把需求里的每一句话翻译成一条 Segment 规则：“满”“不少于”“当天或之后”都含界线本身；"
              "“最近 3 个月”从今天往前推 3 个日历月；商品和地区都是“任一即可”的名单。",
              "q1_rule = Segment(\"父亲节\", \"父亲节关爱\", min_total_amount=..., gender=..., "
              "last_order_after=\"2016-..-..\", min_points=..., products=[...], regions=[...])，"
              "再 q1_group = q1_rule.select(summary)。"),
        solution=("q1_rule = Segment(\"父亲节\", \"父亲节关爱\", min_total_amount=200, gender=\"男\",\n"
                  "                  last_order_after=\"2016-03-01\", min_points=100,\n"
                  "                  products=[\"辅酶Q10软胶囊\", \"银杏叶片\", \"纳豆红曲胶囊\", \"番茄红素软胶囊\"],\n"
                  "                  regions=[\"上海\", \"江苏\", \"浙江\", \"北京\"])\n"
                  "q1_group = q1_rule.select(summary)"),
        expected=lambda: _q1_answer({}),
        misreadings=rule_misreadings(Q1_READINGS, _q1_answer),
    ),
    Question(
        "q2", points=2, variables="q2_rule", evaluate=_check_q2,
        title="父亲节分组里，哪一条规则去掉的客户最多",
        hint=("漏斗表逐条列出每加一条规则之后剩下多少人、这一步去掉多少人；要比的是“本步去掉”这一列的人数，"
              "不是“剩余客户数”，也不是去掉的比例。找最大值所在的那一行，就像课上找母亲节漏斗里去掉最多的一步。",
              "funnel = q1_rule.funnel(summary)，再 funnel.loc[funnel[\"本步去掉\"].idxmax(), \"条件\"]。"),
        solution=("funnel = q1_rule.funnel(summary)\n"
                  "q2_rule = funnel.loc[funnel[\"本步去掉\"].idxmax(), \"条件\"]"),
        expected=lambda: _step_condition("本步去掉", "max"),
        misreadings=Q2_MISREADINGS,
    ),
    Question(
        "q3", points=2, variables="q3_group",
        title=f"在父亲节分组里只留 {MIN_AGE} 岁及以上的客户",
        hint=(f"表单里没有年龄这一项，Segment 也没有：在第 1 题选出的分组上用 pandas 再筛一次；"
              f"“{MIN_AGE} 岁及以上”含正好 {MIN_AGE} 岁。",
              "q3_group = q1_group[q1_group[\"age\"] >= ...]"),
        solution=f"q3_group = q1_group[q1_group[\"age\"] >= {MIN_AGE}]",
        expected=age_ids, compare=partial(compare_customer_sets, table="q1_group"),
        misreadings=Q3_MISREADINGS,
    ),
    Question(
        "q4", points=2, variables="q4_aov",
        title="父亲节分组的客单价（销售额 ÷ 付款买家数，元）",
        hint=("客单价按买家算：这群客户一共花了多少钱，除以其中付过款的买家人数；"
              "平均订单价才是除以订单数。先把全组加起来，再相除。",
              "q1_group[\"total_amount\"].sum() 是全组的销售额；付款买家人数是 order_count > 0 的客户数。"),
        solution=("buyers = q1_group[q1_group[\"order_count\"] > 0]\n"
                  "q4_aov = buyers[\"total_amount\"].sum() / len(buyers)"),
        expected=fathers_day_aov, compare=partial(compare_number, unit="元"),
        misreadings=Q4_MISREADINGS,
    ),
    Question(
        "q5", points=2, variables="q5_activity",
        title="保健品专卖下过单的客户：活跃、普通、休眠各有多少位",
        hint=(f"用最后下单距今的天数（按日期算）分三档：{ACTIVE_DAYS} 天以内含第 {ACTIVE_DAYS} 天，"
              f"{SLEEP_DAYS} 天也还算普通，超过 {SLEEP_DAYS} 天才是休眠；没下过单的客户不在任何一档。",
              f"pd.cut(买家[\"recency_days\"].astype(\"float\"), bins=[-1, {ACTIVE_DAYS}, {SLEEP_DAYS}, np.inf], "
              "labels=[\"活跃\", \"普通\", \"休眠\"])，再 .value_counts()。"),
        solution=("buyers = summary[summary[\"order_count\"] > 0]\n"
                  "bands = pd.cut(buyers[\"recency_days\"].astype(\"float\"),\n"
                  f"               bins=[-1, {ACTIVE_DAYS}, {SLEEP_DAYS}, np.inf],\n"
                  "               labels=[\"活跃\", \"普通\", \"休眠\"])\n"
                  "q5_activity = bands.value_counts()"),
        expected=activity_counts, compare=compare_mapping,
        misreadings=Q5_MISREADINGS,
    ),
    QuizQuestion("q6", chapter="02", qid="q3", variable="q6_answer", points=1),
    Question(
        "q7", points=2, variables=("q7_rule", "q7_group"), evaluate=_check_q7,
        title=f"SQL 视图：在父亲节分组的 SQL 里把订单总金额的门槛降到 {SQL_THRESHOLD} 元，再写出同样的 Segment",
        hint=("SQL 里每条规则占一行 WHERE 条件，行末的中文注释说明它是哪条规则；金额按“分”比较，"
              "所以门槛的数是元乘以 100。只改订单总金额那一行的数，其他规则不动。Segment 里金额仍写元。",
              "sql = q1_rule.to_sql().replace(\"20000\", \"…\")，再 run(sql, customer_summary=summary, "
              "orders=shop.orders, items=shop.items)；Segment 照第 1 题写，只改 min_total_amount。"),
        solution=(f"sql = q1_rule.to_sql().replace(\">= 20000\", \">= {SQL_THRESHOLD * 100}\")\n"
                  "q7_group = run(sql, customer_summary=summary, orders=shop.orders, items=shop.items)\n"
                  f"q7_rule = Segment(\"父亲节\", \"父亲节关爱\", **{{**q1_rule.rules, \"min_total_amount\": {SQL_THRESHOLD}}})"),
        expected=lambda: _q7_answer({}),
        misreadings=rule_misreadings(Q7_READINGS, _q7_answer)
        + [Misreading(message, partial(_q7_answer, {}, group), boundary)
           for (message, group), boundary in zip(Q7_GROUPS.items(),
                                                  ["改 SQL 里的门槛", "改订单总金额那一行"])],
    ),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, q3, q4, q5, q6, q7 = ch02.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

"""第 02 章“客户分组：母亲节”的练习题目。

练习本第一个代码单元格之后::

    from helpers.exercises import ch02
    q1, q2, q3, q4, q5, q6 = ch02.setup(globals())

任务训练（照一份写好的需求建分组）：
- q1：保健品专卖的“父亲节”分组（答案变量 q1_group）；
- q2：按表单顺序加规则，哪一条规则去掉的客户最多（q2_rule）。
练习：
- q3：在分组结果上再加一个表单里没有的条件：年龄 ≥ 50 岁（q3_group）；
- q4：父亲节分组的整体客单价（q4_aov，元）；
- q5：下过单的客户按最后下单距今天数分成活跃 / 普通 / 休眠（q5_activity）；
- q6：章节测试 ch02.json 的 q3（q6_answer）。

正确答案都由下面的函数在检查时从数据算出（lru_cache，每个内核只算一次），从不写死数字。
章节测试里的填数题也用本模块的函数：mothers_day_total_amount、mothers_goal_ge100_count。
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from . import summary
from ..checks import Question, Result, bind, compare_customer_sets, compare_mapping, compare_number
from ..data import load_shop
from ..quiz import QuizQuestion
from ..segments import RULES, Segment

CHAPTER = "02"
TITLE = "客户分组：母亲节（练习：父亲节分组）"

# 任务训练：保健品专卖的父亲节分组（需求写在练习本里；这里是同一份需求的代码形式）
FATHERS_DAY = dict(min_total_amount=200, gender="男", last_order_after="2016-03-01", min_points=100,
                   products=("辅酶Q10软胶囊", "银杏叶片", "纳豆红曲胶囊", "番茄红素软胶囊"),
                   regions=("上海", "江苏", "浙江", "北京"))
MIN_AGE = 50                 # 第 3 题：年龄 ≥ 50 岁
ACTIVE_DAYS = 60             # 第 5 题：距今 ≤ 60 天为活跃
SLEEP_DAYS = 180             # 第 5 题：距今 > 180 天为休眠
ACTIVITY = ("活跃", "普通", "休眠")

# 课上的母亲节分组（操作步骤口径），章节测试的填数题用
MOTHERS_DAY = dict(min_orders=2, min_avg_order_value=200, gender="女", last_order_after="2015-03-01",
                   products=("新生儿枕头",), regions=("上海",))


# ---------------------------------------------------------------------------
# 从数据算出正确答案（以及常见误读的结果）
# ---------------------------------------------------------------------------
_summary = summary


def _segment(base: dict, changes: tuple, name: str) -> Segment:
    rules = dict(base)
    for key, value in changes:
        if value is None:
            rules.pop(key, None)
        else:
            rules[key] = value
    rules = {k: list(v) if isinstance(v, tuple) else v for k, v in rules.items()}
    return Segment(name, **rules)


@lru_cache(maxsize=None)
def fathers_day_ids(**changes) -> frozenset:
    """父亲节分组的客户编号；changes 改动某条规则（值为 None 表示去掉这条），用来算“误读”的结果。"""
    segment = _segment(FATHERS_DAY, tuple(sorted(changes.items())), "父亲节")
    return frozenset(segment.select(_summary("health")).index)


@lru_cache(maxsize=None)
def fathers_day_group() -> pd.DataFrame:
    """父亲节分组的入组客户（汇总表的行）。"""
    summary = _summary("health")
    return summary.loc[summary.index.isin(fathers_day_ids())]


@lru_cache(maxsize=None)
def fathers_day_steps() -> pd.DataFrame:
    """父亲节分组的漏斗，每条规则一行：rule（参数名）、条件、剩余客户数、本步去掉、去掉比例。"""
    segment = _segment(FATHERS_DAY, (), "父亲节")
    funnel = segment.funnel(_summary("health")).iloc[1:].reset_index(drop=True)
    funnel.insert(0, "rule", list(segment.rules))
    before = funnel["剩余客户数"] + funnel["本步去掉"]
    funnel["去掉比例"] = funnel["本步去掉"] / before
    return funnel


def _age_ids(min_age: int, whole_shop: bool = False) -> frozenset:
    data = _summary("health") if whole_shop else fathers_day_group()
    return frozenset(data.index[data["age"] >= min_age])


def fathers_day_aov(kind: str = "group") -> float:
    """父亲节分组的客单价（元）。kind："group" 全组订单总金额 ÷ 全组订单总数（正确答案）；
    "mean_aov" 每位客户平均订单价的平均；"per_person" 人均订单总金额；"shop" 全店客单价。"""
    group = fathers_day_group()
    fen = np.round(group["total_amount"].to_numpy(dtype="float64") * 100).astype("int64")
    if kind == "group":
        return float(fen.sum() / group["order_count"].sum() / 100)
    if kind == "mean_aov":
        return float(group["avg_order_value"].mean())
    if kind == "per_person":
        return float(fen.sum() / len(group) / 100)
    if kind == "shop":
        orders = load_shop("health").orders
        return float(np.round(orders["amount"].to_numpy(dtype="float64") * 100).astype("int64").sum()
                     / len(orders) / 100)
    raise ValueError(f"不认识的 kind：{kind!r}。")


@lru_cache(maxsize=None)
def activity_counts(active: int = ACTIVE_DAYS, sleep: int = SLEEP_DAYS, right: bool = True,
                    with_non_buyers: bool = False) -> dict:
    """下过单的客户按最后下单距今天数分档的人数：≤ active 天活跃，≤ sleep 天普通，其余休眠。

    right=False 算的是“界线上的客户分到下一档”的误读；with_non_buyers=True 把没下过单的客户算进休眠。
    """
    summary = _summary("health")
    days = summary["recency_days"].astype("float64")
    if right:
        bands = pd.cut(days, bins=[-np.inf, active, sleep, np.inf], right=True, labels=ACTIVITY)
    else:
        bands = pd.cut(days, bins=[-np.inf, active, sleep, np.inf], right=False, labels=ACTIVITY)
    counts = bands.value_counts(sort=False)
    result = {str(k): int(v) for k, v in counts.items()}
    if with_non_buyers:
        result["休眠"] += int(days.isna().sum())
    return result


def mothers_day_total_amount() -> float:
    """章节测试：A店铺母亲节分组（操作步骤口径）全部客户的订单总金额合计（元，精确到分）。"""
    group = _segment(MOTHERS_DAY, (), "母亲节").select(_summary("a_kids"))
    fen = np.round(group["total_amount"].to_numpy(dtype="float64") * 100).astype("int64")
    return float(fen.sum() / 100)


def mothers_goal_ge100_count() -> float:
    """章节测试：订单总数 > 2（即 ≥ 3）、平均订单价 ≥ 100 元、其余按操作步骤时，母亲节分组的人数。"""
    segment = _segment(MOTHERS_DAY, (("min_avg_order_value", 100), ("min_orders", 3)), "母亲节")
    return float(len(segment.select(_summary("a_kids"))))


# ---------------------------------------------------------------------------
# 检查
# ---------------------------------------------------------------------------
def _check_q1(answers, namespace):
    products = FATHERS_DAY["products"]
    return compare_customer_sets(
        answers["q1_group"], fathers_day_ids(),
        alternatives={
            "所属地区只勾了上海：需求里要的是上海、江苏、浙江、北京四个地区（买过其中任一地区即可）":
                lambda: fathers_day_ids(regions=("上海",)),
            "漏了“性别：男”这一条：父亲节分组只要男性客户": lambda: fathers_day_ids(gender=None),
            f"商品范围只勾了{products[0]}：需求里的四款商品买过任一款就算": lambda: fathers_day_ids(products=products[:1]),
            "最后下单时间用了 2016-01-01（今年以来）：需求要的是最近 3 个月，即 2016-03-01 当天或之后":
                lambda: fathers_day_ids(last_order_after="2016-01-01"),
            "你用了“订单总金额 > 200 元”：需求写的是“满 200 元”，即 ≥ 200 元":
                lambda: fathers_day_ids(min_total_amount=200.01),
            "你用了“积分 > 100”：需求写的是“不少于 100”，即 ≥ 100": lambda: fathers_day_ids(min_points=101),
        })


_ALIASES = {"地区": "regions", "省份": "regions", "商品": "products", "下单时间": "last_order_after",
            "日期": "last_order_after", "金额": "min_total_amount", "消费": "min_total_amount"}


def _rule_key(text: str, steps: pd.DataFrame):
    """把学生写的规则（漏斗里的“条件”、中文规则名或参数名）认成参数名；认不出时返回 None。"""
    text = " ".join(str(text).split())
    for key, condition in zip(steps["rule"], steps["条件"]):
        if text == condition or text == key:
            return key
    names = sorted(((r[2], r[0]) for r in RULES), key=lambda p: -len(p[0]))
    for name, key in names + list(_ALIASES.items()):
        if name in text:
            return key
    return None


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
    key = _rule_key(answer, steps)
    if key is None:
        return Result(False, f"认不出“{answer}”是哪一条规则：请照抄漏斗表里“条件”一列的文字，例如“{steps['条件'].iloc[0]}”。")
    if key not in set(steps["rule"]):
        name = next(r[2] for r in RULES if r[0] == key)
        return Result(False, f"父亲节分组里没有“{name}”这条规则：先按需求把分组建好，再看它的漏斗。")
    row = steps.set_index("rule").loc[key]
    best = steps.loc[steps["本步去掉"].idxmax()]
    if key == best["rule"]:
        return Result(True, f"“{best['条件']}”这一步去掉了 {int(best['本步去掉'])} 位客户，比任何一条都多。")
    if key == steps.loc[steps["去掉比例"].idxmax(), "rule"]:
        return Result(False, f"“{row['条件']}”去掉的比例最大（去掉了上一步的 {row['去掉比例']:.1%}），"
                             f"但人数只有 {int(row['本步去掉'])} 位：题目问的是去掉人数最多的一条，看“本步去掉”一列。")
    if key == steps["rule"].iloc[-1]:
        return Result(False, f"“{row['条件']}”是最后一条规则，做完它剩下的客户自然最少（{int(row['剩余客户数'])} 位）；"
                             f"但它只去掉了 {int(row['本步去掉'])} 位。题目问的是哪一条去掉的人最多，看“本步去掉”一列。")
    return Result(False, f"“{row['条件']}”去掉了 {int(row['本步去掉'])} 位客户，还有一条规则去掉的更多。")


def _check_q3(answers, namespace):
    return compare_customer_sets(
        answers["q3_group"], lambda: _age_ids(MIN_AGE),
        alternatives={
            f"你用了“年龄 > {MIN_AGE}”：题目要的是 {MIN_AGE} 岁及以上，即 ≥ {MIN_AGE}": lambda: _age_ids(MIN_AGE + 1),
            "你在全店客户里按年龄筛选了：要在第 1 题的父亲节分组里再筛": lambda: _age_ids(MIN_AGE, whole_shop=True),
        })


def _check_q4(answers, namespace):
    return compare_number(
        answers["q4_aov"], lambda: fathers_day_aov("group"), unit="元",
        alternatives={
            "你把每位客户的平均订单价又平均了一次：那是“客户的平均”，每位客户不论下了几单都算一样重；"
            "客单价要用全组的订单总金额 ÷ 全组的订单总数": lambda: fathers_day_aov("mean_aov"),
            "这是人均消费（订单总金额 ÷ 人数），不是客单价：客单价要除以订单总数": lambda: fathers_day_aov("per_person"),
            "这是全店所有订单的客单价：题目只问父亲节分组的客户": lambda: fathers_day_aov("shop"),
        })


def _check_q5(answers, namespace):
    return compare_mapping(
        answers["q5_activity"], lambda: activity_counts(),
        alternatives={
            f"恰好 {ACTIVE_DAYS} 天或 {SLEEP_DAYS} 天的客户被你分到了下一档：“{ACTIVE_DAYS} 天以内”包括第 {ACTIVE_DAYS} 天"
            f"（pd.cut 要用 right=True）。": lambda: activity_counts(right=False),
            f"你用了课上 A店铺的界线 90 天：保健品的复购周期短，这里活跃的界线是 {ACTIVE_DAYS} 天。":
                lambda: activity_counts(active=90),
            "你把没下过单的客户也算进了休眠：他们从来没买过，不属于这三档里的任何一档。":
                lambda: activity_counts(with_non_buyers=True),
        })


QUESTIONS = [
    Question(
        "q1", points=3, variables="q1_group", evaluate=_check_q1,
        title="照需求建出保健品专卖的“父亲节”分组",
        hint="把需求里的每一句话翻译成一条 Segment 规则：“满 200 元”“不少于 100”都是 ≥；"
             "“3 月 1 日起”是 last_order_after=\"2016-03-01\"；商品和地区都写成列表。最后 .select(summary)。",
        solution=("fathers_day = Segment(\"父亲节\", \"父亲节关爱\", min_total_amount=200, gender=\"男\",\n"
                  "                      last_order_after=\"2016-03-01\", min_points=100,\n"
                  "                      products=[\"辅酶Q10软胶囊\", \"银杏叶片\", \"纳豆红曲胶囊\", \"番茄红素软胶囊\"],\n"
                  "                      regions=[\"上海\", \"江苏\", \"浙江\", \"北京\"])\n"
                  "q1_group = fathers_day.select(summary)"),
    ),
    Question(
        "q2", points=2, variables="q2_rule", evaluate=_check_q2,
        title="父亲节分组里，哪一条规则去掉的客户最多",
        hint="fathers_day.funnel(summary) 列出每加一条规则之后剩下多少人、这一步去掉多少人；"
             "看“本步去掉”一列，不是“剩余客户数”。",
        solution=("funnel = fathers_day.funnel(summary)\n"
                  "q2_rule = funnel.loc[funnel[\"本步去掉\"].idxmax(), \"条件\"]"),
    ),
    Question(
        "q3", points=2, variables="q3_group", evaluate=_check_q3,
        title=f"在父亲节分组里只留 {MIN_AGE} 岁及以上的客户",
        hint="表单里没有年龄这一项，Segment 也没有：在 q1_group 上用 pandas 再筛一次，"
             "例如 q1_group[q1_group[\"age\"] >= ...]。",
        solution=f"q3_group = q1_group[q1_group[\"age\"] >= {MIN_AGE}]",
    ),
    Question(
        "q4", points=2, variables="q4_aov", evaluate=_check_q4,
        title="父亲节分组的整体客单价（元）",
        hint="客单价 = 订单总金额 ÷ 订单总数。对整个分组来说，是全组的订单总金额之和 ÷ 全组的订单总数之和。",
        solution="q4_aov = q1_group[\"total_amount\"].sum() / q1_group[\"order_count\"].sum()",
    ),
    Question(
        "q5", points=2, variables="q5_activity", evaluate=_check_q5,
        title="保健品专卖下过单的客户：活跃、普通、休眠各有多少位",
        hint=f"用 recency_days（最后下单距今天数）：≤ {ACTIVE_DAYS} 天活跃，{ACTIVE_DAYS + 1}–{SLEEP_DAYS} 天普通，"
             f"> {SLEEP_DAYS} 天休眠。没下过单的客户 recency_days 是空值，不要算进去。"
             "pd.cut(..., bins=[-1, 60, 180, np.inf], labels=[...]) 再 value_counts()。",
        solution=("buyers = summary[summary[\"order_count\"] > 0]\n"
                  "bands = pd.cut(buyers[\"recency_days\"].astype(\"float\"),\n"
                  f"               bins=[-1, {ACTIVE_DAYS}, {SLEEP_DAYS}, np.inf],\n"
                  "               labels=[\"活跃\", \"普通\", \"休眠\"])\n"
                  "q5_activity = bands.value_counts()"),
    ),
    QuizQuestion("q6", chapter="02", qid="q3", variable="q6_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, q3, q4, q5, q6 = ch02.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

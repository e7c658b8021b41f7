"""第 05 章 店铺VIP会员（夏艺女装，今天 = 2018-12-10）的练习题。

练习本第一个代码单元格::

    from helpers.exercises import ch05
    q1, q2, q3, q4, q5, q6, q7, q8, q9 = ch05.setup(globals())

任务训练（教材任务一）：
- q1：新建“医生/教师”自定义人群（答案变量 q1_crowd）；
- q2：按教材写出 VIP1–VIP4 四个等级的门槛（q2_tiers）；
- q3：每个等级各有多少位客户（q3_counts）；
- q4：导出“夏艺女装会员规则”的文字（q4_rules）；
- q5：有多少位潜在会员还没有领卡（q5_potential）。
比课堂多走一步：
- q6：把新规则的生效日换成 2018-07-01，潜在会员有多少位（q6_potential）；
- q7：“差一点就升级”的提醒名单（q7_nudge）；
- q8：医生/教师人群里，达到门槛的客户中潜在会员占多少（q8_share）；
- q9：章节测试（helpers/quizzes/ch05.json）的第 5 题（q9_answer）。

正确答案都在检查时从数据算出（lru_cache 缓存），从不写死数字。
"""
from __future__ import annotations

from functools import lru_cache, partial

import numpy as np
import pandas as pd

from . import shop, summary
from ..checks import Question, Result, bind, compare_customer_sets, compare_mapping, compare_number, compare_text
from ..members import RULE_CHANGE_DATE, membership_status
from ..quiz import QuizQuestion
from ..segments import Segment
from ..vip import TEXTBOOK_VIP_TIERS, VipTier, vip_rules_text, vip_tier

CHAPTER = "05"
TITLE = "店铺VIP会员：医生/教师人群、四级门槛、会员规则与潜在会员"

SHOP_NAME = "夏艺女装"
CROWD_OCCUPATIONS = ("医生", "教师")
NEW_RULE_CHANGE = "2018-07-01"      # 第 6 题：换一个新规则生效日
NUDGE_GAP = 100                     # 第 7 题：离下一级的金额门槛还差不超过 100 元
TIER_NAMES = tuple(t.name for t in TEXTBOOK_VIP_TIERS)


# ---------------------------------------------------------------------------
# 数据（每个内核只算一次）
# ---------------------------------------------------------------------------
_shop = partial(shop, "xiayi")


_summary = partial(summary, "xiayi")


@lru_cache(maxsize=None)
def _status(rule_change: str = RULE_CHANGE_DATE, strict: bool = False) -> pd.DataFrame:
    shop = _shop()
    return membership_status(shop.orders, shop.customers, as_of=shop.today, rule_change=rule_change, strict=strict)


def _fen(summary: pd.DataFrame) -> np.ndarray:
    return np.round(summary["total_amount"].to_numpy(dtype="float64") * 100)


# ---------------------------------------------------------------------------
# q1 医生/教师人群
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def crowd(occupations: tuple = CROWD_OCCUPATIONS, buyers_only: bool = False) -> frozenset:
    """职业在 occupations 里的客户编号；buyers_only=True 时只留下过单的（“误读”用）。"""
    summary = _summary()
    chosen = Segment("医生教师", "事业单位人群", occupations=list(occupations)).select(summary)
    if buyers_only:
        chosen = chosen[chosen["order_count"] > 0]
    return frozenset(chosen.index)


def _check_q1(answers, namespace):
    return compare_customer_sets(
        answers["q1_crowd"], crowd(),
        alternatives={
            "你只选了职业是“医生”的客户，题目要的是医生或教师（满足其一即可）": lambda: crowd(("医生",)),
            "你只选了职业是“教师”的客户，题目要的是医生或教师（满足其一即可）": lambda: crowd(("教师",)),
            "一位客户只有一个职业，“是医生并且是教师”的客户一个也没有：两个职业之间是“或”": frozenset(),
            "你只留下了下过单的客户：自定义人群按职业选人，没下过单的医生、教师也在人群里":
                lambda: crowd(buyers_only=True),
        })


# ---------------------------------------------------------------------------
# q2 四个等级的门槛
# ---------------------------------------------------------------------------
def _as_tier(x):
    if isinstance(x, VipTier):
        return x
    if isinstance(x, (tuple, list)) and len(x) == 3:
        return VipTier(*x)
    return None


def _check_q2(answers, namespace):
    answer = answers["q2_tiers"]
    expected = TEXTBOOK_VIP_TIERS
    example = 'VipTier("普通会员", 100.0, 3)'
    if isinstance(answer, VipTier):
        return Result(False, f"你只给了一个等级。请把 {len(expected)} 个等级放进一个列表：[{example}, …]。")
    if not isinstance(answer, (list, tuple)):
        return Result(False, f"应该是 {len(expected)} 个 VipTier 组成的列表，例如 [{example}, …]，"
                             f"你给的是 {type(answer).__name__}。")
    tiers = [_as_tier(x) for x in answer]
    bad = [i for i, t in enumerate(tiers, 1) if t is None]
    if bad:
        return Result(False, f"列表里第 {bad[0]} 个元素不是等级：每个等级写成 {example}（名称、金额门槛、笔数门槛）。")
    if len(tiers) != len(expected):
        return Result(False, f"教材有 {len(expected)} 个等级（VIP1–VIP{len(expected)}），你给了 {len(tiers)} 个。")
    names = [t.name.strip() for t in tiers]
    want = [t.name for t in expected]
    if sorted(names) == sorted(want) and names != want:
        return Result(False, f"等级要从低到高排列：{'、'.join(want)}；你的顺序是 {'、'.join(names)}。")
    for i, (got, exp) in enumerate(zip(tiers, expected), 1):
        if got.name.strip() != exp.name:
            return Result(False, f"第 {i} 级的名称应是“{exp.name}”，你写的是“{got.name}”。")
        if (float(got.min_amount), float(got.min_orders)) == (float(exp.min_orders), float(exp.min_amount)):
            return Result(False, f"第 {i} 级 {exp.name} 的金额和笔数写反了：VipTier(名称, 金额门槛, 笔数门槛)。")
        if round(float(got.min_amount) * 100) != round(exp.min_amount * 100):
            return Result(False, f"第 {i} 级 {exp.name} 的累计消费门槛应是 {exp.min_amount:g} 元，"
                                 f"你写的是 {float(got.min_amount):g} 元。")
        if float(got.min_orders) != exp.min_orders:
            return Result(False, f"第 {i} 级 {exp.name} 的交易笔数门槛应是 {exp.min_orders} 笔，"
                                 f"你写的是 {got.min_orders:g} 笔。")
    return Result(True, "四个等级：" + "；".join(f"{t.name} {t.min_amount:g} 元或 {t.min_orders} 笔" for t in expected) + "。")


# ---------------------------------------------------------------------------
# q3 每个等级的人数
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def tier_counts(reading: str = "达到") -> dict:
    """每个等级的客户数（每位客户只算最高一级）。reading：'达到'（≥）、'大于'（>）、
    '同时'（金额和笔数都要达到）、'累计'（数的是达到这一级门槛的人，含更高等级）。"""
    summary = _summary()
    if reading in ("达到", "大于"):
        counts = vip_tier(summary, strict=(reading == "大于")).value_counts()
        return {name: int(counts.get(name, 0)) for name in TIER_NAMES}
    fen, orders = _fen(summary), summary["order_count"].to_numpy()
    reached = {t.name: (fen >= round(t.min_amount * 100)) & (orders >= t.min_orders) if reading == "同时"
               else (fen >= round(t.min_amount * 100)) | (orders >= t.min_orders) for t in TEXTBOOK_VIP_TIERS}
    if reading == "累计":
        return {name: int(mask.sum()) for name, mask in reached.items()}
    level = np.full(len(summary), "", dtype=object)
    for name, mask in reached.items():          # 循环的是 4 个等级，不是客户
        level[mask] = name
    return {name: int((level == name).sum()) for name in TIER_NAMES}


def _check_q3(answers, namespace):
    return compare_mapping(
        answers["q3_counts"], tier_counts(),
        alternatives={
            "你按“大于”（>）评级了：本工作簿按“达到”（≥）评级，累计消费恰好 100、200、500、2000 元的客户也能升到这一级":
                lambda: tier_counts("大于"),
            "你要求金额和笔数同时达到：教材的规则是累计消费金额或交易笔数满足其一即可": lambda: tier_counts("同时"),
            "你数的是“达到这一级门槛”的人数，里面包括已经升到更高等级的客户：每位客户只算他能达到的最高一级":
                lambda: tier_counts("累计"),
        })


# ---------------------------------------------------------------------------
# q4 会员规则文字
# ---------------------------------------------------------------------------
def rules_text(shop_name: str = SHOP_NAME) -> str:
    """按教材四级门槛导出的会员规则文字。"""
    return vip_rules_text(TEXTBOOK_VIP_TIERS, shop_name)


def _check_q4(answers, namespace):
    answer = answers["q4_rules"]
    if answer is None:
        return Result(False, "你的变量是 None：print(...) 只把文字显示出来，返回的是 None。"
                             "请直接写 q4_rules = vip_rules_text(...)，再 print(q4_rules)。")
    return compare_text(answer, rules_text(), what="会员规则", alternatives={
        "店铺名写成了默认的“本店”：请把 \"夏艺女装\" 作为 vip_rules_text 的第二个参数": lambda: rules_text("本店"),
    })


# ---------------------------------------------------------------------------
# q5 潜在会员（没领卡）
# ---------------------------------------------------------------------------
def potential_members(rule_change: str = RULE_CHANGE_DATE) -> int:
    """按 2018 年领卡规则，达到门槛却还没领卡的潜在会员人数（生效日默认 2018-01-01）。"""
    return int((_status(rule_change)["status"] == "潜在会员").sum())


def _q5_alternatives() -> dict:
    st = _status()
    reached = st["reached_date"].notna()
    return {
        "这是达到门槛的全部买家（旧规则下他们都是会员）：还要去掉 2018-01-01 前自动入会的和已经领卡的":
            int(reached.sum()),
        "你把 2018-01-01 之前就达到门槛的买家也算进来了：他们按旧规则已经自动入会，不是潜在会员":
            int((reached & st["card_claimed_date"].isna()).sum()),
        "你数的是所有没领卡的客户，其中有从没下过单、或者还没达到门槛的人：潜在会员必须已经达到最低一级门槛":
            int(st["card_claimed_date"].isna().sum()),
        "这是现在的会员人数（规则前自动入会 + 已领卡），题目问的是还没领卡的潜在会员": int(st["is_member"].sum()),
        "你按“大于”（>）判断是否达到门槛了：本工作簿按“达到”（≥）":
            int((_status(RULE_CHANGE_DATE, True)["status"] == "潜在会员").sum()),
    }


def _check_q5(answers, namespace):
    return compare_number(answers["q5_potential"], potential_members, tolerance=0, unit="位",
                          alternatives=_q5_alternatives())


# ---------------------------------------------------------------------------
# q6 生效日换成 2018-07-01
# ---------------------------------------------------------------------------
def potential_members_july() -> int:
    """新规则生效日换成 2018-07-01 时的潜在会员人数。"""
    return potential_members(NEW_RULE_CHANGE)


def _check_q6(answers, namespace):
    return compare_number(answers["q6_potential"], potential_members_july, tolerance=0, unit="位", alternatives={
        "这还是生效日为 2018-01-01 时的人数：请在 membership_status 里写 rule_change=\"2018-07-01\"":
            potential_members,
        "你把生效日写成了 2018-06-30：题目是 2018-07-01": lambda: potential_members("2018-06-30"),
    })


# ---------------------------------------------------------------------------
# q7 升级提醒名单：离下一级的金额门槛还差 0 < 差额 ≤ 100 元
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def nudge(strict_gap: bool = False, include_non_buyers: bool = False, include_unranked: bool = True) -> frozenset:
    """离下一级的金额门槛还差不超过 NUDGE_GAP 元的买家（至尊VIP 没有下一级）。参数用来算“误读”。"""
    summary = _summary()
    level = vip_tier(summary).astype(object)
    next_amount = {low.name: high.min_amount for low, high in zip(TEXTBOOK_VIP_TIERS, TEXTBOOK_VIP_TIERS[1:])}
    need = level.map(next_amount).astype("float64")               # 至尊VIP 没有下一级：空值
    need[level.isna()] = TEXTBOOK_VIP_TIERS[0].min_amount           # 还没达到门槛的，下一级是普通会员
    gap = np.round(need.to_numpy() * 100) - _fen(summary)
    ok = (gap > 0) & ((gap < NUDGE_GAP * 100) if strict_gap else (gap <= NUDGE_GAP * 100))
    if not include_non_buyers:
        ok &= summary["order_count"].to_numpy() > 0
    if not include_unranked:
        ok &= level.notna().to_numpy()
    return frozenset(summary.index[ok])


def _check_q7(answers, namespace):
    return compare_customer_sets(
        answers["q7_nudge"], nudge(),
        alternatives={
            f"你用了“差额 < {NUDGE_GAP} 元”：题目要求差额 ≤ {NUDGE_GAP} 元，恰好差 {NUDGE_GAP} 元的客户也要提醒":
                lambda: nudge(strict_gap=True),
            "从没下过单的客户也被选进来了：他们离普通会员正好差 100 元，但没买过东西，不该收到“升级提醒”":
                lambda: nudge(include_non_buyers=True),
            "你漏掉了下过单、但还没达到普通会员的买家：他们的下一级就是普通会员（100 元）":
                lambda: nudge(include_unranked=False),
        })


# ---------------------------------------------------------------------------
# q8 医生/教师人群里，达到门槛的客户中潜在会员的比例
# ---------------------------------------------------------------------------
def crowd_potential_share(denominator: str = "达到门槛") -> float:
    """医生/教师人群中潜在会员的比例；denominator：'达到门槛'（默认）、'全人群'、'全店'（“误读”用）。"""
    st = _status()
    potential = st["status"] == "潜在会员"
    reached = st["reached_date"].notna()
    if denominator == "全店":
        return float(potential.sum() / reached.sum())
    inside = st.index.isin(list(crowd()))
    base = inside if denominator == "全人群" else inside & reached.to_numpy()
    return float((potential.to_numpy() & inside).sum() / base.sum())


def _check_q8(answers, namespace):
    return compare_number(answers["q8_share"], crowd_potential_share, tolerance=0.0005, unit="", alternatives={
        "分母用了整个医生/教师人群：题目要的是其中已经达到门槛的客户（只有他们才可能是潜在会员）":
            lambda: crowd_potential_share("全人群"),
        "这是全店的比例：题目只看医生/教师人群": lambda: crowd_potential_share("全店"),
    })


# ---------------------------------------------------------------------------
# 填数题（章节测试 helpers/quizzes/ch05.json 用）
# ---------------------------------------------------------------------------
def top_tier_count() -> float:
    """按教材四级门槛（“达到”），夏艺女装有多少位至尊VIP。"""
    return float(tier_counts()[TIER_NAMES[-1]])


# ---------------------------------------------------------------------------
# 题目
# ---------------------------------------------------------------------------
QUESTIONS = [
    Question(
        "q1", points=2, variables="q1_crowd", evaluate=_check_q1,
        title="任务训练 1：选出职业是医生或教师的客户（夏艺女装）",
        hint="用 Segment(\"医生教师\", \"事业单位人群\", occupations=[...]) 写规则，再 .select(summary)。"
             "职业列表里的几个职业满足其一即可。",
        solution="q1_crowd = Segment(\"医生教师\", \"事业单位人群\", occupations=[\"医生\", \"教师\"]).select(summary)",
    ),
    Question(
        "q2", points=2, variables="q2_tiers", evaluate=_check_q2,
        title="任务训练 2：按教材写出 VIP1–VIP4 四个等级的门槛",
        hint="每个等级写成 VipTier(名称, 累计消费门槛（元）, 交易笔数门槛)，从低到高放进一个列表。",
        solution=("q2_tiers = [VipTier(\"普通会员\", 100.0, 3), VipTier(\"高级会员\", 200.0, 5),\n"
                  "            VipTier(\"VIP会员\", 500.0, 10), VipTier(\"至尊VIP\", 2000.0, 20)]"),
    ),
    Question(
        "q3", points=3, variables="q3_counts", evaluate=_check_q3,
        title="任务训练 2：四个等级各有多少位客户",
        hint="vip_tier(summary, q2_tiers) 给每位客户评出最高等级，再 .value_counts()。"
             "金额或笔数满足其一即可，门槛按“达到”（≥）理解。",
        solution="q3_counts = vip_tier(summary, q2_tiers).value_counts()",
    ),
    Question(
        "q4", points=2, variables="q4_rules", evaluate=_check_q4,
        title="任务训练 2：导出“夏艺女装会员规则”的文字",
        hint="vip_rules_text(等级列表, 店铺名) 返回一段文字；店铺名写 \"夏艺女装\"。",
        solution="q4_rules = vip_rules_text(q2_tiers, \"夏艺女装\")\nprint(q4_rules)",
    ),
    Question(
        "q5", points=2, variables="q5_potential", evaluate=_check_q5,
        title="有多少位潜在会员（达到门槛、还没领卡）",
        hint="membership_status(shop.orders, shop.customers, as_of=TODAY) 的 status 列里，"
             "“潜在会员”就是 2018-01-01 及以后才达到门槛、还没领卡的买家。",
        solution=("status = membership_status(shop.orders, shop.customers, as_of=TODAY)\n"
                  "q5_potential = int((status[\"status\"] == \"潜在会员\").sum())"),
    ),
    Question(
        "q6", points=2, variables="q6_potential", evaluate=_check_q6,
        title="新规则的生效日换成 2018-07-01，潜在会员有多少位",
        hint="membership_status(..., rule_change=\"2018-07-01\")。",
        solution=("status_july = membership_status(shop.orders, shop.customers, as_of=TODAY, rule_change=\"2018-07-01\")\n"
                  "q6_potential = int((status_july[\"status\"] == \"潜在会员\").sum())"),
    ),
    Question(
        "q7", points=3, variables="q7_nudge", evaluate=_check_q7,
        title="升级提醒名单：离下一级的金额门槛还差不超过 100 元的买家",
        hint="先用 vip_tier 得到每位客户现在的等级，再把“下一级的金额门槛”对应到每位客户（.map），"
             "差额 = 下一级门槛 − 累计消费，选 0 < 差额 ≤ 100 的买家。至尊VIP 没有下一级；没下过单的客户不提醒。",
        solution=("level = vip_tier(summary, q2_tiers).astype(object)\n"
                  "next_amount = {\"普通会员\": 200.0, \"高级会员\": 500.0, \"VIP会员\": 2000.0}\n"
                  "need = level.map(next_amount)\n"
                  "need[level.isna()] = 100.0            # 还没达到普通会员的买家，下一级就是普通会员\n"
                  "gap = need - summary[\"total_amount\"]\n"
                  "buyers = summary[\"order_count\"] > 0\n"
                  "q7_nudge = summary[buyers & (gap > 0) & (gap.round(2) <= 100)]"),
    ),
    Question(
        "q8", points=2, variables="q8_share", evaluate=_check_q8,
        title="医生/教师人群里，已达到门槛的客户中潜在会员占多少（0 到 1 的小数，精确到 0.001）",
        hint="分子：人群里 status 是“潜在会员”的人数；分母：人群里 reached_date 不为空（已经达到门槛）的人数。",
        solution=("mine = status.loc[q1_crowd.index]\n"
                  "q8_share = (mine[\"status\"] == \"潜在会员\").sum() / mine[\"reached_date\"].notna().sum()"),
    ),
    QuizQuestion("q9", chapter="05", qid="q5", variable="q9_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, …, q9 = ch05.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

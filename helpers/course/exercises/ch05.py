"""第 05 章 店铺VIP会员（夏艺女装，今天 = 2018-12-10）的练习题。

练习本第一个代码单元格::

    from helpers.course.exercises import ch05
    q1, q2, q3, q4, q5, q6, q7, q8, q9, q10 = ch05.setup(globals())

任务训练 1（教材任务一）：
- q1：新建“医生/教师”自定义人群（答案变量 q1_crowd）；
- q2：人群指标分解：把人群拆开，教师的复购客户占比（q2_repurchase）；
- q3：访客人群洞察：医生/教师人群加购“加厚棉服”的 TGI（q3_tgi）。
任务训练 2：
- q4：按教材写出 VIP1–VIP4 四个等级的门槛（q4_tiers）；
- q5：四个等级各有多少位店铺会员（q5_counts）；
- q6：导出“夏艺女装会员规则”的文字（q6_rules）。
比课堂多走一步：
- q7：新规则的生效日换成 2018-07-01，潜在会员有多少位（q7_potential）；
- q8：“差一点就升级”的提醒名单（q8_nudge）；
- q9：医生/教师人群里，达到门槛的客户中潜在会员占多少（q9_share）；
- q10：章节测试（helpers/course/quizzes/ch05.json）的第 5 题（q10_answer）。

每道题的误读（Misreading）写成清单：读错了哪条规则或边界、读错后会交出什么答案、反馈说什么。
正确答案和误读的答案都在检查时从数据算出（lru_cache 缓存），从不写死数字。
"""
from __future__ import annotations

from functools import lru_cache, partial

import numpy as np
import pandas as pd

from . import shop, summary
from ..checks import (Misreading, Question, Result, bind, compare_customer_sets, compare_mapping, compare_number,
                      compare_text)
from ...membership import RULE_CHANGE_DATE, membership_status
from ...money import to_fen, yuan_text
from ..quiz import QuizQuestion
from ...segments import Segment
from ...vip import EXAMPLE_2018_TIERS, TEXTBOOK_VIP_TIERS, VipTier, vip_rules_text, vip_tier

CHAPTER = "05"
TITLE = "店铺VIP会员：医生/教师人群的指标与 TGI、四级门槛、会员规则与潜在会员"

SHOP_NAME = "夏艺女装"
CROWD_OCCUPATIONS = ("医生", "教师")
SUB_CROWD = "教师"                  # 第 2 题：把人群拆开，只看教师
TGI_EVENT, TGI_PRODUCT = "加购", "加厚棉服"   # 第 3 题：看哪种行为、哪个商品
NEW_RULE_CHANGE = "2018-07-01"      # 第 7 题：换一个新规则生效日
NUDGE_GAP = 100                     # 第 8 题：离下一级的金额门槛还差不超过 100 元
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
    return to_fen(summary["total_amount"]).to_numpy()


def _shift(day: str, days: int) -> str:
    return str((pd.Timestamp(day) + pd.Timedelta(days=days)).date())


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


Q1_MISREADINGS = [
    Misreading("你只选了职业是“医生”的客户，题目要的是医生或教师（满足其一即可）",
               lambda: crowd(("医生",)), "职业 ∈ {医生, 教师}：漏了教师"),
    Misreading("你只选了职业是“教师”的客户，题目要的是医生或教师（满足其一即可）",
               lambda: crowd(("教师",)), "职业 ∈ {医生, 教师}：漏了医生"),
    Misreading("一位客户只有一个职业，“是医生并且是教师”的客户一个也没有：两个职业之间是“或”",
               lambda: [], "两个职业之间是“或”，不是“且”"),
    Misreading("你只留下了下过单的客户：自定义人群按职业选人，没下过单的医生、教师也在人群里",
               lambda: crowd(buyers_only=True), "人群不限是否下过单"),
]


# ---------------------------------------------------------------------------
# q2 人群指标分解：教师的复购客户占比（%，按下过单的客户）
# ---------------------------------------------------------------------------
def repurchase_share(occupations=(SUB_CROWD,), base: str = "下单客户", more_than: bool = False) -> float:
    """人群（occupations 为 None 时是全店）里订单总数 ≥ 2 的客户占下过单客户的百分比。

    base='全部客户' 时分母是人群全部客户，'下单占比' 时算的是下单客户占比；more_than=True 时复购按 > 2 笔（“误读”用）。
    """
    summary = _summary()
    part = summary if occupations is None else summary[summary["occupation"].isin(list(occupations))]
    orders = part["order_count"].to_numpy()
    buyers = int((orders > 0).sum())
    if base == "下单占比":
        return float(buyers / len(part) * 100)
    repeat = int(((orders > 2) if more_than else (orders >= 2)).sum())
    return float(repeat / (buyers if base == "下单客户" else len(part)) * 100)


Q2_MISREADINGS = [
    Misreading("分母用了全部教师客户（包括从没下过单的）：复购客户占比按下过单的客户算",
               lambda: repurchase_share(base="全部客户"), "复购客户占比的分母 = 下过单的客户"),
    Misreading("你把复购算成了订单总数 > 2：买过 2 次就算复购（订单总数 ≥ 2）",
               lambda: repurchase_share(more_than=True), "复购 = 订单总数 ≥ 2"),
    Misreading("这是整个医生/教师人群的复购客户占比：题目要把人群拆开，只看教师",
               lambda: repurchase_share(CROWD_OCCUPATIONS), "人群 = 职业是教师（不含医生）"),
    Misreading("这是全店的复购客户占比：题目只看教师", lambda: repurchase_share(None), "人群 = 职业是教师（不是全店）"),
    Misreading("这是下单客户占比（下过单的人 ÷ 人群人数），题目问的是复购客户占比",
               lambda: repurchase_share(base="下单占比"), "指标 = 复购客户占比（不是下单客户占比）"),
    Misreading("这道题的答案以 % 为单位（写 38.5 表示 38.5%），你写成了 0 到 1 的小数",
               lambda: repurchase_share() / 100, "答案以 % 为单位"),
]


# ---------------------------------------------------------------------------
# q3 访客人群洞察：医生/教师人群加购“加厚棉服”的 TGI（按人算）
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def tgi(reading: str = "按人") -> float:
    """医生/教师人群对 TGI_PRODUCT 的 TGI_EVENT 行为的 TGI：人群占比 ÷ 全店占比 × 100（占比按人算）。

    reading 用来算“误读”：'没乘100'、'人数'（人数之比）、'次数'（按行为次数算占比）、
    '有行为的人'（分母只算有这种行为的人）、'人群以外'（拿人群以外的客户比）、'倒过来'（全店 ÷ 人群）。
    """
    everyone = _summary().index
    events = _shop().events
    chosen = events[(events["event"] == TGI_EVENT) & events["customer_id"].isin(everyone)]
    in_crowd = everyone.isin(list(crowd()))
    if reading == "次数":
        mine = chosen[chosen["customer_id"].isin(everyone[in_crowd])]
        return float((mine["product"] == TGI_PRODUCT).mean() / (chosen["product"] == TGI_PRODUCT).mean() * 100)
    has = everyone.isin(chosen.loc[chosen["product"] == TGI_PRODUCT, "customer_id"])
    if reading == "人数":
        return float(has[in_crowd].sum() / has.sum() * 100)
    if reading == "有行为的人":
        active = everyone.isin(chosen["customer_id"])
        return float(has[in_crowd & active].mean() / has[active].mean() * 100)
    crowd_share, all_share = has[in_crowd].mean(), has.mean()
    if reading == "人群以外":
        return float(crowd_share / has[~in_crowd].mean() * 100)
    if reading == "倒过来":
        return float(all_share / crowd_share * 100)
    return float(crowd_share / all_share * (1 if reading == "没乘100" else 100))


Q3_MISREADINGS = [
    Misreading("你没有乘 100：TGI = 人群占比 ÷ 全店占比 × 100（100 表示和全店一样）",
               lambda: tgi("没乘100"), "TGI 要 × 100"),
    Misreading("你直接用了人数之比（人群里加购的人数 ÷ 全店加购的人数）：TGI 比的是占比，"
               "两边的人数要先各自除以人群人数、全店客户数",
               lambda: tgi("人数"), "TGI 比的是占比，不是人数"),
    Misreading("你按加购的次数算了占比：TGI 按人算，一个人加购同一个商品几次都只算一人，"
               "占比 = 有这个行为的人 ÷ 人群（全店）的全部客户",
               lambda: tgi("次数"), "占比按人算，不按行为次数"),
    Misreading("占比的分母用了加购过商品的人：题目的占比是对人群全部客户、全店全部客户而言的",
               lambda: tgi("有行为的人"), "占比的分母 = 人群全部客户 / 全店全部客户"),
    Misreading("你拿人群和人群以外的客户比了：TGI 的比较对象是全店全部客户（包括这个人群自己）",
               lambda: tgi("人群以外"), "比较对象 = 全店全部客户"),
    Misreading("除反了：TGI = 人群占比 ÷ 全店占比 × 100，人群在分子上", lambda: tgi("倒过来"),
               "人群占比在分子上"),
]


# ---------------------------------------------------------------------------
# q4 四个等级的门槛
# ---------------------------------------------------------------------------
def _as_tier(x):
    if isinstance(x, VipTier):
        return x
    if isinstance(x, (tuple, list)) and len(x) == 3:
        return VipTier(*x)
    return None


def _tier_key(tiers) -> tuple:
    """等级列表的“指纹”（名称、金额按分、笔数），用来和误读比较。"""
    return tuple((str(t.name).strip(), to_fen(float(t.min_amount)), float(t.min_orders)) for t in tiers)


Q4_MISREADINGS = [
    Misreading("等级要从低到高排列：普通会员、高级会员、VIP会员、至尊VIP（VIP1 是最低一级）",
               lambda: list(TEXTBOOK_VIP_TIERS[::-1]), "VIP1–VIP4 从低到高"),
    Misreading("金额和笔数写反了：每个等级写成 VipTier(名称, 金额门槛, 笔数门槛)，金额在前",
               lambda: [VipTier(t.name, float(t.min_orders), int(t.min_amount)) for t in TEXTBOOK_VIP_TIERS],
               "VipTier 的参数顺序：名称、金额、笔数"),
    Misreading("这是第 05 课 2018 年规则例子里那家店的门槛：题目要的是任务训练 2 的四级"
               "（100 元/3 笔、200 元/5 笔、500 元/10 笔、2000 元/20 笔）",
               lambda: list(EXAMPLE_2018_TIERS), "门槛来自任务训练 2 的表"),
]


def _check_q4(answers, namespace):
    answer = answers["q4_tiers"]
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
    try:
        got = _tier_key(tiers)
    except (TypeError, ValueError):
        return Result(False, f"金额门槛和笔数门槛都应该是数，例如 {example}。")
    if got == _tier_key(expected):
        return Result(True, "四个等级：" + "；".join(f"{t.name} {yuan_text(to_fen(t.min_amount))} 元或 {t.min_orders} 笔"
                                                  for t in expected) + "。")
    for m in Q4_MISREADINGS:
        if got == _tier_key(m.answer()):
            return Result(False, m.message + "。")
    if len(tiers) != len(expected):
        return Result(False, f"教材有 {len(expected)} 个等级（VIP1–VIP{len(expected)}），你给了 {len(tiers)} 个。")
    for i, (mine, exp) in enumerate(zip(got, _tier_key(expected)), 1):
        name = expected[i - 1].name
        if mine[0] != exp[0]:
            return Result(False, f"第 {i} 级的名称应是“{exp[0]}”，你写的是“{mine[0]}”。")
        if mine[1] != exp[1]:
            return Result(False, f"第 {i} 级 {name} 的累计消费门槛应是 {yuan_text(exp[1])} 元，你写的是 {yuan_text(mine[1])} 元。")
        if mine[2] != exp[2]:
            return Result(False, f"第 {i} 级 {name} 的交易笔数门槛应是 {exp[2]:g} 笔，你写的是 {mine[2]:g} 笔。")
    return Result(False, "等级和教材不一样。")   # 走不到这里：上面已经逐项比过


# ---------------------------------------------------------------------------
# q5 各等级的店铺会员人数
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def tier_counts(reading: str = "达到", who: str = "会员") -> dict:
    """每个等级的客户数（每位客户只算最高一级）。

    who：'会员'（2018 年规则下的店铺会员，默认）或 '全部'（全部客户，含潜在会员）。
    reading：'达到'（≥）、'大于'（>）、'同时'（金额和笔数都要达到）、'累计'（数达到这一级门槛的人，含更高等级）。
    """
    summary = _summary()
    if who == "会员":
        status = _status()
        summary = summary.loc[status.index[status["is_member"]]]
    if reading in ("达到", "大于"):
        counts = vip_tier(summary, strict=(reading == "大于")).value_counts()
        return {name: int(counts.get(name, 0)) for name in TIER_NAMES}
    fen, orders = _fen(summary), summary["order_count"].to_numpy()
    reached = {t.name: (fen >= to_fen(t.min_amount)) & (orders >= t.min_orders) if reading == "同时"
               else (fen >= to_fen(t.min_amount)) | (orders >= t.min_orders) for t in TEXTBOOK_VIP_TIERS}
    if reading == "累计":
        return {name: int(mask.sum()) for name, mask in reached.items()}
    level = np.full(len(summary), "", dtype=object)
    for name, mask in reached.items():          # 循环的是 4 个等级，不是客户
        level[mask] = name
    return {name: int((level == name).sum()) for name in TIER_NAMES}


Q5_MISREADINGS = [
    Misreading("你数的是全部客户（包括达到门槛却没领卡的潜在会员）：2018 年起潜在会员还不是会员，题目只数店铺会员",
               lambda: tier_counts(who="全部"), "会员 = 规则前自动入会 + 已领卡"),
    Misreading("你按“大于”（>）评级了：本工作簿按“达到”（≥）评级，累计消费恰好 100、200、500、2000 元的会员也能升到这一级",
               lambda: tier_counts("大于"), "累计消费达到门槛（≥）"),
    Misreading("你要求金额和笔数同时达到：教材的规则是累计消费金额或交易笔数满足其一即可",
               lambda: tier_counts("同时"), "金额或笔数满足其一"),
    Misreading("你数的是“达到这一级门槛”的人数，里面包括已经升到更高等级的会员：每位会员只算他能达到的最高一级",
               lambda: tier_counts("累计"), "每位会员只算最高一级"),
]


# ---------------------------------------------------------------------------
# q6 会员规则文字
# ---------------------------------------------------------------------------
def rules_text(shop_name: str = SHOP_NAME) -> str:
    """按教材四级门槛导出的会员规则文字。"""
    return vip_rules_text(TEXTBOOK_VIP_TIERS, shop_name)


Q6_MISREADINGS = [
    Misreading("店铺名写成了默认的“本店”：请把 \"夏艺女装\" 作为 vip_rules_text 的第二个参数",
               lambda: rules_text("本店"), "店铺名 = 夏艺女装"),
    Misreading("店铺名只写“夏艺女装”四个字：标题里的“会员规则”是 vip_rules_text 自己加上的",
               lambda: rules_text(SHOP_NAME + "会员规则"), "店铺名不带“会员规则”"),
]


def _check_q6(answers, namespace):
    answer = answers["q6_rules"]
    if answer is None:
        return Result(False, "你的变量是 None：print(...) 只把文字显示出来，返回的是 None。"
                             "请直接写 q6_rules = vip_rules_text(...)，再 print(q6_rules)。")
    return compare_text(answer, rules_text, what="会员规则", alternatives={m.message: m.answer for m in Q6_MISREADINGS})


# ---------------------------------------------------------------------------
# q7 潜在会员（生效日换成 2018-07-01）
# ---------------------------------------------------------------------------
def potential_members(rule_change: str = RULE_CHANGE_DATE, strict: bool = False) -> int:
    """按 2018 年领卡规则，达到门槛却还没领卡的潜在会员人数（生效日默认 2018-01-01）。"""
    return int((_status(rule_change, strict)["status"] == "潜在会员").sum())


def potential_members_july() -> int:
    """新规则生效日换成 2018-07-01 时的潜在会员人数。"""
    return potential_members(NEW_RULE_CHANGE)


def _july(column: str) -> int:
    st = _status(NEW_RULE_CHANGE)
    if column == "没领卡":
        return int((st["reached_date"].notna() & st["card_claimed_date"].isna()).sum())
    return int(st["is_member"].sum())


# 不在清单里：门槛按“大于”（>）读。夏艺女装累计消费恰好 100.00 元的买家都在 2018-07-01 之前达到门槛或已经领卡，
# 两种读法数出的潜在会员一样多（要让它起作用，数据里需要一位 7 月 1 日以后累计消费恰好 100.00 元、没领卡的买家）。
Q7_MISREADINGS = [
    Misreading("这还是生效日为 2018-01-01 时的人数：请在 membership_status 里写 rule_change=\"2018-07-01\"",
               potential_members, "生效日 = 2018-07-01"),
    Misreading("7 月 1 日当天才达到门槛的买家按新规则算：生效日当天起就要领卡，他们没领卡就是潜在会员",
               lambda: potential_members(_shift(NEW_RULE_CHANGE, 1)), "生效日当天达到门槛 → 新规则"),
    Misreading("6 月 30 日达到门槛的买家在生效日之前，按旧规则已经自动入会，不是潜在会员",
               lambda: potential_members(_shift(NEW_RULE_CHANGE, -1)), "生效日前一天达到门槛 → 旧规则"),
    Misreading("你数的是达到门槛、没领卡的全部买家：生效日之前达到门槛的已经自动入会，不是潜在会员",
               lambda: _july("没领卡"), "只有生效日及以后达到门槛的才可能是潜在会员"),
    Misreading("这是生效日为 2018-07-01 时的会员人数（自动入会 + 已领卡），题目问的是还没领卡的潜在会员",
               lambda: _july("会员"), "问的是潜在会员，不是会员"),
]


# ---------------------------------------------------------------------------
# q8 升级提醒名单：离下一级的金额门槛还差 0 < 差额 ≤ 100 元
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def nudge(strict_gap: bool = False, include_non_buyers: bool = False, include_unranked: bool = True,
          strict_tier: bool = False) -> frozenset:
    """离下一级的金额门槛还差不超过 NUDGE_GAP 元的买家（至尊VIP 没有下一级）。参数用来算“误读”。"""
    summary = _summary()
    level = vip_tier(summary, strict=strict_tier).astype(object)
    next_amount = {low.name: high.min_amount for low, high in zip(TEXTBOOK_VIP_TIERS, TEXTBOOK_VIP_TIERS[1:])}
    need = level.map(next_amount).astype("float64")               # 至尊VIP 没有下一级：空值
    need[level.isna()] = TEXTBOOK_VIP_TIERS[0].min_amount           # 还没达到门槛的，下一级是普通会员
    has_next = need.notna().to_numpy()
    gap = np.where(has_next, to_fen(need.fillna(0).to_numpy()) - _fen(summary), 0)   # 还差多少分
    limit = to_fen(NUDGE_GAP)
    ok = has_next & (gap > 0) & ((gap < limit) if strict_gap else (gap <= limit))
    if not include_non_buyers:
        ok &= summary["order_count"].to_numpy() > 0
    if not include_unranked:
        ok &= level.notna().to_numpy()
    return frozenset(summary.index[ok])


# “差额 < 100 元”和“评等级时用 >”在这份数据上选出的是同一批人：恰好差 100 元的买家正好都是累计消费恰好 100.00 元的
# 普通会员（按“大于”评，他们还不是会员、差额为 0）。所以两种读法合成一条，反馈把两种可能都说出来。
Q8_MISREADINGS = [
    Misreading(f"恰好差 {NUDGE_GAP} 元的买家漏掉了：差额 ≤ {NUDGE_GAP} 元（不是 < {NUDGE_GAP} 元），"
               "现在的等级也按“达到”评（累计消费恰好 100 元的是普通会员，离高级会员正好差 100 元）",
               lambda: nudge(strict_gap=True), f"差额 ≤ {NUDGE_GAP} 元；等级按“达到”（≥）评"),
    Misreading("从没下过单的客户也被选进来了：他们离普通会员正好差 100 元，但没买过东西，不该收到“升级提醒”",
               lambda: nudge(include_non_buyers=True), "只提醒下过单的买家"),
    Misreading("你漏掉了下过单、但还没达到普通会员的买家：他们的下一级就是普通会员（100 元）",
               lambda: nudge(include_unranked=False), "未达门槛的买家，下一级是普通会员"),
]


# ---------------------------------------------------------------------------
# q9 医生/教师人群里，达到门槛的客户中潜在会员的比例
# ---------------------------------------------------------------------------
def crowd_potential_share(denominator: str = "达到门槛", numerator: str = "潜在会员") -> float:
    """医生/教师人群中潜在会员的比例；denominator：'达到门槛'（默认）、'全人群'、'全店'；numerator='会员' 是补数（“误读”用）。"""
    st = _status()
    top = (st["is_member"] if numerator == "会员" else st["status"] == "潜在会员").to_numpy()
    reached = st["reached_date"].notna().to_numpy()
    if denominator == "全店":
        return float(top[reached].sum() / reached.sum())
    inside = st.index.isin(list(crowd()))
    base = inside if denominator == "全人群" else inside & reached
    return float((top & inside).sum() / base.sum())


Q9_MISREADINGS = [
    Misreading("分母用了整个医生/教师人群：题目要的是其中已经达到门槛的客户（只有他们才可能是潜在会员）",
               lambda: crowd_potential_share("全人群"), "分母 = 人群里达到门槛的客户"),
    Misreading("这是全店的比例：题目只看医生/教师人群", lambda: crowd_potential_share("全店"), "只看医生/教师人群"),
    Misreading("这是已经入会（自动入会或领卡）的比例，题目问的是还没领卡的潜在会员",
               lambda: crowd_potential_share(numerator="会员"), "分子 = 潜在会员"),
]


# ---------------------------------------------------------------------------
# 填数题（章节测试 helpers/course/quizzes/ch05.json 用）
# ---------------------------------------------------------------------------
def top_tier_count() -> float:
    """按教材四级门槛（“达到”），夏艺女装全部客户里有多少位能达到至尊VIP。"""
    return float(tier_counts(who="全部")[TIER_NAMES[-1]])


# ---------------------------------------------------------------------------
# 题目
# ---------------------------------------------------------------------------
QUESTIONS = [
    Question(
        "q1", points=2, variables="q1_crowd",
        title="任务训练 1：选出职业是医生或教师的客户（夏艺女装）",
        hint=("用自定义分组 Segment 的职业规则，职业名单里写两个职业：名单里的职业满足其一即可入组；"
              "没下过单的客户也在人群里。",
              "Segment(\"医生教师\", \"事业单位人群\", occupations=[...]).select(summary)"),
        solution="q1_crowd = Segment(\"医生教师\", \"事业单位人群\", occupations=[\"医生\", \"教师\"]).select(summary)",
        expected=crowd, compare=partial(compare_customer_sets, table="summary"), misreadings=Q1_MISREADINGS,
    ),
    Question(
        "q2", points=2, variables="q2_repurchase",
        title="人群指标分解：把人群拆开，教师的复购客户占比是多少（%，按下过单的教师算，精确到 0.1）",
        hint=("用 crowd_metrics 做人群指标分解，人群只放职业是教师的客户；复购客户占比的分母是下过单的客户，"
              "复购指订单总数 ≥ 2；答案以 % 为单位。",
              "crowd_metrics(summary, {\"教师\": 选出教师的条件})，在结果里找“复购客户占比（%，按下单客户）”那一列"),
        solution=("teachers = summary[\"occupation\"] == \"教师\"\n"
                  "metrics = crowd_metrics(summary, {\"教师\": teachers, \"医生/教师\": summary.index.isin(q1_crowd.index)})\n"
                  "display(metrics)\n"
                  "q2_repurchase = metrics.loc[\"教师\", \"复购客户占比（%，按下单客户）\"]"),
        expected=repurchase_share, compare=partial(compare_number, tolerance=0.05, unit="%"),
        misreadings=Q2_MISREADINGS,
    ),
    Question(
        "q3", points=2, variables="q3_tgi",
        title=f"访客人群洞察：医生/教师人群“{TGI_EVENT}”过“{TGI_PRODUCT}”的 TGI（按人算，精确到 0.1）",
        hint=("TGI 是人群里有这个行为的人所占的比例 ÷ 全店全部客户里的这一比例 × 100，两边都按人数算；"
              "用 crowd_insight，行为选加购，全店客户是 summary 的全部客户，并列出全部商品。",
              "crowd_insight(shop.events, 人群的编号, 行为, top=None, population=全店客户的编号)，"
              f"在结果里找“{TGI_PRODUCT}”那一行的 TGI"),
        solution=(f"insight = crowd_insight(shop.events, q1_crowd.index, \"{TGI_EVENT}\", top=None, population=summary.index)\n"
                  "display(insight.head(5))\n"
                  f"q3_tgi = insight.loc[\"{TGI_PRODUCT}\", \"TGI\"]"),
        expected=tgi, compare=partial(compare_number, tolerance=0.05, unit=""), misreadings=Q3_MISREADINGS,
    ),
    Question(
        "q4", points=2, variables="q4_tiers", evaluate=_check_q4,
        title="任务训练 2：按教材写出 VIP1–VIP4 四个等级的门槛",
        hint=("四个等级从低到高排：普通会员、高级会员、VIP会员、至尊VIP；每一级有两个门槛，累计消费金额在前，"
              "交易笔数在后。",
              "VipTier(名称, 累计消费门槛（元）, 交易笔数门槛)，四个放进一个列表 [...]"),
        solution=("q4_tiers = [VipTier(\"普通会员\", 100.0, 3), VipTier(\"高级会员\", 200.0, 5),\n"
                  "            VipTier(\"VIP会员\", 500.0, 10), VipTier(\"至尊VIP\", 2000.0, 20)]"),
        expected=lambda: list(TEXTBOOK_VIP_TIERS), misreadings=Q4_MISREADINGS,
    ),
    Question(
        "q5", points=3, variables="q5_counts",
        title="任务训练 2：四个等级各有多少位店铺会员（2018 年领卡规则下的会员）",
        hint=("先用 membership_status 找出会员：规则前自动入会的和已领卡的；只给会员评级，"
              "每人只算能达到的最高一级，门槛按“达到”理解。",
              "会员的编号是 status.index[status[\"is_member\"]]；只给他们评级时先用 summary.loc[编号] 留下这些客户"),
        solution=("status = membership_status(shop.orders, shop.customers, as_of=TODAY)\n"
                  "members = status.index[status[\"is_member\"]]\n"
                  "q5_counts = vip_tier(summary.loc[members], q4_tiers).value_counts()"),
        expected=tier_counts, compare=compare_mapping, misreadings=Q5_MISREADINGS,
    ),
    Question(
        "q6", points=2, variables="q6_rules", evaluate=_check_q6,
        title="任务训练 2：导出“夏艺女装会员规则”的文字",
        hint=("用 vip_rules_text，传入你的四个等级和店铺名；店铺名只写店名本身。",
              "vip_rules_text(等级列表, 店铺名)，店铺名是一个字符串，返回一段文字（不要把 print 的结果赋给答案）"),
        solution="q6_rules = vip_rules_text(q4_tiers, \"夏艺女装\")\nprint(q6_rules)",
        expected=rules_text, misreadings=Q6_MISREADINGS,
    ),
    Question(
        "q7", points=2, variables="q7_potential",
        title="新规则的生效日换成 2018-07-01，潜在会员有多少位",
        hint=("生效日之前达到门槛的买家已经自动入会；生效日当天及以后才达到门槛、还没领卡的才是潜在会员。"
              "用 membership_status 的生效日参数。",
              "membership_status(shop.orders, shop.customers, as_of=TODAY, rule_change=\"2018-07-01\")"),
        solution=("status_july = membership_status(shop.orders, shop.customers, as_of=TODAY, rule_change=\"2018-07-01\")\n"
                  "q7_potential = int((status_july[\"status\"] == \"潜在会员\").sum())"),
        expected=potential_members_july, compare=partial(compare_number, tolerance=0, unit="位"),
        misreadings=Q7_MISREADINGS,
    ),
    Question(
        "q8", points=3, variables="q8_nudge",
        title="升级提醒名单：离下一级的金额门槛还差不超过 100 元的买家",
        hint=("先评出每位客户现在的等级，再对应到下一级的金额门槛；还没达到普通会员的买家下一级是普通会员，"
              "至尊VIP 没有下一级。差额大于 0、不超过 100 元，只要下过单的买家。",
              "level = vip_tier(summary, q4_tiers).astype(object)；need = level.map({...})；"
              "gap = need - summary[\"total_amount\"]，保留到分再比较"),
        solution=("level = vip_tier(summary, q4_tiers).astype(object)\n"
                  "next_amount = {\"普通会员\": 200.0, \"高级会员\": 500.0, \"VIP会员\": 2000.0}\n"
                  "need = level.map(next_amount)  # 至尊VIP 没有下一级，是空值\n"
                  "need[level.isna()] = 100.0  # 还没达到普通会员的买家，下一级就是普通会员\n"
                  "gap = (need - summary[\"total_amount\"]).round(2)  # 还差多少元（保留到分）\n"
                  "buyers = summary[\"order_count\"] > 0\n"
                  "q8_nudge = summary[buyers & (gap > 0) & (gap <= 100)]"),
        expected=nudge, compare=partial(compare_customer_sets, table="summary"), misreadings=Q8_MISREADINGS,
    ),
    Question(
        "q9", points=2, variables="q9_share",
        title="医生/教师人群里，已达到门槛的客户中潜在会员占多少（0 到 1 的小数，精确到 0.001）",
        hint=("分子是人群里还没领卡的潜在会员，分母是人群里已经达到门槛的客户（不是整个人群）。",
              "mine = status.loc[q1_crowd.index]；分母用 mine[\"reached_date\"].notna().sum()"),
        solution=("mine = status.loc[q1_crowd.index]\n"
                  "q9_share = (mine[\"status\"] == \"潜在会员\").sum() / mine[\"reached_date\"].notna().sum()"),
        expected=crowd_potential_share, compare=partial(compare_number, tolerance=0.0005, unit=""),
        misreadings=Q9_MISREADINGS,
    ),
    QuizQuestion("q10", chapter="05", qid="q5", variable="q10_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, …, q10 = ch05.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

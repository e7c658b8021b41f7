"""第 01–04 章的练习与章节测试。

- 每道练习题：正确答案 → 正确；误读清单里的每一种读法 → 各自的具体说明；没作答 → 友好的“还没有作答”；类型不对 → 中文说明。
  正确答案在这里用 pandas / Segment 另算一遍（不调用题目模块里的函数），所以也检验了题目模块算得对不对。
- 第 1 题（02、03、04 章）答的是规则本身：规则在“边界客户”小表上检查，> 与 ≥、日期差一天由设计判出，不靠数据碰巧。
- 章节测试题文件：每个选项都有讲解、选了就显示；填数题的答案不写在文件里，而是从数据现算。
- 课程笔记本 01–04 的“章节测试”一节就在“小结”前面。
- 批量评分只运行一次（6 本笔记本、2 个并行）：参考答案满分，生成的练习本 0 分。
"""
import math
from functools import lru_cache

import numpy as np
import pandas as pd
import pytest
from IPython.display import HTML

from helpers import Segment, load_shop, plan_sms, sms_length, with_signature
from helpers.mail import email_recipients, render_email
from helpers.course.exercises import ch01, ch02, ch03, ch04, load_chapter
from helpers.course.quiz import check_quiz_answer, load_quiz, quiz_answers
from conftest import check_answer as check



# ---------------------------------------------------------------------------
# 共用
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def shop(name):
    return load_shop(name)


@lru_cache(maxsize=None)
def summary(name):
    return shop(name).summary()


def assert_right(res, message=None):
    assert res.correct and res.answered, res.message
    if message is not None:
        assert res.message == message


def assert_wrong(res, start):
    assert not res.correct and res.answered, res.message
    assert res.message.startswith(start), res.message


def segment(base, name="分组", **changes):
    rules = {**base, **changes}
    return Segment(name, **{k: v for k, v in rules.items() if v is not None})


# ---------------------------------------------------------------------------
# 所有练习题：没作答时友好提醒，不抛异常
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("module", [ch02, ch03, ch04], ids=lambda m: m.CHAPTER)
def test_setup_binds_every_question(module):
    ns = {}
    qs = module.setup(ns)
    extra = ["q7"] if module is ch02 else []            # 第 02 章另有 SQL 视图题
    assert [q.name for q in qs] == ["q1", "q2", "q3", "q4", "q5", "q6"] + extra
    assert all(q.namespace is ns and q.title and q.hint_text for q in qs)
    assert load_chapter(module.CHAPTER) is module
    assert sum(q.points for q in qs) == 12 + 2 * len(extra)


def test_chapter_01_has_quiz_computations_only():
    assert not hasattr(ch01, "QUESTIONS")
    assert callable(ch01.top20_share_a_kids) and callable(ch01.repurchase_rate_health)


# ---------------------------------------------------------------------------
# 第 02 章：父亲节分组
# ---------------------------------------------------------------------------
FATHERS = dict(min_total_amount=200, gender="男", last_order_after="2016-03-01", min_points=100,
               products=["辅酶Q10软胶囊", "银杏叶片", "纳豆红曲胶囊", "番茄红素软胶囊"],
               regions=["上海", "江苏", "浙江", "北京"])


def fathers_rule(**changes):
    return segment(FATHERS, "父亲节", **changes)


def fathers(**changes):
    return fathers_rule(**changes).select(summary("health"))


def check_rule(module, name, rule, second_var, second):
    """第 1 题有两个答案变量：规则和用它选出的客户。"""
    return check(module, name, rule, **{second_var: second})


def test_02_q1_right_rule_and_group():
    rule, group = fathers_rule(), fathers()
    res = check_rule(ch02, "q1", rule, "q1_group", group)
    assert_right(res)
    assert res.message.startswith("父亲节（父亲节关爱）：订单总金额 ≥ 200 元，且性别为男") and res.message.endswith(f"共 {len(group)} 位客户。")
    # 宝贝标题和商品简称是同一个商品的两个名字；“上海市”等同“上海”
    titles = {v: k for k, v in summary("health").attrs["product_titles"].items()}
    by_title = fathers_rule(products=[titles.get(p, p) for p in FATHERS["products"]],
                            regions=["上海市", "江苏", "浙江", "北京"])
    assert by_title.rules != rule.rules
    assert_right(check_rule(ch02, "q1", by_title, "q1_group", list(group.index)))


@pytest.mark.parametrize("changes, message", [
    (dict(min_total_amount=200.01), "订单总金额写成了“> 200 元”"),
    (dict(min_total_amount=None, min_avg_order_value=200), "“累计消费”是订单总金额（min_total_amount），不是平均订单价"),
    (dict(min_points=101), "积分写成了“> 100”"),
    (dict(last_order_after="2016-03-02"), "最后下单时间晚了一天"),
    (dict(last_order_after="2016-02-29"), "最后下单时间早了一天"),
    (dict(last_order_after="2016-03-03"), "“最近 3 个月”按 90 天算成了 2016-03-03"),
    (dict(last_order_after="2016-01-01"), "最后下单时间用了 2016-01-01（今年以来）"),
    (dict(regions=["上海"]), "所属地区只勾了上海"),
    (dict(regions=None), "没有填所属地区"),
    (dict(gender=None), "漏了“性别：男”这一条"),
    (dict(products=["辅酶Q10软胶囊"]), "商品范围只勾了辅酶Q10软胶囊"),
])
def test_02_q1_each_misreading_of_the_rule(changes, message):
    wrong = fathers_rule(**changes)
    assert_wrong(check_rule(ch02, "q1", wrong, "q1_group", wrong.select(summary("health"))), message)


def test_02_q1_boundaries_are_decided_by_the_probe_not_by_the_data():
    # 真实数据里，这三种读法和正确读法选出的客户一模一样：只看选出的客户，就判不出错
    for changes in (dict(min_total_amount=200.01), dict(min_points=101), dict(last_order_after="2016-03-02")):
        assert fathers(**changes).index.equals(fathers().index), changes
    # 规则本身却被边界客户小表认了出来；没有专门写进误读清单的写法，反馈也说出是哪条界线
    probe = fathers_rule().boundary_probe().set_index("边界")
    assert probe.loc["订单总金额正好 200 元", "应入组"] and probe.loc["积分正好 100", "应入组"]
    assert probe.loc["最后下单时间在 2016-03-01 当天 0 点", "应入组"]
    assert_wrong(check_rule(ch02, "q1", fathers_rule(min_total_amount=201), "q1_group", fathers()),
                 "“订单总金额正好 200 元”的客户应该入组")
    assert_wrong(check_rule(ch02, "q1", fathers_rule(min_points=99), "q1_group", fathers()),
                 "“积分 99”的客户不该入组")
    assert_wrong(check_rule(ch02, "q1", fathers_rule(min_orders=1), "q1_group", fathers()),
                 "多了“订单总数”这条规则")


def test_02_q1_group_checked_after_the_rule():
    rule, group = fathers_rule(), fathers()
    assert_wrong(check_rule(ch02, "q1", group, "q1_group", group), "这道题要的是分组规则本身（Segment(...)）")
    mask = summary("health").index.isin(group.index)
    assert_wrong(check_rule(ch02, "q1", rule, "q1_group", pd.Series(mask, index=summary("health").index)),
                 "q1_rule 的规则对了，q1_group 还不对。你给的是一列 True/False（每位客户是否满足条件），"
                 "还没有用它选人：请写成 summary[条件]")
    assert_wrong(check_rule(ch02, "q1", rule, "q1_group", group.iloc[1:]),
                 f"q1_rule 的规则对了，q1_group 还不对。你选出了 {len(group) - 1} 位客户，正确答案是 {len(group)} 位。漏掉了 1 位")
    assert_wrong(check_rule(ch02, "q1", rule, "q1_group", len(group)), "q1_rule 的规则对了，q1_group 还不对。应该是一个 DataFrame")


def father_funnel():
    funnel = fathers_rule().funnel(summary("health")).iloc[1:]
    share = funnel["本步去掉"] / (funnel["剩余客户数"] + funnel["本步去掉"])
    return funnel.assign(share=share)


def test_02_q2_right_in_several_forms():
    funnel = father_funnel()
    best = funnel.loc[funnel["本步去掉"].idxmax()]
    assert best["条件"] == "性别为男"                             # 数据的前提：去掉最多的不是第一条规则
    message = f"“性别为男”这一步去掉了 {best['本步去掉']} 位客户，比任何一条都多。"
    for answer in ("性别为男", " 性别为男 ", "性别", "gender", best):
        assert_right(check(ch02, "q2", answer), message)


def test_02_q2_misreadings_name_the_confusion():
    funnel = father_funnel()
    by_share = funnel.loc[funnel["share"].idxmax()]
    last = funnel.iloc[-1]
    fewest = funnel.loc[funnel["本步去掉"].idxmin()]
    assert len({by_share["条件"], last["条件"], fewest["条件"], "性别为男"}) == 4   # 四种读法各不相同
    assert_wrong(check(ch02, "q2", by_share["条件"]),
                 f"你找的是去掉比例最大的一条（“{by_share['条件']}”去掉了上一步的 {by_share['share']:.1%}）")
    assert_wrong(check(ch02, "q2", last["条件"]),
                 f"你找的是做完以后剩下客户最少的一步：“{last['条件']}”是最后一条规则，做完它剩下的客户自然最少"
                 f"（{last['剩余客户数']} 位）")
    assert_wrong(check(ch02, "q2", fewest["条件"]), f"你找的是去掉人数最少的一条（“{fewest['条件']}”只去掉了 "
                                                   f"{fewest['本步去掉']} 位）")
    assert_wrong(check(ch02, "q2", "（不加条件）"), "你找的是“剩余客户数”最大的一行")
    first = funnel.iloc[0]
    assert_wrong(check(ch02, "q2", first["条件"]), f"“{first['条件']}”去掉了 {first['本步去掉']} 位客户，还有一条规则去掉的更多")
    assert_wrong(check(ch02, "q2", "订单总数 ≥ 2 笔"), "父亲节分组里没有这条规则：“订单总数”不在需求里")


@pytest.mark.parametrize("answer, message", [
    ("不知道", "认不出“不知道”是哪一条规则"),
    (961, "你给的是一个数（961）"),
    (["性别为男"], "应该是一段文字（漏斗表里“条件”一列的内容），你给的是 list。"),
])
def test_02_q2_wrong_types(answer, message):
    assert_wrong(check(ch02, "q2", answer), message)
    assert_wrong(check(ch02, "q2", father_funnel()), "你给的是整张漏斗表")


def test_02_q3_age_filter():
    group = fathers()
    right = group[group["age"] >= 50]
    assert_right(check(ch02, "q3", right), f"共 {len(right)} 位客户。")
    assert (group["age"] == 50).any()                             # 数据的前提：分组里有正好 50 岁的客户
    assert_wrong(check(ch02, "q3", group[group["age"] > 50]), "年龄写成了“> 50”")
    assert_wrong(check(ch02, "q3", group[group["age"] >= 60]), "你用了课上“老年”的界线 60 岁")
    assert_wrong(check(ch02, "q3", group[group["age"] < 50]), "你留下的是 50 岁以下的客户")
    whole = summary("health")
    assert_wrong(check(ch02, "q3", whole[whole["age"] >= 50]), "你在全店客户里按年龄筛选了")
    # 给了一列 True/False 时，提示里写的是这道题的表名 q1_group，而不是 summary
    assert_wrong(check(ch02, "q3", group["age"] >= 50),
                 "你给的是一列 True/False（每位客户是否满足条件），还没有用它选人：请写成 q1_group[条件]")


def test_02_q4_per_buyer_not_per_order():
    group = fathers()
    fen = (group["total_amount"] * 100).round().astype("int64")
    buyers = int((group["order_count"] > 0).sum())
    right = fen.sum() / buyers / 100
    per_order = fen.sum() / group["order_count"].sum() / 100
    assert right > per_order                                       # 客单价按人算，不会低于平均订单价
    assert_right(check(ch02, "q4", right), f"{right:.4f}".rstrip("0").rstrip(".") + " 元。")
    assert_right(check(ch02, "q4", round(right, 2)))
    assert_wrong(check(ch02, "q4", per_order), "你算的是平均订单价（也叫笔单价）：订单总金额 ÷ 订单总数。这道题问的是客单价")
    assert_wrong(check(ch02, "q4", group["avg_order_value"].mean()), "你把每位客户的平均订单价又平均了一次")
    shop_buyers = summary("health")[summary("health")["order_count"] > 0]
    assert_wrong(check(ch02, "q4", shop_buyers["total_amount"].sum() / len(shop_buyers)), "这是全店的客单价")
    assert_wrong(check(ch02, "q4", str(round(right, 2))), "你给的是文字")
    assert_wrong(check(ch02, "q4", group["total_amount"]), f"应该是一个数，你给的是有 {len(group)} 个值的 Series")


def activity(active_right=True, sleep_right=True, active=60, with_non_buyers=False, days=None):
    data = summary("health")
    days = data["recency_days"].astype("float") if days is None else days
    is_active = days <= active if active_right else days < active
    is_sleep = days > 180 if sleep_right else days >= 180
    counts = {"活跃": int(is_active.sum()), "普通": int((days.notna() & ~is_active & ~is_sleep).sum()),
              "休眠": int((is_sleep & ~is_active).sum())}
    if with_non_buyers:
        counts["休眠"] += int(days.isna().sum())
    return counts


def test_02_q5_activity_bands():
    data = summary("health")
    days = data["recency_days"].astype("float")
    for edge in (60, 61, 180, 181):                                # 数据的前提：每条界线上和界线外一天都有客户
        assert (days == edge).any(), edge
    right = activity()
    buyers = data[data["order_count"] > 0]
    cut = pd.cut(buyers["recency_days"].astype("float"), bins=[-1, 60, 180, np.inf], labels=["活跃", "普通", "休眠"])
    assert cut.value_counts().to_dict() == right
    assert_right(check(ch02, "q5", right), f"活跃 {right['活跃']} 人、普通 {right['普通']} 人、休眠 {right['休眠']} 人。")
    assert_right(check(ch02, "q5", pd.Series(right)))
    assert_wrong(check(ch02, "q5", activity(False, False)), "正好 60 天和 180 天的客户都被分到了下一档")
    assert_wrong(check(ch02, "q5", activity(active_right=False)), "正好 60 天的客户被分到了普通")
    assert_wrong(check(ch02, "q5", activity(sleep_right=False)), "正好 180 天的客户被分到了休眠")
    assert_wrong(check(ch02, "q5", activity(active=90)), "你用了课上 A店铺的界线 90 天")
    assert_wrong(check(ch02, "q5", activity(with_non_buyers=True)), "你把没下过单的客户也算进了休眠")
    by_time = (shop("health").today - data["last_order"]).dt.days.astype("float")
    assert_wrong(check(ch02, "q5", activity(days=by_time)), "你用“今天 − 最后下单时间”再取 .dt.days 算天数")
    assert_wrong(check(ch02, "q5", 2351), "应该是每一类对应一个数（Series 或 dict")
    wrong = {**right, "活跃": right["活跃"] + 1}
    assert_wrong(check(ch02, "q5", wrong), f"数目不对：活跃 你的是 {right['活跃'] + 1} 人，应为 {right['活跃']} 人")


def test_02_q6_quiz_question():
    item = load_quiz("02").item("q3")
    assert_right(check(ch02, "q6", "B"))
    for key in ("A", "C"):
        assert_wrong(check(ch02, "q6", key), f"你选了 {key}。{item.explain(key)}")
    assert_wrong(check(ch02, "q6", 3), "请写选项的字母")
    assert_right(check(ch02, "q6", "Ｂ"))                          # 中文输入法打出的全角字母
    assert not check(ch02, "q6", "").answered


# ---------------------------------------------------------------------------
# 第 03 章：鱼油端午短信
# ---------------------------------------------------------------------------
FISH = dict(min_orders=1, last_order_after="2016-01-01", min_points=1, products=["鱼油200粒装"])


def fish_rule(**changes):
    return segment(FISH, "端午鱼油短信", **changes)


def fish_audience(**changes):
    return fish_rule(**changes).select(summary("health"))


def reachable(df, opted_out=True, no_phone=True):
    keep = pd.Series(True, index=df.index)
    if opted_out:
        keep &= ~df["sms_opt_out"]
    if no_phone:
        keep &= df["phone"].notna()
    return df[keep]


def test_03_q1_rule_and_recipients():
    audience = fish_audience()
    right = reachable(audience)
    res = check_rule(ch03, "q1", fish_rule(), "q1_recipients", right)
    assert_right(res)
    assert res.message.endswith(f"共 {len(right)} 位客户。")
    assert_right(check_rule(ch03, "q1", fish_rule(), "q1_recipients", plan_sms(audience, "亲", "保健品专卖").messages))
    title = next(t for t, p in summary("health").attrs["product_titles"].items() if p == "鱼油200粒装")
    assert_right(check_rule(ch03, "q1", fish_rule(products=[title]), "q1_recipients", right))   # 宝贝标题也算对


@pytest.mark.parametrize("changes, message", [
    (dict(last_order_after="2016-01-02"), "最后下单时间要含 2016-01-01 当天"),
    (dict(last_order_after="2015-12-31"), "last_order_after 本身就含当天"),
    (dict(min_points=2), "积分写成了“> 1”"),
    (dict(min_orders=2), "购买次数写成了“> 1”"),
    (dict(regions=["上海"]), "这次不限地区"),
    (dict(products=["鱼油200粒装", "预售深海鱼油200粒装"]), "商品范围只要鱼油200粒装，不包括预售深海鱼油200粒装"),
    (dict(products=["蜂胶胶囊120粒装"]), "商品范围抄了案例 2 的蜂胶胶囊120粒装"),
])
def test_03_q1_each_misreading_of_the_rule(changes, message):
    wrong = fish_rule(**changes)
    assert_wrong(check_rule(ch03, "q1", wrong, "q1_recipients", reachable(wrong.select(summary("health")))), message)


def test_03_q1_recipients_who_cannot_be_reached():
    audience = fish_audience()
    assert_wrong(check_rule(ch03, "q1", fish_rule(), "q1_recipients", audience),
                 "q1_rule 的规则对了，q1_recipients 还不对。你还没有去掉不能发的客户")
    assert_wrong(check_rule(ch03, "q1", fish_rule(), "q1_recipients", reachable(audience, no_phone=False)),
                 "q1_rule 的规则对了，q1_recipients 还不对。还要去掉没有手机号的客户")
    assert_wrong(check_rule(ch03, "q1", fish_rule(), "q1_recipients", reachable(audience, opted_out=False)),
                 "q1_rule 的规则对了，q1_recipients 还不对。已退订短信的客户绝对不能再发营销短信")
    assert_wrong(check_rule(ch03, "q1", fish_rule(), "q1_recipients", plan_sms(audience, "亲", "保健品专卖")),
                 "q1_rule 的规则对了，q1_recipients 还不对。你给的是发送计划（SmsPlan）")


BODY = "亲,端午特惠!BCCJ鱼油200粒装原价168元,现只需139元,6月9日截止,先到先得!"


def test_03_q2_right_plain_and_personal():
    people = len(reachable(fish_audience()))
    full = with_signature(BODY, "保健品专卖")
    assert_right(check(ch03, "q2", full),
                 f"整条 {sms_length(full)} 字（含签名和退订提示），每位收件人按 1 条计费；发给 {people} 人共计费 {people} 条。")
    personal = with_signature("{昵称},鱼油端午特惠139元,6月9日截止!", "保健品专卖")
    longest = plan_sms(reachable(fish_audience()), personal, "保健品专卖").messages["length"].max()
    res = check(ch03, "q2", personal)
    assert_right(res)
    assert res.message.startswith(f"最长的一条 {longest} 字（含签名和退订提示）")


def test_03_q2_typical_mistakes():
    full = with_signature(BODY, "保健品专卖")
    assert_wrong(check(ch03, "q2", BODY + "回T退订"), "短信开头缺少店铺签名【保健品专卖】")
    assert_wrong(check(ch03, "q2", "【保健品专卖】" + BODY), "短信结尾缺少退订提示“回T退订”")
    assert_wrong(check(ch03, "q2", "【保健品专卖】回T退订" + BODY), "“回T退订”要放在短信的最后")
    assert_wrong(check(ch03, "q2", "【BCCJ】" + BODY + "回T退订"), "签名应是【保健品专卖】")
    assert_wrong(check(ch03, "q2", full.replace("139", "一百三十九")), "短信里没有写活动价 139 元")
    assert_wrong(check(ch03, "q2", full.replace("鱼油", "")), "短信里没有写要推的商品（鱼油）")
    too_long = with_signature(ch03.LONG_TEXT, "保健品专卖")
    n = sms_length(too_long)
    assert_wrong(check(ch03, "q2", too_long),
                 f"你的短信有 {n} 字（含签名和“回T退订”），按 {math.ceil(n / 67)} 条计费：要控制在 70 字以内，再删掉 {n - 70} 个字")


def test_03_q2_body_alone_under_70_is_not_enough():
    body = BODY + "另有钙片、蛋白粉同步特惠,详情请进店查看。"
    full = with_signature(body, "保健品专卖")
    assert sms_length(body) <= 70 < sms_length(full)                   # 只数正文不超，整条才超
    assert_wrong(check(ch03, "q2", full),
                 f"只数了正文：签名【保健品专卖】和“回T退订”也算字数。正文 {sms_length(body)} 字，整条有 {sms_length(full)} 字")


def test_03_q2_personal_message_too_long_for_the_longest_nickname():
    people = reachable(fish_audience())
    text = with_signature(ch03.PERSONAL_TEXT, "保健品专卖")
    lengths = plan_sms(people, text, "保健品专卖").messages["length"]
    assert lengths.max() > 70 >= sms_length(text.replace("{昵称}", ""))   # 不换昵称时不超，换上以后才超
    who = people.loc[lengths.idxmax(), "nickname"]
    assert_wrong(check(ch03, "q2", text), f"用了 {{昵称}} 就要按昵称最长的那位收件人数字数：填上昵称以后，"
                                          f"最长的一条（发给“{who}”的）有 {lengths.max()} 字，按 2 条计费")
    assert_wrong(check(ch03, "q2", with_signature("{名字}鱼油139元", "保健品专卖")), "短信里的占位符 {名字} 无法填写")


@pytest.mark.parametrize("answer, message", [
    (["【保健品专卖】", "回T退订"], "应该是一段文字（完整的短信），你给的是 list。"),
    (56, "应该是一段文字（完整的短信），你给的是 int。"),
    ("  ", "短信是空的。"),
])
def test_03_q2_wrong_types(answer, message):
    assert_wrong(check(ch03, "q2", answer), message)
    plan = plan_sms(fish_audience(), BODY, "保健品专卖")
    assert_wrong(check(ch03, "q2", plan), "你给的是发送计划（SmsPlan）")


def test_03_q3_long_message_cost():
    people = reachable(fish_audience())
    plan = plan_sms(people, ch03.LONG_TEXT, "保健品专卖", price=0.045)
    n = sms_length(plan.template)
    parts = math.ceil(n / 67)
    assert 134 < n <= 140 and parts == 3                           # 按 67 字 3 条、按 70 字 2 条
    assert sms_length(ch03.LONG_TEXT) <= 134                       # 只数正文也是 2 条
    assert_right(check(ch03, "q3", plan.cost), f"{plan.cost:g} 元。")
    assert_right(check(ch03, "q3", len(people) * parts * 0.045))    # 浮点误差在一分以内
    assert_wrong(check(ch03, "q3", len(people) * parts * 0.05), "你按 0.05 元/条算了")
    per_person = round(parts * 0.045 + 1e-9, 2)                    # 0.135 元四舍五入成 0.14 元
    assert_wrong(check(ch03, "q3", len(people) * per_person), "你把每个人的费用（3 条 × 0.045 元）先四舍五入到分再相加")
    assert_wrong(check(ch03, "q3", len(people) * 2 * 0.045), "你算成了每人 2 条")
    assert_wrong(check(ch03, "q3", len(fish_audience()) * parts * 0.045), "你把已退订和没有手机号的客户也算进去了")
    assert_wrong(check(ch03, "q3", len(people) * 0.045), "超过 70 字的长短信不是按 1 条计费的")
    assert_wrong(check(ch03, "q3", plan.total_parts), "这是计费条数，题目问的是总费用（元）")
    assert_wrong(check(ch03, "q3", f"{plan.cost}元"), f"你给的是文字 “{plan.cost}元”（带引号）")


def test_03_q4_personal_messages_over_70():
    people = reachable(fish_audience())
    lengths = plan_sms(people, ch03.PERSONAL_TEXT, "保健品专卖").messages["length"]
    assert (lengths == 70).any()                                   # 数据的前提：有人正好 70 字
    right = int((lengths > 70).sum())
    assert_right(check(ch03, "q4", right), f"{right} 人。")
    assert_wrong(check(ch03, "q4", int((lengths > 67).sum())), "你数的是超过 67 字的")
    assert_wrong(check(ch03, "q4", int((lengths >= 70).sum())), "正好 70 字的短信仍按 1 条计费")
    body = people["nickname"].str.len() + len(ch03.PERSONAL_TEXT) - len("{昵称}")
    assert_wrong(check(ch03, "q4", int((body > 70).sum())), "你只数了正文")
    everyone = fish_audience()["nickname"].str.len() + sms_length(with_signature(ch03.PERSONAL_TEXT, "保健品专卖")) - 4
    assert_wrong(check(ch03, "q4", int((everyone > 70).sum())), "你数的是全部目标客户")
    assert_wrong(check(ch03, "q4", lengths), f"应该是一个数，你给的是有 {len(lengths)} 个值的 Series")


def test_03_q5_email_instead():
    a = fish_audience()
    blocked = a["sms_opt_out"] | a["phone"].isna()
    email_ok = a["email"].notna() & ~a["email_opt_out"]
    right = a[blocked & email_ok]
    assert_right(check(ch03, "q5", right), f"共 {len(right)} 位客户。")
    assert_wrong(check(ch03, "q5", a[a["sms_opt_out"] & email_ok]), "没有手机号的客户短信也发不到")
    assert_wrong(check(ch03, "q5", a[blocked & ~a["email_opt_out"]]), "没有留邮箱的客户也发不了邮件")
    assert_wrong(check(ch03, "q5", a[email_ok]), "题目只问短信发不到的客户")
    assert_wrong(check(ch03, "q5", blocked & email_ok), "你给的是一列 True/False（每位客户是否满足条件），"
                                                        "还没有用它选人：请写成 audience[条件]")
    # 误读清单里没有“没去掉退订邮件的客户”：这份数据里，短信发不到又留了邮箱的目标客户没有一位退订过邮件
    assert a[blocked & a["email"].notna()].index.equals(right.index)


def test_03_q6_quiz_question():
    item = load_quiz("03").item("q1")
    assert_right(check(ch03, "q6", ["A", "B"]))
    assert_right(check(ch03, "q6", "A、B"))
    assert_wrong(check(ch03, "q6", ["A"]), "还有 1 个正确选项没选")
    assert_wrong(check(ch03, "q6", ["A", "B", "C"]), f"C 不该选：{item.explain('C')}")
    assert_wrong(check(ch03, "q6", ["E"]), "没有选项 E")
    assert_wrong(check(ch03, "q6", 1), "请写选项的字母")


# ---------------------------------------------------------------------------
# 第 04 章：618 邮件
# ---------------------------------------------------------------------------
THREE = ["氨糖软骨素钙片", "液体钙软胶囊", "复合维生素片"]
JUNE18 = dict(min_orders=1, min_total_amount=150, min_items=2, last_order_after="2015-12-01", min_points=1,
              products=THREE)


def june18_rule(**changes):
    return segment(JUNE18, "618邮件", **changes)


def june18(**changes):
    return june18_rule(**changes).select(summary("health"))


def test_04_q1_rule_and_audience():
    right = june18()
    res = check_rule(ch04, "q1", june18_rule(), "q1_audience", right)
    assert_right(res)
    assert res.message.endswith(f"共 {len(right)} 位客户。")
    # 六个月是日历月：今天往前推 6 个月正好是规则里的日期
    assert (shop("health").today - pd.DateOffset(months=6)) == pd.Timestamp(JUNE18["last_order_after"])
    assert_wrong(check_rule(ch04, "q1", right, "q1_audience", right), "这道题要的是分组规则本身（Segment(...)）")
    assert_wrong(check_rule(ch04, "q1", june18_rule(), "q1_audience", june18(products=THREE[:1])),
                 "q1_rule 的规则对了，q1_audience 还不对。")


@pytest.mark.parametrize("changes, message", [
    (dict(min_total_amount=150.01), "订单总金额写成了“> 150 元”"),
    (dict(min_total_amount=100), "订单总金额抄了案例 3 的 100 元"),
    (dict(min_items=3), "购买商品总数写成了“> 2”"),
    (dict(min_items=1), "购买商品总数抄了案例 3 的 1 件"),
    (dict(min_orders=2), "购买次数写成了“> 1”"),
    (dict(last_order_after="2015-12-02"), "最后下单时间晚了一天"),
    (dict(last_order_after="2015-11-30"), "最后下单时间早了一天"),
    (dict(last_order_after="2015-12-04"), "“最近半年”按 180 天算成了 2015-12-04"),
    (dict(last_order_after="2016-01-01"), "最后下单时间抄了案例 3 的 2016-01-01"),
    (dict(min_points=2), "积分写成了“> 1”"),
    (dict(products=THREE[:1]), "商品范围只勾了氨糖软骨素钙片"),
    (dict(regions=["上海"]), "这次不限地区"),
])
def test_04_q1_each_misreading_of_the_rule(changes, message):
    wrong = june18_rule(**changes)
    assert_wrong(check_rule(ch04, "q1", wrong, "q1_audience", wrong.select(summary("health"))), message)


def test_04_q1_boundaries_are_decided_by_the_probe():
    assert (shop("health").today - pd.Timedelta(days=180)).date() == pd.Timestamp("2015-12-04").date()
    probe = june18_rule().boundary_probe().set_index("边界")
    assert probe.loc["订单总金额正好 150 元", "应入组"] and not probe.loc["订单总金额 149.99 元", "应入组"]
    assert probe.loc["购买商品总数正好 2 件", "应入组"] and not probe.loc["购买商品总数 1 件", "应入组"]
    assert_wrong(check_rule(ch04, "q1", june18_rule(min_total_amount=149), "q1_audience", june18()),
                 "“订单总金额 149.99 元”的客户不该入组")


def test_04_q2_recipients():
    a = june18()
    recipients, _ = email_recipients(a)
    assert_right(check(ch04, "q2", recipients), f"共 {len(recipients)} 位客户。")
    assert_wrong(check(ch04, "q2", a), "你还没有去掉不能发的客户")
    assert_wrong(check(ch04, "q2", a[~a["email_opt_out"]]), "还要去掉没有留邮箱的客户")
    assert_wrong(check(ch04, "q2", a[a["email"].notna()]), "退订了营销邮件的客户不能再发")
    assert_wrong(check(ch04, "q2", email_recipients(a)), "email_recipients 返回两样东西")
    assert_wrong(check(ch04, "q2", a["email"].notna() & ~a["email_opt_out"]),
                 "你给的是一列 True/False（每位客户是否满足条件），还没有用它选人：请写成 q1_audience[条件]")


def test_04_q3_customers_per_product():
    a = june18()
    bought = a["products"].explode()
    right = bought[bought.isin(THREE)].value_counts()
    assert_right(check(ch04, "q3", right))
    assert_right(check(ch04, "q3", right.to_dict()))
    s = shop("health")
    lines = s.items.merge(s.orders[["order_id", "customer_id"]], on="order_id")
    lines = lines[lines["customer_id"].isin(a.index) & lines["product"].isin(THREE)]
    assert_wrong(check(ch04, "q3", lines["product"].value_counts()), "你数的是订单（买一次算一次）")
    assert_wrong(check(ch04, "q3", lines.groupby("product")["quantity"].sum()), "你数的是件数")
    shopwide = summary("health")["products"].explode()
    assert_wrong(check(ch04, "q3", shopwide[shopwide.isin(THREE)].value_counts()), "你数的是全店客户")
    assert_wrong(check(ch04, "q3", lines.groupby("product")[["quantity", "amount"]].sum()),
                 "应该是每一类对应一个数（Series 或 dict），你给的是有 2 列的 DataFrame。")


def channels(a, sms_opt_out=True, email_opt_out=True, only=True):
    email = a["email"].notna() & (~a["email_opt_out"] if email_opt_out else True)
    sms = a["phone"].notna() & (~a["sms_opt_out"] if sms_opt_out else True)
    return {"能发邮件": int(email.sum()), "只能发短信": int(((~email & sms) if only else sms).sum()),
            "都联系不上": int((~email & ~sms).sum())}


def test_04_q4_channels():
    a = june18()
    right = channels(a)
    assert_right(check(ch04, "q4", right),
                 f"能发邮件 {right['能发邮件']} 人、只能发短信 {right['只能发短信']} 人、都联系不上 {right['都联系不上']} 人。")
    assert_wrong(check(ch04, "q4", channels(a, sms_opt_out=False)), "“只能发短信”里混进了已退订短信的客户")
    assert_wrong(check(ch04, "q4", channels(a, email_opt_out=False)), "“能发邮件”里混进了退订了营销邮件的客户")
    assert_wrong(check(ch04, "q4", channels(a, False, False)), "两种退订都没有看")
    assert_wrong(check(ch04, "q4", channels(a, only=False)), "“只能发短信”里混进了也能发邮件的客户")
    assert_wrong(check(ch04, "q4", list(right.values())), "应该是每一类对应一个数（Series 或 dict")


def email_for(customer, price=79, original_price=98, link=ch04.LINK):
    return render_email(customer, "618", ["正文"], ch04.OFFER_TITLE, price, link, shop_name="保健品专卖",
                        original_price=original_price)


def test_04_q5_email_html():
    a = june18()
    recipients, _ = email_recipients(a)
    first = recipients.iloc[0]
    assert_right(check(ch04, "q5", email_for(first)),
                 f"写给“{first['nickname']}”，有商品图片、活动价 79.00 元（原价 98.00 元）和带来源标记的购买链接。")
    no_email = a[a["email"].isna()].iloc[0]
    assert_wrong(check(ch04, "q5", email_for(no_email)), f"这封邮件写给了没有留邮箱的客户（“{no_email['nickname']}”）")
    opted_out = a[a["email_opt_out"]].iloc[0]
    assert_wrong(check(ch04, "q5", email_for(opted_out)), f"这封邮件写给了退订了营销邮件的客户（“{opted_out['nickname']}”）")
    assert_wrong(check(ch04, "q5", email_for(a.iloc[0])), "这封邮件写给了没有留邮箱的客户")   # 取了 q1_audience 的第一位
    assert_wrong(check(ch04, "q5", email_for(recipients.iloc[1])), f"邮件的称呼不是第一位收件人“{first['nickname']}”")
    assert_wrong(check(ch04, "q5", email_for(first, price=98, original_price=None)), "你把原价写成了活动价")
    assert_wrong(check(ch04, "q5", email_for(first, original_price=None)), "邮件里没有划线的原价")
    assert_wrong(check(ch04, "q5", email_for(first, link="https://shop.example.com/item/antang-120")),
                 "购买链接里没有来源标记 from=618-email")
    assert_wrong(check(ch04, "q5", HTML(email_for(first))), "你给的是用来显示的 HTML(...) 对象")
    assert_wrong(check(ch04, "q5", [email_for(first)] * 2), "你给的是 2 封邮件")
    assert_wrong(check(ch04, "q5", None), "应该是一段 HTML 文字（render_email 的结果），你给的是 NoneType。")


def test_04_q6_quiz_question():
    item = load_quiz("04").item("q1")
    assert_right(check(ch04, "q6", "A"))
    assert_wrong(check(ch04, "q6", "B"), f"你选了 B。{item.explain('B')}")
    assert_wrong(check(ch04, "q6", "AB"), "这是单选题，只能选一个选项")


# ---------------------------------------------------------------------------
# 章节测试题文件
# ---------------------------------------------------------------------------
CHAPTERS = ["01", "02", "03", "04"]


def independent_numbers():
    """章节测试填数题的答案，用 pandas 另算一遍。"""
    def buyers(name):
        s = summary(name)
        return s[s["order_count"] > 0]

    kids = buyers("a_kids")["total_amount"].sort_values(ascending=False)
    top = kids.iloc[:math.ceil(len(kids) * 0.2)].sum() / kids.sum()
    health = buyers("health")
    mothers = dict(min_orders=2, min_avg_order_value=200, gender="女", last_order_after="2015-03-01",
                   products=["新生儿枕头"], regions=["上海"])
    group = segment(mothers).select(summary("a_kids"))
    goal = segment(mothers, min_orders=3, min_avg_order_value=100).select(summary("a_kids"))
    case2 = dict(min_orders=1, last_order_after="2016-01-01", min_points=1, products=["蜂胶胶囊120粒装"])
    text = "亲,端午节特惠抢购中,只需99元即可抢购原价128元蜂胶胶囊一份,先到先得机不可失哦!"
    assert sms_length(with_signature(text, "保健品专卖")) <= 70                 # 03 q6 的前提：每人 1 条
    shanghai = reachable(segment(case2, regions=["上海"]).select(summary("health")))
    everywhere = reachable(segment(case2).select(summary("health")))
    case3 = segment(dict(min_orders=1, min_total_amount=100, min_items=1, last_order_after="2016-01-01",
                         min_points=1, products=["蜂胶胶囊120粒装", "鱼油200粒装", "预售深海鱼油200粒装"]))
    audience3 = case3.select(summary("health"))
    no_email = audience3["email"].isna() & ~audience3["email_opt_out"]
    return {
        ("01", "q5"): top,
        ("01", "q7"): (health["order_count"] >= 2).mean(),
        ("02", "q5"): round(group["total_amount"].sum(), 2),
        ("02", "q6"): len(goal),
        ("03", "q6"): round(len(shanghai) * 0.045 + 1e-9, 2),          # 每人 1 条
        ("03", "q7"): len(everywhere),
        ("04", "q4"): int((audience3["email"].notna() & ~audience3["email_opt_out"]).sum()),
        ("04", "q5"): no_email.sum() / len(audience3),
    }


def test_number_questions_are_computed_from_the_data():
    expected = independent_numbers()
    numbered = {(c, it.id) for c in CHAPTERS for it in load_quiz(c).items if it.type == "number"}
    assert numbered == set(expected)
    for (chapter, qid), value in expected.items():
        got = quiz_answers(chapter)[qid]
        assert isinstance(got, float) and got == pytest.approx(value, abs=1e-9), (chapter, qid)
        assert check_quiz_answer(chapter, qid, value).correct
        assert not check_quiz_answer(chapter, qid, value * 1.5 + 1).correct


def test_number_answers_follow_the_data(monkeypatch):
    """填数题的答案在检查时才算：换掉数据（这里换掉缓存的买家表），答案跟着变。"""
    fake = pd.DataFrame({"order_count": [1, 2, 3, 1], "total_amount": [10.0, 20.0, 30.0, 40.0]})
    monkeypatch.setattr(ch01, "_buyers", lambda shop: fake)
    assert ch01.repurchase_rate_health() == 0.5
    assert ch01.top20_share_a_kids() == pytest.approx(40 / 100)



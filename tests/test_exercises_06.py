"""第 06 章的练习：每道题的对的答案、典型错误（各有自己的说明）、没作答、类型不对。

误读的答案在这里按学生的做法另算一遍（不调用题目模块里的误读函数），
再确认每一种都被判错、反馈正是那条误读的说明；礼包和拼团设置的每一项确实踩在边界上，也在这里量一遍。
"""
from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path

import pytest

from helpers import TEXTBOOK_VIP_TIERS, plan_sms
from helpers.course.exercises import ch06
from helpers.groupbuy import BEIJING, PACIFIC, dst_changes, format_time, parse_time, to_beijing
from helpers.followup import first_purchase_followup
from helpers.giftpack import Coupon, GiftPack, check_gift_pack
from helpers.vip import membership_card, membership_cards
from conftest import right_answer as right, wrong_message as message


@pytest.fixture(scope="module")
def summary(xiayi):
    return xiayi.summary()


# ---------------------------------------------------------------------------
# 第 1、2 题：礼包的每条数量规则正好在边界上
# ---------------------------------------------------------------------------
def test_ch06_broken_pack_sits_on_every_boundary():
    pack, rules = ch06.BROKEN_PACK, ch06.GIFT_RULES
    assert len(pack.coupons) == rules.max_coupons and len(pack.gifts) == rules.max_gifts
    assert max(c.face_value for c in pack.coupons) == rules.max_face_value
    assert pack.issue_within_hours == rules.max_issue_hours
    new = {c.face_value for c in pack.coupons} - set(ch06.EXISTING)
    assert len(ch06.EXISTING) + len(new) == rules.max_denominations
    assert [p[:4] for p in check_gift_pack(pack, ch06.EXISTING)] == ["【券种】"]


def test_ch06_q1_broken_rules():
    problems = check_gift_pack(ch06.BROKEN_PACK, ch06.EXISTING)
    for ok in (["券种"], "券种", "【券种】", ["券种规则"], problems, tuple(problems)):
        assert right(ch06, "q1", ok).message == "违反的是【券种】。"
    assert message(ch06, "q1", ["券种", "券数"]).startswith("礼包里正好 3 张券：“最多 3 张”含 3 张；那份礼品另算")
    assert message(ch06, "q1", ["券种", "面额"]).startswith("最大的一张券正好 100 元：“面额最高 100 元”含 100 元")
    assert message(ch06, "q1", ["发放时间", "券种"]).startswith("礼包设在入会后 24 小时内发放：“24 小时内”含第 24 小时")
    assert message(ch06, "q1", ["券种", "面额种数"]).startswith(
        "店里已有 49 种面额，加上礼包的新面额 66 元后正好 50 种：“最多 50 种”含 50 种")
    assert message(ch06, "q1", []).startswith("第 2 张是“商品优惠券”：新会员礼包只能放店铺优惠券")
    assert message(ch06, "q1", ["券种", "礼品"]) == "【礼品】这条没有违反：礼包里有 1 份礼品，没有超过 1 份。"
    assert message(ch06, "q1", ["券种", "券数", "面额"]).startswith("【券数】这条没有违反：礼包里正好 3 张券")
    assert message(ch06, "q1", ["门槛"]) == "没有叫“门槛”的规则：规则名是 券数、礼品、券种、面额、面额种数、发放时间 之一。"
    assert message(ch06, "q1", 5).startswith("应该是规则名组成的列表，例如 [\"券数\"]（一条也没违反时写 []），你给的是 int")
    assert right(ch06, "q1", ["券种 "])                                    # 多打的空格不算错


GIFT = ["新会员专享礼：羊毛贝雷帽一顶"]


def pack(*coupons, hours=24, gifts=GIFT):
    return GiftPack(list(coupons), gifts, issue_within_hours=hours)


def test_ch06_q2_fix_only_what_is_broken():
    five, top = Coupon(5, name="新会员专享券"), Coupon(100, threshold=999)
    ok = pack(five, Coupon(66, threshold=699), top)
    assert check_gift_pack(ok, ch06.EXISTING) == []
    assert right(ch06, "q2", ok).message.startswith("只改了违规的那一处，礼包符合全部平台规则：新会员专享券：5 元无门槛")
    assert message(ch06, "q2", pack(five, top)).startswith("礼包最多 3 张券，原来正好 3 张，没有超：不用删券")
    assert message(ch06, "q2", pack(five, Coupon(66, threshold=699), Coupon(99, threshold=999))).startswith(
        "100 元的那张券本来就合规（面额最高 100 元，含 100 元）")
    assert message(ch06, "q2", pack(five, Coupon(66, threshold=699), top, hours=12)).startswith(
        "发放时间 24 小时本来就合规（24 小时内，含 24 小时）")
    assert message(ch06, "q2", pack(five, Coupon(65, threshold=699), top)).startswith(
        "加上新面额后正好 50 种，本来就合规（最多 50 种，含 50 种）")
    assert message(ch06, "q2", ch06.BROKEN_PACK) == "第 2 张还是“商品优惠券”：把它的种类改成店铺优惠券。"
    assert message(ch06, "q2", pack(five, Coupon(66, threshold=699), top, Coupon(20, threshold=299))).startswith(
        "还有不符合平台规则的地方（店里已有的面额不能删，别的活动还在用）：\n【券数】")
    assert message(ch06, "q2", pack(Coupon(6), Coupon(66, threshold=699), top)) == \
        "新会员专享的 5 元无门槛店铺优惠券不见了：任务训练要求礼包里有这张券。"
    assert message(ch06, "q2", pack(five, Coupon(66, threshold=699), top, gifts=[])) == \
        "任务训练要求礼包里有一份新会员专享礼：你的礼包里没有礼品。"
    assert message(ch06, "q2", []) == "你给的是一个列表：请赋值为改好的礼包 GiftPack(...)，而不是检查结果。"
    assert message(ch06, "q2", Coupon(5)) == "应该是一个 GiftPack(...)（改好的礼包），你给的是 Coupon。"


def test_ch06_q3_coupon():
    assert right(ch06, "q3", Coupon(5, name="新会员专享券")).message == "新会员专享券：5 元无门槛店铺优惠券。"
    assert message(ch06, "q3", Coupon(500)).startswith("面额以元为单位：5 元写 5，不是 500")
    assert message(ch06, "q3", Coupon(5, threshold=5)).startswith("threshold 是使用门槛（满多少元才能用）：无门槛就是 0")
    assert message(ch06, "q3", Coupon(5, kind="商品优惠券")).startswith("新会员礼包只能放店铺优惠券，商品优惠券不行")
    assert message(ch06, "q3", Coupon(5, threshold=99)) == \
        "这张券有门槛（满 99 元才能用），任务要求无门槛：threshold=0（不写就是 0）。"
    assert message(ch06, "q3", Coupon(50)) == "面额应是 5 元，你写的是 50 元。"
    assert message(ch06, "q3", 5).startswith("你给的是一个数（5）：请写成一张券 Coupon(5")
    assert message(ch06, "q3", "5元无门槛").startswith("你给的是文字")


# ---------------------------------------------------------------------------
# 第 4 题：会员卡文件
# ---------------------------------------------------------------------------
def save_cards(folder: Path, dpi=None, names=True, stop=None):
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, tier in list(enumerate(TEXTBOOK_VIP_TIERS, start=1))[:stop]:
        path = folder / (f"VIP{number}_{tier.name}.png" if names else f"card{number}.png")
        membership_card(tier, number, shop_name="夏艺女装").savefig(path, **({"dpi": dpi} if dpi else {}))
        paths.append(path)
    return paths


def test_ch06_q4_cards(tmp_path):
    files = save_cards(tmp_path / "ok")
    w, h = struct.unpack(">II", files[0].read_bytes()[16:24])
    assert (w, h) == ch06.card_size() and w == 640
    assert right(ch06, "q4", files).message == f"4 张会员卡，每张 {w} × {h} 像素。"
    assert right(ch06, "q4", [str(p) for p in files])
    assert message(ch06, "q4", save_cards(tmp_path / "three", stop=3)).startswith(
        "少了一张：4 个等级 VIP1–VIP4 各一张（range 的结尾不含")
    combined = tmp_path / "all.png"
    membership_cards(TEXTBOOK_VIP_TIERS, shop_name="夏艺女装").savefig(combined)
    assert message(ch06, "q4", [combined]).startswith("你存的是四张卡拼在一起的一张大图")
    big = save_cards(tmp_path / "big", dpi=200)
    assert message(ch06, "q4", big) == (f"图片的像素不对：savefig 时不要改 dpi，会员中心要 membership_card 原本的大小"
                                        f"（VIP1_普通会员.png 是 {2 * w} × {2 * h} 像素，应为 {w} × {h}）。")
    assert message(ch06, "q4", save_cards(tmp_path / "noname", names=False)) == \
        "没有一张卡的文件名里有“普通会员”：请按等级给文件起名，例如 VIP1_普通会员.png。"
    assert message(ch06, "q4", files[:2]) == "每个等级一张卡，一共 4 张；你给了 2 个文件。"
    assert message(ch06, "q4", files[:3] + [tmp_path / "没有.png"]).startswith("找不到文件")
    assert message(ch06, "q4", membership_card(TEXTBOOK_VIP_TIERS[0])).startswith("你给的是一张图（Figure）")
    assert message(ch06, "q4", files[0]) == "你只给了一个路径：请把四张卡的文件路径放进一个列表。"
    text = tmp_path / "a.png"
    text.write_text("不是图片", encoding="utf-8")
    assert message(ch06, "q4", [text] + files[1:]).startswith("a.png 不是 PNG 图片")


# ---------------------------------------------------------------------------
# 第 5–7 题：新客跟进
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def followup(xiayi):
    return first_purchase_followup(xiayi.orders, as_of=xiayi.today, windows=(60, 180))


def test_ch06_q5_back(followup):
    first = followup["first_order"]
    jhs = followup[first.between("2018-01-05", "2018-01-09")]
    back = int(jhs["repurchase_60"].sum())
    assert right(ch06, "q5", back).message == f"{back} 位。"
    strict = int((jhs["days_to_next"] < 60).sum())
    late = int((jhs["days_to_next"] <= 61).sum())
    no_first = int(followup.loc[first.between("2018-01-06", "2018-01-09"), "repurchase_60"].sum())
    no_last = int(followup.loc[first.between("2018-01-05", "2018-01-08"), "repurchase_60"].sum())
    assert len({back, strict, late, no_first, no_last}) == 5                # 每条边界上都有客户
    assert message(ch06, "q5", strict).startswith("你用了“< 60 天”：首单之后 60 天之内（含第 60 天）再下单都算复购")
    assert message(ch06, "q5", late).startswith("你多算了一天：第 61 天才回来的客户不在 60 天之内")
    assert message(ch06, "q5", no_first).startswith("你漏掉了首单在 2018-01-05（团购第一天）的客户")
    assert message(ch06, "q5", no_last).startswith("你漏掉了首单在 2018-01-09（团购最后一天）的客户")
    assert message(ch06, "q5", int((followup["days_to_next"] <= 60).sum())).startswith(
        "这是全部新客（不只是聚划算新客）里 60 天内复购的人数")
    assert message(ch06, "q5", int(jhs["next_order"].notna().sum())).startswith("这是到今天为止回来过的人数")
    assert message(ch06, "q5", int(jhs["repurchase_180"].sum())).startswith("这是 180 天内复购的人数")
    assert message(ch06, "q5", jhs["repurchase_60"]).startswith("应该是一个数，你给的是有")


def test_ch06_q5_same_day_orders_cannot_decide(xiayi, followup):
    """误读“首单当天的第二笔也算复购”不在清单里：聚划算新客没有人在首单当天下过两单。"""
    o = xiayi.orders
    jhs = followup.index[followup["first_order"].between("2018-01-05", "2018-01-09")]
    day = o["order_time"].dt.normalize()
    first_day = o[o["customer_id"].isin(jhs) & (day == o["customer_id"].map(followup["first_order"]))]
    assert first_day.groupby("customer_id").size().max() == 1


def test_ch06_q6_new_customers(xiayi, followup):
    first = followup["first_order"]
    ok = followup[first.between("2018-11-01", "2018-11-11")]
    assert right(ch06, "q6", ok)
    assert message(ch06, "q6", followup[(first >= "2018-11-01") & (first < "2018-11-11")]).startswith(
        "你漏掉了 11 月 11 日当天第一次下单的客户")
    assert message(ch06, "q6", followup[(first > "2018-11-01") & (first <= "2018-11-11")]).startswith(
        "你漏掉了 11 月 1 日当天第一次下单的客户")
    o = xiayi.orders
    in_window = o.loc[(o["order_time"] >= "2018-11-01") & (o["order_time"] < "2018-11-12"), "customer_id"].unique()
    assert message(ch06, "q6", in_window).startswith("你选的是这段时间下过单的全部客户，里面有很多老客户")
    c = xiayi.customers
    assert message(ch06, "q6", c.loc[c["register_date"].between("2018-11-01", "2018-11-11"), "customer_id"]).startswith(
        "你用的是 register_date")
    assert message(ch06, "q6", len(ok)).startswith("应该是一个 DataFrame 或客户编号列表，你给的是 int")


def test_ch06_q7_cost(summary, followup):
    first = followup["first_order"]
    new = followup.index[first.between("2018-11-01", "2018-11-11")]
    plan = plan_sms(summary.loc[new], ch06.WELCOME_TEXT, "夏艺女装", price=0.05)
    assert right(ch06, "q7", plan.cost).message == f"{plan.cost:g} 元。"
    assert message(ch06, "q7", plan.recipients * 0.05).startswith("你按每人 1 条算了")
    everyone = plan_sms(summary.loc[new].assign(sms_opt_out=False, phone="13900000000"), ch06.WELCOME_TEXT, "夏艺女装")
    assert message(ch06, "q7", everyone.cost).startswith("你没有去掉已退订和没留手机号的客户")
    short = plan_sms(summary.loc[followup.index[first.between("2018-11-01", "2018-11-10")]], ch06.WELCOME_TEXT, "夏艺女装")
    assert message(ch06, "q7", short.cost).startswith("你漏掉了 11 月 11 日当天第一次下单的新客")
    assert message(ch06, "q7", round(plan.cost / plan.recipients, 2)).startswith("这是平均每位收件人的费用")
    assert message(ch06, "q7", plan) == "应该是一个数，你给的是 SmsPlan。"
    # 思考题里说“欢迎短信几乎每一条都按 2 条计费”；按 70 字切也是 2 条，所以这条误读不在清单里
    assert (plan.messages["parts"] == 2).mean() > 0.95
    n = plan.messages["length"]
    by_70 = (n > 70) * ((n + 69) // 70) + (n <= 70)
    assert (by_70 == plan.messages["parts"]).all()


# ---------------------------------------------------------------------------
# 第 8–10 题：拼团
# ---------------------------------------------------------------------------
def test_ch06_group_buy_setting_sits_on_every_boundary():
    s, rules = ch06.GB_SETTING, ch06.GB_RULES
    assert len(s.name) == rules.max_name_chars
    assert s.duration == dt.timedelta(days=rules.max_days)
    assert s.discount == rules.min_discount
    assert any(k.campaign_stock == k.normal_stock for k in s.skus)
    other = ch06.GB_OTHERS[0]
    assert other.end >= s.start and set(other.products) & set(s.products) == set(other.withdrawn)
    assert ch06.GB_SAVED.problems(ch06.GB_OTHERS) == []


def test_ch06_q8_group_buy_rules():
    problems = ch06.GB_SETTING.problems(ch06.GB_OTHERS, previous=ch06.GB_SAVED)
    for ok in (["类型"], "类型", problems):
        assert right(ch06, "q8", ok).message == "违反的是【类型】。"
    assert message(ch06, "q8", ["类型", "名称"]).startswith("活动名称正好 32 个字：“最多 32 个字”含 32 个")
    assert message(ch06, "q8", ["类型", "时长"]).startswith("活动正好 180 天（太平洋时间的同一钟点）")
    assert message(ch06, "q8", ["折扣", "类型"]).startswith("折扣正好 5%：折扣范围 5%–99% 两端都可以")
    assert message(ch06, "q8", ["类型", "库存"]).startswith("茧型毛呢外套 / 驼色 L 的活动库存正好等于正常库存（45 件）")
    assert message(ch06, "q8", ["类型", "商品"]).startswith("“羊毛围巾”已经从“冬季清仓二人团”里退出了")
    assert message(ch06, "q8", []).startswith("这场活动保存时是二人团，现在改成了多人团：拼团类型设置后不能修改")
    assert message(ch06, "q8", ["类型", "时间"]).startswith("【时间】这条没有违反")
    assert message(ch06, "q8", ["券种"]).startswith("没有叫“券种”的规则：规则名是 名称、时间、时长、类型、折扣、库存、商品 之一")


def shift(text: str, hours: float) -> str:
    return (dt.datetime.fromisoformat(text) + dt.timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M")


def test_ch06_q9_beijing_times():
    start, end = ch06.AUTUMN.start, ch06.AUTUMN.end
    dst_end = dst_changes(start.year)[1]
    assert start.date() < dst_end < end.date()                            # 活动中途夏令时结束
    s, e = format_time(start)[:16], format_time(end)[:16]
    ok = {"q9_start": shift(s, 15), "q9_end": shift(e, 16)}
    res = right(ch06, "q9", ok["q9_start"], q9_end=ok["q9_end"])
    assert res.message == f"q9_start = 北京时间 {ok['q9_start']}:00；q9_end = 北京时间 {ok['q9_end']}:00。"
    assert right(ch06, "q9", to_beijing(start), q9_end=to_beijing(end))                     # 带北京时区的 datetime
    assert right(ch06, "q9", dt.datetime.fromisoformat(ok["q9_start"]), q9_end=ok["q9_end"])  # 不带时区 = 北京钟点
    assert message(ch06, "q9", s, q9_end=e).startswith("你写的还是太平洋时间")
    assert message(ch06, "q9", shift(s, 15), q9_end=shift(e, 15)).startswith(
        "你两头都加了 15 小时：活动中途夏令时结束，结束时刻北京比太平洋快 16 小时")
    assert message(ch06, "q9", shift(s, 16), q9_end=shift(e, 16)).startswith(
        "你两头都加了 16 小时：开始时还是夏令时，那时北京只比太平洋快 15 小时")
    assert message(ch06, "q9", shift(s, -15), q9_end=shift(e, -16)).startswith("你把时差减掉了")
    assert message(ch06, "q9", shift(s, 7), q9_end=shift(e, 8)).startswith("这是协调世界时（UTC）")
    assert message(ch06, "q9", start, q9_end=end).startswith("q9_start 带着时区（太平洋夏令时 UTC−7）：题目要的是北京时间")
    assert message(ch06, "q9", ok["q9_start"], q9_end=shift(e, 17)) == f"q9_end 偏晚（你的是 {shift(e, 17)}:00）。"
    assert message(ch06, "q9", "十月二十六日", q9_end=ok["q9_end"]).startswith("q9_start“十月二十六日”看不懂")
    assert message(ch06, "q9", 26, q9_end=ok["q9_end"]).startswith("q9_start 应该是一个时刻")


def test_ch06_q10_deadlines():
    end = parse_time(ch06.Q10_END)
    a, b = parse_time(ch06.Q10_OPEN_A), parse_time(ch06.Q10_OPEN_B)
    dst_end = dst_changes(a.year)[1]
    assert a.date() < dst_end <= (a + dt.timedelta(days=1)).date()       # 团 A 的 24 小时里钟拨回 1 小时
    assert dt.timedelta(0) < end - b < dt.timedelta(hours=24)             # 团 B 离活动结束不到 24 小时
    real_a = (a.astimezone(dt.timezone.utc) + dt.timedelta(hours=24)).astimezone(PACIFIC)
    ok = {"q10_a": format_time(real_a), "q10_b": format_time(end)}
    assert format_time(real_a)[11:13] == f"{(a.hour + 23) % 24:02d}"        # 钟面上只走了 23 小时
    assert right(ch06, "q10", ok["q10_a"], q10_b=ok["q10_b"])
    assert right(ch06, "q10", real_a, q10_b=end)
    b_timer = format_time((b.astimezone(dt.timezone.utc) + dt.timedelta(hours=24)).astimezone(PACIFIC))
    assert message(ch06, "q10", ok["q10_a"], q10_b=b_timer).startswith("团 B 开团时离活动结束已经不到 24 小时")
    wall_a = format_time(a + dt.timedelta(hours=24))
    assert message(ch06, "q10", wall_a, q10_b=ok["q10_b"]).startswith("团 A 的 24 小时里夏令时结束了")
    to_bj = lambda t: format_time(parse_time(t).astimezone(BEIJING))  # noqa: E731
    assert message(ch06, "q10", to_bj(ok["q10_a"]), q10_b=to_bj(ok["q10_b"])).startswith("你写的是北京时间")
    assert message(ch06, "q10", ok["q10_b"], q10_b=ok["q10_b"]).startswith("团 A 离活动结束还早")
    assert message(ch06, "q10", to_beijing(real_a), q10_b=ok["q10_b"]).startswith(
        "q10_a 带着时区（北京时间 UTC+8）：题目要的是太平洋时间")


def test_ch06_q11_quiz():
    assert right(ch06, "q11", ["A", "B", "D"])
    assert right(ch06, "q11", "ａｂｄ")                                     # 全角字母也认
    assert message(ch06, "q11", ["A", "B", "C", "D"]).startswith("C 不该选：不对：拼团类型设置后不能修改")
    assert message(ch06, "q11", ["A", "B"]) == "还有 1 个正确选项没选（多选题要选出全部正确的选项）。"
    assert message(ch06, "q11", 3) == '请写选项的字母，例如 "A" 或 ["A", "C"]，你给的是 int。'

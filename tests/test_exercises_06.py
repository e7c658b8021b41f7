"""第 06 章的练习：每道题的对的答案、典型错误（各有自己的说明）、没作答、类型不对。"""
from __future__ import annotations

import struct
from pathlib import Path

import pytest

from helpers import TEXTBOOK_VIP_TIERS, plan_sms
from helpers.exercises import ch06
from helpers.members import Coupon, GiftPack, first_purchase_followup, membership_card
from conftest import right_answer as right, wrong_message as message


@pytest.fixture(scope="module")
def summary(xiayi):
    return xiayi.summary()



# ---------------------------------------------------------------------------
# 第 06 章
# ---------------------------------------------------------------------------
def test_ch06_q1_broken_rule():
    from helpers.members import check_gift_pack

    problems = check_gift_pack(ch06.BROKEN_PACK, ch06.EXISTING)
    assert len(problems) == 1 and len(ch06.EXISTING) == 50          # 恰好违反一条规则
    for ok in ("面额种数", "【面额种数】", " 面额种数规则", problems, problems[0]):
        assert right(ch06, "q1", ok).message == "违反的是【面额种数】规则。"
    assert message(ch06, "q1", "面额") == \
        "【面额】这条没有违反：最大的一张券是 66 元，没有超过 100 元；再数一数店里已经有几种面额。"
    assert message(ch06, "q1", "券数") == "【券数】这条没有违反：礼包里有 3 张券，没有超过 3 张。"
    assert message(ch06, "q1", "发放时间") == "【发放时间】这条没有违反：礼包设置在入会后 24 小时内发放，符合规则。"
    assert message(ch06, "q1", "门槛").startswith("没有叫“门槛”的规则：规则名是 券数、礼品、券种、面额、面额种数、发放时间 之一")
    assert message(ch06, "q1", ["面额", "券数"]) == "只有一条规则被违反，请只写一条规则的名字，你给了 2 项。"
    assert message(ch06, "q1", 5) == "应该是规则的名字（文字），例如 \"券数\"，你给的是 int。"


GIFT = ["新会员专享礼：羊毛贝雷帽一顶"]


def test_ch06_q2_fixed_pack():
    fixed = GiftPack([Coupon(5, name="新会员专享券"), Coupon(20, threshold=299), Coupon(68, threshold=699)], GIFT)
    assert right(ch06, "q2", fixed).message.startswith("礼包符合全部平台规则：新会员专享券：5 元无门槛店铺优惠券；")
    assert right(ch06, "q2", GiftPack([Coupon(5), Coupon(20, threshold=299)], GIFT))      # 删掉那张券也行
    assert message(ch06, "q2", ch06.BROKEN_PACK).startswith(
        "还有不符合平台规则的地方（店里已有的 50 种面额不能删，别的活动还在用）：\n【面额种数】")
    assert message(ch06, "q2", GiftPack([Coupon(20, threshold=299), Coupon(68, threshold=699)], GIFT)) == \
        "新会员专享的 5 元无门槛店铺优惠券不见了：任务训练要求礼包里有这张券。"
    assert message(ch06, "q2", GiftPack([Coupon(5), Coupon(20, threshold=299)], [])) == \
        "任务训练要求礼包里有一份新会员专享礼：你的礼包里没有礼品。"
    assert message(ch06, "q2", GiftPack([Coupon(5)], GIFT, issue_within_hours=48)).startswith("还有不符合平台规则的地方")
    assert message(ch06, "q2", []) == "你给的是一个列表：请赋值为改好的礼包 GiftPack(...)，而不是检查结果。"
    assert message(ch06, "q2", Coupon(5)) == "应该是一个 GiftPack(...)（改好的礼包），你给的是 Coupon。"


def test_ch06_q3_coupon():
    assert right(ch06, "q3", Coupon(5, name="新会员专享券")).message == "新会员专享券：5 元无门槛店铺优惠券。"
    assert message(ch06, "q3", Coupon(5, threshold=99)) == \
        "这张券有门槛（满 99 元才能用），任务要求无门槛：threshold=0（不写就是 0）。"
    assert message(ch06, "q3", Coupon(50)) == "面额应是 5 元，你写的是 50 元。"
    assert message(ch06, "q3", Coupon(5, kind="平台优惠券")) == "新会员礼包只能放店铺优惠券，你的券是“平台优惠券”。"
    assert message(ch06, "q3", 5).startswith("你给的是一个数（5）：请写成一张券 Coupon(5")
    assert message(ch06, "q3", "5元无门槛").startswith("你给的是文字")


def save_cards(folder: Path, dpi=None, names=True):
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, tier in enumerate(TEXTBOOK_VIP_TIERS, start=1):
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
    assert message(ch06, "q4", files[:3]) == "每个等级一张卡，一共 4 张；你给了 3 个文件。"
    assert message(ch06, "q4", files[:3] + [tmp_path / "没有.png"]).startswith("找不到文件")
    big = save_cards(tmp_path / "big", dpi=200)
    assert message(ch06, "q4", big).startswith(f"VIP1_普通会员.png 是 {2 * w} × ")
    assert message(ch06, "q4", save_cards(tmp_path / "noname", names=False)) == \
        "没有一张卡的文件名里有“普通会员”：请按等级给文件起名，例如 VIP1_普通会员.png。"
    assert message(ch06, "q4", membership_card(TEXTBOOK_VIP_TIERS[0])).startswith("你给的是一张图（Figure）")
    assert message(ch06, "q4", files[0]) == "你只给了一个路径：请把四张卡的文件路径放进一个列表。"
    text = tmp_path / "a.png"
    text.write_text("不是图片", encoding="utf-8")
    assert message(ch06, "q4", [text] + files[1:]).startswith("a.png 不是 PNG 图片")


@pytest.fixture(scope="module")
def followup(xiayi):
    return first_purchase_followup(xiayi.orders, as_of=xiayi.today, windows=(60, 180))


def test_ch06_q5_back(followup):
    jhs = followup[followup["first_order"].between("2018-01-05", "2018-01-09")]
    back = int(jhs["repurchase_60"].sum())
    assert right(ch06, "q5", back).message == f"{back} 位。"
    strict = int((jhs["days_to_next"] < 60).sum())
    assert strict != back                                           # 恰好第 60 天回来的客户存在
    assert message(ch06, "q5", strict).startswith("你用了“< 60 天”：首单之后 60 天之内（含第 60 天）再下单都算复购")
    assert message(ch06, "q5", int((followup["days_to_next"] <= 60).sum())).startswith(
        "这是全部新客（不只是聚划算新客）里 60 天内复购的人数")
    assert message(ch06, "q5", int(jhs["next_order"].notna().sum())).startswith("这是到今天为止回来过的人数")
    assert message(ch06, "q5", int(jhs["repurchase_180"].sum())).startswith("这是 180 天内复购的人数")
    assert message(ch06, "q5", jhs["repurchase_60"].mean()).startswith("你的答案")
    assert message(ch06, "q5", jhs["repurchase_60"]).startswith("应该是一个数，你给的是有")


def test_ch06_q6_new_customers(xiayi, followup):
    first = followup["first_order"]
    ok = followup[first.between("2018-11-01", "2018-11-11")]
    assert right(ch06, "q6", ok)
    assert message(ch06, "q6", followup[(first >= "2018-11-01") & (first < "2018-11-11")]).startswith(
        "你漏掉了 11 月 11 日当天第一次下单的客户")
    o = xiayi.orders
    in_window = o.loc[(o["order_time"] >= "2018-11-01") & (o["order_time"] < "2018-11-12"), "customer_id"].unique()
    assert message(ch06, "q6", in_window).startswith("你选的是这段时间下过单的全部客户，里面有很多老客户")
    c = xiayi.customers
    assert message(ch06, "q6", c.loc[c["register_date"].between("2018-11-01", "2018-11-11"), "customer_id"]).startswith(
        "你用的是 register_date")
    assert message(ch06, "q6", len(ok)).startswith("应该是一个 DataFrame 或客户编号列表，你给的是 int")


def test_ch06_q7_cost(summary, followup):
    new = followup.index[followup["first_order"].between("2018-11-01", "2018-11-11")]
    plan = plan_sms(summary.loc[new], ch06.WELCOME_TEXT, "夏艺女装", price=0.05)
    assert right(ch06, "q7", plan.cost).message == f"{plan.cost:g} 元。"
    assert message(ch06, "q7", plan.recipients * 0.05).startswith("你按每人 1 条算了")
    assert message(ch06, "q7", len(new) * 0.05).startswith("你没有去掉已退订和没留手机号的客户，也没有按计费条数算")
    assert message(ch06, "q7", len(new) * 2 * 0.05).startswith("你没有去掉已退订和没留手机号的客户：营销短信不能发给他们")
    assert message(ch06, "q7", plan) == "应该是一个数，你给的是 SmsPlan。"
    # 思考题里说“欢迎短信几乎每一条都按 2 条计费”
    assert (plan.messages["parts"] == 2).mean() > 0.95


def test_ch06_q8_quiz():
    assert right(ch06, "q8", ["A", "C", "D"])
    assert right(ch06, "q8", "acd")
    assert message(ch06, "q8", ["A", "B", "C", "D"]).startswith("B 不该选：不对：礼包里只能放店铺优惠券。")
    assert message(ch06, "q8", ["A", "C"]) == "还有 1 个正确选项没选（多选题要选出全部正确的选项）。"
    assert message(ch06, "q8", ["F"]) == "没有选项 F：可选的是 A、B、C、D。"
    assert message(ch06, "q8", 3) == '请写选项的字母，例如 "A" 或 ["A", "C"]，你给的是 int。'

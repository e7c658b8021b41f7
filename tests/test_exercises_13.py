"""第 13 章的练习与章节测试：每道题一个对的答案（用不经过 ch13 的独立算法核对）、每条误读各有自己的说明、
界线上确实有订单或客户、类型不对时的说明；正确答案在检查时从样例导出文件算出；章节测试的填数题从数据现算。
误读清单的逐条检查、没作答、参考答案全对、批改满分/零分由 tests/test_course.py 统一检查。"""
from __future__ import annotations

from functools import partial

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import Segment, rfm_score
from helpers.campaigns import SmsCampaign
from helpers.course.exercises import ch13
from helpers.course.quiz import QuizQuestion, load_quiz
from helpers.money import to_fen
from helpers.rfm import RFMTable
from helpers.taobao import read_taobao_orders
from conftest import check_answer, right_answer, wrong_message

result = partial(check_answer, ch13)
message = partial(wrong_message, ch13)
right = partial(right_answer, ch13)

ROOT = Path(__file__).resolve().parent.parent
EXPORT = ROOT / "datasets" / "sample_export" / "qinghe_tea"
ORDERS = EXPORT / "ExportOrderList202407010930.csv"
ITEMS = EXPORT / "ExportOrderDetailList202407010930.csv"
LIST = EXPORT / "客户名单.csv"
GIFTS = ["武夷岩茶 大红袍 250g 礼盒", "福建正山小种红茶 浓香型 500g 礼盒装", "西湖龙井 明前特级 礼盒装 2罐×125g"]
JD_RIGHT = {"订单号": "订单编号", "下单帐号": "买家会员名", "应付金额": "买家实际支付金额", "付款确认时间": "订单付款时间"}


# 学生的做法：自己读文件（不经过 ch13 的缓存），检查时和 ch13 从数据算出的答案比较
@pytest.fixture(scope="module")
def shop():
    return read_taobao_orders(ORDERS, items=ITEMS, customers=LIST, columns={"旺旺名": "买家会员名"})


@pytest.fixture(scope="module")
def summary(shop):
    return shop.summary()


@pytest.fixture(scope="module")
def group(summary):
    return Segment("中秋礼盒预热", min_orders=3, last_order_after="2024-03-18", products=GIFTS).select(summary)


# ---------------------------------------------------------------------------
# 每一道题：没作答时友好提醒，从不抛出异常；分值、提示、参考答案齐全
# ---------------------------------------------------------------------------
def test_questions_shape():
    assert ch13.CHAPTER == "13" and ch13.TITLE
    names = [q.name for q in ch13.QUESTIONS]
    assert names == [f"q{i}" for i in range(1, len(names) + 1)] and 5 <= len(names) <= 7
    assert all(q.points > 0 and q.title and q.hint_text for q in ch13.QUESTIONS)
    assert ch13.QUESTIONS[0].title.startswith("任务训练") and ch13.QUESTIONS[1].title.startswith("任务训练")
    assert isinstance(ch13.QUESTIONS[-1], QuizQuestion)
    counts = {q.name: len(q.misreadings) for q in ch13.QUESTIONS[:-1]}
    assert counts == {"q1": 7, "q2": 4, "q3": 5, "q4": 4, "q5": 5, "q6": 4}


# ---------------------------------------------------------------------------
# q1 第二季度的客单价
# ---------------------------------------------------------------------------
def _aov(orders, first, end, divisor=None):
    """独立算法：[first, end) 的销售额（分相加）÷ 付款买家数（或给定的分母），元。"""
    part = orders[(orders["order_time"] >= first) & (orders["order_time"] < end)]
    fen = int(to_fen(part["amount"]).sum())
    return round(fen / (divisor(part) if divisor else part["customer_id"].nunique()) / 100, 2)


def test_q1_boundary_days_have_paid_orders(shop):
    """“第一天漏掉、早一天、最后一天漏掉”都能改变答案：这三天都有已付款订单；7 月 1 日（今天）没有。"""
    days = shop.orders["order_time"].dt.strftime("%Y-%m-%d").value_counts()
    for day in ("2024-03-31", "2024-04-01", "2024-06-30"):
        assert days.get(day, 0) >= 1, day
    assert days.get("2024-07-01", 0) == 0 and shop.today == pd.Timestamp("2024-07-01")


def test_q1_second_quarter_aov(shop):
    o = shop.orders
    first, end = pd.Timestamp("2024-04-01"), pd.Timestamp("2024-07-01")
    aov = _aov(o, first, end)
    part = o[(o["order_time"] >= first) & (o["order_time"] < end)]
    assert part["customer_id"].nunique() < len(part)                  # 有人下了不止一单：客单价 ≠ 平均订单价
    assert right("q1", aov).message == f"{aov:.2f} 元。"
    right("q1", part["amount"].sum() / part["customer_id"].nunique())
    day = pd.Timedelta(days=1)
    assert message("q1", _aov(o, first, end, len)).startswith("这是平均订单价（销售额 ÷ 订单数）：客单价按生意参谋的定义")
    assert message("q1", _aov(o, first + day, end)).startswith("4 月 1 日是第二季度的第一天")
    assert message("q1", _aov(o, first - day, end)).startswith("3 月 31 日属于第一季度")
    assert message("q1", _aov(o, first, end - day)).startswith("6 月 30 日是第二季度的最后一天")
    assert message("q1", _aov(o, pd.Timestamp("2000-01-01"), end)).startswith("你用的是全部订单（一整年）")
    buyers_year = o["customer_id"].nunique()
    assert message("q1", _aov(o, first, end, lambda _: buyers_year)).startswith("分母要用第二季度里付过款的买家")
    assert message("q1", _aov(o, first, end, lambda _: len(shop.customers))).startswith("分母是付过款的买家，不是客户表里的所有客户")
    assert message("q1", f"{aov}元").startswith(f"你给的是文字 “{aov}元”（带引号），请写成数 {aov:.2f}")
    assert message("q1", shop).startswith("应该是一个数，你给的是 ImportedShop")


def test_q1_follows_the_data(tmp_path, monkeypatch):
    """正确答案在检查时从文件算出：把第二季度一笔交易成功的订单改成交易关闭，正确答案跟着变。"""
    folder = tmp_path / "qinghe_tea"
    shutil.copytree(EXPORT, folder)
    path = folder / ORDERS.name
    lines = path.read_bytes().decode("gb18030").split("\r\n")
    row = next(i for i, line in enumerate(lines) if ",交易成功," in line and ",2024-05-" in line)
    lines[row] = lines[row].replace(",交易成功,", ",交易关闭,", 1)
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    before = ch13.period_aov()
    monkeypatch.setattr(ch13, "export_dir", lambda: folder)
    ch13.sample_shop.cache_clear()
    try:
        changed = read_taobao_orders(path, items=folder / ITEMS.name, customers=folder / LIST.name,
                                     columns={"旺旺名": "买家会员名"})
        after = _aov(changed.orders, pd.Timestamp("2024-04-01"), pd.Timestamp("2024-07-01"))
        assert after != before
        assert not result("q1", before).correct
        assert right("q1", after)
    finally:
        ch13.sample_shop.cache_clear()
        ch13.sample_summary.cache_clear()


# ---------------------------------------------------------------------------
# q2 同事改过的订单报表
# ---------------------------------------------------------------------------
def test_q2_damaged_file_and_rows(tmp_path):
    path = ch13.write_damaged_export(tmp_path / "改过的.csv")
    original = ORDERS.read_bytes().decode("gb18030").split("\r\n")
    damaged = path.read_bytes().decode("gb18030").split("\r\n")
    rows = ch13.damaged_rows()
    n = len(original) - 1                                               # 文件以 \r\n 结尾：最后是空串
    changed = [i + 1 for i, (a, b) in enumerate(zip(original[:n], damaged[:n])) if a != b]
    assert len(damaged) == len(original) + 1 and damaged[-1] == ""
    assert changed == sorted(v for k, v in rows.items() if k not in ("重复", "重复的副本"))
    assert damaged[rows["重复的副本"] - 1] == original[rows["重复"] - 1]      # 末尾粘贴的是第 188 行
    report = read_taobao_orders(path).import_report
    want = sorted(report.problems["行号"].unique())
    assert want == sorted(v for k, v in rows.items() if k != "重复")
    assert (report.kept, report.skipped) == (427, 5)
    assert right("q2", want).message == "共 6 行：第 " + "、".join(map(str, want)) + " 行。"
    assert right("q2", report.problems["行号"])                          # 直接给那一列也行
    assert message("q2", [r - 2 for r in want]).startswith("每个行号都小了 2：你用的是 DataFrame 的索引")
    assert message("q2", [r - 1 for r in want]).startswith("每个行号都小了 1：你从第一行数据数起了")
    kept_row = rows["手机号"]
    assert message("q2", [r for r in want if r != kept_row]) == (
        "你只列了整行跳过的行：手机号看不懂的那一行订单保留了，但它也有问题（看“处理”一列），"
        f"题目问的是导入报告里所有有问题的行（第 {kept_row} 行）。")
    assert message("q2", want + [rows["重复"]]) == (
        "重复的订单第一次出现的那一行没有问题，保留了；有问题的是后面重复的那一行"
        f"（第 {rows['重复']} 行是第一次出现，重复的副本在第 {rows['重复的副本']} 行）。")
    assert message("q2", want[:3] + [5]) == ("你列了 4 行，导入报告里有问题的是 6 行。这几行没有问题：第 5 行；漏掉了 3 行。"
                                             "请看 import_report.problems 的“行号”一列。")
    assert message("q2", report.problems).startswith("你给的是整张问题表：请取出“行号”一列")
    assert message("q2", want[0]).startswith(f"你给的是一个数（{want[0]}）")
    assert message("q2", ["第 13 行"]).startswith("列表里的 '第 13 行' 不是行号")
    assert message("q2", want + want[:1]) == "列表里有重复的行号：每一行只写一次。"


# ---------------------------------------------------------------------------
# q3 中秋礼盒预热：规则在边界客户上检查，选出的客户在导入的店铺上检查
# ---------------------------------------------------------------------------
def _answer(segment, data):
    return {"q3_segment": segment, "q3_group": segment.select(data)}


def _q3(value):
    ns = {}
    question = next(q for q in ch13.setup(ns) if q.name == "q3")
    ns.update(value)
    return question.result()


def test_q3_segment_and_group(summary, group):
    seg = Segment("中秋礼盒预热", min_orders=3, last_order_after="2024-03-18", products=GIFTS)
    ok = _q3(_answer(seg, summary))
    assert ok.correct and ok.message == f"共 {len(group)} 位客户。"
    assert _q3({"q3_segment": seg, "q3_group": list(group.index)}).correct

    def wrong(**changes):
        rules = {**dict(min_orders=3, last_order_after="2024-03-18", products=GIFTS), **changes}
        res = _q3(_answer(Segment("x", **rules), summary))
        assert not res.correct and res.message.startswith("分组规则（q3_segment）还不对：")
        return res.message.split("：", 1)[1]

    assert wrong(min_orders=4).startswith("你用了“订单总数 > 3”（即 ≥ 4）")
    assert wrong(last_order_after="2024-03-19").startswith("最后下单时间正好是 2024-03-18 的客户被你去掉了")
    assert wrong(last_order_after="2024-03-17").startswith("last_order_after 本身就含那一天")
    assert wrong(products=GIFTS[-1:]).startswith("商品范围只写了一种礼盒")
    assert wrong(min_orders=3.5).startswith("“订单总数正好 3 笔”的客户应该入组")               # 不在清单里：边界小表说明
    assert wrong(products=GIFTS[:2]).startswith("商品范围的名单不对：少了 西湖龙井")
    titles_only = read_taobao_orders(ORDERS).summary()
    res = _q3(_answer(seg, titles_only))
    assert not res.correct and res.message.startswith("你的店铺是只用订单报表读入的")


def test_q3_rule_misreadings_are_decided_by_the_boundary_probe(summary):
    """误读“3 月 17 日”在样例数据上选出的客户和正确答案一样，但在边界客户小表上不一样：规则本身被判错。"""
    early = Segment("x", min_orders=3, last_order_after="2024-03-17", products=GIFTS)
    right_seg = ch13.mid_autumn_segment()
    assert set(early.select(summary).index) == set(right_seg.select(summary).index)
    probe = right_seg.boundary_probe()
    assert set(early.select(probe).index) != set(probe.index[probe["应入组"]])


def test_q3_type_mistakes(summary, group):
    seg = Segment("中秋礼盒预热", min_orders=3, last_order_after="2024-03-18", products=GIFTS)
    res = _q3({"q3_segment": group, "q3_group": group})
    assert res.message.startswith("分组规则（q3_segment）还不对：这道题要的是分组规则本身（Segment(...)）")
    assert _q3({"q3_segment": seg, "q3_group": seg}).message.startswith("你给的是分组规则（Segment），还没有选出客户")
    assert _q3({"q3_segment": seg, "q3_group": len(group)}).message.startswith("应该是一个 DataFrame 或客户编号列表")
    mask = summary.index.isin(group.index)
    assert "请写成 summary[条件]" in _q3({"q3_segment": seg, "q3_group": pd.Series(mask, index=summary.index)}).message


# ---------------------------------------------------------------------------
# q4 店主自己的 RFM 评分表
# ---------------------------------------------------------------------------
def test_q4_rfm_levels(shop):
    table = RFMTable(monetary_min=(1500, 1000, 500, 200, 0))
    rfm = rfm_score(shop.orders, shop.today, table=table)
    counts = rfm["level"].value_counts()
    assert counts.sum() == shop.import_report.customers_with_orders       # 一年内的买家都分了级
    assert right("q4", counts).message == "、".join(f"{k} {counts[k]} 人" for k in "PGSB") + "。"
    assert right("q4", counts.to_dict())
    textbook = rfm_score(shop.orders, shop.today)["level"].value_counts()
    assert message("q4", textbook).startswith("你用的是教材的评分表（M ≥ 2000 元得 5 分……）")
    last_paid = rfm_score(shop.orders, "2024-06-30", table=table)["level"].value_counts()
    assert message("q4", last_paid).startswith("评估日用了最后一笔已付款订单那天：本店的“今天”是它的第二天")
    assert message("q4", rfm.loc[rfm["frequency"] >= 2, "level"].value_counts()).startswith(
        "你只给下过 2 单及以上的客户分了级")
    exclusive = rfm_score(shop.orders, shop.today, table=table, levels=((37, "P"), (27, "G"), (18, "S"), (0, "B")))
    assert message("q4", exclusive["level"].value_counts()).startswith("你把“36～40 分为 P”读成了大于 36 分")
    now = rfm_score(shop.orders, pd.Timestamp.now().normalize(), table=table)["level"].value_counts()
    assert message("q4", now).startswith("一位客户也没有分到级：评估日多半用了电脑今天的日期")
    assert message("q4", rfm).startswith("你给的是整张 RFM 结果表")
    assert message("q4", rfm["level"]).startswith("你给的是每位客户的等级")
    assert message("q4", "P").startswith("应该是每一类对应一个数")


# ---------------------------------------------------------------------------
# q5 短信：退订、频率限制
# ---------------------------------------------------------------------------
def test_q5_send_log_is_data(group):
    log = ch13.send_log()
    assert list(log.columns) == ["customer_id", "send_date", "channel", "campaign"]
    assert set(log["channel"]) == {"短信", "邮件"}
    assert sorted(log["send_date"].dt.date.astype(str).unique()) == ["2024-06-24", "2024-06-25", "2024-06-28", "2024-06-29"]
    # 每条界线上都有分组里、没退订的客户：6 月 24 日（不挡）、25 日（挡，cap_days=6 时不挡）、28 日的邮件（不挡）、
    # 29 日（挡；没有发送记录时才不挡）
    reachable = set(group.index[~group["sms_opt_out"].astype(bool)])
    by_day = {d.strftime("%m-%d"): set(part["customer_id"]) & reachable for d, part in log.groupby("send_date")}
    sms_later = by_day["06-25"] | by_day["06-29"]
    assert by_day["06-24"] - sms_later and by_day["06-28"] - sms_later
    assert by_day["06-25"] and by_day["06-29"] - by_day["06-25"]


def test_q5_recipients(shop, group):
    log = ch13.send_log()

    def sms(audience=group, **kwargs):
        args = dict(send_date=shop.today, send_log=log, cap_days=7)
        args.update(kwargs)
        return SmsCampaign(audience, ch13.SMS_TEXT, shop.title, values={"券面额": 20}, **args).recipients

    ok = sms()
    recent = log[(log["channel"] == "短信") & (log["send_date"] >= "2024-06-25")]     # 7 天内：6 月 25 日到 7 月 1 日
    by_hand = group[~group["sms_opt_out"].astype(bool) & ~group.index.isin(recent["customer_id"])]
    assert ok == len(by_hand)
    assert right("q5", ok).message == f"{ok} 人。"
    assert message("q5", sms(send_log=None)).startswith("频率限制没有生效")
    assert message("q5", sms(cap_days=8)).startswith("6 月 24 日收到短信的客户也被你排除了")
    assert message("q5", sms(cap_days=6)).startswith("6 月 25 日收到短信的客户这次不能发")
    assert message("q5", sms(send_log=log.assign(channel="短信"))).startswith("6 月 28 日那次是邮件，不是短信")
    # 没有读入客户名单：不知道谁退订过
    no_list = read_taobao_orders(ORDERS, items=ITEMS).summary()
    audience = Segment("x", min_orders=3, last_order_after="2024-03-18", products=GIFTS).select(no_list)
    assert message("q5", sms(audience)).startswith("退订短信的客户没有去掉（是不是导入时没有读入客户名单？")
    assert message("q5", SmsCampaign(group, ch13.SMS_TEXT, shop.title, values={"券面额": 20})).startswith(
        "你给的是整个短信活动")
    assert message("q5", str(ok)).startswith(f"你给的是文字 “{ok}”（带引号）")


# ---------------------------------------------------------------------------
# q6 columns=
# ---------------------------------------------------------------------------
def test_q6_columns(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                       # 检查不会在学生的文件夹里写文件
    path = ch13.write_jd_export()
    assert path == Path("outputs/13_京东订单_练习.csv") and path.exists()
    jd = read_taobao_orders(path, columns=JD_RIGHT, today="2024-07-01")
    assert jd.import_report.kept == 5 and jd.import_report.excluded == {"交易关闭": 2, "等待买家付款": 1}
    path.unlink()
    assert right("q6", JD_RIGHT).message == f"读入已付款订单 5 笔，金额合计 {jd.orders['amount'].sum():.2f} 元。"
    assert right("q6", {**JD_RIGHT, "客户地址": "收货地址", "联系电话": "联系手机", "下单时间": "订单创建时间"})
    assert right("q6", {"订单号": "order_id", "下单帐号": "customer_id", "应付金额": "amount", "付款确认时间": "order_time"})
    wrong_amount = {k: v for k, v in JD_RIGHT.items() if k != "应付金额"} | {"订单金额": "买家实际支付金额"}
    assert message("q6", wrong_amount).startswith("金额用了“订单金额”：那是优惠前的金额")
    wrong_time = {k: v for k, v in JD_RIGHT.items() if k != "付款确认时间"} | {"下单时间": "订单付款时间"}
    assert message("q6", wrong_time).startswith("付款时间用了“下单时间”")
    assert message("q6", {v: k for k, v in JD_RIGHT.items()}).startswith("左右写反了")
    assert message("q6", {v: k for k, v in ch13.JD_COLUMNS.items()}) == ch13.Q6_REVERSED.message + "。"
    missing = {k: v for k, v in JD_RIGHT.items() if k != "付款确认时间"}
    assert message("q6", missing).startswith("用你的 columns= 读这个文件时出错：13_京东订单_练习.csv 看起来不是订单报表："
                                             "缺少必需的列 订单付款时间。")
    typo = {k: v for k, v in JD_RIGHT.items() if k != "下单帐号"} | {"下单账号": "买家会员名"}
    assert message("q6", typo).startswith("文件里没有叫 '下单账号' 的列")
    assert message("q6", {**JD_RIGHT, "订单状态": "宝贝标题"}) == \
        "读进来的已付款订单有 6 笔，应为 5 笔：看看订单状态、付款时间对的是哪一列。"
    assert message("q6", {}).startswith("字典是空的")
    assert message("q6", jd).startswith("你给的是读进来的店铺")
    assert message("q6", list(JD_RIGHT.items())).startswith("应该是一个字典 {文件里的列名: 工作簿的标准列名}")
    assert not (tmp_path / "outputs").exists() or not any((tmp_path / "outputs").iterdir())


# ---------------------------------------------------------------------------
# q7 章节测试题
# ---------------------------------------------------------------------------
def test_q7_quiz():
    assert right("q7", ["A", "B", "C"]).message.startswith("A：对。")
    assert message("q7", ["A", "B"]).startswith("还有 1 个正确选项没选")
    assert message("q7", ["A", "B", "C", "D"]).startswith("D 不该选：手机订单照样是已付款订单")
    assert message("q7", 3) == '请写选项的字母，例如 "A" 或 ["A", "C"]，你给的是 int。'


# ---------------------------------------------------------------------------
# 章节测试：6–8 道概念题，每个选项有讲解，填数题从数据现算
# ---------------------------------------------------------------------------
def test_quiz_has_6_to_8_questions():
    """本章自己的要求：6–8 道题（各章共同的检查在 tests/test_course.py）。"""
    assert 6 <= len(load_quiz("13").items) <= 8


def test_quiz_number_matches_the_customer_list(shop):
    """填数题：退订短信的客户数，和直接数客户名单里“短信退订 = 是”的行数一致。"""
    listed = pd.read_csv(LIST, encoding="utf-8-sig", dtype=str)
    expected = (listed["短信退订"] == "是").sum()
    assert load_quiz("13").item("q8").correct_answer() == expected == shop.customers["sms_opt_out"].sum()

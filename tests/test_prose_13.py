"""第 13 章正文里写的数字，都由 helpers 在样例导出文件上重新算一遍来核对。"""
from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from helpers import Segment, datasets_dir, rfm_score, top_share
from helpers.campaigns import EmailCampaign, SmsCampaign
from helpers.followup import monthly_sales
from helpers.taobao import read_taobao_orders
from prose import assert_prose

NB = "13_用自己店铺的数据.ipynb"
EXPORT = datasets_dir() / "sample_export" / "qinghe_tea"
ORDER_FILE = EXPORT / "ExportOrderList202407010930.csv"
LONGJING = ["明前特级西湖龙井 250g 罐装", "西湖龙井 明前特级 礼盒装 2罐×125g"]


@pytest.fixture(scope="module")
def shop():
    return read_taobao_orders(ORDER_FILE, items=EXPORT / "ExportOrderDetailList202407010930.csv",
                              customers=EXPORT / "客户名单.csv", columns={"旺旺名": "买家会员名"})


@pytest.fixture(scope="module")
def summary(shop):
    return shop.summary()


@pytest.fixture(scope="module")
def audience(summary):
    segment = Segment("龙井老客", "7 月龙井老客户回馈", min_orders=2, last_order_after="2024-01-01", products=LONGJING)
    return segment.select(summary)


def test_background_and_report(shop, summary):
    assert shop.today == pd.Timestamp("2024-07-01")
    assert_prose(NB, "2024 年 7 月 1 日上午")
    r = shop.import_report
    assert_prose(NB, f"订单报表共 {r.rows_read} 行，其中 {r.kept} 笔是已付款订单；交易关闭的 {r.excluded['交易关闭']} 笔"
                     f"和等待买家付款的 {r.excluded['等待买家付款']} 笔没有算进来")
    assert_prose(NB, "这份文件没有一行出问题")
    assert len(r.problems) == 0
    assert_prose(NB, f"共 {len(summary)} 位客户：{r.customers_with_orders} 位有已付款订单，"
                     f"{r.customers_without_paid} 位只有没付款或已关闭的订单，还有 {r.customers_from_list} 位只在客户名单里出现")


def test_repeat_buyers_and_concentration(summary):
    buyers = summary[summary["order_count"] > 0]
    repeat = int((buyers["order_count"] >= 2).sum())
    assert_prose(NB, f"{len(buyers)} 位买家中，{repeat} 位下过 2 单及以上，复购率 {repeat / len(buyers) * 100:.1f}%")
    assert_prose(NB, f"前 20% 的买家贡献了 {top_share(buyers['total_amount']) * 100:.1f}% 的销售额")


def test_monthly_peaks(shop):
    sales = monthly_sales(shop.orders)["合计"]
    assert sorted(sales.nlargest(2).index) == ["2023-11", "2024-01"]
    assert sales.idxmin() == "2023-10"
    assert_prose(NB, "双11 和春节前的年货节是两个高峰，10 月是全年最淡的一个月")


def test_segment_and_rfm(shop, audience):
    assert_prose(NB, f"龙井老客共 {len(audience)} 位")
    rfm = rfm_score(shop.orders, shop.today)
    assert_prose(NB, f"P 级（铂金）客户有 {int((rfm['level'] == 'P').sum())} 位")


def test_sms_and_email_numbers(shop, audience):
    log = pd.DataFrame({"customer_id": audience.index[:5], "send_date": "2024-06-27", "channel": "短信",
                        "campaign": "新品试饮"})
    sms = SmsCampaign(audience, "{昵称}您好，今年的明前龙井还有少量现货，老客户凭券立减{券面额}元，7月10日前有效",
                      shop.title, values={"券面额": 10}, send_date=shop.today, send_log=log, cap_days=7)
    assert_prose(NB, f"{len(audience)} 位龙井老客里，{sms.excluded['已退订']} 位退订过短信，"
                     f"{sms.excluded['7 天内发过营销短信']} 位 7 天内刚收到过营销短信，这次都不发；"
                     f"最终发给 {sms.recipients} 人，按 0.05 元/条计，共 {sms.plan.cost:.2f} 元")
    mail = EmailCampaign(audience, "主题", ["正文"], LONGJING[0], 268, "https://shop.example.com/item/longjing-250",
                         shop_name=shop.title, sender="shop@example.com", image=b"\x89PNG\r\n\x1a\n")
    assert_prose(NB, f"{len(audience)} 位龙井老客里，{mail.excluded['没有邮箱']} 位没有邮箱，"
                     f"{mail.excluded['已退订']} 位退订了邮件，能收到邮件的是 {len(mail.recipients)} 位")


def test_titles_only_reading(audience):
    titles_only = read_taobao_orders(ORDER_FILE)
    multi = int(titles_only.import_report.items_note.split("其中 ")[1].split(" 笔")[0])
    segment = Segment("龙井老客", min_orders=2, last_order_after="2024-01-01", products=LONGJING)
    assert_prose(NB, f"{multi} 笔多宝贝订单的商品名是几个标题连在一起的，和“龙井”的宝贝标题对不上，"
                     f"龙井老客从 {len(audience)} 位变成了 {len(segment.select(titles_only.summary()))} 位")


def test_late_night_order_paid_after_midnight():
    records = list(csv.DictReader(io.StringIO(ORDER_FILE.read_bytes().decode("gb18030"), newline="")))
    late = [r for r in records if r["订单创建时间"].endswith("23:58:11")]
    assert len(late) == 1 and late[0]["订单付款时间 "].endswith("00:05:11")
    assert late[0]["订单付款时间 "][:10] > late[0]["订单创建时间"][:10]
    assert_prose(NB, "样例里有一笔订单 23:58 拍下、第二天 0:05 才付款")


def test_first_quarter_aov(shop):
    """第一季度（按付款时间，1 月 1 日至 3 月 31 日）：客单价按付款买家算，平均订单价按订单算。"""
    o = shop.orders
    part = o[(o["order_time"] >= "2024-01-01") & (o["order_time"] < "2024-04-01")]
    fen = int((part["amount"] * 100).round().sum())
    payers, n = part["customer_id"].nunique(), len(part)
    assert payers < n
    assert_prose(NB, f"第一季度 {payers} 位买家付了 {n} 笔，客单价 {fen / payers / 100:.2f} 元，"
                     f"平均订单价 {fen / n / 100:.2f} 元")

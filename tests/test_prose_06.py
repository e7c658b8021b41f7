"""第 06 课正文里写的数字，全部用 helpers 重新算一遍；数据或函数一变，这里就会失败。"""
import pytest
from prose import assert_prose

from helpers.followup import first_order_cohort, first_purchase_followup, monthly_sales, first_order_return_rates

NB06 = "06_新会员营销.ipynb"
JHS = ("2018-01-05", "2018-01-09")


# ---------------------------------------------------------------- 06 新会员营销
@pytest.fixture(scope="module")
def followup(xiayi):
    fu = first_purchase_followup(xiayi.orders, xiayi.today, windows=(30, 90, 180))
    cohort = first_order_cohort(fu, *JHS, inside="聚划算新客", outside="其他新客")
    return fu, cohort


def test_06_cohort(xiayi, followup):
    fu, cohort = followup
    ids = fu.index[cohort == "聚划算新客"]
    orders = xiayi.orders[xiayi.orders["customer_id"].isin(ids)
                          & xiayi.orders["order_time"].between(JHS[0], JHS[1] + " 23:59:59")]
    lines = xiayi.items.merge(orders[["order_id", "customer_id"]], on="order_id")
    coat = lines.loc[lines["product"] == "茧型毛呢外套", "customer_id"].nunique()
    assert_prose(NB06, f"团购那几天共有 {len(ids):,} 位新客户第一次下单，其中 {coat:,} 位买的就是团购的茧型毛呢外套")
    never = int(fu.loc[ids, "next_order"].isna().sum())
    assert_prose(NB06, f"{len(ids):,} 位聚划算新客里有 {never:,} 位（{never / len(ids):.1%}）到今天都没有再买过")


def test_06_rates(followup):
    rates = first_order_return_rates(*followup)
    r = rates.xs("复购率（%）", axis=1, level=1)
    assert_prose(NB06, f"180 天之内，其他新客有 {r.loc['其他新客', '180 天内']:.1f}% 回来再买，"
                       f"聚划算新客只有 {r.loc['聚划算新客', '180 天内']:.1f}%")
    assert_prose(NB06, f"30 天之内是 {r.loc['其他新客', '30 天内']:.1f}% 对 {r.loc['聚划算新客', '30 天内']:.1f}%")
    assert_prose(NB06, f"聚划算新客 180 天复购率只有 {r.loc['聚划算新客', '180 天内']:.1f}%，"
                       f"其他新客是 {r.loc['其他新客', '180 天内']:.1f}%")


def test_06_monthly(xiayi, followup):
    fu, cohort = followup
    monthly = monthly_sales(xiayi.orders, fu.index[cohort == "聚划算新客"], "聚划算新客", "其他客户") / 10000
    assert monthly["合计"].idxmax() == "2018-11"  # 正文说 1 月“创了新高”：指到当时为止的新高
    assert monthly.loc[:"2018-01", "合计"].idxmax() == "2018-01"
    assert_prose(NB06, f"2018 年 1 月的销售额冲到 {monthly.loc['2018-01', '合计']:.1f} 万元，"
                       f"其中 {monthly.loc['2018-01', '聚划算新客']:.1f} 万元来自聚划算新客；"
                       f"2 月马上跌到 {monthly.loc['2018-02', '合计']:.1f} 万元")


def test_06_coupon_cost(xiayi, followup):
    fu, cohort = followup
    n = int((cohort == "聚划算新客").sum())
    cost = n * 5
    jan = monthly_sales(xiayi.orders, fu.index[cohort == "聚划算新客"], "聚划算新客").loc["2018-01", "聚划算新客"]
    assert cost / jan < 0.01
    assert_prose(NB06, f"成本是 {n:,} × 5 = {cost:,} 元——还不到 1 月份聚划算新客销售额的 1%")


# ---------------------------------------------------------------- 06 第 7 节：拼团
def _md(moment) -> str:
    return f"{moment.month} 月 {moment.day} 日"


def _second_sunday_of_march_and_first_of_november(year):
    import calendar

    sundays = lambda m: [d for d in calendar.Calendar().itermonthdates(year, m)  # noqa: E731
                         if d.month == m and d.weekday() == 6]
    return sundays(3)[1], sundays(11)[0]


def test_06_groupbuy_times():
    import datetime as dt
    from zoneinfo import ZoneInfo

    la, bj = ZoneInfo("America/Los_Angeles"), ZoneInfo("Asia/Shanghai")
    start = dt.datetime(2019, 3, 1, 0, 0, tzinfo=la).astimezone(bj)
    end = dt.datetime(2019, 3, 31, 23, 59, 59, tzinfo=la).astimezone(bj)
    assert_prose(NB06, f"太平洋时间 3 月 1 日零点开始，在北京已经是 {_md(start)} {start:%H:%M}；"
                       f"太平洋时间 3 月 31 日 23:59:59 结束，北京已经是 {_md(end)} {end:%H:%M:%S}")
    gap = lambda t: int((t.utcoffset() - t.astimezone(la).utcoffset()).total_seconds() // 3600)  # noqa: E731
    assert_prose(NB06, f"开始时北京比太平洋快 {gap(start)} 小时，结束时只快 {gap(end)} 小时")
    winter, summer = dt.datetime(2019, 1, 15, tzinfo=la), dt.datetime(2019, 7, 15, tzinfo=la)
    assert_prose(NB06, f"冬天（太平洋标准时间，UTC−{-winter.utcoffset().total_seconds() / 3600:g}）"
                       f"北京比太平洋快 {gap(winter.astimezone(bj))} 小时，"
                       f"夏天（太平洋夏令时，UTC−{-summer.utcoffset().total_seconds() / 3600:g}）只快 "
                       f"{gap(summer.astimezone(bj))} 小时")
    dst_start, dst_end = _second_sunday_of_march_and_first_of_november(2019)
    assert_prose(NB06, f"2019 年是 {_md(dst_start)}开始、{_md(dst_end)}结束，春季拼团正好跨过了 {_md(dst_start)}")
    opened = dt.datetime(2019, 3, 9, 12, 0, tzinfo=la)
    real = (opened.astimezone(dt.timezone.utc) + dt.timedelta(hours=24)).astimezone(la)
    assert_prose(NB06, f"开团后实际过了 24 小时，钟面上已经是 {_md(real)} {real:%H:%M}")


def test_06_groupbuy_price():
    from helpers.groupbuy import group_price

    price, discount = 299, 15
    assert_prose(NB06, f"折扣 {discount}% 表示比原价便宜 {discount}%：{price} 元的外套，拼团价是 "
                       f"{price} × {100 - discount}% = {group_price(price, discount):.2f} 元")
    assert round(price * (100 - discount) / 100, 2) == group_price(price, discount)

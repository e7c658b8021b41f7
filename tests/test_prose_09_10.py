"""第 09、10 课正文里写的数字，都由 helpers 现算出来再核对。"""
import pytest

from helpers import load_shop
from helpers.audience import attribute_profile, audience_table, interval_summary, new_vs_returning, purchase_intervals, repeat_purchase_rate
from helpers.operations import channel_mix, decompose_change, festival_peaks, kpi_by_period, order_facts, traffic_funnel
from prose import assert_prose

NB09 = "09_网店运营分析.ipynb"
NB10 = "10_客户属性分析.ipynb"


@pytest.fixture(scope="module")
def xiayi():
    return load_shop("xiayi")


@pytest.fixture(scope="module")
def facts(xiayi):
    return order_facts(xiayi.orders, xiayi.items, xiayi.products)


def test_09_peak_day(facts):
    daily = kpi_by_period(facts, "日")
    top = daily["销售额（元）"].idxmax()
    assert top == "2018-11-11"
    assert_prose(NB09, f"2018 年双11：{daily.loc[top, '销售额（元）']:,.2f} 元")
    peaks = festival_peaks(daily).set_index(["大促", "日期"])
    jan = [d for name, d in peaks.index if name == "年货节"]
    assert jan and all("2018-01-05" <= d <= "2018-01-09" for d in jan)        # 1 月的峰值落在聚划算团购里
    assert_prose(NB09, "而是 1 月 5 日至 9 日的聚划算团购")


def test_09_november_decomposition(facts):
    dec = decompose_change(kpi_by_period(facts, "月", end="2018-11-30"))
    nov = dec.loc["2018-11"]
    assert nov["销售额主要因素"] == "买家数"
    assert_prose(NB09, f"2018 年 11 月的销售额比 10 月多了 {nov['销售额变化（元）']:,.2f} 元，"
                       f"其中买家数贡献 {nov['买家数贡献（元）']:,.2f} 元，客单价贡献 {nov['客单价贡献（元）']:,.2f} 元")
    assert dec.loc["2018-01", "客单价贡献（元）"] < 0 < dec.loc["2018-02", "客单价贡献（元）"]
    assert dec.loc["2018-02", "买家数贡献（元）"] < 0                              # “团购结束后买家骤减”


def test_09_november_repeat_buyers(xiayi):
    orders = xiayi.orders[xiayi.orders["order_time"].dt.strftime("%Y-%m") == "2018-11"]
    per_buyer = orders["customer_id"].value_counts()
    assert 0.24 <= (per_buyer >= 2).mean() <= 0.27
    assert_prose(NB09, "约四分之一的买家这个月下了不止一单")


def test_09_aov_per_buyer_and_per_order(facts):
    monthly = kpi_by_period(facts, "月", end="2018-11-30")
    assert (monthly["客单价（元）"] > monthly["平均订单价（元）"]).all()            # “每个月的客单价都比平均订单价高”
    nov = monthly.loc["2018-11"]
    assert nov["客单价（元）"] == round(nov["销售额（元）"] / nov["买家数（人）"], 2)
    assert nov["平均订单价（元）"] == round(nov["销售额（元）"] / nov["订单量（单）"], 2)
    assert_prose(NB09, f"2018 年 11 月，{int(nov['买家数（人）']):,} 位买家下了 {int(nov['订单量（单）']):,} 单，"
                       f"客单价 {nov['客单价（元）']:,.2f} 元，平均订单价 {nov['平均订单价（元）']:,.2f} 元")
    assert 300 <= nov["客单价（元）"] - nov["平均订单价（元）"] < 400                # “差了三百多元”
    assert_prose(NB09, f"客单价 {nov['客单价（元）']:,.2f} 元、平均订单价 {nov['平均订单价（元）']:,.2f} 元")


def test_09_midnight_order(xiayi):
    o = xiayi.orders
    day = o[o["order_time"].dt.normalize() == "2018-09-30"]
    assert (day["order_time"] == "2018-09-30").sum() == 1
    assert_prose(NB09, "2018 年 9 月 30 日正好有一笔 0 点整的订单")


def test_09_funnel(xiayi):
    f = traffic_funnel(xiayi.events)
    n = f["人数（人）"]
    assert_prose(NB09, f"浏览过商品的有 {n['浏览']:,} 人，其中 {n['加购']:,} 人加购过，{n['下单']:,} 人又下了单："
                       f"从浏览一路走到下单的，占浏览人数的 {f.loc['下单', '占第一步（%）']:.1f}%")
    nov = traffic_funnel(xiayi.events, "2018-11-01", "2018-11-11")
    assert nov.loc["加购", "占上一步（%）"] < f.loc["加购", "占上一步（%）"]
    assert nov.loc["下单", "占上一步（%）"] > f.loc["下单", "占上一步（%）"]


def test_09_mobile_share(facts):
    mix = channel_mix(facts, "月", end="2018-11-30")
    assert_prose(NB09, f"2018 年 11 月无线订单已占 {mix.loc['2018-11', '无线订单占比（%）']:.1f}%")
    autumn = mix.loc["2018-09":"2018-11"]
    assert (autumn["PC平均订单价（元）"] > autumn["无线平均订单价（元）"]).all()
    assert_prose(NB09, "2018 年 9 月到 11 月，PC 端每笔订单的金额（平均订单价）都略高于无线")


def test_09_margin_range(facts):
    m = kpi_by_period(facts, "月", end="2018-11-30")["毛利率（%）"]
    assert 52 <= m.min() and m.max() <= 54
    assert_prose(NB09, "毛利率都在 52%–54% 之间")


@pytest.fixture(scope="module")
def audience(xiayi):
    return audience_table(xiayi.customers, xiayi.orders, xiayi.today)


def test_10_gender(audience):
    p = attribute_profile(audience, "性别")
    assert_prose(NB10, f"女性客户占 {p.loc['女', '占比（%）']:.1f}%")
    assert abs(p.loc["女", "复购率（%）"] - p.loc["男", "复购率（%）"]) < 1     # “几乎一样”


def test_10_new_buyers(xiayi):
    nr = new_vs_returning(xiayi.orders, xiayi.today)
    assert nr["新买家（人）"].idxmax() == "2018-01"                              # “全年最多的一个月”
    assert_prose(NB10, f"2018 年 1 月有 {nr.loc['2018-01', '新买家（人）']:,} 位新买家")
    jubilee = new_vs_returning(xiayi.orders, xiayi.today, freq="日").loc["2018-01-05":"2018-01-09", "老买家占比（%）"]
    assert jubilee.max() < 11
    assert_prose(NB10, "团购那几天每天下单的买家里，老买家占比都在 11% 以下")
    share = nr.loc["2018-02":"2018-11", "老买家占比（%）"]
    assert 40 <= share.min() and share.max() < 60                               # “四成多到五成多”
    assert_prose(NB10, "老买家占每月买家的四成多到五成多")


def test_10_repeat_rates(audience):
    rates = {"xiayi": repeat_purchase_rate(audience)}
    for name in ("a_kids", "health"):
        s = load_shop(name)
        rates[name] = repeat_purchase_rate(audience_table(s.customers, s.orders, s.today))
    assert rates["xiayi"] < min(rates["a_kids"], rates["health"])              # “自然最低”
    assert_prose(NB10, f"夏艺女装的复购率是 {rates['xiayi'] * 100:.1f}%，A店铺是 {rates['a_kids'] * 100:.1f}%，"
                       f"保健品专卖是 {rates['health'] * 100:.1f}%")


def test_10_interval(xiayi):
    s = interval_summary(purchase_intervals(xiayi.orders, xiayi.today))
    med = s["中位数（天）"]
    assert med["第 1→2 次"] > med["第 2→3 次"] > med["第 3 次以后"]              # “越往后越短”
    assert_prose(NB10, f"间隔中位数是 {med['第 1→2 次']:.0f} 天")


def test_10_age_share(audience):
    share = attribute_profile(audience, "年龄段").loc[["25–29 岁", "30–34 岁", "35–39 岁"], "客户数（人）"].sum()
    assert 0.70 < share / len(audience) < 0.75
    assert_prose(NB10, "25–39 岁的客户占了七成多")

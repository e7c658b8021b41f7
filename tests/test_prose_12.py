"""第 12 课正文里写的数字，都用 helpers 现算一遍核对（夏艺女装，今天 = 2019-02-16）。"""
import json
from fractions import Fraction

import pandas as pd
import pytest

from helpers import load_shop, plan_sms
from helpers.effect import (ad_metrics, campaign_cost, campaign_outcomes, campaign_roi, daily_traffic,
                            response_table, uplift)
from helpers.lifecycle import LifecycleRule, lifecycle_stages, stage_history, stage_sizes, stage_transitions, stage_value
from helpers.money import fen_to_yuan, round_fen, round_yuan, to_fen
from helpers.operations import order_facts
from helpers.sql import lifecycle_frame, run
from prose import ROOT, assert_prose

NB = "12_客户生命周期与营销效果.ipynb"


def y(value) -> str:
    return f"{value:,.2f}"


@pytest.fixture(scope="module")
def shop():
    return load_shop("xiayi", today="2019-02-16")


@pytest.fixture(scope="module")
def history(shop):
    return stage_history(shop.customers, shop.orders, "2017-09-01", shop.today)


@pytest.fixture(scope="module")
def campaign(shop):
    c = shop.campaigns.iloc[0]
    return c, c["send_time"], c["coupon_end"] + pd.Timedelta(seconds=1)


@pytest.fixture(scope="module")
def short(shop, campaign):
    _, start, end = campaign
    return campaign_outcomes(shop.campaign_members, shop.orders, start, end)


@pytest.fixture(scope="module")
def sms_and_cost(shop, campaign):
    c, _, _ = campaign
    m = shop.campaign_members
    treated = shop.customers.merge(m.loc[m["group"] == "实验组", ["customer_id"]], on="customer_id")
    plan = plan_sms(treated, c["message"], c["shop_name"], price=c["sms_price"])
    used = int(m["coupon_order_id"].notna().sum())
    return plan, used, campaign_cost(plan.total_parts, c["sms_price"], used, c["coupon_value"])


def test_stage_sizes_today(shop, history):
    st = lifecycle_stages(shop.customers, shop.orders, shop.today)
    cnt = st["stage"].value_counts()
    n = len(st)
    assert_prose(NB, f"今天，夏艺女装的 {n:,} 位客户里：识别期 {cnt['识别期']:,} 位，发展期 {cnt['发展期']:,} 位，"
                     f"稳定期 {cnt['稳定期']:,} 位，衰退期 {cnt['衰退期']:,} 位——衰退期占全部客户的 {cnt['衰退期'] / n:.1%}")
    buyers = int((st["order_count"] > 0).sum())                  # 买家 = 下过单的人（识别期以外）
    assert buyers == n - cnt["识别期"]
    assert_prose(NB, f"只看下过单的 {buyers:,} 位买家，衰退期占 {cnt['衰退期'] / buyers:.1%}：将近三分之二的买家")
    assert 0.6 < cnt["衰退期"] / buyers < 2 / 3
    assert (stage_sizes(history).iloc[-1] == cnt.reindex(stage_sizes(history).columns)).all()   # 最后一列就是今天



def test_sql_view(shop):
    """“SQL 视图”：天数按日期相减、> 90 天才衰退、CASE WHEN 的顺序、Spark 的写法、改成 180 天只变写着天数的行。"""
    rule, day = LifecycleRule(), shop.today.date()
    query = rule.to_sql(shop.today)
    days = f"DATE_DIFF('day', o.last_order, DATE '{day}')"
    assert days in query
    assert_prose(NB, f"`{days}` 是最后下单的那一天到评估日相隔几天，按日期相减，不看几点")
    assert f"WHEN days_since_last > {rule.active_days} THEN '衰退期'" in query
    assert_prose(NB, f"`days_since_last > {rule.active_days}` 才进衰退期，恰好 {rule.active_days} 天还算“最近还在买”")
    order = [line.split("THEN '")[1].split("'")[0] for line in query.splitlines() if line.strip().startswith("WHEN")]
    assert order == ["识别期", "衰退期", "稳定期"] and "ELSE '发展期'" in query
    # 正文的两位客户：买过 5 笔、100 天没来（衰退期）；买过 1 笔、恰好 90 天前（还在发展期）。SQL 和 pandas 都这样分
    today = shop.today
    orders = pd.DataFrame({"order_id": [f"o{i}" for i in range(6)], "customer_id": ["C1"] * 5 + ["C2"],
                           "order_time": [today - pd.Timedelta(days=100 + i) for i in range(5)]
                           + [today - pd.Timedelta(days=rule.active_days) + pd.Timedelta(hours=23)],
                           "amount": [100.0] * 6})
    customers = pd.DataFrame({"customer_id": ["C1", "C2"], "register_date": [today - pd.Timedelta(days=400)] * 2})
    by_sql = run(query, orders=orders, customers=customers)
    by_pandas = lifecycle_stages(customers, orders, today, rule)
    assert lifecycle_frame(by_sql).equals(by_pandas)
    assert by_pandas["stage"].astype(str).tolist() == ["衰退期", "发展期"]
    assert_prose(NB, "买过 5 笔、但 100 天没来的客户是衰退期，不是稳定期")
    # 夏艺女装全店：DuckDB 的表和 lifecycle_stages 一模一样
    whole = run(query, orders=shop.orders, customers=shop.customers)
    assert lifecycle_frame(whole).equals(lifecycle_stages(shop.customers, shop.orders, today, rule))
    # Spark 的写法
    spark = rule.to_sql(shop.today, dialect="spark")
    assert f"DATEDIFF(DAY, o.last_order, CAST('{day}' AS DATE))" in spark and "DATE_DIFF" not in spark
    assert_prose(NB, f"Spark 写 `DATEDIFF(DAY, 开始, 结束)`，日期常量写成 `CAST('{day}' AS DATE)`")
    # 改成 180 天：变的只有写着天数的那几行
    half_year = LifecycleRule(active_days=180)
    before = set(query.splitlines())
    changed = [line for line in half_year.to_sql(shop.today).splitlines() if line not in before]
    assert changed and all("180 天" in line or "> 180" in line for line in changed)
    assert_prose(NB, "只把“最近还在买”从 90 天放宽到 180 天：SQL 里变的只有写着天数的那几行")
    # 笔记本里存下的输出：三次比较都是 True
    cells = json.loads((ROOT / "notebooks" / NB).read_text(encoding="utf-8"))["cells"]
    shown = "\n".join("".join(o.get("text", "")) for c in cells if c.get("id", "").startswith("sql-12-")
                      for o in c.get("outputs", []))
    assert shown.count("完全相同：True") == 2 and "False" not in shown
    assert "ELSE '发展期'" in shown and "DATEDIFF(DAY" in shown


def test_group_buy_cohort(shop, history):
    first = shop.orders.groupby("customer_id")["order_time"].min().dt.normalize()
    cohort = first.index[first.between("2018-01-05", "2018-01-09")]
    cs = stage_sizes(history.loc[cohort])
    assert_prose(NB, f"这批聚划算客户共 {len(cohort):,} 位：2018 年 1 月底有 {cs.loc['2018-01', '发展期']:,} 位在发展期；"
                     f"三个月过去，4 月底已有 {cs.loc['2018-04', '衰退期']:,} 位（{cs.loc['2018-04', '衰退期'] / len(cohort):.1%}）落进衰退期")


def test_transitions(history):
    t = stage_transitions(history, "2019-01", "2019-01", share=True)
    assert_prose(NB, f"上月的稳定期客户有 {t.loc['稳定期', '稳定期']:g}% 留在稳定期；发展期客户有 {t.loc['发展期', '稳定期']:g}% "
                     f"升进稳定期，却有 {t.loc['发展期', '衰退期']:g}% 掉进衰退期；衰退期客户里有 {t.loc['衰退期', '发展期']:g}% "
                     f"回到发展期、{t.loc['衰退期', '稳定期']:g}% 回到稳定期")
    whole = stage_transitions(history, share=True)
    assert_prose(NB, f"进了衰退期的客户每个月有 {whole.loc['衰退期', '衰退期']:g}% 仍然留在衰退期")


def test_stage_value(shop):
    facts = order_facts(shop.orders, shop.items, shop.products)
    sv = stage_value(lifecycle_stages(shop.customers, shop.orders, "2018-11-30"), facts, "2018-12-01", "2019-02-15")
    per = (sv["毛利（元）"] / sv["客户数（人）"]).round(2)
    assert sv["毛利（元）"].idxmax() == "衰退期" and per.idxmax() == "稳定期"
    assert_prose(NB, f"衰退期客户人数占 {sv.loc['衰退期', '客户数占比（%）']:g}%，贡献了 {sv.loc['衰退期', '毛利占比（%）']:g}% 的毛利，"
                     f"是最大的一块；稳定期只占 {sv.loc['稳定期', '客户数占比（%）']:g}% 的人数，贡献了 "
                     f"{sv.loc['稳定期', '毛利占比（%）']:g}% 的毛利")
    assert_prose(NB, f"稳定期客户的人均毛利是 {y(per['稳定期'])} 元，衰退期只有 {y(per['衰退期'])} 元")


def test_members(shop):
    m = shop.campaign_members
    assert_prose(NB, f"{len(m):,} 位目标客户里，{(m['group'] == '实验组').sum():,} 位在实验组（收到短信），"
                     f"{(m['group'] == '对照组').sum():,} 位被随机留作对照组")


def test_short_term(short):
    u = uplift(short)
    assert_prose(NB, f"实验组的响应率是 {u['实验组响应率（%）']:.2f}%，对照组只有 {u['对照组响应率（%）']:.2f}%：提升 "
                     f"{u['提升（百分点）']:.2f} 个百分点，95% 置信区间 {u['提升 95% 下限（百分点）']:.2f} 到 "
                     f"{u['提升 95% 上限（百分点）']:.2f}，远离 0。增量销售额是 {y(u['增量销售额（元）'])} 元")


def test_cost_and_roi(short, sms_and_cost):
    plan, used, cost = sms_and_cost
    lengths = plan.messages["length"]
    assert (plan.messages["parts"] == 2).all()
    assert_prose(NB, f"最短 {lengths.min()} 字，最长 {lengths.max()} 字")
    assert_prose(NB, f"{plan.recipients:,} 位收件人共 {plan.total_parts:,} 条，短信费 {y(plan.cost)} 元")
    u = uplift(short)
    back = used * 30                                             # 用掉的券面额：实付里已经扣掉了
    gross = u["增量销售额（元）"] + back
    roi = campaign_roi(gross, cost["合计（元）"])
    assert_prose(NB, f"{used} 张券被用掉，券的成本 {y(cost['优惠券（元）'])} 元，加上短信费，总成本 {y(cost['合计（元）'])} 元。"
                     f"这 {used} 单的实付金额里已经各少了 30 元，所以销售额一边要把它们加回来：券前增量销售额 {y(gross)} 元。"
                     f"活动 ROI = {roi:.2f}：每花 1 元，收回这 1 元以外，还多带来 {roi:.2f} 元（券前）销售额")
    net_gain = u["增量销售额（元）"] - plan.cost                    # 两种一致的口径，分子一样
    assert round(gross - cost["合计（元）"], 2) == round(net_gain, 2)
    assert_prose(NB, f"都是“实付的增量 − 短信费”= {y(net_gain)} 元")
    twice = campaign_roi(u["增量销售额（元）"], cost["合计（元）"])
    assert twice < roi and campaign_roi(u["增量销售额（元）"], plan.cost) > 10 * roi
    assert_prose(NB, f"第三种把券算了两次，ROI 被压低成 {twice:.2f}")
    all_sales = response_table(short).loc["实验组", "销售额（元）"]
    wrong = campaign_roi(all_sales + back, cost["合计（元）"])
    assert_prose(NB, f"错误的算法得到 {wrong:.2f}，比正确的 {roi:.2f} 大了一截：实验组实付的 {y(all_sales)} 元销售额里，"
                     f"有 {y(all_sales - u['增量销售额（元）'])} 元不发短信也会发生")


def test_traffic(shop):
    t = daily_traffic(shop.events, "2018-12-05", "2018-12-20")
    assert t["访客数（人）"].idxmax() == pd.Timestamp("2018-12-12")
    assert_prose(NB, f"12 月 12 日的访客数跳到 {t.loc['2018-12-12', '访客数（人）']:,} 人，而前一天是 "
                     f"{t.loc['2018-12-11', '访客数（人）']:,} 人")


def test_long_term(shop, campaign, short, sms_and_cost):
    _, start, end = campaign
    m = shop.campaign_members
    u60 = uplift(campaign_outcomes(m, shop.orders, start, start + pd.Timedelta(days=60)))
    roi60 = campaign_roi(u60["增量销售额（元）"] + sms_and_cost[1] * 30, sms_and_cost[2]["合计（元）"])   # 券前
    assert u60["提升 95% 下限（百分点）"] < 0 < u60["提升 95% 上限（百分点）"]
    assert_prose(NB, f"60 天里，实验组的下单率是 {u60['实验组响应率（%）']:.2f}%，对照组是 {u60['对照组响应率（%）']:.2f}%：提升只剩 "
                     f"{u60['提升（百分点）']:.2f} 个百分点，95% 置信区间 {u60['提升 95% 下限（百分点）']:.2f} 到 "
                     f"{u60['提升 95% 上限（百分点）']:.2f}，跨过了 0")
    assert_prose(NB, f"增量销售额的点估计是 {y(u60['增量销售额（元）'])} 元，置信区间从 {y(u60['增量销售额 95% 下限（元）'])} 元到 "
                     f"{y(u60['增量销售额 95% 上限（元）'])} 元，同样跨过了 0；按点估计算的活动 ROI 是 {roi60:.2f}")
    after = response_table(campaign_outcomes(m, shop.orders, end, start + pd.Timedelta(days=60)))
    assert after.loc["对照组", "响应率（%）"] > after.loc["实验组", "响应率（%）"]
    assert_prose(NB, f"下单率 {after.loc['对照组', '响应率（%）']:.2f}%，实验组只有 {after.loc['实验组', '响应率（%）']:.2f}%")
    assert_prose(NB, f"{u60['对照组人数（人）']:,} 人的对照组，足够看清券有效期内 {uplift(short)['提升（百分点）']:.2f} 个百分点的大差别")


def test_ads(shop):
    ads = ad_metrics(shop.ads)
    best = ads["ROI（成交金额÷花费）"].idxmax()
    assert best == "老客定向-店铺人群"
    assert_prose(NB, f"广告 ROI 最高的是“{best}”（{ads.loc[best, 'ROI（成交金额÷花费）']:.2f}）")
    zero = ads.index[ads["成交笔数"] == 0]
    assert list(zero) == ["羽绒服-新品测款"] and pd.isna(ads.loc[zero[0], "CPA（元/单）"])
    assert_prose(NB, f"“{zero[0]}”花了 {y(ads.loc[zero[0], '花费（元）'])} 元、带来 {ads.loc[zero[0], '点击量']:,} 次点击，却一单也没成交")


def test_combined_cpa(shop):
    """钻展两个计划合起来的 CPA：合计花费 ÷ 合计成交笔数，和两个 CPA 的简单平均并排。"""
    d = shop.ads[shop.ads["tool"] == "钻展"].set_index("plan")
    assert list(d.index) == ["老客定向-店铺人群", "相似店铺人群"]
    fen = to_fen(d["cost"])
    combined = round_yuan(Fraction(int(fen.sum()), int(d["orders"].sum())))
    mean = fen_to_yuan(round_fen(fen / d["orders"]).mean())            # 各计划的 CPA（到分）再平均
    assert_prose(NB, f"钻展两个计划合起来，每成交一单花 {combined:.2f} 元；直接平均得 {mean:.3f} 元，偏高了：成交 "
                     f"{d.loc['老客定向-店铺人群', 'orders']} 单的老客定向和只成交 {d.loc['相似店铺人群', 'orders']} 单的相似店铺人群")


def test_campaign_facts_in_the_story(shop, campaign):
    c, start, end = campaign
    assert_prose(NB, "随机留出一成客户不发短信")
    assert c["holdout_share"] == 0.1
    assert_prose(NB, "一张“满 299 减 30”的券")
    assert (c["coupon_threshold"], c["coupon_value"]) == (299.0, 30.0)
    assert_prose(NB, "12 月 12 日 18:00，短信")
    assert start == pd.Timestamp("2018-12-12 18:00") and end == pd.Timestamp("2018-12-14")
    ad_from, ad_to = shop.ads["start_date"].min(), shop.ads["end_date"].max()
    assert_prose(NB, f"{ad_from:%Y-%m-%d} 至 {ad_to:%m-%d} 的 {len(shop.ads)} 个推广计划")


def test_four_views_claims(shop, campaign, short):
    """正文里“响应者更偏高等级”“用券订单客单价最高”“羊绒、格子、羽绒服占比更高”这些定性说法。"""
    from helpers import rfm_score
    from helpers.audience import audience_table
    from helpers.effect import compare_shares, order_profile
    from helpers.products_analysis import product_sales

    _, start, end = campaign
    crowds = {"r": short.index[(short["group"] == "实验组") & short["responded"]],
              "t": short.index[short["group"] == "实验组"]}
    tier = compare_shares(audience_table(shop.customers, shop.orders, "2018-12-11")["tier"], crowds)
    assert tier.loc["至尊VIP", "r"] > tier.loc["至尊VIP", "t"]
    level = compare_shares(rfm_score(shop.orders, "2018-12-11")["level"], crowds)
    assert (level.loc[["P", "G"], "r"] > level.loc[["P", "G"], "t"]).all() and level.loc["B", "r"] < level.loc["B", "t"]
    o = shop.orders
    window = o[(o["order_time"] >= start) & (o["order_time"] < end) & o["customer_id"].isin(crowds["t"])]
    coupons = shop.campaign_members["coupon_order_id"].dropna().astype("int64").astype(str)
    december = o[(o["order_time"] >= "2018-12-01") & (o["order_time"] < "2019-01-01")]
    p = order_profile(o, shop.items, {"w": window["order_id"], "c": coupons,
                                      "d": december.loc[~december["order_id"].isin(window["order_id"]), "order_id"]})
    assert p["客单价（元）"].idxmax() == "c" and p["每单件数（件）"].idxmax() == "c"
    mix = product_sales(window, shop.items)["sales_share"]
    dec = product_sales(december, shop.items)["sales_share"]
    assert mix.index[0] == dec.index[0] == "羊毛双面呢大衣"
    assert all(mix[p] > dec[p] for p in ("羊绒大衣", "格子大衣", "白鸭绒羽绒服"))


def test_evening_visitors(shop, campaign):
    _, start, _ = campaign
    m = shop.campaign_members
    ev = shop.events
    evening = ev[(ev["event_time"] >= start) & (ev["event_time"] < start.normalize() + pd.Timedelta(days=1))]
    vis = m[m["customer_id"].isin(evening["customer_id"])]["group"].value_counts()
    size = m["group"].value_counts()
    assert_prose(NB, f"12 日 18:00 以后的 {evening['customer_id'].nunique():,} 位访客里，{vis['实验组']:,} 位是实验组的客户，"
                     f"对照组只有 {vis['对照组']:,} 位：实验组有 {vis['实验组'] / size['实验组']:.1%} 的人当晚来店里看过，"
                     f"对照组只有 {vis['对照组'] / size['对照组']:.1%}")


def test_quiz_stems_quote_the_data(shop, campaign):
    """章节测试的题干也印在课里（quiz_text），题干里引用的数字同样要和数据一致。"""
    from helpers.course.quiz import load_quiz

    _, start, _ = campaign
    quiz = load_quiz("12")
    u60 = uplift(campaign_outcomes(shop.campaign_members, shop.orders, start, start + pd.Timedelta(days=60)))
    low, high = u60["提升 95% 下限（百分点）"], u60["提升 95% 上限（百分点）"]
    assert f"{low:.2f} 到 {high:.2f}".replace("-", "−") in quiz.item("q5").text
    roi = ad_metrics(shop.ads).loc["大衣-核心词", "ROI（成交金额÷花费）"]
    assert f"是 {roi:.2f}" in quiz.item("q6").text

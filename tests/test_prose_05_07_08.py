"""第 05、07、08 课正文里写的数字，全部用 helpers 重新算一遍；数据或函数一变，这里就会失败。"""
import json

import pandas as pd
import pytest
from prose import ROOT, assert_prose

from helpers import TEXTBOOK_RFM, TEXTBOOK_VIP_TIERS, VipTier, plan_sms, rfm_band_edges, rfm_score, top_share, vip_tier
from helpers.giftpack import Coupon
from helpers.labels import NO_ORDER, NOT_REACHED, crowd_insight, customer_labels, label_lift, label_rates
from helpers.membership import membership_status
from helpers.money import to_fen, yuan_text
from helpers.rfm import TEXTBOOK_WEIGHTS, RFMTable, customer_layers
from helpers.sql import rfm_frame, run, vip_frame
from helpers.vip import tier_table, tiers_sql, vip_tier_label
from helpers.touch import (HighPotentialRule, batch_table, carted_without_order, favourited_never_bought,
                           high_potential, repurchase_due, schedule_sends)

NB05 = "05_店铺VIP会员.ipynb"
NB07 = "07_RFM与PGSB客户分级.ipynb"
NB08 = "08_智能触达.ipynb"
JHS = ("2018-01-05", "2018-01-09")
CASE_DATE = pd.Timestamp("2018-11-01")


@pytest.fixture(scope="module")
def summary(xiayi):
    return xiayi.summary()


@pytest.fixture(scope="module")
def rfm(xiayi):
    return rfm_score(xiayi.orders, xiayi.today)


def sql_part_outputs(notebook: str, prefix: str) -> str:
    """“SQL 视图”各代码单元格（id 以 prefix 开头）存下来的输出文字。"""
    cells = json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
    mine = [c for c in cells if c["cell_type"] == "code" and c.get("id", "").startswith(prefix)]
    assert mine, f"{notebook} 里没有 id 以 {prefix} 开头的“SQL 视图”单元格"
    return "\n".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                     for c in mine for o in c["outputs"])


def changed_lines(old: str, new: str) -> list[str]:
    """new 里有、old 里没有的行（正文说“只差一行”时用来核对）。"""
    before = set(old.splitlines())
    return [line for line in new.splitlines() if line not in before]


# ---------------------------------------------------------------- 05 店铺VIP会员
def test_05_customers(summary):
    buyers = int((summary["order_count"] > 0).sum())
    assert_prose(NB05, f"夏艺女装共有 {len(summary):,} 位客户，其中 {buyers:,} 位下过单")


def test_05_labels(xiayi):
    check_day = pd.Timestamp("2018-11-01")
    past = customer_labels(xiayi.customers, xiayi.orders, xiayi.events, as_of=check_day)
    later = xiayi.orders[xiayi.orders["order_time"] >= check_day]
    y = pd.Series(past.index.isin(later["customer_id"]), index=past.index)
    rec = label_rates(past, y, "recency_band")["比例（%）"]
    assert_prose(NB05, f"30 天内下过单的客户有 {rec['30 天内']:.1f}% 在双11 季又来买，"
                       f"一年以上没来的只有 {rec['一年以上']:.1f}%")
    lift = label_lift(past, y)
    assert_prose(NB05, f"按“职业”分，最高和最低只差 {lift.loc['职业', '差距（百分点）']:.1f} 个百分点")
    # 正文的结论：行为标签排在前面（前五名都是行为标签），“复购过”是例外
    assert (lift["类型"].iloc[:5] == "行为标签").all()
    assert lift.loc["复购过（订单总数 ≥ 2）", "差距（百分点）"] < lift.loc["职业", "差距（百分点）"]


def test_05_tiers(xiayi, summary):
    table = tier_table(summary)
    assert xiayi.products["price"].min() == 99
    assert_prose(NB05, "夏艺女装最便宜的商品也要 99 元")
    n = table["客户数（位）"]
    assert n.idxmax() == "VIP会员"
    assert table["订单总金额（元）"].idxmax() == "至尊VIP"
    assert_prose(NB05, f"VIP会员（{n['VIP会员']:,} 位）是人数最多的一级")
    assert_prose(NB05, f"至尊VIP 只有 {n['至尊VIP']:,} 位，却贡献了 {table.loc['至尊VIP', '金额占比（%）']:.1f}% 的订单总金额")
    assert_prose(NB05, f"下过单却一级都没达到的买家只有 {n['未达门槛（下过单）']:,} 位")


def test_05_membership(xiayi, summary):
    status = membership_status(xiayi.orders, xiayi.customers, xiayi.today)
    old = int(status["reached_date"].notna().sum())
    new = int(status["is_member"].sum())
    potential = int((status["status"] == "潜在会员").sum())
    assert old - new == potential
    assert_prose(NB05, f"达到门槛的 {old:,} 位买家都是会员；按新规则只有 {new:,} 位，另有 {potential:,} 位潜在会员")
    tiers = vip_tier(summary.loc[status.index[status["status"] == "潜在会员"]]).value_counts()
    assert_prose(NB05, f"{potential:,} 位潜在会员里，有 {tiers['至尊VIP']:,} 位的累计消费已经达到至尊VIP 的门槛，"
                       f"{tiers['VIP会员']:,} 位达到 VIP会员")


def test_05_rules_text_and_2018_example():
    from helpers.vip import EXAMPLE_2018_TIERS

    # 导出的规则不能说“即可成为会员”，要和领卡规则一致；2018 年的例子是一家四个等级的店
    assert_prose(NB05, "达到门槛的买家只是有资格申请成为会员，领取会员卡后才是会员")
    assert [t.name for t in EXAMPLE_2018_TIERS] == ["普通会员", "高级会员", "VIP会员", "至尊VIP"]
    assert [t.min_amount for t in EXAMPLE_2018_TIERS[:2]] == [100.0, 500.0]
    assert_prose(NB05, "一家设了普通会员、高级会员、VIP会员、至尊VIP 四个等级的店铺，普通会员的门槛是“大于 100 元”，"
                       "高级会员是“大于 500 元”")
    late = ", ".join(f"{t.min_amount:g}" for t in EXAMPLE_2018_TIERS[2:])
    assert late == "1000, 2000"
    assert_prose(NB05, "`EXAMPLE_2018_TIERS` 补上了 1000 元和 2000 元，各级笔数沿用任务训练 2 的 3、5、10、20 笔")
    assert [t.min_orders for t in EXAMPLE_2018_TIERS] == [3, 5, 10, 20]


def test_05_strict_vs_reach(summary):
    reach = vip_tier_label(summary)
    greater = vip_tier_label(summary, strict=True)
    differ = summary[reach != greater]
    # vip_tier_label 只是把 vip_tier 的空值分成“未下单”和“未达门槛（下过单）”，等级本身不变
    assert (reach.astype(str) == vip_tier(summary).astype(object).fillna("").astype(str)).sum() + \
        int((reach.isin([NO_ORDER, NOT_REACHED])).sum()) == len(summary)
    assert int((reach == NO_ORDER).sum()) == int((summary["order_count"] == 0).sum())
    assert_prose(NB05, f"共有 {len(differ)} 位客户的等级因为读法不同而不同")
    assert set(differ["total_amount"]) == {100.0, 200.0, 500.0, 2000.0}
    three = summary[summary["order_count"] == 3]
    assert three["total_amount"].min() > 100
    assert_prose(NB05, f"恰好 3 笔的客户有 {len(three):,} 位，但他们的累计消费都超过 100 元")


def test_05_doctors_teachers(xiayi, summary):
    crowd = summary[summary["occupation"].isin(["医生", "教师"])]
    assert_prose(NB05, f"医生、教师人群共 {len(crowd):,} 位客户")
    tgi = crowd_insight(xiayi.events, crowd.index, "浏览", top=10, population=summary.index)["TGI"]
    assert_prose(NB05, f"浏览人数最多的 10 个商品，TGI 在 {tgi.min():.1f} 到 {tgi.max():.1f} 之间")
    assert_prose(NB05, f"`population` 是拿来比较的全店客户（这里是全部 {len(summary):,} 位客户）")



def test_05_sql_view(xiayi, summary):
    """“SQL 视图”：正文说的 OR、按分比较的门槛、从高到低的 CASE、strict 的 >、改一级只差一行，都从生成的 SQL 核对。"""
    query = tiers_sql(TEXTBOOK_VIP_TIERS)
    cases = [line.strip() for line in query.splitlines() if line.strip().startswith("WHEN")]
    assert len(cases) == len(TEXTBOOK_VIP_TIERS) and all(" OR " in case for case in cases)
    assert [case.split("THEN '")[1].split("'")[0] for case in cases] == [t.name for t in reversed(TEXTBOOK_VIP_TIERS)]
    assert "ELSE NULL" in query
    assert_prose(NB05, "每一级占一行 `WHEN 金额 >= … OR 笔数 >= …`：中间的 OR 就是“累计消费金额或交易笔数满足其一即可”")
    lowest = TEXTBOOK_VIP_TIERS[0]
    fen_rule = f"summary.total_fen >= {to_fen(lowest.min_amount)}"
    assert fen_rule in query
    assert_prose(NB05, f"`{fen_rule}` 就是“累计消费达到 {yuan_text(to_fen(lowest.min_amount))} 元”")
    strict = [line for line in tiers_sql(TEXTBOOK_VIP_TIERS, strict=True).splitlines() if line.strip().startswith("WHEN")]
    assert all(">=" not in line and line.count(" > ") == 2 for line in strict)
    assert_prose(NB05, "`strict=True`（“大于”的读法）会把每个 `>=` 换成 `>`")
    # 第 3 节的 my_tiers：普通会员提高到 150 元
    my_tiers = [VipTier("普通会员", 150.0, 3), *TEXTBOOK_VIP_TIERS[1:]]
    assert_prose(NB05, "把普通会员的门槛从 100 元提高到 150 元")
    changed = changed_lines(query, tiers_sql(my_tiers))
    assert len(changed) == 1 and f"summary.total_fen >= {to_fen(150)} OR" in changed[0]
    assert_prose(NB05, "新旧两条 SQL 只差一行，两边评出的等级仍然一样")
    for tiers in (TEXTBOOK_VIP_TIERS, my_tiers):
        result = run(tiers_sql(tiers), orders=xiayi.orders, customers=xiayi.customers)
        assert vip_frame(result, tiers)["vip_tier"].equals(vip_tier(summary, tiers))
    # 笔记本里存下的输出：两次比较都是 True，Spark 版也印出了四级
    shown = sql_part_outputs(NB05, "sql-05-")
    assert shown.count("相同：True") == 2 and "False" not in shown
    assert shown.count("THEN '") == 2 * len(TEXTBOOK_VIP_TIERS) + 1    # DuckDB 版四级 + 改过的一行 + Spark 版四级


# ---------------------------------------------------------------- 07 RFM与PGSB
def test_07_pareto(summary):
    share = top_share(summary.loc[summary["order_count"] > 0, "total_amount"], 0.2)
    assert_prose(NB07, f"在夏艺女装，前 20% 的买家贡献了 {share:.1%} 的销售额")
    assert_prose(NB07, f"夏艺女装前 20% 的买家贡献了 {share:.1%} 的销售额")


def test_07_five_customers(rfm):
    five = rfm.loc[["XY000188", "XY000612", "XY008613", "XY002532", "XY001214"]]
    assert five.loc["XY000188", "frequency"] == 21 and five.loc["XY000188", "level"] == "P"
    assert str(five.loc["XY000612", "last_order"].date()) == "2018-11-10" and five.loc["XY000612", "R"] == 5
    assert five.loc["XY008613", "monetary"] == 299.99 and five.loc["XY008613", "M"] == 1
    assert five.loc["XY002532", "monetary"] == 300.00 and five.loc["XY002532", "M"] == 2
    assert str(five.loc["XY001214", "last_order"].date()) == "2017-12-10" and five.loc["XY001214", "R"] == 1
    assert_prose(NB07, "| XY000188 | 一年里下了 21 单的老主顾 |")


def test_07_gap(rfm):
    m = rfm["monetary"]
    gap = ((m > 299) & (m < 300)) | ((m > 499) & (m < 500)) | ((m > 999) & (m < 1000)) | ((m > 1999) & (m < 2000))
    assert_prose(NB07, f"全店有 {int(gap.sum())} 位客户的评估期消费落在字面读法的“缝隙”里")


def test_07_levels(rfm):
    n = rfm["level"].value_counts()
    fen = to_fen(rfm["monetary"]).groupby(rfm["level"], observed=True).sum()
    share = (fen / fen.sum() * 100).round(1)
    assert_prose(NB07, f"P 级（铂金）只有 {n['P']:,} 位客户，却贡献了评估期 {share['P']:.1f}% 的消费；"
                       f"G 级（黄金）{n['G']:,} 位，贡献 {share['G']:.1f}%")
    assert_prose(NB07, f"B 级（青铜）人数最多，有 {n['B']:,} 位，消费只占 {share['B']:.1f}%")
    assert n.idxmax() == "B"


def test_07_rf_cells(xiayi, rfm):
    first = xiayi.orders.groupby("customer_id")["order_time"].min()
    jhs = first.between(JHS[0], JHS[1] + " 23:59:59")
    old = rfm.index[(rfm["R"] == 1) & (rfm["F"] == 1)]
    new = rfm.index[(rfm["R"] == 5) & (rfm["F"] == 1)]
    cells = pd.crosstab(rfm["R"], rfm["F"])
    assert cells.stack().idxmax() == (1, 1)  # 正文：左下角 R=1、F=1 的一格最大
    assert_prose(NB07, f"R = 1、F = 1 的 {len(old):,} 位客户里，有 {int(jhs[old].sum()):,} 位就是第 06 课那批")
    assert_prose(NB07, f"R = 5、F = 1 的 {len(new):,} 位里，{int((first[new] >= '2018-11-01').sum()):,} 位是 11 月以后")


def test_07_layers(xiayi, summary, rfm):
    layers = customer_layers(summary, rfm, xiayi.events).value_counts()
    assert_prose(NB07, f"以前下过单，但评估期（最近一年）内一单都没有——共 {layers['无订购客户']:,} 位")
    assert_prose(NB07, f"从没下过单，但加购过（行为事件里有“加购”）——共 {layers['无销售客户']:,} 位")
    assert_prose(NB07, f"只关注、浏览或领过券——共 {layers['非订购客户']:,} 位")
    assert_prose(NB07, f"把全部 {len(summary):,} 位客户放在一起看")
    assert_prose(NB07, f"夏艺女装只有 {len(summary):,} 位客户，评估期内有订单的 {len(rfm):,} 位")


def test_07_band_edges_move_with_the_evaluation_day():
    from helpers import rfm_band_edges

    edges = rfm_band_edges("2018-10-31")["最后下单日期不早于"].astype(str)
    assert edges[5] == "2018-09-30" and edges[3] == "2018-06-30"          # 月底退到上个月的最后一天
    assert_prose(NB07, "往前 1 个月是 9 月 30 日（9 月没有 31 日），往前 4 个月是 6 月 30 日")
    day = pd.Timestamp("2018-10-31")
    by_days = [(day - pd.Timedelta(days=d)) for d in (30, 90)]
    assert [d.month for d in by_days] == [10, 8] and [d.day for d in by_days] == [1, 2]
    assert_prose(NB07, f"5 分的分界会落在 {by_days[0].month} 月 {by_days[0].day} 日、"
                       f"4 分的分界落在 {by_days[1].month} 月 {by_days[1].day} 日")


def test_07_members_and_potential_members(xiayi, rfm):
    status = membership_status(xiayi.orders, xiayi.customers, as_of=xiayi.today)
    potential = rfm[rfm.index.isin(status.index[status["status"] == "潜在会员"])]["level"].value_counts()
    assert_prose(NB07, f"潜在会员里也有 {potential['P']:,} 位 P 级、{potential['G']:,} 位 G 级")
    assert_prose(NB07, "`membership_status` 里 `is_member` 为 True 的客户——2018-01-01 以前达到门槛自动入会的")


def test_07_weights(xiayi, rfm):
    equal = rfm_score(xiayi.orders, xiayi.today, weights=(1, 1, 1))
    assert (equal["level"] == "B").all() and equal["score"].max() == 15
    scaled = rfm_score(xiayi.orders, xiayi.today, weights=(1, 1, 1), levels=((14, "P"), (10, "G"), (7, "S"), (0, "B")))
    moves = pd.crosstab(rfm["level"], scaled["level"])
    assert_prose(NB07, f"P 级从 {int((rfm['level'] == 'P').sum())} 位变成 {int((scaled['level'] == 'P').sum())} 位")
    assert_prose(NB07, f"有 {moves.loc['B', 'S']:,} 位 B 级客户升到了 S 级，也有 {moves.loc['S', 'B']:,} 位 S 级客户降到了 B 级")



def test_07_sql_view(xiayi, rfm, tmp_path):
    """“SQL 视图”：R 的分界是 Python 算好的日期常量、M 按分比较、Spark 的写法、放宽 R 的 5 分后谁换了等级。"""
    today = xiayi.today
    query = TEXTBOOK_RFM.to_sql(today)
    edges = [str(day) for day in rfm_band_edges(today)["最后下单日期不早于"]]
    assert all(f"CAST(last_order AS DATE) >= DATE '{day}'" in query for day in edges)
    assert_prose(NB07, f"`DATE '{edges[0]}'` 这样的日期不是 SQL 自己推算的，而是 Python 先按自然月算好")
    m2 = TEXTBOOK_RFM.monetary_min[3]                                   # M 得 2 分的门槛（元）
    assert f"monetary_fen >= {to_fen(m2)}" in query
    assert_prose(NB07, f"`monetary_fen >= {to_fen(m2)}` 就是“M ≥ {yuan_text(to_fen(m2))} 元”")
    start = (today - pd.DateOffset(months=TEXTBOOK_RFM.period_months)).date()
    assert f"order_time >= DATE '{start}' AND order_time < DATE '{(today + pd.Timedelta(days=1)).date()}'" in query
    assert rfm_frame(run(query, orders=xiayi.orders)).equals(rfm)
    # Spark：日期常量和算天数的函数换了写法
    spark = TEXTBOOK_RFM.to_sql(today, dialect="spark")
    assert f"CAST('{edges[0]}' AS DATE)" in spark and "DATEDIFF(" in spark and "DATE_DIFF(" in query
    assert_prose(NB07, f"日期常量写成 `CAST('{edges[0]}' AS DATE)`，算天数的 `DATE_DIFF` 换成 Spark 的 `DATEDIFF`")
    # R 的 5 分放宽到 2 个月：SQL 只变一行，1 分之差只让少数客户换了等级（全是 S → G）
    wider = RFMTable(recency_months=(2, *TEXTBOOK_RFM.recency_months[1:]))
    changed = changed_lines(query, wider.to_sql(today))
    new_edge = (today - pd.DateOffset(months=2)).date()
    assert len(changed) == 1 and f"DATE '{new_edge}' THEN 5" in changed[0]
    after = rfm_score(xiayi.orders, today, table=wider)
    assert rfm_frame(run(wider.to_sql(today), orders=xiayi.orders)).equals(after)
    r_up = int(((rfm["R"] == 4) & (after["R"] == 5)).sum())
    assert r_up == int((rfm["R"] != after["R"]).sum())                   # 变的只有 4 分 → 5 分
    assert TEXTBOOK_WEIGHTS[0] == 1 and (after["score"] - rfm["score"] == after["R"] - rfm["R"]).all()
    assert_prose(NB07, "R 的权重只有 1：5 分放宽以后")
    moves = pd.crosstab(rfm["level"], after["level"])
    moved = int((rfm["level"].astype(str) != after["level"].astype(str)).sum())
    assert moved == moves.loc["S", "G"] > 0
    assert_prose(NB07, f"有 {r_up:,} 位客户的 R 从 4 分变成 5 分，总分各多 1 分，可换了等级的只有 {moved} 位（从 S 级升到 G 级）")
    # engine="duckdb" 直接读 Parquet 文件
    path = tmp_path / "orders.parquet"
    xiayi.orders.to_parquet(path, index=False)
    assert rfm_score(path, today, engine="duckdb").equals(rfm)
    shown = sql_part_outputs(NB07, "sql-07-")
    assert shown.count("完全相同：True") == 3 and "False" not in shown


# ---------------------------------------------------------------- 08 智能触达
def test_08_repurchase(health):
    due = repurchase_due(health.orders, health.items, health.products, as_of=health.today, days=7)
    customers = pd.Index(due["customer_id"].unique())
    opted = health.customers.set_index("customer_id").loc[customers, "sms_opt_out"]
    assert_prose(NB08, f"未来 7 天共有 {len(due)} 个（客户，商品）组合到期，涉及 {len(customers)} 位客户；"
                       f"去掉已退订的客户后，今天给 {int((~opted).sum())} 位客户发复购提醒")


def test_08_carted(xiayi):
    carted = carted_without_order(xiayi.events, xiayi.orders, "2018-06-01", "2018-06-18", "2018-06-01", "2018-06-30")
    back = xiayi.orders[(xiayi.orders["order_time"] >= "2018-07-01") & (xiayi.orders["order_time"] < CASE_DATE)]
    n_back = int(carted.index.isin(back["customer_id"]).sum())
    assert_prose(NB08, f"6.18 加购却没买的客户共 {len(carted):,} 位，其中 {n_back} 位在 7 月到 10 月已经回来下过单")
    assert_prose(NB08, f"6.18 加购未购买的 {len(carted):,} 位客户里，有 {n_back} 位在 7 月至 10 月已经回来买过")
    case_summary = xiayi.summary(as_of=CASE_DATE - pd.Timedelta(days=1))
    plan = plan_sms(case_summary.loc[carted.index], "{昵称}，您在6.18加购的大衣还在购物车里等您~双11当天全店满299减30，先加购不错过！",
                    "夏艺女装", price=0.05)
    assert_prose(NB08, f"{len(carted):,} 位客户里去掉已退订的 {plan.excluded['已退订']} 位和没留手机号的 "
                       f"{plan.excluded['没有手机号']} 位，实际发给 {plan.recipients:,} 人，总费用 {plan.cost:.2f} 元")


def test_08_care(xiayi):
    fans = favourited_never_bought(xiayi.events, xiayi.orders, as_of=CASE_DATE)
    case_summary = xiayi.summary(as_of=CASE_DATE - pd.Timedelta(days=1))
    plan = plan_sms(case_summary.loc[fans.index], "{昵称}，您收藏的宝贝有专属优惠啦！送您10元收藏关怀券，满199可用，11月11日前有效。",
                    "夏艺女装", price=0.05)
    cap = plan.recipients * Coupon(10, threshold=199).face_value
    assert_prose(NB08, f"{len(fans)} 位收藏未购买的客户里，能发短信的有 {plan.recipients} 位：短信费 {plan.cost:.2f} 元，"
                       f"券的成本最多 {cap:,.0f} 元")


def test_08_recall(xiayi):
    funnel, recall = high_potential(xiayi.orders, xiayi.events, xiayi.today, HighPotentialRule(), xiayi.customers)
    left = funnel["剩余客户数"].tolist()
    assert_prose(NB08, f"一年里买过两次以上的老客户有 {left[1]:,} 位；其中 {left[2]:,} 位双11 以来还没下单；"
                       f"再要求最近 30 天还来逛过，剩下 {left[3]:,} 位高潜老客")
    plan = plan_sms(recall, "{昵称}，双12最后几小时！老客专享满399减40，今晚24点结束，您逛过的宝贝别错过~", "夏艺女装", price=0.05)
    schedule = schedule_sends(plan.messages, "2018-12-12 18:00", "2018-12-12 20:00", every_minutes=10)
    batches = batch_table(schedule)
    sizes = sorted(set(batches["人数"]))
    per = f"{sizes[0]} 人" if len(sizes) == 1 else f"{sizes[0]} 或 {sizes[1]} 人"
    assert_prose(NB08, f"{left[3]:,} 位高潜老客里去掉已退订的 {plan.excluded['已退订']} 位和没有手机号的 "
                       f"{plan.excluded['没有手机号']} 位，实际发给 {plan.recipients} 人，分 {len(batches)} 批、每批 {per}，"
                       f"总费用 {plan.cost:.2f} 元")
    assert_prose(NB08, f"这 {plan.recipients} 人里有多少人")
    assert_prose(NB08, f"每 10 分钟一批、每批 {sizes[0]} 人合适吗")
    assert not xiayi.customers.set_index("customer_id").loc[schedule.index, "sms_opt_out"].any()

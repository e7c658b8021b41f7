"""第 00–04 章正文里写的数字，都用 helpers 现算一遍：数据或规则一变，这里就会失败。"""
from functools import lru_cache

import pandas as pd
import pytest

from helpers import Segment, load_shop, plan_sms, sms_length, sms_parts, top_share, with_signature
from helpers.mail import email_recipients
from prose import assert_prose

NB00 = "00_开始之前.ipynb"
NB01 = "01_认识电商CRM.ipynb"
NB02 = "02_客户分组_母亲节.ipynb"
NB03 = "03_短信营销_端午节.ipynb"
NB04 = "04_邮件营销_端午节.ipynb"

TEXT = "亲,端午节特惠抢购中,只需99元即可抢购原价128元蜂胶胶囊一份,先到先得机不可失哦!"
SIGNATURE = "保健品专卖"
PRICE = 0.05
THREE = ["蜂胶胶囊120粒装", "鱼油200粒装", "预售深海鱼油200粒装"]


@lru_cache(maxsize=None)
def shop(name):
    return load_shop(name)


@lru_cache(maxsize=None)
def summary(name, as_of=None):
    s = shop(name)
    return s.summary(as_of=as_of or s.today)


def buyers(name):
    data = summary(name)
    return data[data["order_count"] > 0]


def pct(value):
    return f"{value * 100:.1f}%"


# ---- 00 开始之前 ------------------------------------------------------------

def test_00_today_example():
    assert_prose(NB00, f"例如 A店铺是 {shop('a_kids').today.date()}")


# ---- 01 认识电商 CRM --------------------------------------------------------

def test_01_top_20_percent_shares():
    shares = {n: top_share(buyers(n)["total_amount"], 0.2) for n in ("a_kids", "health", "xiayi")}
    assert_prose(NB01, f"前 20% 的买家分别贡献了 {pct(shares['a_kids'])}（A店铺）、{pct(shares['health'])}"
                       f"（保健品专卖）和 {pct(shares['xiayi'])}（夏艺女装）的销售额")
    # “三家都没有达到 80%”“约五成到六成”
    assert all(0.45 <= v < 0.65 for v in shares.values())


def test_01_repurchase_rates():
    rate = {n: (buyers(n)["order_count"] >= 2).mean() for n in ("a_kids", "health", "xiayi")}
    assert_prose(NB01, f"A店铺的二次购买率是 {pct(rate['a_kids'])}，保健品专卖是 {pct(rate['health'])}，"
                       f"夏艺女装只有 {pct(rate['xiayi'])}")
    assert_prose(NB01, f"夏艺女装的二次购买率只有 {pct(rate['xiayi'])}")
    assert min(rate, key=rate.get) == "xiayi"
    assert all(0.35 <= v <= 0.5 for v in rate.values())          # “在四成上下”


def test_01_profit_ratio_a_kids():
    s = shop("a_kids")
    lines = (s.items.merge(s.products[["product", "margin"]], on="product")
             .merge(s.orders[["order_id", "customer_id"]], on="order_id"))
    profit = (lines["amount"] * lines["margin"]).groupby(lines["customer_id"]).sum()
    b = buyers("a_kids")
    profit = profit.reindex(b.index)
    repeat = b["order_count"] >= 2
    ratio = profit[repeat].mean() / profit[~repeat].mean()
    assert_prose(NB01, f"A店铺回头客的人均毛利约是只买过一次的客户的 {ratio:.1f} 倍")
    assert ratio < 16


def test_01_monthly_peaks():
    orders = shop("a_kids").orders
    fen = orders["amount"].mul(100).round().astype("int64")
    monthly = fen.groupby(orders["order_time"].dt.to_period("M")).sum()
    top2 = sorted(str(p) for p in monthly.nlargest(2).index)
    assert top2 == ["2014-11", "2015-01"]
    assert_prose(NB01, "两个高峰分别是 2014 年 11 月（双11）和 2015 年 1 月")


# ---- 02 客户分组：母亲节 -----------------------------------------------------

STEPS = dict(min_orders=2, min_avg_order_value=200, gender="女", last_order_after="2015-03-01",
             products=["新生儿枕头"], regions=["上海"])


def mothers_day(**changes):
    return Segment("母亲节", "母亲节促销", **{**STEPS, **changes})


def test_02_group_size_and_funnel():
    data = summary("a_kids")
    funnel, group = mothers_day().run(data)
    assert_prose(NB02, f"保存后，“母亲节”分组共 {len(group)} 位客户")
    removed = funnel.set_index("条件")["本步去掉"]
    left = funnel.set_index("条件")["剩余客户数"]
    # “订单总数 ≥ 2 这一条就去掉了一半以上的客户”
    assert removed["订单总数 ≥ 2 笔"] > len(data) / 2
    # “‘最后下单时间’和‘商品范围’又各去掉一大半”
    last = "最后下单时间在 2015-03-01 当天或之后"
    product = "买过“新生儿枕头”"
    assert removed[last] > (left[last] + removed[last]) / 2
    assert removed[product] > (left[product] + removed[product]) / 2


def test_02_goal_reading_side_by_side():
    data = summary("a_kids")
    steps = mothers_day().select(data)
    goal = mothers_day(min_orders=3, min_avg_order_value=100.01).select(data)
    both = steps.index.intersection(goal.index)
    assert_prose(NB02, f"按步骤口径是 {len(steps)} 位客户，按目标口径是 {len(goal)} 位，两组都有的只有 {len(both)} 位")


def test_02_boundary_customers_exist():
    data = summary("a_kids")
    near = Segment("边界", min_orders=2, gender="女", last_order_after="2015-03-01", regions=["上海"]).select(data)
    fen = near["total_amount"].mul(100).round().astype("int64")
    pillow = Segment("枕头", products=["新生儿枕头"]).select(data).index
    at_100 = near[fen.eq(10000 * near["order_count"]) & near["order_count"].eq(3) & near.index.isin(pillow)]
    at_200 = near[fen.eq(20000 * near["order_count"])]
    assert len(at_100) > 0 and len(at_200) > 0
    assert_prose(NB02, "恰好 100.00 元、下过 3 单又买过新生儿枕头的客户")


def test_02_romper_reading():
    data = summary("a_kids")
    steps = mothers_day().select(data)
    romper = mothers_day(products=["幼儿连体衣"]).select(data)
    both = steps.index.intersection(romper.index)
    assert_prose(NB02, f"换成幼儿连体衣是 {len(romper)} 位客户，两组重合的只有 {len(both)} 位")


def test_02_fixed_date_drift():
    today = pd.Timestamp("2015-06-01")
    data = summary("a_kids", today)
    fixed = mothers_day().select(data)
    rolling = mothers_day(last_order_after=today - pd.DateOffset(months=2)).select(data)
    assert_prose(NB02, f"“最近 2 个月”只剩 {len(rolling)} 位客户，而写死的日期仍然选出 {len(fixed)} 位")
    # “其中有些人已经三个月没来过了”：最后下单在 2015-04-01 之前
    assert (fixed["last_order"] < pd.Timestamp("2015-04-01")).any()
    # 今天 = 2015-05-01 时两种写法一致
    base = summary("a_kids")
    same_day = mothers_day(last_order_after=shop("a_kids").today - pd.DateOffset(months=2)).select(base)
    assert same_day.index.equals(mothers_day().select(base).index)


# ---- 03 短信营销：端午节 -----------------------------------------------------

SMS_RULES = dict(min_orders=1, last_order_after="2016-01-01", min_points=1, regions=["上海"])


def sms_audience():
    return Segment("端午短信", products=["蜂胶胶囊120粒装"], **SMS_RULES).select(summary("health"))


def test_03_two_names_one_group():
    audience = sms_audience()
    by_title = Segment("端午短信", products=["买3送1BCCJ天然蜂胶胶囊"], **SMS_RULES).select(summary("health"))
    assert audience.index.equals(by_title.index)
    assert_prose(NB03, f"两种写法选出的是同一群人，共 {len(audience)} 位客户")


def test_03_plan_and_cost():
    audience = sms_audience()
    plan = plan_sms(audience, TEXT, SIGNATURE, price=PRICE)
    full = with_signature(TEXT, SIGNATURE)
    assert sms_parts(full) == 1
    assert_prose(NB03, f"{len(audience)} 位目标客户里，{plan.excluded['已退订']} 位已经退订营销短信，"
                       f"{plan.excluded['没有手机号']} 位没有留手机号，所以实际发给 {plan.recipients} 人；"
                       f"每人 1 条，共计费 {plan.total_parts} 条，总费用 {plan.cost:.2f} 元")
    assert_prose(NB03, f"{sms_length(full)} 字就是上面这条短信")
    assert_prose(NB03, f"回复过“退订”的 {plan.excluded['已退订']} 位客户")


def test_03_personal_messages_stay_single():
    plan = plan_sms(sms_audience(), "{昵称}," + TEXT.removeprefix("亲,"), SIGNATURE, price=PRICE)
    assert plan.messages["length"].max() <= 70
    assert_prose(NB03, "最长的一条也没有超过 70 字")


def test_03_longer_text_doubles_cost():
    audience = sms_audience()
    short = plan_sms(audience, TEXT, SIGNATURE, price=PRICE)
    longer = plan_sms(audience, TEXT + "另有鱼油、钙片满199减30,详情进店查看。", SIGNATURE, price=PRICE)
    extra = sms_length(longer.template) - sms_length(short.template)
    assert_prose(NB03, f"只多了 {extra} 个字，短信变成 {sms_length(longer.template)} 字，"
                       f"每人按 {sms_parts(longer.template)} 条计费，总费用从 {short.cost:.2f} 元变成 {longer.cost:.2f} 元")


# ---- 04 邮件营销：端午节 -----------------------------------------------------

def email_audience():
    return Segment("端午邮件", min_orders=1, min_total_amount=100, min_items=1, last_order_after="2016-01-01",
                   min_points=1, products=THREE).select(summary("health"))


def test_04_audience_and_reach():
    audience = email_audience()
    recipients, excluded = email_recipients(audience)
    assert_prose(NB04, f"目标客户共 {len(audience)} 位，比上一章短信的 {len(sms_audience())} 位多得多")
    assert_prose(NB04, f"{len(audience)} 位目标客户中，{excluded['已退订']} 位退订了营销邮件，"
                       f"{excluded['没有邮箱']} 位没有留邮箱，最终能发送的是 {len(recipients)} 位")
    assert_prose(NB04, f"没有邮箱的 {excluded['没有邮箱']} 位客户")
    share = excluded["没有邮箱"] / len(audience)
    assert 0.35 <= share < 0.40                                     # “将近四成”


def test_04_items_rule_removes_nobody():
    funnel = Segment("端午邮件", min_orders=1, min_total_amount=100, min_items=1, last_order_after="2016-01-01",
                     min_points=1, products=THREE).funnel(summary("health"))
    assert funnel.set_index("条件").loc["购买商品总数 ≥ 1 件", "本步去掉"] == 0
    assert_prose(NB04, "“购买商品总数 ≥ 1”这一条没有去掉任何人")


def test_04_presale_start():
    s = shop("health")
    lines = s.items.merge(s.orders[["order_id", "order_time"]], on="order_id")
    first = lines.loc[lines["product"] == "预售深海鱼油200粒装", "order_time"].min()
    assert first.date() == pd.Timestamp("2016-03-20").date()
    assert_prose(NB04, "2016 年 3 月 20 日才开始预售的预售深海鱼油200粒装")


def test_04_sms_reading_side_by_side():
    plan = plan_sms(email_audience(), TEXT, SIGNATURE, price=PRICE)
    assert_prose(NB04, f"能发送的有 {plan.recipients} 人，比邮件多出不少，费用是 {plan.cost:.2f} 元")
    assert plan.recipients > len(email_recipients(email_audience())[0])


@pytest.mark.parametrize("notebook", [NB00, NB01, NB02, NB03, NB04])
def test_chapter_numbers_in_titles(notebook):
    assert_prose(notebook, f"# {notebook[:2]} ")


def test_01_xiayi_group_buy_explains_low_repurchase():
    # “团购带来了大批新客户，其中大多数之后再也没有回来”
    b = buyers("xiayi")
    joined = b["register_date"].between("2018-01-05", "2018-01-09")
    assert joined.sum() > 1000
    assert (b.loc[joined, "order_count"] == 1).mean() > 0.5
    assert_prose(NB01, "团购带来了大批新客户，其中大多数之后再也没有回来")


def test_02_03_holiday_dates():
    may_sundays = pd.date_range("2015-05-01", "2015-05-31", freq="W-SUN")
    assert may_sundays[1] == pd.Timestamp("2015-05-10")             # 母亲节：5 月第二个星期日
    assert_prose(NB02, "2015 年的母亲节是 5 月 10 日")
    assert_prose(NB03, "2016 年的端午节是 6 月 9 日")                # 农历五月初五，见 datasets/README.md


# ---- 第 10 号议题补充：客单价与平均订单价、成为客户日期、日历月 ------------------

def test_01_register_date_is_objective_data_not_a_transaction():
    import json
    from prose import ROOT

    assert_prose(NB01, "以及成为本店客户的日期（第一次关注、注册或下单的那天）")
    assert_prose(NB01, "成为客户的日期不算交易记录：只关注、从没下过单的客户也有这一天")
    # 只关注、没下过单的客户确实有成为客户日期
    c = shop("a_kids").customers
    no_order = ~c["customer_id"].isin(shop("a_kids").orders["customer_id"])
    assert no_order.any() and c.loc[no_order, "register_date"].notna().all()
    # 课文里“三类信息”那张表：成为客户日期在客观资料一行，不在交易记录一行
    cells = json.loads((ROOT / "notebooks" / NB01).read_text(encoding="utf-8"))["cells"]
    table = next(c for c in cells if c["cell_type"] == "code" and "kinds = {" in "".join(c["source"]))
    shown = "".join(table["outputs"][0]["data"]["text/plain"])
    rows = {line.split()[0]: line for line in shown.splitlines() if line.strip()}
    assert "成为客户日期" in rows["客观资料"] and "成为客户日期" not in rows["交易记录"]


def test_02_average_order_value_versus_per_buyer():
    group = mothers_day().select(summary("a_kids"))
    fen = int(group["total_amount"].mul(100).round().astype("int64").sum())
    per_order = fen / group["order_count"].sum() / 100
    per_buyer = fen / int((group["order_count"] > 0).sum()) / 100
    orders_each = group["order_count"].sum() / len(group)
    assert_prose(NB02, f"母亲节分组的平均订单价是 {per_order:.2f} 元，客单价是 {per_buyer:.2f} 元：这 {len(group)} 位妈妈"
                       f"平均每人下过 {orders_each:.1f} 笔订单，所以按人算的客单价差不多是按订单算的平均订单价的 "
                       f"{orders_each:.1f} 倍")


def test_04_calendar_months_versus_30_days():
    today = shop("health").today
    assert today - pd.DateOffset(months=5) == pd.Timestamp("2016-01-01")
    assert_prose(NB04, "今天是 2016-06-01，往前推 5 个月正好是 2016-01-01")
    gap = ((today - pd.Timedelta(days=150)) - (today - pd.DateOffset(months=5))).days
    assert gap == 2
    assert_prose(NB04, "两种算法差了两天")


def test_04_thinking_question_on_the_sms_wording():
    # 思考题 4（教材矛盾 8）：邮件案例的步骤里写成了“短信活动列表”“短信内容：文字+图片”
    assert_prose(NB04, "第 ② 步说“在短信活动列表中……”，保存内容时又把内容叫作“短信内容：文字+图片……”")


def test_01_concepts_from_the_courseware():
    for phrase in ("理念", "机制", "软件", "| 操作型 |", "| 分析型 |", "| 协作型（也叫合作型） |",
                   "1. 识别客户", "2. 分析客户之间的差异", "3. 和客户保持主动的对话", "4. 按每位客户的需要调整商品和服务",
                   "1. 设计运营体系", "2. 找工具", "3. 文案", "4. 人员", "5. 效果分析",
                   "| 自然环境 |", "叫主动营销，它最直接的作用是带来复购", "叫互动营销，它培养的是客户对店铺的归属感和黏性"):
        assert_prose(NB01, phrase)

"""第 11 课正文里写的数字，都用 helpers 现算一遍核对。"""
import pytest

from helpers import top_share
from helpers.products_analysis import (abc_classes, abc_summary, first_orders, new_vs_old, order_lines,
                                       product_pairs, product_sales, purchase_gaps, repurchase_cycles)
from prose import assert_prose

NB = "11_商品销售分析.ipynb"


@pytest.fixture(scope="module")
def xiayi_sales(xiayi):
    return product_sales(xiayi.orders, xiayi.items, as_of=xiayi.today)


def test_top_products(xiayi_sales):
    first = xiayi_sales.index[0]
    assert_prose(NB, f"销售额第一的是{first}，占全店销售额的 {xiayi_sales['sales_share'].iloc[0]:.1%}")
    by_units = xiayi_sales.sort_values(["units", "sales"], ascending=False)
    assert_prose(NB, f"销量第一的却是{by_units.index[0]}，卖出 {by_units['units'].iloc[0]:,} 件")
    sales_rank = list(xiayi_sales.index).index("羊毛围巾") + 1
    units_rank = list(by_units.index).index("羊毛围巾") + 1
    assert_prose(NB, f"羊毛围巾单价低，销售额只排第 {sales_rank}，销量却排第 {units_rank}")


def test_top_products_of_a_month(xiayi):
    jan = product_sales(xiayi.orders, xiayi.items, start="2018-01-01", as_of="2018-01-31")
    assert jan.index[0] == "茧型毛呢外套" and jan.index[0] != product_sales(xiayi.orders, xiayi.items).index[0]
    assert_prose(NB, f"2018 年 1 月销售额第一的是{jan.index[0]}")


def test_pareto_and_abc(xiayi, xiayi_sales):
    n = len(xiayi_sales)
    k = -(-n * 2 // 10)
    buyers = xiayi.summary()
    buyers = buyers[buyers["order_count"] > 0]
    assert_prose(NB, f"夏艺女装的 {n} 种商品里，前 20% 的商品（{k} 种）只贡献了 "
                     f"{top_share(xiayi_sales['sales'], 0.2):.1%} 的销售额，而前 20% 的买家贡献了 "
                     f"{top_share(buyers['total_amount'], 0.2):.1%}")
    s = abc_summary(abc_classes(xiayi_sales["sales"]))
    assert_prose(NB, f"A 类有 {s.loc['A', '商品数（种）']} 种商品（占商品种数的 {s.loc['A', '商品数占比']:.1%}），"
                     f"贡献了 {s.loc['A', '销售额占比']:.1%} 的销售额")
    assert_prose(NB, f"C 类 {s.loc['C', '商品数（种）']} 种商品")


def test_pairs(xiayi):
    lines = order_lines(xiayi.orders, xiayi.items, as_of=xiayi.today)
    pairs = product_pairs(xiayi.orders, xiayi.items, as_of=xiayi.today)
    top = pairs.iloc[0]
    assert {top["product"], top["also_bought"]} == {"茧型毛呢外套", "羊毛双面呢大衣"}
    assert_prose(NB, f"一起出现最多的组合是茧型毛呢外套和羊毛双面呢大衣，一起出现在 {top['orders_together']} 笔订单里，"
                     f"提升度却只有 {top['lift']:.2f}")
    assert top["lift"] < 1                                                      # 负相关
    sales = product_sales(xiayi.orders, xiayi.items, as_of=xiayi.today)
    assert set(sales.index[:2]) == {"茧型毛呢外套", "羊毛双面呢大衣"}            # “全店卖得最多的两款”
    strong = pairs[(pairs["orders_together"] >= 20)].sort_values(["lift", "product"], ascending=[False, True])
    best = strong.iloc[0]
    assert {best["product"], best["also_bought"]} == {"连衣裙", "衬衫"}
    assert_prose(NB, f"提升度最高的是连衣裙和衬衫，提升度 {best['lift']:.2f}")
    cashmere = pairs[(pairs["product"] == "羊绒大衣") & (pairs["also_bought"] == "水波纹羊绒大衣")].iloc[0]
    assert_prose(NB, f"羊绒大衣和水波纹羊绒大衣也常出现在同一笔订单里（提升度 {cashmere['lift']:.2f}）")
    assert lines["order_id"].nunique() == len(xiayi.orders)


def test_repurchase(health):
    c = repurchase_cycles(health.orders, health.items, products=health.products, as_of=health.today)
    has = c.dropna(subset=["median_days"])
    assert (has["median_days"] > has["repurchase_days"]).all()
    assert_prose(NB, f"有回购记录的 {len(has)} 种商品，实际间隔的中位数全部比商品表写的复购周期长")
    assert c.loc["预售深海鱼油200粒装", "gaps"] == 0
    worst = has["diff_days"].idxmax()
    assert_prose(NB, f"差得最多的是{worst}，长了 {has.loc[worst, 'diff_days']:.0f} 天")
    top_units = product_sales(health.orders, health.items, as_of=health.today)["units"].idxmax()
    p = c.loc["蜂胶胶囊120粒装"]
    assert top_units == "蜂胶胶囊120粒装"
    assert_prose(NB, f"销量最大的蜂胶胶囊120粒装实际间隔中位数是 {p['median_days']:.0f} 天，"
                     f"商品表写的是 {p['repurchase_days']:.0f} 天")
    assert_prose(NB, f"蜂胶胶囊每件可用 {p['median_days_per_unit']:.0f} 天")
    gaps = purchase_gaps(health.orders, health.items, as_of=health.today)
    by_qty = gaps[gaps["product"] == "蜂胶胶囊120粒装"].groupby("previous_quantity")["gap_days"].median()
    assert by_qty[1] < by_qty[2] < by_qty[3]                                    # 买得越多，下次来得越晚
    assert_prose(NB, f"上一次只买了 1 盒的客户，再买的间隔中位数是 {by_qty[1]:.0f} 天，和商品表的 "
                     f"{p['repurchase_days']:.0f} 天差得不多；上一次买了 3 盒的，中位数是 {by_qty[3]:.0f} 天")


def test_new_vs_old(xiayi):
    nv = new_vs_old(xiayi.orders, xiayi.items, as_of=xiayi.today)
    cocoon = nv.loc["茧型毛呢外套"]
    assert nv.index[0] == "茧型毛呢外套"
    lines = order_lines(xiayi.orders, xiayi.items, as_of=xiayi.today)
    first = lines[lines["order_id"].map(first_orders(xiayi.orders, as_of=xiayi.today))
                  & (lines["product"] == "茧型毛呢外套")]
    group_buy = first["order_time"].dt.normalize().between("2018-01-05", "2018-01-09").sum()
    assert_prose(NB, f"茧型毛呢外套一共把 {int(cocoon['new_buyers']):,} 位客户带进了店，其中 {group_buy:,} 位是 "
                     "2018 年 1 月 5 日至 9 日聚划算团购时来的")
    assert_prose(NB, f"新客占比高达 {cocoon['new_share']:.1%}，但这些新客户的回头率只有 {cocoon['return_rate']:.1%}")
    assert_prose(NB, f"羊毛双面呢大衣拉来的新客户回头率是 {nv.loc['羊毛双面呢大衣', 'return_rate']:.1%}")
    lowest = nv["new_share"].idxmin()
    assert_prose(NB, f"新客占比最低的是{lowest}（{nv.loc[lowest, 'new_share']:.1%}）")

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import RFMTable, TEXTBOOK_RFM, rfm_band_edges, rfm_level, rfm_score
from conftest import make_orders


def score_of(rows, as_of, **kw):
    return rfm_score(make_orders(rows), as_of, **kw)


# ---- R：按自然月，恰好 n 个月前归入较近的一档 ----
@pytest.mark.parametrize("last, expected", [
    ("2018-12-10", 5), ("2018-11-10", 5),            # 恰好 1 个月前 → 5 分
    ("2018-11-09", 4), ("2018-09-10", 4),            # 恰好 3 个月前 → 4 分
    ("2018-09-09", 3), ("2018-08-10", 3),            # 恰好 4 个月前 → 3 分
    ("2018-08-09", 2), ("2018-05-10", 2),            # 恰好 7 个月前 → 2 分
    ("2018-05-09", 1), ("2017-12-10", 1),            # 恰好 12 个月前 → 仍在评估期内，1 分
])
def test_recency_bands(last, expected):
    out = score_of([("A", last + " 18:30:00", 100)], "2018-12-10")
    assert out.loc["A", "R"] == expected


def test_recency_month_end_clips_to_leap_day():
    # 2016-03-31 往前 1 个月是 2016-02-29（闰年月末）
    out = score_of([("A", "2016-02-29 09:00", 10), ("B", "2016-02-28 23:59", 10)], "2016-03-31")
    assert out.loc["A", "R"] == 5 and out.loc["B", "R"] == 4
    edges = rfm_band_edges("2016-03-31")
    assert str(edges.loc[5, "最后下单日期不早于"]) == "2016-02-29"
    assert str(edges.loc[1, "最后下单日期不早于"]) == "2015-03-31"


def test_recency_month_end_non_leap():
    # 2015-03-31 往前 1 个月是 2015-02-28；往前 4 个月是 2014-11-30
    out = score_of([("A", "2015-02-28", 10), ("B", "2015-02-27", 10), ("C", "2014-11-30", 10),
                    ("D", "2014-11-29", 10)], "2015-03-31")
    assert out["R"].to_dict() == {"A": 5, "B": 4, "C": 3, "D": 2}


def test_period_edges_and_orders_after_as_of():
    out = score_of([
        ("A", "2017-12-10 00:00:00", 100),   # 恰好 12 个月前：计入
        ("A", "2017-12-09 23:59:59", 100),   # 早一天：不计入
        ("A", "2018-12-10 23:59:59", 100),   # as_of 当天：计入
        ("A", "2018-12-11 00:00:00", 100),   # as_of 之后：不计入
        ("B", "2017-12-09 12:00:00", 999),   # 评估期内没有订单：不打分
    ], "2018-12-10")
    assert list(out.index) == ["A"]
    assert out.loc["A", "frequency"] == 2
    assert out.loc["A", "monetary"] == 200.00
    assert out.loc["A", "recency_days"] == 0


@pytest.mark.parametrize("n, expected", [(1, 1), (2, 2), (3, 3), (4, 4), (5, 4), (6, 5), (11, 5)])
def test_frequency_bands(n, expected):
    out = score_of([("A", f"2018-11-{d + 1:02d}", 1) for d in range(n)], "2018-12-10")
    assert out.loc["A", "F"] == expected


@pytest.mark.parametrize("amount, expected", [
    (0, 1), (299.99, 1), (299.5, 1), (300.00, 2), (499.99, 2), (500.00, 3), (999.99, 3),
    (999.5, 3), (1000.00, 4), (1999.99, 4), (2000.00, 5), (123456.78, 5),
])
def test_monetary_half_open_bands_with_jiao_and_fen(amount, expected):
    out = score_of([("A", "2018-12-01", amount)], "2018-12-10")
    assert out.loc["A", "M"] == expected


def test_monetary_float_sum_hits_band_edge_exactly():
    amounts = [54.09, 38.86, 148.75, 55.84, 2.46]   # 合计 300.00
    out = score_of([("A", f"2018-11-0{i + 1}", a) for i, a in enumerate(amounts)], "2018-12-10")
    assert out.loc["A", "monetary"] == 300.00
    assert out.loc["A", "M"] == 2


def test_score_and_level_textbook_example():
    # R=5（2018-12-01），F=3（3 单），M=3（合计 600.00）：1×5 + 3×3 + 4×3 = 26 → G
    out = score_of([("A", "2018-10-01", 200), ("A", "2018-11-01", 200), ("A", "2018-12-01", 200)], "2018-12-10")
    row = out.loc["A"]
    assert (row["R"], row["F"], row["M"], row["score"], row["level"]) == (5, 3, 3, 26, "G")


@pytest.mark.parametrize("score, level", [(40, "P"), (36, "P"), (35, "G"), (26, "G"), (25, "S"),
                                          (17, "S"), (16, "B"), (8, "B")])
def test_level_edges(score, level):
    assert rfm_level(pd.Series([score]))[0] == level


def test_weights_and_table_are_data():
    rows = [("A", "2018-12-01", 2500)]           # R=5, F=1, M=5
    assert score_of(rows, "2018-12-10").loc["A", "score"] == 1 * 5 + 3 * 1 + 4 * 5
    assert score_of(rows, "2018-12-10", weights=(1, 1, 1)).loc["A", "score"] == 11
    table = RFMTable(monetary_min=(5000, 3000, 2000, 1000, 0))
    assert score_of(rows, "2018-12-10", table=table).loc["A", "M"] == 3
    six = RFMTable(recency_months=(1, 2, 3, 4, 6))
    out = score_of([("A", "2018-06-10", 1), ("B", "2018-06-09", 1)], "2018-12-10", table=six)
    assert list(out.index) == ["A"]              # 评估期缩短为 6 个月


@pytest.mark.parametrize("kw, message", [
    (dict(recency_months=(1, 3, 4, 7)), "需要 5 个数"),
    (dict(recency_months=(3, 1, 4, 7, 12)), "从小到大"),
    (dict(monetary_min=(300, 500, 1000, 2000, 0)), "从大到小"),
])
def test_bad_tables_rejected(kw, message):
    with pytest.raises(ValueError, match=message):
        RFMTable(**kw)


def test_bad_input_errors():
    with pytest.raises(ValueError, match="as_of 不是有效的日期"):
        score_of([("A", "2018-12-01", 1)], "2018-02-30")
    with pytest.raises(ValueError, match="负数金额"):
        score_of([("A", "2018-12-01", -1)], "2018-12-10")
    with pytest.raises(ValueError, match="缺少必需的列：amount"):
        rfm_score(make_orders([("A", "2018-12-01", 1)]).drop(columns="amount"), "2018-12-10")
    with pytest.raises(ValueError, match="weights 需要 3 个数"):
        score_of([("A", "2018-12-01", 1)], "2018-12-10", weights=(1, 3))


def test_textbook_table_as_frame():
    frame = TEXTBOOK_RFM.to_frame()
    assert frame.loc[5, "R（最近一次购买距今）"] == "R ≤ 1 个月"
    assert frame.loc[4, "F（购买次数）"] == "4 ≤ F ≤ 5"
    assert frame.loc[2, "M（消费金额）"] == "300 ≤ M < 500 元"


# ---- 性质测试 ----
order_rows = st.lists(
    st.tuples(st.sampled_from(["A", "B", "C"]),
              st.dates(min_value=pd.Timestamp("2017-11-01").date(), max_value=pd.Timestamp("2018-12-20").date()),
              st.integers(min_value=0, max_value=400_000).map(lambda fen: fen / 100)),
    min_size=1, max_size=30)


@settings(max_examples=150, deadline=None)
@given(order_rows)
def test_score_range_and_level_monotone(rows):
    out = score_of([(c, d.isoformat(), a) for c, d, a in rows], "2018-12-10")
    assert out["score"].between(8, 40).all()
    rank = {"B": 0, "S": 1, "G": 2, "P": 3}
    ordered = out.sort_values("score")
    ranks = ordered["level"].map(rank).astype(int).tolist()
    assert ranks == sorted(ranks)


@settings(max_examples=150, deadline=None)
@given(order_rows, st.sampled_from(["A", "B", "C"]),
       st.dates(min_value=pd.Timestamp("2017-12-10").date(), max_value=pd.Timestamp("2018-12-10").date()),
       st.integers(min_value=0, max_value=100_000))
def test_adding_an_order_never_lowers_f_or_m(rows, customer, day, fen):
    base = [(c, d.isoformat(), a) for c, d, a in rows]
    before = score_of(base, "2018-12-10")
    after = score_of(base + [(customer, day.isoformat(), fen / 100)], "2018-12-10")
    assert customer in after.index
    if customer in before.index:
        for col in ("F", "M", "R", "frequency"):
            assert after.loc[customer, col] >= before.loc[customer, col]
        assert after.loc[customer, "monetary"] >= before.loc[customer, "monetary"]


# ---- 大店铺的快速做法：客户编号编成整数代码（等长的数字编号按字节读），结果和 DuckDB、一般做法相同 ----
ID_STYLES = {
    "prefixed": lambda i: f"C{i:07d}",                                   # 等长，值域紧凑：查表排序
    "sparse": lambda i: f"{(i * 982_451_653_117) % 10**18:018d}",       # 等长，值域稀疏：整数哈希
    "zeros": lambda i: "0" * (i % 3) + str(i // 3),                     # 不等长："07" 和 "7" 是两个人
    "chinese": lambda i: f"会员{i:04d}",
    "text": lambda i: f"客户-{i}",
}


@pytest.mark.parametrize("style", sorted(ID_STYLES))
def test_rfm_fast_path_equals_duckdb_and_object_ids(style):
    from pandas.testing import assert_frame_equal

    rng = np.random.default_rng(len(style))
    n = 3000
    orders = pd.DataFrame({
        "order_id": [str(i) for i in range(n)],
        "customer_id": pd.Series([ID_STYLES[style](i) for i in rng.integers(0, 800, n)], dtype="str"),
        "order_time": pd.Timestamp("2017-06-01") + pd.to_timedelta(rng.integers(0, 600 * 86400, n), unit="s"),
        "amount": rng.integers(0, 300_000, n) / 100,
    })
    got = rfm_score(orders, "2018-12-10")
    assert_frame_equal(got, rfm_score(orders, "2018-12-10", engine="duckdb"))
    assert_frame_equal(got, rfm_score(orders.astype({"customer_id": object}), "2018-12-10"))
    assert got.index.is_monotonic_increasing and got.index.is_unique
    assert got["frequency"].sum() == ((orders["order_time"] >= "2017-12-10")
                                      & (orders["order_time"] < "2018-12-11")).sum()


def test_level_is_a_categorical_of_the_given_levels():
    levels = ((20, "高"), (10.5, "中"), (0, "低"))
    out = rfm_level(pd.Series([25, 20, 19.5, 10.5, 3], index=list("abcde")), levels)
    assert out.tolist() == ["高", "高", "中", "中", "低"] and list(out.index) == list("abcde")
    assert list(out.cat.categories) == ["高", "中", "低"] and not out.cat.ordered and out.name == "level"

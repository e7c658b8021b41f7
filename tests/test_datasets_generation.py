"""datasets/ 里的模拟数据：能逐字节重新生成，并且内部一致（金额、编号、日期）。

只用标准库读 CSV，金额一律换算成整数“分”再比较。
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
GENERATOR = DATASETS / "generate.py"
BOM = b"\xef\xbb\xbf"

# 每家店铺的数据写到哪一天零点之前：a_kids、health 就是案例的“今天”；
# 夏艺女装的案例“今天”是 2018-12-10，文件里还有到 2019-02-15 的数据（第 12 章回看双12活动）
SHOPS = {"a_kids": "2015-05-01", "health": "2016-06-01", "xiayi": "2019-02-16"}
XIAYI_CASE_TODAY = "2018-12-10"
TABLES = {
    "customers": ["customer_id", "nickname", "gender", "age", "province", "city", "occupation",
                  "points", "phone", "email", "sms_opt_out", "email_opt_out", "register_date",
                  "card_claimed_date"],
    "orders": ["order_id", "customer_id", "order_time", "amount", "channel"],
    "items": ["order_id", "product", "quantity", "amount"],
    "products": ["product", "title", "category", "price", "margin", "repurchase_days"],
    "events": ["customer_id", "event_time", "event", "product", "session_id"],
    "campaigns": ["campaign_id", "name", "channel", "audience_rule", "send_time", "message", "shop_name",
                  "sms_price", "coupon_value", "coupon_threshold", "coupon_end", "holdout_share"],
    "campaign_members": ["campaign_id", "customer_id", "group", "coupon_order_id"],
    "ads": ["plan", "tool", "start_date", "end_date", "impressions", "clicks", "cost", "orders", "revenue"],
}
XIAYI_EXTRA = ["events", "campaigns", "campaign_members", "ads"]


def shop_tables(shop: str) -> list[str]:
    return ["customers", "orders", "items", "products"] + (XIAYI_EXTRA if shop == "xiayi" else [])


def csv_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.glob("*/*.csv"))


def read(shop: str, table: str) -> list[dict]:
    raw = (DATASETS / shop / f"{table}.csv").read_bytes()
    text = raw.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def fen(text: str) -> int:
    """'54.09' → 5409：恰好两位小数。"""
    yuan, cents = text.split(".")
    assert len(cents) == 2, f"金额 {text!r} 不是两位小数"
    return int(yuan) * 100 + int(cents)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("regenerated")
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(out), "--no-report"],
                   check=True, cwd=ROOT, capture_output=True, timeout=300)
    return out


def test_regeneration_is_byte_identical(regenerated):
    committed = csv_files(DATASETS)
    assert committed == csv_files(regenerated), "重新生成的文件清单与仓库中的不同"
    assert len(committed) == 16
    for name in committed:
        assert (regenerated / name).read_bytes() == (DATASETS / name).read_bytes(), (
            f"{name} 重新生成后与仓库中的不同：请运行 python datasets/generate.py 并提交结果")


def test_generator_uses_only_legacy_random_state():
    source = GENERATOR.read_text(encoding="utf-8")
    assert "default_rng" not in source
    assert "import random" not in source


@pytest.mark.parametrize("shop", SHOPS)
def test_files_have_bom_header_and_lf(shop):
    for table in shop_tables(shop):
        raw = (DATASETS / shop / f"{table}.csv").read_bytes()
        assert raw.startswith(BOM), f"{shop}/{table}.csv 缺少 UTF-8 BOM"
        assert b"\r" not in raw and raw.endswith(b"\n")
        header = raw[len(BOM):].split(b"\n", 1)[0].decode("utf-8").split(",")
        assert header == TABLES[table], f"{shop}/{table}.csv 的列不对：{header}"
    for table in XIAYI_EXTRA:
        assert not (DATASETS / shop / f"{table}.csv").exists() or shop == "xiayi"


@pytest.mark.parametrize("shop", SHOPS)
def test_orders_items_customers_consistent(shop):
    today = SHOPS[shop]
    customers = read(shop, "customers")
    orders = read(shop, "orders")
    items = read(shop, "items")
    products = {p["product"] for p in read(shop, "products")}

    ids = [c["customer_id"] for c in customers]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    known = set(ids)

    order_ids = [o["order_id"] for o in orders]
    assert len(set(order_ids)) == len(order_ids), "订单号重复"
    assert all(len(o) == 16 and o.isdigit() and o[0] != "0" for o in order_ids)
    keys = [(o["order_time"], o["order_id"]) for o in orders]
    assert keys == sorted(keys), "订单没有按下单时间、订单号排序"
    assert all(o["customer_id"] in known for o in orders), "订单里有不存在的客户"
    assert all(o["order_time"] < today + " 00:00:00" for o in orders), "有订单在“今天”或之后"
    assert {o["channel"] for o in orders} <= {"无线", "PC"}

    line_sum: dict[str, int] = {}
    for it in items:
        assert it["product"] in products, f"未知商品 {it['product']}"
        assert int(it["quantity"]) >= 1 and fen(it["amount"]) > 0
        line_sum[it["order_id"]] = line_sum.get(it["order_id"], 0) + fen(it["amount"])
    item_keys = [(it["order_id"], it["product"]) for it in items]
    assert item_keys == sorted(item_keys) and len(set(item_keys)) == len(item_keys)
    for o in orders:  # 订单金额 = 明细行金额之和（以分比较）
        assert line_sum.get(o["order_id"]) == fen(o["amount"]), o["order_id"]
    assert set(line_sum) == set(order_ids)

    first_order: dict[str, str] = {}
    for o in orders:
        first_order.setdefault(o["customer_id"], o["order_time"][:10])
    for c in customers:
        assert c["gender"] in ("女", "男") and int(c["points"]) >= 0
        assert c["sms_opt_out"] in ("0", "1") and c["email_opt_out"] in ("0", "1")
        assert c["phone"] == "" or (len(c["phone"]) == 11 and c["phone"][3:7] == "****")
        assert c["email"] == "" or "***@" in c["email"]
        assert c["register_date"] <= first_order.get(c["customer_id"], today)
        if shop != "xiayi":
            assert c["card_claimed_date"] == ""
        elif c["card_claimed_date"]:
            assert c["register_date"] <= c["card_claimed_date"] < today
    assert len(first_order) < len(customers), "应该有从未下单的客户"


def test_events_refer_to_known_customers_and_products():
    known = {c["customer_id"] for c in read("xiayi", "customers")}
    products = {p["product"] for p in read("xiayi", "products")}
    events = read("xiayi", "events")
    assert 0 < len(events) <= 120_000
    assert {e["event"] for e in events} == {"浏览", "收藏", "加购", "下单"}
    assert all(e["customer_id"] in known and e["product"] in products for e in events)
    keys = [(e["event_time"], e["customer_id"]) for e in events]
    assert keys == sorted(keys)
    assert max(e["event_time"] for e in events) < "2019-02-16 00:00:00"
    # 访问（session）：同一次访问只属于一位客户，相邻两次行为相隔不超过 30 分钟；编号按开始时间递增
    sessions: dict[str, list] = {}
    for e in events:
        sessions.setdefault(e["session_id"], []).append(e)
    starts = []
    for sid, rows in sessions.items():
        assert len({r["customer_id"] for r in rows}) == 1, sid
        times = [dt.datetime.fromisoformat(r["event_time"]) for r in rows]
        assert all((b - a).total_seconds() <= 1800 for a, b in zip(times, times[1:])), sid
        starts.append((rows[0]["event_time"], rows[0]["customer_id"], sid))
    assert [s[2] for s in sorted(starts)] == [f"S{i:07d}" for i in range(1, len(starts) + 1)]
    # 同一位客户的两次相邻访问之间隔了 30 分钟以上
    by_cust: dict[str, list] = {}
    for e in events:
        by_cust.setdefault(e["customer_id"], []).append((e["event_time"], e["session_id"]))
    for rows in by_cust.values():
        for (t1, s1), (t2, s2) in zip(rows, rows[1:]):
            if s1 != s2:
                gap = dt.datetime.fromisoformat(t2) - dt.datetime.fromisoformat(t1)
                assert gap.total_seconds() > 1800


def test_case_today_cut_keeps_the_old_files_as_a_prefix():
    """2018-12-10 之前的行在文件最前面、一行没变：load_shop("xiayi") 看到的和以前一样。"""
    orders = read("xiayi", "orders")
    cut = next(i for i, o in enumerate(orders) if o["order_time"] >= XIAYI_CASE_TODAY)
    assert all(o["order_time"] >= XIAYI_CASE_TODAY for o in orders[cut:])
    customers = read("xiayi", "customers")
    new = [c for c in customers if c["register_date"] >= XIAYI_CASE_TODAY]
    assert new and all(c["customer_id"] > "XY020000" and c["card_claimed_date"] == "" for c in new)


def test_campaign_members_and_coupons():
    (campaign,) = read("xiayi", "campaigns")
    members = read("xiayi", "campaign_members")
    customers = {c["customer_id"]: c for c in read("xiayi", "customers")}
    orders = {o["order_id"]: o for o in read("xiayi", "orders")}
    send, coupon_end = campaign["send_time"], campaign["coupon_end"]
    ids = [m["customer_id"] for m in members]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert {m["campaign_id"] for m in members} == {campaign["campaign_id"]}
    groups = [m["group"] for m in members]
    assert set(groups) == {"实验组", "对照组"}
    share = groups.count("对照组") / len(groups)
    assert abs(share - float(campaign["holdout_share"])) < 0.001
    placed = {}
    for o in orders.values():
        if o["order_time"] < send:
            placed.setdefault(o["customer_id"], []).append(o["order_time"])
    for m in members:   # 名单符合活动规则：有手机号、没退订、近 12 个月买过、双11 以来没买
        c = customers[m["customer_id"]]
        assert c["phone"] and c["sms_opt_out"] == "0"
        times = placed.get(m["customer_id"], [])
        assert any(t >= "2017-12-12" for t in times) and not any(t >= "2018-11-11" for t in times)
    used = [m for m in members if m["coupon_order_id"]]
    assert used and all(m["group"] == "实验组" for m in used)
    threshold, value = fen(campaign["coupon_threshold"]), fen(campaign["coupon_value"])
    for m in used:
        o = orders[m["coupon_order_id"]]
        assert o["customer_id"] == m["customer_id"] and send <= o["order_time"] <= coupon_end
        assert fen(o["amount"]) >= threshold - value   # 满 299 才能用，减 30 之后至少 269
    assert len({m["coupon_order_id"] for m in used}) == len(used)


def test_ads_table_is_consistent():
    ads = read("xiayi", "ads")
    assert len(ads) >= 5
    for a in ads:
        shows, clicks, n = int(a["impressions"]), int(a["clicks"]), int(a["orders"])
        assert 0 < clicks <= shows and 0 <= n <= clicks
        assert fen(a["cost"]) > 0 and (fen(a["revenue"]) > 0) == (n > 0)
        assert a["start_date"] < XIAYI_CASE_TODAY <= a["end_date"] < SHOPS["xiayi"]


def test_datasets_folder_is_small():
    total = sum(p.stat().st_size for p in DATASETS.rglob("*") if p.is_file())
    assert total < 20 * 1024 * 1024, f"datasets/ 共 {total / 1024 / 1024:.1f} MB，超过 20 MB"

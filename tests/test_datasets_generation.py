"""datasets/ 里的模拟数据：能逐字节重新生成，并且内部一致（金额、编号、日期）。

只用标准库读 CSV，金额一律换算成整数“分”再比较。
"""
from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
GENERATOR = DATASETS / "generate.py"
BOM = b"\xef\xbb\xbf"

# 每家店铺的“今天”：历史订单都在今天零点之前
SHOPS = {"a_kids": "2015-05-01", "health": "2016-06-01", "xiayi": "2018-12-10"}
TABLES = {
    "customers": ["customer_id", "nickname", "gender", "age", "province", "city", "occupation",
                  "points", "phone", "email", "sms_opt_out", "email_opt_out", "register_date",
                  "card_claimed_date"],
    "orders": ["order_id", "customer_id", "order_time", "amount", "channel"],
    "items": ["order_id", "product", "quantity", "amount"],
    "products": ["product", "title", "category", "price", "margin", "repurchase_days"],
    "events": ["customer_id", "event_time", "event", "product"],
}


def shop_tables(shop: str) -> list[str]:
    return ["customers", "orders", "items", "products"] + (["events"] if shop == "xiayi" else [])


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
    assert len(committed) == 13
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
    assert not (DATASETS / shop / "events.csv").exists() or shop == "xiayi"


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
    assert max(e["event_time"] for e in events) < "2018-12-10 00:00:00"


def test_datasets_folder_is_small():
    total = sum(p.stat().st_size for p in DATASETS.rglob("*") if p.is_file())
    assert total < 20 * 1024 * 1024, f"datasets/ 共 {total / 1024 / 1024:.1f} MB，超过 20 MB"

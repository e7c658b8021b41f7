"""load_shop 的缓存：取出的表和直接读 CSV 完全一样；CSV 一改就重新读；缓存坏了或写不进去时照常加载。"""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

import helpers
from helpers.data import datasets_dir

TABLES = ("customers", "orders", "items", "products", "events", "campaigns", "campaign_members", "ads")


def assert_same_shop(a, b):
    assert a.today == b.today and a.name == b.name
    for table in TABLES:
        left, right = getattr(a, table), getattr(b, table)
        if left is None or right is None:
            assert left is None and right is None, table
            continue
        pd.testing.assert_frame_equal(left, right, check_exact=True, obj=table)


@pytest.mark.parametrize("name,today", [("a_kids", None), ("health", None), ("xiayi", None),
                                        ("xiayi", "2019-02-16"), ("xiayi", "2018-06-01")])
def test_cached_shop_equals_the_csv_files(name, today, tmp_path, monkeypatch):
    monkeypatch.setenv("CRM_CACHE", "off")
    direct = helpers.load_shop(name, today=today)
    monkeypatch.setenv("CRM_CACHE", str(tmp_path))
    first = helpers.load_shop(name, today=today)          # 读 CSV，写缓存
    assert len(list(tmp_path.glob(f"{name}-*.pickle"))) == 1
    second = helpers.load_shop(name, today=today)         # 从缓存取
    assert_same_shop(direct, first)
    assert_same_shop(direct, second)
    second.orders.loc[0, "amount"] = -1                    # 改返回的表，不影响下一次加载
    assert_same_shop(direct, helpers.load_shop(name, today=today))


@pytest.fixture
def shop_copy(tmp_path, monkeypatch):
    """一份可以改的 a_kids 数据，和它自己的缓存文件夹。"""
    data = tmp_path / "datasets"
    shutil.copytree(datasets_dir() / "a_kids", data / "a_kids")
    monkeypatch.setenv("CRM_DATASETS", str(data))
    monkeypatch.setenv("CRM_CACHE", str(tmp_path / "cache"))
    return data / "a_kids", tmp_path / "cache"


def test_changing_a_csv_rebuilds_the_cache(shop_copy):
    folder, cache = shop_copy
    before = helpers.load_shop("a_kids")
    orders = pd.read_csv(folder / "orders.csv", dtype=str, keep_default_na=False)
    first_id = orders.loc[0, "order_id"]
    orders.loc[0, "amount"] = "12345.67"
    orders.to_csv(folder / "orders.csv", index=False, encoding="utf-8-sig")
    after = helpers.load_shop("a_kids")
    changed = after.orders.set_index("order_id").loc[first_id, "amount"]
    assert changed == 12345.67
    assert before.orders.set_index("order_id").loc[first_id, "amount"] != 12345.67
    assert len(list(cache.glob("a_kids-*.pickle"))) == 1, "旧的缓存文件应删掉"


def test_a_broken_cache_file_is_read_again_from_csv(shop_copy):
    folder, cache = shop_copy
    good = helpers.load_shop("a_kids")
    [path] = cache.glob("a_kids-*.pickle")
    path.write_bytes(b"not a pickle")
    assert_same_shop(good, helpers.load_shop("a_kids"))
    assert path.read_bytes() != b"not a pickle", "坏掉的缓存应重新写好"


def test_an_unwritable_cache_folder_still_loads(shop_copy, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("CRM_CACHE", str(blocker / "cache"))     # 父路径是文件：建不了文件夹
    monkeypatch.setenv("CRM_DATASETS", str(shop_copy[0].parent))
    shop = helpers.load_shop("a_kids")
    monkeypatch.setenv("CRM_CACHE", "off")
    assert_same_shop(shop, helpers.load_shop("a_kids"))


def test_cache_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("CRM_CACHE", "off")
    assert helpers.data.cache_dir() is None
    monkeypatch.delenv("CRM_CACHE")
    assert helpers.data.cache_dir() is not None

"""批改时答案从学生内核里以纯数据交出、在判分进程里读回（helpers.course.answers）：每种答案都原样读回，
读不回的（函数、别处定义的类、被改坏的文件）变成 NotPlainData，从不执行任何东西。"""
from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from helpers import Segment
from helpers.course.answers import EXPORT_SOURCE, NotPlainData, read_answers
from helpers.giftpack import Coupon, GiftPack


def round_trip(tmp_path, **values):
    ns = dict(values)
    exec(EXPORT_SOURCE, ns)                       # 和内核里运行的是同一段代码
    ns["_crm_export_answers"](list(values) + ["没有这个变量"], str(tmp_path / "answers"))
    return read_answers(tmp_path / "answers")


def test_tables_keep_index_dtypes_and_list_columns(tmp_path):
    frame = pd.DataFrame({
        "order_count": [1, 2], "amount": [1.5, float("nan")],
        "days": pd.array([3, None], dtype="Int64"), "flag": pd.array([True, None], dtype="boolean"),
        "when": pd.to_datetime(["2018-01-01", None]),
        "products": pd.Series([["围巾"], ["大衣", "围巾"]], dtype=pd.ArrowDtype(pa.list_(pa.string()))),
    }, index=pd.Index(["A", "B"], name="customer_id"))
    frame.attrs["as_of"] = pd.Timestamp("2018-12-10")        # attrs 里有不能写成 JSON 的值
    back = round_trip(tmp_path, t=frame, s=frame["amount"].rename("金额"), i=frame.index)
    pd.testing.assert_frame_equal(back["t"], frame)
    pd.testing.assert_series_equal(back["s"], frame["amount"].rename("金额"))
    pd.testing.assert_index_equal(back["i"], frame.index)


def test_plain_values_round_trip(tmp_path):
    values = dict(n=3, big=10 ** 30, f=0.1, nan=float("nan"), inf=float("-inf"), s="Ｂ", b=True, none=None,
                  l=["A", 1, None], tup=("A", "C"), st={"x", "y"}, d={"P": 2, 3: [1.5]},
                  when=pd.Timestamp("2018-12-10 18:00"), dots=...)
    back = round_trip(tmp_path, **values)
    assert math.isnan(back.pop("nan")) and values.pop("nan")
    assert back == values
    assert "没有这个变量" not in back


def test_rules_and_workbook_dataclasses_are_rebuilt(tmp_path):
    seg = Segment("父亲节", "关爱", min_total_amount=200, last_order_after="2016-03-01", regions=["上海", "江苏"])
    pack = GiftPack(coupons=(Coupon(5), Coupon(10, 100)), gifts=("杯子",))
    back = round_trip(tmp_path, seg=seg, pack=pack)
    assert back["seg"] == seg and back["pack"] == pack


def test_files_travel_with_their_name_and_bytes(tmp_path):
    card = tmp_path / "卡面" / "至尊VIP.png"
    card.parent.mkdir()
    card.write_bytes(b"\x89PNG...")
    back = round_trip(tmp_path, cards=[card, tmp_path / "不存在.png"])
    assert back["cards"][0].name == "至尊VIP.png" and back["cards"][0].read_bytes() == b"\x89PNG..."
    assert back["cards"][0] != card and back["cards"][1] == tmp_path / "不存在.png"


@dataclasses.dataclass
class Foreign:
    x: int = 1


def test_what_is_not_plain_data_is_marked_not_run(tmp_path):
    back = round_trip(tmp_path, fn=len, cls=Segment, foreign=Foreign())
    assert all(isinstance(back[k], NotPlainData) for k in ("fn", "cls", "foreign"))
    assert back["foreign"].type_name.endswith("Foreign")


def test_tampered_manifest_never_escapes_the_folder_or_executes(tmp_path):
    folder = tmp_path / "answers"
    folder.mkdir()
    (tmp_path / "secret.parquet").write_bytes(b"x")
    (folder / "manifest.json").write_text(json.dumps({
        "a": {"t": "frame", "file": "../secret.parquet"},
        "b": {"t": "dataclass", "module": "os", "class": "system", "fields": {}},
        "c": {"t": "dataclass", "module": "helpers.giftpack", "class": "Coupon", "fields": {"nope": {"t": "int", "v": "1"}}},
        "d": {"t": "int", "v": "9" * 5000},
        "e": {"t": "weird"},
    }), encoding="utf-8")
    back = read_answers(folder)
    assert all(isinstance(v, NotPlainData) for v in back.values()) and set(back) == set("abcde")
    assert read_answers(tmp_path / "没有这个文件夹") == {}


def test_export_never_fails_on_a_strange_object(tmp_path):
    class Weird:
        def __iter__(self):
            raise RuntimeError("坏掉的对象")

    back = round_trip(tmp_path, w=Weird(), ok=1)
    assert isinstance(back["w"], NotPlainData) and back["ok"] == 1
    assert not list(Path(tmp_path / "answers").glob("*.pyc"))

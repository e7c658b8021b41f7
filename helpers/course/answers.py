"""批改时把学生的答案从内核里取出来，写成“纯数据”，再在批改程序自己的进程里读回来。

为什么要这样做：判分不能在学生的内核里进行。学生的代码在内核里可以改掉任何东西（替换检查函数、
伪造结果文件），但它交出来的只能是答案本身——表、数、文字、列表。批改程序把这些答案读回到
自己的进程里，用一份学生代码碰不到的检查来判分（见 helpers.course.grade）。

- EXPORT_SOURCE：在学生内核里最后运行的一段代码（只用标准库和 pandas），把每个答案变量写进一个文件夹：
  manifest.json（每个变量的类型和值）+ 表格用 Parquet 文件。从不用 pickle，也从不 eval。
- read_answers(folder)：在批改程序的进程里读回答案，得到 {变量名: 值}。
  分组规则（Segment）按它的名称、描述和规则重新建出来；工作簿自己定义的数据类（优惠券 Coupon、
  礼包 GiftPack……）按字段重新建出来；文件路径连同文件内容一起交出（检查可能要打开它）；
  函数、类这些不是数据的答案变成 NotPlainData，检查时反馈“答案不是可以评分的数据”。
"""
from __future__ import annotations

import json
from pathlib import Path

MANIFEST = "manifest.json"
MAX_ITEMS = 200_000          # 列表、字典最多读多少个元素（防止巨大的答案拖垮批改）

EXPORT_SOURCE = r'''
def _crm_export_answers(_names, _folder):
    import dataclasses as _dc, datetime as _dt, json as _json, numbers as _numbers, os as _os, pathlib as _pathlib
    import warnings as _warnings
    _warnings.filterwarnings("ignore", message="Could not serialize")
    _os.makedirs(_folder, exist_ok=True)
    _files = [0]

    def _table(frame, kind, extra=None):
        import pandas as pd
        _files[0] += 1
        name = f"t{_files[0]}.parquet"
        frame = frame.copy()
        frame.attrs = {}
        frame.columns = [str(c) for c in frame.columns]
        try:
            frame.to_parquet(_os.path.join(_folder, name))
        except Exception:
            for c in frame.columns:
                if frame[c].dtype == object:
                    frame[c] = frame[c].map(lambda v: v if v is None else str(v))
            frame.index = frame.index.map(str) if frame.index.dtype == object else frame.index
            frame.to_parquet(_os.path.join(_folder, name))
        return {"t": kind, "file": name, **(extra or {})}

    def _plain(v, depth=0):
        if depth > 6:
            raise TypeError("嵌套太深")
        if v is None:
            return {"t": "none"}
        if v is Ellipsis:
            return {"t": "ellipsis"}
        if isinstance(v, bool) or type(v).__name__ == "bool_":
            return {"t": "bool", "v": bool(v)}
        if isinstance(v, str):
            return {"t": "str", "v": str(v)}
        if isinstance(v, _numbers.Integral):
            return {"t": "int", "v": str(int(v))}
        if isinstance(v, _numbers.Real):
            return {"t": "float", "v": repr(float(v))}
        if isinstance(v, (_dt.date, _dt.datetime)):
            return {"t": "timestamp", "v": v.isoformat()}
        if isinstance(v, (list, tuple, set, frozenset)):
            kind = "list" if isinstance(v, list) else "tuple" if isinstance(v, tuple) else "set"
            return {"t": kind, "v": [_plain(x, depth + 1) for x in v]}
        if isinstance(v, dict):
            return {"t": "dict", "v": [[_plain(k, depth + 1), _plain(x, depth + 1)] for k, x in v.items()]}
        module = type(v).__module__ or ""
        if module.startswith("pandas"):
            import pandas as pd
            if isinstance(v, pd.DataFrame):
                return _table(v, "frame")
            if isinstance(v, pd.Series):
                return _table(v.to_frame("__value__"), "series", {"name": _plain(v.name, depth + 1)})
            if isinstance(v, pd.Index):
                return _table(pd.DataFrame(index=v), "index")
            if v is pd.NaT or v is pd.NA:
                return {"t": "none"}
            if isinstance(v, pd.Timestamp):
                return {"t": "timestamp", "v": v.isoformat()}
            if hasattr(v, "tolist"):
                return {"t": "list", "v": [_plain(x, depth + 1) for x in v.tolist()]}
        if module.startswith("numpy") and hasattr(v, "tolist"):
            return _plain(v.tolist(), depth)
        if isinstance(v, _pathlib.PurePath):
            item = {"t": "path", "v": str(v), "name": v.name}
            try:
                if _os.path.isfile(v) and _os.path.getsize(v) <= 20 * 1024 * 1024:
                    _files[0] += 1
                    item["file"] = f"p{_files[0]}.bin"
                    with open(v, "rb") as src, open(_os.path.join(_folder, item["file"]), "wb") as dst:
                        dst.write(src.read())
            except OSError:
                pass
            return item
        if _dc.is_dataclass(v) and not isinstance(v, type):
            return {"t": "dataclass", "module": type(v).__module__, "class": type(v).__qualname__,
                    "fields": {f.name: _plain(getattr(v, f.name), depth + 1) for f in _dc.fields(v) if f.init}}
        if type(v).__name__ == "Segment" and hasattr(v, "rules"):
            return {"t": "segment", "name": str(v.name), "description": str(getattr(v, "description", "")),
                    "rules": _plain(dict(v.rules), depth + 1)}
        raise TypeError(type(v).__name__)

    _g = globals()
    _out = {}
    for _name in _names:
        if _name not in _g:
            _out[_name] = {"t": "missing"}
            continue
        try:
            _out[_name] = _plain(_g[_name])
        except Exception as _exc:
            _out[_name] = {"t": "opaque", "type": type(_g[_name]).__name__, "why": str(_exc)[:80]}
    with open(_os.path.join(_folder, "manifest.json"), "w", encoding="utf-8") as _f:
        _json.dump(_out, _f, ensure_ascii=False)
'''


class NotPlainData:
    """一个答案不是可以评分的数据（函数、类、打不开的对象……）：检查时给出中文说明。"""

    def __init__(self, type_name: str):
        self.type_name = str(type_name)[:40]

    def __repr__(self) -> str:
        return f"<不是数据的答案：{self.type_name}>"


MISSING = object()


def export_cell(names, folder) -> str:
    """在学生内核里运行的最后一个单元格：定义导出函数并把 names 里的变量写到 folder。"""
    return EXPORT_SOURCE + f"\n_crm_export_answers({list(names)!r}, {str(folder)!r})\n"


def _decode(item, folder: Path, budget: list):
    import pandas as pd

    budget[0] -= 1
    if budget[0] < 0:
        raise ValueError("答案太大")
    kind = item.get("t") if isinstance(item, dict) else None
    if kind == "none":
        return None
    if kind == "ellipsis":
        return Ellipsis
    if kind == "bool":
        return bool(item["v"])
    if kind == "str":
        return str(item["v"])
    if kind == "int":
        text = str(item["v"])
        if len(text) > 400:
            raise ValueError("整数太长")
        return int(text)
    if kind == "float":
        return float(item["v"])          # float("nan") / float("inf") 也能读回
    if kind == "timestamp":
        return pd.Timestamp(item["v"])
    if kind in ("list", "tuple", "set"):
        values = [_decode(x, folder, budget) for x in item["v"]]
        return values if kind == "list" else tuple(values) if kind == "tuple" else set(values)
    if kind == "dict":
        return {_decode(k, folder, budget): _decode(v, folder, budget) for k, v in item["v"]}
    if kind in ("frame", "series", "index"):
        path = folder / Path(str(item["file"])).name          # 只认答案文件夹里的文件
        table = _read_parquet(path)
        if kind == "frame":
            return table
        if kind == "series":
            series = table["__value__"]
            series.name = _decode(item.get("name", {"t": "none"}), folder, budget)
            return series
        return table.index
    if kind == "segment":
        from ..segments import Segment

        rules = _decode(item["rules"], folder, budget)
        try:
            return Segment(str(item.get("name", "")), str(item.get("description", "")), **rules)
        except (TypeError, ValueError) as exc:
            return NotPlainData(f"无法重建的分组规则（{exc}）")
    if kind == "path":
        name = Path(str(item.get("name", ""))).name or "file"
        if item.get("file"):
            source = folder / Path(str(item["file"])).name
            budget[0] -= 1
            target = folder / "restored" / str(budget[0]) / name      # 文件名原样保留（检查可能要看文件名）
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
            return target
        return Path(str(item["v"]))
    if kind == "dataclass":
        return _dataclass(item, folder, budget)
    if kind == "opaque":
        return NotPlainData(item.get("type", "?"))
    raise ValueError(f"不认识的答案类型：{kind!r}")


def _dataclass(item: dict, folder: Path, budget: list):
    """重建工作簿自己定义的数据类（Coupon、GiftPack、VipTier……）：只认 helpers 里的 dataclass。"""
    import dataclasses
    import importlib

    module, name = str(item.get("module", "")), str(item.get("class", ""))
    if not (module == "helpers" or module.startswith("helpers.")) or not name.isidentifier():
        return NotPlainData(f"{module}.{name}")
    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return NotPlainData(f"{module}.{name}")
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        return NotPlainData(f"{module}.{name}")
    fields = {str(k): _decode(v, folder, budget) for k, v in dict(item.get("fields", {})).items()}
    try:
        return cls(**fields)
    except (TypeError, ValueError) as exc:
        return NotPlainData(f"无法重建的 {name}（{str(exc)[:40]}）")


def _read_parquet(path: Path):
    """读 Parquet 表。列表列（例如 products）pandas 自己读不回来，单独换成 Arrow 列表列。"""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    names = list(table.column_names)
    lists = [n for n, t in zip(names, table.schema.types) if pa.types.is_list(t) or pa.types.is_large_list(t)]
    if not lists:
        return table.to_pandas()
    meta = json.loads((table.schema.metadata or {}).get(b"pandas", b"{}") or b"{}")
    if meta:
        meta["columns"] = [c for c in meta.get("columns", []) if c.get("field_name") not in lists]
    rest = table.drop_columns(lists)
    rest = rest.replace_schema_metadata({**(table.schema.metadata or {}), b"pandas": json.dumps(meta).encode()})
    frame = rest.to_pandas()
    for name in lists:
        frame[name] = pd.Series(pd.arrays.ArrowExtensionArray(table.column(name).combine_chunks()),
                                index=frame.index)
    return frame[[n for n in names if n in frame.columns]]


def read_answers(folder) -> dict:
    """读回 EXPORT_SOURCE 写下的答案：{变量名: 值}；没有的变量不出现在结果里（算“未作答”）。

    文件夹不存在（例如内核中途退出）时返回空字典。单个答案读不回来时记为 NotPlainData。
    """
    folder = Path(folder)
    path = folder / MANIFEST
    if not path.exists():
        return {}
    manifest = json.loads(path.read_text(encoding="utf-8"))
    answers = {}
    for name, item in manifest.items() if isinstance(manifest, dict) else []:
        if isinstance(item, dict) and item.get("t") == "missing":
            continue
        try:
            answers[str(name)] = _decode(item, folder, [MAX_ITEMS])
        except Exception as exc:  # 文件被改坏、类型不对：这一题按“答案读不出来”处理
            answers[str(name)] = NotPlainData(f"读不出来的答案（{type(exc).__name__}）")
    return answers


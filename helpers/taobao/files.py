"""读导出文件：三种文件认得的列、编码、Excel 工作表、找表头，把一个文件读成“每个格子都是文本”的表。

千牛导出的 CSV 多半是 GB18030/GBK 编码，也可能是 UTF-8（带或不带 BOM）、UTF-16，甚至 GBK 里夹着几行 UTF-8；
.xlsx 的订单不一定在第一张工作表，表头前面也可能有几行说明。这里把这些都认出来，
去掉千牛为了防止 Excel 改写长数字而加的 ="…"，并把表头换成标准的中文列名（columns= 给别的平台用）。
每一行记下它在 Excel 里的行号（_行号），后面报告问题时用。
"""
from __future__ import annotations

import codecs
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ..validation import checked
from .csvfile import CsvExport, clean_text
from .decoding import ENCODING_HELP
from .progress import Progress
from .report import SKIPPED

# ---------------------------------------------------------------------------
# 一、三种文件各自认得的列（标准中文表头 → 说明）。columns= 的目标就写这些名字。
# ---------------------------------------------------------------------------
ORDER_COLUMNS = {
    "订单编号": "必需：订单号，按文本读取",
    "买家会员名": "必需：买家的淘宝账号，作为客户编号（customer_id）",
    "买家实际支付金额": "必需：实付金额（元），作为订单金额（amount）",
    "订单付款时间": "必需：付款时间，作为下单时间（order_time）；为空表示没付款",
    "订单状态": "可选：交易关闭、等待买家付款的订单不算已付款",
    "订单创建时间": "可选：用来确定客户第一次下单的日期",
    "买家应付货款": "可选：仅用于核对",
    "收货地址": "可选：从中取出省份和城市",
    "联系手机": "可选：客户手机号（默认打码）",
    "宝贝标题": "可选：没有宝贝报表时，用它作为商品名",
    "宝贝种类": "可选：一笔订单里有几种宝贝",
    "宝贝总数量": "可选：一笔订单里的宝贝件数",
    "订单备注": "可选：卖家备注（不导入）",
    "是否手机订单": "可选：手机订单记为“无线”渠道，其余为“PC”",
    "店铺名称": "可选：作为店铺的标题",
}
ORDER_REQUIRED = ("订单编号", "买家会员名", "买家实际支付金额", "订单付款时间")

ITEM_COLUMNS = {
    "订单编号": "必需：所属订单",
    "标题": "必需：宝贝标题，作为商品名",
    "购买数量": "必需：件数",
    "价格": "可选：单价（元），用来把订单实付金额分到每种宝贝上",
    "商品属性": "可选：颜色、规格等（不导入）",
    "商家编码": "可选：商家自己的商品编码（不导入）",
    "订单状态": "可选：仅用于核对",
}
ITEM_REQUIRED = ("订单编号", "标题", "购买数量")

CUSTOMER_COLUMNS = {
    "买家会员名": "必需：和订单文件里的买家会员名对应",
    "性别": "可选：女 / 男",
    "年龄": "可选：整数",
    "职业": "可选",
    "积分": "可选：整数",
    "手机号": "可选：订单里没有手机号时用它",
    "邮箱": "可选：邮件营销要用",
    "短信退订": "可选：是 / 否（回复过退订的客户不能再发营销短信）",
    "邮件退订": "可选：是 / 否",
}
CUSTOMER_REQUIRED = ("买家会员名",)

# columns= 里也可以写工作簿的英文列名，它们对应的中文表头：
ALIASES = {"order_id": "订单编号", "customer_id": "买家会员名", "amount": "买家实际支付金额",
           "order_time": "订单付款时间", "product": "标题", "quantity": "购买数量", "phone": "手机号",
           "email": "邮箱", "gender": "性别", "age": "年龄", "occupation": "职业", "points": "积分",
           "sms_opt_out": "短信退订", "email_opt_out": "邮件退订"}

_HOW_TO_MAP = ("如果文件来自京东、拼多多或你自己的表格，请用 columns= 告诉工作簿哪一列是哪一列，"
               "例如 columns={'订单号': '订单编号', '下单帐号': '买家会员名', '付款时间': '订单付款时间', "
               "'应付金额': '买家实际支付金额'}。")


# ---------------------------------------------------------------------------
# 二、把一个文件读成“全是文本”的表
# ---------------------------------------------------------------------------
HEADER_ROWS = 30            # 表头最多在第几行（有的导出文件前面有几行说明）


@checked
@dataclass
class RawTable:
    """读进来还没处理的一个文件：每个格子都是文本；_行号 是 Excel 里的行号。"""

    data: pd.DataFrame
    file: str
    encoding: str
    header: list
    problems: list
    raw_header: list = field(default_factory=list)


@checked
def detect_encoding(raw: bytes) -> tuple[str, str]:
    """认出文件的编码，返回 (Python 的编码名, 中文说明)。

    依次看：UTF-8 的 BOM、UTF-16 的 BOM、能不能按 UTF-8 解码，都不是时按 GB18030（兼容 GBK、GB2312）。
    """
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "UTF-8（带 BOM）"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "UTF-16（Excel 的“Unicode 文本”）"
    try:
        raw.decode("utf-8")
        return "utf-8", "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        raw.decode("gb18030")
        return "gb18030", "GB18030/GBK"
    except UnicodeDecodeError:
        raise ValueError(ENCODING_HELP) from None


def _cell_text(value) -> str:
    """Excel 单元格的值 → 文本。超过 15 位的数字 Excel 存不准，写成科学计数法让后面认出来。"""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if abs(value) >= 1e15:
            return f"{float(value):.14E}"
        if float(value).is_integer():
            return str(int(value))
        return repr(float(value))
    return str(value)


def _records_xlsx(path: Path) -> list[tuple[str, list]]:
    """Excel 工作簿 → [(工作表名, 记录列表)]，每张工作表都读（订单可能不在第一张）。"""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # 损坏的文件、加了密码的文件……
        raise ValueError(f"无法打开 Excel 文件 {path.name}：{exc}。请确认文件能用 Excel 打开；"
                         "也可以从千牛重新导出 CSV 直接读取。") from None
    try:
        sheets = []
        for sheet in book.worksheets:
            sheet.reset_dimensions()
            sheets.append((sheet.title, [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]))
    finally:
        book.close()
    return sheets


def _header_name(text: str, columns: dict) -> str:
    name = str(text).strip().strip("\ufeff").strip()
    return columns.get(name, name)


@checked
def read_export(path, required, known, columns=None, encoding=None, kind="订单报表",
                progress: Progress | None = None, keep: list | tuple | None = None) -> RawTable:
    """把一个导出文件（CSV 或 .xlsx）读成全是文本的表，并把表头换成标准中文列名。

    参数
    ----
    path : 文件路径（.csv、.txt 或 .xlsx）。文件本身只读不写。
    required : 必需的标准列名。
    known : 认得的全部标准列名（说明缺列时列出来）。
    columns : {文件里的列名: 标准列名}，给别的平台或自己的表格用。
    encoding : 编码；不填时自动识别。
    kind : 文件的中文名，写进报告，例如 "订单报表"。
    progress : 读文件的进度（大文件显示进度条用，见 helpers.taobao.progress）。
    keep : 只留下这些标准列名的列（不填时全部留下）；read_taobao_orders 只留下它用得到的列，省时间也省内存。
           不留的列仍然参与判断空行和格子数，行号、问题行都和全部留下时一样。

    表里的文字列是 Arrow 存放的文本（pandas 的 str），另有 _行号（和 Excel 左边的行号一致）、_文件 两列。
    """
    path = _check_path(path, kind)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise ValueError(f"{path.name} 是旧版 Excel（.xls）文件，工作簿读不了。请用 Excel 或 WPS 另存为 .xlsx 或 CSV。")
    columns = column_mapping(columns)
    key = required[0]

    def is_header(record) -> bool:
        return key in {_header_name(c, columns) for c in record}

    if suffix in (".xlsx", ".xlsm"):
        sheets = _records_xlsx(path)
        start, sheet_name, records = None, "", []
        for sheet_name, records in sheets:
            start = next((i for i, rec in enumerate(records[:HEADER_ROWS]) if is_header(rec)), None)
            if start is not None:
                break
        if start is None:
            searched = "、".join(f"工作表“{n}”" for n, _ in sheets) + f"的前 {HEADER_ROWS} 行"
            found = next((rec for _, recs in sheets for rec in recs if any(str(c).strip() for c in rec)), [])
            _missing_error(path.name, kind, [str(c).strip() for c in found], [key], required, known, columns,
                           searched=searched)
        label = "Excel 工作簿" + (f"（工作表“{sheet_name}”）" if len(sheets) > 1 else "")
        header_record, export = records[start], None
    else:
        export = CsvExport(path, encoding, progress)
        head = export.head(HEADER_ROWS)
        start = next((i for i, rec in enumerate(head) if is_header(rec)), None)
        if start is None:
            found = export.first_filled()
            export.drain()
            _missing_error(path.name, kind, [str(c).strip() for c in found], [key], required, known, columns,
                           searched=f"文件的前 {HEADER_ROWS} 行")
        header_record = head[start]
    header = [_header_name(c, columns) for c in header_record]
    while header and header[-1] == "":
        header.pop()
    missing = [c for c in required if c not in header]
    if missing:
        if export is not None:
            export.drain()
        _missing_error(path.name, kind, [str(c).strip() for c in header_record], missing, required, known, columns)
    header = _unique(header)
    positions = [i for i, name in enumerate(header) if keep is None or name in keep]
    if export is None:
        cells, numbers, problems = _rows_to_columns(records, start, len(header), path.name, positions)
    else:
        cells, numbers, problems = export.body(start, len(header), positions)
        label = export.label
    data = pd.DataFrame({header[i]: text_series(column) for i, column in zip(positions, cells)})
    data["_行号"] = np.asarray(numbers, dtype="int64")
    data["_文件"] = path.name
    return RawTable(data=data, file=path.name, encoding=label, header=header, problems=problems,
                    raw_header=[str(c).strip().strip("\ufeff").strip() for c in header_record if str(c).strip()])


@checked
def text_series(values: pa.Array | pa.ChunkedArray) -> pd.Series:
    """Arrow 的文本列 → pandas 的文本列（pandas 3 的 str，不复制）；旧版 pandas 上是 object 列。"""
    if not isinstance(values, (pa.Array, pa.ChunkedArray)) or not pa.types.is_string(values.type) and \
            not pa.types.is_large_string(values.type):
        raise ValueError(f"text_series() 的参数 values 应是 Arrow 的文本列（pyarrow 的 string 数组），"
                         f"收到的是 {type(values).__name__}。")
    if isinstance(values, pa.Array):
        values = pa.chunked_array([values])
    try:
        return pd.Series(pd.arrays.ArrowStringArray(values, dtype=pd.StringDtype("pyarrow", na_value=np.nan)))
    except (TypeError, ValueError, AttributeError):          # pandas 2.2：没有 na_value=
        return values.to_pandas()


@checked
def object_column(values: pd.Series) -> pd.Series:
    """文本列 → object 列（和以前一样的类型）；相同的文字共用一个 Python 对象，几十万行也不多占内存。"""
    if len(values) == 0 or values.dtype == object:
        return values.astype(object)
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    shared = np.asarray(uniques.astype(object), dtype=object)
    return pd.Series(shared[codes], index=values.index, name=values.name, dtype=object)


def _rows_to_columns(records: list, start: int, width: int, name: str, positions: list) -> tuple[list, list, list]:
    """Excel 工作表的记录 → (每列一个清理过的 Arrow 文本列, 行号, 问题行)，规则和 CSV 的一样。"""
    rows, numbers, problems = [], [], []
    for index, rec in enumerate(records[start + 1:], start=start + 1):
        number = index + 1                     # 和 Excel 左边的行号一致
        if not any(str(c).strip() for c in rec):
            continue
        if len(rec) > width and not any(str(c).strip() for c in rec[width:]):
            rec = rec[:width]                                                # 行末多出来的空格子
        if len(rec) != width:
            problems.append((name, number, clean_text([str(rec[0]) if rec else ""])[0],
                             f"这一行有 {len(rec)} 个格子，表头有 {width} 列（可能是地址或留言里的逗号、换行没有加引号）",
                             SKIPPED))
            continue
        rows.append(rec)
        numbers.append(number)
    columns = [pa.array(clean_text([str(r[j]) for r in rows]), type=pa.string()) for j in positions]
    return columns, numbers, problems


def _check_path(path, kind: str) -> Path:
    """文件参数要是一个存在的文件路径；文件夹、字节、表格对象都给出中文说明。"""
    if isinstance(path, (bytes, bytearray, memoryview)):
        raise ValueError(f"{kind}应是文件路径（例如 'ExportOrderList2024.csv'），收到的是文件内容（bytes）。"
                         "请先把它保存成文件，再把文件名传进来。")
    if isinstance(path, pd.DataFrame):
        raise ValueError(f"{kind}应是文件路径，收到的是一张 DataFrame：已经读进来的表请直接交给 validate_orders。")
    if not isinstance(path, (str, Path)):
        raise ValueError(f"{kind}应是文件路径（文字或 Path），收到的是 {type(path).__name__}。")
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"{path} 是一个文件夹，不是文件：请写出文件夹里那个导出文件的名字，"
                         f"例如 {path / 'ExportOrderList2024.csv'}。")
    if not path.exists():
        raise ValueError(f"找不到文件 {path}。请检查文件名和所在的文件夹（可以先用 Path(...).exists() 试试）。")
    return path


@checked
def column_mapping(columns: dict | None = None) -> dict:
    """检查 columns=（{文件里的列名: 标准列名}）并把英文别名换成标准中文列名，例如 'order_id' → '订单编号'。

    不写（None）时返回空字典；标准列名工作簿不认得时给出中文错误，列出三种文件各自认得的列名。
    """
    if columns is None:
        return {}
    if not isinstance(columns, dict):
        raise ValueError("columns= 应是一个字典：{你文件里的列名: 工作簿的标准列名}，例如 {'订单号': '订单编号'}。")
    known = set(ORDER_COLUMNS) | set(ITEM_COLUMNS) | set(CUSTOMER_COLUMNS)
    out = {}
    for source, target in columns.items():
        target = ALIASES.get(str(target).strip(), str(target).strip())
        if target not in known:
            raise ValueError(f"columns= 里的 {source!r}: {target!r}：标准列名 {target!r} 工作簿不认得。"
                             f"订单文件可用的标准列名：{'、'.join(ORDER_COLUMNS)}；"
                             f"宝贝报表：{'、'.join(ITEM_COLUMNS)}；客户名单：{'、'.join(CUSTOMER_COLUMNS)}。")
        out[str(source).strip()] = target
    return out


def _missing_error(name, kind, found, missing, required, known, columns=None, searched: str = "") -> None:
    optional = [c for c in known if c not in required]
    # 缺的列正好是 columns= 里某个映射的目标、而那个源列名文件里没有：多半是源列名写错了字
    typos = [k for k, v in (columns or {}).items() if v in missing and k not in found]
    hint = (f"columns= 里的列名 {'、'.join(map(repr, typos))} 在这个文件里找不到，请照着文件的表头逐字填写"
            "（注意空格、全角/半角和形近字）。\n") if typos else ""
    where = f"（找表头时看了{searched}）" if searched else ""
    raise ValueError(
        f"{name} 看起来不是{kind}：缺少必需的列 {'、'.join(missing)}{where}。\n{hint}"
        f"文件里找到的列：{'、'.join(c for c in found if c) or '（没有任何列）'}。\n"
        f"需要的列：{'、'.join(required)}（必需）；{'、'.join(optional)}（可选）。\n{_HOW_TO_MAP}")


def _unique(header: list) -> list:
    seen: dict = {}
    out = []
    for name in header:
        name = name or "未命名列"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out

"""读导出文件：三种文件认得的列、编码、Excel 工作表、找表头，把一个文件读成“每个格子都是文本”的表。

千牛导出的 CSV 多半是 GB18030/GBK 编码，也可能是 UTF-8（带或不带 BOM）、UTF-16，甚至 GBK 里夹着几行 UTF-8；
.xlsx 的订单不一定在第一张工作表，表头前面也可能有几行说明。这里把这些都认出来，
去掉千牛为了防止 Excel 改写长数字而加的 ="…"，并把表头换成标准的中文列名（columns= 给别的平台用）。
每一行记下它在 Excel 里的行号（_行号），后面报告问题时用。
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..validation import checked
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


# 认不出编码时的建议：不能叫人“用 Excel 打开另存”——那样长订单编号会被改成科学计数法
ENCODING_HELP = ("认不出文件的编码：它既不是 UTF-8，也不是 GBK/GB18030。如果知道文件的编码，请传入 encoding=（例如 "
                 "encoding='big5'）；否则请从千牛重新导出。不要直接用 Excel 打开再保存（订单编号会被改成科学计数法）："
                 "要转换时，用 Excel“数据 → 自文本/CSV”或 WPS 的导入功能，把订单编号一列设为“文本”，再另存为“CSV UTF-8”。")


@checked
def decode_export(raw: bytes, name: str = "文件") -> tuple[str, str, list]:
    """把导出文件的字节解码成文字，返回 (文字, 编码说明, [(物理行号, 说明)])。

    认得：UTF-8（带或不带 BOM）、UTF-16、GB18030/GBK；以 UTF-8 的 BOM 开头、内容却是 GBK 的文件；
    GBK 文件里夹着几行 UTF-8（例如两份导出拼在一起）——这几行按 UTF-8 读，并逐行记下来，
    不会把“茶友”读成“鑼跺弸”这样的乱码。
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "UTF-16（Excel 的“Unicode 文本”）", []
    bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[len(codecs.BOM_UTF8):] if bom else raw
    try:
        return body.decode("utf-8"), ("UTF-8（带 BOM）" if bom else "UTF-8"), []
    except UnicodeDecodeError:
        pass
    lines, notes = [], []
    for number, line in enumerate(body.split(b"\n"), start=1):
        if not line.isascii():                      # 只有非 ASCII 的行才可能是 UTF-8 或 GBK
            try:
                lines.append(line.decode("utf-8"))
                notes.append((number, "这一行是 UTF-8 编码（文件其余部分是 GBK），已按 UTF-8 读取"))
                continue
            except UnicodeDecodeError:
                pass
        try:
            lines.append(line.decode("gb18030"))
        except UnicodeDecodeError:
            raise ValueError(f"{name} 第 {number} 行既不是 UTF-8 也不是 GBK 编码。{ENCODING_HELP}") from None
    label = "GB18030/GBK" + ("（开头有 UTF-8 的 BOM）" if bom else "") + (
        f"，其中 {len(notes)} 行是 UTF-8" if notes else "")
    return "\n".join(lines), label, notes


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


def _records_csv(path: Path, encoding: str | None) -> tuple[list, str, list, list]:
    """CSV → (记录列表, 编码说明, 每条记录的最后一个物理行号, [(物理行号, 说明)])。"""
    raw = path.read_bytes()
    notes = []
    if encoding:
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ValueError(f"无法按 {encoding} 读取 {path.name}：{exc}。不写 encoding= 时工作簿会自动识别编码。") from None
        label = encoding
    else:
        text, label, notes = decode_export(raw, path.name)
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, ends = [], []
    for rec in reader:
        records.append(rec)
        ends.append(reader.line_num)
    return records, label, ends, notes


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
def read_export(path, required, known, columns=None, encoding=None, kind="订单报表") -> RawTable:
    """把一个导出文件（CSV 或 .xlsx）读成全是文本的表，并把表头换成标准中文列名。

    参数
    ----
    path : 文件路径（.csv、.txt 或 .xlsx）。文件本身只读不写。
    required : 必需的标准列名。
    known : 认得的全部标准列名（说明缺列时列出来）。
    columns : {文件里的列名: 标准列名}，给别的平台或自己的表格用。
    encoding : 编码；不填时自动识别。
    kind : 文件的中文名，写进报告，例如 "订单报表"。
    """
    path = _check_path(path, kind)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise ValueError(f"{path.name} 是旧版 Excel（.xls）文件，工作簿读不了。请用 Excel 或 WPS 另存为 .xlsx 或 CSV。")
    columns = column_mapping(columns)
    key = required[0]
    encoding_notes = []
    if suffix in (".xlsx", ".xlsm"):
        sheets = _records_xlsx(path)
    else:
        records, label, ends, encoding_notes = _records_csv(path, encoding)
        sheets = [("", records)]
    start, sheet_name, records = None, "", []
    for sheet_name, records in sheets:
        start = next((i for i, rec in enumerate(records[:HEADER_ROWS]) if key in {_header_name(c, columns) for c in rec}),
                     None)
        if start is not None:
            break
    if start is None:
        searched = ("、".join(f"工作表“{n}”" for n, _ in sheets) if suffix in (".xlsx", ".xlsm") else "文件") + \
            f"的前 {HEADER_ROWS} 行"
        found = next((rec for _, recs in sheets for rec in recs if any(str(c).strip() for c in rec)), [])
        _missing_error(path.name, kind, [str(c).strip() for c in found], [key], required, known, columns,
                       searched=searched)
    if suffix in (".xlsx", ".xlsm"):
        label = "Excel 工作簿" + (f"（工作表“{sheet_name}”）" if len(sheets) > 1 else "")
        ends = list(range(1, len(records) + 1))
    header = [_header_name(c, columns) for c in records[start]]
    while header and header[-1] == "":
        header.pop()
    missing = [c for c in required if c not in header]
    if missing:
        _missing_error(path.name, kind, [str(c).strip() for c in records[start]], missing, required, known, columns)
    header = _unique(header)
    width = len(header)
    rows, numbers, problems = [], [], []
    # 按 UTF-8 读的物理行 → 它所在的记录（一条记录可能跨几行：留言里有换行）
    line_of = {}
    if encoding_notes:
        note_at = dict(encoding_notes)
        first_line = 0
        for i, end in enumerate(ends):
            for line in range(first_line + 1, end + 1):
                if line in note_at:
                    line_of[i] = note_at[line]
            first_line = end
    for index, rec in enumerate(records[start + 1:], start=start + 1):
        number = index + 1                     # 和 Excel 左边的行号一致（一格里有换行也只算一行）
        if not any(str(c).strip() for c in rec):
            continue
        if len(rec) > width and not any(str(c).strip() for c in rec[width:]):
            rec = rec[:width]                                                # 行末多出来的空格子
        if len(rec) != width:
            problems.append((path.name, number, _guess_id(rec), f"这一行有 {len(rec)} 个格子，表头有 {width} 列"
                             "（可能是地址或留言里的逗号、换行没有加引号）", SKIPPED))
            continue
        if index in line_of:
            problems.append((path.name, number, _guess_id(rec), line_of[index], "按 UTF-8 读取"))
        rows.append(rec)
        numbers.append(number)
    data = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(columns=header, dtype=object)
    data = data.apply(_clean_text) if len(data) else data
    data["_行号"] = np.asarray(numbers, dtype="int64")
    data["_文件"] = path.name
    return RawTable(data=data, file=path.name, encoding=label, header=header, problems=problems,
                    raw_header=[str(c).strip().strip("\ufeff").strip() for c in records[start] if str(c).strip()])


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


def _guess_id(rec) -> str:
    return _clean_text(pd.Series([str(rec[0]) if rec else ""])).iloc[0]


def _clean_text(values: pd.Series) -> pd.Series:
    """去掉首尾空白，以及千牛防止 Excel 改写长数字而加的 ="…" 和开头的单引号。"""
    # Arrow 文本列上的正则替换在 C++ 里整列完成，比 Python 字符串快一倍（50 万行的导出每列省 0.1–0.2 秒）
    text = values.astype(object).where(values.notna(), "").astype(str).astype("string[pyarrow]").str.strip()
    text = text.str.replace(r'^="(.*)"$', r"\1", regex=True).str.replace(r"^'", "", regex=True)
    return text.str.strip().astype(object)

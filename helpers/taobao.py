"""读取自己店铺的订单导出文件（千牛/卖家中心的 ExportOrderList*.csv 或 .xlsx），变成工作簿的 Shop。

用法::

    from helpers.taobao import read_taobao_orders
    shop = read_taobao_orders("ExportOrderList202407010930.csv",
                              items="ExportOrderDetailList202407010930.csv")
    print(shop.import_report)          # 中文导入报告：读了几行、保留几行、排除了什么、哪几行有问题
    summary = shop.summary()           # 之后和教学店铺一模一样：分组、VIP、RFM……

这里做的事，按顺序：

1. 认出文件的编码（GB18030/GBK、UTF-8 带或不带 BOM、UTF-16）和表头，把每个格子都当文本读，
   去掉千牛为了防止 Excel 改写长数字而加的 ="…"；
2. 把表头对上标准的中文列名（订单编号、买家会员名……）；别的平台或自己的表格用 ``columns=`` 对应；
3. 交易关闭、等待买家付款、没有付款时间的订单不算已付款，单独计数；
   坏掉的行（字段数不对、时间或金额看不懂、订单编号被 Excel 改成科学计数法、重复订单）跳过，
   并在报告里写明是文件的第几行（和 Excel 左边的行号一致：表头是第 1 行）；
4. 已付款订单交给 ``helpers.validate_orders`` 做统一检查；客户、商品明细、商品表随之整理好；
5. 手机号默认在导入时就打码，课堂上、截图里都不会露出客户的号码。

和 ``validate_orders`` 的区别：它遇到坏数据就报错停下；这里读的是后台直接导出的原始文件，
一行坏数据不应该挡住其余几百行，所以跳过坏行——但每一行跳过都写进报告，绝不悄悄丢掉。
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

from .data import Shop
from .privacy import mask_email, mask_phone
from .segments import normalize_region
from .validation import (checked, implausible_times, parse_date, parse_iso_times, validate_orders,
                         years_out_of_range)

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

PROBLEM_COLUMNS = ["文件", "行号", "订单编号", "问题", "处理"]
SKIPPED = "整行跳过"
CLOSED, UNPAID, NO_PAY_TIME = "交易关闭", "等待买家付款", "没有付款时间"
_SCIENTIFIC = r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+"
_BOOL_TRUE = {"是", "1", "y", "yes", "true", "退订", "已退订", "√", "t"}
_BOOL_FALSE = {"否", "0", "n", "no", "false", "", "×", "f"}
_MUNICIPALITIES = {"北京", "上海", "天津", "重庆"}
_HOW_TO_MAP = ("如果文件来自京东、拼多多或你自己的表格，请用 columns= 告诉工作簿哪一列是哪一列，"
               "例如 columns={'订单号': '订单编号', '下单帐号': '买家会员名', '付款时间': '订单付款时间', "
               "'应付金额': '买家实际支付金额'}。")


# ---------------------------------------------------------------------------
# 二、导入报告
# ---------------------------------------------------------------------------
@checked
@dataclass
class ImportReport:
    """一次导入的中文报告：读了哪些文件、几行、保留几行、排除了什么、哪几行有问题。

    主要属性
    ----
    files : 每个文件一行说明（文件名、编码、读到的行数）。
    rows_read : 订单文件里的数据行数（不含表头和空行）。
    kept : 保留下来的已付款订单笔数。
    excluded : 不算已付款的订单：{原因: 笔数}。
    problems : 有问题的行（DataFrame：文件、行号、订单编号、问题、处理）；行号和 Excel 左边的行号一致。
    today, today_reason : 本店的“今天”（评估日）以及它是怎么定的。
    """

    files: list
    rows_read: int
    kept: int
    excluded: dict
    problems: pd.DataFrame
    first_paid: pd.Timestamp | None
    last_paid: pd.Timestamp | None
    customers_with_orders: int
    customers_without_paid: int
    customers_from_list: int
    today: pd.Timestamp
    today_reason: str
    phones_masked: bool
    emails_masked: bool
    items_note: str
    notes: list = field(default_factory=list)
    has_phones: bool = True

    @property
    def skipped(self) -> int:
        """订单文件里因为有问题而整行跳过的行数。"""
        p = self.problems
        return int((p["处理"].str.contains("跳过") & p["文件"].isin(self._order_files)).sum()) if len(p) else 0

    @property
    def _order_files(self) -> list:
        return [f["文件"] for f in self.files if f["类型"] == "订单报表"]

    def to_frame(self) -> pd.DataFrame:
        """把报告的主要数字排成一张两列的表（项目、结果）。"""
        rows = [("读取的订单行（不含表头）", f"{self.rows_read} 行"),
                ("保留：已付款订单", f"{self.kept} 笔")]
        rows += [(f"排除：{k}", f"{v} 笔") for k, v in self.excluded.items()]
        rows.append(("跳过：有问题的行", f"{self.skipped} 行"))
        if self.first_paid is not None:
            rows.append(("付款时间范围", f"{self.first_paid.date()} 至 {self.last_paid.date()}"))
        rows.append(("有已付款订单的客户", f"{self.customers_with_orders} 位"))
        rows.append(("只有未付款或已关闭订单的客户", f"{self.customers_without_paid} 位"))
        if self.customers_from_list:
            rows.append(("只在客户名单里、还没下过单的客户", f"{self.customers_from_list} 位"))
        rows.append(("今天（评估日）", f"{self.today.date()}（{self.today_reason}）"))
        rows.append(("手机号", "已打码" if self.phones_masked else "未打码（只在自己电脑上使用）"))
        return pd.DataFrame(rows, columns=["项目", "结果"]).set_index("项目")

    def __str__(self) -> str:
        lines = ["导入报告"]
        lines += [f"  {f['类型']}：{f['文件']}（{f['编码']}，{f['行数']} 行）" for f in self.files]
        lines.append(f"读取订单 {self.rows_read} 行：保留已付款订单 {self.kept} 笔，"
                     f"排除 {sum(self.excluded.values())} 笔，跳过有问题的行 {self.skipped} 行。")
        if self.excluded:
            lines.append("  排除的原因：" + "，".join(f"{k} {v} 笔" for k, v in self.excluded.items()) + "。")
        if self.first_paid is not None:
            lines.append(f"付款时间从 {self.first_paid.date()} 到 {self.last_paid.date()}。")
        lines.append(f"客户：有已付款订单的 {self.customers_with_orders} 位，"
                     f"只有未付款或已关闭订单的 {self.customers_without_paid} 位"
                     + (f"，只在客户名单里的 {self.customers_from_list} 位" if self.customers_from_list else "")
                     + "。")
        lines.append(f"今天（评估日）：{self.today.date()}，{self.today_reason}。")
        if not self.has_phones:
            lines.append("手机号：文件里没有手机号。")
        else:
            lines.append("手机号：" + ("导入时已打码。" if self.phones_masked else
                                      "没有打码（mask_phones=False）：请只在自己的电脑上使用，不要截图或外传。"))
        lines.append(f"商品明细：{self.items_note}")
        lines += self.notes
        if len(self.problems):
            lines.append(f"有问题的行共 {len(self.problems)} 行（行号与 Excel 左边的行号一致，表头是第 1 行）：")
            shown = self.problems.head(20)
            lines += [f"  {r.文件} 第 {r.行号} 行（订单编号 {r.订单编号 or '—'}）：{r.问题}——{r.处理}"
                      for r in shown.itertuples(index=False)]
            if len(self.problems) > len(shown):
                lines.append(f"  ……另有 {len(self.problems) - len(shown)} 行，见 import_report.problems。")
        else:
            lines.append("没有发现有问题的行。")
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle) -> None:  # 在笔记本里直接显示成中文报告
        printer.text(str(self))


@checked
@dataclass(repr=False)
class ImportedShop(Shop):
    """从导出文件读入的店铺：和教学店铺一样的 Shop，另带一份导入报告 import_report。"""

    import_report: ImportReport | None = None


# ---------------------------------------------------------------------------
# 三、把一个文件读成“全是文本”的表
# ---------------------------------------------------------------------------
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
        if any(b > 0x7F for b in line):
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
    columns = _normalize_mapping(columns)
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


HEADER_ROWS = 30            # 表头最多在第几行（有的导出文件前面有几行说明）


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


def _normalize_mapping(columns) -> dict:
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
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    text = text.str.replace(r'^="(.*)"$', r"\1", regex=True).str.replace(r"^'", "", regex=True)
    return text.str.strip().astype(object)


# ---------------------------------------------------------------------------
# 四、逐列解析：时间、金额、手机号、地址（整列一起做，不逐行循环）
# ---------------------------------------------------------------------------
EARLIEST = pd.Timestamp("2003-05-10")      # 淘宝上线的日子：更早的付款时间不可能是真的
_SLASHED = r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T].*)?$"


@checked
def read_times(text: pd.Series, date_format: str | None = None, column: str = "时间") -> tuple[pd.Series, pd.Series]:
    """把一列时间文字解析成日期时间（北京时间），返回 (时间, 原因)；读不了的时间是 NaT，原因写明为什么。

    - 带时区的写法（2023-06-01T11:00:00+08:00、…Z）换算成北京时间；
    - 01/06/2023 这种看不出是“日/月”还是“月/日”的写法不猜：原因里写明，请用 date_format= 说明
      （例如 date_format="%d/%m/%Y %H:%M"）；13/06/2023 这种只有一种读法的照读；
    - pandas 表示不了的年份（例如 2262 年以后）和不可能的时间（淘宝上线的 2003 年以前、
      比文件里其余时间的中位数晚 20 年以上）都写明原因。
    """
    text = text.astype(str).str.strip()
    reason = pd.Series("", index=text.index, dtype=object)
    too_far = years_out_of_range(text)                      # pandas 的纳秒时间表示不了
    reason[too_far] = column + " “" + text[too_far] + "” 的年份超出了能处理的范围（1678–2261 年）"
    filled = (text != "") & ~too_far
    if date_format:
        out = pd.to_datetime(text.where(filled), errors="coerce", format=date_format).astype("datetime64[ns]")
    else:
        out, plain = parse_iso_times(text, filled)
        slashed = text.str.extract(_SLASHED)
        first, second = pd.to_numeric(slashed[0], errors="coerce"), pd.to_numeric(slashed[1], errors="coerce")
        ambiguous = plain & out.isna() & (first <= 12) & (second <= 12) & (first != second)
        day_first = plain & out.isna() & (first > 12)
        retry = plain & out.isna() & ~ambiguous
        if retry.any():   # 被 Excel 改过的 2024/6/1 20:15 这类写法；13/06/2023 只能是日/月
            out.loc[retry & ~day_first] = pd.to_datetime(text[retry & ~day_first], errors="coerce",
                                                         format="mixed").astype("datetime64[ns]")
            out.loc[day_first] = pd.to_datetime(text[day_first], errors="coerce", format="mixed",
                                                dayfirst=True).astype("datetime64[ns]")
        reason[ambiguous] = (column + " “" + text[ambiguous] + "” 看不出是“日/月/年”还是“月/日/年”："
                             "请用 date_format= 说明（例如 date_format=\"%d/%m/%Y %H:%M\"）")
    implausible = implausible_times(out, EARLIEST)
    reason[implausible] = column + " “" + text[implausible] + "” 不可能是真的付款时间（早于 2003 年淘宝上线，" \
        "或比文件里其他订单晚 20 年以上）"
    out[implausible] = pd.NaT
    bad = filled & out.isna() & (reason == "")
    reason[bad] = column + " “" + text[bad] + "” 看不懂（应写成 2024-06-01 20:15:33 这样）"
    return out, reason


@checked
def parse_times(text: pd.Series) -> pd.Series:
    """把一列时间文字解析成日期时间；空的和看不懂的得到 NaT（原因见 read_times）。"""
    return read_times(text)[0]


MAX_ORDER_YUAN = 10 ** 9     # 一笔订单不可能超过 10 亿元：更大的数多半是把别的列读成了金额


@checked
def read_money_fen(text: pd.Series, decimal: str = ".", column: str = "金额") -> tuple[pd.Series, pd.Series]:
    """把一列金额文字（元，可带 ¥）换成整数“分”，返回 (分, 原因)；读不了的为缺失值，原因写明为什么。

    - 千位逗号只认 1,234.56 这种三位一组的写法；12,34 这种看不出逗号是小数点还是千位分隔的不猜，
      原因里写明（小数点是逗号的表格请传 decimal=","）；
    - inf、Infinity、1e400、超过 10 亿元的数都不是真的金额，写明原因，不会溢出成奇怪的负数。
    """
    raw = text.astype(str).str.strip()
    cleaned = raw.str.replace(r"[¥￥\s]", "", regex=True)
    reason = pd.Series("", index=text.index, dtype=object)
    if decimal == ",":
        cleaned = cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        grouped = cleaned.str.fullmatch(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
        comma = cleaned.str.contains(",", regex=False) & ~grouped
        reason[comma] = column + " “" + raw[comma] + "” 里的逗号看不出是小数点还是千位分隔：" \
            "请写成 1234.56；小数点本来就是逗号的表格请传 decimal=\",\""
        cleaned = cleaned.where(~comma, "").str.replace(",", "", regex=False)
    numbers = pd.to_numeric(cleaned.where(cleaned != ""), errors="coerce").astype("float64")
    huge = ~np.isfinite(numbers.fillna(0)) | (numbers.abs() > MAX_ORDER_YUAN)
    reason[huge & (reason == "")] = column + " “" + raw[huge] + "” 不是真实的金额（无穷大或超过 10 亿元）"
    numbers[huge] = np.nan
    bad = numbers.isna() & (raw != "") & (reason == "")
    reason[bad] = column + " “" + raw[bad] + "” 不是数字"
    fen = pd.Series(np.round(numbers * 100), index=text.index).astype("Int64")
    return fen, reason


@checked
def parse_money_fen(text: pd.Series) -> pd.Series:
    """把一列金额文字（元，可带 ¥ 和千位逗号）换成整数“分”；看不懂的为缺失值（原因见 read_money_fen）。"""
    return read_money_fen(text)[0]


@checked
def parse_phones(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """整理手机号：去掉空格、横线和 +86；返回 (手机号, 是否看不懂)。

    已经打码的号码（例如 138****1234，新版千牛导出时就打了码）原样保留。
    """
    digits = text.astype(str).str.replace(r"[\s\-]", "", regex=True).str.replace(r"^\+?86(?=1\d{10}$)", "", regex=True)
    ok = digits.str.fullmatch(r"1\d{10}") | digits.str.fullmatch(r"1\d{2}\*{4}\d{4}")
    bad = ~ok & (digits != "")
    return digits.where(ok), bad


@checked
def parse_address(address: pd.Series) -> pd.DataFrame:
    """从收货地址里取出省份和城市（不带“省/市/自治区”）。

    "上海 上海市 浦东新区 …" → 上海、上海；"浙江省 杭州市 西湖区 …" → 浙江、杭州；
    没有空格的 "浙江省杭州市西湖区…" 也认得。直辖市的城市就是它自己。
    """
    text = address.astype(str).str.strip()
    parts = text.str.split(r"\s+", n=2, expand=True).reindex(columns=[0, 1])
    compact = text.str.extract(r"^(?P<p>.+?(?:特别行政区|自治区|省|市)|内蒙古|广西|西藏|宁夏|新疆|上海|北京|天津|重庆)"
                               r"(?P<c>.+?(?:自治州|地区|盟|市))?")
    spaced = parts[1].notna() & (parts[1] != "")
    province = parts[0].where(spaced, compact["p"])
    city = parts[1].where(spaced, compact["c"])
    lookup = {v: normalize_region(v) for v in pd.concat([province, city]).dropna().unique()}
    province = province.map(lookup)
    city = city.map(lookup)
    city = city.where(city.notna() & (city != ""), province.where(province.isin(_MUNICIPALITIES)))
    out = pd.DataFrame({"province": province, "city": city}, index=address.index)
    return out.where(text != "").astype(object).where(lambda d: d.notna(), None)


@checked
def parse_flags(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """把“是/否”一类的文字换成 True/False；返回 (结果, 是否看不懂)。看不懂的按 True（宁可少发，不可错发）。"""
    low = text.astype(str).str.strip().str.lower()
    yes, no = low.isin(_BOOL_TRUE), low.isin(_BOOL_FALSE)
    return (yes | ~no), ~(yes | no)


# ---------------------------------------------------------------------------
# 五、订单：分出已付款、排除的、有问题的
# ---------------------------------------------------------------------------
def _problems(frame: pd.DataFrame, mask, message, action=SKIPPED, id_column="订单编号") -> pd.DataFrame:
    """把 mask 选中的行写成报告里的问题行；message 可以是一句话，也可以是逐行的一列文字。"""
    rows = frame[mask]
    text = message[mask] if isinstance(message, pd.Series) else message
    return pd.DataFrame({"文件": rows["_文件"], "行号": rows["_行号"], "订单编号": rows[id_column],
                         "问题": text, "处理": action}, columns=PROBLEM_COLUMNS)


def _collect(found: list) -> pd.DataFrame:
    found = [f for f in found if len(f)]
    return pd.concat(found) if found else pd.DataFrame(columns=PROBLEM_COLUMNS)


@checked
def classify_orders(raw: pd.DataFrame, date_format: str | None = None,
                    decimal: str = ".") -> tuple[pd.Series, pd.DataFrame, pd.Series, pd.Series]:
    """给订单文件的每一行定性：返回 (每行的结果, 问题行, 付款时间, 实付金额（分）)。

    结果是 "已付款"、排除的原因（交易关闭 / 等待买家付款 / 没有付款时间），或 "跳过"（有问题）。
    """
    status = raw["订单状态"] if "订单状态" in raw.columns else pd.Series("", index=raw.index)
    pay_text = raw["订单付款时间"]
    result = pd.Series("已付款", index=raw.index, dtype=object)
    result[pay_text == ""] = NO_PAY_TIME
    result[status.str.contains("等待买家付款|待付款|未付款", regex=True)] = UNPAID
    result[status.str.contains("关闭|取消", regex=True)] = CLOSED
    paid = result == "已付款"

    order_id, buyer = raw["订单编号"], raw["买家会员名"]
    pay_time, time_reason = read_times(pay_text, date_format, "订单付款时间")
    fen, money_reason = read_money_fen(raw["买家实际支付金额"], decimal, "买家实际支付金额")
    checks = [
        (order_id == "", "订单编号是空的"),
        (order_id.str.fullmatch(_SCIENTIFIC),
         "订单编号 " + order_id + " 已被 Excel 改成科学计数法，原来的数字已经丢失（工作簿不会去猜）"),
        (buyer == "", "买家会员名是空的"),
        (pay_time.isna(), time_reason.where(time_reason != "", "订单付款时间是空的")),
        (fen.isna(), money_reason.where(money_reason != "", "买家实际支付金额是空的")),
        (fen.fillna(0) < 0, "买家实际支付金额是负数"),
    ]
    found = []
    bad = pd.Series(False, index=raw.index)
    for mask, message in checks:
        mask = paid & ~bad & mask.fillna(False).astype(bool)
        found.append(_problems(raw, mask, message))
        bad |= mask
    # 同一订单编号出现两次：保留第一次，后面的跳过（可能是两份导出文件有重叠）
    good = paid & ~bad
    first_row = raw.loc[good].groupby("订单编号")["_行号"].transform("first")
    first_file = raw.loc[good].groupby("订单编号")["_文件"].transform("first")
    dup = good & raw["订单编号"].where(good).duplicated(keep="first")   # 只在已付款的好行之间找重复
    hint = np.where(raw["订单编号"].str.fullmatch(r"\d{16,}0"), "；长订单编号末位是 0，可能被 Excel 改写过", "")
    where = first_file.reindex(raw.index).fillna("") + " 第 " + first_row.reindex(raw.index).astype("Int64").astype(str) + " 行"
    found.append(_problems(raw, dup, "订单编号和 " + where + " 重复" + pd.Series(hint, index=raw.index),
                           "跳过（保留第一次出现的那一行）"))
    result[(paid & bad) | dup] = "跳过"
    return result, _collect(found), pay_time, fen


def _channel(raw: pd.DataFrame) -> pd.Series:
    if "是否手机订单" not in raw.columns:
        return pd.Series(None, index=raw.index, dtype=object)
    return pd.Series(np.where(raw["是否手机订单"].str.contains("手机|是|无线", regex=True), "无线", "PC"),
                     index=raw.index, dtype=object)


# ---------------------------------------------------------------------------
# 六、商品明细与商品表
# ---------------------------------------------------------------------------
def _allocate(lines: pd.DataFrame, totals: pd.Series) -> pd.Series:
    """把每笔订单的实付金额（分）按权重分到各行，保证每笔订单各行之和恰好等于实付金额。"""
    total = lines["order_id"].map(totals).astype("int64")
    weight = lines["weight"].astype("int64")
    grouped = weight.groupby(lines["order_id"])
    whole = grouped.transform("sum").replace(0, 1)
    upto = grouped.cumsum()
    return total * upto // whole - total * (upto - weight) // whole


@checked
def items_from_titles(raw: pd.DataFrame, kept: pd.Series, fen: pd.Series) -> pd.DataFrame:
    """没有宝贝报表时，用订单文件的宝贝标题和宝贝总数量凑出商品明细：一笔订单一行。"""
    rows = raw[kept]
    if "宝贝标题" not in rows.columns:      # 既没有宝贝报表，也没有宝贝标题：没有商品信息
        return pd.DataFrame({"order_id": pd.Series(dtype=object), "product": pd.Series(dtype=object),
                             "quantity": pd.Series(dtype="int64"), "amount": pd.Series(dtype="float64")})
    title = rows["宝贝标题"]
    qty = pd.to_numeric(rows["宝贝总数量"], errors="coerce") if "宝贝总数量" in rows.columns \
        else pd.Series(np.nan, index=rows.index)
    return pd.DataFrame({
        "order_id": rows["订单编号"],
        "product": title.where(title != "", "（未写宝贝标题）"),
        "quantity": qty.where(qty >= 1, 1).fillna(1).astype("int64"),
        "amount": fen[kept].astype("int64") / 100,
    })


@checked
def items_from_export(table: RawTable, orders: pd.DataFrame, all_ids: set,
                      decimal: str = ".") -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """宝贝报表（订单里每种宝贝一行）→ 商品明细；按订单编号和已付款订单对应。

    返回 (商品明细, 问题行, 计数)：计数里有“属于已排除的订单”“订单文件里找不到”的行数。
    """
    raw = table.data
    order_id = raw["订单编号"]
    qty = pd.to_numeric(raw["购买数量"], errors="coerce")
    checks = [
        (order_id == "", "订单编号是空的"),
        (order_id.str.fullmatch(_SCIENTIFIC), "订单编号 " + order_id + " 已被 Excel 改成科学计数法，原来的数字已经丢失"),
        (raw["标题"] == "", "宝贝标题是空的"),
        (qty.isna() | (qty < 1) | (qty != np.floor(qty)), "购买数量 “" + raw["购买数量"] + "” 不是正整数"),
    ]
    found, bad = [], pd.Series(False, index=raw.index)
    for mask, message in checks:
        mask = ~bad & mask.fillna(True).astype(bool)
        found.append(_problems(raw, mask, message))
        bad |= mask
    ok = ~bad
    in_paid = order_id.isin(set(orders["order_id"]))
    counts = {"属于已排除或跳过的订单": int((ok & ~in_paid & order_id.isin(all_ids)).sum()),
              "在订单文件里找不到对应订单": int((ok & ~order_id.isin(all_ids)).sum())}
    use = ok & in_paid
    price = read_money_fen(raw["价格"], decimal, "价格")[0] if "价格" in raw.columns \
        else pd.Series(pd.NA, index=raw.index, dtype="Int64")
    lines = pd.DataFrame({"order_id": order_id[use], "product": raw.loc[use, "标题"],
                          "quantity": qty[use].astype("int64"), "price_fen": price[use]})
    lines["weight"] = (lines["price_fen"].fillna(0).astype("int64") * lines["quantity"])
    lines = lines.groupby(["order_id", "product"], as_index=False, sort=True).agg(
        quantity=("quantity", "sum"), weight=("weight", "sum"), price_fen=("price_fen", "first"))
    no_price = lines.groupby("order_id")["weight"].transform("sum") == 0
    lines.loc[no_price, "weight"] = lines.loc[no_price, "quantity"]          # 没有单价：按件数分
    totals = pd.Series((orders["amount"].to_numpy() * 100).round().astype("int64"), index=orders["order_id"])
    lines["amount"] = _allocate(lines, totals) / 100
    problems = _collect(found)
    return lines[["order_id", "product", "quantity", "amount", "price_fen"]], problems, counts


@checked
def products_from_items(items: pd.DataFrame) -> pd.DataFrame:
    """商品表：每个商品一行；导出文件里只有宝贝标题，所以商品简称和标题相同。"""
    out = items.groupby("product", sort=True).agg(price_fen=("price_fen", "first")) \
        if "price_fen" in items.columns else pd.DataFrame(index=pd.Index(sorted(items["product"].unique()), name="product"))
    out = out.reset_index()
    out.insert(1, "title", out["product"])
    if "price_fen" in out.columns:
        out["price"] = out.pop("price_fen").astype("Float64") / 100
    return out


# ---------------------------------------------------------------------------
# 七、客户表与客户名单
# ---------------------------------------------------------------------------
CUSTOMER_TABLE = ["customer_id", "nickname", "gender", "age", "province", "city", "occupation", "points",
                  "phone", "email", "sms_opt_out", "email_opt_out", "register_date", "card_claimed_date"]


@checked
def customers_from_orders(raw: pd.DataFrame, rows: pd.Series, pay_time: pd.Series,
                          date_format: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """每位买家一行：最近一次留下的手机号和地址、第一次下单的日期。返回 (客户表, 手机号看不懂的行)。"""
    part = raw[rows]
    first_time = read_times(part["订单创建时间"], date_format)[0] if "订单创建时间" in part.columns else pay_time[rows]
    first_time = first_time.fillna(pay_time[rows])
    phone, bad_phone = parse_phones(part["联系手机"]) if "联系手机" in part.columns else \
        (pd.Series(None, index=part.index, dtype=object), pd.Series(False, index=part.index))
    region = parse_address(part["收货地址"]) if "收货地址" in part.columns else \
        pd.DataFrame({"province": None, "city": None}, index=part.index)
    frame = pd.DataFrame({"customer_id": part["买家会员名"], "time": first_time, "row": part["_行号"],
                          "phone": phone, "province": region["province"], "city": region["city"]})
    frame = frame.sort_values(["time", "row"], kind="stable")
    grouped = frame.groupby("customer_id", sort=True)
    out = grouped[["phone", "province", "city"]].last()            # 最近一次留下的（跳过空的）
    out["register_date"] = grouped["time"].min().dt.normalize()
    out = out.reset_index()
    problems = _problems(part, bad_phone, "联系手机 “" + part.get("联系手机", "") + "” 不是 11 位手机号",
                         "保留订单，手机号留空")
    return out, problems


@checked
def read_customer_list(path, columns=None, encoding=None) -> tuple[pd.DataFrame, RawTable, pd.DataFrame]:
    """读店铺自己记的客户名单（CSV 或 .xlsx）：买家会员名，以及性别、邮箱、退订等。

    返回 (客户信息表, 原始表, 问题行)。看不懂的“退订”一律按已退订处理（宁可少发，不可错发）。
    """
    table = read_export(path, CUSTOMER_REQUIRED, CUSTOMER_COLUMNS, columns, encoding, kind="客户名单")
    raw = table.data

    def problem(mask, message, action):
        return _problems(raw, mask, message, action, id_column="买家会员名")

    found = [problem(raw["买家会员名"] == "", "买家会员名是空的", SKIPPED)]
    dup = raw["买家会员名"].duplicated(keep="first") & (raw["买家会员名"] != "")
    found.append(problem(dup, "这位客户在名单里出现了不止一次", "跳过（保留第一次出现的那一行）"))
    keep = (raw["买家会员名"] != "") & ~dup
    out = pd.DataFrame({"customer_id": raw["买家会员名"]})
    gender = raw.get("性别", pd.Series("", index=raw.index)).replace({"女性": "女", "男性": "男", "F": "女", "M": "男"})
    out["gender"] = gender.where(gender.isin(["女", "男"]))
    for source, target in (("年龄", "age"), ("积分", "points")):
        values = raw.get(source, pd.Series("", index=raw.index))
        number = pd.to_numeric(values.where(values != ""), errors="coerce")
        wrong = number.isna() & (values != "") | (number < 0) | (number.fillna(0) != np.floor(number.fillna(0)))
        found.append(problem(keep & wrong, f"{source} “" + values + "” 不是非负整数", f"保留客户，{source}留空"))
        out[target] = number.where(~wrong).astype("Int64")
    out["occupation"] = raw.get("职业", pd.Series("", index=raw.index)).replace("", None)
    phone, bad_phone = parse_phones(raw.get("手机号", pd.Series("", index=raw.index)))
    found.append(problem(keep & bad_phone, "手机号 “" + raw.get("手机号", "") + "” 不是 11 位手机号", "保留客户，手机号留空"))
    out["phone"] = phone
    email = raw.get("邮箱", pd.Series("", index=raw.index))
    bad_email = (email != "") & ~email.str.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+")
    found.append(problem(keep & bad_email, "邮箱 “" + email + "” 不是邮箱地址", "保留客户，邮箱留空"))
    out["email"] = email.where((email != "") & ~bad_email)
    for source, target in (("短信退订", "sms_opt_out"), ("邮件退订", "email_opt_out")):
        values = raw.get(source, pd.Series("", index=raw.index))
        flag, unclear = parse_flags(values)
        found.append(problem(keep & unclear, f"{source} “" + values + "” 看不懂", "按已退订处理（宁可少发，不可错发）"))
        out[target] = flag
    problems = _collect(found)
    present = [c for c in ("gender", "age", "points", "occupation", "phone", "email", "sms_opt_out", "email_opt_out")
               if {"gender": "性别", "age": "年龄", "points": "积分", "occupation": "职业", "phone": "手机号",
                   "email": "邮箱", "sms_opt_out": "短信退订", "email_opt_out": "邮件退订"}[c] in raw.columns]
    return out.loc[keep, ["customer_id", *present]].reset_index(drop=True), table, problems


def _merge_customers(base: pd.DataFrame, listed: pd.DataFrame | None) -> pd.DataFrame:
    """把订单里的买家和客户名单合在一起：名单里有的信息补上，名单里有、订单里没有的客户也加进来。"""
    out = base.set_index("customer_id")
    if listed is not None and len(listed):
        info = listed.set_index("customer_id")
        out = out.reindex(out.index.union(info.index, sort=False))
        for col in info.columns:
            if col in out.columns:
                out[col] = out[col].where(out[col].notna(), info[col].reindex(out.index))
            else:
                out[col] = info[col].reindex(out.index)
    out.index.name = "customer_id"
    out = out.reset_index()
    n = len(out)
    defaults = {"nickname": out["customer_id"], "gender": None, "age": pd.array([pd.NA] * n, dtype="Int64"),
                "province": None, "city": None, "occupation": None, "points": pd.array([pd.NA] * n, dtype="Int64"),
                "phone": None, "email": None, "sms_opt_out": False, "email_opt_out": False,
                "register_date": pd.NaT, "card_claimed_date": pd.NaT}
    for col, value in defaults.items():
        if col not in out.columns:
            out[col] = value
    for col in ("gender", "province", "city", "occupation", "phone", "email"):
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    for col in ("sms_opt_out", "email_opt_out"):
        out[col] = out[col].astype(object).where(out[col].notna(), False).astype(bool)
    for col in ("register_date", "card_claimed_date"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    return out[CUSTOMER_TABLE].sort_values("customer_id", kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------
# 八、总入口
# ---------------------------------------------------------------------------
def _as_list(paths) -> list:
    if paths is None:
        return []
    return list(paths) if isinstance(paths, (list, tuple)) else [paths]


def _check_mapping_keys(columns: dict | None, tables: list) -> None:
    """columns= 里写的列名必须至少在一个文件里找得到，否则多半是写错了字。"""
    if not columns:
        return
    found = set()
    for table in tables:
        found |= set(table.raw_header)
    unknown = [k for k in columns if str(k).strip() not in found]
    if unknown:
        listing = "；".join(f"{t.file}：{'、'.join(t.raw_header)}" for t in tables)
        raise ValueError(f"columns= 里的列名 {'、'.join(map(repr, unknown))} 在文件里找不到。"
                         f"文件里的列：{listing}。请照着文件的表头逐字填写（注意空格和全角/半角）。")


def _append_problems(problems: pd.DataFrame, more: pd.DataFrame) -> pd.DataFrame:
    """把两张问题表接起来；空表不参与拼接（pandas 2.x 对空表参与 concat 会给出 FutureWarning）。"""
    if more.empty:
        return problems
    return more if problems.empty else pd.concat([problems, more])


@checked
def read_taobao_orders(orders, items=None, customers=None, *, columns=None, today=None,
                       mask_phones: bool = True, mask_emails: bool | None = None,
                       name: str = "my_shop", encoding: str | None = None, date_format: str | None = None,
                       decimal: str = ".") -> ImportedShop:
    """读取千牛/卖家中心导出的订单报表（以及宝贝报表、自己的客户名单），返回带导入报告的 Shop。

    参数
    ----
    orders : 订单报表文件（ExportOrderList*.csv 或 .xlsx），也可以是几个文件的列表（按月分开导出时）。
    items : 宝贝报表文件（ExportOrderDetailList*.csv，订单里每种宝贝一行），可选；
            没有时用订单报表里的宝贝标题和宝贝总数量，一笔订单算一行（报告里会提醒这个局限）。
    customers : 店铺自己记的客户名单（CSV 或 .xlsx，买家会员名、性别、邮箱、短信退订……），可选。
    columns : {文件里的列名: 标准列名}，给京东、拼多多或自己的表格用，三种文件共用一个字典；
              标准列名见 ORDER_COLUMNS、ITEM_COLUMNS、CUSTOMER_COLUMNS，也可以写 order_id 这类英文名。
    today : 本店的“今天”（评估日）；不填时取最后一笔已付款订单的第二天（从不用电脑的当前日期）。
    mask_phones : 默认 True，导入时就把手机号打码（138****1234）。只有在自己的电脑上、
                  要生成真正能上传到短信平台的发送名单时才传 False。
    mask_emails : 邮箱是否打码；不填时和 mask_phones 一样。
    name : 店铺的名字（Shop.name），默认 "my_shop"；标题取订单里的“店铺名称”。
    encoding : 文件编码；不填时自动识别（GB18030/GBK、UTF-8 带或不带 BOM、UTF-16，GBK 里夹着的 UTF-8 行逐行认出）。
    date_format : 时间的写法，例如 "%d/%m/%Y %H:%M"；不填时自动识别，看不出日/月顺序的行写进报告、不猜。
    decimal : 金额的小数点，默认 "."；小数点是逗号的表格（12,34 表示 12.34 元）传 ","。

    返回 ``ImportedShop``：和 load_shop 的结果一样有 .customers .orders .items .products .today
    和 .summary()，另有 .import_report（中文导入报告，print 即可）。

    为什么用“订单付款时间”作下单时间：CRM 里的订单数、金额、最后下单时间都只算已付款的订单，
    而一笔订单可能今天拍下、明天才付款（或者根本没付款）；付款那一刻才是这笔生意成交的时间。
    订单的金额用“买家实际支付金额”（已扣除优惠券、淘金币，加上邮费），客户编号用“买家会员名”。
    你的原始文件只会被读取，不会被改动。
    """
    columns = _normalize_mapping(columns)
    if decimal not in (".", ","):
        raise ValueError(f"decimal= 只能是 \".\" 或 \",\"，收到的是 {decimal!r}。")
    order_tables = [read_export(p, ORDER_REQUIRED, ORDER_COLUMNS, columns, encoding) for p in _as_list(orders)]
    if not order_tables:
        raise ValueError("请至少给出一个订单报表文件，例如 read_taobao_orders('ExportOrderList2024.csv')。")
    item_tables = [read_export(p, ITEM_REQUIRED, ITEM_COLUMNS, columns, encoding, kind="宝贝报表")
                   for p in _as_list(items)]
    listed, list_table, list_problems = (None, None, None)
    if customers is not None:
        listed, list_table, list_problems = read_customer_list(customers, columns, encoding)
    all_tables = order_tables + item_tables + ([list_table] if list_table is not None else [])
    _check_mapping_keys(columns, all_tables)

    raw = pd.concat([t.data for t in order_tables], ignore_index=True)
    raw = raw.reindex(columns=list(dict.fromkeys(c for t in order_tables for c in t.data.columns)), fill_value="")
    result, problems, pay_time, fen = classify_orders(raw, date_format, decimal)
    kept = result == "已付款"
    if not kept.any():
        detail = problems["问题"].head(3).tolist()
        raise ValueError("文件里没有一笔可以导入的已付款订单。" + (f"例如：{'；'.join(detail)}。" if detail else "")
                         + "如果订单编号都变成了科学计数法，说明文件被 Excel 打开后保存过："
                           "请重新从千牛导出，直接用工作簿读取，不要先用 Excel 打开保存。")
    order_table = pd.DataFrame({
        "order_id": raw.loc[kept, "订单编号"], "customer_id": raw.loc[kept, "买家会员名"],
        "order_time": pay_time[kept], "amount": fen[kept].astype("int64") / 100,
        "channel": _channel(raw)[kept]})
    order_table = order_table.sort_values(["order_time", "order_id"], kind="stable").reset_index(drop=True)
    order_table = validate_orders(order_table)                 # 和教学店铺走同一道检查

    last_paid = order_table["order_time"].max()
    if today is None:
        today_ts = last_paid.normalize() + pd.Timedelta(days=1)
        today_reason = "最后一笔已付款订单的第二天；要指定别的日期，请传 today="
    else:
        today_ts = parse_date(today, "today")
        today_reason = "由 today= 指定"

    # 商品明细
    notes = []
    if item_tables:
        item_raw = RawTable(pd.concat([t.data for t in item_tables], ignore_index=True), "", "", [], [])
        lines, item_problems, counts = items_from_export(item_raw, order_table, set(raw["订单编号"]), decimal)
        problems = _append_problems(problems, item_problems)
        missing = ~order_table["order_id"].isin(set(lines["order_id"]))
        if missing.any():
            fallback = items_from_titles(raw, kept & raw["订单编号"].isin(set(order_table.loc[missing, "order_id"])), fen)
            # 单价列两边都用 Float64（找不到单价的是空值），pandas 2.x 对全空的列参与拼接会给出 FutureWarning
            no_price = pd.Series(pd.NA, index=fallback.index, dtype="Float64")
            lines = pd.concat([lines.assign(price_fen=lines["price_fen"].astype("Float64")),
                               fallback.assign(price_fen=no_price)], ignore_index=True)
        items_note = (f"来自宝贝报表，共 {len(lines)} 行；"
                      + "，".join(f"{k} {v} 行" for k, v in counts.items())
                      + (f"；另有 {int(missing.sum())} 笔已付款订单在宝贝报表里找不到，改用订单报表里的宝贝标题。"
                         if missing.any() else "。"))
    else:
        lines = items_from_titles(raw, kept, fen).assign(price_fen=pd.NA)
        multi = 0
        if "宝贝种类" in raw.columns:
            multi = int((pd.to_numeric(raw.loc[kept, "宝贝种类"], errors="coerce") > 1).sum())
        items_note = ("没有宝贝报表，用订单报表里的宝贝标题和宝贝总数量，一笔订单算一行"
                      + (f"；其中 {multi} 笔订单有不止一种宝贝，它们的宝贝标题是几个标题连在一起的，"
                         "按商品范围分组时不准确。同时导出“宝贝报表”一起读入可以解决。" if multi else "。"))
        if "宝贝标题" not in raw.columns:
            items_note = "没有宝贝报表，订单文件里也没有宝贝标题：商品范围、购买商品总数这两类规则用不了。"
    lines = lines.sort_values(["order_id", "product"], kind="stable").reset_index(drop=True)
    product_table = products_from_items(lines)
    item_table = lines[["order_id", "product", "quantity", "amount"]].copy()

    # 客户
    seen = result.isin(["已付款", CLOSED, UNPAID, NO_PAY_TIME]) & (raw["买家会员名"] != "")
    base, phone_problems = customers_from_orders(raw, seen, pay_time, date_format)
    problems = _append_problems(problems, phone_problems)
    if list_problems is not None:
        problems = _append_problems(problems, list_problems)
    customer_table = _merge_customers(base, listed)
    mask_emails = mask_phones if mask_emails is None else mask_emails
    if mask_phones:
        customer_table["phone"] = mask_phone(customer_table["phone"]).astype(object).where(
            customer_table["phone"].notna(), None)
    if mask_emails:
        customer_table["email"] = mask_email(customer_table["email"]).astype(object).where(
            customer_table["email"].notna(), None)

    paid_buyers = set(order_table["customer_id"])
    in_orders = set(base["customer_id"])
    excluded = {k: int((result == k).sum()) for k in (CLOSED, UNPAID, NO_PAY_TIME) if (result == k).any()}
    after = int((order_table["order_time"] >= today_ts + pd.Timedelta(days=1)).sum())
    if after:
        notes.append(f"注意：有 {after} 笔已付款订单在今天（{today_ts.date()}）之后，按“今天”分析时不计入。")
    if listed is not None:
        matched = int(listed["customer_id"].isin(in_orders).sum())
        notes.append(f"客户名单：{list_table.file}（{list_table.encoding}）共 {len(listed)} 位，"
                     f"其中 {matched} 位在订单里出现过。")
    files = [{"类型": "订单报表", "文件": t.file, "编码": t.encoding, "行数": len(t.data) + len(t.problems)}
             for t in order_tables]
    files += [{"类型": "宝贝报表", "文件": t.file, "编码": t.encoding, "行数": len(t.data) + len(t.problems)}
              for t in item_tables]
    field_problems = [pd.DataFrame(t.problems, columns=PROBLEM_COLUMNS) for t in all_tables if t.problems]
    problems = pd.concat([*field_problems, problems]) if field_problems else problems
    problems = problems.sort_values(["文件", "行号"], kind="stable").reset_index(drop=True)
    problems["行号"] = problems["行号"].astype("int64")

    report = ImportReport(
        files=files, rows_read=int(sum(f["行数"] for f in files if f["类型"] == "订单报表")),
        kept=len(order_table), excluded=excluded, problems=problems,
        first_paid=order_table["order_time"].min(), last_paid=last_paid,
        customers_with_orders=len(paid_buyers), customers_without_paid=len(in_orders - paid_buyers),
        customers_from_list=len(set(customer_table["customer_id"]) - in_orders),
        today=today_ts, today_reason=today_reason, phones_masked=bool(mask_phones),
        emails_masked=bool(mask_emails), has_phones=bool(customer_table["phone"].notna().any()),
        items_note=items_note, notes=notes)
    title = _shop_title(raw, name)
    return ImportedShop(name=name, title=title, today=today_ts, customers=customer_table, orders=order_table,
                        items=item_table, products=product_table, events=None,
                        story="从导出文件读入的店铺。", import_report=report)


def _shop_title(raw: pd.DataFrame, name: str) -> str:
    if "店铺名称" in raw.columns:
        names = raw["店铺名称"][raw["店铺名称"] != ""]
        if len(names):
            return str(names.value_counts().index[0])
    return name

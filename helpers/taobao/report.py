"""导入报告：一次导入读了哪些文件、保留了什么、排除了什么、哪几行有问题；以及带报告的店铺 ImportedShop。

读文件（files）、解析字段（fields）、整理成表（tables）时发现的问题行，都用这里的 problem_rows 写成
同一种格式（文件、行号、订单编号、问题、处理），最后汇总进 ImportReport.problems。
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..data import Shop
from ..validation import checked

PROBLEM_COLUMNS = ["文件", "行号", "订单编号", "问题", "处理"]
SKIPPED = "整行跳过"


# ---------------------------------------------------------------------------
# 一、问题行：同一种格式
# ---------------------------------------------------------------------------
@checked
def problem_rows(frame: pd.DataFrame, mask: pd.Series, message, action: str = SKIPPED,
                 id_column: str = "订单编号") -> pd.DataFrame:
    """把 frame 里 mask 选中的行写成报告里的问题行（文件、行号、订单编号、问题、处理）。

    frame 是读进来的原始表（带 _文件、_行号 两列）；message 可以是一句话，也可以是逐行的一列文字；
    id_column 是写进“订单编号”一栏的列（客户名单用 买家会员名）。
    """
    missing = [c for c in ("_文件", "_行号", id_column) if c not in frame.columns]
    if missing:
        raise ValueError(f"problem_rows() 的参数 frame 应是读进来的原始表，缺少列：{'、'.join(missing)}。")
    rows = frame.loc[mask, list(dict.fromkeys(["_文件", "_行号", id_column]))]     # 只取要用的三列（表可能有几十万行）
    text = message[mask] if isinstance(message, pd.Series) else message
    return pd.DataFrame({"文件": rows["_文件"], "行号": rows["_行号"], "订单编号": rows[id_column],
                         "问题": text, "处理": action}, columns=PROBLEM_COLUMNS)


@checked
def collect_problems(found: list) -> pd.DataFrame:
    """把几张问题表（problem_rows 的结果）接成一张；都是空的时返回只有表头的空表。"""
    if not all(isinstance(f, pd.DataFrame) for f in found):
        raise ValueError("collect_problems() 的参数 found 应是问题表（DataFrame）的列表，例如 [problem_rows(...), ...]。")
    found = [f for f in found if len(f)]
    return pd.concat(found) if found else pd.DataFrame(columns=PROBLEM_COLUMNS)


@checked
def append_problems(problems: pd.DataFrame, more: pd.DataFrame) -> pd.DataFrame:
    """把两张问题表接起来；空表不参与拼接（pandas 2.x 对空表参与 concat 会给出 FutureWarning）。"""
    if more.empty:
        return problems
    return more if problems.empty else pd.concat([problems, more])


# ---------------------------------------------------------------------------
# 二、导入报告与带报告的店铺
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

"""导出到 Excel / CSV：中文列名、手机号和邮箱打码、文字不会变成公式，从不改动原表或学生自己的文件。

工作簿写出的每个表格文件（导出的名单、成绩表、短信发送名单、发送记录）都经过这里的
write_xlsx / write_csv：以 = + - @、制表符或回车开头的文字（例如昵称
``=HYPERLINK("http://…","点我领券")``）不会被 Excel、WPS 当成公式执行。
做法参照 OWASP 关于 CSV 注入的建议：CSV 里在这样的文字前加一个单引号 '；
xlsx 里把这样的单元格明确存成文字（看到的内容一字不差）。
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .columns import chinese_headers
from .privacy import mask_contacts
from .validation import checked

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@checked
def outputs_dir() -> Path:
    """课程笔记本写出的文件（导出的名单、会员卡图片、示范用的文件）都放在仓库根目录的 outputs/ 文件夹
    （不提交到仓库）；环境变量 CRM_OUTPUTS 可以改到别处。"""
    env = os.environ.get("CRM_OUTPUTS")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "outputs"


@checked
def output_path(name: str) -> Path:
    """outputs/ 文件夹里的一个文件：output_path("母亲节分组.xlsx")、output_path("会员卡/VIP1_普通会员.png")；
    以 / 结尾时是一个文件夹：output_path("会员卡/")。需要的文件夹先建好；不会写到笔记本所在的 notebooks/ 里。"""
    relative = Path(str(name).strip())
    if not str(name).strip() or relative.is_absolute() or ".." in relative.parts:
        raise ValueError(f"output_path 要的是 outputs/ 里的文件名（例如 '母亲节分组.xlsx'），收到的是 {name!r}。")
    path = outputs_dir() / relative
    folder = path if str(name).strip().endswith(("/", "\\")) else path.parent
    folder.mkdir(parents=True, exist_ok=True)
    return path


def _risky(column: pd.Series) -> pd.Series:
    """这一列里哪些格是“以公式字符开头的文字”（数字不算：-5 是数，不是公式）。"""
    if not (column.dtype == object or pd.api.types.is_string_dtype(column.dtype)):
        return pd.Series(False, index=column.index)
    text = column.map(lambda v: v if isinstance(v, str) else "")
    return text.str.startswith(FORMULA_START)


@checked
def neutralize_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """返回一份副本：以 = + - @、制表符、回车开头的文字前加单引号 '（写 CSV 用），原表不变。"""
    out = df.copy()
    for col in out.columns:
        risky = _risky(out[col])
        if risky.any():
            out[col] = out[col].astype(object)
            out.loc[risky, col] = "'" + out.loc[risky, col].astype(str)
    if any(isinstance(c, str) and c.startswith(FORMULA_START) for c in out.columns):
        out.columns = ["'" + c if isinstance(c, str) and c.startswith(FORMULA_START) else c for c in out.columns]
    return out


@checked
def restore_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """neutralize_formulas 的反面：读回工作簿自己写的 CSV（发送记录）时去掉那个单引号。"""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            text = out[col].map(lambda v: v if isinstance(v, str) else "")
            marked = text.str.startswith("'") & text.str[1:].str.startswith(FORMULA_START)
            if marked.any():
                out.loc[marked, col] = text[marked].str[1:]
    return out


@checked
def write_csv(df: pd.DataFrame, path_or_file, **to_csv_args) -> None:
    """写 CSV，文字单元格不会变成公式（见模块说明）。其余参数交给 DataFrame.to_csv。"""
    neutralize_formulas(df).to_csv(path_or_file, **to_csv_args)


@checked
def write_xlsx(path, sheets: dict, index: bool = False, format_sheet=None) -> Path:
    """写一个 xlsx 文件，sheets 是 {工作表名: 表}；以 = 开头的文字存成文字，不是公式。

    format_sheet(sheet, df)：可选，写完每张表后调整格式（列宽、冻结窗格）。
    """
    path = Path(path)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, df in sheets.items():
            df.to_excel(writer, sheet_name=str(name)[:31], index=index)
            sheet = writer.sheets[str(name)[:31]]
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":        # openpyxl 把以 = 开头的字符串当公式
                        cell.data_type = "s"
            if format_sheet is not None:
                format_sheet(sheet, df)
    return path


@checked
def to_chinese_columns(df: pd.DataFrame) -> pd.DataFrame:
    """返回一份换成中文表头、手机号邮箱已打码、商品集合写成文字的副本（原表不变）。"""
    out = chinese_headers(mask_contacts(df))
    if out.index.name:
        out = out.reset_index()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(object)
    return out


@checked
def export_excel(df: pd.DataFrame, path: str | Path, sheet_name: str = "客户名单", overwrite: bool = False) -> Path:
    """把一张表（分组、会员名单、RFM 结果……）导出为 Excel，表头是中文，手机号已打码。

    参数
    ----
    df : 要导出的表。
    path : 目标文件路径（.xlsx）。为保护已有文件，默认不覆盖，需要时传 overwrite=True。
    sheet_name : 工作表名称。
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"导出文件应以 .xlsx 结尾，收到的是 {path.name}。")
    if path.exists() and not overwrite:
        raise ValueError(f"文件 {path} 已经存在。为了不覆盖你的文件，请换个文件名，或传入 overwrite=True。")
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_xlsx(path, {sheet_name: to_chinese_columns(df)})

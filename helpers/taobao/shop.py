"""总入口 read_taobao_orders：读订单报表（以及宝贝报表、客户名单），整理成带导入报告的 Shop。

步骤：files 读文件 → tables 给每一行定性、整理出订单、商品明细、商品和客户表 →
``helpers.validate_orders`` 做和教学店铺一样的检查 → 手机号、邮箱默认打码 → 写导入报告（report）。
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..money import fen_to_yuan
from ..privacy import mask_email, mask_phone
from ..validation import checked, parse_date, validate_orders
from .fields import to_numbers
from .files import (ITEM_COLUMNS, ITEM_REQUIRED, ORDER_COLUMNS, ORDER_REQUIRED, RawTable, column_mapping, object_column,
                    read_export)
from .progress import Progress
from .report import PROBLEM_COLUMNS, SKIPPED, ImportedShop, ImportReport, append_problems
from .tables import (CLOSED, NO_PAY_TIME, UNPAID, classify_orders, customers_from_orders, items_from_export,
                     items_from_titles, merge_customers, order_channel, products_from_items, read_customer_list)


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


@checked
def read_taobao_orders(orders, items=None, customers=None, *, columns=None, today=None,
                       mask_phones: bool = True, mask_emails: bool | None = None,
                       name: str = "my_shop", encoding: str | None = None, date_format: str | None = None,
                       decimal: str = ".", progress: bool | None = None) -> ImportedShop:
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
    progress : 进度条。默认（None）导入超过 2 秒还没完成时才显示（几十万行的导出文件），小文件不显示；
               True 总是显示，False 从不显示。

    返回 ``ImportedShop``：和 load_shop 的结果一样有 .customers .orders .items .products .today
    和 .summary()，另有 .import_report（中文导入报告，print 即可）。

    为什么用“订单付款时间”作下单时间：CRM 里的订单数、金额、最后下单时间都只算已付款的订单，
    而一笔订单可能今天拍下、明天才付款（或者根本没付款）；付款那一刻才是这笔生意成交的时间。
    订单的金额用“买家实际支付金额”（已扣除优惠券、淘金币，加上邮费），客户编号用“买家会员名”。
    你的原始文件只会被读取，不会被改动。
    """
    columns = column_mapping(columns)
    if decimal not in (".", ","):
        raise ValueError(f"decimal= 只能是 \".\" 或 \",\"，收到的是 {decimal!r}。")
    bar = Progress(progress, "读取订单导出文件")
    try:
        return _import(orders, items, customers, columns, today, mask_phones, mask_emails, name, encoding,
                       date_format, decimal, bar)
    finally:
        bar.close()


def _file_parts(bar: Progress, groups: list, share: float) -> list:
    """读文件占进度条的前 share：按文件大小分给每个文件，返回每组文件各自的进度。"""
    sizes = [[_size(p) for p in paths] for paths in groups]
    total = sum(map(sum, sizes)) or 1
    parts, done = [], 0.0
    for (kind, _), group in zip(groups, sizes):
        mine = []
        for size in group:
            mine.append(bar.part(done, done + share * size / total, kind))
            done += share * size / total
        parts.append(mine)
    return parts


def _size(path) -> int:
    try:
        return Path(path).stat().st_size if isinstance(path, (str, Path)) and Path(path).is_file() else 0
    except OSError:
        return 0


def _import(orders, items, customers, columns, today, mask_phones, mask_emails, name, encoding, date_format,
            decimal, bar: Progress) -> ImportedShop:
    order_paths, item_paths = _as_list(orders), _as_list(items)
    order_parts, item_parts, list_parts = _file_parts(bar, [("读取订单导出文件", order_paths), ("读取宝贝报表", item_paths),
                                                            ("读取客户名单", [] if customers is None else [customers])], 0.6)
    # 只留下认得的列（ORDER_COLUMNS 等）：别的列（收货人、物流单号……）不用，读的时候就不保存
    order_tables = [read_export(p, ORDER_REQUIRED, ORDER_COLUMNS, columns, encoding, progress=part,
                                keep=tuple(ORDER_COLUMNS))
                    for p, part in zip(order_paths, order_parts)]
    if not order_tables:
        raise ValueError("请至少给出一个订单报表文件，例如 read_taobao_orders('ExportOrderList2024.csv')。")
    item_tables = [read_export(p, ITEM_REQUIRED, ITEM_COLUMNS, columns, encoding, kind="宝贝报表", progress=part,
                               keep=tuple(ITEM_COLUMNS))
                   for p, part in zip(item_paths, item_parts)]
    listed, list_table, list_problems = (None, None, None)
    if customers is not None:
        listed, list_table, list_problems = read_customer_list(customers, columns, encoding, list_parts[0])
    all_tables = order_tables + item_tables + ([list_table] if list_table is not None else [])
    _check_mapping_keys(columns, all_tables)

    raw = pd.concat([t.data for t in order_tables], ignore_index=True)
    raw = raw.reindex(columns=list(dict.fromkeys(c for t in order_tables for c in t.data.columns)), fill_value="")
    bar.part(0.6, 0.75, "检查订单").update(0.0)
    result, problems, pay_time, fen = classify_orders(raw, date_format, decimal)
    kept = result == "已付款"
    if not kept.any():
        detail = problems["问题"].head(3).tolist()
        raise ValueError("文件里没有一笔可以导入的已付款订单。" + (f"例如：{'；'.join(detail)}。" if detail else "")
                         + "如果订单编号都变成了科学计数法，说明文件被 Excel 打开后保存过："
                           "请重新从千牛导出，直接用工作簿读取，不要先用 Excel 打开保存。")
    order_table = pd.DataFrame({
        "order_id": raw.loc[kept, "订单编号"], "customer_id": raw.loc[kept, "买家会员名"],
        "order_time": pay_time[kept], "amount": fen_to_yuan(fen[kept].astype("int64")),
        "channel": order_channel(raw)[kept]})
    order_table = _sorted(order_table, ["order_time", "order_id"])
    bar.part(0.75, 0.8, "检查订单").update(0.0)
    order_table = validate_orders(order_table)                 # 和教学店铺走同一道检查
    bar.part(0.8, 0.85, "整理商品明细").update(0.0)

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
        problems = append_problems(problems, item_problems)
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
        lines = items_from_titles(raw, kept, fen, as_object=False).assign(price_fen=pd.NA)
        multi = 0
        if "宝贝种类" in raw.columns:
            multi = int((to_numbers(raw.loc[kept, "宝贝种类"]) > 1).sum())
        items_note = ("没有宝贝报表，用订单报表里的宝贝标题和宝贝总数量，一笔订单算一行"
                      + (f"；其中 {multi} 笔订单有不止一种宝贝，它们的宝贝标题是几个标题连在一起的，"
                         "按商品范围分组时不准确。同时导出“宝贝报表”一起读入可以解决。" if multi else "。"))
        if "宝贝标题" not in raw.columns:
            items_note = "没有宝贝报表，订单文件里也没有宝贝标题：商品范围、购买商品总数这两类规则用不了。"
    lines = _sorted(lines, ["order_id", "product"])
    if not item_tables:              # 排好以后再换成 object 列（和以前的类型一样）
        lines["order_id"] = lines["order_id"].astype(object)
        lines["product"] = object_column(lines["product"])
    product_table = products_from_items(lines)
    item_table = lines[["order_id", "product", "quantity", "amount"]].copy()

    # 客户
    bar.part(0.85, 0.97, "整理客户").update(0.0)
    seen = result.isin(["已付款", CLOSED, UNPAID, NO_PAY_TIME]) & (raw["买家会员名"] != "")
    base, phone_problems = customers_from_orders(raw, seen, pay_time, date_format)
    problems = append_problems(problems, phone_problems)
    if list_problems is not None:
        problems = append_problems(problems, list_problems)
    customer_table = merge_customers(base, listed)
    mask_emails = mask_phones if mask_emails is None else mask_emails
    if mask_phones:
        customer_table["phone"] = mask_phone(customer_table["phone"]).astype(object).where(
            customer_table["phone"].notna(), None)
    if mask_emails:
        customer_table["email"] = mask_email(customer_table["email"]).astype(object).where(
            customer_table["email"].notna(), None)

    paid_buyers = set(order_table["customer_id"].unique())
    in_orders = set(base["customer_id"].unique())
    counts = result.value_counts()
    excluded = {k: int(counts[k]) for k in (CLOSED, UNPAID, NO_PAY_TIME) if counts.get(k, 0) > 0}
    after = int((order_table["order_time"] >= today_ts + pd.Timedelta(days=1)).sum())
    if after:
        notes.append(f"注意：有 {after} 笔已付款订单在今天（{today_ts.date()}）之后，按“今天”分析时不计入。")
    if listed is not None:
        matched = int(listed["customer_id"].isin(in_orders).sum())
        notes.append(f"客户名单：{list_table.file}（{list_table.encoding}）共 {len(listed)} 位，"
                     f"其中 {matched} 位在订单里出现过。")
    # 读到的行数 = 留下的行 + 整行跳过的行（按 UTF-8 读的行已经在留下的行里，不再算一次）
    files = [{"类型": "订单报表", "文件": t.file, "编码": t.encoding, "行数": len(t.data) + _skipped(t)}
             for t in order_tables]
    files += [{"类型": "宝贝报表", "文件": t.file, "编码": t.encoding, "行数": len(t.data) + _skipped(t)}
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
    bar.part(0.97, 1.0, "整理客户").update(1.0)
    return ImportedShop(name=name, title=title, today=today_ts, customers=customer_table, orders=order_table,
                        items=item_table, products=product_table, events=None,
                        story="从导出文件读入的店铺。", import_report=report)


def _sorted(frame: pd.DataFrame, by: list) -> pd.DataFrame:
    """和 frame.sort_values(by, kind="stable").reset_index(drop=True) 相同，在 Arrow 里排（文字按码位比较，空值在最后）。"""
    keys = pa.table({name: pa.array(frame[name].to_numpy() if frame[name].dtype.kind == "M" else frame[name],
                                    from_pandas=True) for name in by})
    order = pc.sort_indices(keys, sort_keys=[(name, "ascending") for name in by])        # 稳定排序，空值默认在最后
    return frame.take(order.to_numpy()).reset_index(drop=True)


def _skipped(table: RawTable) -> int:
    return sum(1 for p in table.problems if p[4] == SKIPPED)


def _shop_title(raw: pd.DataFrame, name: str) -> str:
    if "店铺名称" in raw.columns:
        names = raw["店铺名称"][raw["店铺名称"] != ""]
        if len(names):
            return str(names.value_counts().index[0])
    return name

"""整理成工作簿的表：订单文件的每一行定性（已付款、排除、跳过），商品明细和商品表，客户表和客户名单。

输入是 files.read_export 读进来的“全是文本”的表，字段用 fields 里的函数解析；
输出的订单、商品明细、商品、客户四张表，列和教学店铺的一样。金额在这里一律按分（整数）计算，
每笔订单分到各种宝贝上的金额加起来恰好等于实付金额。
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..money import fen_to_yuan, to_fen
from ..validation import checked
from .files import CUSTOMER_COLUMNS, CUSTOMER_REQUIRED, RawTable, object_column, read_export
from .fields import SCIENTIFIC, parse_address, parse_flags, read_money_fen, read_phones, read_times, to_numbers
from .progress import Progress
from .report import SKIPPED, collect_problems, problem_rows

CLOSED, UNPAID, NO_PAY_TIME = "交易关闭", "等待买家付款", "没有付款时间"      # 不算已付款的三种订单


# ---------------------------------------------------------------------------
# 一、订单：分出已付款、排除的、有问题的
# ---------------------------------------------------------------------------
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
    scientific = order_id.str.fullmatch(SCIENTIFIC).fillna(False).astype(bool)
    no_time, no_money = pay_time.isna(), fen.isna()
    checks = [               # 逐行的说明只为出问题的行拼（几十万行的文件里只有几行）
        (order_id == "", "订单编号是空的"),
        (scientific, _only(scientific, lambda rows: "订单编号 " + order_id[rows] +
                           " 已被 Excel 改成科学计数法，原来的数字已经丢失（工作簿不会去猜）")),
        (buyer == "", "买家会员名是空的"),
        (no_time, _only(no_time, lambda rows: time_reason[rows].where(time_reason[rows] != "", "订单付款时间是空的"))),
        (no_money, _only(no_money, lambda rows: money_reason[rows].where(money_reason[rows] != "",
                                                                           "买家实际支付金额是空的"))),
        (fen.fillna(0) < 0, "买家实际支付金额是负数"),
    ]
    found = []
    bad = pd.Series(False, index=raw.index)
    for mask, message in checks:
        mask = paid & ~bad & mask.fillna(False).astype(bool)
        found.append(problem_rows(raw, mask, message))
        bad |= mask
    # 同一订单编号出现两次：保留第一次，后面的跳过（可能是两份导出文件有重叠）
    good = paid & ~bad
    dup = good & raw["订单编号"].where(good).duplicated(keep="first")   # 只在已付款的好行之间找重复
    # 重复的行说出第一次出现在哪个文件的第几行（只为重复的行拼这句话）
    ids = raw.loc[good, ["订单编号", "_行号", "_文件"]]
    ids = ids[ids["订单编号"].isin(set(raw.loc[dup, "订单编号"]))]
    first = ids.groupby("订单编号")[["_行号", "_文件"]].transform("first")
    first_row, first_file = first["_行号"], first["_文件"]
    hint = pd.Series(np.where(raw.loc[dup, "订单编号"].str.fullmatch(r"\d{16,}0"),
                              "；长订单编号末位是 0，可能被 Excel 改写过", ""), index=raw.index[dup], dtype=object)
    where = first_file.reindex(raw.index[dup]).fillna("") + " 第 " + \
        first_row.reindex(raw.index[dup]).astype("Int64").astype(str) + " 行"
    found.append(problem_rows(raw, dup, ("订单编号和 " + where + " 重复" + hint).reindex(raw.index),
                              "跳过（保留第一次出现的那一行）"))
    result[(paid & bad) | dup] = "跳过"
    return result, collect_problems(found), pay_time, fen


def _only(rows: pd.Series, message) -> pd.Series:
    """message(rows) 只算 rows 选中的行，其余行是空值（problem_rows 只用选中的行）。"""
    return message(rows).reindex(rows.index)


@checked
def order_channel(raw: pd.DataFrame) -> pd.Series:
    """每笔订单的渠道：“是否手机订单”写着手机、是或无线的记为“无线”，其余为“PC”；文件里没有这一列时为空值。"""
    if "是否手机订单" not in raw.columns:
        return pd.Series(None, index=raw.index, dtype=object)
    return pd.Series(np.where(raw["是否手机订单"].str.contains("手机|是|无线", regex=True), "无线", "PC"),
                     index=raw.index, dtype=object)


# ---------------------------------------------------------------------------
# 二、商品明细与商品表
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
def items_from_titles(raw: pd.DataFrame, kept: pd.Series, fen: pd.Series, as_object: bool = True) -> pd.DataFrame:
    """没有宝贝报表时，用订单文件的宝贝标题和宝贝总数量凑出商品明细：一笔订单一行。

    as_object=False 时订单编号、商品两列保留为文本列（str），不换成 object 列（排序以后再换更快）。
    """
    rows = raw.loc[kept, [c for c in ("订单编号", "宝贝标题", "宝贝总数量") if c in raw.columns]]    # 只取要用的几列
    if "宝贝标题" not in rows.columns:      # 既没有宝贝报表，也没有宝贝标题：没有商品信息
        return pd.DataFrame({"order_id": pd.Series(dtype=object), "product": pd.Series(dtype=object),
                             "quantity": pd.Series(dtype="int64"), "amount": pd.Series(dtype="float64")})
    title = rows["宝贝标题"]
    qty = to_numbers(rows["宝贝总数量"]) if "宝贝总数量" in rows.columns \
        else pd.Series(np.nan, index=rows.index)
    return pd.DataFrame({                   # 订单编号、宝贝标题是 object 列（和商品明细表的其他来源拼接时一致）
        "order_id": rows["订单编号"].astype(object) if as_object else rows["订单编号"],
        "product": object_column(title.where(title != "", "（未写宝贝标题）")) if as_object else
        title.where(title != "", "（未写宝贝标题）"),
        "quantity": qty.where(qty >= 1, 1).fillna(1).astype("int64"),
        "amount": fen_to_yuan(fen[kept].astype("int64")),
    })


@checked
def items_from_export(table: RawTable, orders: pd.DataFrame, all_ids: set,
                      decimal: str = ".") -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """宝贝报表（订单里每种宝贝一行）→ 商品明细；按订单编号和已付款订单对应。

    返回 (商品明细, 问题行, 计数)：计数里有“属于已排除的订单”“订单文件里找不到”的行数。
    """
    raw = table.data
    order_id = raw["订单编号"]
    qty = to_numbers(raw["购买数量"])
    checks = [
        (order_id == "", "订单编号是空的"),
        (order_id.str.fullmatch(SCIENTIFIC), "订单编号 " + order_id + " 已被 Excel 改成科学计数法，原来的数字已经丢失"),
        (raw["标题"] == "", "宝贝标题是空的"),
        (qty.isna() | (qty < 1) | (qty != np.floor(qty)), "购买数量 “" + raw["购买数量"] + "” 不是正整数"),
    ]
    found, bad = [], pd.Series(False, index=raw.index)
    for mask, message in checks:
        mask = ~bad & mask.fillna(True).astype(bool)
        found.append(problem_rows(raw, mask, message))
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
    totals = pd.Series(to_fen(orders["amount"]).to_numpy(), index=orders["order_id"])
    lines["amount"] = fen_to_yuan(_allocate(lines, totals))
    problems = collect_problems(found)
    return lines[["order_id", "product", "quantity", "amount", "price_fen"]], problems, counts


@checked
def products_from_items(items: pd.DataFrame) -> pd.DataFrame:
    """商品表：每个商品一行；导出文件里只有宝贝标题，所以商品简称和标题相同。"""
    out = items.groupby("product", sort=True).agg(price_fen=("price_fen", "first")) \
        if "price_fen" in items.columns else pd.DataFrame(index=pd.Index(sorted(items["product"].unique()), name="product"))
    out = out.reset_index()
    out.insert(1, "title", out["product"])
    if "price_fen" in out.columns:
        out["price"] = fen_to_yuan(out.pop("price_fen").astype("Float64"))      # 空值（没有单价）→ NaN
    return out


# ---------------------------------------------------------------------------
# 三、客户表与客户名单
# ---------------------------------------------------------------------------
CUSTOMER_TABLE = ["customer_id", "nickname", "gender", "age", "province", "city", "occupation", "points",
                  "phone", "email", "sms_opt_out", "email_opt_out", "register_date", "card_claimed_date"]


@checked
def customers_from_orders(raw: pd.DataFrame, rows: pd.Series, pay_time: pd.Series,
                          date_format: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """每位买家一行：最近一次留下的手机号和地址、第一次下单的日期。返回 (客户表, 手机号看不懂的行)。"""
    index = raw.index[rows]

    def part(column):                       # 一次只取一列要用的行（几十万行的表，整张表取一遍很占内存）
        return raw.loc[rows, column]

    first_time = read_times(part("订单创建时间"), date_format)[0] if "订单创建时间" in raw.columns else pay_time[rows]
    first_time = first_time.fillna(pay_time[rows])
    phone, phone_reason = read_phones(part("联系手机"), "联系手机") if "联系手机" in raw.columns else \
        (pd.Series(None, index=index, dtype=object), pd.Series("", index=index, dtype=object))
    region = parse_address(part("收货地址")) if "收货地址" in raw.columns else \
        pd.DataFrame({"province": None, "city": None}, index=index)
    frame = pd.DataFrame({"customer_id": part("买家会员名"), "time": first_time, "row": part("_行号"),
                          "phone": phone, "province": region["province"], "city": region["city"]})
    time = frame["time"].to_numpy(dtype="datetime64[ns]")
    order = np.lexsort((frame["row"].to_numpy(), time.view("int64"), np.isnat(time)))   # 按时间、行号；没有时间的在最后
    frame = frame.take(order)
    grouped = frame.groupby("customer_id", sort=True)
    out = grouped[["phone", "province", "city"]].last()            # 最近一次留下的（跳过空的）
    out["register_date"] = grouped["time"].min().dt.normalize()
    out = out.reset_index()
    bad_phone = (phone_reason != "").reindex(raw.index, fill_value=False)
    problems = problem_rows(raw, bad_phone, phone_reason.reindex(raw.index), "保留订单，手机号留空")
    return out, problems


@checked
def read_customer_list(path, columns=None, encoding=None,
                       progress: Progress | None = None) -> tuple[pd.DataFrame, RawTable, pd.DataFrame]:
    """读店铺自己记的客户名单（CSV 或 .xlsx）：买家会员名，以及性别、邮箱、退订等。

    返回 (客户信息表, 原始表, 问题行)。看不懂的“退订”一律按已退订处理（宁可少发，不可错发）。
    progress 是读文件的进度（大文件显示进度条用）。
    """
    table = read_export(path, CUSTOMER_REQUIRED, CUSTOMER_COLUMNS, columns, encoding, kind="客户名单",
                        progress=progress, keep=tuple(CUSTOMER_COLUMNS))
    raw = table.data

    def problem(mask, message, action):
        return problem_rows(raw, mask, message, action, id_column="买家会员名")

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
    phone, phone_reason = read_phones(raw.get("手机号", pd.Series("", index=raw.index)), "手机号")
    found.append(problem(keep & (phone_reason != ""), phone_reason, "保留客户，手机号留空"))
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
    problems = collect_problems(found)
    present = [c for c in ("gender", "age", "points", "occupation", "phone", "email", "sms_opt_out", "email_opt_out")
               if {"gender": "性别", "age": "年龄", "points": "积分", "occupation": "职业", "phone": "手机号",
                   "email": "邮箱", "sms_opt_out": "短信退订", "email_opt_out": "邮件退订"}[c] in raw.columns]
    return out.loc[keep, ["customer_id", *present]].reset_index(drop=True), table, problems


@checked
def merge_customers(base: pd.DataFrame, listed: pd.DataFrame | None = None) -> pd.DataFrame:
    """把订单里的买家（customers_from_orders 的结果）和客户名单（read_customer_list 的结果）合成工作簿的客户表。

    名单里有的信息补上，名单里有、订单里没有的客户也加进来；列和教学店铺的 customers 一样（CUSTOMER_TABLE）。
    """
    if "customer_id" not in base.columns or (listed is not None and "customer_id" not in listed.columns):
        raise ValueError("merge_customers() 的两张表都要有 customer_id 列（买家会员名）。")
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

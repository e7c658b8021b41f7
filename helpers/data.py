"""加载教材里的三家店铺：客户表、订单表、商品明细表、商品表（夏艺女装还有行为、活动、广告表）。"""
from __future__ import annotations

import difflib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .validation import checked, parse_date, prepare_items, validate_orders


@checked
@dataclass(frozen=True)
class ShopInfo:
    """一家教学店铺的基本信息：名称、故事里的“今天”、一句话介绍。"""

    name: str
    title: str
    today: str
    story: str
    latest: str = ""   # 数据文件写到哪一天之前；空 = 就到 today 之前


    @property
    def latest_today(self) -> str:
        """load_shop(today=...) 最晚可以设到哪一天（这一天零点之前的数据都在文件里）。"""
        return self.latest or self.today


# 每家店铺“今天”的日期固定写在这里，所有课程都以它为准，从不使用电脑当前时间。
SHOPS = {
    "a_kids": ShopInfo("a_kids", "A店铺（天猫童装）", "2015-05-01",
                       "天猫童装店，准备 2015 年母亲节精准营销。"),
    "health": ShopInfo("health", "**保健品专卖（天猫）", "2016-06-01",
                       "面向中老年人的天猫保健品店，准备 2016 年端午节短信和邮件营销。"),
    "xiayi": ShopInfo("xiayi", "夏艺女装（淘宝C店）", "2018-12-10",
                      "女士大衣淘宝店，用于店铺VIP、新会员营销、RFM-PGSB 分级和智能触达；"
                      "第 12 章站在 2019-02-16 回看双12召回短信的效果。", latest="2019-02-16"),
}

_ID_COLUMNS = {"customer_id": str, "order_id": str, "coupon_order_id": str, "product": str, "phone": str,
               "email": str}


@checked
def datasets_dir() -> Path:
    """数据文件夹的位置：默认是仓库里的 datasets/，可用环境变量 CRM_DATASETS 改到别处。"""
    env = os.environ.get("CRM_DATASETS")
    return Path(env) if env else Path(__file__).resolve().parent.parent / "datasets"


@checked
@dataclass
class Shop:
    """一家店铺的全部数据表，以及这家店铺固定的“今天”。"""

    name: str
    title: str
    today: pd.Timestamp
    customers: pd.DataFrame
    orders: pd.DataFrame
    items: pd.DataFrame
    products: pd.DataFrame
    events: pd.DataFrame | None = None
    campaigns: pd.DataFrame | None = None
    campaign_members: pd.DataFrame | None = None
    ads: pd.DataFrame | None = None
    story: str = field(default="", repr=False)

    def summary(self, as_of=None) -> pd.DataFrame:
        """按客户汇总（默认截至本店的“今天”），等同于 customer_summary(...)。"""
        from .summary import customer_summary

        return customer_summary(self.orders, self.items, self.customers,
                                as_of=self.today if as_of is None else as_of,
                                products=self.products)

    def __repr__(self) -> str:
        parts = [f"客户 {len(self.customers)} 位", f"订单 {len(self.orders)} 笔",
                 f"商品 {len(self.products)} 种"]
        if self.events is not None:
            parts.append(f"行为事件 {len(self.events)} 条")
        if self.campaigns is not None and len(self.campaigns):
            parts.append(f"营销活动 {len(self.campaigns)} 个")
        if self.ads is not None and len(self.ads):
            parts.append(f"广告计划 {len(self.ads)} 条")
        return f"<店铺 {self.title}：今天 = {self.today.date()}，" + "，".join(parts) + ">"


@checked
def shop_names() -> list[str]:
    """列出可以用 load_shop 加载的店铺名。"""
    return list(SHOPS)


def _read(path: Path) -> pd.DataFrame:
    header = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
    dtypes = {c: t for c, t in _ID_COLUMNS.items() if c in header}
    return pd.read_csv(path, encoding="utf-8-sig", dtype=dtypes, keep_default_na=False,
                       na_values={c: [""] for c in header if c not in dtypes})


def _to_bool(series: pd.Series) -> pd.Series:
    return series.fillna(0).astype(int).astype(bool)


@checked
def load_shop(name: str, today=None) -> Shop:
    """加载一家教学店铺，返回 Shop（含 .customers .orders .items .products .today）。

    参数
    ----
    name : 店铺名，'a_kids'、'health' 或 'xiayi'。
    today : 站在哪一天看这家店，默认是教材案例固定的“今天”（SHOPS[name].today）。
        只读入这一天零点之前的数据：之前下的订单、之前注册的客户、之前的行为、之前发出的活动。
        夏艺女装的文件里有到 2019-02-15 的数据，第 12 章用 today="2019-02-16" 回看双12活动；
        其余章节用默认的 2018-12-10。
    """
    if name not in SHOPS:
        close = difflib.get_close_matches(str(name), SHOPS, n=1)
        hint = f"你是不是想写 '{close[0]}'？" if close else ""
        listing = "、".join(f"'{k}'（{v.title}）" for k, v in SHOPS.items())
        raise ValueError(f"没有名为 {name!r} 的店铺。{hint}可用的店铺：{listing}。")
    info = SHOPS[name]
    day = parse_date(info.today if today is None else today, "today")
    latest = parse_date(info.latest_today, "today")
    if day > latest:
        raise ValueError(f"店铺 {name} 的数据只到 {(latest - pd.Timedelta(days=1)).date()}，"
                         f"today 最晚可以设为 {latest.date()}，收到的是 {day.date()}。")
    folder = datasets_dir() / name
    if not (folder / "orders.csv").exists():
        raise ValueError(
            f"找不到店铺 {name} 的数据文件夹 {folder}。请在仓库根目录运行 "
            "python datasets/generate.py 重新生成数据。"
        )
    full = _cached_tables(folder)
    customers = _before(full["customers"], full["customers"]["register_date"], day)
    orders = _before(full["orders"], full["orders"]["order_time"], day)
    items = full["items"]
    items = items[_isin(items["order_id"], orders["order_id"])].reset_index(drop=True)
    tables = {}
    if "events" in full:
        tables["events"] = _before(full["events"], full["events"]["event_time"], day)
    if "campaigns" in full:
        campaigns = _before(full["campaigns"], full["campaigns"]["send_time"], day)
        members = full["campaign_members"]
        tables["campaigns"] = campaigns
        tables["campaign_members"] = members[_isin(members["campaign_id"], campaigns["campaign_id"])].reset_index(drop=True)
    if "ads" in full:
        tables["ads"] = _before(full["ads"], full["ads"]["end_date"], day)
    return Shop(name=name, title=info.title, today=day, customers=customers, orders=orders,
                items=items, products=full["products"], story=info.story, **tables)


def _read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """读入并检查一家店铺的全部 CSV（不按“今天”截取）。"""
    customers = _read(folder / "customers.csv")
    for col in ("phone", "email"):
        customers[col] = customers[col].replace("", pd.NA)
    for col in ("sms_opt_out", "email_opt_out"):
        customers[col] = _to_bool(customers[col])
    for col in ("register_date", "card_claimed_date"):
        customers[col] = pd.to_datetime(customers[col], format="%Y-%m-%d")
    tables = {"customers": customers, "orders": validate_orders(_read(folder / "orders.csv")),
              "items": prepare_items(_read(folder / "items.csv")), "products": _read(folder / "products.csv")}
    if (folder / "events.csv").exists():
        events = _read(folder / "events.csv")
        events["event_time"] = pd.to_datetime(events["event_time"], format="%Y-%m-%d %H:%M:%S")
        tables["events"] = events
    if (folder / "campaigns.csv").exists():
        campaigns = _read(folder / "campaigns.csv")
        for col in ("send_time", "coupon_end"):
            campaigns[col] = pd.to_datetime(campaigns[col], format="%Y-%m-%d %H:%M:%S")
        members = _read(folder / "campaign_members.csv")
        members["coupon_order_id"] = members["coupon_order_id"].replace("", pd.NA)
        tables["campaigns"] = campaigns
        tables["campaign_members"] = members
    if (folder / "ads.csv").exists():
        ads = _read(folder / "ads.csv")
        for col in ("start_date", "end_date"):
            ads[col] = pd.to_datetime(ads[col], format="%Y-%m-%d")
        tables["ads"] = ads
    return tables


# ---- 读好的店铺存一份缓存 ------------------------------------------------------------
# 读 CSV、检查订单表每次要 0.2 秒左右；读好的表存成一个文件，下次直接取出（约 0.01 秒）。
# 缓存的名字由店铺文件夹里每个 CSV 的内容（SHA-256）、读取和检查的代码、pandas / pyarrow / Python 的版本
# 决定，任何一样变了就重新读 CSV。位置：环境变量 CRM_CACHE 指定的文件夹；没有时是当前 Python 环境
# （虚拟环境）里的 var/crm-workbook/；CRM_CACHE=off 不用缓存。写不进去（只读目录）时照常读 CSV。


@checked
def cache_dir() -> Path | None:
    """读好的店铺缓存放在哪里；CRM_CACHE=off 时返回 None（不用缓存）。"""
    env = os.environ.get("CRM_CACHE", "").strip()
    if env.lower() in ("off", "0", "no", "false"):
        return None
    return Path(env) if env else Path(sys.prefix) / "var" / "crm-workbook"


def _cache_key(folder: Path) -> str:
    import hashlib
    import platform

    import pyarrow

    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.csv")):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    for module in ("data.py", "validation.py", "money.py"):
        digest.update((Path(__file__).resolve().parent / module).read_bytes())
    digest.update(f"{pd.__version__} {pyarrow.__version__} {platform.python_version()}".encode())
    return digest.hexdigest()[:24]


def _cached_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """店铺的全部表：缓存里有同一份数据就直接取出，否则读 CSV 并存进缓存。"""
    import pickle

    root = cache_dir()
    if root is None:
        return _read_tables(folder)
    key = _cache_key(folder)
    target = root / f"{folder.name}-{key}.pickle"
    try:
        with open(target, "rb") as fh:
            return pickle.load(fh)
    except Exception:   # 没有缓存、缓存坏了或读不了：重新读 CSV
        pass
    tables = _read_tables(folder)
    try:
        root.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        with open(partial, "wb") as fh:
            pickle.dump(tables, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, target)
        for old in root.glob(f"{folder.name}-*.pickle"):
            if old != target:
                old.unlink(missing_ok=True)
    except OSError:     # 只读的环境（例如机房统一安装的）：不缓存，照常使用
        pass
    return tables


def _isin(values: pd.Series, allowed: pd.Series) -> np.ndarray:
    """values 的每一格是否出现在 allowed 里（用 Arrow 计算：pandas 对文本列的 isin 慢 10 倍以上）。"""
    import pyarrow as pa
    import pyarrow.compute as pc

    found = pc.is_in(pa.array(values.astype(str)), value_set=pa.array(allowed.astype(str).unique()))
    return found.to_numpy(zero_copy_only=False)


def _before(table: pd.DataFrame, when: pd.Series, day: pd.Timestamp) -> pd.DataFrame:
    """只留 day 零点之前的行（“今天”还没有过完，今天及以后的事还没有发生）。"""
    keep = (when < day).to_numpy()
    return table if keep.all() else table[keep].reset_index(drop=True)

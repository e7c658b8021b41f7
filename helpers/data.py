"""加载教材里的三家店铺：客户表、订单表、商品明细表、商品表（夏艺女装还有行为、活动、广告表）。"""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path

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
    customers = _read(folder / "customers.csv")
    for col in ("phone", "email"):
        customers[col] = customers[col].replace("", pd.NA)
    for col in ("sms_opt_out", "email_opt_out"):
        customers[col] = _to_bool(customers[col])
    for col in ("register_date", "card_claimed_date"):
        customers[col] = pd.to_datetime(customers[col], format="%Y-%m-%d")
    customers = _before(customers, customers["register_date"], day)
    orders = validate_orders(_read(folder / "orders.csv"))
    orders = _before(orders, orders["order_time"], day)
    items = prepare_items(_read(folder / "items.csv"))
    items = items[items["order_id"].isin(orders["order_id"])].reset_index(drop=True)
    products = _read(folder / "products.csv")
    tables = {}
    if (folder / "events.csv").exists():
        events = _read(folder / "events.csv")
        events["event_time"] = pd.to_datetime(events["event_time"], format="%Y-%m-%d %H:%M:%S")
        tables["events"] = _before(events, events["event_time"], day)
    if (folder / "campaigns.csv").exists():
        campaigns = _read(folder / "campaigns.csv")
        for col in ("send_time", "coupon_end"):
            campaigns[col] = pd.to_datetime(campaigns[col], format="%Y-%m-%d %H:%M:%S")
        campaigns = _before(campaigns, campaigns["send_time"], day)
        members = _read(folder / "campaign_members.csv")
        members["coupon_order_id"] = members["coupon_order_id"].replace("", pd.NA)
        members = members[members["campaign_id"].isin(campaigns["campaign_id"])]
        tables["campaigns"] = campaigns
        tables["campaign_members"] = members.reset_index(drop=True)
    if (folder / "ads.csv").exists():
        ads = _read(folder / "ads.csv")
        for col in ("start_date", "end_date"):
            ads[col] = pd.to_datetime(ads[col], format="%Y-%m-%d")
        tables["ads"] = _before(ads, ads["end_date"], day)
    return Shop(name=name, title=info.title, today=day, customers=customers, orders=orders,
                items=items, products=products, story=info.story, **tables)


def _before(table: pd.DataFrame, when: pd.Series, day: pd.Timestamp) -> pd.DataFrame:
    """只留 day 零点之前的行（“今天”还没有过完，今天及以后的事还没有发生）。"""
    keep = (when < day).to_numpy()
    return table if keep.all() else table[keep].reset_index(drop=True)

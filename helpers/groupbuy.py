"""拼团：跨境平台“创建拼团”的活动设置规则、太平洋时间与北京时间、一个团什么时候失败。

一场拼团活动写成 ``GroupBuy``（活动名称、开始和结束时间、二人团/多人团、折扣、每个 SKU 的活动库存），
``campaign.problems()`` 逐条检查平台规则，返回违反的规则（中文，每条以【规则名】开头），空列表表示全部符合；
写法和新会员礼包的 ``check_gift_pack`` 一样，``raise_errors=True`` 时有问题就抛出 ValueError。
课堂上边填边看结果的表单是 ``helpers.widgets.group_buy_editor``（在 helpers/widgets/groupbuy.py，这里只管规则和计算）。

平台后台的时间都是**美国太平洋时间**（America/Los_Angeles，有夏令时），我们在北京（Asia/Shanghai，没有夏令时）：
冬天北京比太平洋时间快 16 小时，夏天快 15 小时。本模块用 Python 自带的 zoneinfo 换算，不手写时差。

本工作簿的几个决定（原文没有写明的地方）：
- 活动时长按太平洋时间的日历算：开始时刻往后 180 天的同一钟点是最晚的结束时刻（跨过夏令时切换也一样）；
- 成团的 24 小时按实际经过的时间算（买家看到的是倒计时），到点那一刻付款的仍算在内；
- 活动的结束时刻本身仍在活动内；一个商品在另一场拼团结束（或从那场活动退出）之后才能参加新的活动；
- 多人团至少 3 人；成团人数算上开团的人；二人团/多人团和成团人数设置后都不能改；
- 每个 SKU 的活动库存至少 1 件，而且不能超过它的正常库存（活动库存和正常库存分开设置）；
- 折扣指“比原价便宜百分之几”：折扣 20% 的拼团价是原价的 80%（打八折），四舍五入到分。
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from .money import round_yuan
from .validation import checked

PACIFIC = ZoneInfo("America/Los_Angeles")   # 平台后台用的时间：美国太平洋时间
BEIJING = ZoneInfo("Asia/Shanghai")         # 我们的时间：北京时间
UTC = dt.timezone.utc
GROUP_TYPES = ("二人团", "多人团")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

__all__ = [
    "PACIFIC", "BEIJING", "GROUP_TYPES", "GroupBuyRules", "TEXTBOOK_GROUP_BUY_RULES", "SkuStock", "GroupBuy",
    "parse_time", "to_beijing", "to_pacific", "format_time", "zone_label", "dst_changes", "group_price",
    "group_deadline", "group_succeeds",
]


# ============================================================================
# 一、时间：太平洋时间与北京时间
# ============================================================================

@checked
def parse_time(value, zone: ZoneInfo = PACIFIC, what: str = "时间") -> dt.datetime:
    """把 '2019-03-01 09:00' 这样的文字、datetime 或 Timestamp 变成 zone 时区里带时区的时间。

    参数
    ----
    value : 文字（'YYYY-MM-DD HH:MM' 或 'YYYY-MM-DD HH:MM:SS'，只写日期表示零点）、datetime 或 pandas.Timestamp。
            不带时区的时间当作 zone 的钟点；带时区的时间换算到 zone。
    zone : 时区，默认太平洋时间 PACIFIC。
    what : 报错时怎么称呼这个时间，例如“活动开始时间”。
    """
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            raise ValueError(f"{what}是空值：请写成 2019-03-01 09:00 这样的时间。")
        value = value.to_pydatetime()
    elif isinstance(value, str):
        text = value.strip().replace("/", "-").replace("T", " ")
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{what}“{value}”看不懂：请写成 2019-03-01 09:00 这样的格式"
                             "（年-月-日 时:分，24 小时制）。") from None
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if not isinstance(value, dt.datetime):
        raise ValueError(f"{what}应是文字（例如 '2019-03-01 09:00'）、datetime 或 Timestamp，"
                         f"收到的是 {type(value).__name__}。")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        return value.replace(tzinfo=zone)
    return value.astimezone(zone)


@checked
def to_beijing(value) -> dt.datetime:
    """把太平洋时间换成北京时间（不带时区的输入当作太平洋时间的钟点）。"""
    return parse_time(value, PACIFIC).astimezone(BEIJING)


@checked
def to_pacific(value) -> dt.datetime:
    """把北京时间换成太平洋时间（不带时区的输入当作北京时间的钟点）。"""
    return parse_time(value, BEIJING).astimezone(PACIFIC)


@checked
def format_time(value: dt.datetime) -> str:
    """'2019-03-01 16:00:00' 这样的钟点文字（不写时区，表头里写）。"""
    return value.strftime(TIME_FORMAT)


@checked
def zone_label(value: dt.datetime) -> str:
    """这个时刻用的是哪种时间，例如“太平洋夏令时 UTC−7”“北京时间 UTC+8”。"""
    hours = value.utcoffset().total_seconds() / 3600
    offset = f"UTC{'+' if hours >= 0 else '−'}{abs(hours):g}"
    if value.tzinfo == BEIJING:
        return f"北京时间 {offset}"
    if value.tzinfo == PACIFIC:
        return f"太平洋{'夏令时' if value.dst() else '标准时间'} {offset}"
    return offset


def _exists(value: dt.datetime) -> bool:
    """这个钟点在它的时区里真的出现过吗？（夏令时开始那天 2:00–3:00 的钟点不存在）"""
    back = value.astimezone(UTC).astimezone(value.tzinfo)
    return back.replace(tzinfo=None) == value.replace(tzinfo=None)


def _ambiguous(value: dt.datetime) -> bool:
    """这个钟点出现了两次吗？（夏令时结束那天 1:00–2:00 的钟点走两遍）"""
    return value.replace(fold=0).utcoffset() != value.replace(fold=1).utcoffset()


@checked
def dst_changes(year: int, zone: ZoneInfo = PACIFIC) -> tuple:
    """zone 在 year 年切换夏令时的两天：(开始夏令时的日期, 结束夏令时的日期)，都是 datetime.date。

    按时区数据逐日比较中午的 UTC 偏移得出（一年 365 天，不是按客户循环），不手写日期。
    没有夏令时的时区（例如北京）返回 (None, None)。
    """
    start = end = None
    previous = dt.datetime(int(year) - 1, 12, 31, 12, tzinfo=zone).utcoffset()
    day = dt.date(int(year), 1, 1)
    while day.year == int(year):  # 循环的是一年里的日子
        offset = dt.datetime(day.year, day.month, day.day, 12, tzinfo=zone).utcoffset()
        if offset > previous:
            start = day
        elif offset < previous:
            end = day
        previous = offset
        day += dt.timedelta(days=1)
    return start, end


# ============================================================================
# 二、规则与活动设置
# ============================================================================

@checked
@dataclass(frozen=True)
class GroupBuyRules:
    """拼团的平台规则（都是数据，可以改）。后两项是本工作簿的决定，见模块说明。"""

    max_name_chars: int = 32         # 活动名称最多几个字（只有卖家自己看得到）
    max_days: float = 180              # 活动最长几天
    min_discount: float = 5.0        # 折扣下限（%，含）
    max_discount: float = 99.0       # 折扣上限（%，含）
    fill_hours: float = 24.0         # 开团后多少小时内没成团就失败
    min_multi_size: int = 3          # 多人团至少几人
    stock_within_normal: bool = True  # 活动库存不能超过正常库存


TEXTBOOK_GROUP_BUY_RULES = GroupBuyRules()


def _is_number(value) -> bool:
    return (isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))
            and bool(np.isfinite(value)))


def _is_count(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


@checked
@dataclass(frozen=True)
class SkuStock:
    """参加拼团的一个 SKU（例如“茧型毛呢外套 / 驼色 M”）：商品详情页价格、正常库存、活动库存。

    campaign_stock 是这个 SKU 单独设置的活动库存；None 表示还没设置。
    """

    product: str
    sku: str
    price: float
    normal_stock: int
    campaign_stock: int | None = None

    def __post_init__(self):
        if not str(self.product).strip() or not str(self.sku).strip():
            raise ValueError("SKU 要写明商品名（product）和规格（sku），例如 SkuStock('茧型毛呢外套', '驼色 M', 299, 80, 30)。")
        if not _is_number(self.price) or self.price <= 0:
            raise ValueError(f"{self.product} / {self.sku} 的价格 price 应是大于 0 的数字（元），收到 {self.price!r}。")
        if not _is_count(self.normal_stock) or self.normal_stock < 0:
            raise ValueError(f"{self.product} / {self.sku} 的正常库存 normal_stock 应是不小于 0 的整数，"
                             f"收到 {self.normal_stock!r}。")
        if self.campaign_stock is not None and not _is_count(self.campaign_stock):
            raise ValueError(f"{self.product} / {self.sku} 的活动库存 campaign_stock 应是整数（件），"
                             f"或者 None 表示还没设置，收到 {self.campaign_stock!r}。")

    @property
    def label(self) -> str:
        return f"{self.product} / {self.sku}"


@checked
@dataclass(frozen=True)
class GroupBuy:
    """一场拼团活动的设置（和平台“创建拼团”页面上的各项一一对应）。

    参数
    ----
    name : 活动名称（最多 32 个字，只有卖家自己看得到，买家看不到）。
    start, end : 开始和结束时间，太平洋时间的钟点（例如 '2019-03-01 00:00'）；带时区的时间会换算成太平洋时间。
                 开始时间一到活动就生效。
    group_type : '二人团' 或 '多人团'；设置后不能改。
    group_size : 几人成团（算上开团的人）；不写时二人团是 2，多人团是 3。
    discount : 折扣（%）：比商品详情页价格便宜百分之几，5 到 99 之间；所选商品的全部 SKU 都用这个折扣。
    skus : 参加活动的 SKU（SkuStock 的列表）；活动库存按 SKU 单独设置，和正常库存分开。
    withdrawn : 已经从这场活动里退出的商品（退出后可以参加别的活动）。
    """

    name: str
    start: dt.datetime
    end: dt.datetime
    group_type: str = "二人团"
    group_size: int | None = None
    discount: float = 10.0
    skus: tuple = ()
    withdrawn: frozenset = field(default_factory=frozenset)

    def __post_init__(self):
        object.__setattr__(self, "name", str(self.name))
        object.__setattr__(self, "start", parse_time(self.start, PACIFIC, "活动开始时间"))
        object.__setattr__(self, "end", parse_time(self.end, PACIFIC, "活动结束时间"))
        object.__setattr__(self, "group_type", str(self.group_type).strip())
        size = self.group_size
        if size is None:
            size = 3 if self.group_type == "多人团" else 2
        if not _is_count(size):
            raise ValueError(f"成团人数 group_size 应是整数（人），收到 {size!r}。")
        object.__setattr__(self, "group_size", int(size))
        if not _is_number(self.discount):
            raise ValueError(f"折扣 discount 应是一个数（%），例如 20 表示比原价便宜 20%，收到 {self.discount!r}。")
        skus = tuple(self.skus)
        for s in skus:
            if not isinstance(s, SkuStock):
                raise ValueError(f"skus 里的每一项应是 SkuStock(...)，收到 {s!r}。"
                                 "例如 SkuStock('茧型毛呢外套', '驼色 M', 299, 80, 30)。")
        object.__setattr__(self, "skus", skus)
        gone = {self.withdrawn} if isinstance(self.withdrawn, str) else set(self.withdrawn)
        object.__setattr__(self, "withdrawn", frozenset(gone))

    # ---- 读出来的量 ----
    @property
    def products(self) -> tuple:
        """参加活动的商品（按 SKU 表里第一次出现的顺序）。"""
        return tuple(dict.fromkeys(s.product for s in self.skus))

    @property
    def duration(self) -> dt.timedelta:
        """活动时长，按太平洋时间的日历算（两个钟点之差；跨过夏令时切换时不加减那 1 小时）。"""
        return self.end.replace(tzinfo=None) - self.start.replace(tzinfo=None)

    def status(self, at) -> str:
        """在 at（太平洋时间）这一刻，活动是“未开始”“进行中”还是“已结束”（结束时刻本身仍算进行中）。"""
        moment = parse_time(at, PACIFIC)
        if moment < self.start:
            return "未开始"
        return "进行中" if moment <= self.end else "已结束"

    def describe(self) -> str:
        """把活动设置读成几行中文。"""
        lines = [f"拼团活动“{self.name}”（名称只有卖家看得到）",
                 f"  时间：太平洋时间 {format_time(self.start)} 至 {format_time(self.end)}，"
                 f"北京时间 {format_time(to_beijing(self.start))} 至 {format_time(to_beijing(self.end))}",
                 f"  类型：{self.group_type}，{self.group_size} 人成团（算上开团的人），"
                 f"开团后 {TEXTBOOK_GROUP_BUY_RULES.fill_hours:g} 小时内不成团就失败",
                 f"  折扣：{self.discount:g}%（拼团价 = 商品详情页价格 × {100 - self.discount:g}%，只在拼团链接页显示）"]
        lines += [f"  SKU：{s.label}，原价 {s.price:g} 元，拼团价 {group_price(s.price, self.discount):g} 元，"
                  f"正常库存 {s.normal_stock} 件，活动库存 "
                  + ("未设置" if s.campaign_stock is None else f"{s.campaign_stock} 件") for s in self.skus]
        if self.withdrawn:
            lines.append(f"  已退出这场活动的商品：{'、'.join(sorted(self.withdrawn))}")
        return "\n".join(lines)

    def schedule(self) -> pd.DataFrame:
        """活动开始、结束时刻在太平洋时间和北京时间各是几点，差几个小时（冬令时 16 小时，夏令时 15 小时）。"""
        rows = {}
        for label, moment in (("开始", self.start), ("结束", self.end)):
            beijing = to_beijing(moment)
            rows[label] = {"太平洋时间": format_time(moment), "太平洋时间用的是": zone_label(moment),
                           "北京时间": format_time(beijing),
                           "北京比太平洋快（小时）": int((beijing.utcoffset() - moment.utcoffset()).total_seconds() // 3600)}
        out = pd.DataFrame.from_dict(rows, orient="index")
        out.index.name = "时刻"
        return out

    def prices(self) -> pd.DataFrame:
        """每个 SKU 在两个页面上显示的价格：商品详情页只显示原价，拼团价只在拼团链接页显示。"""
        rows = [{"商品": s.product, "SKU": s.sku, "商品详情页显示（元）": float(s.price),
                 "拼团链接页显示（元）": group_price(s.price, self.discount)} for s in self.skus]
        return pd.DataFrame(rows, columns=["商品", "SKU", "商品详情页显示（元）", "拼团链接页显示（元）"])

    # ---- 平台规则 ----
    def problems(self, others=(), as_of=None, previous: "GroupBuy | None" = None,
                 rules: GroupBuyRules = TEXTBOOK_GROUP_BUY_RULES, raise_errors: bool = False) -> list:
        """检查这份设置是否符合平台规则，返回违反的规则（中文，一条一句，以【规则名】开头）；空列表表示全部符合。

        参数
        ----
        others : 店里其他的拼团活动（GroupBuy 的列表）；一个商品在别的活动结束或退出之前，不能参加这一场。
        as_of : 保存这份设置的时刻（太平洋时间）；不给时用本活动的开始时间。
        previous : 这场活动上一次保存的设置；给出时检查类型和成团人数有没有被改。
        rules : 平台规则，默认 TEXTBOOK_GROUP_BUY_RULES（32 个字、180 天、5%–99%、24 小时……）。
        raise_errors : True 时，有违反就抛出 ValueError（信息里列出全部问题）。

        规则名：名称、时间、时长、类型、折扣、库存、商品。
        """
        found = []
        n = len(self.name.strip())
        if n == 0:
            found.append("【名称】活动名称不能为空（名称只有卖家自己看得到，写清楚是哪一场活动）。")
        elif len(self.name) > rules.max_name_chars:
            found.append(f"【名称】活动名称最多 {rules.max_name_chars} 个字：现在是 {len(self.name)} 个字"
                         f"（汉字、字母、数字、空格都算 1 个），请删掉 {len(self.name) - rules.max_name_chars} 个。")
        for label, moment in (("开始", self.start), ("结束", self.end)):
            if not _exists(moment):
                found.append(f"【时间】太平洋时间 {format_time(moment)} 不存在：那天夏令时开始，时钟从 2:00 直接跳到 3:00，"
                             f"请把{label}时间换到 3:00 以后。")
            elif _ambiguous(moment):
                found.append(f"【时间】太平洋时间 {format_time(moment)} 有两个：那天夏令时结束，1:00–2:00 要走两遍，"
                             f"请把{label}时间避开这一小时。")
        if self.end <= self.start:
            found.append(f"【时间】结束时间（{format_time(self.end)}）要晚于开始时间（{format_time(self.start)}）。")
        elif self.duration > dt.timedelta(days=rules.max_days):
            found.append(f"【时长】活动最长 {rules.max_days} 天：现在是 {_duration_text(self.duration)}，"
                         f"结束时间最晚是太平洋时间 {format_time(self.start + dt.timedelta(days=rules.max_days))}。")
        found += self._type_problems(previous, rules)
        if not rules.min_discount <= self.discount <= rules.max_discount:
            found.append(f"【折扣】折扣要在 {rules.min_discount:g}% 到 {rules.max_discount:g}% 之间（两端都可以）："
                         f"现在是 {self.discount:g}%。")
        found += self._stock_problems(rules)
        found += self._product_problems(others, as_of)
        if found and raise_errors:
            raise ValueError("拼团设置不符合平台规则：\n" + "\n".join(found))
        return found

    def _type_problems(self, previous, rules) -> list:
        out = []
        if self.group_type not in GROUP_TYPES:
            out.append(f"【类型】拼团类型只有{'和'.join(GROUP_TYPES)}两种，现在写的是“{self.group_type}”。")
        elif self.group_type == "二人团" and self.group_size != 2:
            out.append(f"【类型】二人团是 2 人成团（开团的人 + 1 位参团的人），现在写的是 {self.group_size} 人。")
        elif self.group_type == "多人团" and self.group_size < rules.min_multi_size:
            out.append(f"【类型】多人团至少 {rules.min_multi_size} 人成团，现在写的是 {self.group_size} 人；"
                       "2 人成团请选二人团。")
        if previous is not None and (previous.group_type, previous.group_size) != (self.group_type, self.group_size):
            out.append(f"【类型】拼团类型设置后不能修改：这场活动原来是{previous.group_type}（{previous.group_size} 人成团），"
                       f"现在改成了{self.group_type}（{self.group_size} 人成团）。要换类型，请另建一场活动。")
        return out

    def _stock_problems(self, rules) -> list:
        out = []
        for s in self.skus:  # 循环的是几个 SKU，不是客户
            if s.campaign_stock is None:
                out.append(f"【库存】{s.label} 还没有设置活动库存：活动库存要按 SKU 一个一个设置，和正常库存分开。")
            elif s.campaign_stock < 1:
                out.append(f"【库存】{s.label} 的活动库存是 {s.campaign_stock} 件：至少要有 1 件。")
            elif rules.stock_within_normal and s.campaign_stock > s.normal_stock:
                out.append(f"【库存】{s.label} 的活动库存 {s.campaign_stock} 件超过了正常库存 {s.normal_stock} 件："
                           "活动库存不能超过手上真有的货（等于正常库存可以）。")
        return out

    def _product_problems(self, others, as_of) -> list:
        if not self.skus:
            return ["【商品】还没有选商品：至少选一个商品，并给它的 SKU 设置活动库存。"]
        moment = self.start if as_of is None else parse_time(as_of, PACIFIC, "as_of")
        out = []
        for other in others:  # 循环的是店里的几场活动
            if not isinstance(other, GroupBuy):
                raise ValueError(f"others 里的每一项应是 GroupBuy(...)，收到 {type(other).__name__}。")
            if other.end < moment:
                continue                                   # 那场活动已经结束，商品已经释放
            for product in self.products:
                if product in other.products and product not in other.withdrawn:
                    out.append(f"【商品】“{product}”还在拼团活动“{other.name}”里（那场活动到太平洋时间 "
                               f"{format_time(other.end)} 才结束）：先把它从那场活动退出，或等那场活动结束。")
        return out


def _duration_text(delta: dt.timedelta) -> str:
    """'180 天 1 秒'、'181 天'、'179 天 23 小时' 这样的时长。"""
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{v} {u}" for v, u in ((days, "天"), (hours, "小时"), (minutes, "分"), (secs, "秒")) if v]
    return " ".join(parts) or "0 秒"


# ============================================================================
# 三、价格与成团
# ============================================================================

@checked
def group_price(price, discount) -> float:
    """拼团价（元，四舍五入到分）= 商品详情页价格 × (100 − 折扣%) / 100。

    例：原价 299 元、折扣 15% → 299 × 85% = 254.15 元。拼团价只在拼团链接页显示，商品详情页仍显示原价。
    """
    if not _is_number(price) or price <= 0:
        raise ValueError(f"价格 price 应是大于 0 的数字（元），收到 {price!r}。")
    if not _is_number(discount) or not 0 <= discount < 100:
        raise ValueError(f"折扣 discount 应是 0 到 100 之间的数（%），收到 {discount!r}。")
    # 原价（元）×（100 − 折扣）÷ 100 元 = 原价 ×（100 − 折扣）分：精确算出，再四舍五入到分
    return round_yuan(Decimal(str(price)) * (Decimal(100) - Decimal(str(discount))))


@checked
def group_deadline(opened_at, campaign_end, fill_hours: float = TEXTBOOK_GROUP_BUY_RULES.fill_hours) -> dt.datetime:
    """一个团最晚什么时候成团，过了这一刻还没满员就失败：min(开团时刻 + 24 小时, 活动结束时刻)。

    参数
    ----
    opened_at : 开团时刻（开团的人付款的时刻），太平洋时间的钟点或带时区的时间。
    campaign_end : 活动结束时刻（太平洋时间）。
    fill_hours : 成团时限，默认 24 小时，按实际经过的时间算：跨过夏令时切换时，钟面上是 23 或 25 小时。

    返回太平洋时间（带时区）。开团晚于活动结束时抛出 ValueError。
    """
    opened = parse_time(opened_at, PACIFIC, "开团时刻")
    end = parse_time(campaign_end, PACIFIC, "活动结束时刻")
    if opened > end:
        raise ValueError(f"开团时刻（{format_time(opened)}）晚于活动结束时刻（{format_time(end)}）：活动结束后不能开团。")
    timer = (opened.astimezone(UTC) + dt.timedelta(hours=float(fill_hours))).astimezone(PACIFIC)
    return min(timer, end)


@checked
def group_succeeds(opened_at, join_times, group_size: int, campaign_end,
                   fill_hours: float = TEXTBOOK_GROUP_BUY_RULES.fill_hours) -> bool:
    """一个团成没成：开团的人算 1 人，截止时刻（group_deadline）之前（含这一刻）付款参团的人够了就成团。

    参数
    ----
    opened_at : 开团时刻。
    join_times : 其他人付款参团的时刻（列表）。
    group_size : 几人成团（算上开团的人），二人团是 2。
    campaign_end : 活动结束时刻。
    """
    if not _is_count(group_size) or group_size < 2:
        raise ValueError(f"成团人数 group_size 应是不小于 2 的整数，收到 {group_size!r}。")
    deadline = group_deadline(opened_at, campaign_end, fill_hours)
    opened = parse_time(opened_at, PACIFIC, "开团时刻")
    joins = [parse_time(t, PACIFIC, "参团时刻") for t in join_times]
    early = [format_time(t) for t in joins if t < opened]
    if early:
        raise ValueError(f"参团时刻 {'、'.join(early)} 早于开团时刻 {format_time(opened)}：先有人开团，别人才能参团。")
    in_time = sum(1 for t in joins if t <= deadline)
    return 1 + in_time >= group_size

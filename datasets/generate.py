#!/usr/bin/env python3
"""生成工作簿用的三家模拟店铺数据（全部虚构；手机号、邮箱已脱敏，不对应任何真实的人）。

用法（在仓库根目录）：
    python datasets/generate.py             # 写入 datasets/<店铺>/*.csv
    python datasets/generate.py --out DIR   # 写入 DIR/<店铺>/*.csv（再生成测试用）

三家店铺：
    a_kids  A店铺（天猫童装），        今天 = 2015-05-01
    health  **保健品专卖（天猫），     今天 = 2016-06-01
    xiayi   夏艺女装（淘宝C店，大衣）， 今天 = 2018-12-10
            （文件末尾还追加了 2018-12-10 至 2019-02-15 的数据：双12 召回短信及其对照组，
             给第 12 章用；load_shop("xiayi") 只读到 2018-12-09）

为什么每次生成的文件逐字节相同（换 numpy / pandas / Python 版本也一样）：
  * 随机数只用 numpy.random.RandomState(固定种子)，它的随机序列跨版本不变；
    只用均匀分布 random_sample、整数 randint 和打乱 permutation / choice(不放回)，
    不用正态、伽马等要调用数学库做浮点运算的分布；其余分布都由均匀分布自己换算；
  * 金额一律用整数“分”计算，最后自己格式化成“元”（两位小数）；
  * 日期时间自己格式化；CSV 自己拼接（UTF-8 带 BOM，\\n 换行）；
  * 不遍历 set，不依赖 pandas 的浮点格式（pandas 只在最后打印案例人数时使用）。
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
I64 = np.int64

# ============================================================================
# 一、通用小工具
# ============================================================================


def yuan(fen: int) -> str:
    """整数“分”→ “元”字符串，例如 5409 → '54.09'。"""
    return f"{fen // 100}.{fen % 100:02d}"


# 一天中每一秒的 "HH:MM:SS"，格式化时间时直接查表
HMS = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]


class Calendar:
    """一家店铺的日历：第 0 天 = 历史数据的第一天，n_days = “今天”（不含今天）。

    店铺里所有日期都用“第几天”（整数）表示，所有时刻都用“从第 0 天零点起的秒数”表示。
    """

    def __init__(self, first_day: str, today: str):
        self.start = dt.date.fromisoformat(first_day)
        self.today = dt.date.fromisoformat(today)
        self.n_days = (self.today - self.start).days
        dates = [self.start + dt.timedelta(days=i) for i in range(self.n_days)]
        self.day_str = [d.isoformat() for d in dates]
        self.day_compact = [d.isoformat().replace("-", "") for d in dates]
        self.year = np.array([d.year for d in dates], dtype=I64)
        self.month = np.array([d.month for d in dates], dtype=I64)
        self.dom = np.array([d.day for d in dates], dtype=I64)

    def day(self, iso: str) -> int:
        """'YYYY-MM-DD' → 第几天。"""
        return (dt.date.fromisoformat(iso) - self.start).days

    def fmt_date(self, days) -> list:
        return [self.day_str[d] for d in days]

    def fmt_time(self, secs) -> list:
        return [self.day_str[s // 86400] + " " + HMS[s % 86400] for s in secs]

    def is_day(self, days, mmdd: str) -> np.ndarray:
        """哪些天是某个月日（例如 '11-11'）。"""
        m, d = (int(x) for x in mmdd.split("-"))
        return (self.month[days] == m) & (self.dom[days] == d)


def pick(rs, weights, size) -> np.ndarray:
    """按权重抽取下标（与 RandomState.choice(p=...) 同一做法，写出来更透明）。"""
    cdf = np.cumsum(np.asarray(weights, dtype=float))
    u = rs.random_sample(size) * cdf[-1]
    return np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1).astype(I64)


def pick_rows(rs, W: np.ndarray) -> np.ndarray:
    """W 的每一行是一组权重，每行各抽一个列下标。"""
    cdf = np.cumsum(W, axis=1)
    u = rs.random_sample(W.shape[0]) * cdf[:, -1]
    return np.minimum((cdf <= u[:, None]).sum(axis=1), W.shape[1] - 1).astype(I64)


def randint(rs, low, high, size=None) -> np.ndarray:
    """[low, high) 的整数；固定 int64，避免不同平台默认整数类型不同。"""
    return rs.randint(low, high, size=size, dtype=I64)


def chance(rs, p, size) -> np.ndarray:
    """每个位置以概率 p 为 True（p 可以是数组）。"""
    return rs.random_sample(size) < p


def group_sum(idx, values, n) -> np.ndarray:
    out = np.zeros(n, dtype=I64)
    np.add.at(out, idx, np.asarray(values, dtype=I64))
    return out


def group_max(idx, values, n, empty=-1) -> np.ndarray:
    out = np.full(n, empty, dtype=I64)
    np.maximum.at(out, idx, np.asarray(values, dtype=I64))
    return out


def group_min(idx, values, n, empty) -> np.ndarray:
    out = np.full(n, empty, dtype=I64)
    np.minimum.at(out, idx, np.asarray(values, dtype=I64))
    return out


def daily_weights(cal: Calendar, month_factor, year_factor, spikes) -> np.ndarray:
    """每天的相对下单强度 = 月份系数 × 年份系数 × 大促倍数。

    spikes: [(起始日, 结束日, 倍数), ...]，日期含两端。
    """
    w = np.array([month_factor[m - 1] for m in cal.month], dtype=float)
    w *= np.array([year_factor[y] for y in cal.year], dtype=float)
    for first, last, factor in spikes:
        lo, hi = max(cal.day(first), 0), min(cal.day(last) + 1, cal.n_days)
        if lo < hi:
            w[lo:hi] *= factor
    return w


class DayDist:
    """按每天的强度抽日期，可以限定在 [lo, hi) 之间（逆累积分布法）。"""

    def __init__(self, weights: np.ndarray):
        self.c = np.concatenate([[0.0], np.cumsum(weights)])

    def sample(self, rs, lo, hi, size=None) -> np.ndarray:
        if size is None:
            size = len(lo)
        lo = np.broadcast_to(np.asarray(lo, dtype=I64), (size,))
        hi = np.broadcast_to(np.asarray(hi, dtype=I64), (size,))
        a, b = self.c[lo], self.c[hi]
        u = a + rs.random_sample(size) * (b - a)
        d = np.searchsorted(self.c, u, side="right") - 1
        return np.clip(d, lo, hi - 1).astype(I64)


def repeat_days(rs, dist: DayDist, first, end, k):
    """每位客户在首单之后、end 之前再下 k-1 单：返回 (客户下标, 日期) 两个数组。"""
    extra = np.maximum(k - 1, 0)
    cust = np.repeat(np.arange(len(k), dtype=I64), extra)
    days = dist.sample(rs, first[cust] + 1, end[cust])
    return cust, days


def write_csv(path: str, header: list, columns: list) -> None:
    """把若干列（等长的字符串列表）写成 CSV：UTF-8 带 BOM，\\n 换行。

    字段里不允许出现逗号、引号或换行，因此不需要引号转义（生成前已检查）。
    """
    lines = [",".join(header)]
    for row in zip(*columns):
        lines.append(",".join(row))
    text = "\n".join(lines) + "\n"
    for bad in ('"', "\r"):
        assert bad not in text, f"{path} 含有不允许的字符 {bad!r}"
    n_commas = len(header) - 1
    assert all(line.count(",") == n_commas for line in lines), f"{path} 有字段含逗号"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write(text)


def append_csv(path: str, columns: list) -> None:
    """在已有的 CSV 末尾追加若干行（同样的检查，不再写 BOM 和表头）。"""
    lines = [",".join(row) for row in zip(*columns)]
    text = "\n".join(lines) + "\n"
    with open(path, encoding="utf-8-sig") as f:
        n_commas = f.readline().count(",")
    assert '"' not in text and "\r" not in text
    assert all(line.count(",") == n_commas for line in lines), f"{path} 有字段含逗号"
    with open(path, "a", encoding="utf-8", newline="") as f:
        f.write(text)


def strs(values) -> list:
    return [str(v) for v in np.asarray(values).tolist()]


# ============================================================================
# 二、客户资料：昵称、性别、年龄、地区、职业、脱敏手机号和邮箱
# ============================================================================

# (省份简称, 权重, [(城市, 权重), ...])；上海的权重由各店铺单独设定
REGIONS = [
    ("上海", 0, [("上海", 1)]),
    ("广东", 13, [("深圳", 30), ("广州", 28), ("东莞", 12), ("佛山", 12), ("惠州", 5),
                 ("中山", 5), ("珠海", 4), ("汕头", 4)]),
    ("浙江", 11, [("杭州", 30), ("宁波", 18), ("温州", 14), ("金华", 10), ("绍兴", 8),
                 ("嘉兴", 8), ("台州", 8), ("湖州", 4)]),
    ("江苏", 10.5, [("苏州", 25), ("南京", 22), ("无锡", 14), ("常州", 10), ("南通", 9),
                   ("徐州", 8), ("扬州", 6), ("盐城", 6)]),
    ("北京", 6, [("北京", 1)]),
    ("山东", 6, [("青岛", 28), ("济南", 20), ("烟台", 12), ("潍坊", 10), ("临沂", 10),
                ("淄博", 8), ("济宁", 7), ("威海", 5)]),
    ("福建", 4, [("厦门", 30), ("福州", 30), ("泉州", 25), ("漳州", 8), ("莆田", 7)]),
    ("四川", 4, [("成都", 70), ("绵阳", 10), ("德阳", 8), ("宜宾", 6), ("南充", 6)]),
    ("湖北", 3.5, [("武汉", 65), ("宜昌", 10), ("襄阳", 10), ("荆州", 8), ("黄冈", 7)]),
    ("河南", 3.5, [("郑州", 50), ("洛阳", 15), ("新乡", 10), ("南阳", 10), ("开封", 8),
                  ("许昌", 7)]),
    ("湖南", 3, [("长沙", 55), ("衡阳", 12), ("株洲", 12), ("岳阳", 11), ("湘潭", 10)]),
    ("安徽", 3, [("合肥", 50), ("芜湖", 15), ("蚌埠", 10), ("安庆", 10), ("马鞍山", 8),
                ("阜阳", 7)]),
    ("河北", 3, [("石家庄", 35), ("保定", 18), ("唐山", 18), ("廊坊", 15), ("邯郸", 14)]),
    ("辽宁", 2.5, [("沈阳", 40), ("大连", 40), ("鞍山", 10), ("锦州", 10)]),
    ("天津", 2, [("天津", 1)]),
    ("重庆", 2, [("重庆", 1)]),
    ("陕西", 2, [("西安", 80), ("宝鸡", 10), ("咸阳", 10)]),
    ("江西", 2, [("南昌", 55), ("赣州", 20), ("九江", 15), ("上饶", 10)]),
    ("广西", 2, [("南宁", 50), ("桂林", 25), ("柳州", 25)]),
    ("云南", 1.5, [("昆明", 75), ("曲靖", 13), ("大理", 12)]),
    ("黑龙江", 1.5, [("哈尔滨", 70), ("大庆", 20), ("齐齐哈尔", 10)]),
    ("山西", 1.5, [("太原", 65), ("运城", 20), ("大同", 15)]),
    ("吉林", 1.2, [("长春", 70), ("吉林", 30)]),
    ("内蒙古", 1, [("呼和浩特", 50), ("包头", 50)]),
    ("贵州", 1, [("贵阳", 75), ("遵义", 25)]),
    ("甘肃", 0.7, [("兰州", 1)]),
    ("新疆", 0.6, [("乌鲁木齐", 1)]),
    ("海南", 0.6, [("海口", 70), ("三亚", 30)]),
    ("宁夏", 0.3, [("银川", 1)]),
    ("青海", 0.2, [("西宁", 1)]),
    ("西藏", 0.1, [("拉萨", 1)]),
]

OCCUPATIONS = ["企业职员", "个体经营", "教师", "医生", "公务员", "学生", "自由职业",
               "退休", "工人", "全职妈妈", "其他"]

# 手机号前三位（脱敏后只留前 3 位和后 4 位）
PHONE_PREFIXES = ["138", "139", "137", "136", "135", "134", "159", "158", "157", "152",
                  "151", "150", "188", "187", "182", "183", "130", "131", "132", "155",
                  "156", "185", "186", "133", "153", "180", "181", "189", "177", "176"]
PHONE_WEIGHTS = [9, 9, 7, 6, 6, 4, 6, 5, 2, 3, 4, 4, 4, 3, 3, 2, 3, 3, 2, 2, 2, 3, 3,
                 3, 2, 2, 2, 3, 2, 2]
PHONE_PREFIXES_2018 = ["198", "199", "166", "173", "175"]  # 2017 年后新号段

EMAIL_DOMAINS = ["qq.com", "163.com", "126.com", "sina.com"]
EMAIL_WEIGHTS = [45, 30, 15, 10]

SURNAMES_PY = ["wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou",
               "xu", "sun", "ma", "zhu", "hu", "guo", "he", "gao", "lin", "luo", "zheng",
               "liang", "xie", "song", "tang", "han", "feng", "deng", "cao", "peng", "zeng",
               "xiao", "tian", "dong", "yuan", "pan", "jiang", "cai", "du", "ye", "cheng",
               "su", "wei", "lv", "ding", "shen", "yao", "lu", "jin", "xia", "fang", "bai",
               "zou", "meng", "qin", "qiu"]
GIVEN_PY = ["xiaoyu", "lili", "tingting", "jing", "min", "yan", "fang", "xia", "hui", "na",
            "juan", "ying", "hong", "mei", "lan", "qian", "yue", "xin", "jie", "wei", "lei",
            "jun", "tao", "peng", "bin", "hao", "qing", "yun", "lin", "dan", "xue", "rui",
            "mm", "jj", "xx", "yy", "ting", "ping", "li", "ning"]
SURNAMES_ZH = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯邓曹彭曾肖田董袁潘"
                   "蒋蔡杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江")
BABY_NAMES = ["朵朵", "糖糖", "乐乐", "豆豆", "果果", "妞妞", "贝贝", "甜甜", "多多", "可可",
              "天天", "悠悠", "然然", "安安", "米米", "小雨", "小米", "小鱼", "晨晨", "睿睿",
              "轩轩", "萱萱", "琪琪", "航航", "皓皓", "一一", "团团", "圆圆", "丫丫", "二宝",
              "壮壮", "涵涵", "欣欣", "诺诺", "牛牛", "嘟嘟", "球球", "橙子", "叮当", "小满"]
MUM_SUFFIX = ["妈妈", "麻麻", "妈", "的妈", "妈咪", "家", "的麻麻", "马麻"]
ADJECTIVES = ["安静的", "快乐的", "爱笑的", "温柔的", "小小的", "懒懒的", "傻傻的", "奔跑的",
              "会飞的", "爱吃鱼的", "微笑的", "睡不醒的", "追风的", "一只", "慢慢的", "淡淡的",
              "怕冷的", "爱美的", "发呆的", "努力的"]
NOUNS = ["猫", "鱼", "兔子", "小熊", "向日葵", "蘑菇", "橙子", "云朵", "猫咪", "小猪", "蜗牛",
         "海豚", "布丁", "西瓜", "柠檬", "星星", "月亮", "企鹅", "考拉", "松鼠", "柚子", "雪糕"]
PHRASES = ["开心每一天", "平安是福", "知足常乐", "健康快乐", "夕阳红", "岁月静好", "天天向上",
           "好运来", "心想事成", "笑口常开", "难得糊涂", "宁静致远", "春暖花开", "随遇而安",
           "花开富贵", "福满堂", "老有所乐", "清风明月"]
ELDER_TITLES = ["阿姨", "叔", "大姐", "老师", "师傅", "奶奶", "爷爷", "大哥"]

# 昵称风格：0 宝妈 1 可爱 2 tb_拼音 3 拼音+数字 4 中老年
NICK_STYLES = 5


def make_nicknames(rs, female, style_weights, taken=()) -> tuple[list, list]:
    """生成淘宝风格的买家昵称（保证店内不重复，也不和 taken 里已有的昵称重复），同时返回邮箱用的拼音前缀。"""
    n = len(female)
    style = pick(rs, style_weights, n)
    style = np.where((style == 0) & ~female, 3, style).tolist()  # 男性不用“××妈妈”式昵称
    r = randint(rs, 0, 1 << 30, size=(n, 6)).tolist()
    nicks, py_prefix = [], []
    seen = dict.fromkeys(taken, True)
    for i in range(n):
        a, b, c, d, e, f = r[i]
        py = SURNAMES_PY[a % len(SURNAMES_PY)]
        s = style[i]
        if s == 0:
            nick = BABY_NAMES[b % len(BABY_NAMES)] + MUM_SUFFIX[c % len(MUM_SUFFIX)]
            if d % 10 < 3:
                nick += str(d % 9000 + 1000)[: 2 + e % 3]
        elif s == 1:
            nick = ADJECTIVES[b % len(ADJECTIVES)] + NOUNS[c % len(NOUNS)]
            if d % 10 < 4:
                nick += str(d % 900 + 100)[: 1 + e % 3]
        elif s == 2:
            nick = f"tb_{py}{d % 9000 + 1000}"
        elif s == 3:
            tail = str(1965 + e % 35) if f % 2 else f"{d % 90 + 10}"
            sep = "_" if c % 5 == 0 else ""
            nick = py + sep + GIVEN_PY[b % len(GIVEN_PY)] + tail
        else:
            if b % 3 == 0:
                nick = PHRASES[c % len(PHRASES)] + (str(d % 900 + 100) if d % 2 else "")
            elif b % 3 == 1:
                nick = SURNAMES_ZH[c % len(SURNAMES_ZH)] + ELDER_TITLES[d % len(ELDER_TITLES)]
                nick += str(e % 90 + 10)
            else:
                nick = "老" + SURNAMES_ZH[c % len(SURNAMES_ZH)] + str(e % 9000 + 1000)
        base, k = nick, 2
        while nick in seen:  # 重名时在后面加数字
            nick = f"{base}{k}"
            k += 1
        seen[nick] = True
        nicks.append(nick)
        py_prefix.append(py)
    return nicks, py_prefix


def tri_weights(ages, lo, peak, hi) -> np.ndarray:
    """三角形的年龄权重：lo 到 hi 岁（含两端）之间，peak 岁最高，两端最低。"""
    a = np.asarray(ages, dtype=float)
    up = (a - lo + 1) / (peak - lo + 1)
    down = (hi + 1 - a) / (hi + 1 - peak)
    return np.clip(np.minimum(up, down), 0, None)


def make_profiles(rs, n, prefix, female, age_weights, shanghai_share, occ_weights,
                  nick_styles, phone_empty, email_empty, sms_opt, email_opt, new_prefixes=0.0,
                  first_number=1, taken_nicknames=()):
    """一批客户的基本资料（customers.csv 除积分、日期以外的列）。

    first_number、taken_nicknames：给已有店铺追加新客户时用，编号接着往下编，昵称不和老客户重名。
    """
    prof = {"customer_id": [f"{prefix}{first_number + i:06d}" for i in range(n)]}
    prof["female"] = chance(rs, female, n)
    prof["nickname"], py = make_nicknames(rs, prof["female"], nick_styles, taken_nicknames)
    ages = np.arange(len(age_weights), dtype=I64)
    prof["age"] = ages[pick(rs, age_weights, n)]
    # 地区：上海占比单独设定，其余省份按全国电商买家的大致分布
    others = sum(w for _, w, _ in REGIONS)
    pw = [w if name != "上海" else shanghai_share / (1 - shanghai_share) * others
          for name, w, _ in REGIONS]
    p_idx = pick(rs, pw, n)
    u_city = rs.random_sample(n)
    prov, city = [], []
    for i, pi in enumerate(p_idx.tolist()):
        name, _, cities = REGIONS[pi]
        cw = np.cumsum([w for _, w in cities], dtype=float)
        ci = min(int(np.searchsorted(cw, u_city[i] * cw[-1], side="right")), len(cities) - 1)
        prov.append(name)
        city.append(cities[ci][0])
    prof["province"], prof["city"] = prov, city
    occ = [OCCUPATIONS[k] for k in pick(rs, occ_weights, n).tolist()]
    prof["occupation"] = [o if f or o != "全职妈妈" else "企业职员"
                          for o, f in zip(occ, prof["female"].tolist())]
    # 脱敏手机号：前 3 位 + **** + 后 4 位；一部分客户没有留手机号
    pre = pick(rs, PHONE_WEIGHTS, n).tolist()
    newer = chance(rs, new_prefixes, n).tolist()
    newp = randint(rs, 0, len(PHONE_PREFIXES_2018), n).tolist()
    last4 = randint(rs, 0, 10000, n).tolist()
    no_phone = chance(rs, phone_empty, n).tolist()
    prof["phone"] = ["" if no_phone[i] else
                     (PHONE_PREFIXES_2018[newp[i]] if newer[i] else PHONE_PREFIXES[pre[i]])
                     + f"****{last4[i]:04d}" for i in range(n)]
    # 脱敏邮箱：只留前 2–4 个字符；QQ 邮箱多是数字
    dom = pick(rs, EMAIL_WEIGHTS, n).tolist()
    keep = randint(rs, 2, 5, n).tolist()
    qq_digits = randint(rs, 100, 1000, n).tolist()
    no_email = chance(rs, email_empty, n).tolist()
    emails = []
    for i in range(n):
        if no_email[i]:
            emails.append("")
            continue
        domain = EMAIL_DOMAINS[dom[i]]
        local = str(qq_digits[i]) if domain == "qq.com" and keep[i] != 2 else py[i][: keep[i]]
        emails.append(f"{local}***@{domain}")
    prof["email"] = emails
    prof["sms_opt_out"] = chance(rs, sms_opt, n)
    prof["email_opt_out"] = chance(rs, email_opt, n) & np.array([e != "" for e in emails])
    return prof


def customers_columns(prof, register_day, points, cal, card_day=None) -> list:
    """按 customers.csv 的列顺序整理成字符串列。"""
    n = len(prof["customer_id"])
    card = [""] * n if card_day is None else [
        cal.day_str[d] if d >= 0 else "" for d in card_day.tolist()]
    return [prof["customer_id"], prof["nickname"],
            ["女" if f else "男" for f in prof["female"].tolist()],
            strs(prof["age"]), prof["province"], prof["city"], prof["occupation"],
            strs(points), prof["phone"], prof["email"],
            strs(prof["sms_opt_out"].astype(I64)), strs(prof["email_opt_out"].astype(I64)),
            cal.fmt_date(register_day.tolist()), card]


CUSTOMER_HEADER = ["customer_id", "nickname", "gender", "age", "province", "city",
                   "occupation", "points", "phone", "email", "sms_opt_out", "email_opt_out",
                   "register_date", "card_claimed_date"]
ORDER_HEADER = ["order_id", "customer_id", "order_time", "amount", "channel"]
ITEM_HEADER = ["order_id", "product", "quantity", "amount"]
PRODUCT_HEADER = ["product", "title", "category", "price", "margin", "repurchase_days"]
EVENT_HEADER = ["customer_id", "event_time", "event", "product", "session_id"]


# ============================================================================
# 三、订单与商品明细
# ============================================================================

# 一天 24 小时的下单强度：晚上 8–11 点最高
HOURS_EVENING = [3, 1.5, 0.8, 0.4, 0.3, 0.3, 0.6, 1.5, 2.5, 3.5, 4, 4, 4, 4.5, 4, 3.8,
                 3.8, 4, 4.5, 5, 6.5, 8, 8.5, 6]
# 双11 当天：零点开抢
HOURS_DOUBLE11 = [40, 12, 4, 1.5, 0.8, 0.6, 1, 2, 3, 4, 4.5, 4.5, 4.5, 5, 4.5, 4.5,
                  4.5, 4.5, 5, 5.5, 7, 8.5, 10, 12]
# 中老年顾客：早上也是一个小高峰
HOURS_ELDERLY = [1.2, 0.5, 0.3, 0.2, 0.3, 0.8, 2, 4, 5.5, 6, 5.5, 4.5, 4, 4, 4, 4, 4,
                 4, 4.5, 6, 6.5, 6, 4.5, 2.5]


def order_seconds(rs, cal, days, hours=HOURS_EVENING) -> np.ndarray:
    """给每笔订单配上下单时刻（秒）：按小时分布抽小时，再随机分、秒。"""
    n = len(days)
    normal = pick(rs, hours, n)
    d11 = pick(rs, HOURS_DOUBLE11, n)
    hour = np.where(cal.is_day(days, "11-11"), d11, normal)
    sec_in_day = hour * 3600 + randint(rs, 0, 3600, n)
    return days * 86400 + sec_in_day


def make_items(rs, cal, o_cust, o_day, weight_fn, n_lines_w, qty_w, promo_mask,
               price, forced_product=None, forced_qty=None):
    """生成商品明细行：(所属订单下标, 商品下标, 数量, 实付金额分)，按订单、商品排序。

    weight_fn(行的订单下标) → 每行对各商品的权重矩阵。
    n_lines_w：每单几行的权重；也可以直接给出每单的行数（整数数组）。
    同一订单里同一商品只保留一行（数量相加）。
    """
    n_orders = len(o_day)
    n_prod = len(price)
    if isinstance(n_lines_w, np.ndarray) and n_lines_w.dtype == I64:
        n_lines = n_lines_w
    else:
        n_lines = pick(rs, n_lines_w, n_orders) + 1
    line_order = np.repeat(np.arange(n_orders, dtype=I64), n_lines)
    prod = pick_rows(rs, weight_fn(line_order))
    qty = pick(rs, qty_w, len(line_order)) + 1
    if forced_product is not None:  # 每单第一行固定为指定商品
        first = np.concatenate([[0], np.cumsum(n_lines)[:-1]])
        has = forced_product >= 0
        prod[first[has]] = forced_product[has]
        if forced_qty is not None:
            qty[first[has]] = forced_qty[has]
    key = line_order * n_prod + prod
    uniq, inv = np.unique(key, return_inverse=True)
    inv = inv.reshape(-1)
    qty = group_sum(inv, qty, len(uniq))
    line_order, prod = uniq // n_prod, uniq % n_prod
    # 单品折扣（千分比）：平时 9–10 折，大促 7–8 折
    normal = np.array([1000, 1000, 980, 950, 950, 900, 880, 850], dtype=I64)
    promo = np.array([850, 800, 800, 750, 700], dtype=I64)
    disc = np.where(promo_mask[o_day[line_order]],
                    promo[randint(rs, 0, len(promo), len(uniq))],
                    normal[randint(rs, 0, len(normal), len(uniq))])
    fen = (qty * price[prod] * disc + 500) // 1000
    # 部分买家用淘金币 / 红包再抵扣几分到几元
    coins = np.minimum(randint(rs, 1, 500, len(fen)), fen // 20)
    fen = fen - np.where(chance(rs, 0.15, len(fen)), coins, 0)
    return line_order, prod, qty, fen


def apply_coupons(rs, line_order, fen, n_orders, p_coupon) -> np.ndarray:
    """店铺优惠券（满 99 减 5、满 199 减 10、满 299 减 20、满 499 减 30、满 999 减 50），
    按行金额比例分摊到每一行，所以行金额会出现“几角几分”。"""
    subtotal = group_sum(line_order, fen, n_orders)
    thresholds = np.array([9900, 19900, 29900, 49900, 99900], dtype=I64)
    values = np.array([500, 1000, 2000, 3000, 5000], dtype=I64)
    level = np.searchsorted(thresholds, subtotal, side="right") - 1
    use = chance(rs, p_coupon, n_orders) & (level >= 0)
    coupon = np.where(use, values[np.maximum(level, 0)], 0)
    return split_discount(line_order, fen, coupon)


def split_discount(line_order, fen, coupon) -> np.ndarray:
    """每单减 coupon[单] 分：按行金额比例分到各行，除不尽的零头记在第一行。"""
    n_orders = len(coupon)
    subtotal = group_sum(line_order, fen, n_orders)
    share = fen * coupon[line_order] // np.maximum(subtotal[line_order], 1)
    rest = coupon - group_sum(line_order, share, n_orders)
    first_line = np.searchsorted(line_order, np.arange(n_orders), side="left")
    out = fen - share
    has = first_line < len(line_order)
    np.subtract.at(out, first_line[has], rest[has])
    return out


def force_total(line_cust, fen, cust, target) -> None:
    """把某位客户所有明细行的金额按比例改成合计恰好 target 分（制造边界值用）。"""
    idx = np.flatnonzero(line_cust == cust)
    total = int(fen[idx].sum())
    new = fen[idx] * target // total
    new[np.argmax(new)] += target - int(new.sum())
    fen[idx] = new


def finish_orders(rs, cal, shop_digit, cust_ids, o_cust, o_sec, line_order, fen,
                  mobile_from, mobile_to):
    """订单排序、编订单号、计算订单金额（= 明细行之和）、渠道（无线 / PC）。

    返回 (orders.csv 的列, 每个原订单排序后的位置, 排序后的订单号)。
    """
    n = len(o_sec)
    order = np.lexsort((rs.permutation(n), o_sec))  # 同一秒的订单随机排先后
    new_pos = np.empty(n, dtype=I64)
    new_pos[order] = np.arange(n, dtype=I64)
    o_cust, o_sec = o_cust[order], o_sec[order]
    day = o_sec // 86400
    # 订单号 = 日期(8 位) + 店铺代码(1 位) + 当天流水号(7 位，从随机起点开始)
    first_of_day = np.searchsorted(day, day, side="left")
    gaps = randint(rs, 1, 40, n).cumsum()
    within = gaps - gaps[first_of_day]  # 当天第一单为 0，之后递增
    seq = randint(rs, 1000000, 4000000, cal.n_days)[day] + within
    ids = [f"{cal.day_compact[d]}{shop_digit}{s:07d}" for d, s in zip(day.tolist(), seq.tolist())]
    amount = group_sum(new_pos[line_order], fen, n)
    p_mobile = mobile_from + (mobile_to - mobile_from) * day / max(cal.n_days - 1, 1)
    p_mobile = np.where(cal.is_day(day, "11-11"), p_mobile + 0.06, p_mobile)
    mobile = chance(rs, p_mobile, n)
    cols = [ids, [cust_ids[c] for c in o_cust.tolist()], cal.fmt_time(o_sec.tolist()),
            [yuan(a) for a in amount.tolist()], ["无线" if m else "PC" for m in mobile.tolist()]]
    return cols, new_pos, ids


def items_columns(line_order_sorted, prod, qty, fen, ids, names) -> list:
    """明细行按 订单号、商品名 排序后整理成字符串列。"""
    name_arr = np.array(names, dtype=object)
    pname = name_arr[prod]
    order = np.lexsort((pname, line_order_sorted))
    return [[ids[o] for o in line_order_sorted[order].tolist()], pname[order].tolist(),
            strs(qty[order]), [yuan(f) for f in fen[order].tolist()]]


def products_columns(catalog) -> list:
    """商品表：按目录里写好的顺序输出（目录是固定的，所以顺序也固定）。"""
    return [[p[0] for p in catalog], [p[1] for p in catalog], [p[2] for p in catalog],
            [yuan(p[3]) for p in catalog], [f"0.{p[4]:02d}" for p in catalog],
            ["" if p[5] is None else str(p[5]) for p in catalog]]


def points_from_spend(rs, spend_fen, zero_share) -> np.ndarray:
    """积分 ≈ 累计实付元数 − 已兑换的部分；一部分客户积分为 0（未入会、已用完或过期）。"""
    base = spend_fen // 100
    used = (base * randint(rs, 0, 60, len(base)) // 100) * chance(rs, 0.35, len(base))
    pts = base - used
    return np.where(chance(rs, zero_share, len(base)), 0, pts)


# ============================================================================
# 四、A店铺（天猫童装），今天 = 2015-05-01
# ============================================================================

# (商品简称, 标题, 类目, 一口价(分), 毛利率(%), 复购周期(天), 人气, 月龄适配(新生儿, 幼儿, 儿童), 季节)
A_KIDS_CATALOG = [
    ("幼儿连体衣", "婴儿连体衣纯棉春秋款 新生儿爬服哈衣 宝宝长袖连身衣", "婴儿服饰", 8990, 52, None, 12, (3, 2.5, 0.05), "all"),
    ("新生儿枕头", "新生儿定型枕 婴儿枕头纠正偏头 0-1岁宝宝荞麦枕", "婴儿寝具", 6900, 58, None, 8, (4.5, 0.6, 0.05), "all"),
    ("婴儿睡袋", "婴儿睡袋春秋纯棉 宝宝防踢被 儿童分腿睡袋", "婴儿寝具", 13900, 50, None, 5, (2.5, 1.5, 0.3), "cold"),
    ("和尚服套装", "新生儿和尚服 纯棉婴儿内衣套装 0-3个月宝宝衣服", "婴儿服饰", 5900, 55, None, 5, (3, 0.1, 0), "all"),
    ("婴儿胎帽", "婴儿胎帽 新生儿帽子 纯棉春秋薄款", "婴儿配饰", 3900, 60, None, 4, (2, 0.8, 0.2), "all"),
    ("口水巾围兜", "婴儿口水巾 纯棉宝宝围兜 360度旋转 5条装", "婴儿配饰", 4500, 62, 90, 4, (2, 1.5, 0.1), "all"),
    ("婴儿抱被", "新生儿抱被 婴儿包被纯棉秋冬加厚 产房用品", "婴儿寝具", 12900, 50, None, 4, (2.5, 0.2, 0), "cold"),
    ("宝宝学步鞋", "宝宝学步鞋 软底防滑婴儿鞋子 春秋季1-3岁", "童鞋", 9900, 48, None, 5, (0.5, 3, 0.2), "all"),
    ("儿童羽绒服", "儿童羽绒服中长款 男童女童加厚冬装 90%白鸭绒", "童装外套", 39900, 42, None, 6, (0.1, 1.5, 3), "winter"),
    ("宝宝羽绒连体衣", "婴儿羽绒连体衣 宝宝冬季外出服 加厚保暖", "婴儿服饰", 29900, 45, None, 4, (1.5, 1.2, 0), "winter"),
    ("女童连衣裙", "女童连衣裙夏装 儿童公主裙 纯棉碎花裙子", "女童", 12900, 50, None, 6, (0.1, 1, 3), "summer"),
    ("男童T恤", "男童短袖T恤 纯棉儿童半袖 夏季卡通上衣", "男童", 5900, 52, None, 6, (0.1, 1.2, 3), "summer"),
    ("儿童牛仔裤", "儿童牛仔裤 男童女童弹力长裤 春秋款", "童裤", 11900, 48, None, 4, (0, 1, 2.5), "mild"),
    ("儿童卫衣", "儿童卫衣春秋款 男童女童连帽上衣 纯棉", "童装上衣", 10900, 50, None, 5, (0, 1.2, 2.5), "mild"),
    ("女童公主鞋", "女童公主鞋 儿童皮鞋 软底单鞋", "童鞋", 12900, 46, None, 3, (0, 0.8, 2), "all"),
    ("儿童防晒衣", "儿童防晒衣 夏季薄款透气 男童女童皮肤衣", "童装外套", 8900, 52, None, 3, (0, 0.8, 2), "summer"),
    ("婴儿爬行裤", "婴儿爬行裤 宝宝开裆裤 纯棉护肚裤", "婴儿服饰", 4900, 55, None, 4, (2, 1.5, 0), "all"),
    ("儿童睡衣套装", "儿童睡衣套装 纯棉长袖家居服 男童女童", "童装内衣", 9900, 52, None, 4, (0.2, 1.5, 2), "all"),
    ("儿童棉服", "儿童棉服 宝宝棉衣加厚 冬季棉袄外套", "童装外套", 22900, 46, None, 4, (0.3, 2, 2), "winter"),
    ("儿童毛衣", "儿童毛衣 宝宝针织开衫 纯棉线衣", "童装上衣", 13900, 48, None, 3, (0.3, 1.5, 1.5), "cold"),
    ("儿童运动套装", "儿童运动套装 春秋季男童女童两件套", "童装套装", 16900, 47, None, 4, (0, 1, 2.5), "mild"),
    ("婴儿礼盒", "新生儿礼盒 婴儿衣服套装 满月百天送礼 纯棉", "婴儿礼盒", 25900, 55, None, 3, (2.5, 0.3, 0), "all"),
    ("儿童雪地靴", "儿童雪地靴 冬季加绒保暖棉靴", "童鞋", 15900, 44, None, 3, (0, 1.2, 2), "winter"),
    ("女童打底裤", "女童打底裤 春秋外穿 儿童弹力紧身裤", "童裤", 3900, 55, None, 4, (0, 1, 2.5), "mild"),
    ("儿童唐装", "儿童唐装 新年拜年服 宝宝周岁礼服", "童装套装", 18900, 50, None, 2, (0.8, 1.5, 1.2), "newyear"),
    ("婴儿袜子", "婴儿袜子 新生儿纯棉松口袜 5双装", "婴儿配饰", 3900, 60, 60, 4, (2, 1.5, 0.3), "all"),
    ("儿童泳衣", "儿童泳衣 女童连体游泳衣 防晒速干", "童装", 7900, 50, None, 2, (0, 0.5, 2), "summer"),
    ("儿童书包", "儿童书包 幼儿园双肩包 卡通背包", "儿童配饰", 8990, 50, None, 2, (0, 0.5, 2), "school"),
    ("男童衬衫", "男童衬衫 儿童纯棉格子衬衣 春秋款", "男童", 9900, 50, None, 3, (0, 0.8, 2), "mild"),
    ("儿童保暖内衣", "儿童保暖内衣套装 加绒加厚 秋衣秋裤", "童装内衣", 11900, 50, None, 4, (0.5, 1.5, 2), "winter"),
]

# 各类季节商品在 1–12 月的相对热度
SEASON_CURVES = {
    "all": [1] * 12,
    "cold": [2, 1.6, 1, 0.6, 0.4, 0.3, 0.3, 0.4, 0.8, 1.4, 1.8, 2],
    "winter": [3, 2.2, 1, 0.3, 0.15, 0.1, 0.1, 0.15, 0.4, 1.2, 2.5, 3],
    "summer": [0.2, 0.2, 0.6, 1.2, 2.2, 3, 3, 2.2, 0.8, 0.2, 0.1, 0.1],
    "mild": [0.6, 0.7, 1.8, 2, 1.2, 0.5, 0.4, 1, 2, 2, 1.2, 0.7],
    "newyear": [3, 2, 0.4, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.5, 1, 2.5],
    "school": [0.5, 0.8, 0.6, 0.4, 0.4, 0.5, 1.5, 3, 2.5, 0.5, 0.4, 0.4],
}


def season_matrix(catalog, col) -> np.ndarray:
    """12 × 商品数：每个月每个商品的季节系数。"""
    return np.array([[SEASON_CURVES[p[col]][m] for p in catalog] for m in range(12)])


def build_a_kids(out_dir: str) -> None:
    rs = np.random.RandomState(20150501)
    cal = Calendar("2014-01-01", "2015-05-01")
    n = 10000
    ages = np.arange(66)
    age_w = tri_weights(ages, 21, 29, 42) + 0.08 * tri_weights(ages, 45, 52, 62)
    prof = make_profiles(
        rs, n, "AK", female=0.86, age_weights=age_w, shanghai_share=0.16,
        occ_weights=[36, 11, 8, 5, 6, 1, 11, 1, 5, 12, 8],
        nick_styles=[45, 20, 15, 15, 5], phone_empty=0.04, email_empty=0.35,
        sms_opt=0.05, email_opt=0.03)
    stage = pick(rs, [45, 30, 25], n)  # 孩子月龄段：0 新生儿/婴儿 1 幼儿 2 儿童

    # ---- 每天的下单强度：双11、双12、6.18、年货节 ----
    weights = daily_weights(
        cal, [1.3, 0.7, 1.05, 1.1, 1.0, 1.0, 0.8, 0.9, 1.0, 1.1, 1.4, 1.3],
        {2014: 1.0, 2015: 1.3},
        [("2014-01-10", "2014-01-25", 1.3), ("2015-01-10", "2015-01-25", 1.3),
         ("2014-06-18", "2014-06-18", 4), ("2014-06-16", "2014-06-17", 1.5),
         ("2014-11-10", "2014-11-10", 1.6), ("2014-11-11", "2014-11-11", 14),
         ("2014-11-12", "2014-11-12", 2), ("2014-12-12", "2014-12-12", 5)])
    dist = DayDist(weights)
    promo_days = np.zeros(cal.n_days, dtype=bool)
    for d in ["2014-06-18", "2014-11-11", "2014-11-12", "2014-12-12"]:
        promo_days[cal.day(d)] = True
    promo_days[cal.day("2015-01-10"):cal.day("2015-01-25") + 1] = True

    # ---- 客户的订单数与下单日期 ----
    buyer = chance(rs, 0.88, n)
    k = np.where(buyer, pick(rs, [55, 20, 10, 6, 4, 2.5, 1.2, 0.8, 0.3, 0.2], n) + 1, 0)
    # 上海的妈妈更活跃（回购多一些）
    sh = np.array([p == "上海" for p in prof["province"]])
    k = np.where(sh & buyer & chance(rs, 0.35, n), k + 1, k)
    span = np.clip((k - 1) * 20, 0, 260)
    first = dist.sample(rs, 0, np.maximum(cal.n_days - span, 1), n)
    still_active = chance(rs, 0.6, n)
    end = np.where(still_active, cal.n_days,
                   first + 2 + (rs.random_sample(n) * (cal.n_days - first - 2)).astype(I64))
    end = np.minimum(np.maximum(end, first + 1), cal.n_days)
    k = np.where(end - first >= 2, k, np.minimum(k, 1))
    rc, rd = repeat_days(rs, dist, first, end, k)
    b_idx = np.flatnonzero(k > 0)
    o_cust = np.concatenate([b_idx, rc])
    o_day = np.concatenate([first[b_idx], rd])
    register = np.where(chance(rs, 0.6, n), first, first - randint(rs, 1, 150, n))
    register = np.where(k > 0, np.maximum(register, 0), dist.sample(rs, 0, cal.n_days, n))

    # ---- 商品明细 ----
    cat = A_KIDS_CATALOG
    price = np.array([p[3] for p in cat], dtype=I64)
    pop = np.array([p[6] for p in cat], dtype=float)
    aff = np.array([p[7] for p in cat], dtype=float).T  # 3 × 商品数
    season = season_matrix(cat, 8)

    def weight_fn(line_order):
        c = o_cust[line_order]
        return pop * aff[stage[c]] * season[cal.month[o_day[line_order]] - 1]

    line_order, prod, qty, fen = make_items(
        rs, cal, o_cust, o_day, weight_fn, [55, 28, 11, 4, 2], [85, 12, 3], promo_days, price)
    fen = apply_coupons(rs, line_order, fen, len(o_day), 0.3)

    # ---- 边界值：上海、女性、3 月后下单的客户里，放几个平均订单价恰好 200.00 / 100.00 的 ----
    line_cust = o_cust[line_order]
    n_orders = group_sum(o_cust, np.ones(len(o_cust)), n)
    last_day = group_max(o_cust, o_day, n)
    spend = group_sum(line_cust, fen, n)
    ok = sh & prof["female"] & (last_day >= cal.day("2015-03-01"))
    for aov, orders_needed, how_many in [(20000, 2, 3), (20000, 3, 2), (10000, 3, 3)]:
        target = aov * orders_needed
        cand = np.flatnonzero(ok & (n_orders == orders_needed) & (spend >= target)
                              & (spend <= target * 13 // 10))
        for c in rs.choice(cand, how_many, replace=False).tolist():
            force_total(line_cust, fen, c, target)
            ok[c] = False

    # ---- 时刻、订单号、积分，写文件 ----
    o_sec = order_seconds(rs, cal, o_day)
    spend = group_sum(line_cust, fen, n)
    points = points_from_spend(rs, spend, 0.15)
    write_shop(out_dir, "a_kids", rs, cal, "1", prof, register, points, None,
               o_cust, o_sec, line_order, prod, qty, fen, cat, 0.55, 0.72)


def write_shop(out_dir, shop, rs, cal, digit, prof, register, points, card_day,
               o_cust, o_sec, line_order, prod, qty, fen, catalog, mobile_from, mobile_to,
               events=None):
    """把一家店铺的客户、订单、明细、商品（和行为事件）写成 CSV。"""
    folder = os.path.join(out_dir, shop)
    os.makedirs(folder, exist_ok=True)
    # 基本一致性检查
    first_order = group_min(o_cust, o_sec // 86400, len(register), empty=1 << 40)
    assert (register <= first_order).all(), "注册日期晚于首单"
    assert (o_sec < cal.n_days * 86400).all() and (o_sec >= 0).all()
    assert (fen > 0).all() and (qty >= 1).all()
    cols, new_pos, ids = finish_orders(rs, cal, digit, prof["customer_id"], o_cust, o_sec,
                                       line_order, fen, mobile_from, mobile_to)
    assert len(set(ids)) == len(ids), "订单号重复"
    write_csv(os.path.join(folder, "customers.csv"), CUSTOMER_HEADER,
              customers_columns(prof, register, points, cal, card_day))
    write_csv(os.path.join(folder, "orders.csv"), ORDER_HEADER, cols)
    write_csv(os.path.join(folder, "items.csv"), ITEM_HEADER,
              items_columns(new_pos[line_order], prod, qty, fen, ids, [p[0] for p in catalog]))
    write_csv(os.path.join(folder, "products.csv"), PRODUCT_HEADER, products_columns(catalog))
    if events is not None:
        write_csv(os.path.join(folder, "events.csv"), EVENT_HEADER, events)


# ============================================================================
# 五、**保健品专卖（天猫），今天 = 2016-06-01
# ============================================================================

# (商品简称, 标题, 类目, 一口价(分), 毛利率(%), 复购周期(天), 人气, 送礼系数)
HEALTH_CATALOG = [
    ("蜂胶胶囊120粒装", "买3送1BCCJ天然蜂胶胶囊", "蜂产品", 12800, 62, 60, 30, 1.0),
    ("鱼油200粒装", "BCCJ深海鱼油软胶囊200粒 中老年调节血脂", "鱼油", 16800, 55, 65, 16, 1.0),
    ("预售深海鱼油200粒装", "【预售】BCCJ深海鱼油软胶囊200粒 5月下旬发货", "鱼油", 14800, 52, 65, 0, 0),
    ("氨糖软骨素钙片", "BCCJ氨糖软骨素加钙片 中老年关节 120片", "钙片", 9800, 58, 60, 10, 1.0),
    ("液体钙软胶囊", "BCCJ液体钙软胶囊 中老年补钙 100粒", "钙片", 7900, 60, 50, 8, 1.0),
    ("维生素C咀嚼片", "BCCJ维生素C咀嚼片 香橙味 100片", "维生素", 5800, 62, 50, 6, 0.6),
    ("复合维生素片", "BCCJ多种维生素矿物质片 中老年 90片", "维生素", 8800, 60, 90, 7, 1.0),
    ("蛋白粉450g", "BCCJ乳清蛋白粉 中老年营养品 450g罐装", "蛋白粉", 19800, 50, 30, 8, 2.0),
    ("葡萄籽胶囊", "BCCJ葡萄籽提取物胶囊 原花青素 60粒", "抗氧化", 15800, 60, 60, 5, 1.0),
    ("大豆卵磷脂软胶囊", "BCCJ大豆卵磷脂软胶囊 中老年 100粒", "卵磷脂", 9800, 58, 60, 5, 1.0),
    ("辅酶Q10软胶囊", "BCCJ辅酶Q10软胶囊 中老年心脏保健 60粒", "心脑保健", 22800, 55, 60, 5, 1.2),
    ("螺旋藻片", "BCCJ螺旋藻片 天然营养 300片", "藻类", 8900, 60, 45, 4, 0.8),
    ("蜂王浆冻干粉", "BCCJ蜂王浆冻干粉胶囊 蜂产品礼盒装", "蜂产品", 39800, 52, 90, 3, 3.0),
    ("破壁灵芝孢子粉", "BCCJ破壁灵芝孢子粉 30袋礼盒装 送长辈", "灵芝", 36800, 55, 30, 3, 3.0),
    ("褪黑素维生素B6片", "BCCJ褪黑素维生素B6片 改善睡眠 60片", "睡眠", 6900, 65, 30, 5, 0.8),
    ("银杏叶片", "BCCJ银杏叶提取物片 中老年 100片", "心脑保健", 10800, 58, 60, 4, 1.0),
    ("牛初乳片", "BCCJ牛初乳咀嚼片 增强免疫力 120片", "免疫", 12800, 58, 45, 4, 1.2),
    ("纳豆红曲胶囊", "BCCJ纳豆红曲胶囊 中老年 60粒", "心脑保健", 19800, 57, 60, 3, 1.0),
    ("番茄红素软胶囊", "BCCJ番茄红素软胶囊 男士中老年 60粒", "抗氧化", 13800, 58, 60, 3, 1.0),
]
PROPOLIS, FISH_OIL, PRESALE_FISH_OIL = 0, 1, 2


def build_health(out_dir: str) -> None:
    rs = np.random.RandomState(20160601)
    cal = Calendar("2015-01-01", "2016-06-01")
    n = 2600
    ages = np.arange(80)
    age_w = tri_weights(ages, 40, 58, 75) + 0.25 * tri_weights(ages, 25, 32, 39)
    prof = make_profiles(
        rs, n, "HL", female=0.55, age_weights=age_w, shanghai_share=0.15,
        occ_weights=[22, 12, 7, 4, 8, 0, 5, 20, 10, 0, 6],
        nick_styles=[3, 12, 20, 25, 40], phone_empty=0.06, email_empty=0.4,
        sms_opt=0.06, email_opt=0.04)
    age = prof["age"]
    retired = (age >= 58) & chance(rs, 0.8, n)
    prof["occupation"] = ["退休" if r else ("企业职员" if o == "退休" else o)
                          for r, o in zip(retired.tolist(), prof["occupation"])]
    gift = age < 40  # 年轻客户多是给父母买，节日送礼，回购少

    # ---- 下单强度：春节/年货节、重阳、母亲节、双11、双12、6.18 ----
    month_f = [1.5, 1.3, 0.9, 0.9, 1.1, 1.0, 0.8, 0.8, 1.0, 1.1, 1.3, 1.2]
    spikes = [("2015-06-18", "2015-06-18", 2.5), ("2015-11-11", "2015-11-11", 8),
              ("2015-12-12", "2015-12-12", 3), ("2016-01-10", "2016-01-28", 1.6),
              ("2015-10-15", "2015-10-21", 1.5), ("2016-05-01", "2016-05-08", 1.4)]
    weights = daily_weights(cal, month_f, {2015: 1.0, 2016: 1.05}, spikes)
    gift_weights = daily_weights(
        cal, month_f, {2015: 1.0, 2016: 1.05},
        spikes + [("2015-01-20", "2015-02-15", 2.5), ("2016-01-10", "2016-02-05", 2.5),
                  ("2015-10-12", "2015-10-21", 2.5), ("2015-05-04", "2015-05-10", 2.5),
                  ("2015-06-15", "2015-06-21", 2), ("2016-05-01", "2016-05-08", 2.5)])
    dist, gift_dist = DayDist(weights), DayDist(gift_weights)
    promo_days = np.zeros(cal.n_days, dtype=bool)
    for d in ["2015-06-18", "2015-11-11", "2015-12-12"]:
        promo_days[cal.day(d)] = True
    promo_days[cal.day("2016-01-10"):cal.day("2016-01-28") + 1] = True

    cat = HEALTH_CATALOG
    price = np.array([p[3] for p in cat], dtype=I64)
    cycle = np.array([p[5] for p in cat], dtype=I64)
    pop = np.array([p[6] for p in cat], dtype=float)
    gift_pop = pop * np.array([p[7] for p in cat], dtype=float)

    # ---- 每位买家：首单日期、主力商品、回购意愿 ----
    buyer = chance(rs, 0.9, n)
    first = np.where(gift, gift_dist.sample(rs, 0, cal.n_days, n), dist.sample(rs, 0, cal.n_days, n))
    primary = np.where(gift, pick(rs, gift_pop, n), pick(rs, pop, n))
    loyal = chance(rs, 0.45, n)
    p_continue = np.where(gift, 0.3, np.where(loyal, 0.82, 0.5))

    # ---- 按复购周期一单接一单往后排，直到流失或到“今天” ----
    presale_from = cal.day("2016-03-20")
    o_cust, o_day, o_prod, o_qty = [], [], [], []
    cust = np.flatnonzero(buyer)
    day = first[cust]
    prim = primary[cust]
    while len(cust):
        prod = prim.copy()
        presale = (prod == FISH_OIL) & (day >= presale_from) & chance(rs, 0.45, len(cust))
        prod[presale] = PRESALE_FISH_OIL
        qty_prop = pick(rs, [45, 20, 30, 5], len(cust)) + 1  # 蜂胶“买3送1”常买 3 盒
        qty_other = pick(rs, [60, 28, 10, 2], len(cust)) + 1
        qty = np.where(prod == PROPOLIS, qty_prop, qty_other)
        o_cust.append(cust); o_day.append(day); o_prod.append(prod); o_qty.append(qty)
        boxes = qty + ((prod == PROPOLIS) & (qty >= 3))  # 送的那一盒也要吃
        jitter = 0.8 + 0.55 * rs.random_sample(len(cust))
        idle = np.where(chance(rs, 0.2, len(cust)), randint(rs, 15, 90, len(cust)), 0)
        gap = (cycle[prim] * boxes * jitter).astype(I64) + idle
        day = day + np.maximum(gap, 7)
        switch = chance(rs, 0.08, len(cust))
        prim = np.where(switch, pick(rs, pop, len(cust)), prim)
        keep = chance(rs, p_continue[cust], len(cust)) & (day < cal.n_days)
        cust, day, prim = cust[keep], day[keep], prim[keep]
    o_cust, o_day = np.concatenate(o_cust), np.concatenate(o_day)
    o_prod, o_qty = np.concatenate(o_prod), np.concatenate(o_qty)
    # 新客户在预售期也会直接买预售鱼油
    new_presale = (o_prod == FISH_OIL) & (o_day >= presale_from) & chance(rs, 0.2, len(o_day))
    o_prod[new_presale] = PRESALE_FISH_OIL

    def weight_fn(line_order):
        g = gift[o_cust[line_order]]
        return np.where(g[:, None], gift_pop[None, :], pop[None, :])

    line_order, prod, qty, fen = make_items(
        rs, cal, o_cust, o_day, weight_fn, [68, 24, 8], [85, 12, 3], promo_days, price,
        forced_product=o_prod, forced_qty=o_qty)
    fen = apply_coupons(rs, line_order, fen, len(o_day), 0.25)

    register = np.where(chance(rs, 0.7, n), first, first - randint(rs, 1, 120, n))
    register = np.where(buyer, np.maximum(register, 0), dist.sample(rs, 0, cal.n_days, n))
    o_sec = order_seconds(rs, cal, o_day, HOURS_ELDERLY)
    spend = group_sum(o_cust[line_order], fen, n)
    points = points_from_spend(rs, spend, 0.1)

    # 端午节短信 / 邮件人群里要有退订的人和没留联系方式的人（课堂上要讨论怎么处理）
    line_cust = o_cust[line_order]
    recent = (group_max(o_cust, o_day, n) >= cal.day("2016-01-01")) & (points >= 1)
    bought = lambda prods: group_sum(line_cust, np.isin(prod, prods), n) > 0  # noqa: E731
    shanghai = np.array([p == "上海" for p in prof["province"]])
    sms_audience = recent & shanghai & bought([PROPOLIS])
    mail_audience = recent & (spend >= 10000) & bought([PROPOLIS, FISH_OIL, PRESALE_FISH_OIL])
    ensure_some(rs, sms_audience, prof["sms_opt_out"], 3)
    no_phone = np.array([x == "" for x in prof["phone"]])
    for i in ensure_some(rs, sms_audience & ~prof["sms_opt_out"], no_phone, 3):
        prof["phone"][i] = ""
    ensure_some(rs, mail_audience, prof["email_opt_out"], 5)
    write_shop(out_dir, "health", rs, cal, "2", prof, register, points, None,
               o_cust, o_sec, line_order, prod, qty, fen, cat, 0.6, 0.76)


def ensure_some(rs, audience, flag, need) -> list:
    """保证人群 audience 里至少有 need 人的 flag 为 True（不够就随机补几个），返回补上的下标。"""
    missing = need - int((audience & flag).sum())
    if missing <= 0:
        return []
    chosen = rs.choice(np.flatnonzero(audience & ~flag), missing, replace=False).tolist()
    flag[chosen] = True
    return chosen


# ============================================================================
# 六、夏艺女装（淘宝C店，女士大衣），今天 = 2018-12-10
# ============================================================================

# (商品简称, 标题, 类目, 一口价(分), 毛利率(%), 复购周期(天), 人气, 季节)
XIAYI_CATALOG = [
    ("羊毛双面呢大衣", "夏艺女装2018秋冬新款双面羊毛大衣女中长款 手工双面呢外套", "大衣", 129900, 55, None, 8, "winter"),
    ("羊绒大衣", "夏艺100%羊绒大衣女中长款 高端双面羊绒外套 秋冬", "大衣", 199900, 58, None, 3, "winter"),
    ("茧型毛呢外套", "夏艺茧型毛呢外套女 宽松显瘦韩版呢子大衣", "毛呢外套", 69900, 50, None, 7, "winter"),
    ("格子大衣", "夏艺格子大衣女 复古英伦风中长款毛呢外套", "大衣", 59900, 50, None, 6, "winter"),
    ("风衣", "夏艺风衣女中长款 春秋新款英伦双排扣卡其色", "风衣", 45900, 48, None, 6, "mild"),
    ("短款毛呢外套", "夏艺短款毛呢外套女 小个子秋冬新款呢子上衣", "毛呢外套", 49900, 50, None, 5, "winter"),
    ("长款羊毛大衣", "夏艺过膝长款羊毛大衣女 秋冬加厚毛呢外套", "大衣", 89900, 52, None, 5, "winter"),
    ("驼色羊毛大衣", "夏艺驼色羊毛大衣女 经典翻领中长款", "大衣", 109900, 54, None, 4, "winter"),
    ("连帽毛呢大衣", "夏艺连帽毛呢大衣女 学生休闲牛角扣外套", "大衣", 65900, 50, None, 4, "winter"),
    ("双排扣西装大衣", "夏艺双排扣西装领大衣女 通勤职业毛呢外套", "大衣", 79900, 52, None, 4, "winter"),
    ("一字扣毛呢外套", "夏艺一字扣毛呢外套女 小香风气质呢子外套", "毛呢外套", 55900, 50, None, 3, "winter"),
    ("赫本风大衣", "夏艺赫本风大衣女 收腰A字中长款毛呢外套", "大衣", 72900, 52, None, 4, "winter"),
    ("狐狸毛领大衣", "夏艺狐狸毛领双面羊绒大衣女 高端加厚", "大衣", 169900, 56, None, 2, "winter"),
    ("羊羔毛外套", "夏艺羊羔毛外套女 短款加厚保暖颗粒绒上衣", "外套", 39900, 48, None, 4, "winter"),
    ("短款风衣", "夏艺短款风衣女 春秋小个子休闲外套", "风衣", 35900, 48, None, 4, "mild"),
    ("牛角扣大衣", "夏艺牛角扣大衣女 学院风连帽呢子外套", "大衣", 62900, 50, None, 3, "winter"),
    ("斗篷大衣", "夏艺斗篷大衣女 披肩式毛呢外套", "大衣", 56900, 50, None, 2, "winter"),
    ("落肩羊毛大衣", "夏艺落肩羊毛大衣女 宽松慵懒风中长款", "大衣", 99900, 54, None, 3, "winter"),
    ("水波纹羊绒大衣", "夏艺水波纹羊绒大衣女 双面羊绒手工缝制", "大衣", 179900, 57, None, 2, "winter"),
    ("千鸟格外套", "夏艺千鸟格小香风外套女 短款粗花呢", "外套", 45900, 50, None, 3, "mild"),
    ("白鸭绒羽绒服", "夏艺白鸭绒羽绒服女 中长款加厚连帽", "羽绒服", 69900, 48, None, 4, "winter"),
    ("加厚棉服", "夏艺加厚棉服女 短款面包服冬季外套", "棉服", 32900, 46, None, 3, "winter"),
    ("针织开衫", "夏艺针织开衫女 宽松慵懒毛衣外套", "针织衫", 19900, 55, None, 4, "mild"),
    ("高领毛衣", "夏艺高领毛衣女 秋冬加厚打底针织衫", "针织衫", 22900, 55, None, 5, "cold"),
    ("羊毛衫", "夏艺100%羊毛衫女 圆领套头针织衫", "针织衫", 26900, 56, None, 4, "cold"),
    ("打底衫", "夏艺打底衫女 长袖修身百搭内搭上衣", "上衣", 9900, 60, None, 6, "all"),
    ("羊毛围巾", "夏艺羊毛围巾女 冬季百搭格子披肩", "配饰", 12900, 62, None, 6, "cold"),
    ("羊绒围巾", "夏艺羊绒围巾女 纯色加厚保暖礼盒装", "配饰", 29900, 60, None, 3, "cold"),
    ("半身裙", "夏艺半身裙女 中长款A字毛呢裙", "裙装", 18900, 55, None, 3, "mild"),
    ("阔腿裤", "夏艺阔腿裤女 高腰垂感西装裤", "裤装", 16900, 55, None, 3, "all"),
    ("连衣裙", "夏艺连衣裙女 法式复古碎花长裙", "裙装", 25900, 55, None, 3, "summer"),
    ("衬衫", "夏艺衬衫女 雪纺长袖通勤上衣", "上衣", 14900, 56, None, 3, "summer"),
    ("贝雷帽", "夏艺羊毛贝雷帽女 复古画家帽", "配饰", 9900, 62, None, 3, "cold"),
    ("毛呢阔腿裤", "夏艺毛呢阔腿裤女 秋冬加厚高腰直筒裤", "裤装", 21900, 55, None, 3, "cold"),
]
JHS_PRODUCT = 2          # 聚划算团购的商品：茧型毛呢外套
JHS_PRICE = 29900        # 团购价 299.00 元
JHS_DAYS = ["2018-01-05", "2018-01-06", "2018-01-07", "2018-01-08", "2018-01-09"]


def price_band_matrix(price) -> np.ndarray:
    """3 × 商品数：预算型 / 中档 / 高端客户对各价位商品的偏好。"""
    bands = np.searchsorted(np.array([30000, 80000, 150000]), price, side="right")
    table = np.array([[3.0, 1.0, 0.25, 0.05],  # 预算型
                      [1.0, 1.0, 1.0, 0.6],   # 中档
                      [0.4, 0.7, 1.6, 2.2]])  # 高端
    return table[:, bands]


XIAYI_MONTHS = [1.3, 0.45, 0.4, 0.35, 0.3, 0.45, 0.25, 0.45, 1.0, 1.7, 2.2, 2.0]
XIAYI_YEARS = {2017: 1.0, 2018: 1.2, 2019: 1.25}
XIAYI_SPIKES = [("2017-11-10", "2017-11-10", 1.5), ("2017-11-11", "2017-11-11", 12),
                ("2017-11-12", "2017-11-12", 1.5), ("2017-12-12", "2017-12-12", 5),
                ("2018-01-05", "2018-01-09", 2.5), ("2018-01-20", "2018-02-05", 1.3),
                ("2018-06-01", "2018-06-17", 1.4), ("2018-06-18", "2018-06-18", 5),
                ("2018-11-10", "2018-11-10", 1.5), ("2018-11-11", "2018-11-11", 14),
                ("2018-11-12", "2018-11-12", 1.5)]
XIAYI_PROFILE = dict(
    female=0.92, age_weights=tri_weights(np.arange(60), 20, 29, 50), shanghai_share=0.09,
    occ_weights=[34, 12, 7, 6, 7, 6, 12, 1, 3, 4, 8], nick_styles=[5, 40, 25, 25, 5],
    phone_empty=0.05, email_empty=0.45, sms_opt=0.05, email_opt=0.03, new_prefixes=0.08)
# 2018-12-10 以后（第 12 章）：双12、2019 年货节、春节前后快递停发
XIAYI_SPIKES_AFTER = [("2018-12-12", "2018-12-12", 5), ("2019-01-05", "2019-01-15", 1.5),
                      ("2019-01-28", "2019-02-10", 0.35)]


def build_xiayi(out_dir: str) -> None:
    rs = np.random.RandomState(20181210)
    cal = Calendar("2017-09-01", "2018-12-10")
    n = 20000
    prof = make_profiles(rs, n, "XY", **XIAYI_PROFILE)

    # ---- 下单强度：秋冬旺季，双11、双12、年货节、6.18；2–4 月淡季 ----
    weights = daily_weights(cal, XIAYI_MONTHS, XIAYI_YEARS, XIAYI_SPIKES)
    dist = DayDist(weights)
    promo_days = np.zeros(cal.n_days, dtype=bool)
    for d in ["2017-11-11", "2017-12-12", "2018-06-18", "2018-11-11"]:
        promo_days[cal.day(d)] = True
    promo_days[cal.day("2018-01-20"):cal.day("2018-02-05") + 1] = True

    # ---- 客户分群：只关注不购买 / 聚划算新客 / 普通买家 ----
    JHS, REGULAR = 1, 2  # 0 = 只关注、从不购买
    seg = pick(rs, [3800, 3600, 12600], n)
    k_w = [52, 22, 11, 3, 1.6, 0.5, 0.32, 0.24, 0.16, 0.12, 0.08, 0.07, 0.05, 0.05,
           0.05, 0.05, 0.05, 0.05, 0.05, 0.03, 0.025, 0.025, 0.025, 0.025, 0.025, 0.025, 0.025, 0.025]
    k = np.where(seg == REGULAR, pick(rs, k_w, n) + 1, 0)
    k = np.where(seg == JHS, np.where(chance(rs, 0.86, n), 1, pick(rs, [60, 25, 15], n) + 2), k)
    # 首单：普通买家按季节强度；聚划算新客集中在 2018-01-05 至 01-09
    span = np.clip((k - 1) * 14, 0, 330)
    first = dist.sample(rs, 0, np.maximum(cal.n_days - span, 1), n)
    jhs_day = np.array([cal.day(d) for d in JHS_DAYS], dtype=I64)[pick(rs, [15, 22, 26, 21, 16], n)]
    first = np.where(seg == JHS, jhs_day, first)
    still_active = chance(rs, 0.55, n) | (k >= 8)
    end = np.where(still_active, cal.n_days,
                   first + 30 + (rs.random_sample(n) * (cal.n_days - first - 30)).astype(I64))
    end = np.minimum(np.maximum(end, first + 1), cal.n_days)
    k = np.where(end - first >= 2, k, np.minimum(k, 1))
    rc, rd = repeat_days(rs, dist, first, end, k)
    b_idx = np.flatnonzero(k > 0)
    o_cust = np.concatenate([b_idx, rc])
    o_day = np.concatenate([first[b_idx], rd])
    lag = np.where(chance(rs, 0.5, n), 0, randint(rs, 1, 120, n))
    register = np.where(seg == JHS, first, np.maximum(first - lag, 0))
    register = np.where(k > 0, register, dist.sample(rs, 0, cal.n_days, n))

    # ---- 边界值：最后一次下单恰好在 1/3/4/7/12 个自然月前 ----
    for target in ["2018-11-10", "2018-09-10", "2018-08-10", "2018-05-10", "2017-12-10"]:
        move_last_orders(rs, o_cust, o_day, register, seg == REGULAR, cal.day(target), 6)

    # ---- 商品明细 ----
    cat = XIAYI_CATALOG
    price = np.array([p[3] for p in cat], dtype=I64)
    pop = np.array([p[6] for p in cat], dtype=float)
    season = season_matrix(cat, 7)
    band = price_band_matrix(price)
    # 预算：只买一次的多是预算型，回头客里高端的多
    budget = np.select([k >= 6, k >= 4, k >= 2],
                       [pick(rs, [20, 45, 35], n), pick(rs, [35, 50, 15], n), pick(rs, [8, 37, 55], n)],
                       pick(rs, [75, 22, 3], n))
    is_jhs_day = np.zeros(cal.n_days, dtype=bool)
    is_jhs_day[jhs_day.min():jhs_day.max() + 1] = True
    deal = is_jhs_day[o_day] & ((seg[o_cust] == JHS) | chance(rs, 0.5, len(o_day)))
    deal &= (seg[o_cust] != JHS) | (o_day == first[o_cust])

    def weight_fn(line_order):
        c = o_cust[line_order]
        return pop * season[cal.month[o_day[line_order]] - 1] * band[budget[c]]

    # 每单几件：高端客户常常一次买两三件
    lines_by_budget = [pick(rs, w, len(o_day)) + 1 for w in ([82, 15, 3], [72, 22, 6], [50, 32, 18])]
    n_lines = np.choose(budget[o_cust], lines_by_budget).astype(I64)
    line_order, prod, qty, fen = make_items(
        rs, cal, o_cust, o_day, weight_fn, n_lines, [93, 6, 1], promo_days, price,
        forced_product=np.where(deal, JHS_PRODUCT, -1),
        forced_qty=np.where(chance(rs, 0.93, len(o_day)), 1, 2))
    deal_line = deal[line_order] & (prod == JHS_PRODUCT)
    fen = np.where(deal_line, qty * JHS_PRICE, fen)
    fen = apply_coupons(rs, line_order, fen, len(o_day), np.where(deal, 0.0, 0.35))

    # ---- 边界值：累计消费恰好 100.00 / 200.00 / 500.00 / 2000.00 等，评估期内消费恰在 M 档边上 ----
    line_cust = o_cust[line_order]
    force_boundary_totals(rs, cal, o_cust, o_day, line_cust, fen, n, seg == REGULAR)

    # ---- 时刻、领卡日期、积分 ----
    o_sec = order_seconds(rs, cal, o_day)
    card_day = card_claims(rs, cal, o_cust, o_sec, line_order, fen, n)
    spend = group_sum(line_cust, fen, n)
    points = points_from_spend(rs, spend, np.where(card_day >= 0, 0.1, 0.8))
    parts = make_events(rs, cal, prof, register, o_cust, o_sec, line_order, prod, pop,
                        season, band, budget)
    write_shop(out_dir, "xiayi", rs, cal, "3", prof, register, points, card_day,
               o_cust, o_sec, line_order, prod, qty, fen, cat, 0.76, 0.88)
    after, all_ids = build_xiayi_after(out_dir, cal, prof, register, o_cust, o_sec, budget, pop,
                                       season, band, price)
    cal2 = Calendar(cal.start.isoformat(), XIAYI_LATEST)
    write_csv(os.path.join(out_dir, "xiayi", "events.csv"), EVENT_HEADER,
              events_columns(parts + after, cal2, all_ids, [x[0] for x in cat]))
    write_ads(os.path.join(out_dir, "xiayi", "ads.csv"))


# ============================================================================
# 六之二、夏艺女装“今天”之后：双12 老客召回短信（留 10% 对照组）和之后两个月
# 这些行追加在 orders.csv / items.csv 末尾；load_shop("xiayi") 只读到 2018-12-09，
# 第 12 章用 load_shop("xiayi", today="2019-02-16") 站在 2019-02-16 回头看活动效果。
# ============================================================================

XIAYI_LATEST = "2019-02-16"
CAMPAIGN_HEADER = ["campaign_id", "name", "channel", "audience_rule", "send_time", "message",
                   "shop_name", "sms_price", "coupon_value", "coupon_threshold", "coupon_end",
                   "holdout_share"]
CAMPAIGN_ROW = ["C20181212", "双12老客召回短信", "短信",
                "近12个月下过单、2018-11-11以来还没有下单、留了手机号且没有退订短信的老客",
                "2018-12-12 18:00:00",
                "{昵称}亲，双12老顾客专享满299减30元券已放入您的账户，明晚24点前有效，"
                "大衣低至7折，戳 c.tb.cn/h.Xy12 选购",
                "夏艺女装", "0.05", "30.00", "299.00", "2018-12-13 23:59:59", "0.10"]
MEMBER_HEADER = ["campaign_id", "customer_id", "group", "coupon_order_id"]
COUPON_FEN, COUPON_MIN_FEN = 3000, 29900


def earliest_per_customer(idx, cust, sec) -> np.ndarray:
    """idx 这些订单里，每位客户最早的一笔（按客户编号排列）。"""
    idx = idx[np.lexsort((sec[idx], cust[idx]))]
    return idx[np.unique(cust[idx], return_index=True)[1]]


def build_xiayi_after(out_dir, cal, prof, register, o_cust, o_sec, budget, pop, season, band,
                      price) -> list:
    """追加 2018-12-10 至 2019-02-15 的订单，写出活动表和活动名单；返回这段时间的行为事件。"""
    rs = np.random.RandomState(20190216)
    cal2 = Calendar(cal.start.isoformat(), XIAYI_LATEST)
    d0, d1, n_old = cal.n_days, cal2.n_days, len(register)
    w = daily_weights(cal2, XIAYI_MONTHS, XIAYI_YEARS, XIAYI_SPIKES + XIAYI_SPIKES_AFTER)

    # ---- 0) 新客户：这段时间新注册的人，一半多在一周内下了第一单 ----
    n_new = 2400
    new = make_profiles(rs, n_new, "XY", **XIAYI_PROFILE, first_number=n_old + 1,
                        taken_nicknames=prof["nickname"])
    reg_new = DayDist(w).sample(rs, d0, d1, n_new)
    folder = os.path.join(out_dir, "xiayi")
    append_csv(os.path.join(folder, "customers.csv"),
               customers_columns(new, reg_new, np.zeros(n_new, dtype=I64), cal2,
                                 np.full(n_new, -1, dtype=I64)))
    prof = {key: (np.concatenate([prof[key], new[key]]) if isinstance(prof[key], np.ndarray)
                  else list(prof[key]) + list(new[key])) for key in prof}
    register = np.concatenate([register, reg_new])
    budget = np.concatenate([budget, pick(rs, [75, 22, 3], n_new)])
    n = n_old + n_new
    first_buy = np.flatnonzero(chance(rs, 0.55, n_new))
    f_day = np.minimum(reg_new[first_buy] + randint(rs, 0, 8, len(first_buy)), d1 - 1)

    # ---- 1) 老客户平常的订单：每人每天下单的概率 ∝ 近一年的下单数 × 当天的季节强度 ----
    ever = group_sum(o_cust, np.ones(len(o_cust)), n_old) > 0
    recent = o_sec >= (d0 - 365) * 86400
    n365 = group_sum(o_cust[recent], np.ones(int(recent.sum())), n_old)
    rate = 0.55 * n365 / 365 + np.where(ever, 0.0002, 0.0001)
    p = np.minimum(rate[:, None] * (w[d0:d1] / w[d0 - 365:d0].mean())[None, :], 0.5)
    b_cust, b_off = np.nonzero(chance(rs, p, p.shape))
    b_cust = np.concatenate([b_cust.astype(I64), n_old + first_buy])
    b_sec = order_seconds(rs, cal2, np.concatenate([d0 + b_off.astype(I64), f_day]))

    # ---- 2) 活动名单：发送前一刻符合规则的人，随机留出一成做对照组（不发短信） ----
    send = cal2.day("2018-12-12") * 86400 + 18 * 3600
    window_end = cal2.day("2018-12-14") * 86400
    c_all = np.concatenate([o_cust, b_cust])
    s_all = np.concatenate([o_sec, b_sec])
    since = lambda day: group_sum(c_all, (s_all >= cal2.day(day) * 86400) & (s_all < send), n)  # noqa: E731
    n12 = since("2017-12-12")                  # 近 12 个月（发送之前）的下单数
    quiet = since("2018-11-11") == 0           # 双11 以来没有下单
    phone = np.array([x != "" for x in prof["phone"]])
    audience = np.flatnonzero((n12 >= 1) & quiet & phone & ~prof["sms_opt_out"])
    perm = rs.permutation(len(audience))
    n_ctrl = (len(audience) + 5) // 10
    control = np.zeros(n, dtype=bool)
    control[audience[perm[:n_ctrl]]] = True
    treated = np.zeros(n, dtype=bool)
    treated[audience[perm[n_ctrl:]]] = True

    # ---- 3) 短信的作用：新增订单、提前下单、之后多回来一次 ----
    inc_c = np.flatnonzero(treated & chance(rs, 0.025 + 0.01 * np.minimum(n12, 5), n))
    lo_b = np.array([0, 3600, 7200, 14400, 21600], dtype=I64)   # 发送后 0–1–2–4–6–30 小时
    hi_b = np.array([3600, 7200, 14400, 21600, 108000], dtype=I64)
    b = pick(rs, [35, 20, 15, 10, 20], len(inc_c))
    inc_sec = send + lo_b[b] + (rs.random_sample(len(inc_c)) * (hi_b - lo_b)[b]).astype(I64)
    later = np.flatnonzero(treated[b_cust] & (b_sec >= window_end)
                           & (b_sec < cal2.day("2018-12-28") * 86400))
    first_later = earliest_per_customer(later, b_cust, b_sec)
    moved = first_later[chance(rs, 0.3, len(first_later))]
    b_sec[moved] = send + randint(rs, 0, window_end - send, len(moved))
    habit = inc_c[chance(rs, 0.2, len(inc_c))]
    h_day = DayDist(w).sample(rs, cal2.day("2018-12-20"), cal2.day("2019-02-11"), len(habit))
    h_sec = order_seconds(rs, cal2, h_day)

    # ---- 4) 商品明细、优惠券、订单号 ----
    p_cust = np.concatenate([b_cust, inc_c, habit])
    p_sec = np.concatenate([b_sec, inc_sec, h_sec])
    p_day = p_sec // 86400
    m = len(p_sec)
    promo = np.zeros(d1, dtype=bool)
    promo[cal2.day("2018-12-12")] = True
    promo[cal2.day("2019-01-05"):cal2.day("2019-01-15") + 1] = True

    def weight_fn(line_order):
        return pop * season[cal2.month[p_day[line_order]] - 1] * band[budget[p_cust[line_order]]]

    lines_by_budget = [pick(rs, wt, m) + 1 for wt in ([82, 15, 3], [72, 22, 6], [50, 32, 18])]
    n_lines = np.choose(budget[p_cust], lines_by_budget).astype(I64)
    line_order, prod, qty, fen = make_items(rs, cal2, p_cust, p_day, weight_fn, n_lines,
                                            [93, 6, 1], promo, price)
    # 实验组在券的有效期内下的单：满 299 元九成会用券（每人一张，用在最早的一单上）
    subtotal = group_sum(line_order, fen, m)
    can = np.flatnonzero(treated[p_cust] & (p_sec >= send) & (p_sec < window_end)
                         & (subtotal >= COUPON_MIN_FEN))
    can = earliest_per_customer(can, p_cust, p_sec)
    used = np.sort(can[chance(rs, 0.9, len(can))])
    coupon = np.zeros(m, dtype=I64)
    coupon[used] = COUPON_FEN
    fen = split_discount(line_order, fen, coupon)
    has_coupon = coupon > 0
    fen = apply_coupons(rs, line_order, fen, m, np.where(has_coupon, 0.0, 0.35))
    cols, new_pos, oids = finish_orders(rs, cal2, "3", prof["customer_id"], p_cust, p_sec,
                                        line_order, fen, 0.88, 0.88)
    names = [x[0] for x in XIAYI_CATALOG]
    append_csv(os.path.join(folder, "orders.csv"), cols)
    append_csv(os.path.join(folder, "items.csv"),
               items_columns(new_pos[line_order], prod, qty, fen, oids, names))

    # ---- 5) 活动表和名单 ----
    write_csv(os.path.join(folder, "campaigns.csv"), CAMPAIGN_HEADER, [[x] for x in CAMPAIGN_ROW])
    members = np.sort(audience)
    coupon_of = {int(p_cust[j]): oids[new_pos[j]] for j in used.tolist()}
    write_csv(os.path.join(folder, "campaign_members.csv"), MEMBER_HEADER, [
        [CAMPAIGN_ROW[0]] * len(members), [prof["customer_id"][c] for c in members.tolist()],
        ["对照组" if control[c] else "实验组" for c in members.tolist()],
        [coupon_of.get(c, "") for c in members.tolist()]])

    # ---- 6) 这段时间的行为：下单前后、日常逛店、短信里点链接进店 ----
    parts = order_events(rs, p_sec, p_cust, line_order, prod, d0 * 86400)
    parts += browse_events(rs, cal2, register, d0, d1, 4400, pop, season, band, budget)
    clickers = np.flatnonzero(treated & chance(rs, 0.12, n))
    views = pick(rs, [50, 30, 20], len(clickers)) + 1
    vc = np.repeat(clickers, views)
    vsec = send + randint(rs, 0, 3 * 3600, len(vc))
    vprod = pick_rows(rs, pop * season[11] * band[budget[vc]])
    parts.append((vsec, vc, np.full(len(vc), VIEW), vprod))
    return parts, prof["customer_id"]


# 广告投放表：双12 前后两周（2018-12-03 至 12-16）的几条推广计划（直通车、钻展、超级推荐）
# (计划, 工具, 展现量, 点击率‰, 转化率‰, 平均点击花费(分), 平均成交额(分))
ADS_PLANS = [
    ("大衣-核心词", "直通车", 186000, 27, 31, 142, 71500),
    ("羊绒大衣-长尾词", "直通车", 48200, 36, 44, 171, 152000),
    ("毛呢外套-智能推广", "直通车", 254000, 18, 21, 96, 50500),
    ("羽绒服-新品测款", "直通车", 61500, 15, 0, 88, 69900),
    ("老客定向-店铺人群", "钻展", 92000, 11, 38, 65, 83000),
    ("相似店铺人群", "钻展", 410000, 4, 12, 58, 61000),
    ("首页猜你喜欢", "超级推荐", 355000, 9, 14, 47, 55000),
]


def write_ads(path: str) -> None:
    rs = np.random.RandomState(20181126)
    k = len(ADS_PLANS)
    show = np.array([p[2] for p in ADS_PLANS], dtype=I64)
    ctr = np.array([p[3] for p in ADS_PLANS], dtype=I64)
    cvr = np.array([p[4] for p in ADS_PLANS], dtype=I64)
    clicks = show * (ctr * 10 + randint(rs, -15, 16, k)) // 10000
    orders = clicks * cvr // 1000
    cost = clicks * np.array([p[5] for p in ADS_PLANS], dtype=I64) + randint(rs, 0, 100, k)
    aov = np.array([p[6] for p in ADS_PLANS], dtype=I64)
    revenue = orders * aov + randint(rs, -900, 900, k) * np.minimum(orders, 1) * 10
    write_csv(path, ["plan", "tool", "start_date", "end_date", "impressions", "clicks", "cost",
                     "orders", "revenue"],
              [[p[0] for p in ADS_PLANS], [p[1] for p in ADS_PLANS], ["2018-12-03"] * k,
               ["2018-12-16"] * k, strs(show), strs(clicks), [yuan(c) for c in cost.tolist()],
               strs(orders), [yuan(r) for r in revenue.tolist()]])


def move_last_orders(rs, o_cust, o_day, register, allowed, target, how_many) -> None:
    """挑几位最后一单在 target 前后 20 天内的客户，把最后一单挪到 target 当天。"""
    n = len(register)
    last = group_max(o_cust, o_day, n)
    # 倒数第二单（没有则为 -1）：把最后一单“去掉”后再取最大值
    is_last = o_day == last[o_cust]
    second = group_max(o_cust[~is_last], o_day[~is_last], n)
    n_last = group_sum(o_cust[is_last], np.ones(int(is_last.sum())), n)
    cand = np.flatnonzero(allowed & (abs(last - target) <= 20) & (last != target)
                          & (second < target) & (register <= target) & (n_last == 1))
    for c in rs.choice(cand, how_many, replace=False).tolist():
        o_day[(o_cust == c) & (o_day == last[c])] = target


def force_boundary_totals(rs, cal, o_cust, o_day, line_cust, fen, n, allowed) -> None:
    """把少数客户的消费金额改成边界值，用来讨论“大于”与“达到”、M 档的左闭右开。"""
    n_orders = group_sum(o_cust, np.ones(len(o_cust)), n)
    spend = group_sum(line_cust, fen, n)
    first = group_min(o_cust, o_day, n, empty=1 << 40)
    used = ~allowed
    # (目标金额分, 人数, 只选订单数少于几笔的客户, 是否要求全部订单在 RFM 评估期内)
    targets = [(10000, 4, 3, False), (9999, 2, 3, False), (10001, 2, 3, False),
               (10050, 2, 3, False), (10099, 2, 3, False), (20000, 4, 5, False),
               (19999, 2, 5, False), (50000, 4, 10, False), (49999, 2, 10, False),
               (200000, 3, 20, False), (199999, 2, 20, False),
               (29999, 3, 99, True), (30000, 3, 99, True), (49999, 3, 99, True),
               (50000, 3, 99, True), (99999, 3, 99, True), (100000, 3, 99, True),
               (199999, 3, 99, True), (200000, 3, 99, True)]
    in_period = first >= cal.day("2018-01-01")
    for target, how_many, max_orders, period_only in targets:
        ok = (~used & (n_orders >= 1) & (n_orders < max_orders)
              & (spend >= target) & (spend <= target * 13 // 10))
        if period_only:
            ok &= in_period
        cand = np.flatnonzero(ok)
        for c in rs.choice(cand, how_many, replace=False).tolist():
            force_total(line_cust, fen, c, target)
            used[c] = True


def card_claims(rs, cal, o_cust, o_sec, line_order, fen, n) -> np.ndarray:
    """店铺会员卡领卡日期：累计消费达到 100 元或交易达到 3 笔后，约一半多的人领卡。"""
    amount = group_sum(line_order, fen, len(o_sec))
    idx = np.lexsort((o_sec, o_cust))
    c, a, d = o_cust[idx], amount[idx], o_sec[idx] // 86400
    start = np.searchsorted(c, c, side="left")
    cum = np.cumsum(a)
    cum_spend = cum - cum[start] + a[start]
    cum_orders = np.arange(len(c), dtype=I64) - start + 1
    reached = (cum_spend >= 10000) | (cum_orders >= 3)
    never = 1 << 40
    reach_day = group_min(c[reached], d[reached], n, empty=never)
    has = reach_day < never
    delay = np.where(chance(rs, 0.35, n), 0, randint(rs, 1, 90, n))
    claim = np.where(has & chance(rs, 0.58, n), reach_day + delay, -1)
    return np.where(claim < cal.n_days, claim, -1)


# ---- 行为事件（最近约 8 个月）：浏览、收藏、加购、下单 ----
EVENT_NAMES = ["浏览", "收藏", "加购", "下单"]
VIEW, FAV, CART, BUY = 0, 1, 2, 3


def order_events(rs, o_sec, o_cust, line_order, prod, lo_sec) -> list:
    """下单事件：每个订单的每个商品一条（lo_sec 秒以后的订单）；以及下单前的浏览、收藏、加购。"""
    lo = line_order
    in_win = o_sec[lo] >= lo_sec
    sec, cust, p = o_sec[lo][in_win], o_cust[lo][in_win], prod[in_win]
    m = len(sec)
    parts = [(sec, cust, np.full(m, BUY), p)]
    cart_off = randint(rs, 30, 7200, m)
    view_off = cart_off + randint(rs, 60, 3 * 86400, m)
    fav_off = cart_off + (view_off - cart_off) // 2
    for kind, off, prob in [(CART, cart_off, 0.35), (VIEW, view_off, 0.6), (FAV, fav_off, 0.08)]:
        keep = chance(rs, prob, m) & (sec - off >= lo_sec)
        parts.append((sec[keep] - off[keep], cust[keep], np.full(int(keep.sum()), kind), p[keep]))
    return parts


def browse_events(rs, cal, register, first_day, end_day, sessions, pop, season, band, budget) -> list:
    """日常逛店：sessions 次，日期在 [first_day, end_day) 里均匀分布；每次看 1–4 件，偶尔收藏、加购。"""
    n = len(register)
    sc = randint(rs, 0, n, sessions)
    sday = DayDist(np.ones(end_day)).sample(rs, np.maximum(register[sc], first_day), end_day)
    views = pick(rs, [50, 30, 15, 5], sessions) + 1
    vc = np.repeat(sc, views)
    vday = np.repeat(sday, views)
    vsec = vday * 86400 + pick(rs, HOURS_EVENING, len(vc)) * 3600 + randint(rs, 0, 3600, len(vc))
    vprod = pick_rows(rs, pop * season[cal.month[vday] - 1] * band[budget[vc]])
    parts = [(vsec, vc, np.full(len(vc), VIEW), vprod)]
    for kind, prob in [(FAV, 0.1), (CART, 0.07)]:
        keep = chance(rs, prob, len(vc))
        later = randint(rs, 10, 900, int(keep.sum()))
        parts.append((np.minimum(vsec[keep] + later, end_day * 86400 - 1), vc[keep],
                      np.full(int(keep.sum()), kind), vprod[keep]))
    return parts


def make_events(rs, cal, prof, register, o_cust, o_sec, line_order, prod, pop, season,
                band, budget) -> list:
    """2018-04-10 到“今天”之前的行为事件，返回若干段 (秒, 客户, 事件, 商品)。"""
    n = len(register)
    w0 = cal.day("2018-04-10")
    # 1) 下单及下单前的浏览、收藏、加购；2) 买家和未购买的关注者日常逛店
    parts = order_events(rs, o_sec, o_cust, line_order, prod, w0 * 86400)
    parts += browse_events(rs, cal, register, w0, cal.n_days, 16000, pop, season, band, budget)

    # 3) 6.18 预热：6 月 1–18 日加购、但整个 6 月都没有下单的人
    june = (o_sec >= cal.day("2018-06-01") * 86400) & (o_sec < cal.day("2018-07-01") * 86400)
    bought_june = group_sum(o_cust[june], np.ones(int(june.sum())), n) > 0
    cand = np.flatnonzero(~bought_june & (register <= cal.day("2018-06-18")))
    carters = np.sort(rs.choice(cand, 1500, replace=False))
    carts = pick(rs, [55, 30, 15], len(carters)) + 1
    cc = np.repeat(carters, carts)
    wave = np.zeros(cal.n_days)
    wave[cal.day("2018-06-01"):cal.day("2018-06-19")] = 1.0
    wave[cal.day("2018-06-16"):cal.day("2018-06-19")] = 3.0
    cday = DayDist(wave).sample(rs, np.maximum(register[cc], cal.day("2018-06-01")),
                                cal.day("2018-06-19"))
    csec = cday * 86400 + pick(rs, HOURS_EVENING, len(cc)) * 3600 + randint(rs, 0, 3600, len(cc))
    cprod = pick_rows(rs, pop * season[cal.month[cday] - 1] * band[budget[cc]])
    parts.append((csec, cc, np.full(len(cc), CART), cprod))
    vkeep = chance(rs, 0.8, len(cc))
    parts.append((csec[vkeep] - randint(rs, 30, 1800, int(vkeep.sum())), cc[vkeep],
                  np.full(int(vkeep.sum()), VIEW), cprod[vkeep]))
    return parts


def events_columns(parts, cal, ids, names, session_gap=1800) -> list:
    """合并各段事件、去重、按 时间、客户、事件、商品 排序，并编上访问（session）编号。

    访问：同一位客户相邻两次行为相隔不超过 session_gap 秒（30 分钟）算同一次访问；
    访问编号按访问开始的时间（同一秒再按客户）从 S0000001 起编。
    """
    n, n_prod = len(ids), len(names)
    sec = np.concatenate([x[0] for x in parts]).astype(I64)
    cust = np.concatenate([x[1] for x in parts]).astype(I64)
    kind = np.concatenate([x[2] for x in parts]).astype(I64)
    p = np.concatenate([x[3] for x in parts]).astype(I64)
    key = ((sec * n + cust) * 4 + kind) * n_prod + p
    key = np.unique(key)
    p, rest = key % n_prod, key // n_prod
    kind, rest = rest % 4, rest // 4
    cust, sec = rest % n, rest // n
    assert (sec >= 0).all() and (sec < cal.n_days * 86400).all()
    by_cust = np.lexsort((np.arange(len(sec)), sec, cust))
    c_s, t_s = cust[by_cust], sec[by_cust]
    new = np.ones(len(sec), dtype=bool)
    new[1:] = (c_s[1:] != c_s[:-1]) | (t_s[1:] - t_s[:-1] > session_gap)
    raw = np.cumsum(new) - 1                      # 按客户排好后的访问序号
    starts = np.flatnonzero(new)
    rank = np.empty(len(starts), dtype=I64)
    rank[np.lexsort((c_s[starts], t_s[starts]))] = np.arange(len(starts), dtype=I64)
    session = np.empty(len(sec), dtype=I64)
    session[by_cust] = rank[raw] + 1
    return [[ids[c] for c in cust.tolist()], cal.fmt_time(sec.tolist()),
            [EVENT_NAMES[e] for e in kind.tolist()], [names[q] for q in p.tolist()],
            [f"S{s:07d}" for s in session.tolist()]]


# ============================================================================
# 七、主程序：生成三家店铺，并用 pandas 打印案例里各分组的人数
# ============================================================================


def report(out_dir: str) -> None:
    """读回生成的 CSV，打印行数和案例分组人数（方便核对数据是否“讲得出故事”）。"""
    import pandas as pd

    def load(shop, table):
        """读一张表；夏艺女装只取案例“今天”（2018-12-10）之前的行，和 load_shop("xiayi") 一样。"""
        path = os.path.join(out_dir, shop, f"{table}.csv")
        df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        when = {"orders": "order_time", "customers": "register_date", "events": "event_time"}
        if shop == "xiayi" and table in when:
            df = df[df[when[table]] < "2018-12-10"]
        return df

    def fen(s):
        parts = s.str.split(".", expand=True)
        return parts[0].astype("int64") * 100 + parts[1].astype("int64")

    def summary(shop):
        cu, od, it = load(shop, "customers"), load(shop, "orders"), load(shop, "items")
        od["fen"] = fen(od["amount"])
        od["t"] = pd.to_datetime(od["order_time"])
        g = od.groupby("customer_id")
        s = pd.DataFrame({"n": g.size(), "fen": g["fen"].sum(), "last": g["t"].max()})
        s["aov"] = s["fen"] / s["n"]
        it["qty"] = it["quantity"].astype(int)
        it = it.merge(od[["order_id", "customer_id"]], on="order_id")
        s["qty"] = it.groupby("customer_id")["qty"].sum()
        cu = cu.set_index("customer_id").join(s)
        cu["n"] = cu["n"].fillna(0)
        cu["pts"] = cu["points"].astype(int)
        return cu, od, it

    for shop in ["a_kids", "health", "xiayi"]:
        rows = {t: len(load(shop, t)) for t in ["customers", "orders", "items", "products"]}
        if shop == "xiayi":
            for table in ("events", "campaign_members", "ads"):
                rows[table] = len(load(shop, table))
        print(f"[{shop}] " + "，".join(f"{k} {v} 行" for k, v in rows.items()))

    # 案例 1：母亲节分组
    cu, od, it = summary("a_kids")
    bought = lambda p: set(it.loc[it["product"] == p, "customer_id"])  # noqa: E731
    base = (cu["gender"] == "女") & (cu["province"] == "上海") & (cu["last"] >= "2015-03-01")
    steps = base & (cu["n"] >= 2) & (cu["aov"] >= 20000)
    goal = base & (cu["n"] >= 3) & (cu["aov"] >= 10001)
    print("[a_kids] 案例1 母亲节：上海占比 %.1f%%" % (100 * (cu["province"] == "上海").mean()))
    for p in ["新生儿枕头", "幼儿连体衣"]:
        b = cu.index.isin(bought(p))
        print(f"  步骤口径(≥2单, 平均订单价≥200) + {p}: {int((steps & b).sum())} 人；"
              f"目标口径(>2单, 平均订单价>100) + {p}: {int((goal & b).sum())} 人")
    print(f"  步骤口径不限商品: {int(steps.sum())} 人；目标口径不限商品: {int(goal.sum())} 人；"
          f"平均订单价恰好 200.00 的上海女性: {int((base & (cu['aov'] == 20000)).sum())} 人")

    # 案例 2、3：端午节短信 / 邮件
    cu, od, it = summary("health")
    recent = (cu["n"] >= 1) & (cu["last"] >= "2016-01-01") & (cu["pts"] >= 1)
    sms = recent & (cu["province"] == "上海") & cu.index.isin(bought("蜂胶胶囊120粒装"))
    three = set().union(*[bought(p) for p in ["蜂胶胶囊120粒装", "鱼油200粒装", "预售深海鱼油200粒装"]])
    mail = recent & (cu["fen"] >= 10000) & (cu["qty"] >= 1) & cu.index.isin(three)
    print(f"[health] 案例2 短信人群: {int(sms.sum())} 人（其中退订 {int((sms & (cu['sms_opt_out'] == '1')).sum())}，"
          f"无手机号 {int((sms & (cu['phone'] == '')).sum())}）")
    print(f"[health] 案例3 邮件人群: {int(mail.sum())} 人（其中退订 {int((mail & (cu['email_opt_out'] == '1')).sum())}，"
          f"无邮箱 {int((mail & (cu['email'] == '')).sum())}）")

    # 夏艺：聚划算、VIP 等级、帕累托、RFM、6.18 加购未下单
    cu, od, it = summary("xiayi")
    ev = load("xiayi", "events")
    buyers = cu[cu["n"] > 0]
    top = buyers["fen"].sort_values(ascending=False)
    share = top.iloc[: len(top) // 5].sum() / top.sum()
    jhs = buyers["register_date"].between("2018-01-05", "2018-01-09")
    print(f"[xiayi] 买家 {len(buyers)} 人，前 20% 买家贡献 {100 * share:.1f}% 销售额；"
          f"聚划算新客 {int(jhs.sum())} 人，其中只买过一次 {int((jhs & (buyers['n'] == 1)).sum())} 人")
    tiers = [("普通会员", 10000, 3), ("高级会员", 20000, 5), ("VIP会员", 50000, 10), ("至尊VIP", 200000, 20)]
    level = pd.Series("非会员", index=buyers.index)
    for name, f_min, n_min in tiers:
        level[(buyers["fen"] >= f_min) | (buyers["n"] >= n_min)] = name
    print("  VIP（达到口径）:", level.value_counts().reindex(["非会员"] + [t[0] for t in tiers]).to_dict())
    member = level != "非会员"
    claimed = buyers["card_claimed_date"] != ""
    print(f"  达到普通会员门槛 {int(member.sum())} 人，已领卡 {int((member & claimed).sum())} 人"
          f"（{100 * (member & claimed).sum() / member.sum():.0f}%）")
    edge = {y: int((buyers["fen"] == y * 100).sum()) for y in [100, 200, 500, 2000]}
    print(f"  累计消费恰好等于门槛的人数: {edge}；100.01–100.99 元: "
          f"{int(buyers['fen'].between(10001, 10099).sum())} 人；"
          f"恰好 3/5/10/20 单: {[int((buyers['n'] == k).sum()) for k in (3, 5, 10, 20)]}；最多 {int(buyers['n'].max())} 单")
    as_of = pd.Timestamp("2018-12-10")
    per = od[(od["t"] >= as_of - pd.DateOffset(months=12)) & (od["t"] < as_of)]
    g = per.groupby("customer_id")
    r = pd.DataFrame({"last": g["t"].max().dt.normalize(), "F": g.size(), "M": g["fen"].sum()})
    cut = [as_of - pd.DateOffset(months=m) for m in (1, 3, 4, 7, 12)]
    r["Rs"] = 1
    for s_, c in zip([2, 3, 4, 5], cut[3::-1]):
        r.loc[r["last"] >= c, "Rs"] = s_
    r["Fs"] = pd.cut(r["F"], [0, 1, 2, 3, 5, 10 ** 6], labels=[1, 2, 3, 4, 5]).astype(int)
    r["Ms"] = pd.cut(r["M"], [-1, 29999, 49999, 99999, 199999, 10 ** 12], labels=[1, 2, 3, 4, 5]).astype(int)
    r["score"] = r["Rs"] + 3 * r["Fs"] + 4 * r["Ms"]
    r["lv"] = pd.cut(r["score"], [0, 16, 25, 35, 40], labels=["B", "S", "G", "P"])
    print("  RFM 评估期内客户", len(r), "人；R 档:", r["Rs"].value_counts().sort_index().to_dict(),
          "F 档:", r["Fs"].value_counts().sort_index().to_dict(),
          "M 档:", r["Ms"].value_counts().sort_index().to_dict())
    print("  PGSB:", r["lv"].value_counts().reindex(["P", "G", "S", "B"]).to_dict())
    last_all = buyers["last"].dt.normalize()
    print("  最后下单恰在边界日:", {d: int((last_all == d).sum()) for d in
                             ["2018-11-10", "2018-09-10", "2018-08-10", "2018-05-10", "2017-12-10"]},
          "；M 恰在边界:", {y: int((r["M"] == y).sum()) for y in
                        [29999, 30000, 49999, 50000, 99999, 100000, 199999, 200000]})
    ev["t"] = pd.to_datetime(ev["event_time"])
    june_cart = set(ev.loc[(ev["event"] == "加购") & ev["t"].between("2018-06-01", "2018-06-18 23:59:59"),
                           "customer_id"])
    june_buy = set(od.loc[od["t"].between("2018-06-01", "2018-06-30 23:59:59"), "customer_id"])
    fav = set(ev.loc[ev["event"] == "收藏", "customer_id"])
    print(f"  6.18 期间加购但 6 月未下单: {len(june_cart - june_buy)} 人；收藏过但从未下单: "
          f"{len(fav - set(buyers.index))} 人；事件类型: {ev['event'].value_counts().to_dict()}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="生成三家模拟店铺的 CSV 数据")
    parser.add_argument("--out", default=HERE, help="输出文件夹（默认 datasets/ 本身）")
    parser.add_argument("--no-report", action="store_true", help="不打印案例分组人数")
    args = parser.parse_args(argv)
    t0 = time.time()
    for build in (build_a_kids, build_health, build_xiayi):
        build(args.out)
    print(f"已生成到 {os.path.abspath(args.out)}，用时 {time.time() - t0:.1f} 秒")
    if not args.no_report:
        if importlib.util.find_spec("pandas") is None:  # 只有打印案例人数时才需要 pandas
            print("没有安装 pandas，跳过案例人数的打印。")
        else:
            report(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

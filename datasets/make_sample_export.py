#!/usr/bin/env python3
"""生成第 13 章用的“样例导出文件”：虚构小店“青禾茶舍”从千牛卖家中心导出的订单文件。

全部是虚构数据：买家会员名、收货人、地址、手机号、邮箱都是程序随机拼出来的，
手机号中间四位一律是 0000，邮箱都在 example.com / example.net / example.org
（专门留给示例用的域名）下，不对应任何真实的人。

用法（在仓库根目录）：
    python datasets/make_sample_export.py            # 写入 datasets/sample_export/qinghe_tea/
    python datasets/make_sample_export.py --out DIR  # 写入 DIR/（测试时用来逐字节比对）

写出三个文件，格式和真实的导出文件一样：
    ExportOrderList202407010930.csv        订单报表：GB18030 编码、\\r\\n 换行，订单编号写成 ="…"，
                                           有些表头带空格，含交易关闭、等待买家付款的订单
    ExportOrderDetailList202407010930.csv  宝贝报表（订单里的每种宝贝一行），同样的编码
    客户名单.csv                           店主自己用 Excel 记的客户名单（UTF-8 带 BOM），
                                           表头是“旺旺名”而不是“买家会员名”

逐字节可重现：随机数只用 numpy.random.RandomState（固定种子）的 randint 和
random_sample，金额全程用整数“分”，日期和 CSV 都由脚本自己格式化。
"""
from __future__ import annotations

import argparse
import datetime as dt
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "sample_export", "qinghe_tea")
SEED = 20240701
SHOP_NAME = "青禾茶舍"
SHOP_ID = "71053628"
FIRST_DAY = dt.date(2023, 7, 1)
LAST_DAY = dt.date(2024, 6, 30)          # 导出那天（2024-07-01）的前一天
STAMP = "202407010930"                   # 导出时间，写在文件名里
N_CUSTOMERS = 210
I64 = np.int64

ORDER_HEADER = [
    "订单编号", "买家会员名", "买家支付宝账号", "买家应付货款", "买家应付邮费", "买家支付积分", "总金额",
    "返点积分", "买家实际支付金额", "买家实际支付积分", "订单状态", "买家留言", "收货人姓名", "收货地址 ",
    "运送方式", "联系电话 ", "联系手机", "订单创建时间", "订单付款时间 ", "宝贝标题 ", "宝贝种类 ",
    "物流单号 ", "物流公司", "订单备注", "宝贝总数量", "店铺Id", "店铺名称", "订单关闭原因",
    "是否手机订单",
]
DETAIL_HEADER = ["订单编号", "标题", "价格", "购买数量", "外部系统编号", "商品属性", "套餐信息", "备注",
                 "订单状态", "商家编码"]
LIST_HEADER = ["旺旺名", "性别", "年龄", "邮箱", "短信退订", "邮件退订", "备注"]

# (宝贝标题, 价格（分）, 商品属性, 商家编码, 类别)
PRODUCTS = [
    ("明前特级西湖龙井 250g 罐装", 29800, "净含量：250g", "QH-LJ250", "绿茶"),
    ("洞庭碧螺春 明前新茶 125g 袋装", 12800, "净含量：125g", "QH-BLC125", "绿茶"),
    ("黄山毛峰 一级 250g 纸包 口粮茶", 6800, "净含量：250g", "QH-MF250", "绿茶"),
    ("福建正山小种红茶 浓香型 500g 礼盒装", 15800, "净含量：500g", "QH-ZS500", "红茶"),
    ("云南凤庆滇红 金芽 250g 罐装", 13800, "净含量：250g", "QH-DH250", "红茶"),
    ("安溪铁观音 清香型 500g 小泡袋", 11800, "净含量：500g", "QH-TGY500", "乌龙"),
    ("武夷岩茶 大红袍 250g 礼盒", 19800, "净含量：250g", "QH-DHP250", "乌龙"),
    ("福鼎白茶 白牡丹 茶饼 350g", 16800, "净含量：350g", "QH-BMD350", "白茶"),
    ("云南勐海普洱熟茶 七子饼 357g", 9800, "净含量：357g", "QH-PE357", "普洱"),
    ("福州茉莉花茶 飘雪 250g 袋装", 5800, "净含量：250g", "QH-ML250", "花茶"),
    ("桐乡胎菊王 50g 罐装", 3900, "净含量：50g", "QH-JH50", "花茶"),
    ("耐热玻璃茶杯 带过滤 400ml", 4500, "颜色分类：透明", "QH-BL400", "茶具"),
    ("陶瓷功夫茶具套装 一壶四杯", 19900, "颜色分类：月白", "QH-GF01", "茶具"),
    ("西湖龙井 明前特级 礼盒装 2罐×125g", 59800, "净含量：250g", "QH-LJLH", "礼盒"),
]
# 每个类别在 1–12 月的相对销量（春茶季绿茶多，冬天红茶多，夏天花茶多，中秋和年货节礼盒多）
SEASON = {
    "绿茶": [2, 2, 8, 10, 8, 4, 3, 2, 2, 2, 2, 2],
    "红茶": [6, 4, 3, 2, 2, 2, 2, 2, 3, 5, 7, 7],
    "乌龙": [4, 3, 3, 3, 3, 3, 3, 3, 4, 4, 5, 4],
    "白茶": [3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 3],
    "普洱": [4, 3, 2, 2, 2, 2, 2, 2, 3, 4, 5, 5],
    "花茶": [2, 2, 3, 4, 5, 7, 7, 6, 3, 2, 2, 2],
    "茶具": [3, 2, 2, 2, 2, 2, 2, 2, 2, 3, 5, 3],
    "礼盒": [7, 5, 1, 1, 1, 1, 1, 2, 6, 2, 3, 2],
}

# (省份全称, 权重, [(城市, 区县), ...])
REGIONS = [
    ("浙江省", 20, [("杭州市", "西湖区"), ("杭州市", "余杭区"), ("宁波市", "鄞州区"), ("温州市", "鹿城区"),
                   ("绍兴市", "越城区")]),
    ("上海", 15, [("上海市", "浦东新区"), ("上海市", "徐汇区"), ("上海市", "闵行区"), ("上海市", "静安区")]),
    ("江苏省", 14, [("苏州市", "姑苏区"), ("南京市", "鼓楼区"), ("无锡市", "梁溪区"), ("常州市", "武进区")]),
    ("广东省", 10, [("深圳市", "南山区"), ("广州市", "天河区"), ("东莞市", "南城街道")]),
    ("北京", 8, [("北京市", "朝阳区"), ("北京市", "海淀区")]),
    ("福建省", 6, [("福州市", "鼓楼区"), ("厦门市", "思明区")]),
    ("山东省", 5, [("青岛市", "市南区"), ("济南市", "历下区")]),
    ("四川省", 4, [("成都市", "武侯区")]),
    ("湖北省", 4, [("武汉市", "洪山区")]),
    ("安徽省", 4, [("合肥市", "蜀山区")]),
    ("天津", 2, [("天津市", "南开区")]),
    ("广西壮族自治区", 2, [("南宁市", "青秀区")]),
    ("内蒙古自治区", 1, [("呼和浩特市", "新城区")]),
    ("新疆维吾尔自治区", 1, [("乌鲁木齐市", "天山区")]),
]
REMOTE = {"内蒙古自治区", "新疆维吾尔自治区"}        # 偏远地区，收 10 元邮费
ROADS = ["文三路", "人民路", "解放路", "中山路", "建设路", "和平路", "长江路", "湖滨路", "学院路",
         "青年路", "光明路", "新华路", "滨江路", "东风路"]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯邓曹彭曾肖田董袁潘蒋蔡杜叶程苏魏")
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明",
         "超", "秀兰", "霞", "平", "刚", "桂英", "玉兰", "晨", "雪", "慧", "婷", "浩", "宇", "欣"]
PINYIN = ["wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun",
          "ma", "zhu", "hu", "guo", "lin", "luo", "zheng", "xie", "tang", "han", "cao", "deng"]
NICK_WORDS = ["喝茶的", "爱茶的", "品茗", "茶友", "清风", "明月", "山间", "云雾", "一壶", "慢生活"]
NICK_TAILS = ["小林", "阿杰", "老周", "小雨", "静静", "大叔", "书生", "居士", "姐姐", "同学", "先生", "小满"]
BUYER_NOTES = ["请尽快发货，谢谢", "送人的，麻烦不要放价格单, 谢谢", "茶叶要新鲜的\n谢谢老板",
               "能送点小样吗", "周末不在家，请放快递柜"]
SELLER_NOTES = ["老客户，送小样", "已改价", "加急发货", "备注：礼盒加手提袋"]
CLOSE_UNPAID = ["买家未付款，交易超时关闭", "买家不想买了", "拍错了/订单信息有误"]
MOBILE_PREFIX = ["138", "139", "135", "136", "186", "159", "177", "188", "150", "131"]


def yuan(fen: int) -> str:
    """整数“分”→“元”，两位小数：5409 → '54.09'。"""
    return f"{fen // 100}.{fen % 100:02d}"


def pick(rs, weights, size=None):
    """按整数权重抽下标（只用 randint，不用浮点累积分布）。"""
    cum = np.cumsum(np.asarray(weights, dtype=I64))
    r = rs.randint(0, int(cum[-1]), size=size, dtype=I64)
    return np.searchsorted(cum, r, side="right")


def fmt_time(day: dt.date, sec: int) -> str:
    return (dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=int(sec))).strftime("%Y-%m-%d %H:%M:%S")


def csv_field(text: str) -> str:
    """按 CSV 规则写一个字段：含逗号、引号或换行时加引号（="…" 形式的编号原样写出）。"""
    if text.startswith('="') and text.endswith('"'):
        return text
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_csv(path: str, header: list, rows: list, encoding: str) -> None:
    lines = [",".join(csv_field(h) for h in header)]
    lines += [",".join(csv_field(v) for v in row) for row in rows]
    assert all(len(row) == len(header) for row in rows)
    with open(path, "wb") as f:
        f.write(("\r\n".join(lines) + "\r\n").encode(encoding))


def make_customers(rs) -> list[dict]:
    """虚构买家：会员名、收货人、地址、手机号、性别、年龄。"""
    people, seen_nick, seen_phone = [], set(), set()
    for i in range(N_CUSTOMERS):
        a, b, c, d = (int(x) for x in rs.randint(0, 1 << 30, size=4, dtype=I64))
        style = int(pick(rs, [4, 3, 3]))
        if style == 0:
            nick = NICK_WORDS[a % len(NICK_WORDS)] + NICK_TAILS[b % len(NICK_TAILS)]
        elif style == 1:
            nick = f"tb_{PINYIN[a % len(PINYIN)]}{b % 9000 + 1000}"
        else:
            nick = f"{PINYIN[a % len(PINYIN)]}{PINYIN[b % len(PINYIN)]}{c % 90 + 10}"
        base, k = nick, 2
        while nick in seen_nick:
            nick, k = f"{base}{k}", k + 1
        seen_nick.add(nick)
        phone = MOBILE_PREFIX[c % len(MOBILE_PREFIX)] + "0000" + f"{d % 10000:04d}"
        while phone in seen_phone:
            phone = phone[:7] + f"{(int(phone[7:]) + 7) % 10000:04d}"
        seen_phone.add(phone)
        region = REGIONS[int(pick(rs, [r[1] for r in REGIONS]))]
        city, district = region[2][d % len(region[2])]
        province = region[0]
        street = f"{ROADS[a % len(ROADS)]}{b % 300 + 1}号{c % 20 + 1}幢{d % 6 + 1}0{a % 4 + 1}室"
        postcode = f"{(a % 80 + 10) * 10000 + b % 10000:06d}"
        address = f"{province} {city} {district} {street}({postcode})"
        female = bool(rs.random_sample() < 0.62)
        people.append({
            "nick": nick, "phone": phone, "address": address, "remote": province in REMOTE,
            "receiver": SURNAMES[a % len(SURNAMES)] + GIVEN[(c + (0 if female else 7)) % len(GIVEN)],
            "gender": "女" if female else "男", "age": int(22 + rs.randint(0, 40, dtype=I64)),
            "email": f"{PINYIN[b % len(PINYIN)]}{c % 900 + 100}@example.{['com', 'net', 'org'][d % 3]}",
        })
    return people


def order_days(rs, k: int, day_weights) -> list[int]:
    """一位买家的 k 个下单日（第几天；同一天抽到两次只算一次），按每天的下单强度抽。"""
    return sorted({int(x) for x in pick(rs, day_weights, size=k)})


def build(out: str) -> dict:
    rs = np.random.RandomState(SEED)
    os.makedirs(out, exist_ok=True)
    people = make_customers(rs)
    n_days = (LAST_DAY - FIRST_DAY).days + 1
    calendar = [FIRST_DAY + dt.timedelta(days=i) for i in range(n_days)]
    # 每天的下单强度：月份（茶叶淡旺季）× 大促（双11、双12、年货节、618）
    month_w = {7: 6, 8: 6, 9: 8, 10: 7, 11: 10, 12: 9, 1: 10, 2: 6, 3: 10, 4: 12, 5: 10, 6: 8}
    day_w = np.array([month_w[d.month] for d in calendar], dtype=I64)
    for first, last, factor in ((dt.date(2023, 11, 1), dt.date(2023, 11, 11), 3),
                                (dt.date(2023, 12, 10), dt.date(2023, 12, 12), 3),
                                (dt.date(2024, 1, 15), dt.date(2024, 2, 5), 2),
                                (dt.date(2024, 6, 1), dt.date(2024, 6, 18), 2)):
        day_w[(first - FIRST_DAY).days:(last - FIRST_DAY).days + 1] *= factor
    n_orders = pick(rs, [52, 20, 11, 7, 4, 3, 2, 1], size=N_CUSTOMERS) + 1
    n_orders[:3] = [12, 9, 8]                                   # 几位忠实老茶客

    orders = []
    for ci, person in enumerate(people):
        for day in order_days(rs, int(n_orders[ci]), day_w):
            orders.append((day, ci))
    orders.append((n_days - 1, 5))                              # 最后一天确有一笔已付款订单
    orders.sort()
    forced = orders.index((n_days - 1, 5))
    late = next(i for i, o in enumerate(orders) if o[0] >= 30)  # 一笔深夜下单、次日零点后付款的订单

    order_rows, detail_rows, ids = [], [], set()
    for n, (day_i, ci) in enumerate(orders):
        person, day = people[ci], calendar[day_i]
        created = int(rs.randint(8 * 3600, 23 * 3600, dtype=I64))
        paid_after = int(rs.randint(20, 900, dtype=I64))
        if n == late:
            created, paid_after = 23 * 3600 + 58 * 60 + 11, 7 * 60
        oid = str(int(rs.randint(1, 4, dtype=I64))) + f"{int(rs.randint(0, 10**9, dtype=I64)):09d}" \
            + f"{int(rs.randint(0, 10**9, dtype=I64)):09d}"
        while oid in ids:
            oid = oid[:-1] + str((int(oid[-1]) + 1) % 10)
        ids.add(oid)
        # 宝贝：1–3 种，按季节挑
        kinds = int(pick(rs, [80, 17, 3])) + 1
        season = [SEASON[p[4]][day.month - 1] for p in PRODUCTS]
        chosen = []
        while len(chosen) < kinds:
            p = int(pick(rs, season))
            if p not in chosen:
                chosen.append(p)
        chosen.sort()
        qty = [int(pick(rs, [75, 18, 7])) + 1 for _ in chosen]
        goods = sum(PRODUCTS[p][1] * q for p, q in zip(chosen, qty))
        postage = 1000 if person["remote"] else 0
        coupon = [0, 500, 1000, 2000][int(pick(rs, [55, 20, 15, 10]))]
        if coupon == 2000 and goods < 20000:
            coupon = 1000
        coins = int(rs.randint(0, 200, dtype=I64)) if rs.random_sample() < 0.3 else 0
        paid = max(goods + postage - coupon - coins, 1)
        # 状态：最后两天有人还没付款；约 7% 交易关闭（一半没付款就关了，一半付款后退款）
        r = rs.random_sample()
        days_left = n_days - 1 - day_i
        if days_left <= 1 and r < 0.35 and n != forced:
            status, close = "等待买家付款", "订单未关闭"
        elif r > 0.93 and n not in (late, forced):
            refund = bool(rs.random_sample() < 0.5)
            status = "交易关闭"
            close = "退款成功" if refund else CLOSE_UNPAID[int(rs.randint(0, 3, dtype=I64))]
        elif days_left <= 1:
            status, close = "买家已付款，等待卖家发货", "订单未关闭"
        elif days_left <= 8:
            status, close = "卖家已发货，等待买家确认", "订单未关闭"
        else:
            status, close = "交易成功", "订单未关闭"
        has_paid = status not in ("等待买家付款",) and close in ("订单未关闭", "退款成功")
        pay_time = fmt_time(day, created + paid_after) if has_paid else ""
        shipped = has_paid and status != "买家已付款，等待卖家发货"
        tracking = f'="YT{int(rs.randint(10**12, 10**13, dtype=I64))}"' if shipped else ""
        buyer_note = BUYER_NOTES[int(rs.randint(0, len(BUYER_NOTES), dtype=I64))] if rs.random_sample() < 0.05 else ""
        seller_note = SELLER_NOTES[int(rs.randint(0, len(SELLER_NOTES), dtype=I64))] if rs.random_sample() < 0.04 else ""
        mobile = "手机订单" if rs.random_sample() < 0.82 else ""
        alipay = person["phone"][:3] + "****" + person["phone"][-4:]
        order_rows.append([
            f'="{oid}"', person["nick"], alipay, yuan(goods), yuan(postage), "0", yuan(goods + postage),
            str((paid // 100) if has_paid else 0), yuan(paid if has_paid else 0), "0", status, buyer_note,
            person["receiver"], person["address"], "快递", "", person["phone"], fmt_time(day, created), pay_time,
            "，".join(PRODUCTS[p][0] for p in chosen), str(kinds), tracking, "圆通速递" if shipped else "",
            seller_note, str(sum(qty)), SHOP_ID, SHOP_NAME, close, mobile,
        ])
        for p, q in zip(chosen, qty):
            title, price, attr, code, _ = PRODUCTS[p]
            detail_rows.append([f'="{oid}"', title, yuan(price), str(q), "", attr, "", "", status, code])

    write_csv(os.path.join(out, f"ExportOrderList{STAMP}.csv"), ORDER_HEADER, order_rows, "gb18030")
    write_csv(os.path.join(out, f"ExportOrderDetailList{STAMP}.csv"), DETAIL_HEADER, detail_rows, "gb18030")

    # 店主自己记的客户名单：约六成买家，外加几位关注了店铺但还没下单的人
    list_rows = []
    for ci, person in enumerate(people):
        if rs.random_sample() < 0.6:
            email = person["email"] if rs.random_sample() < 0.55 else ""
            sms_out = "是" if rs.random_sample() < 0.07 else "否"
            mail_out = "是" if email and rs.random_sample() < 0.08 else "否"
            note = "老客户" if n_orders[ci] >= 4 else ""
            list_rows.append([person["nick"], person["gender"], str(person["age"]), email, sms_out, mail_out, note])
    for j in range(6):
        nick = f"tb_guanzhu{j + 1:02d}"
        list_rows.append([nick, "女" if j % 3 else "男", "", f"fan{j + 1:02d}@example.com", "否", "否", "关注未下单"])
    write_csv(os.path.join(out, "客户名单.csv"), LIST_HEADER, list_rows, "utf-8-sig")
    return {"订单行": len(order_rows), "宝贝行": len(detail_rows), "名单行": len(list_rows)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="输出文件夹")
    args = parser.parse_args(argv)
    counts = build(args.out)
    print(f"已写入 {args.out}：" + "，".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()

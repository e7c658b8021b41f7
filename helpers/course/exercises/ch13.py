"""第 13 章“用自己店铺的数据”（青禾茶舍样例导出文件，今天 = 导入后的 shop.today）的练习题。

练习本第一个代码单元格之后::

    from helpers.course.exercises import ch13
    q1, q2, q3, q4, q5, q6, q7 = ch13.setup(globals())

任务训练（为自己的店铺导入数据，在导入的数据上做第一步分析）：
- q1：读入样例的三个文件，算 2024 年第二季度（按付款时间）的客单价 = 销售额 ÷ 付款买家数（q1_aov）；
- q2：同事改过的订单报表，导入报告里哪几行有问题（q2_rows，和 Excel 左边的行号一致）。
比课堂多走一步：
- q3：在导入的店铺上写出“中秋礼盒预热”分组规则并选人（q3_segment、q3_group）；
- q4：用店主自己的 RFM 评分表、本店的“今天”，P/G/S/B 各几位（q4_levels）；
- q5：给第 3 题的分组发短信，去掉退订和 7 天内发过营销短信的客户后，发给几人（q5_recipients）；
- q6：写出读京东订单文件用的 columns= 字典（q6_columns），检查时真的用它读一遍；
- q7：章节测试 ch13.json 的 q4（q7_answer）。

每道题的误读清单（Misreading）写在题目旁边。第 3 题的规则用在 Segment.boundary_probe() 的“边界客户”上检查；
第 2、6 题的文件由本模块生成，每种读错都对应文件里专门放的一处；其余各题的界线上，样例数据里都有订单或客户
（tests/test_exercises_13.py 逐条核对）。
正确答案都由下面的函数在检查时从样例导出文件算出（lru_cache，每个内核只读一次），从不写死数字。
练习本用到的两个文件（被改过的订单报表、京东订单）也由本模块生成：write_damaged_export、write_jd_export。
章节测试的填数题用 sms_opt_out_count。
"""
from __future__ import annotations

import atexit
import re
import shutil
import tempfile
from fractions import Fraction
from functools import lru_cache, partial
from pathlib import Path

import numpy as np
import pandas as pd

from ...campaigns import SmsCampaign
from ..checks import (Misreading, Question, Result, bind, compare_customer_sets, compare_mapping, compare_number,
                      compare_segment)
from ...data import datasets_dir
from ...money import fen_to_yuan, format_yuan, round_yuan, to_fen
from ..quiz import QuizQuestion
from ...rfm import TEXTBOOK_RFM, RFMTable, rfm_score
from ...segments import Segment
from ...taobao import ALIASES, CUSTOMER_COLUMNS, ITEM_COLUMNS, ORDER_COLUMNS, ImportedShop, read_taobao_orders

CHAPTER = "13"
TITLE = "用自己店铺的数据：导入报告、被改坏的文件、分组、RFM、短信名单与 columns="

ORDERS_FILE = "ExportOrderList202407010930.csv"
ITEMS_FILE = "ExportOrderDetailList202407010930.csv"
CUSTOMERS_FILE = "客户名单.csv"
LIST_COLUMNS = {"旺旺名": "买家会员名"}         # 客户名单的第一列叫“旺旺名”

# 第 1 题：2024 年第二季度（按付款时间，两端都含）的客单价
Q1_FIRST, Q1_LAST = "2024-04-01", "2024-06-30"

# 第 3 题：中秋礼盒预热（买过礼盒、下过 3 单及以上、春茶上新那天以后还来买过）
GIFT_BOXES = ("武夷岩茶 大红袍 250g 礼盒", "福建正山小种红茶 浓香型 500g 礼盒装", "西湖龙井 明前特级 礼盒装 2罐×125g")
MID_AUTUMN = dict(min_orders=3, last_order_after="2024-03-18", products=GIFT_BOXES)

# 第 4 题：茶叶店客单价低，店主把 M（消费金额）的门槛改成自己的；R、F 和权重、等级分界照教材
SHOP_RFM = RFMTable(monetary_min=(1500, 1000, 500, 200, 0))
LEVEL_ORDER = ("P", "G", "S", "B")
EXCLUSIVE_LEVELS = ((37, "P"), (27, "G"), (18, "S"), (0, "B"))   # 把“36～40 分”误读成“大于 36 分”

# 第 5 题：短信与以前的发送记录
SMS_TEXT = "{昵称}您好，中秋礼盒开始预订了，老客户凭券立减{券面额}元，8月31日前有效"
SMS_VALUES = {"券面额": 20}
CAP_DAYS = 7
# 6 月下旬店里做过的四次营销：(发送日期, 渠道, 活动名, 买过的商品（宝贝标题里的词）, 从哪天起买过)
# 7 天的频率限制在 7 月 1 日挡住 6 月 25 日及以后的营销短信，6 月 24 日的不挡；6 月 28 日那次是邮件，不算。
PAST_CAMPAIGNS = (("2024-06-24", "短信", "白茶新品试饮", "白茶", "2024-04-01"),
                  ("2024-06-25", "短信", "碧螺春复购提醒", "碧螺春", "2024-05-01"),
                  ("2024-06-28", "邮件", "中秋礼盒预告", "大红袍", "2024-04-01"),
                  ("2024-06-29", "短信", "茶具清仓", "茶具", "2024-05-01"))

# 第 2 题：同事改坏的几处（从第几行起找第一笔合适的已付款订单）
DAMAGE_FROM = {"科学计数法": 13, "少了格子": 47, "付款时间": 121, "重复": 188, "金额": 256, "手机号": 333}
BAD_TIME = "2024-02-30 20:15:33"        # 2 月没有 30 日
BAD_AMOUNT = "待核对"
BAD_PHONE = "1380000123"                # 只有 10 位
_EXCEL_TEXT = re.compile(r'="[^"]*"')     # 千牛写成 ="…" 的长数字

# 第 6 题：一份京东风格的订单导出（列名和千牛不同）
JD_FILE_NAME = "13_京东订单_练习.csv"
JD_ORDERS = pd.DataFrame({
    "订单号": ["290135880011", "290135880012", "290135880013", "290135880014",
            "290135880015", "290135880016", "290135880017", "290135880018"],
    "下单帐号": ["jd_lin", "jd_wu", "jd_lin", "jd_zhao", "jd_wu", "jd_qian", "jd_zhao", "jd_lin"],
    "商品名称": ["明前特级西湖龙井 250g 罐装", "洞庭碧螺春 明前新茶 125g 袋装", "福州茉莉花茶 飘雪 250g 袋装",
             "武夷岩茶 大红袍 250g 礼盒", "福鼎白茶 白牡丹 茶饼 350g", "安溪铁观音 清香型 500g 小泡袋",
             "陶瓷功夫茶具套装 一壶四杯", "云南勐海普洱熟茶 七子饼 357g"],
    "订购数量": ["1", "2", "1", "1", "1", "1", "1", "1"],
    "下单时间": ["2024-05-01 09:12:00", "2024-05-02 23:56:10", "2024-05-10 20:00:00", "2024-05-18 10:30:00",
             "2024-06-01 08:00:00", "2024-06-06 12:40:00", "2024-06-18 00:20:00", "2024-06-20 21:10:00"],
    "订单金额": ["298.00", "256.00", "58.00", "198.00", "168.00", "118.00", "199.00", "98.00"],
    "应付金额": ["268.00", "236.00", "58.00", "188.00", "158.00", "108.00", "159.00", "98.00"],
    "订单状态": ["完成", "完成", "已取消", "完成", "已取消", "等待付款", "完成", "等待出库"],
    "付款确认时间": ["2024-05-01 09:13:05", "2024-05-03 00:04:41", "", "2024-05-21 16:40:00",
               "2024-06-01 08:01:30", "", "2024-06-18 00:20:30", "2024-06-20 21:11:00"],
    "客户地址": ["江苏 南京市 鼓楼区 中山路1号", "上海 上海市 徐汇区 漕溪路2号", "江苏 南京市 鼓楼区 中山路1号",
             "浙江 杭州市 西湖区 文三路3号", "上海 上海市 徐汇区 漕溪路2号", "北京 北京市 朝阳区 建国路4号",
             "浙江 杭州市 西湖区 文三路3号", "江苏 南京市 鼓楼区 中山路1号"],
    "联系电话": ["139****1111", "138****2222", "139****1111", "137****3333",      # 京东导出时已打码
             "138****2222", "136****4444", "137****3333", "139****1111"],
})
JD_COLUMNS = {"订单号": "订单编号", "下单帐号": "买家会员名", "应付金额": "买家实际支付金额",
              "付款确认时间": "订单付款时间"}
JD_TODAY = "2024-07-01"


# ---------------------------------------------------------------------------
# 样例导出文件（每个内核只读一次）
# ---------------------------------------------------------------------------
def export_dir() -> Path:
    """样例导出文件所在的文件夹：datasets/sample_export/qinghe_tea。"""
    return datasets_dir() / "sample_export" / "qinghe_tea"


@lru_cache(maxsize=None)
def sample_shop(items: bool = True, customers: bool = True) -> ImportedShop:
    """按本章的读法读入样例导出文件；items/customers=False 用来算“没有读入宝贝报表/客户名单”的误读。"""
    folder = export_dir()
    return read_taobao_orders(folder / ORDERS_FILE, items=folder / ITEMS_FILE if items else None,
                              customers=folder / CUSTOMERS_FILE if customers else None,
                              columns=LIST_COLUMNS if customers else None)


@lru_cache(maxsize=None)
def sample_summary(items: bool = True, customers: bool = True) -> pd.DataFrame:
    """样例店铺的客户汇总表（截至 shop.today）。"""
    return sample_shop(items, customers).summary()


_TMP: list = []


def _tmp_dir() -> Path:
    """本模块自己用的临时文件夹（检查答案时在这里生成文件，不碰学生的文件夹；进程结束时删掉）。"""
    if not _TMP:
        path = Path(tempfile.mkdtemp(prefix="crm_ch13_"))
        atexit.register(shutil.rmtree, path, True)
        _TMP.append(path)
    return _TMP[0]


# ---------------------------------------------------------------------------
# q1 第二季度的客单价（销售额 ÷ 付款买家数）
# ---------------------------------------------------------------------------
def period_aov(first: str | None = Q1_FIRST, last: str | None = Q1_LAST, per: str = "买家") -> float:
    """[first, last]（两端都含，按付款时间）的客单价（元，到分）：销售额 ÷ 付款买家数。

    first/last 为 None 表示不限；per="订单" 时除以订单数（平均订单价），"全年买家" 除以一年里所有付款买家，
    "全部客户" 除以客户表里的所有客户（误读用）。
    """
    shop = sample_shop()
    orders = shop.orders
    keep = pd.Series(True, index=orders.index)
    if first is not None:
        keep &= orders["order_time"] >= pd.Timestamp(first)
    if last is not None:
        keep &= orders["order_time"] < pd.Timestamp(last) + pd.Timedelta(days=1)
    part = orders[keep]
    fen = int(to_fen(part["amount"]).sum())
    divisor = {"订单": len(part), "全年买家": orders["customer_id"].nunique(),
               "全部客户": len(shop.customers)}.get(per, part["customer_id"].nunique())
    return round_yuan(Fraction(fen, divisor))


Q1_MISREADINGS = [
    Misreading("这是平均订单价（销售额 ÷ 订单数）：客单价按生意参谋的定义是销售额 ÷ 付款买家数，一位买家下了几单也只算一人",
               partial(period_aov, per="订单"), "客单价 = 销售额 ÷ 付款买家数（不是订单数）"),
    Misreading("4 月 1 日是第二季度的第一天，当天付款的订单也要算：开始是 4 月 1 日 0 点",
               partial(period_aov, "2024-04-02"), "第一天 4 月 1 日要算"),
    Misreading("3 月 31 日属于第一季度：开始是 4 月 1 日 0 点，不是 3 月 31 日",
               partial(period_aov, "2024-03-31"), "前一天 3 月 31 日不算（早一天）"),
    Misreading("6 月 30 日是第二季度的最后一天，当天付款的订单也要算：结束写到 7 月 1 日 0 点（不含）",
               partial(period_aov, last="2024-06-29"), "最后一天 6 月 30 日要算"),
    Misreading("你用的是全部订单（一整年），题目只要第二季度（4 月 1 日至 6 月 30 日）",
               partial(period_aov, None, None), "只看第二季度"),
    Misreading("分母要用第二季度里付过款的买家，不是一年里所有的买家：客单价的销售额和买家要来自同一段时间",
               partial(period_aov, per="全年买家"), "分子分母同一段时间"),
    Misreading("分母是付过款的买家，不是客户表里的所有客户（有的客户这一季度没买，有的从没付过款）",
               partial(period_aov, per="全部客户"), "分母只数付款买家"),
    # 没有“晚一天”（把 7 月 1 日也算进来）的误读：7 月 1 日是本店的“今天”，读入的订单只到 6 月 30 日，
    # 多算一天答案不变。
]


# ---------------------------------------------------------------------------
# q2 同事改过的订单报表：哪几行有问题
# ---------------------------------------------------------------------------
def _strip(cell: str) -> str:
    return cell.strip().strip("\ufeff").strip()


@lru_cache(maxsize=None)
def _damaged() -> tuple:
    """把样例订单报表改坏几处：返回 (文件内容（文本）, {改动: Excel 行号}, 重复的是第几行的副本)。"""
    text = (export_dir() / ORDERS_FILE).read_bytes().decode("gb18030")
    lines = text.split("\r\n")
    while lines and lines[-1] == "":
        lines.pop()
    header = [_strip(c) for c in lines[0].split(",")]
    col = {name: header.index(name) for name in ("订单编号", "订单状态", "订单付款时间", "买家实际支付金额", "联系手机")}

    def plain(i: int):
        """第 i 行（0 起）除了 ="…" 没有别的引号、也没有换行时按逗号拆开，否则返回 None（不去动它）。"""
        line = lines[i]
        if "\n" in line or '"' in _EXCEL_TEXT.sub("", line):
            return None
        cells = line.split(",")
        return cells if len(cells) == len(header) else None

    def first_paid(start_row: int, used: set) -> int:
        for i in range(start_row - 1, len(lines)):
            cells = plain(i)
            if cells is None or i in used:
                continue
            status, paid = cells[col["订单状态"]], cells[col["订单付款时间"]]
            if paid and "关闭" not in status and "等待买家付款" not in status and cells[col["联系手机"]]:
                return i
        raise ValueError(f"样例订单报表第 {start_row} 行以后找不到可以改动的已付款订单。")

    rows, used = {}, set()
    for what, start in DAMAGE_FROM.items():
        i = first_paid(start, used)
        used.add(i)
        rows[what] = i
    out = list(lines)
    cells = plain(rows["科学计数法"])
    oid = cells[col["订单编号"]].replace('="', "").replace('"', "")
    cells[col["订单编号"]] = f"{float(oid):.5E}"                         # Excel 显示成 2.12839E+18
    out[rows["科学计数法"]] = ",".join(cells)
    out[rows["少了格子"]] = out[rows["少了格子"]].rsplit(",", 3)[0]       # 少了最后 3 个格子
    for what, name, value in (("付款时间", "订单付款时间", BAD_TIME), ("金额", "买家实际支付金额", BAD_AMOUNT),
                              ("手机号", "联系手机", BAD_PHONE)):
        cells = plain(rows[what])
        cells[col[name]] = value
        out[rows[what]] = ",".join(cells)
    out.append(lines[rows["重复"]])                                     # 末尾又粘贴了一遍这一行
    excel = {what: i + 1 for what, i in rows.items()}
    excel["重复的副本"] = len(out)
    return "\r\n".join(out) + "\r\n", excel


def damaged_rows() -> dict:
    """改坏的几处各在 Excel 的第几行（表头是第 1 行）；“重复”是第一次出现的那一行，“重复的副本”在末尾。"""
    return dict(_damaged()[1])


def write_damaged_export(path="outputs/13_同事改过的订单报表.csv") -> Path:
    """写出一份“被同事改过”的订单报表（GB18030 编码，和千牛导出的一样），返回文件路径。

    参数
    ----
    path : 写到哪里；文件夹不存在时新建，同名文件会被覆盖。样例文件本身不动。
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_damaged()[0].encode("gb18030"))
    return path


@lru_cache(maxsize=None)
def damaged_report():
    """用默认设置读入改过的订单报表得到的导入报告。"""
    path = write_damaged_export(_tmp_dir() / "13_同事改过的订单报表.csv")
    return read_taobao_orders(path).import_report


def problem_rows(skipped_only: bool = False) -> tuple:
    """导入报告里有问题的行号（从小到大）；skipped_only=True 只要整行跳过的（“误读”用）。"""
    problems = damaged_report().problems
    if skipped_only:
        problems = problems[problems["处理"].str.contains("跳过")]
    return tuple(sorted(int(r) for r in problems["行号"].unique()))


def _row_numbers(answer):
    """把学生的答案变成一组行号；不行时返回 (None, 说明)。"""
    if isinstance(answer, pd.DataFrame):
        if "行号" in answer.columns:
            return None, "你给的是整张问题表：请取出“行号”一列，例如 report.problems[\"行号\"].tolist()。"
        return None, "你给的是一张表：请给出行号组成的列表，例如 [12, 40]。"
    if isinstance(answer, (pd.Series, pd.Index)):
        answer = list(answer)
    if isinstance(answer, np.ndarray):
        answer = answer.ravel().tolist()
    if isinstance(answer, (int, np.integer)) and not isinstance(answer, bool):
        return None, (f"你给的是一个数（{int(answer)}）：题目要的是哪几行，请写成行号组成的列表，例如 [12, 40]；"
                      "只有一行时也写成 [12]。")
    if not isinstance(answer, (list, tuple, set, frozenset)):
        return None, f"应该是行号组成的列表，例如 [12, 40]，你给的是 {type(answer).__name__}。"
    rows = []
    for value in answer:
        if isinstance(value, (bool, np.bool_)):
            return None, "列表里有 True/False：请写行号（整数）。"
        if isinstance(value, (int, np.integer)) or (isinstance(value, (float, np.floating)) and float(value).is_integer()):
            rows.append(int(value))
        else:
            return None, f"列表里的 {value!r} 不是行号：每个行号写成整数，例如 12，不要加引号或“第…行”。"
    return rows, None


def _q2_reading(reading: str) -> list:
    """几种读错的行号：index（DataFrame 的索引）、从 1 数起、只列跳过的行、把第一次出现的那行也算上。"""
    want = problem_rows()
    if reading == "索引":
        return [r - 2 for r in want]
    if reading == "少 1":
        return [r - 1 for r in want]
    if reading == "只列跳过":
        return list(problem_rows(skipped_only=True))
    return sorted({*want, damaged_rows()["重复"]})


def _q2_detail(reading: str) -> str:
    """给误读的反馈补上这份文件里的具体行号。"""
    rows = damaged_rows()
    if reading == "只列跳过":
        kept = sorted(set(problem_rows()) - set(problem_rows(skipped_only=True)))
        return f"（第 {'、'.join(map(str, kept))} 行）"
    if reading == "第一次出现":
        return f"（第 {rows['重复']} 行是第一次出现，重复的副本在第 {rows['重复的副本']} 行）"
    return ""


Q2_MISREADINGS = [
    Misreading("每个行号都小了 2：你用的是 DataFrame 的索引（从 0 开始，也不算表头）。导入报告的“行号”和 Excel "
               "左边的行号一致，表头是第 1 行，直接用报告里的“行号”一列", partial(_q2_reading, "索引"),
               "行号 = Excel 的行号（不是 DataFrame 的索引）"),
    Misreading("每个行号都小了 1：你从第一行数据数起了。和 Excel 一样，表头是第 1 行，第一行数据是第 2 行",
               partial(_q2_reading, "少 1"), "表头是第 1 行"),
    Misreading("你只列了整行跳过的行：手机号看不懂的那一行订单保留了，但它也有问题（看“处理”一列），"
               "题目问的是导入报告里所有有问题的行", partial(_q2_reading, "只列跳过"), "保留了订单、但有问题的行也算"),
    Misreading("重复的订单第一次出现的那一行没有问题，保留了；有问题的是后面重复的那一行",
               partial(_q2_reading, "第一次出现"), "重复的订单：有问题的是后出现的副本"),
]
_Q2_READINGS = dict(zip(("索引", "少 1", "只列跳过", "第一次出现"), Q2_MISREADINGS))


def _check_q2(answers, namespace):
    got, problem = _row_numbers(answers["q2_rows"])
    if problem:
        return Result(False, problem)
    want = set(problem_rows())
    if len(got) != len(set(got)):
        return Result(False, "列表里有重复的行号：每一行只写一次。")
    got = set(got)
    if got == want:
        return Result(True, f"共 {len(want)} 行：第 {'、'.join(map(str, sorted(want)))} 行。")
    for reading, m in _Q2_READINGS.items():
        alt = set(m.answer())
        if alt != want and got == alt:
            return Result(False, m.message + _q2_detail(reading) + "。")
    extra, missing = sorted(got - want), sorted(want - got)
    parts = []
    if extra:
        parts.append("这几行没有问题：第 " + "、".join(map(str, extra)) + " 行")
    if missing:
        parts.append(f"漏掉了 {len(missing)} 行")
    return Result(False, f"你列了 {len(got)} 行，导入报告里有问题的是 {len(want)} 行。" + "；".join(parts)
                  + "。请看 import_report.problems 的“行号”一列。")


# ---------------------------------------------------------------------------
# q3 中秋礼盒预热
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def mid_autumn_ids(items: bool = True, **changes) -> frozenset:
    """中秋礼盒预热分组的客户编号；changes 改动某条规则，items=False 用只有订单报表的导入（“误读”用）。"""
    rules = {**MID_AUTUMN, **changes}
    rules = {k: list(v) if isinstance(v, tuple) else v for k, v in rules.items() if v is not None}
    return frozenset(Segment("中秋礼盒预热", **rules).select(sample_summary(items=items)).index)


def mid_autumn_group() -> pd.DataFrame:
    """中秋礼盒预热分组的入组客户（汇总表的行）。"""
    summary = sample_summary()
    return summary.loc[summary.index.isin(mid_autumn_ids())]


def mid_autumn_segment(**changes) -> Segment:
    """中秋礼盒预热的分组规则；changes 改动某条规则（“误读”用）。"""
    rules = {**MID_AUTUMN, **changes}
    rules = {k: list(v) if isinstance(v, tuple) else v for k, v in rules.items() if v is not None}
    return Segment("中秋礼盒预热", "中秋礼盒老客户", **rules)


def q3_expected() -> dict:
    """第 3 题的正确答案：分组规则和它在导入的店铺上选出的客户。"""
    return {"q3_segment": mid_autumn_segment(), "q3_group": mid_autumn_group()}


def _q3_rule_reading(**changes) -> dict:
    return {"q3_segment": mid_autumn_segment(**changes), "q3_group": sorted(mid_autumn_ids(**changes))}


Q3_RULE_MISREADINGS = [
    Misreading("你用了“订单总数 > 3”（即 ≥ 4）：题目要的是下过 3 单及以上，即 ≥ 3",
               partial(_q3_rule_reading, min_orders=4), "订单总数 ≥ 3 笔（正好 3 笔也入组）"),
    Misreading("最后下单时间正好是 2024-03-18 的客户被你去掉了：“那天以后还来买过”包括 3 月 18 日当天"
               "（last_order_after=\"2024-03-18\"）", partial(_q3_rule_reading, last_order_after="2024-03-19"),
               "最后下单在 3 月 18 日当天或之后（晚一天）"),
    Misreading("last_order_after 本身就含那一天：写成 2024-03-17 会把 3 月 17 日最后一次下单的客户也选进来",
               partial(_q3_rule_reading, last_order_after="2024-03-17"), "最后下单在 3 月 18 日当天或之后（早一天）"),
    Misreading("商品范围只写了一种礼盒：题目里的三种礼盒买过任一种就算",
               partial(_q3_rule_reading, products=GIFT_BOXES[-1:]), "三种礼盒买过任一种"),
]
Q3_TITLES_ONLY = Misreading(
    "你的店铺是只用订单报表读入的：一笔订单买了几种宝贝时，宝贝标题是几个标题连在一起的，和礼盒的宝贝标题对不上。"
    "请把宝贝报表也读进来（items=…）",
    lambda: {"q3_segment": mid_autumn_segment(), "q3_group": sorted(mid_autumn_ids(items=False))},
    "导入时读宝贝报表（商品范围按宝贝标题）")
Q3_MISREADINGS = [*Q3_RULE_MISREADINGS, Q3_TITLES_ONLY]


def _check_q3(answers, namespace):
    rule = compare_segment(answers["q3_segment"], mid_autumn_segment, variable="q3_segment",
                           alternatives={m.message: lambda m=m: m.answer()["q3_segment"] for m in Q3_RULE_MISREADINGS})
    if not rule.correct:
        return Result(False, f"分组规则（q3_segment）还不对：{rule.message}")
    return compare_customer_sets(answers["q3_group"], mid_autumn_ids(),
                                 alternatives={Q3_TITLES_ONLY.message: lambda: Q3_TITLES_ONLY.answer()["q3_group"]})


# ---------------------------------------------------------------------------
# q4 店主自己的 RFM 评分表
# ---------------------------------------------------------------------------
def _level_counts(rfm: pd.DataFrame) -> dict:
    counts = rfm["level"].astype(str).value_counts()
    return {k: int(counts.get(k, 0)) for k in LEVEL_ORDER}


@lru_cache(maxsize=None)
def rfm_counts(table: RFMTable = SHOP_RFM, as_of: str | None = None, repeat_only: bool = False,
               exclusive: bool = False) -> dict:
    """P/G/S/B 各几位。as_of 默认 shop.today；其余参数用来算“误读”的结果。"""
    shop = sample_shop()
    day = shop.today if as_of is None else as_of
    kwargs = {"levels": EXCLUSIVE_LEVELS} if exclusive else {}
    rfm = rfm_score(shop.orders, day, table=table, **kwargs)
    if repeat_only:
        rfm = rfm[rfm["frequency"] >= 2]
    return _level_counts(rfm)


def _check_q4(answers, namespace):
    answer = answers["q4_levels"]
    if isinstance(answer, pd.DataFrame) and "level" in answer.columns:
        return Result(False, "你给的是整张 RFM 结果表：请数一数每一级有几位，例如 rfm[\"level\"].value_counts()。")
    if isinstance(answer, pd.Series) and len(answer) > len(LEVEL_ORDER) and answer.name == "level":
        return Result(False, "你给的是每位客户的等级：请再数一数每一级有几位，例如 .value_counts()。")
    numbers = answer.to_dict() if isinstance(answer, pd.Series) else answer
    if isinstance(numbers, dict) and numbers and all(
            isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and v == 0
            for v in numbers.values()):
        return Result(False, "一位客户也没有分到级：评估日多半用了电脑今天的日期（例如 pd.Timestamp.now()），"
                             "评估期（前 12 个月）里一笔订单也没有。请用本店的“今天”：shop.today。")
    return compare_mapping(answer, rfm_counts(), alternatives={m.message: m.answer for m in Q4_MISREADINGS})


Q4_MISREADINGS = [
    Misreading("你用的是教材的评分表（M ≥ 2000 元得 5 分……）：题目里店主把 M 的门槛改成了 1500、1000、500、200 元，"
               "请用 RFMTable(monetary_min=(1500, 1000, 500, 200, 0))", partial(rfm_counts, TEXTBOOK_RFM),
               "M 的门槛用店主的评分表"),
    Misreading("评估日用了最后一笔已付款订单那天：本店的“今天”是它的第二天，直接用 shop.today",
               lambda: rfm_counts(as_of=str(sample_shop().import_report.last_paid.date())),
               "评估日 = 本店的今天（最后一笔已付款订单的第二天）"),
    Misreading("你只给下过 2 单及以上的客户分了级：这道题要给评估期内所有已付款的买家分级",
               partial(rfm_counts, repeat_only=True), "所有买家都分级（只下过 1 单的也算）"),
    Misreading("你把“36～40 分为 P”读成了大于 36 分（≥ 37），G、S 的分界也各高了 1 分：教材的分界含端点",
               partial(rfm_counts, exclusive=True), "等级分界含端点（36 分是 P）"),
    # “评估日用了电脑今天的日期”在上面单独说明（每一级都是 0 位），不放进清单：答案随运行的日期变化。
]


# ---------------------------------------------------------------------------
# q5 短信：退订、频率限制
# ---------------------------------------------------------------------------
@lru_cache(maxsize=None)
def send_log() -> pd.DataFrame:
    """店里 6 月下旬几次营销的发送记录（customer_id、send_date、channel、campaign），由样例数据生成（见 PAST_CAMPAIGNS）。"""
    shop = sample_shop()
    lines = shop.items.merge(shop.orders[["order_id", "customer_id", "order_time"]], on="order_id")
    parts = []
    for day, channel, name, word, since in PAST_CAMPAIGNS:
        bought = lines["product"].str.contains(word, regex=False) & (lines["order_time"] >= pd.Timestamp(since))
        ids = sorted(set(lines.loc[bought, "customer_id"]))
        parts.append(pd.DataFrame({"customer_id": ids, "send_date": pd.Timestamp(day), "channel": channel,
                                   "campaign": name}))
    return pd.concat(parts, ignore_index=True)


@lru_cache(maxsize=None)
def sms_recipients(cap_days: int = CAP_DAYS, use_log: bool = True, all_channels: bool = False,
                   remove_opt_out: bool = True) -> int:
    """给中秋礼盒预热分组发短信时的收件人数；参数用来算“误读”的结果。"""
    audience = mid_autumn_group()
    if not remove_opt_out:
        audience = audience.assign(sms_opt_out=False)
    log = send_log()
    if all_channels:
        log = log.assign(channel="短信")
    sms = SmsCampaign(audience, SMS_TEXT, sample_shop().title, values=SMS_VALUES, send_date=sample_shop().today,
                      send_log=log if use_log else None, cap_days=cap_days)
    return int(sms.recipients)


Q5_MISREADINGS = [
    Misreading("频率限制没有生效：请把发送记录传给 send_log=，并写明 send_date=（本店的今天）",
               partial(sms_recipients, use_log=False), "用发送记录做频率限制"),
    Misreading("6 月 24 日收到短信的客户也被你排除了：7 天内指 6 月 25 日到 7 月 1 日，6 月 24 日发过的这次可以发"
               "（cap_days=7）", partial(sms_recipients, cap_days=CAP_DAYS + 1), "7 天内 = 6 月 25 日起（6 月 24 日的不挡）"),
    Misreading("6 月 25 日收到短信的客户这次不能发：7 天内指 6 月 25 日到 7 月 1 日，连今天一共 7 天（cap_days=7，不是 6）",
               partial(sms_recipients, cap_days=CAP_DAYS - 1), "7 天内 = 6 月 25 日起（6 月 25 日的要挡）"),
    Misreading("6 月 28 日那次是邮件，不是短信：短信的频率限制只看以前的营销短信（发送记录的 channel 一列）",
               partial(sms_recipients, all_channels=True), "只看营销短信，不看邮件"),
    Misreading("退订短信的客户没有去掉（是不是导入时没有读入客户名单？退订记在客户名单里）：回复过退订的客户一条也不能发",
               partial(sms_recipients, remove_opt_out=False), "去掉退订短信的客户"),
]


def _check_q5(answers, namespace):
    answer = answers["q5_recipients"]
    if isinstance(answer, SmsCampaign):
        return Result(False, "你给的是整个短信活动：请取出收件人数，例如 sms.recipients。")
    return compare_number(answer, sms_recipients, tolerance=0, unit="人",
                          alternatives={m.message: m.answer for m in Q5_MISREADINGS})


# ---------------------------------------------------------------------------
# q6 columns=：读京东风格的订单文件
# ---------------------------------------------------------------------------
def write_jd_export(path=f"outputs/{JD_FILE_NAME}") -> Path:
    """写出一份京东风格的订单导出文件（UTF-8 带 BOM 的 CSV），返回文件路径；同名文件会被覆盖。"""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    JD_ORDERS.to_csv(path, index=False, encoding="utf-8-sig")
    return path


@lru_cache(maxsize=None)
def _jd_path() -> Path:
    return write_jd_export(_tmp_dir() / JD_FILE_NAME)


def jd_import(columns: dict) -> ImportedShop:
    """用给定的 columns= 读入京东风格的订单文件（本模块自己的一份，不碰学生的文件夹）。"""
    return read_taobao_orders(_jd_path(), columns=columns, today=JD_TODAY)


def _orders_key(shop) -> pd.DataFrame:
    cols = ["order_id", "customer_id", "order_time", "amount"]
    return shop.orders[cols].sort_values("order_id", kind="stable").reset_index(drop=True)


@lru_cache(maxsize=None)
def jd_expected() -> pd.DataFrame:
    """用正确的对应关系读入的已付款订单（order_id、customer_id、order_time、amount）。"""
    return _orders_key(jd_import(JD_COLUMNS))


def _jd_columns(drop: str | None = None, **extra) -> dict:
    """正确的对应关系去掉文件里的 drop 一列、再加上 extra（“误读”用）。"""
    return {**{k: v for k, v in JD_COLUMNS.items() if k != drop}, **extra}


Q6_AMOUNT = Misreading("金额用了“订单金额”：那是优惠前的金额；客户实际付的钱是“应付金额”，它才对应买家实际支付金额",
                       lambda: _jd_columns("应付金额", 订单金额="买家实际支付金额"), "实付金额列：应付金额（不是订单金额）")
Q6_TIME = Misreading("付款时间用了“下单时间”：京东的付款时间是“付款确认时间”（货到付款的订单要等送到才付款），"
                     "工作簿按付款时间算下单时间", lambda: _jd_columns("付款确认时间", 下单时间="订单付款时间"),
                     "付款时间列：付款确认时间（不是下单时间）")
Q6_REVERSED = Misreading("左右写反了：字典的左边（键）是你文件里的列名，例如 \"订单号\"；右边（值）是工作簿的标准列名，"
                         "例如 \"订单编号\"", lambda: {v: k for k, v in JD_COLUMNS.items()}, "左边文件的列名，右边标准列名")
Q6_TYPO = Misreading("左边要照着文件的表头一字不差地抄（注意“帐”和“账”这样的形近字）",
                     lambda: _jd_columns("下单帐号", 下单账号="买家会员名"), "列名一字不差（下单帐号）")
Q6_MISREADINGS = [Q6_AMOUNT, Q6_TIME, Q6_REVERSED, Q6_TYPO]


def _check_q6(answers, namespace):
    answer = answers["q6_columns"]
    if isinstance(answer, ImportedShop):
        return Result(False, "你给的是读进来的店铺：题目要的是 columns= 用的那个字典，例如 {\"订单号\": \"订单编号\", …}。")
    if not isinstance(answer, dict):
        return Result(False, "应该是一个字典 {文件里的列名: 工作簿的标准列名}，例如 {\"订单号\": \"订单编号\"}，"
                             f"你给的是 {type(answer).__name__}。")
    if not answer:
        return Result(False, "字典是空的：至少要把必需的四列（订单编号、买家会员名、买家实际支付金额、订单付款时间）对上。")
    standard = set(ORDER_COLUMNS) | set(ITEM_COLUMNS) | set(CUSTOMER_COLUMNS) | set(ALIASES)
    headers = set(JD_ORDERS.columns)
    keys, values = {str(k).strip() for k in answer}, {str(v).strip() for v in answer.values()}
    if keys <= standard and values <= headers and not keys <= headers:
        return Result(False, Q6_REVERSED.message + "。")
    unknown = [str(k) for k in answer if str(k).strip() not in headers]
    if unknown:
        return Result(False, f"文件里没有叫 {'、'.join(map(repr, unknown))} 的列：{Q6_TYPO.message}。"
                             f"文件里的列：{'、'.join(JD_ORDERS.columns)}。")
    try:
        got = _orders_key(jd_import(answer))
    except ValueError as exc:
        first = " ".join(str(exc).split("\n")[:2])
        return Result(False, f"用你的 columns= 读这个文件时出错：{first}")
    want = jd_expected()
    if got.equals(want):
        return Result(True, f"读入已付款订单 {len(want)} 笔，金额合计 {format_yuan(fen_to_yuan(to_fen(want['amount']).sum()))} 元。")
    for m in (Q6_AMOUNT, Q6_TIME):
        if got.equals(_orders_key(jd_import(m.answer()))):
            return Result(False, m.message + "。")
    if len(got) != len(want):
        return Result(False, f"读进来的已付款订单有 {len(got)} 笔，应为 {len(want)} 笔：看看订单状态、付款时间对的是哪一列。")
    if not got["amount"].equals(want["amount"]):
        return Result(False, "已付款订单的笔数对了，但金额不对：买家实际支付金额要对上客户实际付款的那一列。")
    if not got["order_time"].equals(want["order_time"]):
        return Result(False, "已付款订单的笔数和金额对了，但时间不对：订单付款时间要对上付款的那一列。")
    return Result(False, "读进来的订单和正确的对应关系读出来的不一样：检查订单编号和买家会员名对的是哪一列。")


# ---------------------------------------------------------------------------
# 填数题（章节测试 helpers/course/quizzes/ch13.json 用）
# ---------------------------------------------------------------------------
def sms_opt_out_count() -> float:
    """章节测试：按本章的读法（三个文件一起读入）后，退订了营销短信的客户有几位。"""
    return float(sample_shop().customers["sms_opt_out"].sum())


# ---------------------------------------------------------------------------
# 题目
# ---------------------------------------------------------------------------
QUESTIONS = [
    Question(
        "q1", points=2, variables="q1_aov", expected=period_aov, misreadings=Q1_MISREADINGS,
        compare=partial(compare_number, unit="元"),
        title="任务训练 1：读入样例导出文件，算 2024 年第二季度（4 月 1 日至 6 月 30 日）的客单价（销售额 ÷ 付款买家数）",
        hint=("先把三个文件一起读进来。订单表里的时间是付款时间；选出第二季度的订单，两端的日子都要算。"
              "客单价的分母是这段时间里付过款的买家，一位买家下了几单也只算一人。",
              "part = shop.orders[(shop.orders[\"order_time\"] >= 开始) & (shop.orders[\"order_time\"] < 结束的第二天)]；"
              "销售额用 part[\"amount\"].sum()，买家数用 part[\"customer_id\"].nunique()，结果保留 2 位小数。"),
        solution=("shop = read_taobao_orders(EXPORT / \"ExportOrderList202407010930.csv\",\n"
                  "                          items=EXPORT / \"ExportOrderDetailList202407010930.csv\",\n"
                  "                          customers=EXPORT / \"客户名单.csv\", columns={\"旺旺名\": \"买家会员名\"})\n"
                  "TODAY = shop.today\n"
                  "part = shop.orders[(shop.orders[\"order_time\"] >= \"2024-04-01\") & (shop.orders[\"order_time\"] < \"2024-07-01\")]\n"
                  "q1_aov = round(part[\"amount\"].sum() / part[\"customer_id\"].nunique(), 2)"),
    ),
    Question(
        "q2", points=2, variables="q2_rows", evaluate=_check_q2, expected=lambda: list(problem_rows()),
        misreadings=Q2_MISREADINGS,
        title="任务训练 2：同事改过的订单报表，导入报告里哪几行有问题（Excel 的行号）",
        hint=("只读这一个文件，然后看导入报告里列出问题的那张表。行号和 Excel 左边的行号一致，表头是第 1 行；"
              "整行跳过的行和保留了订单、但有问题的行都要算。",
              "damaged = read_taobao_orders(DAMAGED)；damaged.import_report.problems 的“行号”一列，"
              "用 sorted(....unique()) 写成列表，不要用 DataFrame 的索引。"),
        solution=("damaged = read_taobao_orders(DAMAGED)\n"
                  "print(damaged.import_report)\n"
                  "q2_rows = sorted(damaged.import_report.problems[\"行号\"].unique())"),
    ),
    Question(
        "q3", points=2, variables=("q3_segment", "q3_group"), evaluate=_check_q3, expected=q3_expected,
        misreadings=Q3_MISREADINGS,
        title="在导入的店铺上写出“中秋礼盒预热”分组规则（q3_segment），并选出入组客户（q3_group）",
        hint=("和第 02 章一样写一个 Segment：订单总数“及以上”、最后下单“当天或之后”都含界线本身，"
              "商品范围写三种礼盒的宝贝标题，买过任一种即可；再用它从客户汇总表里选人。",
              "Segment(\"中秋礼盒预热\", min_orders=…, last_order_after=\"…\", products=[三个宝贝标题])，"
              "再 .select(shop.summary())。宝贝标题要一字不差，可以从 shop.products 里复制。"),
        solution=("summary = shop.summary()\n"
                  "GIFTS = [\"武夷岩茶 大红袍 250g 礼盒\", \"福建正山小种红茶 浓香型 500g 礼盒装\",\n"
                  "         \"西湖龙井 明前特级 礼盒装 2罐×125g\"]\n"
                  "q3_segment = Segment(\"中秋礼盒预热\", \"中秋礼盒老客户\", min_orders=3,\n"
                  "                     last_order_after=\"2024-03-18\", products=GIFTS)\n"
                  "q3_group = q3_segment.select(summary)"),
    ),
    Question(
        "q4", points=2, variables="q4_levels", evaluate=_check_q4, expected=rfm_counts, misreadings=Q4_MISREADINGS,
        title="用店主自己的 RFM 评分表（M：1500/1000/500/200 元）给青禾茶舍分级，P/G/S/B 各几位",
        hint=("评分表是数据：只把 M 的门槛换成店主的，R、F、权重和等级分界照教材。"
              "评估日用本店的“今天”，不要用电脑的日期，也不要用最后一笔订单那天。",
              "RFMTable(monetary_min=(…五个门槛，从高到低，最后一个是 0…)) 交给 rfm_score 的 table=，评估日写 TODAY；"
              "最后数一数 level 一列（value_counts）。"),
        solution=("tea_table = RFMTable(monetary_min=(1500, 1000, 500, 200, 0))\n"
                  "rfm = rfm_score(shop.orders, TODAY, table=tea_table)\n"
                  "q4_levels = rfm[\"level\"].value_counts()"),
    ),
    Question(
        "q5", points=3, variables="q5_recipients", evaluate=_check_q5, expected=sms_recipients,
        misreadings=Q5_MISREADINGS,
        title="给中秋礼盒预热分组发短信：去掉退订和 7 天内发过营销短信的客户后，发给几人",
        hint=("用 SmsCampaign：把以前的发送记录和本店的今天交给它，它会去掉退订的客户和 7 天内收到过营销短信的客户。"
              "“7 天内”连今天一共 7 天；发送记录里的邮件不算营销短信。",
              "SmsCampaign(分组, TEXT, shop.title, values=…, send_date=…, send_log=…, cap_days=…)；"
              "发给几人看 .recipients，排除了谁看 .summary()。"),
        solution=("sms = SmsCampaign(q3_group, TEXT, shop.title, name=\"中秋礼盒预热\", values={\"券面额\": 20},\n"
                  "                  send_date=TODAY, send_log=log, cap_days=7)\n"
                  "print(sms.summary())\n"
                  "q5_recipients = sms.recipients"),
    ),
    Question(
        "q6", points=2, variables="q6_columns", evaluate=_check_q6, expected=lambda: dict(JD_COLUMNS),
        misreadings=Q6_MISREADINGS,
        title="写出读京东订单文件用的 columns= 字典",
        hint=("左边写文件里的列名（一字不差），右边写工作簿的标准列名。文件里有两个金额、两个时间："
              "工作簿要的是客户实际付的钱和付款的时间。",
              "必需的四列：订单编号、买家会员名、买家实际支付金额、订单付款时间，写成 {\"订单号\": \"订单编号\", …}；"
              "交给 read_taobao_orders(JD_FILE, columns=…) 试读一遍，看导入报告。"),
        solution=("q6_columns = {\"订单号\": \"订单编号\", \"下单帐号\": \"买家会员名\",\n"
                  "              \"应付金额\": \"买家实际支付金额\", \"付款确认时间\": \"订单付款时间\",\n"
                  "              \"客户地址\": \"收货地址\", \"联系电话\": \"联系手机\"}\n"
                  "jd_shop = read_taobao_orders(JD_FILE, columns=q6_columns, today=\"2024-07-01\")"),
    ),
    QuizQuestion("q7", chapter="13", qid="q4", variable="q7_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, q3, q4, q5, q6, q7 = ch13.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

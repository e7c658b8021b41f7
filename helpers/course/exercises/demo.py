"""演示章节（测试用，也是写新章节题目的模板：复制成 chNN.py 再改）。

练习本第一个代码单元格::

    from helpers.course.exercises import demo
    q1, q2, q3 = demo.setup(globals())

三道题：
- q1：用 Segment 选出母亲节分组的客户（答案变量 q1_group）；
- q2：一条完整短信按几条计费（答案变量 q2_parts）；
- q3：章节测试（helpers/course/quizzes/demo.json）里的多选题 q2（答案变量 q3_answer，例如 ["A", "C"]）。

要点：正确答案由函数在检查时从数据算出（functools.lru_cache 缓存，每个内核只算一次），
从不写死数字；常见的误读（> 与 ≥ 看反了、每 70 字一条……）写进 alternatives，
学生的答案正好是某种误读时，反馈直接说出错在哪里。
"""
from __future__ import annotations

from functools import lru_cache, partial

from . import summary
from ..checks import Question, bind, compare_customer_sets, compare_number
from ..quiz import QuizQuestion
from ...segments import Segment
from ...sms import SINGLE_LIMIT, sms_length, sms_parts

CHAPTER = "demo"
TITLE = "演示：母亲节分组与短信计费"

# 母亲节分组：教材操作步骤里的规则（订单总数 ≥ 2、平均订单价 ≥ 200 元……）
MOTHERS_DAY = dict(min_orders=2, min_avg_order_value=200, last_order_after="2015-03-01", gender="女",
                   products=["新生儿枕头"], regions=["上海"])

# 第 2 题的短信（已经带上【店铺签名】和“回T退订”）
SMS_TEXT = ("【A店铺】母亲节快乐！感谢您一直以来对A店铺的支持。5月1日至5月10日全场童装满199减30，"
            "新生儿枕头第二件半价，老客户凭本短信再领10元无门槛券，数量有限先到先得。纯棉连体衣、"
            "婴儿睡袋同步上新，下单即送宝宝袜子一双，满299再送口水巾一条。详情请搜索天猫A店铺。回T退订")


_summary = partial(summary, "a_kids")


@lru_cache(maxsize=None)
def mothers_day_group(min_orders=2, min_avg_order_value=200) -> frozenset:
    """母亲节分组的客户编号；参数用来算“误读”时的结果。"""
    rules = dict(MOTHERS_DAY, min_orders=min_orders, min_avg_order_value=min_avg_order_value)
    return frozenset(Segment("母亲节", "母亲节促销", **rules).select(_summary()).index)


def _check_q1(answers, namespace):
    return compare_customer_sets(
        answers["q1_group"], mothers_day_group(),
        alternatives={
            "你用了“订单总数 > 2”（即 ≥ 3），题目要求的是 ≥ 2": lambda: mothers_day_group(min_orders=3),
            "你把“平均订单价 ≥ 200 元”写成了 > 200（≥ 200.01），平均订单价正好 200 元的客户也应该入组":
                lambda: mothers_day_group(min_avg_order_value=200.01),
        })


def _check_q2(answers, namespace):
    n = sms_length(SMS_TEXT)
    return compare_number(
        answers["q2_parts"], lambda: sms_parts(SMS_TEXT), tolerance=0, unit="条",
        alternatives={
            f"你按每 {SINGLE_LIMIT} 字一条算了：超过 {SINGLE_LIMIT} 字的长短信每条只能放 67 个字":
                lambda: -(-n // SINGLE_LIMIT),
            "这是短信的字数，题目问的是按几条计费": n,
            "超过 70 个字的长短信不是按 1 条计费的": 1,
        })


QUESTIONS = [
    Question(
        "q1", points=3, variables="q1_group", evaluate=_check_q1,
        title="用 Segment 选出母亲节分组的客户（a_kids 店铺）",
        hint="先 summary = load_shop(\"a_kids\").summary()，再用 Segment(...) 写出母亲节的六条规则，"
             "最后 .select(summary)。注意规则都是“大于或等于”。",
        solution=("summary = load_shop(\"a_kids\").summary()\n"
                  "q1_group = Segment(\"母亲节\", \"母亲节促销\", min_orders=2, min_avg_order_value=200,\n"
                  "                   last_order_after=\"2015-03-01\", gender=\"女\",\n"
                  "                   products=[\"新生儿枕头\"], regions=[\"上海\"]).select(summary)"),
    ),
    Question(
        "q2", points=2, variables="q2_parts", evaluate=_check_q2,
        title="变量“短信”里的完整短信按几条计费",
        hint="不超过 70 个字算 1 条；超过 70 个字时每 67 个字 1 条。可以直接用 sms_parts(短信)。",
        solution="q2_parts = sms_parts(短信)",
    ),
    QuizQuestion("q3", chapter="demo", qid="q2", variable="q3_answer", points=1),
]


def setup(namespace: dict):
    """把本章的题目连到你的笔记本：q1, q2, q3 = demo.setup(globals())。"""
    return bind(namespace, QUESTIONS, chapter=CHAPTER)

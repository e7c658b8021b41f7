"""工作簿的章节目录：README 的章节表、00 号笔记本的目录都从这里来，只在这里改。"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Chapter:
    number: str       # 两位编号，决定顺序
    file: str         # notebooks/ 里的文件名
    title: str        # 中文标题
    textbook: str     # 对应教材的章节或任务
    shop: str         # 用到的店铺


CHAPTERS = (
    Chapter("00", "00_开始之前.ipynb", "开始之前：环境检查与使用说明", "—", "全部"),
    Chapter("01", "01_认识电商CRM.ipynb", "认识电商 CRM", "8.1 活动1", "全部"),
    Chapter("02", "02_客户分组_母亲节.ipynb", "客户分组：母亲节", "8.1 活动2 / 案例 1", "a_kids"),
    Chapter("03", "03_短信营销_端午节.ipynb", "短信营销：端午节", "8.1 活动2 / 案例 2", "health"),
    Chapter("04", "04_邮件营销_端午节.ipynb", "邮件营销：端午节", "8.1 活动2 / 案例 3", "health"),
    Chapter("05", "05_店铺VIP会员.ipynb", "店铺 VIP 会员", "任务一", "xiayi"),
    Chapter("06", "06_新会员营销.ipynb", "新会员营销", "任务二 / 拼团（实战文章）", "xiayi"),
    Chapter("07", "07_RFM与PGSB客户分级.ipynb", "RFM 与 PGSB 客户分级", "任务三", "xiayi"),
    Chapter("08", "08_智能触达.ipynb", "智能触达", "任务四", "xiayi、health"),
    Chapter("09", "09_网店运营分析.ipynb", "网店运营分析", "8.3", "xiayi"),
    Chapter("10", "10_客户属性分析.ipynb", "客户属性分析", "8.4", "xiayi（对比 a_kids、health）"),
    Chapter("11", "11_商品销售分析.ipynb", "商品销售分析", "8.5", "xiayi、health"),
    Chapter("12", "12_客户生命周期与营销效果.ipynb", "客户生命周期与营销效果", "8.3–8.5 / 实践篇",
            "xiayi（今天 = 2019-02-16）"),
    Chapter("13", "13_用自己店铺的数据.ipynb", "用自己店铺的数据", "任务训练（自己的店铺）", "sample_export"),
)


def chapter_table() -> pd.DataFrame:
    """章节目录表（中文表头）。"""
    return pd.DataFrame([(c.number, c.title, c.textbook, c.shop, f"notebooks/{c.file}") for c in CHAPTERS],
                        columns=["编号", "章节", "对应教材", "店铺", "文件"]).set_index("编号")

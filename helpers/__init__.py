"""CRM精准营销工作簿的辅助函数包。

常用入口：
- load_shop(name, today=None)：加载教学店铺（'a_kids'、'health'、'xiayi'），today 换一个“今天”
- validate_orders(df)：检查并规范化订单表
- customer_summary(orders, items, customers, as_of)：一位客户一行的汇总
- Segment(name, description, **rules)：自定义分组
- rfm_score(orders, as_of)：RFM 打分与 P/G/S/B 分级
- vip_tier(summary)、vip_rules_text(tiers)：店铺VIP会员
- sms_parts(text)：短信计费条数
- use_chinese_font()：让图表显示中文
- plan_sms(audience, text, shop_name, price)：短信发送计划（签名、退订、计费）
- read_taobao_orders(path)：读入千牛导出的订单报表，得到自己店铺的 Shop

子模块（CRM 库）：helpers.money（元和分）、helpers.segment_rules（分组规则的声明）、helpers.sql（规则的 SQL 视图：
DuckDB 上运行，翻译成 Spark / Hive / MySQL）、helpers.charts（图表）、helpers.widgets（课堂小部件）、
helpers.campaigns（短信名单与营销邮件的发送）、helpers.mail（营销邮件的内容）、helpers.taobao（读千牛导出的报表），
以及各章的主题模块（labels、membership、giftpack、followup、touch、operations、audience、products_analysis、
groupbuy、lifecycle、effect）。课程部分在 helpers.course（练习反馈、章节测试、批量评分），库从不导入它。
"""
from . import legacy  # noqa: F401  旧路径 helpers.members、helpers.email（过渡期）
from .data import SHOPS, Shop, datasets_dir, load_shop, shop_names
from .privacy import mask_contacts, mask_email, mask_phone, show
from .rfm import (LEVEL_NAMES, TEXTBOOK_LEVELS, TEXTBOOK_RFM, TEXTBOOK_WEIGHTS, RFMTable,
                  rfm_assign, rfm_band_edges, rfm_level, rfm_score, rfm_values)
from .segment_rules import RULES, normalize_region, rule_table
from .segments import Segment
from .sms import OPT_OUT, SmsPlan, plan_sms, render_messages, sms_length, sms_parts, with_signature
from .summary import customer_summary, top_share
from .taobao import read_taobao_orders
from .validation import parse_date, validate_orders
from .vip import TEXTBOOK_VIP_TIERS, VipTier, vip_rules_text, vip_tier

try:  # fonts.py 依赖 matplotlib；导入失败时给出中文提示
    from .fonts import apply_theme, use_chinese_font
except ImportError as exc:  # pragma: no cover
    _font_error = exc

    def use_chinese_font():  # type: ignore[misc]
        raise ImportError(f"无法加载中文字体模块：{_font_error}。请先在仓库根目录运行 python3 tools/workbook.py lab 安装依赖。")

    apply_theme = use_chinese_font

__all__ = [
    "SHOPS", "Shop", "datasets_dir", "load_shop", "shop_names",
    "mask_contacts", "mask_email", "mask_phone", "show",
    "LEVEL_NAMES", "TEXTBOOK_LEVELS", "TEXTBOOK_RFM", "TEXTBOOK_WEIGHTS", "RFMTable",
    "rfm_assign", "rfm_band_edges", "rfm_level", "rfm_score", "rfm_values",
    "RULES", "Segment", "normalize_region", "rule_table",
    "OPT_OUT", "SmsPlan", "plan_sms", "render_messages", "sms_length", "sms_parts", "with_signature",
    "customer_summary", "top_share", "read_taobao_orders", "parse_date", "validate_orders",
    "TEXTBOOK_VIP_TIERS", "VipTier", "vip_rules_text", "vip_tier",
    "use_chinese_font", "apply_theme",
]
__version__ = "0.1.0"

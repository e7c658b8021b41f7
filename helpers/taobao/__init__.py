"""读取自己店铺的订单导出文件（千牛/卖家中心的 ExportOrderList*.csv 或 .xlsx），变成工作簿的 Shop。

用法::

    from helpers.taobao import read_taobao_orders
    shop = read_taobao_orders("ExportOrderList202407010930.csv",
                              items="ExportOrderDetailList202407010930.csv")
    print(shop.import_report)          # 中文导入报告：读了几行、保留几行、排除了什么、哪几行有问题
    summary = shop.summary()           # 之后和教学店铺一模一样：分组、VIP、RFM……

这里做的事，按顺序：

1. 认出文件的编码（GB18030/GBK、UTF-8 带或不带 BOM、UTF-16）和表头，把每个格子都当文本读，
   去掉千牛为了防止 Excel 改写长数字而加的 ="…"；
2. 把表头对上标准的中文列名（订单编号、买家会员名……）；别的平台或自己的表格用 ``columns=`` 对应；
3. 交易关闭、等待买家付款、没有付款时间的订单不算已付款，单独计数；
   坏掉的行（字段数不对、时间或金额看不懂、订单编号被 Excel 改成科学计数法、重复订单）跳过，
   并在报告里写明是文件的第几行（和 Excel 左边的行号一致：表头是第 1 行）；
4. 已付款订单交给 ``helpers.validate_orders`` 做统一检查；客户、商品明细、商品表随之整理好；
5. 手机号默认在导入时就打码，课堂上、截图里都不会露出客户的号码。

和 ``validate_orders`` 的区别：它遇到坏数据就报错停下；这里读的是后台直接导出的原始文件，
一行坏数据不应该挡住其余几百行，所以跳过坏行——但每一行跳过都写进报告，绝不悄悄丢掉。

这个包按步骤分成几个模块，每个都能单独读：

- ``files``  ：三种文件认得的列，编码、工作表、表头，把一个文件读成全是文本的表（第 1、2 步）；
- ``decoding``：把文件的字节按块解码成 UTF-8（GBK 里夹着的 UTF-8 行逐行认出）；
- ``csvfile`` ：把 CSV 的一行行切成格子、整列清理（和 csv 模块读出的逐格相同，几十万行几秒读完）；
- ``progress``：导入超过 2 秒还没完成时显示的进度条（tqdm）；
- ``fields`` ：逐列解析时间、金额（分）、手机号、地址、是/否；
- ``tables`` ：给订单文件的每一行定性，整理出订单、商品明细、商品和客户表（第 3 步）；
- ``report`` ：导入报告 ImportReport 和问题行的格式；
- ``shop``   ：总入口 read_taobao_orders（第 4、5 步）。
"""
from .fields import (EARLIEST, MAX_ORDER_YUAN, parse_address, parse_flags, parse_money_fen, parse_times,
                     read_money_fen, read_phones, read_times)
from .decoding import ENCODING_HELP, decode_export
from .files import (ALIASES, CUSTOMER_COLUMNS, CUSTOMER_REQUIRED, HEADER_ROWS, ITEM_COLUMNS, ITEM_REQUIRED,
                    ORDER_COLUMNS, ORDER_REQUIRED, RawTable, column_mapping, detect_encoding, read_export)
from .progress import Progress
from .report import PROBLEM_COLUMNS, SKIPPED, ImportedShop, ImportReport
from .shop import read_taobao_orders
from .tables import (CLOSED, CUSTOMER_TABLE, NO_PAY_TIME, UNPAID, classify_orders, customers_from_orders,
                     items_from_export, items_from_titles, merge_customers, products_from_items, read_customer_list)

__all__ = [
    "read_taobao_orders", "ImportedShop", "ImportReport",
    "ORDER_COLUMNS", "ORDER_REQUIRED", "ITEM_COLUMNS", "ITEM_REQUIRED", "CUSTOMER_COLUMNS", "CUSTOMER_REQUIRED",
    "ALIASES", "CUSTOMER_TABLE", "PROBLEM_COLUMNS", "SKIPPED", "CLOSED", "UNPAID", "NO_PAY_TIME",
    "HEADER_ROWS", "ENCODING_HELP", "EARLIEST", "MAX_ORDER_YUAN",
    "RawTable", "detect_encoding", "decode_export", "read_export", "column_mapping", "Progress",
    "read_times", "parse_times", "read_money_fen", "parse_money_fen", "read_phones", "parse_address", "parse_flags",
    "classify_orders", "items_from_titles", "items_from_export", "products_from_items",
    "customers_from_orders", "read_customer_list", "merge_customers",
]

"""让营销活动真正落地：短信发送名单（CSV/Excel，交给短信平台）、营销邮件（.eml 文件，或用 SMTP 发出）。

用法::

    from helpers.campaigns import SmsCampaign, EmailCampaign
    sms = SmsCampaign(audience, "{昵称}您好，新茶到店，老客户凭券立减{券面额}元", "青禾茶舍",
                      values={"券面额": 10}, send_date=shop.today, send_log=log, cap_days=7)
    sms.summary()                       # 收件人、被排除的人、计费条数、费用
    sms.preview()                       # 发送名单长什么样（手机号打码）
    sms.write_send_list("outputs/短信发送名单.csv")   # 只有导入时 mask_phones=False 才能写

    mail = EmailCampaign(audience, "新茶上市", ["……"], "明前西湖龙井 250g", 268,
                         "https://shop.example.com/item/1", shop_name="青禾茶舍", sender="shop@example.com")
    mail.write_eml("outputs/邮件")       # 每位收件人一个 .eml 文件，可以用邮件软件打开
    mail.send("smtp.example.com", 465, use_ssl=True, username=..., password=..., record="outputs/发送记录.csv")

两个渠道各一个模块：

- ``sms_list``  ：SmsCampaign（建立在 helpers.sms.plan_sms 之上），发送记录 read_send_log 和频率限制 recently_contacted；
- ``email_send``：EmailCampaign（建立在 helpers.mail 之上）、发送结果 EmailSendReport 和断电也不丢的发送记录。

这里不会偷偷联网：短信只写文件；邮件只有调用 send(...) 并写明服务器时才会发出。
"""
from .email_send import RECORD_COLUMNS, EmailCampaign, EmailSendReport
from .sms_list import LOG_COLUMNS, SEND_LIST_COLUMNS, SmsCampaign, read_send_log, recently_contacted

__all__ = ["SmsCampaign", "EmailCampaign", "EmailSendReport", "read_send_log", "recently_contacted",
           "SEND_LIST_COLUMNS", "LOG_COLUMNS", "RECORD_COLUMNS"]

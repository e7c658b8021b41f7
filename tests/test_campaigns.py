"""让营销落地（helpers.campaigns）：短信发送名单与频率限制；真正的 MIME 邮件、.eml 文件、SMTP 发送与续发。

SMTP 测试在本机 127.0.0.1 上启动一个 aiosmtpd 服务器，只收不转发；测试结束就关掉。
"""
from __future__ import annotations

import socket
from email import policy
from email.parser import BytesParser

import pandas as pd
import pytest

from helpers.campaigns import EmailCampaign, SmsCampaign, read_send_log, recently_contacted
from helpers.mail import product_image
from helpers.export import export_excel

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def audience():
    """六位目标客户：有退订的、没手机号的、没邮箱的、两个账号共用一个手机号的。"""
    return pd.DataFrame({
        "nickname": ["小林", "阿杰", "老周", "静静", "大叔", "小满"],
        "phone": ["13800001111", "13800002222", None, "13800004444", "13800005555", "13800001111"],
        "email": ["lin@example.com", "jie@example.com", "zhou@example.com", None, "dashu@example.com",
                  "man@example.com"],
        "sms_opt_out": [False, True, False, False, False, False],
        "email_opt_out": [False, False, False, False, True, False],
    }, index=pd.Index(["A", "B", "C", "D", "E", "F"], name="customer_id"))


TEXT = "{昵称}您好，新茶到店，凭券立减{券面额}元"


def campaign(audience, **kwargs):
    return SmsCampaign(audience, TEXT, "青禾茶舍", values={"券面额": 10}, send_date="2024-07-01", **kwargs)


# ---- 短信 -----------------------------------------------------------------------------------------


def test_sms_personalised_signed_with_opt_out(audience):
    sms = campaign(audience)
    assert sms.template == "【青禾茶舍】{昵称}您好，新茶到店，凭券立减{券面额}元回T退订"
    assert sms.messages.loc["A", "text"] == "【青禾茶舍】小林您好，新茶到店，凭券立减10元回T退订"
    assert list(sms.messages.index) == ["A", "D", "E"]        # B 退订，C 没手机号，F 与 A 同一个手机号
    assert sms.excluded == {"已退订": 1, "没有手机号": 1, "手机号无效": 0, "7 天内发过营销短信": 0, "手机号重复": 1}
    summary = sms.summary()
    assert summary["目标客户（人）"] == 6 and summary["收件人（人）"] == 3
    assert summary["计费条数（条）"] == 3 and summary["总费用（元）"] == 0.15
    assert sum(sms.excluded.values()) + sms.recipients == len(audience)


def test_sms_frequency_cap_boundary(audience):
    log = pd.DataFrame({"customer_id": ["A", "D", "E"], "send_date": ["2024-06-24", "2024-06-25", "2024-07-01"],
                        "channel": ["短信", "短信", "邮件"]})
    assert list(recently_contacted(log, "2024-07-01", 7)) == ["D"]      # 7 天前（6-24）可以再发；邮件不算
    sms = campaign(audience, send_log=log, cap_days=7)
    assert list(sms.messages.index) == ["A", "E"]
    assert sms.excluded["7 天内发过营销短信"] == 1
    assert list(campaign(audience, send_log=log, cap_days=0).messages.index) == ["A", "D", "E"]
    with pytest.raises(ValueError, match="send_date"):
        SmsCampaign(audience, TEXT, "青禾茶舍", values={"券面额": 10}, send_log=log)


def test_sms_log_round_trip(audience, tmp_path):
    sms = campaign(audience, name="新茶到店")
    path = tmp_path / "发送记录.csv"
    assert read_send_log(path).empty
    sms.append_to_log(path)
    sms.append_to_log(path)                                          # 追加，不改原有的行
    log = read_send_log(path)
    assert len(log) == 6 and set(log["campaign"]) == {"新茶到店"}
    assert (log["send_date"] == pd.Timestamp("2024-07-01")).all()
    again = SmsCampaign(audience, TEXT, "青禾茶舍", values={"券面额": 10}, send_date="2024-07-05", send_log=log)
    assert again.recipients == 0 and again.excluded["7 天内发过营销短信"] == 3


def test_sms_send_list_csv_and_xlsx_with_real_numbers(audience, tmp_path):
    sms = campaign(audience)
    path = sms.write_send_list(tmp_path / "发送名单.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == 4
    back = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    assert list(back.columns) == ["手机号", "短信内容"]
    assert back["手机号"].tolist() == ["13800001111", "13800004444", "13800005555"]
    assert back["短信内容"].str.endswith("回T退订").all()
    xlsx = sms.write_send_list(tmp_path / "发送名单.xlsx")
    from openpyxl import load_workbook
    cells = [c.value for c in next(load_workbook(xlsx).active.iter_cols(min_row=2, max_col=1))]
    assert cells == ["13800001111", "13800004444", "13800005555"]     # 文本，不是数字
    with pytest.raises(ValueError, match="已经存在"):
        sms.write_send_list(path)
    assert path.read_bytes() == raw
    with pytest.raises(ValueError, match=".csv 或 .xlsx"):
        sms.write_send_list(tmp_path / "a.txt")


def test_masked_phones_refuse_send_list_but_allow_preview(audience, tmp_path):
    masked = audience.assign(phone=audience["phone"].str[:3] + "****" + audience["phone"].str[-4:])
    sms = campaign(masked)
    assert sms.phones_masked and sms.excluded["手机号重复"] == 0            # 打码的号码分不出是否重复
    with pytest.raises(ValueError, match="mask_phones=False") as info:
        sms.write_send_list(tmp_path / "发送名单.csv")
    assert "打码" in str(info.value) and "preview" in str(info.value)
    assert not (tmp_path / "发送名单.csv").exists()
    preview = sms.preview()
    assert preview["手机号"].tolist()[0] == "138****1111" and list(preview.columns) == ["手机号", "短信内容"]
    assert campaign(audience).preview()["手机号"].str.contains(r"\*{4}").all()   # 预览总是打码



def test_masked_phones_in_any_spelling_go_through_the_one_phone_normalizer(audience):
    """发送名单和导入用同一个 privacy.normalize_phone：打码的号码写法不同也认得，打坏了的算无效、逐行列出。"""
    from helpers.privacy import normalize_phone

    spelled = "+86 " + audience["phone"].str[:3] + " **** " + audience["phone"].str[-4:]
    spelled["D"] = "138***"                                   # 打码打坏了：不是手机号
    sms = campaign(audience.assign(phone=spelled))
    reachable = ~audience["sms_opt_out"] & audience["phone"].notna()
    normal = normalize_phone(spelled[reachable], keep_masked=True)
    assert sms.excluded["手机号无效"] == int(normal.isna().sum()) == 1
    assert sms.invalid_phones["customer_id"].tolist() == list(normal.index[normal.isna()])
    assert sms.phones_masked and sms.recipients == int(normal.notna().sum())
    assert set(sms.preview()["手机号"]) == set(normal.dropna())

def test_excel_export_of_a_group_is_masked_even_when_imported_unmasked(audience, tmp_path):
    path = export_excel(audience, tmp_path / "分组.xlsx")
    back = pd.read_excel(path, dtype=str)
    assert list(back.columns[:3]) == ["客户编号", "昵称", "手机号"]
    assert back["手机号"].dropna().str.fullmatch(r"\d{3}\*{4}\d{4}").all()
    assert back["邮箱"].dropna().str.contains(r"\*\*\*@").all()


# ---- 邮件：MIME 与 .eml ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def picture():
    return product_image("西湖龙井", "250g")


def mail(audience, picture, **kwargs):
    return EmailCampaign(audience, "新茶上市｜老客户专享", ["春茶到了。", "老客户专享价。"], "明前特级西湖龙井 250g",
                         268, "https://shop.example.com/item/1?from=mail&x=1", shop_name="青禾茶舍",
                         sender="shop@example.com", image=picture, original_price=298, date="2024-07-01", **kwargs)


def parse(raw: bytes):
    return BytesParser(policy=policy.default).parsebytes(raw)


def check_message(msg, picture):
    """一封合格的营销邮件：中文主题、纯文字备用正文、HTML 里有内嵌图片和购买链接、退订头。"""
    assert msg["Subject"] == "新茶上市｜老客户专享"
    assert msg["From"].addresses[0].display_name == "青禾茶舍"
    assert msg["List-Unsubscribe"] == "<mailto:shop@example.com?subject=unsubscribe>"
    assert msg.get_content_type() == "multipart/alternative"
    plain = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    assert "春茶到了。" in plain and "https://shop.example.com/item/1?from=mail&x=1" in plain and "退订" in plain
    assert "href='https://shop.example.com/item/1?from=mail&amp;x=1'" in html and "268.00 元" in html
    images = [p for p in msg.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 1 and images[0].get_content() == picture
    cid = images[0]["Content-ID"].strip("<>")
    assert f"src='cid:{cid}'" in html
    return plain, html


def test_email_messages_are_real_mime(audience, picture):
    campaign = mail(audience, picture)
    assert list(campaign.recipients.index) == ["A", "B", "C", "F"]     # D 没邮箱，E 退订
    assert campaign.summary()["排除：已退订（人）"] == 1
    msg = parse(campaign.message("A").as_bytes())
    plain, html = check_message(msg, picture)
    assert plain.startswith("小林，您好：") and "<p>小林，您好：</p>" in html
    assert msg["To"] == "lin@example.com" and msg["Date"] == "Mon, 01 Jul 2024 10:00:00 +0800"
    assert campaign.message("A").as_bytes() == campaign.message("A").as_bytes()   # 每次写出的字节都一样


def test_https_unsubscribe_link_and_one_click(audience, picture):
    msg = parse(mail(audience, picture, unsubscribe="https://shop.example.com/unsub").message("A").as_bytes())
    assert msg["List-Unsubscribe"] == "<https://shop.example.com/unsub>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "点此退订：https://shop.example.com/unsub" in msg.get_body(preferencelist=("plain",)).get_content()


def test_write_eml_files(audience, picture, tmp_path):
    campaign = mail(audience, picture)
    paths = campaign.write_eml(tmp_path / "邮件")
    assert [p.name for p in paths] == ["0001_A.eml", "0002_B.eml", "0003_C.eml", "0004_F.eml"]
    first = paths[0].read_bytes()
    check_message(parse(first), picture)
    with pytest.raises(ValueError, match="overwrite=True"):
        campaign.write_eml(tmp_path / "邮件")
    campaign.write_eml(tmp_path / "邮件", overwrite=True)
    assert paths[0].read_bytes() == first


def test_email_needs_a_sender_and_valid_link(audience, picture):
    with pytest.raises(ValueError, match="sender"):
        EmailCampaign(audience, "主题", "正文", "龙井", 1, "https://a.example.com", shop_name="店", sender="shop")
    with pytest.raises(ValueError, match="https://"):
        EmailCampaign(audience, "主题", "正文", "龙井", 1, "shop.example.com", shop_name="店", sender="s@example.com",
                      image=picture)


# ---- 邮件：真正用 SMTP 发送（本机 127.0.0.1 上的测试服务器） ---------------------------------------------


class Mailbox:
    """测试用的 SMTP 服务器行为：收下邮件；可以拒收某些地址，或在收到 n 封之后突然断开连接。"""

    def __init__(self, refuse=(), drop_after=None):
        self.received = []
        self.refuse = set(refuse)
        self.drop_after = drop_after

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.drop_after is not None and len(self.received) >= self.drop_after:
            self.drop_after = None                    # 只断开这一次
            server.transport.close()                  # 连接突然断开：这一封没有收下
            return "421 closing"
        self.received.append((envelope.rcpt_tos[0], envelope.content))
        return "250 Message accepted"


def test_send_over_smtp_every_message_arrives(audience, picture, smtp_server, tmp_path):
    box = Mailbox()
    port = smtp_server(box)
    campaign = mail(audience, picture)
    report = campaign.send("127.0.0.1", port, record=tmp_path / "发送记录.csv")
    assert report.counts()[["已发送", "被拒绝", "未发送"]].tolist() == [4, 0, 0]
    got = {to: parse(content) for to, content in box.received}
    assert sorted(got) == ["jie@example.com", "lin@example.com", "man@example.com", "zhou@example.com"]
    for msg in got.values():
        check_message(msg, picture)
    assert "dashu@example.com" not in got                             # 退订的客户什么也没收到
    again = campaign.send("127.0.0.1", port, record=tmp_path / "发送记录.csv")
    assert len(box.received) == 4 and again.already_sent == 4 and again.table.empty
    record = pd.read_csv(tmp_path / "发送记录.csv", dtype=str, encoding="utf-8-sig")
    assert record["status"].tolist() == ["准备发送", "已发送"] * 4              # 发送前记意图，发送后记结果
    assert record["email"].str.contains(r"\*\*\*@").all()


def test_refused_recipient_and_dropped_connection_then_resume(audience, picture, smtp_server, tmp_path):
    box = Mailbox(refuse={"jie@example.com"}, drop_after=1)
    port = smtp_server(box)
    campaign = mail(audience, picture)
    record = tmp_path / "发送记录.csv"
    first = campaign.send("127.0.0.1", port, record=record)
    table = first.table.set_index("customer_id")
    assert table.loc["A", "status"] == "已发送"
    assert table.loc["B", "status"] == "被拒绝" and table.loc["B", "reply"].startswith("550")
    # 发 C 时连接断了：客户端不知道服务器收没收下，C 算“结果不明”；F 还没开始发，是“未发送”
    assert "C" not in table.index and first.unknown["customer_id"].tolist() == ["C"]
    assert table.loc["F", "status"] == "未发送"
    assert first.interrupted and "连接中断" in str(first) and "jie***@example.com" in str(first)
    assert [to for to, _ in box.received] == ["lin@example.com"]

    second = campaign.send("127.0.0.1", port, record=record)        # 续发：只发还没收到的人
    assert second.already_sent == 2                                # A 已发送，B 被拒绝（默认不重试）
    assert second.table["customer_id"].tolist() == ["F"] and second.table["status"].tolist() == ["已发送"]
    assert second.unknown["customer_id"].tolist() == ["C"] and "结果不明 1 位：C（zho***@example.com）" in str(second)
    third = campaign.send("127.0.0.1", port, record=record, resend_unknown=True)   # 核对过 C 没收到，补发
    assert third.table["customer_id"].tolist() == ["C"] and third.unknown.empty
    addresses = [to for to, _ in box.received]
    assert sorted(addresses) == ["lin@example.com", "man@example.com", "zhou@example.com"]
    assert len(addresses) == len(set(addresses))                   # 没有人收到两封
    for _, content in box.received:
        check_message(parse(content), picture)


def test_masked_emails_cannot_be_sent(audience, picture, tmp_path):
    masked = audience.assign(email=audience["email"].str.replace(r"^(\w{2})\w*@", r"\1***@", regex=True))
    campaign = mail(masked, picture)
    with pytest.raises(ValueError, match="mask_emails=False"):
        campaign.send("127.0.0.1", 1, record=tmp_path / "r.csv")
    assert campaign.write_eml(tmp_path / "预览")                     # 写成 .eml 预览不受影响
    assert not (tmp_path / "r.csv").exists()


def test_unreachable_server_is_explained(audience, picture, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]                                   # 没有服务器在听的端口
    with pytest.raises(ValueError, match="连不上邮件服务器.*什么也没有发出去"):
        mail(audience, picture).send("127.0.0.1", port, record=tmp_path / "r.csv", timeout=5)
    with pytest.raises(ValueError, match="host"):
        mail(audience, picture).send(" ", record=tmp_path / "r.csv")

"""营销邮件的发送：每位收件人一封真正的邮件（EmailCampaign），写成 .eml 文件，或用 SMTP 一封封发出，
并把每一封记进只追加的发送记录，程序中途被关掉、断电、断网后再发一次，也不会有人收到两封。

邮件的内容（HTML、商品图片）和“发给谁”（去掉退订和没邮箱的客户）在 helpers.mail；这里把它们写成 MIME 邮件。
只有调用 send(...) 并写明服务器时才会联网。
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import os
import re
import smtplib
import ssl
import time
import warnings
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pandas as pd

from ..export import restore_formulas, write_csv
from ..mail import email_recipients, product_image, render_email
from ..money import parse_yuan
from ..privacy import is_masked, mask_email
from ..validation import checked, parse_date

RECORD_COLUMNS = ("campaign", "customer_id", "email", "message_id", "status", "reply")
SENT, REFUSED, NOT_SENT = "已发送", "被拒绝", "未发送"
INTENT, UNKNOWN = "准备发送", "结果不明"     # 发送前先记“准备发送”；只有它、没有结果的收件人，结果不明

_MASKED_EMAILS = (
    "收件人的邮箱已经打码（例如 lin***@example.com），这样的地址收不到邮件。"
    "真要发送时，请在自己的电脑上用 read_taobao_orders(..., mask_emails=False) 重新导入。"
    "写成 .eml 文件预览不受影响：write_eml(...)。")


# ---------------------------------------------------------------------------
# 一、一次邮件营销
# ---------------------------------------------------------------------------
def _slug(text: str) -> str:
    return hashlib.sha1(str(text).encode("utf-8")).hexdigest()[:12]


def _safe_name(text: str) -> str:
    return re.sub(r"[^\w\-]+", "_", str(text)).strip("_")[:40] or "客户"


@checked
@dataclass
class EmailSendReport:
    """一次 SMTP 发送的结果：每位收件人一行（status：已发送 / 被拒绝 / 未发送），跳过的人数，
    以及“结果不明”的收件人（上次发送时程序中断在发信途中，不知道对方收没收到）。"""

    table: pd.DataFrame
    already_sent: int
    interrupted: str = ""
    unknown: pd.DataFrame = None

    def __post_init__(self):
        if self.unknown is None:
            self.unknown = pd.DataFrame(columns=["customer_id", "email"])

    def counts(self) -> pd.Series:
        """各状态的人数。"""
        return self.table["status"].value_counts().reindex([SENT, REFUSED, NOT_SENT], fill_value=0)

    def __str__(self) -> str:
        c = self.counts()
        lines = [f"本次发送：已发送 {c[SENT]} 封，被拒绝 {c[REFUSED]} 封，未发送 {c[NOT_SENT]} 封；"
                 f"以前已发送、这次跳过 {self.already_sent} 位。"]
        if self.interrupted:
            lines.append(f"连接中断：{self.interrupted}。已发出的都记在发送记录里，再次调用 send(...) 会接着发剩下的，"
                         "不会重复发给已经收到的人。")
        if len(self.unknown):
            who = "、".join(f"{r.customer_id}（{r.email}）" for r in self.unknown.head(10).itertuples())
            lines.append(f"结果不明 {len(self.unknown)} 位：{who}{' 等' if len(self.unknown) > 10 else ''}。"
                         "上次发送时程序在发这几封的途中中断，不知道他们收到没有，这次没有再发。"
                         "请在邮件服务商的“已发送”里核对；确认没收到的，再用 send(..., resend_unknown=True) 补发。")
        refused = self.table[self.table["status"] == REFUSED]
        lines += [f"  被拒绝：{r.email}（{r.reply}）" for r in refused.itertuples()]
        return "\n".join(lines)


@checked
class EmailCampaign:
    """一次邮件营销：每位收件人一封真正的邮件（MIME），可以写成 .eml 文件，也可以用 SMTP 发出。

    每封邮件有：UTF-8 的中文主题和正文；HTML 正文里内嵌商品图片（cid: 引用）和购买链接；
    纯文字的备用正文（不显示图片的邮件软件看这个）；List-Unsubscribe 退订头。
    已退订营销邮件、没有邮箱的客户不会收到（helpers.mail.email_recipients）。

    参数
    ----
    audience : 目标客户（Segment.select 的结果，要有 email、email_opt_out，最好有 nickname）。
    subject : 邮件主题。
    paragraphs : 正文，一段文字或若干段文字的列表。
    product_title : 主推商品的宝贝标题。
    price : 活动价（元）；original_price 为原价（可选）。
    link : 购买链接（https://…）。
    shop_name : 店铺名，作发件人名称和页脚。
    sender : 发件邮箱，例如 "shop@example.com"（要用你的邮件服务商允许的发件地址）。
    image : 商品图片：PNG 字节或图片文件路径；不填时用 product_image 画一张。
    unsubscribe : 退订方式：https 退订链接，或一个接收退订的邮箱；不填时用“回复退订”到发件邮箱。
    name : 活动名称，写进发送记录。
    date : 邮件上写的日期（例如 shop.today）；不填时不写 Date 头，由邮件服务器补上。
    """

    def __init__(self, audience: pd.DataFrame, subject: str, paragraphs, product_title: str, price, link: str, *,
                 shop_name: str, sender: str, image=None, original_price=None, unsubscribe: str | None = None,
                 name: str = "邮件营销", date=None):
        if not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", str(sender).strip()):
            raise ValueError(f"发件邮箱 sender 应是一个邮箱地址，例如 'shop@example.com'，收到的是 {sender!r}。")
        recipients, excluded = email_recipients(audience)
        # 只差大小写或空格的地址（Lin@QQ.com 与 lin@qq.com ）是同一位收件人，只发一封
        key = recipients["email"].astype("string").str.strip().str.lower()
        duplicate = key.duplicated(keep="first").fillna(False).to_numpy() & ~is_masked(key).to_numpy()
        self.recipients = recipients[~duplicate].assign(email=recipients["email"][~duplicate].astype(str).str.strip())
        self.excluded = {**excluded, "邮箱重复": int(duplicate.sum())}
        self.audience_size = len(audience)
        self.subject, self.paragraphs = str(subject).strip(), paragraphs
        self.product_title, self.price, self.link = product_title, price, link
        self.original_price = original_price
        self.shop_name, self.sender, self.name = str(shop_name).strip(), str(sender).strip(), str(name)
        self.image = product_image(product_title) if image is None else _read_image(image)
        self.unsubscribe = unsubscribe
        self.date = None if date is None else parse_date(date, "date") + pd.Timedelta(hours=10)
        render_email("亲", self.subject, paragraphs, product_title, price, link, image_src="cid:x",
                     shop_name=self.shop_name, original_price=original_price, header=False)   # 先检查一遍参数

    # ---- 一封邮件 ----
    def _unsubscribe_header(self) -> tuple[str, str | None]:
        target = self.unsubscribe or self.sender
        if str(target).lower().startswith(("https://", "http://")):
            return f"<{target}>", target
        return f"<mailto:{target}?subject=unsubscribe>", None

    def _html(self, customer: pd.Series, cid: str, unsubscribe_link) -> str:
        body = render_email(customer, self.subject, self.paragraphs, self.product_title, self.price, self.link,
                            shop_name=self.shop_name, original_price=self.original_price,
                            unsubscribe_link=unsubscribe_link, header=False, image_src=f"cid:{cid}")
        return ("<!DOCTYPE html><html><head><meta charset='utf-8'>"
                f"<title>{_escape(self.subject)}</title></head><body>{body}</body></html>")

    def _text(self, customer: pd.Series, unsubscribe_link) -> str:
        nickname = customer.get("nickname")
        nickname = "亲" if nickname is None or pd.isna(nickname) or not str(nickname).strip() else str(nickname).strip()
        paragraphs = [self.paragraphs] if isinstance(self.paragraphs, str) else list(self.paragraphs)
        was = f"（原价 {parse_yuan(self.original_price, 'original_price')} 元）" if self.original_price is not None else ""
        lines = [f"{nickname}，您好：", ""]
        for p in paragraphs:
            lines += [str(p).strip(), ""]
        lines += [self.product_title, f"活动价：{parse_yuan(self.price, 'price')} 元{was}", f"购买链接：{self.link}", "",
                  f"——{self.shop_name}",
                  "不想再收到此类邮件？" + (f"点此退订：{unsubscribe_link}" if unsubscribe_link else "回复“退订”即可。")]
        return "\n".join(lines) + "\n"

    def message(self, customer_id) -> EmailMessage:
        """给一位收件人的完整邮件（email.message.EmailMessage）。"""
        customer = self.recipients.loc[customer_id]
        key = _slug(f"{self.name}|{customer_id}")
        cid = f"product-{key}@crm-workbook"
        header, link = self._unsubscribe_header()
        msg = EmailMessage()
        msg["Subject"] = self.subject
        msg["From"] = Address(self.shop_name, addr_spec=self.sender)
        msg["To"] = Address(addr_spec=str(customer["email"]).strip())
        if self.date is not None:
            beijing = dt.timezone(dt.timedelta(hours=8))
            msg["Date"] = format_datetime(self.date.to_pydatetime().replace(tzinfo=beijing))
        msg["Message-ID"] = f"<{_slug(self.name)}.{key}@{self.sender.split('@', 1)[1]}>"
        msg["List-Unsubscribe"] = header
        if link:
            msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        msg.set_content(self._text(customer, link), cte="base64")
        msg.add_alternative(self._html(customer, cid, link), subtype="html", cte="base64")
        msg.get_payload()[1].add_related(self.image, "image", "png", cid=f"<{cid}>", filename="product.png",
                                         disposition="inline")
        for k, part in enumerate(p for p in msg.walk() if p.is_multipart()):
            part.set_boundary(f"=_crm_{key}_{k}")          # 固定的分隔线：同一封邮件每次写出的字节都一样
        return msg

    def preview(self, customer_id=None) -> str:
        """在笔记本里预览一封邮件（HTML，图片用 data: 地址嵌入）。"""
        customer_id = self.recipients.index[0] if customer_id is None else customer_id
        _, link = self._unsubscribe_header()
        return render_email(self.recipients.loc[customer_id], self.subject, self.paragraphs, self.product_title,
                            self.price, self.link, image=self.image, shop_name=self.shop_name,
                            original_price=self.original_price, unsubscribe_link=link)

    def summary(self) -> pd.Series:
        """这次邮件营销的中文小结：目标客户、排除的人、收件人。"""
        rows = {"目标客户（人）": self.audience_size}
        rows.update({f"排除：{k}（人）": v for k, v in self.excluded.items()})
        rows["收件人（人）"] = len(self.recipients)
        return pd.Series(rows, name=self.name, dtype=object)

    # ---- 写成 .eml 文件 ----
    def write_eml(self, folder, overwrite: bool = False) -> list[Path]:
        """每位收件人写一个 .eml 文件（可以用 Outlook、Foxmail、Thunderbird 等打开），返回文件路径列表。

        参数
        ----
        folder : 文件夹；不存在时新建。文件名是“序号_客户编号.eml”。
        overwrite : 同名文件已存在时是否覆盖（默认不覆盖）。
        """
        folder = Path(folder)
        names = [folder / f"{i:04d}_{_safe_name(cid)}.eml" for i, cid in enumerate(self.recipients.index, start=1)]
        clash = [p for p in names if p.exists()]
        if clash and not overwrite:
            raise ValueError(f"{folder} 里已经有 {len(clash)} 个同名的 .eml 文件（例如 {clash[0].name}）。"
                             "为了不覆盖你的文件，请换个文件夹，或传入 overwrite=True。")
        folder.mkdir(parents=True, exist_ok=True)
        for path, cid in zip(names, self.recipients.index):
            path.write_bytes(self.message(cid).as_bytes())
        return names

    # ---- 用 SMTP 发送 ----
    def send(self, host: str, port: int = 25, *, record, username: str | None = None, password: str | None = None,
             starttls: bool = False, use_ssl: bool = False, timeout: float = 30,
             retry_refused: bool = False, resend_unknown: bool = False, retries: int = 2,
             retry_pause: float = 5.0) -> EmailSendReport:
        """用你指定的 SMTP 服务器把邮件一封封发出去；每一封发送前、发送后各记一行发送记录。

        参数
        ----
        host, port : 邮件服务器和端口，例如 "smtp.qq.com", 465（要你自己的服务商和账号）。
        record : 发送记录文件（CSV，只追加、每行立刻写到磁盘）。每一封发出前先记“准备发送”，
                 服务器回应后再记结果。程序中途被关掉、断电、断网后再调用一次 send：
                 记录里“已发送”“被拒绝”的人跳过；只有“准备发送”、没有结果的人算“结果不明”
                 （可能已经收到），列出来请你核对，默认不再发，所以不会有人收到两封。
                 记录最后一行只写了一半（写到一半断电）时跳过那一行并给出提示。
        username, password : 登录服务器的账号和授权码；不需要登录时不填。
        starttls : 连接后升级为加密连接（常见端口 587）；use_ssl : 一开始就用 SSL（常见端口 465）。
        timeout : 等待服务器回应的秒数。
        retry_refused : 以前被服务器拒收（5xx）的地址这次要不要再试（默认不试）。
        resend_unknown : 核对过“结果不明”的人确实没收到后，传 True 给他们补发。
        retries, retry_pause : 服务器暂时拒收（4xx，例如“稍后再试”）时最多再试几次、每次等几秒。
        """
        if not str(host).strip():
            raise ValueError("请写明要用的邮件服务器 host，例如 'smtp.example.com'。工作簿不会替你挑服务器。")
        pending = self.recipients
        if is_masked(pending["email"]).any():
            raise ValueError(_MASKED_EMAILS)
        record = Path(record)
        last = _last_status(_read_record(record, self.name))
        skip_status = {SENT, REFUSED} if not retry_refused else {SENT}
        finished = set(last.index[last.isin(skip_status)])
        unknown_ids = [] if resend_unknown else [c for c in pending.index.astype(str) if last.get(c) == INTENT]
        todo = [cid for cid in pending.index.astype(str) if cid not in finished and cid not in set(unknown_ids)]
        already = int(pending.index.astype(str).isin(list(finished)).sum())
        unknown = pd.DataFrame({"customer_id": unknown_ids,
                                "email": [mask_email(pd.Series([pending.loc[self._key(c), "email"]])).iloc[0]
                                          for c in unknown_ids]})
        rows, interrupted = [], ""
        if not todo:
            return EmailSendReport(table=pd.DataFrame(columns=list(RECORD_COLUMNS)), already_sent=already,
                                   unknown=unknown)
        try:
            smtp = self._connect(host, port, username, password, starttls, use_ssl, timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise ValueError(f"连不上邮件服务器 {host}:{port}：{exc}。请检查服务器地址、端口、账号和授权码；"
                             "什么也没有发出去。") from None
        try:
            for i, cid in enumerate(todo):
                msg = self.message(self._key(cid))
                _append_record(record, self._record_row(cid, INTENT, "", msg["Message-ID"]))
                try:
                    status, reply = self._deliver(smtp, msg, retries, retry_pause)
                except (smtplib.SMTPServerDisconnected, OSError) as exc:
                    # 这一封发没发出去不知道：记录里留着“准备发送”，下次算结果不明
                    interrupted = str(exc) or type(exc).__name__
                    rows += [self._record_row(c, NOT_SENT, "连接中断，未发送") for c in todo[i + 1:]]
                    unknown = pd.concat([unknown, pd.DataFrame(
                        {"customer_id": [cid], "email": [self._record_row(cid, "", "")["email"]]})], ignore_index=True)
                    break
                row = self._record_row(cid, status, reply, msg["Message-ID"])
                rows.append(row)
                _append_record(record, row)
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
        table = pd.DataFrame(rows, columns=list(RECORD_COLUMNS))
        return EmailSendReport(table=table, already_sent=already, interrupted=interrupted, unknown=unknown)

    @staticmethod
    def _deliver(smtp, msg, retries: int, pause: float) -> tuple[str, str]:
        """发一封：4xx（暂时拒收）最多再试 retries 次，5xx（永久拒收）记为被拒绝。"""
        for attempt in range(int(retries) + 1):
            try:
                smtp.send_message(msg)
                return SENT, "250"
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = next(iter(exc.recipients.values()))
                status, reply = (REFUSED if code >= 500 else NOT_SENT), f"{code} {_decode(text)}"
            except smtplib.SMTPResponseException as exc:
                code = exc.smtp_code
                status, reply = (REFUSED if code >= 500 else NOT_SENT), f"{code} {_decode(exc.smtp_error)}"
            if status == REFUSED or attempt == retries:
                return status, reply
            time.sleep(pause)
            try:
                smtp.rset()
            except smtplib.SMTPException:
                pass
        return status, reply

    def _key(self, customer_id):
        """发送记录里的客户编号是文字；换回 recipients 的索引值。"""
        index = self.recipients.index
        match = index[index.astype(str) == str(customer_id)]
        return match[0]

    def _record_row(self, customer_id, status, reply, message_id="") -> dict:
        email = self.recipients.loc[self._key(customer_id), "email"]
        return {"campaign": self.name, "customer_id": str(customer_id),
                "email": mask_email(pd.Series([email])).iloc[0], "message_id": message_id,
                "status": status, "reply": reply}

    @staticmethod
    def _connect(host, port, username, password, starttls, use_ssl, timeout):
        if use_ssl:
            smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
            if starttls:
                smtp.starttls(context=ssl.create_default_context())
        if username:
            smtp.login(username, password or "")
        return smtp


def _read_image(image) -> bytes:
    if isinstance(image, (bytes, bytearray)):
        return bytes(image)
    path = Path(image)
    if not path.exists() or path.suffix.lower() != ".png":
        raise ValueError(f"商品图片应是 PNG 字节或一个 .png 文件，收到的是 {image!r}。")
    return path.read_bytes()


def _escape(text: str) -> str:
    return html.escape(str(text))


def _decode(text) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)


# ---------------------------------------------------------------------------
# 二、发送记录：只追加，每写一行就落到磁盘
# ---------------------------------------------------------------------------
def _read_record(path: Path, campaign: str) -> pd.DataFrame:
    """读发送记录里这次活动的行（按写入顺序）。最后一行只写了一半（断电、被强行关掉）时跳过它并提示。"""
    if not path.exists():
        return pd.DataFrame(columns=list(RECORD_COLUMNS))
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig", errors="replace")
    lines = text.split("\n")
    torn = ""
    if text and not text.endswith("\n"):
        torn, lines = lines[-1], lines[:-1]
    rows = list(csv.reader(line.rstrip("\r") for line in lines if line.strip()))
    if not rows or tuple(rows[0]) != RECORD_COLUMNS:
        raise ValueError(f"{path.name} 不是工作簿写的邮件发送记录（第一行应是 {','.join(RECORD_COLUMNS)}）。"
                         "请换一个记录文件，不要手工改动它。")
    good = [r for r in rows[1:] if len(r) == len(RECORD_COLUMNS)]
    broken = (1 if torn else 0) + len(rows) - 1 - len(good)
    if broken:
        warnings.warn(f"发送记录 {path.name} 里有 {broken} 行不完整（写到一半时程序中断了），已跳过："
                      "那一行的收件人算作“结果不明”或未发送。", stacklevel=3)
    table = restore_formulas(pd.DataFrame(good, columns=list(RECORD_COLUMNS)))
    return table[table["campaign"] == campaign]


def _last_status(table: pd.DataFrame) -> pd.Series:
    """每位收件人在记录里的最后一个状态（以客户编号为索引）。"""
    if table.empty:
        return pd.Series(dtype=object)
    return table.groupby("customer_id", sort=False)["status"].last()


def _append_record(path: Path, row: dict) -> None:
    """发送记录只追加：每写一行就 flush 并 fsync 到磁盘，断电或被强行关掉也不会丢已经写下的行。"""
    new = not path.exists() or path.stat().st_size == 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8-sig" if new else "utf-8", newline="") as f:
        if not new and path.stat().st_size and not path.read_bytes().endswith(b"\n"):
            f.write("\n")                              # 上次断在半行：另起一行，不把两行粘在一起
        write_csv(pd.DataFrame([row], columns=list(RECORD_COLUMNS)), f, index=False, header=new)
        f.flush()
        os.fsync(f.fileno())

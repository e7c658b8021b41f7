"""邮件营销：把一封营销邮件写成 HTML（文字 + 商品图片 + 购买链接），并去掉不能发邮件的客户。

图片用 matplotlib 现画成 PNG，再以 data: 地址直接嵌进 HTML，所以不需要任何图片文件。
这里只负责“邮件长什么样”和“发给谁”；写成真正的邮件（MIME、.eml 文件）和用 SMTP 发送
见 helpers.campaigns.EmailCampaign。

模块叫 mail 而不叫 email：Python 自带一个 email 包（写 MIME 邮件用的），同名的文件会让人分不清
``import email`` 拿到的是哪一个，在 helpers 文件夹里运行脚本时还会把自带的 email 挡住、让 smtplib 出错。

用法::

    from helpers.mail import email_recipients, product_image, render_email
    recipients, excluded = email_recipients(audience)
    html = render_email(recipients.iloc[0], "端午特惠", ["……"], "买3送1BCCJ天然蜂胶胶囊",
                        99, "https://shop.example.com/item/1", image=product_image("蜂胶胶囊", "120粒装"))
"""
from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import pandas as pd

from .fonts import PALETTE, SHIPPED_FONT
from .money import parse_yuan
from .privacy import mask_email
from .validation import checked

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}


@checked
def email_recipients(audience: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """去掉已退订营销邮件和没有留邮箱的客户，返回 (能发送的客户, 被排除的人数)。

    参数
    ----
    audience : 目标客户（Segment.select 的结果），需要 email 和 email_opt_out 两列。

    被排除的人数是一个字典：{"已退订": n, "没有邮箱": n}；既退订又没邮箱的客户算在“已退订”里，
    退订标记是空值的客户也算已退订（没有同意就不发）。
    """
    missing = [c for c in ("email", "email_opt_out") if c not in audience.columns]
    if missing:
        raise ValueError(f"目标客户表缺少 {'、'.join(missing)} 列：请用带客户表的汇总（shop.summary()）来选人。")
    from .sms import opt_out_flags

    opted_out = opt_out_flags(audience["email_opt_out"], "email_opt_out")    # 空值当作已退订：没有同意就不发
    text = audience["email"].astype("string").str.strip()
    no_email = (text.isna() | (text == "")).fillna(True).astype(bool)
    keep = audience[~opted_out & ~no_email]
    return keep, {"已退订": int(opted_out.sum()), "没有邮箱": int((no_email & ~opted_out).sum())}


@checked
def product_image(label: str, sublabel: str = "", color: str = PALETTE[1], width: float = 2.4,
                  height: float = 3.0) -> bytes:
    """画一张简单的商品图：一瓶胶囊（瓶身、瓶盖、中文标签）和瓶前的几粒胶囊，返回 PNG 字节。

    参数
    ----
    label : 标签上的商品名，例如 "蜂胶胶囊"；每行最多 5 个字，最多两行，更长的用“…”截断。
    sublabel : 标签下方的小字，例如 "120粒装"。
    color : 瓶身颜色。
    width, height : 图片大小（英寸，100 dpi，即默认 240 × 300 像素）。

    标签文字固定用工作簿自带的中文字体，所以任何电脑上画出的图都一样。
    """
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.patches import Ellipse, FancyBboxPatch, Rectangle

    label = str(label).strip()
    if not label:
        raise ValueError("商品图的 label（商品名）不能为空，例如 product_image(\"蜂胶胶囊\", \"120粒装\")。")
    lines = [label[i:i + 5] for i in range(0, len(label), 5)]
    if len(lines) > 2:
        lines = [lines[0], lines[1][:4] + "…"]
    font = FontProperties(fname=str(SHIPPED_FONT))

    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 12.5)
    ax.axis("off")
    ax.add_patch(Rectangle((0, 0), 10, 12.5, color="#FBF7EF"))                      # 背景
    ax.add_patch(Ellipse((5, 1.35), 8.2, 1.2, color="#E9E1D3"))                       # 影子
    ax.add_patch(FancyBboxPatch((2.2, 1.3), 5.6, 7.6, boxstyle="round,pad=0,rounding_size=0.9",
                                color=color))                                         # 瓶身
    ax.add_patch(Rectangle((3.3, 8.8), 3.4, 0.6, color="#D9D9D9"))                    # 瓶颈
    ax.add_patch(FancyBboxPatch((3.0, 9.35), 4.0, 1.7, boxstyle="round,pad=0,rounding_size=0.3",
                                color="#59504A"))                                     # 瓶盖
    ax.add_patch(Rectangle((2.2, 3.2), 5.6, 4.2, color="white"))                      # 标签
    top = 6.3 if len(lines) == 2 else 5.8
    for i, line in enumerate(lines):
        ax.text(5, top - i * 1.15, line, ha="center", va="center", fontproperties=font, fontsize=15,
                color="#3B3B3B")
    if sublabel:
        ax.text(5, 3.95, str(sublabel), ha="center", va="center", fontproperties=font, fontsize=10,
                color=color)
    for x, angle in ((1.4, 20), (8.3, -25), (7.2, 10)):                              # 瓶前的胶囊
        ax.add_patch(FancyBboxPatch((x - 0.6, 0.95), 1.2, 0.5, boxstyle="round,pad=0,rounding_size=0.25",
                                    color="#C8892B", transform=_rotate(ax, x, 1.2, angle)))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _rotate(ax, x: float, y: float, degrees: float):
    from matplotlib.transforms import Affine2D

    return Affine2D().rotate_deg_around(x, y, degrees) + ax.transData


@checked
def data_uri(image, mime: str | None = None) -> str:
    """把图片变成可以直接写进 HTML 的 data: 地址（base64 编码），邮件里就不需要另附图片文件。

    参数
    ----
    image : PNG 字节（例如 product_image(...) 的结果），或一个图片文件的路径（.png/.jpg/.gif）。
    mime : 图片类型；不填时按文件后缀或 PNG 文件头判断。
    """
    if isinstance(image, (str, Path)):
        path = Path(image)
        if not path.exists():
            raise ValueError(f"找不到图片文件 {path}。请检查路径，或不传 image 让工作簿自动画一张商品图。")
        mime = mime or _MIME.get(path.suffix.lower())
        if mime is None:
            raise ValueError(f"不支持的图片格式 {path.suffix}：请用 {'、'.join(_MIME)} 文件。")
        data = path.read_bytes()
    elif isinstance(image, (bytes, bytearray)):
        data = bytes(image)
        if mime is None:
            if not data.startswith(_PNG_MAGIC):
                raise ValueError("传入的图片字节不是 PNG：请同时传入 mime（例如 'image/jpeg'），或传图片文件路径。")
            mime = "image/png"
    else:
        raise ValueError(f"image 应是图片字节或文件路径，收到的是 {type(image).__name__}。")
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def _check_link(link, name: str) -> str:
    link = str(link).strip()
    if not link.lower().startswith(("https://", "http://")):
        raise ValueError(f"{name} 应以 https:// 或 http:// 开头，收到的是 {link!r}。")
    return html.escape(link, quote=True)


@checked
def render_email(customer, subject: str, paragraphs, product_title: str, price, link: str,
                 image=None, *, shop_name: str = "本店", original_price=None,
                 unsubscribe_link: str | None = None, header: bool = True,
                 image_src: str | None = None) -> str:
    """写一封营销邮件（HTML）：称呼、正文、商品图片、价格、购买按钮和退订说明。

    参数
    ----
    customer : 一位客户（汇总表的一行，含 nickname，最好还有 email），或直接给昵称文字。
    subject : 邮件主题。
    paragraphs : 正文，一段文字或若干段文字的列表。
    product_title : 商品标题（宝贝标题），写在图片旁边，也作图片的替代文字。
    price : 活动价（元），显示到分，例如 99 → “99.00 元”。
    link : 购买链接，以 https:// 或 http:// 开头。
    image : 商品图片：PNG 字节或图片文件路径；不填时用 product_image(product_title) 画一张。
    shop_name : 店铺名，写在发件人和页脚。
    original_price : 原价（元），给出时划线显示。
    unsubscribe_link : 退订链接；不填时提示“回复‘退订’”。
    header : True 时在最上面加“主题 / 发件人 / 收件人”一栏（在笔记本里预览用）；
             只要邮件正文时传 False。
    image_src : 直接写进 <img src=...> 的图片地址，例如 "cid:product-1"（真正发送的邮件把图片作为
                内嵌附件，用 cid: 引用）；不填时把图片编码成 data: 地址写进 HTML。

    返回一段 HTML 文字，所有客户和商品信息都已转义；可以用 IPython.display.HTML 显示。
    """
    if isinstance(customer, pd.Series):
        nickname = customer.get("nickname")
        email = customer.get("email")
    else:
        nickname, email = customer, None
    nickname = "亲" if nickname is None or pd.isna(nickname) or not str(nickname).strip() else str(nickname).strip()
    if isinstance(paragraphs, str):
        paragraphs = [paragraphs]
    paragraphs = [str(p).strip() for p in (paragraphs or []) if str(p).strip()]
    if not paragraphs:
        raise ValueError("邮件正文 paragraphs 不能为空：至少写一段文字。")
    if not str(subject).strip():
        raise ValueError("邮件主题 subject 不能为空。")
    if not str(shop_name).strip():
        raise ValueError("营销邮件必须写明发件的店铺，shop_name 不能为空。")
    esc = html.escape
    href = _check_link(link, "购买链接 link")
    if image_src is not None:
        src = html.escape(str(image_src).strip(), quote=True)
    else:
        src = data_uri(product_image(product_title) if image is None else image)
    was = (f" <s style='color:#999'>原价 {parse_yuan(original_price, 'original_price')} 元</s>"
           if original_price is not None else "")
    unsubscribe = (f"<a href='{_check_link(unsubscribe_link, '退订链接 unsubscribe_link')}'>点此退订</a>"
                   if unsubscribe_link else "回复“退订”即可")
    parts = ["<div style='max-width:560px;border:1px solid #DDD;border-radius:6px;"
             "font-family:\"Microsoft YaHei\",\"PingFang SC\",\"Noto Sans CJK SC\",sans-serif;"
             "color:#333;background:#FFF'>"]
    if header:
        to = "（无邮箱）" if email is None or pd.isna(email) else esc(str(mask_email(pd.Series([email])).iloc[0]))
        parts.append("<div style='background:#F4F4F4;padding:8px 16px;font-size:13px;line-height:1.7;"
                     "border-bottom:1px solid #DDD'>"
                     f"<b>主题：</b>{esc(str(subject).strip())}<br>"
                     f"<b>发件人：</b>{esc(str(shop_name).strip())}<br><b>收件人：</b>{to}</div>")
    parts.append("<div style='padding:12px 16px;line-height:1.7'>")
    parts.append(f"<p>{esc(nickname)}，您好：</p>")
    parts.extend(f"<p>{esc(p)}</p>" for p in paragraphs)
    parts.append(
        "<table style='border-collapse:collapse'><tr>"
        f"<td style='padding-right:16px'><img src='{src}' alt='{esc(str(product_title), quote=True)}' width='160'></td>"
        f"<td><div style='font-weight:bold'>{esc(str(product_title))}</div>"
        f"<div style='margin:6px 0'>活动价 <span style='color:{PALETTE[2]};font-size:1.5em;font-weight:bold'>"
        f"{parse_yuan(price, 'price')} 元</span>{was}</div>"
        f"<a href='{href}' style='display:inline-block;background:{PALETTE[2]};color:#FFF;padding:6px 18px;"
        "border-radius:4px;text-decoration:none'>立即抢购</a></td></tr></table>")
    parts.append("<p style='color:#999;font-size:12px;margin-top:16px'>这封邮件发给本店的老客户"
                 f"（发件店铺：{esc(str(shop_name).strip())}）。不想再收到此类邮件？{unsubscribe}。</p>")
    parts.append("</div></div>")
    return "".join(parts)

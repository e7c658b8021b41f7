"""邮件营销（helpers.mail）：排除退订和没邮箱的客户；邮件 HTML 有图片、价格、链接，且客户信息都已转义。"""
import base64
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.mail import data_uri, email_recipients, product_image, render_email

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def picture():
    return product_image("蜂胶胶囊", "120粒装")


@pytest.fixture
def audience():
    return pd.DataFrame({
        "nickname": ["小雨", "老王", None, "阿琳", "dd"],
        "email": ["xia***@163.com", "  ", "ab***@qq.com", None, "dd***@126.com"],
        "email_opt_out": [False, False, False, True, True],
    }, index=pd.Index(["A", "B", "C", "D", "E"], name="customer_id"))


def test_recipients_drop_opted_out_and_missing(audience):
    keep, excluded = email_recipients(audience)
    assert list(keep.index) == ["A", "C"]              # B 邮箱是空格，D 既退订又没邮箱，E 退订
    assert excluded == {"已退订": 2, "没有邮箱": 1}     # D 算在“已退订”里，不重复计
    assert len(keep) + sum(excluded.values()) == len(audience)


def test_recipients_need_columns(audience):
    with pytest.raises(ValueError, match="email_opt_out"):
        email_recipients(audience.drop(columns="email_opt_out"))


def test_product_image_is_png_and_reproducible(picture):
    assert picture.startswith(PNG)
    assert picture == product_image("蜂胶胶囊", "120粒装")           # 同样的输入，字节完全相同
    assert product_image("鱼油") != picture
    width, height = int.from_bytes(picture[16:20], "big"), int.from_bytes(picture[20:24], "big")
    assert (width, height) == (240, 300)
    with pytest.raises(ValueError, match="label"):
        product_image("  ")


def test_data_uri_from_bytes_and_file(picture, tmp_path):
    uri = data_uri(picture)
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]) == picture
    path = tmp_path / "瓶子.png"
    path.write_bytes(picture)
    assert data_uri(path) == uri
    with pytest.raises(ValueError, match="不是 PNG"):
        data_uri(b"GIF89a....")
    with pytest.raises(ValueError, match="找不到图片文件"):
        data_uri(tmp_path / "没有.png")
    bmp = tmp_path / "a.bmp"
    bmp.write_bytes(b"BM")
    with pytest.raises(ValueError, match="不支持的图片格式"):
        data_uri(bmp)
    with pytest.raises(ValueError, match="图片字节或文件路径"):
        data_uri(123)


def test_render_email_has_text_picture_price_and_link(audience, picture):
    page = render_email(audience.loc["A"], "端午节特惠", ["第一段", "第二段"], "买3送1BCCJ天然蜂胶胶囊", 99,
                        "https://shop.example.com/item/1?from=mail&x=1", image=picture, shop_name="保健品专卖",
                        original_price=128)
    assert "小雨，您好：" in page
    assert "<p>第一段</p><p>第二段</p>" in page
    assert "99.00 元" in page and "原价 128.00 元" in page
    assert "href='https://shop.example.com/item/1?from=mail&amp;x=1'" in page
    assert f"src='{data_uri(picture)}'" in page
    assert "<b>主题：</b>端午节特惠" in page and "<b>收件人：</b>xia***@163.com" in page
    assert "退订" in page and "保健品专卖" in page
    body = render_email("小雨", "端午节特惠", "正文", "蜂胶", 99, "https://shop.example.com", image=picture,
                        header=False)
    assert "主题" not in body and "小雨，您好：" in body


def test_render_email_escapes_everything(picture):
    page = render_email(pd.Series({"nickname": "<script>alert(1)</script>", "email": None}), "主题<b>",
                        ["a & b", "<img src=x onerror=1>"], "商品\"名'", 1.005, "https://x.example.com/?a=\"'><",
                        image=picture)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page and "a &amp; b" in page
    assert "主题&lt;b&gt;" in page
    assert "1.01 元" in page                      # 四舍五入到分
    assert "收件人：</b>（无邮箱）" in page
    # 属性值里不会出现未转义的引号
    assert not re.search(r"href='[^']*'[^ >]", page)


def test_default_picture_and_nameless_customer():
    page = render_email(pd.Series({"nickname": None}), "主题", "正文", "鱼油200粒装", 168, "http://shop.example.com")
    assert "亲，您好：" in page
    assert f"src='{data_uri(product_image('鱼油200粒装'))}'" in page


@pytest.mark.parametrize("kwargs, message", [
    (dict(paragraphs=[]), "正文"),
    (dict(paragraphs=["  "]), "正文"),
    (dict(subject=" "), "主题"),
    (dict(price=-1), "不小于 0"),
    (dict(price="九十九"), "金额数字"),
    (dict(link="javascript:alert(1)"), "https://"),
    (dict(link="shop.example.com"), "https://"),
    (dict(unsubscribe_link="ftp://x"), "退订链接"),
    (dict(shop_name=""), "shop_name"),
])
def test_bad_input_is_explained(kwargs, message, picture):
    args = dict(customer="小雨", subject="端午", paragraphs=["正文"], product_title="蜂胶", price=99,
                link="https://shop.example.com", image=picture)
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        render_email(**args)


def test_no_helpers_module_shares_a_name_with_the_standard_library():
    """邮件模块叫 helpers/mail.py：以前的 helpers/email.py 和 Python 自带的 email 同名，
    在 helpers 文件夹里运行脚本时会把自带的 email 挡住（smtplib、importlib.metadata 都要用它）。"""
    import sys

    import helpers

    root = Path(helpers.__file__).parent
    names = {p.stem for p in root.rglob("*.py") if p.stem != "__init__"}
    names |= {p.name for p in root.rglob("*") if p.is_dir() and (p / "__init__.py").exists()}
    assert "mail" in names and "email" in sys.stdlib_module_names
    clash = sorted(names & set(sys.stdlib_module_names))
    assert not clash, f"helpers 里这些模块和 Python 自带的模块同名：{clash}，请改名"

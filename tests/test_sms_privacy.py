import pandas as pd
import pytest

from helpers import mask_contacts, mask_email, mask_phone, show, sms_length, sms_parts, with_signature


@pytest.mark.parametrize("n, parts", [(0, 0), (1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4)])
def test_sms_parts_boundaries(n, parts):
    assert sms_parts("亲" * n) == parts


def test_textbook_sms_is_one_message():
    text = "亲,端午节特惠抢购中,只需99元即可抢购原价128元蜂胶胶囊一份,先到先得机不可失哦!"
    assert sms_length(text) == len(text) == 43
    full = with_signature(text, "保健品专卖")
    assert full.startswith("【保健品专卖】") and full.endswith("回T退订")
    assert sms_length(full) == 43 + 7 + 4
    assert sms_parts(full) == 1


def test_emoji_counts_twice():
    assert sms_length("好🎉") == 3


def test_signature_not_doubled_and_required():
    once = with_signature("【店】你好回T退订", "店")
    assert once == "【店】你好回T退订"
    with pytest.raises(ValueError, match="签名"):
        with_signature("你好", " ")
    with pytest.raises(ValueError, match="退订"):
        with_signature("你好", "店", opt_out="")


def test_sms_length_rejects_non_text():
    with pytest.raises(ValueError, match="sms_length\\(\\) 的参数 text 应是文字"):
        sms_length(None)


def test_masking():
    phones = pd.Series(["13812341234", "+8613812341234", "138****1234", None, "021-5555"])
    assert mask_phone(phones).tolist()[:3] == ["138****1234", "138****1234", "138****1234"]
    assert pd.isna(mask_phone(phones)[3])
    emails = pd.Series(["linxiao@163.com", "ab@qq.com", "lin***@163.com", None])
    out = mask_email(emails)
    assert out.tolist()[:3] == ["lin***@163.com", "ab***@qq.com", "lin***@163.com"]


def test_show_masks_without_touching_original(customers):
    before = customers.copy()
    shown = show(customers, n=3)
    assert len(shown) == 3
    assert shown.loc[0, "手机号"] == "138****5678" and shown.loc[0, "邮箱"] == "lin***@163.com"   # 中文表头
    pd.testing.assert_frame_equal(customers, before)
    assert mask_contacts(customers)["phone"].str.contains(r"^\d{11}$", na=False).sum() == 0

"""问题 11 §4：真实导出里各种写法的手机号都打码；短信名单认得同一个号码的不同写法、拒收无效号码、
退订标记缺失时不发、客户编号是数字时频率限制照样有效。"""
from __future__ import annotations

import pandas as pd

from helpers.columns import column_label
import pytest

from helpers import show
from helpers.campaigns import SmsCampaign
from helpers.export import export_excel
from helpers.privacy import mask_phone, normalize_phone
from helpers.sms import plan_sms

FORMATS = ["138 0013 8000", "138-0013-8001", "+86 138 0013 8002", "(+86)13800138003", 13800138004.0,
           "13800138005.0", "008613800138006", "86-138-0013-8007"]


@pytest.mark.parametrize("raw", FORMATS)
def test_every_real_world_format_is_masked(raw):
    digits = str(raw).replace(".0", "")[-4:]
    assert mask_phone(pd.Series([raw])).iloc[0] == f"138****{digits}"
    assert normalize_phone(pd.Series([raw])).iloc[0].startswith("138001380")


@pytest.mark.parametrize("column", ["phone", "手机号", "联系手机", "mobile", "Mobile Phone", "收货人电话"])
def test_phone_columns_by_name_are_masked_in_show_and_export(column, tmp_path):
    df = pd.DataFrame({"customer_id": ["A", "B"], column: ["138 0013 8000", 13900139000.0]})
    shown = show(df)
    assert shown[column_label(column)].tolist() == ["138****8000", "139****9000"]     # phone 显示为“手机号”
    back = pd.read_excel(export_excel(df, tmp_path / "x.xlsx"), dtype=str)
    assert not back.apply(lambda c: c.str.contains("13800138000|13900139000|0013 8000")).any().any()


def test_phones_and_emails_inside_other_text_are_masked():
    df = pd.DataFrame({"备注": ["请打 138-0013-8000 联系", "邮箱 linxiao@163.com", "无"],
                       "联系方式": [13800138000, 13900139000, 13700137000]})
    shown = show(df)
    assert shown["备注"].tolist() == ["请打 138****8000 联系", "邮箱 lin***@163.com", "无"]
    assert shown["联系方式"].tolist() == ["138****8000", "139****9000", "137****7000"]
    assert df["备注"].iloc[0] == "请打 138-0013-8000 联系"                   # 原表不变


@pytest.fixture
def audience():
    return pd.DataFrame({
        "nickname": ["甲", "乙", "丙", "丁", "戊", "己"],
        "phone": ["138 0013 8000", "+86-138-0013-8000", "abc", "12345678901", "13900139000", "13700137000"],
        "sms_opt_out": [False, False, False, False, None, False],
    }, index=pd.Index([101, 102, 103, 104, 105, 106], name="customer_id"))


def test_sms_campaign_refuses_invalid_phones_by_row_and_merges_formats(audience):
    sms = SmsCampaign(audience, "{昵称}您好", "青禾茶舍", send_date="2024-07-01")
    assert sms.excluded["手机号无效"] == 2 and sms.excluded["手机号重复"] == 1
    assert sms.invalid_phones["customer_id"].tolist() == ["103", "104"]
    assert "abc" not in sms.send_list()["手机号"].tolist()
    assert sms.send_list()["手机号"].tolist() == ["13800138000", "13700137000"]    # 105 的退订标记缺失：不发
    assert sms.excluded["已退订"] == 1
    assert sum(sms.excluded.values()) + sms.recipients == len(audience)


def test_missing_opt_out_flag_is_not_consent_and_words_are_read():
    df = pd.DataFrame({"phone": ["13800138000"] * 5, "nickname": list("abcde"),
                       "sms_opt_out": [None, "是", "否", "", "0"]})
    plan = plan_sms(df, "你好", "店")
    assert plan.recipients == 2 and plan.excluded["已退订"] == 3
    with pytest.raises(ValueError, match="sms_opt_out 列有认不出的退订标记"):
        plan_sms(df.assign(sms_opt_out=["待定"] * 5), "你好", "店")


def test_frequency_cap_holds_for_integer_customer_ids(audience):
    log = pd.DataFrame({"customer_id": ["101", "106"], "send_date": ["2024-06-28", "2024-06-20"], "channel": "短信"})
    sms = SmsCampaign(audience, "{昵称}您好", "青禾茶舍", send_date="2024-07-01", send_log=log, cap_days=7)
    assert sms.excluded["7 天内发过营销短信"] == 1
    # 101 三天前收到过；102 是同一个号码的另一种写法，也不发；106 是 11 天前，可以发
    assert sms.send_list()["手机号"].tolist() == ["13700137000"]
    assert 101 not in sms.messages.index and 106 in sms.messages.index

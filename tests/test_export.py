import pandas as pd
import pytest

from helpers import customer_summary
from helpers.export import export_excel
from conftest import make_orders


def test_excel_has_chinese_headers_and_masked_phones(tmp_path, customers):
    summary = customer_summary(make_orders([("A", "2018-01-01", 100)]), customers=customers, as_of="2018-12-10")
    before = summary.copy()
    path = export_excel(summary, tmp_path / "分组.xlsx")
    back = pd.read_excel(path, dtype=str)
    assert list(back.columns[:3]) == ["客户编号", "订单总数", "订单总金额（元）"]
    assert back.loc[0, "手机号"] == "138****5678"
    assert back.loc[0, "邮箱"] == "lin***@163.com"
    pd.testing.assert_frame_equal(summary, before)


def test_never_overwrites_without_asking(tmp_path, customers):
    target = tmp_path / "mine.xlsx"
    target.write_bytes(b"student file")
    with pytest.raises(ValueError, match="已经存在"):
        export_excel(customers, target)
    assert target.read_bytes() == b"student file"
    with pytest.raises(ValueError, match=".xlsx"):
        export_excel(customers, tmp_path / "a.csv")

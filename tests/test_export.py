import pandas as pd
from pathlib import Path

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


def test_products_are_written_as_text(tmp_path):
    from helpers.export import to_chinese_columns
    orders = make_orders([("A", "2018-01-01", 100), ("A", "2018-02-01", 50), ("B", "2018-01-05", 10)])
    items = pd.DataFrame({"order_id": ["1", "2", "3"], "product": ["围巾", "大衣", "围巾"], "quantity": [1, 1, 1]})
    summary = customer_summary(orders, items, as_of="2018-12-10")
    out = to_chinese_columns(summary)
    # 商品按名称（字符编码）排序后用顿号连接
    assert out.set_index("客户编号")["买过的商品"].to_dict() == {"A": "围巾、大衣", "B": "围巾"}
    back = pd.read_excel(export_excel(summary, tmp_path / "x.xlsx"), dtype=str)
    assert back["买过的商品"].tolist() == out["买过的商品"].tolist()


# ---- outputs/：课程笔记本写出的文件放在仓库根目录的一个文件夹 ----
def test_output_path_is_under_the_repository_outputs_folder(tmp_path, monkeypatch):
    from helpers.export import output_path, outputs_dir

    monkeypatch.delenv("CRM_OUTPUTS", raising=False)
    assert outputs_dir() == Path(__file__).resolve().parents[1] / "outputs"
    monkeypatch.setenv("CRM_OUTPUTS", str(tmp_path / "out"))
    path = output_path("会员卡/VIP1_普通会员.png")
    assert path == tmp_path / "out" / "会员卡" / "VIP1_普通会员.png" and path.parent.is_dir()
    folder = output_path("13_邮件/")
    assert folder.is_dir()
    for bad in ("../x.csv", "/etc/passwd", "", "a/../../b"):
        with pytest.raises(ValueError, match="outputs/ 里的文件名"):
            output_path(bad)


def test_lessons_write_their_files_only_through_output_path():
    import nbformat

    root = Path(__file__).resolve().parents[1]
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                assert '"outputs' not in cell.source and "'outputs" not in cell.source, \
                    f"{path.name}：写文件请用 output_path(...)，不要写相对路径 outputs/…（会写进 notebooks/）"

"""让笔记本正文里写的数字和 helpers 算出来的数字绑在一起，数据一变测试就会失败。

用法（在 tests/test_prose_*.py 里）::

    from prose import assert_prose
    def test_02():
        shop = load_shop("a_kids")
        n = len(Segment(...).select(shop.summary()))
        assert_prose("02_客户分组_母亲节.ipynb", f"共 {n} 位客户")

assert_prose 在笔记本的 Markdown 单元格里找这句话（忽略多余空白和 ** 加粗记号），
找不到就失败，并列出正文里相近的句子，方便对照修改。
"""
from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _clean(text: str) -> str:
    text = text.replace("**", "")
    return re.sub(r"\s+", " ", text)


@lru_cache(maxsize=None)
def markdown_text(notebook: str, folder: str = "notebooks") -> str:
    """笔记本里全部 Markdown 单元格的文字（去掉加粗记号、合并空白）。"""
    path = ROOT / folder / notebook
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return _clean("\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown"))


def assert_prose(notebook: str, phrase: str, folder: str = "notebooks") -> None:
    """断言笔记本正文里写着 phrase（通常含有用 helpers 现算出来的数字）。"""
    text = markdown_text(notebook, folder)
    wanted = _clean(phrase)
    if wanted in text:
        return
    sentences = re.split(r"(?<=[。；！？\n])", text)
    close = difflib.get_close_matches(wanted, sentences, n=3, cutoff=0.3)
    raise AssertionError(f"{notebook} 的正文里没有“{wanted}”。相近的句子：{close}")

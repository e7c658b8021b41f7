"""导出文件的字节 → 一块块 UTF-8 字节（每块约 16 MB，在换行处切开），以及编码的说明。

认得：UTF-8（带或不带 BOM）的字节直接用；GB18030/GBK 整块解码，夹在里面的 UTF-8 行（两份导出拼在一起）先用
numpy 找出可能的几行，再逐行确认——和一行一行地试（decode_export）结果相同，按 UTF-8 读的行逐行记下来；
UTF-16 和写明 encoding= 的文件整个解码。认不出编码时给出中文说明（不要叫人用 Excel 另存：长订单编号会被改坏）。
"""
from __future__ import annotations

import codecs
from pathlib import Path

import numpy as np

from ..validation import checked
from .progress import Progress

CHUNK_BYTES = 16 * 2**20
UTF8_NOTE = "这一行是 UTF-8 编码（文件其余部分是 GBK），已按 UTF-8 读取"
UTF16_LABEL = "UTF-16（Excel 的“Unicode 文本”）"

# 认不出编码时的建议：不能叫人“用 Excel 打开另存”——那样长订单编号会被改成科学计数法
ENCODING_HELP = ("认不出文件的编码：它既不是 UTF-8，也不是 GBK/GB18030。如果知道文件的编码，请传入 encoding=（例如 "
                 "encoding='big5'）；否则请从千牛重新导出。不要直接用 Excel 打开再保存（订单编号会被改成科学计数法）："
                 "要转换时，用 Excel“数据 → 自文本/CSV”或 WPS 的导入功能，把订单编号一列设为“文本”，再另存为“CSV UTF-8”。")


# ---------------------------------------------------------------------------
# 一、解码：GBK 里夹着的 UTF-8 行
# ---------------------------------------------------------------------------
@checked
def line_starts(data: bytes) -> np.ndarray:
    """每一行（按 \\n 分行）开头的位置；最后一行可以没有 \\n。"""
    a = np.frombuffer(data, dtype=np.uint8)
    starts = np.concatenate(([0], np.flatnonzero(a == 10) + 1))
    return starts[:-1] if starts[-1] == len(a) else starts


def _maybe_utf8(a: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """可能是 UTF-8 的非 ASCII 行（之后逐行确认）：UTF-8 里 ASCII 字节后面不会紧跟续字节（0x80–0xBF），
    GBK 的行里几乎总有（逗号后面的汉字），所以这些行一定不是 UTF-8。"""
    if not len(starts):
        return np.empty(0, dtype=np.int64)
    high = np.maximum.reduceat(a, starts) >= 0x80
    if not high.any():
        return np.empty(0, dtype=np.int64)
    bad = np.zeros(len(a), dtype=bool)
    bad[1:] = (a[:-1] < 0x80) & ((a[1:] & 0xC0) == 0x80)
    bad[0] = (a[0] & 0xC0) == 0x80
    return np.flatnonzero(high & ~np.maximum.reduceat(bad, starts))


def _decode_gbk(block: bytes, first_line: int, name: str) -> tuple[str, list]:
    """GBK 文件的一块（在 \\n 后切开）→ (文字, [(行号, 说明)])；能按 UTF-8 读的非 ASCII 行按 UTF-8 读。"""
    a = np.frombuffer(block, dtype=np.uint8)
    starts = line_starts(block)
    ends = np.append(starts[1:], len(a))
    parts, notes, pos = [], [], 0
    for i in _maybe_utf8(a, starts):
        end = int(ends[i])
        newline = block[end - 1:end] == b"\n"
        try:
            text = block[starts[i]:end - newline].decode("utf-8")
        except UnicodeDecodeError:
            continue
        parts.append(_gbk_part(block, pos, int(starts[i]), starts, first_line, name))
        parts.append(text + "\n" * newline)
        notes.append((first_line + int(i), UTF8_NOTE))
        pos = end
    parts.append(_gbk_part(block, pos, len(block), starts, first_line, name))
    return "".join(parts), notes


def _gbk_part(block: bytes, start: int, end: int, starts: np.ndarray, first_line: int, name: str) -> str:
    try:
        return block[start:end].decode("gb18030")
    except UnicodeDecodeError as exc:
        line = first_line + int(np.searchsorted(starts, start + exc.start, side="right")) - 1
        raise ValueError(f"{name} 第 {line} 行既不是 UTF-8 也不是 GBK 编码。{ENCODING_HELP}") from None


@checked
def decode_export(raw: bytes, name: str = "文件") -> tuple[str, str, list]:
    """把导出文件的字节解码成文字，返回 (文字, 编码说明, [(物理行号, 说明)])。

    认得：UTF-8（带或不带 BOM）、UTF-16、GB18030/GBK；以 UTF-8 的 BOM 开头、内容却是 GBK 的文件；
    GBK 文件里夹着几行 UTF-8（例如两份导出拼在一起）——这几行按 UTF-8 读，并逐行记下来，
    不会把“茶友”读成“鑼跺弸”这样的乱码。
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_utf16(raw, name), UTF16_LABEL, []
    bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[len(codecs.BOM_UTF8):] if bom else raw
    try:
        return body.decode("utf-8"), ("UTF-8（带 BOM）" if bom else "UTF-8"), []
    except UnicodeDecodeError:
        pass
    text, notes = _decode_gbk(body, 1, name)
    return text, _gbk_label(bom, notes), notes


def _gbk_label(bom: bool, notes: list) -> str:
    return "GB18030/GBK" + ("（开头有 UTF-8 的 BOM）" if bom else "") + (f"，其中 {len(notes)} 行是 UTF-8" if notes else "")


def _decode_utf16(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-16")
    except UnicodeDecodeError:
        raise ValueError(f"{name} 以 UTF-16 的标记开头，内容却不是 UTF-16。{ENCODING_HELP}") from None


# ---------------------------------------------------------------------------
# 二、按块读：一块块 UTF-8 字节，每块在 \n 之后切开
# ---------------------------------------------------------------------------
@checked
class Chunks:
    """把文件变成一块块 UTF-8 字节（blocks，按需解码）；label 是编码说明，notes 是按 UTF-8 读的行 [(行号, 说明)]。"""

    def __init__(self, path: Path, encoding: str | None, progress: Progress | None):
        self.path, self.name, self.progress = path, path.name, progress
        self.notes: list = []
        self.size = max(path.stat().st_size, 1)
        with open(path, "rb") as f:
            start = f.read(4)
        self.bom = start.startswith(codecs.BOM_UTF8)
        if encoding:
            raw = path.read_bytes()
            try:
                self.text = raw.decode(encoding)
            except (UnicodeDecodeError, LookupError) as exc:
                raise ValueError(f"无法按 {encoding} 读取 {path.name}：{exc}。"
                                 "不写 encoding= 时工作簿会自动识别编码。") from None
            self.mode, self.label = "text", encoding
        elif start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            self.text, self.mode, self.label = _decode_utf16(path.read_bytes(), path.name), "text", UTF16_LABEL
        elif self._is_utf8():
            self.mode, self.label = "utf8", "UTF-8（带 BOM）" if self.bom else "UTF-8"
        else:
            self.mode, self.label = "gbk", ""
        self.blocks = self._blocks()

    def _is_utf8(self) -> bool:
        decoder = codecs.getincrementaldecoder("utf-8")()
        with open(self.path, "rb") as f:
            f.seek(3 if self.bom else 0)
            try:
                while data := f.read(CHUNK_BYTES):
                    decoder.decode(data)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return False
        return True

    def _blocks(self):
        """依次给出 (UTF-8 字节, 这一块第一行的行号)；第一块去掉开头的 BOM。"""
        first, line = True, 1
        for block, fraction in (self._text_blocks() if self.mode == "text" else self._raw_blocks()):
            if self.mode == "gbk":
                text, notes = _decode_gbk(block, line, self.name)
                self.notes += notes
                block = text.encode("utf-8")
            if first:
                while block.startswith(codecs.BOM_UTF8):
                    block = block[len(codecs.BOM_UTF8):]
                first = False
            yield block
            if self.mode == "gbk":                       # 行号只用来记下按 UTF-8 读的行
                line += block.count(b"\n")
            if self.progress is not None:
                self.progress.update(fraction)
        if self.mode == "gbk":
            self.label = _gbk_label(self.bom, self.notes)

    def _raw_blocks(self):
        with open(self.path, "rb") as f:
            f.seek(3 if self.bom else 0)
            rest = b""
            while True:
                data = f.read(CHUNK_BYTES)
                if not data:
                    if rest:
                        yield rest, 1.0
                    return
                data = rest + data if rest else data
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    rest = data
                    continue
                rest = data[cut:]
                yield data[:cut], min(f.tell() / self.size, 1.0)

    def _text_blocks(self):
        text, pos = self.text, 0
        self.text = None
        step = CHUNK_BYTES // 2
        while pos < len(text):
            end = text.find("\n", pos + step)
            end = len(text) if end < 0 else end + 1
            yield text[pos:end].encode("utf-8", errors="surrogatepass"), end / len(text)
            pos = end

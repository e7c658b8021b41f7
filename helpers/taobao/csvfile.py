"""读 CSV 导出文件：把一行行切成格子，整列在 Arrow 里清理（50 万行的导出几秒读完）。字节怎么变成文字见 decoding。

读出的格子和 Python 的 csv 模块逐格相同：
- 一行里没有以引号开头的格子（行首不是 "，也没有“分隔符+引号”）、行中间也没有单独的 \\r 时，csv 模块读出的
  格子正好是按分隔符切开的结果——千牛的 ="…" 格子也是这样（引号不在格子开头，只是普通的字符）。
  这样的行（几乎所有行）整块交给 Arrow 切开、去空白、去 ="…"；
- 其余的行（留言里有逗号、引号或换行而加了引号的格子……）照旧交给 csv 模块，一条记录可以跨几行、跨块。
行号（和 Excel 左边的行号一致）、空行、格子数不对的行、按 UTF-8 读的行，都和逐行用 csv 模块读时一样。
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..validation import checked
from .decoding import UTF8_NOTE, Chunks, line_starts
from .progress import Progress
from .report import SKIPPED


def _find_all(data: bytes, text: bytes) -> list:
    """text 在 data 里每一次出现的位置（出现的次数很少：只有加了引号的格子）。"""
    found, at = [], data.find(text)
    while at >= 0:
        found.append(at)
        at = data.find(text, at + 1)
    return found


class _Chunk:
    """一块 UTF-8 字节：每行的位置、要交给 csv 模块的行（complex）、整块的行（Arrow，行尾的 \\r\\n 留着）。"""

    def __init__(self, data: bytes, first: int, delimiter: str):
        self.data, self.first = data, first                        # first：这一块第一行在文件里的序号（从 0 起）
        a = np.frombuffer(data, dtype=np.uint8)
        self.starts = line_starts(data)
        self.n = len(self.starts)
        offsets = np.append(self.starts, len(a))
        kind = pa.string() if len(a) < 2**31 else pa.large_string()
        offsets = offsets.astype(np.int32 if kind == pa.string() else np.int64)
        self.lines = pa.Array.from_buffers(kind, self.n, [None, pa.py_buffer(offsets), pa.py_buffer(data)])
        marks = _find_all(data, (delimiter + '"').encode())                          # 分隔符后面紧跟引号
        newlines = self.starts[1:] - 1 if not data.endswith(b"\n") else np.append(self.starts[1:] - 1, len(a) - 1)
        crlf = int(np.count_nonzero(a[newlines[newlines >= 1] - 1] == 13))          # \r\n 的个数
        if data.count(b"\r") != crlf:                                               # 有不在 \r\n 里的 \r
            cr = np.flatnonzero(a == 13)
            marks += cr[(cr + 1 >= len(a)) | (a[np.minimum(cr + 1, len(a) - 1)] != 10)].tolist()
        complex_lines = np.searchsorted(self.starts, np.asarray(marks, dtype=np.int64), side="right") - 1
        if self.n:
            complex_lines = np.concatenate((complex_lines, np.flatnonzero(a[self.starts] == 34)))
        self.complex = np.unique(complex_lines)

    def text(self, i: int) -> str:
        end = self.starts[i + 1] if i + 1 < self.n else len(self.data)
        return self.data[self.starts[i]:end].decode("utf-8")


class _Feed:
    """把一行行文字依次交给 csv 模块（它要一行取一行），需要时读下一块；记住读到了哪一块的哪一行。"""

    def __init__(self, chunks: Chunks):
        self.source = chunks.blocks
        self.chunk: _Chunk | None = None
        self.pos = 0
        self.pending: list = []
        self.lines_before = 0
        self.last_line = -1                      # 最近交出去的一行在文件里的序号（从 0 起）
        self.delimiter = None
        if not self.load():
            self.delimiter = ","

    def load(self) -> bool:
        data = next(self.source, None)
        if data is None:
            return False
        if self.delimiter is None:                  # 第一行里制表符比逗号多：制表符分隔
            first = data.split(b"\n", 1)[0].decode("utf-8")
            self.delimiter = "\t" if first.count("\t") > first.count(",") else ","
        if self.chunk is not None:
            self.lines_before += self.chunk.n
        self.chunk, self.pos = _Chunk(data, self.lines_before, self.delimiter), 0
        return True

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.pending:
            return self.pending.pop(0)
        while self.chunk is None or self.pos >= self.chunk.n:
            if not self.load():
                raise StopIteration
        text = self.chunk.text(self.pos)
        self.last_line = self.chunk.first + self.pos
        self.pos += 1
        if "\r" in text.rstrip("\n")[:-1] or text.endswith("\r"):    # 行中间有单独的 \r：按 csv 模块的读法分开
            pieces = io.StringIO(text, newline="").readlines()
            self.pending = pieces[1:]
            return pieces[0]
        return text

    def drain(self) -> None:
        """把剩下的块都解码一遍（编码有问题时在这里报错，和以前先解码整个文件一样）。"""
        for _ in self.source:
            pass


# ---------------------------------------------------------------------------
# 三、切成格子、清理（整列在 Arrow 里做）
# ---------------------------------------------------------------------------
def _clean_cells(cells: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """去掉首尾空白、千牛的 ="…" 和开头的单引号；另返回“去掉空白后是空的”格子。"""
    text = pc.utf8_trim_whitespace(cells)
    blank = pc.equal(pc.binary_length(text), 0).to_numpy(zero_copy_only=False)
    changed = False
    quoted = pc.starts_with(text, '="')
    if pc.any(quoted).as_py():          # 正则 ^="(.*)"$ 的替换（. 不含换行），不用正则逐格匹配：
        quoted = pc.and_(pc.and_(quoted, pc.ends_with(text, '"')),
                         pc.and_(pc.greater_equal(pc.binary_length(text), 3), pc.invert(pc.match_substring(text, "\n"))))
        text, changed = pc.if_else(quoted, pc.utf8_slice_codeunits(text, 2, -1), text), True
    quote = pc.starts_with(text, "'")
    if pc.any(quote).as_py():
        text, changed = pc.if_else(quote, pc.utf8_slice_codeunits(text, 1), text), True
    return (pc.utf8_trim_whitespace(text) if changed else text), blank


@checked
def clean_text(cells: list | pa.Array) -> list:
    """一列格子（文字的列表或 Arrow 数组）去掉首尾空白、千牛防止 Excel 改写长数字而加的 ="…" 和开头的单引号。"""
    if not isinstance(cells, (list, tuple, pa.Array)):
        raise ValueError(f"clean_text() 的参数 cells 应是一列格子（文字的列表或 Arrow 数组），收到的是 {type(cells).__name__}。")
    if not isinstance(cells, pa.Array):
        cells = pa.array([str(c) if c is not None else "" for c in cells], type=pa.string())
    return _clean_cells(cells)[0].to_pylist()


def _all_blank(flat: pa.Array, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """每一段格子（flat[starts[i]:starts[i]+lengths[i]]）是不是都是空白。"""
    if not len(starts):
        return np.zeros(0, dtype=bool)
    rows = np.repeat(np.arange(len(starts)), lengths)
    index = np.arange(len(rows)) - np.repeat(np.cumsum(lengths) - lengths, lengths) + np.repeat(starts, lengths)
    cells = flat.take(pa.array(index))
    blank = pc.or_(pc.equal(pc.binary_length(cells), 0), pc.utf8_is_space(cells)).to_numpy(zero_copy_only=False)
    return np.bincount(rows, weights=~blank, minlength=len(starts)) == 0


def _misfit(count: int, width: int) -> str:
    return f"这一行有 {count} 个格子，表头有 {width} 列（可能是地址或留言里的逗号、换行没有加引号）"


@checked
class CsvExport:
    """一个 CSV 导出文件：开头几条记录用 csv 模块读（找表头），表头以后的按块切成 Arrow 文本列（body）。

    path : 文件（只读不写）；encoding : 编码，不填时自动识别；progress : 读文件的进度。
    编码说明 label 在 body() 读完以后才最终确定（GBK 里夹着几行 UTF-8，要读完才知道有几行）。
    """

    def __init__(self, path: Path, encoding: str | None = None, progress: Progress | None = None):
        self.chunks = Chunks(Path(path), encoding, progress)
        self.feed = _Feed(self.chunks)
        self.reader = csv.reader(self.feed, delimiter=self.feed.delimiter)
        self.records: list = []                     # 已经读出的记录（表头和它前面的）
        self.spans: list = []                       # 每条记录占的行（第一行, 最后一行），文件里的行序号，从 0 起

    @property
    def label(self) -> str:
        return self.chunks.label

    def _read(self) -> list | None:
        try:
            return next(self.reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            raise ValueError(f"{self.chunks.name} 第 {self.feed.last_line + 1} 行附近读不下去（{exc}）："
                             "可能是一个格子的引号没有配对。请从千牛重新导出。") from None

    def _next_line(self) -> int:
        feed = self.feed
        if feed.pending or feed.chunk is None:
            return max(feed.last_line, 0)
        return feed.chunk.first + feed.pos if feed.pos < feed.chunk.n else feed.chunk.first + feed.chunk.n

    def head(self, count: int) -> list:
        """前 count 条记录（和 csv 模块读出的一样）。"""
        while len(self.records) < count:
            first = self._next_line()
            record = self._read()
            if record is None:
                break
            self.records.append(record)
            self.spans.append((first, self.feed.last_line))
        return self.records[:count]

    def first_filled(self) -> list:
        """第一条有内容的记录（说明缺列时列出文件里的列名）；找不到时是空列表。"""
        self.head(1)
        for record in self.records:
            if any(str(c).strip() for c in record):
                return record
        while (record := self._read()) is not None:
            if any(str(c).strip() for c in record):
                return record
        return []

    def drain(self) -> None:
        """把文件剩下的部分解码一遍：编码有问题时在这里报错（说明缺列之前，和以前先解码整个文件一样）。"""
        self.feed.drain()

    def body(self, start: int, width: int, keep: list | None = None) -> tuple[list, np.ndarray, list]:
        """第 start 条记录（表头）以后的全部记录 → (每列一个清理过的 Arrow 文本列, 每行的行号, 问题行)。

        行号和 Excel 左边的行号一致（第几条记录，一格里有换行也只算一行）；空行不要；
        格子数不对的行跳过并写进问题行；按 UTF-8 读的行照常保留，也写进问题行。
        keep 是要留下的列的位置（不填时每一列都留下）；不留的列不做清理，只用来判断空行和格子数。
        """
        self.width, self.numbers, self.problems = width, [], []
        self.keep = list(range(width)) if keep is None else list(keep)
        self.parts = [[] for _ in self.keep]
        self.noted = np.zeros(0, dtype=np.int64)
        rest = range(start + 1, len(self.records))
        self._add(None, None, None, None, [self.records[i] for i in rest], [i + 1 for i in rest],
                  [self.spans[i] for i in rest])
        count, feed = len(self.records), self.feed
        while True:
            if feed.pending:                                   # 上一条记录停在一行的中间（单独的 \r）
                line, records = feed.last_line, []
                while feed.pending:
                    records.append(self._read())
                self._add(None, None, None, None, records, list(range(count + 1, count + 1 + len(records))),
                          [(line, feed.last_line)] * len(records))
                count += len(records)
            chunk = feed.chunk
            if chunk is None or feed.pos >= chunk.n:
                if not feed.load():
                    break
                continue
            count = self._chunk(chunk, feed.pos, count)
        columns = []
        while self.parts:                  # 每列拼成一整块：之后按行挑选（take）时 Arrow 不用每次再拼
            part = self.parts.pop(0)
            columns.append(pa.concat_arrays(part) if part else pa.array([], type=pa.string()))
        numbers = np.concatenate(self.numbers) if self.numbers else np.zeros(0, dtype=np.int64)
        self.problems.sort(key=lambda p: p[1])
        return columns, numbers.astype(np.int64), self.problems

    def _chunk(self, chunk: _Chunk, first: int, count: int) -> int:
        """一块里从第 first 行起的记录：引号、单独 \r 的行交给 csv 模块，其余整块切开。返回读过的记录数。"""
        feed, regions = self.feed, []
        for line in chunk.complex[np.searchsorted(chunk.complex, first):]:
            if line < feed.pos:                                # 已经是上一条记录（跨行的留言）的一部分
                continue
            feed.pos = int(line)
            records = [self._read()]
            while feed.pending:
                records.append(self._read())
            moved = feed.chunk is not chunk                    # 一条记录跨到了下一块
            regions.append((int(line), chunk.n if moved else feed.pos, records,
                            (chunk.first + int(line), feed.last_line)))
            if moved:
                break
        else:
            feed.pos = chunk.n
        size = chunk.n - first
        simple, per_line = np.ones(size, dtype=bool), np.ones(size, dtype=np.int64)
        for line, end, records, _ in regions:
            simple[line - first:end - first] = False
            per_line[line - first:end - first] = 0
            per_line[line - first] = len(records)
        record_of = count + np.cumsum(per_line) - per_line       # 每行第一条记录的序号（从 0 起）
        others, numbers, spans = [], [], []
        for line, _, records, span in regions:
            k = int(record_of[line - first])
            others += records
            numbers += range(k + 1, k + 1 + len(records))
            spans += [span] * len(records)
        self._add(chunk.lines.slice(first, size), simple, record_of + 1, chunk.first + first + np.arange(size),
                  others, numbers, spans)
        return count + int(per_line.sum())

    def _noted(self) -> np.ndarray:
        """按 UTF-8 读的行（文件里的行序号，从 0 起，从小到大）；读到新的块时补上。"""
        notes = self.chunks.notes
        if len(notes) > len(self.noted):
            more = np.array([line - 1 for line, _ in notes[len(self.noted):]], dtype=np.int64)
            self.noted = np.concatenate((self.noted, more))
        return self.noted

    def _add(self, lines, simple, line_numbers, line_index, records: list, numbers: list, spans: list) -> None:
        """一批记录，按行号合在一起：lines 里 simple 选中的行整块切开（line_numbers 是每行的行号，line_index 是
        它在文件里的行序号），records 是 csv 模块读出的记录（numbers 行号，spans 占的行）。"""
        width, name = self.width, self.chunks.name
        columns, kept = [], np.zeros(0, dtype=np.int64)
        if lines is not None and len(lines):
            lists = pc.split_pattern(lines, pattern=self.feed.delimiter)
            counts = pc.list_value_length(lists).to_numpy(zero_copy_only=False).astype(np.int64)
            starts = lists.offsets.to_numpy().astype(np.int64)[:-1]
            flat = lists.values
            fits = (counts == width) & simple                  # 没选中的行（交给 csv 模块的）切出来的格子不用
            over = np.flatnonzero((counts > width) & simple)   # 行末多出来的空格子不算
            fits[over[_all_blank(flat, starts[over] + width, counts[over] - width)]] = True
            rows = np.flatnonzero(fits)
            filled = np.zeros(len(rows), dtype=bool)
            for j in self.keep:
                column, blank = _clean_cells(flat.take(pa.array(starts[rows] + j)))
                columns.append(column)
                filled |= ~blank
            if len(self.keep) < width and not filled.all():      # 留下的列都是空的行：再看不留的列
                maybe = np.flatnonzero(~filled)
                filled[maybe] = ~_all_blank(flat, starts[rows[maybe]], counts[rows[maybe]])
            if not filled.all():                                # 空行（每一格都是空白）不要
                mask = pa.array(filled)
                columns = [c.filter(mask) for c in columns]
            rows = rows[filled]
            kept = line_numbers[rows]
            misfit = np.flatnonzero(~fits & simple)
            misfit = misfit[~_all_blank(flat, starts[misfit], counts[misfit])]
            ids = _clean_cells(flat.take(pa.array(starts[misfit])))[0].to_pylist()
            self.problems += [(name, int(line_numbers[i]), ids[k], _misfit(int(counts[i]), width), SKIPPED)
                              for k, i in enumerate(misfit)]
            if len(self._noted()):
                noted = np.flatnonzero(np.isin(line_index[rows], self.noted))
                ids = _clean_cells(flat.take(pa.array(starts[rows[noted]])))[0].to_pylist()
                self.problems += [(name, int(kept[i]), ids[k], UTF8_NOTE, "按 UTF-8 读取") for k, i in enumerate(noted)]
        good, good_numbers = [], []
        noted = self._noted() if records else self.noted
        for record, number, (low, high) in zip(records, numbers, spans):
            if not any(str(c).strip() for c in record):
                continue
            if len(record) > width and not any(str(c).strip() for c in record[width:]):
                record = record[:width]
            if len(record) != width:
                first = clean_text([record[0] if record else ""])[0]
                self.problems.append((name, number, first, _misfit(len(record), width), SKIPPED))
                continue
            if np.searchsorted(noted, high, side="right") > np.searchsorted(noted, low):   # 有一行是按 UTF-8 读的
                self.problems.append((name, number, clean_text([record[0]])[0], UTF8_NOTE, "按 UTF-8 读取"))
            good.append(record)
            good_numbers.append(number)
        if good:
            extra = [_clean_cells(pa.array([r[j] for r in good], type=pa.string()))[0] for j in self.keep]
            if columns:
                order = pa.array(np.argsort(np.concatenate((kept, good_numbers)), kind="stable"))
                columns = [pa.concat_arrays([a.cast(pa.string()), b]).take(order) for a, b in zip(columns, extra)]
            else:
                columns = extra
            kept = np.sort(np.concatenate((kept, np.asarray(good_numbers, dtype=np.int64))))
        if len(kept):
            for part, column in zip(self.parts, columns):
                part.append(column if column.type == pa.string() else column.cast(pa.string()))
            self.numbers.append(kept)

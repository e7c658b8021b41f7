"""导入大文件时的进度条：导入超过 2 秒还没完成才出现（小文件不显示），用 tqdm.auto，在 Jupyter 里也能显示。

读文件、检查订单、整理客户几步各占进度条的一段；``Progress.part`` 给每一步一个自己的 0–1 进度。
什么时候出现由时钟决定（``clock``、``after`` 可以换，测试时用假的时钟，不用真的等）。
tqdm 只在真的要显示进度条时才导入。
"""
from __future__ import annotations

import time

from ..validation import checked

SHOW_AFTER = 2.0            # 秒：导入这么久还没完成，才显示进度条
BAR_FORMAT = "{desc}：{percentage:3.0f}%|{bar}| 已用 {elapsed}，预计还要 {remaining}"


@checked
class Progress:
    """一次导入的进度（0–1）。

    参数
    ----
    show : None（默认）导入超过 after 秒还没完成才显示进度条；True 一开始就显示；False 从不显示。
    description : 进度条前面的中文说明，例如 "读取订单导出文件"。
    after : 多少秒以后才显示；不填时用 SHOW_AFTER（2 秒）。
    clock : 取当前时刻（秒）的函数，默认 time.monotonic；测试时换成假的时钟。
    """

    def __init__(self, show: bool | None = None, description: str = "读取订单导出文件",
                 after: float | None = None, clock=None):
        if clock is not None and not callable(clock):
            raise ValueError("Progress() 的参数 clock 应是一个返回当前秒数的函数，例如 time.monotonic。")
        self.show = show
        self.description = description
        self.after = SHOW_AFTER if after is None else float(after)
        self.clock = clock or time.monotonic
        self.started = self.clock()
        self.done = 0.0
        self.bar = None
        self._root = self
        self._span = (0.0, 1.0)

    def part(self, start: float, end: float, description: str) -> Progress:
        """这一步占整条进度的 start–end 一段：返回的对象 update(0–1) 时，整条进度从 start 走到 end。"""
        child = Progress.__new__(Progress)
        child.__dict__.update(self.__dict__)
        child._root = self._root
        low, high = self._span
        child._span = (low + (high - low) * start, low + (high - low) * end)
        child.description = description
        child.update(0.0)
        return child

    def update(self, fraction: float) -> None:
        """这一步完成了 fraction（0–1）；进度只增不减。"""
        low, high = self._span
        root = self._root
        root._advance(low + (high - low) * min(max(float(fraction), 0.0), 1.0), self.description)

    def _advance(self, done: float, description: str) -> None:
        self.done = max(self.done, done)
        if self.bar is None:
            if self.show is False or (self.show is None and self.clock() - self.started < self.after):
                return
            from tqdm.auto import tqdm

            self.bar = tqdm(total=1000, desc=description, bar_format=BAR_FORMAT, dynamic_ncols=True)
        if description != self.bar.desc:
            self.bar.set_description_str(description, refresh=False)
        step = int(self.done * 1000) - self.bar.n
        if step > 0:
            self.bar.update(step)
        else:
            self.bar.refresh()

    def close(self) -> None:
        """导入完成（或出错停下）：进度条停在最后的位置，不再更新。"""
        root = self._root
        if root.bar is not None:
            root.bar.close()

"""所有课堂小部件的共同部分：基类 Widget 和表单里常用的小工具。

约定（见 docs/代码约定.md）：
- 每个小部件是 Widget 的子类，在 __init__ 里建好 ``self.widget``（一个 ipywidgets 容器），
  改动时调用 ``update()`` 只重算需要的部分；笔记本里直接写变量名就会显示 ``self.widget``。
- 每个小部件旁边都有一个普通函数能得到同样的结果（写在类的说明里），没有内核时也能看懂。
- 表单里的数字用 parse_number 读（空着 = 不限，填错给中文提示），错误用 error_html 显示。
"""
from __future__ import annotations

import html

from ..validation import checked

LABEL_STYLE = {"description_width": "initial"}


@checked
def error_html(message: str) -> str:
    """小部件里显示的一行红色中文错误。"""
    return f"<span style='color:#C0392B'>⚠ {html.escape(message)}</span>"


@checked
def parse_number(text: str, label: str, integer: bool = False):
    """表单里的数字：空着表示不限（返回 None）；填了非数字时给出说出“label”的中文 ValueError。"""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"“{label}”应填数字，现在是“{text}”。") from None
    if integer:
        if not value.is_integer():
            raise ValueError(f"“{label}”应填整数，现在是“{text}”。")
        return int(value)
    return value


class Widget:
    """所有小部件的基类：在笔记本里显示 .widget，update() 重算一次。"""

    widget = None

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

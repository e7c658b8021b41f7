"""各章练习的题目：每章一个模块（ch02.py、ch03.py……；demo.py 是演示和模板）。

每个章节模块提供：
- CHAPTER：章节编号，例如 "02"（与练习本元数据 crm_exercise.chapter 一致）；
- TITLE：章节标题；
- QUESTIONS：本章的题目（helpers.course.checks.Question 的列表）；
- setup(namespace)：练习本第一个代码单元格调用 ``q1, q2, q3 = ch02.setup(globals())``。
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from functools import lru_cache

__all__ = ["chapter_module_name", "load_chapter", "available_chapters", "normalize_chapter", "chapter_label",
           "shop", "summary"]


@lru_cache(maxsize=None)
def shop(name: str, today: str | None = None):
    """检查答案用的教学店铺（每个内核只加载一次，各章题目共用）；today 同 load_shop。"""
    from ...data import load_shop

    return load_shop(name, today=today)


@lru_cache(maxsize=None)
def summary(name: str):
    """检查答案用的客户汇总表（截至店铺的“今天”，每个内核只算一次）。"""
    return shop(name).summary()


def normalize_chapter(chapter) -> str:
    """把 2、"2"、"02"、"ch02" 都写成 "02"；"demo" 这样的名字原样保留。"""
    text = str(chapter).strip()
    match = re.fullmatch(r"(?:ch)?(\d{1,2})", text, flags=re.I)
    return f"{int(match.group(1)):02d}" if match else text


def chapter_label(chapter) -> str:
    """给人看的章节名：'02' → '第 02 章'，'demo' → '“demo”章节'。"""
    chapter = normalize_chapter(chapter)
    return f"第 {chapter} 章" if chapter.isdigit() else f"“{chapter}”章节"


def chapter_module_name(chapter) -> str:
    """章节编号对应的模块名：'02' → 'ch02'，'demo' → 'demo'。"""
    chapter = normalize_chapter(chapter)
    return f"ch{chapter}" if chapter.isdigit() else chapter


def _modules() -> list[str]:
    return [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]


def available_chapters() -> list[str]:
    """已经写好练习题目（模块里有 QUESTIONS）的章节编号。

    只有章节测试、没有练习的章节（例如 01：模块里只有填数题的计算）不算。
    """
    names = [n for n in _modules() if hasattr(importlib.import_module(f"{__name__}.{n}"), "QUESTIONS")]
    return sorted(n[2:] if re.fullmatch(r"ch\d\d", n) else n for n in names)


def load_chapter(chapter):
    """导入一章的题目模块；没有这一章、或这一章只有章节测试时给出中文 ValueError。"""
    name = chapter_module_name(chapter)
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or name not in _modules():
        have = "、".join(available_chapters()) or "（还没有）"
        raise ValueError(f"没有{chapter_label(chapter)}的练习题目。已有的章节：{have}。")
    module = importlib.import_module(f"{__name__}.{name}")     # 只导入这一章：别的章节出了问题也不受影响
    if not hasattr(module, "QUESTIONS"):
        have = "、".join(available_chapters()) or "（还没有）"
        raise ValueError(f"{chapter_label(chapter)}只有章节测试，没有练习题目。已有练习的章节：{have}。")
    return module

"""旧路径 helpers.quiz，只为已经发给学生的笔记本保留：它就是 helpers.course.quiz。

新写的笔记本请用 ``from helpers.course.quiz import quiz``。过渡期结束后删除本文件
（测试 tests/test_layout.py 检查两个路径得到同一个模块）。
"""
import importlib
import sys

sys.modules[__name__] = importlib.import_module("helpers.course.quiz")

"""旧路径 helpers.exercises，只为已经发给学生的笔记本保留：它就是 helpers.course.exercises。

``from helpers.exercises import ch02`` 和 ``import helpers.exercises.ch02`` 得到的都是
helpers.course.exercises.ch02 这同一个模块对象（不会把同一个文件导入两次），所以旧作业照样能批改。
新写的笔记本请用 ``from helpers.course.exercises import ch02``。过渡期结束后删除本目录
（测试 tests/test_layout.py 检查两个路径得到同一个模块）。
"""
import importlib
import importlib.abc
import importlib.util
import sys

_OLD = __name__                        # "helpers.exercises"
_NEW = "helpers.course.exercises"


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """把 helpers.exercises.X 的导入交给 helpers.course.exercises.X。"""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.startswith(_OLD + "."):
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return importlib.import_module(_NEW + spec.name[len(_OLD):])

    def exec_module(self, module):     # 模块已经在新路径下执行过
        pass


if not any(isinstance(f, _Alias) for f in sys.meta_path):
    sys.meta_path.insert(0, _Alias())

_package = importlib.import_module(_NEW)
sys.modules[_OLD] = _package

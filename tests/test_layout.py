"""helpers 的结构（docs/代码约定.md）：CRM 库和课程部分分开，模块小而各有说明，旧路径还能用。

- 库（helpers/ 下除 course/ 以外的模块）从不导入 helpers.course：依赖只有一个方向；
- 不导入别的模块的私有名字（以 _ 开头）；
- 每个库模块开头有说明文字，不超过约 500 行；
- import helpers 不导入绘图、小部件、SQL 等较重的库；只有 helpers/widgets/ 导入 ipywidgets，小部件都继承 widgets.base.Widget，
  _ipython_display_ 只写一次；
- 已经发给学生的笔记本里的 helpers.exercises.chNN、helpers.quiz 还是同一个模块，旧作业照样批改。
"""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import helpers

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "helpers"
LEGACY = {PACKAGE / "quiz.py", PACKAGE / "exercises" / "__init__.py"}   # 过渡期的旧路径
MAX_LINES = 520


def modules(where: Path = PACKAGE):
    """helpers 下的每个 .py 文件（不含字体构建脚本）。"""
    return sorted(p for p in where.rglob("*.py") if "fonts" not in p.parts and "__pycache__" not in p.parts)


def library_modules():
    return [p for p in modules() if "course" not in p.relative_to(PACKAGE).parts and p not in LEGACY]


def dotted(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path):
    """(被导入的模块全名, 导入的名字) 列表；相对导入换成全名。"""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = dotted(path) if path.name == "__init__.py" else dotted(path).rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found += [(base, alias.name) for alias in node.names]
    return found


@pytest.mark.parametrize("path", library_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_library_never_imports_the_course(path):
    bad = [m for m, name in imports(path)
           if m.startswith("helpers.course") or (m == "helpers" and name == "course")]
    assert not bad, f"{path.relative_to(ROOT)} 导入了课程部分 {bad}：库不能依赖 helpers.course"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_another_modules_private_names(path):
    private = [f"{m}.{name}" for m, name in imports(path)
               if m.startswith("helpers") and name and name.startswith("_") and name != "__version__"]
    assert not private, f"{path.relative_to(ROOT)} 导入了别的模块的私有名字：{private}（把它变成公开的，或搬到用它的地方）"


@pytest.mark.parametrize("path", library_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_library_modules_are_small_and_say_what_they_hold(path):
    text = path.read_text(encoding="utf-8")
    assert ast.get_docstring(ast.parse(text)), f"{path.relative_to(ROOT)} 开头缺少说明它放了什么的文字"
    lines = len(text.splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} 有 {lines} 行，超过约 500 行：按主题拆开"


@pytest.mark.parametrize("path", library_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_widgets_package_uses_ipywidgets(path):
    uses = any(m.split(".")[0] == "ipywidgets" for m, _ in imports(path))
    in_widgets = "widgets" in path.relative_to(PACKAGE).parts
    assert uses <= in_widgets, f"{path.relative_to(ROOT)} 导入了 ipywidgets：小部件放进 helpers/widgets/"


def test_every_widget_shares_the_one_base_class():
    from helpers import widgets
    from helpers.widgets.base import Widget

    classes = []
    for info in pkgutil.iter_modules(widgets.__path__):
        module = importlib.import_module(f"helpers.widgets.{info.name}")
        classes += [c for _, c in inspect.getmembers(module, inspect.isclass) if c.__module__ == module.__name__]
        assert "_ipython_display_" not in vars(module) or info.name == "base"
    widget_classes = [c for c in classes if c is not Widget and hasattr(c, "update")]
    assert widget_classes, "helpers/widgets/ 里没有找到小部件"
    for cls in widget_classes:
        assert issubclass(cls, Widget), f"{cls.__name__} 没有继承 widgets.base.Widget"
        assert "_ipython_display_" not in vars(cls), f"{cls.__name__} 又写了一遍 _ipython_display_"
    exported = set(widgets.__all__)
    for cls in widget_classes:
        assert cls.__name__ in exported, f"helpers.widgets 没有导出 {cls.__name__}"
        assert getattr(widgets, cls.__name__) is cls


# import helpers 和 load_shop 要快（issue 13：不超过 import pandas + 0.3 秒）：这些库在用到时才导入。
LAZY = ("ipywidgets", "matplotlib", "seaborn", "duckdb", "sqlglot", "tqdm", "openpyxl", "nbformat", "nbclient")


def test_heavy_libraries_are_not_imported_by_import_helpers():
    import json
    import subprocess
    import sys

    code = ("import json, sys, helpers; helpers.load_shop('a_kids'); "
            f"print(json.dumps([m for m in {LAZY!r} if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    loaded = json.loads(out.stdout)
    assert loaded == [], f"import helpers 与 load_shop 不应导入 {loaded}（用到时才导入）"


# ---------------------------------------------------------------------------
# 旧路径：已经发给学生的笔记本
# ---------------------------------------------------------------------------
def test_old_exercise_and_quiz_paths_are_the_same_modules():
    from helpers.course import quiz as new_quiz
    from helpers.course.exercises import ch02 as new_ch02
    from helpers.exercises import ch02 as old_ch02
    from helpers.quiz import quiz as old_quiz_function
    import helpers.course.exercises.ch07 as new_ch07
    import helpers.exercises.ch07 as old_ch07

    assert old_ch02 is new_ch02 and old_ch07 is new_ch07
    assert old_quiz_function is new_quiz.quiz
    assert old_ch02.QUESTIONS[0] is new_ch02.QUESTIONS[0]      # 同一个对象：没有把文件导入两次


def test_a_submission_with_the_old_import_lines_still_grades(tmp_path):
    import nbformat

    from helpers.course import grade as G

    nb = nbformat.read(ROOT / "tests" / "data" / "grading" / "demo_solution.ipynb", as_version=4)
    for cell in nb.cells:
        cell.source = cell.source.replace("helpers.course.exercises", "helpers.exercises") \
                                 .replace("helpers.course.quiz", "helpers.quiz")
    assert any("from helpers.exercises import demo" in c.source for c in nb.cells)
    del nb.metadata["crm_exercise"]                  # 章节只能从旧的 import 行认出来
    assert G.detect_chapter(nb) == "demo"
    folder = tmp_path / "作业"
    folder.mkdir()
    nbformat.write(nb, folder / "旧作业.ipynb")
    grades, _ = G.grade_folder(folder, chapter=None, timeout=120, jobs=1, echo=lambda *a, **k: None)
    row = grades.iloc[0]
    assert row["总分"] == row["满分"] > 0, row.to_dict()


def test_old_library_paths_in_handed_out_exercises_still_import():
    """旧练习本里的 import 行（第 04–07 章）照样能用，得到新位置上的同一个对象。"""
    from helpers.legacy import MOVED

    namespace: dict = {}
    exec("from helpers.members import (Coupon, GiftPack, check_gift_pack, first_purchase_followup, membership_card,\n"
         "    repurchase_rates, crowd_insight, crowd_metrics, membership_status, customer_layers, tier_table)\n"
         "from helpers.email import email_recipients, render_email", namespace)
    from helpers import followup, giftpack, mail, membership, rfm
    assert namespace["membership_status"] is membership.membership_status
    assert namespace["Coupon"] is giftpack.Coupon and namespace["customer_layers"] is rfm.customer_layers
    assert namespace["repurchase_rates"] is followup.first_order_return_rates       # 改了名字的也认得
    assert namespace["render_email"] is mail.render_email
    import importlib
    for old, names in MOVED.items():
        module = importlib.import_module(old)
        for name in names:
            if name != "*":
                assert getattr(module, name) is not None
    with pytest.raises(ImportError):
        exec("from helpers.members import no_such_name", {})

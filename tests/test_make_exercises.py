"""练习本由参考答案生成：答案换成占位、只给老师的单元格去掉、输出清空、每次生成的字节一样；
exercises/ 过期时 --check 失败并用中文列出文件。"""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "grading" / "demo_solution.ipynb"
_spec = importlib.util.spec_from_file_location("make_exercises", ROOT / "tools" / "make_exercises.py")
mx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mx)


# ---------------------------------------------------------------------------
# 代码里的 BEGIN/END SOLUTION
# ---------------------------------------------------------------------------
def test_block_with_answer_variable_keeps_name_equals_ellipsis():
    source = ("# 第 1 题\n# BEGIN SOLUTION\nsummary = load_shop('a_kids').summary()\n"
              "q1_group = Segment('x', min_orders=2).select(summary)\n# END SOLUTION\nq1.check()")
    assert mx.strip_code(source, "t") == "# 第 1 题\n# 在这里写你的代码\nq1_group = ...\nq1.check()"


def test_block_without_answer_variable_becomes_ellipsis_and_keeps_indentation():
    source = "def f(x):\n    # BEGIN SOLUTION\n    return x * 2\n    # END SOLUTION\n"
    assert mx.strip_code(source, "t") == "def f(x):\n    # 在这里写你的代码\n    ...\n"


def test_several_answer_variables_in_order_without_duplicates():
    source = ("### BEGIN SOLUTION\nq2_count, q2_share = 3, 0.5\nhelper = 1\nq2_count += 0\n"
              "q3: int = 4\n### END SOLUTION")
    assert mx.strip_code(source, "t") == "# 在这里写你的代码\nq2_count = ...\nq2_share = ...\nq3 = ...\n"[:-1]
    # if/else 里赋值的答案变量也保留；函数里的局部变量不算
    assert mx.answer_names(["if a:\n", "    q4_x = 1\n", "else:\n", "    q4_x = 2\n",
                            "def f():\n", "    q4_local = 3\n"]) == ["q4_x"]
    assert mx.answer_names(["q5_x = (\n"]) == ["q5_x"]            # 语法不完整时按行查找


@pytest.mark.parametrize("source, message", [
    ("# BEGIN SOLUTION\nx = 1\n", "第 1 行的 BEGIN SOLUTION 没有对应的 END SOLUTION"),
    ("x = 1\n# END SOLUTION\n", "第 2 行的 END SOLUTION 前面没有 BEGIN SOLUTION"),
    ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION\n", "第 2 行又出现 BEGIN SOLUTION"),
])
def test_marker_mistakes_are_explained(source, message):
    with pytest.raises(mx.MarkerError, match=message):
        mx.strip_code(source, "02.ipynb 第 3 个单元格")


# ---------------------------------------------------------------------------
# 整本笔记本
# ---------------------------------------------------------------------------
@pytest.fixture
def solution():
    nb = nbformat.read(FIXTURE, as_version=4)
    # 模拟一本运行过的参考答案：有输出、执行编号、计时元数据、小部件状态
    for n, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = n + 1
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="✔ 正确！\n")]
        cell.metadata["execution"] = {"iopub.status.busy": "2024-01-01T00:00:00"}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    return nb


def test_demo_solution_becomes_an_exercise(solution):
    ex = mx.make_exercise(solution, FIXTURE)
    code = [c.source for c in ex.cells if c.cell_type == "code"]
    assert len(ex.cells) == len(solution.cells) - 1                    # “# SOLUTION ONLY”单元格不进入练习本
    assert not any("SOLUTION" in c.source for c in ex.cells)
    assert "# 在这里写你的代码\nq1_group = ...\nq1.check()" in code
    assert "# 在这里写你的代码\nq2_parts = ...\nq2.check()" in code
    assert "# 在这里写你的代码\nq3_answer = ...\nq3.check()" in code
    assert not any("min_avg_order_value" in c or "sms_parts(短信)" in c for c in code)
    assert ex.cells[-1].source.endswith("两种读法各选出多少位客户？\n\n（在这里写下你的回答）")
    assert all(c.outputs == [] and c.execution_count is None and "execution" not in c.metadata
               for c in ex.cells if c.cell_type == "code")
    assert ex.metadata["crm_exercise"] == {"chapter": "demo"} and "widgets" not in ex.metadata
    assert solution.cells[5].outputs, "原来的参考答案对象不应被改动"


def test_chapter_is_inferred_when_metadata_is_missing(solution):
    del solution.metadata["crm_exercise"]
    assert mx.make_exercise(solution, Path("x.ipynb")).metadata["crm_exercise"] == {"chapter": "demo"}
    solution.cells = [c for c in solution.cells if "helpers.course.exercises" not in c.source]
    assert mx.make_exercise(solution, Path("05_店铺VIP会员.ipynb")).metadata["crm_exercise"] == {"chapter": "05"}


def test_tagged_cells_are_dropped_and_missing_ids_are_stable(solution):
    solution.cells[1].metadata["tags"] = ["solution_only"]
    solution.nbformat_minor = 5
    for cell in solution.cells:
        cell.pop("id", None)
    first = mx.make_exercise(solution, Path("02_x.ipynb"))
    second = mx.make_exercise(solution, Path("02_x.ipynb"))
    assert not any("学生姓名" in c.source for c in first.cells)
    assert [c.id for c in first.cells] == [c.id for c in second.cells]


def test_rendering_is_deterministic_and_ends_with_newline(solution):
    data = mx.render(mx.make_exercise(solution, FIXTURE))
    assert data == mx.render(mx.make_exercise(nbformat.reads(nbformat.writes(solution), as_version=4), FIXTURE))
    assert data.endswith(b"}\n") and "在这里写你的代码".encode() in data       # 中文不转义
    assert list(json.loads(data)) == sorted(json.loads(data))                   # 键排序


# ---------------------------------------------------------------------------
# 命令行：生成、未变化、--check
# ---------------------------------------------------------------------------
@pytest.fixture
def folders(tmp_path):
    solutions, exercises = tmp_path / "solutions", tmp_path / "exercises"
    solutions.mkdir()
    (solutions / "02_客户分组.ipynb").write_bytes(FIXTURE.read_bytes())
    return solutions, exercises


@pytest.fixture
def run(capsys):
    """在本进程里运行命令行入口（比起子进程快得多），返回 (退出码, 标准输出, 标准错误)。"""
    def call(*args):
        code = mx.main([str(a) for a in args])
        captured = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, captured.out, captured.err)
    return call


def test_cli_generates_then_check_passes_then_detects_stale(folders, run):
    solutions, exercises = folders
    out = exercises / "02_客户分组.ipynb"
    first = run("--solutions", solutions, "--exercises", exercises)
    assert first.returncode == 0 and "已生成" in first.stdout and out.exists()
    data = out.read_bytes()
    again = run("--solutions", solutions, "--exercises", exercises)
    assert "未变化" in again.stdout and out.read_bytes() == data
    assert run("--check", "--solutions", solutions, "--exercises", exercises).returncode == 0

    sol = solutions / "02_客户分组.ipynb"
    sol.write_text(sol.read_text(encoding="utf-8").replace("第 1 题（3 分）", "第 1 题（4 分）"), encoding="utf-8")
    stale = run("--check", "--solutions", solutions, "--exercises", exercises)
    assert stale.returncode == 1
    assert "练习本已过期，请运行 python tools/make_exercises.py 重新生成" in stale.stderr
    assert "02_客户分组.ipynb：与 solutions/ 里的参考答案不一致" in stale.stderr
    assert out.read_bytes() == data                                   # --check 从不改写文件


def test_check_reports_missing_and_orphan_exercises(folders):
    solutions, exercises = folders
    exercises.mkdir()
    (exercises / "09_旧练习.ipynb").write_text("{}", encoding="utf-8")
    problems = dict((p.name, why) for p, why in mx.stale(solutions, exercises))
    assert problems == {"02_客户分组.ipynb": "还没有生成", "09_旧练习.ipynb": "solutions/ 里没有同名的参考答案"}


def test_broken_markers_fail_with_chinese_message(folders, run):
    solutions, exercises = folders
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("# BEGIN SOLUTION\nq1 = 1")])
    nbformat.write(nb, solutions / "03_坏.ipynb")
    result = run("--solutions", solutions, "--exercises", exercises)
    assert result.returncode == 1
    assert "错误：03_坏.ipynb 第 1 个单元格：第 1 行的 BEGIN SOLUTION 没有对应的 END SOLUTION" in result.stderr


def test_repository_exercises_are_up_to_date():
    """exercises/ 必须与 solutions/ 一致：改了参考答案就要重新运行 tools/make_exercises.py。"""
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "make_exercises.py"), "--check"],
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr

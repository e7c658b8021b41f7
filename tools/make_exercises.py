"""由 solutions/ 里的参考答案生成 exercises/ 里的学生练习本（参考答案是唯一的来源）。

用法（在仓库根目录）::

    python tools/make_exercises.py            # 重新生成 exercises/（只改写有变化的文件）
    python tools/make_exercises.py --check    # 只检查：exercises/ 过期时列出文件并以 1 退出

参考答案里的标记：

- 代码单元格里 ``# BEGIN SOLUTION`` 与 ``# END SOLUTION`` 之间的代码换成
  ``# 在这里写你的代码``（保持缩进）；这段代码给答案变量赋值时（变量名以 q+数字 开头，
  例如 ``q1_group``），练习本保留 ``q1_group = ...``，这样没作答时检查会说“还没有作答”；
  没有答案变量时换成一行 ``...``。
- Markdown 单元格里 ``<!-- BEGIN SOLUTION -->`` 与 ``<!-- END SOLUTION -->`` 之间的文字换成
  “（在这里写下你的回答）”。
- 第一行是 ``# SOLUTION ONLY``（Markdown 里是 ``<!-- SOLUTION ONLY -->``）或带 ``solution_only``
  标签的单元格，整个不进入练习本。

生成的练习本：输出清空、执行编号清空，元数据保留 ``crm_exercise: {"chapter": "02"}``
（参考答案里没写时，从 ``from helpers.course.exercises import ch02`` 或文件名的两位数字推断）。
同样的参考答案每次生成的字节完全一样。
"""
from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import re
import sys
import textwrap
from pathlib import Path

import nbformat

from helpers.course.grade import SETUP_IMPORT

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = "# 在这里写你的代码"
MD_PLACEHOLDER = "（在这里写下你的回答）"
BEGIN = re.compile(r"^(\s*)#+\s*BEGIN SOLUTION\b")
END = re.compile(r"^\s*#+\s*END SOLUTION\b")
MD_BLOCK = re.compile(r"<!--\s*BEGIN SOLUTION\s*-->.*?<!--\s*END SOLUTION\s*-->", re.S)
SOLUTION_ONLY = re.compile(r"^\s*(#\s*SOLUTION ONLY|<!--\s*SOLUTION ONLY\s*-->)")
ANSWER_NAME = re.compile(r"^q\d+")
DROP_CELL_METADATA = ("execution", "collapsed", "scrolled")
DROP_NB_METADATA = ("widgets",)


class MarkerError(ValueError):
    """参考答案里的 BEGIN/END SOLUTION 标记写错了。"""


def answer_names(block: list[str]) -> list[str]:
    """一段参考代码里给答案变量（q1_group 这样以 q+数字 开头的名字）赋值的变量，按出现顺序。"""
    code = textwrap.dedent("".join(block))
    names: list[str] = []
    try:
        tree = ast.parse(code)
    except SyntaxError:
        found = re.findall(r"^\s*(q\d+\w*)\s*(?::[^=]+)?=(?!=)", code, flags=re.M)
    else:
        found = []

        def visit(nodes):
            for node in nodes:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                    continue          # 函数和类里面的变量不是答案
                targets = node.targets if isinstance(node, ast.Assign) else \
                    [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For)) else []
                for target in targets:
                    elts = target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]
                    found.extend(e.id for e in elts if isinstance(e, ast.Name))
                visit(ast.iter_child_nodes(node))

        visit(tree.body)
    for name in found:
        if ANSWER_NAME.match(name) and name not in names:
            names.append(name)
    return names


def strip_code(source: str, where: str) -> str:
    """把代码单元格里的参考答案换成练习用的占位。"""
    lines = source.splitlines(keepends=True)
    out: list[str] = []
    i = 0
    while i < len(lines):
        begin = BEGIN.match(lines[i])
        if END.match(lines[i]):
            raise MarkerError(f"{where}：第 {i + 1} 行的 END SOLUTION 前面没有 BEGIN SOLUTION。")
        if not begin:
            out.append(lines[i])
            i += 1
            continue
        indent = begin.group(1)
        j = i + 1
        while j < len(lines) and not END.match(lines[j]):
            if BEGIN.match(lines[j]):
                raise MarkerError(f"{where}：第 {j + 1} 行又出现 BEGIN SOLUTION（第 {i + 1} 行的还没有 END）。")
            j += 1
        if j == len(lines):
            raise MarkerError(f"{where}：第 {i + 1} 行的 BEGIN SOLUTION 没有对应的 END SOLUTION。")
        names = answer_names(lines[i + 1:j])
        out.append(f"{indent}{PLACEHOLDER}\n")
        out += [f"{indent}{name} = ...\n" for name in names] or [f"{indent}...\n"]
        i = j + 1
    text = "".join(out)
    return text[:-1] if text.endswith("\n") and not source.endswith("\n") else text


def chapter_of(nb, path: Path) -> str | None:
    """练习属于哪一章：元数据 → setup 的 import 行 → 文件名开头的两位数字。"""
    meta = nb.metadata.get("crm_exercise", {})
    if isinstance(meta, dict) and meta.get("chapter"):
        return str(meta["chapter"])
    for cell in nb.cells:
        if cell.cell_type == "code":
            match = SETUP_IMPORT.search(cell.source)
            if match:
                name = match.group(1) or match.group(2)
                return name[2:] if re.fullmatch(r"ch\d\d", name) else name
    match = re.match(r"(\d\d)_", path.name)
    return match.group(1) if match else None


def make_exercise(nb, path: Path = Path("solution.ipynb")):
    """由一本参考答案（NotebookNode）生成练习本（新的 NotebookNode，原对象不变）。"""
    nb = copy.deepcopy(nb)
    cells = []
    for index, cell in enumerate(nb.cells):
        where = f"{path.name} 第 {index + 1} 个单元格"
        if "solution_only" in cell.metadata.get("tags", []) or SOLUTION_ONLY.match(cell.source):
            continue
        if cell.cell_type == "code":
            cell.source = strip_code(cell.source, where)
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            cell.source = MD_BLOCK.sub(MD_PLACEHOLDER, cell.source)
            if re.search(r"<!--\s*(BEGIN|END) SOLUTION", cell.source):
                raise MarkerError(f"{where}：Markdown 里的 BEGIN/END SOLUTION 没有成对出现。")
        for key in DROP_CELL_METADATA:
            cell.metadata.pop(key, None)
        if "tags" in cell.metadata and not cell.metadata["tags"]:
            del cell.metadata["tags"]
        if nb.nbformat_minor >= 5 and not cell.get("id"):
            # 固定的单元格编号：nbformat 自动补的是随机编号，会让每次生成的文件都不一样。
            cell["id"] = hashlib.sha1(f"{path.name}:{index}".encode()).hexdigest()[:8]
        cells.append(cell)
    nb.cells = cells
    for key in DROP_NB_METADATA:
        nb.metadata.pop(key, None)
    chapter = chapter_of(nb, path)
    if chapter:
        nb.metadata["crm_exercise"] = {**nb.metadata.get("crm_exercise", {}), "chapter": chapter}
    return nb


def render(nb) -> bytes:
    """稳定的 JSON（键排序、缩进 1、中文不转义、末尾换行）。"""
    text = nbformat.writes(nb, version=4)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def build(solutions: Path, exercises: Path) -> dict[Path, bytes]:
    """每本参考答案对应的练习本内容：{练习本路径: 字节}。"""
    result = {}
    for path in sorted(solutions.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        result[exercises / path.name] = render(make_exercise(nb, path))
    return result


def stale(solutions: Path, exercises: Path) -> list[tuple[Path, str]]:
    """过期的练习本：[(路径, 原因)]。"""
    wanted = build(solutions, exercises)
    problems = []
    for path, data in wanted.items():
        if not path.exists():
            problems.append((path, "还没有生成"))
        elif path.read_bytes() != data:
            problems.append((path, "与 solutions/ 里的参考答案不一致"))
    if exercises.is_dir():
        for path in sorted(exercises.glob("*.ipynb")):
            if path not in wanted:
                problems.append((path, "solutions/ 里没有同名的参考答案"))
    return problems


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="由 solutions/ 生成 exercises/ 里的学生练习本。")
    parser.add_argument("--check", action="store_true", help="只检查 exercises/ 是否最新，过期时以 1 退出")
    parser.add_argument("--solutions", type=Path, default=ROOT / "solutions", help="参考答案文件夹")
    parser.add_argument("--exercises", type=Path, default=ROOT / "exercises", help="练习本文件夹")
    args = parser.parse_args(argv)
    if not args.solutions.is_dir():
        print(f"错误：找不到参考答案文件夹 {args.solutions}。", file=sys.stderr)
        return 2
    try:
        if args.check:
            problems = stale(args.solutions, args.exercises)
            if problems:
                print("练习本已过期，请运行 python tools/make_exercises.py 重新生成：", file=sys.stderr)
                for path, why in problems:
                    print(f"  {_rel(path)}：{why}", file=sys.stderr)
                return 1
            print(f"exercises/ 是最新的（{len(list(args.solutions.glob('*.ipynb')))} 本练习）。")
            return 0
        wanted = build(args.solutions, args.exercises)
    except MarkerError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    if not wanted:
        print(f"{_rel(args.solutions)} 里还没有笔记本，没有要生成的练习本。")
    args.exercises.mkdir(parents=True, exist_ok=True)
    for path, data in wanted.items():
        if path.exists() and path.read_bytes() == data:
            print(f"未变化：{_rel(path)}")
            continue
        path.write_bytes(data)
        print(f"已生成：{_rel(path)}")
    for path in sorted(args.exercises.glob("*.ipynb")):
        if path not in wanted:
            print(f"注意：{_rel(path)} 在 solutions/ 里没有同名的参考答案（没有删除它）。", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

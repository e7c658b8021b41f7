"""问题 11 §1：学生刷不了分，老师不会误读成绩表。

一次批改（在一份复制出来的 helpers 和数据上，攻击改坏的只是这份复制品）里放进这些作业：
- 在内核里替换判分函数、Question 类、比较函数，再把答案留空：仍然 0 分；
- 伪造结果文件和答案文件、往批改进程的管道里写伪造的回答、再杀掉批改进程：伪造的答案只是答案，判分照常；
- 冒充批改程序往批改进程的标准输入写一份作业（没有暗号）：批改进程不运行它，伪造的行也不算数；
- 改写“装好的” helpers/course/checks.py 和数据文件：之后的作业和判分都不受影响，文件被改回原样，成绩表里有提醒；
- 用 start_new_session=True 另起一个进程：批改结束时它也被结束；
- 内存炸弹：这份作业记为“出错”，别的照常；
- 两份作业同一个学生姓名：成绩表里提醒；
- 参考答案照常满分。
另外：缺少批改需要的包时，一句中文说明、不写成绩表；分部分给分的题目在成绩表里按部分得分。
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import run_cli

from helpers.course import grade as G

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "grading" / "demo_solution.ipynb"


def solution(name="王小明"):
    nb = nbformat.read(FIXTURE, as_version=4)
    nb.cells = [c for c in nb.cells if "# SOLUTION ONLY" not in c.source]
    nb.cells[1].source = f'学生姓名 = "{name}"'
    return nb


def blank(name):
    """答案全部留空（每个答案单元格只剩 ...），前面插入攻击代码。"""
    nb = solution(name)
    for cell in nb.cells:
        if "# BEGIN SOLUTION" in cell.source:
            cell.source = "\n".join(line for line in cell.source.splitlines()
                                    if line.startswith("q") and ".check()" in line)
    return nb


def to_pipes(line: str) -> str:
    """学生代码：把表达式 line 算出的一行写进批改进程（内核的父进程）的每一条管道——它的标准输入、
    回答批改程序的管道（Linux 上经 /proc 找到；别的系统上什么也不做）。"""
    return (f"_line = {line}\n"
            "for _fd in (os.listdir(f'/proc/{os.getppid()}/fd') if os.path.isdir('/proc') else []):\n"
            "    _path = f'/proc/{os.getppid()}/fd/{_fd}'\n"
            "    try:\n"
            "        if os.readlink(_path).startswith('pipe:'):\n"
            "            with open(_path, 'w') as _pipe:\n"
            "                _pipe.write('\\n' + _line + '\\n')\n"
            "    except OSError:\n"
            "        pass\n")


def with_cell(nb, source, at=4):
    nb.cells.insert(at, nbformat.v4.new_code_cell(source))
    return nb


def run_grading(base: Path, on_stop) -> dict:
    """在一份复制出来的工作簿上批改全部攻击作业（conftest 在收集完测试后就让它在后台开始）。"""
    tree = base / "工作簿"                                   # 一份“装好的”工作簿，攻击只能改坏它
    shutil.copytree(ROOT / "helpers", tree / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "datasets", tree / "datasets")
    folder = base / "作业"
    folder.mkdir()
    pidfile = base / "逃走的进程.txt"
    marker = base / "假作业运行了.txt"
    checks_path = tree / "helpers" / "course" / "checks.py"
    data_path = tree / "datasets" / "a_kids" / "customers.csv"

    nbformat.write(solution("王小明"), folder / "参考答案.ipynb")
    nbformat.write(with_cell(blank("替换判分"), (
        "import helpers.course.checks as c, helpers.course.exercises.demo as d\n"
        "c.grade_namespace = lambda qs, ns: [dict(name=q.name, title=q.title, points=q.points, score=q.points,\n"
        "    correct=True, answered=True, message='') for q in qs]\n"
        "c.Question.result = lambda self, namespace=None: c.Result(True, '全部正确')\n"
        "c.compare_number = lambda *a, **k: c.Result(True, '')\n"
        "for q in d.QUESTIONS: q.evaluate = lambda *a, **k: c.Result(True, '')")), folder / "替换判分.ipynb")
    nbformat.write(with_cell(blank("伪造结果"), (
        "import json, os, pathlib, signal\n"
        "job = pathlib.Path.cwd().parent\n"
        "(job / 'result.json').write_text(json.dumps({'status': '完成', 'errors': [], 'detail': '',\n"
        "    'report': [{'name': 'q1', 'score': 3, 'correct': True}]}), encoding='utf-8')\n"
        "(job / 'answers').mkdir(exist_ok=True)\n"
        "(job / 'answers' / 'manifest.json').write_text(json.dumps({'q2_parts': {'t': 'int', 'v': '99'}}))\n"
        + to_pipes("json.dumps({'done': os.environ.get('CRM_GRADE_JOB'), 'result': {'status': '完成', "
                   "'errors': [], 'detail': '', 'report': [{'name': 'q1', 'score': 3}]}})") +
        "os.kill(os.getppid(), signal.SIGKILL)")), folder / "伪造结果.ipynb")
    # 冒充批改程序：往批改进程的标准输入写一份作业（没有暗号），让它运行一本写下 marker 的笔记本
    fake_nb = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                          "source": f"open({str(marker)!r}, 'w').write('假作业运行了')"}],
               "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    nbformat.write(with_cell(solution("冒充批改程序"), (         # 假作业放在这份作业结束后也还在的地方
        "import json, os, pathlib, shutil\n"
        f"home = pathlib.Path({str(base / '假作业')!r})\n"
        "shutil.copytree(os.environ['JUPYTER_DATA_DIR'], home / 'data')\n"
        "fake = home / '假作业.ipynb'\n"
        f"fake.write_text(json.dumps({fake_nb!r}))\n"
        "env = dict(os.environ, JUPYTER_DATA_DIR=str(home / 'data'), JUPYTER_RUNTIME_DIR=str(home / 'run'))\n"
        "job = {'token': '假的', 'env': env, 'job': {'notebook': str(fake), 'workdir': str(home),\n"
        "    'timeout': 30, 'export_source': 'pass', 'pidfile': str(home / 'pid'), 'memory_gb': 0}}\n"
        + to_pipes("'不是 JSON\\n' + json.dumps(job) + '\\n' + json.dumps({'key': '猜的', **job})"))),
        folder / "冒充批改程序.ipynb")
    nbformat.write(with_cell(solution("改文件"), (
        f"open({str(checks_path)!r}, 'a', encoding='utf-8').write('\\ncompare_number = lambda *a, **k: Result(True, \"\")\\n')\n"
        f"open({str(data_path)!r}, 'w', encoding='utf-8').write('customer_id\\n')")), folder / "改文件.ipynb")
    nbformat.write(with_cell(solution("另起进程"), (
        "import subprocess, sys\n"
        "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'], start_new_session=True)\n"
        f"open({str(pidfile)!r}, 'w').write(str(p.pid))")), folder / "另起进程.ipynb")
    nbformat.write(with_cell(solution("内存炸弹"), "x = bytearray(6 * 1024 ** 3)", at=7), folder / "内存炸弹.ipynb")
    nbformat.write(solution("王小明"), folder / "王小明第二份.ipynb")

    env = dict(os.environ, PYTHONPATH=str(tree))
    proc, seconds = run_cli([folder, "--out", base / "成绩.xlsx", "--timeout", "60", "--jobs", "2", "--chapter", "demo",
                             "--memory", "3"], cwd=base, on_stop=on_stop, env=env, timeout=400)
    assert proc.returncode == 0, proc.stderr[-2000:]
    grades = pd.read_excel(base / "成绩.xlsx", sheet_name="成绩", dtype={"学生": str}).set_index("文件")
    return {"proc": proc, "grades": grades, "pidfile": pidfile, "marker": marker, "tree": tree, "seconds": seconds,
            "checks": (ROOT / "helpers" / "course" / "checks.py").read_bytes(), "checks_path": checks_path,
            "data_path": data_path}


@pytest.fixture(scope="module")
def attacked(grading):
    return grading(sys.modules[__name__])


def test_grading_run_succeeds(attacked):
    assert attacked["proc"].returncode == 0, attacked["proc"].stderr[-2000:]
    assert "开始判分" in attacked["proc"].stdout


def test_solution_still_gets_full_marks(attacked):
    assert attacked["grades"].loc["参考答案.ipynb", "总分"] == 6


def test_replacing_the_grading_code_in_the_kernel_changes_nothing(attacked):
    r = attacked["grades"].loc["替换判分.ipynb"]
    assert r["总分"] == 0 and r["反馈"] == "q1 未作答；q2 未作答；q3 未作答"


def test_fake_result_files_and_a_killed_worker_give_no_points(attacked):
    r = attacked["grades"].loc["伪造结果.ipynb"]
    assert r["总分"] == 0                       # 伪造的 q2_parts = 99 只是一个错的答案
    assert r["状态"] in ("出错", "完成")


def test_rewriting_the_installed_helpers_changes_no_verdict_and_is_reported(attacked):
    r = attacked["grades"].loc["改文件.ipynb"]
    assert r["总分"] == 6                       # 它自己的答案都对
    assert "工作簿自己的文件被改动了" in r["提醒"] and "helpers/course/checks.py" in r["提醒"]
    # 装好的 checks.py 里现在“compare_number 永远判对”、a_kids 的客户表空了——可判分用的是开始前留下的原样：
    assert b"compare_number = lambda" in attacked["checks_path"].read_bytes()
    assert attacked["grades"].loc["替换判分.ipynb", "总分"] == 0
    assert attacked["grades"].loc["参考答案.ipynb", "总分"] == 6


def test_processes_started_in_a_new_session_end_with_the_submission(attacked):
    import psutil

    pid = int(attacked["pidfile"].read_text())
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert attacked["grades"].loc["另起进程.ipynb", "总分"] == 6


def test_forged_lines_in_the_workers_pipes_run_nothing_and_change_nothing(attacked):
    r = attacked["grades"].loc["冒充批改程序.ipynb"]
    assert not attacked["marker"].exists()      # 没有暗号的“作业”，批改进程不运行
    assert (r["状态"], r["总分"]) == ("完成", 6)   # 伪造的回答行不算数，它自己照常批改完
    assert attacked["grades"].loc["参考答案.ipynb", "总分"] == 6


def test_memory_bomb_is_an_error_for_that_submission_only(attacked):
    r = attacked["grades"].loc["内存炸弹.ipynb"]
    assert r["状态"] == "出错" and "内存超过了 3 GB 的上限" in r["反馈"]
    assert r["q1（3分）"] == 3                   # 炸弹之前答的题照常计分


def test_same_student_name_is_flagged(attacked):
    for name, other in (("参考答案.ipynb", "王小明第二份.ipynb"), ("王小明第二份.ipynb", "参考答案.ipynb")):
        note = attacked["grades"].loc[name, "提醒"]
        assert f"与 {other} 同名（王小明）" in note


def test_missing_prerequisite_stops_with_one_chinese_message(tmp_path, monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "nbclient" else real(name, *a))
    folder = tmp_path / "作业"
    folder.mkdir()
    nbformat.write(solution(), folder / "a.ipynb")
    assert G.main([str(folder), "--out", str(tmp_path / "成绩.xlsx"), "--chapter", "demo"]) == 2
    err = capsys.readouterr().err
    assert "批改前的检查没有通过" in err and "nbclient（运行笔记本）" in err
    assert not (tmp_path / "成绩.xlsx").exists()


def test_partial_credit_is_shown_per_part_in_the_sheet():
    from helpers.course.checks import Question, compare_mapping

    q = Question("q1", "五位客户的 R 分", "r", points=5, parts=5,
                 evaluate=lambda a, ns: compare_mapping(a["r"], {"A": 1, "B": 2, "C": 3, "D": 4, "E": 5}, unit="分"))
    sub = G.Submission(path=Path("张三.ipynb"), rel="张三.ipynb", data=b"", student="张三")
    from helpers.course.checks import grade_namespace

    rows = grade_namespace([q], {"r": {"A": 1, "B": 2, "C": 3, "D": 5, "E": 1}})
    grades, _ = G.tables([G.Graded(sub, G.DONE, rows)], [q])
    assert list(grades.columns)[2] == "q1（5分，5 部分各 1分）"
    assert grades.iloc[0]["q1（5分，5 部分各 1分）"] == 3 and grades.iloc[0]["总分"] == 3
    assert grades.iloc[0]["反馈"].startswith("q1 部分正确（3/5 分）")


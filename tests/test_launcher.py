"""启动器 tools/workbook.py：不装任何东西，用假的 Python（记下自己被怎样调用的小脚本）检查它的逻辑。

- 虚拟环境的 Python：Windows 在 Scripts\\python.exe，其他系统在 bin/python（在 Linux 上模拟 Windows 的目录）；
- 仓库路径里有中文和空格；Python 太旧或找不到时给出中文说明，旧 Python 能改用新的；
- 每个命令装哪些依赖组，装过的不再装，pyproject.toml 改了才重装；
- 测试的两步、临时目录隔离、退出码；参数原样传下去；make 的每个目标只调用启动器。
"""
import ast
import importlib.util
import json
import ntpath
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = ROOT / "tools" / "workbook.py"
_spec = importlib.util.spec_from_file_location("workbook_launcher", LAUNCHER)
wb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(wb)

# 假的 Python：一个 sh 小脚本（路径里有空格的解释器不能写进 #! 行），把参数交给旁边的 Python 程序记下来。
FAKE_WRAPPER = '#!/bin/sh\nFAKE_SELF="$0" exec "{exe}" "{impl}" "$@"\n'
FAKE_IMPL = '''import json, os, shutil, sys
args = sys.argv[1:]
if args[:1] == ["-c"]:
    print(os.environ.get("FAKE_VERSION", "3.11.7"))
    sys.exit(int(os.environ.get("FAKE_BROKEN", "0")))
tmp = os.path.dirname(os.environ.get("MPLCONFIGDIR", ""))
with open({log!r}, "a", encoding="utf-8") as fh:
    fh.write(json.dumps({{"python": os.environ["FAKE_SELF"], "args": args, "cwd": os.getcwd(),
                         "env": dict(os.environ), "tmp_exists": bool(tmp) and os.path.isdir(tmp)}},
                        ensure_ascii=False) + "\\n")
if args[:2] == ["-m", "venv"]:
    os.makedirs(os.path.join(args[2], "bin"))
    shutil.copy(os.environ["FAKE_SELF"], os.path.join(args[2], "bin", "python"))
fail = os.environ.get("FAKE_FAIL")
sys.exit(int(os.environ.get("FAKE_CODE", "3")) if fail and fail in " ".join(args) else 0)
'''


def write_fake_python(path: Path, log: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    impl = log.parent / "fake_python.py"
    impl.write_text(FAKE_IMPL.format(log=str(log)), encoding="utf-8")
    path.write_text(FAKE_WRAPPER.format(exe=sys.executable, impl=impl), encoding="utf-8")
    path.chmod(0o755)
    return path


def calls(log: Path):
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


PYPROJECT = """[project]
name = "crm-workbook-helpers"

[project.optional-dependencies]
lab = ["jupyterlab"]
dev = ["crm-workbook-helpers[lab]", "pytest"]
present = ["crm-workbook-helpers[lab]", "voila"]
"""


@pytest.fixture
def repo(tmp_path):
    """一个路径里有中文和空格的小仓库：pyproject.toml、两本笔记本、一本参考答案。"""
    root = tmp_path / "课程 副本" / "crm"
    (root / "notebooks").mkdir(parents=True)
    (root / "solutions").mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    for name in ("notebooks/01_认识电商CRM.ipynb", "notebooks/00_开始之前.ipynb", "solutions/01_认识电商CRM.ipynb"):
        (root / name).write_text("{}", encoding="utf-8")
    return root


def make_workbook(repo, windows=False, **environ):
    log = repo.parent / "calls.jsonl"
    layout = ("Scripts", "python.exe") if windows else ("bin", "python")
    write_fake_python(repo.joinpath(".venv", *layout), log)
    env = {"PATH": os.environ["PATH"], **environ}
    book = wb.Workbook(str(repo), windows=windows, environ=env, base_python=str(repo.parent / "no-such-python"))
    return book, log


# ---- 虚拟环境的位置 ---------------------------------------------------------------------------
def test_venv_python_windows_and_posix_layout():
    venv = "C:\\Users\\张 三\\课程 副本\\crm\\.venv"
    assert wb.venv_python(venv, windows=True, pathmod=ntpath) == venv + "\\Scripts\\python.exe"
    assert wb.venv_python("/home/张 三/crm/.venv", windows=False) == "/home/张 三/crm/.venv/bin/python"
    assert wb.launcher_command(windows=True) == "py tools\\workbook.py"
    assert wb.launcher_command(windows=False) == "python3 tools/workbook.py"


@pytest.mark.parametrize("windows", [True, False], ids=["windows", "posix"])
def test_lab_uses_the_venv_python_of_the_layout(repo, windows, monkeypatch):
    monkeypatch.setattr(wb.os, "geteuid", lambda: 0, raising=False)        # 以 root 身份
    book, log = make_workbook(repo, windows=windows)
    assert book.lab(["--no-browser", "--port", "8890"]) == 0
    pip, labsetup, lab = calls(log)
    python = str(repo.joinpath(".venv", *(("Scripts", "python.exe") if windows else ("bin", "python"))))
    assert {c["python"] for c in (pip, labsetup, lab)} == {python}
    assert pip["args"] == ["-m", "pip", "install", "-e", ".[lab]"] and pip["cwd"] == str(repo)
    assert (pip["env"].get("PYTHONUTF8") == "1") == windows
    assert labsetup["args"] == ["-m", "helpers.course.labsetup"]
    root_arg = "--ServerApp.root_dir=" + str(repo)                         # 中文和空格在同一个参数里
    expected = ["-m", "jupyterlab"] + ([] if windows else ["--allow-root"]) + [
        root_arg, "--no-browser", "--port", "8890", os.path.join("notebooks", "00_开始之前.ipynb")]
    assert lab["args"] == expected and lab["cwd"] == str(repo)


def test_no_allow_root_for_ordinary_user(repo, monkeypatch):
    monkeypatch.setattr(wb.os, "geteuid", lambda: 1000, raising=False)
    book, log = make_workbook(repo)
    book.lab([])
    assert "--allow-root" not in calls(log)[-1]["args"]


def test_lab_without_first_notebook_opens_the_root(repo, capsys):
    (repo / "notebooks" / "00_开始之前.ipynb").unlink()
    book, log = make_workbook(repo)
    book.lab([])
    assert not calls(log)[-1]["args"][-1].endswith(".ipynb")
    assert "还没有" in capsys.readouterr().out


def test_creates_the_venv_with_the_launchers_python(repo, tmp_path):
    log = tmp_path / "calls.jsonl"
    base = write_fake_python(tmp_path / "基础 python", log)
    book = wb.Workbook(str(repo), windows=False, environ={"PATH": os.environ["PATH"]}, base_python=str(base))
    assert book.install([]) == 0
    create, pip, labsetup = calls(log)
    assert create["args"] == ["-m", "venv", str(repo / ".venv")] and create["python"] == str(base)
    assert pip["python"] == str(repo / ".venv" / "bin" / "python")


def test_venv_that_cannot_be_created_says_how_to_fix(repo):
    book = wb.Workbook(str(repo), windows=False, environ={"PATH": os.environ["PATH"]}, base_python="/bin/false")
    with pytest.raises(wb.WorkbookError, match="(?s)无法创建虚拟环境.*python3-venv"):
        book.install([])


@pytest.mark.parametrize("version, broken, message", [("3.9.18", "0", "需要 Python 3.10"), ("", "1", "无法运行")])
def test_old_or_broken_venv_is_reported_in_chinese(repo, version, broken, message):
    book, log = make_workbook(repo, FAKE_VERSION=version, FAKE_BROKEN=broken)
    with pytest.raises(wb.WorkbookError, match=message) as info:
        book.lab([])
    assert "clean" in str(info.value) and calls(log) == []


# ---- 依赖组与安装记录 -------------------------------------------------------------------------
def test_extras_per_command():
    assert wb.EXTRAS["lab"] == ("lab",) and wb.EXTRAS["notebooks"] == ("lab",)
    assert wb.EXTRAS["test"] == ("dev",) and set(wb.EXTRAS["bench"]) == {"dev", "bench"}
    assert set(wb.EXTRAS["present"]) == {"lab", "present"}
    implied = {"dev": {"lab", "present"}, "present": {"lab"}}
    assert wb.closure(["dev"], implied) == {"dev", "lab", "present"} and wb.closure(["lab"], implied) == {"lab"}
    assert wb.closure(["bench", "dev"], {"dev": {"lab"}}) == {"bench", "dev", "lab"}


def test_lab_extra_has_no_test_tools_and_dev_includes_lab():
    tomllib = pytest.importorskip("tomllib")
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    names = {extra: {req.split("[")[0].split("<")[0].split(">")[0].strip() for req in reqs}
             for extra, reqs in extras.items()}
    assert not names["lab"] & {"pytest", "nbval", "hypothesis", "playwright", "aiosmtpd"}
    assert {"pytest", "nbval", "hypothesis", "playwright", "aiosmtpd"} <= names["dev"]
    expected = {extra: {part for req in reqs if req.startswith("crm-workbook-helpers[")
                        for part in req.split("[")[1].split("]")[0].split(",")} for extra, reqs in extras.items()}
    assert wb.implied_extras((ROOT / "pyproject.toml").read_text(encoding="utf-8")) == expected
    assert "lab" in wb.closure(["dev"], expected)


def test_implied_extras_reads_only_the_extras_table():
    text = """[project]
dependencies = ["crm-workbook-helpers[nope]"]

[project.optional-dependencies]
lab = [
    "jupyterlab>=4",   # 注释里的 crm-workbook-helpers[x] 不算
]
dev = ["crm-workbook-helpers[lab, present]", "pytest"]
present = [
    'crm-workbook-helpers[lab]',
]

[tool.x]
y = ["crm-workbook-helpers[z]"]
"""
    assert wb.implied_extras(text) == {"lab": set(), "dev": {"lab", "present"}, "present": {"lab"}}


def test_missing_extras():
    assert wb.missing_extras({}, ("lab",), "h1") == ["lab"]
    assert wb.missing_extras({"pyproject": "h1", "extras": ["lab"]}, ("lab",), "h1") == []
    assert wb.missing_extras({"pyproject": "h1", "extras": ["lab"]}, ("dev",), "h1") == ["dev"]
    assert wb.missing_extras({"pyproject": "h1", "extras": ["dev"]}, ("lab",), "h1", {"dev": {"lab"}}) == []
    assert wb.missing_extras({"pyproject": "h1", "extras": ["dev"]}, ("lab",), "h1") == ["lab"]
    assert wb.missing_extras({"pyproject": "h0", "extras": ["dev", "lab"]}, ("lab",), "h1") == ["lab"]
    assert wb.missing_extras({"pyproject": "h1", "extras": ["lab"]}, ("dev", "bench"), "h1") == ["bench", "dev"]


def pip_installs(log):
    return [c["args"][-1] for c in calls(log) if c["args"][:3] == ["-m", "pip", "install"]]


def test_install_once_per_extra_set_and_again_after_pyproject_changes(repo, monkeypatch):
    book, log = make_workbook(repo)
    monkeypatch.setattr(book, "browser_deps", lambda args=(): 0)
    book.lab([])
    book.lab([])
    assert pip_installs(log) == [".[lab]"]                       # 第二次不再安装
    book.test([])
    book.test([])
    book.lab([])
    assert pip_installs(log) == [".[lab]", ".[dev]"]             # 从 lab 换到 test 只补装一次测试工具
    book.present([])
    book.present([])
    assert pip_installs(log)[2:] == [".[present]"]
    stamp = json.loads((repo / ".venv" / wb.STAMP).read_text(encoding="utf-8"))
    assert stamp["extras"] == ["dev", "lab", "present"]
    (repo / "pyproject.toml").write_text(PYPROJECT.replace("pytest", "pytest>=8"), encoding="utf-8")
    book.lab([])
    book.lab([])
    assert pip_installs(log)[3:] == [".[lab]"]


def test_failed_install_is_not_recorded(repo):
    book, log = make_workbook(repo, FAKE_FAIL="pip install")
    with pytest.raises(wb.WorkbookError, match="安装失败"):
        book.lab([])
    assert not (repo / ".venv" / wb.STAMP).exists()
    assert [c["args"][:2] for c in calls(log)] == [["-m", "pip"]]      # 装失败就不再打开 JupyterLab


def test_missing_pyproject_is_reported(repo):
    (repo / "pyproject.toml").unlink()
    book, _ = make_workbook(repo)
    with pytest.raises(wb.WorkbookError, match="没有 pyproject.toml"):
        book.lab([])


# ---- 测试命令 ---------------------------------------------------------------------------------
def run_test_command(repo, monkeypatch, args=(), **environ):
    book, log = make_workbook(repo, MPLBACKEND="TkAgg", **environ)
    monkeypatch.setattr(book, "browser_deps", lambda args=(): 0)
    monkeypatch.setattr(wb, "CHROMIUM", str(repo / "no-chromium"))
    status = book.test(list(args))
    return status, [c for c in calls(log) if c["args"][:2] == ["-m", "pytest"]]


def test_two_stages_isolated_in_one_temp_dir(repo, monkeypatch):
    status, (unit, nbval) = run_test_command(repo, monkeypatch, args=["-x", "-q"])
    assert status == 0
    assert unit["args"] == ["-m", "pytest", "tests", "-x", "-q"]
    assert nbval["args"] == ["-m", "pytest", "--nbval", "--nbval-current-env", "notebooks", "solutions",
                             "--nbval-sanitize-with", os.path.join("tests", "nbval_sanitize.cfg"), "-x", "-q"]
    assert unit["env"]["MPLBACKEND"] == "Agg" and "MPLBACKEND" not in nbval["env"]
    tmp = os.path.dirname(unit["env"]["MPLCONFIGDIR"])
    for stage in (unit, nbval):
        env = stage["env"]
        assert stage["tmp_exists"] and env["JUPYTER_PLATFORM_DIRS"] == "1"
        assert env["PIP_DISABLE_PIP_VERSION_CHECK"] == "1"
        for name in ("MPLCONFIGDIR", "IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
            assert env[name].startswith(tmp + os.sep)
    assert not os.path.exists(tmp)                                # 结束后删除


@pytest.mark.parametrize("fail, expected", [(None, 0), ("pytest tests", 3), ("--nbval", 3)])
def test_exit_status_of_both_stages(repo, monkeypatch, fail, expected):
    environ = {"FAKE_FAIL": fail} if fail else {}
    status, stages = run_test_command(repo, monkeypatch, **environ)
    assert status == expected and len(stages) == 2                 # 第一步失败也运行第二步


def test_first_failure_decides_the_status(repo, monkeypatch):
    book, log = make_workbook(repo, FAKE_FAIL="pytest", FAKE_CODE="1")
    monkeypatch.setattr(book, "browser_deps", lambda args=(): 0)
    assert book.test([]) == 1
    codes = iter([(2, False), (5, False)])
    book.execute = lambda cmd, env=None, cwd=None: next(codes) if "pytest" in cmd else (0, False)
    assert book.test([]) == 2


def test_without_notebooks_only_unit_tests(repo, monkeypatch, capsys):
    for nb in list(repo.glob("*/*.ipynb")):
        nb.unlink()
    status, stages = run_test_command(repo, monkeypatch)
    assert status == 0 and len(stages) == 1 and "跳过" in capsys.readouterr().out


def test_chromium_path_is_passed_when_present(repo, monkeypatch):
    chromium = repo / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    book, log = make_workbook(repo)
    monkeypatch.setattr(book, "browser_deps", lambda args=(): 0)
    monkeypatch.setattr(wb, "CHROMIUM", str(chromium))
    book.test([])
    assert {c["env"].get("CRM_CHROMIUM") for c in calls(log) if "pytest" in c["args"]} == {str(chromium)}


def test_ctrl_c_stops_the_tests_and_cleans_up(repo, monkeypatch):
    book, _ = make_workbook(repo)
    monkeypatch.setattr(book, "browser_deps", lambda args=(): 0)
    seen = []

    def interrupted(cmd, env=None, cwd=None):
        if "pytest" in cmd:
            seen.append(env["MPLCONFIGDIR"])
            return 2, True
        return 0, False
    book.execute = interrupted
    assert wb.main(["test"], workbook=book) == 130
    assert len(seen) == 1 and not os.path.exists(os.path.dirname(seen[0]))


def test_ctrl_c_is_the_normal_way_to_close_lab(repo):
    book, _ = make_workbook(repo)
    book.lab([])
    book.execute = lambda cmd, env=None, cwd=None: (-2, True) if "jupyterlab" in cmd else (0, False)
    assert book.lab([]) == 0
    book.execute = lambda cmd, env=None, cwd=None: (-15, False) if "jupyterlab" in cmd else (0, False)  # SIGTERM
    assert book.lab([]) == 143


def test_browser_deps_plan():
    assert wb.browser_deps_plan(True, True, [], False, False) == ("ready", None)
    action, reason = wb.browser_deps_plan(False, False, [], False, False)
    assert action == "notice" and "不是 Debian" in reason
    assert wb.browser_deps_plan(False, True, ["chromium"], True, False) == ("install", [])
    assert wb.browser_deps_plan(False, True, ["chromium"], False, True) == ("install", ["sudo", "-n"])
    action, reason = wb.browser_deps_plan(False, True, ["chromium", "fonts-wqy-microhei"], False, False)
    assert action == "notice" and "chromium fonts-wqy-microhei" in reason and "sudo" in reason


def test_browser_deps_installs_missing_packages_as_root(repo, monkeypatch):
    book, _ = make_workbook(repo)
    monkeypatch.setattr(wb, "CHROMIUM", str(repo / "no-chromium"))
    monkeypatch.setattr(wb, "CJK_FONT", str(repo / "no-font"))
    monkeypatch.setattr(wb.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(wb.os, "geteuid", lambda: 0, raising=False)
    monkeypatch.setattr(book, "output", lambda cmd: "" if cmd[0] == "fc-list" else "install ok not-installed")
    ran = []
    book.execute = lambda cmd, env=None, cwd=None: ran.append(cmd) or (0, False)
    book.browser_deps()
    assert ran == [["apt-get", "update", "-q"], ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install",
                                                   "-y", "-q", "chromium", "fonts-wqy-microhei"]]


def test_browser_deps_not_debian_is_loud(repo, monkeypatch, capsys):
    book, _ = make_workbook(repo, windows=True)
    book.execute = lambda *a, **k: pytest.fail("Windows 上不应运行 apt-get")
    assert book.browser_deps() == 0
    assert "!! 注意：这不是 Debian/Ubuntu 系统" in capsys.readouterr().out


# ---- 其他命令 ---------------------------------------------------------------------------------
def test_notebooks_in_order_with_timeout_and_isolation(repo):
    book, log = make_workbook(repo, MPLBACKEND="Agg")
    assert book.notebooks(["--timeout", "30"]) == 0
    runs = [c for c in calls(log) if "nbconvert" in c["args"]]
    assert [c["args"][-1] for c in runs] == [os.path.join("notebooks", "00_开始之前.ipynb"),
                                             os.path.join("notebooks", "01_认识电商CRM.ipynb"),
                                             os.path.join("solutions", "01_认识电商CRM.ipynb")]
    assert all("--ExecutePreprocessor.timeout=30" in c["args"] and "--inplace" in c["args"] for c in runs)
    assert all(c["tmp_exists"] and "MPLBACKEND" not in c["env"] for c in runs)


def test_notebooks_stop_at_the_first_failure(repo, capsys):
    book, log = make_workbook(repo, FAKE_FAIL="00_开始之前")
    assert book.notebooks([]) == 1
    assert len([c for c in calls(log) if "nbconvert" in c["args"]]) == 1
    assert "失败：" in capsys.readouterr().out
    with pytest.raises(wb.WorkbookError, match="--timeout"):
        book.notebooks(["--timeout", "很久"])


@pytest.mark.parametrize("command, extra, tail", [
    ("present", ".[lab,present]", ["-m", "helpers.course.present", "--port", "8866"]),
    ("bench", ".[bench,dev]", [os.path.join("benchmarks", "run_all.py"), "--port", "8866"]),
])
def test_present_and_bench_pass_arguments_through(repo, command, extra, tail):
    book, log = make_workbook(repo)
    assert wb.COMMANDS[command](book, ["--port", "8866"]) == 0
    assert pip_installs(log) == [extra] and calls(log)[-1]["args"] == tail


def test_clean_removes_only_a_venv(repo, tmp_path):
    book, _ = make_workbook(repo)
    (repo / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    assert book.clean([]) == 0 and not (repo / ".venv").exists()
    assert book.clean([]) == 0
    other = tmp_path / "作业"
    other.mkdir()
    (other / "答案.txt").write_text("1")
    assert wb.clean_venv(str(other)) == 1 and (other / "答案.txt").exists()


# ---- 命令行 -----------------------------------------------------------------------------------
def test_parse_args_passes_everything_after_the_command():
    options = wb.parse_args(["--venv", "/tmp/a b", "lab", "--port", "8890", "--venv", "x"])
    assert (options.command, options.venv, options.args) == ("lab", "/tmp/a b", ["--port", "8890", "--venv", "x"])
    assert wb.parse_args(["--venv=v", "-n", "test"]).dry_run and wb.parse_args([]).command == "help"
    with pytest.raises(ValueError, match="不认识的选项 --port"):
        wb.parse_args(["--port", "1", "lab"])


def test_unknown_command_and_help(capsys):
    assert wb.main(["labb"]) == 2
    assert "没有命令 labb" in capsys.readouterr().err
    assert wb.main(["help"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in ("lab", "test", "notebooks", "present", "bench", "clean"))


def test_dry_run_runs_nothing(repo, capsys):
    book = wb.Workbook(str(repo), dry_run=True, windows=False, environ={}, base_python=str(repo / "none"))
    assert book.lab(["--no-browser"]) == 0
    out = capsys.readouterr().out
    assert "-m venv" in out and "pip install -e" in out and "jupyterlab" in out and "--no-browser" in out
    assert not (repo / ".venv").exists()


def run_launcher_copy(repo, args, python=sys.executable, env=None):
    """把启动器复制进路径有中文和空格的仓库，当作独立程序运行。"""
    (repo / "tools").mkdir(exist_ok=True)
    shutil.copy(LAUNCHER, repo / "tools" / "workbook.py")
    return subprocess.run([python, str(repo / "tools" / "workbook.py")] + args, cwd=repo, capture_output=True,
                          text=True, env=env or {"PATH": os.environ["PATH"], "LANG": "C.UTF-8"}, timeout=120)


def test_launcher_runs_in_a_chinese_path_with_spaces(repo):
    log = repo.parent / "calls.jsonl"
    write_fake_python(repo / ".venv" / "bin" / "python", log)
    result = run_launcher_copy(repo, ["lab", "--no-browser", "--port", "8897", "--ServerApp.token=令牌 1"])
    assert result.returncode == 0, result.stderr
    lab = calls(log)[-1]
    assert lab["cwd"] == str(repo) and lab["args"][-4:] == [
        "--no-browser", "--port", "8897", "--ServerApp.token=令牌 1", os.path.join("notebooks", "00_开始之前.ipynb")][-4:]


# ---- 太旧或找不到的 Python ---------------------------------------------------------------------
def test_too_old_message():
    assert wb.too_old_message((3, 10, 0), "python3") is None and wb.too_old_message((3, 13, 1), "p") is None
    posix = wb.too_old_message((3, 9, 18), "/usr/bin/python3.9", windows=False)
    assert "需要 Python 3.10" in posix and "3.9.18" in posix and "make lab PYTHON=python3.12" in posix
    windows = wb.too_old_message((3, 8, 10), "C:\\Python38\\python.exe", windows=True)
    assert "python.org" in windows and "py tools\\workbook.py lab" in windows and "开始学习.bat" in windows


def test_launcher_source_parses_on_old_pythons():
    """整个文件用旧语法写：Python 3.4 就能读完它，跑到版本检查（没有 f-string、海象运算符……）。"""
    ast.parse(LAUNCHER.read_text(encoding="utf-8"), feature_version=(3, 4))


def simulate_old_python(repo, path_dirs, version="(3, 8, 0, 'final', 0)"):
    (repo / "tools").mkdir(exist_ok=True)
    shutil.copy(LAUNCHER, repo / "tools" / "workbook.py")
    code = ("import runpy, sys; sys.version_info = %s; sys.argv = [sys.argv[1], 'lab']; "
            "runpy.run_path(sys.argv[0], run_name='__main__')" % version)
    env = {"PATH": os.pathsep.join(str(p) for p in path_dirs), "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-c", code, str(repo / "tools" / "workbook.py")], cwd=repo,
                          capture_output=True, text=True, env=env, timeout=60)


def test_old_python_without_alternative_prints_chinese_error(repo, tmp_path):
    empty = tmp_path / "空的 PATH"
    empty.mkdir()
    result = simulate_old_python(repo, [empty])
    assert result.returncode == 1
    assert "错误：本工作簿需要 Python 3.10 或更新版本，现在运行的是 Python 3.8.0" in result.stderr
    assert not (repo / ".venv").exists()


def test_old_python_switches_to_a_newer_one_on_path(repo, tmp_path):
    log = tmp_path / "calls.jsonl"
    folder = tmp_path / "新 Python"
    write_fake_python(folder / "python3.12", log)
    result = simulate_old_python(repo, [folder])
    assert result.returncode == 0, result.stderr
    (call,) = calls(log)
    assert call["args"] == [str(repo / "tools" / "workbook.py"), "lab"] and call["env"][wb.REEXEC_FLAG] == "1"
    assert "改用" in result.stderr


def old_interpreters():
    """机器上的旧版 Python（pyenv 装的，或 PATH 上的；pyenv 的 shims 是 bash 脚本，不用）。"""
    found = []
    for version in ("2.7", "3.6", "3.8", "3.9"):
        exe = next(iter(sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python"))), None)
        which = shutil.which("python" + version)
        if exe is None and which and "shims" not in which:
            exe = which
        if exe:
            found.append(str(exe))
    return found


@pytest.mark.parametrize("python", old_interpreters() or [pytest.param(None, marks=pytest.mark.skip("没有旧版 Python"))])
def test_real_old_python_gets_the_chinese_message(repo, tmp_path, python):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_launcher_copy(repo, ["lab"], python=python, env={"PATH": str(empty), "LANG": "C.UTF-8"})
    assert result.returncode == 1 and "需要 Python 3.10 或更新版本" in result.stderr, result.stderr


# ---- make、Windows 批处理、CI -------------------------------------------------------------------
def makefile_rules():
    rules, current = {}, None
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if line.startswith("\t") and current:
            rules[current].append(line.strip())
        elif ":" in line and not line.startswith((" ", "#", ".")) and "=" not in line.split(":")[0]:
            current = line.split(":")[0].strip()
            rules[current] = []
        elif not line.startswith("\t"):
            current = None
    return rules


def test_every_make_target_is_one_launcher_call():
    rules = makefile_rules()
    assert {"lab", "test", "notebooks", "present", "bench", "clean", "spark-check"} <= set(rules)
    for target, recipe in rules.items():
        assert len(recipe) == 1 and recipe[0].startswith("$(WORKBOOK) "), target
        command = recipe[0].split()[1]
        assert command in wb.COMMANDS or command in ("help", "install"), target


@pytest.mark.skipif(shutil.which("make") is None, reason="没有 make")
def test_make_passes_variables_to_the_launcher():
    def dry(*args):
        return subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert '"python3.12" tools/workbook.py --venv "my env" lab --port 8890 --no-browser' in dry(
        "lab", "PYTHON=python3.12", "VENV=my env", "LAB_ARGS=--port 8890 --no-browser")
    assert 'tools/workbook.py --venv ".venv" notebooks --timeout 30' in dry("notebooks", "NB_TIMEOUT=30")
    assert 'tools/workbook.py --venv ".venv" test' in dry("test")


@pytest.mark.skipif(shutil.which("make") is None, reason="没有 make")
def test_make_without_python_says_so_in_chinese():
    result = subprocess.run(["make", "lab", "PYTHON=没有这个python"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0 and "错误：找不到 Python（没有这个python）" in result.stdout + result.stderr


def test_windows_double_click_file():
    raw = (ROOT / "开始学习.bat").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")                        # 没有 BOM：第一行是 @echo off
    assert raw.count(b"\n") == raw.count(b"\r\n") > 10                # 全部 CRLF
    lines = raw.decode("utf-8").split("\r\n")
    assert lines[0] == "@echo off" and lines[1].startswith("chcp 65001")
    text = "\n".join(lines)
    assert 'py -3 -c "import sys"' in text and 'python -c "import sys"' in text
    assert "tools\\workbook.py lab" in text and "找不到 Python" in text and text.count("pause") >= 2
    assert "*.bat text eol=crlf" in (ROOT / ".gitattributes").read_text(encoding="utf-8")


def test_ci_runs_the_launchers_test_command():
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert ci[-1] == "python3 tools/workbook.py test"

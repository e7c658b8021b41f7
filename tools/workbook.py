#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""CRM精准营销工作簿的启动器：一个命令装好环境、打开 JupyterLab、运行测试（Windows、macOS、Linux 通用）。

    python3 tools/workbook.py lab        装好环境（第一次几分钟），用 JupyterLab 打开第 00 章
    python3 tools/workbook.py test       运行全部测试：pytest tests，再用 nbval 检查笔记本
    python3 tools/workbook.py notebooks  按顺序重新运行 notebooks/ 与 solutions/ 里的笔记本
    python3 tools/workbook.py present    课堂演示（装 lab、present 两组依赖）
    python3 tools/workbook.py bench      性能基准
    python3 tools/workbook.py clean      删除虚拟环境
Windows 上写 py tools\\workbook.py lab，或双击仓库根目录的“开始学习.bat”。make 的各个目标只是调用本文件。

命令后面的参数原样传下去，例如 lab --no-browser --port 8890。命令前可以写 --venv 目录（默认仓库里的 .venv）、
--dry-run（只显示要运行的命令）。虚拟环境里记下已经装了哪些依赖组（extras）和当时 pyproject.toml 的
SHA-256：只有缺了某一组或 pyproject.toml 改过，才再运行一次 pip。

本文件只用标准库，写法保持 Python 2.7 也能读懂：旧版 Python 上至少能打印一条中文提示，而不是语法错误。
"""
from __future__ import print_function

import os
import subprocess
import sys

MIN_PYTHON = (3, 10)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WINDOWS = os.name == "nt"
REEXEC_FLAG = "CRM_WORKBOOK_REEXEC"      # 旧 Python 改用新 Python 重新运行时设置，防止来回转


class Options(object):
    """命令行：[--venv 目录] [--dry-run] 命令 [传下去的参数 …]。"""

    def __init__(self, command, args, venv=None, dry_run=False):
        self.command, self.args, self.venv, self.dry_run = command, list(args), venv, dry_run


def parse_args(argv):
    """解析命令行（argv 不含程序名）；写错时抛出 ValueError（中文）。"""
    venv, dry_run, i = None, False, 0
    while i < len(argv) and argv[i].startswith("-"):
        arg = argv[i]
        if arg in ("-h", "--help"):
            return Options("help", [], venv, dry_run)
        if arg in ("-n", "--dry-run"):
            dry_run, i = True, i + 1
        elif arg == "--venv" and i + 1 < len(argv):
            venv, i = argv[i + 1], i + 2
        elif arg.startswith("--venv="):
            venv, i = arg[len("--venv="):], i + 1
        else:
            raise ValueError("不认识的选项 %s：命令前只能写 --venv 目录 或 --dry-run，"
                             "其他参数写在命令后面（例如 lab --port 8890）" % arg)
    if i >= len(argv):
        return Options("help", [], venv, dry_run)
    return Options(argv[i], argv[i + 1:], venv, dry_run)


def launcher_command(windows=None):
    """给人看的启动命令写法：Windows 是 py tools\\workbook.py，其他系统是 python3 tools/workbook.py。"""
    return "py tools\\workbook.py" if (WINDOWS if windows is None else windows) else "python3 tools/workbook.py"


def version_text(info):
    return ".".join(str(part) for part in tuple(info)[:3])


def too_old_message(info, executable, windows=None):
    """Python 版本够新时返回 None，否则返回要打印的中文说明。"""
    if tuple(info)[:2] >= MIN_PYTHON:
        return None
    windows = WINDOWS if windows is None else windows
    need = "%d.%d" % MIN_PYTHON
    lines = ["", "错误：本工作簿需要 Python %s 或更新版本，现在运行的是 Python %s（%s）。"
             % (need, version_text(info), executable)]
    if windows:
        lines += ["      请从 https://www.python.org/downloads/ 安装新版 Python（安装时勾选 Add python.exe to PATH），",
                  "      然后双击“开始学习.bat”，或在命令提示符里运行：py tools\\workbook.py lab"]
    else:
        lines += ["      请安装 Python %s 或更新版本，再用它运行，例如：python3.12 tools/workbook.py lab" % need,
                  "      用 make 时这样指定解释器：make lab PYTHON=python3.12"]
    lines += ["      如果虚拟环境 .venv 是用旧版 Python 建的，请先删除它：%s clean" % launcher_command(windows), ""]
    return "\n".join(lines)


def venv_python(venv, windows=None, pathmod=os.path):
    """虚拟环境里的 Python：Windows 在 Scripts\\python.exe，其他系统在 bin/python。"""
    if WINDOWS if windows is None else windows:
        return pathmod.join(venv, "Scripts", "python.exe")
    return pathmod.join(venv, "bin", "python")


def default_venv(options, root=ROOT):
    return os.path.abspath(options.venv) if options.venv else os.path.join(root, ".venv")


def newer_pythons(venv, path, windows=None):
    """旧 Python 可以改用的解释器：先是已经建好的虚拟环境，再是 PATH 上的 python3.NN（从新到旧）。"""
    found = []
    candidate = venv_python(venv, windows)
    if os.path.isfile(candidate):
        found.append(candidate)
    if not (WINDOWS if windows is None else windows):
        for minor in range(30, MIN_PYTHON[1] - 1, -1):
            for folder in path.split(os.pathsep):
                exe = os.path.join(folder, "python3.%d" % minor)
                if folder and os.path.isfile(exe) and os.access(exe, os.X_OK):
                    found.append(exe)
                    break
    return found


def clean_venv(venv, say=print):
    """删除虚拟环境（只删有 pyvenv.cfg 的目录，写错 --venv 也不会删掉别的文件夹）。返回退出码。"""
    if not os.path.isdir(venv):
        say("没有虚拟环境 %s，不用删除。" % venv)
        return 0
    if not os.path.isfile(os.path.join(venv, "pyvenv.cfg")) and os.listdir(venv):
        say("错误：%s 里没有 pyvenv.cfg，不像是虚拟环境，为安全起见不删除。" % venv)
        return 1
    import shutil
    import stat

    def unlock(func, path, _info):           # Windows 上只读文件要先去掉只读属性
        os.chmod(path, stat.S_IWRITE)
        func(path)
    handler = {"onexc" if sys.version_info >= (3, 12) else "onerror": unlock}
    try:
        shutil.rmtree(venv, **handler)
    except OSError as exc:
        say("错误：无法删除 %s（%s）。请先关闭正在运行的 JupyterLab 和测试，再试一次。" % (venv, exc))
        return 1
    say("已删除虚拟环境 %s" % venv)
    return 0


def say_error(text, fallback):
    """把中文提示打印到 stderr；控制台显示不了中文（很旧的 Python、LANG=C）时改打印英文的 fallback。"""
    encoding = getattr(sys.stderr, "encoding", None)
    if encoding and sys.version_info[0] >= 3:
        try:
            text.encode(encoding)
        except (UnicodeError, LookupError):
            text = fallback
    try:
        print(text, file=sys.stderr)
    except Exception:
        print(fallback, file=sys.stderr)


def guard_python(argv, info=None, executable=None, environ=None, call=subprocess.call):
    """在任何别的事情之前检查 Python 版本。版本够新返回 None；否则返回退出码
    （改用新 Python 重新运行的结果，或者打印中文说明后的 1）。"""
    info = sys.version_info if info is None else info
    executable = sys.executable if executable is None else executable
    environ = os.environ if environ is None else environ
    message = too_old_message(info, executable)
    if message is None:
        return None
    try:
        options = parse_args(argv)
    except ValueError:
        options = Options("help", [])
    venv = default_venv(options)
    if options.command == "clean":           # 删除旧环境不需要新 Python
        return clean_venv(venv)
    if not environ.get(REEXEC_FLAG):
        for other in newer_pythons(venv, environ.get("PATH", "")):
            say_error("提示：%s 是 Python %s，改用 %s 运行。" % (executable, version_text(info), other),
                      "Note: %s is Python %s, running %s instead." % (executable, version_text(info), other))
            env = dict(environ)
            env[REEXEC_FLAG] = "1"
            try:
                return call([other, os.path.abspath(__file__)] + list(argv), env=env)
            except KeyboardInterrupt:
                return 130
            except OSError:
                continue
    say_error(message, "Error: this workbook needs Python %d.%d or newer; this is Python %s (%s)."
              % (MIN_PYTHON + (version_text(info), executable)))
    return 1


if __name__ == "__main__":
    _status = guard_python(sys.argv[1:])
    if _status is not None:
        sys.exit(_status)

# ---- 以下只在 Python 3.10+ 上运行 -------------------------------------------------------------
import glob  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

FIRST_NOTEBOOK = os.path.join("notebooks", "00_开始之前.ipynb")
NB_DIRS = ("notebooks", "solutions")
NB_TIMEOUT = 600
BROWSER_PKGS = ("chromium", "fonts-wqy-microhei")
CHROMIUM = "/usr/bin/chromium"
CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
STAMP = ".workbook-installed.json"
# 每个命令需要的依赖组（pyproject.toml 的 [project.optional-dependencies]）。
EXTRAS = {
    "install": ("lab",), "lab": ("lab",), "notebooks": ("lab",), "present": ("lab", "present"),
    "test": ("dev",), "bench": ("dev", "bench"), "spark-check": ("spark",),
}
PACKAGE = "crm-workbook-helpers"
# 测试和重跑笔记本时，把 matplotlib、IPython、Jupyter 的缓存与配置放进临时目录（不读写用户主目录，
# 也避免用户目录里另一个 python3 内核顶替本环境的内核）；结束后删除。
ISOLATED_DIRS = {
    "MPLCONFIGDIR": ("matplotlib",), "IPYTHONDIR": ("ipython",),
    "JUPYTER_CONFIG_DIR": ("jupyter", "config"), "JUPYTER_DATA_DIR": ("jupyter", "data"),
    "JUPYTER_RUNTIME_DIR": ("jupyter", "runtime"),
}
HELP = """CRM精准营销工作簿 —— 用法：{cmd} 命令 [参数 …]

  lab           装好环境（第一次需要几分钟）并用 JupyterLab 打开 notebooks/00_开始之前.ipynb
  test          运行全部测试：pytest tests，再对 notebooks/ 与 solutions/ 运行 nbval
  notebooks     按顺序重新运行笔记本并保存输出（可写 --timeout 秒数、只跑某几本的路径）
  present       课堂演示（python -m helpers.course.present）
  bench         运行性能基准 benchmarks/run_all.py
  install       只装环境，不打开（可写依赖组，例如 install dev）
  browser-deps  检查或安装浏览器测试用的 Chromium 和中文字体（Debian/Ubuntu）
  spark-check   可选：在本机 Spark 上检查规则的 Spark SQL（需要 Java 17，环境在 .venv-spark）
  clean         删除虚拟环境

命令后面的参数原样传下去，例如：{cmd} lab --no-browser --port 8890
命令前的选项：--venv 目录（默认仓库里的 .venv），--dry-run（只显示要运行的命令，不运行）。
需要 Python {need} 或更新版本。"""


class WorkbookError(Exception):
    """给用户看的中文错误（main 打印“错误：……”并返回 1）。"""


class Interrupted(Exception):
    """用户按了 Ctrl+C，子进程已经结束。"""


def implied_extras(pyproject_text):
    """pyproject.toml 里每个依赖组直接包含的别的组：dev = ["crm-workbook-helpers[lab,present]", …] 得到
    {"dev": {"lab", "present"}}。只读 [project.optional-dependencies] 这一节（Python 3.10 没有 tomllib）。"""
    implied, current, inside = {}, None, False
    for line in pyproject_text.splitlines():
        line = line.split("#", 1)[0].strip()
        header = re.match(r"\[\s*([A-Za-z0-9_.-]+)\s*\]$", line)          # 表头，例如 [project.optional-dependencies]
        if header:
            inside, current = header.group(1) == "project.optional-dependencies", None
            continue
        if not inside:
            continue
        match = re.match(r"([A-Za-z0-9_.-]+)\s*=\s*\[", line)
        if match:
            current = match.group(1)
            implied[current] = set()
        for inner in re.findall(r"[\"']" + re.escape(PACKAGE) + r"\[([^\]]*)\]", line):
            if current:
                implied[current].update(part.strip() for part in inner.split(",") if part.strip())
    return implied


def closure(extras, implied=None):
    """依赖组连同它（一层层）包含的组，例如 dev → {dev, lab, present}。"""
    implied = implied or {}
    found, todo = set(), list(extras)
    while todo:
        extra = todo.pop()
        if extra not in found:
            found.add(extra)
            todo.extend(implied.get(extra, ()))
    return found


def read_pyproject(path):
    """pyproject.toml 的 SHA-256 和各依赖组包含的组。"""
    with open(path, "rb") as fh:
        raw = fh.read()
    return hashlib.sha256(raw).hexdigest(), implied_extras(raw.decode("utf-8"))


def missing_extras(stamp, wanted, pyproject_hash, implied=None):
    """还要安装的依赖组（排好序）。stamp 是上次记下的 {"pyproject": 哈希, "extras": [...]}，
    pyproject.toml 改过时以前装的都不算数；implied 是 implied_extras() 的结果。"""
    done = set(stamp.get("extras", ())) if stamp.get("pyproject") == pyproject_hash else set()
    return sorted(set(wanted) - closure(done, implied))


def isolated_env(environ, tmp):
    """测试、重跑笔记本用的环境变量：缓存与配置目录都在 tmp 里。"""
    env = dict(environ)
    for name, parts in ISOLATED_DIRS.items():
        env[name] = os.path.join(tmp, *parts)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def list_notebooks(root, dirs=NB_DIRS):
    """notebooks/ 与 solutions/ 里的笔记本（相对路径，按文件名排序：两位数字前缀决定顺序）。"""
    found = []
    for folder in dirs:
        names = glob.glob(os.path.join(root, folder, "*.ipynb"))
        found += sorted(os.path.relpath(name, root) for name in names)
    return found


def browser_deps_plan(ready, has_apt, missing, is_root, sudo_ok):
    """浏览器测试依赖怎么办：("ready", …)、("install", sudo 前缀)、("notice", 中文原因)。"""
    if ready:
        return ("ready", None)
    if not has_apt:
        return ("notice", "这不是 Debian/Ubuntu 系统，无法自动安装浏览器测试依赖。")
    if not missing:
        return ("ready", None)
    if is_root:
        return ("install", [])
    if sudo_ok:
        return ("install", ["sudo", "-n"])
    return ("notice", "缺少 %s，需要 root 或免密码 sudo 才能安装。" % " ".join(missing))


def loud(reason):
    bar = "!" * 72
    print("\n".join(["", bar, "!! 注意：" + reason,
                     "!! 浏览器测试需要 Chromium 和一个中文字体，缺少时这些测试会被跳过。",
                     "!! Debian/Ubuntu：sudo apt-get install -y " + " ".join(BROWSER_PKGS),
                     "!! macOS、Windows 等其他系统：请自行安装 Chromium，并设置 CRM_CHROMIUM=<浏览器路径>",
                     bar, ""]), flush=True)


def show(cmd):
    if WINDOWS:
        return subprocess.list2cmdline(cmd)
    import shlex
    return " ".join(shlex.quote(part) for part in cmd)


def execute(cmd, env=None, cwd=None):
    """运行一个命令并等它结束，返回 (退出码, 是否按过 Ctrl+C)。Ctrl+C 交给子进程自己处理
    （JupyterLab 会问是否退出，pytest 会打印小结），启动器等它真正结束。"""
    proc = subprocess.Popen(cmd, env=env, cwd=cwd)
    interrupted = False
    while True:
        try:
            return proc.wait(), interrupted
        except KeyboardInterrupt:
            interrupted = True


class Workbook(object):
    """一个仓库加一个虚拟环境：建环境、按依赖组安装、运行各个命令。"""

    def __init__(self, root=ROOT, venv=None, dry_run=False, windows=None, environ=None, base_python=None):
        self.root = root
        self.venv = venv or os.path.join(root, ".venv")
        self.dry_run = dry_run
        self.windows = WINDOWS if windows is None else windows
        self.environ = dict(os.environ if environ is None else environ)
        self.base_python = base_python or sys.executable
        self.execute = execute

    @property
    def python(self):
        return venv_python(self.venv, self.windows)

    @property
    def stamp_path(self):
        return os.path.join(self.venv, STAMP)

    def run(self, cmd, env=None, stop_on_interrupt=True):
        """运行命令（在仓库根目录），返回退出码；--dry-run 时只打印。按过 Ctrl+C 时：stop_on_interrupt
        为真就抛出 Interrupted（后面的步骤不再运行），否则当作正常退出返回 0。"""
        if self.dry_run:
            print("将运行：" + show(cmd), flush=True)
            return 0
        sys.stdout.flush()
        code, interrupted = self.execute(cmd, env=env if env is not None else self.environ, cwd=self.root)
        if interrupted:
            if stop_on_interrupt:
                raise Interrupted()
            return 0                              # JupyterLab、课堂演示：按 Ctrl+C 就是正常的退出办法
        return 128 - code if code < 0 else code   # 被信号结束（POSIX 上是负数）：按 shell 的习惯写成 128+信号

    def output(self, cmd):
        """运行命令并返回它打印的文字；命令不存在或运行出错时返回 None。"""
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=self.environ).stdout
        except (OSError, subprocess.SubprocessError):
            return None

    def succeeds(self, cmd):
        """命令能运行并且退出码为 0。"""
        try:
            return subprocess.run(cmd, capture_output=True, timeout=60, env=self.environ).returncode == 0
        except (OSError, subprocess.SubprocessError):
            return False

    # ---- 环境 --------------------------------------------------------------------------------
    def read_stamp(self):
        try:
            with open(self.stamp_path, encoding="utf-8") as fh:
                stamp = json.load(fh)
            return stamp if isinstance(stamp, dict) else {}
        except (OSError, ValueError):
            return {}

    def write_stamp(self, pyproject_hash, extras):
        with open(self.stamp_path, "w", encoding="utf-8") as fh:
            json.dump({"pyproject": pyproject_hash, "extras": sorted(extras)}, fh, ensure_ascii=False)
            fh.write("\n")

    def create_venv(self):
        print("创建虚拟环境 %s（Python %s）……" % (self.venv, version_text(sys.version_info)), flush=True)
        if self.run([self.base_python, "-m", "venv", self.venv]) != 0 or (
                not self.dry_run and not os.path.isfile(self.python)):
            hint = ("Debian/Ubuntu 请先安装：sudo apt-get install python3-venv" if not self.windows
                    else "请确认 Python 是从 python.org 安装的完整版本")
            raise WorkbookError("无法创建虚拟环境 %s。\n      %s" % (self.venv, hint))

    def check_venv_python(self):
        code = "import sys; print('%d.%d.%d' % sys.version_info[:3])"
        text = self.output([self.python, "-c", code])
        parts = tuple(int(p) for p in text.strip().split(".")) if text and text.strip() else None
        if parts is None:
            raise WorkbookError("虚拟环境 %s 里的 Python 无法运行（多半是建它的 Python 被卸载或升级了）。\n"
                                "      请删除它后重新运行：%s clean" % (self.venv, launcher_command(self.windows)))
        message = too_old_message(parts, self.python, self.windows)
        if message:
            raise WorkbookError(message.strip().replace("错误：", "", 1))

    def ensure(self, extras):
        """保证虚拟环境存在、extras 这些依赖组已按当前的 pyproject.toml 装好；用到 JupyterLab 时设成中文界面。"""
        pyproject = os.path.join(self.root, "pyproject.toml")
        if not os.path.isfile(pyproject):
            raise WorkbookError("%s 里没有 pyproject.toml：请在完整的工作簿文件夹里运行本启动器。" % self.root)
        if os.path.isfile(self.python):
            if not self.dry_run:
                self.check_venv_python()
        else:
            self.create_venv()
        pyproject_hash, implied = read_pyproject(pyproject)
        stamp = self.read_stamp()
        missing = missing_extras(stamp, extras, pyproject_hash, implied)
        if missing:
            target = ".[%s]" % ",".join(missing)
            print("安装工作簿及依赖组 %s（第一次需要几分钟）……" % "、".join(missing), flush=True)
            env = dict(self.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
            if self.windows:
                env["PYTHONUTF8"] = "1"      # 路径和文件里有中文时，不按系统代码页（GBK）读写
            if self.run([self.python, "-m", "pip", "install", "-e", target], env=env) != 0:
                raise WorkbookError("安装失败（见上面 pip 的输出）。网络不好时可以换镜像再试，例如设置环境变量 "
                                    "PIP_INDEX_URL=https://pypi.tuna.tsinghua.edu.cn/simple")
            done = set(stamp.get("extras", ())) if stamp.get("pyproject") == pyproject_hash else set()
            if not self.dry_run:
                self.write_stamp(pyproject_hash, closure(done | set(missing), implied))
        if "lab" in closure(extras, implied):
            self.run([self.python, "-m", "helpers.course.labsetup"])

    # ---- 命令 --------------------------------------------------------------------------------
    def lab(self, args):
        self.ensure(EXTRAS["lab"])
        cmd = [self.python, "-m", "jupyterlab"]
        if not self.windows and hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")          # 以 root 身份运行时 Jupyter 需要它
        # 根目录固定为仓库：文件浏览器里能看到 notebooks/、exercises/、solutions/
        cmd += ["--ServerApp.root_dir=" + self.root] + list(args)
        if os.path.isfile(os.path.join(self.root, FIRST_NOTEBOOK)):
            cmd.append(FIRST_NOTEBOOK)
            print("打开 JupyterLab（按 Ctrl+C 两次退出）……", flush=True)
        else:
            print("提示：还没有 %s，在仓库根目录打开 JupyterLab。" % FIRST_NOTEBOOK, flush=True)
        return self.run(cmd, stop_on_interrupt=False)

    def test_commands(self, args, dirs):
        """两步测试的命令：pytest tests；nbval 检查 dirs 里的笔记本（dirs 为空时没有第二步）。"""
        unit = [self.python, "-m", "pytest", "tests"] + list(args)
        if not dirs:
            return unit, None
        notebooks = ([self.python, "-m", "pytest", "--nbval", "--nbval-current-env"] + list(dirs)
                     + ["--nbval-sanitize-with", os.path.join("tests", "nbval_sanitize.cfg")] + list(args))
        return unit, notebooks

    def test(self, args):
        """先跑 pytest tests（MPLBACKEND=Agg，不弹窗），再对笔记本跑 nbval（不设 MPLBACKEND：内核用内嵌图，
        与 notebooks 命令保存的输出一致）。两步都运行，任一失败则整体失败（退出码取先失败的一步）。"""
        self.ensure(EXTRAS["test"])
        self.browser_deps()
        tmp = tempfile.mkdtemp(prefix="crm-workbook.")
        try:
            env = isolated_env(self.environ, tmp)
            if not env.get("CRM_CHROMIUM") and os.access(CHROMIUM, os.X_OK):
                env["CRM_CHROMIUM"] = CHROMIUM
            dirs = [d for d in NB_DIRS if list_notebooks(self.root, (d,))]
            unit, notebooks = self.test_commands(args, dirs)
            print("== 1/2 单元测试：pytest tests ==", flush=True)
            status = self.run(unit, env=dict(env, MPLBACKEND="Agg"))
            if notebooks is None:
                print("== 2/2 笔记本测试：notebooks/ 与 solutions/ 里还没有笔记本，跳过 ==", flush=True)
                return status
            print("== 2/2 笔记本测试：pytest --nbval %s ==" % " ".join(dirs), flush=True)
            env.pop("MPLBACKEND", None)
            second = self.run(notebooks, env=env)
            return status or second
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def browser_deps(self, args=()):
        """浏览器测试需要的 Chromium 与中文字体：Debian/Ubuntu 上自动安装，其他系统只醒目地提示。"""
        chromium = self.environ.get("CRM_CHROMIUM")
        if chromium and os.access(chromium, os.X_OK):
            print("浏览器测试用 CRM_CHROMIUM=%s" % chromium)
            return 0
        font = os.path.exists(CJK_FONT) or "WenQuanYi Micro Hei" in (self.output(["fc-list"]) or "")
        ready = not self.windows and os.access(CHROMIUM, os.X_OK) and font
        has_apt = not self.windows and shutil.which("apt-get") is not None
        missing = [p for p in BROWSER_PKGS if has_apt and not ready and "ok installed" not in (
            self.output(["dpkg-query", "-W", "-f=${Status}", p]) or "")]
        is_root = hasattr(os, "geteuid") and os.geteuid() == 0
        sudo_ok = bool(has_apt and missing and not is_root and shutil.which("sudo")
                       and self.succeeds(["sudo", "-n", "true"]))
        action, detail = browser_deps_plan(ready, has_apt, missing, is_root, sudo_ok)
        if action == "ready":
            print("浏览器测试依赖已就绪：%s，文泉驿微米黑" % CHROMIUM)
        elif action == "notice":
            loud(detail)
        else:
            print("安装浏览器测试依赖：%s ……" % " ".join(missing), flush=True)
            ok = self.run(detail + ["apt-get", "update", "-q"]) == 0 and self.run(
                detail + ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q"] + missing) == 0
            if ok:
                print("浏览器测试依赖已安装：%s" % " ".join(missing))
            else:
                loud("apt-get 安装 %s 失败。" % " ".join(missing))
        return 0

    def notebooks(self, args):
        """重新运行笔记本并保存输出（不设 MPLBACKEND，图表以内嵌图片保存）。
        参数：--timeout 秒数（每本最多运行多久，默认 600），笔记本路径（不写则全部）。"""
        args, timeout = list(args), NB_TIMEOUT
        if "--timeout" in args:
            i = args.index("--timeout")
            try:
                timeout = int(args[i + 1])
            except (IndexError, ValueError):
                raise WorkbookError("--timeout 后面应是秒数，例如 --timeout 600")
            del args[i:i + 2]
        unknown = [a for a in args if a.startswith("-")]
        if unknown:
            raise WorkbookError("notebooks 只接受 --timeout 秒数 和笔记本路径，不认识：%s" % " ".join(unknown))
        nbs = args or list_notebooks(self.root)
        if not nbs:
            print("notebooks/ 与 solutions/ 里还没有笔记本。")
            return 0
        self.ensure(EXTRAS["notebooks"])
        tmp = tempfile.mkdtemp(prefix="crm-workbook.")
        try:
            env = isolated_env(self.environ, tmp)
            env.pop("MPLBACKEND", None)
            for nb in nbs:
                print("== 重新运行 %s" % nb, flush=True)
                cmd = [self.python, "-m", "nbconvert", "--to", "notebook", "--execute", "--inplace",
                       "--ExecutePreprocessor.timeout=%d" % timeout, nb]
                if self.run(cmd, env=env) != 0:
                    print("失败：%s" % nb)
                    return 1
            return 0
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def bench(self, args):
        self.ensure(EXTRAS["bench"])
        return self.run([self.python, os.path.join("benchmarks", "run_all.py")] + list(args))

    def present(self, args):
        self.ensure(EXTRAS["present"])
        return self.run([self.python, "-m", "helpers.course.present"] + list(args), stop_on_interrupt=False)

    def install(self, args):
        extras = tuple(args) or EXTRAS["install"]
        self.ensure(extras)
        print("环境已就绪：%s（依赖组：%s）" % (self.venv, "、".join(extras)))
        return 0

    def spark_check(self, args):
        """可选：Spark SQL 检查。pyspark 装在单独的 .venv-spark 里，不进默认的环境。"""
        spark = Workbook(self.root, os.path.join(self.root, ".venv-spark"), self.dry_run, self.windows,
                         self.environ, self.base_python)
        spark.execute = self.execute
        spark.ensure(EXTRAS["spark-check"])
        return spark.run([spark.python, os.path.join("tools", "spark_check.py")] + list(args))

    def clean(self, args):
        if self.dry_run:
            print("将删除：%s" % self.venv)
            return 0
        return clean_venv(self.venv)


COMMANDS = {
    "lab": Workbook.lab, "test": Workbook.test, "notebooks": Workbook.notebooks, "present": Workbook.present,
    "bench": Workbook.bench, "install": Workbook.install, "browser-deps": Workbook.browser_deps,
    "spark-check": Workbook.spark_check, "clean": Workbook.clean,
}


def main(argv=None, workbook=None):
    """命令行入口，返回退出码。"""
    for stream in (sys.stdout, sys.stderr):          # 控制台不能显示的字（例如英文 Windows 上重定向时）不让程序崩溃
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    argv = sys.argv[1:] if argv is None else argv
    try:
        options = parse_args(argv)
    except ValueError as exc:
        print("错误：%s" % exc, file=sys.stderr)
        return 2
    if options.command == "help":
        print(HELP.format(cmd=launcher_command(), need="%d.%d" % MIN_PYTHON))
        return 0
    if options.command not in COMMANDS:
        print("错误：没有命令 %s。可用的命令：%s" % (options.command, "、".join(sorted(COMMANDS))), file=sys.stderr)
        return 2
    if workbook is None:
        workbook = Workbook(venv=default_venv(options), dry_run=options.dry_run)
    try:
        return COMMANDS[options.command](workbook, options.args)
    except WorkbookError as exc:
        print("\n错误：%s\n" % exc, file=sys.stderr)
        return 1
    except (Interrupted, KeyboardInterrupt):
        print("\n已中断。", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

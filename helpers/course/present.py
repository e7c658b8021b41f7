"""课堂演示（讲课模式）：用 Voilà 放映 notebooks/ 里的课，投影时不露代码。

老师这样打开（make present 或 python tools/workbook.py present 也是调用这里）::

    python -m helpers.course.present                      # 打开浏览器，起始页是章节目录
    python -m helpers.course.present --port 8870 --no-browser
    python -m helpers.course.present --preheat 02,07      # 提前把要讲的章运行好，点开就显示
    python -m helpers.course.present --show_tracebacks=True   # 其余参数原样交给 Voilà（这里是排查出错的格子）

- 只显示文字、表格、图表和能拖动的小部件（分组表单、RFM 探索器……），不显示代码（Voilà 的 strip_sources）；
- 出错的格子只显示一句中文提示，不给全班看 Traceback（show_tracebacks=False）；浅色主题；
- 中文界面：模板 ``crm``（helpers/course/voila/nbconvert/templates/crm/，在 Voilà 的 lab 模板上改：
  章节目录、等待画面和“正在运行第 x / y 格”、出错页），通过环境变量 JUPYTER_PATH 找到；
- 只听 127.0.0.1；端口被占用时给出中文说明，不悄悄换一个端口；
- 离开一页时关掉它的内核（模板里补上 Voilà 关内核要的 cookie），没关掉的断开 2 分钟后关掉。

Voilà 每打开一次页面就从头运行一遍这一课（内核的当前目录是 notebooks/），所以每一课都要快：
``benchmarks/bench_present.py`` 打印每一章打开要几秒。
"""
from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from ..validation import checked

TEMPLATE = "crm"
#: JUPYTER_PATH 里加的一项：其中 nbconvert/templates/crm/ 是讲课模式的模板。
#: 不放在 voila/templates/ 下：Voilà 把 JUPYTER_PATH 里第一个有 voila/ 子目录的地方当作它的数据目录
#: （主题、扩展都从那里找），放在那里会让 Voilà 找不到自己的主题。Voilà 也在 nbconvert/templates/ 下找模板。
TEMPLATE_ROOT = Path(__file__).resolve().parent / "voila"
HOST = "127.0.0.1"
DEFAULT_PORT = 8866
#: 讲课模式的 Voilà 设置（完整的设置名 → 值）。老师在命令行给了同一项时以老师的为准（例如 --show_tracebacks=True）。
VOILA_SETTINGS = {
    "VoilaConfiguration.template": TEMPLATE,
    "VoilaConfiguration.theme": "light",
    "VoilaConfiguration.strip_sources": "True",
    "VoilaConfiguration.show_tracebacks": "False",
    "VoilaConfiguration.classic_tree": "True",       # 起始页用模板里的中文章节目录，不用英文的文件浏览器
    "Voila.ip": HOST,
    "Voila.port_retries": "0",                       # 端口被占用就报错，不换到别的端口（打印的地址才是对的）
    "Voila.log_level": "ERROR",                      # 控制台不刷英文的日志，只报错；要看全部就加 --debug
    # 离开页面时内核没关掉的（例如直接关了浏览器），断开 2 分钟后关掉，免得内存越占越多；开着的页面不受影响
    "MappingKernelManager.cull_idle_timeout": "120",
    "MappingKernelManager.cull_interval": "30",
}
#: Voilà 命令行的简写 → 完整的设置名
VOILA_ALIASES = {"template": "VoilaConfiguration.template", "theme": "VoilaConfiguration.theme",
                 "strip_sources": "VoilaConfiguration.strip_sources",
                 "show_tracebacks": "VoilaConfiguration.show_tracebacks",
                 "classic_tree": "VoilaConfiguration.classic_tree", "classic-tree": "VoilaConfiguration.classic_tree"}
#: 这些开关也会改上面的设置：--debug 打开报错详情和调试日志
VOILA_FLAGS = {"debug": ("Voila.log_level", "VoilaConfiguration.show_tracebacks")}

USAGE = ("用法：python -m helpers.course.present [--port 8866] [--no-browser] [--preheat 02,07] [--notebooks 文件夹] "
         "[其余参数交给 Voilà，例如 --show_tracebacks=True]")


class UsageError(Exception):
    """命令行参数不对：main 打印中文说明，返回 2。"""


class _Parser(argparse.ArgumentParser):
    """参数错误时给出中文说明（而不是 argparse 的英文）。"""

    def error(self, message):
        if "invalid int value" in message:
            text = f"--port 应是整数，收到 {message.rsplit(':', 1)[-1].strip()}"
        elif "expected one argument" in message:
            text = f"{message.split()[1].rstrip(':')} 后面要写一个值"
        else:
            text = f"命令行参数不对（{message}）"
        raise UsageError(f"{text}。\n{USAGE}")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m helpers.course.present", allow_abbrev=False, add_help=False,
                description="课堂演示（讲课模式）：用 Voilà 放映课程，只显示文字、表格、图表和小部件，不显示代码。"
                            "没有列出的参数原样交给 Voilà。")
    p.add_argument("-h", "--help", action="help", help="显示这段说明")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="端口", help=f"端口（默认 {DEFAULT_PORT}）")
    p.add_argument("--no-browser", action="store_true", help="不自动打开浏览器（自己打开打印出的地址）")
    p.add_argument("--notebooks", type=Path, default=None, metavar="文件夹",
                   help="放课的文件夹（默认是工作簿里的 notebooks/）")
    p.add_argument("--preheat", default="", metavar="章节号",
                   help="提前把这几章运行好（章节号，逗号隔开，例如 02,07）：打开时不用等；每章多占一个内核的内存")
    return p


@checked
def default_notebooks() -> Path:
    """工作簿里的 notebooks/：先找 helpers 旁边的（从源码运行、可编辑安装），再找当前目录下的。"""
    beside = Path(__file__).resolve().parents[2] / "notebooks"
    return beside if beside.is_dir() else Path.cwd() / "notebooks"


@checked
def port_is_free(port: int, host: str = HOST) -> bool:
    """这个端口现在能不能用（没有别的程序在听）。"""
    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


@checked
def voila_command(notebooks: Path, port: int = DEFAULT_PORT, open_browser: bool = True, extra: list | None = None,
                  python: str = sys.executable) -> list:
    """启动讲课模式的 Voilà 命令行：本工作簿的设置（VOILA_SETTINGS），再加上老师另外给的参数；
    老师给了同一项设置时只用老师的（Voilà 不接受同一项给两次）。"""
    extra = [str(a) for a in (extra or [])]
    given = set()
    for arg in extra:
        name = arg.lstrip("-").split("=", 1)[0]
        given.add(VOILA_ALIASES.get(name, name))
        given.update(VOILA_FLAGS.get(name, ()))
    settings = [f"--{name}={value}" for name, value in VOILA_SETTINGS.items() if name not in given]
    cmd = [python, "-m", "voila", str(notebooks), f"--port={port}", *settings]
    if not open_browser:
        cmd.append("--no-browser")
    return cmd + extra


@checked
def preheat_settings(notebooks: Path, chapters: str) -> list:
    """提前运行这几章（“02,07”）的 Voilà 参数：每章备好一个已经运行完的内核，打开时直接显示；
    用掉以后 Voilà 在后台再备一个。其余章节照常在打开时运行。章节号不对时给出中文 ValueError。"""
    import json

    wanted = [c.strip() for c in chapters.replace("，", ",").split(",") if c.strip()]
    if not wanted:
        return []
    pools = {"default": {"pool_size": 0}}
    for number in wanted:
        found = sorted(notebooks.glob(f"{number}_*.ipynb")) if number.isdigit() else []
        if not found:
            names = "、".join(p.name[:2] for p in sorted(notebooks.glob("[0-9][0-9]_*.ipynb")))
            raise ValueError(f"--preheat 里的“{number}”不是一章的章节号（有的章节：{names}）。")
        pools[found[0].name] = {"pool_size": 1}
    return ["--preheat_kernel=True", "--VoilaKernelManager.kernel_pools_config=" + json.dumps(pools, ensure_ascii=False)]


@checked
def voila_environment(environ: dict | None = None) -> dict:
    """运行 Voilà 的环境变量：JUPYTER_PATH 最前面加上模板所在的文件夹；去掉 MPLBACKEND
    （否则图表可能不显示——课里的 %matplotlib inline 之前，内核会沿用老师终端里的设置）。"""
    env = dict(os.environ if environ is None else environ)
    old = env.get("JUPYTER_PATH")
    env["JUPYTER_PATH"] = os.pathsep.join([str(TEMPLATE_ROOT)] + ([old] if old else []))
    env.pop("MPLBACKEND", None)
    return env


@checked
@contextlib.contextmanager
def running(port: int, notebooks: Path | None = None, extra: list | None = None, log=None, timeout: float = 60):
    """在后台开一个讲课模式（和老师运行 ``python -m helpers.course.present --no-browser`` 完全一样），
    等它能打开起始页后给出地址；退出时连同它的内核一起停掉。给浏览器测试和 benchmarks/bench_present.py 用。

    log：Voilà 输出写到哪里（打开的文件），默认丢掉。"""
    cmd = [sys.executable, "-m", "helpers.course.present", "--no-browser", f"--port={port}"]
    cmd += ([f"--notebooks={notebooks}"] if notebooks else []) + [str(a) for a in (extra or [])]
    out = log if log is not None else subprocess.DEVNULL
    own_group = {"start_new_session": True} if os.name == "posix" else \
        {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, **own_group)
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"讲课模式没有启动（退出码 {proc.returncode}）。命令：{' '.join(cmd)}")
            try:
                with urllib.request.urlopen(base + "/", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"讲课模式 {timeout:g} 秒内没有启动。命令：{' '.join(cmd)}")
            time.sleep(0.3)
        yield base
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    """停掉讲课模式和它开的全部内核（整个进程组）。"""
    if proc.poll() is None:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGTERM)
        else:
            proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            if os.name == "posix":
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
            proc.wait()


def _parse(argv: list) -> tuple:
    """(选项, 交给 Voilà 的其余参数)；参数不对时抛出 UsageError。"""
    args, extra = _parser().parse_known_args(argv)
    if not 1 <= args.port <= 65535:
        raise UsageError(f"--port 应是 1 到 65535 之间的整数，收到 {args.port}。")
    notebooks = (args.notebooks or default_notebooks()).resolve()
    if not notebooks.is_dir():
        raise UsageError(f"找不到放课的文件夹 {notebooks}。请在工作簿文件夹里运行，或用 --notebooks 指定。")
    if not any(notebooks.glob("*.ipynb")):
        raise UsageError(f"{notebooks} 里没有课（.ipynb 文件）。")
    positional = [a for i, a in enumerate(extra) if not a.startswith("-")
                  and not (i and extra[i - 1].startswith("-") and "=" not in extra[i - 1])]   # --theme dark 的 dark 不算
    if positional:
        raise UsageError(f"不认识的参数：{' '.join(positional)}（放课的文件夹用 --notebooks 指定）。\n{USAGE}")
    try:
        extra = preheat_settings(notebooks, args.preheat) + extra
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return args, notebooks, extra


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args, notebooks, extra = _parse(argv)
        if not port_is_free(args.port):
            raise UsageError(f"端口 {args.port} 已被占用（是不是已经开着一个课堂演示或 JupyterLab？）。"
                             f"换一个端口：python -m helpers.course.present --port {args.port + 1}")
    except UsageError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    cmd = voila_command(notebooks, args.port, not args.no_browser, extra)
    print(f"课堂演示（讲课模式）：http://{HOST}:{args.port}/ （起始页是章节目录）", flush=True)
    print(f"放映的课：{notebooks}。每打开一章会从头运行一遍，稍等几秒。按 Ctrl+C 停止。", flush=True)
    proc = subprocess.Popen(cmd, env=voila_environment())
    previous = signal.getsignal(signal.SIGTERM)
    # 有人结束本进程时（kill、启动器退出），也让 Voilà 先关掉它的内核再退出
    signal.signal(signal.SIGTERM, lambda signum, frame: proc.terminate())
    try:
        return proc.wait()
    except KeyboardInterrupt:             # Ctrl+C 也送到了 Voilà：等它关掉全部内核
        try:
            return_code = proc.wait(timeout=20)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            proc.terminate()
            return_code = proc.wait()
        print("课堂演示已停止。", flush=True)
        return 0 if return_code in (0, -signal.SIGINT, -signal.SIGTERM, 130) else return_code
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())

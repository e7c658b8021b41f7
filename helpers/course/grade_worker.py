"""批改的工作进程：一个长期运行的进程，依次运行分给它的作业，每份作业在自己的新内核里。

由 helpers.course.grade_pool 启动（python 一份复制出来的 grade_worker.py 工作进程的文件夹）。
nbformat、nbclient 只在启动时导入一次（约 1–2 秒），之后每份作业只多花启动内核的时间。
这个文件只用标准库和 nbformat / nbclient，不导入 helpers：启动它的是批改开始前留在内存里的那份源码，
学生改写装好的 helpers 也改不了它。

和批改程序的约定（都是一行 JSON）：
- 标准输入的第一行：{"key": 暗号, "memory_gb": 内存上限}；之后每行一份作业
  {"key": 暗号, "token": 这份作业的标记, "env": 内核的环境变量, "job": {...}}，暗号不对的行不理；
- 收到作业时在标准输出写一行 {"started": 标记}，答案写好时写一行
  {"done": 标记, "result": {status, errors, detail, code_seconds}}；
- 标准输入关闭时退出。别的输出（包括内核的）都写进日志（标准错误），不会混进回答。
"""
from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

DONE, TIMEOUT, ERROR = "完成", "超时", "出错"
STARTUP_TIMEOUT = 60         # 启动内核最多等多少秒（不计入作业的时间）
REPORT_TIMEOUT = 60          # 最后取出答案的单元格最多运行多少秒
PROBE_TIMEOUT = 5            # 超时中断后，等内核恢复响应最多多少秒
KERNEL_NAME = "crm-grader"
TIMEOUT_ENAME = "GradingTimeout"


def code_label(source: str) -> str:
    """单元格的第一行（最多 24 个字），反馈里用来指出是哪个单元格。"""
    first = next((line.strip() for line in source.splitlines() if line.strip()), "")
    return first if len(first) <= 24 else first[:24] + "…"


def limit_memory(gigabytes: float) -> None:
    """给这个进程（和它启动的每个内核）设内存上限；Windows 上没有这个功能，不设。"""
    if gigabytes <= 0 or os.name != "posix":
        return
    import resource

    limit = int(gigabytes * 1024 ** 3)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def responds(client, replies) -> bool:
    """超时中断之后，内核还能运行一个空单元格吗？（忽略了中断的内核会让它也超时。）"""
    import nbformat

    probe = nbformat.v4.new_code_cell("pass")
    client.timeout = PROBE_TIMEOUT
    client.nb.cells.append(probe)
    index = len(client.nb.cells) - 1
    client.execute_cell(probe, index)
    client.nb.cells.pop()
    return (replies.pop(index, None) or {}).get("content", {}).get("ename") != TIMEOUT_ENAME


def stop_kernel(client) -> None:
    """立即结束内核和它的进程组，并等它退出；之后 nbclient 看到内核已经不在，就只清理连接。"""
    process = getattr(getattr(client.km, "provisioner", None), "process", None)
    if process is None or process.poll() is not None:
        return
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows：学生代码另起的进程由批改程序按作业标记结束
            process.kill()
        process.wait(timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        pass


def run_job(job: dict, report=None) -> dict:
    """用 nbclient 在新内核里逐个运行代码单元格，最后运行取答案的单元格；返回 {status, errors, detail, code_seconds}。

    调用前环境变量已换成这份作业的（内核从它继承 HOME、PYTHONPATH 和作业标记）。答案一写好就调用
    report(结果)（批改程序不必再等内核关掉），之后才关内核。"""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    nb = nbformat.read(job["notebook"], as_version=4)
    student_cells = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]
    numbers = {i: n for n, (i, _) in enumerate(student_cells, 1)}
    report_cell = nbformat.v4.new_code_cell(job["export_source"])
    nb.cells.append(report_cell)
    replies: dict[int, dict] = {}
    client = NotebookClient(
        nb, kernel_name=KERNEL_NAME, allow_errors=True, interrupt_on_timeout=True,
        error_on_timeout={"ename": TIMEOUT_ENAME, "evalue": "", "traceback": []},
        startup_timeout=STARTUP_TIMEOUT, record_timing=False, iopub_timeout=1, shutdown_kernel="immediate",
        resources={"metadata": {"path": job["workdir"]}},
        on_cell_executed=lambda cell, cell_index, execute_reply: replies.__setitem__(cell_index, execute_reply))
    result = {"status": DONE, "errors": [], "detail": "", "code_seconds": 0.0}
    current = None
    reported = []

    def finish() -> dict:
        if report is not None and not reported:
            reported.append(True)
            report(result)
            stop_kernel(client)            # 答案已经交出：直接结束内核，不必等它关机（省下约 0.1 秒）
        return result

    try:
        with client.setup_kernel():
            pid = getattr(getattr(client.km, "provisioner", None), "pid", None)
            if pid:
                Path(job["pidfile"]).write_text(str(pid))
            deadline = time.monotonic() + float(job["timeout"])
            for index, cell in student_cells:
                current = index
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    reply = {"content": {"status": "error", "ename": TIMEOUT_ENAME}}
                else:
                    client.timeout = max(1, math.ceil(remaining))
                    started = time.monotonic()
                    client.execute_cell(cell, index)
                    result["code_seconds"] += time.monotonic() - started
                    reply = replies.get(index) or {}
                content = reply.get("content", {})
                if content.get("ename") == TIMEOUT_ENAME:
                    result["status"] = TIMEOUT
                    where = f"运行超过 {float(job['timeout']):g} 秒，在第 {numbers[index]} 个代码单元格" \
                            f"（{code_label(cell.source)}）"
                    if remaining > 0 and not responds(client, replies):
                        result["detail"] = f"{where}没有响应中断，已强制停止，无法评分"
                        return finish()    # 离开 with 时立即结束内核
                    result["detail"] = f"{where}停下；之前完成的题目照常计分"
                    break
                if content.get("status") == "error":
                    result["errors"].append({"cell": numbers[index], "code": code_label(cell.source),
                                             "ename": content.get("ename", ""),
                                             "evalue": str(content.get("evalue", ""))[:200]})
                    if content.get("ename") == "MemoryError" and float(job.get("memory_gb") or 0):
                        result["status"] = ERROR
                        result["detail"] = (f"第 {numbers[index]} 个代码单元格（{code_label(cell.source)}）用掉的内存超过了 "
                                            f"{float(job['memory_gb']):g} GB 的上限，已停止运行；之前完成的题目照常计分")
                        break
            current = len(nb.cells) - 1
            client.timeout = REPORT_TIMEOUT
            client.execute_cell(report_cell, current)
            content = (replies.get(current) or {}).get("content", {})
            if content.get("status") == "error":
                result["status"] = ERROR if result["status"] == DONE else result["status"]
                result["detail"] = (result["detail"] + "；" if result["detail"] else "") + \
                    f"取答案的单元格没能运行：{content.get('ename', '')}: {str(content.get('evalue', ''))[:120]}"
            finish()                       # 答案已经写好：先回答，再关内核
    except DeadKernelError:
        where = f"第 {numbers[current]} 个代码单元格" if current in numbers else "取答案时"
        limit = float(job.get("memory_gb") or 0)
        memory = f"，或用掉的内存超过了 {limit:g} GB 的上限" if limit else ""
        result.update(status=ERROR, detail=f"内核在运行{where}时退出了（例如调用了 exit()、os._exit(){memory}），无法评分")
    except Exception as exc:  # 内核启动失败等
        if not reported:
            result.update(status=ERROR, detail=f"无法运行这本笔记本：{type(exc).__name__}: {str(exc)[:160]}")
    return finish()


def warm_up() -> None:
    """启动时把运行作业要用的模块都导入（包括第一次启动内核才会读的插件列表），之后的作业不再花这个时间。"""
    import nbformat  # noqa: F401
    from jupyter_client.provisioning import KernelProvisionerFactory
    from nbclient import NotebookClient  # noqa: F401
    from nbclient.exceptions import DeadKernelError  # noqa: F401

    factory = KernelProvisionerFactory.instance()
    entry = factory.provisioners.get(factory.default_provisioner_name)
    if entry is not None:
        entry.load()


def serve(home: Path) -> int:
    """读标准输入里的作业，一份一份地运行，每份结束时回一行。"""
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")     # 只用来回答批改程序
    os.dup2(2, 1)                                             # 其余输出（包括内核的）进日志
    warm_up()
    config = json.loads(sys.stdin.readline() or "{}")
    key = str(config.get("key") or "")
    limit_memory(float(config.get("memory_gb") or 0))
    base_env = dict(os.environ)
    while key:
        line = sys.stdin.readline()
        if not line:
            return 0                                          # 批改程序关掉了输入：退出
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if not isinstance(message, dict) or message.get("key") != key:
            continue                                          # 不是批改程序发来的
        token = str(message.get("token", ""))
        replies.write(json.dumps({"started": token}) + "\n")   # 收到了：之后批改进程若意外退出，这份作业不再重来
        replies.flush()
        sent = []

        def reply(result: dict) -> None:
            sent.append(True)
            replies.write(json.dumps({"done": token, "result": result}) + "\n")
            replies.flush()

        try:
            os.environ.clear()
            os.environ.update({str(k): str(v) for k, v in dict(message["env"]).items()})
            tempfile.tempdir = None
            os.chdir(Path(message["job"]["workdir"]).parent)
            run_job(message["job"], reply)
        except Exception as exc:  # 批改程序自己的意外：只影响这一份
            traceback.print_exc()
            if not sent:
                reply({"status": ERROR, "errors": [],
                       "detail": f"批改程序出错：{type(exc).__name__}: {str(exc)[:160]}"})
        finally:
            os.environ.clear()                                # 作业的标记不留在这个进程里
            os.environ.update(base_env)
            tempfile.tempdir = None
            os.chdir(home)
    return 0


if __name__ == "__main__":
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
    sys.exit(serve(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()))

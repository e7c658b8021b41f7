"""批量评分：把一个文件夹里学生交上来的练习本逐一运行、检查，写成一张成绩表。

用法（在装好本工作簿环境的终端里）::

    python -m helpers.course.grade 作业目录/ --out 成绩.xlsx
    python -m helpers.course.grade 作业目录/ --out 成绩.csv --chapter 02 --timeout 120 --jobs 2

判分在学生的内核之外进行：学生的内核只负责运行笔记本、交出答案（表、数、文字、列表，写成
JSON 和 Parquet，见 helpers.course.answers）；全部作业运行完以后，批改程序另起一个进程，用开始批改前
在内存里留好的一份 helpers 和数据，读回这些答案再判分。学生在内核里改掉检查函数、伪造结果文件、
结束批改子进程、甚至改写装好的 helpers 文件，都改变不了任何一份作业的分数。

注意：批改会运行学生的代码。每份作业在自己的临时文件夹、自己的 Jupyter 内核、自己的一份 helpers
和数据里运行，有时间和内存上限，结束时它启动的所有进程都会被结束；但这并不是安全沙箱（学生的代码
仍能读你电脑上的文件、访问网络），来源不可信的作业请在断网的容器里批改（见 README）。

- 作业文件名随意（学生常常改名）：章节看笔记本元数据 crm_exercise.chapter，
  没有时看 ``from helpers.course.exercises import ch02`` 这一行；
- 每份作业先复制到临时文件夹再运行，作业目录里的文件一个字节也不会改，也不会多出文件；
- 一份作业出问题（死循环、语法错误、删了单元格、空文件、不是笔记本、别的章节）只影响它自己；
- 每一行：文件、学生、每道题的得分、总分、满分、状态（完成/超时/出错/不是笔记本）、反馈、用时；
  另有一张“题目统计”：每道题多少人答对、多少人作答、最常见的错误。
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

DONE, TIMEOUT, ERROR, NOT_NOTEBOOK = "完成", "超时", "出错", "不是笔记本"
DEFAULT_MEMORY_GB = 3.0      # 每个内核最多用多少内存（GB）；超过时这份作业记为出错
DEFAULT_TIMEOUT = 120        # 每份作业的学生代码最多运行多少秒
STARTUP_TIMEOUT = 60         # 启动内核最多等多少秒（不计入上面的时间）
REPORT_TIMEOUT = 60          # 最后取出答案的单元格最多运行多少秒
JOB_ENV = "CRM_GRADE_JOB"    # 每份作业的内核和它启动的进程都带着这个环境变量，批改完按它找出来结束
PROBE_TIMEOUT = 5            # 超时中断后，等内核恢复响应最多多少秒
KERNEL_NAME = "crm-grader"
TIMEOUT_ENAME = "GradingTimeout"
FEEDBACK_LIMIT = 160         # 反馈里每条说明最多多少字

# setup 单元的 import 行；旧路径 helpers.exercises 发出去的练习本也认得。
SETUP_IMPORT = re.compile(r"from\s+helpers\.(?:course\.)?exercises\s+import\s+(ch\d\d|[A-Za-z_]\w*)"
                          r"|helpers\.(?:course\.)?exercises\.(ch\d\d|[A-Za-z_]\w*)")
_NAME_ASSIGN = re.compile(r"^\s*(?:学生姓名|姓名|student_name)\s*=\s*(['\"])(.*?)\1", re.M)
_NAME_LINE = re.compile(r"^\s*(?:#|\*\*)?\s*(?:学生)?姓名\s*(?:\*\*)?\s*[:：]\s*(?:\*\*)?\s*([^\s*#]+)", re.M)
_PLACEHOLDER_NAMES = ("填写", "你的姓名", "你的名字", "...", "…", "xxx", "XXX")


# ---------------------------------------------------------------------------
# 读取作业
# ---------------------------------------------------------------------------
@dataclass
class Submission:
    """一份作业：相对路径、原始字节、读出的笔记本（读不出时 problem 说明原因）。"""

    path: Path
    rel: str
    data: bytes
    nb: object = None
    problem: str = ""
    chapter: str | None = None
    student: str = ""


def find_submissions(folder: Path) -> list[Path]:
    """作业目录里的全部文件（包括子文件夹；跳过隐藏文件和 .ipynb_checkpoints）。"""
    files = []
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if any(p.startswith(".") or p in ("__MACOSX", "__pycache__") for p in parts) or not path.is_file():
            continue
        files.append(path)
    return files


def detect_chapter(nb) -> str | None:
    """练习本属于哪一章：先看元数据 crm_exercise.chapter，再看 setup 的 import 行。"""
    from .exercises import normalize_chapter

    meta = nb.get("metadata", {}).get("crm_exercise", {})
    if isinstance(meta, dict) and meta.get("chapter"):
        return normalize_chapter(meta["chapter"])
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            match = SETUP_IMPORT.search(str(cell.get("source", "")))
            if match:
                return normalize_chapter(match.group(1) or match.group(2))
    return None


def student_name(nb, path: Path) -> str:
    """学生姓名：笔记本里的 学生姓名 = "张三" 或“姓名：张三”，没有（或没填）时用文件名。"""
    if nb is not None:
        for cell in nb.get("cells", []):
            source = str(cell.get("source", ""))
            for match in list(_NAME_ASSIGN.finditer(source)) + list(_NAME_LINE.finditer(source)):
                name = match.group(match.lastindex).strip()
                if name and not any(p in name for p in _PLACEHOLDER_NAMES):
                    return name
    return path.stem


def read_submission(path: Path, folder: Path) -> Submission:
    """读一份作业（只读，不改动文件）；不是笔记本时 problem 写明原因。"""
    import nbformat

    rel = path.relative_to(folder).as_posix()
    data = path.read_bytes()
    sub = Submission(path=path, rel=rel, data=data)
    kind = f"{path.suffix} 文件" if path.suffix else "没有扩展名的文件"
    if not data.strip():
        sub.problem = "文件是空的"
    else:
        try:
            # .ipynb 被截断时最后一个汉字可能只剩半个：照样试着读，报告 JSON 在哪一行坏了
            text = data.decode("utf-8-sig", errors="replace" if path.suffix.lower() == ".ipynb" else "strict")
            raw = json.loads(text)
        except UnicodeDecodeError:
            sub.problem = f"{kind}，不是 Jupyter 笔记本"
        except json.JSONDecodeError as exc:
            sub.problem = (f"文件内容不完整或已损坏（第 {exc.lineno} 行），无法按笔记本读取"
                           if path.suffix.lower() == ".ipynb" else f"{kind}，不是 Jupyter 笔记本")
        else:
            if not isinstance(raw, dict) or not isinstance(raw.get("cells", raw.get("worksheets")), list):
                sub.problem = "是 JSON 文件，但不是 Jupyter 笔记本（没有单元格）"
            else:
                try:
                    sub.nb = nbformat.reads(text, as_version=4)
                    for cell in sub.nb.cells:
                        if "cell_type" not in cell or not isinstance(cell.get("source", ""), str):
                            raise ValueError("有的单元格结构不对")
                except Exception as exc:  # nbformat 的各种校验错误
                    sub.nb = None
                    sub.problem = f"笔记本格式不对：{str(exc)[:80]}"
    sub.student = student_name(sub.nb, path)
    if sub.nb is not None:
        sub.chapter = detect_chapter(sub.nb)
    return sub


# ---------------------------------------------------------------------------
# 开始批改前留下的一份 helpers 和数据（学生的代码碰不到它）
# ---------------------------------------------------------------------------
class Snapshot:
    """开始批改前把 helpers/ 和 datasets/ 的每个文件读进内存。

    - 每份作业运行前写出一份给它自己用（学生改坏了也只坏它自己那份）；
    - 判分时写出一份新的给判分进程用（这时所有作业都已结束，没人能碰到它）；
    - changed() 看装好的 helpers 和数据有没有被改动（只提醒老师，不替老师改回去）。
    """

    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root else Path(__file__).resolve().parents[2]
        self.files: dict[str, bytes] = {rel: path.read_bytes() for rel, path in self._walk()}

    def _walk(self):
        """helpers/ 和 datasets/ 里的每个文件：(相对路径, 路径)，跳过 __pycache__。"""
        for top in ("helpers", "datasets"):
            for path in sorted((self.root / top).rglob("*")):
                rel = path.relative_to(self.root).as_posix()
                if path.is_file() and "__pycache__" not in rel and not rel.endswith(".pyc"):
                    yield rel, path

    def write(self, target: Path) -> Path:
        for rel, data in self.files.items():
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return target

    def changed(self) -> list[str]:
        """装好的 helpers/、datasets/ 里和开始时不一样（改了、删了、多出来）的文件。"""
        now = dict(self._walk())
        diff = [rel for rel, path in now.items() if rel not in self.files or path.read_bytes() != self.files[rel]]
        return sorted(diff + [rel for rel in self.files if rel not in now])


# ---------------------------------------------------------------------------
# 在子进程里运行一份作业
# ---------------------------------------------------------------------------
def _isolated_env(job_dir: Path, package: Path | None = None) -> dict:
    """内核的 HOME、临时文件、IPython、Jupyter、matplotlib 目录都放进这份作业的临时文件夹。"""
    env = dict(os.environ)
    dirs = {"HOME": "home", "IPYTHONDIR": "ipython", "MPLCONFIGDIR": "matplotlib",
            "JUPYTER_CONFIG_DIR": "jupyter/config", "JUPYTER_DATA_DIR": "jupyter/data",
            "JUPYTER_RUNTIME_DIR": "jupyter/runtime", "TMPDIR": "tmp", "TEMP": "tmp", "TMP": "tmp"}
    for key, sub in dirs.items():
        (job_dir / sub).mkdir(parents=True, exist_ok=True)
        env[key] = str(job_dir / sub)
    env.update(JUPYTER_PLATFORM_DIRS="1", MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1",
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    package_root = str(package or Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
    env.pop("CRM_DATASETS", None)          # 数据跟着这份 helpers 走（package/datasets）
    spec = job_dir / "jupyter/data/kernels" / KERNEL_NAME
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "CRM 批改", "language": "python"}), encoding="utf-8")
    return env


def _kill_job_processes(token: str) -> int:
    """结束带着这份作业标记（环境变量 CRM_GRADE_JOB）的所有进程，包括学生代码用
    start_new_session=True 另起的进程；返回结束了几个。"""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil 是依赖；缺了只能靠进程组
        return 0
    killed = 0
    me = os.getpid()
    for proc in psutil.process_iter(["pid"]):
        if proc.pid == me:
            continue
        try:
            if proc.environ().get(JOB_ENV) == token:
                proc.kill()
                killed += 1
        except (psutil.Error, OSError):
            continue
    return killed


def _kill(pid: int) -> None:
    """结束一个进程和它的进程组（内核由 jupyter_client 放在自己的进程组里）。"""
    try:
        if os.name == "posix":
            os.killpg(pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(pid)], capture_output=True)
    except (ProcessLookupError, PermissionError, OSError):
        pass


def _code_label(source: str) -> str:
    first = next((line.strip() for line in source.splitlines() if line.strip()), "")
    return first if len(first) <= 24 else first[:24] + "…"


def run_submission(sub: Submission, chapter: str, timeout: float, tmp_root: Path | None = None,
                   grace: float = STARTUP_TIMEOUT + PROBE_TIMEOUT + REPORT_TIMEOUT + 30,
                   variables=(), snapshot: Snapshot | None = None,
                   memory_gb: float = DEFAULT_MEMORY_GB) -> dict:
    """在新的子进程和内核里运行一份作业，返回 {status, answers, errors, detail, seconds}。

    answers 是 {文件名: 字节}：内核最后交出的答案（helpers.course.answers 的格式），判分在别处进行。
    tmp_root 不给时每份作业用一个单独的临时文件夹（别的作业找不到它）。
    """
    import uuid

    start = time.monotonic()
    job_dir = Path(tempfile.mkdtemp(prefix="crm-job-", dir=tmp_root))
    work = job_dir / "work"
    work.mkdir()
    package = snapshot.write(job_dir / "pkg") if snapshot is not None else None
    import nbformat

    # 运行的是一份复制品（统一成 nbformat 4 的 JSON），作业目录里的原文件只读不写。
    (work / "submission.ipynb").write_text(nbformat.writes(sub.nb, version=4), encoding="utf-8")
    answers_dir = job_dir / "answers"
    job = {"notebook": str(work / "submission.ipynb"), "workdir": str(work), "chapter": chapter,
           "timeout": timeout, "answers": str(answers_dir), "variables": list(variables),
           "result": str(job_dir / "result.json"), "pidfile": str(job_dir / "kernel.pid"),
           "memory_gb": memory_gb}
    (job_dir / "job.json").write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    env = _isolated_env(job_dir, package)
    token = uuid.uuid4().hex
    env[JOB_ENV] = token
    kwargs = {"start_new_session": True} if os.name == "posix" else \
        {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
    with open(job_dir / "worker.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "helpers.course.grade", "--worker", str(job_dir / "job.json")],
                                cwd=job_dir, env=env, stdout=log, stderr=subprocess.STDOUT, **kwargs)
        try:
            proc.wait(timeout=timeout + grace)
            killed = False
        except subprocess.TimeoutExpired:
            killed = True
        finally:
            # 正常结束时子进程自己关掉了内核；只有子进程还在运行（超过硬上限、或批改被打断）时才动手。
            pidfile = job_dir / "kernel.pid"
            if proc.poll() is None and pidfile.exists():
                try:
                    _kill(int(pidfile.read_text()))
                except ValueError:
                    pass
            if proc.poll() is None:
                if os.name == "posix":
                    _kill(proc.pid)
                else:  # pragma: no cover - Windows
                    proc.kill()
                proc.wait()
            _kill_job_processes(token)          # 学生代码另起的进程（换了进程组的也算）一并结束
    result_path = job_dir / "result.json"
    if killed:
        result = {"status": TIMEOUT, "errors": [],
                  "detail": f"运行超过 {timeout:g} 秒，内核没有响应中断，已强制停止，无法评分"}
    else:
        try:
            result = json.loads(result_path.read_text(encoding="utf-8"))
            result = {"status": result["status"] if result.get("status") in (DONE, TIMEOUT, ERROR) else ERROR,
                      "errors": [e for e in result.get("errors", []) if isinstance(e, dict)][:50],
                      "detail": str(result.get("detail", ""))[:400]}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            tail = (job_dir / "worker.log").read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
            result = {"status": ERROR, "errors": [],
                      "detail": "批改程序意外退出：" + " / ".join(tail)[-200:]}
    # 答案读进内存（只收答案文件夹里的普通文件），临时文件夹随即删除
    result["answers"] = {p.name: p.read_bytes() for p in answers_dir.glob("*")
                         if p.is_file() and not p.is_symlink()} if answers_dir.is_dir() else {}
    result["seconds"] = round(time.monotonic() - start, 1)
    shutil.rmtree(job_dir, ignore_errors=True)
    return result


def _responds(client, replies) -> bool:
    """超时中断之后，内核还能运行一个空单元格吗？（忽略了中断的内核会让它也超时。）"""
    import nbformat

    probe = nbformat.v4.new_code_cell("pass")
    client.timeout = PROBE_TIMEOUT
    client.nb.cells.append(probe)
    index = len(client.nb.cells) - 1
    client.execute_cell(probe, index)
    client.nb.cells.pop()
    return (replies.pop(index, None) or {}).get("content", {}).get("ename") != TIMEOUT_ENAME


def _worker(job_file: str) -> int:
    """子进程：用 nbclient 在新内核里逐个运行代码单元格，最后运行评分单元格。"""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    job = json.loads(Path(job_file).read_text(encoding="utf-8"))
    nb = nbformat.read(job["notebook"], as_version=4)
    student_cells = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]
    numbers = {i: n for n, (i, _) in enumerate(student_cells, 1)}
    from .answers import export_cell

    report_cell = nbformat.v4.new_code_cell(export_cell(job["variables"], job["answers"]))
    nb.cells.append(report_cell)
    _limit_memory(float(job.get("memory_gb") or 0))
    replies: dict[int, dict] = {}
    client = NotebookClient(
        nb, kernel_name=KERNEL_NAME, allow_errors=True, interrupt_on_timeout=True,
        error_on_timeout={"ename": TIMEOUT_ENAME, "evalue": "", "traceback": []},
        startup_timeout=STARTUP_TIMEOUT, record_timing=False, iopub_timeout=1, shutdown_kernel="immediate",
        resources={"metadata": {"path": job["workdir"]}},
        on_cell_executed=lambda cell, cell_index, execute_reply: replies.__setitem__(cell_index, execute_reply))
    result = {"status": DONE, "errors": [], "detail": ""}
    current = None
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
                    client.execute_cell(cell, index)
                    reply = replies.get(index) or {}
                content = reply.get("content", {})
                if content.get("ename") == TIMEOUT_ENAME:
                    result["status"] = TIMEOUT
                    where = f"运行超过 {float(job['timeout']):g} 秒，在第 {numbers[index]} 个代码单元格" \
                            f"（{_code_label(cell.source)}）"
                    if remaining > 0 and not _responds(client, replies):
                        result["detail"] = f"{where}没有响应中断，已强制停止，无法评分"
                        Path(job["result"]).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
                        return 0      # 离开 with 时立即结束内核
                    result["detail"] = f"{where}停下；之前完成的题目照常计分"
                    break
                if content.get("status") == "error":
                    result["errors"].append({"cell": numbers[index], "code": _code_label(cell.source),
                                             "ename": content.get("ename", ""),
                                             "evalue": str(content.get("evalue", ""))[:200]})
                    if content.get("ename") == "MemoryError" and float(job.get("memory_gb") or 0):
                        result["status"] = ERROR
                        result["detail"] = (f"第 {numbers[index]} 个代码单元格（{_code_label(cell.source)}）用掉的内存超过了 "
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
    except DeadKernelError:
        where = f"第 {numbers[current]} 个代码单元格" if current in numbers else "取答案时"
        limit = float(job.get("memory_gb") or 0)
        memory = f"，或用掉的内存超过了 {limit:g} GB 的上限" if limit else ""
        result.update(status=ERROR, detail=f"内核在运行{where}时退出了（例如调用了 exit()、os._exit(){memory}），无法评分")
    except Exception as exc:  # 内核启动失败等
        result.update(status=ERROR, detail=f"无法运行这本笔记本：{type(exc).__name__}: {str(exc)[:160]}")
    Path(job["result"]).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return 0


def _limit_memory(gigabytes: float) -> None:
    """给这个子进程（和它启动的内核）设内存上限；Windows 上没有这个功能，不设。"""
    if gigabytes <= 0 or os.name != "posix":
        return
    import resource

    limit = int(gigabytes * 1024 ** 3)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


# ---------------------------------------------------------------------------
# 判分：全部作业结束以后，在另一个进程里用开始时留下的那份 helpers 判分
# ---------------------------------------------------------------------------
def compute_verdicts(runs: dict, chapter: str, snapshot: Snapshot, timeout: float = 600) -> dict:
    """runs = {作业编号: 答案文件 {文件名: 字节}} → {作业编号: 每道题的结果列表}。

    判分进程的 helpers 和数据是 snapshot 这时才写出来的新副本：所有学生的内核都已结束，
    谁也改不了它；判分进程只读答案（JSON 和 Parquet），从不运行学生的代码。
    """
    with tempfile.TemporaryDirectory(prefix="crm-verdict-") as tmp:
        tmp = Path(tmp)
        package = snapshot.write(tmp / "pkg")
        folders = {}
        for i, (key, files) in enumerate(runs.items()):
            folder = tmp / "answers" / f"{i:04d}"
            folder.mkdir(parents=True)
            for name, data in files.items():
                (folder / Path(name).name).write_bytes(data)
            folders[str(key)] = str(folder)
        job = tmp / "verdict.json"
        out = tmp / "verdicts.json"
        job.write_text(json.dumps({"chapter": chapter, "folders": folders, "out": str(out)}, ensure_ascii=False),
                       encoding="utf-8")
        env = _isolated_env(tmp / "env", package)
        proc = subprocess.run([sys.executable, "-m", "helpers.course.grade", "--verdict", str(job)], cwd=tmp, env=env,
                              capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=timeout)
        if proc.returncode != 0 or not out.exists():
            tail = " / ".join(proc.stderr.strip().splitlines()[-3:])[-300:]
            raise RuntimeError(f"判分进程出错（这是批改程序的问题，不是学生的）：{tail}")
        return json.loads(out.read_text(encoding="utf-8"))


def _verdict(job_file: str) -> int:
    """判分进程：读回每份作业的答案，用本进程里的检查判分。"""
    from .answers import read_answers
    from .checks import grade_namespace
    from .exercises import load_chapter

    job = json.loads(Path(job_file).read_text(encoding="utf-8"))
    questions = load_chapter(job["chapter"]).QUESTIONS
    results = {key: grade_namespace(questions, read_answers(folder)) for key, folder in job["folders"].items()}
    Path(job["out"]).write_text(json.dumps(results, ensure_ascii=False, default=str), encoding="utf-8")
    return 0


# ---------------------------------------------------------------------------
# 批改前检查自己需要的东西
# ---------------------------------------------------------------------------
def check_prerequisites(chapter: str | None = None) -> list[str]:
    """批改需要的东西：能运行笔记本的 nbclient / nbformat / ipykernel、读写答案的 pyarrow、
    结束进程用的 psutil、这一章的题目。返回缺少的项目（中文说明），都在时返回空列表。"""
    import importlib.util

    problems = []
    needs = {"nbformat": "读笔记本", "nbclient": "运行笔记本", "jupyter_client": "和内核通信",
             "ipykernel": "Python 内核", "pyarrow": "读写答案（Parquet）", "psutil": "结束作业启动的进程"}
    missing = [f"{name}（{why}）" for name, why in needs.items() if importlib.util.find_spec(name) is None]
    if missing:
        problems.append("缺少 Python 包：" + "、".join(missing) +
                        "。请在工作簿的环境里安装：python -m pip install -e .（或运行 make lab 一次）")
    if chapter is not None:
        try:
            from .exercises import load_chapter

            load_chapter(chapter).QUESTIONS
        except Exception as exc:  # 章节模块坏了、题库文件缺了
            problems.append(f"读不出这一章的题目：{type(exc).__name__}: {str(exc)[:160]}")
    return problems


# ---------------------------------------------------------------------------
# 汇总成表
# ---------------------------------------------------------------------------
@dataclass
class Graded:
    """一份作业的批改结果。"""

    sub: Submission
    status: str
    questions: list = field(default_factory=list)   # report 里的每道题
    errors: list = field(default_factory=list)
    detail: str = ""
    seconds: float = 0.0
    note: str = ""                                  # 给老师的提醒（例如改动了工作簿自己的文件）


def _short(text: str, limit: int = FEEDBACK_LIMIT) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def feedback(g: Graded) -> str:
    """一行简短的中文反馈：哪几题错了、为什么，哪些单元格出错，是否超时。"""
    parts = []
    if g.detail:
        parts.append(g.detail)
    wrong = [q for q in g.questions if not q["correct"]]
    for q in wrong:
        if not q["answered"]:
            parts.append(f"{q['name']} 未作答")
        elif q.get("score"):
            parts.append(f"{q['name']} 部分正确（{q['score']:g}/{q['points']:g} 分）：{_short(q['message']).rstrip('。')}")
        else:
            parts.append(f"{q['name']} 错：{_short(q['message']).rstrip('。')}")
    for e in g.errors[:3]:
        parts.append(f"第 {e['cell']} 个代码单元格（{e['code']}）出错：{e['ename']}: {_short(e['evalue'], 80)}")
    if len(g.errors) > 3:
        parts.append(f"另有 {len(g.errors) - 3} 个单元格出错")
    if g.questions and not wrong and not parts:
        parts.append("全部正确")
    return "；".join(parts)


def _label(q) -> str:
    parts = getattr(q, "parts", 0)
    each = f"，{parts} 部分各 {q.points / parts:g}分" if parts else ""
    return f"{q.name}（{q.points:g}分{each}）"


def _duplicates(graded: list[Graded]) -> dict:
    """同一个学生姓名交了不止一份（不算读不出来的文件）：{作业: 提醒}。"""
    by_name: dict[str, list] = {}
    for g in graded:
        if g.status != NOT_NOTEBOOK:
            by_name.setdefault(g.sub.student.strip(), []).append(g)
    notes = {}
    for name, group in by_name.items():
        if len(group) > 1:
            for g in group:
                others = "、".join(o.sub.rel for o in group if o is not g)
                notes[id(g)] = f"与 {others} 同名（{name}），请核对是不是同一个人交了两份"
    return notes


def tables(graded: list[Graded], questions) -> tuple:
    """(成绩表, 题目统计表)，都是 pandas DataFrame。"""
    import pandas as pd

    full = sum(q.points for q in questions)
    same_name = _duplicates(graded)
    rows = []
    for g in sorted(graded, key=lambda g: g.sub.rel):
        by_name = {q["name"]: q for q in g.questions}
        row = {"文件": g.sub.rel, "学生": g.sub.student}
        for q in questions:
            row[_label(q)] = round(float(by_name.get(q.name, {}).get("score", 0) or 0), 2)
        notes = "；".join(n for n in (same_name.get(id(g), ""), g.note) if n)
        row.update({"总分": round(sum(row[_label(q)] for q in questions), 2), "满分": full, "状态": g.status,
                    "反馈": feedback(g), "提醒": notes, "用时（秒）": g.seconds})
        rows.append(row)
    columns = ["文件", "学生", *[_label(q) for q in questions], "总分", "满分", "状态", "反馈", "提醒", "用时（秒）"]
    grades = pd.DataFrame(rows, columns=columns)
    stats = []
    for q in questions:
        results = [next((r for r in g.questions if r["name"] == q.name), None) for g in graded]
        right = sum(1 for r in results if r and r["correct"])
        answered = sum(1 for r in results if r and r["answered"])
        mistakes = Counter(re.split(r"[。\n]", r["message"], maxsplit=1)[0]
                           for r in results if r and r["answered"] and not r["correct"])
        common = "；".join(f"{m}（{n} 人）" for m, n in mistakes.most_common(2))
        stats.append({"题目": q.name, "内容": q.title, "分值": q.points, "答对人数": right, "作答人数": answered,
                      "提交人数": len(graded), "正确率（%）": round(100 * right / len(graded), 1) if graded else 0.0,
                      "常见错误": common})
    summary = pd.DataFrame(stats, columns=["题目", "内容", "分值", "答对人数", "作答人数", "提交人数",
                                           "正确率（%）", "常见错误"])
    return grades, summary


def summary_path(out: Path) -> Path:
    """CSV 时题目统计写在旁边：成绩.csv → 成绩_题目统计.csv。"""
    return out.with_name(f"{out.stem}_题目统计{out.suffix}")


def write_tables(grades, summary, out: Path) -> list[Path]:
    """写出成绩：.xlsx 两张工作表（成绩、题目统计），.csv 两个文件（UTF-8 带 BOM，Excel 直接打开）。

    学生姓名、反馈里以 = + - @ 开头的文字不会变成公式（见 helpers.export）。
    """
    from ..export import write_csv, write_xlsx

    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        write_csv(grades, out, index=False, encoding="utf-8-sig")
        write_csv(summary, summary_path(out), index=False, encoding="utf-8-sig")
        return [out, summary_path(out)]

    def layout(sheet, df):
        sheet.freeze_panes = "C2" if sheet.title == "成绩" else "B2"
        for i, col in enumerate(df.columns, 1):
            longest = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)])
            letter = sheet.cell(row=1, column=i).column_letter
            sheet.column_dimensions[letter].width = min(60, max(8, 2 * longest if longest < 12 else longest + 4))

    write_xlsx(out, {"成绩": grades, "题目统计": summary}, format_sheet=layout)
    return [out]


# ---------------------------------------------------------------------------
# 命令行
# ---------------------------------------------------------------------------
class UsageError(Exception):
    """命令行用法不对（以非零退出码结束）。"""


def _choose_chapter(subs: list[Submission], wanted: str | None):
    from .exercises import available_chapters, chapter_label, load_chapter, normalize_chapter

    if wanted:
        chapter = normalize_chapter(wanted)
        try:
            return chapter, load_chapter(chapter), False
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    have = set(available_chapters())
    counts = Counter(s.chapter for s in subs if s.chapter in have)
    if not counts:
        return None, None, True
    chapter = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    print(f"没有指定 --chapter：按多数作业判断为{chapter_label(chapter)}（{counts[chapter]} 份）。", flush=True)
    return chapter, load_chapter(chapter), True


def grade_folder(folder: Path, chapter: str | None = None, timeout: float = DEFAULT_TIMEOUT, jobs: int = 2,
                 echo=print, memory_gb: float = DEFAULT_MEMORY_GB) -> tuple:
    """批改一个文件夹里的全部作业，返回 (成绩表, 题目统计表)。

    先逐份运行（每份在自己的内核、自己的一份 helpers 里），全部结束后再统一判分（见 compute_verdicts）。
    """
    from .exercises import chapter_label

    folder = Path(folder)
    snapshot = Snapshot()                     # 开始前留下 helpers 和数据的原样
    subs = [read_submission(p, folder) for p in find_submissions(folder)]
    chapter, module, guessed = _choose_chapter(subs, chapter)
    problems = check_prerequisites(chapter)
    if problems:
        raise UsageError("批改前的检查没有通过，没有批改任何作业（也没有写成绩表）：\n  " + "\n  ".join(problems))
    questions = list(module.QUESTIONS) if module else []
    variables = [v for q in questions for v in q.variables]
    full = sum(q.points for q in questions)
    echo(f"开始批改：{folder} 里有 {len(subs)} 份作业"
         + (f"，{chapter_label(chapter)}（{len(questions)} 道题，满分 {full:g} 分）" if module else "")
         + f"，每份最多运行 {timeout:g} 秒，同时批改 {jobs} 份。")
    graded: list[Graded] = []
    to_run = []
    for sub in subs:
        if sub.problem:
            graded.append(Graded(sub, NOT_NOTEBOOK, detail=sub.problem))
        elif module is None:
            graded.append(Graded(sub, ERROR, detail="认不出这是哪一章的练习（笔记本元数据和 import 行里都没有章节），"
                                                     "请用 --chapter 指定"))
        elif sub.chapter is not None and sub.chapter != chapter:
            graded.append(Graded(sub, ERROR, detail=f"这是{chapter_label(sub.chapter)}的练习，不是{chapter_label(chapter)}"))
        else:
            to_run.append(sub)
    lock = threading.Lock()
    done = 0

    def progress(g: Graded):
        nonlocal done
        with lock:
            done += 1
            who = g.sub.rel if g.sub.student == g.sub.path.stem else f"{g.sub.student}（{g.sub.rel}）"
            why = f"（{_short(g.detail, 60)}）" if g.detail and g.status != DONE else ""
            timing = f"，{g.seconds:g} 秒" if g.seconds else ""
            echo(f"[{done}/{len(subs)}] {who}：{g.status}{why}{timing}")

    for g in graded:
        progress(g)
    answers: dict[int, dict] = {}
    running: set = set()
    reported: set = set()
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        def run(sub):
            with lock:
                running.add(sub.rel)
            try:
                return run_submission(sub, chapter, timeout, None, variables=variables, snapshot=snapshot,
                                      memory_gb=memory_gb)
            finally:
                with lock:
                    running.discard(sub.rel)

        futures = {pool.submit(run, sub): sub for sub in to_run}
        for future in as_completed(futures):
            sub = futures[future]
            try:
                r = future.result()
                g = Graded(sub, r["status"], [], r.get("errors", []), r.get("detail", ""), r.get("seconds", 0.0))
                answers[id(g)] = r.get("answers", {})
            except Exception as exc:  # 批改程序自身的意外，也只影响这一份
                g = Graded(sub, ERROR, detail=f"批改程序出错：{type(exc).__name__}: {exc}")
            touched = [t for t in snapshot.changed() if t not in reported]
            if touched:                        # 装好的 helpers 或数据被改了：提醒老师（判分不受影响）
                reported.update(touched)
                with lock:
                    also = sorted(running)
                g.note = (f"批改这份作业期间，工作簿自己的文件被改动了（{'、'.join(touched[:3])}"
                          f"{' 等' if len(touched) > 3 else ''}）；每份作业用自己的一份 helpers 运行，判分用开始前"
                          "留下的原样，所以成绩不受影响。请检查这些文件，需要时用 git checkout 恢复"
                          + (f"（同时在运行的还有 {'、'.join(also)}）" if also else ""))
            graded.append(g)
            progress(g)
    if answers:
        echo(f"全部运行完毕，开始判分（{len(answers)} 份）……")
        by_key = {str(k): v for k, v in answers.items()}
        verdicts = compute_verdicts(by_key, chapter, snapshot)
        for g in graded:
            g.questions = verdicts.get(str(id(g)), []) if id(g) in answers else []
        for g in sorted((g for g in graded if id(g) in answers), key=lambda g: g.sub.rel):
            score = sum(q["score"] for q in g.questions)
            who = g.sub.rel if g.sub.student == g.sub.path.stem else f"{g.sub.student}（{g.sub.rel}）"
            echo(f"  {who}：{score:g}/{full:g} 分")
    return tables(graded, questions)


USAGE = ("用法：python -m helpers.course.grade 作业目录/ --out 成绩.xlsx [--timeout 120] [--jobs 2] [--chapter 02] "
         "[--memory 3]")


class _Parser(argparse.ArgumentParser):
    """参数错误时给出中文说明（而不是 argparse 的英文）。"""

    def error(self, message):
        if "required" in message:
            text = "缺少参数：" + message.split(": ", 1)[-1].replace(", ", "、")
        elif "unrecognized arguments" in message:
            text = "不认识的参数：" + message.split(": ", 1)[-1]
        elif "invalid" in message and "value" in message:
            text = f"参数的值不对（{message}）"
        else:
            text = f"命令行参数不对（{message}）"
        raise UsageError(f"{text}。\n{USAGE}")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m helpers.course.grade",
        description="批量评分：运行作业目录里的每一本练习本，写出成绩表。注意：批改会运行学生的代码。")
    p.add_argument("folder", type=Path, help="放学生作业的文件夹（文件名随意，可以有子文件夹）")
    p.add_argument("--out", type=Path, required=True, help="成绩表：.xlsx 或 .csv")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                   help=f"每份作业的代码最多运行多少秒（默认 {DEFAULT_TIMEOUT}）")
    p.add_argument("--jobs", type=int, default=2, help="同时批改几份（默认 2）")
    p.add_argument("--chapter", help="只批改这一章（例如 02）；别的章节的作业记为“出错”")
    p.add_argument("--memory", type=float, default=DEFAULT_MEMORY_GB,
                   help=f"每个内核最多用多少 GB 内存（默认 {DEFAULT_MEMORY_GB:g}，0 表示不限制；Windows 上不限制）")
    return p


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--worker"] and len(argv) == 2:
        return _worker(argv[1])
    if argv[:1] == ["--verdict"] and len(argv) == 2:
        return _verdict(argv[1])
    try:
        args = _parser().parse_args(argv)
        folder = args.folder
        if not folder.is_dir():
            raise UsageError(f"找不到作业目录 {folder}（应是一个文件夹）。")
        if args.out.suffix.lower() not in (".xlsx", ".csv"):
            raise UsageError(f"成绩表应以 .xlsx 或 .csv 结尾，收到的是 {args.out.name}。")
        out = args.out.resolve()
        if out == folder.resolve() or folder.resolve() in out.parents:
            raise UsageError("成绩表不能放在作业目录里面（批改从不改动作业目录），请换个位置，例如 --out 成绩.xlsx。")
        if not args.timeout > 0:
            raise UsageError(f"--timeout 应大于 0 秒，收到 {args.timeout:g}。")
        if args.jobs < 1:
            raise UsageError(f"--jobs 至少是 1，收到 {args.jobs}。")
        if not args.memory >= 0:
            raise UsageError(f"--memory 应是不小于 0 的 GB 数（0 表示不限制），收到 {args.memory:g}。")
        grades, summary = grade_folder(folder, args.chapter, args.timeout, args.jobs,
                                       echo=lambda line: print(line, flush=True), memory_gb=args.memory)
    except UsageError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    try:
        written = write_tables(grades, summary, args.out)
    except PermissionError:
        print(f"错误：无法写入 {args.out}（文件是不是正在 Excel 里打开？关掉后再运行一次）。", file=sys.stderr)
        return 1
    counts = Counter(grades["状态"])
    print("状态：" + "，".join(f"{s} {counts[s]} 份" for s in (DONE, TIMEOUT, ERROR, NOT_NOTEBOOK) if counts[s]))
    for _, row in summary.iterrows():
        print(f"  {row['题目']}：{row['答对人数']}/{row['提交人数']} 人答对（{row['内容']}）")
    print("成绩已写入：" + "、".join(str(p) for p in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())

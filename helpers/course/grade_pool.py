"""批改时运行作业的这一边：开始前留下的一份 helpers 和数据、几个长期运行的批改进程、一份作业怎样运行和收尾。

- Snapshot：开始批改前把 helpers/ 和 datasets/ 读进内存，每份作业、判分进程各写出一份新的；
- WorkerPool：几个长期运行的批改进程（helpers/course/grade_worker.py），nbformat / nbclient 只在启动时导入一次，
  之后一份接一份地运行作业，每份作业仍在自己的新内核、自己的临时文件夹和自己的一份 helpers 里；
- run_submission：在进程池里运行一份作业，超时或批改进程死掉时结束这份作业的全部进程、换一个新的批改进程。

每个批改进程的源码是批改开始前留在内存里的那份（每次启动时写出一份新的），和批改程序之间用管道传话，
每行带着只有双方知道的暗号；作业结束时，带着这份作业标记的进程（学生代码另起的也算）全部结束，
所以一份作业留下的东西碰不到后面的作业。
"""
from __future__ import annotations

import json
import os
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from .grade_worker import DONE, ERROR, KERNEL_NAME, PROBE_TIMEOUT, REPORT_TIMEOUT, STARTUP_TIMEOUT, TIMEOUT

DEFAULT_MEMORY_GB = 3.0      # 每个内核最多用多少内存（GB）；超过时这份作业记为出错
JOB_ENV = "CRM_GRADE_JOB"    # 每份作业的内核和它启动的进程都带着这个环境变量，批改完按它找出来结束
WORKER_FILE = "helpers/course/grade_worker.py"
GRACE = STARTUP_TIMEOUT + PROBE_TIMEOUT + REPORT_TIMEOUT + 30   # 学生代码的时限之外，一份作业最多再等多少秒
POLL = 0.5                   # 等批改进程回答时，每隔多少秒看一眼它还在不在


# ---------------------------------------------------------------------------
# 开始批改前留下的一份 helpers 和数据（学生的代码碰不到它）
# ---------------------------------------------------------------------------
class Snapshot:
    """开始批改前把 helpers/ 和 datasets/ 的每个文件读进内存。

    - 每份作业运行前写出一份给它自己用（学生改坏了也只坏它自己那份）；
    - 每个批改进程启动时写出一份它自己的源码；
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
# 进程：环境、结束
# ---------------------------------------------------------------------------
def isolated_env(job_dir: Path, package: Path | None = None) -> dict:
    """内核的 HOME、临时文件、IPython、Jupyter、matplotlib 目录都放进这份作业的临时文件夹。"""
    env = dict(os.environ)
    env.pop(JOB_ENV, None)
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


def kill_job_processes(token: str, spare=()) -> int:
    """结束带着这份作业标记（环境变量 CRM_GRADE_JOB）的所有进程，包括学生代码用
    start_new_session=True 另起的进程；spare 里的进程（批改进程自己）不动。返回结束了几个。"""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil 是依赖；缺了只能靠进程组
        return 0
    killed = 0
    skip = {os.getpid(), *spare}
    for proc in psutil.process_iter(["pid"]):
        if proc.pid in skip:
            continue
        try:
            if proc.environ().get(JOB_ENV) == token:
                proc.kill()
                killed += 1
        except (psutil.Error, OSError):
            continue
    return killed


def kill_group(pid: int) -> None:
    """结束一个进程和它的进程组（批改进程、内核都在自己的进程组里）；Windows 上结束整棵进程树。"""
    try:
        if os.name == "posix":
            os.killpg(pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(pid)], capture_output=True)
    except (ProcessLookupError, PermissionError, OSError):
        pass


def new_group() -> dict:
    """Popen 的参数：子进程放进自己的进程组（POSIX 新会话；Windows CREATE_NEW_PROCESS_GROUP）。"""
    if os.name == "posix":
        return {"start_new_session": True}
    return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}  # pragma: no cover


# ---------------------------------------------------------------------------
# 批改进程和进程池
# ---------------------------------------------------------------------------
class _Worker:
    """一个批改进程：自己的临时文件夹、自己的一份源码、一个暗号、一条读它回答的线程。"""

    def __init__(self, source: bytes, memory_gb: float, tmp_root):
        self.dir = Path(tempfile.mkdtemp(prefix="crm-worker-", dir=tmp_root))
        script = self.dir / "grade_worker.py"
        script.write_bytes(source)
        self.key = secrets.token_hex(16)
        self.jobs = 0
        self.log_mark = 0
        self.lines: queue.Queue = queue.Queue()
        env = isolated_env(self.dir / "env")
        env.pop("PYTHONPATH")                  # 它不导入 helpers：不把工作簿放进 sys.path（原来的 PYTHONPATH 照旧）
        if os.environ.get("PYTHONPATH"):
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        with open(self.dir / "worker.log", "wb") as log:
            self.proc = subprocess.Popen([sys.executable, str(script), str(self.dir)], cwd=self.dir, env=env,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, **new_group())
        self.send({"key": self.key, "memory_gb": memory_gb})
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for raw in iter(lambda: self.proc.stdout.readline(1 << 20), b""):
            self.lines.put(raw)
        self.lines.put(None)

    def send(self, message: dict) -> bool:
        try:
            self.proc.stdin.write((json.dumps(message) + "\n").encode("ascii"))
            self.proc.stdin.flush()
            return True
        except (OSError, ValueError):
            return False

    def alive(self) -> bool:
        return self.proc.poll() is None

    def log_tail(self) -> str:
        """这份作业期间日志的最后三行（批改进程意外退出时，说明原因用）。"""
        try:
            with open(self.dir / "worker.log", "rb") as log:
                log.seek(self.log_mark)
                lines = log.read().decode("utf-8", errors="replace").strip().splitlines()
        except OSError:
            return ""
        return " / ".join(lines[-3:])[-200:]

    def run(self, job: dict, env: dict, token: str, limit: float) -> tuple[str, dict | None]:
        """交给它一份作业，最多等 limit 秒：("done", 结果) / ("timeout", None) / ("died", None)；
        还没收到作业就退出了时是 ("lost", None)（作业没有开始，可以交给别的批改进程）。"""
        self.jobs += 1
        try:
            self.log_mark = (self.dir / "worker.log").stat().st_size
        except OSError:
            self.log_mark = 0
        started = False
        if not self.send({"key": self.key, "token": token, "env": env, "job": job}):
            return "lost", None
        deadline = time.monotonic() + limit
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return "timeout", None
            try:
                raw = self.lines.get(timeout=min(remaining, POLL))
            except queue.Empty:
                if not self.alive() and self.lines.empty():
                    return ("died" if started else "lost"), None
                continue
            if raw is None:
                return ("died" if started else "lost"), None
            try:
                message = json.loads(raw)
            except ValueError:
                continue
            if not isinstance(message, dict):
                continue
            if message.get("started") == token:
                started = True
            elif message.get("done") == token:        # 别的行（伪造的、上一份作业的）不算
                return "done", message.get("result") if isinstance(message.get("result"), dict) else None

    def stop(self) -> None:
        """结束这个批改进程（和它的进程组），删掉它的临时文件夹。它手里没有要保存的东西：直接结束，不必等。"""
        if self.alive():
            kill_group(self.proc.pid)
            if os.name != "posix":  # pragma: no cover - Windows
                self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except (OSError, ValueError):
                pass
        shutil.rmtree(self.dir, ignore_errors=True)


class WorkerPool:
    """size 个长期运行的批改进程（创建时就启动，导入和批改准备同时进行）。

    run_submission(…, pool=池) 从池里借一个空闲的批改进程运行作业；超时或批改进程死掉时换一个新的。
    jobs_per_worker > 0 时每个批改进程批改这么多份后换新的（= 1 就是每份作业一个新进程，旧的做法）。
    memory_gb 是每个批改进程和它启动的内核的内存上限。用 with 或 close() 结束全部批改进程。
    """

    def __init__(self, size: int = 2, memory_gb: float = DEFAULT_MEMORY_GB, snapshot: Snapshot | None = None,
                 tmp_root: Path | None = None, jobs_per_worker: int = 0):
        self.memory_gb = float(memory_gb)
        self.tmp_root = tmp_root
        self.jobs_per_worker = int(jobs_per_worker)
        files = snapshot.files if snapshot is not None else {}
        self.source = files.get(WORKER_FILE) or Path(__file__).with_name("grade_worker.py").read_bytes()
        self._lock = threading.Lock()
        self._workers: set[_Worker] = set()
        self._free: queue.Queue = queue.Queue()
        self._closed = False
        self.started = 0                       # 一共启动过几个批改进程
        for _ in range(max(1, int(size))):
            self._free.put(self._spawn())

    def _spawn(self) -> _Worker:
        if self._closed:
            raise RuntimeError("进程池已经关闭")
        worker = _Worker(self.source, self.memory_gb, self.tmp_root)
        with self._lock:
            closed = self._closed
            if not closed:
                self._workers.add(worker)
                self.started += 1
        if closed:                                     # 正在关闭：不再留下新的批改进程
            worker.stop()
            raise RuntimeError("进程池已经关闭")
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
        worker.stop()

    def pids(self) -> set[int]:
        with self._lock:
            return {w.proc.pid for w in self._workers}

    def run(self, job: dict, env: dict, token: str, limit: float) -> tuple[str, dict | None]:
        """借一个批改进程运行一份作业并收尾：结束这份作业的全部进程；超时或死掉的批改进程换掉。"""
        worker = self._free.get()
        try:
            for attempt in range(2):               # 批改进程还没收到作业就退出了：换一个新的再交一次
                if worker is None or not worker.alive():
                    if worker is not None:
                        self._retire(worker)
                    worker = None
                    worker = self._spawn()
                outcome, result = worker.run(job, env, token, limit)
                if outcome != "lost" or attempt:
                    break
                self._retire(worker)
                worker = None
            if outcome == "lost":
                outcome = "died"
            if outcome != "done":
                pidfile = Path(job["pidfile"])
                try:                                   # 内核在它自己的进程组里
                    kill_group(int(pidfile.read_text()))
                except (OSError, ValueError):
                    pass
                kill_group(worker.proc.pid)
            kill_job_processes(token, spare=self.pids())   # 学生代码另起的进程（换了进程组的也算）一并结束
            if outcome == "died":
                result = {"log": worker.log_tail()}
            if outcome != "done" or (self.jobs_per_worker and worker.jobs >= self.jobs_per_worker):
                self._retire(worker)
                worker = None                          # 下一份作业用新的批改进程
            return outcome, result
        finally:
            self._free.put(worker)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.stop()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# ---------------------------------------------------------------------------
# 运行一份作业
# ---------------------------------------------------------------------------
def run_submission(sub, chapter: str, timeout: float, tmp_root: Path | None = None, grace: float = GRACE,
                   variables=(), snapshot: Snapshot | None = None, memory_gb: float = DEFAULT_MEMORY_GB,
                   pool: WorkerPool | None = None) -> dict:
    """在批改进程和新内核里运行一份作业（sub 是 grade.Submission），返回 {status, answers, errors, detail, seconds}。

    answers 是 {文件名: 字节}：内核最后交出的答案（helpers.course.answers 的格式），判分在别处进行。
    tmp_root 不给时每份作业用一个单独的临时文件夹（别的作业找不到它）。pool 不给时为这一份作业
    启动一个批改进程，用完结束；给了时用池里的（内存上限是池的 memory_gb）。
    """
    import nbformat

    from .answers import export_cell

    if pool is None:
        with WorkerPool(1, memory_gb, snapshot, tmp_root, jobs_per_worker=1) as own:
            return run_submission(sub, chapter, timeout, tmp_root, grace, variables, snapshot, pool=own)
    start = time.monotonic()
    job_dir = Path(tempfile.mkdtemp(prefix="crm-job-", dir=tmp_root))
    try:
        work = job_dir / "work"
        work.mkdir()
        package = snapshot.write(job_dir / "pkg") if snapshot is not None else None
        # 运行的是一份复制品（统一成 nbformat 4 的 JSON），作业目录里的原文件只读不写。
        (work / "submission.ipynb").write_text(nbformat.writes(sub.nb, version=4), encoding="utf-8")
        answers_dir = job_dir / "answers"
        job = {"notebook": str(work / "submission.ipynb"), "workdir": str(work), "chapter": chapter,
               "timeout": timeout, "export_source": export_cell(list(variables), str(answers_dir)),
               "pidfile": str(job_dir / "kernel.pid"), "memory_gb": pool.memory_gb}
        env = isolated_env(job_dir, package)
        token = uuid.uuid4().hex
        env[JOB_ENV] = token
        outcome, reply = pool.run(job, env, token, timeout + grace)
        result = {"status": ERROR, "errors": [],
                  "detail": "批改程序意外退出（例如作业里的代码结束了批改进程），无法评分"}
        if outcome == "died" and reply and reply.get("log"):
            result["detail"] = f"批改程序意外退出：{reply['log']}"
        elif outcome == "timeout":
            result["status"] = TIMEOUT
            result["detail"] = f"运行超过 {timeout:g} 秒，内核没有响应中断，已强制停止，无法评分"
        elif outcome == "done" and reply is not None:
            try:
                result = {"status": reply["status"] if reply.get("status") in (DONE, TIMEOUT, ERROR) else ERROR,
                          "errors": [e for e in reply.get("errors", []) if isinstance(e, dict)][:50],
                          "detail": str(reply.get("detail", ""))[:400],
                          "code_seconds": round(float(reply.get("code_seconds") or 0), 3)}
            except (KeyError, TypeError, ValueError, AttributeError):
                pass
        # 答案读进内存（只收答案文件夹里的普通文件），临时文件夹随即删除
        result["answers"] = {p.name: p.read_bytes() for p in answers_dir.glob("*")
                             if p.is_file() and not p.is_symlink()} if answers_dir.is_dir() else {}
        result["seconds"] = round(time.monotonic() - start, 1)
        return result
    finally:
        shutil.rmtree(job_dir, ignore_errors=True)     # 出了意外（例如进程池被关掉）也不留下临时文件夹

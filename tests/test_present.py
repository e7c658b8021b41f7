"""课堂演示（讲课模式，python -m helpers.course.present）：命令行参数、交给 Voilà 的命令、中文模板。

不用浏览器：Voilà 的命令和环境变量直接检查；起始页、出错页和一课的 HTML 从真的 Voilà 服务器取来检查
（几秒钟）。在浏览器里拖动小部件的测试在 tests/test_browser.py。
"""
from __future__ import annotations

import json
import re
import socket
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from helpers.course import present

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CHAPTERS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
TEMPLATE_DIR = present.TEMPLATE_ROOT / "nbconvert" / "templates" / present.TEMPLATE
# Voilà 自带模板里给人看的英文；讲课模式的页面上一句也不应出现
ENGLISH_UI = ("Select items", "Voilà Home", "Running", "Executing", "Reading", "Opening Voilà", "click here",
              "There was an error", "Traceback", "Please run Voil", "requires JavaScript", "does not exist",
              "Not Found")


def option(cmd, name):
    """命令行里 --name=值 的值（没有时 None）。"""
    values = [a.split("=", 1)[1] for a in cmd if a.startswith(f"--{name}=")]
    assert len(values) <= 1, f"{name} 在命令行里出现了 {len(values)} 次（Voilà 不接受）：{cmd}"
    return values[0] if values else None


def visible_text(html: str) -> str:
    """页面上看得见的文字：去掉 <script>、<style> 和标签。"""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"(?s)<[^>]+>", " ", html)


# ---------------------------------------------------------------------------
# 交给 Voilà 的命令和环境变量
# ---------------------------------------------------------------------------
def test_command_serves_the_lessons_with_the_chinese_template_without_code_or_tracebacks():
    cmd = present.voila_command(NOTEBOOKS, 8870, open_browser=False, python="py")
    assert cmd[:4] == ["py", "-m", "voila", str(NOTEBOOKS)]
    assert option(cmd, "port") == "8870"
    assert option(cmd, "VoilaConfiguration.template") == "crm"
    assert option(cmd, "VoilaConfiguration.strip_sources") == "True"
    assert option(cmd, "VoilaConfiguration.show_tracebacks") == "False"
    assert option(cmd, "VoilaConfiguration.theme") == "light"
    assert option(cmd, "VoilaConfiguration.classic_tree") == "True"
    assert option(cmd, "Voila.ip") == "127.0.0.1"
    assert option(cmd, "Voila.port_retries") == "0"
    assert int(option(cmd, "MappingKernelManager.cull_idle_timeout")) > 0
    assert "--no-browser" in cmd
    assert "--no-browser" not in present.voila_command(NOTEBOOKS, 8870, open_browser=True)


@pytest.mark.parametrize("extra, replaced", [
    (["--show_tracebacks=True"], "VoilaConfiguration.show_tracebacks"),
    (["--VoilaConfiguration.show_tracebacks=True"], "VoilaConfiguration.show_tracebacks"),
    (["--theme", "dark"], "VoilaConfiguration.theme"),
    (["--Voila.log_level=INFO"], "Voila.log_level"),
    (["--debug"], "Voila.log_level"),
    (["--debug"], "VoilaConfiguration.show_tracebacks"),
])
def test_the_teachers_own_voila_options_replace_ours(extra, replaced):
    cmd = present.voila_command(NOTEBOOKS, 8866, extra=extra)
    assert cmd[-len(extra):] == extra, "老师给的参数原样放在最后"
    assert option(cmd[:-len(extra)], replaced) is None, f"老师给了 {extra}，我们的 {replaced} 就不应再出现（Voilà 不接受同一项两次）"
    assert option(cmd, "VoilaConfiguration.template") == "crm"


def test_environment_finds_the_template_first_and_keeps_the_rest():
    env = present.voila_environment({"JUPYTER_PATH": "/somewhere", "MPLBACKEND": "Agg", "HOME": "/h"})
    assert env["JUPYTER_PATH"].split(present.os.pathsep) == [str(present.TEMPLATE_ROOT), "/somewhere"]
    assert "MPLBACKEND" not in env and env["HOME"] == "/h"
    assert present.voila_environment({})["JUPYTER_PATH"] == str(present.TEMPLATE_ROOT)


def test_template_extends_voilas_lab_template_and_is_found_before_voilas_own_files():
    from jupyter_core.paths import jupyter_path
    from voila.paths import collect_template_paths

    conf = json.loads((TEMPLATE_DIR / "conf.json").read_text(encoding="utf-8"))
    assert conf["base_template"] == "lab"
    for name in ("index.html.j2", "tree.html", "tree-lab.html", "error.html", "404.html", "page.html",
                 "spinner.macro.html.j2", "voila_setup.macro.html.j2", "browser-open.html"):
        assert (TEMPLATE_DIR / name).is_file(), f"模板缺少 {name}"
    paths = collect_template_paths(["voila", "nbconvert"], "crm", prune=True,
                                   root_dirs=[str(present.TEMPLATE_ROOT)] + jupyter_path())
    assert Path(paths[0]) == TEMPLATE_DIR
    assert any(p.endswith(str(Path("voila", "templates", "lab"))) for p in paths), "应建立在 Voilà 的 lab 模板上"
    # JUPYTER_PATH 里第一个有 voila/ 子目录的地方会被 Voilà 当作数据目录（主题从那里找）：模板不能放在那里
    assert not (present.TEMPLATE_ROOT / "voila").exists()


def test_template_files_are_shipped_with_the_package():
    import fnmatch
    tomllib = pytest.importorskip("tomllib")          # Python 3.11 起才有

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["helpers"]
    files = [p.relative_to(ROOT / "helpers").as_posix() for p in TEMPLATE_DIR.iterdir()]
    missing = [f for f in files if not any(fnmatch.fnmatch(f, pattern) for pattern in patterns)]
    if missing == files:
        pytest.xfail("pyproject.toml 的 package-data 还没有加上 \"course/voila/nbconvert/templates/crm/*\"")
    assert not missing, f"这些模板文件不会装进包里：{missing}"


# ---------------------------------------------------------------------------
# 命令行：中文的错误，不启动 Voilà
# ---------------------------------------------------------------------------
class FakeVoila:
    """代替 subprocess.Popen：记下命令和环境变量；wait() 依次返回或抛出 results 里的东西。"""

    calls: list = []

    def __init__(self, results):
        self.results = list(results)

    def __call__(self, cmd, env=None, **kw):
        FakeVoila.calls.append((cmd, env))
        return self

    def wait(self, timeout=None):
        result = self.results.pop(0)
        if isinstance(result, BaseException):
            raise result
        return result


@pytest.fixture
def fake_voila(monkeypatch):
    FakeVoila.calls = []

    def install(*results):
        monkeypatch.setattr(present.subprocess, "Popen", FakeVoila(results or (0,)))
        return FakeVoila.calls
    return install


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("argv, words", [
    (["--port", "0"], "--port"),
    (["--port", "70000"], "65535"),
    (["--port", "八八"], "--port 应是整数"),
    (["--port"], "后面要写一个值"),
    (["第02章.ipynb"], "不认识的参数"),
    (["--notebooks", "/没有这个文件夹"], "找不到放课的文件夹"),
    (["--preheat", "99"], "不是一章的章节号"),
])
def test_bad_arguments_get_a_chinese_message_and_voila_is_not_started(argv, words, fake_voila, capsys):
    calls = fake_voila()
    assert present.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and words in err
    assert calls == []


def test_a_folder_without_lessons_is_refused(tmp_path, fake_voila, capsys):
    calls = fake_voila()
    assert present.main(["--notebooks", str(tmp_path)]) == 2
    assert "没有课" in capsys.readouterr().err and calls == []


def test_a_busy_port_is_refused_instead_of_silently_moving(fake_voila, capsys):
    calls = fake_voila()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert present.main(["--port", str(port), "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert f"端口 {port} 已被占用" in err and f"--port {port + 1}" in err
    assert calls == []


def test_main_starts_voila_on_the_lessons_and_prints_the_address(fake_voila, capsys):
    calls = fake_voila(0)
    port = free_port()
    assert present.main(["--port", str(port), "--no-browser", "--show_tracebacks=True"]) == 0
    (cmd, env), = calls
    assert cmd[1:4] == ["-m", "voila", str(NOTEBOOKS.resolve())]
    assert option(cmd, "port") == str(port) and "--no-browser" in cmd
    assert option(cmd, "show_tracebacks") == "True" and option(cmd, "VoilaConfiguration.show_tracebacks") is None
    assert env["JUPYTER_PATH"].split(present.os.pathsep)[0] == str(present.TEMPLATE_ROOT)
    out = capsys.readouterr().out
    assert f"http://127.0.0.1:{port}/" in out and "Ctrl+C" in out


def test_ctrl_c_stops_quietly(fake_voila, capsys):
    fake_voila(KeyboardInterrupt(), -2)
    assert present.main(["--port", str(free_port())]) == 0
    assert "课堂演示已停止" in capsys.readouterr().out


def test_preheat_keeps_one_finished_kernel_for_each_chosen_chapter_only():
    args = present.preheat_settings(NOTEBOOKS, "02，07")
    assert args[0] == "--preheat_kernel=True"
    pools = json.loads(args[1].split("=", 1)[1])
    assert pools.pop("default") == {"pool_size": 0}, "没选的章节不提前运行"
    assert sorted(pools) == [p.name for p in CHAPTERS if p.name[:2] in ("02", "07")]
    assert all(v == {"pool_size": 1} for v in pools.values())
    assert present.preheat_settings(NOTEBOOKS, "") == []


# ---------------------------------------------------------------------------
# 真的 Voilà：起始页、出错页、一课（有一格会出错）
# ---------------------------------------------------------------------------
DEMO_CODE = "secret_total = 6 * 7\nprint('答案是', secret_total)"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import nbformat

    folder = tmp_path_factory.mktemp("lessons")
    for path in CHAPTERS:                       # 起始页只看文件名：放空白的同名课就够了
        nbformat.write(nbformat.v4.new_notebook(), folder / path.name)
    demo = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                             "language": "python"}})
    demo.cells = [nbformat.v4.new_markdown_cell("# 演示课\n\n讲课模式只显示这段文字和下面的输出。"),
                  nbformat.v4.new_code_cell(DEMO_CODE),
                  nbformat.v4.new_code_cell("1 / 0")]
    nbformat.write(demo, folder / "99_演示.ipynb")
    log = open(folder.parent / "present.log", "w")
    with present.running(free_port(), notebooks=folder, log=log, timeout=90) as base:
        yield base
    log.close()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def test_start_page_is_a_chinese_chapter_list(server):
    status, html = get(server + "/")
    assert status == 200
    text = visible_text(html)
    for path in CHAPTERS:
        number, title = path.stem.split("_", 1)
        assert f"第 {number} 章" in text and title.split("_")[0] in text
    assert "课堂演示" in text and 'lang="zh-CN"' in html
    assert not [w for w in ENGLISH_UI if w in text], [w for w in ENGLISH_UI if w in text]
    assert "cdn.jsdelivr.net" not in html, "起始页不应依赖外网 CDN（断网的教室会卡住）"
    assert "/voila/render/" in html


def test_the_new_style_start_page_is_the_same_chinese_list(server):
    status, html = get(server + "/?classic-tree=false")
    assert status == 200 and "第 02 章" in visible_text(html) and "Select items" not in html


def test_missing_page_is_chinese(server):
    status, html = get(server + "/voila/render/" + urllib.request.quote("77_没有这一章.ipynb"))
    assert status == 404
    text = visible_text(html)
    assert "找不到这一页" in text and "回到章节目录" in text
    assert not [w for w in ENGLISH_UI if w in text]


def test_a_lesson_shows_output_but_no_code_and_no_traceback(server):
    status, html = get(server + "/voila/render/" + urllib.request.quote("99_演示.ipynb"))
    assert status == 200
    text = visible_text(html)
    assert "讲课模式只显示这段文字" in text
    assert "答案是 42" in html, "输出应显示"
    assert "secret_total" not in html, "代码不应出现在页面里"
    assert "ZeroDivisionError" not in html and "Traceback" not in html
    assert "这一格运行时出错了" in text
    assert "正在打开这一课" in text and "正在运行第 ${cell_index} / ${cell_count} 格" in html
    assert not [w for w in ENGLISH_UI if w in text], [w for w in ENGLISH_UI if w in text]
    assert "cdn.jsdelivr.net" not in html


def test_running_stops_voila_and_its_kernels(tmp_path):
    import nbformat
    import psutil

    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell("print('上课')")]
    nbformat.write(nb, tmp_path / "01_一格.ipynb")
    port = free_port()
    with present.running(port, notebooks=tmp_path) as base:
        status, html = get(base + "/voila/render/" + urllib.request.quote("01_一格.ipynb"))   # 开了一个内核
        assert status == 200 and "上课" in html
        started = [p for p in psutil.process_iter(["cmdline"])
                   if f"--port={port}" in " ".join(p.info["cmdline"] or [])]
        family = started + [c for p in started for c in p.children(recursive=True)]
        assert any("ipykernel" in " ".join(p.cmdline()) for p in family), "应能看到这一页的内核"
    gone, alive = psutil.wait_procs(family, timeout=10)
    assert not alive, f"停掉以后还有进程：{[p.cmdline() for p in alive]}"

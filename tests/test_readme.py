"""README 说的是真的：章节地图与 helpers/course/chapters.py 一致、两条命令存在、CI 调用的就是 README 的测试命令。"""
import re
from pathlib import Path

from helpers.course.chapters import CHAPTERS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_chapter_map_matches_index_and_files():
    rows = re.findall(r"^\| (\d\d) \| (.+?) \| (.+?) \| (.+?) \| `notebooks/(.+?)` \|$", README, flags=re.M)
    assert [(c.number, c.title, c.textbook, c.shop, c.file) for c in CHAPTERS] == rows
    for chapter in CHAPTERS:
        assert (ROOT / "notebooks" / chapter.file).exists(), chapter.file


def test_two_commands_and_ci():
    assert "python3 tools/workbook.py lab" in README and "python3 tools/workbook.py test" in README
    assert "py tools\\workbook.py lab" in README and "开始学习.bat" in README
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^lab:", makefile, flags=re.M) and re.search(r"^test:", makefile, flags=re.M)
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert ci[-1] == "python3 tools/workbook.py test"


def test_environment_yml_is_ascii_and_installs_helpers():
    raw = (ROOT / "environment.yml").read_bytes()
    raw.decode("ascii")
    assert b"-e ." in raw


def test_lab_serves_the_whole_repository():
    """lab 命令的根目录是仓库本身，学生在文件浏览器里能找到 exercises/ 和 solutions/。"""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "tools/workbook.py", "--dry-run", "lab"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    lab_line = next(line for line in out.splitlines() if "-m jupyterlab" in line).replace("'", "")
    assert f"--ServerApp.root_dir={ROOT} " in lab_line and lab_line.endswith("notebooks/00_开始之前.ipynb")
    windows = (ROOT / "docs" / "windows.md").read_text(encoding="utf-8")
    assert "jupyter lab notebooks" not in windows and "--ServerApp.root_dir=." in windows


def test_every_library_module_is_in_the_helpers_table():
    """README 的 helpers 速查提到 CRM 库的每个公开模块（新模块加进来时 README 也要跟上）。"""
    import pkgutil

    import helpers

    section = README[README.index("## helpers 速查"):README.index("## SQL 视图")]
    internal = {"legacy", "fonts", "quiz", "exercises", "course", "validation", "data", "summary", "segments",
                "rfm", "vip", "sms", "privacy", "export", "taobao"}          # 以函数名出现在表里的模块另行检查
    for info in pkgutil.iter_modules(helpers.__path__):
        if info.name in internal or info.name.startswith("_"):
            continue
        assert f"helpers.{info.name}" in section, f"README 的 helpers 速查里没有 helpers.{info.name}"
    for name in ("customer_summary", "Segment", "rfm_score", "vip_tier", "plan_sms", "mask_phone", "export_excel",
                 "read_taobao_orders", "validate_orders", "load_shop"):
        assert name in section, f"README 的 helpers 速查里没有 {name}"


def test_sql_section_examples_run():
    """“SQL 视图”一节的代码照抄就能运行，结果和 pandas 一样。"""
    section = README[README.index("## SQL 视图"):README.index("## 质量与性能")]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 2
    namespace: dict = {}
    exec(blocks[0], namespace)
    exec(blocks[1], namespace)
    from helpers.sql import run

    shop, seg = namespace["shop"], namespace["mothers_day"]
    chosen = run(namespace["mothers_day"].to_sql(), customer_summary=namespace["summary"], orders=shop.orders,
                 items=shop.items)
    assert list(chosen["customer_id"]) == sorted(seg.select(namespace["summary"]).index)
    assert "customer_summary AS" in namespace["query"]

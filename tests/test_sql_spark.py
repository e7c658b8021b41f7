"""可选：Spark SQL 版的四条规则在本机 Spark 上和 pandas 结果相同（tools/spark_check.py）。

默认的测试环境没有 pyspark，这个文件整个跳过；在装了 ".[spark]" 和 Java 17 的环境里运行：
    .venv-spark/bin/python -m pytest -q tests/test_sql_spark.py
"""
from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pyspark", reason="没有安装 pyspark（可选的 Spark 检查：pip install -e \".[spark]\"）")
if shutil.which("java") is None:
    pytest.skip("没有 Java 运行环境（Spark 需要 Java 17）", allow_module_level=True)

# pyspark 4.3 内部对 pandas 3 的提醒（“尚未完全支持”、copy 参数将弃用），与这里的比较无关
pytestmark = pytest.mark.filterwarnings("ignore::Warning:pyspark")

TOOL = Path(__file__).resolve().parent.parent / "tools" / "spark_check.py"


@pytest.fixture(scope="module")
def spark_check():
    spec = importlib.util.spec_from_file_location("spark_check", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def results(spark_check):
    return spark_check.run_checks()


def test_every_spark_query_equals_pandas(results):
    checked = [r for r in results if r["查询"]]
    assert len(checked) == 12
    wrong = [f"{r['店铺']} {r['查询']}：{r['差别']}" for r in checked if not r["相同"]]
    assert not wrong, "\n".join(wrong)
    assert all(r["行数"] > 1000 for r in checked)

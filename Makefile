# CRM精准营销工作簿：make 是可选的简写，每个目标只调用启动器 tools/workbook.py（Windows 见 docs/windows.md）。
# 不用 make 时直接运行：python3 tools/workbook.py lab、python3 tools/workbook.py test。
#
#   make lab         安装环境（只在第一次或 pyproject.toml 改动后安装），打开 JupyterLab
#   make test        运行全部测试：pytest tests 与笔记本回归测试（nbval）
#   make notebooks   按顺序重新运行 notebooks/ 与 solutions/ 里的笔记本，保存输出
#   make present     课堂演示
#   make bench       运行性能基准 benchmarks/run_all.py
#   make spark-check 可选：在本机 Spark 上检查规则的 Spark SQL（需要 Java 17，pyspark 装进 .venv-spark）
#   make clean       删除虚拟环境
#
# 可调变量：PYTHON（运行启动器、建环境用的解释器）、VENV（虚拟环境目录）、LAB_ARGS（传给 jupyter lab 的参数）、
# NB_TIMEOUT（make notebooks 每本笔记本最多运行的秒数）、PRESENT_ARGS（传给课堂演示的参数）。
# 例如：make lab PYTHON=python3.11 LAB_ARGS="--port 8890 --no-browser"

PYTHON ?= python3
VENV ?= .venv
LAB_ARGS ?=
NB_TIMEOUT ?= 600
PRESENT_ARGS ?=

# 找不到解释器时给出中文说明；其余的检查（版本太旧等）由启动器自己做。
WORKBOOK = @command -v "$(PYTHON)" >/dev/null 2>&1 || { \
	echo "错误：找不到 Python（$(PYTHON)）。请安装 Python 3.10 或更新版本，或这样指定：make lab PYTHON=python3.12"; \
	exit 1; }; "$(PYTHON)" tools/workbook.py --venv "$(VENV)"

.PHONY: help venv lab test notebooks present bench spark-check clean browser-deps

help:
	$(WORKBOOK) help

venv:
	$(WORKBOOK) install

lab:
	$(WORKBOOK) lab $(LAB_ARGS)

test:
	$(WORKBOOK) test

browser-deps:
	$(WORKBOOK) browser-deps

notebooks:
	$(WORKBOOK) notebooks --timeout $(NB_TIMEOUT)

present:
	$(WORKBOOK) present $(PRESENT_ARGS)

bench:
	$(WORKBOOK) bench

spark-check:
	$(WORKBOOK) spark-check

clean:
	$(WORKBOOK) clean

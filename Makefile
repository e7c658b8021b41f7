# CRM精准营销工作簿：常用命令（GNU make，Linux 与 macOS；Windows 见 docs/windows.md）
#
#   make lab         安装环境（只在第一次或 pyproject.toml 改动后安装），打开 JupyterLab
#   make test        运行全部测试：pytest tests 与笔记本回归测试（nbval）
#   make notebooks   按顺序重新运行 notebooks/ 与 solutions/ 里的笔记本，保存输出
#   make bench       运行性能基准 benchmarks/run_all.py
#   make spark-check 可选：在本机 Spark 上检查规则的 Spark SQL（需要 Java 17，pyspark 装进 .venv-spark）
#   make clean       删除虚拟环境
#
# 可调变量：PYTHON（建环境用的解释器）、VENV（虚拟环境目录）、LAB_ARGS（传给 jupyter lab 的参数）。
# 例如：make lab PYTHON=python3.11 LAB_ARGS="--port 8890 --no-browser"

PYTHON ?= python3
VENV ?= .venv
LAB_ARGS ?=
NB_TIMEOUT ?= 600

VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
FIRST_NOTEBOOK := notebooks/00_开始之前.ipynb
NB_DIRS := notebooks solutions
BROWSER_PKGS := chromium fonts-wqy-microhei

# 以 root 身份运行时 Jupyter 需要 --allow-root。
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

# 测试和重跑笔记本时，把 matplotlib、IPython、Jupyter 的缓存与配置放进临时目录，
# 不读写用户主目录（也避免用户目录里另一个 python3 内核顶替本环境的内核）。
# 用法：在同一行 shell 里先 $(ISOLATE) 再运行命令；退出时自动删除临时目录。
ISOLATE = tmp=$$(mktemp -d "$${TMPDIR:-/tmp}/crm-workbook.XXXXXX") && trap 'rm -rf "$$tmp"' EXIT && \
	export MPLCONFIGDIR="$$tmp/matplotlib" IPYTHONDIR="$$tmp/ipython" \
	       JUPYTER_CONFIG_DIR="$$tmp/jupyter/config" JUPYTER_DATA_DIR="$$tmp/jupyter/data" \
	       JUPYTER_RUNTIME_DIR="$$tmp/jupyter/runtime" JUPYTER_PLATFORM_DIRS=1 \
	       PIP_DISABLE_PIP_VERSION_CHECK=1

# 列出 notebooks/ 与 solutions/ 里的笔记本（按文件名排序，两位数字前缀决定顺序）。
LIST_NOTEBOOKS = for d in $(NB_DIRS); do [ -d "$$d" ] && find "$$d" -maxdepth 1 -name '*.ipynb' | LC_ALL=C sort; done; true

.PHONY: help venv lab test notebooks bench spark-check clean browser-deps

help:
	@echo "CRM精准营销工作簿 —— 可用命令："
	@echo "  make lab          安装环境并用 JupyterLab 打开 $(FIRST_NOTEBOOK)"
	@echo "  make test         运行全部测试（pytest tests + nbval 笔记本测试）"
	@echo "  make notebooks    重新运行全部笔记本并保存输出"
	@echo "  make bench        运行性能基准"
	@echo "  make spark-check  可选：在本机 Spark 上检查规则的 Spark SQL（需要 Java 17）"
	@echo "  make clean        删除虚拟环境 $(VENV)"
	@echo "变量：PYTHON=$(PYTHON)  VENV=$(VENV)  LAB_ARGS=$(LAB_ARGS)"

# ---- 环境 -------------------------------------------------------------------
# 已安装就不再安装：$(STAMP) 比 pyproject.toml 新时，make 什么也不做。
venv: $(LAB_OVERRIDES)

$(STAMP): pyproject.toml
	@py="$(VPY)"; [ -x "$$py" ] || py="$(PYTHON)"; \
	if ! "$$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' >/dev/null 2>&1; then \
	  echo ""; \
	  echo "错误：本工作簿需要 Python 3.10 或更新版本。"; \
	  echo "      现在的 $$py 是：$$("$$py" --version 2>/dev/null || echo '（找不到这个命令）')"; \
	  echo "      请安装 Python 3.10+，再指定它运行，例如：make lab PYTHON=python3.11"; \
	  if [ "$$py" = "$(VPY)" ]; then echo "      （旧环境请先删除：make clean）"; fi; \
	  echo ""; exit 1; \
	fi
	@if [ ! -x "$(VPY)" ]; then \
	  echo "创建虚拟环境 $(VENV)（$$($(PYTHON) --version 2>&1)）……"; \
	  $(PYTHON) -m venv "$(VENV)" || { \
	    echo ""; \
	    echo "错误：无法创建虚拟环境 $(VENV)。"; \
	    echo "      Debian/Ubuntu 请先安装：sudo apt-get install python3-venv"; \
	    echo ""; exit 1; }; \
	fi
	@echo "安装工作簿及其依赖（第一次需要几分钟）……"
	PIP_DISABLE_PIP_VERSION_CHECK=1 "$(VPY)" -m pip install -e ".[dev]"
	@touch "$(STAMP)"

# 让本环境的 JupyterLab 以简体中文界面打开。
$(LAB_OVERRIDES): $(STAMP) helpers/course/labsetup.py
	"$(VPY)" -m helpers.course.labsetup

# ---- 打开工作簿 -------------------------------------------------------------
# 根目录固定为仓库：文件浏览器里能看到 notebooks/、exercises/、solutions/（只传笔记本路径时，
# Jupyter 会把笔记本所在的文件夹当根目录，学生就找不到练习本了）。
lab: venv
	@if [ -f "$(FIRST_NOTEBOOK)" ]; then \
	  echo "打开 JupyterLab（按 Ctrl+C 两次退出）……"; \
	  exec "$(VENV)/bin/jupyter" lab $(ALLOW_ROOT) --ServerApp.root_dir="$(CURDIR)" $(LAB_ARGS) "$(FIRST_NOTEBOOK)"; \
	else \
	  echo "提示：还没有 $(FIRST_NOTEBOOK)，在仓库根目录打开 JupyterLab。"; \
	  exec "$(VENV)/bin/jupyter" lab $(ALLOW_ROOT) $(LAB_ARGS); \
	fi

# ---- 测试 -------------------------------------------------------------------
# 先跑 pytest tests（MPLBACKEND=Agg，不弹窗），再对 notebooks/ 与 solutions/ 跑 nbval；
# 两步都会运行，任一失败则整体失败。nbval 这一步不设 MPLBACKEND：内核用内嵌图，
# 与 make notebooks 保存的输出一致（设成 Agg 时图表单元格会少一个输出而失败）。
# 还没有笔记本时跳过 nbval（而不是让 pytest 因“没有收集到测试”返回 5）。
test: venv browser-deps
	@$(ISOLATE) && \
	if [ -z "$${CRM_CHROMIUM:-}" ] && [ -x /usr/bin/chromium ]; then export CRM_CHROMIUM=/usr/bin/chromium; fi; \
	status=0; \
	echo "== 1/2 单元测试：pytest tests =="; \
	MPLBACKEND=Agg "$(VPY)" -m pytest tests || status=$$?; \
	dirs=""; for d in $(NB_DIRS); do \
	  if [ -d "$$d" ] && [ -n "$$(find "$$d" -maxdepth 1 -name '*.ipynb' | head -n 1)" ]; then dirs="$$dirs $$d"; fi; \
	done; \
	if [ -n "$$dirs" ]; then \
	  echo "== 2/2 笔记本测试：pytest --nbval$$dirs =="; \
	  unset MPLBACKEND; \
	  "$(VPY)" -m pytest --nbval --nbval-current-env $$dirs \
	    --nbval-sanitize-with tests/nbval_sanitize.cfg || { rc=$$?; [ $$status -ne 0 ] || status=$$rc; }; \
	else \
	  echo "== 2/2 笔记本测试：notebooks/ 与 solutions/ 里还没有笔记本，跳过 =="; \
	fi; \
	exit $$status

# 浏览器测试需要的 Chromium 与中文字体（Debian/Ubuntu 上自动安装；其他系统只提示）。
browser-deps:
	@if [ -x /usr/bin/chromium ] && { fc-list 2>/dev/null | grep -qi 'WenQuanYi Micro Hei' || [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; }; then \
	  echo "浏览器测试依赖已就绪：/usr/bin/chromium，文泉驿微米黑"; exit 0; \
	fi; \
	loud() { \
	  echo ""; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo "!! 注意：$$1"; \
	  echo "!! 浏览器测试需要 Chromium 和一个中文字体，缺少时这些测试会被跳过。"; \
	  echo "!! Debian/Ubuntu：sudo apt-get install -y $(BROWSER_PKGS)"; \
	  echo "!! macOS 等其他系统：请自行安装 Chromium，并设置 CRM_CHROMIUM=<浏览器路径>"; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo ""; }; \
	if ! command -v apt-get >/dev/null 2>&1; then loud "这不是 Debian/Ubuntu 系统，无法自动安装浏览器测试依赖。"; exit 0; fi; \
	missing=""; for p in $(BROWSER_PKGS); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "浏览器测试依赖已就绪：$(BROWSER_PKGS)"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	else loud "缺少$$missing，需要 root 或免密码 sudo 才能安装。"; exit 0; fi; \
	echo "安装浏览器测试依赖：$$missing ……"; \
	if $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; then \
	  echo "浏览器测试依赖已安装：$$missing"; \
	else \
	  loud "apt-get 安装$$missing 失败。"; \
	fi

# ---- 重新运行笔记本 ---------------------------------------------------------
# 不设 MPLBACKEND，图表以内嵌图片保存进笔记本；每本笔记本最多运行 $(NB_TIMEOUT) 秒。
notebooks: venv
	@$(ISOLATE) && unset MPLBACKEND && \
	nbs=$$($(LIST_NOTEBOOKS)); \
	if [ -z "$$nbs" ]; then echo "notebooks/ 与 solutions/ 里还没有笔记本。"; exit 0; fi; \
	echo "$$nbs" | while IFS= read -r nb; do \
	  echo "== 重新运行 $$nb"; \
	  "$(VENV)/bin/jupyter" nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=$(NB_TIMEOUT) "$$nb" || { echo "失败：$$nb"; exit 1; }; \
	done

# ---- 其他 -------------------------------------------------------------------
bench: venv
	"$(VPY)" benchmarks/run_all.py

# 可选：在本机的 Spark（local 模式）上运行 Spark SQL 版的规则，和 pandas 的结果比较。
# 需要 Java 17；pyspark 装在单独的 .venv-spark 里，不进默认的测试环境。
spark-check:
	@[ -x .venv-spark/bin/python ] || "$(PYTHON)" -m venv .venv-spark
	PIP_DISABLE_PIP_VERSION_CHECK=1 .venv-spark/bin/python -m pip install -q -e ".[spark]"
	.venv-spark/bin/python tools/spark_check.py

clean:
	rm -rf "$(VENV)"

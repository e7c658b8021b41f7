"""把工作簿的 SQL（DuckDB 写法）翻译成公司数据仓库的写法：Spark SQL、Hive、MySQL（用 sqlglot）。

翻译后排版成一行一个子句；sqlglot 会把注释挪到它认为属于的那个词旁边，并写成 /* … */，
这里再把单独占一行或在行末的注释改回 -- 的写法。目标库不支持的写法（例如 MySQL 没有数组）
写在结果开头的注释里。
"""
from __future__ import annotations

import difflib
import re

# sqlglot 在翻译时才导入（约 0.15 秒）：只用 DuckDB 的课不必等它。

from ..validation import checked

__all__ = ["DIALECTS", "check_dialect", "to_dialect"]

#: 能翻译成的写法：名字 → 中文说明
DIALECTS = {"duckdb": "DuckDB（工作簿自带）", "spark": "Spark SQL（Spark 3 / 4）", "hive": "Hive",
            "mysql": "MySQL 8"}

#: sqlglot 的英文提示 → 中文
_UNSUPPORTED = {"Arrays are not supported": "这种库没有数组（列表）类型：products 一列需要改写，例如用 GROUP_CONCAT 拼成文字",
                "SORT_ARRAY only sorts ascending": "数组排序只支持从小到大，空值排在最前"}

_ANSI = re.compile(r"\x1b\[[0-9;]*m")   # sqlglot 报错里给终端加的下划线
# 公用表（WITH 里的一段）的名字后面跟着注释
_CTE = re.compile(r"^(?P<indent>\s*)(?P<lead>WITH |\), )?(?P<name>\w+) /\* (?P<text>(?:(?!\*/)[^'])*?) \*/ AS \($")
# 行末或单独一行的 /* … */ 注释（前面的代码里单引号成对，说明注释不在文字常量里）
_TRAILING = re.compile(r"^(?P<code>.*?)\s*/\* (?P<text>(?:(?!\*/).)*?) \*/\s*$")



@checked
def sql_text(value) -> str:
    """SQL 里的文字常量：单引号括起，里面的单引号写两遍（'上海'、'a''b'）。整个工作簿只在这里写一次。"""
    return "'" + str(value).replace("'", "''") + "'"

@checked
def check_dialect(dialect: str) -> str:
    """检查 SQL 写法的名字（不分大小写），返回小写的标准名字；不认识时给出中文错误和最接近的名字。"""
    key = str(dialect).strip().lower()
    if key not in DIALECTS:
        close = difflib.get_close_matches(key, DIALECTS, n=1)
        hint = f"你是不是想写 {close[0]!r}？" if close else ""
        listing = "、".join(f"{k!r}（{v}）" for k, v in DIALECTS.items())
        raise ValueError(f"不认识 SQL 写法 {dialect!r}。{hint}可以选：{listing}。")
    return key


def _dash_comments(text: str) -> str:
    """把单独一行或行末的 /* 注释 */ 改成 -- 注释（前面的代码里引号成对时才改，不动文字常量里的内容）；
    公用表名字旁边的注释（“), order_stats /* … */ AS (”）挪到上一行。"""
    lines = []
    for line in text.splitlines():
        cte = _CTE.match(line)
        if cte:
            indent, lead = cte.group("indent"), cte.group("lead")
            if lead.startswith(")"):
                lines.append(f"{indent}),")
                lead = ""
            lines.append(f"{indent}-- {cte.group('text')}")
            lines.append(f"{indent}{lead}{cte.group('name')} AS (")
            continue
        m = _TRAILING.match(line)
        if m and m.group("code").count("'") % 2 == 0 and "/*" not in m.group("code"):
            code = m.group("code")
            indent = line[: len(line) - len(line.lstrip())]
            line = f"{code}  -- {m.group('text')}" if code.strip() else f"{indent}-- {m.group('text')}"
        lines.append(line)
    return "\n".join(lines)


@checked
def to_dialect(query: str, dialect: str) -> str:
    """把一条 DuckDB 写法的 SQL 翻译成另一种数据库的写法，排好版，尽量保留中文注释。

    参数
    ----
    query : SQL（工作簿生成的都是 DuckDB 写法，例如 rfm_sql(...) 的结果）。
    dialect : "duckdb"、"spark"、"hive" 或 "mysql"。

    例如 to_dialect(rfm_sql("2018-12-10"), "spark") 得到能在 Spark SQL 里运行的同一条查询。
    目标库不支持的写法会写在结果开头的注释里（例如 MySQL 没有数组类型）。
    """
    import sqlglot
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.errors import ErrorLevel, ParseError

    key = check_dialect(dialect)
    try:
        statements = [s for s in sqlglot.parse(query, read="duckdb") if s is not None]
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        where = f"（第 {first.get('line')} 行，“{_ANSI.sub('', str(first.get('highlight', '')))}”附近）" if first else ""
        detail = _ANSI.sub("", str(exc))
        raise ValueError(f"这条 SQL 有语法错误{where}，无法翻译。\nsqlglot 的原话：{detail}") from None
    if not statements:
        raise ValueError("query 是空的：请传入一条 SQL 查询。")
    generator = Dialect.get_or_raise(key).generator(pretty=True, unsupported_level=ErrorLevel.IGNORE)
    parts = [generator.generate(statement) for statement in statements]
    notes = []
    for message in dict.fromkeys(generator.unsupported_messages):
        chinese = next((v for k, v in _UNSUPPORTED.items() if k in message), None)
        notes.append(f"-- 注意（{DIALECTS[key]}）：{chinese or '有不支持的写法，请检查'}。sqlglot：{message}")
    body = ";\n\n".join(_dash_comments(part) for part in parts)
    return "\n".join(notes + [body])

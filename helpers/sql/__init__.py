"""工作簿规则的 SQL 视图：每条规则生成计算它的 SQL，在 DuckDB 上运行，或翻译成公司数据仓库的写法。

- run(query, **tables)：在 DuckDB 上运行 SQL，表是 pandas 表（原地扫描）或 CSV / Parquet 文件；
- customer_summary_sql、rfm_sql、vip_sql、lifecycle_sql：客户汇总、RFM-PGSB、店铺VIP、生命周期的 SQL，
  结果和对应的 pandas 函数一模一样；
- to_dialect(query, dialect)：翻译成 Spark SQL、Hive 或 MySQL 的写法；
- summary_frame、rfm_frame、vip_frame、lifecycle_frame：把 SQL 的结果整理成和 pandas 函数相同的表；
- summary_duckdb、rfm_score_duckdb：customer_summary / rfm_score 的 engine="duckdb"，可以直接读大文件。

子模块：engine（运行 SQL）、dialects（翻译）、builders（生成 SQL）、results（整理结果、DuckDB 引擎）。
"""
from .builders import customer_summary_sql, lifecycle_sql, rfm_levels, rfm_sql, rfm_weights, vip_sql
from .dialects import DIALECTS, check_dialect, sql_text, to_dialect
from .engine import attach, column_types, connect, fetch, run
from .results import lifecycle_frame, rfm_frame, rfm_score_duckdb, summary_duckdb, summary_frame, vip_frame

__all__ = ["run", "connect", "attach", "fetch", "column_types", "to_dialect", "check_dialect", "sql_text", "DIALECTS",
           "customer_summary_sql", "rfm_sql", "vip_sql", "lifecycle_sql", "rfm_weights", "rfm_levels",
           "summary_frame", "rfm_frame", "vip_frame", "lifecycle_frame", "summary_duckdb", "rfm_score_duckdb"]

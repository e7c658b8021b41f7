"""基准：read_taobao_orders 读一份 50 万行、约 140 MB 的千牛订单导出文件（GB18030，约 1,000 行坏数据）。

导出文件按需生成：把样例文件 datasets/sample_export/qinghe_tea/ExportOrderList202407010930.csv 的
465 行重复约 1,075 遍，每一遍换一组订单编号、买家会员名后缀、付款时间和邮编（每个值基本都不同，
和真实文件一样，不让“重复的值只解析一次”占便宜），再在中间放进约 1,000 行导入时要报告的坏行：
格子数不对、付款时间看不懂或看不出日/月、金额不是数字或是负数、订单编号被 Excel 改成科学计数法、
重复的订单、手机号不对（保留订单），以及 20 行 UTF-8（两份导出拼在一起）。
文件放在 benchmarks/_data/（不提交；可用环境变量 CRM_BENCH_DATA 改到别处），第二次运行直接复用。

导入在单独的进程里运行，内存峰值（进程的最大常驻内存 VmHWM）才只算这一次导入。

运行：
    .venv/bin/python benchmarks/bench_import.py                 # 50 万行，测 3 次
    .venv/bin/python benchmarks/bench_import.py --rows 100000 --repeat 5
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from bench_sql import peak_rss  # noqa: E402  （读 VmHWM：只算这个进程自己）

SAMPLE = ROOT / "datasets" / "sample_export" / "qinghe_tea" / "ExportOrderList202407010930.csv"
VERSION = 4                 # 生成的办法改了就加 1（旧的文件不再复用）
# 坏行的种类和行数（合计 1,000 行；只放在已付款的行上，排除的订单不检查这些）
BAD_KINDS = {"ragged": 200, "bad_time": 120, "ambiguous_time": 30, "bad_amount": 120, "negative": 50,
             "scientific": 150, "duplicate": 150, "bad_phone": 160, "utf8": 20}


def data_file(rows: int) -> Path:
    root = Path(os.environ.get("CRM_BENCH_DATA", HERE / "_data"))
    return root / f"taobao_{rows}_v{VERSION}" / f"ExportOrderList_{rows}.csv"


def _quote(values):
    """CSV 的引号：有逗号、引号或换行的格子加引号（="…" 格子照千牛的写法原样写）。"""
    import numpy as np

    text = values.astype(str)
    needs = text.str.contains(r'[,"\r\n]', regex=True) & ~text.str.startswith('="')
    return text.where(~needs, '"' + text.str.replace('"', '""', regex=False) + '"').to_numpy(dtype=object) \
        if needs.any() else np.asarray(text, dtype=object)


def generate(rows: int = 500_000, seed: int = 13) -> Path:
    """生成 rows 行的订单导出文件（GB18030、\\r\\n 换行、="…" 编号），已有时直接用。返回文件路径。"""
    import csv
    import io

    import numpy as np
    import pandas as pd

    path = data_file(rows)
    done = path.with_suffix(".done")
    if done.exists() and path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    text = SAMPLE.read_bytes().decode("gb18030")
    records = list(csv.reader(io.StringIO(text, newline="")))
    header, body = records[0], records[1:]
    sample = pd.DataFrame(body, columns=[h.strip() for h in header])
    n = len(sample)
    copies = -(-rows // n)
    pos = np.tile(np.arange(n), copies)[:rows]
    copy = np.repeat(np.arange(copies), n)[:rows]
    table = sample.iloc[pos].reset_index(drop=True)
    rng = np.random.RandomState(seed)

    # 每一遍：新的订单编号、买家后缀、时间（整体平移几分钟到几个月，时刻几乎都不同）、邮编
    table["订单编号"] = pd.Series(copy * 10_000 + pos + 3_800_000_000_000_000_000).astype(str).radd('="').add('"')
    table["买家会员名"] = table["买家会员名"] + pd.Series(copy % 97).map("_{:02d}".format)
    shift = pd.to_timedelta(rng.randint(-200 * 86400, 0, size=copies)[copy], unit="s")
    for col in ("订单创建时间", "订单付款时间"):
        when = pd.to_datetime(table[col].where(table[col] != ""), format="%Y-%m-%d %H:%M:%S") + shift
        table[col] = when.dt.strftime("%Y-%m-%d %H:%M:%S").fillna("")
    zips = pd.Series(rng.randint(100000, 999999, size=rows)).astype(str)
    table["收货地址"] = table["收货地址"].str.replace(r"\(\d{6}\)$", "", regex=True) + "(" + zips + ")"

    # 坏行：只放在已付款（交易成功、有付款时间）的行上，彼此不重叠；不放在前 1,000 行
    paid = np.flatnonzero((table["订单状态"] == "交易成功").to_numpy() & (table["订单付款时间"] != "").to_numpy())
    paid = paid[paid >= 1000]
    chosen = rng.choice(paid, size=sum(BAD_KINDS.values()), replace=False)
    kinds, start = {}, 0
    for kind, count in BAD_KINDS.items():
        kinds[kind] = np.sort(chosen[start:start + count])
        start += count
    table.loc[kinds["bad_time"], "订单付款时间"] = "2024-06-31 10:00:00"
    table.loc[kinds["ambiguous_time"], "订单付款时间"] = "01/06/2024 10:00"
    table.loc[kinds["bad_amount"], "买家实际支付金额"] = "五十元"
    table.loc[kinds["negative"], "买家实际支付金额"] = "-1.00"
    table.loc[kinds["scientific"], "订单编号"] = "3.80000E+18"
    pool = np.setdiff1d(paid, chosen)                                  # 和大约 500 行以前的一笔好订单重复
    earlier = pool[np.searchsorted(pool, kinds["duplicate"] - 500) - 1]
    table.loc[kinds["duplicate"], "订单编号"] = table.loc[earlier, "订单编号"].to_numpy()
    table.loc[kinds["bad_phone"], "联系手机"] = "021-5555"
    # 地址里多一个没加引号的逗号：最后一格不是空的，才会被当成格子数不对（行末多出来的空格子导入时不算）
    table.loc[kinds["ragged"], "是否手机订单"] = "手机订单"
    columns = [_quote(table[c]) for c in table.columns]
    address = columns[list(table.columns).index("收货地址")]
    address[kinds["ragged"]] = [a.replace(" ", ",", 1) for a in address[kinds["ragged"]]]   # 地址里有没加引号的逗号
    lines = pd.Series([",".join(cells) for cells in zip(*columns)], dtype=object)
    utf8 = set(kinds["utf8"].tolist())
    head = ",".join(header).encode("gb18030") + b"\r\n"
    with open(path, "wb") as out:
        out.write(head)
        for start in range(0, rows, 50_000):
            block = lines.iloc[start:start + 50_000]
            parts = [(line.encode("utf-8") if i in utf8 else line.encode("gb18030"))
                     for i, line in zip(block.index, block)]
            out.write(b"\r\n".join(parts) + b"\r\n")
    done.write_text(json.dumps({"行数": rows, "坏行": BAD_KINDS}, ensure_ascii=False), encoding="utf-8")
    size = path.stat().st_size / 2**20
    print(f"生成 {rows:,} 行的订单导出文件（{size:.0f} MB）：{time.perf_counter() - t0:.0f} 秒（{path}）", flush=True)
    return path


def worker(path: Path) -> dict:
    """在本进程里导入一次，返回耗时、内存峰值和报告里的数字。"""
    import helpers.taobao as taobao

    before = peak_rss()
    t0, c0 = time.perf_counter(), time.process_time()
    shop = taobao.read_taobao_orders(path)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    report = shop.import_report
    kinds = report.problems["处理"].value_counts().to_dict()
    return {"seconds": seconds, "cpu": cpu, "peak": peak_rss(), "before": before, "rows_read": report.rows_read,
            "kept": report.kept, "excluded": sum(report.excluded.values()), "skipped": report.skipped,
            "problems": len(report.problems), "kinds": kinds, "customers": len(shop.customers)}


def measure(path: Path) -> dict:
    """另起一个进程导入一次（进度条照常显示在终端上）。"""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(path)]
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"导入失败（退出码 {done.returncode}）")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(rows: int = 500_000, repeat: int = 3) -> list[dict]:
    """生成（或复用）导出文件，导入 repeat 次，打印每次的耗时和内存峰值，以及最快、中位数。"""
    import statistics

    path = generate(rows)
    print(f"导入 {path.name}（{path.stat().st_size / 2**20:.0f} MB），每次单独一个进程：")
    print(f"{'第几次':<8}{'耗时（秒）':>10}{'CPU（秒）':>10}{'内存峰值':>12}{'读取行':>10}{'导入订单':>10}{'排除':>8}"
          f"{'跳过':>8}{'问题行':>8}")
    runs = []
    for i in range(repeat):
        m = measure(path)
        runs.append(m)
        print(f"{i + 1:<10}{m['seconds']:>10.2f}{m['cpu']:>10.2f}{m['peak'] / 2**30:>10.2f} GB{m['rows_read']:>10,}{m['kept']:>10,}"
              f"{m['excluded']:>8,}{m['skipped']:>8,}{m['problems']:>8,}", flush=True)
    seconds = [m["seconds"] for m in runs]
    cpus = [m["cpu"] for m in runs]
    peaks = [m["peak"] for m in runs]
    print(f"耗时：最快 {min(seconds):.2f} 秒，中位数 {statistics.median(seconds):.2f} 秒（目标 ≤ 10 秒；"
          f"CPU 时间最少 {min(cpus):.2f} 秒，机器忙时耗时会比 CPU 时间长）；"
          f"内存峰值：最低 {min(peaks) / 2**30:.2f} GB，中位数 {statistics.median(peaks) / 2**30:.2f} GB（目标 ≤ 1 GB）")
    last = runs[-1]
    print(f"导入 {last['kept']:,} 笔已付款订单，排除 {last['excluded']:,} 笔，跳过有问题的行 {last['skipped']:,} 行；"
          f"报告里的问题行 {last['problems']:,} 行（" + "，".join(f"{k} {v:,}" for k, v in last["kinds"].items())
          + f"）；客户 {last['customers']:,} 位。")
    return runs


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        print(json.dumps(worker(Path(sys.argv[2])), ensure_ascii=False))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000, help="订单导出文件的行数，默认 500000")
    parser.add_argument("--repeat", type=int, default=3, help="导入几次（每次单独一个进程），默认 3")
    args = parser.parse_args()
    main(args.rows, args.repeat)

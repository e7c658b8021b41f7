"""重新生成工作簿自带的中文字体子集 NotoSansSC-CRM-subset.otf（维护者用，运行时不会导入）。

来源：Noto Sans CJK SC Regular（SIL OFL 1.1），取自 Debian 包 fonts-noto-cjk 的
NotoSansCJK-Regular.ttc，按名称选出其中的简体中文（SC）字面。

重建步骤（Debian/Ubuntu，需要 root 或 sudo）::

    apt-get update && apt-get install -y fonts-noto-cjk
    python3 -m venv /tmp/fontvenv && /tmp/fontvenv/bin/pip install fonttools
    /tmp/fontvenv/bin/python helpers/fonts/build_subset.py

参数：
    --source  字体来源：.ttc 字体集合或单独的 NotoSansCJKsc-Regular.otf，
              默认 /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc。
    --out     输出文件，默认本文件旁边的 NotoSansSC-CRM-subset.otf。

fontTools 不是工作簿的依赖，只在上面的临时虚拟环境里安装。
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
DEFAULT_OUT = HERE / "NotoSansSC-CRM-subset.otf"

# 要选出的字面（.ttc 里有 JP/KR/SC/TC/HK 五种，以 PostScript 名或全名识别）。
SOURCE_PS_NAME = "NotoSansCJKsc-Regular"
SOURCE_FULL_NAME = "Noto Sans CJK SC"

# 子集的新名字：与系统里完整的 "Noto Sans CJK SC" 区分开，避免 matplotlib 把两者当成同一字体；
# 名字中不含上游保留字体名 "Source"。
FAMILY = "Noto Sans SC CRM Subset"
POSTSCRIPT = "NotoSansSCCRMSubset-Regular"
VERSION_NOTE = "CRM workbook subset"

# 工作簿里用到、但不在 GB2312 里的字符（繁体/异体字与常用符号）。
EXTRA_CHARS = "歡沖‰≥≤×÷→←↑↓★☆●○■□▲△¥￥—…·「」℃№〇−±≈≠∞①②③④⑤⑥⑦⑧⑨⑩"

UNICODE_RANGES = [
    (0x0020, 0x007E),  # ASCII 可打印字符
    (0x00A0, 0x00FF),  # Latin-1 补充（¥ × ÷ · 等）
    (0x2000, 0x206F),  # 常用标点（— … ‰ 等）
    (0x3000, 0x303F),  # 中日韩符号和标点（、。「」【】等）
    (0xFF00, 0xFFEF),  # 全角字符（，：；！？（）％ ￥ 等）
]


def gb2312_chars() -> list[str]:
    """按 GB2312 的双字节编码逐个解码，得到全部 7445 个字符（682 个符号 + 6763 个汉字）。"""
    chars = []
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass  # 空码位
    return chars


def gb2312_hanzi() -> list[str]:
    """GB2312 第 16–87 区（0xB0A1–0xF7FE）的 6763 个汉字。"""
    out = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


def wanted_codepoints() -> set[int]:
    """子集要覆盖的全部 Unicode 码位。"""
    cps: set[int] = set()
    for lo, hi in UNICODE_RANGES:
        cps.update(range(lo, hi + 1))
    cps.update(ord(c) for c in gb2312_chars())
    cps.update(ord(c) for c in EXTRA_CHARS)
    return cps


def load_sc_face(source: Path):
    """从 .ttc 中按名称选出简体中文字面；若给的是单个 .otf 则直接打开。"""
    from fontTools.ttLib import TTCollection, TTFont

    if source.suffix.lower() in {".ttc", ".otc"}:
        collection = TTCollection(str(source))
        for face in collection.fonts:
            name = face["name"]
            if name.getDebugName(6) == SOURCE_PS_NAME or name.getDebugName(4) == SOURCE_FULL_NAME:
                return face
        names = [f["name"].getDebugName(6) for f in collection.fonts]
        raise SystemExit(f"在 {source} 中找不到 {SOURCE_PS_NAME}，只有：{names}")
    return TTFont(str(source))


def rename(font) -> None:
    """改写 name 表与 CFF 顶层字典里的字体名（保留版权、许可证与商标说明）。"""
    name = font["name"]
    upstream_version = name.getDebugName(5) or ""
    keep = {0, 7, 8, 9, 11, 12, 13, 14}  # 版权、商标、厂商、设计者、网址、许可证
    name.names = [rec for rec in name.names if rec.nameID in keep]
    new = {
        1: FAMILY,
        2: "Regular",
        3: f"{POSTSCRIPT};{VERSION_NOTE}",
        4: FAMILY,
        5: f"{upstream_version.split(';')[0]}; {VERSION_NOTE}",
        6: POSTSCRIPT,
        10: (
            "Subset of Noto Sans CJK SC Regular (GB2312 + punctuation) for the CRM "
            "workbook charts. Modified Version under the SIL Open Font License 1.1."
        ),
    }
    for name_id, text in new.items():
        name.setName(text, name_id, 3, 1, 0x409)  # Windows, Unicode BMP, 英语
        name.setName(text, name_id, 1, 0, 0)  # Macintosh, Roman, 英语

    if "CFF " in font:
        cff = font["CFF "].cff
        old = cff.fontNames[0]
        top = cff[old]
        cff.fontNames[0] = POSTSCRIPT
        if hasattr(top, "FullName"):
            top.FullName = FAMILY
        if hasattr(top, "FamilyName"):
            top.FamilyName = FAMILY
        if hasattr(top, "FDArray"):
            for fd in top.FDArray:
                if hasattr(fd, "FontName"):
                    fd.FontName = fd.FontName.replace("NotoSansCJKsc-Regular", POSTSCRIPT)


def build(source: Path, out: Path) -> None:
    from fontTools import subset

    font = load_sc_face(source)
    font.recalcTimestamp = False  # 保留上游时间戳，重复构建得到相同的文件
    cmap = font.getBestCmap()
    wanted = wanted_codepoints()
    present = sorted(cp for cp in wanted if cp in cmap)
    missing_extra = [c for c in EXTRA_CHARS + "".join(gb2312_hanzi()) if ord(c) not in cmap]
    if missing_extra:
        print("警告：上游字体缺少这些字符：", "".join(missing_extra), file=sys.stderr)

    options = subset.Options()
    options.layout_features = []  # matplotlib 不使用 OpenType 排版特性
    options.hinting = False  # 不保留 hinting
    options.desubroutinize = False  # 保留 CFF 子程序，文件更小
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.drop_tables += ["BASE", "VORG", "vhea", "vmtx", "GSUB", "GPOS", "GDEF", "DSIG"]
    options.recalc_timestamp = False

    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=present)
    subsetter.subset(font)
    rename(font)

    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out))
    size = out.stat().st_size
    print(
        f"已写入 {out}：{len(present)} 个字符，{font['maxp'].numGlyphs} 个字形，"
        f"{size / 1024 / 1024:.2f} MB（{size} 字节）"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成工作簿自带的中文字体子集")
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not args.source.exists():
        print(
            f"找不到 {args.source}。请先运行：apt-get update && apt-get install -y fonts-noto-cjk",
            file=sys.stderr,
        )
        return 1
    build(args.source, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

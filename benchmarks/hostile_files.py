"""Hostile uploads for the "Hostile uploads" figures in docs/benchmarks.md (issue 13).

- `tax.csv`: a ~200 MB 税务局 file (纳税人识别号, 纳税人名称, 所属年度, 税种, 实缴税金), three tax
  rows per enterprise; with `--bad` every identifier has a wrong check digit, so every row is
  rejected and reported (the case that wrote a 1.5 GB pending.json).
- `bomb.xlsx`: a real xlsx (written by xlsxwriter) whose sheet is replaced by a highly
  compressible one of the same rows repeated: a few MB that unpack to `--unpacked-mb`.

    uv run python benchmarks/hostile_files.py csv --mb 200 --bad
    uv run python benchmarks/hostile_files.py bomb --unpacked-mb 700
    /usr/bin/time -v uv run industry-brain validate benchmarks/data/tax_bad.csv -s tax -w /tmp/ws
"""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

import xlsxwriter

DATA = Path(__file__).resolve().parent / "data"
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
HEADER = ["纳税人识别号", "纳税人名称", "所属年度", "税种", "实缴税金（万元）"]
TAXES = ("增值税", "企业所得税", "个人所得税")


def uscc(serial: int, bad: bool) -> str:
    body = f"91331003MA{serial:07d}"
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    check = (31 - total % 31) % 31
    return body + ALPHABET[(check + 1) % 31 if bad else check]


def rows(serial: int, bad: bool) -> list[list[str]]:
    code, name = uscc(serial, bad), f"台州测试{serial}有限公司"
    return [[code, name, "2023", tax, f"{(serial % 997) + 1.5:.2f}"] for tax in TAXES]


def write_csv(path: Path, megabytes: float, bad: bool) -> Path:
    limit, serial = megabytes * 1_000_000, 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(",".join(HEADER) + "\n")
        while fh.tell() < limit:
            lines = [",".join(r) for s in range(serial, serial + 10_000) for r in rows(s, bad)]
            fh.write("\n".join(lines) + "\n")
            serial += 10_000
    return path


def _row_xml(r: int, values: list[str]) -> str:
    cells = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)
    return f'<row r="{r}">{cells}</row>'


def write_bomb(path: Path, unpacked_mb: float) -> Path:
    """A valid small xlsx, then the same zip with sheet1.xml streamed to `unpacked_mb`."""
    small = path.with_suffix(".small.xlsx")
    wb = xlsxwriter.Workbook(str(small))
    wb.add_worksheet("Sheet1").write_row(0, 0, HEADER)
    wb.close()
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, src.read(info))
                continue
            with out.open(info.filename, "w", force_zip64=True) as sheet:
                _stream_sheet(sheet, unpacked_mb * 1_000_000)
    small.unlink()
    return path


def _stream_sheet(sheet: zipfile.ZipExtFile, limit: float) -> None:
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
    head += '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    sheet.write(head.encode())
    sheet.write(_row_xml(1, HEADER).encode())
    written, r = 0, 2
    while written < limit:
        block = "".join(_row_xml(r + i, rows(1, False)[0]) for i in range(10_000)).encode()
        sheet.write(block)
        written, r = written + len(block), r + 10_000
    sheet.write(b"</sheetData></worksheet>")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["csv", "bomb"])
    parser.add_argument("--mb", type=float, default=200.0, help="csv size (MB)")
    parser.add_argument("--bad", action="store_true", help="every row rejected (csv)")
    parser.add_argument("--unpacked-mb", type=float, default=700.0, help="bomb's sheet (MB)")
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    if args.kind == "csv":
        path = write_csv(DATA / f"tax_{'bad' if args.bad else 'good'}.csv", args.mb, args.bad)
    else:
        path = write_bomb(DATA / "bomb.xlsx", args.unpacked_mb)
    print(path, f"{path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()

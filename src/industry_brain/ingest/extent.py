"""The extent of each sheet of an xlsx, read from its XML before the sheet is parsed.

The reader (calamine) builds a sheet as a dense block from A1 to its last cell: a 6 KB xlsx with
cells in A1 and XFD1048576 asks for 17 billion cells and aborts the whole process. And what the
zip's directory declares (`unpacked.py`) can be a lie. So each worksheet's XML is streamed once
(in 1 MB pieces, nothing kept): its real unpacked size must stay under `max_unpacked_mb`, and
its last row times its widest row's last column under `MAX_CELLS`. Rows should come in order,
but a hostile file need not keep it: the last row is the largest `<row r=…>`, the widest column
the largest last cell of any row (found at each `</row>`).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from industry_brain.ingest.problems import FileProblem

MB = 1 << 20
MAX_CELLS = 100_000_000  # a dense block of this many cells takes about 3 GB in the reader
CHUNK = 1 << 20
ROW = re.compile(rb'<row[^>]*?\sr="(\d{1,8})"')
LAST_CELL = re.compile(rb'<c[^>]*?\sr="([A-Z]{1,3})\d{1,8}"')
SHEETS = re.compile(r"^xl/worksheets/[^/]+\.xml$")


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _widest(text: bytes) -> int:
    """The largest column of a row's last cell, over the rows that end in `text`."""
    widest, start = 0, 0
    while (end := text.find(b"</row>", start)) >= 0:
        begin = text.rfind(b"<c ", start, end)
        if begin >= 0 and (found := LAST_CELL.match(text, begin)):
            widest = max(widest, column_number(found.group(1)))
        start = end + 6
    return widest


def sheet_extent(archive: zipfile.ZipFile, name: str, limit: int) -> tuple[int, int, int]:
    """(last row, widest column, bytes unpacked) of one worksheet; stops past `limit` bytes."""
    rows = columns = read = 0
    tail = b""
    with archive.open(name) as stream:
        while chunk := stream.read(CHUNK):
            read += len(chunk)
            if read > limit:
                return rows, columns, read
            text = tail + chunk
            cut = text.rfind(b"</row>") + 6 if b"</row>" in text else 0
            rows = max(rows, max((int(m.group(1)) for m in ROW.finditer(text, 0, cut)), default=0))
            columns = max(columns, _widest(text[:cut]))
            tail = text[cut:][-CHUNK:]
    return rows, columns, read


def check_extent(path: Path, limit_mb: float, max_cells: int = MAX_CELLS) -> None:
    """Refuse an xlsx whose sheets really unpack to more than `limit_mb` (F111) or span more
    than `max_cells` cells (F112)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return
    limit = int(limit_mb * MB)
    with zipfile.ZipFile(path) as archive:
        total = 0
        for name in (n for n in archive.namelist() if SHEETS.match(n)):
            rows, columns, read = sheet_extent(archive, name, limit - total)
            total += read
            if total > limit:
                size, limit_text = f"> {limit_mb:,.0f}", f"{limit_mb:,.0f}"
                ratio = f"{total / max(path.stat().st_size, 1):,.0f}"
                packed = f"{path.stat().st_size / MB:.2g}"
                raise FileProblem(
                    "too-large-unpacked",
                    unpacked=size,
                    packed=packed,
                    ratio=ratio,
                    limit=limit_text,
                )
            if rows * columns > max_cells:
                raise FileProblem(
                    "sheet-too-large",
                    sheet=name.rsplit("/", 1)[-1].removesuffix(".xml"),
                    rows=f"{rows:,}",
                    columns=f"{columns:,}",
                    limit=f"{max_cells:,}",
                )

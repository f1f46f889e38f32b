"""Where a sheet's cells start and which cells are merged, read from the xlsx XML.

fastexcel reads the cells fast but drops leading empty rows and columns and says nothing of
merged cells; parsing the workbook a second time with calamine to learn them costs as much as
the read. The sheet's `<dimension>` sits at the top of its XML and is read at once; the
`<mergeCell>` list sits at the end and is read only when asked for.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CELL = re.compile(r"([A-Z]+)(\d+)")


def cell_index(ref: str) -> tuple[int, int]:
    """'B3' → (2, 1): zero-based row and column."""
    m = _CELL.fullmatch(ref)
    if m is None:
        raise ValueError(f"not a cell reference: {ref!r}")
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def sheet_xml_path(archive: zipfile.ZipFile, sheet: str) -> str | None:
    workbook = archive.read("xl/workbook.xml").decode("utf-8")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    for tag in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", workbook):
        attrs = dict(re.findall(r'([\w:]+)="([^"]*)"', tag.group(0)))
        name = attrs.get("name", "").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        rid = next((v for k, v in attrs.items() if k.endswith(":id")), None)
        if name != sheet or rid is None:
            continue
        for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
            rel_attrs = dict(re.findall(r'(\w+)="([^"]*)"', rel.group(0)))
            if rel_attrs.get("Id") == rid:
                target = rel_attrs["Target"]
                return (
                    target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
                )
    return None


def sheet_start(path: Path, sheet: str) -> tuple[int, int] | None:
    """The (row, column) of the sheet's first cell from its <dimension>, or None if unknown."""
    with zipfile.ZipFile(path) as archive:
        member = sheet_xml_path(archive, sheet)
        if member is None:
            return None
        with archive.open(member) as fh:
            head = fh.read(4096).decode("utf-8", errors="ignore")
    # A one-cell <dimension> is what some writers put whatever the sheet holds: not trusted.
    m = re.search(r'<(?:\w+:)?dimension\s+ref="([A-Z]+\d+):[A-Z]+\d+"', head)
    return cell_index(m.group(1)) if m else None


def merged_ranges(path: Path, sheet: str) -> list[tuple[int, int, int, int]]:
    """Merged ranges (r0, c0, r1, c1), zero-based and inclusive, from the sheet's <mergeCell>s."""
    with zipfile.ZipFile(path) as archive:
        member = sheet_xml_path(archive, sheet)
        if member is None:
            return []
        ranges, tail = [], ""
        with archive.open(member) as fh:
            while chunk := fh.read(1 << 20):
                text = tail + chunk.decode("utf-8", errors="ignore")
                for m in re.finditer(r'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+):([A-Z]+\d+)"', text):
                    (r0, c0), (r1, c1) = cell_index(m.group(1)), cell_index(m.group(2))
                    ranges.append((r0, c0, r1, c1))
                tail = text[-200:]  # a reference cut by the chunk boundary is found next time
    return sorted(set(ranges))


def numeric_cells(path: Path, sheet: str, col: int, rows: set[int]) -> set[int]:
    """Of the given 1-based rows, those whose cell in the zero-based column is a number (no
    `t` attribute, or t="n") in the sheet's XML: an all-digit code typed into a number cell."""
    letters, n = "", col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    ref = re.compile(rb'\br="' + letters.encode() + rb'(\d+)"')
    found: set[int] = set()
    with zipfile.ZipFile(path) as archive:
        member = sheet_xml_path(archive, sheet)
        if member is None:
            return found
        data = archive.read(member)
    for m in ref.finditer(data):
        row = int(m.group(1))
        if row not in rows:
            continue
        tag = data[data.rfind(b"<", 0, m.start()) : data.find(b">", m.end())]
        kind = re.search(rb'\bt="(\w+)"', tag)
        if kind is None or kind.group(1) == b"n":
            found.add(row)
    return found

"""A sheet's real extent, read from its XML before it is parsed (issue 13): a 6 KB xlsx with one
cell in A1 and one in XFD1048576 would make the reader ask for 17 billion cells and abort the
process; a zip whose directory lies about a sheet's size is caught by the sheet's real size."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from industry_brain.ingest.extent import check_extent, column_number, sheet_extent
from industry_brain.ingest.problems import FileProblem
from industry_brain.ingest.read import read_file

from helpers import STAT_HEADER, stat_row, write_xlsx

SHEET = "xl/worksheets/sheet1.xml"


def with_sheet(template: Path, out: Path, xml: bytes) -> Path:
    """The workbook `template` with its first sheet's XML replaced."""
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, xml if item.filename == SHEET else src.read(item.filename))
    return out


def sheet_xml(rows: str) -> bytes:
    head = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    return (head + rows + "</sheetData></worksheet>").encode()


@pytest.fixture
def template(tmp_path):
    return write_xlsx(tmp_path / "ok.xlsx", [STAT_HEADER, stat_row(1, year=2022)])


def test_column_letters_are_numbered_as_excel_does():
    assert [column_number(c) for c in (b"A", b"Z", b"AA", b"XFD")] == [1, 26, 27, 16384]


def test_a_stray_cell_in_the_last_corner_is_refused_before_reading(template, tmp_path):
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    rows += '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    bomb = with_sheet(template, tmp_path / "corner.xlsx", sheet_xml(rows))
    assert bomb.stat().st_size < 10_000
    started = time.monotonic()
    with pytest.raises(FileProblem) as refused:
        read_file(bomb)
    assert refused.value.error.name == "sheet-too-large" and time.monotonic() - started < 1


def test_rows_out_of_order_do_not_hide_the_extent(template, tmp_path):
    rows = '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    rows += '<row r="2"><c r="A2"><v>1</v></c><c r="ZZ2"><v>2</v></c></row>'
    path = with_sheet(template, tmp_path / "order.xlsx", sheet_xml(rows))
    with zipfile.ZipFile(path) as archive:
        assert sheet_extent(archive, SHEET, 1 << 30)[:2] == (1048576, 702)


def test_a_sheet_larger_than_its_declared_size_is_refused_on_its_real_size(template, tmp_path):
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 40_000))
    path = with_sheet(template, tmp_path / "big.xlsx", sheet_xml(rows))
    with pytest.raises(FileProblem) as refused:
        check_extent(path, limit_mb=1)  # the sheet's XML is about 1.6 MB
    assert refused.value.error.name == "too-large-unpacked"


def test_an_ordinary_workbook_passes(template):
    check_extent(template, limit_mb=512)
    assert read_file(template)[0].cells.height == 2

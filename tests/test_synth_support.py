"""Shared helpers for the synth tests: a cached small city and readers of the written files.

The readers are written for these tests, apart from the ingest code: they read a sheet with
python-calamine (xlsx and legacy xls) or the csv module, compose each column's name from the
header rows the manifest names (a parent merged over its children, 'parent › child' when the
child only says a period, month or total), and take units from the header cell, its parent, a
units row under the header or a 单位 line above it.

(Named test_synth_*.py to sit with the synth tests; it defines no tests itself.)
"""

from __future__ import annotations

import atexit
import csv
import functools
import re
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import polars as pl
from python_calamine import CalamineWorkbook

from industry_brain.ingest.spec import load_spec
from industry_brain.reference.pollutants import pollutants
from industry_brain.synth import Manifest, write_city
from industry_brain.synth.calibration import figures_from_sums
from industry_brain.synth.manifest import FaultEntry, FileEntry
from industry_brain.units import UNITS, normalise_text, split_header

SMALL = 0.05
_ROOT = Path(tempfile.mkdtemp(prefix="synth-tests-"))
atexit.register(shutil.rmtree, _ROOT, ignore_errors=True)
USCC = re.compile(r"^[0-9A-Z]{18}$")
_PERIOD = re.compile(
    r"^(本年|上年同期|合计|全年合计|\d{1,2}月|[一二三四五六七八九十]{1,2}月|\d{4}年\d{2}月)$"
)


@functools.cache
def small_city(seed: int = 11, faults: float | None = None, missing_column: bool = False) -> Path:
    """A scale-0.05 city written once per test session (treat it as read-only)."""
    out = _ROOT / f"city-{seed}-{faults}-{missing_column}"
    write_city(out, seed=seed, scale=SMALL, faults=faults, missing_column=missing_column)
    return out


def manifest(city: Path) -> Manifest:
    return Manifest.read(city / "manifest.json")


def entry(m: Manifest, path: str) -> FileEntry:
    return next(f for f in m.files if f.path == path)


def csv_lines(city: Path, f: FileEntry) -> list[list[str]]:
    path = city / f.path
    return _csv(path, f.encoding or "utf-8", path.stat().st_mtime)


@functools.cache
def _csv(path: Path, encoding: str, stamp: float) -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.reader(fh))


@functools.cache
def _sheet(path: Path, sheet: str | None, stamp: float) -> tuple[list[list[Any]], tuple]:
    wb = CalamineWorkbook.from_path(str(path))
    ws = wb.get_sheet_by_name(sheet) if sheet else wb.get_sheet_by_index(0)
    rows = [[None if v == "" else v for v in r] for r in ws.to_python(skip_empty_area=False)]
    return rows, tuple(ws.merged_cell_ranges or ())


def rows_of(city: Path, f: FileEntry) -> list[list[Any]]:
    """Every row of the file's sheet (or csv), as values; row i is row (line) i + 1."""
    path = city / f.path
    if f.format == "csv":
        return _csv_rows(path, f.encoding or "utf-8", path.stat().st_mtime)
    return _sheet(path, f.sheet, path.stat().st_mtime)[0]


@functools.cache
def _csv_rows(path: Path, encoding: str, stamp: float) -> list[list[Any]]:
    return [[v if v != "" else None for v in line] for line in _csv(path, encoding, stamp)]


def xlsx_row(city: Path, f: FileEntry, row: int) -> list[Any]:
    """A row of a sheet or csv (1-based, like Excel)."""
    return list(rows_of(city, f)[row - 1])


def _merges(city: Path, f: FileEntry) -> tuple:
    if f.format == "csv":
        return ()
    path = city / f.path
    return _sheet(path, f.sheet, path.stat().st_mtime)[1]


def header_paths(city: Path, f: FileEntry) -> list[list[str]]:
    """Each column's header cells top to bottom, a merged cell read in every cell it covers."""
    assert f.header_row is not None and f.header_rows is not None
    rows = rows_of(city, f)
    top = f.header_row - f.header_rows
    width = max(len(r) for r in rows[top : f.header_row])
    grid = [list(rows[i]) + [None] * (width - len(rows[i])) for i in range(top, f.header_row)]
    for (r0, c0), (r1, c1) in _merges(city, f):
        for r in range(max(r0, top), min(r1, f.header_row - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                grid[r - top][c] = rows[r0][c0]
    paths = []
    for c in range(width):
        path: list[str] = []
        for level in grid:
            text = level[c]
            if text is not None and str(text).strip() and (not path or path[-1] != str(text)):
                path.append(str(text).strip())
        paths.append(path)
    return paths


def names(city: Path, f: FileEntry) -> list[str]:
    """Each column's name: its own cell, or 'parent › child' when the cell is only a period,
    a month or a total."""
    out = []
    for path in header_paths(city, f):
        if not path:
            out.append("")
        elif _PERIOD.match(path[-1]):
            out.append(" › ".join(path))
        else:
            out.append(path[-1])
    return out


def cell(city: Path, m: Manifest, fault: FaultEntry) -> Any:
    """The cell a fault entry points at, read back from the file."""
    f = entry(m, fault.file)
    value = xlsx_row(city, f, fault.row)[names(city, f).index(fault.column)]
    return "" if value is None else value


def data_rows(city: Path, f: FileEntry) -> list[list[Any]]:
    """The data rows (an enterprise code in the code column), without 合计 or notes."""
    assert f.data_row is not None
    code = _code_column(city, f)
    return [r for r in rows_of(city, f)[f.data_row - 1 :] if USCC.match(str(r[code] or ""))]


def _code_column(city: Path, f: FileEntry) -> int:
    index = load_spec(f.source).header_index()
    return next(j for j, n in enumerate(names(city, f)) if index.get(split_header(n)[0]) == "uscc")


def sheet_units(city: Path, f: FileEntry) -> dict[str, str]:
    """Units a '单位：万元、人、吨标准煤' or '金额单位：千元' line above the table declares."""
    assert f.header_row is not None and f.header_rows is not None
    found: dict[str, str] = {}
    for r in rows_of(city, f)[: f.header_row - f.header_rows]:
        for v in r:
            if v is None or "单位" not in str(v):
                continue
            for text in re.findall(r"单位[:：]\s*(\S+)", normalise_text(str(v))):
                for piece in re.split("[、,，/]", text):
                    if piece in UNITS:
                        found.setdefault(UNITS[piece].dimension, piece)
    return found


def columns(city: Path, f: FileEntry) -> list[tuple[str | None, str | None, str | None]]:
    """Per column: (field, unit, pollutant or month) by the spec's vocabulary; a 上年同期 column
    and the columns no field names are (None, None, None)."""
    spec = load_spec(f.source)
    index = spec.header_index()
    sheet = sheet_units(city, f)
    under: list[Any] = []
    if f.data_row is not None and f.header_row is not None and f.data_row > f.header_row + 1:
        under = xlsx_row(city, f, f.header_row + 1)
    out: list[tuple[str | None, str | None, str | None]] = []
    for j, path in enumerate(header_paths(city, f)):
        if not path or path[-1] == "上年同期":
            out.append((None, None, None))
            continue
        texts = path[:-1] if _PERIOD.match(path[-1]) else path
        base = split_header(texts[-1])[0] if texts else ""
        units = [split_header(t)[1] for t in path]
        unit = next((u for u in reversed(units) if u), None)
        if unit is None and j < len(under) and under[j] is not None and str(under[j]) in UNITS:
            unit = str(under[j])
        field = index.get(base)
        part = path[-1] if _PERIOD.match(path[-1]) else None
        if field is None and f.source == "emissions":
            code = _pollutant(base)
            field, part = ("amount_t", code) if code else (None, None)
        if field is None and f.source == "electricity" and part is not None:
            field = "electricity_kwh"
        if field is not None and unit is None and spec.field(field).type == "number":
            dimension = spec.field(field).dimension or ""
            unit = sheet.get(dimension) or spec.field(field).unit
        out.append((field, unit, part))
    return out


@functools.cache
def _pollutant_names() -> dict[str, str]:
    return {normalise_text(t): p.code for p in pollutants() for t in (p.code, p.name, *p.aliases)}


def _pollutant(text: str) -> str | None:
    return _pollutant_names().get(normalise_text(text))


def _number(v: Any) -> float | None:
    if v is None:
        return None
    if isinstance(v, int | float):
        return float(v)
    text = str(v).replace(",", "").removesuffix("元").strip()
    try:
        return float(text)
    except ValueError:
        return None


def _canonical(v: Any, unit: str | None) -> float | None:
    x = _number(v)
    return None if x is None else x * (UNITS[unit].factor if unit else 1.0)


TOTALS = {"小计", "合计", "总计"}


def read_figures(city: Path, f: FileEntry, derive: bool = True) -> pl.DataFrame:
    """uscc and every figure of a statistics, tax or electricity file in canonical units,
    parts (tax types, accounts, months) summed per enterprise; 上年同期 and totals (a total
    column, a 小计 line among a taxpayer's 税种) left out; above_scale from 是否规上, else (with
    `derive`) from 营业收入."""
    spec = load_spec(f.source)
    cols = columns(city, f)
    code = next(j for j, (field, _, _) in enumerate(cols) if field == "uscc")
    flag = next((j for j, (field, _, _) in enumerate(cols) if field == "above_scale"), None)
    kinds = [j for j, (field, _, _) in enumerate(cols) if field in spec.parts]
    numbers = [
        (j, field, UNITS[unit].factor if unit else 1.0)
        for j, (field, unit, part) in enumerate(cols)
        if field is not None
        and spec.field(field).type == "number"
        and part not in ("合计", "全年合计")
    ]
    sums: dict[str, dict[str, Any]] = defaultdict(dict)
    for r in data_rows(city, f):
        if any(str(r[j]).strip() in TOTALS for j in kinds):
            continue
        u = str(r[code])
        if flag is not None:
            sums[u]["above_scale"] = r[flag] == "是"
        for j, field, factor in numbers:
            x = _number(r[j])
            value = None if x is None else x * factor
            have = sums[u].get(field)
            sums[u][field] = value if have is None else have + (value or 0.0)
    frame = pl.DataFrame([{"uscc": u, **v} for u, v in sums.items()], infer_schema_length=None)
    if derive and flag is None and "revenue" in frame.columns:
        frame = frame.with_columns((pl.col("revenue") >= 2000).alias("above_scale"))
    return frame


def read_statistics(city: Path, f: FileEntry) -> pl.DataFrame:
    return read_figures(city, f)


def read_year_statistics(city: Path, m: Manifest, year: int) -> pl.DataFrame:
    """A year's statistics from all its files: one, one per county (other enterprises), or the
    产值 and 财务 tables of the same enterprises, each figure from the files that have its
    column (the later file where both do); 规上 from 是否规上 where a file gives it."""
    frames = [read_figures(city, f, derive=False) for f in m.files_for("statistics", year)]
    keep = pl.all().drop_nulls().last()
    frame = pl.concat(frames, how="diagonal").group_by("uscc", maintain_order=True).agg(keep)
    if "above_scale" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.Boolean).alias("above_scale"))
    return frame.with_columns(pl.col("above_scale").fill_null(pl.col("revenue") >= 2000))


def read_tax(city: Path, f: FileEntry) -> pl.DataFrame:
    return read_figures(city, f).select("uscc", "tax_paid")


def read_land(city: Path, f: FileEntry) -> pl.DataFrame:
    """uscc → land_mu and its parts: owned + leased − let, where a lease is also let land of
    its lessor (named in 出租方, or the owner of the same 宗地编号) unless the lessor lists the
    parcel as 出租 itself."""
    spec = load_spec("land")
    choices = spec.field("tenure").choices or {}
    cols = columns(city, f)
    at = {field: j for j, (field, _, _) in enumerate(cols) if field}
    unit = cols[at["area_mu"]][1]
    rows = []
    for r in data_rows(city, f):
        lessor = r[at["lessor"]] if "lessor" in at else None
        rows.append(
            (str(r[at["uscc"]]), str(r[at["name"]]), str(r[at["parcel_id"]]),
             choices[str(r[at["tenure"]])], _canonical(r[at["area_mu"]], unit) or 0.0, lessor)
        )  # fmt: skip
    by_name = {name: u for u, name, *_ in rows}
    owner: dict[str, set[str]] = defaultdict(set)
    let: set[tuple[str, str]] = set()
    land: dict[str, dict[str, float]] = {}
    for u, _, parcel, tenure, area, _ in rows:
        land.setdefault(u, dict.fromkeys(("owned", "leased", "let"), 0.0))[tenure] += area
        if tenure == "owned":
            owner[parcel].add(u)
        elif tenure == "let":
            let.add((u, parcel))
    for u, _, parcel, tenure, area, lessor in rows:
        if tenure != "leased":
            continue
        text = "" if lessor is None else str(lessor)
        lessor_uscc = text if USCC.match(text) else by_name.get(text)
        if lessor_uscc is None:
            owners = owner.get(parcel, set())
            lessor_uscc = next(iter(owners)) if len(owners) == 1 and u not in owners else None
        if lessor_uscc in land and (lessor_uscc, parcel) not in let:
            land[lessor_uscc]["let"] += area
    return pl.DataFrame(
        [
            {
                "uscc": u,
                "land_mu": v["owned"] + v["leased"] - v["let"],
                "land_owned_mu": v["owned"],
                "land_leased_mu": v["leased"],
                "land_let_mu": v["let"],
            }
            for u, v in land.items()
        ]
    )


def read_emissions(city: Path, f: FileEntry) -> pl.DataFrame:
    """uscc, pollutant (code) and amount_t, outlets and rows summed; '/' and '—' are absent."""
    cols = columns(city, f)
    code = next(j for j, (field, _, _) in enumerate(cols) if field == "uscc")
    named = next((j for j, (field, _, _) in enumerate(cols) if field == "pollutant"), None)
    out: dict[tuple[str, str], float] = defaultdict(float)
    for r in data_rows(city, f):
        for j, (field, unit, part) in enumerate(cols):
            if field != "amount_t":
                continue
            pollutant = part if named is None else _pollutant(str(r[named]))
            value = _canonical(r[j], unit)
            if value is not None and pollutant is not None:
                out[(str(r[code]), pollutant)] += value
    return pl.DataFrame([{"uscc": u, "pollutant": p, "amount_t": v} for (u, p), v in out.items()])


def figures_from_files(city: Path, year: int = 2020) -> dict[str, float]:
    """The §4 figures recomputed from the written statistics, land and tax files."""
    m = manifest(city)
    stats = read_year_statistics(city, m, year).filter(pl.col("above_scale"))
    land = read_land(city, m.file("land", year)).select("uscc", "land_mu")
    tax = read_tax(city, m.file("tax", year))
    joined = stats.join(land, on="uscc", how="left").join(tax, on="uscc", how="left")
    wanted = ("revenue", "output", "value_added", "employees", "rd_expense",
              "new_product_output", "land_mu", "tax_paid")  # fmt: skip
    sums = {c: float(joined[c].fill_null(0).sum()) for c in wanted}
    return figures_from_sums(sums)

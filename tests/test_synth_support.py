"""Shared helpers for the synth tests: a cached small city and readers of written files.

(Named test_synth_*.py to sit with the synth tests; it defines no tests itself.)
"""

from __future__ import annotations

import atexit
import csv
import functools
import shutil
import tempfile
from pathlib import Path
from typing import Any

import fastexcel
import openpyxl
import polars as pl

from industry_brain.ingest.spec import load_spec
from industry_brain.synth import Manifest, write_city
from industry_brain.synth.calibration import figures_from_sums
from industry_brain.synth.manifest import FaultEntry, FileEntry

SMALL = 0.05
_ROOT = Path(tempfile.mkdtemp(prefix="synth-tests-"))
atexit.register(shutil.rmtree, _ROOT, ignore_errors=True)


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
    with (city / f.path).open(encoding=f.encoding or "utf-8", newline="") as fh:
        return list(csv.reader(fh))


@functools.cache
def _sheet(path: Path, sheet: str | None, stamp: float) -> list[tuple[Any, ...]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        ws = wb[sheet] if sheet else wb.worksheets[0]
        return list(ws.iter_rows(values_only=True))
    finally:
        wb.close()


def xlsx_row(city: Path, f: FileEntry, row: int) -> list[Any]:
    """A row of an xlsx file as openpyxl reads it (1-based, like Excel)."""
    path = city / f.path
    return list(_sheet(path, f.sheet, path.stat().st_mtime)[row - 1])


def cell(city: Path, m: Manifest, fault: FaultEntry) -> Any:
    """The cell a fault entry points at, read back from the file."""
    f = entry(m, fault.file)
    if f.format == "csv":
        lines = csv_lines(city, f)
        header, line = lines[0], lines[fault.row - 1]
    else:
        assert f.header_row is not None
        header = xlsx_row(city, f, f.header_row)
        line = xlsx_row(city, f, fault.row)
    value = line[header.index(fault.column)]
    return "" if value is None else value


def _number(s: pl.Series) -> pl.Series:
    return s.str.replace_all(",", "").str.strip_chars().cast(pl.Float64, strict=False)


def read_statistics(city: Path, f: FileEntry) -> pl.DataFrame:
    """uscc, above_scale and canonical output / value added / employees / revenue / R&D / new
    products of a statistics file, using the unit of the header or of its group header."""
    assert f.header_row is not None and f.sheet is not None
    raw = fastexcel.read_excel(city / f.path).load_sheet(
        f.sheet, header_row=f.header_row - 1, dtypes="string"
    )
    frame = raw.to_polars()
    groups = [v or "" for v in xlsx_row(city, f, f.header_row - 1)]
    index = load_spec("statistics").header_index()
    from industry_brain.units import UNITS, find_unit, split_header

    cols = {}
    for j, header in enumerate(frame.columns):
        base, unit = split_header(header)
        name = index.get(base)
        if name is None:
            continue
        group = next((g for g in reversed(groups[: j + 1]) if g), "")
        unit = unit or find_unit(group) or "万元"
        s = frame[header]
        if name in ("above_scale",):
            cols[name] = s == "是"
        elif name in ("uscc",):
            cols[name] = s
        elif name in (
            "revenue",
            "output",
            "value_added",
            "rd_expense",
            "new_product_output",
            "employees",
        ):
            cols[name] = _number(s) * (UNITS[unit].factor if name != "employees" else 1.0)
    return pl.DataFrame(cols)


def read_land(city: Path, f: FileEntry) -> pl.DataFrame:
    """uscc → land_mu (owned + leased − let, factors from land.yaml)."""
    spec = load_spec("land")
    factors = spec.reconcile["tenure_factors"]
    choices = spec.field("tenure").choices or {}
    from industry_brain.units import UNITS, split_header

    assert f.header_row is not None and f.sheet is not None
    frame = (
        fastexcel.read_excel(city / f.path)
        .load_sheet(f.sheet, header_row=f.header_row - 1, dtypes="string")
        .to_polars()
    )
    area_header = next(h for h in frame.columns if h.startswith("用地面积"))
    unit = split_header(area_header)[1] or "亩"
    return (
        frame.select(
            pl.col("统一社会信用代码").alias("uscc"),
            (
                _number(frame[area_header])
                * UNITS[unit].factor
                * frame["权属"].replace_strict(
                    {k: factors[v] for k, v in choices.items()}, return_dtype=pl.Float64
                )
            ).alias("land_mu"),
        )
        .group_by("uscc")
        .agg(pl.col("land_mu").sum())
    )


def read_tax(city: Path, f: FileEntry) -> pl.DataFrame:
    lines = csv_lines(city, f)
    header, body = lines[0], lines[1:]
    j = header.index("实缴税金（元）")
    frame = pl.DataFrame(
        {"uscc": [r[0] for r in body], "tax": [r[j] for r in body]},
        schema={"uscc": pl.String, "tax": pl.String},
    )
    return frame.select("uscc", (_number(frame["tax"].replace("—", None)) * 1e-4).alias("tax_paid"))


def figures_from_files(city: Path, year: int = 2020) -> dict[str, float]:
    """The §4 figures recomputed from the written statistics, land and tax files."""
    m = manifest(city)
    stats = read_statistics(city, m.file("statistics", year)).filter(pl.col("above_scale"))
    land = read_land(city, m.file("land", year))
    tax = read_tax(city, m.file("tax", year))
    joined = stats.join(land, on="uscc", how="left").join(tax, on="uscc", how="left")
    sums = {
        c: float(joined[c].fill_null(0).sum())
        for c in joined.columns
        if c not in ("uscc", "above_scale")
    }
    return figures_from_sums(sums)

"""write_city: the synthetic Taizhou as department files, truth and a manifest."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import polars as pl
import yaml

from industry_brain.engines.progress.catalog import load_plan
from industry_brain.synth.calibration import calibration_figures, targets
from industry_brain.synth.department_files import (
    electricity_table,
    emissions_table,
    land_table,
    register_table,
    tax_table,
)
from industry_brain.synth.faults import Injected, parse_rates
from industry_brain.synth.injection import inject
from industry_brain.synth.manifest import CountEntry, FaultEntry, FileEntry, Manifest
from industry_brain.synth.plan_actuals import write_plan_actuals
from industry_brain.synth.population import DEFAULT_YEARS, Population, generate_population
from industry_brain.synth.rng import stream
from industry_brain.synth.statistics_file import (
    statistics_frame,
    statistics_table,
    statistics_tables,
)
from industry_brain.synth.table import Row, Table, named, write
from industry_brain.synth.trade_files import trade_table

Progress = Callable[[str, int, int], None]
PLAN = "taizhou-14th-fyp"  # the plan whose entered figures the city comes with
MISSING_COLUMN_FILE = "faulty/工业企业主要指标_missing_column.xlsx"
MISSING_COLUMN_ROWS = 200
TRADE_TRUTH = "truth/trade.parquet"


def department_tables(pop: Population, seed: int) -> list[Table]:
    """Every department file of the city, in memory, without faults."""
    names = pop.enterprises.select("uscc", "name")
    ey = pop.enterprise_years
    tables = [register_table(pop.enterprises, pop.parks, stream(seed, "register-file"))]
    for y in pop.years:
        frame = statistics_frame(pop.enterprises, ey, y)
        tables += statistics_tables(frame, y, stream(seed, "statistics-file", y))
        tables += [
            tax_table(ey, names, y, stream(seed, "tax-file", y)),
            land_table(pop.parcels, names, y),
            electricity_table(ey, names, y, stream(seed, "electricity-file", y)),
            emissions_table(pop.pollutants, names, y, stream(seed, "emissions-file", y)),
        ]
    return tables


def _missing_column_table(pop: Population, seed: int) -> tuple[Table, FaultEntry]:
    year = pop.years[-1]
    frame = statistics_frame(pop.enterprises, pop.enterprise_years, year).head(MISSING_COLUMN_ROWS)
    rng = stream(seed, "missing-column")
    table = statistics_table(frame, year, rng, MISSING_COLUMN_FILE, "xlsx")
    revenue = re.compile("主营业务收入|营业收入")  # a header no vocabulary knows, for 营业收入
    c = table.columns[table.column("revenue")]
    level = next(i for i, t in enumerate(c.cells) if revenue.search(t))
    for j, other in enumerate(table.columns):  # also 上年同期 under the same parent
        if len(other.cells) > level and other.cells[level] == c.cells[level]:
            path = tuple(revenue.sub("营业额", t) for t in other.cells)
            composed = other.header != other.cells[-1]
            header = named(path, composed)
            table.columns[j] = dataclasses.replace(other, header=header, path=path)
    cell = revenue.sub("营业额", c.cells[level])
    fault = FaultEntry(
        kind="missing_column",
        code="F104",
        file=table.path,
        sheet=table.sheet,
        row=table.level_row(level),
        column=cell,
        value=cell,
        uscc=None,
        field="revenue",
    )
    return table, fault


def _entries(found: Iterable[tuple[str, str, Table, Row, int, object]]) -> list[FaultEntry]:
    rows: dict[int, dict[int, int]] = {}
    out = []
    for kind, code, table, row, j, value in found:
        if id(table) not in rows:
            rows[id(table)] = table.physical_rows()
        where = rows[id(table)]
        out.append(
            FaultEntry(
                kind=kind,
                code=code,
                file=table.path,
                sheet=table.sheet,
                row=where[id(row)],
                column=table.columns[j].header,
                value="" if value is None else value,  # type: ignore[arg-type]
                uscc=row.uscc,
                field=table.columns[j].field,
            )
        )
    return sorted(out, key=lambda f: (f.file, f.row, f.kind))


def _file(table: Table, faulty: bool = False) -> FileEntry:
    return FileEntry(
        path=table.path,
        source=table.source,
        year=table.year,
        rows=table.body_rows,
        format=table.format,
        sheet=table.sheet,
        header_row=table.header_row,
        header_rows=table.depth,
        data_row=table.data_row,
        year_column=table.year_column if table.year is not None else None,
        encoding=table.encoding if table.format == "csv" else None,
        county=table.county,
        faulty=faulty,
    )


def _parquet(
    frame: pl.DataFrame, out: Path, rel: str, source: str, year: int | None = None
) -> FileEntry:
    path = out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(path, compression="zstd", statistics=True)
    return FileEntry(path=rel, source=source, year=year, rows=frame.height, format="parquet")


def _counts(pop: Population) -> dict[str, dict[str, CountEntry]]:
    counts = (
        pop.enterprise_years.join(pop.enterprises.select("uscc", "region_code"), on="uscc")
        .group_by("year", "region_code")
        .agg(pl.col("above_scale").sum().alias("a"), (~pl.col("above_scale")).sum().alias("b"))
        .sort("year", "region_code")
    )
    out: dict[str, dict[str, CountEntry]] = {}
    for y, c, a, b in counts.iter_rows():
        out.setdefault(str(y), {})[c] = CountEntry(above_scale=a, below_scale=b)
    return out


def _plan_actuals(out: Path, last_year: int, seed: int) -> list[FileEntry]:
    """The city's entered plan figures (GDP shares, 数字经济, …) since the plan began."""
    plan = load_plan(PLAN)
    if last_year <= plan.base_year:
        return []
    path = f"plan_actuals/{plan.plan}.xlsx"
    rows = write_plan_actuals(out / path, plan, last_year, seed)
    return [FileEntry(path=path, source="plan_actuals", rows=rows, format="xlsx", header_row=1)]


def write_city(
    out_dir: Path,
    seed: int = 2020,
    scale: float = 1.0,
    years: Iterable[int] = DEFAULT_YEARS,
    faults: dict[str, float] | float | None = None,
    missing_column: bool = False,
    progress: Progress | None = None,
) -> Manifest:
    """Write the synthetic city's department files, truth and manifest.json into out_dir.

    The same seed, scale, years and faults give byte-identical files. Files of an earlier run
    that this run does not write are left in place.
    """
    report = progress or (lambda stage, done, total: None)
    rates = parse_rates(faults)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report("generate", 0, 1)
    pop = generate_population(seed, scale, years)
    report("generate", 1, 1)
    tables = department_tables(pop, seed)
    injected: list[Injected] = inject(tables, rates, seed)
    found = [(f.kind, f.code, f.table, f.row, f.column, f.value) for f in injected]
    inherent = [
        ("value_missing", "R211", t, r, j, r.cells[j]) for t in tables for r, j in t.inherent
    ]
    # Purchases are written as delivered, without faults: their truth is the risks planted.
    tables += [trade_table(pop.trade, y, stream(seed, "trade-file", y)) for y in pop.years]
    extra_faults: list[FaultEntry] = []
    if missing_column:
        broken, entry = _missing_column_table(pop, seed)
        tables.append(broken)
        extra_faults.append(entry)
    files: list[FileEntry] = []
    for i, table in enumerate(tables):
        write(table, out)
        files.append(_file(table, faulty=table.path == MISSING_COLUMN_FILE))
        report("write", i + 1, len(tables))
    (out / "parks.yaml").write_text(
        yaml.safe_dump(pop.parks.to_dicts(), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    files.append(FileEntry(path="parks.yaml", source="parks", rows=pop.parks.height, format="yaml"))
    files += _plan_actuals(out, max(pop.years), seed)
    trade = pop.trade.select("year", "buyer_uscc", "seller_uscc", "seller_name", "product_code")
    files.append(_parquet(trade.with_columns(pop.trade["amount"]), out, TRADE_TRUTH, "truth"))
    files.append(_parquet(pop.chain_risks, out, "truth/chain_risks.parquet", "truth"))
    files.append(_parquet(pop.enterprises, out, "truth/enterprise.parquet", "truth"))
    files.append(_parquet(pop.enterprise_years, out, "truth/enterprise_year.parquet", "truth"))
    files.append(_parquet(pop.parcels, out, "truth/parcel.parquet", "truth"))
    files.append(_parquet(pop.pollutants, out, "truth/pollutant.parquet", "truth"))
    report("truth", 1, 1)
    manifest = Manifest(
        seed=seed,
        scale=scale,
        years=list(pop.years),
        counts=_counts(pop),
        files=files,
        targets=targets(scale),
        calibration=calibration_figures(pop.enterprise_years) if 2020 in pop.years else {},
        fault_rates=rates,
        faults=_entries(found) + extra_faults,
        inherent_issues=_entries(inherent),
    )
    manifest.write(out / "manifest.json")
    return manifest

"""Proof that no value is silently wrong: a small synthetic city, written in every shape the
departments use (one per year, one year per county; docs/synth.md), loaded file by file, gives
in the warehouse exactly the truth for every enterprise-year and every figure the sources give,
within the rounding of the written values.

Marked slow (about a minute: 40 files, most of it the per-file cost of loading); the faulty city
of test_ingest_faults.py checks the same on every run for the enterprise-years no fault touched.
"""

from __future__ import annotations

import polars as pl
import pytest

from industry_brain.ingest.load import ingest_file

from helpers import SOURCE_ORDER, workspace_at

pytestmark = pytest.mark.slow
SEED, SCALE, YEARS = 7, 0.03, list(range(2019, 2025))
# Written precision: money 0.01 万元 (or 0.1 千元, 0.01 元), people and kWh whole, energy 0.01
# 吨标准煤, land 0.01 亩 or 0.01 平方米, pollutants 0.1 kg; floats add noise far below that.
TOLERANCE = {
    "revenue": 1e-6,
    "output": 1e-6,
    "value_added": 1e-6,
    "profit": 1e-6,
    "export_value": 1e-6,
    "new_product_output": 1e-6,
    "rd_expense": 1e-6,
    "employees": 0.0,
    "energy_tce": 1e-6,
    "tax_paid": 1e-6,
    "land_mu": 1e-4,
    "land_owned_mu": 1e-4,
    "land_leased_mu": 1e-4,
    "land_let_mu": 1e-4,
    "electricity_kwh": 1e-4,
    "emissions_eq": 1e-9,
}


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    from industry_brain.synth import write_city

    root = tmp_path_factory.mktemp("warehouse_city")
    manifest = write_city(root / "inbox", seed=SEED, scale=SCALE, years=YEARS)
    ws = workspace_at(root / "ws")
    (root / "ws" / "parks.yaml").write_bytes((root / "inbox" / "parks.yaml").read_bytes())
    files = sorted(
        (f for f in manifest.files if f.source in SOURCE_ORDER),
        key=lambda f: (f.year or 0, SOURCE_ORDER.index(f.source)),
    )
    reports = {f.path: ingest_file(ws, root / "inbox" / f.path, f.source, f.year) for f in files}
    truth = pl.read_parquet(root / "inbox" / "truth" / "enterprise_year.parquet")
    yield manifest, reports, truth, ws.con.table("enterprise_year").to_polars()
    ws.close()


def test_every_file_loads_every_row(city):
    manifest, reports, _, _ = city
    inherent = {(f.file, f.row) for f in manifest.inherent_issues}
    for f in manifest.files:
        if f.path not in reports:
            continue
        r = reports[f.path]
        assert r.status == "loaded", (f.path, r.error_counts)
        assert r.rows_in + sum(r.rows_skipped.values()) == f.rows, f.path
        rejected = {(f.path, e.row) for e in r.errors if e.code.startswith("R")}
        assert rejected <= inherent, (f.path, sorted(rejected - inherent)[:5])
        assert r.rows_rejected == len(rejected)


def test_every_enterprise_year_is_in_the_warehouse(city):
    _, _, truth, warehouse = city
    keys = ["uscc", "year"]
    assert warehouse.select(keys).sort(keys).equals(truth.select(keys).sort(keys))


@pytest.mark.parametrize("figure", list(TOLERANCE))
def test_every_figure_equals_the_truth(city, figure):
    _, _, truth, warehouse = city
    both = truth.select("uscc", "year", figure).join(
        warehouse.select("uscc", "year", pl.col(figure).alias("got")), on=["uscc", "year"]
    )
    assert both.height == truth.height
    nulls = both.filter(pl.col(figure).is_null() != pl.col("got").is_null())
    assert nulls.height == 0, nulls.head(5)
    off = both.filter((pl.col(figure) - pl.col("got")).abs() > TOLERANCE[figure])
    assert off.height == 0, off.head(5)


def test_above_scale_equals_the_truth(city):
    _, _, truth, warehouse = city
    both = truth.select("uscc", "year", "above_scale").join(
        warehouse.select("uscc", "year", pl.col("above_scale").alias("got")), on=["uscc", "year"]
    )
    assert both.filter(pl.col("above_scale") != pl.col("got")).height == 0


def test_tables_sent_apart_and_each_subtotal_skipped(city):
    """2021: the 产值 and the 财务 table both stay in use; the tax file's 小计, one per taxpayer
    with a figure, are all skipped as totals."""
    manifest, reports, truth, _ = city
    tables = manifest.files_for("statistics", 2021)
    assert len(tables) == 2 and all(reports[f.path].supersedes == [] for f in tables)
    taxpayers = truth.filter((pl.col("year") == 2021) & pl.col("tax_paid").is_not_null()).height
    assert reports[manifest.file("tax", 2021).path].rows_skipped["total"] == taxpayers

"""End to end: a synthetic city with every fault kind injected, ingested file by file.

For every injected fault the report carries the fault's code at its file, row and column; every
file accounts for all its rows; the file missing a column fails and changes nothing.
"""

from collections import Counter

import pytest

from industry_brain.ingest.load import ingest_file
from industry_brain.synth import FAULT_CODES, write_city

from helpers import workspace_at

ORDER = ["register", "statistics", "tax", "land", "electricity", "emissions"]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    root = tmp_path_factory.mktemp("faulty_city")
    manifest = write_city(root / "inbox", seed=7, scale=0.03, faults=0.01, missing_column=True)
    ws = workspace_at(root / "ws")
    (root / "ws" / "parks.yaml").write_bytes((root / "inbox" / "parks.yaml").read_bytes())
    files = sorted(
        (f for f in manifest.files if f.source in ORDER and not f.faulty),
        key=lambda f: (f.year or 0, ORDER.index(f.source)),
    )
    reports = {f.path: ingest_file(ws, root / "inbox" / f.path, f.source, f.year) for f in files}
    yield root, manifest, ws, reports
    ws.close()


def test_every_fault_kind_was_injected(ingested):
    _, manifest, _, _ = ingested
    kinds = Counter(f.kind for f in manifest.faults)
    assert set(FAULT_CODES) <= set(kinds), set(FAULT_CODES) - set(kinds)


def test_every_fault_is_reported_with_code_and_location(ingested):
    _, manifest, _, reports = ingested
    missed = []
    for fault in manifest.faults:
        if fault.file not in reports:
            continue
        located = {(e.code, e.row, e.column) for e in reports[fault.file].errors}
        if (fault.code, fault.row, fault.column) not in located:
            missed.append(fault)
    assert not missed, missed[:5]


def test_rows_in_equal_loaded_plus_rejected(ingested):
    _, manifest, _, reports = ingested
    for f in manifest.files:
        if f.path in reports:
            r = reports[f.path]
            assert r.status == "loaded", (f.path, r.error_counts)
            assert r.rows_in == r.rows_loaded + r.rows_rejected
            assert r.rows_in + sum(r.rows_skipped.values()) == f.rows, f.path


def test_tables_sent_apart_and_subtotals(ingested):
    """2021's 产值 and 财务 tables both stay in use (neither supersedes the other); the tax
    file's 小计 lines are skipped as totals, never loaded beside the 税种 rows they sum."""
    root, manifest, ws, reports = ingested
    tables = manifest.files_for("statistics", 2021)
    assert len(tables) == 2
    for f in tables:
        assert reports[f.path].status == "loaded" and reports[f.path].supersedes == []
    ids = {reports[f.path].batch_id for f in tables}
    b = ws.con.table("batch").to_polars()
    assert set(b.filter(b["status"] == "active")["batch_id"]) >= ids
    tax = manifest.file("tax", 2021)
    lines = (root / "inbox" / tax.path).read_text("gbk").splitlines()
    subtotals = sum(",小计," in line for line in lines)
    # all of them but a taxpayer's whose only 税种 row a code fault took from it
    assert 0.98 * subtotals <= reports[tax.path].rows_skipped["total"] <= subtotals


def test_file_missing_a_column_fails_and_changes_nothing(ingested):
    root, manifest, ws, _ = ingested
    [broken] = [f for f in manifest.files if f.faulty]
    before = ws.con.table("batch").count().to_pyarrow().as_py()
    report = ingest_file(ws, root / "inbox" / broken.path, broken.source, broken.year)
    assert report.status == "failed"
    [error] = report.errors
    assert error.code == "F104" and "营业额" in error.message
    assert ws.con.table("batch").count().to_pyarrow().as_py() == before


def test_reingesting_the_city_changes_nothing(ingested):
    root, manifest, ws, reports = ingested
    for f in manifest.files:
        if f.path in reports:
            again = ingest_file(ws, root / "inbox" / f.path, f.source, f.year)
            assert again.status == "unchanged" and again.batch_id == reports[f.path].batch_id


def test_every_reported_error_has_its_message_in_chinese(ingested):
    import re

    _, _, _, reports = ingested
    english = re.compile(r"did you mean|maximum|minimum|fails|register's|not registered")
    messages = [e.message_zh for r in reports.values() for e in r.errors]
    assert messages and all(m for m in messages)
    assert [m for m in messages if english.search(m)] == []


def test_figures_untouched_by_a_fault_equal_the_truth(ingested):
    """Every enterprise-year that no fault touched has exactly its true figures in the warehouse,
    whatever the shape of the files it came from (a tenant's faulty lease also touches its
    lessor, whose let land depends on it)."""
    import polars as pl

    root, manifest, ws, _ = ingested
    year_of = {f.path: f.year for f in manifest.files}
    touched = {
        (f.uscc, year_of[f.file])
        for f in [*manifest.faults, *manifest.inherent_issues]
        if f.uscc and year_of.get(f.file) is not None
    }
    parcels = pl.read_parquet(root / "inbox" / "truth" / "parcel.parquet")
    leases = parcels.filter(pl.col("lessor_uscc").is_not_null())
    for tenant, year, lessor in leases.select("uscc", "year", "lessor_uscc").iter_rows():
        if (tenant, year) in touched:
            touched.add((lessor, year))
    truth = pl.read_parquet(root / "inbox" / "truth" / "enterprise_year.parquet")
    faulty = pl.DataFrame(
        sorted(touched), schema={"uscc": pl.String, "year": pl.Int32}, orient="row"
    )
    clean = truth.join(faulty, on=["uscc", "year"], how="anti")
    warehouse = ws.con.table("enterprise_year").to_polars()
    both = clean.join(warehouse, on=["uscc", "year"], suffix="_got")
    assert both.height == clean.height > 0.5 * truth.height
    for figure, tolerance in {
        "revenue": 1e-6, "output": 1e-6, "value_added": 1e-6, "profit": 1e-6,
        "export_value": 1e-6, "new_product_output": 1e-6, "rd_expense": 1e-6,
        "employees": 0.0, "energy_tce": 1e-6, "tax_paid": 1e-6, "land_mu": 1e-4,
        "land_let_mu": 1e-4, "electricity_kwh": 1e-4, "emissions_eq": 1e-9,
    }.items():  # fmt: skip
        got = pl.col(f"{figure}_got")
        off = both.filter(
            (pl.col(figure).is_null() != got.is_null()) | ((pl.col(figure) - got).abs() > tolerance)
        )
        assert off.height == 0, (figure, off.select("uscc", "year", figure, f"{figure}_got"))
    assert (both["above_scale"] == both["above_scale_got"]).all()

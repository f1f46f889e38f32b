"""Loading batches: all or nothing, idempotent, archived, traceable, reconciled."""

from pathlib import Path

import pytest

from industry_brain.ingest.load import file_sha256, ingest_file
from industry_brain.warehouse import reconcile as reconcile_module

from conftest import DATA
from helpers import STAT_HEADER, make_uscc, stat_row, write_csv

TABLES = [
    "batch",
    "batch_error",
    "src_statistics",
    "src_tax",
    "src_land",
    "enterprise",
    "enterprise_year",
]


def snapshot(ws):
    return {t: ws.con.table(t).to_polars().sort(ws.con.table(t).columns) for t in TABLES}


def stats_file(tmp_path: Path, rows, name="statistics_2020.csv"):
    return write_csv(tmp_path / name, [STAT_HEADER, *rows])


def test_load_accounts_for_every_row_and_archives_the_file(workspace, tmp_path):
    path = stats_file(tmp_path, [stat_row(1), stat_row(2, revenue="n/a?"), stat_row(3)])
    report = ingest_file(workspace, path, "statistics", year=2020)
    assert report.status == "loaded" and report.batch_id == 1
    assert (report.rows_in, report.rows_loaded, report.rows_rejected) == (3, 2, 1)
    [batch] = workspace.con.table("batch").to_polars().to_dicts()
    assert batch["sha256"] == file_sha256(path)
    archived = workspace.path / batch["archive_path"]
    assert archived.read_bytes() == path.read_bytes()
    errors = workspace.con.table("batch_error").to_polars()
    assert errors["code"].to_list() == ["R206"] and errors["row"].to_list() == [3]
    assert workspace.con.table("src_statistics").count().execute() == 2


def test_identical_reingest_is_a_no_op(workspace, tmp_path):
    path = stats_file(tmp_path, [stat_row(1), stat_row(2)])
    ingest_file(workspace, path, "statistics", year=2020)
    before = snapshot(workspace)
    again = ingest_file(workspace, path, "statistics", year=2020)
    assert again.status == "unchanged" and again.batch_id == 1
    after = snapshot(workspace)
    assert all(before[t].equals(after[t]) for t in TABLES)


def test_failed_batch_changes_nothing(workspace, tmp_path):
    ingest_file(workspace, stats_file(tmp_path, [stat_row(1)]), "statistics", year=2020)
    before = snapshot(workspace)
    report = ingest_file(
        workspace, DATA / "statistics_missing_revenue_column.xlsx", "statistics", year=2020
    )
    assert report.status == "failed" and "F104" in report.codes()
    assert all(before[t].equals(snapshot(workspace)[t]) for t in TABLES)


def test_error_during_load_rolls_back(workspace, tmp_path, monkeypatch):
    ingest_file(workspace, stats_file(tmp_path, [stat_row(1)]), "statistics", year=2020)
    before = snapshot(workspace)

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr("industry_brain.ingest.load.reconcile", broken)
    path = stats_file(tmp_path, [stat_row(2), stat_row(3)], name="second.csv")
    with pytest.raises(RuntimeError, match="disk full"):
        ingest_file(workspace, path, "statistics", year=2020)
    assert all(before[t].equals(snapshot(workspace)[t]) for t in TABLES)
    monkeypatch.setattr("industry_brain.ingest.load.reconcile", reconcile_module.reconcile)
    assert ingest_file(workspace, path, "statistics", year=2020).status == "loaded"


def test_latest_batch_wins_and_values_trace_to_their_batch(workspace, tmp_path):
    ingest_file(
        workspace, stats_file(tmp_path, [stat_row(1), stat_row(2)]), "statistics", year=2020
    )
    fix = stats_file(tmp_path, [stat_row(2, size=8000.0)], name="correction.csv")
    ingest_file(workspace, fix, "statistics", year=2020)
    ey = workspace.con.table("enterprise_year").to_polars().sort("uscc")
    assert ey["revenue"].to_list() == [5000.0, 8000.0]
    assert ey["statistics_batch_id"].to_list() == [1, 2]


def test_parcels_sum_by_tenure(workspace, tmp_path):
    header = ["统一社会信用代码", "年度", "宗地编号", "用地面积（亩）", "权属"]
    uscc = make_uscc(serial=1)
    rows = [
        [uscc, 2020, "P1", 20, "自有"],
        [uscc, 2020, "P2", 8, "租赁"],
        [uscc, 2020, "P3", 3, "出租"],
        [make_uscc(serial=2), 2020, "P4", 5, "出让"],
    ]
    ingest_file(workspace, write_csv(tmp_path / "land.csv", [header, *rows]), "land")
    ey = workspace.con.table("enterprise_year").to_polars().sort("uscc").to_dicts()
    assert (ey[0]["land_mu"], ey[0]["land_owned_mu"], ey[0]["land_leased_mu"]) == (25, 20, 8)
    assert (ey[0]["land_let_mu"], ey[0]["parcels"]) == (3, 3)
    assert ey[1]["land_mu"] == 5 and ey[0]["land_batch_id"] == 1


def test_sources_join_on_uscc_and_year(workspace, tmp_path):
    ingest_file(
        workspace, stats_file(tmp_path, [stat_row(1), stat_row(2)]), "statistics", year=2020
    )
    tax = [["纳税人识别号", "所属年度", "实缴税金（万元）"], [make_uscc(serial=1), 2020, 300]]
    ingest_file(workspace, write_csv(tmp_path / "tax.csv", tax), "tax")
    ey = workspace.con.table("enterprise_year").to_polars().sort("uscc").to_dicts()
    assert [r["tax_paid"] for r in ey] == [300, None]
    assert ey[0]["tax_batch_id"] == 2 and ey[0]["statistics_batch_id"] == 1


def test_conflict_with_register_is_a_warning_and_register_wins(workspace, tmp_path):
    register = [
        ["统一社会信用代码", "企业名称", "所属区县", "行业代码"],
        [make_uscc(serial=1), "台州测试1有限公司", "黄岩区", "3525"],
    ]
    ingest_file(workspace, write_csv(tmp_path / "register.csv", register), "register")
    renamed = stat_row(1, name="台州别名有限公司")
    report = ingest_file(workspace, stats_file(tmp_path, [renamed]), "statistics", year=2020)
    [warning] = [e for e in report.errors if e.code == "W302"]
    assert (warning.row, warning.column, warning.value) == (2, "单位详细名称", "台州别名有限公司")
    assert report.rows_loaded == 1
    [ent] = workspace.con.table("enterprise").to_polars().to_dicts()
    assert ent["name"] == "台州测试1有限公司" and ent["register_batch_id"] == 1


def test_tax_in_yuan_is_caught_against_revenue(workspace, tmp_path):
    ingest_file(
        workspace, stats_file(tmp_path, [stat_row(1), stat_row(2)]), "statistics", year=2020
    )
    tax = [
        ["纳税人识别号", "所属年度", "实缴税金（万元）"],
        [make_uscc(serial=1), 2020, 300],
        [make_uscc(serial=2), 2020, 3_000_000],
    ]
    report = ingest_file(workspace, write_csv(tmp_path / "tax.csv", tax), "tax")
    [anomaly] = [e for e in report.errors if e.code == "R208"]
    assert anomaly.row == 3 and "元" in anomaly.message


def test_register_resolves_configured_parks(workspace, tmp_path):
    workspace.parks_file.write_text(
        "- {code: '331003101', name: 黄岩经济开发区, county_code: '331003'}\n", "utf-8"
    )
    register = [
        ["统一社会信用代码", "企业名称", "所属区县", "行业代码", "所属园区"],
        [make_uscc(serial=1), "甲", "黄岩区", "3525", "黄岩经济开发区"],
        [make_uscc(serial=2), "乙", "黄岩区", "3525", "火星园区"],
    ]
    report = ingest_file(workspace, write_csv(tmp_path / "register.csv", register), "register")
    assert [(e.code, e.row) for e in report.errors] == [("W303", 3)]
    ents = workspace.con.table("enterprise").to_polars().sort("uscc")
    assert ents["park_code"].to_list() == ["331003101", None]
    parks = workspace.con.table("region").filter(lambda t: t.level == "park").to_polars()
    assert parks["code"].to_list() == ["331003101"]


def test_incremental_reconciliation_equals_a_full_rebuild(workspace, tmp_path):
    register = [
        ["统一社会信用代码", "企业名称", "所属区县", "行业代码"],
        *([make_uscc(serial=i), f"企业{i}", "黄岩区", "3525"] for i in range(1, 5)),
    ]
    ingest_file(workspace, write_csv(tmp_path / "register.csv", register), "register")
    for year, size in ((2020, 5000.0), (2021, 6000.0), (2020, 7000.0)):
        rows = [stat_row(i, size=size * i, year=year) for i in range(2, 7)]
        ingest_file(workspace, stats_file(tmp_path, rows, f"s{year}_{size}.csv"), "statistics")
    tax = [["纳税人识别号", "所属年度", "实缴税金（万元）"], [make_uscc(serial=3), 2021, 30]]
    ingest_file(workspace, write_csv(tmp_path / "tax.csv", tax), "tax")
    incremental = snapshot(workspace)
    reconcile_module.reconcile(workspace.con)
    full = snapshot(workspace)
    for table in ("enterprise", "enterprise_year"):
        assert incremental[table].equals(full[table]), table
    assert full["enterprise"].height == 6 and full["enterprise_year"].height == 10
    # one row per enterprise (and year): the derived tables keep no primary key (migration 20)
    assert full["enterprise"]["uscc"].is_unique().all()
    assert not full["enterprise_year"].select("uscc", "year").is_duplicated().any()


def test_a_superseding_batch_keeps_one_row_per_enterprise_and_year(workspace, tmp_path):
    first = [stat_row(i, size=5000.0 * i, year=2020) for i in range(1, 5)]
    ingest_file(workspace, stats_file(tmp_path, first, "a.csv"), "statistics")
    again = [stat_row(i, size=6000.0 * i, year=2020) for i in range(1, 5)]
    report = ingest_file(workspace, stats_file(tmp_path, again, "b.csv"), "statistics")
    assert report.supersedes == [1]
    rows = workspace.con.table("enterprise_year").to_polars()
    assert rows.height == 4 and not rows.select("uscc", "year").is_duplicated().any()
    assert set(rows["statistics_batch_id"]) == {2}


def test_control_characters_in_cells_are_dropped(workspace, tmp_path):
    """An exporter's NUL or bell in a name loads without it, on DuckDB and on PostgreSQL
    (which cannot store a NUL)."""
    path = stats_file(tmp_path, [stat_row(1, name="台州\x00精工\x07有限公司")])
    assert ingest_file(workspace, path, "statistics", year=2020).status == "loaded"
    names = workspace.con.table("src_statistics").name.to_pyarrow().to_pylist()
    assert names == ["台州精工有限公司"]

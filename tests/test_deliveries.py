"""Deliveries (tests/data/departments/deliveries): the same statistics re-sent as .xls, as a
UTF-8 and a GBK CSV is recognised and not loaded again; a corrected file supersedes its batch."""

from __future__ import annotations

from pathlib import Path

import yaml

from industry_brain.ingest.load import ingest_file
from test_department_gallery import check_warehouse

from conftest import DATA
from helpers import workspace_at

FOLDER = DATA / "departments" / "deliveries"


def test_duplicate_deliveries_and_a_correction(tmp_path: Path) -> None:
    scenario = yaml.safe_load((FOLDER / "scenario.expected.yaml").read_text("utf-8"))
    ws = workspace_at(tmp_path / "ws", max_rejected_share=0.2)
    try:
        for load in scenario["loads"]:
            report = ingest_file(ws, FOLDER / load["file"], scenario["source"], scenario["year"])
            assert report.status == load["status"], (load["file"], report.errors)
            if load["status"] == "duplicate":
                assert report.batch_id == load["duplicate_of"]
                assert report.rows_loaded == 0
                continue
            assert report.batch_id == load["batch"]
            counts = (report.rows_in, report.rows_loaded, report.rows_rejected)
            assert counts == (load["rows_in"], load["rows_loaded"], load["rows_rejected"])
            located = {(e.code, e.row, e.column_label) for e in report.errors}
            assert located == {(e["code"], e["row"], e["column"]) for e in load["errors"]}
            assert report.supersedes == load.get("supersedes", [])
        b = ws.con.table("batch")
        active = b.filter(b.status == "active").batch_id.to_pyarrow().to_pylist()
        assert sorted(active) == scenario["active_batches"]
        check_warehouse(ws, scenario)
        audit = ws.con.table("audit_log").filter(lambda t: t.action == "batch.supersede")
        assert audit.count().to_pyarrow().as_py() == 1
    finally:
        ws.close()


def test_tables_sent_apart_do_not_supersede_each_other(tmp_path: Path) -> None:
    """The bureau's production table, then its finance table for the same enterprises: both
    stay in use, each for its own figures."""
    from helpers import make_uscc, write_csv

    firms = [make_uscc(serial=i) for i in range(1, 6)]
    production = [
        ["统一社会信用代码", "营业收入（万元）", "工业总产值（万元）", "工业增加值（万元）"]
    ]
    production += [[u, 5000 + i, 5100 + i, 1200 + i] for i, u in enumerate(firms)]
    finance = [["统一社会信用代码", "营业收入（万元）", "利润总额（万元）"]]
    finance += [[u, 5000 + i, 300 + i] for i, u in enumerate(firms)]
    ws = workspace_at(tmp_path / "ws")
    try:
        ingest_file(ws, write_csv(tmp_path / "p.csv", production), "statistics", 2023)
        report = ingest_file(ws, write_csv(tmp_path / "f.csv", finance), "statistics", 2023)
        assert report.status == "loaded" and report.supersedes == []
        ey = ws.con.table("enterprise_year").to_polars().sort("uscc")
        assert ey["output"].null_count() == 0 and ey["profit"].null_count() == 0
    finally:
        ws.close()


def test_a_partial_correction_does_not_supersede(tmp_path: Path) -> None:
    """A file of a few corrected rows replaces those rows only (the latest batch wins per key)."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from helpers import STAT_HEADER, stat_row, write_csv

    ws = workspace_at(tmp_path / "ws")
    try:
        full = write_csv(tmp_path / "full.csv", [STAT_HEADER, *(stat_row(i) for i in range(1, 11))])
        fix = write_csv(tmp_path / "fix.csv", [STAT_HEADER, stat_row(3, size=7000.0)])
        assert ingest_file(ws, full, "statistics").status == "loaded"
        report = ingest_file(ws, fix, "statistics")
        assert report.status == "loaded" and report.supersedes == []
        ey = ws.con.table("enterprise_year").to_polars()
        assert ey.height == 10
        assert ey.sort("revenue")["revenue"].max() == 7000.0
    finally:
        ws.close()

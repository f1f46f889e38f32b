"""A file prepared apart and written later (the web's load job: prepared in the worker process,
its rows handed over as Parquet files) loads exactly as `ingest_file` loads it in one go."""

from __future__ import annotations

import re

import polars as pl

from industry_brain.ingest import validate
from industry_brain.ingest.load import file_sha256, ingest_file, write_batch
from industry_brain.ingest.lookups import WarehouseLookups
from industry_brain.ingest.prepared import prepare
from industry_brain.ingest.validate import validate_file
from web_helpers import follow, upload

from helpers import STAT_HEADER, stat_row, workspace_at, write_csv, write_xlsx

TABLES = ["src_statistics", "batch_error", "enterprise", "enterprise_year"]
BATCH = ["batch_id", "source", "file_name", "sha256", "year", "rows_in", "rows_loaded"]


def _file(tmp_path):
    rows = [stat_row(1), stat_row(2, revenue="n/a?"), stat_row(3), stat_row(4, employees=-5)]
    return write_csv(tmp_path / "statistics_2020.csv", [STAT_HEADER, *rows])


def _tables(ws) -> dict[str, pl.DataFrame]:
    out = {t: ws.con.table(t).to_polars() for t in TABLES}
    out = {t: f.sort(f.columns) for t, f in out.items()}
    batch = ws.con.table("batch").to_polars()
    return out | {"batch": batch.select(*BATCH, "content_sha256", "fields", "rows_rejected")}


def _prepared(ws, path, spill_to=None):
    lookups = WarehouseLookups(ws.con, ws.parks())
    v = validate_file(path, "statistics", 2020, lookups, max_rejected_share=0.9)
    ready = prepare(v, file_sha256(path), 2020, keep=100)
    return ready.spill(spill_to) if spill_to else ready


def test_a_spilled_preparation_loads_what_ingest_file_loads(workspace, tmp_path):
    path = _file(tmp_path)
    whole = ingest_file(workspace, path, "statistics", year=2020)
    other = workspace_at(tmp_path / "other", max_rejected_share=0.9)
    ready = _prepared(other, path, tmp_path / "spilled")
    assert ready.rows == tmp_path / "spilled" / "rows.parquet"
    apart = write_batch(other, path, ready, "test")
    assert (apart.status, apart.batch_id, apart.rows_loaded) == ("loaded", 1, whole.rows_loaded)
    assert apart.error_counts == whole.error_counts and apart.error_counts
    mine, theirs = _tables(workspace), _tables(other)
    for table, frame in mine.items():
        assert frame.equals(theirs[table]), table


def test_writing_again_changes_nothing(workspace, tmp_path):
    path = _file(tmp_path)
    first = write_batch(workspace, path, _prepared(workspace, path, tmp_path / "a"))
    again = write_batch(workspace, path, _prepared(workspace, path, tmp_path / "b"))
    assert (first.status, again.status, again.batch_id) == ("loaded", "unchanged", 1)
    renamed = path.with_name("统计_重报.csv")
    renamed.write_bytes(path.read_bytes() + b"\n")  # another file, the same records
    same = write_batch(workspace, renamed, _prepared(workspace, renamed))
    assert (same.status, same.batch_id, same.rows_loaded) == ("duplicate", 1, 0)
    assert workspace.con.table("batch").count().to_pyarrow().as_py() == 1


def test_a_failed_file_is_written_as_nothing(workspace, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [["名称", "金额"], ["甲", "1"]])
    ready = _prepared(workspace, path)
    assert not ready.ok and ready.report.status == "failed"
    assert write_batch(workspace, path, ready).status == "failed"
    assert workspace.con.table("batch").count().to_pyarrow().as_py() == 0


def test_the_load_job_reads_the_file_in_the_worker_not_the_server(
    city_client, workspace, tmp_path, monkeypatch
):
    path = write_xlsx(tmp_path / "stats.xlsx", [STAT_HEADER, stat_row(1, year=2022)])
    review = upload(city_client, path, source="statistics")
    token = re.search(r"/import/([0-9a-f]+)", review.url.path).group(1)
    csrf = re.search(r'name="csrf" value="([^"]+)"', review.text).group(1)

    def refused(*args, **kwargs):
        raise AssertionError("the server process validated the file")

    monkeypatch.setattr(validate, "run_steps", refused)  # this process only: not the worker's
    done = follow(city_client, city_client.post(f"/import/{token}/load", data={"csrf": csrf}))
    assert "已入库，批次 1" in done.text
    assert workspace.con.table("src_statistics").count().to_pyarrow().as_py() == 1

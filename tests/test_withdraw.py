"""A withdrawn batch is kept but not used: the warehouse forgets its figures at once, the next
run rests on the other batches and records the withdrawn one (`run.excluded`); audited."""

import json

import pytest

from industry_brain.ingest.load import ingest_file
from industry_brain.ingest.withdraw import WithdrawError, withdraw_batch
from industry_brain.runs.permu import inputs_of
from industry_brain.warehouse.audit import entries

from helpers import STAT_HEADER, make_uscc, stat_row, write_xlsx


def test_withdrawn_batch_is_not_used_and_is_audited(workspace, tmp_path):
    first = write_xlsx(
        tmp_path / "stats_a.xlsx", [STAT_HEADER, stat_row(1, year=2022), stat_row(2, year=2022)]
    )
    corrected = [STAT_HEADER, stat_row(1, 6000.0, year=2022)]
    second = write_xlsx(tmp_path / "stats_b.xlsx", corrected)
    a = ingest_file(workspace, first, "statistics", 2022)
    b = ingest_file(workspace, second, "statistics", 2022)
    assert (a.status, b.status) == ("loaded", "loaded")
    ey = workspace.con.table("enterprise_year")
    revenue = ey.filter(ey.uscc == make_uscc(serial=1)).revenue.to_pyarrow().to_pylist()
    withdraw_batch(workspace.con, b.batch_id, "analyst", "统计局更正文件有误，已撤回")
    after = ey.filter(ey.uscc == make_uscc(serial=1)).revenue.to_pyarrow().to_pylist()
    assert after != revenue  # back to the first file's figure
    rows = workspace.con.table("batch").to_polars().sort("batch_id").to_dicts()
    assert [r["status"] for r in rows] == ["active", "withdrawn"]
    assert rows[1]["withdrawn_by"] == "analyst" and "撤回" in rows[1]["withdrawn_reason"]
    log = entries(workspace.con, action="batch.withdraw")
    assert log.height == 1 and json.loads(log["detail"][0])["source"] == "statistics"
    with pytest.raises(WithdrawError, match="is withdrawn"):
        withdraw_batch(workspace.con, b.batch_id, "analyst", "again")
    # What the next run of 2022 rests on, and what it records as left out.
    assert a.batch_id in inputs_of(workspace.con, 2022)
    assert b.batch_id not in inputs_of(workspace.con, 2022)
    assert inputs_of(workspace.con, 2022, "withdrawn") == [b.batch_id]

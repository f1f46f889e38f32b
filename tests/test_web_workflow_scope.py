"""Workflow scope (issue 12, finding 7): a county cannot run its city's evaluation; a user's
"latest run" is the latest covering the user's whole region, never another county's; one open
appeal per result."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from industry_brain.runs.appeals import AppealError, file_appeal
from industry_brain.web.queries import latest_run
from industry_brain.web.scope import Scope
from web_helpers import csrf_of, login


def test_a_county_cannot_run_its_citys_evaluation(web):
    login(web.client, "county")
    csrf = csrf_of(web.client, "/runs")
    runs_before = web.city.ws.con.table("run").count().to_pyarrow().as_py()
    answer = web.client.post(
        "/api/permu/runs", data={"spec": "taizhou-city-2022", "year": 2022, "csrf": csrf}
    )
    assert answer.status_code == 403
    assert web.city.ws.con.table("run").count().to_pyarrow().as_py() == runs_before


def _run(run_id: int, region: str) -> dict:
    now = dt.datetime(2026, 1, 1)
    return {"run_id": run_id, "engine": "permu", "spec_name": f"s{run_id}",
            "spec_sha256": "x", "year": 2022, "region_code": region, "inputs": "[]",
            "code_version": "0", "result_sha256": "x", "created_at": now, "created_by": "t",
            "excluded": None}  # fmt: skip


def test_the_latest_run_is_the_latest_covering_the_users_region(workspace):
    runs = [_run(1, "331000"), _run(2, "331003"), _run(3, "331004"), _run(4, "331081")]
    workspace.con.insert("run", pl.DataFrame(runs, schema_overrides={"excluded": pl.Utf8}))

    def latest(region: str) -> int | None:
        found = latest_run(workspace.con, Scope("u", "county", region))
        return found["run_id"] if found else None

    assert latest("331003") == 2  # its own
    assert latest("331002") == 1  # no run of its own: the city's
    assert latest("331000") == 1  # a city's latest is a city run, not a county's
    assert latest("330000") is None  # nothing covers the province


def test_one_open_appeal_per_result(workspace):
    con = workspace.con
    con.insert("run", pl.DataFrame([_run(7, "331003")], schema_overrides={"excluded": pl.Utf8}))
    con.raw_sql(
        "INSERT INTO run_state VALUES (7, 1, 'published', 'city', TIMESTAMP '2026-01-02', NULL)"
    )
    con.raw_sql("INSERT INTO permu_score (run_id, uscc, status) VALUES (7, 'U1', 'evaluated')")
    first = file_appeal(con, 7, "U1", "用地面积有误", "firm")
    with pytest.raises(AppealError, match="one at a time"):
        file_appeal(con, 7, "U1", "再次申诉", "firm")
    con.raw_sql(f"UPDATE appeal SET status = 'refused' WHERE appeal_id = {first}")
    assert file_appeal(con, 7, "U1", "补充材料后再次申诉", "firm") > first  # after a decision

"""Run approval up the region tree, with an append-only audit trail."""

import pytest

from industry_brain.runs.workflow import Actor, WorkflowError, history, move, state
from industry_brain.warehouse.audit import entries

COUNTY = Actor("huangyan", "331003")
COUNTY_2 = Actor("huangyan-2", "331003")
CITY = Actor("taizhou", "331000")
PROVINCE = Actor("zhejiang", "330000")
OTHER_CITY = Actor("hangzhou", "330100")


def add_run(con, region: str) -> int:
    import datetime as dt

    import polars as pl

    run_id = int(con.table("run").run_id.max().to_pyarrow().as_py() or 0) + 1
    row = {
        "run_id": run_id,
        "engine": "permu",
        "spec_name": "test",
        "spec_sha256": "x",
        "year": 2022,
    }
    row |= {"region_code": region, "inputs": "[]", "code_version": "test", "result_sha256": "y"}
    row |= {"created_at": dt.datetime(2024, 1, 1), "created_by": None}
    con.insert("run", pl.DataFrame([row], schema_overrides={"created_by": pl.Utf8}))
    return run_id


def test_a_county_run_goes_up_to_the_city_and_is_published(workspace):
    con = workspace.con
    run = add_run(con, "331003")
    assert state(con, run) == "draft"
    assert move(con, run, "submit", COUNTY) == "submitted"
    with pytest.raises(WorkflowError, match="approved from a region above"):
        move(con, run, "approve", COUNTY_2)  # a county cannot approve its own county's run
    with pytest.raises(WorkflowError, match="approved from a region above"):
        move(con, run, "approve", OTHER_CITY)
    with pytest.raises(WorkflowError, match="needs it approved"):
        move(con, run, "publish", COUNTY)
    assert move(con, run, "approve", CITY) == "approved"
    assert move(con, run, "publish", COUNTY) == "published"
    with pytest.raises(WorkflowError, match="is published"):
        move(con, run, "submit", COUNTY)  # frozen
    assert history(con, run)["state"].to_list() == ["submitted", "approved", "published"]
    log = entries(con, object_type="run")
    assert log["action"].to_list() == ["run.publish", "run.approve", "run.submit"]
    assert log["actor"].to_list() == ["huangyan", "taizhou", "huangyan"]


def test_sending_back_needs_a_reason_and_the_submitter_cannot_approve(workspace):
    con = workspace.con
    run = add_run(con, "331000")
    move(con, run, "submit", CITY)
    with pytest.raises(WorkflowError, match="needs a reason"):
        move(con, run, "reject", PROVINCE)
    assert move(con, run, "reject", PROVINCE, "亩均税收口径有误，请复核") == "draft"
    move(con, run, "submit", PROVINCE)  # the province may submit a city run it covers
    with pytest.raises(WorkflowError, match="submitter cannot approve"):
        move(con, run, "approve", PROVINCE)
    assert entries(con, action="run.reject")["detail"][0].count("口径有误") == 1

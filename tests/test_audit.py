"""The audit log: append-only, written inside the change it records, filtered by actor, action,
object, region and dates; loads and runs from the command line are audited too."""

import datetime as dt
import re
from pathlib import Path

import pytest

import industry_brain
from industry_brain.ingest.load import ingest_file
from industry_brain.warehouse import transaction
from industry_brain.warehouse.audit import ACTIONS, entries, record, system_actor

from helpers import STAT_HEADER, stat_row, write_xlsx

SRC = Path(industry_brain.__file__).parent


def test_nothing_in_the_code_base_changes_or_deletes_an_entry():
    writes = re.compile(r"(UPDATE|DELETE\s+FROM|TRUNCATE|DROP\s+TABLE)\s+audit_log", re.I)
    offenders = [p for p in SRC.rglob("*.py") if writes.search(p.read_text("utf-8"))]
    assert offenders == []
    inserts = [p.name for p in SRC.rglob("*.py") if '"audit_log"' in p.read_text("utf-8")]
    assert sorted(inserts) == ["audit.py"]  # only `record` writes to it


def test_every_recorded_action_has_a_chinese_title():
    from industry_brain.runs.workflow import MOVES

    call = re.compile(r'record\(\s*[^"]*?"([a-z]+\.[a-z]+)"', re.S)
    recorded = {f"run.{move}" for move in MOVES}  # workflow records f"run.{action}"
    for p in SRC.rglob("*.py"):
        recorded |= set(call.findall(p.read_text("utf-8")))
    assert {"batch.load", "run.create", "appeal.correct", "mapping.save"} <= recorded
    assert recorded <= set(ACTIONS), recorded - set(ACTIONS)


def test_filters(workspace):
    con = workspace.con
    record(con, "a", "run.submit", "run", 1, "331003")
    record(con, "b", "run.approve", "run", 1, "331000", note="同意")
    record(con, "b", "batch.withdraw", "batch", 7, None, reason="错")
    assert entries(con)["entry_id"].to_list() == [3, 2, 1]  # newest first
    assert entries(con, actor="b")["action"].to_list() == ["batch.withdraw", "run.approve"]
    assert entries(con, object_type="run", object_id="1").height == 2
    assert entries(con, region_prefix="331003")["actor"].to_list() == ["a"]
    today = dt.datetime.now(dt.UTC).date()
    assert entries(con, since=today, until=today).height == 3
    assert entries(con, until=today - dt.timedelta(days=1)).height == 0


def test_an_entry_rolls_back_with_the_change_it_records(workspace):
    con = workspace.con
    with pytest.raises(RuntimeError), transaction(con):
        record(con, "a", "run.publish", "run", 1, "331000")
        raise RuntimeError("the change failed")
    assert entries(con).height == 0


def test_a_command_line_load_is_audited_as_the_system_user(workspace, tmp_path):
    path = write_xlsx(tmp_path / "stats.xlsx", [STAT_HEADER, stat_row(1, year=2022)])
    report = ingest_file(workspace, path, "statistics", 2022)
    [entry] = entries(workspace.con, action="batch.load").to_dicts()
    assert entry["actor"] == system_actor() and entry["actor"].startswith("cli")
    assert entry["object_id"] == str(report.batch_id) and report.sha256 in entry["detail"]
    ingest_file(workspace, path, "statistics", 2022)  # unchanged: nothing new to record
    assert entries(workspace.con, action="batch.load").height == 1

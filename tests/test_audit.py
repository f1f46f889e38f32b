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
    offenders = [p.name for p in SRC.rglob("*.py") if writes.search(p.read_text("utf-8"))]
    assert offenders == ["audit_chain.py"]  # only the v12 migration, hashing older entries
    chain = (SRC / "warehouse" / "audit_chain.py").read_text("utf-8")
    assert chain.split("def chain_existing")[0].count("UPDATE") == 0
    callers = [p.name for p in SRC.rglob("*.py") if "chain_existing(" in p.read_text("utf-8")]
    assert sorted(callers) == ["0012_audit_chain.py", "audit_chain.py"]
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


def test_the_chain_detects_a_changed_a_removed_and_a_reordered_entry(workspace):
    from industry_brain.warehouse.audit_chain import verify

    con = workspace.con
    for i in range(5):
        record(con, "a", "run.submit", "run", i, "331003")
    assert verify(con).intact and verify(con).entries == 5
    con.raw_sql("UPDATE audit_log SET actor = 'mallory' WHERE entry_id = 3")
    report = verify(con)
    assert (report.intact, report.broken_at) == (False, 3) and "content" in report.reason
    con.raw_sql("UPDATE audit_log SET actor = 'a' WHERE entry_id = 3")
    assert verify(con).intact
    con.raw_sql("DELETE FROM audit_log WHERE entry_id = 4")
    assert verify(con).broken_at == 5 and "missing" in verify(con).reason


def test_entries_written_before_the_chain_are_chained_by_the_migration(tmp_path):
    from industry_brain.warehouse import connect
    from industry_brain.warehouse.audit_chain import verify
    from industry_brain.warehouse.migrations import MIGRATIONS, migrate

    con = connect(tmp_path / "w.duckdb", migrate_schema=False)
    migrate(con, [m for m in MIGRATIONS if m[0] <= 11])
    con.raw_sql(
        "INSERT INTO audit_log VALUES (1, TIMESTAMP '2026-01-05 09:00:00', 'city', "
        "'batch.load', 'batch', '1', NULL, NULL), (2, TIMESTAMP '2026-01-05 09:05:00', 'city', "
        "'run.create', 'run', '1', '331000', '{\"year\": 2025}')"
    )
    assert 12 in migrate(con)
    assert verify(con).intact and verify(con).entries == 2
    record(con, "city", "run.submit", "run", 1, "331000")
    assert verify(con).intact and verify(con).entries == 3


def test_cli_verify_exits_non_zero_on_a_changed_log(workspace):
    import json

    from typer.testing import CliRunner

    from industry_brain.cli import app

    record(workspace.con, "a", "run.submit", "run", 1, "331003")
    args = ["audit", "verify", "--workspace", str(workspace.path)]
    workspace.close()
    ok = CliRunner().invoke(app, args)
    assert ok.exit_code == 0 and "哈希链校验通过" in ok.output
    from helpers import workspace_at

    ws = workspace_at(workspace.path)
    ws.con.raw_sql("UPDATE audit_log SET detail = '{}' WHERE entry_id = 1")
    ws.close()
    bad = CliRunner().invoke(app, [*args, "--json"])
    assert bad.exit_code == 1 and json.loads(bad.output)["broken_at"] == 1

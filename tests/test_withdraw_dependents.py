"""Issue 12, finding 9: withdrawing a batch that others rest on says so and needs confirmation;
after the register is withdrawn, later loads still load (identity comes from any source)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from industry_brain.engines.permu.spec import load_method
from industry_brain.ingest.dependents import dependents
from industry_brain.ingest.load import ingest_file
from industry_brain.ingest.withdraw import NeedsConfirmation, withdraw_batch
from industry_brain.runs.permu import run_permu
from industry_brain.warehouse.audit import entries

from helpers import STAT_HEADER, make_uscc, stat_row, write_csv

FIRMS = [make_uscc(serial=i) for i in range(1, 6)]


def load(ws, tmp: Path, name: str, rows: list[list[object]], source: str) -> int:
    report = ingest_file(ws, write_csv(tmp / name, rows), source)
    assert report.status == "loaded", [e.message for e in report.errors]
    assert report.batch_id is not None
    return report.batch_id


def register(firms: list[str]) -> list[list[object]]:
    rows: list[list[object]] = [["统一社会信用代码", "企业名称", "所属区县", "行业代码"]]
    return rows + [[u, f"台州测试{u[-4:]}有限公司", "黄岩区", "3525"] for u in firms]


def tax(firms: list[str], year: int = 2022) -> list[list[object]]:
    rows: list[list[object]] = [["纳税人识别号", "所属年度", "实缴税金（万元）"]]
    return rows + [[u, year, 30] for u in firms]


def test_a_register_batch_with_enterprises_only_it_registers_needs_confirmation(
    workspace, tmp_path
):
    con = workspace.con
    first = load(workspace, tmp_path, "register.csv", register(FIRMS), "register")
    again = load(workspace, tmp_path, "register_b.csv", register(FIRMS[:2]), "register")
    taxes = load(workspace, tmp_path, "tax.csv", tax(FIRMS), "tax")
    found = dependents(con, first, "register")
    assert found.orphans == 3  # two are registered by the second register file too
    assert [(b["batch_id"], b["rows"]) for b in found.batches] == [(taxes, 3)]
    assert "3 户企业仅由本批次登记" in found.summary() and found.runs == []
    with pytest.raises(NeedsConfirmation) as refused:
        withdraw_batch(con, first, "city", "登记文件有误")
    assert refused.value.dependents.orphans == 3
    assert con.table("batch").filter(lambda t: t.batch_id == first).status.execute()[0] == "active"
    withdraw_batch(con, first, "city", "登记文件有误", confirmed=True)
    detail = json.loads(entries(con, action="batch.withdraw")["detail"][0])
    assert detail["orphans"] == 3 and detail["reason"] == "登记文件有误"
    assert dependents(con, again, "register").orphans == 2  # now it alone registers those two


def test_a_batch_nothing_rests_on_is_withdrawn_at_once(workspace, tmp_path):
    load(workspace, tmp_path, "register.csv", register(FIRMS), "register")
    taxes = load(workspace, tmp_path, "tax.csv", tax(FIRMS), "tax")
    assert not dependents(workspace.con, taxes, "tax").any
    withdraw_batch(workspace.con, taxes, "city", "税务文件口径错误")  # no confirmation needed


def test_a_batch_a_run_used_needs_confirmation(workspace, tmp_path):
    load(workspace, tmp_path, "register.csv", register(FIRMS), "register")
    for year in (2021, 2022):
        rows = [STAT_HEADER, stat_row(1, year=year), stat_row(2, year=year)]
        stats = load(workspace, tmp_path, f"stats{year}.csv", rows, "statistics")
    run = run_permu(workspace.con, load_method("taizhou-city-2022"), 2022).run_id
    found = dependents(workspace.con, stats, "statistics")
    assert [r["run_id"] for r in found.runs] == [run] and found.runs[0]["state"] == "draft"
    assert f"评价运行 {run} 使用了本批次" in found.summary()
    with pytest.raises(NeedsConfirmation):
        withdraw_batch(workspace.con, stats, "city", "统计局重报")


def test_loads_after_the_register_was_withdrawn_still_load(workspace, tmp_path):
    reg = load(workspace, tmp_path, "register.csv", register(FIRMS), "register")
    withdraw_batch(workspace.con, reg, "city", "登记文件有误", confirmed=True)
    report = ingest_file(workspace, write_csv(tmp_path / "tax.csv", tax(FIRMS)), "tax")
    assert (report.status, report.rows_loaded, report.rows_rejected) == ("loaded", 5, 0)

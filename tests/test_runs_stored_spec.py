"""Issue 13, a run keeps its method: a run of a method spec read from a YAML file (not a packaged
one) is explained, published, appealed and compared after the file is gone, from the text
stored with the run; a stored text changed afterwards is refused."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import fastexcel
import polars as pl
import pytest
from typer.testing import CliRunner

from industry_brain.cli import app
from industry_brain.engines.permu.publish import write_lists
from industry_brain.engines.permu.spec import MethodSpecError, load_method, packaged_text
from industry_brain.ingest.load import ingest_file
from industry_brain.runs.appeals import correct, file_appeal
from industry_brain.runs.explain import explanation
from industry_brain.runs.spec_store import StoredMethodError, stored_method
from industry_brain.runs.store import load_run
from industry_brain.runs.whatif import what_if
from industry_brain.runs.workflow import Actor, move
from industry_brain.warehouse import execute, fetch
from industry_brain.workspace import Workspace

from helpers import STAT_HEADER, make_uscc, stat_row, workspace_at, write_csv

PACKAGED = "taizhou-huangyan-2022"
NAME = "huangyan-trial-2022"
TEXT = (
    packaged_text(PACKAGED)
    .replace(f"name: {PACKAGED}", f"name: {NAME}")
    .replace("weight: 30", "weight: 35")  # tax per mu, above-scale track
)
FIRMS = [make_uscc(serial=i) for i in range(1, 11)]
runner = CliRunner()


def _load(ws: Workspace, path: Path, rows: list[list[object]], source: str) -> None:
    report = ingest_file(ws, write_csv(path, rows), source)
    assert report.status == "loaded", [e.message for e in report.errors]


def _load_county(ws: Workspace, tmp: Path) -> None:
    """Ten firms of 黄岩区, four of them 规上, with two years of figures."""
    register = [["统一社会信用代码", "企业名称", "所属区县", "行业代码", "成立日期"]]
    register += [[u, f"台州测试{i}有限公司", "黄岩区", "3525", "2010-01-01"] for i, u in
                 enumerate(FIRMS, 1)]  # fmt: skip
    _load(ws, tmp / "register.csv", register, "register")
    for year in (2021, 2022):
        stats = [STAT_HEADER, *(stat_row(i, year=year, size=3000.0 * i) for i in range(1, 5))]
        _load(ws, tmp / f"stats{year}.csv", stats, "statistics")
        tax = [["纳税人识别号", "所属年度", "实缴税金（万元）"]]
        tax += [[u, year, 20 + 7 * i] for i, u in enumerate(FIRMS)]
        _load(ws, tmp / f"tax{year}.csv", tax, "tax")
        land = [["统一社会信用代码", "年度", "宗地编号", "用地面积（亩）", "权属"]]
        land += [[u, year, f"P{i}", 8 + i, "出让"] for i, u in enumerate(FIRMS)]
        _load(ws, tmp / f"land{year}.csv", land, "land")
        power = [["统一社会信用代码", "年度", "户号", "用电量（千瓦时）"]]
        power += [[u, year, f"00{i}", 200000 + 30000 * i] for i, u in enumerate(FIRMS)]
        _load(ws, tmp / f"power{year}.csv", power, "electricity")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with one run of a YAML method spec made at the command line; the file is
    deleted afterwards."""
    root = tmp_path_factory.mktemp("stored_spec")
    ws = workspace_at(root / "ws")
    _load_county(ws, root)
    ws.close()
    spec_file = root / "trial.yaml"
    spec_file.write_text(TEXT, encoding="utf-8")
    args = ["evaluate", "permu", "--spec", str(spec_file), "-y", "2022", "-w", str(root / "ws")]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    spec_file.unlink()
    return root / "ws"


@pytest.fixture
def ws(template: Path, tmp_path: Path) -> Iterator[Workspace]:
    """A copy of the template workspace of its own."""
    shutil.copytree(template, tmp_path / "ws")
    opened = workspace_at(tmp_path / "ws")
    yield opened
    opened.close()


def _run(ws: Workspace) -> dict[str, object]:
    [row] = fetch(ws.con, "SELECT * FROM run WHERE spec_name = ?", [NAME])
    return row


def _evaluated(ws: Workspace, run_id: object) -> str:
    sql = "SELECT uscc FROM permu_score WHERE run_id = ? AND track = 'above_scale' "
    rows = fetch(ws.con, sql + "AND status = 'evaluated' ORDER BY uscc", [run_id])
    return str(rows[0]["uscc"])


def test_the_run_stores_the_text_it_read(ws):
    run = _run(ws)
    assert run["spec_text"] == TEXT
    method = stored_method(ws.con, run["run_id"])
    assert method.name == NAME and method.sha256 == run["spec_sha256"]
    assert method.tracks[0].items[0].weight == 35
    with pytest.raises(MethodSpecError, match="unknown method"):
        load_method(NAME)  # not a packaged method: reloading by name cannot work


def test_explained_after_the_file_is_gone(ws):
    run = _run(ws)
    found = explanation(ws.con, _evaluated(ws, run["run_id"]), 2022)
    assert found is not None and found["spec_name"] == NAME
    weights = {i["indicator"]: i["weight"] for i in found["items"]}
    assert weights["tax_per_mu"] == 35 and found["method_title"].startswith("黄岩区")


def test_cli_explains_after_the_file_is_gone(ws):
    uscc = _evaluated(ws, _run(ws)["run_id"])
    result = runner.invoke(app, ["explain", uscc, "-y", "2022", "-w", str(ws.path), "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["spec_name"] == NAME and found["items"][0]["weight"] == 35


def test_published_after_the_file_is_gone(ws, tmp_path):
    run = load_run(ws.con, _run(ws)["run_id"])
    assert run.spec.name == NAME
    path = write_lists(ws.con, run, tmp_path / "lists.xlsx")
    assert "黄岩区" in fastexcel.read_excel(path).sheet_names


def test_an_appeal_is_corrected_with_the_stored_method(ws):
    run = _run(ws)
    move(ws.con, run["run_id"], "submit", Actor("huangyan", "331003"))
    for step in ("approve", "publish"):
        move(ws.con, run["run_id"], step, Actor("city", "331000"))
    uscc = _evaluated(ws, run["run_id"])
    appeal_id = file_appeal(ws.con, run["run_id"], uscc, "用地面积有误", "e1")
    amended = correct(ws.con, appeal_id, "huangyan", "复核认定", grade="A")
    [again] = fetch(ws.con, "SELECT * FROM run WHERE run_id = ?", [amended])
    for key in ("spec_name", "spec_sha256", "spec_text"):
        assert again[key] == run[key], key
    found = explanation(ws.con, uscc, 2022)
    assert found is not None and found["run_id"] == amended and found["grade"] == "A"


def test_what_if_against_the_stored_run(ws):
    run_id = int(_run(ws)["run_id"])
    same = what_if(ws.con, run_id, stored_method(ws.con, run_id))
    assert same.changes.height == 0
    packaged = what_if(ws.con, run_id, load_method(PACKAGED))
    assert packaged.summary["evaluated"].sum() > 0
    args = ["evaluate", "whatif", "--spec", PACKAGED, "--run", str(run_id), "-w", str(ws.path)]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output


def test_a_changed_stored_text_is_refused(ws):
    run = _run(ws)
    sql = (
        "UPDATE run SET spec_text = replace(spec_text, 'weight: 35', 'weight: 30') WHERE run_id = ?"
    )
    execute(ws.con, sql, [run["run_id"]])
    with pytest.raises(StoredMethodError, match="does not match its hash"):
        stored_method(ws.con, run["run_id"])
    with pytest.raises(StoredMethodError, match="does not match its hash"):
        load_run(ws.con, run["run_id"])
    uscc = _evaluated(ws, run["run_id"])
    result = runner.invoke(app, ["explain", uscc, "-y", "2022", "-w", str(ws.path)])
    assert result.exit_code == 2 and "does not match its hash" in result.output


def test_a_run_without_its_text_falls_back_only_to_an_unchanged_packaged_spec(ws):
    from industry_brain.runs.permu import run_permu

    packaged = run_permu(ws.con, load_method(PACKAGED), 2022).run_id
    execute(ws.con, "UPDATE run SET spec_text = NULL", [])
    assert stored_method(ws.con, packaged).name == PACKAGED
    with pytest.raises(StoredMethodError, match="not stored with the run"):
        stored_method(ws.con, _run(ws)["run_id"])
    execute(ws.con, "UPDATE run SET spec_sha256 = 'x' WHERE run_id = ?", [packaged])
    with pytest.raises(StoredMethodError, match="not stored with the run"):
        stored_method(ws.con, packaged)


def test_the_migration_keeps_the_packaged_text_of_earlier_runs(tmp_path):
    from industry_brain.warehouse import connect, migrate
    from industry_brain.warehouse.migrations import MIGRATIONS

    con = connect(tmp_path / "w.duckdb", migrate_schema=False)
    migrate(con, [m for m in MIGRATIONS if m[0] <= 14])
    sha = load_method(PACKAGED).sha256
    rows = [(1, PACKAGED, sha), (2, PACKAGED, "0" * 64), (3, NAME, sha)]
    run = {"engine": "permu", "year": 2022, "region_code": "331003", "inputs": "[]"}
    run |= {"code_version": "0", "result_sha256": "r", "created_at": datetime(2023, 1, 1)}
    frame = pl.DataFrame(
        [{"run_id": i, "spec_name": n, "spec_sha256": s} for i, n, s in rows]
    ).with_columns(**{k: pl.lit(v) for k, v in run.items()})
    con.insert("run", frame)
    migrate(con)
    stored = fetch(con, "SELECT run_id, spec_text FROM run ORDER BY run_id", [])
    assert [r["spec_text"] for r in stored] == [packaged_text(PACKAGED), None, None]


def test_a_spec_file_edited_since_it_was_read_is_read_again(tmp_path):
    from industry_brain.engines.permu.spec import load_method, packaged_text

    path = tmp_path / "edited.yaml"
    path.write_text(packaged_text("taizhou-huangyan-2022"), "utf-8")
    first = load_method(str(path))
    path.write_text(
        packaged_text("taizhou-huangyan-2022").replace(
            "name: taizhou-huangyan-2022", "name: edited-2022"
        ),
        "utf-8",
    )
    assert load_method(str(path)).name != first.name


def test_the_web_says_a_changed_stored_text_is_refused(ws):
    from fastapi.testclient import TestClient

    from industry_brain.web.app import create_app
    from industry_brain.web.users import add_user
    from web_helpers import login

    run = _run(ws)
    sql = (
        "UPDATE run SET spec_text = replace(spec_text, 'weight: 35', 'weight: 30') WHERE run_id = ?"
    )
    execute(ws.con, sql, [run["run_id"]])
    add_user(ws.con, "city", "correct horse battery", "city", "331000")
    client = TestClient(create_app(ws), base_url="https://testserver")
    login(client, "city")
    uscc = _evaluated(ws, run["run_id"])
    answer = client.get(f"/api/enterprises/{uscc}/permu", params={"year": 2022})
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "run_method_changed"
    assert client.get(f"/enterprise/{uscc}").status_code == 200  # the page, without a breakdown

import json

from typer.testing import CliRunner

from industry_brain.cli import app

from helpers import STAT_HEADER, stat_row, write_csv

runner = CliRunner()


def test_ingest_json_report_and_exit_codes(tmp_path):
    ws = str(tmp_path / "ws")
    good = write_csv(tmp_path / "stats.csv", [STAT_HEADER, stat_row(1), stat_row(2)])
    result = runner.invoke(app, ["ingest", str(good), "--source", "statistics", "-w", ws, "--json"])
    assert result.exit_code == 0, result.output
    [report] = json.loads(result.stdout)
    assert report["valid"] and report["status"] == "loaded" and report["rows_loaded"] == 2

    bad = write_csv(tmp_path / "no_uscc_header.csv", [["名称"], ["x"]])
    result = runner.invoke(app, ["ingest", str(bad), "--source", "statistics", "-w", ws])
    assert result.exit_code == 1
    assert "F103" in result.stdout


def test_validate_is_a_dry_run(tmp_path):
    ws = str(tmp_path / "ws")
    path = write_csv(
        tmp_path / "stats.csv",
        [STAT_HEADER, *(stat_row(i) for i in (1, 3, 4, 5)), stat_row(2, revenue="x")],
    )
    result = runner.invoke(app, ["validate", str(path), "-s", "statistics", "-w", ws, "--json"])
    [report] = json.loads(result.stdout)
    assert report["status"] == "valid" and report["rows_rejected"] == 1
    assert report["errors"][0]["code"] == "R206" and report["errors"][0]["row"] == 6
    status = runner.invoke(app, ["status", "-w", ws, "--json"])
    assert json.loads(status.stdout)["batches"] == []


def test_unknown_source_names_the_closest(tmp_path):
    path = write_csv(tmp_path / "x.csv", [["a"]])
    result = runner.invoke(app, ["ingest", str(path), "--source", "taxes", "-w", str(tmp_path)])
    assert result.exit_code == 2 and "tax" in result.output


def test_status_counts_by_county(tmp_path):
    ws = str(tmp_path / "ws")
    path = write_csv(
        tmp_path / "stats.csv", [STAT_HEADER, stat_row(1), stat_row(2, size=100.0, above="否")]
    )
    runner.invoke(app, ["ingest", str(path), "-s", "statistics", "-w", ws])
    result = runner.invoke(app, ["status", "-w", ws, "--json"])
    data = json.loads(result.stdout)
    [county] = data["enterprises"]
    assert county["county"] == "黄岩区" and county["2020_above"] == 1 and county["2020_below"] == 1


def test_demo_builds_the_workspace_and_prints_the_comparison(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "settings.toml").write_text("demo_scale = 0.02\ndemo_seed = 3\n", "utf-8")
    result = runner.invoke(app, ["demo", "-w", str(ws), "--no-serve"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())  # Rich wraps lines to the terminal width
    # the register, 6 sources a year for 2019–2024 (purchases too), 2020's statistics as one
    # file per county, 2021's as a production and a finance table
    assert "46 files — 46 loaded" in text
    assert "规上工业总产值" in text and "黄岩区" in text
    again = runner.invoke(app, ["demo", "-w", str(ws), "--no-serve"])
    assert again.exit_code == 0 and "0 loaded, 46 unchanged" in " ".join(again.stdout.split())

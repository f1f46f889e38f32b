"""Stored 亩均 runs: reproducible to the byte, with their inputs; the workbook and the CLI."""

import json

import fastexcel
import polars as pl
import pytest
from typer.testing import CliRunner

from industry_brain.cli import app
from industry_brain.engines.permu.spec import load_method
from industry_brain.engines.permu.workbook import write_workbook
from industry_brain.runs.permu import run_permu

from helpers import load_city

CITY = load_method("taizhou-city-2022")


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    ws, _ = load_city(
        tmp_path_factory.mktemp("permu_city"), seed=11, scale=0.03, years=[2021, 2022]
    )
    yield ws
    ws.close()


def test_rerun_is_byte_identical_and_records_inputs(city, tmp_path):
    first, second = run_permu(city.con, CITY, 2022), run_permu(city.con, CITY, 2022)
    assert second.run_id == first.run_id + 1
    assert first.result_sha256 == second.result_sha256
    assert first.scores.equals(second.scores) and first.items.equals(second.items)
    runs = city.con.table("run").to_polars().sort("run_id")
    assert runs["spec_sha256"].to_list()[-1] == CITY.sha256
    # the register, 2021's six files (its statistics as 产值 and 财务 tables) and 2022's five
    assert json.loads(runs["inputs"].to_list()[-1]) == first.inputs and len(first.inputs) == 12
    a = write_workbook(tmp_path / "a.xlsx", "t", first.scores, {})
    b = write_workbook(tmp_path / "b.xlsx", "t", second.scores, {})
    assert a.read_bytes() == b.read_bytes()


def test_workbook_has_summary_counties_and_leaders(city, tmp_path):
    run = run_permu(city.con, CITY, 2022)
    path = write_workbook(tmp_path / "w.xlsx", "台州", run.scores, {"331003": "黄岩区"})
    reader = fastexcel.read_excel(path)
    assert reader.sheet_names[0] == "汇总" and reader.sheet_names[-1] == "领跑者"
    assert "黄岩区" in reader.sheet_names and len(reader.sheet_names) == 2 + 9
    huangyan = reader.load_sheet("黄岩区").to_polars()
    assert {"统一社会信用代码", "综合得分", "评价档次"} <= set(huangyan.columns)
    evaluated = run.scores.filter(
        (run.scores["status"] == "evaluated") & run.scores["region_code"].str.starts_with("331003")
    )
    assert huangyan.filter(huangyan["评价状态"] == "参评").height == evaluated.height


def test_cli_evaluate_and_explain(city):
    runner = CliRunner()
    ws = str(city.path)
    result = runner.invoke(
        app,
        ["evaluate", "permu", "--spec", "taizhou-city-2022", "--year", "2022", "-w", ws, "--json"],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert len(out["grade_mix"]) == 9
    assert "workbook" not in out  # the lists are written when the run is published
    scores = city.con.table("permu_score").to_polars()
    uscc = scores.filter(scores["status"] == "evaluated")["uscc"][0]
    explained = json.loads(
        runner.invoke(app, ["explain", uscc, "--year", "2022", "-w", ws, "--json"]).stdout
    )
    assert explained["grade"] in "ABCD" and len(explained["items"]) == 6
    assert sum(i["score"] for i in explained["items"]) == pytest.approx(explained["total"])
    unknown = runner.invoke(
        app, ["evaluate", "permu", "--spec", "taizhou-city-2021", "--year", "2022", "-w", ws]
    )
    assert unknown.exit_code == 2 and "taizhou-city-2022" in unknown.output


def test_what_if_reports_exactly_the_grade_changes(city):
    from industry_brain.engines.permu.spec import parse_method
    from industry_brain.runs.whatif import what_if

    base = run_permu(city.con, CITY, 2022)
    same = what_if(city.con, base.run_id, CITY)
    assert same.changes.height == 0 and same.summary["changed"].sum() == 0
    data = CITY.model_dump(mode="json")
    data["tracks"][0]["items"][0]["weight"], data["tracks"][0]["items"][1]["weight"] = 40, 10
    changed = parse_method(data, "changed.yaml")
    result = what_if(city.con, base.run_id, changed)
    direct = run_permu(city.con, changed, 2022).scores
    expected = base.scores.join(direct, on="uscc", suffix="_new").filter(
        pl.col("grade").ne_missing(pl.col("grade_new"))
    )
    assert sorted(result.changes["uscc"]) == sorted(expected["uscc"])
    assert result.summary["changed"].sum() == expected.height > 0
    assert (result.summary["up"] + result.summary["down"]).sum() == expected.height


def test_appeals_apply_to_the_next_run_and_show_in_the_explanation(city):
    from industry_brain.engines.permu.overrides import OverrideError, add_override

    base = run_permu(city.con, CITY, 2022).scores
    evaluated = base.filter(pl.col("status") == "evaluated").sort("total")
    low, other = evaluated["uscc"][0], evaluated["uscc"][1]
    before = evaluated.filter(pl.col("uscc") == low).row(0, named=True)
    row = (
        city.con.table("enterprise_year")
        .filter(lambda t: (t.uscc == low) & (t.year == 2022))
        .to_polars()
        .row(0, named=True)
    )
    add_override(
        city.con,
        2022,
        low,
        "税务局更正：补缴税款",
        "张三",
        field="tax_paid",
        value=(row["tax_paid"] or 0.0) * 10 + 100,
    )
    add_override(city.con, 2022, other, "复核认定", "李四", grade="A")
    after = run_permu(city.con, CITY, 2022).scores
    fixed = after.filter(pl.col("uscc") == low).row(0, named=True)
    assert fixed["total"] > before["total"] and "补缴税款" in fixed["override"]
    assert after.filter(pl.col("uscc") == other)["grade"][0] == "A"
    result = CliRunner().invoke(
        app, ["explain", other, "--year", "2022", "-w", str(city.path), "--json"]
    )
    assert json.loads(result.stdout)["override"].endswith("复核认定")
    with pytest.raises(OverrideError, match="tax_paid"):
        add_override(city.con, 2022, low, "x", "y", field="tax_payed", value=1.0)
    with pytest.raises(OverrideError, match="reason"):
        add_override(city.con, 2022, low, " ", "y", grade="B")


def test_second_year_carries_last_years_grade_and_prices(city):
    first = run_permu(city.con, load_method("taizhou-huangyan-2022"), 2021)
    assert first.scores["grade_last"].is_null().all()
    second = run_permu(city.con, load_method("taizhou-huangyan-2022"), 2022)
    both = second.scores.join(
        first.scores.select("uscc", pl.col("grade").alias("g21")), on="uscc", how="inner"
    ).filter(pl.col("grade").is_not_null())
    assert both.height > 0
    assert (both["grade_last"] == both["g21"]).all()
    d_twice = both.filter((pl.col("grade") == "D") & (pl.col("g21") == "D"))
    assert (d_twice["d_years"] >= 2).all()
    d_now = second.scores.filter(pl.col("grade") == "D")["uscc"].to_list()
    charged = second.prices.filter(pl.col("resource") == "electricity")
    assert sorted(charged["uscc"]) == sorted(d_now)


def test_benchmarks_from_missing_last_year_fail_loudly(city):
    from industry_brain.runs.permu import RunError

    with pytest.raises(RunError, match="2020"):
        run_permu(city.con, CITY, 2021)


def test_aggregates_equal_a_direct_aggregation(city, tmp_path):
    from industry_brain.engines.permu.aggregates import aggregate
    from industry_brain.engines.permu.publish import write_lists
    from industry_brain.runs.store import load_run

    run = run_permu(city.con, CITY, 2022)
    ey = city.con.table("enterprise_year").filter(lambda t: t.year == 2022).to_polars()
    figures = ey.select("uscc", "tax_paid", "value_added", "land_mu")
    by_county = aggregate(run.scores, figures, "county")
    evaluated = run.scores.filter(pl.col("status") == "evaluated")
    assert by_county["参评企业"].sum() == evaluated.height
    assert sum(by_county[f"{g}类"].sum() for g in "ABCD") == evaluated.height
    huangyan = evaluated.filter(pl.col("region_code").str.starts_with("331003")).join(
        figures, on="uscc"
    )
    direct = huangyan["tax_paid"].sum() / huangyan["land_mu"].sum()
    got = by_county.filter(pl.col("区县") == "331003")["亩均税收（万元/亩）"][0]
    assert got == pytest.approx(direct, rel=1e-12)
    path = write_lists(city.con, load_run(city.con, run.run_id), tmp_path / "published.xlsx")
    sheets = fastexcel.read_excel(path).sheet_names
    assert {"按区县汇总", "按园区汇总", "按行业汇总", "差别化价格"} <= set(sheets)


def test_what_if_applies_the_corrections_in_force_as_a_run_does(city):
    """A grade decided on appeal is in the run; the run's own spec changes nobody's grade."""
    from industry_brain.engines.permu.overrides import add_override
    from industry_brain.runs.whatif import what_if

    scores = run_permu(city.con, CITY, 2022).scores
    target = scores.filter(pl.col("status") == "evaluated").sort("uscc").row(0, named=True)
    other = "D" if target["grade"] != "D" else "A"
    add_override(city.con, 2022, target["uscc"], "复核改判", "analyst", grade=other)
    run = run_permu(city.con, CITY, 2022)
    assert run.scores.filter(pl.col("uscc") == target["uscc"])["grade"].item() == other
    assert what_if(city.con, run.run_id, CITY).changes.height == 0

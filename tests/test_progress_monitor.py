"""The monitoring table of the Taizhou 十四五 plan on the synthetic city: computed and entered
actuals, stages, roll-up, the workbook (same bytes twice) and the CLI."""

import json

import fastexcel
import pytest
from typer.testing import CliRunner

from industry_brain.cli import app
from industry_brain.engines.progress.actuals import plan_actuals
from industry_brain.engines.progress.catalog import load_plan
from industry_brain.engines.progress.monitor import default_stage, monitor
from industry_brain.engines.progress.workbook import write_monitoring

PLAN = load_plan("taizhou-14th-fyp")


@pytest.fixture(scope="module")
def entered(plan_city):
    """The city's entered figures, imported once through the CLI."""
    entry = next(f for f in plan_city.manifest.files if f.source == "plan_actuals")
    args = ["actuals", str(plan_city.inbox / entry.path), "--plan", PLAN.plan]
    result = CliRunner().invoke(app, [*args, "--workspace", str(plan_city.ws.path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)[0]


def test_entered_file_loads_whole(entered):
    assert entered["status"] in ("loaded", "unchanged") and entered["rows_rejected"] == 0


def test_computed_rows_use_the_microdata_and_others_the_entered_figures(plan_city, entered):
    m = monitor(plan_city.ws.con, PLAN, 2022)
    rows = {r["indicator"]: r for r in m.rows()}
    assert rows["value_added_per_mu"]["origin"] == "计算值"
    assert "家企业" in rows["value_added_per_mu"]["source"]
    assert rows["digital_core_value_added_share_of_gdp"]["origin"] == "录入值"
    assert rows["business_environment_index"]["status"] == "not_assessable"
    assert rows["business_environment_index"]["reason"] == "排名目标，需人工判断"
    assessed = [r for r in rows.values() if r["status"] != "not_assessable"]
    assert len(assessed) >= 15
    assert all(r["actual_year"] == 2022 for r in assessed)


def test_stages_and_rollup(plan_city, entered):
    assert [default_stage(PLAN, y) for y in (2022, 2023, 2025)] == [
        "monitoring",
        "midterm",
        "final",
    ]
    m = monitor(plan_city.ws.con, PLAN, 2022, stage="final")
    verdicts = {r["verdict"] for r in m.rows()}
    assert verdicts <= {"完成", "预计完成", "难以完成", "未公布", None}
    assert all(r["basis"] for r in m.rows())
    total = m.rollup()[-1]
    assert total["category"] == "合计" and total["indicators"] == len(PLAN.indicators)
    statuses = (
        "achieved",
        "on_track",
        "needs_acceleration",
        "limited",
        "deterioration",
        "not_assessable",
    )
    assert sum(total[s] for s in statuses) == len(PLAN.indicators)


def test_workbook_is_reproducible(plan_city, entered, tmp_path):
    actuals = plan_actuals(plan_city.ws.con, PLAN)
    m = monitor(plan_city.ws.con, PLAN, 2022, actuals=actuals)
    a = write_monitoring(tmp_path / "a.xlsx", m, actuals.series)
    b = write_monitoring(tmp_path / "b.xlsx", m, actuals.series)
    assert a.read_bytes() == b.read_bytes()
    assert fastexcel.read_excel(a).sheet_names == ["监测表", "分类汇总", "实际值", "方法说明"]


def test_cli_monitor_prints_the_table_and_writes_the_workbook(plan_city, entered, tmp_path):
    out = tmp_path / "m.xlsx"
    args = ["monitor", "--plan", PLAN.plan, "--year", "2022", "--out", str(out)]
    wide = CliRunner(env={"COLUMNS": "240"})
    result = wide.invoke(app, [*args, "--workspace", str(plan_city.ws.path)])
    assert result.exit_code == 0, result.output
    assert "年度监测" in result.output and "规模以上工业亩均增加值" in result.output
    assert out.is_file()
    bad = CliRunner().invoke(app, ["monitor", "--plan", "taizhou-14th", "--year", "2022"])
    assert bad.exit_code == 2 and "did you mean 'taizhou-14th-fyp'" in bad.output

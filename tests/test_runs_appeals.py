"""Appeals in the engine's terms: only a published result is appealed; a refusal and a
correction need reasons; a correction is one change (override, new run, publication) that keeps
both versions; every step is audited in the enterprise's county."""

import polars as pl
import pytest

from industry_brain.engines.permu.spec import load_method
from industry_brain.runs import appeals
from industry_brain.runs.appeals import AppealError, appeal, correct, file_appeal, refuse
from industry_brain.runs.permu import run_permu
from industry_brain.runs.workflow import Actor, move, state
from industry_brain.warehouse.audit import entries

SPEC = "taizhou-huangyan-2022"


@pytest.fixture
def published(plan_city):
    con = plan_city.ws.con
    run_id = run_permu(con, load_method(SPEC), 2022, "huangyan").run_id
    s = con.table("permu_score")
    evaluated = s.filter((s.run_id == run_id) & (s.status == "evaluated")).order_by("uscc")
    usccs = evaluated.uscc.to_pyarrow().to_pylist()
    return con, run_id, usccs


def test_only_a_published_result_is_appealed(published):
    con, run_id, usccs = published
    with pytest.raises(AppealError, match="not published"):
        file_appeal(con, run_id, usccs[0], "用地面积有误", "e1")
    move(con, run_id, "submit", Actor("huangyan", "331003"))
    move(con, run_id, "approve", Actor("city", "331000"))
    move(con, run_id, "publish", Actor("city", "331000"))
    with pytest.raises(AppealError, match="needs a reason"):
        file_appeal(con, run_id, usccs[0], "  ", "e1")
    with pytest.raises(AppealError, match="no result"):
        file_appeal(con, run_id, "91330000XXXXXXXXXX", "理由", "e1")
    appeal_id = file_appeal(con, run_id, usccs[0], "用地面积有误", "e1")
    with pytest.raises(AppealError, match="reason"):
        refuse(con, appeal_id, "city", "")
    refuse(con, appeal_id, "city", "经核实，用地面积无误")
    assert appeal(con, appeal_id)["status"] == "refused"
    with pytest.raises(AppealError, match="only an open appeal"):
        correct(con, appeal_id, "city", "改判", grade="A")
    logged = entries(con, object_type="appeal", object_id=str(appeal_id))
    assert logged["action"].to_list() == ["appeal.refuse", "appeal.file"]
    assert set(logged["region_code"]) == {"331003"}  # the enterprise's county


def test_a_failed_correction_changes_nothing(published, monkeypatch):
    con, run_id, usccs = published
    for action, who in (("submit", "331003"), ("approve", "331000"), ("publish", "331000")):
        move(con, run_id, action, Actor(f"u{who}", who))
    appeal_id = file_appeal(con, run_id, usccs[1], "亩均税收口径有误", "e2")
    before = {t: con.table(t).count().to_pyarrow().as_py() for t in ("permu_override", "run")}

    def broken(*args, **kwargs):
        raise RuntimeError("the run failed")

    monkeypatch.setattr(appeals, "create_run", broken)
    with pytest.raises(RuntimeError):
        correct(con, appeal_id, "city", "核减用地", field="land_mu", value=5.0)
    after = {t: con.table(t).count().to_pyarrow().as_py() for t in ("permu_override", "run")}
    assert after == before and appeal(con, appeal_id)["status"] == "open"
    monkeypatch.undo()
    amended = correct(con, appeal_id, "city", "核减用地", field="land_mu", value=5.0)
    assert state(con, amended) == "published" and state(con, run_id) == "published"
    s = con.table("permu_score")
    both = s.filter((s.uscc == usccs[1]) & s.run_id.isin([run_id, amended])).to_polars()
    assert both.height == 2  # the original and the amendment are both kept


def test_the_amendments_aggregates_use_the_corrected_figure(published, tmp_path):
    import fastexcel

    from industry_brain.engines.permu.publish import write_lists
    from industry_brain.runs.store import load_run

    con, run_id, usccs = published
    for action, who in (("submit", "331003"), ("approve", "331000"), ("publish", "331000")):
        move(con, run_id, action, Actor(f"u{who}", who))
    appeal_id = file_appeal(con, run_id, usccs[2], "用地面积应核减", "e3")
    amended = correct(con, appeal_id, "city", "核减用地", field="land_mu", value=1.0)

    def tax_per_mu(run: int) -> float:
        book = write_lists(con, load_run(con, run), tmp_path / f"{run}.xlsx")
        sheet = fastexcel.read_excel(book).load_sheet("按区县汇总").to_polars()
        return sheet.filter(pl.col("区县") == "黄岩区")["亩均税收（万元/亩）"][0]

    s = con.table("permu_score")
    evaluated = s.filter((s.run_id == amended) & (s.status == "evaluated")).uscc.to_pyarrow()
    ey = con.table("enterprise_year").filter(lambda t: t.year == 2022).to_polars()
    ey = ey.filter(pl.col("uscc").is_in(evaluated.to_pylist()))
    corrected = {  # every land correction in force (earlier tests may have made some), latest wins
        o["uscc"]: o["value"]
        for o in con.table("permu_override").order_by("override_id").to_pyarrow().to_pylist()
        if o["year"] == 2022 and o["field"] == "land_mu"
    }
    assert corrected[usccs[2]] == 1.0
    land = ey.with_columns(
        pl.col("uscc").replace_strict(corrected, default=None).fill_null(pl.col("land_mu"))
        .alias("land_mu")
    )  # fmt: skip
    expected = land["tax_paid"].sum() / land["land_mu"].sum()
    assert tax_per_mu(amended) == pytest.approx(expected)
    assert tax_per_mu(run_id) != pytest.approx(expected)  # the original keeps its figures


def test_an_engine_without_appeals_refuses_them(plan_city):
    from industry_brain.engines import engine
    from industry_brain.engines.progress.spec import monitoring_spec
    from industry_brain.runs.store import create_run

    con = plan_city.ws.con
    spec = monitoring_spec("taizhou-14th-fyp")
    run = create_run(con, engine("progress"), spec, 2022)
    indicator = run.results["progress_status"]["indicator"][0]
    with pytest.raises(AppealError, match="not appealed"):
        file_appeal(con, run.run_id, indicator, "数据有误", "county")

"""A run's page says what it rests on: the batches used and the withdrawn ones left out (who,
why), and what changed since the previous run of the same region and year."""

import pytest
from fastapi.testclient import TestClient

from industry_brain.engines.permu.spec import load_method
from industry_brain.ingest.withdraw import withdraw_batch
from industry_brain.runs.permu import run_permu
from industry_brain.runs.whatif import compare_runs, previous_run
from industry_brain.web.app import create_app
from industry_brain.web.users import add_user
from web_helpers import login

from conftest import PASSWORD
from helpers import load_city

SPEC = "taizhou-city-2022"


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    ws, _ = load_city(
        tmp_path_factory.mktemp("record_city"), seed=5, scale=0.01, years=[2021, 2022]
    )
    add_user(ws.con, "city", PASSWORD, "city", "331000")
    add_user(ws.con, "county", PASSWORD, "county", "331003")
    yield ws
    ws.close()


def test_a_rerun_after_a_withdrawal_records_and_shows_it(city):
    con = city.con
    first = run_permu(con, load_method(SPEC), 2022, "city").run_id
    assert previous_run(con, first) is None
    same = run_permu(con, load_method(SPEC), 2022, "city").run_id
    assert previous_run(con, same) == first
    changes, _ = compare_runs(con, same, first)
    assert changes.height == 0  # same data, same spec: nobody moves
    b = con.table("batch")
    [land] = b.filter((b.source == "land") & (b.year == 2022)).batch_id.to_pyarrow().to_pylist()
    withdraw_batch(con, land, "city", "自然资源局用地文件口径错误，待重报", confirmed=True)
    after = run_permu(con, load_method(SPEC), 2022, "city").run_id
    changes, summary = compare_runs(con, after, same)
    moved = sum(summary[k].sum() for k in ("changed", "entered", "left"))
    assert 0 < moved <= changes.height  # the rest changed status without a grade either time

    client = TestClient(create_app(city), base_url="https://testserver")
    login(client, "city")
    page = client.get(f"/runs/{after}").text
    assert "以下已撤回的批次未被使用" in page and "自然资源局用地文件口径错误" in page
    assert f'与上一次运行（<a href="/runs/{same}">运行 {same}</a>）相比' in page
    assert "评价档次与上一次运行完全相同" in client.get(f"/runs/{same}").text
    login(client, "county")  # a county sees the comparison for its own enterprises only
    county_page = client.get(f"/runs/{after}").text
    outside = [c["uscc"] for c in changes.to_dicts() if not c["county"].startswith("331003")]
    assert outside and not any(u in county_page for u in outside)


def test_a_run_the_data_has_moved_on_from_is_not_submitted_or_published(city):
    from industry_brain.engines.permu.overrides import add_override
    from industry_brain.runs.permu import changed_since
    from industry_brain.runs.workflow import Actor, WorkflowError, move

    con = city.con
    run = run_permu(con, load_method(SPEC), 2022, "city").run_id
    assert changed_since(con, run) is None
    move(con, run, "submit", Actor("city", "331000"))
    move(con, run, "approve", Actor("province", "330000"))
    s = con.table("permu_score")
    uscc = s.filter(s.run_id == run).order_by("uscc").uscc.to_pyarrow().to_pylist()[0]
    add_override(con, 2022, uscc, "用地面积核减", "city", field="land_mu", value=3.0)
    assert "corrections were recorded" in changed_since(con, run)
    with pytest.raises(WorkflowError, match="run the evaluation again"):
        move(con, run, "publish", Actor("city", "331000"))
    client = TestClient(create_app(city), base_url="https://testserver")
    login(client, "city")
    page = client.get(f"/runs/{run}").text
    assert "数据已变化" in page and 'value="publish"' not in page
    fresh = run_permu(con, load_method(SPEC), 2022, "city").run_id
    assert changed_since(con, fresh) is None
    move(con, fresh, "submit", Actor("city", "331000"))
    move(con, fresh, "approve", Actor("province", "330000"))
    client.app.state.cache.invalidate()
    assert 'value="publish"' in client.get(f"/runs/{fresh}").text

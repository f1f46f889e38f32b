"""Warming at server start: the packaged specs' queries for the years of stored runs and of the
newest data are compiled in a background thread; the first evaluation then finds them."""

import ibis
import pytest

from industry_brain.engines.permu import query_store, warm
from industry_brain.engines.permu.engine import cache_info, clear_cache, evaluate
from industry_brain.engines.permu.spec import load_method, packaged_methods
from permu_helpers import firm, frames


@pytest.fixture(autouse=True)
def _empty_cache(tmp_path):
    query_store.use_folder(tmp_path / "queries")
    clear_cache()
    yield
    clear_cache()
    query_store.use_folder(None)


def _warehouse(run_years: list[int]) -> ibis.BaseBackend:
    ey, ent = frames([firm(i) for i in range(1, 6)], last=[firm(i) for i in range(1, 6)])
    con = ibis.duckdb.connect()
    con.con.register("enterprise_year", ey.to_arrow())
    con.con.register("enterprise", ent.to_arrow())
    con.raw_sql("CREATE TABLE run (engine VARCHAR, year INTEGER)")
    for year in run_years:
        con.raw_sql(f"INSERT INTO run VALUES ('permu', {year}), ('progress', 2015)")
    return con


def test_the_packaged_specs_are_compiled_for_the_years_of_runs_and_data():
    con = _warehouse([2020, 2021])
    assert warm.years_to_warm(con) == [2022, 2021, 2020]
    thread = warm.start(con)
    assert thread is not None
    thread.join(timeout=120)
    assert cache_info().size == 3 * len(packaged_methods())
    before = cache_info().misses
    for name in packaged_methods():
        evaluate(con.table("enterprise_year"), con.table("enterprise"), load_method(name), 2022)
    assert (cache_info().misses, cache_info().hits) == (before, len(packaged_methods()))


def test_a_workspace_without_tables_or_off_duckdb_warms_nothing():
    assert warm.start(ibis.duckdb.connect()) is None
    assert warm.start(ibis.polars.connect()) is None
    assert cache_info().size == 0


def test_a_workspace_keeps_its_queries_in_its_folder_or_where_its_settings_say(workspace, tmp_path):
    from helpers import workspace_at

    assert workspace.con is not None  # connecting points the store at the workspace
    assert query_store.folder() == workspace.path / "cache" / "queries"
    elsewhere = workspace_at(tmp_path / "other", query_cache=str(tmp_path / "q"))
    assert elsewhere.con is not None and query_store.folder() == tmp_path / "q"
    elsewhere.close()
    off = workspace_at(tmp_path / "off", query_cache="off")
    assert off.con is not None and query_store.folder() is None
    off.close()

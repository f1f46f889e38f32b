"""The engine compiles a spec's query once per (spec, year, backend, input tables) and reuses it;
a changed spec gets its own query, and the rows are always read when the result is executed."""

import ibis
import polars as pl
import pytest

from industry_brain.engines.permu import engine
from industry_brain.engines.permu.engine import cache_info, clear_cache, evaluate
from industry_brain.engines.permu.spec import load_method
from permu_helpers import firm, frames

CITY = load_method("taizhou-city-2022")
FIRMS = [firm(i, tax_paid=100.0 * i, land_mu=10.0 + i) for i in range(1, 9)]
LAST = [firm(i) for i in range(1, 9)]


def _connect(ey: pl.DataFrame, ent: pl.DataFrame) -> ibis.BaseBackend:
    con = ibis.duckdb.connect()
    con.con.register("ey", ey.to_arrow())
    con.con.register("ent", ent.to_arrow())
    return con


def _scores(con: ibis.BaseBackend, spec=CITY, year: int = 2022) -> pl.DataFrame:
    return evaluate(con.table("ey"), con.table("ent"), spec, year).to_polars().sort("uscc")


@pytest.fixture(autouse=True)
def _empty_cache():
    clear_cache()
    yield
    clear_cache()


def test_the_same_spec_reuses_its_query_and_a_changed_spec_does_not():
    con = _connect(*frames(FIRMS, last=LAST))
    first = _scores(con)
    assert (cache_info().misses, cache_info().hits) == (1, 0)
    assert _scores(con).equals(first)
    assert (cache_info().misses, cache_info().hits) == (1, 1)

    above = CITY.tracks[0]
    weights = above.model_copy(
        update={"items": tuple(i.model_copy(update={"weight": 2 * i.weight}) for i in above.items)}
    )
    changed = CITY.model_copy(update={"tracks": (weights, *CITY.tracks[1:])})
    assert changed.sha256 != CITY.sha256
    doubled = _scores(con, changed)
    assert (cache_info().misses, cache_info().hits) == (2, 1)
    assert doubled["total"].to_list() == pytest.approx([2 * t for t in first["total"]])

    _scores(con, CITY, 2023)  # another year: another query
    assert (cache_info().misses, cache_info().size) == (3, 3)


def test_a_reused_query_reads_the_rows_of_the_connection_it_runs_on():
    ey, ent = frames(FIRMS, last=LAST)
    before = _scores(_connect(ey, ent))
    richer = ey.with_columns(
        pl.when(pl.col("uscc") == FIRMS[0]["uscc"])
        .then(pl.col("tax_paid") * 100)
        .otherwise(pl.col("tax_paid"))
    )
    after = _scores(_connect(richer, ent))  # same table names and schemas: the query is reused
    assert cache_info().hits == 1
    mine = pl.col("uscc") == FIRMS[0]["uscc"]
    assert after.filter(mine)["total"][0] > before.filter(mine)["total"][0]
    assert after.filter(mine)["rank"][0] == 1


def test_the_cache_and_the_views_are_bounded(monkeypatch):
    monkeypatch.setattr(engine, "CACHE_SIZE", 2)
    monkeypatch.setattr(engine, "VIEWS_PER_CONNECTION", 2)
    con = _connect(*frames(FIRMS, last=LAST))
    for deferral in (1, 2, 3, 4):
        _scores(con, CITY.model_copy(update={"deferral_years": deferral}))
    assert cache_info().size == 2
    views = con.con.sql("SELECT view_name FROM duckdb_views() WHERE temporary").fetchall()
    assert len([v for (v,) in views if v.startswith("_permu_")]) == 2


def test_expressions_and_memtables_are_evaluated_without_the_cache():
    ey, ent = frames(FIRMS, last=LAST)
    con = _connect(ey, ent)
    cached = _scores(con)
    direct = evaluate(ibis.memtable(ey), ibis.memtable(ent), CITY, 2022).to_polars()
    filtered = con.table("ey").filter(lambda t: t.year >= 2021)
    lazy = evaluate(filtered, con.table("ent"), CITY, 2022).to_polars()
    assert cache_info().misses == 1
    assert direct.sort("uscc").equals(cached)
    assert lazy.sort("uscc").equals(cached)

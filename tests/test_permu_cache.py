"""The engine compiles a spec's query once per (spec, year, backend, input tables) and reuses it,
in memory and from disk (a fresh process); a changed spec, input type or engine code gets its own
query, and the rows are always read when the result is executed."""

import json

import ibis
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from industry_brain.engines.permu import engine, query_store
from industry_brain.engines.permu.engine import cache_info, clear_cache, evaluate
from industry_brain.engines.permu.spec import load_method, packaged_methods
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
def _empty_cache(tmp_path_factory):
    query_store.use_folder(tmp_path_factory.mktemp("queries"))  # an empty store per test
    clear_cache()
    yield
    clear_cache()
    query_store.use_folder(None)


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


def _fresh_process() -> None:
    """What a new process starts with: nothing in memory, the store on disk as it is."""
    clear_cache()


def _compiled_now() -> int:
    info = cache_info()
    return info.misses - info.loaded


def _entries() -> list:
    folder = query_store.folder()
    return sorted(folder.glob("*.json")) if folder else []


def test_a_fresh_process_reads_the_stored_query_instead_of_compiling_it():
    con = _connect(*frames(FIRMS, last=LAST))
    first = _scores(con)
    assert (_compiled_now(), len(_entries())) == (1, 1)
    _fresh_process()
    again = _scores(con)
    assert (cache_info().loaded, _compiled_now()) == (1, 0)
    assert again.equals(first)
    ey, ent = con.table("ey"), con.table("ent")
    loaded = engine.compiled(con, ey, ent, CITY, 2022)
    query_store.use_folder(None)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(query_store.ENV, "off")
        clear_cache()
        fresh = engine.compiled(con, ey, ent, CITY, 2022)
    assert (loaded.loaded, fresh.loaded) == (True, False)
    assert (loaded.sql, loaded.schema, loaded.view) == (fresh.sql, fresh.schema, fresh.view)


SPECS = [load_method(name) for name in packaged_methods()]
YEARS = [2021, 2022, 2023]


@settings(max_examples=12)
@given(
    spec=st.sampled_from(SPECS),
    year=st.sampled_from(YEARS),
    deferral=st.integers(0, 3),
    tax=st.lists(st.floats(1.0, 1e4), min_size=8, max_size=8),
)
def test_stored_queries_give_what_freshly_compiled_ones_give(spec, year, deferral, tax):
    spec = spec.model_copy(update={"deferral_years": deferral})
    now = [firm(i, tax_paid=t, land_mu=5.0 + i) for i, t in enumerate(tax, 1)]
    before = [firm(i, tax_paid=t / 2) for i, t in enumerate(tax, 1)]
    ey, ent = frames(now, year, last=before)
    con = _connect(ey, ent)
    clear_cache()
    fresh = _scores(con, spec, year)
    _fresh_process()
    stored = _scores(_connect(ey, ent), spec, year)
    assert cache_info().loaded == 1
    assert stored.equals(fresh)


def _recompiles(con: ibis.BaseBackend, spec=CITY) -> bool:
    _fresh_process()
    _scores(con, spec)
    return _compiled_now() == 1


def test_a_changed_spec_input_type_or_engine_code_is_compiled_anew(monkeypatch):
    ey, ent = frames(FIRMS, last=LAST)
    con = _connect(ey, ent)
    _scores(con)
    assert not _recompiles(con)
    assert _recompiles(con, CITY.model_copy(update={"deferral_years": CITY.deferral_years + 1}))
    float32 = _connect(ey.with_columns(pl.col("land_mu").cast(pl.Float32)), ent)
    assert _recompiles(float32)
    renamed = ibis.duckdb.connect()
    renamed.con.register("ey", ey.to_arrow())
    renamed.con.register("firms", ent.to_arrow())
    _fresh_process()
    evaluate(renamed.table("ey"), renamed.table("firms"), CITY, 2022).to_polars()
    assert _compiled_now() == 1
    monkeypatch.setattr(query_store, "code_version", lambda: "another engine")
    assert _recompiles(con)
    assert len(_entries()) == 5  # one per key; none was overwritten by another


def test_an_entry_under_another_key_or_unreadable_is_never_used():
    con = _connect(*frames(FIRMS, last=LAST))
    good = _scores(con)
    (entry,) = _entries()
    doc = json.loads(entry.read_text())
    doc["key"]["year"] = 2021  # as if another query had been stored under this name
    doc["sql"] = "SELECT 1 AS nonsense"
    entry.write_text(json.dumps(doc))
    assert _recompiles(con)
    assert _scores(con).equals(good)
    entry.write_text("{ not json")
    assert _recompiles(con)
    assert _scores(con).equals(good)


def test_nothing_is_kept_on_disk_when_the_store_is_off(monkeypatch, tmp_path):
    query_store.use_folder(None)
    monkeypatch.setenv(query_store.ENV, "off")
    con = _connect(*frames(FIRMS, last=LAST))
    _scores(con)
    assert query_store.folder() is None and _recompiles(con)
    monkeypatch.setenv(query_store.ENV, str(tmp_path / "q"))
    monkeypatch.setattr(query_store, "KEEP", 2)
    for deferral in (1, 2, 3):
        _scores(con, CITY.model_copy(update={"deferral_years": deferral}))
    assert len(list((tmp_path / "q").glob("*.json"))) == 2

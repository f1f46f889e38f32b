"""The results cache: a result being computed is computed once for all who ask meanwhile (after
a load, 32 analysts opening the overview at once ran its queries 32 times side by side); a
failed computation is not shared; a result that may lag is served from the version before
(current less than `lag` seconds ago) while it is computed again, but never to the user who
made the change."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from industry_brain.web.cache import DataCache


class Versions:
    """Stands for the warehouse: the data version `refresh` reads."""

    def __init__(self) -> None:
        self.now = 1

    def raw_sql(self, sql: str) -> Versions:
        return self

    def fetchone(self) -> tuple[int]:
        return (self.now,)


def _cache(lag: float = 30) -> DataCache:
    return DataCache(con=Versions(), size=8, recheck=0, lag=lag)  # type: ignore[arg-type]


def _value(found: tuple[int, bool]) -> int:
    value, lagging = found
    assert not lagging
    return value


def test_a_result_asked_for_by_many_at_once_is_computed_once():
    cache, calls, go = _cache(), [], threading.Event()

    def compute() -> int:
        calls.append(1)
        go.wait(10)
        return 42

    with ThreadPoolExecutor(8) as pool:
        asked = [pool.submit(cache.get, "overview", compute) for _ in range(8)]
        time.sleep(0.2)  # all eight are asking while the first computes
        go.set()
        assert [_value(f.result(10)) for f in asked] == [42] * 8
    assert len(calls) == 1
    assert _value(cache.get("overview", lambda: 0)) == 42  # and kept


def test_when_the_computation_fails_the_waiting_ask_again():
    cache, calls, go = _cache(), [], threading.Event()

    def compute() -> int:
        calls.append(1)
        if len(calls) == 1:
            go.wait(10)
            raise RuntimeError("the database went away")
        return 7

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(cache.get, "region", compute)
        time.sleep(0.1)
        second = pool.submit(cache.get, "region", compute)
        time.sleep(0.1)
        go.set()
        with pytest.raises(RuntimeError):
            first.result(10)
        assert _value(second.result(10)) == 7
    assert len(calls) == 2 and not cache.pending


def test_different_results_are_computed_side_by_side():
    cache, both = _cache(), threading.Barrier(2, timeout=5)

    def compute(value: int):
        def run() -> int:
            both.wait()  # blocks for good if the two were serialised
            return value

        return run

    with ThreadPoolExecutor(2) as pool:
        a = pool.submit(cache.get, "a", compute(1))
        b = pool.submit(cache.get, "b", compute(2))
        assert (_value(a.result(10)), _value(b.result(10))) == (1, 2)


def test_a_result_that_may_lag_is_served_from_the_version_before_while_it_is_recomputed():
    cache, go = _cache(), threading.Event()
    first = cache.refresh()
    assert cache.get("overview", lambda: "old", first, lag=True) == ("old", False)  # none yet
    cache.con.now = 2  # type: ignore[union-attr]  # a load changed the data
    second = cache.refresh()

    def slow() -> str:
        go.wait(10)
        return "new"

    assert cache.get("overview", slow, second, lag=True) == ("old", True)  # at once
    assert cache.get("overview", slow, second, lag=True) == ("old", True)  # computed once
    threading.Timer(0.1, go.set).start()
    # who may not lag waits for the computation under way, then everyone has the new result
    assert cache.get("overview", lambda: "twice", second, lag=False) == ("new", False)
    assert cache.get("overview", lambda: "again", second, lag=True) == ("new", False)


def test_a_result_not_marked_as_lagging_is_recomputed_at_once():
    cache = _cache()
    cache.get("scope", lambda: "old", cache.refresh())
    cache.con.now = 2  # type: ignore[union-attr]
    assert cache.get("scope", lambda: "new", cache.refresh(), lag=False) == ("new", False)


def test_the_user_who_made_the_change_reads_fresh_results():
    cache = _cache()
    cache.get("overview", lambda: "old", cache.refresh(), lag=True)
    cache.con.now = 2  # type: ignore[union-attr]
    cache.invalidate(by="analyst")
    version = cache.refresh()
    assert not cache.may_lag_for("analyst") and cache.may_lag_for("someone else")
    assert cache.get("overview", lambda: "new", version, lag=False) == ("new", False)


def test_a_result_older_than_the_lag_is_not_served():
    cache = _cache(lag=0.2)
    cache.get("overview", lambda: "old", cache.refresh(), lag=True)
    cache.con.now = 2  # type: ignore[union-attr]
    version = cache.refresh()
    time.sleep(0.3)  # the old result was current more than `lag` ago
    assert cache.get("overview", lambda: "new", version, lag=True) == ("new", False)


def test_a_failed_background_computation_is_met_by_the_next_request():
    cache, failed = _cache(), threading.Event()
    cache.get("overview", lambda: "old", cache.refresh(), lag=True)
    cache.con.now = 2  # type: ignore[union-attr]
    version = cache.refresh()

    def broken() -> str:
        failed.set()
        raise RuntimeError("the database went away")

    assert cache.get("overview", broken, version, lag=True) == ("old", True)
    assert failed.wait(5)
    cache.background.submit(lambda: None).result(5)  # the refresh thread has finished
    with pytest.raises(RuntimeError):
        cache.get("overview", broken, version, lag=True)  # said to the next request


def test_a_change_made_by_no_one_in_particular_shows_to_everyone_at_once():
    cache = _cache()
    cache.get("overview", lambda: "old", cache.refresh(), lag=True)
    cache.con.now = 2  # type: ignore[union-attr]
    cache.invalidate()
    assert cache.get("overview", lambda: "new", cache.refresh(), lag=True) == ("new", False)


def test_read_serves_a_marked_query_lagging_to_others_and_fresh_to_the_author():
    from types import SimpleNamespace

    from industry_brain.web.cache import may_lag, read

    data = {"figure": 1}

    @may_lag
    def figure(con: object) -> int:
        return data["figure"]

    def scope(con: object) -> int:
        return data["figure"]

    cache = _cache()
    app = SimpleNamespace(state=SimpleNamespace(cache=cache, con=None))

    def request(user: str) -> SimpleNamespace:
        session = SimpleNamespace(username=user)
        return SimpleNamespace(app=app, state=SimpleNamespace(session=session))

    assert read(request("a"), figure) == read(request("a"), scope) == 1
    data["figure"], cache.con.now = 2, 2  # type: ignore[union-attr]  # a load by "author"
    cache.invalidate(by="author")
    other = request("other")
    assert read(other, figure) == 1 and other.state.lagging  # said on the page
    assert read(request("other"), scope) == 2  # not marked: never lags
    mine = request("author")
    assert read(mine, figure) == 2 and not hasattr(mine.state, "lagging")

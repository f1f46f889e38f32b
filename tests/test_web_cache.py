"""The results cache: a result being computed is computed once for all who ask meanwhile (after
a load, 32 analysts opening the overview at once ran its queries 32 times side by side); a
failed computation is not shared."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from industry_brain.web.cache import DataCache


def _cache() -> DataCache:
    return DataCache(con=None, size=8)  # type: ignore[arg-type]  # get() reads no database


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
        assert [f.result(10) for f in asked] == [42] * 8
    assert len(calls) == 1
    assert cache.get("overview", lambda: 0) == 42  # and kept


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
        assert second.result(10) == 7
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
        assert (a.result(10), b.result(10)) == (1, 2)

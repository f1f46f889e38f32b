"""Results cached until the data changes. Each result is kept with the warehouse's data version
it was computed at (newest batch, entered figure, run, user and audit entry, and what each
engine watches: the 亩均 engine its corrections), read with one cheap query at most every half
second, and at once after a change made through the app; so a change made by another process
(the CLI) shows within half a second. Bounded: the least recently used entries are dropped.

A result being computed is computed once: requests asking for it meanwhile wait for it (after
a change, 32 analysts opening the overview at once run its queries once, not 32 times side by
side).

Results that may lag (queries marked `@may_lag`: figures and lists shown, never a user's scope
or a run's state) are served from an earlier version that was current less than `lag` seconds
ago while a background thread computes them for the new one: while large files are loaded one
after another, the pages keep answering at once instead of all recomputing after each load.
The user who made the change reads fresh results (their own change shows at once), and a page
that showed a lagging result says so (`request.state.lagging`)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from industry_brain.engines import registry
from industry_brain.warehouse.warehouse import Warehouse

if TYPE_CHECKING:
    from industry_brain.web.threads import ThreadCon

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
WATCHED = (
    "(SELECT max(batch_id) FROM batch)",
    "(SELECT count(*) FROM batch WHERE status <> 'active')",
    "(SELECT max(entry_id) FROM indicator_value)",
    "(SELECT max(run_id) FROM run)",
    "(SELECT count(*) FROM app_user)",
    "(SELECT max(created_at) FROM app_user)",
    "(SELECT max(entry_id) FROM audit_log)",
)


def version_sql() -> str:
    """One query giving the data version: the platform's tables, then each engine's."""
    parts = [*WATCHED, *(w for e in registry().values() for w in e.watches)]
    return "SELECT " + ", ".join(parts)


def may_lag(query: F) -> F:
    """Mark a query whose result may be served from the data version before, for a few
    seconds after a change, while it is computed again in the background."""
    query.may_lag = True  # type: ignore[attr-defined]
    return query


class DataCache:
    def __init__(
        self, con: Warehouse | ThreadCon, size: int = 1024, recheck: float = 0.5, lag: float = 30
    ) -> None:
        self.con, self.size, self.recheck, self.lag = con, size, recheck, lag
        self.checked = -1e9
        self.superseded: dict[Any, float] = {}  # recent earlier version → when it was replaced
        self.entries: OrderedDict[Hashable, tuple[Any, Any]] = (
            OrderedDict()
        )  # key → (version, value)
        self.pending: dict[Hashable, threading.Event] = {}  # results being computed
        self.fresh_for: dict[str, float] = {}  # user → until when they read fresh results
        self.version: tuple[Any, ...] | None = None
        self.lock = threading.Lock()
        self.sql = version_sql()
        self.background = ThreadPoolExecutor(1, thread_name_prefix="cache-refresh")

    def invalidate(self, by: str | None = None) -> None:
        """After a change made through the app by user `by`: the next request reads the
        version again, and `by` reads fresh results for the next `lag` seconds; without `by`,
        everyone does (no result of an earlier version is served)."""
        with self.lock:
            self.checked = -1e9
            if by is None:
                self.superseded = {}
                self.version = None  # whatever is read next is a new version, none lags
            else:
                self.fresh_for[by] = time.monotonic() + self.lag

    def refresh(self) -> tuple[Any, ...] | None:
        """Read the data version (at most every `recheck` seconds)."""
        now = time.monotonic()
        if now - self.checked < self.recheck:
            return self.version
        self.checked = now
        raw = getattr(self.con, "con", None)  # DuckDB: skip Ibis for this one tiny query
        cursor = raw.execute(self.sql) if raw is not None else self.con.raw_sql(self.sql)
        found = tuple(cursor.fetchone())
        with self.lock:
            if found != self.version:
                recent = {v: t for v, t in self.superseded.items() if now - t < self.lag}
                self.superseded = recent | {self.version: now}
                self.version = found
                self.fresh_for = {u: t for u, t in self.fresh_for.items() if t > now}
        return found

    def may_lag_for(self, user: str | None) -> bool:
        """Whether `user` may be served a lagging result (not just after a change of theirs)."""
        return self.fresh_for.get(user or "", 0) < time.monotonic()

    def _recent(self, version: Any) -> bool:
        """Whether `version` was current less than `lag` seconds ago."""
        replaced = self.superseded.get(version)
        return replaced is not None and time.monotonic() - replaced < self.lag

    def get(
        self, key: Hashable, compute: Callable[[], T], version: Any = None, lag: bool = False
    ) -> tuple[T, bool]:
        """The result at `version` and False; with `lag`, the result at an earlier version that
        was current less than `lag` seconds ago and True, while it is computed again in the
        background; else compute() once: a request
        asking while another computes it waits for that (and computes it itself when that
        one failed)."""
        while True:
            with self.lock:
                found = self.entries.get(key)
                if found is not None and found[0] == version:
                    self.entries.move_to_end(key)
                    return found[1], False
                running = self.pending.get(key)
                if found is not None and lag and self._recent(found[0]):
                    if running is None:
                        self.pending[key] = threading.Event()
                        self.background.submit(self._fill, key, compute, version, True)
                    return found[1], True
                if running is None:
                    self.pending[key] = threading.Event()
                    break
            running.wait()
        return self._fill(key, compute, version), False

    def _fill(
        self, key: Hashable, compute: Callable[[], T], version: Any, quiet: bool = False
    ) -> T:
        """compute(), kept at `version`; waiters are released however it ends."""
        try:
            value = compute()
        except BaseException:
            with self.lock:
                self.pending.pop(key).set()
            if quiet:  # a background refresh: the next request computes it and sees the error
                with self.lock:
                    self.entries.pop(key, None)
                return None  # type: ignore[return-value]
            raise
        with self.lock:
            kept = self.entries.get(key)
            if kept is None or kept[0] != self.version or version == self.version:
                self.entries[key] = (version, value)  # never over a result of the newest
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
            self.pending.pop(key).set()
        return value


def read(request: Any, query: Callable[..., T], *args: Hashable) -> T:
    """query(con, *args), cached per data version (arguments must be hashable). The version is
    read once per request, at its first cached lookup; a `@may_lag` query may give the result
    of the version before (and the request notes that it did)."""
    state = request.app.state
    if getattr(request.state, "data_version", None) is None:
        request.state.data_version = state.cache.refresh()
    session = getattr(request.state, "session", None)
    lag = getattr(query, "may_lag", False) and state.cache.may_lag_for(
        getattr(session, "username", None)
    )
    key = (query.__module__, query.__name__, args)
    value, lagging = state.cache.get(
        key, lambda: query(state.con, *args), request.state.data_version, lag
    )
    if lagging:
        request.state.lagging = True
    return value

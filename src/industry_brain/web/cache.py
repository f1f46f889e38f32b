"""Results cached until the data changes: the key includes the warehouse's data version
(newest batch, entered figure, run, user and audit entry, and what each engine watches: the
亩均 engine its corrections), read with one cheap query at
most every half second, and at once after a change made through the app; so a change made by
another process (the CLI) shows within half a second. Bounded: the least recently used entries
are dropped. A result being computed is computed once: requests asking for it meanwhile wait for
it (after a change, 32 analysts opening the overview at once run its queries once, not 32 times
side by side)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

from industry_brain.engines import registry
from industry_brain.warehouse.warehouse import Warehouse

if TYPE_CHECKING:
    from industry_brain.web.threads import ThreadCon

T = TypeVar("T")
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


class DataCache:
    def __init__(self, con: Warehouse | ThreadCon, size: int = 1024, recheck: float = 0.5) -> None:
        self.con, self.size, self.recheck = con, size, recheck
        self.checked = -1e9
        self.entries: OrderedDict[Hashable, Any] = OrderedDict()
        self.pending: dict[Hashable, threading.Event] = {}  # results being computed
        self.version: tuple[Any, ...] | None = None
        self.lock = threading.Lock()
        self.sql = version_sql()

    def invalidate(self) -> None:
        """After a change made through the app: the next request reads the version again."""
        with self.lock:
            self.checked = -1e9

    def refresh(self) -> tuple[Any, ...] | None:
        """Read the data version (at most every `recheck` seconds); a new one empties the cache."""
        now = time.monotonic()
        if now - self.checked < self.recheck:
            return self.version
        self.checked = now
        raw = getattr(self.con, "con", None)  # DuckDB: skip Ibis for this one tiny query
        cursor = raw.execute(self.sql) if raw is not None else self.con.raw_sql(self.sql)
        found = tuple(cursor.fetchone())
        with self.lock:
            if found != self.version:
                self.entries.clear()
                self.version = found
        return found

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached result, else compute() once: a request asking while another computes it
        waits for that (and computes it itself when that one failed)."""
        while True:
            with self.lock:
                if key in self.entries:
                    self.entries.move_to_end(key)
                    return self.entries[key]
                running = self.pending.get(key)
                if running is None:
                    self.pending[key] = threading.Event()
                    break
            running.wait()
        try:
            value = compute()
        except BaseException:
            with self.lock:
                self.pending.pop(key).set()
            raise
        with self.lock:
            self.entries[key] = value
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
            self.pending.pop(key).set()
        return value


def read(request: Any, query: Callable[..., T], *args: Hashable) -> T:
    """query(con, *args), cached per data version (arguments must be hashable). The version is
    read once per request, at its first cached lookup."""
    state = request.app.state
    if getattr(request.state, "data_version", None) is None:
        request.state.data_version = state.cache.refresh()
    key = (request.state.data_version, query.__module__, query.__name__, args)
    return state.cache.get(key, lambda: query(state.con, *args))

"""Results cached until the data changes: the key includes the warehouse's data version
(newest batch, entered figure, run, appeal, user and audit entry), read with one cheap query at
most every half second, so a change shows on the next requests. Bounded: the least recently
used entries are dropped."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")
VERSION_SQL = """SELECT (SELECT max(batch_id) FROM batch), (SELECT count(*) FROM batch
    WHERE status <> 'active'), (SELECT max(entry_id) FROM indicator_value),
    (SELECT max(run_id) FROM run), (SELECT max(override_id) FROM permu_override),
    (SELECT count(*) FROM app_user), (SELECT max(created_at) FROM app_user),
    (SELECT max(entry_id) FROM audit_log)"""


class DataCache:
    def __init__(self, con: Any, size: int = 1024, recheck: float = 0.5) -> None:
        self.con, self.size, self.recheck = con, size, recheck
        self.entries: OrderedDict[Hashable, Any] = OrderedDict()
        self.version: tuple[Any, ...] | None = None
        self.checked = 0.0
        self.lock = threading.Lock()

    def data_version(self) -> tuple[Any, ...]:
        now = time.monotonic()
        if self.version is None or now - self.checked > self.recheck:
            row = self.con.raw_sql(VERSION_SQL).fetchone()
            found = tuple(row)
            if found != self.version:
                self.entries.clear()
                self.version = found
            self.checked = now
        return self.version

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self.lock:
            self.data_version()
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        value = compute()
        with self.lock:
            self.entries[key] = value
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return value


def read(request: Any, query: Callable[..., T], *args: Hashable) -> T:
    """query(con, *args), cached per data version (arguments must be hashable)."""
    state = request.app.state
    return state.cache.get(
        (query.__module__, query.__name__, args), lambda: query(state.con, *args)
    )

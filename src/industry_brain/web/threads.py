"""A warehouse connection per thread: `app.state.con` is, in each thread that asks, an Ibis
backend on a DuckDB cursor of that thread's own (a cursor is safe in its own thread, the shared
connection is not). Route handlers run in FastAPI's thread pool, jobs in the runner's threads
and the event loop in its own: none shares a connection with another.

Other backends (Postgres) are thread-safe per backend object and are returned as they are."""

from __future__ import annotations

import threading
from typing import Any

import ibis
from starlette.datastructures import State


class AppState(State):
    """The app's state with `con` resolved per thread from the workspace's connection."""

    @property
    def con(self) -> Any:
        base = self._state["base_con"]
        if getattr(base, "name", None) != "duckdb":
            return base
        local: threading.local = self._state["con_of_thread"]
        found = getattr(local, "con", None)
        if found is None:
            found = local.con = ibis.duckdb.from_connection(base.con.cursor())
        return found

    def use(self, con: Any) -> None:
        """Serve this backend (one cursor of it per thread)."""
        self._state |= {"base_con": con, "con_of_thread": threading.local()}


class ThreadCon:
    """Stands for the connection of the calling thread (`DataCache` keeps one connection)."""

    def __init__(self, state: AppState) -> None:
        self._state = state

    @property
    def con(self) -> Any:
        return getattr(self._state.con, "con", None)

    def raw_sql(self, sql: str) -> Any:
        return self._state.con.raw_sql(sql)


def writer(request: Any) -> threading.Lock:
    """The app's one writer lock (the job runner's): a change made by a request waits for a
    load, a run or a publication to finish, so their transactions never conflict (the audit
    log's chain is appended to by one writer at a time)."""
    lock: threading.Lock = request.app.state.jobs.writer
    return lock

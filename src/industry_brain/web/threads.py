"""A warehouse connection per thread: `app.state.con` is, in each thread that asks, an Ibis
backend on a DuckDB cursor of that thread's own (a cursor is safe in its own thread, the shared
connection is not). Route handlers run in FastAPI's thread pool, jobs in the runner's threads
and the event loop in its own: none shares a connection with another.

On PostgreSQL each thread gets a connection of its own, so that a job's transaction never
takes in statements of a request served meanwhile."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import ibis
from starlette.datastructures import State

from industry_brain.warehouse.warehouse import Warehouse


class AppState(State):
    """The app's state with `con` resolved per thread from the workspace's connection."""

    @property
    def con(self) -> Warehouse:
        base: Warehouse = self._state["base_con"]
        local: threading.local = self._state["con_of_thread"]
        found: Warehouse | None = getattr(local, "con", None)
        if found is None:
            if base.dialect == "duckdb":  # a cursor of the one database file
                found = Warehouse(ibis.duckdb.from_connection(base.con.cursor()), base.read_only)
            else:  # a connection of its own: transactions of threads never mix
                found = self._state["opener"]()
            local.con = found
        return found

    def use(self, con: Warehouse, opener: Callable[[], Warehouse] | None = None) -> None:
        """Serve this warehouse: a cursor of it (DuckDB) or a connection made by `opener`
        (PostgreSQL) per thread."""
        self._state |= {"base_con": con, "con_of_thread": threading.local()}
        self._state["opener"] = opener or (lambda: con)


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

"""Warming at server start: the packaged specs' queries compiled (or read from disk) in a
background thread, so that the first what-if or run of a served workspace finds them in memory.

Only compiling happens in the thread: it reads no rows and touches no connection (the input
tables' schemas are read before it starts, on the caller's thread).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from industry_brain.engines.permu import engine
from industry_brain.engines.permu.spec import load_method, packaged_methods
from industry_brain.warehouse.warehouse import Warehouse

YEARS = 3  # the most recent years warmed: those of stored runs and of the newest data
log = logging.getLogger(__name__)


def years_to_warm(con: Warehouse) -> list[int]:
    """The years a what-if or a run is likely to ask for: those of stored 亩均 runs and the
    newest year of data, most recent first."""
    raw = getattr(con, "con", None)
    sql = """SELECT DISTINCT year FROM (SELECT year FROM run WHERE engine = 'permu'
        UNION SELECT max(year) FROM enterprise_year) WHERE year IS NOT NULL ORDER BY year DESC"""
    rows = raw.execute(sql).fetchall() if raw is not None else con.raw_sql(sql).fetchall()
    return [int(y) for (y,) in rows][:YEARS]


def start(con: Warehouse) -> threading.Thread | None:
    """Compile every packaged spec for `years_to_warm` in a daemon thread (None when the
    workspace is not on DuckDB, or has no data yet)."""
    if getattr(con, "name", None) != "duckdb":
        return None
    try:
        years = years_to_warm(con)
        ey, ent = con.table("enterprise_year"), con.table("enterprise")
    except Exception:  # a workspace without its tables yet: nothing to warm
        log.debug("nothing to warm", exc_info=True)
        return None
    if not years:
        return None
    thread = threading.Thread(
        target=_warm, args=(con, ey, ent, years), name="permu-warm", daemon=True
    )
    thread.start()
    return thread


def _warm(con: Warehouse, ey: Any, ent: Any, years: list[int]) -> None:
    for name in packaged_methods():
        for year in years:
            try:
                engine.compiled(con, ey, ent, load_method(name), year)
            except Exception:  # warming is a favour: a failure shows at the real evaluation
                log.warning("could not warm %s %s", name, year, exc_info=True)

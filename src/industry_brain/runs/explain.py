"""An enterprise's result item by item, from the latest stored run of an engine for a year.

Shared by `industry-brain explain` and the web's enterprise page and API; the engine explains,
with the spec read back from the run.
"""

from __future__ import annotations

from typing import Any

from industry_brain.engines import engine as engine_named
from industry_brain.runs.spec_store import stored_spec
from industry_brain.warehouse import fetch
from industry_brain.warehouse.warehouse import Warehouse


def latest_run(con: Warehouse, engine: str, uscc: str, year: int, spec: str | None) -> int | None:
    """The newest run of `engine` for `year` (of spec `spec`) with a result for `uscc`."""
    table = engine_named(engine).results[0].name
    sql = (
        f"SELECT max(s.run_id) AS run_id FROM {table} s JOIN run r USING (run_id) "
        "WHERE s.uscc = ? AND r.engine = ? AND r.year = ? "
        "AND (CAST(? AS VARCHAR) IS NULL OR r.spec_name = ?)"
    )
    found = fetch(con, sql, [uscc, engine, year, spec, spec])[0]["run_id"]
    return None if found is None else int(found)


def explanation(
    con: Warehouse, uscc: str, year: int, spec: str | None = None, engine: str = "permu"
) -> dict[str, Any] | None:
    """The stored result and its items (value, benchmark, weight, score), heaviest item first."""
    run_id = latest_run(con, engine, uscc, year, spec)
    if run_id is None:
        return None
    return engine_named(engine).explain(con, run_id, stored_spec(con, run_id), uscc)

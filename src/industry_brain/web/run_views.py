"""What the run page shows of a run of an engine other than 亩均: plan monitoring's table by
category with its roll-up, a chains run's chains (linked to their pages, web/chains.py), or —
for an engine the web has no view for — its first result table as stored. The workflow, the
batches and the publications are the same for every engine."""

from __future__ import annotations

from typing import Any

from industry_brain.engines import engine
from industry_brain.engines.progress.monitor import rollup_rows
from industry_brain.reports.publish import publications
from industry_brain.runs.spec_store import stored_spec
from industry_brain.warehouse import fetch
from industry_brain.warehouse.warehouse import Warehouse

SHOWN = 500  # rows of a result table shown on the page (the publication has them all)


def progress_view(con: Warehouse, run_id: int) -> dict[str, Any]:
    rows = fetch(con, "SELECT * FROM progress_status WHERE run_id = ? ORDER BY seq", [run_id])
    notes = fetch(con, "SELECT note FROM progress_note WHERE run_id = ? ORDER BY seq", [run_id])
    stage = rows[0]["stage"] if rows else "monitoring"
    return {
        "kind": "progress",
        "rows": rows,
        "stage": stage,
        "rollup": rollup_rows(rows, stage),
        "notes": [n["note"] for n in notes],
    }


def table_view(con: Warehouse, run_id: int, name: str) -> dict[str, Any]:
    sql = f"SELECT * FROM {name} WHERE run_id = ? LIMIT {SHOWN + 1}"  # a declared table name
    rows = fetch(con, sql, [run_id])
    columns = [c for c in (rows[0] if rows else {}) if c != "run_id"]
    return {"kind": "table", "columns": columns, "rows": rows[:SHOWN], "more": len(rows) > SHOWN}


def chains_view(con: Warehouse, run_id: int) -> dict[str, Any]:
    """A chains run: its chains with their figures and flags by kind (the pages: /chains)."""
    from industry_brain.web.chain_queries import KINDS, chain_cards

    sql = "SELECT kind, count(*) AS n FROM chain_flag WHERE run_id = ? GROUP BY kind"
    counts = {r["kind"]: r["n"] for r in fetch(con, sql, [run_id])}
    flags = [(label, counts.get(kind, 0)) for kind, label in KINDS.items()]
    return {"kind": "chains", "chains": chain_cards(con, run_id), "flags": flags}


VIEWS = {"progress": progress_view, "chains": chains_view}


def engine_run(con: Warehouse, run_id: int) -> dict[str, Any]:
    """The page's context for a stored run of a non-亩均 engine."""
    [run] = fetch(con, "SELECT engine FROM run WHERE run_id = ?", [run_id])
    found = engine(run["engine"])
    view = VIEWS.get(found.name)
    shown = view(con, run_id) if view else table_view(con, run_id, found.results[0].name)
    title = stored_spec(con, run_id).title  # the spec's name for people, not its file name
    return {"engine_title": found.title, "spec_title": title, "view": shown} | {
        "files": publications(con, run_id)
    }


def common(request: Any, run: dict[str, Any]) -> dict[str, Any]:
    """What every run page shows whatever the engine: the workflow (states, history, state),
    whether the data changed since, and the batches it rests on; cached per data version."""
    from industry_brain.runs.store import changed_since
    from industry_brain.runs.workflow import STATES
    from industry_brain.web import records
    from industry_brain.web.cache import read

    history = read(request, records.run_states, run["run_id"])
    return {
        "run": run,
        "states": STATES,
        "history": history,
        "state": history[-1]["state"] if history else "draft",
        "stale": read(request, changed_since, run["run_id"]),
        "batches": read(request, records.run_batches, run["run_id"]),
    }


def page_context(request: Any, run: dict[str, Any]) -> dict[str, Any]:
    """Everything run_engine.html needs."""
    from industry_brain.engines.progress.method import STATUS_LABELS
    from industry_brain.web.cache import read

    found = read(request, engine_run, run["run_id"])
    return found | common(request, run) | {"status_labels": STATUS_LABELS}

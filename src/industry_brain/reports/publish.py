"""One way to publish a run, for the CLI and the web alike: the workflow's `publish` move, then
each of the engine's publications written under `<workspace>/reports/published/` and recorded
(one `publication` row per file, with its sha256). The same run gives the same bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import polars as pl

from industry_brain.runs.store import StoredRun, load_run
from industry_brain.runs.workflow import Actor, move
from industry_brain.warehouse import fetch, transaction
from industry_brain.warehouse.audit import now
from industry_brain.warehouse.warehouse import Warehouse

FOLDER = Path("reports") / "published"


def write(con: Warehouse, root: Path, run: StoredRun, actor: str) -> list[dict[str, Any]]:
    """Write and record every publication of `run` (again: the same bytes, a new record)."""
    out = []
    for pub in run.engine.publishes:
        relative = FOLDER / pub.file_name(run)
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        pub.write(con, run, path)
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        out.append(
            {"run_id": run.run_id, "name": pub.name, "title": pub.title,
             "path": relative.as_posix(), "sha256": sha, "created_at": now(),
             "created_by": actor}
        )  # fmt: skip
    with transaction(con):
        first = int(con.table("publication").publication_id.max().to_pyarrow().as_py() or 0) + 1
        rows = [{"publication_id": first + n} | r for n, r in enumerate(out)]
        if rows:
            con.insert("publication", pl.DataFrame(rows))
    return rows


def publish(con: Warehouse, root: Path, run_id: int, actor: Actor) -> list[dict[str, Any]]:
    """Publish an approved run (the workflow checks who and when) and write its files."""
    move(con, run_id, "publish", actor)
    return write(con, root, load_run(con, run_id), actor.username)


def publications(con: Warehouse, run_id: int) -> list[dict[str, Any]]:
    """The newest file of each of a run's publications."""
    sql = (
        "SELECT * FROM publication WHERE publication_id IN (SELECT max(publication_id) "
        "FROM publication WHERE run_id = ? GROUP BY name) ORDER BY name"
    )
    return fetch(con, sql, [int(run_id)])


def published_file(con: Warehouse, root: Path, run_id: int, name: str) -> Path | None:
    found = [p for p in publications(con, run_id) if p["name"] == name]
    return root / found[0]["path"] if found else None

"""What validation looks up in the warehouse, as a read-only snapshot a worker process reads.

The web app holds the DuckDB file and no other process may open it, so before a worker
process checks an upload the parent copies the lookups to Parquet files (DuckDB's COPY: a few
milliseconds for a city's register; on PostgreSQL this process writes the rows) and passes
their folder and the parks by name. The worker
reads a file only when a check asks for it, and only the columns it asks for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from industry_brain.ingest.lookups import WarehouseLookups
from industry_brain.ingest.mappings import all_mappings
from industry_brain.warehouse.warehouse import Warehouse

ENTERPRISES = """SELECT uscc, name, region_code, industry_code,
    CAST(register_batch_id AS BIGINT) AS register_batch_id
    FROM enterprise WHERE register_batch_id IS NOT NULL"""


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _frames(con: Warehouse) -> dict[str, pl.DataFrame]:
    """The snapshot's tables read into this process (PostgreSQL's COPY would write its files
    on the database server)."""
    t = con.table("enterprise")
    registered = t.filter(t.register_batch_id.notnull()).select(
        "uscc", "name", "region_code", "industry_code",
        register_batch_id=t.register_batch_id.cast("int64"),
    )  # fmt: skip
    return {
        "enterprise": registered.to_polars(),
        "enterprise_year": con.table("enterprise_year").to_polars(),
    }


def take(ws: Any, folder: Path) -> dict[str, Any]:
    """Write the snapshot into `folder` with the workspace's connection (a cursor of the
    caller's thread); what the worker needs besides: parks, saved header mappings."""
    folder.mkdir(parents=True, exist_ok=True)
    if ws.con.dialect == "duckdb":  # DuckDB writes the files itself
        raw = ws.con.con
        raw.execute(f"COPY ({ENTERPRISES}) TO {_quoted(folder / 'enterprise.parquet')}")
        raw.execute(f"COPY enterprise_year TO {_quoted(folder / 'enterprise_year.parquet')}")
    else:
        for name, frame in _frames(ws.con).items():
            frame.write_parquet(folder / f"{name}.parquet")
    saved: dict[str, dict[str, list[str]]] = {}
    for m in all_mappings(ws.con):
        saved.setdefault(m["source"], {}).setdefault(m["field"], []).append(m["header"])
    parks = WarehouseLookups(ws.con, ws.parks()).parks()
    return {"folder": str(folder), "parks": parks, "saved": saved}


class SnapshotLookups:
    """`ingest.context.Lookups` read from a snapshot's files."""

    def __init__(self, folder: Path, parks: dict[str, str]) -> None:
        self.folder, self._parks = folder, parks
        self._enterprises: pl.DataFrame | None = None

    def parks(self) -> dict[str, str]:
        return dict(self._parks)

    def enterprises(self) -> pl.DataFrame:
        if self._enterprises is None:
            self._enterprises = pl.read_parquet(self.folder / "enterprise.parquet")
        return self._enterprises

    def enterprise_years(self, columns: list[str]) -> pl.DataFrame:
        return pl.read_parquet(
            self.folder / "enterprise_year.parquet", columns=["uscc", "year", *columns]
        )

"""A workspace: one directory with the warehouse, the archive of raw files and the config."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
import yaml

from industry_brain.settings import load_settings

if TYPE_CHECKING:
    from industry_brain.warehouse import Warehouse


class Workspace:
    def __init__(self, path: Path | str | None = None, settings: dict[str, Any] | None = None):
        self.settings = settings or load_settings(Path(path) if path is not None else None)
        self.path = Path(self.settings["workspace"]).resolve()
        self.path.mkdir(parents=True, exist_ok=True)
        self.archive_dir = self.path / "archive"

    @property
    def database_url(self) -> str:
        return self.settings["database_url"] or f"duckdb://{self.path / 'warehouse.duckdb'}"

    @cached_property
    def con(self) -> Warehouse:
        from industry_brain.engines.permu import query_store
        from industry_brain.engines.schema import migrate_engines
        from industry_brain.warehouse import connect

        query_store.use_folder(self.query_dir)  # compiled 亩均 queries, for the next process
        con = connect(self.database_url)
        migrate_engines(con)  # each engine's own tables, after the platform's
        return con

    @property
    def query_dir(self) -> Path | str:
        """Where the 亩均 engine keeps its compiled queries (the `query_cache` setting; "off":
        nowhere)."""
        chosen = str(self.settings.get("query_cache") or "").strip()
        if chosen == "off":
            return chosen
        return Path(chosen) if chosen else self.path / "cache" / "queries"

    def opener(self) -> Warehouse:
        """A new connection to this workspace's database (schema already migrated)."""
        from industry_brain.warehouse import connect

        return connect(self.database_url, migrate_schema=False)

    def reader(self) -> Workspace:
        """The same workspace on a connection of its own, for reading from another thread
        (DuckDB: a cursor of this workspace's database; a cursor is safe in its own thread,
        the shared connection is not; PostgreSQL: a new connection). Close it when done."""
        import ibis

        from industry_brain.warehouse import Warehouse

        view = Workspace(settings=self.settings)
        if self.con.dialect == "postgres":
            view.__dict__["con"] = self.opener()
        else:
            backend = ibis.duckdb.from_connection(self.con.con.cursor())
            view.__dict__["con"] = Warehouse(backend)
        return view

    @property
    def parks_file(self) -> Path:
        return self.path / "parks.yaml"

    def parks(self) -> list[dict[str, str]]:
        """Parks configured for the workspace: [{code, name, county_code}]."""
        if not self.parks_file.is_file():
            return []
        return list(yaml.safe_load(self.parks_file.read_text("utf-8")) or [])

    def sync_parks(self) -> int:
        """Add configured parks to the region table (level 'park'); returns how many were new."""
        from industry_brain.reference import Region, regions

        configured = [Region(p["code"], p["name"], "park", p["county_code"]) for p in self.parks()]
        regions().with_parks(configured)  # validates codes and parents
        region = self.con.table("region")
        known = set(region.filter(region.level == "park").code.to_pyarrow().to_pylist())
        new = [p for p in configured if p.code not in known]
        if new:
            self.con.insert(
                "region",
                pl.DataFrame(
                    [(p.code, p.name, p.level, p.parent_code) for p in new],
                    schema=["code", "name", "level", "parent_code"],
                    orient="row",
                ),
            )
        return len(new)

    def close(self) -> None:
        if "con" in self.__dict__:
            self.con.disconnect()
            del self.__dict__["con"]

"""Compiled 亩均 queries kept on disk, so that a fresh process (a restarted server, a CLI run,
a benchmark child) reads the SQL instead of building and compiling it again (0.2 s).

An entry is a JSON file named after the sha256 of its key; it holds the key itself, the SQL and
the result schema. The key is everything the SQL depends on: the spec's sha256, the year, the
SQL dialect, the names, namespaces and column types of the input tables, the engine's code
(sha256 of engines/permu/*.py) and the versions of the libraries that write the SQL (Ibis,
sqlglot, DuckDB). An entry is used only when its stored key equals the key asked for: a changed
spec, input type, engine source or library version finds no entry and compiles anew; an
unreadable entry is ignored. Writes are atomic (a temporary file renamed over the entry).

Where: `use_folder` (a workspace sets its `query_cache` setting when it connects, by default
`<workspace>/cache/queries`), else the folder named by $INDUSTRY_BRAIN_QUERY_CACHE, else
`$XDG_CACHE_HOME/industry-brain/queries` (default `~/.cache/industry-brain/queries`); "off" in
either place keeps nothing on disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

ENV = "INDUSTRY_BRAIN_QUERY_CACHE"
KEEP = 256  # entries kept in a folder (the oldest are removed beyond)
LIBRARIES = ("ibis-framework", "sqlglot", "duckdb")

OFF = "off"

_folder: Path | str | None = None


@cache
def code_version() -> str:
    """sha256 of the engine's source (engines/permu/*.py) and of the SQL-writing libraries'
    versions: what the compiled SQL depends on besides the spec and the inputs."""
    h = hashlib.sha256()
    for f in sorted(Path(__file__).parent.glob("*.py")):
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    for lib in LIBRARIES:
        h.update(f"{lib}=={_version(lib)}\0".encode())
    return h.hexdigest()


def _version(lib: str) -> str:
    try:
        return metadata.version(lib)
    except metadata.PackageNotFoundError:
        return "-"


def use_folder(folder: Path | str | None) -> None:
    """Keep entries in `folder` ("off": nowhere; None: back to $INDUSTRY_BRAIN_QUERY_CACHE or
    the user's cache)."""
    global _folder
    _folder = folder


def folder() -> Path | None:
    """Where entries are kept now; None when nothing is kept on disk."""
    chosen = _folder if _folder is not None else os.environ.get(ENV, "").strip()
    if chosen == OFF:
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "industry-brain" / "queries"


def _path(where: Path, key: dict[str, Any]) -> Path:
    text = json.dumps(key, sort_keys=True, ensure_ascii=False)
    return where / (hashlib.sha256(text.encode()).hexdigest()[:40] + ".json")


def load(key: dict[str, Any]) -> tuple[str, list[tuple[str, str]]] | None:
    """The stored SQL and schema ([(column, type)]) for exactly this key, else None."""
    where = folder()
    if where is None:
        return None
    try:
        doc = json.loads(_path(where, key).read_text(encoding="utf-8"))
        if doc["key"] != key:
            return None
        return str(doc["sql"]), [(str(c), str(t)) for c, t in doc["schema"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent, unreadable or not ours: compile again


def save(key: dict[str, Any], sql: str, schema: list[tuple[str, str]]) -> None:
    """Store an entry; a folder that cannot be written only costs the next process a compile."""
    where = folder()
    if where is None:
        return
    doc = {"key": key, "sql": sql, "schema": [list(p) for p in schema]}
    try:
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(doc, out, ensure_ascii=False)
        os.replace(tmp, _path(where, key))
        _prune(where)
    except OSError:
        return


def _prune(where: Path) -> None:
    entries = sorted(where.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)

"""A run keeps its spec: the spec's text is stored with the run (`run.spec_text`) and read back
from there by the run's engine, never reloaded by name, so a run of a YAML file that has since
been moved or edited is still explained, published and appealed with the spec it used.

`run.spec_sha256` is the spec's own hash (of its validated content); the stored text must still
give it, or the run is refused.
"""

from __future__ import annotations

from typing import Any

from industry_brain.engines import engine as engine_named
from industry_brain.engines.base import Engine
from industry_brain.engines.permu.spec import MethodSpec, MethodSpecError
from industry_brain.warehouse import fetch
from industry_brain.warehouse.warehouse import Warehouse


class StoredMethodError(MethodSpecError):
    """A run's spec cannot be read back as it was used."""

    code, title, status = "run_method_changed", "评价批次保存的方法无法读回", 409


def _packaged(engine: Engine, name: str, sha256: str) -> str | None:
    """The text of packaged spec `name` when it gives `sha256`, else None."""
    if name not in engine.packaged():
        return None
    spec = engine.load_spec(name)
    return engine.spec_text(spec) if spec.sha256 == sha256 else None


def stored_spec(con: Warehouse, run_id: int) -> Any:
    """The spec run `run_id` used, read by its engine from the run's stored text and checked
    against its hash; an old run without text falls back to its packaged spec if unchanged."""
    sql = "SELECT engine, spec_name, spec_sha256, spec_text FROM run WHERE run_id = ?"
    rows = fetch(con, sql, [int(run_id)])
    if not rows:
        raise StoredMethodError(f"no run {run_id}")
    found = engine_named(rows[0]["engine"])
    name, sha256, text = rows[0]["spec_name"], rows[0]["spec_sha256"], rows[0]["spec_text"]
    if text is None:
        text = _packaged(found, name, sha256)
        if text is None:
            raise StoredMethodError(
                f"run {run_id}'s method {name!r} is not stored with the run, and no packaged "
                f"method of that name gives its hash {sha256[:12]}: it cannot be read back"
            )
    spec = found.read_spec(text, f"stored with run {run_id}")
    if spec.sha256 != sha256:
        raise StoredMethodError(
            f"run {run_id}'s stored method does not match its hash: the text gives "
            f"{spec.sha256[:12]}, the run recorded {sha256[:12]} (the stored text was changed)"
        )
    return spec


def stored_method(con: Warehouse, run_id: int) -> MethodSpec:
    """The 亩均 method spec a permu run stored."""
    spec = stored_spec(con, run_id)
    if not isinstance(spec, MethodSpec):
        raise StoredMethodError(f"run {run_id} is not a 亩均 run")
    return spec

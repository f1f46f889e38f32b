"""Saved header mappings: when a department sends a new header variant ("年末从业人数" for
年平均职工人数), an analyst maps it once and every later file with that header is read
without a code change. The mapping becomes part of the spec used (and of its sha256 recorded
on the batch), so a load stays reproducible."""

from __future__ import annotations

from typing import Any

import polars as pl

from industry_brain.errors import BrainError
from industry_brain.ingest.spec import SourceSpec, load_spec
from industry_brain.ingest.vocabulary import without_controls
from industry_brain.suggest import did_you_mean
from industry_brain.warehouse import execute, transaction
from industry_brain.warehouse.audit import now, record
from industry_brain.warehouse.warehouse import Warehouse


class MappingError(BrainError, ValueError):
    code, title, status = "mapping_refused", "表头对应未保存", 422


def saved_headers(con: Warehouse, source: str) -> dict[str, list[str]]:
    """field → extra headers saved for the source."""
    t = con.table("header_mapping")
    rows = t.filter(t.source == source).order_by("header").to_pyarrow().to_pylist()
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(r["field"], []).append(r["header"])
    return out


def all_mappings(con: Warehouse) -> list[dict[str, Any]]:
    """Every saved mapping, by source and header, with who saved it and when."""
    t = con.table("header_mapping").order_by(["source", "header"])
    return [dict(r) for r in t.to_pyarrow().to_pylist()]


def with_mappings(spec: SourceSpec, extra: dict[str, list[str]]) -> SourceSpec:
    """The spec with the saved headers added to its fields (placed before any vocabulary)."""
    if not extra:
        return spec
    fields = tuple(
        f.model_copy(update={"saved": (*f.saved, *extra.get(f.name, []))}) for f in spec.fields
    )
    return spec.model_copy(update={"fields": fields})


def spec_for(con: Warehouse, source: str) -> SourceSpec:
    return with_mappings(load_spec(source), saved_headers(con, source))


def save_mapping(con: Warehouse, source: str, header: str, field: str, by: str) -> None:
    spec = load_spec(source)
    names = [f.name for f in spec.fields]
    if field not in names:
        raise MappingError(f"{source} has no field {field!r}{did_you_mean(field, names)}")
    header = without_controls(header).strip()
    if not header:
        raise MappingError("the header is empty")
    row: dict[str, Any] = {"source": source, "header": header, "field": field, "created_by": by}
    row |= {"created_at": now()}
    with transaction(con):
        sql = "DELETE FROM header_mapping WHERE source = ? AND header = ?"
        execute(con, sql, [source, header])
        con.insert("header_mapping", pl.DataFrame([row]))
        record(con, by, "mapping.save", "header_mapping", f"{source}:{header}", None, field=field)

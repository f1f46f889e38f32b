"""The one formatting layer of the pages, workbooks and charts: numbers and times
(`industry_brain.formats`, which the engines' workbooks use too) and names for codes (`names`),
registered as Jinja filters by `register`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment

from industry_brain.formats import (
    DASH,
    FIELDS,
    Field,
    auto,
    cell,
    count,
    excel_format,
    field_label,
    field_unit,
    fig,
    minute,
    money,
    num,
    pct,
    short_hash,
    written,
    yes_no,
)
from industry_brain.web.names import (
    ParkNames,
    actor,
    appeal_status,
    audit_action,
    audit_details,
    batch_status,
    engine_title,
    eval_status,
    group_name,
    industry_name,
    method_title,
    object_label,
    object_type,
    place_name,
    region_name,
    run_state,
    source_title,
)

__all__ = [
    "DASH",
    "FIELDS",
    "Field",
    "ParkNames",
    "actor",
    "appeal_status",
    "audit_action",
    "audit_details",
    "auto",
    "batch_status",
    "cell",
    "count",
    "engine_title",
    "eval_status",
    "excel_format",
    "field_label",
    "field_unit",
    "fig",
    "group_name",
    "industry_name",
    "method_title",
    "minute",
    "money",
    "num",
    "object_label",
    "object_type",
    "pct",
    "place_name",
    "region_name",
    "register",
    "run_state",
    "short_hash",
    "source_title",
    "yes_no",
]  # fmt: skip

FILTERS: dict[str, Any] = {
    "num": num,
    "count": count,
    "auto": auto,
    "cell": cell,
    "eval_status": eval_status,
    "pct": pct,
    "money": money,
    "fig": fig,
    "field_label": field_label,
    "field_unit": field_unit,
    "minute": minute,
    "yes_no": yes_no,
    "written": written,
    "short_hash": short_hash,
    "region_name": region_name,
    "industry_name": industry_name,
    "source_title": source_title,
    "method_title": method_title,
    "engine_title": engine_title,
    "actor": actor,
    "audit_action": audit_action,
    "audit_details": audit_details,
    "run_state": run_state,
    "batch_status": batch_status,
    "appeal_status": appeal_status,
    "group_name": group_name,
    "object_type": object_type,
    "object_label": object_label,
}


def register(env: Environment, workspace: Path | None = None) -> None:
    """Every filter on `env`; `place_name` (parks by name) reads the workspace's parks.yaml."""
    parks = ParkNames(workspace / "parks.yaml") if workspace else dict
    env.filters |= FILTERS
    env.filters["place_name"] = lambda code: place_name(code, parks())
    env.globals["FIELDS"] = FIELDS
    env.globals["DASH"] = DASH

"""Plans and series for the progress tests, built field by field."""

from __future__ import annotations

from typing import Any

import yaml

from industry_brain.engines.progress.assess import Actual, Assessment, assess
from industry_brain.engines.progress.catalog import Plan, parse_plan


def row(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "x",
        "category": "质效",
        "name": "指标",
        "unit": "万元/亩",
        "baseline": 100.0,
        "baseline_year": 2020,
        "baseline_as_written": "100",
        "target_year": 2025,
        "target": "150",
        "attribute": "expected",
        "direction": "up",
        "measure": "level",
        "price_basis": "none",
        "source": {"file": "test.txt", "section": "表1", "row": 1},
    }
    return base | overrides


def plan(*rows: dict[str, Any], **overrides: Any) -> Plan:
    data = {
        "plan": "test-plan",
        "title": "测试规划",
        "issuer": "测试",
        "document": None,
        "region_code": "331000",
        "base_year": 2020,
        "target_year": 2025,
        "source": {"file": "test.txt", "section": "表1"},
        "indicators": list(rows) or [row()],
    } | overrides
    return parse_plan(yaml.safe_dump(data, allow_unicode=True))


def series(values: dict[int, float]) -> dict[int, Actual]:
    return {y: Actual(y, v, "entered", "测试") for y, v in values.items()}


def check(
    values: dict[int, float], year: int, final: bool | None = None, **fields: Any
) -> Assessment:
    """Assess a one-row plan built from `fields` against the given yearly values."""
    p = plan(row(**fields))
    return assess(p.indicators[0], p, series(values), year, final=final)

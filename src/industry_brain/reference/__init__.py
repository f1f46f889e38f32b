"""Bundled reference data: GB/T 4754-2017 industries and Zhejiang administrative divisions.

See ``docs/reference.md`` and ``data/PROVENANCE.md`` for what ships and where it came from.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from industry_brain.reference.errors import UnknownCodeError
from industry_brain.reference.industries import (
    INDUSTRIAL,
    Industry,
    IndustryTable,
    industries,
    is_industrial,
    is_manufacturing,
)
from industry_brain.reference.regions import Region, RegionTree, county_of, in_region, regions

__all__ = [
    "INDUSTRIAL",
    "Industry",
    "IndustryTable",
    "Region",
    "RegionTree",
    "UnknownCodeError",
    "county_geojson",
    "county_of",
    "in_region",
    "industries",
    "is_industrial",
    "is_manufacturing",
    "regions",
]


def county_geojson() -> dict[str, Any]:
    """Zhejiang county boundaries: a WGS84 FeatureCollection of 90 MultiPolygon features.

    Each feature has properties ``adcode`` (6-digit county code), ``name`` and
    ``city_adcode`` (6-digit city code). A fresh dict is returned on every call.
    """
    path = resources.files("industry_brain.reference") / "data" / "zhejiang_counties.geojson"
    with path.open("r", encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data

"""Build small enterprise / enterprise_year tables for engine tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ibis
import polars as pl

from industry_brain.engines.permu.engine import evaluate
from industry_brain.engines.permu.spec import MethodSpec

FIGURES = {
    "above_scale": True,
    "revenue": 20000.0,
    "output": 20000.0,
    "value_added": 5000.0,
    "tax_paid": 500.0,
    "land_mu": 20.0,
    "employees": 250.0,
    "energy_tce": 2000.0,
    "emissions_eq": 1.0,
    "rd_expense": 600.0,
    "electricity_kwh": 1e6,
}


def firm(
    serial: int, industry: str = "3525", registered: dt.date = dt.date(2010, 1, 1), **figures: Any
) -> dict[str, Any]:
    return {
        "uscc": f"91331003MA{serial:08d}",
        "industry_code": industry,
        "registered_on": registered,
        **FIGURES,
        **figures,
    }


def frames(
    firms: list[dict[str, Any]], year: int = 2022, last: list[dict[str, Any]] | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """enterprise_year and enterprise of `firms` in `year` and `last` in year − 1."""
    last = last or []
    everyone = {f["uscc"]: f for f in [*last, *firms]}
    ent = pl.DataFrame(
        [
            {
                "uscc": u,
                "name": f"企业{i}",
                "region_code": u[2:8],
                "park_code": None,
                "industry_code": f["industry_code"],
                "registered_on": f["registered_on"],
            }
            for i, (u, f) in enumerate(everyone.items())
        ],
        schema_overrides={"park_code": pl.Utf8},
    )
    cols = ["uscc", *FIGURES]
    ey = pl.DataFrame(
        [{c: f[c] for c in cols} | {"year": year} for f in firms]
        + [{c: f[c] for c in cols} | {"year": year - 1} for f in last]
    )
    ey = ey.with_columns(pl.col(c).cast(pl.Float64) for c in FIGURES if c != "above_scale")
    return ey, ent


def run(
    spec: MethodSpec,
    firms: list[dict[str, Any]],
    year: int = 2022,
    last: list[dict[str, Any]] | None = None,
) -> pl.DataFrame:
    """Evaluate `firms` in `year`; `last` are figures of year − 1 (same or other firms)."""
    con = ibis.duckdb.connect()
    ey, ent = frames(firms, year, last)
    # ibis 12's create_table fails on an in-memory DuckDB 1.5: register the Arrow tables instead.
    con.con.register("ey", ey.to_arrow())
    con.con.register("ent", ent.to_arrow())
    return evaluate(con.table("ey"), con.table("ent"), spec, year).to_polars()

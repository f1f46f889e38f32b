"""The plan-indicator formulas as one hand-written DuckDB query.

One scan of both parquet files: the city's above-scale enterprise-years with their 大类, one
row per population it belongs to, Σ per (population, year) for the city and per (population,
county, year) for the counties with GROUPING SETS, then one SELECT per formula (ratio after
aggregation) in a UNION ALL. Non-finite and NULL values are dropped, as the engine does.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from _progress_data import CITY, COLUMNS, FORMULAS, POPULATIONS

QUERY = """
WITH base AS (
  SELECT ey.year, e.region_code, ey.above_scale,
         CAST(substr(e.industry_code, 1, 2) AS INTEGER) AS division, {columns}
  FROM read_parquet('{ey}') ey JOIN read_parquet('{e}') e USING (uscc)
  WHERE e.region_code LIKE '{prefix}%'
), pop AS (
  {populations}
), sums AS (
  SELECT population, year,
         {region} AS region,
         count(*) AS n, {sums}
  FROM pop
  GROUP BY GROUPING SETS ({sets})
), results AS (
  {formulas}
)
SELECT * FROM results WHERE value IS NOT NULL AND isfinite(value) AND region IN ({regions})
ORDER BY region, formula, year
"""

POPULATION = (
    "SELECT '{name}' AS population, * FROM base "
    "WHERE above_scale = {above} AND division BETWEEN {low} AND {high}"
)
FORMULA = (
    "SELECT region, '{formula}' AS formula, CAST(year AS INTEGER) AS year, "
    "{num} / {den} * {scale!r} AS value, {num} AS numerator, "
    "CAST({den} AS DOUBLE) AS denominator, CAST(n AS BIGINT) AS n "
    "FROM sums WHERE population = '{population}'"
)


def query(enterprise: Path, enterprise_year: Path, regions: list[str]) -> str:
    counties = [r for r in regions if r != CITY]
    sets = ["(population, year)"] if CITY in regions else []
    region = f"'{CITY}'"
    if counties:
        sets.append("(population, region_code, year)")
        region = f"CASE WHEN grouping(region_code) = 1 THEN '{CITY}' ELSE region_code END"
    pops = [
        POPULATION.format(name=name, above=str(above).upper(), low=low, high=high)
        for name, (above, low, high) in POPULATIONS.items()
    ]
    formulas = [
        FORMULA.format(formula=f, population=p, num=num, den=den or "1.0", scale=scale)
        for f, (p, num, den, scale) in FORMULAS.items()
    ]
    return QUERY.format(
        ey=enterprise_year,
        e=enterprise,
        prefix=CITY[:4],
        region=region,
        columns=", ".join(f"ey.{c}" for c in COLUMNS),
        populations="\n  UNION ALL\n  ".join(pops),
        sums=", ".join(f"sum({c}) AS {c}" for c in COLUMNS),
        regions=", ".join(f"'{r}'" for r in regions),
        sets=", ".join(sets),
        formulas="\n  UNION ALL\n  ".join(formulas),
    )


def compute(
    enterprise: Path, enterprise_year: Path, regions: list[str], con: duckdb.DuckDBPyConnection
) -> object:
    rel = con.sql(query(enterprise, enterprise_year, regions))
    return rel.to_arrow_table() if hasattr(rel, "to_arrow_table") else rel.fetch_arrow_table()

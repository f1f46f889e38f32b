"""Plan indicators as formulas: Σnumerator / Σdenominator over a population, at any region level.

The registry is `formulas.yaml`. Sums are taken over the population first and the ratio after
(DHIS2's rule), so a county's and the city's figures are consistent with their microdata. A
region is computed only when the warehouse covers every county under it in that year; otherwise
the figure would silently describe a part as the whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import ibis
import polars as pl
import yaml

from industry_brain.engines.base import TableSource
from industry_brain.reference.regions import COUNTY_DIGITS, county_of, regions
from industry_brain.reference.regions import in_region as reference_in_region

TRANSFORMS = {"growth": "增速", "decline": "降幅"}


@dataclass(frozen=True, slots=True)
class Population:
    id: str
    title: str
    above_scale: bool
    divisions: tuple[int, int]  # 大类 range, inclusive


@dataclass(frozen=True, slots=True)
class Formula:
    id: str
    title: str
    unit: str
    numerator: str
    population: Population
    denominator: str | None = None
    scale: float = 1.0

    def describe(self) -> str:
        """ "Σ增加值 / Σ用地 over 规上工业企业" in the words a report shows."""
        ratio = self.numerator + (f" / Σ{self.denominator}" if self.denominator else "")
        scale = f" × {self.scale:g}" if self.scale != 1 else ""
        return f"Σ{ratio}{scale}（{self.population.title}）"


@cache
def _registry() -> dict[str, Formula]:
    text = (resources.files("industry_brain.engines.progress") / "formulas.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    pops = {
        key: Population(key, p["title"], p["above_scale"], tuple(p["divisions"]))
        for key, p in data["populations"].items()
    }
    return {
        key: Formula(key, **{**f, "population": pops[f["population"]]})
        for key, f in data["formulas"].items()
    }


FORMULAS: dict[str, Formula] = _registry()


def in_region(t: ibis.Table, region_code: str) -> ibis.Value:
    """Enterprises located in a province, city, county (GB/T 2260 code prefix) or park."""
    if len(region_code) > COUNTY_DIGITS:
        return t.park_code == region_code
    return reference_in_region(t.region_code, region_code)


def population_table(con: TableSource, population: Population, region_code: str) -> ibis.Table:
    """The population's enterprise-years (every year) within a region."""
    ey, ent = con.table("enterprise_year"), con.table("enterprise")
    t = ey.filter(ey.above_scale == population.above_scale).join(ent, "uscc")
    low, high = population.divisions
    t = t.filter(t.industry_code.substr(0, 2).cast("int32").between(low, high))
    return t.filter(in_region(t, region_code))


def coverage(con: TableSource, region_code: str) -> dict[int, tuple[int, int]]:
    """Per year: (counties with enterprise data, counties under the region)."""
    counties = {r.code for r in regions().counties(region_code)} or {region_code}
    ey, ent = con.table("enterprise_year"), con.table("enterprise")
    ent = ent.filter(in_region(ent, county_of(region_code)))
    t = ey.join(ent, "uscc").select("year", county=county_of(ent.region_code))
    rows = t.distinct().to_polars()
    out: dict[int, tuple[int, int]] = {}
    for year, part in rows.group_by("year"):
        out[int(year[0])] = (len(counties & set(part["county"].to_list())), len(counties))
    return out


def _sums(con: TableSource, pop: Population, columns: list[str], region_code: str) -> pl.DataFrame:
    """Σ columns and n by year and county (one query), plus the region's total rows."""
    t = population_table(con, pop, region_code)
    by = t.group_by("year", county=county_of(t.region_code))
    sums = by.aggregate(n=t.count(), **{c: t[c].sum() for c in columns}).to_polars()
    # A column with no value in any county stays missing (polars would sum it to 0).
    agg = [pl.col("n").sum()]
    agg += [pl.when(pl.col(c).is_not_null().any()).then(pl.col(c).sum()).alias(c) for c in columns]
    total = sums.group_by("year").agg(*agg).with_columns(pl.lit(region_code).alias("county"))
    total = total.select(sums.columns)
    if len(region_code) == 6 and region_code.endswith("00"):  # a city or province: its counties too
        return pl.concat([sums, total])
    return total


def compute_by_region(con: TableSource, ids: list[str], region_code: str) -> pl.DataFrame:
    """Each formula for a region and for every county under it, every year, in one query per
    population: region, formula, year, value, Σnumerator, Σdenominator, n."""
    frames = []
    for pop in sorted({FORMULAS[i].population for i in ids}, key=lambda p: p.id):
        formulas = [FORMULAS[i] for i in ids if FORMULAS[i].population == pop]
        columns = sorted({c for f in formulas for c in (f.numerator, f.denominator) if c})
        sums = _sums(con, pop, columns, region_code)
        for f in formulas:
            den = pl.col(f.denominator) if f.denominator else pl.lit(1.0)
            frames.append(
                sums.select(
                    pl.col("county").alias("region"),
                    pl.lit(f.id).alias("formula"),
                    pl.col("year").cast(pl.Int32),
                    (pl.col(f.numerator) / den * f.scale).alias("value"),
                    pl.col(f.numerator).cast(pl.Float64).alias("numerator"),
                    den.cast(pl.Float64).alias("denominator"),
                    pl.col("n").cast(pl.Int64),
                )
            )
    schema = {"region": pl.Utf8, "formula": pl.Utf8, "year": pl.Int32, "value": pl.Float64}
    schema |= {"numerator": pl.Float64, "denominator": pl.Float64, "n": pl.Int64}
    if not frames:
        return pl.DataFrame(schema=schema)
    found = pl.concat(frames).filter(pl.col("value").is_finite())
    return found.sort("region", "formula", "year")


def compute(con: TableSource, ids: list[str], region_code: str) -> pl.DataFrame:
    """Every year's value of each formula for a region: formula, year, value, Σnum, Σden, n."""
    found = compute_by_region(con, ids, region_code)
    return found.filter(pl.col("region") == region_code).drop("region")


def transformed(series: dict[int, float], transform: str | None) -> dict[int, float]:
    """A level series, or its yearly growth / decline in % (years with a previous year only)."""
    if transform is None:
        return dict(series)
    out = {}
    for year, value in series.items():
        before = series.get(year - 1)
        if before:
            change = (value / before - 1) * 100
            out[year] = change if transform == "growth" else -change
    return out

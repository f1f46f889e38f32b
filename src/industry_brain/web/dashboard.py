"""What the 驾驶舱 (overview) reads for a province, city or county user: the years with data in
the user's area, key figures with 同比, one figure per child region (map or ranked bars), child
regions with their enterprise counts, the 亩均 run to show and its top and bottom enterprises.

Figures come from the plan formulas (engines/progress/formulas.py); a figure of a city under a
province is taken from its counties' sums (sums first, ratio after, as the formulas do)."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from itertools import pairwise
from typing import Any

import ibis
import polars as pl

from industry_brain.engines.progress.formulas import (
    FORMULAS,
    Formula,
    compute,
    compute_by_region,
    coverage,
    population_table,
)
from industry_brain.reference import county_geojson
from industry_brain.reference.regions import county_of, in_region, regions, short_name
from industry_brain.warehouse.warehouse import Warehouse
from industry_brain.web.cache import may_lag
from industry_brain.web.scope import Scope

# The key figures a bureau reads first, in the order shown, with the short title of a card.
KPIS = {
    "above_scale_output": "规上工业总产值",
    "above_scale_value_added": "规上工业增加值",
    "tax_per_mu": "亩均税收",
    "value_added_per_mu": "亩均增加值",
    "rd_intensity": "研发经费投入强度",
}
# The figures a map can be coloured by (the key figures and labour productivity).
MAP_FORMULAS = {"tax_per_mu": "亩均税收", "value_added_per_mu": "亩均增加值"}
MAP_FORMULAS |= {"above_scale_output": "规上工业总产值"}
MAP_FORMULAS |= {"above_scale_value_added": "规上工业增加值"}
MAP_FORMULAS |= {"rd_intensity": "研发经费投入强度", "labour_productivity": "全员劳动生产率"}
# The 亩均 item the top and bottom lists are ordered by (a 规上 enterprise's, as its run used it).
LIST_ITEM = "tax_per_mu"


def _level(code: str) -> str:
    if len(code) > 6:
        return "park"
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


@may_lag
def data_years(con: Warehouse, code: str) -> list[int]:
    """The years with 规上 industrial enterprise data in the region, oldest first."""
    t = population_table(con, FORMULAS["above_scale_output"].population, code)
    years = t.select("year").distinct().to_polars()["year"].to_list()
    return sorted(int(y) for y in years)


def change(formula: Formula, value: float | None, before: float | None) -> dict[str, Any]:
    """同比 of a figure: in % of last year's value, or in percentage points for a figure that is
    a percentage itself; None when either year has no value (or last year's is 0)."""
    if value is None or before is None:
        return {"delta": None, "delta_unit": None}
    if formula.unit == "%":
        return {"delta": value - before, "delta_unit": "个百分点"}
    if before == 0:
        return {"delta": None, "delta_unit": None}
    return {"delta": (value - before) / abs(before) * 100, "delta_unit": "%"}


@may_lag
def kpis(con: Warehouse, code: str, year: int) -> list[dict[str, Any]]:
    """The key figures of a region for a year, each with last year's value and 同比."""
    frame = compute(con, list(KPIS), code)
    values = {(r["formula"], r["year"]): r for r in frame.to_dicts()}
    out = []
    for key, title in KPIS.items():
        f = FORMULAS[key]
        now, last = values.get((key, year)), values.get((key, year - 1))
        value = now["value"] if now else None
        before = last["value"] if last else None
        row: dict[str, Any] = {
            "formula": key,
            "title": title,
            "full_title": f.title,
            "unit": f.unit,
        }
        row |= {"value": value, "previous": before, "n": now["n"] if now else 0}
        out.append(row | change(f, value, before))
    return out


@may_lag
def counties_covered(con: Warehouse, code: str, year: int) -> tuple[int, int]:
    """(counties with enterprise data in the year, counties under the region)."""
    return coverage(con, code).get(year, (0, len(regions().counties(code)) or 1))


@may_lag
def children(con: Warehouse, code: str) -> list[dict[str, Any]]:
    """Child regions (a province's cities, a city's counties, a county's parks) with the
    number of enterprises registered in each: a city's is the sum over its counties."""
    t = con.table("region")
    rows = t.filter(t.parent_code == code).select("code", "name", "level").to_polars()
    counts = _counts(con, code)
    out = []
    for r in rows.sort("code").to_dicts():
        if r["level"] == "park":
            n = counts["parks"].get(r["code"], 0)
        else:
            n = sum(v for k, v in counts["counties"].items() if in_region(k, r["code"]))
        out.append(r | {"enterprises": n})
    return out


def _counts(con: Warehouse, code: str) -> dict[str, dict[str, int]]:
    """Enterprises in a region by county code and by park code (one query each)."""
    ent = con.table("enterprise")
    t = ent.filter(in_region(ent.region_code, code))
    t = t.mutate(county=county_of(t.region_code))
    by_county = t.group_by("county").aggregate(n=t.count()).to_polars()
    in_park = t.filter(t.park_code.notnull())
    parks = in_park.group_by("park_code").aggregate(n=in_park.count()).to_polars()
    return {
        "counties": dict(zip(by_county["county"], by_county["n"], strict=True)),
        "parks": dict(zip(parks["park_code"], parks["n"], strict=True)),
    }


def _ratio(f: Formula, numerator: float | None, denominator: float | None) -> float | None:
    """A formula's value from its sums (Σnumerator / Σdenominator × scale)."""
    if numerator is None:
        return None
    if f.denominator is None:
        return numerator * f.scale
    if not denominator:
        return None
    return numerator / denominator * f.scale


@may_lag
def child_values(con: Warehouse, code: str, formula: str, year: int) -> dict[str, Any]:
    """One figure per child region for the map (or ranked bars where there is no geometry):
    a province's cities, a city's counties, a county's parks."""
    f = FORMULAS[formula]
    level = _level(code)
    names = {r["code"]: r["name"] for r in _region_rows(con, code)}
    values: dict[str, float | None] = {}
    counted: dict[str, int] = {}
    if level in ("province", "city"):
        frame = compute_by_region(con, [formula], code).filter(
            (pl.col("year") == year) & (pl.col("region") != code)
        )
        if level == "city":
            values = dict(zip(frame["region"], frame["value"], strict=True))
            counted = dict(zip(frame["region"], frame["n"], strict=True))
        else:  # a city's figure from its counties' sums
            sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
            for r in frame.to_dicts():
                city = r["region"][:4] + "00"
                sums[city][0] += r["numerator"] or 0.0
                sums[city][1] += r["denominator"] or 0.0
                sums[city][2] += r["n"]
            values = {c: _ratio(f, s[0], s[1]) for c, s in sums.items()}
            counted = {c: int(s[2]) for c, s in sums.items()}
    elif level == "county":
        for park in names:
            found = compute(con, [formula], park).filter(pl.col("year") == year)
            if found.height:
                values[park], counted[park] = found["value"][0], int(found["n"][0])
    children_ = [
        {"code": c, "name": n, "short": short_name(n), "value": values.get(c)}
        | {"n": counted.get(c, 0)}
        for c, n in sorted(names.items())
    ]
    return {
        "code": code,
        "level": level,
        "child_level": {"province": "city", "city": "county", "county": "park"}.get(level),
        "indicator": formula,
        "title": MAP_FORMULAS.get(formula, f.title),
        "full_title": f.title,
        "unit": f.unit,
        "year": year,
        "geometry": level in ("province", "city"),
        "children": children_,
    }


def _region_rows(con: Warehouse, code: str) -> list[dict[str, Any]]:
    t = con.table("region")
    return t.filter(t.parent_code == code).select("code", "name").to_pyarrow().to_pylist()


def shapes(code: str) -> dict[str, Any]:
    """The child regions' boundaries (GeoJSON): a province's cities, a city's counties; a
    county has none (parks have no reference geometry)."""
    level = _level(code)
    if level == "province":
        features = [f for f in city_geojson()["features"] if in_region(f["id"], code)]
    elif level == "city":
        counties = county_geojson()["features"]
        features = [f for f in counties if in_region(f["properties"]["adcode"], code)]
    else:
        features = []
    return {"type": "FeatureCollection", "features": features}


@cache
def city_geojson() -> dict[str, Any]:
    """City boundaries: each city's counties dissolved into one shape (county borders inside a
    city share their vertices exactly, so the shared edges are dropped and the rest chained)."""
    polygons: dict[str, list[Any]] = defaultdict(list)
    for f in county_geojson()["features"]:
        polygons[f["properties"]["city_adcode"]] += f["geometry"]["coordinates"]
    tree = regions()
    features = []
    for city, polys in sorted(polygons.items()):
        geometry = {"type": "MultiPolygon", "coordinates": dissolve(polys)}
        props = {"adcode": city, "name": tree.get(city).name}
        feature = {"type": "Feature", "id": city, "properties": props}
        features.append(feature | {"geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


Point = tuple[float, float]


def _area(ring: list[Point]) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in pairwise(ring)) / 2


def _inside(p: Point, ring: list[Point]) -> bool:
    hit = False
    for a, b in pairwise(ring):
        if (a[1] > p[1]) != (b[1] > p[1]):
            x = a[0] + (p[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
            hit ^= p[0] < x
    return hit


def dissolve(polygons: list[list[list[list[float]]]]) -> list[list[list[Point]]]:
    """The union of polygons that meet along shared edges (MultiPolygon coordinates)."""
    edges: set[tuple[Point, Point]] = set()
    outer_sign = 0.0
    for poly in polygons:
        for i, ring in enumerate(poly):
            points = [(float(p[0]), float(p[1])) for p in ring]
            if i == 0 and not outer_sign:
                outer_sign = _area(points)
            edges |= {(a, b) for a, b in pairwise(points) if a != b}
    kept = [(a, b) for a, b in edges if (b, a) not in edges]
    following: dict[Point, list[Point]] = defaultdict(list)
    for a, b in sorted(kept):
        following[a].append(b)
    rings: list[list[Point]] = []
    while following:
        start = next(iter(following))
        chain, at = [start], start
        while at in following:
            step = following[at].pop()
            if not following[at]:
                del following[at]
            chain.append(step)
            at = step
            if at == start:
                break
        if len(chain) >= 4 and chain[0] == chain[-1]:
            rings.append(chain)
    outers: list[list[list[Point]]] = [[r] for r in rings if _area(r) * outer_sign > 0]
    for hole in (r for r in rings if _area(r) * outer_sign <= 0):
        for shape in outers:
            if _inside(hole[0], shape[0]):
                shape.append(hole)
                break
    return outers


def run_for(con: Warehouse, scope: Scope, year: int | None) -> dict[str, Any] | None:
    """The 亩均 run to show a user: of the year when there is one, else the latest year before
    it, else the latest; a run covering the user's whole region before one of a part of it."""
    t = con.table("run").filter(lambda r: r.engine == "permu")
    runs = t.select("run_id", "spec_name", "year", "region_code").to_pyarrow().to_pylist()
    runs = [r for r in runs if scope.overlaps(r["region_code"])]
    if not runs:
        return None

    def preference(r: dict[str, Any]) -> tuple[bool, bool, int, bool, int]:
        same = year is not None and r["year"] == year
        before = year is None or r["year"] <= year
        covering = in_region(scope.region_code, r["region_code"])
        return same, before, r["year"] if before else -r["year"], covering, r["run_id"]

    found = max(runs, key=preference)
    return found | {"region_name": regions().get(county_of(found["region_code"])).name}


@may_lag
def leaders(
    con: Warehouse, scope: Scope, run_id: int, best: bool, n: int = 10
) -> list[dict[str, Any]]:
    """The run's evaluated 规上 enterprises in scope with the highest (or lowest) 亩均税收, as
    the run used it, with their 行业组, rank within it and grade."""
    s = scope.filter(con.table("permu_score"))
    s = s.filter((s.run_id == run_id) & (s.status == "evaluated") & (s.track == "above_scale"))
    i = con.table("permu_item")
    i = i.filter((i.run_id == run_id) & (i.indicator == LIST_ITEM) & i.value.notnull())
    t = s.join(i.select("uscc", item=i.value), "uscc")
    order = [ibis.desc("item") if best else ibis.asc("item"), ibis.asc("uscc")]
    cols = ["uscc", "name", "region_code", "group", "item", "total", "rank", "group_size"]
    return t.order_by(order).limit(n).select(*cols, "grade").to_polars().to_dicts()

"""The 驾驶舱 per role (web/dashboard.py): key figures and 同比 over the user's region and year,
the year selector, the children's map, children counts, top and bottom lists."""

from __future__ import annotations

import html
import re

import polars as pl
import pytest

from industry_brain.formats import num
from industry_brain.web import dashboard
from web_helpers import login


def _sums(web, prefix: str) -> pl.DataFrame:
    """Σ of the 规上 industrial (大类 06–46) figures in a region by year, worked directly."""
    con = web.city.ws.con
    ey = con.table("enterprise_year").to_polars()
    ent = con.table("enterprise").select("uscc", "region_code", "industry_code").to_polars()
    t = ey.join(ent, on="uscc").filter(
        pl.col("above_scale")
        & pl.col("region_code").str.starts_with(prefix)
        & pl.col("industry_code").str.slice(0, 2).cast(pl.Int32).is_between(6, 46)
    )
    cols = ["output", "value_added", "tax_paid", "land_mu", "rd_expense", "revenue"]
    return t.group_by("year").agg(pl.col(c).sum() for c in cols).sort("year")


def _direct(web, prefix: str, year: int) -> dict[str, float]:
    row = _sums(web, prefix).filter(pl.col("year") == year).to_dicts()[0]
    return {
        "above_scale_output": row["output"] / 10_000,
        "above_scale_value_added": row["value_added"] / 10_000,
        "tax_per_mu": row["tax_paid"] / row["land_mu"],
        "value_added_per_mu": row["value_added"] / row["land_mu"],
        "rd_intensity": row["rd_expense"] / row["revenue"] * 100,
    }


def _cards(page: str) -> dict[str, tuple[str, str]]:
    """The key figure cards of a page: title → (value text, 同比 text)."""
    found = re.findall(
        r'<div class="kpi-title">(.+?)</div>\s*<div class="kpi-value">([^<]+)<.*?'
        r'<div class="kpi-delta[^"]*"[^>]*>\s*(.+?)\s*</div>',
        page,
        re.S,
    )
    return {t: (v, " ".join(d.split())) for t, v, d in found}


def test_key_figures_and_their_change_equal_a_direct_computation(web):
    login(web.client, "city")
    page = web.client.get("/?year=2022").text
    cards = _cards(page)
    now, last = _direct(web, "3310", 2022), _direct(web, "3310", 2021)
    assert len(cards) == len(dashboard.KPIS) == 5
    for key, title in dashboard.KPIS.items():
        value, delta = cards[title]
        assert value == num(now[key], 2), key
        if key == "rd_intensity":  # a percentage: its change in percentage points
            change, unit = now[key] - last[key], "个百分点"
        else:
            change, unit = (now[key] - last[key]) / last[key] * 100, "%"
        arrow = "▲" if change > 0 else "▼"
        shown = f"同比 {arrow} {num(abs(change), 2)}{unit}"
        shown = "同比 持平" if round(change, 2) == 0 else shown
        assert delta == shown, key
    figures = {k["formula"]: k for k in dashboard.kpis(web.city.ws.con, "331000", 2022)}
    for key in dashboard.KPIS:
        assert figures[key]["value"] == pytest.approx(now[key], rel=1e-9)
        assert figures[key]["previous"] == pytest.approx(last[key], rel=1e-9)


def test_the_year_selector_offers_the_years_with_data_and_changes_the_figures(web):
    login(web.client, "city")
    latest = web.client.get("/").text
    assert "2022年数据" in latest  # the default: the latest year with data
    options = re.findall(r'<option value="(\d{4})"', latest)
    ey = web.city.ws.con.table("enterprise_year").filter(lambda t: t.above_scale)
    years = sorted({int(y) for y in ey.year.to_pyarrow().to_pylist()}, reverse=True)
    assert options == [str(y) for y in years] and options[:3] == ["2022", "2021", "2020"]
    # (other tests of the session may load an earlier year, e.g. 2019's supplementary file)
    earlier = web.client.get("/?year=2021").text
    assert "2021年数据" in earlier and 'value="2021" selected' in earlier
    value = _cards(earlier)["亩均税收"][0]
    assert value == num(_direct(web, "3310", 2021)["tax_per_mu"], 2)
    assert value != _cards(latest)["亩均税收"][0]
    assert "亩均评价：2022年" in earlier  # the run shown is of another year: it says which
    assert "亩均评价：" not in latest
    if 2019 not in years:
        first = web.client.get("/?year=2020").text  # no year before it: no 同比
        assert "同比 —（2019年无数据）" in first


def test_a_county_user_sees_its_county_only(web):
    login(web.client, "county")
    page = web.client.get("/?year=2022").text
    assert "黄岩区 制造业驾驶舱" in page
    own = _direct(web, "331003", 2022)
    assert _cards(page)["亩均税收"][0] == num(own["tax_per_mu"], 2)
    assert num(own["tax_per_mu"], 2) != num(_direct(web, "3310", 2022)["tax_per_mu"], 2)
    figures = web.client.get("/api/regions/331003/map?indicator=tax_per_mu&year=2022").json()
    assert figures["level"] == "county" and figures["geometry"] is False
    assert figures["children"] and all(c["code"].startswith("331003") for c in figures["children"])
    assert len({c["code"] for c in figures["children"]}) == len(figures["children"])
    assert any(c["value"] for c in figures["children"])
    assert web.client.get("/api/geo/331003").json()["features"] == []
    assert web.client.get("/api/regions/331000/map").status_code == 403
    assert web.client.get("/api/geo/331000").status_code == 403
    rows = re.findall(
        r"<tr><td>\d+</td><td><a href=\"/enterprise/[^\"]+\">[^<]+</a></td><td>([^<]+)", page
    )
    assert rows and set(rows) == {"黄岩区"}


def _counts(web) -> dict[str, int]:
    ent = web.city.ws.con.table("enterprise").select("region_code").to_polars()
    by_city = ent.group_by(pl.col("region_code").str.slice(0, 4).alias("city")).len()
    return {r["city"] + "00": r["len"] for r in by_city.to_dicts()}


def test_province_children_counts_are_real(web):
    login(web.client, "province")
    found = web.client.get("/api/regions/330000").json()["children"]
    direct = _counts(web)
    assert len(found) == 11
    assert {c["code"]: c["enterprises"] for c in found} == {
        c["code"]: direct.get(c["code"], 0) for c in found
    }
    assert next(c for c in found if c["code"] == "331000")["enterprises"] > 0
    page = web.client.get("/region/330000").text
    assert f"台州市</a> <small>{direct['331000']}家" in page
    county_level = web.client.get("/api/regions/331000").json()["children"]
    assert all(c["enterprises"] > 0 for c in county_level)
    assert sum(c["enterprises"] for c in county_level) == direct["331000"]


def test_the_province_map_colours_its_cities_by_their_counties_sums(web):
    login(web.client, "province")
    figures = web.client.get("/api/regions/330000/map?indicator=tax_per_mu&year=2022").json()
    assert figures["level"] == "province" and figures["unit"] == "万元/亩"
    values = {c["code"]: c["value"] for c in figures["children"]}
    assert len(values) == 11
    assert values["331000"] == pytest.approx(_direct(web, "3310", 2022)["tax_per_mu"])
    assert all(v is None for c, v in values.items() if c != "331000")  # no data elsewhere
    shapes = web.client.get("/api/geo/330000").json()["features"]
    assert {f["properties"]["name"] for f in shapes} == {c["name"] for c in figures["children"]}
    short = {c["short"] for c in figures["children"]}
    assert "台州" in short and "杭州" in short


def test_top_and_bottom_lists_name_the_county_and_follow_the_stated_order(web):
    login(web.client, "city")
    page = html.unescape(web.client.get("/").text)
    assert "按亩均税收" in page  # the caption says what the order is
    tables = re.findall(r"<tbody>(.*?)</tbody>", page, re.S)
    cells = [
        re.findall(r"<tr><td>\d+</td><td><a[^>]*>[^<]+</a></td><td>([^<]+)</td><td>[^<]*</td>\s*"
                   r'<td class="num">([^<]+)</td>', t)
        for t in tables[:2]
    ]  # fmt: skip
    best, worst = ([(c, float(v.replace(",", ""))) for c, v in rows] for rows in cells)
    assert len(best) == len(worst) == 10
    assert [v for _, v in best] == sorted((v for _, v in best), reverse=True)
    assert [v for _, v in worst] == sorted(v for _, v in worst)
    assert len({c for c, _ in best}) > 1 and len({v for _, v in best}) == 10  # a real spread
    assert min(v for _, v in best) > max(v for _, v in worst)


def test_dissolve_joins_polygons_along_a_shared_edge():
    left = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]
    right = [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]]
    apart = [[[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]]]
    shapes = dashboard.dissolve([left, right, apart])
    assert len(shapes) == 2
    areas = sorted(abs(dashboard._area(s[0])) for s in shapes)
    assert areas == [1.0, 2.0]
    cities = dashboard.city_geojson()["features"]
    assert len(cities) == 11 and all(f["geometry"]["coordinates"] for f in cities)


def test_the_map_api_declares_every_figure_a_map_is_coloured_by():
    from typing import get_args

    from industry_brain.web.api import MapIndicator
    from industry_brain.web.dashboard import MAP_FORMULAS

    assert set(get_args(MapIndicator)) == set(MAP_FORMULAS)

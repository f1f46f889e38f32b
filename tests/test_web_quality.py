"""The data quality view: coverage gaps with their enterprises, the cross-source conflicts
injected into the synthetic files (each found, with its enterprise), 亩均税收 outliers against the
whole city's industry median; all within the user's region."""

import pytest
from fastapi.testclient import TestClient

from industry_brain.web.app import create_app
from industry_brain.web.quality import GAPS, conflicts, coverage, gap_list, outliers
from industry_brain.web.scope import Scope
from industry_brain.web.users import add_user
from web_helpers import login

from helpers import load_city

CITY = Scope("city", "city", "331000")
COUNTY = Scope("county", "county", "331003")


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    faults = {"source_conflict": 0.1}
    root = tmp_path_factory.mktemp("quality_city")
    ws, manifest = load_city(root, seed=11, scale=0.02, years=[2022], faults=faults)
    yield ws, manifest
    ws.close()


def test_every_injected_conflict_is_listed_with_its_enterprise(city):
    ws, manifest = city
    injected = {(f.file.rsplit("/", 1)[-1], f.row) for f in manifest.faults}
    assert injected
    found = conflicts(ws.con, CITY, 2022)
    assert injected <= {(c["file_name"], c["row"]) for c in found}
    assert all(c["uscc"] and c["name"] for c in found)
    assert all(c["register_value"] and c["register_value"] != c["value"] for c in found)


def test_a_county_sees_only_its_own_conflicts(city):
    ws, _ = city
    mine = conflicts(ws.con, COUNTY, 2022)
    everyone = conflicts(ws.con, CITY, 2022)
    assert mine and len(mine) < len(everyone)
    assert {c["uscc"] for c in mine} == {
        c["uscc"] for c in everyone if _region(ws, c["uscc"]).startswith("331003")
    }


def test_gap_lists_match_their_counts(city):
    ws, _ = city
    rows = coverage(ws.con, CITY, 2022)
    assert len(rows) == 9 and all(r["statistics_no_land"] <= r["statistics"] for r in rows)
    for r in rows:
        for gap in GAPS:
            listed = gap_list(ws.con, CITY, 2022, gap, r["county"])
            assert len(listed) == min(r[gap], 500), (r["county"], gap)


def test_outliers_use_the_city_median_whatever_the_scope(city):
    ws, _ = city
    everyone = outliers(ws.con, CITY, 2022)
    assert all(o["ratio"] > 5 for o in everyone)
    mine = outliers(ws.con, COUNTY, 2022)
    assert mine == [o for o in everyone if o["region_code"].startswith("331003")]


def test_the_page_links_gaps_and_conflicts_to_enterprises(city):
    ws, _ = city
    add_user(ws.con, "county", "correct horse battery", "county", "331003")
    client = TestClient(create_app(ws), base_url="https://testserver")
    login(client, "county")
    page = client.get("/quality?year=2022").text
    assert "黄岩区" in page and "椒江区" not in page
    listed = client.get("/quality?year=2022&gap=statistics_no_electricity&county=331003").text
    first = conflicts(ws.con, COUNTY, 2022)[0]
    assert f'href="/enterprise/{first["uscc"]}"' in page
    assert "有统计无用电：黄岩区" in listed


def _region(ws, uscc: str) -> str:
    e = ws.con.table("enterprise")
    return e.filter(e.uscc == uscc).region_code.to_pyarrow().to_pylist()[0]

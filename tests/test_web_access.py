"""Permission matrix: every role × endpoint × in-scope / out-of-scope region or enterprise."""

import pytest

from web_helpers import login

ROLES = ["province", "city", "county", "enterprise"]


def _targets(web):
    own = web.users["enterprise"]["uscc"]
    con = web.city.ws.con
    ent = con.table("enterprise")
    other = ent.filter(ent.region_code == "331004").order_by("uscc").limit(1)
    other_uscc = other.to_pyarrow().to_pylist()[0]["uscc"]
    return own, other_uscc


# endpoint → role → (allowed in scope, allowed out of scope). "In scope" for the county user is
# its county 331003 (out: 331004); for the city user Taizhou (out: Hangzhou 330100); for the
# province user Zhejiang (out: Jiangsu 320000); the enterprise user's own firm (out: another).
EXPECTED = {
    "region": {"province": (True, False), "city": (True, False), "county": (True, False),
               "enterprise": (False, False)},
    "region_page": {"province": (True, False), "city": (True, False), "county": (True, False),
                    "enterprise": (False, False)},
    "export": {"province": (True, False), "city": (True, False), "county": (True, False),
               "enterprise": (False, False)},
    "enterprise": {"province": (True, False), "city": (True, False), "county": (True, False),
                   "enterprise": (True, False)},
    "enterprise_page": {"province": (True, False), "city": (True, False),
                        "county": (True, False), "enterprise": (True, False)},
    # Every shipped plan lies in Zhejiang, so the province user has no out-of-scope plan.
    "monitoring": {"province": (True, True), "city": (True, False), "county": (False, False),
                   "enterprise": (False, False)},
}  # fmt: skip
IN_REGION = {"province": "330000", "city": "331000", "county": "331003", "enterprise": "331003"}
OUT_REGION = {"province": "320000", "city": "330100", "county": "331004", "enterprise": "331004"}


def _paths(endpoint: str, region: str, uscc: str, role: str, inside: bool) -> str:
    plan = {"province": "zhejiang-14th-fyp", "city": "taizhou-14th-fyp"}
    return {
        "region": f"/api/regions/{region}",
        "region_page": f"/region/{region}",
        "export": f"/region/{region}/export.xlsx",
        "enterprise": f"/api/enterprises/{uscc}",
        "enterprise_page": f"/enterprise/{uscc}",
        "monitoring": "/api/monitoring/"
        + (plan.get(role, "taizhou-14th-fyp") if inside else "wenzhou-2.0-2022"),
    }[endpoint]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(EXPECTED))
def test_permission_matrix(web, role, endpoint):
    own, other = _targets(web)
    login(web.client, role)
    for inside in (True, False):
        region = IN_REGION[role] if inside else OUT_REGION[role]
        outside = other if role in ("county", "enterprise") else "91320000MA00000000"
        uscc = own if inside else outside
        path = _paths(endpoint, region, uscc, role, inside)
        response = web.client.get(path, follow_redirects=False)
        allowed = EXPECTED[endpoint][role][0 if inside else 1]
        if allowed:
            assert response.status_code == 200, (role, path, response.text[:300])
        else:
            assert response.status_code in (403, 404), (role, path, response.status_code)


def test_enterprise_lists_never_leak_out_of_scope(web):
    login(web.client, "county")
    rows = web.client.get("/api/enterprises?limit=500").json()["enterprises"]
    assert rows and all(r["region_code"] == "331003" for r in rows)
    login(web.client, "enterprise")
    assert web.client.get("/api/enterprises").status_code == 200
    mine = web.client.get("/api/enterprises").json()["enterprises"]
    assert [r["uscc"] for r in mine] == [web.users["enterprise"]["uscc"]]
    login(web.client, "county")
    grades = web.client.get("/api/permu/runs/latest").json()["grades"]
    assert [g["code"] for g in grades] == ["331003"]

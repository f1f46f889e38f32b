"""Pending uploads are kept to their uploader (issue 12, finding 4): another county's analyst
cannot read the review page or its error list, change the source, load or cancel it (404); the
city above reads it but changes nothing."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from industry_brain.web.app import create_app
from industry_brain.web.users import add_user
from web_helpers import follow, login

from conftest import PASSWORD
from helpers import STAT_HEADER, stat_row, write_xlsx


@pytest.fixture
def clients(workspace):
    for name, role, region in (
        ("huangyan", "county", "331003"),
        ("luqiao", "county", "331004"),
        ("taizhou", "city", "331000"),
    ):
        add_user(workspace.con, name, PASSWORD, role, region)
    app = create_app(workspace)
    out = {}
    for name in ("huangyan", "luqiao", "taizhou"):
        out[name] = TestClient(app, base_url="https://testserver")
        login(out[name], name)
    return out


def _csrf(client) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/import").text).group(1)


def test_another_countys_upload_is_not_there(clients, tmp_path):
    own = clients["huangyan"]
    rows = [STAT_HEADER, stat_row(1, year=2022), stat_row(2, year=2022, industry="9999")]
    path = write_xlsx(tmp_path / "stats.xlsx", rows)
    with path.open("rb") as f:
        data = {"csrf": _csrf(own), "source": "statistics"}
        review = follow(
            own, own.post("/import", data=data, files=[("files", (path.name, f.read()))])
        )
    token = re.search(r"/import/([0-9a-f]+)", str(review.url)).group(1)
    assert own.get(f"/import/{token}").status_code == 200
    other, city = clients["luqiao"], clients["taizhou"]
    for client, reads in ((other, False), (city, True)):
        csrf = _csrf(client)
        assert (client.get(f"/import/{token}").status_code == 200) is reads
        assert (client.get(f"/import/{token}/0/errors.xlsx").status_code == 200) is reads
        changes = [
            client.post(f"/import/{token}/0/source", data={"csrf": csrf, "source": "tax"}),
            client.post(f"/import/{token}/load", data={"csrf": csrf}, follow_redirects=False),
            client.post(f"/import/{token}/cancel", data={"csrf": csrf}, follow_redirects=False),
        ]
        assert [r.status_code for r in changes] == [404, 404, 404]
    assert own.get(f"/import/{token}").status_code == 200  # still there, untouched

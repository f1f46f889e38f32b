"""Issue 12, finding 5: inputs that crashed the server (500) are refused or read, over HTTP:
a NUL in the login name, a 30-digit page or id, a 5,000-character upload token, a 300-character
file name."""

from __future__ import annotations

import re

from web_helpers import csrf_of, follow, login

from helpers import STAT_HEADER, stat_row, write_xlsx


def test_a_nul_in_the_login_name_is_a_failed_sign_in(web):
    web.client.cookies.clear()
    data = {"username": "city\x00", "password": "x", "csrf": csrf_of(web.client), "next": "/"}
    answer = web.client.post("/login", data=data, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    assert web.client.get("/api/me").status_code == 401  # not signed in


def test_numbers_too_large_for_the_warehouse_are_refused(web):
    login(web.client, "city")
    for path in ("/audit?page=" + "9" * 30, "/api/permu/runs/" + "9" * 30 + "/scores"):
        answer = web.client.get(path, headers={"accept": "application/json"})
        assert answer.status_code == 422, (path, answer.status_code)


def test_an_overlong_upload_token_is_not_found(web):
    login(web.client, "city")
    assert web.client.get("/import/" + "a" * 5000).status_code == 404


def test_a_300_character_file_name_is_shortened_not_a_crash(web, tmp_path):
    login(web.client, "city")
    path = write_xlsx(tmp_path / "s.xlsx", [STAT_HEADER, stat_row(1, year=2022)])
    token = csrf_of(web.client, "/import")
    files = [("files", ("统" * 300 + ".xlsx", path.read_bytes()))]
    review = follow(web.client, web.client.post("/import", data={"csrf": token}, files=files))
    assert review.status_code == 200 and "校验报告" in review.text
    shown = re.search(r"<h2>(统+\.xlsx)", review.text)
    assert shown and len(shown.group(1).encode("utf-8")) <= 150
    upload = review.url.path.rsplit("/", 1)[-1]
    web.client.post(f"/import/{upload}/cancel", data={"csrf": token})

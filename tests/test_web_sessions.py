"""Sessions end (issue 12, finding 2): a cookie captured before logout, a password change or a
disabled user no longer answers, nor does its CSRF token; an idle session ends; the warehouse
keeps only the session id's hash."""

from __future__ import annotations

import hashlib
import re

import pytest
from fastapi.testclient import TestClient

from industry_brain.web.app import create_app
from industry_brain.web.users import add_user, set_disabled, set_password
from web_helpers import login

from conftest import PASSWORD


@pytest.fixture
def app_client(web):
    """A client of a fresh app (its own throttle) on the shared small city."""
    return TestClient(create_app(web.city.ws), base_url="https://testserver")


def _user(con, name: str) -> str:
    if not con.table("app_user").filter(lambda t: t.username == name).count().to_pyarrow().as_py():
        add_user(con, name, PASSWORD, "county", "331003")
    return name


def _signed_in(client, name: str) -> tuple[dict[str, str], str]:
    assert login(client, name).status_code == 303
    page = client.get("/batches")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    return dict(client.cookies), csrf


def test_a_cookie_captured_before_logout_no_longer_answers(app_client, web):
    name = _user(web.city.ws.con, "session_logout")
    cookies, csrf = _signed_in(app_client, name)
    assert app_client.get("/api/me").status_code == 200
    app_client.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    thief = TestClient(app_client.app, base_url="https://testserver", cookies=cookies)
    assert thief.get("/api/me").status_code == 401
    answer = thief.post("/api/batches/1/withdraw", data={"csrf": csrf, "reason": "x"})
    assert answer.status_code in (401, 403)


@pytest.mark.parametrize("how", ["password", "disabled"])
def test_a_password_change_or_a_disabled_user_ends_every_session(app_client, web, how):
    con = web.city.ws.con
    name = _user(con, f"session_{how}")
    set_disabled(con, name, False)
    set_password(con, name, PASSWORD)
    first, _ = _signed_in(app_client, name)
    second = TestClient(app_client.app, base_url="https://testserver")
    _signed_in(second, name)
    ended = set_password(con, name, "another horse battery") if how == "password" else 0
    ended = ended or set_disabled(con, name, True)
    assert ended == 2
    for cookies in (first, dict(second.cookies)):
        client = TestClient(app_client.app, base_url="https://testserver", cookies=cookies)
        assert client.get("/api/me").status_code == 401
    if how == "disabled":  # and cannot sign in again
        assert login(second, name).headers["location"].endswith("failed=1")
    set_disabled(con, name, False)
    set_password(con, name, PASSWORD)


def test_an_idle_session_ends_and_the_id_is_kept_hashed(app_client, web):
    con = web.city.ws.con
    name = _user(con, "session_idle")
    _signed_in(app_client, name)
    rows = con.table("web_session").filter(lambda t: t.username == name).to_pyarrow().to_pylist()
    live = [r for r in rows if r["ended_at"] is None]
    assert live and all(len(r["session_key"]) == 64 for r in live)  # a sha256, not the id
    con.raw_sql(
        f"UPDATE web_session SET last_seen = last_seen - INTERVAL '9 hours' "
        f"WHERE username = '{name}' AND ended_at IS NULL"
    )
    assert app_client.get("/api/me").status_code == 401
    ended = con.table("web_session").filter(lambda t: t.username == name).to_pyarrow().to_pylist()
    assert {r["ended_why"] for r in ended if r["ended_at"] is not None} >= {"idle"}


def test_the_session_key_is_the_ids_sha256(web):
    from industry_brain.web import sessions

    con = web.city.ws.con
    name = _user(con, "session_hash")
    sid, _ = sessions.begin(con, name, "127.0.0.1")
    key = hashlib.sha256(sid.encode()).hexdigest()
    assert sessions.find(con, sid).key == key
    sessions.end(con, sid)
    assert sessions.find(con, sid) is None

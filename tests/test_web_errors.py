"""One JSON error shape for the whole API, whatever went wrong."""

import pytest

from web_helpers import login, logout

SHAPE = {"status", "code", "message", "detail"}


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == SHAPE
    assert body["error"]["status"] == status and body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]


def test_unauthenticated(web):
    logout(web.client)
    assert_error(web.client.get("/api/me"), 401, "unauthenticated")


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/regions/331004", 403, "forbidden"),
        ("/api/regions/999999", 404, "not_found"),
        ("/api/regions/331003/map?indicator=nonsense", 422, "invalid_request"),
        ("/api/enterprises?limit=0", 422, "invalid_request"),
        ("/api/enterprises/NOSUCHCODE", 404, "not_found"),
        ("/api/monitoring/no-such-plan", 404, "unknown_plan"),
        ("/api/permu/runs/latest?year=x", 200, ""),
        ("/api/nothing-here", 404, "not_found"),
    ],
)
def test_errors_share_one_shape(web, path, status, code):
    login(web.client, "county")
    response = web.client.get(path)
    if status == 200:
        assert response.status_code == 200
        return
    assert_error(response, status, code)


def test_wrong_method_and_csrf(web):
    login(web.client, "county")
    assert_error(web.client.post("/api/me"), 405, "method_not_allowed")
    assert_error(web.client.post("/logout", data={"csrf": "forged"}), 403, "csrf_failed")


def test_a_non_ascii_csrf_token_is_refused_not_a_crash(web):
    # Found by schemathesis: secrets.compare_digest raised on non-ASCII strings (a 500).
    login(web.client, "city")
    response = web.client.post(
        "/api/permu/runs", data={"spec": "x", "year": "2022", "csrf": "令牌"}
    )
    assert_error(response, 403, "csrf_failed")


@pytest.mark.parametrize(
    "path",
    [
        "/api/enterprises?q=%00",
        "/api/enterprises?q=a%00b",
        "/audit?actor=%00",
        "/api/regions/33%00",
    ],
)
def test_a_nul_character_is_refused_not_a_crash(web, path):
    # Found by schemathesis: a NUL in a string literal is a DuckDB parser error (a 500).
    login(web.client, "city")
    assert_error(web.client.get(path), 422, "invalid_request")


def test_user_text_with_quotes_and_nul_is_stored_as_written(web):
    from industry_brain.ingest.mappings import all_mappings, save_mapping

    con = web.city.ws.con
    header = "职工人数（含'劳务派遣'）\x00"
    save_mapping(con, "emissions", header, "uscc", "city")
    assert header.strip() in {m["header"] for m in all_mappings(con)}

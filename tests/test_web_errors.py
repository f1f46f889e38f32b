"""One JSON error shape for the whole API, whatever went wrong."""

import pytest
from fastapi import FastAPI
from fastapi.templating import Jinja2Templates
from fastapi.testclient import TestClient

from industry_brain.runs.permu import RunError
from industry_brain.runs.workflow import NotAllowed
from industry_brain.web.app import WEB
from industry_brain.web.errors import ApiError, install
from web_helpers import csrf_of, login, logout

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


def test_user_text_with_quotes_is_stored_as_written_and_control_characters_dropped(web):
    """Quotes are data, not SQL; a NUL (which PostgreSQL cannot store, and nobody sees) is
    dropped on every backend, as it is from the headers read in files."""
    from industry_brain.ingest.mappings import all_mappings, save_mapping

    con = web.city.ws.con
    save_mapping(con, "emissions", "职工人数（含'劳务派遣'）\x00\x07", "uscc", "city")
    assert "职工人数（含'劳务派遣'）" in {m["header"] for m in all_mappings(con)}


BROWSER = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture(scope="module")
def small() -> TestClient:
    """An application with the error handling alone and three routes that refuse."""
    app = FastAPI()
    app.state.templates = Jinja2Templates(directory=WEB / "templates")
    install(app)

    @app.post("/api/things")
    async def move() -> None:
        raise NotAllowed("alice (331003) does not cover 331000")

    @app.get("/things")
    async def page() -> None:
        raise RunError("the 2021 data are missing")

    @app.post("/api/session")
    async def signed_out() -> None:
        raise ApiError(401, "sign in first")

    return TestClient(app)


def test_a_brain_error_on_the_api_is_json_with_its_code_and_a_chinese_message(small):
    answer = small.post("/api/things", data={"a": "1"})
    assert_error(answer, 403, "workflow_forbidden")
    message = answer.json()["error"]["message"]
    assert message == "无权对该评价批次进行此操作：alice (331003) does not cover 331000"


def test_a_failed_browser_form_post_gets_a_chinese_page_with_a_link_back(small):
    came = {"referer": "http://testserver/runs/3?tab=1"}
    answer = small.post("/api/things", data={"a": "1"}, headers=BROWSER | came)
    assert answer.status_code == 403 and answer.headers["content-type"].startswith("text/html")
    page = answer.text
    assert "<h1>无权对该评价批次进行此操作</h1>" in page and "workflow_forbidden" in page
    assert 'href="/runs/3?tab=1"' in page
    foreign = small.post(
        "/api/things", data={"a": "1"}, headers=BROWSER | {"referer": "https://evil.example/x"}
    )
    assert 'href="/runs' not in foreign.text and 'href="/">返回上一页' in foreign.text


def test_a_page_error_is_a_page_and_htmx_or_api_clients_get_json(small):
    page = small.get("/things", headers=BROWSER)
    assert page.status_code == 409 and "<h1>评价未能运行</h1>" in page.text
    assert "the 2021 data are missing" in page.text  # the reason, for the analyst
    htmx = small.post("/api/things", data={"a": "1"}, headers=BROWSER | {"hx-request": "true"})
    assert_error(htmx, 403, "workflow_forbidden")
    fetched = small.post("/api/things", json={}, headers=BROWSER)  # not a form: the API's answer
    assert_error(fetched, 403, "workflow_forbidden")


def test_a_signed_out_form_post_goes_to_login_and_back_to_the_form(small):
    came = {"referer": "http://testserver/runs/3"}
    answer = small.post(
        "/api/session", data={"a": "1"}, headers=BROWSER | came, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=/runs/3"


def test_the_real_application_answers_a_browser_form_in_chinese(web):
    login(web.client, "city")
    token = csrf_of(web.client, "/runs")
    form = {"spec": "no-such-spec", "year": "2022", "csrf": token}
    came = BROWSER | {"referer": "http://testserver/runs"}
    answer = web.client.post("/api/permu/runs", data=form, headers=came)
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
    assert "<h1>未找到</h1>" in answer.text and 'href="/runs">返回上一页' in answer.text
    assert_error(web.client.post("/api/permu/runs", data=form), 404, "not_found")

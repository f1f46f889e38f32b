"""Security headers on every kind of answer (page, JSON, static file, error, download), a 405
that says in `Allow` what the path accepts, a CSP that names no other origin and allows no
inline script, error answers documented in the OpenAPI schema, and the pages in Chromium under
the CSP: charts, map and tooltips drawn, the HTMX search working, no violation reported.
Screenshots at 1440 px in test-artifacts/csp-*.png."""

import re

import pytest

from industry_brain.web.headers import CSP
from test_web_browser import shot
from test_web_cycle_browser import sign_in
from web_helpers import login, logout

EXPECTED = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


def assert_secured(response):
    assert response.headers["content-security-policy"] == CSP, response.request.url
    for name, value in EXPECTED.items():
        assert response.headers[name] == value, (name, response.request.url)


def test_every_kind_of_answer_carries_the_headers(web):
    login(web.client, "city")
    page = web.client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    api = web.client.get("/api/me")
    assert api.status_code == 200 and api.headers["content-type"] == "application/json"
    static = web.client.get("/static/css/app.css")
    assert static.status_code == 200 and static.headers["content-type"].startswith("text/css")
    missing_api = web.client.get("/api/nothing-here")
    missing_page = web.client.get("/nothing-here", headers={"accept": "text/html"})
    assert missing_api.status_code == missing_page.status_code == 404
    download = web.client.get("/region/331003/export.xlsx")
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment")
    nul = web.client.get("/api/enterprises?q=%00")
    assert nul.status_code == 422  # refused by a middleware before any route
    for response in (page, api, static, missing_api, missing_page, download, nul):
        assert_secured(response)
    logout(web.client)
    signed_out = web.client.get("/api/me")
    assert signed_out.status_code == 401
    assert_secured(signed_out)
    assert_secured(web.client.get("/login"))


def test_an_internal_error_carries_the_headers_too():
    # A 500 is answered by Starlette's outermost middleware, outside SecurityHeaders.
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from industry_brain.web import errors, headers

    app = FastAPI()
    errors.install(app)
    app.add_middleware(headers.SecurityHeaders)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    response = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert response.status_code == 500 and response.json()["error"]["code"] == "internal_error"
    assert_secured(response)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("POST", "/api/me", "GET"),
        ("DELETE", "/api/permu/runs", "GET, POST"),  # two routes share the path
        ("OPTIONS", "/api/permu/runs", "GET, POST"),
        ("POST", "/api/permu/runs/1/scores", "GET"),  # not taken for a workflow move
        ("GET", "/api/permu/runs/1/submit", "POST"),
        ("PUT", "/runs/1", "GET"),
    ],
)
def test_a_405_names_the_methods_the_path_accepts(web, method, path, allow):
    login(web.client, "city")
    response = web.client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert_secured(response)


def test_the_policy_names_no_other_origin_and_allows_no_inline_script():
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    for name, sources in directives.items():
        for source in sources.split():
            assert source in ("'self'", "'none'", "data:"), (name, source)
    assert not re.search(r"https?:|\*|'unsafe-", CSP)


def test_the_schema_documents_the_error_answers_and_no_cdn_docs_page(web):
    assert web.client.get("/api/docs").status_code == 404  # Swagger UI would load from a CDN
    assert web.client.get("/api/redoc").status_code == 404
    schema = web.client.get("/api/openapi.json").json()
    assert "ErrorBody" in schema["components"]["schemas"]
    operations = [(p, m, op) for p, ops in schema["paths"].items() for m, op in ops.items()]
    assert len(operations) >= 13
    for path, method, operation in operations:
        for status in ("401", "403", "404", "422"):
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/ErrorBody"}, (path, status)
        if method == "post":
            assert "303" in operation["responses"] and "409" in operation["responses"], path
            assert "content" not in operation["responses"]["303"], path


def test_the_pages_work_under_the_policy_without_a_violation(live_server, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    context.add_init_script(  # run by the browser itself, so the policy does not apply to it
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', (e) => window.__violations.push("
        "[e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber, e.sample].join(' ')));"
    )
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    sign_in(page, live_server, "city")

    def violations() -> list[str]:
        return page.evaluate("window.__violations") + [
            line for line in console if "Content Security Policy" in line or "pageerror" in line
        ]

    page.goto(f"{live_server}/")
    page.wait_for_selector("#map[data-drawn='1'] canvas")
    page.wait_for_selector("#grades canvas")
    page.hover("#map canvas", position={"x": 300, "y": 220})  # a county's tooltip
    page.hover("#grades canvas", position={"x": 200, "y": 120})
    page.wait_for_timeout(300)
    shot(page, "csp-1-overview")
    assert not violations(), "\n".join(violations())

    run_id = page.evaluate(
        "fetch('/api/permu/runs').then((r) => r.json()).then((r) => r[0].run_id)"
    )
    page.goto(f"{live_server}/runs/{run_id}")
    page.wait_for_selector("#grades canvas")
    page.hover("#grades canvas", position={"x": 200, "y": 120})
    page.wait_for_timeout(300)
    shot(page, "csp-2-run")
    assert not violations(), "\n".join(violations())

    page.goto(f"{live_server}/region/331003")
    with page.expect_response(lambda r: "/region/331003?" in r.url) as swapped:
        page.locator("main input[name=q]").press_sequentially("9133")  # HTMX swaps in the rows
    assert swapped.value.status == 200
    page.wait_for_timeout(300)
    page.goto(f"{live_server}/monitoring/taizhou-14th-fyp")
    page.wait_for_selector(".spark canvas")
    assert not violations(), "\n".join(violations())
    context.close()

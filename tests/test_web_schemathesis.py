"""schemathesis against the OpenAPI schema with all its default checks (status codes, content
types, response bodies and headers against the schema, valid data accepted and invalid data
refused, 405 with Allow for undocumented methods, ...), signed in as a city analyst with the
session cookie and, for unsafe methods, the CSRF header.

The app under test serves a copy of the session's workspace: generated requests that pass every
check really change things (withdraw batch 1, run a spec), and the other tests must not see that.
"""

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from industry_brain.web.app import create_app
from web_helpers import csrf_of, login


@pytest.fixture(scope="module")
def signed_in(web, tmp_path_factory):
    """An app on a copy of the workspace, and the city analyst's cookie and CSRF token there."""
    from helpers import copy_of_served

    copy = tmp_path_factory.mktemp("schemathesis") / "ws"
    ws = copy_of_served(web.city.ws, web.client.app, copy)
    app = create_app(ws)
    client = TestClient(app, base_url="https://testserver")
    assert login(client, "city").status_code == 303
    token = csrf_of(client, "/runs")
    yield app, client.cookies["ib_session"], token
    ws.con.disconnect()


@pytest.fixture(autouse=True)
def node_id_for_schemathesis(request):
    # schemathesis' lazy parametrize renames the test through `node._nodeid`, which this pytest
    # no longer has (its node ids are structured now): give it the plain one to rename
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@pytest.fixture(scope="module")
def api_schema(signed_in):
    return schemathesis.openapi.from_asgi("/api/openapi.json", signed_in[0])


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, signed_in):
    _, cookie, token = signed_in
    headers = {"cookie": f"ib_session={cookie}"}
    if case.method.upper() not in ("GET", "HEAD", "OPTIONS"):
        headers["x-csrf-token"] = token
    case.call_and_validate(headers=headers)

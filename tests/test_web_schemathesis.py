"""schemathesis against the OpenAPI schema, signed in as a city analyst: no generated input
gives a 5xx on any operation."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from web_helpers import login


@pytest.fixture(scope="module")
def api_schema(web):
    return schemathesis.openapi.from_asgi("/api/openapi.json", web.client.app)


def test_no_server_errors(web, api_schema):
    login(web.client, "city")
    cookie = {"cookie": f"ib_session={web.client.cookies['ib_session']}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def check(case):
            response = case.call(headers=cookie)
            assert response.status_code < 500, (case.path, case.path_parameters, case.query)
            case.validate_response(response, checks=[not_a_server_error])

        check()

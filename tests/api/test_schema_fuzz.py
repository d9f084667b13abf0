"""The whole API against its own OpenAPI document (schemathesis): for requests generated from
the document, anonymous and with a bearer token, no answer is a server error and none has a
status the document does not declare for that operation, and every 4xx body is the declared
error shape (`ErrorOut`)."""

import pytest
import schemathesis
from django.contrib.auth.models import User
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from sailau.accounts.models import ApiToken
from sailau.api.errors import ErrorOut
from sailau.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@schemathesis.check
def error_shape(ctx, response, case):
    """A refusal answers `ErrorOut`, whatever refused it (a handler, ninja, Django's router)."""
    if 400 <= response.status_code < 500:
        assert response.headers.get("content-type", [""])[0].startswith("application/json"), (
            f"{response.status_code} answered {response.headers.get('content-type')}")
        ErrorOut.model_validate(response.json())


CHECKS = [not_a_server_error, status_code_conformance, error_shape]
# Small, fixed examples: the whole document in about a minute on one core.
BOUNDED = settings(max_examples=2, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))


@pytest.fixture
def token(db):
    return ApiToken.issue(User.objects.create_superuser("fuzz-admin"))


@schema.parametrize()
@BOUNDED
@pytest.mark.django_db
def test_anonymous(case):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@BOUNDED
@pytest.mark.django_db
def test_with_a_token(case, token):
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Bearer {token}"})

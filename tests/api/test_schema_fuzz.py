"""The whole API against its own OpenAPI document (schemathesis): for requests generated from
the document, anonymous and with a bearer token, no answer is a server error and none has a
status the document does not declare for that operation."""

import pytest
import schemathesis
from django.contrib.auth.models import User
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from sailau.accounts.models import ApiToken
from sailau.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
CHECKS = [not_a_server_error, status_code_conformance]
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

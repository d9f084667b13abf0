"""Answers under /api/ that no API handler makes (no route for the path, no such method on the
route) are still the one error shape, in the request's language."""

import pytest
from django.test import Client

from sailau.api.errors import ErrorOut

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang,text", [("en", "No API operation"), ("kk", "API операциясы жоқ"),
                                       ("ru", "нет операции API")])
def test_a_path_no_route_matches_answers_the_error_shape(lang, text):
    r = Client(HTTP_ACCEPT_LANGUAGE=lang).get("/api/no/such/thing")
    assert r.status_code == 404 and r["Content-Type"].startswith("application/json")
    body = ErrorOut.model_validate(r.json())
    assert body.error == "not_found" and text in body.message


def test_a_method_the_route_lacks_answers_the_error_shape():
    r = Client().patch("/api/accounts/roles")
    assert r.status_code == 405 and r["Content-Type"].startswith("application/json")
    assert r.json()["error"] == "method_not_allowed" and "POST" in r["Allow"]
    assert "POST" in r.json()["detail"]["allowed"]

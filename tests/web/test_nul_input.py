"""Text with a NUL character is refused before a view stores it (PostgreSQL cannot hold one and
answered 500), in the error shape under /api/ and as a page in its language elsewhere."""

import pytest

pytestmark = pytest.mark.django_db


def test_api_query_with_nul_is_refused_in_the_error_shape(client):
    r = client.get("/api/observation/copies?election=%00", HTTP_ACCEPT_LANGUAGE="ru")
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "bad_input" and "NUL" in body["message"]


def test_api_json_body_with_nul_is_refused(client):
    r = client.post("/api/accounts/tokens", data='{"label": "a\\u0000b"}',
                    content_type="application/json")
    assert r.status_code == 422 and r.json()["error"] == "bad_input"


def test_page_with_nul_is_a_page_in_its_language(client):
    r = client.get("/ru/e/x/search/?q=%00")
    assert r.status_code == 422
    assert "символ NUL" in r.content.decode()


def test_files_may_hold_any_byte(client):
    """A multipart upload is not text: its NUL bytes are not refused here (uploads have their
    own checks, sailau.uploads)."""
    r = client.post("/api/accounts/tokens", data={"f": b"\x00\x01"})
    assert r.status_code != 422 or "NUL" not in r.json()["message"]

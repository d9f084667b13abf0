"""A trusted proxy that sends no X-Forwarded-For makes every visitor one client: said loudly in
the log and on the health page, not left to be found when the limits stop everybody."""

import logging

import pytest

from sailau.api import health as health_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def behind_proxy(settings, monkeypatch):
    settings.SAILAU_TRUSTED_PROXIES = "127.0.0.1"
    monkeypatch.setattr(health_page, "_told", 0.0)


def test_a_proxy_that_names_no_client_is_reported(behind_proxy, client, caplog):
    assert client.get("/api/health").json() == {"ok": True, "warnings": []}
    with caplog.at_level(logging.ERROR, logger="sailau.proxy"):
        # Forwarded as it should be: nothing to say.
        client.get("/api/audit/verify", HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert not caplog.records
        assert client.get("/api/health").json()["ok"] is True
        # The proxy (127.0.0.1, the test client's address) without the header.
        client.get("/api/audit/verify")
    assert any("X-Forwarded-For" in r.getMessage() for r in caplog.records)
    health = client.get("/api/health?lang=ru").json()
    assert health["ok"] is False
    assert [w["code"] for w in health["warnings"]] == ["proxy_unforwarded"]
    assert "прокси" in health["warnings"][0]["message"]


def test_a_client_connecting_directly_is_no_proxy_fault(behind_proxy, client):
    client.get("/api/audit/verify", REMOTE_ADDR="203.0.113.9")
    assert client.get("/api/health").json()["ok"] is True

"""Limits and slow answers: rate limits counted across server processes, the audit log's
verification served from its last result, query bounds answered 422 rather than 500."""

import pytest
from django.test import Client

from sailau import audit, background
from sailau.audit import chain, verification
from sailau.voters import lookup

pytestmark = pytest.mark.django_db


def test_lookup_limit_is_shared_by_every_worker(transactional_db):
    """Eight workers (threads, each with a connection of its own) answering the same client at
    once let LIMIT through, not more: each count is one atomic upsert in the database. On
    PostgreSQL only: the tests' SQLite database is in memory, one connection for all."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (SAILAU_DATABASE_URL): concurrent connections")
    passed, start = [], threading.Barrier(8)

    def worker():
        try:
            start.wait()
            passed.append(sum(not lookup.WINDOW.hit("one-client")[0]
                              for _ in range(lookup.LIMIT)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(passed) == 8 and sum(passed) == lookup.LIMIT, passed


def test_an_ipv6_client_is_counted_by_its_64(client):
    """A new address of the same /64 for every request is the same client; another /64 is not."""
    from tests import factories as f

    election = f.ElectionFactory()
    body = {"election": election.pk, "iin": "990101300001"}
    codes = [client.post("/api/voters/lookup", body, content_type="application/json",
                         REMOTE_ADDR=f"2001:db8:1:2::{i + 1:x}").status_code
             for i in range(lookup.LIMIT + 1)]
    assert codes[:lookup.LIMIT] == [200] * lookup.LIMIT and codes[-1] == 429, codes
    other = client.post("/api/voters/lookup", body, content_type="application/json",
                        REMOTE_ADDR="2001:db8:1:3::1")
    assert other.status_code == 200


@pytest.fixture
def inline_jobs(monkeypatch):
    """Background jobs run at once in the test's thread (and are counted)."""
    started = []

    def start(name, job):
        started.append(name)
        job()
        return True

    monkeypatch.setattr(background, "start", start)
    return started


def test_verify_serves_the_last_result_without_walking_the_chain(inline_jobs, monkeypatch):
    audit.append("test", "step", "s1", {})
    walks = []
    real = chain.verify
    monkeypatch.setattr(chain, "verify", lambda *a: walks.append(1) or real(*a))
    first = Client().get("/api/audit/verify").json()  # nothing current yet: one job walks it
    assert len(walks) == 1 and inline_jobs == ["audit-verification"]
    answers = [Client().get("/api/audit/verify").json() for _ in range(5)]
    assert len(walks) == 1  # served from the last result
    assert all(a["ok"] is True and a["current"] and a["records"] >= 1 for a in answers)
    assert first["current"] is False
    audit.append("test", "step", "s2", {})  # the log grew: served as not current, walked again
    r = Client().get("/api/audit/verify").json()
    assert r["current"] is False and len(walks) == 2
    assert verification.latest()["current"] is True


def test_verify_is_rate_limited_per_client(inline_jobs):
    codes = [Client().get("/api/audit/verify").status_code for _ in range(61)]
    assert codes[:60] == [200] * 60 and codes[60] == 429
    r = Client().get("/api/audit/verify")
    assert r.status_code == 429 and r.json()["error"] == "rate_limited"


@pytest.mark.parametrize("query", ["offset=-1", "offset=" + "9" * 20, "limit=0", "limit=100000"])
def test_list_bounds_are_422_not_500(query):
    audit_query = query.replace("offset", "after")  # the log pages by sequence number
    for url in ("/api/complaints/?" + query, "/api/observation/copies?election=x&" + query,
                "/api/audit/records?" + audit_query):
        r = Client().get(url)
        assert r.status_code == 422, (url, r.status_code)
        assert r.json()["error"] == "bad_input"
        assert r.json()["field"] == query.split("=")[0].replace("offset", "after" if "audit" in
                                                                url else "offset")


def test_anonymous_writes_are_401_not_a_csrf_403():
    c = Client(enforce_csrf_checks=True)
    for url in ("/api/complaints/", "/api/voters/e/absentee", "/api/protocols/bulk"):
        r = c.post(url, data={}, content_type="application/json")
        assert r.status_code == 401 and r.json()["error"] == "unauthorized", url

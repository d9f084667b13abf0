"""Limits and slow answers: rate limits counted across server processes, the audit log's
verification served from its last result, query bounds answered 422 rather than 500."""

import multiprocessing

import pytest
from django.test import Client

from sailau import audit, background
from sailau.audit import chain, verification
from sailau.voters import lookup

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_cache(settings, tmp_path):
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "sailau.sharedcache.SharedFileCache", "LOCATION": str(tmp_path / "cache")}}


def _lookups(n, out):
    out.put(sum(not lookup.WINDOW.hit("one-client")[0] for _ in range(n)))


def test_lookup_limit_is_shared_by_every_worker(shared_cache):
    """Two server processes answering the same client at once let LIMIT through, not 2 x LIMIT."""
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    workers = [ctx.Process(target=_lookups, args=(lookup.LIMIT, out)) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert out.get(timeout=5) + out.get(timeout=5) == lookup.LIMIT


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


def test_verify_serves_the_last_result_without_walking_the_chain(inline_jobs, monkeypatch,
                                                                 shared_cache):
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


def test_verify_is_rate_limited_per_client(inline_jobs, shared_cache):
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

import datetime as dt

import pytest
from django.contrib.auth.models import User
from ninja.testing import TestClient

from sailau.api.api import api
from sailau.complaints import models as m
from sailau.complaints import public, services


@pytest.fixture(scope="module")
def api_client():
    class Client(TestClient):  # the whole API (its error handler), paths under /complaints
        def request(self, method, path, *args, **kw):
            return super().request(method, "/complaints" + path, *args, **kw)

    return Client(api)


def test_api_list_detail_statistics(api_client, base, db):
    c, _ = services.file_complaint(base)
    r = api_client.get("/?topic=counting")
    assert r.status_code == 200 and r.json()["count"] == 1
    rec = r.json()["complaints"][0]
    assert rec["filer"] == str(dict(m.FILER_KINDS)["voter"]) and "Qwerty" not in r.content.decode()
    assert api_client.get(f"/{c.receipt}").json()["chain"][0]["receipt"] == c.receipt
    stats = api_client.get("/statistics").json()
    assert stats["total"] == 1
    assert {r["key"]: r["n"] for r in stats["by_topic"]}["counting"] == 1


def test_api_filing_needs_auth_and_reports_errors(api_client, base, db):
    form = {k: str(v) for k, v in base.items() if k != "filed_at"}
    assert api_client.post("/", data=form).status_code == 401
    user = User.objects.create_user("u1")
    r = api_client.post("/", data=form, user=user)
    assert r.status_code == 201 and r.json()["receipt"]
    r2 = api_client.post("/", data=form, user=user)
    assert r2.status_code == 200 and r2.json()["created"] is False
    r3 = api_client.post("/", data={**form, "station": "99999"}, user=user)
    assert r3.status_code == 422 and "station" in r3.json()["detail"]["errors"]


def test_openapi_lists_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    assert {"/api/complaints/", "/api/complaints/statistics", "/api/complaints/{receipt}"} <= set(schema["paths"])


def test_repeated_across_elections(base, election):
    from sailau.elections.models import Election
    from sailau.elections.places import address_line

    other = Election.objects.create(id="kz.test.2027", kind="mazhilis", date=election.date.replace(year=election.date.year + 4), names={"kk": "Other"})
    services.file_complaint(base)
    services.file_complaint({**base, "election": other.id, "station": "", "against_name": "PEC",
                             "text": "again", "filed_at": base["filed_at"].replace(year=other.date.year)})
    st = election.stations.order_by("number").first()
    services.file_complaint({**base, "election": other.id, "station": "", "text": "x",
                             "against_name": address_line(st.settlements["kk"], st.addresses["kk"]),
                             "filed_at": base["filed_at"].replace(year=other.date.year)})
    rep = public.repeated()
    assert any(r["elections"] == sorted([election.id, other.id]) for r in rep)


def test_demo_generate(election):
    from sailau.complaints.demo import generate

    cs = generate(election, seed=3, n=120)
    assert len(cs) >= 120 and m.Complaint.objects.count() == len(cs)
    assert m.Decision.objects.exists() and m.Complaint.objects.filter(contests__isnull=False).exists()
    assert m.Decision.objects.filter(effect=m.CANCELLED).exists()
    assert len(set(m.Complaint.objects.values_list("topic", flat=True))) >= 6
    assert m.Complaint.objects.filter(topic="observers_rights").exclude(
        filer_kind__in=["observer", "observer_org", "proxy"]).count() == 0
    stats = public.statistics(m.Complaint.objects.all(), today=dt.date.today())
    assert stats["total"] == len(cs)

"""The HTTP API: the flow through it, errors as JSON naming the problem, the OpenAPI document,
tokens and CSRF."""

import json

import pytest
from django.test import Client

from sailau.accounts.models import ApiToken
from sailau.audit import verification
from sailau.protocols.models import Protocol

pytestmark = pytest.mark.django_db


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def call(c, method, url, body=None, **extra):
    kw = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
    return getattr(c, method)(url, **kw, **extra)


def paper(syn, station, contest):
    p = syn.protocols[(station.id, contest)]
    return {"figures": p["figures"], "choices": p["choices"]}


def warnings_of(contest, body):
    from sailau.protocols.catalog import Catalog

    form = Catalog().contest(contest).form
    return [f.code for f in form.check(body["figures"], body["choices"])
            if f.severity == "warning"]


def test_openapi_lists_every_write(chain_election):
    doc = Client().get("/api/openapi.json").json()
    paths = doc["paths"]
    assert "/api/protocols/{station}/{contest}/entry/{n}/finalise" in paths
    assert "/api/protocols/{station}/{contest}/amendments" in paths
    assert "/api/chronometry/stations/{station}" in paths
    assert "post" in paths["/api/protocols/bulk"]


def test_double_entry_through_the_api(chain_election, people):
    syn, election = chain_election
    st = people.stations[0]
    c = f"{election.id}.list"
    base = f"/api/protocols/{st.id}/{c}"
    a, b = client_for(people.operator(st)), client_for(people.operator(st))
    body = paper(syn, st, c)
    body["acknowledged"] = warnings_of(c, body)
    r = call(a, "put", f"{base}/entry/1", {"figures": {"lost": "0"}})
    assert r.status_code == 200 and r.json()["state"] == "first_entry_in_progress"
    r = call(a, "post", f"{base}/entry/1/finalise", body)
    assert r.status_code == 200, r.content
    r = call(a, "post", f"{base}/entry/2/finalise", body)
    assert r.status_code == 409 and r.json()["error"] == "second_entry_same_user"
    assert Client().get(base).status_code == 404  # not definitive yet
    r = call(b, "post", f"{base}/entry/2/finalise", body)
    assert r.json()["state"] == "definitive"
    pub = Client().get(base).json()  # public at once
    assert pub["version"] == 1 and pub["figures"] == body["figures"] and len(pub["digest"]) == 64
    tally = Client().get(f"/api/tallies/{c}/{people.cec.id}").json()
    assert tally["stations_reported"] == 1 and tally["outcome"]["status"] == "provisional"
    verification.recompute()  # what the background job does when the log has grown
    v = Client().get("/api/audit/verify").json()
    assert v["ok"] is True and v["current"] is True and v["records"] >= 3
    assert len(Client().get(f"/api/audit/records?subject={st.id}/{c}").json()) == 3


def test_errors_are_json_naming_the_problem(chain_election, people):
    syn, election = chain_election
    st = people.stations[1]
    c = f"{election.id}.list"
    a = client_for(people.operator(st))
    body = paper(syn, st, c)
    body["figures"] = dict(body["figures"], lost=-3)
    r = call(a, "post", f"/api/protocols/{st.id}/{c}/entry/1/finalise", body)
    assert r.status_code == 422 and r.json()["field"] == "figures.lost"
    body = paper(syn, st, c)
    body["figures"] = dict(body["figures"], cancelled=body["figures"]["cancelled"] + 1)
    r = call(a, "post", f"/api/protocols/{st.id}/{c}/entry/1/finalise", body)
    assert r.status_code == 422 and r.json()["error"] == "entry_has_errors"
    assert r.json()["detail"]["findings"][0]["code"] == "F101"
    r = call(a, "post", f"/api/protocols/kz.none/{c}/entry/1/finalise", paper(syn, st, c))
    assert r.status_code == 404 and r.json()["error"] == "unknown_station"
    r = call(a, "post", f"/api/protocols/{st.id}/{c}/entry/1/finalise", {"figures": 3})
    assert r.status_code == 422  # schema: figures must be an object
    assert not Protocol.objects.exists()


def test_bulk_is_all_or_nothing(chain_election, people):
    syn, election = chain_election
    c = f"{election.id}.list"
    admin = people.admin()
    items = []
    for st in people.stations[:5]:
        body = paper(syn, st, c)
        items.append({"station": st.id, "contest": c, "entry": 1,
                      "acknowledged": warnings_of(c, body), **body})
    bad = dict(items[3], figures=dict(items[3]["figures"], lost=-1))
    r = call(client_for(admin), "post", "/api/protocols/bulk", {"items": items[:3] + [bad]})
    assert r.status_code == 422 and r.json()["detail"]["item"] == 3
    from sailau.protocols.models import DataEntry

    assert not DataEntry.objects.exists()
    r = call(client_for(admin), "post", "/api/protocols/bulk", {"items": items})
    assert r.status_code == 200 and r.json()["stored"] == 5


def test_token_and_csrf(chain_election, people):
    _syn, election = chain_election
    st = people.stations[2]
    c = f"{election.id}.list"
    op = people.operator(st)
    url = f"/api/protocols/{st.id}/{c}/entry/1"
    assert call(Client(), "put", url, {"figures": {}}).status_code == 401
    token = ApiToken.issue(op)
    r = call(Client(), "put", url, {"figures": {}}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 200
    r = call(Client(), "put", url, {"figures": {}}, HTTP_AUTHORIZATION="Bearer wrong")
    assert r.status_code == 401
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(op)
    assert call(strict, "put", url, {"figures": {}}).status_code in (401, 403)


def test_chronometry_through_the_api(chain_election, people):
    _syn, election = chain_election
    st = people.stations[3]
    op = client_for(people.operator(st))
    url = f"/api/chronometry/stations/{st.id}"
    r = call(op, "post", url, {"step": "polls_closed", "at": "2023-03-19T20:00:00+06:00"})
    assert r.status_code == 200
    r = call(op, "post", url, {"step": "protocol_signed", "at": "2023-03-19T23:30:00+06:00"})
    r = call(op, "post", url, {"step": "received_by_territory", "at": "2023-03-20T03:00:00+06:00"})
    assert r.status_code == 403  # the territorial commission records its receipt
    r = call(op, "post", url, {"step": "tea_break", "at": "2023-03-20T03:00:00+06:00"})
    assert r.status_code == 422 and r.json()["field"] == "step"
    r = call(op, "post", url, {"step": "polls_closed", "at": "2099-03-19T20:00:00+06:00"})
    assert r.status_code == 422
    times = Client().get(url).json()
    assert set(times) == {"polls_closed", "protocol_signed"}
    dist = Client().get(f"/api/chronometry/elections/{election.id}").json()
    assert dist[st.territory_id]["protocol_signed"] == {"n": 1, "median": 210.0, "p90": 210.0,
                                                        "max": 210.0}


def test_a_drafts_findings_read_in_every_language(chain_election, people):
    """The entry form's script shows a finding in the page's language: the draft's answer has
    every language, Kazakh in Latin script made from the Kazakh."""
    from sailau.languages import LANGUAGES
    from sailau.languages.latin import from_cyrillic

    syn, election = chain_election
    st = people.stations[1]
    c = f"{election.id}.list"
    body = paper(syn, st, c)
    body["figures"] = dict(body["figures"], cancelled=body["figures"]["cancelled"] + 1)
    r = call(client_for(people.operator(st)), "put", f"/api/protocols/{st.id}/{c}/entry/1", body)
    assert r.status_code == 200, r.content
    message = r.json()["findings"][0]["message"]
    assert set(message) == set(LANGUAGES)
    assert message["kk-latn"] == from_cyrillic(message["kk"]) != message["kk"]

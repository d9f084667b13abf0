"""Deciding a complaint is the right of the body it was filed with, in its own election: a
decider of one commission or court neither sees nor decides another body's complaints, nor the
same court's complaints of another election."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sailau.accounts.models import Role
from sailau.complaints import models as m
from sailau.complaints import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(base, election):
    from sailau.elections.models import Election

    stations = list(election.stations.order_by("number"))
    near = stations[0]
    far = next(s for s in stations if s.commission_id != near.commission_id)
    own, _ = services.file_complaint({**base, "body_commission": near.commission_id})
    other, _ = services.file_complaint({**base, "text": "Another", "station": str(far.number),
                                        "body_commission": far.commission_id})
    court, _ = services.file_complaint({**base, "text": "To court", "body": "admin_court"})
    second = Election.objects.create(id="kz.test.second", kind=election.kind, date=election.date,
                                     names={"kk": "Екінші", "ru": "Вторые", "en": "Second"})
    elsewhere, _ = services.file_complaint({**base, "election": second.id, "station": None,
                                            "text": "Second election", "body": "admin_court"})
    return {"own": own, "other": other, "court": court, "elsewhere": elsewhere,
            "commission": near.commission, "election": election}


def decider(name, **scope):
    u = User.objects.create_user(name)
    Role.objects.create(user=u, kind=Role.DECIDER, **scope)
    c = Client()
    c.force_login(u)
    return c


def test_each_body_decides_only_its_own_complaints(cases):
    commission = decider("pec-decider", commission=cases["commission"])
    court = decider("court-decider", election=cases["election"], body="admin_court")
    may = {commission: {"own"}, court: {"court"}}
    for client, mine in may.items():
        listed = client.get("/en/complaints/staff/").content.decode()
        for name in ("own", "other", "court", "elsewhere"):
            receipt = cases[name].receipt
            assert (receipt in listed) == (name in mine), (name, listed)
            page = client.get(f"/en/complaints/staff/{receipt}/")
            assert page.status_code == (200 if name in mine else 403), name
    # A decision posted for another body's complaint is refused and stores nothing.
    r = commission.post(f"/en/complaints/staff/{cases['other'].receipt}/",
                        {"action": "decide", "outcome": "rejected", "text": "No.",
                         "effect": "none"})
    assert r.status_code == 403
    assert not m.Decision.objects.filter(complaint=cases["other"]).exists()
    r = commission.post(f"/en/complaints/staff/{cases['own'].receipt}/",
                        {"action": "decide", "outcome": "rejected", "text": "No.",
                         "effect": "none", "decided_on": cases["own"].due_date.isoformat()})
    assert r.status_code == 302 and m.Decision.objects.filter(complaint=cases["own"]).exists()


def test_an_account_without_a_deciding_role_sees_no_staff_pages(cases):
    c = Client()
    c.force_login(User.objects.create_user("operator-only"))
    assert c.get("/en/complaints/staff/").status_code == 403
    assert c.get(f"/en/complaints/staff/{cases['own'].receipt}/").status_code == 403


@pytest.mark.parametrize("lang,station,version", [("en", "Station", "Version"),
                                                  ("ru", "Участок", "Версия")])
def test_the_decider_picks_a_protocol_version_by_what_a_person_reads(cases, lang, station,
                                                                     version):
    """The version an upheld complaint caused is chosen from the station's versions by station,
    contest, version and time in the page's language; no box asks for a database id."""
    from sailau.protocols.models import Protocol

    c = cases["own"]
    client = decider(f"pec-decider-{lang}", commission=cases["commission"])
    html = client.get(f"/{lang}/complaints/staff/{c.receipt}/").content.decode()
    assert "(id)" not in html and 'type="text" name="protocol_version"' not in html
    p = Protocol.objects.filter(station=c.station, current=True).select_related("contest").first()
    option = f'<option value="{p.pk}">'
    assert option in html
    label = html.split(option, 1)[1].split("</option>", 1)[0]
    assert str(c.station.number) in label and station in label and f"{version} {p.version}" in label
    assert p.contest.name(lang) in label.replace("&quot;", '"').replace("&#x27;", "'")
    r = client.post(f"/{lang}/complaints/staff/{c.receipt}/", {
        "action": "decide", "outcome": "upheld", "text": "Recount.", "effect": "protocol_amended",
        "decided_on": c.due_date.isoformat(), "protocol_version": str(p.pk)})
    assert r.status_code == 302 and c.__class__.objects.get(pk=c.pk).decision.protocol_version == p

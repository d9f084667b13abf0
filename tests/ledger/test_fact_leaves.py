"""Each fact's leaf, written in its transaction: the structure (contests with their choices'
parties, stations with the contests they count in), commission keys issued and rotated, a
complaint's decision, roles granted and revoked (no login name)."""

import hashlib
import json

import pytest

from sailau.elections import areas, keys
from sailau.elections.models import Choice, Commission, CommissionKey, Station
from sailau.ledger import audithead, outbox
from sailau.ledger.models import Leaf
from sailau.tlog import leaves


def logged(election_id, kind=None):
    qs = Leaf.objects.filter(election_id=election_id).order_by("id")
    if kind:
        qs = qs.filter(kind=kind)
    return [leaves.decode(bytes(d), i) for i, d in enumerate(qs.values_list("data", flat=True))]


def test_structure_then_keys(small_structure):
    e = small_structure
    kinds = [leaf["type"] for leaf in logged(e.id)]
    n_st, n_c = kinds.count("stations"), kinds.count("contests")
    assert kinds[0] == "structure" and kinds[1:1 + n_c] == ["contests"] * n_c
    assert kinds[1 + n_c:1 + n_c + n_st] == ["stations"] * n_st
    assert set(kinds[1 + n_c + n_st:]) == {"commission-key"}
    [head] = logged(e.id, "structure")
    assert head["origin"] == outbox.origin(e.id)
    assert (head["contest_leaves"], head["station_leaves"]) == (n_c, n_st)
    # every choice with its party, every station with the contests it counts in
    contests = {c["id"]: c for part in logged(e.id, "contests") for c in part["contests"]}
    for ch in Choice.objects.filter(contest__election=e):
        assert contests[ch.contest_id]["choices"][ch.key]["party"] == ch.party_id
    stations = {s["id"]: s for part in logged(e.id, "stations") for s in part["stations"]}
    assert len(stations) == Station.objects.filter(election=e).count()
    for s in Station.objects.filter(election=e)[:40]:
        assert stations[s.id]["contests"] == sorted(areas.contests_of(s).values_list(
            "id", flat=True)), s.id
        assert stations[s.id]["registered"] == s.registered
    # every commission's key registered, held by the server
    registered = {k["commission"]: k for k in logged(e.id, "commission-key")}
    for k in CommissionKey.objects.filter(commission__election=e):
        assert registered[k.commission_id]["public_key"] == k.public_key
        assert registered[k.commission_id]["held_by_server"] is True


def test_key_rotation_revokes_then_registers(small_structure):
    e = small_structure
    cec = Commission.objects.get(election=e, level=Commission.CEC)
    old = CommissionKey.objects.get(commission=cec, retired_at__isnull=True).public_key
    [new] = keys.issue([cec.id])
    last = logged(e.id, "commission-key")[-2:]
    assert [(k["action"], k["public_key"]) for k in last] == [("revoke", old),
                                                              ("register", new.public_key)]
    assert last[0]["reason"]


def test_complaint_decision_is_logged(small_election):
    from sailau.complaints import services
    from tests.complaints.conftest import base as base_fixture

    data = base_fixture.__wrapped__(small_election)
    c, _ = services.file_complaint(data)
    services.decide(c, {"outcome": "rejected", "text": "Not proven."})
    [leaf] = logged(small_election.id, "complaint-decision")
    c.refresh_from_db()
    assert leaf["complaint"] == c.receipt and leaf["outcome"] == "rejected"
    assert leaf["text_sha256"] == hashlib.sha256(b"Not proven.").hexdigest()
    assert leaf["station"] == c.station_id


def test_roles_logged_without_login_names(small_structure):
    from django.contrib.auth.models import User

    from sailau.accounts import services

    e = small_structure
    cec = Commission.objects.get(election=e, level=Commission.CEC)
    User.objects.create_user("aigerim.secret")
    role, _ = services.grant(None, "aigerim.secret", "operator", cec.id)
    services.revoke(None, "aigerim.secret", "operator", cec.id)
    got = logged(e.id, "role")
    assert [(r["action"], r["role"], r["grant"]) for r in got] == [
        ("granted", "operator", role.pk), ("revoked", "operator", role.pk)]
    assert got[0]["scope"] == role.scope
    raw = b"".join(bytes(d) for d in Leaf.objects.values_list("data", flat=True))
    assert b"aigerim" not in raw


@pytest.mark.django_db
def test_audit_head_at_most_a_minute_apart_while_it_grows():
    import datetime as dt

    from django.utils import timezone

    from sailau import audit

    E = "kz.test"
    assert not audithead.log(E)  # an empty audit log: nothing to log
    audit.append("x", "test.one", "s", {})
    now = timezone.now()
    assert audithead.log(E, now=now)
    audit.append("x", "test.two", "s", {})
    assert not audithead.log(E, now=now + dt.timedelta(seconds=30))  # too soon
    assert audithead.log(E, now=now + dt.timedelta(seconds=61))
    assert not audithead.log(E, now=now + dt.timedelta(seconds=200))  # has not grown
    heads = [json.loads(bytes(d)) for d in Leaf.objects.filter(kind="audit-head")
             .order_by("id").values_list("data", flat=True)]
    assert [h["seq"] for h in heads] == [heads[0]["seq"], heads[0]["seq"] + 1]

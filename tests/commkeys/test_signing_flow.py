"""A commission that made its own key signs its own protocols: registered by a member,
confirmed by the commission above, then each definitive protocol waits for the commission's
signature, which the server verifies before it publishes the version."""

import base64

import pytest
from django.test import Client

from sailau.elections.models import CommissionKey
from sailau.ledger.models import Leaf
from sailau.protocols.models import AwaitingSignature, Protocol, Tally
from sailau.tlog import leaves
from sailau.verify import signatures
from tests.commkeys.conftest import call

pytestmark = pytest.mark.django_db


def key_leaves(commission_id):
    return [leaves.decode(bytes(d)) for d in Leaf.objects.filter(
        kind="commission-key", subject=commission_id).order_by("id").values_list("data",
                                                                                 flat=True)]


def test_register_confirm_sign_publish(own):
    r = own.register()
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "registered" and r.json()["key_id"] == own.key_id
    # Registered but not confirmed: the server still signs (held by the server).
    r = own.confirm()
    assert r.status_code == 200, r.content
    assert r.json()["confirmed_by"] == own.commission.parent_id
    # The server-held key is retired and its private half destroyed.
    server = CommissionKey.objects.get(commission=own.commission, held_by_server=True)
    assert server.retired_at and bytes(server.sealed_private_key) == b""
    ls = key_leaves(own.commission.pk)
    assert [(x["action"], x["held_by_server"]) for x in ls[-3:]] == [
        ("register", False), ("confirm", False), ("revoke", True)]
    assert ls[-3]["by"] == own.commission.pk and ls[-2]["by"] == own.commission.parent_id
    assert ls[-3]["late"] is True  # the synthetic election's polls closed long ago
    listed = Client().get(f"/api/keys/commissions/{own.commission.pk}").json()["keys"]
    assert [(k["state"], k["held_by_server"]) for k in listed] == [("retired", True),
                                                                   ("confirmed", False)]

    assert own.enter()["state"] == "definitive"
    # Definitive, awaiting the signature: nothing published, nothing counted.
    assert not Protocol.objects.filter(station=own.station, contest_id=own.contest).exists()
    assert AwaitingSignature.objects.filter(station=own.station).count() == 1
    assert not Leaf.objects.filter(kind="protocol", subject__startswith=own.station.id + "/")
    assert not Tally.objects.filter(contest_id=own.contest, stations_reported__gt=0).exists()
    req = own.to_sign().json()
    assert req["state"] == "awaiting_signature" and req["key_id"] == own.key_id
    assert base64.b64decode(req["message"]) == signatures.own_bytes(req["protocol"])

    r = own.sign(req)
    assert r.status_code == 200, r.content
    p = Protocol.objects.current().get(station=own.station, contest_id=own.contest)
    assert (p.version, p.signed_with, p.signed_message) == (1, own.public, "sailau-protocol/2")
    assert signatures.verify_signature(own.public, signatures.own_bytes(
        {"station": p.station_id, "contest": p.contest_id, "version": 1, "figures": p.figures,
         "choices": p.choices, "scans": p.signed_scans}), p.signature)
    leaf = leaves.decode(bytes(Leaf.objects.get(kind="protocol",
                                                subject=f"{own.station.id}/{own.contest}/1").data))
    assert leaf["signature"] == {"key": own.key_id, "signature": p.signature,
                                 "message": "sailau-protocol/2"}
    assert not AwaitingSignature.objects.exists()
    assert Tally.objects.filter(contest_id=own.contest, stations_reported__gt=0).exists()
    # A second member signing the same protocol a moment later is told it is signed.
    r = own.sign(req, member=0)
    assert r.status_code == 409 and r.json()["error"] == "already_signed"


def test_commission_without_own_key_keeps_the_server_path(own):
    own.register()  # registered, never confirmed: the server signs, with its key
    own.enter()
    p = Protocol.objects.current().get(station=own.station, contest_id=own.contest)
    server = CommissionKey.objects.get(commission=own.commission, held_by_server=True,
                                       retired_at__isnull=True)
    assert p.signed_with == server.public_key and p.signed_message == ""
    assert own.to_sign().status_code == 404


def test_the_printed_code_carries_the_commissions_own_signature(own, people):
    """A commission-signed version's code carries that signature with its key's fingerprint
    (format 3, tests/commkeys/test_paper_qr.py); a server-signed version's carries the server's
    signature (format 2)."""
    from sailau.scans.service import payload_for
    from tests.commkeys.conftest import Commission

    own.register()
    own.confirm()
    own.enter()
    assert own.sign().status_code == 200
    mine = Protocol.objects.current().get(station=own.station, contest_id=own.contest)
    assert payload_for(mine).signature == mine.signature and payload_for(mine).format == 3
    assert payload_for(mine).key_id == own.key_id
    other = Commission(own.syn, own.election, people, people.stations[-1])
    other.enter()
    theirs = Protocol.objects.current().get(station=other.station, contest_id=other.contest)
    assert payload_for(theirs).signature == theirs.signature and payload_for(theirs).format == 2


def test_a_coordinators_resolution_also_awaits_the_signature(own):
    """Entries that differ, resolved by the coordinator above: the accepted entry awaits the
    commission's signature like two equal entries do."""
    from sailau.protocols.catalog import Catalog

    own.register()
    own.confirm()
    p = own.syn.protocols[(own.station.id, own.contest)]
    form = Catalog().contest(own.contest).form
    a, b = sorted(p["choices"], key=lambda k: -p["choices"][k])[:2]
    other = {**p["choices"], a: p["choices"][a] - 1, b: p["choices"][b] + 1}  # a slip
    for n, choices in ((1, p["choices"]), (2, other)):
        body = {"figures": p["figures"], "choices": choices,
                "acknowledged": [f.code for f in form.check(p["figures"], choices)
                                 if f.severity == "warning"]}
        r = call(own.members[n - 1], "post",
                 f"/api/protocols/{own.station.id}/{own.contest}/entry/{n}/finalise", body)
        assert r.status_code == 200, r.content
    r = call(own.above, "post", f"/api/protocols/{own.station.id}/{own.contest}/resolve",
             {"action": "accept_first"})
    assert r.status_code == 200 and r.json()["state"] == "definitive", r.content
    req = own.to_sign().json()
    assert req["protocol"]["choices"] == p["choices"]
    assert not Protocol.objects.filter(station=own.station, contest_id=own.contest).exists()
    assert own.sign(req).status_code == 200
    assert Protocol.objects.current().get(station=own.station,
                                          contest_id=own.contest).source == "resolution"


def test_issuing_keys_skips_a_commission_that_signs_its_own(own):
    from sailau.elections import keys

    own.register()
    own.confirm()
    other = own.commission.parent_id  # a commission with only its server-held key
    new = keys.issue([own.commission.pk, other])
    assert [k.commission_id for k in new] == [other]
    assert not CommissionKey.objects.filter(commission=own.commission, held_by_server=True,
                                            retired_at__isnull=True).exists()
    assert own.commission.pk not in keys.without_key(own.election.id)

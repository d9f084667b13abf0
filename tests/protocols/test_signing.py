"""Every definitive protocol version is signed by its station's commission key when the chain
writes it; the signature verifies with that commission's public key only, and over those
figures only."""

import datetime as dt

import pytest

from sailau.elections import keys
from sailau.elections.models import CommissionKey
from sailau.protocols import services
from sailau.protocols.models import Protocol
from sailau.protocols.signing import SigningUnavailable, protocol_dict
from sailau.verify import signatures as sig
from tests import factories as f


def signed_bytes(p: Protocol, **change) -> bytes:
    d = protocol_dict(p.station_id, p.contest_id, p.version, p.figures, p.choices)
    return sig.canonical_bytes({**d, **change})


def active_key(commission_id: str) -> str:
    return CommissionKey.objects.get(commission_id=commission_id,
                                     retired_at__isnull=True).public_key


@pytest.fixture
def two(db):
    """Two definitive protocols of one contest at two stations of one district."""
    station = f.StationFactory()
    other = f.beside(station)  # before any protocol: the totals count the stations expected
    contest = f.ContestFactory(election=station.election)
    return (f.DefinitiveProtocolFactory(station=station, contest=contest),
            f.DefinitiveProtocolFactory(station=other, contest=contest))


def test_definitive_protocol_is_signed_by_its_commission(two):
    p, q = two
    assert p.signed_with == active_key(p.station.commission_id)
    assert sig.verify_signature(p.signed_with, signed_bytes(p), p.signature)
    # The other station's commission has its own key: its signature does not pass for p...
    assert q.signed_with != p.signed_with
    assert not sig.verify_signature(p.signed_with, signed_bytes(p), q.signature)
    assert not sig.verify_signature(q.signed_with, signed_bytes(p), p.signature)
    # ... and a changed figure fails with the right key.
    first = next(iter(p.choices))
    assert not sig.verify_signature(p.signed_with, signed_bytes(
        p, choices={**p.choices, first: p.choices[first] + 500}), p.signature)
    # The audit record of the version carries the signature too.
    from sailau.audit.models import Record

    rec = Record.objects.get(action="protocol.published",
                             subject=f"{p.station_id}/{p.contest_id}")
    assert (rec.payload["signature"], rec.payload["signed_with"]) == (p.signature, p.signed_with)


def amend(p: Protocol, decision: str) -> dict:
    """Amends p's protocol: two votes moved from its first choice to its second."""
    moved = dict(p.choices)
    a, b = sorted(moved)[:2]
    moved[a], moved[b] = moved[a] - 2, moved[b] + 2
    services.amend(f.coordinator(p.station.territory), p.station_id, p.contest_id, p.figures,
                   moved, decision, dt.date(2023, 3, 20), "recount",
                   f.warnings(p.contest, p.figures, moved))
    return moved


def test_amended_version_carries_a_new_valid_signature(two):
    p, _ = two
    moved = amend(p, "12/3")
    v1, v2 = Protocol.objects.filter(station=p.station, contest=p.contest).order_by("version")
    assert (v1.version, v2.version, v2.choices) == (1, 2, moved)
    assert v2.signature and v2.signature != v1.signature
    assert sig.verify_signature(v2.signed_with, signed_bytes(v2), v2.signature)
    assert sig.verify_signature(v1.signed_with, signed_bytes(v1), v1.signature)
    # The old signature does not pass for the new version.
    assert not sig.verify_signature(v2.signed_with, signed_bytes(v2), v1.signature)


def test_rotated_key_signs_what_follows_and_still_verifies_what_it_signed(two):
    p, _ = two
    cid = p.station.commission_id
    [new] = keys.issue([cid])
    assert active_key(cid) == new.public_key != p.signed_with
    published = {k["public_key"]: k for k in keys.public_keys(p.station.election_id)
                 if k["commission"] == cid}
    assert published[p.signed_with]["retired_at"] and not published[new.public_key]["retired_at"]
    amend(p, "13/1")
    v2 = Protocol.objects.current().of(p.station, p.contest).get()
    assert v2.signed_with == new.public_key
    assert sig.verify_signature(new.public_key, signed_bytes(v2), v2.signature)


def test_a_key_that_does_not_open_refuses_the_protocol_and_writes_nothing(db):
    station = f.StationFactory()
    contest = f.ContestFactory(election=station.election)
    elsewhere = f.beside(station)
    mine, theirs = keys.issue([station.commission_id, elsewhere.commission_id])
    # A sealed key copied onto another commission's row does not open (bound to its owner).
    CommissionKey.objects.filter(pk=mine.pk).update(
        sealed_private_key=bytes(theirs.sealed_private_key))
    figures, choices = f.paper(contest, station)
    ack = f.warnings(contest, figures, choices)
    services.finalise(f.operator(station), station.id, contest.id, 1, figures, choices, ack)
    with pytest.raises(SigningUnavailable) as exc:
        services.finalise(f.operator(station), station.id, contest.id, 2, figures, choices,
                          ack)
    assert exc.value.status == 503 and station.commission_id in str(exc.value)
    assert not Protocol.objects.filter(station=station).exists()
    from sailau.audit.models import Record
    from sailau.protocols.models import DataEntry

    assert not Record.objects.filter(action="protocol.published",
                                     subject=f"{station.id}/{contest.id}").exists()
    assert DataEntry.objects.get(station=station, contest=contest).state != "definitive"

"""The chain writes a protocol's leaf in its transaction: definitive and amended versions each
get a leaf, the current one last, with the signature the version carries."""

import datetime as dt

import pytest

from sailau.errors import BadInput
from sailau.ledger import integrator, outbox
from sailau.ledger.models import Leaf
from sailau.protocols import services
from sailau.protocols.models import Protocol
from sailau.tlog import leaves
from sailau.verify import signatures
from tests.protocols.conftest import list_contest
from tests.protocols.test_services import acks, make_definitive, paper


def protocol_leaves(election):
    return [leaves.decode(bytes(d)) for d in Leaf.objects.filter(
        election_id=election.id, kind="protocol").order_by("id").values_list("data", flat=True)]


def test_definitive_then_amended_gives_two_leaves_current_last(few, crew, tmp_path, monkeypatch):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    st, c = crew.stations[8], list_contest(few)
    make_definitive(few, crew, st)
    [first] = protocol_leaves(few)
    p1 = Protocol.objects.get(station=st, contest_id=c, version=1)
    assert first["station"] == st.id and first["contest"] == c and first["version"] == 1
    assert first["choices"] == p1.choices and first["decision"] is None
    assert first["figures"] == {k: v for k, v in p1.figures.items() if v is not None}
    assert first["signature"] == {"key": signatures.key_id(p1.signed_with),
                                  "signature": p1.signature, "message": "sailau-protocol/1"}
    # the leaf's figures are what the signature covers
    assert signatures.verify_signature(p1.signed_with, signatures.canonical_bytes(first),
                                       p1.signature)
    fig, cho = paper(st, c)
    moved = dict(cho)
    src, dst = sorted(cho, key=lambda k: -cho[k])[:2]
    moved[src] -= 2
    moved[dst] += 2
    services.amend(crew.coordinator(st.territory_id), st.id, c, fig, moved, "12/3",
                   dt.date(2023, 3, 20), "recount ordered", acks(c, fig, moved))
    first_again, second = protocol_leaves(few)
    assert first_again == first
    assert second["version"] == 2 and second["choices"] == moved
    assert second["decision"] == {"number": "12/3", "date": "2023-03-20",
                                  "reason": "recount ordered"}
    integrator.integrate(few.id)
    index = outbox.indexes(few.id, "protocol", [f"{st.id}/{c}/1", f"{st.id}/{c}/2"])
    i1, i2 = Leaf.objects.filter(election_id=few.id, kind="protocol").order_by("id") \
        .values_list("index", flat=True)
    assert i1 < i2 and index == {f"{st.id}/{c}/1": i1, f"{st.id}/{c}/2": i2}


def test_a_refused_amendment_writes_no_leaf(few, crew):
    st, c = crew.stations[8], list_contest(few)
    make_definitive(few, crew, st)
    fig, cho = paper(st, c)
    with pytest.raises(BadInput):
        services.amend(crew.coordinator(st.territory_id), st.id, c, fig, cho, "1",
                       dt.date(2023, 3, 20), "r", acks(c, fig, cho))
    assert len(protocol_leaves(few)) == 1

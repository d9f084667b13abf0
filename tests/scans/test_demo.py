"""Demo scans: a payload for every protocol, images for a sample, altered ones caught."""

import pytest

from sailau.protocols.models import Protocol
from sailau.scans import demo
from sailau.scans.models import Scan
from sailau.verify import qr

pytestmark = pytest.mark.django_db


def test_every_protocol_gets_a_payload_and_the_sample_an_image(tiny):
    gen = demo.generate(tiny[0][0].election_id, sample=4, altered=2, smudged=1, seed=5)
    assert len(gen.payloads) == Protocol.objects.filter(current=True).count() == 4
    assert len(gen.scans) == 4
    assert sum(s.altered is not None for s in gen.scans) == 2
    assert sum(s.smudged for s in gen.scans) == 1
    for s in gen.scans:
        assert s.data.startswith(b"\xff\xd8\xff")  # JPEG
        if not s.smudged:
            found = qr.first_payload(qr.decode_file(s.data))
            assert (found.station, found.contest) == (s.station_id, s.contest_id)
            assert (found == gen.payloads[(s.station_id, s.contest_id)]) == (s.altered is None)


def test_same_seed_same_scans(tiny):
    a = demo.generate(tiny[0][0].election_id, sample=3, altered=1, smudged=0, seed=9)
    b = demo.generate(tiny[0][0].election_id, sample=3, altered=1, smudged=0, seed=9)
    assert [s.data for s in a.scans] == [s.data for s in b.scans]


def test_loading_the_demo_scans_catches_every_altered_one(small_election):
    # On the synthetic election: real commission names, both contests, abroad stations.
    summary = demo.load(small_election.id, sample=10, altered=3, smudged=1, seed=11)
    assert summary["altered_caught"] == 3 and summary["altered_missed"] == []
    # named for the demo's ground truth: station, contest, line and both figures
    assert len(summary["altered_scans"]) == 3
    assert all(a["printed"] != a["definitive"] and a["contest"].startswith(small_election.id)
               for a in summary["altered_scans"])
    assert summary["statuses"] == {"match": 6, "mismatch": 3, "unreadable": 1}
    assert Scan.objects.count() == 10
    for scan in Scan.objects.filter(status=Scan.MISMATCH):
        assert scan.reason == "figures" and len(scan.mismatches) == 1

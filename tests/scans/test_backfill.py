"""Every protocol's scan in the demo: a whole printed page, captured as a scanner or a phone
would, uploaded through the real service while the demo serves (`backfill`)."""

import random

import pytest

from sailau.protocols.models import Protocol
from sailau.scans import backfill, capture, demo, page
from sailau.scans.models import Scan
from sailau.verify import qr

pytestmark = pytest.mark.django_db


def test_backfill_gives_every_definitive_protocol_one_scan_and_stops(tiny):
    election = tiny[0][0].election_id
    demo.load(election, sample=1, altered=0, smudged=0, seed=3)
    assert len(backfill.pending(election)) == 3
    total = backfill.run(election, seed=3, workers=1, until_done=True, say=lambda *a, **k: None)
    assert total == {"match": 3}
    assert backfill.pending(election) == []
    assert Scan.objects.count() == Protocol.objects.filter(current=True).count() == 4
    assert backfill.run(election, seed=3, workers=1, until_done=True) == {}  # nothing twice


def test_a_demo_scan_is_the_whole_page_in_every_capture(tiny):
    election = tiny[0][0].election_id
    layouts = demo.forms(election)
    p = Protocol.objects.filter(current=True).select_related("contest").first()
    sheets = demo.sheets([p.station_id])
    from sailau.scans import service

    payload = service.payload_for(p)
    form = layouts[p.contest_id][0]
    sheet = page.Template(form).page(sheets[p.station_id], payload, p.figures, p.choices,
                                     random.Random(1))
    assert sheet.size == (page.W, page.H)
    for kind in capture.KINDS:
        data, got = capture.capture(sheet, random.Random(2), kind)
        assert got == kind and data.startswith(b"\xff\xd8\xff") and len(data) < 250_000
        image = qr.open_image(data)
        assert image.height > image.width > 700  # portrait, the full page
        assert qr.first_payload(qr.decode_image(image)) == payload


def test_a_station_rewritten_upstream_has_a_scan_of_its_true_paper(tiny, tmp_path, monkeypatch):
    """The demo rewrote this station's party-list result above the station: its own signed
    paper (printed figures and code) shows what it counted, so the QR check flags the official
    protocol, and its other contest's scan matches."""
    import json

    election = tiny[0][0].election_id
    party = Protocol.objects.get(current=True, contest__kind="party_list",
                                 station=tiny[0][0])
    paper = dict(party.choices)
    first, second = sorted(paper)[:2]
    paper[first], paper[second] = paper[first] + 7, paper[second] - 7
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "var"))
    (tmp_path / "var" / "demo").mkdir(parents=True)
    (tmp_path / "var" / "demo" / "ground_truth.json").write_text(json.dumps({"stations": {
        party.station_id: {"kinds": ["rewritten_upstream"], "paper": {"choices": paper}}}}))
    backfill.run(election, seed=3, workers=1, until_done=True, say=lambda *a, **k: None)
    scan = Scan.objects.get(protocol=party)
    assert scan.status == Scan.MISMATCH
    assert {(d["line"], d["printed"]) for d in scan.mismatches} == {
        (first, paper[first]), (second, paper[second])}
    others = Scan.objects.exclude(pk=scan.pk)
    assert others.count() == 3 and set(others.values_list("status", flat=True)) == {"match"}

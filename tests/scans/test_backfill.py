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

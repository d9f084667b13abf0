"""OCR of the printed figures: a paper whose digits differ from its own (valid, signed) QR code
is caught; one that agrees stays a match; a PDF is not read by machine."""

import random

import pytest

from sailau.scans import capture, demo, ocr, page, service
from sailau.scans.models import Scan
from tests.scans.scan_helpers import page_png

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not ocr.available(), reason="tesseract-ocr not installed")]


def flatbed(station, contest, protocol, choices=None, seed=4) -> bytes:
    form = demo.forms(station.election_id)[contest.id][0]
    sheet = page.Template(form).page(demo.sheets([station.id])[station.id],
                                     service.payload_for(protocol), protocol.figures,
                                     choices or protocol.choices, random.Random(seed))
    return capture.capture(sheet, random.Random(seed), "scanner", quality=85)[0]


def test_a_paper_agreeing_with_its_code_is_read_and_stays_a_match(listing):
    station, contest, protocol = listing[0]
    scan = service.upload_scan(station, contest, flatbed(station, contest, protocol), "a.jpg")
    assert (scan.status, scan.reason) == (Scan.MATCH, "")
    assert scan.ocr["status"] == "agrees" and scan.ocr["diffs"] == []
    assert scan.ocr["choices"] == protocol.choices


def test_printed_figures_differing_from_the_code_are_caught(listing):
    # Votes moved from one party to another on the paper only: the totals still add up, the
    # QR code is the commission's own and matches the definitive protocol.
    station, contest, protocol = listing[0]
    forged = dict(protocol.choices)
    forged["amanat"] -= 40
    forged["auyl"] += 40
    scan = service.upload_scan(station, contest, flatbed(station, contest, protocol, forged),
                               "forged.jpg")
    assert (scan.status, scan.reason) == (Scan.MISMATCH, "printed")
    assert {(d["line"], d["printed"], d["definitive"]) for d in scan.mismatches} == {
        ("amanat", forged["amanat"], protocol.choices["amanat"]),
        ("auyl", forged["auyl"], protocol.choices["auyl"])}
    assert "QR" in service.REASONS["printed"]["kk"] and "машин" in service.REASONS["printed"]["ru"]


def test_a_pdf_is_not_read_by_machine(listing):
    station, contest, protocol = listing[0]
    scan = service.upload_scan(station, contest, service.protocol_pdf(protocol), "p.pdf")
    assert scan.status == Scan.MATCH and scan.ocr is None
    png = service.upload_scan(station, contest, page_png(service.protocol_pdf(protocol)), "p.png")
    # reportlab's page is not the drawn grid: no claim either way
    assert png.status == Scan.MATCH and png.ocr["status"] == "unread"


def test_a_failing_reading_never_refuses_the_scan(listing, monkeypatch):
    station, contest, protocol = listing[0]

    def broken(*_):
        raise ValueError("singular matrix")

    monkeypatch.setattr(ocr, "read", broken)
    scan = service.upload_scan(station, contest, flatbed(station, contest, protocol), "a.jpg")
    assert scan.status == Scan.MATCH and scan.ocr["status"] == "unread"
    assert scan.ocr["note"] == "error: ValueError"

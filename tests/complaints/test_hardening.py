"""Complaints under attack: uploads judged by content within pixel and page limits, text within
limits, identical filings at the same moment stored once (PostgreSQL too), a complaint decided
twice at once answered with a conflict, impossible decision dates refused, and the public CSV
safe to open in a spreadsheet."""

import csv
import datetime as dt
import io
import struct
import threading
import zlib

import pytest
from django.db import connection
from django.utils import timezone, translation

from sailau import uploads
from sailau.complaints import models as m
from sailau.complaints import services
from sailau.complaints.services import ComplaintConflict, ComplaintInputError, Upload


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims width×height pixels in a few bytes (a decompression bomb's header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def pdf_of(pages: int) -> bytes:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    for _ in range(pages):
        doc.new_page(200, 200)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize("size", [(20000, 20000), (10000, 10000)])
def test_image_bombs_are_refused_by_their_header(size):
    with pytest.raises(uploads.UploadError) as e:
        uploads.check(png_header(*size), max_bytes=10**7)
    assert e.value.code == "upload.pixels" and "pixels" in str(e.value)


def test_a_small_png_of_59_megapixels_is_refused_before_it_is_decoded():
    """58 KB of PNG that decodes to 59M pixels was accepted and decoded whole (2.2 s)."""
    import time

    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (7700, 7700)).save(out, format="PNG")
    assert len(out.getvalue()) < 100_000
    start = time.monotonic()
    with pytest.raises(uploads.UploadError) as e:
        uploads.check(out.getvalue(), max_bytes=10**7)
    assert e.value.code == "upload.pixels"
    assert time.monotonic() - start < 0.5
    # And anything else that opens an image in the process meets Pillow's limit, set the same.
    with pytest.raises(Image.DecompressionBombError), Image.open(io.BytesIO(out.getvalue())) as im:
        im.load()


def test_pdf_page_limit_and_type_by_content():
    assert uploads.check(pdf_of(3), max_bytes=10**7).pages == 3
    with pytest.raises(uploads.UploadError) as e:
        uploads.check(pdf_of(11), max_bytes=10**7)
    assert e.value.code == "upload.pages"
    with pytest.raises(uploads.UploadError) as e:
        uploads.check(b"%PDF-1.4 but nothing else", max_bytes=10**7)
    assert e.value.code == "upload.corrupt"
    with pytest.raises(uploads.UploadError) as e:
        uploads.check(b"GIF89a....", max_bytes=10**7)
    assert e.value.code == "upload.type"


def test_attachment_bomb_long_pdf_and_huge_text_are_refused(base):
    with translation.override("en"):
        with pytest.raises(ComplaintInputError) as e:
            services.file_complaint(base, [Upload("bomb.png", png_header(20000, 20000))])
        assert "pixels" in e.value.errors["attachments[0]"]
        with pytest.raises(ComplaintInputError) as e:
            services.file_complaint(base, [Upload("book.pdf", pdf_of(services.MAX_ATTACHMENT_PAGES
                                                                     + 1))])
        assert "pages" in e.value.errors["attachments[0]"]
        with pytest.raises(ComplaintInputError) as e:
            services.file_complaint({**base, "text": "x" * 1_000_000,
                                     "filer_name": "y" * 201})
        assert set(e.value.errors) == {"text", "filer_name"}
    assert m.Complaint.objects.count() == 0


def test_incident_photo_bomb_is_refused_not_a_500(db):
    from sailau.observation.errors import ObservationError
    from sailau.observation.reports import validate_image

    with pytest.raises(ObservationError, match="pixels"):
        validate_image(png_header(20000, 20000))


def test_decision_dates_must_be_possible(base):
    c, _ = services.file_complaint(base)
    ok = {"outcome": "rejected", "text": "Not proven."}
    for day in ("2099-01-01", (c.filed_at - dt.timedelta(days=3)).date().isoformat()):
        with pytest.raises(ComplaintInputError) as e:
            services.decide(c, {**ok, "decided_on": day})
        assert "decided_on" in e.value.errors
    assert not m.Decision.objects.exists()


def test_public_csv_cannot_run_formulas(base, client):
    services.file_complaint({**base, "filer_kind": "party", "filer_name": "=HYPERLINK(\"x\")",
                             "against_name": "+1+cmd|' /C calc'!A0",
                             "text": "@SUM(1)"})
    r = client.get("/en/complaints/complaints.csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode())))
    cells = [v for row in rows for v in row.values() if v]
    assert cells and not [v for v in cells if v[0] in "=+@\t\r"]
    assert "'=HYPERLINK(\"x\")" in r.content.decode() or "'@SUM(1)" in r.content.decode()


def test_oversized_request_refused_before_its_body_is_read(client):
    r = client.generic("POST", "/en/complaints/file/", b"x",
                       content_type="multipart/form-data; boundary=x",
                       CONTENT_LENGTH=str(uploads.MAX_REQUEST_BYTES + 1))
    assert r.status_code == 413
    r = client.generic("POST", "/api/complaints/", b"x", content_type="multipart/form-data",
                       CONTENT_LENGTH=str(200 * 1024 * 1024))
    assert r.status_code == 413
    assert r.json() == {"error": "upload.too_large", "field": "request", "detail": {},
                        "message": r.json()["message"]}  # the one shape of every refusal
    assert "too large" in r.json()["message"]


# ------------------------------------------------------------------------------ concurrency

@pytest.fixture
def committed(transactional_db, small_synthetic):
    from sailau.demo.load import load

    e = load(small_synthetic, route=False)
    st = e.stations.order_by("number").first()
    return {"election": e.id, "filer_kind": "voter", "filer_name": "Same Person",
            "against_kind": "commission", "against_name": "PEC", "topic": "counting",
            "text": "Ballots not shown.", "body": "commission", "station": str(st.number),
            "filed_at": timezone.make_aware(dt.datetime.combine(e.date + dt.timedelta(days=1),
                                                                dt.time(10)))}


# SQLite's write transactions queue by construction (IMMEDIATE, one file); the test database is
# an in-memory one that threads cannot share, so these run on PostgreSQL, where the race was.
ON_POSTGRES = pytest.mark.skipif(connection.vendor != "postgresql",
                                 reason="concurrency of PostgreSQL transactions")


def _at_once(n: int, fn) -> list:
    gate = threading.Barrier(n)
    out: list = [None] * n

    def run(i):
        try:
            gate.wait()
            out[i] = fn()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            out[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return out


@ON_POSTGRES
def test_identical_filings_at_once_are_stored_once(committed):
    got = _at_once(6, lambda: services.file_complaint(dict(committed)))
    assert all(isinstance(g, tuple) for g in got), got
    assert m.Complaint.objects.count() == 1
    assert sum(created for _, created in got) == 1
    assert len({c.receipt for c, _ in got}) == 1


@ON_POSTGRES
def test_deciding_twice_at_once_is_a_conflict(committed):
    c, _ = services.file_complaint(committed)
    data = {"outcome": "rejected", "text": "Not proven.",
            "decided_on": timezone.localdate().isoformat()}
    got = _at_once(2, lambda: services.decide(m.Complaint.objects.get(pk=c.pk), data))
    conflicts = [g for g in got if isinstance(g, ComplaintConflict)]
    assert len(conflicts) == 1 and conflicts[0].status == 409, got
    assert m.Decision.objects.count() == 1

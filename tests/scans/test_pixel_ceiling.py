"""A scan's pixel count is judged from its header, before a byte of it is decoded."""

import io
import struct
import time
import zlib

import pytest
from PIL import Image, ImageFile

from sailau import uploads
from sailau.scans import service


def png_header(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes that claims `width`×`height` grey pixels: its IHDR says so,
    its one IDAT holds almost nothing. Only a decoder would notice."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0"))
            + chunk(b"IEND", b""))


@pytest.fixture
def no_decoding(monkeypatch):
    """Fails the test if anything decodes an image."""
    def refuse(self, *a, **kw):
        raise AssertionError("an image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


@pytest.mark.parametrize("size", [(7304, 5477), (6000, 5000), (100_000, 100_000)],
                         ids=["40M", "30M", "10G"])
def test_a_large_header_is_refused_before_decoding(size, no_decoding):
    data = png_header(*size)
    assert len(data) < 100
    t = time.perf_counter()
    with pytest.raises(service.ScanError) as err:
        service.check_file(data)
    assert time.perf_counter() - t < 0.5
    e = err.value
    assert (e.code, e.field, e.status) == ("scan.pixels", "file", 422)
    assert "25,000,000" in e.text("en") and "300 or 400 dpi" in e.text("en")
    assert "25 000 000" in e.text("ru") and "25 000 000" in e.text("kk")
    assert "dpi" in e.text("kk") and "Отсканируйте" in e.text("ru")
    assert "pixels" not in e.text("ru") and "pixels" not in e.text("kk")


def test_a_phone_photo_of_a_protocol_fits():
    out = io.BytesIO()
    Image.new("1", (4624, 3468)).save(out, format="PNG")  # 16M pixels, a phone's photo
    assert service.check_file(out.getvalue()) == uploads.PNG


def _observer_photo(data):
    from sailau.observation.reports import validate_image

    return validate_image(data)


def _complaint_attachment(data):
    from sailau.complaints.services import Upload, check_attachment

    return check_attachment(0, Upload("evidence.png", data))


@pytest.mark.parametrize("validate,field", [(service.check_file, "file"),
                                            (_observer_photo, "photo"),
                                            (_complaint_attachment, "attachments[0]")],
                         ids=["scan", "observer photo", "complaint attachment"])
def test_every_image_upload_has_the_one_ceiling(validate, field, no_decoding):
    """A 30M-pixel header (a 6000x5000 photo) is refused by every path an image comes in by,
    before it is decoded: not 25M for a scan and 40M for the rest."""
    from sailau.errors import SailauError

    with pytest.raises(SailauError) as err:
        validate(png_header(6000, 5000))
    e = err.value
    assert e.status == 422 and e.field == field
    assert "25000000" in e.text("en").replace(",", "").replace(" ", ""), e.text("en")


def test_pillow_refuses_what_no_upload_path_accepts():
    """Pillow's own limit (an error past twice MAX_IMAGE_PIXELS, raised while reading the
    header) is the process-wide cap, and no upload path accepts more than it."""
    assert Image.MAX_IMAGE_PIXELS * 2 == uploads.MAX_PIXELS
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(png_header(6000, 5000)))  # 30M: past the cap


@pytest.mark.parametrize("pillow", [True, False], ids=["pillow's cap", "our ceiling"])
def test_the_pixel_refusal_reads_from_the_catalogues(pillow, no_decoding, monkeypatch):
    """The refusal is the catalogues' text in each language (a translator's, not one written in
    the code), with the numbers grouped as each language writes them. Past Pillow's cap the
    header alone is refused; under it, our ceiling names the image's size."""
    from sailau.languages import messages

    limit = 10_000_000
    monkeypatch.setattr(uploads, "MAX_PIXELS", limit)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", limit // 2 if pillow else 10 ** 9)
    with pytest.raises(uploads.UploadError) as err:
        uploads.check(png_header(6000, 5000), max_bytes=1000)
    e = err.value
    source = ("The image has more than {limit} pixels." if pillow
              else "The image is {width}×{height} pixels; at most {limit} pixels.")
    grouped = f"{limit:,}"
    for lang, limit_text in (("kk", grouped.replace(",", " ")), ("ru", grouped.replace(",", " ")),
                             ("en", grouped)):
        written = source if lang == "en" else messages.translation(lang, "uploads", source)
        assert written is not None, lang
        assert e.text(lang) == written.format(width=6000, height=5000, limit=limit_text)

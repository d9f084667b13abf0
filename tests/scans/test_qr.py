"""The QR payload: canonical, versioned, self-verifying; written with segno, read with zxing-cpp."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from sailau.verify import qr

STATION = "kz.mazhilis.2023-03-19.pec.01.0412"
CONTEST = "kz.mazhilis.2023-03-19.list"
LINES = [1200, 1300, 500, 20, 3, 700, 0, 510, 13, 20, 9, 514]
VOTES = [300, 100, 50, 30, 20, 10, 4]


def payload(**kw):
    args = {"station": STATION, "contest": CONTEST, "version": 1, "lines": LINES,
            "choices": VOTES} | kw
    return qr.build(**args)


def test_text_round_trip_and_hash_is_of_the_body():
    import hashlib

    p = payload()
    assert p.text.startswith("SLU1|" + STATION + "|" + CONTEST + "|1|1200,1300,")
    assert p.digest == hashlib.sha256(p.text.rsplit("|", 1)[0].encode()).hexdigest()
    assert qr.parse(p.text) == p


def test_absent_optional_line_is_an_empty_field_and_survives():
    p = payload(lines=LINES[:-1] + [None])
    assert "|1200," in p.text and ",9,|" in p.text
    assert qr.parse(p.text).lines[-1] is None


def test_changed_figure_is_detected_and_its_claim_kept():
    p = payload()
    edited = p.text.replace("|1200,1300,", "|1200,1310,")
    with pytest.raises(qr.PayloadError) as err:
        qr.parse(edited)
    assert err.value.code == "hash"
    assert err.value.unverified.lines[1] == 1310


@pytest.mark.parametrize("edit,code", [
    (lambda t: "HELLO" + t, "foreign"),
    (lambda t: t.replace("SLU1", "SLU9", 1), "format"),
    (lambda t: t.replace("|1200,", "|01200,"), "malformed"),  # leading zero: not canonical
    (lambda t: t.replace("|1200,", "|-1200,"), "malformed"),
    (lambda t: t + "|extra", "malformed"),
    (lambda t: t[:-1] + "G", "malformed"),  # not hex
    (lambda t: t.replace("|1|", "|2|"), "hash"),  # version changed
    (lambda t: t.replace(STATION, STATION[:-1] + "3"), "hash"),  # another station
])
def test_every_kind_of_bad_text_is_named(edit, code):
    with pytest.raises(qr.PayloadError) as err:
        qr.parse(edit(payload().text))
    assert err.value.code == code


def test_build_refuses_what_the_payload_cannot_carry():
    with pytest.raises(ValueError, match="station"):
        payload(station="a|b")
    with pytest.raises(ValueError, match="line 2"):
        payload(lines=[1, -3])
    with pytest.raises(ValueError, match="choice 1"):
        payload(choices=[True])


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.one_of(st.none(), st.integers(0, 10**9)), min_size=1, max_size=15),
       votes=st.lists(st.integers(0, 10**9), max_size=30),
       version=st.integers(1, 99), pos=st.integers(0, 10**6), char=st.sampled_from("0123456789,"))
def test_any_single_character_edit_of_the_body_is_caught(lines, votes, version, pos, char):
    p = qr.build(STATION, CONTEST, version, lines, votes)
    assert qr.parse(p.text) == p
    body, digest = p.text.rsplit("|", 1)
    i = pos % len(body)
    edited = body[:i] + char + body[i + 1:]
    if edited == body:
        return
    with pytest.raises(qr.PayloadError):
        qr.parse(edited + "|" + digest)


def test_decodes_from_a_turned_noisy_image():
    import numpy as np

    p = payload()
    img = qr.to_image(p, scale=4).rotate(4, expand=True, fillcolor=255)
    noisy = np.asarray(img, dtype=float) + np.random.default_rng(1).normal(0, 25, img.size[::-1])
    img = Image.fromarray(np.clip(noisy, 0, 255).astype("uint8"))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=75)
    assert qr.first_payload(qr.decode_file(buf.getvalue())) == p


def test_first_payload_prefers_a_valid_code_then_reports_the_altered_one():
    good, other = payload(), "https://example.org"
    assert qr.first_payload([other, good.text]) == good
    altered = good.text.replace("|1200,", "|1201,")
    with pytest.raises(qr.PayloadError) as err:
        qr.first_payload([other, altered])
    assert err.value.code == "hash"
    with pytest.raises(qr.PayloadError) as err:
        qr.first_payload([])
    assert err.value.code == "none"


def test_sniff_goes_by_content():
    png = io.BytesIO()
    Image.new("L", (4, 4)).save(png, format="PNG")
    assert qr.sniff(png.getvalue()) == "image/png"
    assert qr.sniff(b"%PDF-1.7\n") == "application/pdf"
    assert qr.sniff(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert qr.sniff(b"GIF89a") is None
    assert qr.sniff(b"<html>") is None


def test_corrupt_files_raise_image_error():
    png = io.BytesIO()
    Image.new("L", (400, 400), 255).save(png, format="PNG")
    with pytest.raises(qr.ImageError):
        qr.decode_file(png.getvalue()[:200])  # truncated
    with pytest.raises(qr.ImageError):
        qr.decode_file(b"%PDF-1.4\n garbage")
    with pytest.raises(qr.ImageError):
        qr.decode_file(b"plain text")


def test_random_qr_of_another_system_is_foreign():
    import segno

    img = segno.make("https://example.org/not-a-protocol", micro=False)
    buf = io.BytesIO()
    img.save(buf, kind="png", scale=5)
    texts = qr.decode_file(buf.getvalue())
    assert texts == ["https://example.org/not-a-protocol"]
    with pytest.raises(qr.PayloadError) as err:
        qr.first_payload(texts)
    assert err.value.code == "foreign"


# --- format 2: the commission's signature in the code ------------------------------------------

LINE_KEYS = [f"l{i}" for i in range(len(LINES))]
CHOICE_KEYS = [f"c{i}" for i in range(len(VOTES))]


@pytest.fixture(scope="module")
def signed():
    from sailau.verify import signatures as sig

    key, other = sig.new_private_key(), sig.new_private_key()
    data = sig.canonical_bytes({"station": STATION, "contest": CONTEST, "version": 1,
                                "figures": dict(zip(LINE_KEYS, LINES)),
                                "choices": dict(zip(CHOICE_KEYS, VOTES))})
    return payload(signature=sig.sign(key, data)), sig.public_key_b64(key), \
        sig.public_key_b64(other)


def test_signed_payload_round_trips_as_text_and_as_a_scanned_image(signed):
    p, _, _ = signed
    assert p.text.startswith("SLU2|") and f"|{p.signature}|" in p.text
    assert qr.parse(p.text) == p and qr.parse(p.text).format == 2
    img = qr.to_image(p, scale=3).rotate(3, expand=True, fillcolor=255)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=70)
    assert qr.first_payload(qr.decode_file(buf.getvalue())) == p
    assert len(qr.make_qr(p).matrix) <= 85  # version 17 at most: fits the printed 46 mm


def test_signed_payload_verifies_offline_with_its_commission_key_only(signed):
    p, mine, theirs = signed
    assert p.signed_by(mine, LINE_KEYS, CHOICE_KEYS)
    assert not p.signed_by(theirs, LINE_KEYS, CHOICE_KEYS)  # another commission's key
    # A figure changed and the code rebuilt with a fresh hash: the signature no longer holds.
    forged = payload(lines=[1200, 1310, *LINES[2:]], signature=p.signature)
    assert qr.parse(forged.text) == forged  # the bare hash is no protection ...
    assert not forged.signed_by(mine, LINE_KEYS, CHOICE_KEYS)  # ... the signature is
    assert not p.signed_by(mine, LINE_KEYS[:-1], CHOICE_KEYS)  # keys of another shape
    assert not payload().signed_by(mine, LINE_KEYS, CHOICE_KEYS)  # format 1: unsigned


def test_format_1_codes_printed_before_signing_are_still_read(signed):
    old = payload()
    assert old.text.startswith("SLU1|") and qr.parse(old.text).signature == ""
    p, _, _ = signed
    with pytest.raises(qr.PayloadError) as err:  # a signature field that is not one
        qr.parse(p.text.replace(p.signature, "x" * 88))
    assert err.value.code == "malformed"
    with pytest.raises(qr.PayloadError) as err:  # format 2 without its signature field
        body = old.body.replace("SLU1", "SLU2", 1)
        qr.parse(body + "|" + old.digest)
    assert err.value.code == "malformed"
    with pytest.raises(ValueError, match="signature"):
        payload(signature="not a signature")

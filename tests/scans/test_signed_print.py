"""The printed protocol's QR code carries the commission's signature: a scan of the paper is
verified offline with the commission's public key and the form's and ballot's keys alone."""

import pytest

from sailau.scans import service
from sailau.verify import qr
from tests import factories as f


@pytest.mark.django_db
def test_printed_code_of_a_definitive_protocol_verifies_with_the_commission_key():
    p = f.DefinitiveProtocolFactory()
    other = f.beside(p.station)
    texts = qr.decode_pdf(service.protocol_pdf(p))
    code = qr.first_payload(texts)
    assert (code.format, code.version, code.signature) == (2, 1, p.signature)
    line_keys, choice_keys = p.contest.form.keys, service.choice_keys(p.contest)
    assert code.signed_by(p.signed_with, line_keys, choice_keys)
    from sailau.elections import keys

    [(theirs, _)] = keys.private_keys([other.commission_id]).values()
    assert not code.signed_by(theirs, line_keys, choice_keys)


@pytest.mark.django_db
@pytest.mark.parametrize("made_by", ["another commission", "a made-up key"])
def test_a_scan_whose_code_carries_a_bad_signature_is_flagged(made_by):
    """The server checks the code's signature against the commission's keys, as `sailau
    verify` does offline: a code with the definitive figures but signed with any other key is
    not a match, and the page says why in kk, ru and en."""
    import io

    from sailau.elections import keys
    from sailau.protocols.signing import protocol_dict
    from sailau.scans.models import Scan
    from sailau.verify import signatures as sig

    p = f.DefinitiveProtocolFactory()
    good = service.upload_scan(p.station, p.contest, service.protocol_pdf(p), "paper.pdf")
    assert (good.status, good.reason) == (Scan.MATCH, "")
    if made_by == "another commission":
        [(_, private)] = keys.private_keys([f.beside(p.station).commission_id]).values()
    else:
        private = sig.new_private_key()
    forged = sig.sign(private, sig.canonical_bytes(protocol_dict(
        p.station_id, p.contest_id, p.version, p.figures, p.choices)))
    real = service.payload_for(p)
    code = qr.build(p.station_id, p.contest_id, p.version, real.lines, real.choices, forged)
    png = io.BytesIO()
    qr.to_image(code).save(png, format="PNG")
    scan = service.upload_scan(p.station, p.contest, png.getvalue(), "forged.png")
    assert (scan.status, scan.reason) == (Scan.MISMATCH, "signature")
    assert scan.mismatches[-1]["kind"] == "signature"
    assert service.REASONS["signature"]["ru"].startswith("Подпись в QR-коде")
    assert all(service.REASONS["signature"][lang] for lang in ("kk", "ru", "en"))

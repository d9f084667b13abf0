"""The printed protocol's QR code carries the commission's own signature and its key's
fingerprint (format 3), so a photo of the posted paper proves what the commission signed,
offline; the scans' check reads it and refuses a code signed by another key or citing another
decision."""

import base64
import io
import json

import pytest

from sailau.protocols.models import Protocol
from sailau.scans import service
from sailau.verify import key_vectors, qr, signatures
from tests.commkeys.test_amendment import amended

pytestmark = pytest.mark.django_db
LINES = ["voters_on_list", "issued_in_room", "invalid", "found_stationary"]
CHOICES = ["amanat", "auyl", "against_all"]


def vector_payload(protocol, form, key, **change):
    ordered = qr.ordered(protocol["figures"], protocol["choices"], LINES, CHOICES)
    sig = signatures.sign(key, signatures.signed_bytes(protocol, form))
    args = {"key_id": signatures.key_id(signatures.public_key_b64(key)), "message": form,
            "scans": protocol["scans"], "decision": protocol.get("decision"), **change}
    return qr.build(protocol["station"], protocol["contest"], protocol["version"], *ordered,
                    sig, **args)


@pytest.mark.parametrize("protocol,form", [(key_vectors.PROTOCOL, "sailau-protocol/2"),
                                           (key_vectors.AMENDED, "sailau-protocol/3")])
def test_format_3_round_trips_and_verifies_offline(protocol, form):
    key = signatures.load_private_key(key_vectors.SEED)
    public = signatures.public_key_b64(key)
    p = vector_payload(protocol, form, key)
    assert p.text.startswith("SLU3|") and p.format == 3
    back = qr.parse(p.text)
    assert back == p and back.key_id == key_vectors.text().split("fingerprint (key_id): ")[1][:16]
    assert back.signed_by(public, LINES, CHOICES)
    assert back.to_json()["signed_message"] == form
    other = signatures.new_private_key()
    assert not back.signed_by(signatures.public_key_b64(other), LINES, CHOICES)
    # another key's signature under this key's fingerprint, and a code edited by hand
    forged = vector_payload(protocol, form, other,
                            key_id=signatures.key_id(public))
    assert not forged.signed_by(public, LINES, CHOICES)
    with pytest.raises(qr.PayloadError) as exc:
        qr.parse(p.text.replace("|" + p.key_id + "|", "|" + "0" * 16 + "|"))
    assert exc.value.code == "hash"
    if form == "sailau-protocol/3":  # the decision is read back and is under the signature
        assert json.loads(base64.b64decode(back.decision))["number"] == "12/3"
        cited = {**protocol["decision"], "number": "99/9"}
        moved = qr.build(p.station, p.contest, p.version, p.lines, p.choices, p.signature,
                         key_id=p.key_id, message=form, scans=p.scans, decision=cited)
        assert not moved.signed_by(public, LINES, CHOICES)


def _png(payload) -> bytes:
    out = io.BytesIO()
    qr.to_image(payload, scale=6).save(out, format="PNG")
    return out.getvalue()


def test_the_printed_paper_carries_the_commissions_signature_and_its_scan_is_checked(own):
    assert own.register().status_code == 200 and own.confirm().status_code == 200
    own.enter()
    assert own.sign().status_code == 200
    p = Protocol.objects.current().get(station=own.station, contest_id=own.contest)
    payload = service.payload_for(p)
    assert payload.format == 3 and payload.key_id == own.key_id
    assert payload.signature == p.signature and payload.form == "2"
    assert service.printable(p).payload == payload
    # the fingerprint is printed beside the code, for a reader without a QR reader
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(service.protocol_pdf(p))
    assert own.key_id in pdf[0].get_textpage().get_text_range()
    pdf.close()
    scan = service.upload_scan(own.station, p.contest, _png(payload), "paper.png", ocr=False)
    assert scan.status == "match", (scan.status, scan.reason, scan.mismatches)
    # the same figures under the commission's fingerprint, signed by another key: refused
    other = signatures.new_private_key()
    forged = qr.build(payload.station, payload.contest, payload.version, payload.lines,
                      payload.choices, signatures.sign(other, signatures.own_bytes(
                          {"station": p.station_id, "contest": p.contest_id,
                           "version": p.version, "figures": p.figures, "choices": p.choices,
                           "scans": []})),
                      key_id=own.key_id, message="sailau-protocol/2")
    scan = service.upload_scan(own.station, p.contest, _png(forged), "forged.png", ocr=False)
    assert (scan.status, scan.reason) == ("mismatch", "signature")


def test_an_amendments_paper_carries_its_decision(own):
    amended(own, "Қайта санау")
    assert own.sign().status_code == 200
    v2 = Protocol.objects.current().get(station=own.station, contest_id=own.contest)
    payload = qr.parse(service.payload_for(v2).text)
    assert payload.form == "3"
    assert json.loads(base64.b64decode(payload.decision))["reason"] == "Қайта санау"
    assert payload.signed_by(own.public, v2.contest.form.keys, service.choice_keys(v2.contest))
    scan = service.upload_scan(own.station, v2.contest, _png(payload), "v2.png", ocr=False)
    assert scan.status == "match", (scan.status, scan.reason, scan.mismatches)

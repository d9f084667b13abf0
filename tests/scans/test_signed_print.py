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

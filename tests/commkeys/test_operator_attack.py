"""Tried as the server's operator would, with the whole database and the data directory: no
private key material of a commission that made its own key is there, and a protocol the
commission did not sign, forged with a key the server holds (kept from before the commission's
key was confirmed, or registered afresh) or with a key nobody confirmed, is refused by `sailau
verify`."""

import base64
import json

import pytest
from django.apps import apps

from sailau.cli import main
from sailau.elections import keys
from sailau.elections.models import CommissionKey
from sailau.ledger import outbox
from sailau.paths import data_dir
from sailau.protocols import logged
from sailau.protocols.models import Protocol
from sailau.publish.pipeline import snapshots
from sailau.verify import signatures

pytestmark = pytest.mark.django_db


def spellings(private: bytes) -> list[bytes]:
    """The forms a 32-byte private key could be stored in."""
    b64 = base64.b64encode(private)
    return [private, b64, b64.rstrip(b"="), base64.urlsafe_b64encode(private).rstrip(b"="),
            private.hex().encode(), private.hex().upper().encode()]


def everything_the_operator_has() -> list[bytes]:
    """Every value of every row of every table, and every file under the data directory."""
    out = []
    for model in apps.get_models():
        for row in model.objects.all().values_list():
            for v in row:
                out.append(bytes(v) if isinstance(v, bytes | memoryview)
                           else json.dumps(v, default=str).encode())
    out += [p.read_bytes() for p in data_dir().rglob("*") if p.is_file()]
    return out


@pytest.fixture
def signed(own):
    """The commission's key confirmed and its protocol signed; the server-held key's private
    half as an operator could have copied it before the confirmation."""
    kept = keys.private_keys([own.commission.pk])[own.commission.pk]
    assert own.register().status_code == 200 and own.confirm().status_code == 200
    own.enter()
    assert own.sign().status_code == 200
    snapshots.publish(own.election.id)
    return kept


def forge(own, private: bytes, message: str, public: str) -> None:
    """The operator's forgery: version 2 with up to 100 votes moved, signed with `private`, written
    into the database and the log as the chain would, then published."""
    v1 = Protocol.objects.current().get(station=own.station, contest_id=own.contest)
    a, b = sorted(v1.choices, key=lambda k: -v1.choices[k])[:2]
    moved = min(100, v1.choices[a])
    choices = {**v1.choices, a: v1.choices[a] - moved, b: v1.choices[b] + moved}
    body = {"station": v1.station_id, "contest": v1.contest_id, "version": 2,
            "figures": v1.figures, "choices": choices, "scans": v1.signed_scans or []}
    sig = signatures.sign(private, signatures.signed_bytes(body, message))
    Protocol.objects.filter(pk=v1.pk).update(current=False)
    Protocol.objects.create(station=v1.station, contest=v1.contest, version=2, figures=v1.figures,
                            choices=choices, source="amendment", signature=sig, signed_with=public,
                            signed_message="" if message == signatures.FORMAT else message,
                            signed_scans=body["scans"])
    outbox.append(own.election.id, "protocol", logged.subject(v1.station_id, v1.contest_id, 2),
                  station=v1.station_id, contest=v1.contest_id, version=2, figures=v1.figures,
                  choices=choices, scans=body["scans"], decision=None,
                  signature={"key": signatures.key_id(public), "signature": sig,
                             "message": message})
    snapshots.publish(own.election.id)


def failures(own, capsys) -> list[str]:
    main(["verify", str(snapshots.election_dir(own.election.id)), "--json"])
    return [f["message"] for f in json.loads(capsys.readouterr().out)["failures"]
            if f["check"] in ("signatures", "leaves")]


def test_no_private_key_of_the_commission_on_the_server(own, signed):
    haystack = everything_the_operator_has()
    assert len(haystack) > 1000  # the whole election is there
    for needle in spellings(own.private):
        assert not any(needle in hay for hay in haystack)
    # the server-held key it had is destroyed: nothing left to unseal
    assert all(bytes(k.sealed_private_key) == b"" for k in
               CommissionKey.objects.filter(commission=own.commission))
    # the commission's key is the server's to verify, not to use
    assert CommissionKey.objects.get(commission=own.commission, held_by_server=False) \
        .public_key == own.public


def test_honest_record_verifies(own, signed, capsys):
    assert failures(own, capsys) == []


def test_forgery_with_the_server_key_kept_from_before_is_refused(own, signed, capsys):
    public, private = signed
    forge(own, private, signatures.FORMAT, public)
    assert any(f"of commission {own.commission.pk}, revoked before it" in m
               and "replaced by the commission's own key" in m for m in failures(own, capsys))


def test_forgery_with_a_server_key_registered_afresh_is_refused(own, signed, capsys):
    private, public = signatures.new_key_pair()
    outbox.append(own.election.id, "commission-key", own.commission.pk, action="register",
                  commission=own.commission.pk, public_key=public, held_by_server=True,
                  reason=None)
    forge(own, private, signatures.FORMAT, public)
    found = failures(own, capsys)
    assert any("a key held by the server registered for" in m for m in found)
    assert any("signed with a key the server holds, after commission" in m for m in found)


def test_forgery_with_an_own_key_nobody_confirmed_is_refused(own, signed, capsys):
    private, public = signatures.new_key_pair()
    outbox.append(own.election.id, "commission-key", own.commission.pk, action="register",
                  commission=own.commission.pk, public_key=public, held_by_server=False,
                  reason=None, by=own.commission.pk, late=True)
    forge(own, private, signatures.FORMAT_OWN, public)
    assert any("that the commission above had not confirmed" in m for m in failures(own, capsys))

"""An amendment of a protocol the commission signs with its own key is signed again, and the
decision it cites is inside the signed bytes (`sailau-protocol/3`): the same figures under
another decision do not verify, the `protocol` leaf carries the decision signed, the log's
verifier rebuilds the bytes from the leaf, and `sailau keys sign` signs the /3 form only."""

import base64
import datetime as dt
import json

import pytest
from django.contrib.auth import get_user

from sailau.cli import main
from sailau.ledger.models import Leaf
from sailau.protocols import services
from sailau.protocols.models import Protocol
from sailau.tlog import leaves
from sailau.verify import signatures
from sailau.verify.logleaves import _key_problem
from tests import factories as f
from tests.commkeys.conftest import call

pytestmark = pytest.mark.django_db


def amended(own, reason: str = "recount"):
    """Version 1 signed by the commission, then amended by a decision of the commission above
    (number 12/3, two days after the election, for `reason`): what version 2 awaits."""
    assert own.register().status_code == 200 and own.confirm().status_code == 200
    own.enter()
    assert own.sign().status_code == 200
    v1 = Protocol.objects.current().get(station=own.station, contest_id=own.contest)
    moved = dict(v1.choices)
    a, b = sorted(moved)[:2]
    moved[a], moved[b] = moved[a] - 1, moved[b] + 1
    services.amend(get_user(own.above), own.station.id, own.contest, v1.figures, moved,
                   "12/3", own.election.date + dt.timedelta(days=2), reason,
                   f.warnings(v1.contest, v1.figures, moved))
    return own.to_sign().json()


def test_the_amendment_is_signed_with_its_decision(own):
    req = amended(own)
    decision = {"number": "12/3", "date": (own.election.date + dt.timedelta(days=2)).isoformat(),
                "reason": "recount"}
    assert req["format"] == "sailau-protocol/3"
    assert req["protocol"]["decision"] == decision and req["protocol"]["version"] == 2
    message = base64.b64decode(req["message"])
    assert message == signatures.amended_bytes(req["protocol"])
    assert json.loads(message)["decision"] == decision
    # a signature over version 2's figures without the decision (the /2 form) is refused, and
    # so is one over the same figures citing another decision
    no_decision = signatures.sign(own.private, signatures.own_bytes(req["protocol"]))
    other = {**req["protocol"], "decision": {**decision, "number": "12/4"}}
    for sig in (no_decision, signatures.sign(own.private, signatures.amended_bytes(other))):
        r = call(own.members[1], "post", own.signature_url, {"version": 2, "signature": sig})
        assert r.status_code == 422 and r.json()["error"] == "signature_invalid", r.content
    assert own.sign(req).status_code == 200
    v2 = Protocol.objects.current().get(station=own.station, contest_id=own.contest)
    assert (v2.version, v2.signed_message) == (2, "sailau-protocol/3")
    leaf = leaves.decode(bytes(Leaf.objects.get(
        kind="protocol", subject=f"{own.station.id}/{own.contest}/2").data))
    assert leaf["decision"] == decision and leaf["signature"]["message"] == "sailau-protocol/3"
    # the log's verifier rebuilds the signed bytes from the leaf alone
    assert signatures.verify_signature(own.public, signatures.signed_bytes(
        leaf, leaf["signature"]["message"]), leaf["signature"]["signature"])
    # the published station file carries the decision signed beside the signature
    from sailau.publish.files.station_documents import _protocol_json

    assert _protocol_json(v2)["signed_decision"] == decision


def test_keys_sign_signs_the_amendment_with_its_decision(own, tmp_path, capsys):
    req = amended(own)
    key = tmp_path / "commission" / "c.key"
    key.parent.mkdir()
    key.write_text(json.dumps({"format": "sailau-commission-key/1", "algorithm": "Ed25519",
                               "commission": own.commission.pk,
                               "private_key": base64.b64encode(own.private).decode(),
                               "public_key": own.public, "key_id": own.key_id}))
    request = tmp_path / "to-sign.json"
    request.write_text(json.dumps(req))
    assert main(["keys", "sign", str(key), str(request)]) == 0
    signed = json.loads(capsys.readouterr().out)
    assert signatures.verify_signature(own.public, signatures.amended_bytes(req["protocol"]),
                                       signed["signature"])
    # a request that names /2 for an amendment, or whose decision differs from its bytes, is
    # not signed
    for bad in ({**req, "format": "sailau-protocol/2"},
                {**req, "protocol": {**req["protocol"], "decision": {
                    **req["protocol"]["decision"], "reason": "another"}}}):
        request.write_text(json.dumps(bad))
        assert main(["keys", "sign", str(key), str(request)]) != 0
    assert call(own.members[0], "post", own.signature_url, signed).status_code == 200


def test_the_log_verifier_accepts_the_own_forms_only():
    from sailau.verify.logleaves import Key, Leaves

    key = Key("k", 0, False, confirmed=1)
    for message, ok in (("sailau-protocol/2", True), ("sailau-protocol/3", True),
                        ("sailau-protocol/1", False), ("sailau-protocol/9", False)):
        problem = _key_problem(Leaves(), "c", key, {"message": message}, 5)
        assert (problem is None) == ok, (message, problem)


def test_sailau_verify_accepts_the_signed_amendment(own, capsys):
    from sailau.publish.pipeline import snapshots

    assert own.sign(amended(own)).status_code == 200
    snapshots.publish(own.election.id)
    folder = str(snapshots.election_dir(own.election.id))
    assert main(["verify", folder, "--signers"]) == 0, capsys.readouterr().out
    line = next(x for x in capsys.readouterr().out.splitlines()
                if x.startswith(f"signer: station {own.station.id} "))
    assert f"key {own.key_id} of {own.commission.pk}" in line

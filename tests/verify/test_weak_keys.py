"""`sailau verify` names a key that is not worth trusting wherever it reads one from the log:
an operator with the log key at hand appends a `commission-key` leaf registering a small-order
key (or the same key in another spelling) and a protocol "signed" with the one constant
signature such a key accepts; or restates the witnesses with a weak key. Each is FAILED, with
the leaf and the reason; the honest log still passes. No Django."""

import base64
import hashlib
import json

import pytest

from sailau.cli import main
from sailau.tlog import cosignature, merkle, note
from sailau.verify import signatures
from tests.logfixture import ELECTION, Published, canonical, cosign

IDENTITY_B64 = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
CONSTANT_SIGNATURE = base64.b64encode(bytes.fromhex("01" + "00" * 63)).decode()


@pytest.fixture
def world(tmp_path, capsys):
    key = tmp_path / "w.key"
    assert main(["witness", "keygen", "observers.example/w", "--out", str(key)]) == 0
    vkey = capsys.readouterr().out.strip()
    pub = Published(tmp_path / "pub", witnesses=[cosignature.Witness.from_key(key.read_text())])
    pub.results(5)
    pub.publish()
    assert cosign(pub, key, tmp_path / "witness") == 0
    capsys.readouterr()
    return pub, key, vkey


def append_raw(pub: Published, leaf: dict) -> int:
    """A leaf appended as its bytes, past the format's own checks (the operator writes bytes)."""
    data = canonical(leaf)
    pub.leaves.append(data)
    return pub.tree.append(merkle.leaf_hash(data))


def key_id(public_key: str) -> str:
    # of the bytes, whatever the spelling (as a careless reader would name the key)
    return hashlib.sha256(base64.b64decode(public_key + "==")).hexdigest()[:16]


def forge(pub: Published, public_key: str, sid: str = "s2") -> int:
    """A key registered for the station's commission, and its protocol re-signed with the
    constant signature; returns the key leaf's index."""
    i = append_raw(pub, {"v": 1, "type": "commission-key", "election": ELECTION,
                         "at": "2026-11-21T21:00:00Z", "action": "register",
                         "commission": f"pc-{sid}", "public_key": public_key,
                         "held_by_server": True, "reason": None})
    body = {"station": sid, "contest": "c1", "version": 2,
            "figures": {"voters": 1000, "ballots_cast": 900, "invalid": 0},
            "choices": {"a": 899, "b": 1}}
    index = append_raw(pub, {"v": 1, "type": "protocol", "election": ELECTION,
                             "at": "2026-11-21T21:00:00Z", **body, "scans": [],
                             "decision": None,
                             "signature": {"key": key_id(public_key),
                                           "signature": CONSTANT_SIGNATURE,
                                           "message": signatures.FORMAT}})
    pub.current[(sid, "c1")] = (index, {**body, "signature": CONSTANT_SIGNATURE,
                                        "signed_with": public_key})
    return i


def run(pub, vkey, capsys, *args):
    capsys.readouterr()
    status = main(["verify", str(pub.folder), "--witness", vkey, "--json", *args])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    assert out.out.startswith("{"), out
    return status, json.loads(out.out)


def test_a_small_order_commission_key_in_the_log_is_named(world, tmp_path, capsys):
    pub, key, vkey = world
    state = tmp_path / "reader"
    assert run(pub, vkey, capsys, "--state", str(state))[0] == 0
    i = forge(pub, IDENTITY_B64)
    pub.publish()
    assert cosign(pub, key, tmp_path / "witness") == 0  # the log grew: the witness cosigns
    status, report = run(pub, vkey, capsys, "--state", str(state))
    assert status == 1
    failures = {f["subject"]: f["message"] for f in report["failures"]}
    assert "small-order" in failures[f"leaf {i}"] and "public_key" in failures[f"leaf {i}"]
    # the protocol it "signed" counts for nothing
    assert any(s.startswith("station s2 (c1") for s in failures)


def test_the_same_key_in_another_spelling_is_named(world, tmp_path, capsys):
    pub, key, vkey = world
    public = signatures.public_key_b64(pub.keys["pc-s3"])
    i = forge(pub, public.rstrip("="), sid="s3")
    pub.publish()
    assert cosign(pub, key, tmp_path / "witness") == 0
    status, report = run(pub, vkey, capsys)
    assert status == 1
    assert "not standard base64" in {f["subject"]: f["message"]
                                     for f in report["failures"]}[f"leaf {i}"]


def test_a_weak_witness_key_in_the_structure_is_named(world, tmp_path, capsys):
    pub, key, vkey = world
    raw = base64.b64decode(IDENTITY_B64)
    kid = note._key_id("evil.example/w", 4, raw).hex()
    weak = f"evil.example/w+{kid}+{base64.b64encode(bytes([4]) + raw).decode()}"
    i = append_raw(pub, {"v": 1, "type": "structure-change", "election": ELECTION,
                         "at": "2026-11-21T21:00:00Z", "contests": [],
                         "witnesses": [weak], "reason": "witness added"})
    pub.publish()
    assert cosign(pub, key, tmp_path / "witness") == 0
    status, report = run(pub, vkey, capsys)
    assert status == 1
    message = {f["subject"]: f["message"] for f in report["failures"]}[f"leaf {i}"]
    assert "witnesses[0]" in message and "small-order" in message
    # in log.json, taken as the server's witnesses: a failure naming it, not a key
    (pub.folder / "log" / "log.json").write_text(json.dumps(
        {"origin": pub.origin, "log_key": pub.signer.verifier_key(), "witnesses": [weak]}))
    status = main(["verify", str(pub.folder), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert status == 1 and any("small-order" in f["message"] and f["subject"] == "log.json"
                               for f in out["failures"])

"""The signed form of a protocol and its Ed25519 signature (sailau/verify/signatures.py), without
Django: what the server signs is what an offline verifier checks."""

import base64
import json
import subprocess
import sys

import pytest

from sailau.verify import signatures as sig

PROTOCOL = {"station": "st-0001", "contest": "mazhilis-party-list", "version": 1,
            "figures": {"voters": 1500, "ballots_received": 1400, "spoiled": 3},
            "choices": {"amanat": 700, "auyl": 120, "respublica": 0}}


@pytest.fixture(scope="module")
def keys():
    one, other = sig.new_private_key(), sig.new_private_key()
    return one, sig.public_key_b64(one), other, sig.public_key_b64(other)


def test_canonical_bytes_are_sorted_compact_utf8():
    data = sig.canonical_bytes({**PROTOCOL, "station": "Алматы-1",
                                "figures": {"b": 2, "a": 1, "optional": None}})
    assert data == ('{"choices":{"amanat":700,"auyl":120,"respublica":0},'
                    '"contest":"mazhilis-party-list","figures":{"a":1,"b":2},'
                    '"format":"sailau-protocol/1","station":"Алматы-1","version":1}'
                    ).encode()
    # The order the caller gives the members in, and any other member, change nothing.
    shuffled = {"published": True, **{k: PROTOCOL[k] for k in reversed(list(PROTOCOL))}}
    assert sig.canonical_bytes(shuffled) == sig.canonical_bytes(PROTOCOL)
    assert json.loads(sig.canonical_bytes(PROTOCOL))["format"] == sig.FORMAT


@pytest.mark.parametrize("change, where", [
    ({"version": 0}, "version"),
    ({"version": "1"}, "version"),
    ({"station": ""}, "station"),
    ({"figures": {"voters": 1.0}}, "figures.voters"),
    ({"figures": {"voters": True}}, "figures.voters"),
    ({"figures": {"voters": -1}}, "figures.voters"),
    ({"choices": {"amanat": None}}, "choices.amanat"),
    ({"choices": [1, 2]}, "choices"),
])
def test_canonical_refuses_what_is_not_a_protocol(change, where):
    with pytest.raises(sig.CanonicalError, match=where):
        sig.canonical_bytes({**PROTOCOL, **change})
    with pytest.raises(sig.CanonicalError, match="missing figures"):
        sig.canonical_bytes({k: v for k, v in PROTOCOL.items() if k != "figures"})


def test_signature_verifies_with_its_key_only(keys):
    one, one_pub, other, other_pub = keys
    data = sig.canonical_bytes(PROTOCOL)
    signature = sig.sign(one, data)
    assert len(base64.b64decode(signature)) == 64
    assert sig.verify_signature(one_pub, data, signature)
    # Made with another commission's key: fails against this commission's public key.
    assert not sig.verify_signature(one_pub, data, sig.sign(other, data))
    assert not sig.verify_signature(other_pub, data, signature)


@pytest.mark.parametrize("change", [
    {"choices": {**PROTOCOL["choices"], "amanat": 701}},
    {"figures": {**PROTOCOL["figures"], "spoiled": 4}},
    {"figures": {k: v for k, v in PROTOCOL["figures"].items() if k != "spoiled"}},
    {"version": 2},
    {"station": "st-0002"},
    {"contest": "mazhilis-single-member"},
])
def test_any_changed_figure_or_id_fails(keys, change):
    one, one_pub, *_ = keys
    signature = sig.sign(one, sig.canonical_bytes(PROTOCOL))
    assert not sig.verify_signature(one_pub, sig.canonical_bytes({**PROTOCOL, **change}),
                                    signature)


GOOD = "the right one"


@pytest.mark.parametrize("public, signature", [
    ("not base64!", GOOD), (None, GOOD), ("", GOOD), ("Алматы", GOOD),
    (base64.b64encode(b"short").decode(), GOOD),
    (GOOD, "not base64!"), (GOOD, ""), (GOOD, base64.b64encode(b"x" * 63).decode()),
    (GOOD, 12345), (GOOD, None),
])
def test_malformed_key_or_signature_is_false_not_an_exception(keys, public, signature):
    one, one_pub, *_ = keys
    data = sig.canonical_bytes(PROTOCOL)
    good = sig.sign(one, data)
    assert sig.verify_signature(one_pub, data, good)
    assert sig.verify_signature(one_pub if public is GOOD else public, data,
                                good if signature is GOOD else signature) is False


def test_key_objects_and_raw_bytes_sign_alike(keys):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    one, one_pub, *_ = keys
    data = b"anything"
    # Ed25519 is deterministic: the same key and data give the same signature.
    assert sig.sign(Ed25519PrivateKey.from_private_bytes(one), data) == sig.sign(one, data)
    assert len(sig.key_id(one_pub)) == 16
    private, public = sig.new_key_pair()
    assert sig.public_key_b64(private) == public


def test_imports_without_django():
    code = ("import sys; import sailau.verify.signatures; "
            "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True,
                   env={"PATH": "/usr/bin:/bin"})

"""The test vectors of docs/commission-keys.md are what the code makes today, and they verify:
a stranger's verifier is checked against the same bytes Sailau signs and logs."""

import base64
import json
import re
from pathlib import Path

from sailau.tlog import leaves
from sailau.verify import key_vectors, signatures

DOC = Path(__file__).resolve().parents[2] / "docs" / "commission-keys.md"


def test_the_document_carries_the_vectors_the_code_makes():
    assert key_vectors.in_document(DOC.read_text()) == key_vectors.text(), (
        "regenerate: python -c 'from sailau.verify import key_vectors; "
        "print(key_vectors.text())'")


def test_the_vectors_verify():
    blocks = re.findall(r"```\n(.*?)```", key_vectors.text(), flags=re.DOTALL)
    public = blocks[0].split("public key (base64): ")[1].split("\n")[0]
    own, own_sig = blocks[1].strip().encode(), blocks[2].strip()
    server, server_sig = (x.encode() for x in blocks[3].strip().split("\n"))
    assert signatures.verify_signature(public, own, own_sig)
    assert signatures.verify_signature(public, server, server_sig.decode())
    # each form's signature is worthless for the other form
    assert not signatures.verify_signature(public, server, own_sig)
    assert own == signatures.own_bytes(key_vectors.PROTOCOL)
    assert base64.b64decode(public) and signatures.key_id(public) in blocks[0]
    for line in blocks[4].strip().split("\n"):
        leaf = leaves.decode(line.encode())
        assert leaf["type"] == "commission-key" and leaf["public_key"] == public
    # the amendment: its decision is inside the bytes, and the bytes are those of its leaf
    amended, amended_sig = (x.encode() for x in blocks[5].strip().split("\n"))
    assert signatures.verify_signature(public, amended, amended_sig.decode())
    assert amended == signatures.signed_bytes(key_vectors.AMENDED, "sailau-protocol/3")
    assert b'"decision":{"date":"2023-03-21","number":"12/3"' in amended
    other = {**key_vectors.AMENDED, "decision": {**key_vectors.AMENDED["decision"],
                                                 "number": "12/4"}}
    assert not signatures.verify_signature(public, signatures.amended_bytes(other),
                                           amended_sig.decode())
    # neither the same version without the decision (/2) nor with none verifies
    assert not signatures.verify_signature(public, signatures.own_bytes(key_vectors.AMENDED),
                                           amended_sig.decode())


def test_the_vector_signed_on_the_stations_behalf_verifies():
    """`sailau-protocol/4`: the commission above's key verifies it, over bytes naming the
    signer; the same signature is worthless as the station's own (/2) or for another signer."""
    blocks = re.findall(r"```\n(.*?)```", key_vectors.text(), flags=re.DOTALL)
    public = blocks[6].split("public key (base64): ")[1].split("\n")[0]
    data, sig = blocks[7].strip().split("\n")
    assert signatures.verify_signature(public, data.encode(), sig)
    assert data.encode() == signatures.behalf_bytes({**key_vectors.PROTOCOL,
                                                     "signed_by": key_vectors.ABOVE})
    assert f'"signed_by":"{key_vectors.ABOVE}"' in data
    assert not signatures.verify_signature(public, signatures.own_bytes(key_vectors.PROTOCOL),
                                           sig)
    assert not signatures.verify_signature(public, signatures.behalf_bytes(
        {**key_vectors.PROTOCOL, "signed_by": "kz.test.2023-03-19.tc-08"}), sig)
    # the leaf's signature member, with the leaf's members, rebuilds the same bytes
    member = json.loads(blocks[8])
    leaf = {**key_vectors.PROTOCOL, "decision": None, "signature": member}
    assert signatures.leaf_bytes(leaf) == data.encode()
    assert member["key"] == signatures.key_id(public) and member["by"] == key_vectors.ABOVE

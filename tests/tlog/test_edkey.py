"""Which keys are worth trusting (sailau/tlog/edkey.py): the 8 small-order points, derived and
cross-checked; every non-canonical encoding and spelling refused with its reason; the keys a
real signer makes accepted; a small-order key shown to be the hole it is (one constant
signature verifies any message with `cryptography` alone) and closed in every verifier that
takes a key; a non-reduced S refused."""

import base64
import datetime as dt
import os

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sailau.tlog import checkpoint, cosignature, edkey, leaves, note
from sailau.verify import key_vectors, signatures

# The well-known encodings of the torsion points (as libsodium and the Ed25519 literature list
# them): a second source for what `key_vectors.small_order_points` derives.
KNOWN = {
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
}
WHEN = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
IDENTITY_B64 = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
# With the identity as key, [S]B = R + [k]A is [0]B = R: R the identity, S = 0, any message.
CONSTANT_SIGNATURE = bytes.fromhex("01" + "00" * 63)


def test_the_small_order_points_are_the_eight_torsion_points():
    points = key_vectors.small_order_points()
    assert {raw.hex() for raw, _ in points} == KNOWN
    assert sorted(order for _, order in points) == [1, 2, 4, 4, 8, 8, 8, 8]  # Z/8
    for raw, order in points:
        pt = edkey.decode_point(raw)
        assert edkey.small_order(pt) and edkey.is_identity(edkey.multiply(order, pt))
        with pytest.raises(edkey.WeakKey) as exc:
            edkey.check_public_key(raw)
        assert exc.value.reason == "small-order"
    # L times any point of the curve is one of them (its torsion part)
    found = 0
    while found < 20:
        try:
            pt = edkey.decode_point(os.urandom(32))
        except edkey.WeakKey:
            continue
        found += 1
        assert edkey.encode_point(edkey.multiply(edkey.L, pt)).hex() in KNOWN


def test_real_keys_and_the_base_point_are_accepted():
    base = (4 * pow(5, edkey.P - 2, edkey.P)) % edkey.P  # y of the base point B
    raw = base.to_bytes(32, "little")
    assert edkey.check_public_key(raw) == raw
    assert edkey.is_identity(edkey.multiply(edkey.L, edkey.decode_point(raw)))
    for _ in range(100):
        raw = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
        assert edkey.check_public_key(raw) == raw
        assert edkey.encode_point(edkey.decode_point(raw)) == raw
        text = base64.b64encode(raw).decode()
        assert edkey.public_key(text) == raw and signatures.valid_public_key(text)


@pytest.mark.parametrize(("text", "what"), key_vectors.refused_keys())
def test_every_refused_vector_is_refused_with_its_reason(text, what):
    with pytest.raises(edkey.WeakKey) as exc:
        edkey.public_key(text)
    expected = {"a point of order": "small-order", "y = p": "non-canonical",
                "sign bit": "non-canonical", "y = 2": "not-on-curve"}
    assert exc.value.reason == next((r for k, r in expected.items() if k in what), "base64")
    assert not signatures.valid_public_key(text)
    # a commission-key leaf holding it is not a leaf of the format
    with pytest.raises(leaves.LeafError, match="public_key"):
        leaves.make("commission-key", "e", WHEN, action="register",
                    commission="pc-1", public_key=text, held_by_server=False, reason=None)


def test_a_small_order_key_verifies_anything_with_the_library_alone_and_nothing_here():
    """The hole: `cryptography` accepts the identity as a key and one constant signature for
    every message. Every verifier here refuses the key first."""
    raw = base64.b64decode(IDENTITY_B64)
    for message in (b"protocol 1", b"protocol 2", os.urandom(40)):
        Ed25519PublicKey.from_public_bytes(raw).verify(CONSTANT_SIGNATURE, message)
        assert not signatures.verify_signature(
            IDENTITY_B64, message, base64.b64encode(CONSTANT_SIGNATURE).decode())
    # as a log key or a witness key: the verifier key is refused before any note is opened
    for alg in (1, 4):
        name = "evil.example"
        kid = note._key_id(name, alg, raw).hex()
        vkey = f"{name}+{kid}+{base64.b64encode(bytes([alg]) + raw).decode()}"
        with pytest.raises(note.WeakVerifierKey) as exc:
            note.parse_verifier_key(vkey)
        assert exc.value.reason == "small-order"
    body = checkpoint.Checkpoint("evil.example/e1", 1, b"\0" * 32).body()
    line = f"\u2014 {name} " + base64.b64encode(
        bytes.fromhex(kid) + (7).to_bytes(8, "big") + CONSTANT_SIGNATURE).decode()
    with pytest.raises(note.NoteError, match="small-order"):
        cosignature.verify_cosignature(body, line, vkey)


def test_a_signature_with_s_not_reduced_is_refused():
    key = Ed25519PrivateKey.generate()
    public = base64.b64encode(key.public_key().public_bytes_raw()).decode()
    sig = key.sign(b"m")
    s = int.from_bytes(sig[32:], "little")
    other = sig[:32] + (s + edkey.L).to_bytes(32, "little")  # the same S mod L, S >= L
    assert signatures.verify_signature(public, b"m", base64.b64encode(sig).decode())
    assert not signatures.verify_signature(public, b"m", base64.b64encode(other).decode())
    with pytest.raises(InvalidSignature):
        key.public_key().verify(other, b"m")


def test_a_structure_leaf_with_a_weak_witness_key_is_not_of_the_format():
    raw = base64.b64decode(IDENTITY_B64)
    kid = note._key_id("w", 4, raw).hex()
    weak = f"w+{kid}+{base64.b64encode(bytes([4]) + raw).decode()}"
    good = cosignature.Witness.generate("w").verifier_key()
    election = {"name": {"kk": "e"}, "kind": "mazhilis", "date": "2023-03-19",
                "synthetic": True, "parties": []}
    leaves.make("structure", "e", WHEN, origin="o", witnesses=[good],
                contest_leaves=1, station_leaves=1, **election)
    for witnesses in ([weak], [good.upper()], [good.replace("+B", "+ B", 1)]):
        with pytest.raises(leaves.LeafError, match="witnesses"):
            leaves.make("structure", "e", WHEN, origin="o", witnesses=witnesses,
                        contest_leaves=1, station_leaves=1, **election)


def _by_definition(raw: bytes) -> str:
    """The reference the fast check is held to: decode the point (refusing every non-canonical
    encoding and every y with no x), double it three times, refuse it if that is the
    identity. "ok" or the reason."""
    try:
        pt = edkey.decode_point(raw)
    except edkey.WeakKey as exc:
        return exc.reason
    return "small-order" if edkey.small_order(pt) else "ok"


def _fast(raw: bytes) -> str:
    try:
        edkey.check_public_key(raw)
    except edkey.WeakKey as exc:
        return exc.reason
    return "ok"


def _with_sign(raw: bytes, sign: int) -> bytes:
    return raw[:31] + bytes([raw[31] & 0x7F | sign << 7])


def test_the_fast_check_refuses_exactly_what_the_definition_refuses():
    torsion = [raw for raw, _ in key_vectors.small_order_points()]
    assert edkey.SMALL_ORDER == frozenset(torsion)
    cases = []
    # every small-order point in each of its spellings: both sign bits, and y + p where it fits
    for raw in torsion:
        y = int.from_bytes(raw, "little") & ((1 << 255) - 1)
        for sign in (0, 1):
            cases.append((_with_sign(raw, sign), "torsion"))
            if y + edkey.P < 1 << 255:
                spelling = _with_sign((y + edkey.P).to_bytes(32, "little"), sign)
                cases.append((spelling, "torsion y + p"))
    # every y >= p with both signs, and the small y's whose y + p spelling exists
    for y in range(19):
        for sign in (0, 1):
            cases.append((_with_sign(y.to_bytes(32, "little"), sign), "small y"))
            cases.append((_with_sign((y + edkey.P).to_bytes(32, "little"), sign), "y + p"))
    # keys a signer makes, and each of them plus every small-order point (mixed order)
    points = [edkey.decode_point(raw) for raw in torsion]
    for _ in range(40):
        key = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
        cases.append((key, "real"))
        for t in points:
            cases.append((edkey.encode_point(edkey.add(edkey.decode_point(key), t)), "mixed"))
    for _ in range(600):  # about half are not on the curve
        cases.append((os.urandom(32), "random"))
    cases += [(b"\1" * 31, "length"), (b"\1" * 33, "length")]
    outcomes = {}
    for raw, kind in cases:
        expected = _by_definition(raw)
        assert _fast(raw) == expected, (kind, raw.hex())
        outcomes.setdefault(kind, set()).add(expected)
    # the cases reach every verdict they are there for
    assert outcomes["torsion"] == {"small-order", "non-canonical"}  # x = 0 with the sign bit
    assert outcomes["torsion y + p"] == outcomes["y + p"] == {"non-canonical"}
    assert outcomes["real"] == outcomes["mixed"] == {"ok"}  # mixed order: accepted, as before
    assert outcomes["random"] >= {"ok", "not-on-curve"}
    assert outcomes["length"] == {"length"}


def test_is_square_is_eulers_criterion():
    """The Legendre symbol as the fast check computes it (a Jacobi symbol), against its
    definition a^((p-1)/2) mod p: random values, squares, non-squares and the edges."""
    P = edkey.P
    values = [1, 2, 3, 4, P - 1, P - 2, edkey.D, edkey.SQRT_M1]
    values += [int.from_bytes(os.urandom(32), "little") % (P - 1) + 1 for _ in range(500)]
    values += [pow(int.from_bytes(os.urandom(32), "little"), 2, P) or 1 for _ in range(100)]
    for a in values:
        assert edkey.is_square(a) == (pow(a, (P - 1) // 2, P) == 1), a
    assert not edkey.is_square(edkey.D)  # d is not a square: v = d·y² + 1 is never 0
    assert edkey.is_square(P - 1)  # -1 is a square mod p (p is 1 mod 4)

"""Ed25519 signatures of definitive protocols: what is signed, how it is signed, how it is checked.

Pure Python (the `cryptography` package, no Django), shared by the signer in the server and by
the offline verifier, so that both agree on the bytes by construction.

What is signed is the protocol's canonical JSON (`canonical_bytes`):

    {"choices":{...},"contest":"…","figures":{...},"format":"sailau-protocol/1",
     "station":"…","version":N}

keys sorted at every level, no whitespace, UTF-8 (non-ASCII written as is, not escaped), every
figure a plain integer. `figures` holds the protocol lines present (an optional line left out is
absent, never null); `choices` holds every choice on the ballot with its votes. The `format`
member is added here, not taken from the caller: it names what the signature is over, so a
signature over a protocol can never be presented as one over anything else (domain separation).

A commission that holds its own key signs `sailau-protocol/2` (`FORMAT_OWN`, `own_bytes`): the
same object with `"format":"sailau-protocol/2"` and one more member, `"scans"`: the SHA-256 of
each scan of the paper protocol the server held when the commission signed, lower-case hex,
sorted, without repeats (`[]` when there is none). docs/commission-keys.md gives both byte by
byte with test vectors. `signed_bytes` picks the form a leaf's `signature.message` names.

An amendment the commission signs with its own key is `sailau-protocol/3` (`FORMAT_AMENDED`,
`amended_bytes`): the `sailau-protocol/2` object with `"format":"sailau-protocol/3"` and one more
member, `"decision"`: the commission decision the amendment cites, `{"date": "YYYY-MM-DD",
"number": "…", "reason": "…"}` (the `decision` member of the version's `protocol` leaf), so that
the signature binds the new figures to that decision and no other. `commission_form` picks the
form of a version the commission signs: /3 when it cites a decision, /2 otherwise.

A protocol the commission above typed from the paper on the station's behalf (its own commission
could not: no connection, no device) is signed by that commission above with its own confirmed
key, in `sailau-protocol/4` (`FORMAT_BEHALF`, `behalf_bytes`): the `sailau-protocol/2` object
with `"format":"sailau-protocol/4"`, one more member, `"signed_by"`: the id of the commission
that signed (never the station's own), and, for an amendment, the `"decision"` it cites as in
/3. The signer and the station are both inside the signed bytes, so such a signature can never
be shown as the station commission's own, nor moved to another station.

Keys and signatures travel as standard base64 (RFC 4648, with padding): a public key is its 32
raw bytes, a signature its 64 raw bytes."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sailau.tlog import canonicaljson, edkey

FORMAT = "sailau-protocol/1"
FORMAT_OWN = "sailau-protocol/2"  # signed by the commission's own key, scans included
FORMAT_AMENDED = "sailau-protocol/3"  # an amendment the commission signs: its decision inside
# signed by the commission above, on the station's behalf: the signer inside
FORMAT_BEHALF = "sailau-protocol/4"
FORMATS = (FORMAT, FORMAT_OWN, FORMAT_AMENDED, FORMAT_BEHALF)
OWN_FORMATS = (FORMAT_OWN, FORMAT_AMENDED)  # the forms a commission's own key signs
_FIELDS = ("station", "contest", "version", "figures", "choices")
# The same bound the QR payload enforces: a figure is a count of people.
_MAX = 10**12


class CanonicalError(ValueError):
    """The protocol cannot be put in canonical form; the message names the field."""


def _count(value, where: str) -> int:
    # bool is an int subclass, and a float 12.0 would print as "12.0": both are bugs upstream.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < _MAX:
        raise CanonicalError(f"{where}: {value!r} is not a non-negative integer below 10^12")
    return value


def _counts(values, where: str, *, drop_none: bool) -> dict[str, int]:
    if not isinstance(values, Mapping):
        raise CanonicalError(f"{where}: must be an object of key: number")
    out = {}
    for key, value in values.items():
        if not isinstance(key, str) or not key:
            raise CanonicalError(f"{where}: key {key!r} is not a non-empty string")
        if value is None and drop_none:
            continue  # an optional line left out: absent, whether stored as null or not at all
        out[key] = _count(value, f"{where}.{key}")
    return out


def canonical(protocol: Mapping) -> dict:
    """The signed object of a protocol version: its station, contest, version, figures and
    choices (any other member of `protocol` is ignored), checked, plus `format`."""
    missing = [f for f in _FIELDS if f not in protocol]
    if missing:
        raise CanonicalError(f"protocol: missing {', '.join(missing)}")
    for name in ("station", "contest"):
        if not isinstance(protocol[name], str) or not protocol[name]:
            raise CanonicalError(f"{name}: {protocol[name]!r} is not an id")
    version = _count(protocol["version"], "version")
    if version < 1:
        raise CanonicalError("version: versions start at 1")
    return {"format": FORMAT, "station": protocol["station"], "contest": protocol["contest"],
            "version": version,
            "figures": _counts(protocol["figures"], "figures", drop_none=True),
            "choices": _counts(protocol["choices"], "choices", drop_none=False)}


def canonical_bytes(protocol: Mapping) -> bytes:
    """The bytes a protocol's signature is over (see the module's docstring)."""
    return canonicaljson.encode(canonical(protocol))


def _scans(values) -> list[str]:
    if not isinstance(values, list | tuple):
        raise CanonicalError("scans: must be a list of SHA-256 in hex")
    for n, h in enumerate(values):
        if (not isinstance(h, str) or len(h) != 64
                or h.strip("0123456789abcdef")):
            raise CanonicalError(f"scans[{n}]: {h!r} is not a SHA-256 in lower-case hex")
    return sorted(set(values))


def own_bytes(protocol: Mapping) -> bytes:
    """The bytes of a commission's own signature (`sailau-protocol/2`): the canonical object
    with that format and the sorted `scans` of `protocol` (a member it must have)."""
    if "scans" not in protocol:
        raise CanonicalError("protocol: missing scans")
    signed = {**canonical(protocol), "format": FORMAT_OWN, "scans": _scans(protocol["scans"])}
    return canonicaljson.encode(signed)


def _decision(value) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise CanonicalError("decision: an amendment's decision {number, date, reason} is "
                             "required")
    out = {}
    for name in ("number", "date", "reason"):
        text = value.get(name)
        if not isinstance(text, str) or (name != "reason" and not text):
            raise CanonicalError(f"decision.{name}: {text!r} is not a text")
        out[name] = text
    if len(out["date"]) != 10 or out["date"][4] != "-" or out["date"][7] != "-" or not (
            out["date"][:4] + out["date"][5:7] + out["date"][8:]).isdigit():
        raise CanonicalError(f"decision.date: {out['date']!r} is not YYYY-MM-DD")
    return out


def amended_bytes(protocol: Mapping) -> bytes:
    """The bytes of a commission's own signature of an amendment (`sailau-protocol/3`): the
    `sailau-protocol/2` object with that format and the `decision` it cites (a member
    `protocol` must have: {"number", "date", "reason"})."""
    if "scans" not in protocol:
        raise CanonicalError("protocol: missing scans")
    signed = {**canonical(protocol), "format": FORMAT_AMENDED, "scans": _scans(protocol["scans"]),
              "decision": _decision(protocol.get("decision"))}
    return canonicaljson.encode(signed)


def behalf_bytes(protocol: Mapping) -> bytes:
    """The bytes a commission above signs for a station it typed from the paper
    (`sailau-protocol/4`): the `sailau-protocol/2` object with that format, `signed_by` (the
    signing commission's id, a member `protocol` must have) and, when `protocol` cites an
    amendment's decision (not None), that `decision`."""
    if "scans" not in protocol:
        raise CanonicalError("protocol: missing scans")
    signer = protocol.get("signed_by")
    if not isinstance(signer, str) or not signer:
        raise CanonicalError(f"signed_by: {signer!r} is not the id of the commission that signed")
    if signer == protocol.get("station"):
        raise CanonicalError("signed_by: a station does not sign on its own behalf")
    signed = {**canonical(protocol), "format": FORMAT_BEHALF, "scans": _scans(protocol["scans"]),
              "signed_by": signer}
    if protocol.get("decision") is not None:
        signed["decision"] = _decision(protocol["decision"])
    return canonicaljson.encode(signed)


def commission_form(protocol: Mapping) -> str:
    """The form a commission's own key signs `protocol` in: `sailau-protocol/4` when a
    commission above signs it on the station's behalf (a `signed_by` member that is not None),
    else `sailau-protocol/3` when it cites an amendment's decision (a `decision` member that is
    not None), `sailau-protocol/2` else."""
    if protocol.get("signed_by") is not None:
        return FORMAT_BEHALF
    return FORMAT_AMENDED if protocol.get("decision") is not None else FORMAT_OWN


def signed_bytes(protocol: Mapping, message: str | None) -> bytes:
    """The bytes a signature of the form `message` (a leaf's `signature.message`; None or ""
    is sailau-protocol/1) is over; CanonicalError for a form this verifier does not know."""
    if message in (None, "", FORMAT):
        return canonical_bytes(protocol)
    if message == FORMAT_OWN:
        return own_bytes(protocol)
    if message == FORMAT_AMENDED:
        return amended_bytes(protocol)
    if message == FORMAT_BEHALF:
        return behalf_bytes(protocol)
    raise CanonicalError(f"signature.message: {message!r} is not one of {', '.join(FORMATS)}")


def leaf_bytes(leaf: Mapping) -> bytes:
    """The bytes a `protocol` leaf's signature is over: the form its `signature.message` names,
    rebuilt from the leaf's own members (for `sailau-protocol/4`, the signer is the signature's
    `by`)."""
    sig = leaf.get("signature") if isinstance(leaf.get("signature"), Mapping) else {}
    protocol = {**leaf, "signed_by": sig.get("by")} if sig.get("message") == FORMAT_BEHALF \
        else leaf
    return signed_bytes(protocol, sig.get("message"))


# --- keys ------------------------------------------------------------------------------------

def new_private_key() -> bytes:
    """A fresh Ed25519 private key as its 32 raw bytes (what the key store encrypts)."""
    return Ed25519PrivateKey.generate().private_bytes_raw()


def new_key_pair() -> tuple[bytes, str]:
    """(private key bytes, base64 public key) of a fresh key: one key generation, where
    `new_private_key` then `public_key_b64` would derive the public key a second time."""
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return key.private_bytes_raw(), base64.b64encode(public).decode("ascii")


def load_private_key(key: Ed25519PrivateKey | bytes) -> Ed25519PrivateKey:
    """The key object of 32 raw bytes. Loading derives the public key (as costly as a
    signature): a signer of many protocols with one key loads it once."""
    return key if isinstance(key, Ed25519PrivateKey) else Ed25519PrivateKey.from_private_bytes(key)


def public_key_b64(private_key: Ed25519PrivateKey | bytes) -> str:
    """The base64 public key that goes with a private key (raw object or 32 bytes)."""
    raw = load_private_key(private_key).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def key_id(public_key_b64: str) -> str:
    """A short name for a public key: the first 16 hex digits of the SHA-256 of its raw bytes.
    For people and file names only; verification always uses the whole key."""
    return hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:16]


# --- signing and checking --------------------------------------------------------------------

def sign(private_key: Ed25519PrivateKey | bytes, data: bytes) -> str:
    """The base64 Ed25519 signature of `data` (use `canonical_bytes` for a protocol)."""
    return base64.b64encode(load_private_key(private_key).sign(data)).decode("ascii")


def _b64(text, size: int) -> bytes | None:
    if not isinstance(text, str):
        return None
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None
    return raw if len(raw) == size else None


def valid_public_key(text) -> bool:
    """Whether `text` is the one standard base64 spelling of an Ed25519 public key worth
    trusting (`sailau.tlog.edkey`: canonical, on the curve, not of small order)."""
    try:
        edkey.public_key(text)
    except edkey.WeakKey:
        return False
    return True


def verify_signature(public_key_b64: str, data: bytes, signature_b64: str) -> bool:
    """True when `signature_b64` is a valid signature of `data` by that public key. False for
    anything else, a malformed key or signature included: never raises on what a file holds.
    A key that is not worth trusting (small order, non-canonical, another spelling) verifies
    nothing; `cryptography` refuses a non-canonical S (S >= L) itself."""
    signature = _b64(signature_b64, 64)
    if signature is None or not isinstance(data, bytes | bytearray):
        return False
    try:
        # a small-order key would verify one constant signature for any message; a second
        # spelling of a key would be a second key (sailau.tlog.edkey)
        key = edkey.public_key(public_key_b64)
    except edkey.WeakKey:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(signature, bytes(data))
    except (InvalidSignature, ValueError):
        return False
    return True

"""C2SP signed-note with Ed25519 keys."""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sailau.tlog import edkey


class NoteError(ValueError):
    """A note or key that is malformed, or no signature that verifies."""


class WeakVerifierKey(NoteError):
    """A verifier key whose Ed25519 key is not one worth trusting (`edkey.WeakKey.reason`)."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def _key_id(name: str, alg: int, pub: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([alg]) + pub).digest()[:4]


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise NoteError(f"not base64: {text[:40]!r}") from None


def parse_verifier_key(vkey: str) -> tuple[str, bytes, int, bytes]:
    """(name, key id, algorithm, public key) of `name+hexid+base64(alg || pub)`: the key id the
    8 lower-case hex digits it is, the base64 its one standard spelling and the key one worth
    trusting (`edkey`: a small-order key would let one constant signature verify any note)."""
    parts = vkey.strip().split("+", 2)
    if len(parts) != 3 or not parts[0]:
        raise NoteError(f"not a verifier key: {vkey[:60]!r}")
    name, hexid, blob = parts
    try:
        raw = edkey.b64decode_strict(blob, 33)
    except edkey.WeakKey as exc:
        raise NoteError(f"verifier key {name}: not an Ed25519 key ({exc})") from None
    kid = _key_id(name, raw[0], raw[1:])
    if hexid != kid.hex():
        raise NoteError(f"verifier key {name}: the key id does not match the key")
    try:
        edkey.cached(raw[1:])
    except edkey.WeakKey as exc:
        raise WeakVerifierKey(f"verifier key {name}: {exc}", exc.reason) from None
    return name, kid, raw[0], raw[1:]


class Signer:
    def __init__(self, name: str, key: Ed25519PrivateKey):
        self.name, self.key = name, key
        self.pub = key.public_key().public_bytes_raw()

    @classmethod
    def generate(cls, name: str):
        return cls(name, Ed25519PrivateKey.generate())

    @classmethod
    def from_key(cls, text: str):
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("not a private key")
        raw = _b64(parts[4])
        if len(raw) != 33:
            raise NoteError("not an Ed25519 private key")
        return cls(parts[2], Ed25519PrivateKey.from_private_bytes(raw[1:]))

    ALG = 1

    def key_id(self) -> bytes:
        return _key_id(self.name, self.ALG, self.pub)

    def key_text(self) -> str:
        seed = self.key.private_bytes_raw()
        return (f"PRIVATE+KEY+{self.name}+{self.key_id().hex()}+"
                + base64.b64encode(bytes([self.ALG]) + seed).decode())

    def verifier_key(self) -> str:
        return (f"{self.name}+{self.key_id().hex()}+"
                + base64.b64encode(bytes([self.ALG]) + self.pub).decode())

    def sign(self, msg: bytes) -> bytes:
        return self.key.sign(msg)


def sign_note(text: str, signers) -> bytes:
    if not text.endswith("\n"):
        raise NoteError("a note's text ends in a newline")
    lines = [f"\u2014 {s.name} " + base64.b64encode(s.key_id() + s.sign(text.encode())).decode()
             for s in signers]
    return (text + "\n" + "".join(line + "\n" for line in lines)).encode()


def _split(note: bytes) -> tuple[str, list[str]]:
    try:
        s = note.decode("utf-8")
    except UnicodeDecodeError:
        raise NoteError("the note is not UTF-8") from None
    i = s.rfind("\n\n")
    if i < 0 or not s.endswith("\n"):
        raise NoteError("the note has no signature block")
    text, sigs = s[:i + 1], s[i + 2:].splitlines()
    if not sigs:
        raise NoteError("the note has no signature")
    for line in sigs:
        if not line.startswith("\u2014 ") or len(line.split(" ")) != 3:
            raise NoteError(f"not a signature line: {line[:60]!r}")
    return text, sigs


def note_signatures(note: bytes) -> list[tuple[str, bytes]]:
    _, sigs = _split(note)
    return [(line.split(" ")[1], _b64(line.split(" ")[2])) for line in sigs]


def open_note(note: bytes, verifiers) -> tuple[str, list[str]]:
    text, _ = _split(note)
    keys = {}
    for v in verifiers:
        name, kid, alg, pub = parse_verifier_key(v)
        if alg == 1:
            keys[(name, kid)] = pub
    ok = []
    for name, raw in note_signatures(note):
        pub = keys.get((name, raw[:4]))
        if pub is None:
            continue
        try:
            Ed25519PublicKey.from_public_bytes(pub).verify(raw[4:], text.encode())
        except (InvalidSignature, ValueError):
            raise NoteError(f"the signature of {name} does not verify") from None
        ok.append(name)
    if not ok:
        raise NoteError("no signature by a known key")
    return text, ok

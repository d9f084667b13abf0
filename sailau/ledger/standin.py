"""A private stand-in for the parts of `sailau.tlog` the integrator needs, with the same names
and behaviour (LOG-CONTRACT), used only while that library is not there (`tl` picks). RFC 9162
hashing, C2SP tlog-tiles paths and tiles, C2SP signed-note Ed25519 signatures, C2SP
tlog-checkpoint bodies. To be removed once `sailau.tlog` is merged."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

HASH_SIZE = 32
WIDTH = 256
HEIGHT = 8


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class MemoryTree:
    """Every stored hash (level, n) of a tree, appended leaf by leaf."""

    def __init__(self):
        self.levels: list[list[bytes]] = [[]]

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def append(self, h: bytes) -> int:
        index = self.size
        self.levels[0].append(h)
        level, n = 0, index
        while n % 2 == 1:
            if len(self.levels) == level + 1:
                self.levels.append([])
            self.levels[level + 1].append(node_hash(self.levels[level][n - 1],
                                                    self.levels[level][n]))
            level, n = level + 1, n // 2
        return index

    def read_hashes(self, indexes):
        return [self.levels[level][n] for level, n in indexes]

    def root(self) -> bytes:
        return tree_hash(self.size, self)


def tree_hash(size: int, reader) -> bytes:
    if size == 0:
        return hashlib.sha256(b"").digest()
    subtrees, start = [], 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size & (1 << level):
            subtrees.append((level, start >> level))
            start += 1 << level
    hashes = reader.read_hashes(subtrees)
    h = hashes[-1]
    for left in reversed(hashes[:-1]):
        h = node_hash(left, h)
    return h


def _n_path(n: int) -> str:
    digits = f"{n:d}"
    digits = "0" * (-len(digits) % 3) + digits
    groups = [digits[i:i + 3] for i in range(0, len(digits), 3)]
    return "/".join([f"x{g}" for g in groups[:-1]] + [groups[-1]])


def tile_path(level: int, n: int, width: int = WIDTH) -> str:
    return f"tile/{level}/{_n_path(n)}" + (f".p/{width}" if width < WIDTH else "")


def entries_path(n: int, width: int = WIDTH) -> str:
    return f"tile/entries/{_n_path(n)}" + (f".p/{width}" if width < WIDTH else "")


def tiles_for(old_size: int, new_size: int) -> list[tuple[int, int, int]]:
    out = []
    level = 0
    while (new_size >> (HEIGHT * level)) > 0:
        count_new = new_size >> (HEIGHT * level)
        count_old = old_size >> (HEIGHT * level)
        for n in range(count_old // WIDTH, (count_new + WIDTH - 1) // WIDTH):
            width = min(WIDTH, count_new - n * WIDTH)
            old_width = min(WIDTH, max(0, count_old - n * WIDTH))
            if width > old_width:
                out.append((level, n, width))
        level += 1
    return out


def tile_bytes(level: int, n: int, width: int, reader) -> bytes:
    base = n * WIDTH
    return b"".join(reader.read_hashes([(level * HEIGHT, base + i) for i in range(width)]))


def encode_entry_bundle(entries: Sequence[bytes]) -> bytes:
    return b"".join(len(e).to_bytes(2, "big") + e for e in entries)


def _key_id(name: str, alg: int, pub: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([alg]) + pub).digest()[:4]


class Signer:
    def __init__(self, name: str, key: Ed25519PrivateKey):
        self.name, self._key = name, key
        self._pub = key.public_key().public_bytes_raw()

    @classmethod
    def generate(cls, name: str) -> Signer:
        return cls(name, Ed25519PrivateKey.generate())

    @classmethod
    def from_key(cls, text: str) -> Signer:
        _, _, name, _, b64 = text.split("+", 4)
        raw = base64.b64decode(b64)
        return cls(name, Ed25519PrivateKey.from_private_bytes(raw[1:]))

    def key_text(self) -> str:
        kid = _key_id(self.name, 1, self._pub).hex()
        return f"PRIVATE+KEY+{self.name}+{kid}+" + base64.b64encode(
            b"\x01" + self._key.private_bytes_raw()).decode()

    def verifier_key(self) -> str:
        kid = _key_id(self.name, 1, self._pub).hex()
        return f"{self.name}+{kid}+" + base64.b64encode(b"\x01" + self._pub).decode()

    def line(self, text: str) -> str:
        sig = _key_id(self.name, 1, self._pub) + self._key.sign(text.encode())
        return f"— {self.name} {base64.b64encode(sig).decode()}\n"


def sign_note(text: str, signers) -> bytes:
    return (text + "\n" + "".join(s.line(text) for s in signers)).encode()


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def body(self) -> str:
        return "".join(f"{line}\n" for line in (
            self.origin, str(self.size), base64.b64encode(self.root).decode(),
            *self.extensions))


class NoteError(ValueError):
    pass


def _parse_vkey(vkey: str, alg: int) -> tuple[str, bytes, bytes]:
    try:
        name, kid, b64 = vkey.split("+", 2)
        raw = base64.b64decode(b64, validate=True)
    except ValueError:
        raise NoteError(f"not a verifier key: {vkey!r}") from None
    if len(raw) != 33 or raw[0] != alg or _key_id(name, alg, raw[1:]).hex() != kid:
        raise NoteError(f"not a verifier key of algorithm {alg}: {vkey!r}")
    return name, bytes.fromhex(kid), raw[1:]


def _cosigned(body: str, t: int) -> bytes:
    return f"cosignature/v1\ntime {t}\n".encode() + body.encode()


class Witness:
    """C2SP tlog-cosignature v1 (algorithm 0x04): key ID over name || "\\n" || 0x04 || pub."""

    def __init__(self, name: str, key: Ed25519PrivateKey):
        self.name, self._key = name, key
        self._pub = key.public_key().public_bytes_raw()

    @classmethod
    def generate(cls, name: str) -> Witness:
        return cls(name, Ed25519PrivateKey.generate())

    def verifier_key(self) -> str:
        kid = _key_id(self.name, 4, self._pub).hex()
        return f"{self.name}+{kid}+" + base64.b64encode(b"\x04" + self._pub).decode()

    def cosign(self, body: str, t: int) -> str:
        sig = _key_id(self.name, 4, self._pub) + t.to_bytes(8, "big") + self._key.sign(
            _cosigned(body, t))
        return f"— {self.name} {base64.b64encode(sig).decode()}"


def verify_cosignature(body: str, line: str, verifier_key: str) -> int:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    name, kid, pub = _parse_vkey(verifier_key, 4)
    parts = line.rstrip("\n").split(" ")
    if len(parts) != 3 or parts[0] != "—" or parts[1] != name:
        raise NoteError(f"not a signature line of {name}: {line!r}")
    try:
        sig = base64.b64decode(parts[2], validate=True)
    except ValueError:
        raise NoteError("the signature is not base64") from None
    if len(sig) != 4 + 8 + 64 or sig[:4] != kid:
        raise NoteError(f"not a cosignature by the key {verifier_key}")
    t = int.from_bytes(sig[4:12], "big")
    try:
        Ed25519PublicKey.from_public_bytes(pub).verify(sig[12:], _cosigned(body, t))
    except InvalidSignature:
        raise NoteError(f"the cosignature of {name} does not verify") from None
    return t

"""C2SP tlog-cosignature v1 (algorithm 0x04): a witness's timestamped Ed25519 signature over
`cosignature/v1\ntime <T>\n` followed by the checkpoint body."""

from __future__ import annotations

import base64

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sailau.tlog.note import NoteError, Signer, _b64, parse_verifier_key


def _message(body: str, t: int) -> bytes:
    return f"cosignature/v1\ntime {t}\n".encode() + body.encode()


class Witness(Signer):
    ALG = 4

    def cosign(self, checkpoint_body: str, t: int) -> str:
        sig = self.key.sign(_message(checkpoint_body, t))
        return (f"\u2014 {self.name} "
                + base64.b64encode(self.key_id() + t.to_bytes(8, "big") + sig).decode())


def verify_cosignature(checkpoint_body: str, line: str, verifier_key: str) -> int:
    name, kid, alg, pub = parse_verifier_key(verifier_key)
    if alg != 4:
        raise NoteError(f"{name}: not a cosignature key")
    parts = line.strip().split(" ")
    if len(parts) != 3 or parts[0] != "\u2014" or parts[1] != name:
        raise NoteError(f"not a cosignature line of {name}")
    raw = _b64(parts[2])
    if len(raw) != 76 or raw[:4] != kid:
        raise NoteError(f"not a cosignature by {name}'s key")
    t = int.from_bytes(raw[4:12], "big")
    try:
        Ed25519PublicKey.from_public_bytes(pub).verify(raw[12:], _message(checkpoint_body, t))
    except InvalidSignature:
        raise NoteError(f"the cosignature of {name} does not verify") from None
    return t

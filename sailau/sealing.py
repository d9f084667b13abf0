"""Private keys kept sealed in the database under a key file of the data directory.

Why a key file and not SECRET_KEY: the private keys (commissions' signing keys, the log's key)
must survive a change of SECRET_KEY (which only signs sessions and may be rotated or set per
server), and a copy of the database alone (a backup, a dump handed to a developer) must not be
enough to sign with them. The sealing key is 32 random bytes in `SAILAU_DATA_DIR/signing.key`,
readable by the owner only (0600), like the database and the secret key beside it; losing it
makes the sealed keys unusable (new ones are then issued), never forgeable. Each sealed blob is
bound to what it belongs to (AES-GCM associated data, chosen by the caller), so a blob copied
onto another row does not open."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sailau.paths import data_dir

KEY_FILE = "signing.key"


class KeyUnavailable(RuntimeError):
    """A sealed key cannot be opened (the key file is not the one that sealed it, or the row
    was altered)."""


def key_file() -> Path:
    return data_dir() / KEY_FILE


def sealing_key() -> AESGCM:
    """The data directory's sealing key, made on first use. Several processes may start at
    once: the key is written to a private temporary file and linked into place, so the first
    link wins and nobody reads half a key."""
    path = key_file()
    if not path.exists():
        tmp = path.with_name(f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    raw = path.read_bytes()
    if len(raw) != 32:
        raise KeyUnavailable(f"{path} is not a 32-byte key ({len(raw)} bytes)")
    return AESGCM(raw)


def seal(secret: bytes, aad: bytes, aead: AESGCM | None = None) -> bytes:
    """nonce || ciphertext of `secret`, bound to `aad`."""
    nonce = secrets.token_bytes(12)
    return nonce + (aead or sealing_key()).encrypt(nonce, secret, aad)


def unseal(blob: bytes, aad: bytes, aead: AESGCM | None = None) -> bytes:
    """The secret of a sealed blob; InvalidTag when the key file or `aad` is not the sealer's."""
    return (aead or sealing_key()).decrypt(blob[:12], blob[12:], aad)


__all__ = ["KEY_FILE", "InvalidTag", "KeyUnavailable", "key_file", "seal", "sealing_key",
           "unseal"]

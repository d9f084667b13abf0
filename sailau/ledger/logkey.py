"""The log's signing key: one per election, the operator's (it signs checkpoints; witnesses keep
it honest, so it may sit on the server). Kept as the commissions' keys are: sealed under the
data directory's key file (`sailau.sealing`), bound to the election and verifier key."""

from __future__ import annotations

import functools
import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone

from sailau import sealing
from sailau.ledger import tl
from sailau.ledger.models import LogState
from sailau.ledger.outbox import origin

EMPTY_ROOT = hashlib.sha256(b"").digest()  # RFC 9162: the hash of the empty tree


def _aad(election_id: str, verifier_key: str) -> bytes:
    return f"sailau-log-key/1|{election_id}|{verifier_key}".encode()


def state(election_id: str) -> LogState:
    """The election's log state, made with a new key on first use (two processes at once: the
    first row wins and both use it)."""
    row = LogState.objects.filter(pk=election_id).first()
    if row is not None:
        return row
    signer = tl.Signer.generate(origin(election_id))
    vkey = signer.verifier_key()
    try:
        with transaction.atomic():
            return LogState.objects.create(
                election_id=election_id, origin=origin(election_id), verifier_key=vkey,
                sealed_key=sealing.seal(signer.key_text().encode(), _aad(election_id, vkey)),
                root=EMPTY_ROOT, created_at=timezone.now())
    except IntegrityError:
        return LogState.objects.get(pk=election_id)


def signer(row: LogState):
    """The log's signer, opened from its sealed key; KeyUnavailable when the key file is not
    the one that sealed it."""
    return _open(row.election_id, row.verifier_key, bytes(row.sealed_key))


@functools.lru_cache(maxsize=32)
def _open(election_id: str, verifier_key: str, blob: bytes):
    try:
        text = sealing.unseal(blob, _aad(election_id, verifier_key)).decode()
    except sealing.InvalidTag:
        raise sealing.KeyUnavailable(
            f"the log key of {election_id} cannot be opened with {sealing.key_file()}: that "
            "file is not the one that sealed it") from None
    s = tl.Signer.from_key(text)
    if s.verifier_key() != verifier_key:
        raise sealing.KeyUnavailable(f"the log key of {election_id} does not match its "
                                     "verifier key")
    return s

"""The audit log: an append-only, hash-chained record of every step of the protocol chain.

`append(actor, action, subject, payload)` adds one record; `append_many` adds several under one
lock; `verify()` walks the chain and names the first record that was edited, deleted or moved.
Each record's hash is SHA-256(previous hash + canonical JSON of its content), so changing any
record breaks its link, and one hash per record keeps appending and verifying cheap.

The functions import the models on first call, so importing this package does not need Django
to be set up."""

from sailau.audit.canonical import GENESIS, canonical

__all__ = ["GENESIS", "append", "append_many", "canonical", "verify"]


def append(actor: str, action: str, subject: str, payload: dict | None = None):
    from sailau.audit.chain import append as _append

    return _append(actor, action, subject, payload)


def append_many(items, at=None):
    from sailau.audit.chain import append_many as _append_many

    return _append_many(items, at)


def verify():
    from sailau.audit.chain import verify as _verify

    return _verify()

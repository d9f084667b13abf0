"""The bytes a record's hash covers: canonical JSON, and the hash before the first record.
A module of its own so that `chain` reads them here, not through the package's `__init__`
(which imports `chain`)."""

from sailau.tlog import canonicaljson

GENESIS = "0" * 64


def canonical(content: dict) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept. Payloads hold only strings, integers,
    booleans, lists and objects (no floats), so every database gives back the same text."""
    return canonicaljson.text(content)

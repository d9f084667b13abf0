"""Canonical JSON, the one encoder of every byte string a hash or a signature covers and of
every published JSON file: keys sorted, no spaces (`,` and `:`), UTF-8 unescaped, and no NaN
or infinity (refused with ValueError, as a value of no JSON format). Written once here, in the
lowest layer that needs it, so that the server that writes a leaf, a signature, a shard or a
snapshot file and `sailau verify` that checks it encode with the same code (docs/log-format.md)."""

from __future__ import annotations

import json
from collections.abc import Callable

# One encoder for every call (`json.dumps` with options makes a new one per call).
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                            allow_nan=False)


def text(value, default: Callable | None = None) -> str:
    """`value` in canonical JSON. `default` turns a value JSON has no type for (a date) into
    one it has, as `json.dumps`'s."""
    if default is None:
        return _ENCODER.encode(value)
    return json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                            allow_nan=False, default=default).encode(value)


def encode(value, default: Callable | None = None) -> bytes:
    """`text(value)` in UTF-8: the bytes that are hashed, signed or published."""
    return text(value, default).encode("utf-8")

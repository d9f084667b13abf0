"""Canonical JSON is written once (sailau.tlog.canonicaljson) and every writer of hashed,
signed or published bytes uses it: the leaves, the signatures, the audit chain, the shards and
the snapshot files; the vector tests (tests/tlog/test_vectors.py, tests/verify/
test_signatures.py) hold its bytes."""

import datetime as dt
import re
from pathlib import Path

import pytest

from sailau.tlog import canonicaljson

SAILAU = Path(__file__).parents[2] / "sailau"
# A json.dumps call (up to its closing parenthesis) with the three options of the canonical form.
CALL = re.compile(r"json\.(?:dumps|JSONEncoder)\((?:[^()]|\([^()]*\))*\)", re.DOTALL)
OPTIONS = ("sort_keys=True", "ensure_ascii=False", "separators=")


def test_sorted_compact_utf8_without_nan():
    value = {"b": [1, {"я": "ә"}], "a": None, "c": True}
    assert canonicaljson.encode(value) == '{"a":null,"b":[1,{"я":"ә"}],"c":true}'.encode()
    assert canonicaljson.text({"d": dt.date(2026, 3, 15)}, default=str) == '{"d":"2026-03-15"}'
    with pytest.raises(ValueError):
        canonicaljson.encode({"x": float("nan")})


def test_no_module_writes_canonical_json_by_hand():
    own = SAILAU / "tlog" / "canonicaljson.py"
    found = [f"{p.relative_to(SAILAU.parent)}: {call[:60]}" for p in sorted(SAILAU.rglob("*.py"))
             if p != own for call in CALL.findall(p.read_text(encoding="utf-8"))
             if all(o in call for o in OPTIONS) and "indent=" not in call]
    assert found == []
    assert len([c for c in CALL.findall(own.read_text()) if all(o in c for o in OPTIONS)]) == 2

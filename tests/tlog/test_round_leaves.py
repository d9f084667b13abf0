"""The `first-round` and `second-round` leaves' examples in docs/log-leaves.md are what the code
makes, their leaf hashes the ones printed, and their members held to the format."""

import datetime as dt
import re
from pathlib import Path

import pytest

from sailau.tlog import leaves, merkle
from tests.tlog import docvector

DOC = Path(__file__).resolve().parents[2] / "docs" / "log-leaves.md"
AT = dt.datetime(2019, 6, 11, 9, 30, tzinfo=dt.UTC)
FIRST = {"election": "kz.president.2019-06-09", "origin": "sailau.kz/kz.president.2019-06-09",
         "contest": "kz.president.2019-06-09.president", "size": 10433,
         "root": "ITUUZTlR9Cxm4oj/+rKYawajpxEr6WZu7L/m3kr99RE=", "runoff": ["tokayev", "kossanov"]}
SECOND = {"election": "kz.president.2019-06-09.round2",
          "origin": "sailau.kz/kz.president.2019-06-09.round2",
          "contest": "kz.president.2019-06-09.round2.president", "date": "2019-06-23"}


def example(kind: str) -> tuple[bytes, str]:
    return docvector.example(f"### `{kind}`")


@pytest.mark.parametrize("kind, election, members", [
    ("first-round", "kz.president.2019-06-09.round2", {"first_round": FIRST}),
    ("second-round", "kz.president.2019-06-09", {"second_round": SECOND}),
])
def test_the_documents_example_is_the_codes_leaf(kind, election, members):
    data, digest = example(kind)
    assert leaves.make(kind, election, AT, **members) == data
    assert merkle.leaf_hash(data).hex() == digest
    assert leaves.decode(data, 0)["type"] == kind


@pytest.mark.parametrize("kind, key, bad, field", [
    ("first-round", "first_round", {**FIRST, "size": 0}, "first_round.size"),
    ("first-round", "first_round", {**FIRST, "root": "not base64!"}, "first_round.root"),
    ("first-round", "first_round", {k: v for k, v in FIRST.items() if k != "runoff"},
     "first_round.runoff"),
    ("second-round", "second_round", {**SECOND, "date": "23.06.2019"}, "second_round.date"),
    ("second-round", "second_round", {**SECOND, "extra": 1}, "second_round.extra"),
])
def test_a_bad_member_is_named(kind, key, bad, field):
    with pytest.raises(leaves.LeafError, match=re.escape(field)):
        leaves.make(kind, "e", AT, **{key: bad})

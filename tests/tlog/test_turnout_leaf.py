"""The `turnout` leaf's example in docs/log-leaves.md is what the code makes, its leaf hash is
the one printed, and the leaf's members are held to the format."""

import datetime as dt
from pathlib import Path

import pytest

from sailau.tlog import leaves, merkle
from tests.tlog import docvector

DOC = Path(__file__).resolve().parents[2] / "docs" / "log-leaves.md"


def example() -> tuple[bytes, str]:
    return docvector.example("### `turnout`")


def test_the_documents_example_is_the_codes_leaf():
    data, digest = example()
    made = leaves.make("turnout", "kz.mazhilis.2023-03-19",
                       dt.datetime(2023, 3, 19, 13, 5, tzinfo=dt.UTC),
                       station="kz.mazhilis.2023-03-19.pec.01.0001", hour=18, issued=612)
    assert made == data and merkle.leaf_hash(data).hex() == digest
    assert leaves.decode(data, 0)["issued"] == 612


@pytest.mark.parametrize("members, field", [
    ({"hour": 24}, "hour"), ({"hour": -1}, "hour"), ({"hour": True}, "hour"),
    ({"issued": -5}, "issued"), ({"issued": 1.5}, "issued"), ({"station": 7}, "station"),
])
def test_a_bad_member_is_named(members, field):
    good = {"station": "s", "hour": 18, "issued": 10}
    with pytest.raises(leaves.LeafError, match=field):
        leaves.make("turnout", "e", dt.datetime(2023, 3, 19, tzinfo=dt.UTC), **{**good, **members})

"""The `structure` leaf's version 3 example in docs/log-leaves.md is what the code makes, its leaf
hash the one printed; a version-1 structure leaf of a log published before still reads, and
neither version takes the other's members."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from sailau.tlog import leaves, merkle
from tests.logfixture import canonical
from tests.tlog import docvector

DOC = Path(__file__).resolve().parents[2] / "docs" / "log-leaves.md"
E = "kz.mazhilis.2023-03-19"
WHEN = dt.datetime(2023, 3, 10, 9, 0, tzinfo=dt.UTC)
PARTY = {"id": f"{E}.party.amanat", "short": "AMANAT", "color": "#1f5fa8",
         "registration_order": 1,
         "name": {"kk": "AMANAT партиясы", "ru": "Партия AMANAT", "en": "AMANAT party"}}
MEMBERS = {"origin": f"sailau.kz/{E}", "witnesses": [], "contest_leaves": 1,
           "station_leaves": 1, "kind": "mazhilis", "date": "2023-03-19", "synthetic": False,
           "name": {"kk": "Мәжіліс депутаттарын сайлау", "ru": "Выборы депутатов Мажилиса",
                    "en": "Election of deputies of the Mazhilis"},
           "parties": [PARTY]}


def example() -> tuple[bytes, str]:
    return docvector.example("Example of a `structure` leaf of version 3")



def test_the_documents_example_is_the_codes_leaf():
    data, digest = example()
    made = leaves.make("structure", E, WHEN, **MEMBERS)
    assert made == data and merkle.leaf_hash(data).hex() == digest
    assert leaves.decode(data, 0)["v"] == 3


def test_a_log_published_before_still_reads():
    old = {"v": 1, "type": "structure", "election": E, "at": "2023-03-10T09:00:00Z",
           "origin": f"sailau.kz/{E}", "witnesses": [], "contest_leaves": 1,
           "station_leaves": 1}
    assert leaves.decode(canonical(old), 0)["origin"] == f"sailau.kz/{E}"
    with pytest.raises(leaves.LeafError, match="leaf 0: parties: is not a member"):
        leaves.decode(canonical({**old, "parties": []}), 0)
    with pytest.raises(leaves.LeafError, match="leaf 0: name: is missing|leaf 0: date: is "
                                               "missing|leaf 0: kind: is missing"):
        leaves.decode(canonical({**old, "v": 2}), 0)


@pytest.mark.parametrize("over, field", [
    ({"date": "19.03.2023"}, "date"), ({"synthetic": 0}, "synthetic"),
    ({"name": {"ru": "x"}}, "name.kk"),
    ({"parties": [{**PARTY, "color": ""}]}, "parties[0].color"),
    ({"parties": [{**PARTY, "short": None}]}, "parties[0].short"),
    ({"parties": [{**PARTY, "logo": "x"}]}, "parties[0].logo"),
])
def test_a_bad_member_is_named(over, field):
    with pytest.raises(leaves.LeafError, match=re.escape(field)):
        leaves.make("structure", E, WHEN, **{**MEMBERS, **over})


def test_version_3_names_are_keyed_by_any_language_tag():
    """A name in a language the format never listed reads at version 3 (Kazakh required, a
    key of the documented shape only); version 2 still names its three languages alone."""
    named = {**MEMBERS, "name": {**MEMBERS["name"], "xx": "Xx Mazhilis", "uz-Cyrl": "Мажлис"}}
    leaf = leaves.decode(leaves.make("structure", E, WHEN, **named), 0)
    assert leaf["v"] == 3 and leaf["name"]["xx"] == "Xx Mazhilis"
    for name, field in (({"ru": "x"}, "name.kk"), ({"kk": "x", "XX": "y"}, "name.XX"),
                        ({"kk": "x", "kk-latn": "y"}, "name.kk-latn"),
                        ({"kk": "x", "xx": 1}, "name.xx")):
        with pytest.raises(leaves.LeafError, match=re.escape(f"leaf: {field}:")):
            leaves.make("structure", E, WHEN, **{**MEMBERS, "name": name})
    older = json.loads(leaves.make("structure", E, WHEN, **named))
    with pytest.raises(leaves.LeafError, match="leaf 0: name.uz-Cyrl: is not a member"):
        leaves.decode(canonical({**older, "v": 2}), 0)

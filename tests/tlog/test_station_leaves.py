"""The `stations` leaf's version 3 example in docs/log-leaves.md is what the code makes, its leaf
hash is the one printed; a version-1 leaf of a log published before still reads, and neither
version takes the other's members."""

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


def example() -> tuple[bytes, str]:
    return docvector.example("Example of version 3")



def station(**over) -> dict:
    return {"id": f"{E}.pec.01.0001", "commission": f"{E}.pec.01.0001", "registered": 1994,
            "contests": [f"{E}.list", f"{E}.smd.01"], "number": 1, "kind": "ordinary",
            "territory": f"{E}.tec.01", "district": f"{E}.dec.0101", "smd": f"{E}.smd.01",
            "territorial_smd": None, "district_smd": None,
            "address": {"kk": "Бейбітшілік к-сі, 10", "ru": "ул. Бейбитшилик, 10"},
            "settlement": {"kk": "Астана"}, "urban": True, **over}


COMMISSIONS = [
    {"id": f"{E}.cec", "level": "cec", "number": 0, "parent": None,
     "name": {"kk": "Орталық сайлау комиссиясы", "ru": "Центральная избирательная комиссия",
              "en": "Central Election Commission"}},
    {"id": f"{E}.tec.01", "level": "territorial", "number": 1, "parent": f"{E}.cec",
     "name": {"kk": "Астана қалалық сайлау комиссиясы"}},
    {"id": f"{E}.dec.0101", "level": "district", "number": 1, "parent": f"{E}.tec.01",
     "name": {"kk": "Есіл аудандық сайлау комиссиясы"}},
    {"id": f"{E}.smd.01", "level": "smd", "number": 1, "parent": f"{E}.cec",
     "name": {"kk": "№1 сайлау округі", "ru": "Избирательный округ №1"}},
]


def test_the_documents_example_is_the_codes_leaf():
    data, digest = example()
    [part] = leaves.structure_parts(COMMISSIONS, [station()])
    made = leaves.make("stations", E, WHEN, **part)
    assert made == data and merkle.leaf_hash(data).hex() == digest
    assert leaves.decode(data, 0)["v"] == 3


def test_a_log_published_before_still_reads():
    old = {"v": 1, "type": "stations", "election": E, "at": "2023-03-10T09:00:00Z",
           "part": 1, "of": 1, "stations": [{"id": "s", "commission": "s", "registered": 5,
                                              "contests": ["c"]}]}
    data = canonical(old)
    assert leaves.decode(data, 3)["stations"][0]["registered"] == 5
    # a version-1 leaf with a version-2 member, and a version-2 leaf without its members
    with pytest.raises(leaves.LeafError, match="leaf 3: commissions: is not a member"):
        leaves.decode(canonical({**old, "commissions": []}), 3)
    with pytest.raises(leaves.LeafError, match=r"stations\[0\]\.number: is missing"):
        leaves.decode(canonical({**old, "v": 2, "commissions": []}), 3)
    with pytest.raises(leaves.LeafError, match="v: 4 is not one of 1, 2, 3"):
        leaves.decode(canonical({**old, "v": 4}), 3)


def test_other_types_stay_at_version_1():
    data = leaves.make("turnout", E, WHEN, station="s", hour=12, issued=3)
    assert json.loads(data)["v"] == 1
    with pytest.raises(leaves.LeafError, match="v: 2 is not one of 1"):
        leaves.decode(data.replace(b'"v":1', b'"v":2'), 0)


@pytest.mark.parametrize("over, field", [
    ({"smd": 7}, "stations[0].smd"), ({"address": {"ru": "x"}}, "stations[0].address.kk"),
    ({"address": {"kk": "x", "EN": "y"}}, "stations[0].address.EN"),
    ({"urban": 1}, "stations[0].urban"), ({"district": None}, "stations[0].district"),
])
def test_a_bad_station_member_is_named(over, field):
    with pytest.raises(leaves.LeafError, match=re.escape(field)):
        leaves.make("stations", E, WHEN, part=1, of=1, commissions=[],
                    stations=[station(**over)])


def test_parts_fit_an_entry_commissions_first():
    many = [station(id=f"{E}.pec.01.{n:04d}", commission=f"{E}.pec.01.{n:04d}", number=n)
            for n in range(400)]
    parts = leaves.structure_parts(COMMISSIONS, many, budget=20000)
    assert len(parts) > 2 and all(p["of"] == len(parts) for p in parts)
    assert [c["id"] for c in parts[0]["commissions"]] == sorted(c["id"] for c in COMMISSIONS)
    assert [s["id"] for p in parts for s in p["stations"]] == sorted(s["id"] for s in many)
    for p in parts:
        assert len(leaves.make("stations", E, WHEN, **p)) < 21000
    assert leaves.structure_parts([], []) == [{"part": 1, "of": 1, "commissions": [],
                                               "stations": []}]

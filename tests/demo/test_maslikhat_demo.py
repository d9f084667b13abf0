"""The demo's election day with the maslikhats: Shymkent city's maslikhat (list and
districts), Ulytau region's (list and districts) and its districts' maslikhats (districts);
every station of those regions votes in each, the rest of the country in none; the structure
imports, and the Mazhilis's figures are those of the build without maslikhats."""

from collections import Counter

import pytest

from sailau.demo import maslikhat, synthetic
from sailau.elections import structure
from tests.demo.test_synthetic import _violations


@pytest.fixture(scope="module")
def day():
    return synthetic.build(seed=7, stations=600, maslikhats=True)


def test_stations_of_the_two_regions_vote_for_their_maslikhats(day):
    eid = synthetic.ELECTION_ID
    lists = {c["commission"]: c["id"] for c in day.contests
             if c["ruleset"] == maslikhat.RULESET_LIST}
    assert sorted(lists) == [f"{eid}.tec.03", f"{eid}.tec.19"]
    per_station = Counter(sid for sid, _ in day.protocols)
    for s in day.stations:
        code = s["territory"].rsplit(".", 1)[1]
        if code == "03":    # a city: list + its district, no district maslikhat
            assert s["territorial_smd"] and not s["district_smd"]
        elif code == "19":  # a region: list + its district + the district maslikhat's
            assert s["territorial_smd"] and s["district_smd"]
        else:
            assert not s["territorial_smd"] and not s["district_smd"]
        expected = 1 + bool(s["smd"]) + (code in ("03", "19")) + bool(s["territorial_smd"]) \
            + bool(s["district_smd"])
        assert per_station[s["id"]] == expected, s["id"]
    # Their figures hold the control relations (but where the Mazhilis's ballots were stuffed
    # on purpose, which the station's maslikhat protocols repeat).
    stuffed = {sid for sid, t in day.truth.items() if "ballot_stuffing" in t["kinds"]}
    masl = {c["id"] for c in day.contests if c["commission"].startswith(
        (f"{eid}.tec", f"{eid}.smd.m", f"{eid}.dec"))}
    assert len(masl) > 20
    assert not [k for k, p in day.protocols.items() if k[1] in masl and k[0] not in stuffed
                and _violations(p["figures"], p["choices"])]


@pytest.mark.django_db
def test_the_structure_imports_and_the_mazhilis_is_unchanged(day):
    doc = structure.validate(day.structure())
    assert sum(1 for c in doc["contests"] if c["commission"].endswith(".tec.19")) == 1
    plain = synthetic.build(seed=7, stations=600)
    assert {k: p for k, p in day.protocols.items() if k in plain.protocols} == plain.protocols

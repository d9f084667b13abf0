"""Contests at every level: a maslikhat's list on a territorial commission,
its single-member districts under it, a district maslikhat's districts under a district
commission; import, export, the errors, which stations vote where, and totals at every level."""

import json

import pytest

from sailau.elections import areas, structure
from sailau.elections.models import Commission, Contest, Election, Station
from sailau.errors import NotFound
from sailau.protocols import tabulation
from sailau.protocols.catalog import Catalog
from sailau.protocols.models import Tally
from sailau.protocols.tally_check import check
from tests.elections import maslikhat as mk
from tests.factories import DefinitiveProtocolFactory


def _import(doc=None) -> Election:
    election = structure.write(structure.validate(doc or mk.document()))
    tabulation.ensure_election(election.id)
    return election


def _errors(doc) -> list[str]:
    with pytest.raises(structure.StructureError) as exc:
        structure.validate(doc)
    return exc.value.errors


@pytest.mark.django_db
def test_every_station_votes_in_the_contests_whose_area_holds_it():
    _import()
    voted = {s.number: sorted(areas.contests_of(s).values_list("id", flat=True))
             for s in Station.objects.filter(election_id=mk.E)}
    both = sorted([mk.LIST, mk.smd_contest(mk.M1)])
    assert voted[1] == sorted([*both, mk.T1_LIST, mk.smd_contest(mk.T1A),
                               mk.smd_contest(mk.D1A)])
    assert voted[2] == sorted([*both, mk.T1_LIST, mk.smd_contest(mk.T1A),
                               mk.smd_contest(mk.D1B)])
    assert voted[3] == sorted([*both, mk.T1_LIST, mk.smd_contest(mk.T1B)])
    assert voted[4] == both  # region T2 holds no maslikhat election


@pytest.mark.django_db
def test_json_and_csv_round_trip_keep_the_maslikhat_districts(tmp_path):
    election = _import()
    before = structure.export(election)
    assert {s["number"]: (s["territorial_smd"], s["district_smd"])
            for s in before["stations"]}[1] == (mk.T1A, mk.D1A)
    for path in (tmp_path / "s.json", tmp_path / "csv"):
        structure.export_path(election, path)
        election = structure.import_path(path, replace=True)
        after = structure.export(election)
        for table in structure.TABLES:
            key = lambda r: json.dumps(r, sort_keys=True, default=str)
            assert sorted(map(key, after[table])) == sorted(map(key, before[table])), table


def test_a_station_in_another_regions_or_districts_maslikhat_is_refused():
    errors = _errors(mk.changed(stations={3: {"territorial_smd": mk.T1A,
                                              "district_smd": mk.D1B}}))
    assert (f"stations[3]: field 'territorial_smd': {mk.T1A!r} belongs to {mk.T1!r}, not to "
            f"the station's territory {mk.T2!r}") in errors
    assert (f"stations[3]: field 'district_smd': {mk.D1B!r} belongs to {mk.D1!r}, not to the "
            f"station's district {mk.D3!r}") in errors


def test_a_district_in_the_wrong_column_is_refused():
    errors = _errors(mk.changed(stations={0: {"smd": mk.T1A, "district_smd": mk.M1,
                                              "territorial_smd": mk.D1}}))
    assert (f"stations[0]: field 'smd': {mk.T1A!r} is a single-member district of a "
            "territorial commission, expected one of a cec commission") in errors
    assert (f"stations[0]: field 'district_smd': {mk.M1!r} is a single-member district of a "
            "cec commission, expected one of a district commission") in errors
    assert (f"stations[0]: field 'territorial_smd': {mk.D1!r} is a district commission, "
            "expected smd") in errors


def test_contest_on_a_precinct_and_district_under_a_precinct_are_refused():
    doc = mk.document()
    pec = doc["stations"][0]["commission"]
    doc["contests"][1]["commission"] = pec
    smd = next(i for i, c in enumerate(doc["commissions"]) if c["id"] == mk.D1A)
    doc["commissions"][smd]["parent"] = pec
    errors = _errors(doc)
    assert ("contests[1]: field 'commission': a contest on a precinct commission is not "
            "possible (use the CEC, a territorial, district or single-member district "
            "commission)") in errors
    assert (f"commissions[{smd}]: field 'parent': {pec!r} is a precinct commission; a smd "
            "commission's parent is a cec or territorial or district commission") in errors


@pytest.mark.django_db
def test_a_station_cannot_enter_a_protocol_of_a_contest_it_does_not_vote_in():
    _import()
    s4 = Station.objects.get(election_id=mk.E, number=4)
    with pytest.raises(NotFound) as exc:
        Catalog().pair(s4.id, mk.T1_LIST)
    assert exc.value.code == "station_not_in_contest"
    s3 = Station.objects.get(election_id=mk.E, number=3)
    with pytest.raises(NotFound):
        Catalog().pair(s3.id, mk.smd_contest(mk.D1A))
    assert Catalog().pair(s3.id, mk.smd_contest(mk.T1B))[0] == s3


def _totals(contest_id: str) -> dict[str, tuple[int, int, int]]:
    return {t.commission_id: (t.stations_reported, t.stations_expected,
                              t.figures.get("voters_on_list", 0))
            for t in Tally.objects.filter(contest_id=contest_id)}


@pytest.mark.django_db
def test_totals_of_every_contest_at_every_level_at_0_part_and_100_percent():
    _import()
    stations = {s.number: s for s in Station.objects.filter(election_id=mk.E)}
    # 0 %: every tally exists, nothing reported.
    assert _totals(mk.T1_LIST) == {mk.T1: (0, 3, 0), mk.D1: (0, 2, 0), mk.D2: (0, 1, 0)}
    assert _totals(mk.smd_contest(mk.T1A)) == {mk.T1A: (0, 2, 0)}
    assert _totals(mk.smd_contest(mk.D1B)) == {mk.D1B: (0, 1, 0)}
    assert _totals(mk.LIST)[mk.T2] == (0, 1, 0)
    # Part: station 1 reports every contest it votes in.
    for c in areas.contests_of(stations[1]).select_related("commission"):
        DefinitiveProtocolFactory(station=stations[1], contest=c)
    assert _totals(mk.T1_LIST) == {mk.T1: (1, 3, 1000), mk.D1: (1, 2, 1000), mk.D2: (0, 1, 0)}
    assert _totals(mk.smd_contest(mk.T1A)) == {mk.T1A: (1, 2, 1000)}
    assert _totals(mk.smd_contest(mk.D1A)) == {mk.D1A: (1, 1, 1000)}
    assert _totals(mk.smd_contest(mk.D1B)) == {mk.D1B: (0, 1, 0)}
    assert _totals(mk.LIST)[mk.CEC] == (1, 4, 1000)
    # 100 %: every station, every contest.
    for s in stations.values():
        for c in areas.contests_of(s).select_related("commission"):
            if s.number != 1:
                DefinitiveProtocolFactory(station=s, contest=c)
    assert _totals(mk.T1_LIST) == {mk.T1: (3, 3, 3000), mk.D1: (2, 2, 2000),
                                   mk.D2: (1, 1, 1000)}
    assert _totals(mk.LIST)[mk.CEC] == (4, 4, 4000)
    assert all(t.complete for t in Tally.objects.filter(contest__election_id=mk.E))
    # The incremental totals are what a rebuild from the protocols computes.
    assert check(mk.E).ok
    # The list seats by the maslikhat rule set, on the contest's own 4 seats: an even split
    # (the first choice takes the remainders of `paper`) gives each list one, the first two.
    result = tabulation.outcome(Tally.objects.get(contest_id=mk.T1_LIST, commission_id=mk.T1))
    assert result.final and result.result.ruleset == "kz-maslikhat-2023"
    assert result.to_json()["result"]["seats"] == {"amanat": 2, "auyl": 1, "respublica": 1}


@pytest.mark.django_db
def test_commission_levels_keep_their_contests():
    _import()
    c = {x.id: x for x in Commission.objects.filter(election_id=mk.E)}
    assert areas.stations(c[mk.T1]).count() == 3
    assert sorted(areas.stations(c[mk.T1A]).values_list("number", flat=True)) == [1, 2]
    assert list(areas.stations(c[mk.D1B]).values_list("number", flat=True)) == [2]
    assert Contest.objects.get(id=mk.T1_LIST).form.lines

"""Who votes in each contest is a table written with the structure (`elections.electorate`):
derived from the commission's area when the file lists nobody for a contest, taken from the
file when it does; the log states it, the catalog, the tallies and the pages read it."""

import copy

import pytest

from sailau.elections import areas, electorate, logged, structure
from sailau.elections.models import Contest, Electorate, Station
from sailau.errors import NotFound
from sailau.protocols import tabulation
from sailau.protocols.catalog import Catalog
from sailau.protocols.models import Tally
from tests.elections import maslikhat as mk


def _import(doc) -> None:
    structure.write(structure.validate(doc))
    tabulation.ensure_election(mk.E)


def _pairs() -> set[tuple[str, str]]:
    return set(Electorate.objects.filter(contest__election_id=mk.E)
               .values_list("contest_id", "station_id"))


def _station(n: int) -> str:
    return f"{mk.E}.pec.{n}"


@pytest.mark.django_db
def test_without_a_listed_electorate_each_contest_gets_its_areas_stations():
    """The rule the migration filled the table with for elections stored before it: the
    geography the readers used to infer it from, pair for pair."""
    _import(mk.document())
    stations = list(Station.objects.filter(election_id=mk.E))
    inferred = {(c.id, s.id) for c in Contest.objects.filter(election_id=mk.E)
                .select_related("commission") for s in stations
                if areas.contains(c.commission, s)}
    assert _pairs() == inferred
    assert (mk.T1_LIST, _station(4)) not in inferred and (mk.LIST, _station(4)) in inferred


@pytest.mark.django_db
def test_a_listed_electorate_is_who_votes_and_the_rest_follow_their_area():
    doc = copy.deepcopy(mk.document())
    # The region's list voted at stations 1 and 3 only (as a joint session would be listed).
    doc["electorate"] = [{"contest": mk.T1_LIST, "station": _station(1)},
                         {"contest": mk.T1_LIST, "station": _station(3)}]
    _import(doc)
    assert {s for c, s in _pairs() if c == mk.T1_LIST} == {_station(1), _station(3)}
    assert {s for c, s in _pairs() if c == mk.LIST} == {_station(n) for n in (1, 2, 3, 4)}
    # The catalog refuses station 2's protocol of the list; its tallies expect two stations.
    with pytest.raises(NotFound) as exc:
        Catalog().pair(_station(2), mk.T1_LIST)
    assert exc.value.code == "station_not_in_contest"
    assert Catalog().pair(_station(3), mk.T1_LIST)[0].number == 3
    assert Tally.objects.get(contest_id=mk.T1_LIST, commission_id=mk.T1).stations_expected == 2
    # The published log says the same, station by station.
    listed = {s["id"]: s["contests"] for s in logged.stations(mk.E)}
    assert mk.T1_LIST in listed[_station(1)] and mk.T1_LIST not in listed[_station(2)]
    # And an export lists the pairs, so that importing it again keeps them.
    assert {(r["contest"], r["station"]) for r in structure.export(
        Contest.objects.get(id=mk.T1_LIST).election)["electorate"]} == _pairs()


@pytest.mark.django_db
def test_the_contests_of_a_few_stations_are_the_elections_for_them():
    """What a batch of the publisher reads (`of_stations`) is the whole election's reading
    (`of_election`) for those stations, a station asked about that votes in nothing included."""
    doc = copy.deepcopy(mk.document())
    doc["electorate"] = [{"contest": mk.T1_LIST, "station": _station(1)}]
    _import(doc)
    whole = electorate.of_election(mk.E)
    few = electorate.of_stations([_station(1), _station(2), "no.such.station"])
    assert few == {_station(1): whole[_station(1)], _station(2): whole[_station(2)],
                   "no.such.station": set()}
    assert mk.T1_LIST in few[_station(1)] and mk.T1_LIST not in few[_station(2)]


def test_an_electorate_row_must_name_a_contest_and_a_station_of_the_structure():
    doc = copy.deepcopy(mk.document())
    doc["electorate"] = [{"contest": "nope", "station": _station(1)},
                         {"contest": mk.LIST, "station": "nowhere"},
                         {"contest": mk.LIST, "station": _station(1)},
                         {"contest": mk.LIST, "station": _station(1)}]
    with pytest.raises(structure.StructureError) as exc:
        structure.validate(doc)
    assert "electorate[0]: field 'contest': unknown 'nope'" in exc.value.errors
    assert "electorate[1]: field 'station': unknown 'nowhere'" in exc.value.errors
    assert any("electorate[3]: duplicate pair" in e for e in exc.value.errors)


@pytest.mark.django_db
def test_fill_adds_only_the_missing_pairs():
    _import(mk.document())
    before = _pairs()
    Electorate.objects.filter(station_id=_station(2)).delete()
    assert electorate.fill(mk.E, [_station(2)]) == len([p for p in before if p[1] == _station(2)])
    assert _pairs() == before

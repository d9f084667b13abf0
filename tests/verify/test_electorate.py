"""`sailau verify` counts a station in a contest because the published record says it votes in
it (its station file and the log's `stations` leaf), not because of where it lies: a contest
whose electorate reaches beyond its commission's area verifies as published."""

import pytest

from sailau.cli import main
from sailau.elections import electorate, logged
from sailau.elections.models import Choice, Commission, Contest, Party, Station
from sailau.protocols import tabulation
from sailau.protocols.models import Tally
from sailau.publish.pipeline import snapshots
from tests.chain_fixtures import People, enter_twice

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Set before the election is loaded: its commissions' signing keys live there."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "data"))



def test_a_station_outside_the_contests_area_counts_when_its_electorate_lists_it(
        data_dir, small_election, capsys):
    e = small_election
    stations = list(Station.objects.filter(election=e).order_by("number"))
    home = stations[0]
    away = next(s for s in stations if s.territory_id != home.territory_id)
    region = Commission.objects.get(id=home.territory_id)
    contest = Contest.objects.create(id=f"{e.id}.joint", election=e, kind="party_list",
                                     ruleset="kz-maslikhat-2023", seats=4, commission=region,
                                     names={"kk": "Бірлескен тізім"})
    parties = list(Party.objects.filter(election=e).order_by("registration_order")[:2])
    for i, p in enumerate(parties, 1):
        Choice.objects.create(contest=contest, key=p.id.rsplit(".", 1)[-1], party=p, order=i,
                              names={"kk": p.names["kk"]})
    Choice.objects.create(contest=contest, key="against_all", order=9, names={"kk": "Бәріне қарсы"})
    electorate.write([(contest.id, home.id), (contest.id, away.id)])
    tabulation.ensure_tallies(contest)
    logged.write_change(e.id, "a contest voted in two regions")

    people = People(e)
    keys = [c.key for c in contest.choices.order_by("order")]
    for s, votes in ((home, (300, 200, 10)), (away, (100, 250, 5))):
        figures = {"voters_on_list": 1000, "ballots_received": 1000, "issued_in_room": 600,
                   "issued_mobile": 0, "issued_absentee": 0, "cancelled": 400, "lost": 0,
                   "found_stationary": 600, "found_mobile": 0, "mobile_requests": 0,
                   "invalid": 600 - sum(votes)}
        enter_twice(people, s, contest.id, figures, dict(zip(keys, votes)))
    top = Tally.objects.get(contest=contest, commission=region)
    assert (top.stations_reported, top.choices[keys[0]]) == (2, 400)

    snapshots.publish(e.id)
    assert main(["verify", str(snapshots.election_dir(e.id))]) == 0, \
        capsys.readouterr().out[-3000:]

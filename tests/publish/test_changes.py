"""What a round of the publisher finds changed: the stations of its own election only, though
stations are looked up by id alone (SQLite otherwise walks the election's every station)."""

import pytest
from django.utils import timezone

from sailau.protocols.models import StepTime
from sailau.publish.pipeline import changes
from tests.factories import (
    ContestFactory,
    DefinitiveProtocolFactory,
    ElectionFactory,
    StationFactory,
    beside,
)

pytestmark = pytest.mark.django_db


def test_a_round_names_the_stations_of_its_own_election_with_new_rows():
    first = StationFactory()
    second = beside(first)
    contest = ContestFactory(election=first.election)
    ours = DefinitiveProtocolFactory(station=first, contest=contest)
    before = changes.highest_ids()
    mine = DefinitiveProtocolFactory(station=second, contest=contest)
    theirs = StationFactory(election=ElectionFactory())  # another election's, a row after too
    StepTime.objects.create(station=theirs, step="received", at=timezone.now())
    eid = first.election_id
    since = {k: v + changes.WINDOW for k, v in before.items()}  # nothing looked at again
    assert changes.recent_stations(eid, since) == {mine.station_id}
    asked = [theirs.id, mine.station_id, ours.station_id]
    assert sorted(s.id for s in changes.stations_by_id(eid, asked)) == sorted(
        [mine.station_id, ours.station_id])
    assert sorted(changes.stations_by_id(eid, asked, "number")) == sorted(
        [mine.station.number, ours.station.number])

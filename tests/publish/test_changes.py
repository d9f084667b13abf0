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


def test_the_change_mark_moves_with_a_row_committed_below_the_highest_id():
    """On PostgreSQL ids are taken at insert and a lower one can commit after a higher: the
    mark counts the rows in the window below the highest id, so such a row moves it though
    the highest id stays. (SQLite hands ids out in commit order: the highest id is the mark.)"""
    from django.db import connection

    station = StationFactory()
    other = beside(station)
    late = StepTime.objects.create(station=station, step="received", at=timezone.now())
    StepTime.objects.create(station=other, step="received", at=timezone.now())
    late_id = late.id
    late.delete()  # as if its transaction had not committed yet
    before = changes.change_mark()
    StepTime.objects.create(id=late_id, station=station, step="received", at=timezone.now())
    after = changes.change_mark()
    assert after[3] == before[3]  # the step times' highest id did not move
    if connection.vendor == "sqlite":
        assert after == before
    else:
        assert after != before and after[2] == before[2] + 1

"""The "published" step is a station's: when one of its protocols waits for its commission's
signature and another is published in the same write (one signed already, or one the server
signs), the station was published then, and the step is kept; a station whose every new
protocol waits has it recorded when the signature arrives (`protocols.awaiting.hold`)."""

import datetime as dt

import pytest

from sailau.elections.models import CommissionKey, Station
from sailau.protocols import awaiting, chronometry
from sailau.protocols.catalog import Catalog
from sailau.protocols.chain import _NewVersion
from sailau.protocols.models import AwaitingSignature
from sailau.verify import signatures

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2023, 3, 19, 20, 30, tzinfo=dt.UTC)


def _signs_own(station) -> None:
    """The station's commission has a key of its own, confirmed by the commission above."""
    CommissionKey.objects.create(
        commission_id=station.commission_id, created_at=NOW, held_by_server=False,
        public_key=signatures.public_key_b64(signatures.new_private_key()), confirmed_at=NOW)


def test_a_station_published_in_the_same_write_keeps_its_published_step(small_election):
    both, alone = _two_stations_of_two_contests(small_election)
    for s in (both[0], alone[0]):
        _signs_own(s)
    waits, signed = both[1][:2]
    versions = [
        _NewVersion((both[0].id, waits), {}, {}, "typed", [], None),
        _NewVersion((both[0].id, signed), {}, {}, "typed", [], None,
                    signed=("sig", "key", [], 1, signatures.FORMAT_OWN, "")),
        _NewVersion((alone[0].id, alone[1][0]), {}, {}, "typed", [], None)]
    times = [(both[0].id, chronometry.PUBLISHED, NOW), (both[0].id, chronometry.DEFINITIVE, NOW),
             (alone[0].id, chronometry.PUBLISHED, NOW), (alone[0].id, chronometry.DEFINITIVE, NOW)]
    written = awaiting.hold(versions, Catalog().station, times, NOW)
    assert [v.key for v in written] == [(both[0].id, signed)]
    assert sorted(AwaitingSignature.objects.values_list("station_id", "contest_id")) == sorted(
        [(both[0].id, waits), (alone[0].id, alone[1][0])])
    assert sorted(times) == sorted([
        (both[0].id, chronometry.PUBLISHED, NOW), (both[0].id, chronometry.DEFINITIVE, NOW),
        (alone[0].id, chronometry.DEFINITIVE, NOW)])


def _two_stations_of_two_contests(election) -> list[tuple]:
    """Two stations each voting in two contests or more: (station, its contests' ids)."""
    from sailau.publish.files.election_data import ElectionData

    data = ElectionData.load(election)
    out = []
    for s in Station.objects.filter(election=election).order_by("number", "id"):
        contests = sorted(c.id for c in data.contests_of_station(s))
        if len(contests) > 1:
            out.append((s, contests))
        if len(out) == 2:
            return out
    raise AssertionError("the small election has no two stations of two contests")

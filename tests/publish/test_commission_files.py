"""A district's published file names its stations by number and, per contest, those with a
current protocol: what the viewer and a reader need to list them, without a row of ids per
station that made every report rewrite ~130 KB."""

import json

import pytest

from sailau.demo.chain import route
from sailau.demo.load import load
from sailau.elections.models import Commission, Station
from sailau.protocols.models import Protocol
from sailau.publish import snapshots

pytestmark = pytest.mark.django_db


def test_a_district_file_lists_its_stations_and_which_reported(small_synthetic, snapshot_dir):
    election = load(small_synthetic, route=False)
    district = Commission.objects.filter(election=election, level=Commission.DISTRICT).first()
    mine = list(Station.objects.filter(district=district).order_by("number"))
    route(small_synthetic, only={mine[0].id})
    m = snapshots.publish(election.id)
    entry = m["files"][f"commissions/{district.id}.json"]
    doc = json.loads((snapshots.election_dir(election.id) / "objects" /
                      f"{entry['sha256']}.json").read_bytes())
    assert doc["station_numbers"] == [s.number for s in mine]
    contests = set(Protocol.objects.current().filter(station=mine[0])
                   .values_list("contest_id", flat=True))
    assert contests and doc["reported"] == {c: [mine[0].number] for c in sorted(contests)}
    assert "stations" not in doc

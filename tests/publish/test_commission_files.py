"""A district's published file names its stations by number and, per contest, those with a
current protocol, as runs of numbers: what the viewer and a reader need to list them, without a
list of every number that made every report rewrite an SMD's 56 KB (gzip'd) at 100,000
stations."""

import json

import pytest

from sailau.demo.chain import route
from sailau.demo.load import load
from sailau.elections import areas
from sailau.elections.models import Commission, Contest, Station
from sailau.protocols.models import Protocol
from sailau.publish.pipeline import snapshots
from sailau.verify.runs import from_runs, to_runs
from tests.snapshotfiles import opened

pytestmark = pytest.mark.django_db


def test_a_district_file_lists_its_stations_and_which_reported(small_synthetic, snapshot_dir):
    election = load(small_synthetic, route=False)
    district = Commission.objects.filter(election=election, level=Commission.DISTRICT).first()
    mine = list(Station.objects.filter(district=district).order_by("number"))
    route(small_synthetic, only={mine[0].id})
    m = snapshots.publish(election.id)
    entry = m["files"][f"commissions/{district.id}.json"]
    doc = json.loads(opened(snapshots.election_dir(election.id) / "objects" /
                            f"{entry['sha256']}.json"))
    assert doc["station_runs"] == to_runs(s.number for s in mine)
    contests = set(Protocol.objects.current().filter(station=mine[0])
                   .values_list("contest_id", flat=True))
    one = [[mine[0].number, mine[0].number]]
    assert contests and doc["reported_runs"] == {c: one for c in sorted(contests)}
    assert not {"stations", "station_numbers", "reported"} & set(doc)


def test_an_smd_file_writes_its_stations_as_runs(small_synthetic, snapshot_dir):
    """Stations numbered by district: an SMD of several districts is a few runs, and its
    stations reported one in three are a run each."""
    election = load(small_synthetic, route=False)
    smd = max(Commission.objects.filter(election=election, level=Commission.SMD),
              key=lambda c: Station.objects.filter(areas.station_q(c)).count())
    mine = list(Station.objects.filter(areas.station_q(smd)).order_by("number"))
    route(small_synthetic, only={s.id for s in mine[::3]})
    m = snapshots.publish(election.id)
    entry = m["files"][f"commissions/{smd.id}.json"]
    doc = json.loads(opened(snapshots.election_dir(election.id) / "objects" /
                            f"{entry['sha256']}.json"))
    numbers = [s.number for s in mine]
    assert from_runs(doc["station_runs"], len(mine)) == numbers
    assert len(doc["station_runs"]) < len(mine) // 2, doc["station_runs"]
    assert {n for runs in doc["reported_runs"].values()
            for n in from_runs(runs, len(mine))} == set(numbers[::3])


@pytest.mark.parametrize("level", [Commission.DISTRICT, Commission.SMD])
def test_the_commission_page_reads_its_stations_once(small_election, level):
    """The page's list of stations is the published file's: the rows read for the file serve
    the page too (a national SMD's stations were read twice)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sailau.publish.pages.page_models import commission_page

    c = next(c for c in Commission.objects.filter(election=small_election, level=level)
             if Station.objects.filter(areas.station_q(c)).exists())
    with CaptureQueriesContext(connection) as q:
        page = commission_page(small_election, c)
    reads = [x["sql"] for x in q.captured_queries
             if x["sql"].startswith('SELECT "elections_station"."id"')]
    assert len(reads) == 1, reads
    mine = list(Station.objects.filter(areas.station_q(c)).order_by("number"))
    done = set(Protocol.objects.current().filter(station__in=mine)
               .values_list("station_id", "contest_id"))
    names = {x.id: x.name() for x in Contest.objects.filter(election=c.election)}
    assert [(r["number"], r["registered"], sorted(r["reported"])) for r in page["stations"]] == [
        (s.number, s.registered, sorted(names[cid] for sid, cid in done if sid == s.id))
        for s in mine]

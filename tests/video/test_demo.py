"""The demo's cameras and recordings: which stations, which nights, and that the recordings go
through the upload's checks and show up in criterion I18."""

import datetime as dt
import random

import pytest

from sailau.video import demo
from sailau.video.coverage import cover

CLOSED = dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC)
SIGNED = CLOSED + dt.timedelta(hours=3, minutes=10)


def spans(kind, seed=1):
    segs = demo.segments(kind, CLOSED, SIGNED, random.Random(seed))
    return [(a, a + dt.timedelta(seconds=s)) for a, s in segs]


@pytest.mark.parametrize("seed", range(20))
def test_each_kind_of_night_covers_the_count_as_named(seed):
    full = cover(CLOSED, SIGNED, spans(demo.FULL, seed))
    assert full.complete and not full.ends_before_signing
    assert len(spans(demo.FULL, seed)) >= 3  # a file per hour or so, not one
    gap = cover(CLOSED, SIGNED, spans(demo.GAP, seed))
    assert len(gap.gaps) == 1 and not gap.ends_before_signing
    assert dt.timedelta(minutes=20) <= gap.gaps[0][1] - gap.gaps[0][0] <= dt.timedelta(minutes=50)
    early = cover(CLOSED, SIGNED, spans(demo.EARLY, seed))
    assert early.ends_before_signing and len(early.gaps) == 1
    assert spans(demo.NONE, seed) == []


def test_sample_is_a_share_and_reaches_every_territory():
    stations = [(f"s{i}", f"t{i % 20}") for i in range(5000)]
    chosen = demo.sample(stations, seed=2023)
    assert {stations[int(s[1:])][1] for s in chosen} == {f"t{i}" for i in range(20)}
    assert 100 <= len(chosen) <= 120
    few = [(f"s{i}", f"t{i}") for i in range(30)]  # a territory per station: each one drawn
    assert len(demo.sample(few, seed=1)) == 30


@pytest.mark.django_db(transaction=False)
def test_build_registers_cameras_and_the_backfill_uploads_checked_recordings(
        small_election):
    from sailau.audit.models import Record
    from sailau.video import coverage, integrity
    from sailau.video.models import Camera, Recording

    seed = 2023
    made = demo.at_build(small_election.id, seed)
    territories = set(small_election.stations.values_list("territory_id", flat=True))
    cams = list(Camera.objects.filter(station__election=small_election).select_related("station"))
    assert made["registered"] == len(cams) >= len(territories)
    assert {c.station.territory_id for c in cams} == territories
    assert demo.at_build(small_election.id, seed)["registered"] == 0  # a rerun adds none
    # One camera of each kind keeps its recordings (the rest would take a minute of ffmpeg).
    keep = {}
    for c in cams:
        keep.setdefault(demo.kind_of(seed, c.station_id), c)
    assert set(keep) == {demo.FULL, demo.GAP, demo.EARLY, demo.NONE}
    Camera.objects.exclude(pk__in=[c.pk for c in keep.values()]).delete()

    assert demo.run(small_election.id, seed, until_done=True, pause=0) > 3
    assert demo.pending(small_election.id, seed) == []
    recs = Recording.objects.all()
    assert {r.station_id for r in recs} == {keep[k].station_id
                                           for k in (demo.FULL, demo.GAP, demo.EARLY)}
    # Through the upload's path: probed (a night's length from a seconds-long file), audited.
    assert all(r.duration_ms >= 60_000 and r.size < 200_000 for r in recs)
    assert Record.objects.filter(action="recording.uploaded").count() == recs.count()
    cov = coverage.of_election(small_election.id)
    assert cov[keep[demo.FULL].station_id].complete
    assert cov[keep[demo.GAP].station_id].gaps
    assert cov[keep[demo.EARLY].station_id].ends_before_signing
    assert cov[keep[demo.NONE].station_id].ends_before_signing  # no recording at all
    contest = small_election.contests.first()
    flagged = integrity.inputs(contest)["video_gaps"]
    assert set(flagged) == {keep[k].station_id for k in (demo.GAP, demo.EARLY, demo.NONE)}

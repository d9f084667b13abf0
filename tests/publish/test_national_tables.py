"""The national lane's tables kept station by station between rounds (`national_tables`) are
byte for byte those of a full build, after any sequence of arrivals, amendments, a tie and a
protocol changed in place; and a lane round publishes them exact."""

import datetime as dt
import random

import pytest

from sailau.demo.chain import route
from sailau.demo.load import load
from sailau.elections import areas
from sailau.elections.models import Contest, Station
from sailau.protocols.models import Protocol
from sailau.publish.files import progress
from sailau.publish.pipeline import batches, national_lane, snapshot_check, snapshots
from tests import factories as f
from tests.protocol_edits import add_a_vote
from tests.publish.kept import built_tables, kept_tables

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 23, 20, 0, tzinfo=dt.UTC)






def _same(eid: str) -> None:
    kept, full = kept_tables(eid, AT), built_tables(eid, AT, progress.progress)
    assert set(kept) == set(full)
    differ = sorted(n for n in full if kept[n] != full[n])
    assert not differ, differ


def _tie(election) -> Protocol:
    """A single-member district's first protocol with its two leading candidates level."""
    contest = Contest.objects.filter(election=election, kind=Contest.SINGLE_MEMBER).first()
    station = areas.stations(contest.commission).order_by("number").first()
    fig, cho = f.paper(contest, station)
    a, b, *rest = sorted(cho, key=lambda k: -cho[k])
    both = cho[a] + cho[b]
    cho[a] = cho[b] = both // 2
    if both % 2:
        cho[rest[0] if rest else a] += 1
    return f.DefinitiveProtocolFactory(station=station, contest=contest, figures=fig, choices=cho)


def test_kept_tables_are_the_bytes_of_a_full_build(small_synthetic, snapshot_dir):
    election = load(small_synthetic, route=False)
    eid = election.id
    _same(eid)  # nothing reported: empty tables
    tie = _tie(election)
    assert len(set(sorted(tie.choices.values())[-2:])) == 1
    left = sorted(set(Station.objects.filter(election=election).values_list("id", flat=True))
                  - {tie.station_id})
    rnd = random.Random(2026)
    rnd.shuffle(left)
    for step in range(6):
        batch, left = left[:rnd.randint(1, 12)], left[12:]
        route(small_synthetic, only=set(batch))
        if step in (1, 3):  # an amendment of a random definitive protocol: a new version
            p = rnd.choice(list(Protocol.objects.current().filter(contest__election=election)))
            f.amend(p)
        if step == 4:  # changed behind the chain's back: same id and version, other figures
            add_a_vote(election)
        _same(eid)


def test_a_lane_round_publishes_the_kept_tables_exact(small_synthetic, snapshot_dir):
    """The batches leave the national tables stale; the lane's round (kept tables) makes them
    exact: `verify_snapshots` rebuilds every file in full and finds no difference."""
    election = load(small_synthetic, route=False)
    eid = election.id
    snapshots.publish(eid)
    stations = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    for part in (stations[:5], stations[5:9]):
        route(small_synthetic, only=set(part))
        m = batches.publish_changes(eid, defer_national=True)
        assert m["files"]["nist.json"].get("stale")
        lane, _ = national_lane.rewrite_national(eid)
        assert not any(e.get("stale") for e in lane["files"].values())
        assert snapshot_check.verify_snapshots(eid) is None


def test_a_lane_round_behind_the_batches_reads_no_fingerprint(small_synthetic, snapshot_dir,
                                                              monkeypatch):
    """Protocols committed since the batches' last state: the lane's tables are not exact, and it
    knows so from the highest ids alone, without every station's fingerprint; once a batch has
    published them, the lane reads the fingerprints and its tables are exact."""
    from sailau.publish.pipeline import national_jobs

    election = load(small_synthetic, route=False)
    eid = election.id
    snapshots.publish(eid)
    stations = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    route(small_synthetic, only=set(stations[:5]))
    batches.publish_changes(eid, defer_national=True)
    route(small_synthetic, only=set(stations[5:9]))  # not yet published by a batch
    real, read = national_jobs.fingerprints, []
    monkeypatch.setattr(national_jobs, "fingerprints",
                        lambda *a, **kw: (read.append(a), real(*a, **kw))[1])
    lane, _ = national_lane.rewrite_national(eid)
    assert not read
    assert lane["files"]["nist.json"].get("stale")
    batches.publish_changes(eid, defer_national=True)
    lane, _ = national_lane.rewrite_national(eid)
    assert read
    assert not any(e.get("stale") for e in lane["files"].values())
    assert snapshot_check.verify_snapshots(eid) is None

"""The publication's pairs of implementations give the same bytes, whatever the night: for any
sequence of events of a small election (protocols arriving in any order of time, amendments,
turnout reports through the day, nothing yet), after each event

- a batch (`batches.publish_changes`, which rewrites what changed), and the batches with the
  national lane (`national_lane.rewrite_national`, which rewrites what they left stale), publish
  every file with the SHA-256 of a full build (`snapshots.build`) at the same moment;
- the national tables spliced from the parts kept between rounds (`national_tables`) are the
  tables built whole (`downloads.stations_file`, `nist.report`, `progress.progress_file`);
- the results over time advanced from the protocols stored since (`progress_series`) are those
  read whole from every protocol (`arrivals.compute`), and the points read from the kept
  matrix are those added up one arrival at a time.

The manifest's tree of shards kept between rounds against one built anew is
tests/tlog/test_filetree_properties.py; the retention rule of the directory against the
bucket's, tests/storage/test_retention_places.py."""

import hashlib

import pytest
from hypothesis import HealthCheck, example, given, settings

from sailau.publish.files import arrivals, progress
from sailau.publish.files.election_data import ElectionData
from sailau.publish.pipeline import batches, national_lane, snapshots
from sailau.publish.storage import store
from tests.publish.kept import built_tables, kept_tables

from .night import EVENTS, PUBLISHED, Night

pytestmark = pytest.mark.django_db

# Each example builds its own election (the factories give it a new id) in the test's one
# transaction; a few examples of a few events each keep the file within seconds in CI.
FEW = settings(max_examples=10, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _digests(files: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(body).hexdigest() for name, body in files.items()}


def _full_build(eid: str) -> dict[str, str]:
    out: dict[str, bytes] = {}
    snapshots.build(ElectionData.load(eid), PUBLISHED.isoformat(), out.__setitem__)
    return _digests(out)


def _published(manifest: dict) -> dict[str, str]:
    stale = sorted(n for n, e in manifest["files"].items() if e.get("stale"))
    assert not stale, f"left stale: {stale}"
    return {name: entry["sha256"] for name, entry in manifest["files"].items()}


def _differ(got: dict[str, str], want: dict[str, str]) -> list[str]:
    return sorted(n for n in set(got) | set(want) if got.get(n) != want.get(n))


@pytest.mark.parametrize("lane", [False, True], ids=["batch", "batch-and-lane"])
@FEW
@given(events=EVENTS)
def test_a_round_publishes_the_bytes_of_a_full_build(monkeypatch, snapshot_dir, lane, events):
    monkeypatch.setattr(national_lane, "LANE_MIN_INTERVAL", 0)
    monkeypatch.setattr(national_lane, "LANE_COST_FACTOR", 0)
    night = Night(monkeypatch)
    eid = night.election.id
    night.publication_moment()
    first = snapshots.publish(eid)
    assert _differ(_published(first), _full_build(eid)) == []
    national: dict = {}
    for event in events:
        night.play(event)
        night.publication_moment()
        if lane:
            batches.publish_changes(eid, defer_national=True)
            _, national = national_lane.rewrite_national(eid, national, budget=False)
        else:
            batches.publish_changes(eid, force_national=True)
        manifest = store.latest_manifest(eid)
        assert manifest["published_at"] == PUBLISHED.isoformat()
        assert _differ(_published(manifest), _full_build(eid)) == [], event






@FEW
@given(events=EVENTS)
def test_the_national_tables_spliced_are_the_tables_built_whole(monkeypatch, events):
    night = Night(monkeypatch)
    eid = night.election.id
    for event in [None, *events]:  # nothing reported yet, then each event
        if event is not None:
            night.play(event)
        night.publication_moment()
        whole = built_tables(eid, PUBLISHED, lambda c: arrivals.compute(c)[0])
        assert _differ(_digests(kept_tables(eid, PUBLISHED)), _digests(whole)) == [], event


@FEW
@given(events=EVENTS)
# two decisions on one station's protocol, the second given a moment of the evening before the
# first's: the night stamps it after (a version is never stamped before the one it replaces)
@example(events=[("protocol", 3, 134, 0), ("protocol", 3, 77, 0), ("protocol", 0, 82, 0),
                 ("protocol", 0, 0, 0), ("protocol", 0, 71, 0), ("protocol", 0, 0, 0)])
def test_the_series_kept_between_renders_is_the_series_read_whole(monkeypatch, events):
    night = Night(monkeypatch)
    at = night.commissions()
    for event in [None, *events]:
        if event is not None:
            night.play(event)
        for contest in (night.party_list, night.district):
            for cid in at:
                whole, _ = arrivals.compute(contest, cid)
                kept = progress.progress(contest, cid)
                assert (kept.expected, kept.arrivals, kept.as_of) == \
                    (whole.expected, whole.arrivals, whole.as_of), (event, contest.id, cid)
                # The page's points from the kept running sums, one by one from the arrivals.
                assert kept.points(3) == whole.points(3)
                assert progress.as_of(contest, cid) == whole.as_of

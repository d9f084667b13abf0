"""The snapshot directory stays bounded through a night: objects no recent manifest names are
deleted, the latest manifest's objects and those of a publication being built are kept, and what
is left still verifies (files, hashes and the chain of manifests)."""

import json
import os
import time

import pytest

from sailau.cli import main
from sailau.demo.chain import route
from sailau.demo.load import load
from sailau.elections.models import Station
from sailau.publish.pipeline import batches, commit, national_lane, snapshot_check, snapshots
from sailau.publish.storage import retention, store
from tests.snapshotfiles import opened

pytestmark = pytest.mark.django_db


def _objects(eid) -> set[str]:
    return {p.name for p in (snapshots.election_dir(eid) / "objects").iterdir()
            if not p.name.startswith(".")}


@pytest.fixture
def night(small_synthetic, snapshot_dir):
    """The small election published empty, then three batches of arrivals, each followed by
    the national lane's round (which rewrites the NIST report and the station tables)."""
    election = load(small_synthetic, route=False)
    snapshots.publish(election.id)
    stations = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    for i in range(3):
        route(small_synthetic, only=set(stations[i * 3:i * 3 + 3]))
        batches.publish_changes(election.id, defer_national=True)
        national_lane.rewrite_national(election.id)
    return election.id


def test_superseded_objects_are_pruned_and_the_rest_still_verifies(night, capsys):
    eid = night
    latest = snapshots.latest_manifest(eid)
    before = _objects(eid)
    assert before > retention.object_names(latest)  # superseded versions are there
    # Just written: every object is recent, nothing goes.
    assert retention.prune_objects(eid) == 0
    assert _objects(eid) == before
    # Later, with no publication meanwhile: only what the latest manifest names is left.
    removed = retention.prune_objects(eid, now=time.time() + retention.RETAIN + 1)
    assert removed == len(before - retention.object_names(latest)) > 0
    assert _objects(eid) == retention.object_names(latest)
    assert snapshot_check.verify_snapshots(eid) is None
    assert main(["verify", str(snapshots.election_dir(eid))]) == 0, capsys.readouterr().out
    # The chain and the kept manifest bodies are untouched.
    assert len(store.chain(eid)) == latest["sequence"]


def _body(eid, sequence: int) -> dict:
    d = snapshots.election_dir(eid)
    return store.with_files(json.loads((d / "manifests" / f"{sequence:08d}.json").read_bytes()),
                            lambda sha: opened(d / "objects" / f"{sha}.json"))


def test_a_recent_manifest_keeps_its_objects(night):
    """A reader who fetched the previous manifest a moment ago can still download its files;
    so can one who fetched the manifest before it, however old, which was the latest until the
    previous one was written a moment ago. Older manifests' files go."""
    eid = night
    chain = store.chain(eid)
    prev, before, oldest = (_body(eid, link["sequence"]) for link in chain[-2:-5:-1])
    latest = snapshots.latest_manifest(eid)
    assert retention.object_names(prev) != retention.object_names(latest)
    # Every object and every older manifest aged past RETAIN, but the previous manifest was
    # committed just now.
    old = time.time() - retention.RETAIN - 10
    for p in (snapshots.election_dir(eid) / "objects").iterdir():
        os.utime(p, (old, old))
    for link in chain[:-2]:
        path = snapshots.election_dir(eid) / "manifests" / f"{link['sequence']:08d}.json"
        os.utime(path, (old, old))
    retention.prune_objects(eid)
    kept = _objects(eid)
    assert kept == retention.object_names(prev) | retention.object_names(latest) | \
        retention.object_names(before)
    assert retention.object_names(oldest) - kept  # superseded before the window: gone


def _age_all_but_latest(eid) -> float:
    old = time.time() - retention.RETAIN - 10
    folder = snapshots.election_dir(eid)
    for p in [*(folder / "objects").iterdir(), *(folder / "manifests").iterdir()]:
        os.utime(p, (old, old))
    return old


def test_a_reused_object_is_young_again_and_a_pruned_one_is_never_published(night):
    eid = night
    objects = snapshots.election_dir(eid) / "objects"
    latest = snapshots.latest_manifest(eid)
    superseded = sorted(_objects(eid) - retention.object_names(latest))
    superseded.sort(key=lambda n: not n.endswith(".json"))  # one of them named like below
    old = _age_all_but_latest(eid)
    # A publication being built (the national lane builds before it takes the lock) gives
    # bytes already stored under a superseded version: the object is reused, its age restarts.
    w = store.Writer(eid)
    body = opened(objects / superseded[0])
    w.put("contests/again.json", body)
    assert w.files["contests/again.json"]["sha256"] == superseded[0].removesuffix(".json")
    assert (objects / superseded[0]).stat().st_mtime > old
    assert retention.prune_objects(eid) == len(superseded) - 1
    assert (objects / superseded[0]).exists()
    # A build that outlived RETAIN: its object was pruned, the commit refuses to name it.
    (objects / superseded[0]).unlink()
    with pytest.raises(store.ObjectGone):
        commit.commit(w, eid, {**latest["files"], **w.files}, latest["published_at"])
    assert snapshots.latest_manifest(eid)["sequence"] == latest["sequence"]  # nothing written
    assert snapshot_check.verify_snapshots(eid) is None


@pytest.mark.parametrize("name", ["stations/12.json", "contests/x.list/stations.csv", "nist.json",
                                  "a.b/c", "scans/t.01.zip", "x.tar.gz", "dir/.hidden",
                                  "plain", ".json", "a/b/c.parquet"])
def test_an_objects_suffix_is_its_names_as_a_path_says(name):
    from pathlib import Path

    from sailau.publish.storage.store import suffix

    assert suffix(name) == Path(name).suffix

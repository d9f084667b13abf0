"""One retention rule for the data directory and the bucket (`retention.prune`): for any night of
publications, the two prunings keep the same objects and manifest bodies, and what they keep is
what a reader of the window may still ask for: every file of each manifest that was the latest
at some moment since the cutoff. Runs against the S3-compatible server in the S3 pass."""

import math
import time
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sailau.publish.storage import mirror, retention, store

from .conftest import S3

NAMES = ["election.json", "stations/1.json", "stations/2.json", "contests/a/stations.csv",
         "nist.json"]
# A round: the files it rewrites, each to one of three versions (so that a later round can
# give bytes an earlier one had: a vote taken back).
ROUND = st.dictionaries(st.sampled_from(NAMES), st.integers(0, 2))


def _publish(eid: str, files: dict, changes: dict) -> dict:
    w = store.Writer(eid)
    for name, version in sorted(changes.items()):
        w.put(name, f"{name} version {version}\n".encode())
    files = {**files, **w.files}
    manifest = store.commit(w, eid, files, "2026-03-15T20:00:00+05:00", {})
    retention.prune_bodies(w.dir, manifest["sequence"])  # as `commit.commit` does
    mirror.upload(eid, manifest)
    return manifest


def _past_a_cutoff() -> float:
    """A cutoff that everything written so far is before, and everything written after it is
    not, on the bucket's clock too (a bucket's times are to the second)."""
    cutoff = math.floor(time.time()) + 1.0 if S3 else time.time() + 0.02
    time.sleep(max(0.0, cutoff + 0.05 - time.time()))
    return cutoff


def _local(eid: str, folder: str) -> set[str]:
    return {p.name for p in (store.election_dir(eid) / folder).iterdir()
            if not p.name.startswith(".")}


def _bucket(eid: str, folder: str) -> set[str]:
    return set(mirror._listing(mirror.remote(), f"{eid}/{folder}"))


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rounds=st.lists(ROUND, min_size=1, max_size=6).filter(lambda r: r[0]),
       split=st.integers(0, 6))
def test_the_directory_and_the_bucket_keep_the_same_and_what_the_window_names(
        object_storage, monkeypatch, rounds, split):
    monkeypatch.setattr(store, "KEEP_MANIFESTS", 2)  # (so that bodies are pruned too)
    eid = f"e-{uuid.uuid4().hex[:12]}"
    split = min(split, len(rounds))
    manifests, files, cutoff = [], {}, None
    for i, changes in enumerate(rounds):
        if i == split:
            cutoff = _past_a_cutoff()
        manifests.append(_publish(eid, files, changes))
        files = manifests[-1]["files"]
    if cutoff is None:
        cutoff = _past_a_cutoff()
    now = cutoff + retention.RETAIN

    local_gone = retention.prune(retention.LocalPlace(eid), now=now)
    bucket_gone = mirror.prune(eid, now=now)

    assert _local(eid, "objects") == _bucket(eid, "objects")
    assert _local(eid, "manifests") == _bucket(eid, "manifests")
    assert len(local_gone) == bucket_gone
    # What a reader of the window may ask for: the manifests latest at some moment since the
    # cutoff (the one the first round after it superseded, and those after), all of it there.
    first = min(max(split - 1, 0), len(manifests) - 1)
    window = set().union(*(store.objects_of(m) for m in manifests[first:]))
    assert _local(eid, "objects") == window
    bodies = {f"{m['sequence']:08d}.json" for m in manifests[first:]} | \
        {f"{m['sequence']:08d}.json" for m in manifests[-store.KEEP_MANIFESTS:]}
    assert _local(eid, "manifests") == bodies

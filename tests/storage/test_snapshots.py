"""Snapshots in the "snapshots" storage (sailau.publish.storage.mirror): every file a reader needs is
there after each publication, only what changed is uploaded, and /snapshots/ sends readers to it."""

import hashlib
import json
import urllib.request
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from sailau.elections.models import Station
from sailau.filestores import failures
from sailau.protocols import tabulation
from sailau.protocols.models import Protocol
from sailau.publish.pipeline import snapshots
from sailau.publish.storage import mirror, retention, store
from sailau.tlog import gzipped
from tests.protocol_edits import add_a_vote

from .conftest import S3

pytestmark = pytest.mark.django_db


def _read(name: str) -> bytes:
    with storages["snapshots"].open(name, "rb") as f:
        return f.read()


def _complete(eid: str) -> dict:
    """The published manifest, after checking that every file it names is in the storage with
    its hash, and that the chain and the viewer are there too."""
    manifest = mirror._manifest(storages["snapshots"], f"{eid}/manifest.json")
    assert manifest is not None and manifest["shard_objects"]
    for name in mirror.objects_of(manifest):  # every file and every shard of its list
        body = gzipped.open_object(_read(f"{eid}/{name}"))
        assert hashlib.sha256(body).hexdigest() == Path(name).name.split(".")[0], name
    # Text is stored gzip'd, and the bucket tells whoever fetches it so (the reader's client
    # opens it, as a browser does).
    s = storages["snapshots"]
    if getattr(s, "bucket_name", None):  # (the S3 pass; else a folder stands for the bucket)
        entry = manifest["files"]["election.json"]
        key = f"{s.location}/{eid}/objects/{entry['sha256']}.json".lstrip("/")
        stored = s.bucket.Object(key)
        assert stored.content_encoding == "gzip" and stored.content_type == "application/json"
    chain = _read(f"{eid}/chain.jsonl").splitlines()
    assert json.loads(chain[-1])["sequence"] == manifest["sequence"]
    assert _read(f"{eid}/manifests/{manifest['sequence']:08d}.json") == \
        _read(f"{eid}/manifest.json")
    assert b"<html" in _read(f"{eid}/index.html")
    return manifest


def test_a_publication_is_complete_in_storage_and_the_next_uploads_only_changes(
        object_storage, small_election, monkeypatch):
    eid = small_election.id
    first = snapshots.publish(eid)
    assert _complete(eid)["sequence"] == first["sequence"]

    uploaded = []
    real_put = mirror._put
    monkeypatch.setattr(mirror, "_put", lambda s, name, body: (uploaded.append(name),
                                                              real_put(s, name, body)))
    snapshots.republish_station(add_a_vote(small_election).station_id)
    m = _complete(eid)
    assert m["sequence"] == first["sequence"] + 1
    new_objects = [n for n in uploaded if "/objects/" in n]
    # Only files whose bytes changed (the station, its ancestors, tables): not the country.
    assert 0 < len(new_objects) < len(first["files"]) / 4
    assert set(new_objects) == {f"{eid}/{o}" for o in
                                mirror.objects_of(m) - mirror.objects_of(first)}
    assert uploaded[-1] == f"{eid}/manifest.json"  # last: never names a missing object


def test_a_failed_upload_is_caught_up_by_the_next_publication(object_storage, small_election,
                                                              monkeypatch):
    eid = small_election.id
    real_put = mirror._put
    calls = []

    def flaky(s, name, body):
        calls.append(name)
        if len(calls) == 5:
            raise OSError("connection reset")
        real_put(s, name, body)

    monkeypatch.setattr(mirror, "_put", flaky)
    with pytest.raises(OSError):
        snapshots.publish(eid)
    assert not storages["snapshots"].exists(f"{eid}/manifest.json")
    monkeypatch.setattr(mirror, "_put", real_put)
    mirror._known.clear()  # a new process: it knows nothing of what the bucket has
    snapshots.publish(eid)
    _complete(eid)


def test_the_server_sends_readers_to_the_storage(object_storage, small_election, client):
    eid = small_election.id
    snapshots.publish(eid)
    r = client.get(f"/snapshots/{eid}/manifest.json")
    assert r.status_code == 302 and r["Cache-Control"] == "no-store"
    if S3:
        with urllib.request.urlopen(r["Location"], timeout=30) as got:
            assert got.read() == _read(f"{eid}/manifest.json")
    else:
        assert r["Location"] == f"http://cdn.test/{eid}/manifest.json"
    assert client.get(f"/snapshots/{eid}/")["Location"].split("?")[0].endswith(
        f"{eid}/index.html")
    assert client.get("/snapshots/../secret.key").status_code == 404


def test_an_object_deleted_from_the_storage_is_named_by_audit_verify(
        object_storage, small_election, monkeypatch, capsys):
    from sailau.cli import main

    monkeypatch.setattr("sailau.cli.django_setup.setup", lambda: None)  # the test db is set up
    eid = small_election.id
    m = snapshots.publish(eid)
    assert main(["audit", "verify"]) == 0, capsys.readouterr().out
    entry = m["files"]["election.json"]
    name = f"objects/{entry['sha256']}.json"
    storages["snapshots"].delete(f"{eid}/{name}")  # behind the publisher's back
    code, out = main(["audit", "verify"]), capsys.readouterr().out
    assert code == 1
    assert f"{eid}/{name}" in out and "missing from the snapshot storage" in out


def test_the_storage_copy_is_pruned_by_the_directorys_rule(object_storage, small_election):
    """Objects only an old manifest names go once they are older than RETAIN (and the manifest
    bodies naming them too); the latest manifest's stay; one named again is uploaded again."""
    import time

    eid = small_election.id
    first = snapshots.publish(eid)
    snapshots.republish_station(add_a_vote(small_election).station_id)
    second = _complete(eid)
    superseded = mirror.objects_of(first) - mirror.objects_of(second)
    assert superseded
    stored = storages["snapshots"]
    assert mirror.prune(eid) == 0  # everything is recent: kept
    assert all(stored.exists(f"{eid}/{o}") for o in superseded)

    from sailau.publish.storage import retention

    later = time.time() + retention.RETAIN + 60  # the first manifest's body is no longer recent
    assert mirror.prune(eid, now=later) == len(superseded)
    assert not any(stored.exists(f"{eid}/{o}") for o in superseded)
    _complete(eid)  # what a reader needs is all there

    # The vote taken back: the first publication's files are named again, and uploaded again.
    p = add_a_vote(small_election)
    key = next(iter(p.choices))
    p.choices = {**p.choices, key: p.choices[key] - 2}
    p.save()
    tabulation.rebuild(p.contest)
    snapshots.republish_station(p.station_id)
    assert mirror.objects_of(_complete(eid)) & superseded


def test_an_object_another_process_pruned_is_uploaded_again_when_named_again(
        object_storage, small_election, monkeypatch):
    """What this process took for present in the bucket is read again from the bucket's
    manifest once older than `mirror.KNOWN_FOR`: an object pruned meanwhile by another process
    (the lane prunes, the batches upload) and named again is uploaded, never left missing."""
    eid = small_election.id
    first = snapshots.publish(eid)
    p = add_a_vote(small_election)
    snapshots.republish_station(p.station_id)
    superseded = mirror.objects_of(first) - mirror.objects_of(_complete(eid))
    for name in superseded:  # pruned by another process's `mirror.prune`
        storages["snapshots"].delete(f"{eid}/{name}")
    storage, have, read_at = mirror._known[eid]
    mirror._known[eid] = (storage, have, read_at - mirror.KNOWN_FOR - 1)  # known long ago
    key = next(iter(p.choices))
    p.choices = {**p.choices, key: p.choices[key] - 1}
    p.save()
    tabulation.rebuild(p.contest)
    snapshots.republish_station(p.station_id)  # the vote taken back: named again...
    assert mirror.objects_of(_complete(eid)) & superseded  # ...and there


def _another_vote(election, besides: str) -> str:
    """One more vote at another station than `besides`, published; its station's id."""
    q = Protocol.objects.filter(station__election=election, current=True,
                                contest__kind="party_list").exclude(station_id=besides).first()
    key = next(iter(q.choices))
    q.choices = {**q.choices, key: q.choices[key] + 1}
    q.save()
    tabulation.rebuild(q.contest)
    snapshots.republish_station(q.station_id)
    return q.station_id


def test_the_storage_copy_keeps_what_recent_bodies_name_found_per_shard(
        object_storage, small_election, monkeypatch):
    """A station file of a publication before the cutoff, which a recent body still names and
    the latest does not, is kept though it is older than the cutoff; what only the first body
    named (superseded before the cutoff) goes. No body's list of files is expanded but the latest's. A shard of a recent body
    that cannot be read stops the pruning: nothing is deleted."""
    import time

    eid = small_election.id
    first = snapshots.publish(eid)
    # Superseded before the cutoff: what only `first` names goes (a reader who fetched it is
    # done); the one superseding it was the latest until after the cutoff, and keeps its files.
    _another_vote(small_election, "")
    mid = _complete(eid)
    time.sleep(1.1)  # a bucket's times are to the second
    cutoff = time.time()
    time.sleep(1.1)
    p = add_a_vote(small_election)
    snapshots.republish_station(p.station_id)
    second = _complete(eid)
    other = _another_vote(small_election, p.station_id)
    latest = _complete(eid)
    name = f"stations/{Station.objects.get(id=other).number}.json"
    kept = f"objects/{mid['files'][name]['sha256']}.json"
    assert kept in mirror.objects_of(second) and kept not in mirror.objects_of(latest)
    gone = mirror.objects_of(first) - mirror.objects_of(mid) - mirror.objects_of(second) - \
        mirror.objects_of(latest)
    assert gone
    stored = storages["snapshots"]

    broken = min(set(second["shard_objects"]) - set(latest["shard_objects"]))
    body = stored.open(f"{eid}/objects/{broken}.json", "rb").read()
    stored.delete(f"{eid}/objects/{broken}.json")
    for memo in (store._SEEN, store._SHARD_OBJECTS, retention._NAMED):  # as a new process
        memo.clear()
    with pytest.raises((OSError, ValueError, *failures())):
        mirror.prune(eid, retain=1.0, now=cutoff + 1.0)  # (a cold read of the tree takes time)
    assert all(stored.exists(f"{eid}/{o}") for o in gone)  # nothing deleted
    stored.save(f"{eid}/objects/{broken}.json", ContentFile(body))

    expanded = []
    real = store.with_files
    monkeypatch.setattr(store, "with_files", lambda m, read: expanded.append(m) or real(m, read))
    assert mirror.prune(eid, retain=1.0, now=cutoff + 1.0) >= len(gone)
    assert len(expanded) == 1  # the latest manifest.json; not the bodies
    assert stored.exists(f"{eid}/{kept}")
    assert not any(stored.exists(f"{eid}/{o}") for o in gone)

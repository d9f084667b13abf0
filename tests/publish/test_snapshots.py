"""Snapshots: content-addressed, immutable, a manifest chain; republishing one station; the
check against the database."""

import hashlib
import json

import pytest

from sailau.protocols.models import Protocol
from sailau.publish.pipeline import snapshot_check, snapshots
from tests.protocol_edits import add_a_vote
from tests.snapshotfiles import opened

pytestmark = pytest.mark.django_db


def _objects(eid):
    # The inode, not the time: a reused object has its time refreshed (`retention`), never
    # its file replaced.
    return {p.name: p.stat().st_ino for p in (snapshots.election_dir(eid) / "objects")
            .iterdir()}


def test_full_publication_is_content_addressed_and_verifies(small_election, snapshot_dir):
    m = snapshots.publish(small_election.id)
    n_stations = small_election.stations.count()
    assert sum(1 for k in m["files"] if k.startswith("stations/")) == n_stations
    assert "nist.json" in m["files"]
    objects = snapshots.election_dir(small_election.id) / "objects"
    for name, entry in m["files"].items():
        body = opened(objects / f"{entry['sha256']}.{name.rsplit('.', 1)[1]}")
        assert hashlib.sha256(body).hexdigest() == entry["sha256"] and len(body) == entry["size"]
    assert snapshot_check.verify_snapshots() is None
    # The station file is the station's protocol, as published.
    p = Protocol.objects.filter(station__election=small_election, current=True).first()
    entry = m["files"][f"stations/{p.station.number}.json"]
    doc = json.loads(opened(objects / f"{entry['sha256']}.json"))
    part = next(c for c in doc["contests"] if c["contest"] == p.contest_id)
    assert part["protocol"]["choices"] == dict(sorted(p.choices.items()))


def test_a_changed_protocol_is_caught_then_republished(small_election, snapshot_dir):
    first = snapshots.publish(small_election.id)
    before = _objects(small_election.id)
    p = add_a_vote(small_election)
    problem = snapshot_check.verify_snapshots(small_election.id)
    assert problem and "differs from the database" in problem
    second = snapshots.republish_station(p.station_id)
    assert snapshot_check.verify_snapshots(small_election.id) is None
    assert second["sequence"] == first["sequence"] + 1
    prev_body = (snapshots.election_dir(small_election.id) / "manifests" / "00000001.json"
                 ).read_bytes()
    assert second["previous"] == hashlib.sha256(prev_body).hexdigest()
    changed = {k for k in first["files"] if first["files"][k] != second["files"][k]}
    station = p.station
    assert f"stations/{station.number}.json" in changed
    assert f"commissions/{station.district_id}.json" in changed
    assert f"commissions/{station.territory_id}.json" in changed
    assert f"commissions/{p.contest.commission_id}.json" in changed
    assert not any(k.startswith("stations/") and k != f"stations/{station.number}.json"
                   for k in changed)
    # Whole-country tables wait for the next full publication, and say so.
    assert second["files"]["nist.json"]["stale"]
    assert second["files"][f"contests/{p.contest_id}/stations.csv"]["stale"]
    third = snapshots.publish(small_election.id)
    assert not any(e.get("stale") for e in third["files"].values())
    assert third["files"]["nist.json"]["sha256"] != first["files"]["nist.json"]["sha256"]
    # Old objects are never rewritten.
    after = _objects(small_election.id)
    assert all(after[name] == t for name, t in before.items())


def test_a_tampered_object_is_reported(small_election, snapshot_dir):
    m = snapshots.publish(small_election.id)
    entry = m["files"]["election.json"]
    path = snapshots.election_dir(small_election.id) / "objects" / f"{entry['sha256']}.json"
    path.write_bytes(opened(path).replace(b"kz", b"KZ", 1))
    assert "does not match its hash" in snapshot_check.verify_snapshots()


def test_each_manifest_anchors_the_audit_log_and_a_rewritten_log_is_caught(small_election,
                                                                            snapshot_dir):
    from sailau.audit.models import Head, Record

    m = snapshots.publish(small_election.id)
    head = Head.objects.get(pk=1)
    assert m["audit"] == {"seq": head.seq, "hash": head.hash} and head.seq > 0
    assert snapshot_check.verify_snapshots() is None
    # Someone rewrites the anchored record (and, to hide it, every hash after it).
    Record.objects.filter(seq=head.seq).update(hash="f" * 64)
    problem = snapshot_check.verify_snapshots()
    assert "00000001.json" in problem and f"record {head.seq}" in problem


def test_progress_files_are_published_and_listed(client, small_election, snapshot_dir):
    """Results over time in the downloads: one row per station reported, in the order they
    reported, with the totals so far; the same file on the downloads page and in the manifest."""
    import csv
    import io


    m = snapshots.publish(small_election.id)
    contest = small_election.contests.get(kind="party_list")
    name = f"contests/{contest.id}/progress.csv"
    assert name in m["files"] and name.replace(".csv", ".json") in m["files"]
    body = opened(snapshot_dir / small_election.id / "objects"
                  / f"{m['files'][name]['sha256']}.csv")
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    current = Protocol.objects.filter(contest=contest, current=True)
    assert [int(r["stations_reported"]) for r in rows] == list(range(1, current.count() + 1))
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)
    total = sum(p.choices.get("amanat", 0) for p in current)
    assert int(rows[-1]["amanat"]) == total
    page = client.get(f"/en/e/{small_election.id}/download/").content.decode()
    assert m["files"][name]["sha256"] in page
    r = client.get(f"/en/e/{small_election.id}/download/{contest.id}/progress.csv")
    assert r.status_code == 200 and b"".join(r.streaming_content) == body
    assert snapshot_check.verify_snapshots(small_election.id) is None

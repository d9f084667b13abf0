"""Publication and the log: a batch integrates the outbox first, so the station files of the
protocols that arrived carry their leaf's index; a leaf sequenced after its station's file was
written gets the file written again; a decision alone (no station moved) still reaches the log."""

import json

import pytest

from sailau.demo.chain import route
from sailau.demo.load import load
from sailau.elections.models import Station
from sailau.ledger import outbox
from sailau.ledger.files import LogFiles
from sailau.ledger.models import Leaf, LogState
from sailau.protocols.logged import subject
from sailau.protocols.models import Protocol
from sailau.publish.pipeline import batches, log_lane, publisher, snapshots
from tests.ledger.logread import checkpoint
from tests.publish.conftest import snapshot_dir  # noqa: F401
from tests.snapshotfiles import opened

pytestmark = pytest.mark.django_db


def _doc(eid, manifest, number):
    name = f"stations/{number}.json"
    entry = manifest["files"][name]
    return json.loads(opened(snapshots.election_dir(eid) / "objects" / f"{entry['sha256']}.json"))


def _indexes_in(doc):
    return {c["contest"]: (c["log"] or {}).get("index") for c in doc["contests"]
            if c["protocol"]}


def _expected(eid, station_id):
    out = {}
    for c, v in Protocol.objects.filter(station_id=station_id, current=True).values_list(
            "contest_id", "version"):
        out[c] = Leaf.objects.get(election_id=eid, kind="protocol",
                                  subject=subject(station_id, c, v)).index
    return out


def test_arrivals_carry_their_leaf_index_and_are_in_the_checkpoint(small_synthetic,
                                                                    snapshot_dir):  # noqa: F811
    election = load(small_synthetic, route=False)
    eid = election.id
    snapshots.publish(eid)
    arrived = sorted(Station.objects.filter(election=election).values_list("id", flat=True))[:3]
    route(small_synthetic, only=set(arrived))
    assert outbox.pending(eid) == [eid]
    m = batches.publish_changes(eid)
    assert not outbox.pending(eid)
    size = LogState.objects.get(pk=eid).checkpoint_size
    assert checkpoint(LogFiles(eid).dir)[1] == size
    for sid in arrived:
        st = Station.objects.get(pk=sid)
        got = _indexes_in(_doc(eid, m, st.number))
        assert got == _expected(eid, sid) and all(i < size for i in got.values())


def test_a_leaf_sequenced_after_its_file_gets_the_file_rewritten(small_synthetic,
                                                                snapshot_dir):  # noqa: F811
    election = load(small_synthetic, route=False)
    eid = election.id
    snapshots.publish(eid)
    sid = sorted(Station.objects.filter(election=election).values_list("id", flat=True))[5]
    route(small_synthetic, only={sid})
    # the station's file written while its leaf still waits (a protocol committed between
    # the round's integration and its snapshot)
    real = publisher.logstep.integrate
    publisher.logstep.integrate = lambda eid, **_: set()
    try:
        m = batches.publish_changes(eid)
    finally:
        publisher.logstep.integrate = real
    number = Station.objects.get(pk=sid).number
    assert set(_indexes_in(_doc(eid, m, number)).values()) == {None}
    m2 = batches.publish_changes(eid)  # the next round: sequenced, and the file again
    assert m2 and _indexes_in(_doc(eid, m2, number)) == _expected(eid, sid)


def test_a_decision_alone_reaches_the_log(small_synthetic, snapshot_dir):  # noqa: F811
    election = load(small_synthetic, route=False)
    eid = election.id
    snapshots.publish(eid)
    before = LogState.objects.get(pk=eid).checkpoint_size
    outbox.append(eid, "role", "role/1", action="granted", role="operator", scope="x", grant=1)
    assert batches.publish_changes(eid) is None  # no station to write
    assert LogState.objects.get(pk=eid).checkpoint_size == before + 1


def test_the_audit_head_is_logged_while_only_complaints_arrive(small_synthetic,
                                                              snapshot_dir):  # noqa: F811
    """Weeks after election day no protocol moves, but complaints are filed and decided: the
    publisher's loop still logs the audit head (a minute after the last one), so that cutting
    those records from the audit log is named by `sailau audit verify`."""
    import datetime as dt

    from django.db.models import F
    from django.utils import timezone

    from sailau.audit.models import Head
    from sailau.complaints import services as complaints
    from sailau.ledger import audithead

    election = load(small_synthetic, route=False)
    eid = election.id
    snapshots.publish(eid)

    def heads():
        return [(json.loads(bytes(d)), i) for d, i in Leaf.objects.filter(
            election_id=eid, kind="audit-head").order_by("id").values_list("data", "index")]

    assert heads()[-1][0]["seq"] == Head.objects.get(pk=1).seq  # logged with the structure
    # a minute later, a complaint filed and decided; no protocol, no station moved
    Leaf.objects.filter(election_id=eid, kind="audit-head").update(
        created_at=F("created_at") - audithead.EVERY - dt.timedelta(seconds=1))
    st = election.stations.order_by("number").first()
    c, _ = complaints.file_complaint({
        "election": eid, "filer_kind": "voter", "filer_name": "Private Person",
        "filer_contact": "+7 701 000 0000", "against_kind": "commission",
        "against_name": "PEC", "topic": "counting", "text": "Ballots not shown one by one.",
        "body": "commission", "station": str(st.number),
        "filed_at": timezone.make_aware(dt.datetime.combine(
            election.date + dt.timedelta(days=20), dt.time(10)))})
    complaints.decide(c, {"outcome": "rejected", "text": "Not proven.", "number": "9/1"})
    head = Head.objects.get(pk=1)
    rounds = []
    publisher.follow([eid], stop=lambda: rounds.append(1) or len(rounds) > 1, poll=0.01,
                     say=lambda *a, **k: None)
    leaf, index = heads()[-1]
    assert (leaf["seq"], leaf["hash"]) == (head.seq, head.hash)
    assert index is not None and index < LogState.objects.get(pk=eid).checkpoint_size


def test_the_log_lane_integrates_between_rounds_and_the_next_round_writes_the_index(
        small_synthetic, snapshot_dir, monkeypatch):  # noqa: F811
    """`sailau publish --follow` integrates the log in a lane of its own (`integrate_waiting`,
    every LOG_MIN_GAP at most), so that witnesses need not wait for a batch; a station whose
    file a batch wrote before the lane sequenced its leaf is written again by the next batch,
    though nothing else about it moved."""
    election = load(small_synthetic, route=False)
    eid = election.id
    snapshots.publish(eid)
    sid = sorted(Station.objects.filter(election=election).values_list("id", flat=True))[7]
    route(small_synthetic, only={sid})
    real = publisher.logstep.integrate
    monkeypatch.setattr(publisher.logstep, "integrate", lambda eid, **_: set())
    m = batches.publish_changes(eid)  # the batch ran before the lane
    monkeypatch.setattr(publisher.logstep, "integrate", real)
    number = Station.objects.get(pk=sid).number
    assert set(_indexes_in(_doc(eid, m, number)).values()) == {None}
    assert log_lane.integrate_waiting() == [eid]  # the lane's turn
    monkeypatch.setattr(log_lane, "LOG_MIN_GAP", 60.0)  # (however slow the machine)
    assert not outbox.pending(eid) and eid in publisher.logstep.elections_with_files_behind()
    outbox.append(eid, "role", "role/1", action="granted", role="operator", scope="x", grant=1)
    assert log_lane.integrate_waiting() == []  # within LOG_MIN_GAP of the last: waits
    m2 = batches.publish_changes(eid)  # the next batch: the file again, with the index
    assert m2 and _indexes_in(_doc(eid, m2, number)) == _expected(eid, sid)
    assert not publisher.logstep.elections_with_files_behind()

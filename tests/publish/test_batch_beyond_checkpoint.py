"""A batch whose snapshot sees protocols the log's checkpoint lacks yet shows them, once the log
has sequenced and signed them, at the size that ends with them: their station files carry their
leaves' indexes and `sailau verify` holds every file at that size. It no longer looks again for a
moment with none waiting (at a few protocols a second such a moment came too seldom, and one
batch in fifty gave up after `logstep.PATIENCE`)."""

import json

import pytest

from sailau.cli import main
from sailau.demo.chain import route
from sailau.demo.load import load
from sailau.elections.models import Station
from sailau.ledger import integrator
from sailau.ledger.models import Leaf
from sailau.publish.pipeline import batches, logstep, snapshots
from sailau.publish.storage import store


@pytest.fixture
def night(transactional_db, small_synthetic, snapshot_dir, monkeypatch):
    """A published election with three stations reported since, all committed: the batch's
    snapshot reads them through its own transaction."""
    integrator._trees.clear()
    logstep._checked.clear()
    monkeypatch.setattr(batches, "_STATION_IDS", {})
    election = load(small_synthetic, route=False)
    snapshots.publish(election.id)
    stations = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    route(small_synthetic, only=set(stations[:3]))
    return election, stations


def _station_file(election_id: str, manifest: dict, number: int) -> dict:
    entry = manifest["files"][f"stations/{number}.json"]
    path = store.election_dir(election_id) / "objects" / f"{entry['sha256']}.json"
    return json.loads(store.read_object(path))


def _late_after_the_integration(monkeypatch, small_synthetic, late: str) -> list:
    """The batch's first integration followed at once by the chain committing `late`'s
    protocols; the list of integrations made."""
    real, calls = logstep.integrate, []

    def integrate_then_a_protocol_arrives(eid, **kw):
        out = real(eid, **kw)
        calls.append(1)
        if len(calls) == 1:  # committed by the chain just after this batch's integration
            route(small_synthetic, only={late})
        return out

    monkeypatch.setattr(logstep, "integrate", integrate_then_a_protocol_arrives)
    return calls


def test_a_protocol_arriving_after_the_integration_is_shown_at_the_size_that_ends_with_it(
        night, small_synthetic, monkeypatch, capsys):
    election, stations = night
    late = stations[3]
    calls = _late_after_the_integration(monkeypatch, small_synthetic, late)
    prev = snapshots.latest_manifest(election.id)
    m = batches.publish_changes(election.id)  # the whole country's tables too, when due
    # One integration before the snapshot, one after it for what it saw waiting: no retry.
    assert len(calls) == 2
    indexes = sorted(Leaf.objects.filter(election_id=election.id, kind="protocol",
                                         subject__startswith=f"{late}/")
                     .values_list("index", flat=True))
    assert indexes and None not in indexes
    assert m["log_size"] == indexes[-1] + 1  # ends with the late station's last leaf
    number = Station.objects.get(pk=late).number
    doc = _station_file(election.id, m, number)
    shown = {p["log"]["index"] for p in doc["contests"] if p["protocol"]}
    assert shown and shown <= set(indexes)
    # every table the batch wrote names the size its files show
    written = [e for n, e in m["files"].items() if "log_size" in e and not e.get("stale")
               and e["sha256"] != prev["files"].get(n, {}).get("sha256")]
    assert written and all(e["log_size"] == m["log_size"] for e in written)
    code = main(["verify", str(store.election_dir(election.id)), "--json",
                 "--allow-unwitnessed"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report["failures"]


def test_a_waiting_station_s_file_is_written_once_with_its_index(night, small_synthetic,
                                                                 monkeypatch):
    """Its file is held back until the log has sequenced its protocol, not written first without
    the leaf's index and then again with it."""
    election, stations = night
    late = stations[3]
    _late_after_the_integration(monkeypatch, small_synthetic, late)
    put, written = store.Writer.put, []

    def counted(self, name, body):
        written.append(name)
        return put(self, name, body)

    monkeypatch.setattr(store.Writer, "put", counted)
    m = batches.publish_changes(election.id, defer_national=True)
    number = Station.objects.get(pk=late).number
    assert written.count(f"stations/{number}.json") == 1
    assert all(p["log"] for p in _station_file(election.id, m, number)["contests"]
               if p["protocol"])
    # the stations the snapshot saw sequenced already: once each too
    assert all(written.count(n) == 1 for n in written if n.startswith("stations/"))


def test_a_leaf_sequenced_between_those_the_snapshot_saw_gives_the_batch_up(
        night, small_synthetic, monkeypatch):
    """A protocol committed after the snapshot but sequenced before one it saw (PostgreSQL
    gives ids out of commit order: here the log's writer takes the newest first) would be in the
    log below the size the files show and in no file: the batch publishes nothing, and the next
    shows both."""
    from sailau.ledger import logkey

    election, stations = night
    real, calls = logstep.integrate, []

    def sequence_newest_first(eid):
        state = logkey.state(eid)
        pending = list(Leaf.objects.filter(election_id=eid, index__isnull=True)
                       .order_by("-id").values_list("id", "hash", "kind", "subject"))
        return integrator._sequence(eid, state.size, state.root, pending) if pending else []

    def integrate_then_arrivals(eid, **kw):
        calls.append(1)
        if len(calls) == 2:  # the settling integration: another protocol slips in first
            route(small_synthetic, only={stations[4]})
            monkeypatch.setattr(integrator, "sequence", sequence_newest_first)
        out = real(eid, **kw)
        if len(calls) == 1:
            route(small_synthetic, only={stations[3]})
        return out

    monkeypatch.setattr(logstep, "integrate", integrate_then_arrivals)
    before = snapshots.latest_manifest(election.id)["sequence"]
    with pytest.raises(logstep.Unsettled):
        batches.publish_changes(election.id, defer_national=True)
    assert snapshots.latest_manifest(election.id)["sequence"] == before
    m = batches.publish_changes(election.id, defer_national=True)
    for sid in stations[3:5]:
        number = Station.objects.get(pk=sid).number
        assert any(p["log"] for p in _station_file(election.id, m, number)["contests"])


def test_the_snapshot_asks_what_the_checkpoint_lacks_in_two_questions(night, monkeypatch):
    """What is beyond the checkpoint (the protocols a batch shows all the same, whether a
    turnout report or a decision waits, the checkpoint's size) is two questions to the
    database, not one for each: the checkpoint's size, then the leaves beyond it (the size a
    number, so that PostgreSQL reads them by index rather than every leaf)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    election, stations = night  # three stations' protocols committed, not yet in the log
    monkeypatch.setattr(logstep, "_settle", lambda eid, until: None)  # (and left so)
    waiting = logstep.Waiting()
    with (CaptureQueriesContext(connection) as asked,
          logstep.snapshot_in_the_log(election.id, waiting=waiting) as shown):
        pass
    about_the_log = [q["sql"] for q in asked.captured_queries if "ledger_" in q["sql"]]
    assert len(about_the_log) == 2, about_the_log
    assert "checkpoint_size" in about_the_log[0] and "ledger_logstate" not in about_the_log[1]
    assert shown == waiting.stations() == set(stations[:3])
    assert waiting.size == logstep.checkpoint_size(election.id) > 0


def test_a_station_republished_alone_shows_its_new_protocol_only_once_the_log_has_it(
        night, small_synthetic, capsys):
    """`sailau publish --station`: a protocol the chain committed and the log has not yet
    sequenced is shown with its leaf's index, at the size that ends with it, and the folder
    verifies (it was published beyond every checkpoint)."""
    election, stations = night
    snapshots.publish(election.id)  # the three reported since: only `late` is new below
    late = stations[3]
    route(small_synthetic, only={late})
    assert Leaf.objects.filter(election_id=election.id, subject__startswith=f"{late}/",
                               index__isnull=True).exists()
    m = snapshots.republish_station(late)
    doc = _station_file(election.id, m, Station.objects.get(pk=late).number)
    assert all(p["log"] for p in doc["contests"] if p["protocol"])
    code = main(["verify", str(store.election_dir(election.id)), "--json",
                 "--allow-unwitnessed"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, [(f["subject"], f["message"]) for f in report["failures"]]


def test_a_batch_asks_the_log_s_writer_early_and_integrates_once(
        night, small_synthetic, monkeypatch, capsys):
    """With the log's writer listening (the log's lane), a batch that is not its process's first
    asks it for a checkpoint and reads its snapshot meanwhile: one integration, after the
    snapshot, for what it saw waiting; the files verify at the size that ends with them."""
    from sailau.ledger import wake, writer

    election, stations = night
    logstep.integrate(election.id)  # a round of this process before: the log's state checked
    route(small_synthetic, only={stations[3]})
    assert not wake.ask_early(election.id)  # no writer to ask: the batch integrates itself
    writer.hold(election.id)  # as the log's lane holds it (this test integrates for it)...
    inbox = wake.Inbox()  # ...and listens
    inbox.open(election.id)
    real, calls = logstep.integrate, []
    monkeypatch.setattr(logstep, "integrate", lambda eid, **kw: (calls.append(1),
                                                                 real(eid, **kw))[1])
    try:
        m = batches.publish_changes(election.id, defer_national=True)
        assert inbox.wait(1) == {election.id}  # asked, without waiting for its answer
    finally:
        inbox.close()
        writer.release_all()
    assert len(calls) == 1
    last = Leaf.objects.filter(election_id=election.id, kind="protocol").order_by("-index")[0]
    assert m["log_size"] == last.index + 1
    code = main(["verify", str(store.election_dir(election.id)), "--json",
                 "--allow-unwitnessed"])
    assert code == 0, json.loads(capsys.readouterr().out)["failures"]


def test_settling_asks_nothing_when_the_writer_has_signed_what_the_snapshot_saw(
        night, small_synthetic, monkeypatch):
    """The leaves a snapshot saw waiting, already in a signed checkpoint (the writer asked
    early): the size ending with them, with no integration asked and no wait for protocols
    committed since."""
    election, stations = night
    waiting, real = logstep.Waiting(), logstep._settle
    monkeypatch.setattr(logstep, "_settle", lambda eid, until: None)
    with logstep.snapshot_in_the_log(election.id, waiting=waiting):
        pass
    assert waiting.stations() == set(stations[:3])
    monkeypatch.setattr(logstep, "_settle", real)
    logstep.integrate(election.id)  # the writer, meanwhile
    route(small_synthetic, only={stations[3]})  # committed after: not waited for

    def no_integration(eid, until):
        raise AssertionError("asked the writer again")

    monkeypatch.setattr(logstep, "_settle", no_integration)
    size = logstep.settle(election.id, waiting)
    last = max(Leaf.objects.filter(pk__in=waiting.leaves).values_list("index", flat=True))
    assert size == last + 1 <= logstep.checkpoint_size(election.id)

"""The background publisher: protocols that arrive reach their station file, every level above
and the contest tables in one batch and one new manifest, never a full republication; one
publisher at a time; a lost record of what was published means a full publication."""

import datetime as dt
import json
import threading
import time

import pytest
from django.db.models import F

from sailau.cli import main
from sailau.demo.chain import route
from sailau.demo.load import load
from sailau.elections.models import Commission, Station
from sailau.protocols.models import Protocol
from sailau.publish.pipeline import (
    batches,
    national_jobs,
    national_lane,
    publisher,
    roundmemo,
    snapshot_check,
    snapshots,
)
from sailau.publish.storage import publisher_state, store
from sailau.verify.runs import from_runs
from tests.snapshotfiles import opened

pytestmark = pytest.mark.django_db


def _doc(eid, manifest, name):
    entry = manifest["files"][name]
    path = snapshots.election_dir(eid) / "objects" / f"{entry['sha256']}{name[name.rfind('.'):]}"
    return opened(path)


@pytest.fixture
def empty_night(small_synthetic, snapshot_dir):
    """The small election with nothing reported, published once."""
    election = load(small_synthetic, route=False)
    return election, snapshots.publish(election.id)


def test_arrived_protocols_are_published_in_one_batch(small_synthetic, empty_night):
    election, first = empty_night
    eid = election.id
    assert batches.publish_changes(eid) is None  # nothing arrived: no new manifest
    arrived = sorted(Station.objects.filter(election=election).values_list("id", flat=True))[:4]
    route(small_synthetic, only=set(arrived))
    m = batches.publish_changes(eid)
    assert m["sequence"] == first["sequence"] + 1
    changed = {n for n in m["files"] if m["files"][n]["sha256"] != first["files"][n]["sha256"]}
    numbers = dict(Station.objects.filter(id__in=arrived).values_list("id", "number"))
    stations_changed = {n for n in changed if n.startswith("stations/")}
    assert stations_changed == {f"stations/{numbers[s]}.json" for s in arrived}
    cec = Commission.objects.get(election=election, level=Commission.CEC)
    assert f"commissions/{cec.id}.json" in changed
    # The station file carries the definitive protocol, the national file the new total.
    p = Protocol.objects.filter(station_id=arrived[0], current=True).first()
    doc = json.loads(_doc(eid, m, f"stations/{numbers[arrived[0]]}.json"))
    part = next(c for c in doc["contests"] if c["contest"] == p.contest_id)
    assert part["protocol"]["choices"] == dict(sorted(p.choices.items()))
    national = json.loads(_doc(eid, m, f"commissions/{cec.id}.json"))
    reported = {c["contest"]: c["stations_reported"] for c in national["contests"]}
    assert reported[p.contest_id] == len(arrived)
    # Level tables are rewritten; national tables came due at once (never written before).
    assert any(n.endswith("/territorial.csv") for n in changed)
    assert "nist.json" in changed
    assert snapshot_check.verify_snapshots(eid) is None
    assert batches.publish_changes(eid) is None  # published: nothing left to do


def _two_batches(small_synthetic, election) -> dict:
    """Two stations published, then two more: the second batch's manifest."""
    stations = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    route(small_synthetic, only=set(stations[:2]))
    batches.publish_changes(election.id)
    route(small_synthetic, only=set(stations[2:4]))
    return batches.publish_changes(election.id)


def test_national_tables_wait_marked_stale_then_come_due(small_synthetic, empty_night,
                                                        monkeypatch):
    election, _ = empty_night
    eid = election.id
    m = _two_batches(small_synthetic, election)  # just written: the national tables wait
    stale = {n for n, e in m["files"].items() if e.get("stale")}
    assert "nist.json" in stale and any(n.endswith("/stations.csv") for n in stale)
    assert snapshot_check.verify_snapshots(eid) is None  # stale files are announced, not wrong
    # Nothing new arrives, but the stale tables come due: written without being asked again.
    monkeypatch.setattr(batches, "NATIONAL_MIN_INTERVAL", 0)
    monkeypatch.setattr(batches, "NATIONAL_COST_FACTOR", 0)
    m = batches.publish_changes(eid)
    assert m and not any(e.get("stale") for e in m["files"].values())
    assert snapshot_check.verify_snapshots(eid) is None


def test_one_publisher_at_a_time(empty_night, monkeypatch):
    election, _ = empty_night
    monkeypatch.setattr(batches, "LOCK_PATIENCE", 0.2)
    with publisher_state.exclusive(election.id) as mine:
        assert mine
        t = time.monotonic()
        assert batches.publish_changes(election.id) is False
        assert time.monotonic() - t >= 0.2  # it waited its patience, then gave up


def test_a_batch_waits_for_a_lock_let_go_soon(empty_night, monkeypatch):
    """The national lane holds the lock a moment to merge its tables: a batch that finds it
    held waits for it, rather than until its next wake-up."""
    election, _ = empty_night
    monkeypatch.setattr(batches, "LOCK_PATIENCE", 5.0)
    held = publisher_state.exclusive(election.id)
    assert held.__enter__()
    threading.Timer(0.3, held.__exit__, (None, None, None)).start()
    t = time.monotonic()
    assert batches.publish_changes(election.id, force_national=True) is not False
    assert 0.3 <= time.monotonic() - t < 5.0


def test_a_lost_record_means_a_full_publication(small_synthetic, empty_night):
    election, first = empty_night
    (snapshots.election_dir(election.id) / publisher_state.STATE).unlink()
    m = batches.publish_changes(election.id)
    assert m["sequence"] == first["sequence"] + 1
    assert not any(e.get("stale") for e in m["files"].values())
    assert publisher_state.read_state(election.id)["sequence"] == m["sequence"]


def test_follow_publishes_until_stopped(small_synthetic, empty_night):
    election, first = empty_night
    stations = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    route(small_synthetic, only=set(stations[:3]))
    seen = []

    def stop():
        m = snapshots.latest_manifest(election.id)
        seen.append(m["sequence"])
        return m["sequence"] > first["sequence"] or len(seen) > 40

    publisher.follow([election.id], stop=stop, poll=0.05, say=lambda *a, **k: None)
    assert snapshots.latest_manifest(election.id)["sequence"] == first["sequence"] + 1


def _same_but_stamp(a: bytes, b: bytes) -> bool:
    """Two NIST reports equal but for when each was generated."""
    x, y = json.loads(a), json.loads(b)
    x.pop("GeneratedDate", None), y.pop("GeneratedDate", None)
    return x == y


def test_a_batch_publishes_its_station_and_levels_and_the_lane_the_national_tables(
        small_synthetic, empty_night):
    """The follower's two lanes: one batch after a full publication carries the protocol to its
    station file, every commission file and level table above it and the manifest, without
    writing any table of the whole country; the national lane then rewrites those, and the
    result equals a full publication of the same database byte for byte (the NIST report but
    for its generation time, which is the publication's)."""
    election, first = empty_night
    eid = election.id
    stations = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    arrived = stations[:3]
    route(small_synthetic, only=set(arrived))
    m = batches.publish_changes(eid, defer_national=True)
    assert m["sequence"] == first["sequence"] + 1
    changed = {n for n in m["files"] if m["files"][n]["sha256"] != first["files"][n]["sha256"]}
    numbers = dict(Station.objects.filter(id__in=arrived).values_list("id", "number"))
    assert {n for n in changed if n.startswith("stations/")} == {
        f"stations/{numbers[s]}.json" for s in arrived}
    s = Station.objects.get(id=arrived[0])
    for cid in {s.territory_id, s.district_id, s.smd_id,
                Commission.objects.get(election=election, level=Commission.CEC).id} - {None}:
        assert f"commissions/{cid}.json" in changed
    # The outcome of the national contest and of its single-member district's contest in the
    # batch, the district's one-row table left with its station tables...
    assert f"contests/{eid}.list/outcome.json" in changed
    assert any(n.endswith("/outcome.json") and ".smd." in n for n in changed)
    assert not any(n.endswith("/smd.csv") for n in changed)
    assert {n for n, e in m["files"].items() if e.get("stale") and n.endswith("/smd.csv")}
    # ...but no table of the whole country: announced stale, left as they were (the
    # national contest's per-level tables list every district).
    whole = f"contests/{eid}.list/"
    national = {n for n in m["files"] if n == "nist.json" or "/stations." in n
                or "/progress." in n
                or n.startswith((f"{whole}territorial.", f"{whole}district."))}
    assert national and not national & changed
    assert {n for n, e in m["files"].items() if e.get("stale")} >= {
        "nist.json", f"{whole}stations.csv", f"{whole}district.csv", f"{whole}territorial.json"}
    assert snapshot_check.verify_snapshots(eid) is None
    lane, _ = national_lane.rewrite_national(eid)
    assert lane["sequence"] == m["sequence"] + 1
    assert not any(e.get("stale") for e in lane["files"].values())  # nothing arrived meanwhile
    assert lane["files"]["nist.json"] != m["files"]["nist.json"]
    assert snapshot_check.verify_snapshots(eid) is None
    assert national_lane.rewrite_national(eid)[0] is None  # nothing stale: nothing to do
    full = snapshots.publish(eid)
    assert set(full["files"]) == set(lane["files"])
    # (the same bytes; a table written again names the log's size of its moment)
    differ = {n for n in full["files"] if _unsized(full["files"][n]) != _unsized(
        lane["files"][n])}
    assert differ <= {"nist.json"}
    if differ:
        assert _same_but_stamp(_doc(eid, full, "nist.json"), _doc(eid, lane, "nist.json"))


def test_national_tables_built_while_protocols_arrive_stay_marked_stale(small_synthetic,
                                                                        empty_night):
    """The lane builds from one moment of the database; when that moment holds protocols no
    batch has published yet, what it writes is newer but not exact, and stays marked stale
    until a round finds the batches caught up."""
    election, _ = empty_night
    eid = election.id
    stations = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    route(small_synthetic, only=set(stations[:2]))
    _stale_as_listed(eid, batches.publish_changes(eid, defer_national=True))
    route(small_synthetic, only=set(stations[2:4]))  # arrived, not yet in a batch
    m, _ = national_lane.rewrite_national(eid)
    assert m["files"]["nist.json"].get("stale")
    assert m["files"][f"contests/{eid}.list/stations.csv"].get("stale")
    _stale_as_listed(eid, m)
    m = batches.publish_changes(eid, defer_national=True)
    assert m["files"]["nist.json"].get("stale")
    _stale_as_listed(eid, m)
    m, _ = national_lane.rewrite_national(eid)
    assert not any(e.get("stale") for e in m["files"].values())
    _stale_as_listed(eid, m)
    assert snapshot_check.verify_snapshots(eid) is None


def test_a_table_written_again_with_the_same_bytes_keeps_its_entry(small_synthetic,
                                                                    empty_night, capsys):
    """A lane round not exact (protocols arrived that no batch has published) writes its stale
    tables again; one whose bytes no protocol changed keeps the entry it had, with the log's
    size it named: the same bytes are what the log gave at that size too. Named anew with each
    round's size, every district's tables moved their shards with every round of a busy night."""
    election, _ = empty_night
    eid = election.id
    stations = list(Station.objects.filter(election=election, smd__isnull=False)
                    .order_by("number"))
    first = stations[0]
    other = [s for s in stations if s.smd_id != first.smd_id]
    route(small_synthetic, only={first.id})
    batches.publish_changes(eid, defer_national=True)
    district = f"contests/{first.smd_id}/stations.csv"
    route(small_synthetic, only={other[0].id})  # arrived, not yet in a batch
    m1, _ = national_lane.rewrite_national(eid)
    assert m1["files"][district].get("stale")  # not exact: written, still marked
    route(small_synthetic, only={other[1].id})
    m2, _ = national_lane.rewrite_national(eid)
    assert m2["log_size"] == m1["log_size"]  # (a lane round moves no station's file)
    assert m2["files"][district] == m1["files"][district]
    whole = f"contests/{eid}.list/stations.csv"  # (another arrival: other bytes)
    assert m2["files"][whole]["sha256"] != m1["files"][whole]["sha256"]
    assert m2["files"][whole]["log_size"] > m1["files"][district]["log_size"]
    m3 = batches.publish_changes(eid, defer_national=True)  # the stations caught up
    assert m3["files"][district] == m1["files"][district]
    assert snapshot_check.verify_snapshots(eid) is None
    # `sailau verify` writes the stale tables again from the log at the sizes they name
    assert main(["verify", str(snapshots.election_dir(eid)), "--json"]) == 0, \
        json.loads(capsys.readouterr().out)["failures"]
    m4, _ = national_lane.rewrite_national(eid)  # exact now: unmarked, the same bytes
    assert not any(e.get("stale") for e in m4["files"].values())
    assert m4["files"][district]["sha256"] == m3["files"][district]["sha256"]
    assert snapshot_check.verify_snapshots(eid) is None


def _stale_as_listed(eid, m):
    """What the publisher remembers as stale (`store.stale_names`) is what the manifest's list
    of files says, for the manifest it returned and for the latest as read back."""
    listed = {n for n, e in m["files"].items() if e.get("stale")}
    assert store.stale_names(eid, m) == listed
    assert store.stale_names(eid, store.latest_manifest(eid)) == listed


def test_a_key_issued_at_the_first_signature_is_audited_and_published_at_once(
        small_synthetic, empty_night):
    """A commission without a key gets one when its first protocol is signed: an audit record
    says so, and the incremental publication of that station carries keys.json with the new
    key (its station file names it), not only the next full publication."""
    from sailau.audit.models import Record
    from sailau.elections.models import CommissionKey

    election, first = empty_night
    eid = election.id
    station = Station.objects.filter(election=election).order_by("number").first()
    CommissionKey.objects.filter(commission_id=station.commission_id).delete()
    route(small_synthetic, only={station.id})
    key = CommissionKey.objects.get(commission_id=station.commission_id)
    rec = Record.objects.get(action="key.issued", subject=station.commission_id)
    assert rec.actor == "sailau" and rec.payload["public_key"] == key.public_key
    m = batches.publish_changes(eid)
    assert m["files"]["keys.json"]["sha256"] != first["files"]["keys.json"]["sha256"]
    published = json.loads(_doc(eid, m, "keys.json"))["commissions"]
    assert published[station.commission_id] == [key.public_key]
    assert snapshot_check.verify_snapshots(eid) is None
    # the next station of a commission that had its key all along: keys.json stays as it was
    other = Station.objects.filter(election=election).order_by("number")[1]
    route(small_synthetic, only={other.id})
    assert batches.publish_changes(eid)["files"]["keys.json"] == m["files"]["keys.json"]


def test_downloads_page_explains_a_table_being_rewritten(small_synthetic, empty_night, client,
                                                         monkeypatch):
    """A table marked stale is marked "being rewritten" on the downloads page, with a link to
    a sentence that says what that means (the mark stood there unexplained), in each language;
    the sentence is not there when no table waits."""
    election, _ = empty_night
    eid = election.id
    assert any(e.get("stale") for e in _two_batches(small_synthetic, election)["files"].values())
    for lang, mark, said in (("ru", "перезаписывается", "«Перезаписывается»: таблица всей страны"),
                             ("kk", "қайта жазылуда", "«Қайта жазылуда»: хаттамалар"),
                             ("en", "being rewritten", "“Being rewritten”: a table of the whole")):
        html = client.get(f"/{lang}/e/{eid}/download/").content.decode()
        assert f'href="#being-rewritten">({mark})</a>' in html and 'id="being-rewritten"' in html
        assert said in html, lang
    monkeypatch.setattr(batches, "NATIONAL_MIN_INTERVAL", 0)
    monkeypatch.setattr(batches, "NATIONAL_COST_FACTOR", 0)
    assert batches.publish_changes(eid)  # the tables come due: nothing waits
    assert 'id="being-rewritten"' not in client.get(f"/en/e/{eid}/download/").content.decode()


def test_the_lane_writes_within_its_byte_budget_while_the_log_grows(small_synthetic,
                                                                   empty_night, monkeypatch):
    """While protocols arrive, the national tables wait for the bytes the lane may write (the
    longest waiting first, a table never written by the lane weighed by its published size);
    once the log has been quiet for `LANE_QUIET` seconds they are written without a budget."""
    election, _ = empty_night
    eid = election.id
    stations = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    route(small_synthetic, only=set(stations[:2]))
    stale = batches.publish_changes(eid, defer_national=True)
    assert stale["files"]["nist.json"].get("stale")
    monkeypatch.setattr(national_lane, "LANE_SMALL", 0)  # every table is large here
    monkeypatch.setattr(national_lane, "LANE_BYTES_PER_SECOND", 0)
    monkeypatch.setitem(national_lane._BUDGETS, eid, national_lane.ByteBudget(time.time()))
    national_lane._BUDGETS[eid].tokens = 0  # spent, and nothing comes in
    m, national = national_lane.rewrite_national(eid)
    assert m is None and not national  # nothing written: the log moved just now
    monkeypatch.setattr(national_lane, "LANE_QUIET", 0.0)  # the night has quietened
    m, national = national_lane.rewrite_national(eid)
    assert m is not None and not any(e.get("stale") for e in m["files"].values())
    # What it weighed is what was published (before gzip: the work of building it as well).
    nist = m["files"]["nist.json"]
    assert national["nist.json"]["bytes"] == nist["size"] > store.stored_size(eid, "nist.json",
                                                                              nist)


def test_the_byte_budget_gives_turns_in_order_and_lends_to_a_large_table(monkeypatch):
    monkeypatch.setattr(national_lane, "LANE_BURST", 100)
    monkeypatch.setattr(national_lane, "LANE_BYTES_PER_SECOND", 10)
    monkeypatch.setattr(national_lane, "LANE_SMALL", 5)
    budget = national_lane.ByteBudget(now=0.0)
    budget.round(log_size=1, now=0.0)
    assert budget.take(60, 0.0) and not budget.take(60, 0.0)  # 40 left
    assert not budget.take(10, 0.0)  # the longest waiting did not fit: no large one jumps it
    assert budget.take(5, 0.0)  # a small table is not held back by it
    budget.round(log_size=2, now=6.0)  # 40 + 60 = 100, the bucket full (the small one free)
    assert budget.take(1_000, 6.0)  # larger than the bucket: written when it is full...
    budget.round(log_size=3, now=16.0)
    assert not budget.take(6, 16.0)  # ...and the debt (900 - 100) paid back before the next
    assert budget.take(5, 16.0)  # meanwhile the small tables go out
    budget.round(log_size=3, now=100.0)
    assert budget.take(6, 100.0)  # (quiet: the log has not grown since 16 s, 84 s ago)


def test_the_small_tables_have_a_byte_budget_of_their_own(monkeypatch):
    """The tables of at most `LANE_SMALL` bytes (a district's station tables, the per-level
    tables) are written within a budget of their own, in the same order: never behind a large
    one's debt, and no longer every round (together they weigh what the party list's do)."""
    monkeypatch.setattr(national_lane, "LANE_BURST", 100)
    monkeypatch.setattr(national_lane, "LANE_BYTES_PER_SECOND", 10)
    monkeypatch.setattr(national_lane, "LANE_SMALL", 5)
    monkeypatch.setattr(national_lane, "LANE_SMALL_BURST", 12)
    monkeypatch.setattr(national_lane, "LANE_SMALL_BYTES_PER_SECOND", 1)
    budget = national_lane.ByteBudget(now=0.0)
    budget.round(log_size=1, now=0.0)
    assert budget.take(1_000, 0.0)  # the large one's debt...
    assert budget.take(5, 0.0) and budget.take(5, 0.0)  # ...holds back no small one
    assert not budget.take(4, 0.0)  # 2 left: the small ones wait for their own bucket
    assert not budget.take(1, 0.0)  # and none jumps the longest waiting
    budget.round(log_size=2, now=2.0)
    assert budget.take(4, 2.0) and not budget.take(1, 2.0)
    budget.round(log_size=3, now=10.0)
    assert budget.take(5, 10.0) and not budget.take(5, 10.0)  # 8 s: 8 bytes
    budget.round(log_size=3, now=30.0)
    assert budget.take(5, 30.0) and budget.take(5, 30.0) and budget.take(5, 30.0)  # quiet


def test_a_large_nist_report_never_holds_back_the_smaller_tables(small_synthetic, empty_night,
                                                                 monkeypatch):
    """While the NIST report waits for the lane's byte budget (spent, nothing coming in, the
    log growing), the lane's round writes every other stale table that is due, and the batch
    before it wrote the CEC's file with the station that changed it."""
    election, _ = empty_night
    eid = election.id
    stations = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    route(small_synthetic, only=set(stations[:2]))
    prev = snapshots.latest_manifest(eid)
    batch = batches.publish_changes(eid, defer_national=True)
    cec = Commission.objects.get(election=election, level=Commission.CEC)
    name = f"commissions/{cec.id}.json"
    assert batch["files"][name]["sha256"] != prev["files"][name]["sha256"]
    stale = {n for n, e in batch["files"].items() if e.get("stale")}
    assert "nist.json" in stale and len(stale) > 1
    # The NIST report the only table above the small ones' size: the others weigh less.
    nist = batch["files"]["nist.json"]["size"]
    others = {n: batch["files"][n]["size"] for n in stale - {"nist.json"}}
    monkeypatch.setattr(national_lane, "LANE_SMALL", nist - 1)
    assert all(national_lane.LANE_SMALL >= size for size in others.values()), (nist, others)
    monkeypatch.setattr(national_lane, "LANE_BYTES_PER_SECOND", 0)
    monkeypatch.setitem(national_lane._BUDGETS, eid, national_lane.ByteBudget(time.time()))
    national_lane._BUDGETS[eid].tokens = 0  # spent, and nothing comes in; the log just moved
    m, national = national_lane.rewrite_national(eid)
    assert m is not None
    assert m["files"]["nist.json"] == batch["files"]["nist.json"]  # still waiting, stale
    assert "nist.json" not in national
    left = {n for n in others if m["files"][n].get("stale")}
    assert not left, left  # every smaller table written in this round, exact


def test_a_change_without_a_new_row_is_found_by_the_sweep_in_parts(small_synthetic, empty_night,
                                                                   monkeypatch):
    """A step time corrected adds no row, so only the sweep finds it: each round compares the
    share of the stations its time since the last is of FULL_EVERY, in turn, and the whole
    election within about FULL_EVERY (not all of it at once every FULL_EVERY)."""
    from sailau.protocols.models import StepTime

    election, _ = empty_night
    eid = election.id
    ids = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    route(small_synthetic, only=set(ids[:6]))
    clock = [time.time()]

    class PublishersClock:  # the publisher's `time` alone, not every module's
        def __getattr__(self, name):
            return getattr(time, name)

        def time(self):
            return clock[0]

    monkeypatch.setattr(batches, "time", PublishersClock())
    assert batches.publish_changes(eid)
    # The last routed station by id, so that a sweep from the start reaches it late.
    target = max(StepTime.objects.filter(station_id__in=ids[:6]).values_list("station_id",
                                                                             flat=True))
    StepTime.objects.filter(station_id=target).update(at=F("at") - dt.timedelta(minutes=7))
    compared = []
    real = batches.fingerprints

    def spy(election_id, stations=None):
        assert stations is not None, "every station compared at once"
        compared[-1] |= set(stations)
        return real(election_id, stations)

    monkeypatch.setattr(batches, "fingerprints", spy)
    number = Station.objects.get(id=target).number
    found_at = None
    for turn in range(1, 7):
        clock[0] += batches.FULL_EVERY / 4
        compared.append(set())
        m = batches.publish_changes(eid)
        if m and found_at is None:
            found_at = turn
            doc = json.loads(_doc(eid, m, f"stations/{number}.json"))
            assert list(doc["chronometry"].values()) == [
                at.isoformat() for at in StepTime.objects.filter(station_id=target)
                .order_by("step").values_list("at", flat=True)]
    assert all(0 < len(part) < len(ids) for part in compared)
    assert found_at is not None and found_at <= 4
    # Every station compared in four rounds of about a quarter each (and the few stations with
    # rows recent enough to be looked at every round).
    assert set().union(*compared[:4]) == set(ids)
    assert sum(len(part) for part in compared[:4]) < 1.5 * len(ids)


def test_the_sweep_compares_no_more_than_its_rate_of_stations_a_second(empty_night,
                                                                       monkeypatch):
    """In a large election the sweep's period stretches so that a round compares at most
    SWEEP_PER_SECOND stations for each second since the last (at 100,000 stations every 333 s,
    not 30: a 30 s sweep cost an eighth of a core there all night)."""
    election, _ = empty_night
    n = Station.objects.filter(election=election).count()
    now = time.time()
    batches._STATION_IDS.pop(election.id, None)
    whole, _, done = batches._sweep(election.id, {"full_at": now - batches.FULL_EVERY}, now)
    assert len(whole) == n and done  # a small election: all of it within FULL_EVERY
    monkeypatch.setattr(batches, "SWEEP_PER_SECOND", n / (4 * batches.FULL_EVERY))
    part, cursor, done = batches._sweep(election.id,
                                          {"full_at": now - batches.FULL_EVERY}, now)
    assert len(part) == -(-n // 4) and not done and cursor == part[-1]


def test_a_batch_reads_which_contests_reported_only_for_stations_that_moved(
        small_synthetic, empty_night, monkeypatch):
    """A district's and an SMD's files list their stations that reported, written again with
    each new one: which contests a station reported is read again only for the stations whose
    fingerprint moved, and the files stay exactly what the database says."""
    from sailau.publish.files import commission_documents

    election, _ = empty_night
    eid = election.id
    by_smd = {}  # (a district of this small election has one station, an SMD several)
    for sid, smd in Station.objects.filter(election=election).values_list("id", "smd_id"):
        by_smd.setdefault(smd, []).append(sid)
    smd, (first, target) = next((d, sorted(ids)[:2]) for d, ids in sorted(by_smd.items(), key=str)
                                if d and len(ids) > 1)
    route(small_synthetic, only={first})
    batches.publish_changes(eid)
    asked = []
    real = commission_documents.reported_contests
    monkeypatch.setattr(roundmemo, "reported_contests", lambda ids: (
        asked.extend(ids) or real(ids)))
    route(small_synthetic, only={target})
    m = batches.publish_changes(eid)
    assert set(asked) == {target}  # not the SMD's other stations
    doc = json.loads(_doc(eid, m, f"commissions/{smd}.json"))
    number = Station.objects.get(id=target).number
    reported = {c: from_runs(runs, 10**6) for c, runs in doc["reported_runs"].items()}
    assert all(number in numbers for numbers in reported.values()) and reported
    assert snapshot_check.verify_snapshots(eid) is None


def test_a_batch_reads_the_structure_once_per_structure(small_synthetic, empty_night,
                                                        monkeypatch):
    """What a round needs of the structure is read for the whole election once, and again only
    after the structure changed (a `structure-change` leaf): which stations a district or SMD
    lists (its file names them by number), and what every document needs (the contests, their
    choices, the commissions above the precincts). The files then show the names the change
    states, and stay what the database says."""
    from sailau.elections import logged
    from sailau.publish.files import commission_documents
    from sailau.publish.files.election_data import ElectionData

    election, _ = empty_night
    eid = election.id
    ids = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    route(small_synthetic, only={ids[0]})
    batches.publish_changes(eid)
    rows, loads = [], []
    real_rows, real_load = commission_documents.station_rows_by_commission, ElectionData.load
    monkeypatch.setattr(roundmemo, "station_rows_by_commission", lambda *a: (
        rows.append(a) or real_rows(*a)))
    monkeypatch.setattr(ElectionData, "load", classmethod(
        lambda cls, e: loads.append(e) or real_load(e)))
    for sid in ids[1:3]:
        route(small_synthetic, only={sid})
        assert batches.publish_changes(eid)
    assert rows == [] and loads == []  # the first round's reads serve the next ones
    territory = Station.objects.get(id=ids[3]).territory
    Commission.objects.filter(id=territory.id).update(
        names={**territory.names, "en": "Renamed territory"})
    logged.write_change(eid, "a territory renamed")
    route(small_synthetic, only={ids[3]})
    m = batches.publish_changes(eid)
    assert len(rows) == 1 and loads == [eid]
    cec = Commission.objects.get(election=election, level=Commission.CEC)
    children = json.loads(_doc(eid, m, f"commissions/{cec.id}.json"))["children"]
    assert {ch["id"]: ch["name"]["en"] for ch in children}[territory.id] == "Renamed territory"
    assert snapshot_check.verify_snapshots(eid) is None


def test_a_round_of_another_publisher_makes_the_next_walk_every_station_again(
        small_synthetic, empty_night):
    """Which contests a station reported is looked at, for a commission already walked, only
    for the round's own stations: that holds while every round was this process's. A round
    published by another process (a second follower) moved a station of the SMD that this one
    never had: its next round walks the SMD again, and its file says what the database does."""
    import copy

    election, _ = empty_night
    eid = election.id
    by_smd = {}
    for sid, smd in Station.objects.filter(election=election).values_list("id", "smd_id"):
        by_smd.setdefault(smd, []).append(sid)
    first, other, last = next(sorted(ids) for smd, ids in sorted(by_smd.items(), key=str)
                              if smd and len(ids) > 2)[:3]
    route(small_synthetic, only={first})
    assert batches.publish_changes(eid)
    kept = {name: copy.deepcopy(getattr(roundmemo, name))
            for name in ("_CONTESTS", "_READ_AT", "_WALKED", "_OURS")}
    route(small_synthetic, only={other})
    assert batches.publish_changes(eid)  # the other publisher's round
    for name, value in kept.items():  # this process knows nothing of it
        getattr(roundmemo, name).clear()
        getattr(roundmemo, name).update(value)
    route(small_synthetic, only={last})
    assert batches.publish_changes(eid)
    assert snapshot_check.verify_snapshots(eid) is None


def test_a_commit_that_failed_after_its_tree_was_built_leaves_no_hint(
        small_synthetic, empty_night, monkeypatch):
    """The manifest's tree is told which names a round changed only when it was built from the
    latest manifest: a commit that failed after updating the tree (a full disk) must not let
    the next one take its tree for the manifest's."""
    from sailau.tlog import filetree

    election, _ = empty_night
    eid = election.id
    ids = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    route(small_synthetic, only={ids[0]})
    assert batches.publish_changes(eid, defer_national=True)  # national tables left stale
    real_build, real_put = filetree.build, store._put_object
    built = []

    def build(*a, **k):
        built.append(1)
        return real_build(*a, **k)

    def put(*a, **k):
        if built:
            raise OSError("No space left on device")
        return real_put(*a, **k)
    monkeypatch.setattr(filetree, "build", build)
    monkeypatch.setattr(store, "_put_object", put)
    route(small_synthetic, only={ids[1]})
    with pytest.raises(OSError):
        batches.publish_changes(eid, defer_national=True)  # its station file in the tree
    monkeypatch.setattr(filetree, "build", real_build)
    monkeypatch.setattr(store, "_put_object", real_put)
    m, _ = national_jobs.rewrite_stale(eid)  # the national lane's merge, in this process
    assert m and m["shards"] == filetree.build(m["files"])[0]
    m = batches.publish_changes(eid, defer_national=True)
    assert m and m["shards"] == filetree.build(m["files"])[0]
    assert snapshot_check.verify_snapshots(eid) is None


def test_the_change_mark_moves_with_each_new_row(small_synthetic, empty_night):
    """The loop's cheap question (`changes.change_mark`): a new protocol version moves it;
    nothing new leaves it as it was."""
    from sailau.publish.pipeline import changes

    election, _ = empty_night
    before = changes.change_mark()
    assert changes.change_mark() == before
    route(small_synthetic, only={Station.objects.filter(election=election)
                                 .values_list("id", flat=True).first()})
    assert changes.change_mark() != before


def _unsized(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if k != "log_size"}

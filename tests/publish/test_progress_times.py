"""The times of the results over time (`progress.*`, from the station files, which the log does
not carry) held to the witnesses' bounds of each protocol's leaf: an honest night with its
witness passes with part and all reported; a station's time moved an hour earlier or a day
later, in its station file and the progress files alike (as the operator could), fails naming
the station file, the station, the field and the progress file."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from sailau import clock
from sailau.cli import main
from sailau.demo.chain import Night, route
from sailau.demo.load import load
from sailau.elections.models import Station
from sailau.ledger import cosign, integrator, tl
from sailau.ledger.models import LogState
from sailau.protocols.models import Protocol, StepTime
from sailau.publish.pipeline import batches, national_lane, snapshots
from tests.snapshotfiles import opened, read_manifest, relink_chain, write_manifest
from tests.verify.test_verify import _object, _rewrite

pytestmark = pytest.mark.django_db


def _cosign(eid, witness, at: dt.datetime, size: int | None = None) -> int:
    """The witness cosigns the log's checkpoint of `size` (the latest) at `at` by its clock;
    its size."""
    integrator.integrate(eid)
    row = LogState.objects.get(pk=eid)
    size = size or row.checkpoint_size
    body = tl.Checkpoint(row.origin, size, integrator.root_at(
        eid, row.size, row.root, size)).body()
    cosign.receive(eid, body, witness.cosign(body, int(at.timestamp())))
    return size


def _first_arrival(eid, stations) -> dt.datetime:
    first = Protocol.objects.filter(contest__election_id=eid, version=1,
                                    station_id__in=stations).order_by("created_at").first()
    step = StepTime.objects.filter(step="definitive", station_id__in=stations).order_by(
        "at").first()
    return min(first.created_at, step.at)


@pytest.fixture
def night(small_synthetic, snapshot_dir):
    """The structure published and cosigned; `batch(n)` routes n more stations through a
    night replayed after the witness's last cosignature (the chain's clock, the server's and
    the witness's the replay's, as the demo's are: `sailau.demo.witnesses.replay_clock`),
    publishes them (the server's clock a minute past the night's end) and has the witness
    cosign a minute later."""
    election = load(small_synthetic, route=False)
    witness = tl.Witness.generate("w.observers.kz")
    cosign.add_witness(election.id, witness.verifier_key())
    last = [timezone.now() - dt.timedelta(days=2)]  # nights in the past: none in the future
    with clock.showing(last[0] - dt.timedelta(minutes=1)):
        snapshots.publish(election.id)
    size = [_cosign(election.id, witness, last[0])]
    stations = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    done = []

    def batch(n):
        todo = set(stations[len(done):len(done) + n])
        done.extend(todo)
        replay = Night(last[0] + dt.timedelta(minutes=1), last[0] + dt.timedelta(hours=9))
        # the server's clock on the replay's too, as the demo's: the versions and their
        # leaves are stored at its end, where the witness then sees them
        with clock.showing(replay.ends):
            route(small_synthetic, only=todo, night=replay, say=lambda *a: None)
        # while the log stood still the witness cosigned it again and again: the last time
        # just before the batch's first protocol arrived
        _cosign(election.id, witness, _first_arrival(election.id, todo)
                - dt.timedelta(seconds=30), size[0])
        last[0] = replay.ends + dt.timedelta(minutes=1)
        _cosign(election.id, witness, last[0])
        with clock.showing(last[0]):
            batches.publish_changes(election.id, defer_national=True)
            national_lane.rewrite_national(election.id)
        size[0] = _cosign(election.id, witness, last[0] + dt.timedelta(minutes=1))

    batch.witness, batch.folder, batch.stations = witness, snapshots.election_dir(
        election.id), stations
    batch.election, batch.last = election, last  # the witness's last cosignature: last[0]
    return batch


def _verify(capsys, folder, witness) -> tuple[int, dict]:
    code = main(["verify", str(folder), "--json", "--witness", witness.verifier_key()])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, json.loads(out.out)


def test_an_honest_night_holds_its_progress_times_part_and_all_reported(night, capsys):
    night(3)
    code, report = _verify(capsys, night.folder, night.witness)
    assert code == 0, [f["message"] for f in report["failures"]]
    held = report["held"]["time"]
    assert not any(n["subject"] == "stations" for n in report["notes"])
    night(len(night.stations))  # every station reported
    code, report = _verify(capsys, night.folder, night.witness)
    assert code == 0, report["failures"]
    assert report["held"]["time"] > held


def _when(text: str) -> str:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC).isoformat()


def _move(folder, by: dt.timedelta, last: bool) -> str:
    """The operator moves one station's times by `by` (the earliest to report, or with `last`
    the latest), in its station file (`chronometry.definitive` and every first version's
    `created_at`) and in the `progress.csv` and `.json` of each of its contests, each hash
    rewritten in the manifest, so that the progress files still agree with the station files
    (moved earlier the first stays first, moved later the last stays last); the station file's
    name."""
    files = read_manifest(folder)["files"]
    docs = {n: json.loads(opened(_object(folder, n))) for n in files if n.startswith("stations/")}
    reported = {n: d for n, d in docs.items() if any(p.get("protocol") for p in d["contests"])}
    pick = max if last else min
    name = pick(reported, key=lambda n: _when(reported[n]["chronometry"]["definitive"]))
    doc = reported[name]

    def moved(text):
        return (dt.datetime.fromisoformat(text) + by).isoformat()
    replace = []  # (contest, old time, new time) as the progress files write them
    step = dt.datetime.fromisoformat(doc["chronometry"]["definitive"])
    for part in doc["contests"]:
        if not part.get("protocol"):
            continue
        first = [dt.datetime.fromisoformat(v["created_at"]) for v in part["versions"]
                 if v["version"] == 1]
        old = min([step, *first])
        replace.append((part["contest"], _when(old.isoformat()), _when((old + by).isoformat())))
        for v in part["versions"]:
            if v["version"] == 1:
                v["created_at"] = moved(v["created_at"])
        if part["protocol"].get("version") == 1 and part["protocol"].get("created_at"):
            part["protocol"]["created_at"] = moved(part["protocol"]["created_at"])
    doc["chronometry"]["definitive"] = moved(doc["chronometry"]["definitive"])
    _rewrite(folder, name, json.dumps(doc, ensure_ascii=False).encode())
    for contest, was, now in replace:
        for ext in ("csv", "json"):
            pname = f"contests/{contest}/progress.{ext}"
            body = opened(_object(folder, pname)).decode()
            assert was in body, (was, body[:300])
            _rewrite(folder, pname, body.replace(was, now).encode())
    mf = read_manifest(folder)
    relink_chain(folder, mf, write_manifest(folder, mf))
    return name


@pytest.mark.parametrize("by, last, why", [
    (-dt.timedelta(hours=1), False, "before the witnesses cosigned the log without its leaf"),
    (dt.timedelta(days=1), True, "after the witnesses had seen its leaf")])
def test_a_progress_time_moved_fails_naming_it(night, capsys, by, last, why):
    night(3)
    name = _move(night.folder, by, last)
    code, report = _verify(capsys, night.folder, night.witness)
    assert code == 1
    # the progress files agree with the forged station file: only the witnesses catch it
    assert not [f for f in report["failures"] if f["check"] != "time"], report["failures"]
    named = [f for f in report["failures"] if f["subject"].startswith(f"{name} (")]
    assert named, report["failures"]
    sid = json.loads(opened(_object(night.folder, name)))["id"]
    f = named[0]
    assert f["subject"] == f"{name} (chronometry.definitive)", f
    assert f"station {sid}, contest " in f["message"] and why in f["message"], f
    assert "/progress.csv" in f["message"] and "/progress.json" in f["message"], f

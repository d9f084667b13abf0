"""`sailau verify` during a live night: the publisher publishes and retention deletes what it
superseded while a slow run reads. The run finishes against the manifest it began with, or says
that the site moved on (exit 2), never FAILED; a file read and wrong, or missing while the
current manifest still names it, fails all the same."""

import json
import time

import pytest

from sailau.cli import main
from sailau.demo.chain import route
from sailau.demo.load import load
from sailau.elections.models import Station
from sailau.publish.pipeline import batches, national_lane, snapshots
from sailau.publish.storage import mirror, retention
from sailau.verify import files, snapshot
from tests.snapshotfiles import read_manifest

pytestmark = pytest.mark.django_db


@pytest.fixture
def night(small_synthetic, tmp_path, monkeypatch):
    """The small election published empty, then a first batch of arrivals; `next_round()`
    routes three more stations and publishes them (stations' files, commissions' totals and
    the national tables all change)."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(national_lane, "_BUDGETS", {})  # (kept per election id: see publish's)
    election = load(small_synthetic, route=False)
    snapshots.publish(election.id)
    stations = sorted(Station.objects.filter(election=election).values_list("id", flat=True))
    rounds = iter(range(10))

    def next_round():
        i = next(rounds)
        route(small_synthetic, only=set(stations[i * 3:i * 3 + 3]))
        batches.publish_changes(election.id, defer_national=True)
        national_lane.rewrite_national(election.id)

    next_round()
    next_round.folder = snapshots.election_dir(election.id)
    next_round.eid = election.id
    return next_round


def _meanwhile(monkeypatch, then):
    """A slow reader: when `check_files` begins (the manifest and its list of files read, the
    log checked), `then()` runs first, as the night would go on during a national run."""
    real = files.check_files

    def slow(snap, report):
        then()
        return real(snap, report)
    monkeypatch.setattr(files, "check_files", slow)


def _verify(capsys, folder, *args):
    code = main(["verify", str(folder), *map(str, args)])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out + out.err


def _superseded(night, before: dict) -> list[str]:
    """The names whose object the pinned manifest `before` had and the current one has not."""
    now = read_manifest(night.folder)["files"]
    return [n for n, e in before.items() if now.get(n, {}).get("sha256") != e["sha256"]]


def test_a_run_the_retention_window_covers_finishes_against_its_manifest(night, monkeypatch,
                                                                          capsys):
    """The window `retention.RETAIN` is longer than the run: the superseded files are still
    there, and the run checks the manifest it began with to the end."""
    pinned = read_manifest(night.folder)
    _meanwhile(monkeypatch, lambda: (night(), retention.prune_objects(night.eid)))
    code, out = _verify(capsys, night.folder, "--json")
    assert _superseded(night, pinned["files"])  # the night did go on meanwhile
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["finished"], report["failures"][:3]
    assert report["held"]["files"] == len(pinned["files"])


def test_a_run_outlived_by_the_window_says_the_site_moved_on_never_failed(night, monkeypatch,
                                                                          capsys):
    """Retention with a window shorter than the run deletes what the run's manifest names:
    exit 2, 'the site moved on', no FAILED; run again, it passes."""
    pinned, real_check = read_manifest(night.folder), files.check_files

    def on():
        night()
        assert retention.prune_objects(night.eid, retain=0.0) > 0
    _meanwhile(monkeypatch, on)
    code, out = _verify(capsys, night.folder)
    gone = _superseded(night, pinned["files"])
    assert gone
    assert code == 2, out
    assert "NOT FINISHED: the site moved on while I read it; retry" in out
    assert f"named by manifest {pinned['sequence']}, which this run began with" in out
    assert "FAILED" not in out
    monkeypatch.setattr(files, "check_files", real_check)
    code, out = _verify(capsys, night.folder)
    assert code == 0 and "OK:" in out, out


def test_a_forgery_is_named_though_the_site_moved_on(night, monkeypatch, capsys):
    """An operator who moves the site on to hide a forgery does not: a file read and wrong
    fails, and so does one deleted while the current manifest still names it."""
    pinned = read_manifest(night.folder)
    forged, deleted = {}, {}

    def on():
        if forged:
            return  # (once: the second run below reads the same folder)
        night()
        retention.prune_objects(night.eid, retain=0.0)
        still = read_manifest(night.folder)["files"]
        kept = sorted(n for n, e in pinned["files"].items()
                      if still.get(n, {}).get("sha256") == e["sha256"]
                      and n.startswith("stations/"))
        other = next(n for n in kept
                     if pinned["files"][n]["sha256"] != pinned["files"][kept[0]]["sha256"])
        forged["name"], deleted["name"] = kept[0], other
        for name, store in ((kept[0], forged), (other, deleted)):
            entry = pinned["files"][name]
            store["path"] = night.folder / "objects" / f"{entry['sha256']}.json"
        forged["path"].write_bytes(b'{"id": "forged"}')
        deleted["path"].unlink()
    _meanwhile(monkeypatch, on)
    code, out = _verify(capsys, night.folder, "--json")
    report = json.loads(out)
    failed = {(f["subject"], f["message"].split(" ")[0]) for f in report["failures"]}
    assert code == 1 and not report["ok"]
    assert (forged["name"], "SHA-256") in failed
    missing = [f for f in report["failures"] if f["subject"] == deleted["name"]]
    assert missing and "the current manifest" in missing[0]["message"], report["failures"]
    assert report["unfinished"]  # the files that did move on are said, not failed
    assert not {f["subject"] for f in report["unfinished"]} & {forged["name"], deleted["name"]}
    code, text = _verify(capsys, night.folder)
    assert code == 1 and text.count("FAILED") == 1


def test_a_shard_deleted_before_any_check_begins_again_with_the_current_manifest(
        night, monkeypatch, capsys):
    """The list of files is read first: a shard of it pruned meanwhile sends the run to the
    manifest the site shows now, which it finishes."""
    real, calls = snapshot.read_tree, []

    def slow(files_, manifest):
        if not calls:
            night()
            time.sleep(0.01)
            assert retention.prune_objects(night.eid, retain=0.0) > 0
        calls.append(manifest["sequence"])
        return real(files_, manifest)
    monkeypatch.setattr(snapshot, "read_tree", slow)
    code, out = _verify(capsys, night.folder)
    assert code == 0, out
    assert len(calls) == 2 and calls[1] > calls[0]


def test_the_first_run_with_state_says_what_it_wrote(night, tmp_path, capsys):
    state = tmp_path / "reader"
    code, out = _verify(capsys, night.folder, "--state", state)
    assert code == 0, out
    assert "--state to pin it" not in out
    assert f"first run with --state {state}, which pins it if the run holds" in out
    size = json.loads((state / "state.json").read_text())["size"]
    assert f"state: {state / 'state.json'}: written: it pins the log key" in out
    assert f"the checkpoint of size {size};" in out


def test_over_http_a_slow_reader_is_told_to_retry_never_failed(night, monkeypatch, live_server,
                                                              capsys):
    """The same night served by the site: each object fetch is delayed, and the night goes on
    with a short retention window while the run reads; a 404 of a superseded file is 'moved
    on' (exit 2), and the next run, the night quiet, passes."""
    from sailau.verify import logsource

    url = f"{live_server.url}/snapshots/{night.eid}/"
    real_read, armed, fired = logsource.Files.read, [], []

    def slow_read(self, relative):
        if self.remote and relative.startswith("objects/") and armed and not fired:
            fired.append(relative)
            night()
            retention.prune_objects(night.eid, retain=0.0)
            mirror.prune(night.eid, retain=0.0)  # the bucket the site serves, in the S3 pass
        time.sleep(0.001)
        return real_read(self, relative)

    real_check = files.check_files
    monkeypatch.setattr(files, "check_files",  # the night goes on once the files are read
                        lambda snap, report: (armed.append(1), real_check(snap, report))[1])
    monkeypatch.setattr(logsource.Files, "read", slow_read)
    code, out = _verify(capsys, url)
    assert fired, "the night did not go on during the run"
    assert code == 2 and "NOT FINISHED: the site moved on while I read it; retry" in out, out
    assert "FAILED" not in out and "HTTP 404" in out
    monkeypatch.setattr(logsource.Files, "read", real_read)
    code, out = _verify(capsys, url)
    assert code == 0, out

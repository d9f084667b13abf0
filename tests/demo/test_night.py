"""`sailau demo` as an election night: nothing reported, part reported, and a short live night
through the HTTP API while the publisher keeps the snapshot files up to date; at the end every
total equals the sum of the definitive protocols and the downloads page lists a hash for every
file."""

import datetime as dt
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from sailau.cli.demo import build
from sailau.demo import extras, night_plan
from sailau.elections.models import Commission, CommissionKey, Station
from sailau.protocols.models import Protocol, Tally
from sailau.publish.pipeline import snapshots
from tests.snapshotfiles import opened, read_manifest

ROOT = Path(__file__).resolve().parents[2]
STATIONS = 120


@pytest.fixture(autouse=True)
def _small(monkeypatch, tmp_path):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(extras, "SCAN_SAMPLE", 4)  # scan images cost ~50 ms each
    monkeypatch.setattr(extras, "VOTERS", 200)


def _quiet(*a, **k):
    pass


def _reported(election) -> int:
    cec = Commission.objects.get(election=election, level=Commission.CEC)
    t = Tally.objects.get(commission=cec, contest__election=election,
                          contest__kind="party_list")
    return t.stations_reported


def _totals_match_protocols(election) -> list:
    from sailau.protocols import tally_check

    return list(tally_check.check(election.id).mismatches)


def _hashes_on_downloads_page(client, election) -> tuple[int, int]:
    html = client.get(f"/en/e/{election.id}/download/").content.decode()
    cells = re.findall(r'<code class="hash">([^<]*)</code>', html)
    return sum(1 for c in cells if re.fullmatch(r"[0-9a-f]{64}", c)), len(cells)


@pytest.mark.django_db
def test_nothing_reported_yet(client):
    election = build(2023, STATIONS, 0, say=_quiet)
    assert not Protocol.objects.filter(station__election=election).exists()
    assert _reported(election) == 0
    doc = json.loads(night_plan.plan_path().read_text())
    # Every station is either in the night's plan or left for visitors, a few per territory.
    reserved = set(doc["reserved"])
    assert len(doc["stations"]) + len(reserved) == STATIONS
    territories = set(Station.objects.filter(election=election, number__in=reserved)
                      .values_list("territory_id", flat=True))
    assert len(territories) == Commission.objects.filter(
        election=election, level=Commission.TERRITORIAL).count()
    # Published at build time: the downloads page has a hash for every file.
    ok, cells = _hashes_on_downloads_page(client, election)
    assert cells and ok == cells


@pytest.mark.django_db
def test_part_reported(client, monkeypatch):
    monkeypatch.setattr(extras, "populate", lambda *a, **k: None)
    election = build(2023, STATIONS, 50, say=_quiet)
    assert _reported(election) == STATIONS // 2
    assert _totals_match_protocols(election) == []
    ok, cells = _hashes_on_downloads_page(client, election)
    assert cells and ok == cells
    m = snapshots.latest_manifest(election.id)
    assert not any(e.get("stale") for e in m["files"].values())
    # Every commission (but the one whose key a visitor makes) made its own key before the
    # polls closed, and signed what the build routed with it; the server holds none.
    plan = json.loads(night_plan.plan_path().read_text())
    tonight = set(Station.objects.filter(pk__in=[s["station"] for s in plan["stations"]])
                  .values_list("commission_id", flat=True))
    own = set(CommissionKey.objects.filter(
        commission__election=election, held_by_server=False, confirmed_at__isnull=False,
        late=False).values_list("commission_id", flat=True))
    assert tonight and tonight <= own
    assert not CommissionKey.objects.filter(commission__election=election,
                                            held_by_server=True).exists()
    assert not Protocol.objects.filter(station__election=election, signed_message="")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _national(data_dir: Path, eid: str) -> tuple[int, int]:
    """(manifest sequence, stations reported in the national file of that manifest)."""
    d = data_dir / "snapshots" / eid
    m = read_manifest(d)
    for name, entry in m["files"].items():
        if name.startswith("commissions/") and name.endswith(".cec.json"):
            doc = json.loads(opened(d / "objects" / f"{entry['sha256']}.json"))
            return m["sequence"], max(c["stations_reported"] for c in doc["contests"])
    raise AssertionError("no national file in the manifest")


def _sailau(env, *args):
    return subprocess.run([sys.executable, "-m", "sailau", *args], check=False, cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_a_short_live_night(tmp_path):
    """`sailau demo` as a visitor starts it: the server, the publisher and the night's
    operators in their own processes, on a night of a few seconds; then Ctrl-C."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "SAILAU_DATABASE_URL"}
    env["SAILAU_DATA_DIR"] = str(tmp_path)
    eid = "kz.mazhilis.2023-03-19"
    log = tmp_path / "demo.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sailau", "demo", "--stations", str(STATIONS), "--reported",
             "40", "--night-minutes", "0.3", "--port", str(port)], cwd=ROOT, env=env,
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        seen, deadline = [], time.time() + 420
        pool = ThreadPoolExecutor(2)
        while "night over" not in log.read_text(errors="replace"):
            assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.time() < deadline, log.read_text(errors="replace")[-3000:]
            if (tmp_path / "snapshots" / eid / "manifest.json").exists():
                seen.append(_national(tmp_path, eid))
            time.sleep(0.5)
        # Both verifiers while the demo still runs (its publisher catching up with the night's
        # last protocols, scans, photos and the crowd still writing, the witnesses cosigning),
        # beside the loop below: an honest live demo passes them. The newest figures may rest
        # on leaves the witnesses have not cosigned yet (they do within a second): a reader who
        # wants them now says so (--allow-unwitnessed); the run after the night needs nothing.
        during = [pool.submit(_sailau, env, "audit", "verify"),
                  pool.submit(_sailau, env, "verify", str(tmp_path / "snapshots" / eid),
                              "--allow-unwitnessed")]
        # The publisher's last batches: the national tables come from the national lane (a
        # process of its own), a few cycles behind the last protocol on a loaded machine.
        plan = json.loads((tmp_path / "demo" / "night.json").read_text())
        expected = round(STATIONS * 0.4) + len(plan["stations"])
        # A protocol the night's operators gave up on (409s past their tries, on a loaded
        # machine) is left for a visitor: its station may not count.
        night = log.read_text(errors="replace")
        left = int((re.search(r"(\d+) protocols left for visitors",
                              night[night.index("night over"):]) or [0, 0])[1])
        until = time.time() + 120
        seen.append(_national(tmp_path, eid))
        while seen[-1][1] < expected - left and time.time() < until:
            time.sleep(1)
            seen.append(_national(tmp_path, eid))
        for run in (future.result() for future in during):
            assert run.returncode == 0, run.args[3:] + [run.stdout[-3000:], run.stderr[-2000:]]
        # The published national total moved in steps while the night went on: at least one
        # between the built state and the last (a loaded machine publishes fewer and larger
        # batches).
        reported = [r for _, r in seen]
        assert reported == sorted(reported) and len(set(reported)) >= 3, seen
        html = urllib.request.urlopen(f"http://127.0.0.1:{port}/en/e/{eid}/download/",
                                      timeout=30).read().decode()
        cells = re.findall(r'<code class="hash">([^<]*)</code>', html)
        assert cells and all(re.fullmatch(r"[0-9a-f]{64}", c) for c in cells)
    finally:
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: server, publisher and night stop
        proc.wait(90)
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text[text.find("Traceback") - 500:][:3000]  # Ctrl-C is quiet
    stats = text[text.index("night over"):].splitlines()[0]
    assert "failed" not in stats and "HTTP 500" not in stats, stats
    assert "slips caught by the checks" in stats and "entries typed" in stats
    progress = [ln for ln in text.splitlines() if ln.startswith(("night", "scans:"))]
    assert not [ln for ln in progress if "{" in ln or "': " in ln]  # never a Python dict
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), 1).close()
    check = _sailau(env, "tally", "check", eid)
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]
    # The project's own verifiers pass on the honest night once it ended: the audit of the
    # database against its log and files, and the published record read with no database.
    audit = _sailau(env, "audit", "verify")
    assert audit.returncode == 0, audit.stdout[-3000:] + audit.stderr[-2000:]
    verify = _sailau(env, "verify", str(tmp_path / "snapshots" / eid))
    assert verify.returncode == 0, verify.stdout[-3000:] + verify.stderr[-2000:]
    assert expected - left <= seen[-1][1] <= expected, (left, seen[-5:])
    # The demo's clock is on the election's night, for a command run by hand on its data too:
    # its recordings are within their retention.
    set_to = json.loads((tmp_path / "demo" / "clock.json").read_text())["set_to"]
    assert dt.datetime.fromisoformat(set_to) == dt.datetime(2023, 3, 19, 22, tzinfo=dt.UTC)
    expire = _sailau(env, "video", "expire", "--dry-run")
    assert expire.returncode == 0 and "0 recording(s) would remove" in expire.stdout, expire.stdout

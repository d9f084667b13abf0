"""Faults: a bulk submission killed midway leaves every protocol wholly in or not at all and
the audit chain intact; a hand-edited audit row is named by `sailau audit verify`; concurrent
entries for one station: one wins, the other gets a clear error."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("fault_worker.py")


def run(env, *args, **kw):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False, **kw)


@pytest.mark.slow
def test_killed_bulk_submission_leaves_whole_protocols(tmp_path):
    if os.environ.get("SAILAU_DATABASE_URL"):
        pytest.skip("uses the SQLite file of a fresh data directory")
    env = {**os.environ, "SAILAU_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    assert run(env, str(WORKER), "load").returncode == 0
    proc = subprocess.Popen([sys.executable, str(WORKER), "route"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, text=True)
    # Kill it once a few transactions are committed, in the middle of the next ones.
    for line in proc.stdout:
        if int(line) >= 40:
            break
    time.sleep(0.15)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    out = run(env, str(WORKER), "check")
    assert out.returncode == 0, out.stderr
    state = json.loads(out.stdout.strip().splitlines()[-1])
    assert 0 < state["protocols"] < 600  # stopped midway
    assert state == {**state, "same_keys": True, "tallies_match": True,
                     "published_once": True, "audit_ok": True}
    verify = run(env, "-m", "sailau", "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr

    # Now edit one audit row by hand, as someone with access to the database could.
    db = sqlite3.connect(tmp_path / "sailau.sqlite3")
    # (a first entry's record: setting its entry to 2 changes it)
    [seq] = db.execute("SELECT min(seq) FROM audit_record WHERE action = 'entry.finalised' "
                       "AND json_extract(payload, '$.entry') = 1").fetchone()
    db.execute("UPDATE audit_record SET payload = json_set(payload, '$.entry', 2) WHERE seq = ?",
               (seq,))
    db.commit()
    db.close()
    verify = run(env, "-m", "sailau", "audit", "verify")
    assert verify.returncode == 1
    assert f"record {seq}" in verify.stdout


@pytest.mark.slow
def test_concurrent_entries_for_one_station(tmp_path):
    """Two processes finalise the first entry of one station at the same moment."""
    if os.environ.get("SAILAU_DATABASE_URL"):
        pytest.skip("uses the SQLite file of a fresh data directory")
    env = {**os.environ, "SAILAU_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    assert run(env, str(WORKER), "load", "60").returncode == 0
    racers = [subprocess.Popen([sys.executable, str(WORKER), "race", "60", str(i)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, text=True) for i in (1, 2)]
    for r in racers:
        assert r.stdout.readline().strip() == "ready"
    (tmp_path / "go").touch()
    outcomes = sorted(r.communicate(timeout=60)[0].strip() for r in racers)
    assert outcomes[1] == "ok", outcomes
    assert outcomes[0].startswith(("entry_taken", "entry_already_finalised",
                                   "concurrent_change")), outcomes
    state = json.loads(run(env, str(WORKER), "check", "60").stdout.strip().splitlines()[-1])
    assert state["audit_ok"]

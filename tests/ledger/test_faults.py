"""The integrator under faults: killed with SIGKILL in the middle of its work it loses nothing
and forks nothing (every checkpoint it published is a prefix of the final tree); two
integrators at once, while facts arrive, sequence each leaf exactly once."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("integrate_worker.py")

# Transactional: on PostgreSQL the subprocesses write into the test database and must see
# what the others committed; it is emptied after each test.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def run(env, *args):
    out = subprocess.run([sys.executable, str(WORKER), *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300, check=False)
    assert out.returncode == 0, out.stderr
    return out.stdout


def checkpoints(lines):
    return [json.loads(line) for line in lines if line.strip()]


def assert_whole(state, n, seen):
    assert state == {**state, "leaves": n, "indexes_ok": True, "size": n,
                     "checkpoint_size": n, "root_ok": True, "bundles_ok": True,
                     "seqs_unique": True}, {k: v for k, v in state.items() if k != "roots"}
    # no fork: every checkpoint published on the way has the final tree's root at its size
    for cp in seen:
        if cp["size"]:
            assert state["roots"][str(cp["size"])] == cp["root"], cp


def test_killed_integrator_loses_nothing_and_forks_nothing(env):
    n = 2000
    run(env, "load", str(n))
    seen = []
    for _ in range(3):  # killed three times at different points, then finished by `check`
        proc = subprocess.Popen([sys.executable, str(WORKER), "integrate"], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, text=True)
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if len(lines) >= 15 + 10 * len(seen) % 7:
                break
        time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        seen += checkpoints(lines)
    assert 0 < max(cp["size"] for cp in seen) < n  # killed midway
    state = json.loads(run(env, "check"))
    assert_whole(state, n, seen)


def test_two_integrators_at_once_while_facts_arrive(env):
    run(env, "load", "300")
    procs = [subprocess.Popen([sys.executable, str(WORKER), "integrate", "--forever"], cwd=ROOT,
                              env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    run(env, "append", "600", "300")
    time.sleep(1.5)
    outs = []
    for p in procs:
        p.send_signal(signal.SIGTERM)
        outs.append(p.communicate(timeout=30)[0])
    seen = [cp for out in outs for cp in checkpoints(out.splitlines())]
    assert all(len(out.splitlines()) > 2 for out in outs)  # both were at work
    state = json.loads(run(env, "check"))
    assert_whole(state, 900, seen)

"""The scans' backfill stopped as the demo stops it: a signal to its whole process group, which
reaches the processes drawing its pages too. It ends quietly with a line of how far it got."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sailau.demo.synthetic import ELECTION_ID

ROOT = Path(__file__).resolve().parents[2]
# 60 stations (the fewest it builds), two protocols each, through the chain: batches large enough
# to be drawn in worker processes (scans.demo.draw_all).
LOAD = ("from sailau.cli.django_setup import setup; setup()\n"
        "from sailau.demo.load import load; from sailau.demo.synthetic import build\n"
        "load(build(seed=5, stations=60))\n")


def _drawing_workers(pid: int) -> int:
    """How many of `pid`'s children are multiprocessing's spawned workers."""
    n = 0
    for proc in Path("/proc").iterdir():
        try:
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == pid and b"spawn_main" in (proc / "cmdline").read_bytes():
                n += 1
        except (OSError, ValueError, IndexError):
            continue  # not a process, or gone meanwhile
    return n


def _loaded(tmp_path) -> dict:
    """The environment of a fresh data directory with the 60-station election loaded."""
    if os.environ.get("SAILAU_DATABASE_URL"):
        pytest.skip("uses the SQLite file of a fresh data directory")
    env = {**os.environ, "SAILAU_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    loaded = subprocess.run([sys.executable, "-c", LOAD], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300, check=False)
    assert loaded.returncode == 0, loaded.stderr
    return env


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_to_the_group_ends_the_backfill_quietly(tmp_path, sig):
    env = _loaded(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "sailau.scans.backfill", ELECTION_ID,
                             "--workers", "2"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while _drawing_workers(proc.pid) < 2:  # both drawing: the signal reaches them too
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the backfill never started its workers"
            time.sleep(0.05)
        os.killpg(proc.pid, sig)  # as the demo stopping does, or Ctrl-C in its terminal
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, err
    assert "Traceback" not in err, err
    assert re.fullmatch(r"scans: [\d,]+ uploaded in \d+ s( \(.*\))?; stopped", out.strip()
                        .splitlines()[-1]), out


@pytest.mark.slow
def test_ctrl_c_ends_the_volunteers_crowd_quietly(tmp_path):
    # Ctrl-C on `make demo` reached the crowd in its pause between chunks: it printed a
    # KeyboardInterrupt traceback (it handled SIGTERM only).
    env = _loaded(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "sailau.evidence.night", ELECTION_ID,
                             "--minutes", "0", "--poll", "0.2", "--pause", "0.2"], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        time.sleep(8)  # set up, recruited, typing or waiting
        assert proc.poll() is None, proc.communicate()
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, err
    assert "Traceback" not in err, err
    assert re.fullmatch(r"volunteers' crowd: [\d,]+ readings in \d+ s; stopped",
                        out.strip().splitlines()[-1]), out

"""`sailau demo --no-serve` builds on both cores: the Senate election in a process of its own
beside the Mazhilis's, and half of the Mazhilis's first publication in another
(`sailau.demo.beside`, `snapshots.publish(beside=True)`). What it builds verifies as before, and
a build killed with `kill -9` leaves no process writing: the next start builds it again."""

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
MAZHILIS, SENATE = "kz.mazhilis.2023-03-19", "kz.senate.2023-01-14"
ARGS = ["demo", "--no-serve", "--stations", "60", "--reported", "60"]


def _env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SAILAU_DATABASE_URL"}
    env["SAILAU_DATA_DIR"] = str(tmp_path / "var")
    return env


def _sailau(env, *args, timeout=600):
    return subprocess.run([sys.executable, "-m", "sailau", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                         text=True, check=False).stdout
    return [int(p) for p in out.split()]


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:  # ended meanwhile
        return ""


def _of_this_build(data: Path) -> list[int]:
    """The processes whose environment names this build's data directory (its helpers too)."""
    wanted = f"SAILAU_DATA_DIR={data}".encode()
    out = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and int(proc.name) != os.getpid() and wanted in (
                    proc / "environ").read_bytes().split(b"\0") and _alive(int(proc.name)):
                out.append(int(proc.name))
        except OSError:  # ended meanwhile, or not ours to read
            continue
    return out


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


@pytest.mark.slow
def test_killed_mid_build_then_built_again_and_verified(tmp_path):
    env = _env(tmp_path)
    log = tmp_path / "first.log"
    with open(log, "w") as out:
        first = subprocess.Popen([sys.executable, "-m", "sailau", *ARGS], cwd=ROOT, env=env,
                                 stdout=out, stderr=subprocess.STDOUT)
    # Killed once the Mazhilis's structure is written, the Senate's process at work beside.
    deadline, beside = time.time() + 300, []
    while not (beside and "written in" in log.read_text()):
        assert first.poll() is None, log.read_text()[-3000:]
        assert time.time() < deadline, log.read_text()[-3000:]
        beside = beside or [p for p in _children(first.pid)
                            if "sailau.demo.senate" in _command(p)]
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    deadline = time.time() + 10
    while _alive(beside[0]):  # the kernel kills it with its parent
        assert time.time() < deadline, "the Senate's process outlived the build"
        time.sleep(0.05)
    # and every other helper: the commissions' signing process is being started just then
    while left := _of_this_build(tmp_path / "var"):
        assert time.time() < deadline, [_command(p) for p in left]
        time.sleep(0.05)

    again = _sailau(env, *ARGS)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    out = again.stdout
    # the Senate's lines said once, where a build in one process says them: after the
    # Mazhilis's first publication, before its summary
    assert out.count(f"{SENATE}: 3 seats") == 1
    assert out.index("scans:") < out.index(f"{SENATE}: 3 seats") \
        < out.index(f"{MAZHILIS}: 60 stations")
    for eid in (MAZHILIS, SENATE):
        verify = _sailau(env, "verify", str(tmp_path / "var" / "snapshots" / eid))
        assert verify.returncode == 0, verify.stdout[-3000:] + verify.stderr[-2000:]
    audit = _sailau(env, "audit", "verify")
    assert audit.returncode == 0, audit.stdout[-3000:] + audit.stderr[-2000:]
    # The commissions' key files, written beside the build (`commission_keys.make_beside`):
    # none left of the killed build, each of them the key its commission registered.
    folder = tmp_path / "var-commission-keys" / MAZHILIS
    files = {json.loads(f.read_text())["public_key"] for f in folder.glob("*.key")}
    with sqlite3.connect(tmp_path / "var" / "sailau.sqlite3") as db:
        registered = {k for (k,) in db.execute(
            "SELECT k.public_key FROM elections_commissionkey k JOIN elections_commission c "
            "ON c.id = k.commission_id WHERE c.election_id = ? AND NOT k.held_by_server",
            [MAZHILIS])}
    assert len(files) == 59 and files == registered  # all but the visitors' station's

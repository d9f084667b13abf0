"""`bench_night.py --kill-writer-at SECONDS`: the log's writer (`sailau publish --log-lane`, the
publisher's child) killed with SIGKILL that far into the night, and what follows timed from the
published log as a reader sees it: the next checkpoint signed (by whichever process took the
writer's lock), the next one both witnesses cosigned, and the lane started again; at the end,
`sailau verify` of the folder (the log one history, every protocol in it, every figure held to
it)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import harness

LANE = b"--log-lane"


def lanes(data_dir: Path) -> set[int]:
    """The pids of the log lanes serving `data_dir` (another night or demo on the machine has
    its own data directory)."""
    out = set()
    want = f"SAILAU_DATA_DIR={data_dir}".encode()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            if LANE in cmd and b"publish" in cmd and want in Path(
                    f"/proc/{pid}/environ").read_bytes().split(b"\0"):
                out.add(int(pid))
        except OSError:
            continue
    return out


def writer(pids: set[int], database_url: str | None = None) -> set[int]:
    """Of the log lanes `pids`, the one writing the log (`sailau.ledger.writer`); every lane when
    none is found.

    - SQLite: the one with its writer lock's file open (a flock on
      `<database>.log-writers/<election>.lock`; a standby opens it only to try the lock and
      closes it at once).
    - PostgreSQL: the advisory lock lives on a session, so the server is asked which backend
      holds it (`pg_locks`) and from which client port (`pg_stat_activity`); the lane is the
      process with that TCP socket open (`/proc/net/tcp`, then its descriptors)."""
    found = _pg_writer(pids, database_url) if database_url else _flock_writer(pids)
    return found or set(pids)


def _flock_writer(pids: set[int]) -> set[int]:
    found = set()
    for pid in pids:
        for target in _descriptors(pid):
            if ".log-writers/" in target and target.endswith(".lock"):
                found.add(pid)
    return found


def _descriptors(pid: int) -> list[str]:
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return []
    out = []
    for fd in fds:
        try:
            out.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:
            continue
    return out


def _pg_writer(pids: set[int], database_url: str) -> set[int]:
    import psycopg

    from sailau.ledger.writer import PG_CLASS

    with psycopg.connect(database_url, autocommit=True) as conn:
        ports = {row[0] for row in conn.execute(
            "SELECT a.client_port FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s",
            [PG_CLASS]) if row[0] is not None}
    sockets = set()  # the inodes of the local TCP sockets on those ports
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            if int(cols[1].rsplit(":", 1)[1], 16) in ports:
                sockets.add(f"socket:[{cols[9]}]")
    return {pid for pid in pids if sockets & set(_descriptors(pid))}


def _wait_dead(pids: set[int], limit: float = 1.0) -> None:
    """Until each of `pids` is gone or a zombie (its parent, the publisher, reaps it): SIGKILL is
    delivered, not done, when `kill` returns."""
    deadline = time.monotonic() + limit
    for pid in pids:
        while time.monotonic() < deadline:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                break
            if state in ("Z", "X"):
                break
            time.sleep(0.001)


def _checkpoint(log: Path, name: str = "checkpoint") -> tuple[int, int]:
    """The size of a checkpoint file of the log, and how many signature lines it carries."""
    body, _, sigs = (log / name).read_text().partition("\n\n")
    return int(body.split("\n")[1]), sum(1 for line in sigs.splitlines()
                                         if line.startswith("— "))


class WriterKill:
    def __init__(self, data_dir: Path, snapdir: Path, at: float,
                 database_url: str | None = None):
        self.data_dir, self.log, self.at = data_dir, snapdir / "log", at
        self.database_url = database_url
        self.killed = self.size = None
        self.standby = 0
        self.times: dict[str, float] = {}  # what followed -> seconds after the kill
        self.verify: tuple[int, float, str] | None = None

    def start(self, t0: float) -> threading.Thread:
        th = threading.Thread(target=self._run, args=(t0,), daemon=True)
        th.start()
        return th

    def _run(self, t0: float) -> None:
        time.sleep(max(0.0, t0 + self.at - time.time()))
        before = lanes(self.data_dir)
        if not before:
            return
        doomed = writer(before, self.database_url)
        self.standby = len(before - doomed)  # lanes left alive to take over
        for pid in doomed:
            os.kill(pid, signal.SIGKILL)
        self.killed = time.time()
        _wait_dead(doomed)
        # The size the writer left, read once it is dead: read before, a checkpoint it signed
        # between the reading and the kill was taken for its successor's (0.00 s).
        self.size = _checkpoint(self.log)[0]
        while len(self.times) < 3 and time.time() - self.killed < 120:
            try:
                size, sigs = _checkpoint(self.log)
                witnessed = _checkpoint(self.log, "checkpoint.witnessed")[0]
            except (OSError, ValueError, IndexError):
                size, sigs, witnessed = 0, 0, 0
            now = time.time() - self.killed
            if size > self.size:
                self.times.setdefault("next checkpoint signed", now)
            if (size > self.size and sigs >= 3) or witnessed > self.size:
                self.times.setdefault("next checkpoint cosigned by both witnesses", now)
            if lanes(self.data_dir) - before:
                self.times.setdefault("the log's lane started again", now)
            time.sleep(0.02)

    def check(self, snapdir: Path, database_url: str | None) -> None:
        """`sailau verify` of the folder at the end of the night."""
        t = time.time()
        run = subprocess.run([sys.executable, "-m", "sailau", "verify", str(snapdir), "--json"],
                             env=harness.environment(self.data_dir, database_url),
                             cwd=harness.ROOT, capture_output=True, text=True, check=False)
        try:
            failures = json.loads(run.stdout).get("failures") or []
        except ValueError:
            failures = [run.stderr[-300:]]
        self.verify = (run.returncode, time.time() - t, "; ".join(map(str, failures[:3])))

    def lines(self) -> list[str]:
        if self.killed is None:
            return [f"| the log's writer killed | not found at {self.at:g} s |"]
        out = [f"| the log's writer killed (SIGKILL) | at {self.at:g} s, checkpoint size "
               + f"{self.size:,}, {self.standby} standby lane(s) left running |"]
        for what in ("next checkpoint signed", "next checkpoint cosigned by both witnesses",
                     "the log's lane started again"):
            took = self.times.get(what)
            out.append(f"| … {what} | "
                       + (f"{took:.2f} s after |" if took is not None else "not within 120 s |"))
        if self.verify is not None:
            code, took, failures = self.verify
            out.append("| `sailau verify` at the end | "
                       + ("passed" if code == 0 else f"FAILED ({failures})")
                       + f" in {took:.0f} s |")
        return out

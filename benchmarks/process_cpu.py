"""The CPU the night's server processes spend, read from /proc while the night runs: the
publication's (`sailau publish --follow` and the lanes it starts: `--national-lane`,
`--log-lane`) apart from the web workers' (`sailau serve` and granian's), so that a change to the
publication is read as CPU per protocol beside the build before, not only as freshness.

Each process of the night's data directory is sampled every `EVERY` seconds; its CPU is its last
sample less its first (a process started during the night, a lane started again, counts from 0).
A process that ends loses at most its last interval."""

from __future__ import annotations

import os
import threading
from pathlib import Path

EVERY = 0.5
TICK = os.sysconf("SC_CLK_TCK")


def _role(cmd: list[bytes]) -> str | None:
    if b"publish" in cmd:
        for flag, name in ((b"--national-lane", "national lane"), (b"--log-lane", "log lanes"),
                           (b"--follow", "batches")):
            if flag in cmd:
                return name
        return None
    if b"serve" in cmd and b"witness" not in cmd:
        return "web"
    return None


def _cpu(pid: str) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


class ProcessCpu:
    def __init__(self, data_dir: Path):
        self.want = f"SAILAU_DATA_DIR={data_dir}".encode()
        self.first: dict[str, float] = {}
        self.last: dict[str, float] = {}
        self.roles: dict[str, str] = {}
        self.stop = threading.Event()

    def _ours(self) -> dict[str, str]:
        out = {}
        for pid in filter(str.isdigit, os.listdir("/proc")):
            if pid in self.roles:
                out[pid] = self.roles[pid]
                continue
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                role = _role(cmd) if any(b"sailau" in c for c in cmd) else None
                if role and self.want in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
                    out[pid] = role
            except OSError:
                continue
        return out

    def sample(self, start: bool = False) -> None:
        for pid, role in self._ours().items():
            cpu = _cpu(pid)
            if cpu is None:
                continue
            self.roles[pid] = role
            self.first.setdefault(pid, cpu if start else 0.0)
            self.last[pid] = cpu

    def run(self) -> None:
        self.sample(start=True)
        while not self.stop.wait(EVERY):
            self.sample()
        self.sample()

    def start(self) -> threading.Thread:
        th = threading.Thread(target=self.run, daemon=True)
        th.start()
        return th

    def by_role(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for pid, cpu in self.last.items():
            role = self.roles[pid]
            out[role] = out.get(role, 0.0) + cpu - self.first[pid]
        return out

    def line(self, protocols: int) -> str:
        roles = self.by_role()
        publication = sum(v for k, v in roles.items() if k != "web")
        parts = ", ".join(f"{k} {roles[k]:.0f}" for k in ("batches", "national lane", "log lanes")
                          if k in roles)
        return (f"| CPU of the publication's processes in the night s ({parts}) / per protocol"
                f" ms / web workers s | {publication:.0f} / "
                f"{1000 * publication / max(1, protocols):.0f} / {roles.get('web', 0.0):.0f} |")

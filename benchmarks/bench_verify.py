"""`sailau verify` on a published national snapshot, without and with scans.

Given a data directory with a published election (`SAILAU_DATA_DIR=DIR sailau demo
--no-serve` then `sailau publish`), runs `sailau verify FOLDER` as a reader would (a new
process, no Django) --runs times and prints the median, beside a baseline measured in the same
run: reading and hashing every file of the manifest and nothing else (the least any verifier
must do). Then makes --scans PNG scans of the current protocols (each QR code as printed, drawn
by `sailau.verify.qr`) and times `sailau verify FOLDER --scans DIR`.

    .venv/bin/python benchmarks/bench_verify.py --snapshot DIR/snapshots/ELECTION [--runs 3]
        [--scans 1000]
"""

import argparse
import hashlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAILAU = [sys.executable, "-m", "sailau"]


CPU = []  # CPU seconds (user + system) of each timed run: on a shared, loaded machine the
# wall clock mostly measures the other processes


def timed(cmd) -> tuple[float, subprocess.CompletedProcess]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, r


def _object(path: Path) -> bytes:
    """A stored object's published bytes (text is stored gzip'd: docs/snapshot-format.md)."""
    from sailau.tlog import gzipped

    return gzipped.open_object(path.read_bytes())


def read_manifest(folder: Path) -> dict:
    """manifest.json with its `files` read from its shards (docs/snapshot-format.md)."""
    sys.path.insert(0, str(ROOT))
    from sailau.tlog import filetree

    m = json.loads((folder / "manifest.json").read_bytes())
    if "shards" in m:
        m["files"] = filetree.expand(
            m["shards"], lambda sha: _object(folder / "objects" / f"{sha}.json"))[0]
    return m


def hash_only(folder: Path) -> float:
    """Wall seconds; its CPU seconds are appended to CPU."""
    t, c = time.perf_counter(), time.process_time()
    m = read_manifest(folder)
    for name, e in m["files"].items():
        body = _object(folder / "objects" / f"{e['sha256']}{Path(name).suffix}")
        assert hashlib.sha256(body).hexdigest() == e["sha256"]
    CPU.append(time.process_time() - c)
    return time.perf_counter() - t


def make_scans(folder: Path, out: Path, n: int, seed: int = 1) -> int:
    sys.path.insert(0, str(ROOT))
    from sailau.law import get_ruleset
    from sailau.verify import qr

    m = read_manifest(folder)

    def doc(name):
        e = m["files"][name]
        return json.loads(_object(folder / "objects" / f"{e['sha256']}.json"))

    election = doc("election.json")
    contests = {c["id"]: c for c in election["contests"]}
    names = sorted(k for k in m["files"] if k.startswith("stations/"))
    random.Random(seed).shuffle(names)
    made = 0
    for name in names:
        d = doc(name)
        for part in d["contests"]:
            p = part["protocol"]
            if not p or made >= n:
                continue
            c = contests[part["contest"]]
            form = get_ruleset(c["ruleset"]).form(c["kind"])
            lines, votes = qr.ordered(p["figures"], p["choices"], form.keys,
                                      [ch["key"] for ch in c["choices"]])
            img = qr.to_image(qr.build(d["id"], c["id"], p["version"], lines, votes))
            img.save(out / f"{d['number']}-{c['id']}.png")
            made += 1
        if made >= n:
            break
    return made


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--snapshot", required=True, help="a published election's snapshot folder")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--scans", type=int, default=1000)
    args = ap.parse_args()
    folder = Path(args.snapshot)
    m = read_manifest(folder)
    stations = sum(1 for k in m["files"] if k.startswith("stations/"))
    print(f"snapshot: {folder}, {len(m['files'])} files, {stations} station files")

    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    base = [hash_only(folder) for _ in range(args.runs)]
    bcpu = statistics.median(CPU)
    CPU.clear()
    runs = []
    for _ in range(args.runs):
        seconds, r = timed([*SAILAU, "verify", str(folder)])
        assert r.returncode == 0, r.stdout + r.stderr
        runs.append(seconds)
    med, bmed = statistics.median(runs), statistics.median(base)
    cpu = statistics.median(CPU)
    CPU.clear()
    print(f"verify, no scans: median wall {med:.1f} s over {args.runs} runs "
          f"({', '.join(f'{x:.1f}' for x in runs)}), CPU {cpu:.1f} s; baseline, hashing every "
          f"file only: wall {bmed:.1f} s, CPU {bcpu:.1f} s; ratio (CPU) {cpu / bcpu:.1f}x")
    print("  last report:", r.stdout.strip().splitlines()[-1])

    with tempfile.TemporaryDirectory(prefix="bench-scans-") as tmp:
        t = time.perf_counter()
        made = make_scans(folder, Path(tmp), args.scans)
        print(f"made {made} scans in {time.perf_counter() - t:.1f} s")
        runs = []
        for _ in range(args.runs):
            seconds, r = timed([*SAILAU, "verify", str(folder), "--scans", tmp])
            assert r.returncode == 0, r.stdout + r.stderr
            runs.append(seconds)
        smed, scpu = statistics.median(runs), statistics.median(CPU)
        print(f"verify with {made} scans: median wall {smed:.1f} s "
              f"({', '.join(f'{x:.1f}' for x in runs)}), CPU {scpu:.1f} s; the scans cost "
              f"{scpu - cpu:.1f} CPU s, {1000 * (scpu - cpu) / max(made, 1):.0f} ms a scan")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

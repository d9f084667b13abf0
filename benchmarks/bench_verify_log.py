"""`sailau verify` against a transparency log at national scale: a synthetic published
election (--stations stations, --contests contests, --versions protocol versions of each, one
commission key each: 10,000 x 3 x 3 gives ~100,000 leaves), written by the tests' fixture
writer, then `sailau verify FOLDER` and `sailau verify FOLDER --station ID` timed as a reader
runs them (a new process, no Django), wall and CPU seconds, median of --runs.

    .venv/bin/python benchmarks/bench_verify_log.py [--stations 10000] [--contests 3]
        [--versions 3] [--runs 3] [--keep DIR]

"again with --state": the log already accepted in a state folder, so only the signatures of
leaves beyond it are checked (none here); every other check runs in full.
"""

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(folder: Path, stations: int, contests: int, versions: int):
    from tests.logfixture import Published, places

    pub = Published(folder, stations=places(stations, 20, 1000), contests=contests)
    for v in range(1, versions + 1):
        for i, sid in enumerate(pub.stations):
            for c in pub.contest_ids:
                pub.protocol(sid, 100 + i % 50 + v, 50 + i % 7, version=v, contest=c)
    pub.publish()
    return pub


def timed(cmd) -> tuple[float, float, subprocess.CompletedProcess]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, r


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=10_000)
    ap.add_argument("--contests", type=int, default=3)
    ap.add_argument("--versions", type=int, default=3)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", metavar="DIR")
    a = ap.parse_args()
    folder = Path(a.keep or tempfile.mkdtemp()) / "pub"
    t = time.perf_counter()
    pub = build(folder, a.stations, a.contests, a.versions)
    print(f"built {pub.tree.size} leaves, {a.stations} stations in {time.perf_counter() - t:.1f} s"
          f" ({folder})")
    state = folder.parent / "reader-state"
    subprocess.run([sys.executable, "-m", "sailau", "verify", str(folder), "--state",
                    str(state)], capture_output=True, check=True, cwd=ROOT,
                   env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    for label, extra in (("full", []), ("full, again with --state", ["--state", str(state)]),
                         ("one station", ["--station", "s1"])):
        walls, cpus = [], []
        for _ in range(a.runs):
            wall, cpu, r = timed([sys.executable, "-m", "sailau", "verify", str(folder), *extra])
            if r.returncode != 0:
                sys.exit(f"verify failed: {r.stdout[-2000:]}{r.stderr[-2000:]}")
            walls.append(wall)
            cpus.append(cpu)
        print(f"sailau verify ({label}): median wall {statistics.median(walls):.2f} s "
              f"({', '.join(f'{w:.2f}' for w in walls)}), CPU {statistics.median(cpus):.2f} s")
    print(r.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()

"""The full national demo from empty to ready: wall time and peak memory of
`sailau demo --no-serve` in a fresh data directory, beside `python -c "import django"` as the
baseline for interpreter start-up, run alternately. Medians over --runs runs (default 3).

    .venv/bin/python benchmarks/bench_demo.py [--runs N] [--stations N]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(cmd: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak RSS in MiB of one child process (wait4 gives its own rusage)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed with status {p.returncode}")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--stations", type=int, default=10_223)
    a = ap.parse_args()
    base, demo, peak = [], [], []
    for _ in range(a.runs):
        with tempfile.TemporaryDirectory() as d:
            env = {**os.environ, "SAILAU_DATA_DIR": d}
            env.pop("SAILAU_DATABASE_URL", None)
            base.append(run([sys.executable, "-c", "import django"], env)[0])
            wall, rss = run([sys.executable, "-m", "sailau", "demo", "--no-serve",
                             "--stations", str(a.stations)], env)
            demo.append(wall)
            peak.append(rss)
    med_b, med_d = statistics.median(base), statistics.median(demo)
    print(f"### National demo from empty to ready ({a.stations} stations, SQLite)\n")
    print("| what | median wall s | peak RSS MiB | runs |")
    print("|---|---|---|---|")
    print(f"| `python -c 'import django'` (baseline) | {med_b:.2f} | | {a.runs} |")
    print(f"| `sailau demo --no-serve` | {med_d:.2f} | {statistics.median(peak):.0f} | {a.runs} |")
    print(f"\nratio demo / baseline: {med_d / med_b:.0f}×. Targets: under 60 s, under 2 GB.")


if __name__ == "__main__":
    main()

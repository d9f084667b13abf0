"""The full national demo from empty to ready: CPU time (user + system, the child's own and
its children's), wall time and peak memory of `sailau demo --no-serve` in a fresh data
directory, beside `python -c "import django"` as the baseline for interpreter start-up, run
alternately. Medians over --runs runs (default 3). On a shared, loaded machine the wall clock
mostly measures the other processes: compare CPU seconds.

    .venv/bin/python benchmarks/bench_demo.py [--runs N] [--stations N]
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(cmd: list[str], env: dict) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS in MiB of one child process. wait4 gives the
    child's own rusage; the CPU of the processes it started and waited for (the scans' pool)
    is the growth of RUSAGE_CHILDREN less the child's own."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed with status {p.returncode}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--stations", type=int, default=10_223)
    a = ap.parse_args()
    base, demo, cpu, peak = [], [], [], []
    for _ in range(a.runs):
        with tempfile.TemporaryDirectory() as d:
            data = Path(d) / "var"  # the demo's key folders go beside it, inside d
            env = {**os.environ, "SAILAU_DATA_DIR": str(data)}
            env.pop("SAILAU_DATABASE_URL", None)
            base.append(run([sys.executable, "-c", "import django"], env)[1])
            wall, seconds, rss = run([sys.executable, "-m", "sailau", "demo", "--no-serve",
                                      "--stations", str(a.stations)], env)
            demo.append(wall)
            cpu.append(seconds)
            peak.append(rss)
            print(f"run: {seconds:.1f} s CPU, {wall:.1f} s wall, {rss:.0f} MiB", file=sys.stderr)
    med_b, med_c = statistics.median(base), statistics.median(cpu)
    print(f"### National demo from empty to ready ({a.stations} stations, SQLite)\n")
    print("| what | median CPU s | median wall s | peak RSS MiB | runs |")
    print("|---|---|---|---|---|")
    print(f"| `python -c 'import django'` (baseline) | {med_b:.2f} | | | {a.runs} |")
    print(f"| `sailau demo --no-serve` | {med_c:.1f} | {statistics.median(demo):.1f} | "
          f"{statistics.median(peak):.0f} | {a.runs} |")
    print(f"\nratio demo / baseline (CPU): {med_c / med_b:.0f}×. Targets: under 60 s on an idle "
          "machine, under 2 GB.")


if __name__ == "__main__":
    main()

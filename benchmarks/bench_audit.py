"""`sailau audit verify` with the data checks against the chain-only walk (`--chain-only`, what
the command did before) as the baseline, on a built demo, run alternately in fresh processes.
Medians of wall time and peak memory over --runs runs (default 5).

    SAILAU_DATA_DIR=/path/to/demo/var .venv/bin/python benchmarks/bench_audit.py [--runs N]

Build the demo first (`sailau demo --no-serve` with the same SAILAU_DATA_DIR). The data checks
read every protocol version, data-entry row, decision and scan file once; the chain walk reads
the log once for both."""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one `sailau audit verify` process."""
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-m", "sailau", "audit", "verify", *args],
                         stdout=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"audit verify {' '.join(args)} failed: the demo is not intact")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    if "SAILAU_DATA_DIR" not in os.environ:
        raise SystemExit("set SAILAU_DATA_DIR to a built demo's data directory")
    out: dict[str, list] = {"chain": [], "data": []}
    for _ in range(a.runs):
        out["chain"].append(run(["--chain-only"]))
        out["data"].append(run([]))
    med = {k: (statistics.median(w for w, _ in v), statistics.median(m for _, m in v))
           for k, v in out.items()}
    print("| what | median wall s | peak RSS MiB | runs |\n|---|---|---|---|")
    print(f"| `sailau audit verify --chain-only` (baseline) | {med['chain'][0]:.2f} | "
          f"{med['chain'][1]:.0f} | {a.runs} |")
    print(f"| `sailau audit verify` (chain, data, snapshots, tallies) | {med['data'][0]:.2f} | "
          f"{med['data'][1]:.0f} | {a.runs} |")
    print(f"ratio {med['data'][0] / med['chain'][0]:.2f}; load average "
          f"{os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

"""Integrity criteria on the full demo election, printed as Markdown: precision and recall of the
station statuses and of each criterion against the demo's injected falsifications, and the time
to build the report (station table + criteria + whole-election forensics) against the time of
the station table and criteria alone (the baseline, measured in the same run).

Builds the full demo (10,223 stations, seed 2023) in --data-dir the first time (about 1-2
minutes); later runs reuse it.

Run: .venv/bin/python benchmarks/bench_integrity.py [--data-dir /tmp/sailau-bench-integrity]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default="/tmp/sailau-bench-integrity")
    ap.add_argument("--stations", type=int, default=None, help="default: the full 10,223")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    os.environ["SAILAU_DATA_DIR"] = str(Path(args.data_dir).resolve())
    cmd = [sys.executable, "-m", "sailau", "demo", "--no-serve"]
    if args.stations:
        cmd += ["--stations", str(args.stations)]
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)

    from sailau.cli.django_setup import setup

    setup(migrate=False)
    from sailau.analysis import criteria
    from sailau.demo.load import ground_truth_path
    from sailau.integrity import demo_scoring, service, table

    truth = json.loads(ground_truth_path().read_text())
    contest = table.principal_contest(truth["election"])

    def criteria_only():
        ct = table.build(contest)
        return criteria.evaluate(ct.table, ct.leader, **service.station_inputs(contest))

    def full():
        return service.compute(contest)

    base = [_time(criteria_only) for _ in range(args.repeats)]
    whole = [_time(full) for _ in range(args.repeats)]
    data = service.get(contest)
    scored = demo_scoring.score(data["stations"], truth, data["contest"])
    b, w = statistics.median(base), statistics.median(whole)
    print(f"## Integrity criteria on the demo election ({data['stations_reported']:,} stations)\n")
    print(demo_scoring.markdown(scored))
    print("\n`rewritten_upstream` keeps every control relation and changes only the shares: the "
          "official figures cannot show it (observers' copies, I10, and scans, I11, can).\n")
    print("| step | median of " + str(args.repeats) + " (s) | ratio |\n|---|---|---|")
    print(f"| station table + criteria (baseline) | {b:.2f} | 1.0 |")
    print(f"| full report: + whole-election forensics and plots | {w:.2f} | {w / b:.1f} |")
    return 0


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    sys.exit(main())

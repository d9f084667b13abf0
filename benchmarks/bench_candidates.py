"""The demo's nominations step at national scale: `sailau.demo.candidates.generate` (two files
through the real import: all the ballots' candidates plus the applicants who never reached
them, decisions, appeals, the checks and the audit records) on the full demo structure (the
Mazhilis list and 29 districts, the two regions' maslikhats), beside the demo's campaign
finance step (`sailau.finance.demo.generate`) as the baseline, run alternately on the same
database, each run rolled back. Medians over --runs runs (default 3).

    .venv/bin/python benchmarks/bench_candidates.py [--runs N]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class _Rollback(Exception):
    pass


def timed(fn, election) -> float:
    from django.db import transaction

    t = time.perf_counter()
    try:
        with transaction.atomic():
            fn(election, 2023)
            raise _Rollback
    except _Rollback:
        pass
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        os.environ["SAILAU_DATA_DIR"] = d
        os.environ.pop("SAILAU_DATABASE_URL", None)
        sys.path.insert(0, str(ROOT))
        from sailau.cli.django_setup import setup

        setup()
        from sailau.demo.candidates import generate as candidates
        from sailau.demo.synthetic import build
        from sailau.elections import structure
        from sailau.finance.demo import generate as finance

        t = time.perf_counter()
        election = structure.write(structure.validate(build(seed=2023, maslikhats=True)
                                                      .structure()))
        print(f"structure: {time.perf_counter() - t:.1f} s, "
              f"{election.contests.count()} contests, "
              f"{sum(c.candidates.count() for c in election.contests.all())} ballot candidates")
        base, mine = [], []
        for _ in range(a.runs):
            base.append(timed(finance, election))
            mine.append(timed(candidates, election))
        with __import__("django.db").db.transaction.atomic():
            out = candidates(election, 2023)
        b, m = statistics.median(base), statistics.median(mine)
        print(f"nominations: {out}")
        print(f"| step | median s | runs |\n|---|---:|---:|\n"
              f"| finance demo (baseline) | {b:.2f} | {a.runs} |\n"
              f"| candidates demo | {m:.2f} | {a.runs} |\nratio {m / b:.2f}x the baseline; "
              f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

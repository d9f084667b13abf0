"""Forensics benchmarks, printed as Markdown:
1. the full forensic report (read + every test, 1,000 resamples) on the 97,699-station Russian
   2018 election (target: under 10 s);
2. the integer-percentage Monte Carlo against a plain per-station Python loop drawing the same
   1,000 binomial resamples per station (target: at least 10x), on the same stations in one run.

Run: .venv/bin/python benchmarks/bench_forensics.py [--repeats 3] [--loop-stations 10000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / ".." / "shared" / "data" / "russia" / "2018.csv.zip"


def timed(fn, repeats):
    times, result = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def loop_baseline(registered, ballots, counted, leader, resamples=1000, seed=0):
    """The plain way: for every station, draw its 1,000 binomial resamples and count."""
    from sailau.analysis.integer_percentages import is_integer_percentage, kept_stations

    rng = np.random.default_rng(seed)
    kept = kept_stations(registered, ballots, counted, leader)
    null = np.zeros(resamples)
    for n_t, k_t, n_s, k_s in zip(registered[kept], ballots[kept], counted[kept], leader[kept]):
        t = rng.binomial(n_t, k_t / n_t, resamples)
        s = rng.binomial(n_s, k_s / n_s, resamples)
        null += is_integer_percentage(t, n_t) | is_integer_percentage(s, n_s)
    return null.mean(), null.std(ddof=1)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--loop-stations", type=int, default=10_000)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return 0
    from sailau.analysis import report, sources
    from sailau.analysis.integer_percentages import integer_percentage_test

    def full():
        r = sources.load(DATA, "izbirkom", group_by="region")
        return report.analyse(r, group_by="region")

    full_s, (rep, _) = timed(full, args.repeats)
    load_s, res = timed(lambda: sources.load(DATA, "izbirkom"), args.repeats)

    sub = np.random.default_rng(0).permutation(len(res))[: args.loop_stations]
    arrays = (res.registered[sub], res.ballots[sub], res.counted[sub], res.leader_votes[sub])
    ours_s, ours = timed(lambda: integer_percentage_test(*arrays)["summary"], args.repeats)
    direct_s, direct = timed(lambda: integer_percentage_test(*arrays, method="binomial")["summary"], 1)
    loop_s, (loop_mean, loop_sd) = timed(lambda: loop_baseline(*arrays), 1)
    all_s, _ = timed(lambda: integer_percentage_test(res.registered, res.ballots, res.counted,
                                                     res.leader_votes)["summary"], args.repeats)

    print("## Forensics (`sailau forensics`)\n")
    print(f"Machine: {__import__('os').cpu_count()} cores shared; medians of {args.repeats} runs.\n")
    print("| workload | time (s) | note |")
    print("|---|---|---|")
    print(f"| full report, Russia 2018, {len(res):,} stations, by region | {full_s:.2f} | target < 10 s; "
          f"includes reading {load_s:.2f} s |")
    print(f"| integer-percentage Monte Carlo, all {rep['integer_percentages']['stations_kept']:,} kept "
          f"stations, 1,000 resamples | {all_s:.2f} | |")
    print()
    print(f"Integer-percentage Monte Carlo on the same {len(sub):,} random stations, 1,000 resamples:\n")
    print("| method | time (s) | ratio to loop | null mean | null sd |")
    print("|---|---|---|---|---|")
    print(f"| plain per-station Python loop (binomial draws) | {loop_s:.2f} | 1.0x | {loop_mean:.1f} | {loop_sd:.1f} |")
    print(f"| vectorised binomial draws (`method='binomial'`) | {direct_s:.2f} | {loop_s / direct_s:.1f}x | "
          f"{direct['expected']:.1f} | {direct['sd']:.1f} |")
    print(f"| exact per-station probabilities + Bernoulli draws (default) | {ours_s:.3f} | "
          f"{loop_s / ours_s:.1f}x | {ours['expected']:.1f} | {ours['sd']:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

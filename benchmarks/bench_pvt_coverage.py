"""Coverage of the PVT's intervals on real data, printed as Markdown: stratified samples (by
region, proportional allocation) of 1,500 stations from the station-level results of Russia's 2018 presidential election, 2,000
draws with a fixed seed; each choice's share of 95% (and 99%) intervals that contain its true
share, for Sailau's interval (`sailau.analysis.pvt._bounds`) and, on the same samples, the
textbook r ± z·se it replaced; and the time of one estimate, both ways.

    .venv/bin/python benchmarks/bench_pvt_coverage.py [--draws 2000] [--seed 1]

Takes about a minute.

`--design neyman`: the same, for proportional allocation and for the sample designed
for small shares (`sailau.analysis.pvt_design`: Neyman allocation fitted on the stations of the
past election `--past`, 2012 by default, mixed `--mix` of the way from proportional), side by
side on the same draws' seed: coverage of the 95% and 99% intervals and their mean width per
candidate. Region names are compared in lower case (2012 writes "Город Москва")."""

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


def main() -> None:
    from sailau.analysis import pvt
    from sailau.analysis.pvt_coverage import coverage
    from sailau.analysis.sources import load

    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--design", choices=["neyman"], default=None)
    ap.add_argument("--past", default="2012")
    ap.add_argument("--mix", type=float, default=None)
    args = ap.parse_args()
    if args.design:
        return designed(args)
    s = load(DATA, group_by="region")
    names = list(s.choices)
    votes = np.column_stack([s.choices[k] for k in names]).astype(float)
    counted = np.asarray(s.counted, dtype=float)
    ok = counted > 0
    votes, counted = votes[ok], counted[ok]
    strata = np.asarray(s.territories["region"])[ok]
    t0 = time.perf_counter()
    out = coverage(votes, counted, strata, size=1500, draws=args.draws, seed=args.seed)
    took = time.perf_counter() - t0
    se = (0.95 * 0.05 / args.draws) ** 0.5
    print(f"Russia 2018, {len(counted):,} stations, 85 regions as strata; {args.draws} "
          f"stratified samples of 1,500 stations (seed {args.seed}, {took:.0f} s). "
          f"Standard error of a coverage near 95%: {100 * se:.1f} points.\n")
    print("| choice | true share | 95% Sailau | 95% r ± 1.96·se | 99% Sailau | 99% r ± 2.58·se "
          "| width 95% Sailau / textbook |")
    print("|---|---|---|---|---|---|---|")
    for j in np.argsort(-out["truth"]):
        print(f"| {names[j]} | {100 * out['truth'][j]:.2f}% | {100 * out['cover95'][j]:.1f}% | "
              f"{100 * out['normal95'][j]:.1f}% | {100 * out['cover99'][j]:.1f}% | "
              f"{100 * out['normal99'][j]:.1f}% | "
              f"{out['width95'][j] / out['normal_width95'][j]:.2f} |")
    # one estimate of a 1,500-station sample: the intervals' extra moments cost this much
    keys, codes = np.unique(strata, return_inverse=True)
    population = {k: int(n) for k, n in zip(keys, np.bincount(codes), strict=True)}
    rows = np.random.default_rng(0).choice(len(counted), 1500, replace=False)
    times, base = [], []
    for _ in range(50):
        t0 = time.perf_counter()
        pvt.estimate(votes[rows], counted[rows], names, keys[codes[rows]], population)
        times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        pvt._combined_ratio(votes[rows], counted[rows], codes[rows], np.bincount(codes))
        base.append(time.perf_counter() - t0)
    print(f"\nOne estimate (1,500 stations, 8 choices), median of 50: "
          f"{1000 * statistics.median(times):.1f} ms; the ratio and variance alone (the "
          f"textbook interval's whole cost): {1000 * statistics.median(base):.1f} ms.")


def _election(path):
    from sailau.analysis.sources import load

    s = load(path, group_by="region")
    names = list(s.choices)
    votes = np.column_stack([s.choices[k] for k in names]).astype(float)
    counted = np.asarray(s.counted, dtype=float)
    ok = counted > 0
    strata = np.char.lower(np.asarray(s.territories["region"]).astype(str))[ok]
    return names, votes[ok], counted[ok], strata


def designed(args) -> None:
    from sailau.analysis import pvt_design
    from sailau.analysis.pvt_coverage import coverage

    mix = pvt_design.MIX if args.mix is None else args.mix
    names, votes, counted, strata = _election(DATA)
    _, past_votes, past_counted, past_strata = _election(DATA.parent / f"{args.past}.csv.zip")
    keys, codes = np.unique(strata, return_inverse=True)
    sizes = {k: int(n) for k, n in zip(keys, np.bincount(codes), strict=True)}
    weights = pvt_design.stratum_weights(past_votes, past_counted, past_strata)
    alloc = pvt_design.allocate(sizes, weights, 1500, mix=mix)
    t0 = time.perf_counter()
    old = coverage(votes, counted, strata, size=1500, draws=args.draws, seed=args.seed)
    new = coverage(votes, counted, strata, size=1500, draws=args.draws, seed=args.seed,
                   alloc=alloc)
    took = time.perf_counter() - t0
    missing = sorted(k for k in keys if k not in weights)
    print(f"Russia 2018, {len(counted):,} stations, {len(keys)} regions as strata; {args.draws} "
          f"stratified samples of 1,500 stations (seed {args.seed}, {took:.0f} s), "
          f"proportional allocation against Neyman allocation fitted on {args.past} (mix "
          f"{mix}; regions absent in {args.past}, given the median weight: "
          f"{', '.join(missing) or 'none'}).\n")
    print("| choice | true share | 95% proportional | 95% designed | 99% proportional | "
          "99% designed | width 95% proportional | width 95% designed |")
    print("|---|---|---|---|---|---|---|---|")
    for j in np.argsort(-new["truth"]):
        print(f"| {names[j]} | {100 * new['truth'][j]:.2f}% | {100 * old['cover95'][j]:.1f}% | "
              f"**{100 * new['cover95'][j]:.1f}%** | {100 * old['cover99'][j]:.1f}% | "
              f"{100 * new['cover99'][j]:.1f}% | {100 * old['width95'][j]:.3f} pt | "
              f"{100 * new['width95'][j]:.3f} pt |")


if __name__ == "__main__":
    main()

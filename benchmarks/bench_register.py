"""Voter register at scale: synthetic extract, import (parse + validate), duplicate detection
(Splink on DuckDB), precision and recall against the injected duplicates.

    .venv/bin/python benchmarks/bench_register.py [--n 1000000] [--dup-rate 0.01] [--seed 7]

Prints Markdown. The baseline for import speed is a plain `csv.reader` pass over the same file
(reading only, no validation), measured in the same run."""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--dup-rate", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threshold", type=float, default=None)
    args = ap.parse_args()

    from sailau.register import dedupe
    from sailau.register.extract import read_extract, validate_frame
    from sailau.register.synthetic import generate, write

    threshold = dedupe.DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "extract.csv"
        syn, t_synth = timed(lambda: generate(args.n, args.dup_rate, args.seed))
        t = time.perf_counter()
        write(syn, path)
        t_write = time.perf_counter() - t
        truth = syn.truth
        del syn  # free the generator's arrays before the timed steps

        def baseline():
            with open(path, encoding="utf-8", newline="") as f:
                return sum(1 for _ in csv.reader(f))

        _, t_base = timed(baseline)
        raw, t_read = timed(lambda: read_extract(path))
        (valid, errors), t_valid = timed(lambda: validate_frame(raw))
        result, t_dedupe = timed(lambda: dedupe.find_duplicates(raw, threshold=threshold))
        m = dedupe.evaluate(result.pairs, truth)

    n = args.n
    t_import = t_read + t_valid
    print(f"### Voter register, {n:,} rows, {args.dup_rate:.0%} injected duplicates (seed {args.seed})\n")
    print("| step | seconds | rows/s | note |")
    print("|---|---:|---:|---|")
    print(f"| synthesise | {t_synth:.1f} | {n / t_synth:,.0f} | + write CSV {t_write:.1f} s |")
    print(f"| baseline: csv.reader pass, no validation | {t_base:.1f} | {n / t_base:,.0f} | 1.00x |")
    print(f"| import: read + validate every field | {t_import:.1f} | {n / t_import:,.0f} | "
          f"{t_import / t_base:.2f}x baseline; {len(valid):,} valid, {errors['row'].n_unique():,} rows with errors |")
    print(f"| dedupe: prepare, train (EM), predict | {t_dedupe:.1f} | {n / t_dedupe:,.0f} | threshold {threshold} |")
    print()
    print(f"Duplicates: {m['true']:,} true pairs, {m['found']:,} reported, {m['true_positives']:,} correct: "
          f"**precision {m['precision']:.4f}, recall {m['recall']:.4f}**.")
    targets = n / 12_000_000
    print(f"\nLinear extrapolation to 12M rows: import {t_import / targets / 60:.1f} min (target 5), "
          f"dedupe {t_dedupe / targets / 60:.1f} min (target 15; blocked pairs grow faster than linearly).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Voter register at scale: synthetic extract, import (parse + validate), duplicate detection
(Splink on DuckDB), precision and recall against the injected duplicates.

    .venv/bin/python benchmarks/bench_register.py [--n 1000000] [--dup-rate 0.01] [--seed 7]
    .venv/bin/python benchmarks/bench_register.py --lookup 1000000 [--lookups 3000]
        [--extract FILE.csv]   (kept: the same file for SQLite and for PostgreSQL)
    SAILAU_DATABASE_URL=postgres://... (an empty database) .venv/bin/python ... --lookup N

Prints Markdown. The baseline for import speed is a plain `csv.reader` pass over the same file
(reading only, no validation), measured in the same run; the lookup's baseline is the same
query on the same connection without Django's request stack. `--lookup N` skips the file
benchmark and runs the database one: N persons imported through the app into a fresh SQLite
database in a temporary folder, or into the PostgreSQL database SAILAU_DATABASE_URL names; the
import's baseline is a `csv.reader` pass over the same file."""

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
    ap.add_argument("--memory-limit", default="6GB",
                    help="DuckDB's memory limit for dedupe (default 6GB)")
    ap.add_argument("--lookup", type=int, default=0, metavar="N",
                    help="instead: import N persons into SQLite and time the lookup")
    ap.add_argument("--lookups", type=int, default=3000)
    ap.add_argument("--db", metavar="DIR", help="with --lookup: keep the database in DIR, or "
                    "reuse the one already there (then N is ignored)")
    ap.add_argument("--extract", metavar="FILE", help="with --lookup: the extract to import; "
                    "written there first (N persons, no duplicates) if it does not exist")
    ap.add_argument("--reimport", action="store_true",
                    help="with --lookup: then import the same file again and time it")
    args = ap.parse_args()
    if args.lookup:
        lookup_benchmark(args.lookup, args.lookups, args.seed, args.db, args.extract,
                         args.reimport)
        return 0

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
        rss_synth = peak_rss_gb()
        del syn  # free the generator's arrays before the timed steps

        def baseline():
            with open(path, encoding="utf-8", newline="") as f:
                return sum(1 for _ in csv.reader(f))

        _, t_base = timed(baseline)
        # The raw rows live only in `held`: dedupe pops them, so it can free them once prepared.
        held, t_read = timed(lambda: [read_extract(path)])
        (valid, errors), t_valid = timed(lambda: validate_frame(held[0]))
        n_valid, n_error_rows = len(valid), errors["row"].n_unique()
        rss_import = peak_rss_gb()
        del valid, errors  # at 12M every GB counts
        result, t_dedupe = timed(lambda: dedupe.find_duplicates(
            held.pop(), threshold=threshold, memory_limit=args.memory_limit))
        m = dedupe.evaluate(result.pairs, truth)

    n = args.n
    t_import = t_read + t_valid
    print(f"### Voter register, {n:,} rows, {args.dup_rate:.0%} injected duplicates (seed {args.seed})\n")
    print("| step | seconds | rows/s | note |")
    print("|---|---:|---:|---|")
    print(f"| synthesise | {t_synth:.1f} | {n / t_synth:,.0f} | + write CSV {t_write:.1f} s "
          f"(in chunks); peak memory so far {rss_synth:.1f} GB |")
    print(f"| baseline: csv.reader pass, no validation | {t_base:.1f} | {n / t_base:,.0f} | 1.00x |")
    print(f"| import: read + validate every field | {t_import:.1f} | {n / t_import:,.0f} | "
          f"{t_import / t_base:.2f}x baseline; {n_valid:,} valid, {n_error_rows:,} rows with errors; "
          f"peak memory so far {rss_import:.1f} GB |")
    print(f"| dedupe: prepare, train (EM), predict | {t_dedupe:.1f} | {n / t_dedupe:,.0f} | threshold {threshold} |")
    print()
    print(f"Duplicates: {m['true']:,} true pairs, {m['found']:,} reported, {m['true_positives']:,} correct: "
          f"**precision {m['precision']:.4f}, recall {m['recall']:.4f}**.")
    print(f"\nPeak memory of the whole run: {peak_rss_gb():.1f} GB.")
    targets = n / 12_000_000
    print(f"\nLinear extrapolation to 12M rows: import {t_import / targets / 60:.1f} min (target 5), "
          f"dedupe {t_dedupe / targets / 60:.1f} min (target 15; blocked pairs grow faster than linearly).")
    return 0


def peak_rss_gb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024  # kB on Linux


def lookup_benchmark(n: int, lookups: int, seed: int, db_dir: str | None = None,
                     extract: str | None = None, reimport: bool = False) -> None:
    """Import n synthetic voters into a fresh database through the app's import
    (`sailau.voters.importer.import_extract`), then time "where do I vote" through the Django
    test client (the whole stack: middleware, rate limit, query, log write) against the same SQL
    on the same connection (baseline)."""
    import os
    import random
    import statistics

    tmp = db_dir or tempfile.mkdtemp(prefix="sailau-bench-voters-")
    reuse = (Path(tmp) / "sailau.sqlite3").exists()
    os.environ["SAILAU_DATA_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
    from sailau.cli.django_setup import setup

    setup()
    from django.db import connection
    from django.test import Client

    from sailau.demo.synthetic import build
    from sailau.elections import structure
    from sailau.elections.models import Election
    from sailau.register.synthetic import generate, write
    from sailau.voters import lookup as lookup_mod
    from sailau.voters.importer import import_extract
    from sailau.voters.models import ListEntry, Voter

    reuse = reuse or Election.objects.exists()
    if not reuse:
        structure.write(structure.validate(build(seed=seed, stations=2000).structure()))
    election = Election.objects.get()
    baseline = None
    if reuse:  # a database kept from an earlier run (--db): time the lookups only
        iins = list(Voter.objects.values_list("iin", flat=True))
        n, report, t_import = len(iins), None, None
    else:
        path = Path(extract) if extract else Path(tmp) / "extract.csv"
        if not path.exists():
            syn = generate(n, 0.0, seed, reference_date=election.date)
            write(syn, path)
            del syn

        def read_only():
            with open(path, newline="", encoding="utf-8") as f:
                return sum(1 for _ in csv.reader(f)) - 1

        n, baseline = timed(read_only)
        report, t_import = timed(lambda: import_extract(path, election, today=election.date))
        iins = list(Voter.objects.values_list("iin", flat=True))
        again = None
        if reimport:  # the same file again: everything unchanged, nothing may be rewritten
            again, t_again = timed(lambda: import_extract(path, election, today=election.date))
        if not extract:
            path.unlink()
    on_list = ListEntry.objects.filter(station__isnull=False).count()
    # As after any bulk load: fold the write-ahead log into the database (SQLite) or gather the
    # planner's statistics (PostgreSQL) before serving.
    with connection.cursor() as cur:
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)" if connection.vendor == "sqlite"
                    else "ANALYZE")
    rnd = random.Random(seed)
    sample = [str(iins[rnd.randrange(len(iins))]) for _ in range(lookups)]
    client = Client()
    lookup_mod.LIMIT = lookups + 201  # one client does the warm-up and all the lookups
    for iin in sample[:200]:  # warm-up: first requests load templates, URLConf, caches
        client.post("/api/voters/lookup", {"election": election.pk, "iin": iin},
                    content_type="application/json")
    times, found = [], 0
    for iin in sample:
        t = time.perf_counter()
        resp = client.post("/api/voters/lookup", {"election": election.pk, "iin": iin},
                           content_type="application/json")
        times.append(time.perf_counter() - t)
        found += resp.json()["status"] == "found"
    base = []
    with connection.cursor() as cur:
        for iin in sample:
            t = time.perf_counter()
            cur.execute("select s.number, s.address from voters_listentry e join voters_voter v "
                        "on v.id = e.voter_id join elections_station s on s.id = e.station_id "
                        "where v.iin = %s and e.election_id = %s", (iin, election.pk))
            cur.fetchone()
            base.append(time.perf_counter() - t)

    def q(xs, p):
        return statistics.quantiles(xs, n=100, method="inclusive")[p - 1] * 1000

    if connection.vendor == "sqlite":
        where = f"SQLite, {(Path(tmp) / 'sailau.sqlite3').stat().st_size / 1e6:,.0f} MB"
    else:
        with connection.cursor() as cur:
            cur.execute("select pg_database_size(current_database())")
            where = f"PostgreSQL, {cur.fetchone()[0] / 1e6:,.0f} MB"
    print(f"### Voter register in the database, {n:,} persons ({where})\n")
    if report is not None:
        print("| step | seconds | rows/s | note |")
        print("|---|---:|---:|---|")
        print(f"| baseline: `csv.reader` pass over the same file | {baseline:.1f} | "
              f"{n / baseline:,.0f} | 1.00× |")
        print(f"| import into the database (parse, validate, upsert by IIN, eligibility, station) "
              f"| {t_import:.1f} | {n / t_import:,.0f} | {t_import / baseline:.1f}× baseline; "
              f"{report.created:,} voters, {on_list:,} on lists, excluded {report.excluded} |")
        if again is not None:
            print(f"| the same file imported again | {t_again:.1f} | {n / t_again:,.0f} | "
                  f"{t_again / baseline:.1f}× baseline; {again.unchanged:,} unchanged, "
                  f"{again.updated:,} updated, {again.created:,} created |")
        print()
    print(f"Database folder: {tmp}\n")
    print(f"\"Where do I vote\", {lookups:,} lookups of random IINs ({found:,} found; the rest are "
          "children or non-citizens):\n")
    print("| path | p50 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|")
    print(f"| baseline: the same SQL on the same connection (no request) | {q(base, 50):.3f} | "
          f"{q(base, 99):.3f} | {max(base) * 1000:.3f} |")
    print(f"| POST /api/voters/lookup (Django test client: rate limit, query, log row) | "
          f"{q(times, 50):.2f} | **{q(times, 99):.2f}** | {max(times) * 1000:.2f} |")
    print(f"\np99 ratio to the baseline: {q(times, 99) / q(base, 99):.0f}x; target p99 < 20 ms.")


if __name__ == "__main__":
    sys.exit(main())

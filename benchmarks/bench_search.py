"""Station search at national scale (the structure of 10,223 stations; search does not read
results, so the protocols are not loaded).

Measures `sailau.publish.pages.search.search` (one page of 50 and the true count) on the queries a
voter types ("Алматы", "Абай", "улица Абая", "Алматы улица Жамбыла 10"), a few more, and random
ones made from random stations: numbers, settlements, streets with and without "улица/көшесі",
settlement + street + house, Kazakh, Russian and Latin spellings, beginnings of words, and later
pages. Median and p99 per backend. Baseline in the same run: the same number of single-row
lookups of a station by its number (the cheapest query a search page could make).

SQLite always; PostgreSQL too when SAILAU_DATABASE_URL is set (a database of its own).

    .venv/bin/python benchmarks/bench_search.py [--stations 10223] [--queries 300]
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

import backends

ROOT = Path(__file__).resolve().parents[1]
NAMED = ["Алматы", "Абай", "улица Абая", "Алматы улица Жамбыла 10", "Астана", "Караганда",
         "Qaraǵandy", "ул. Сатбаева 5", "Абай облысы", "Shymkent Dostyk", "1", "Жастар к-сі 12"]
LATIN = str.maketrans({"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh",
                       "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
                       "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
                       "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "ы": "y", "э": "e", "ю": "yu",
                       "я": "ya", "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u",
                       "ү": "u", "і": "i", "һ": "h"})


def random_queries(stations, n: int, rnd: random.Random) -> list[tuple[str, int]]:
    """(query, page) pairs as people would type them about random stations."""
    out = []
    for _ in range(n):
        s = rnd.choice(stations)
        street_ru = s.address_ru.split(",")[1].strip() if "," in s.address_ru else s.settlement_ru
        street = street_ru.removeprefix("ул. ")
        house = s.address_ru.split(",")[2].split("(")[0].strip() if s.address_ru.count(",") > 1 \
            else ""
        kind = rnd.randrange(8)
        q = [str(s.number), s.settlement, f"улица {street}а", f"{s.settlement_ru} {street_ru} {house}",
             f"{street} көшесі {house}", s.settlement.lower().translate(LATIN),
             s.settlement[:3], f"{s.settlement} {street}"][kind]
        out.append((q, 2 if kind in (1, 6) and rnd.random() < 0.3 else 1))
    return out


def measure(stations: int, queries: int) -> dict:
    n_random = queries
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
    sys.path.insert(0, str(ROOT))
    from sailau.cli.django_setup import setup

    setup()
    from django.db import connection

    from sailau.demo.synthetic import build
    from sailau.elections import structure
    from sailau.elections.models import Station
    from sailau.publish.pages import search

    syn = build(seed=2023, stations=stations)
    election = structure.write(structure.validate(syn.structure()), replace=True)
    t = time.perf_counter()
    tokens = search.rebuild(election.id)
    out = {"backend": connection.vendor, "stations": stations, "tokens": tokens,
           "index_s": time.perf_counter() - t}
    everyone = list(Station.objects.filter(election=election).order_by("number"))
    asked = [(q, 1) for q in NAMED] + random_queries(everyone, n_random, random.Random(7))
    for q, page in asked[:20]:  # warm the caches once, as a running server's would be
        search.search(election.id, q, page)
    lat, named, counts = [], {}, {}
    for _round in range(3):
        for q, page in asked:
            t = time.perf_counter()
            found = search.search(election.id, q, page)
            dt = time.perf_counter() - t
            lat.append(dt)
            if q in NAMED:
                named.setdefault(q, []).append(dt)
                counts[q] = found.count
    numbers = [s.number for s in everyone]
    base = []
    for _round in range(3):
        for _q in asked:
            n = random.choice(numbers)
            t = time.perf_counter()
            Station.objects.filter(election=election, number=n).first()
            base.append(time.perf_counter() - t)
    out.update(queries=len(lat), median=statistics.median(lat), p99=pct(lat, 0.99),
               base_median=statistics.median(base),
               named={q: [statistics.median(v), counts[q]] for q, v in named.items()})
    return out


def pct(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))]


def report(results: list[dict]) -> str:
    lines = [("| backend | stations (index rows, built in) | search median (p99) over n "
              "queries | baseline: one station by number, median | ratio | target |"),
             "|---|---|---|---|---|---|"]
    for r in results:
        lines.append(
            f"| {r['backend']} | {r['stations']:,} ({r['tokens']:,} rows, {r['index_s']:.1f} s) "
            f"| {1000 * r['median']:.1f} ms ({1000 * r['p99']:.1f} ms), n = {r['queries']} "
            f"| {1000 * r['base_median']:.2f} ms | {r['median'] / r['base_median']:.1f}× "
            f"| p99 {r['p99'] / 0.05:.2f}× of 50 ms |")
    lines += ["", "| query | " + " | ".join(f"{r['backend']} median (found)" for r in results)
              + " |", "|---|" + "---|" * len(results)]
    for q in results[0]["named"]:
        cells = [f"{1000 * r['named'][q][0]:.1f} ms ({r['named'][q][1]:,})" for r in results]
        lines.append(f"| {q} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=10_223)
    ap.add_argument("--queries", type=int, default=300, help="random queries")
    return backends.main(__file__, ap, measure, report)


if __name__ == "__main__":
    sys.exit(main())

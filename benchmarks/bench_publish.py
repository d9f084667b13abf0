"""Publication at national scale.

1. Full publication (every station, commission, contest table and the NIST report as
   content-addressed snapshot files): seconds. Baseline in the same run: serialising the same
   station documents without writing or hashing them.
2. One protocol → its station and all its ancestors republished: median and p95.
   Baseline: a full recount of the national contest (`tabulation.rebuild`).
3. Search: median and p99 latency over numbers, settlements and street names.
4. Dynamic station page, in-process (Django test client, one thread): requests/s and p99.
   Load from wrk/gunicorn is not run here (see the report); this is the per-core ceiling.

Runs in a fresh temporary SAILAU_DATA_DIR with the synthetic election of --stations stations
(10,223 is the national one; loading it through the chain takes minutes).

    .venv/bin/python benchmarks/bench_publish.py [--stations N] [--single 30]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pct(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=2000)
    ap.add_argument("--single", type=int, default=30)
    ap.add_argument("--requests", type=int, default=300)
    args = ap.parse_args()
    os.environ["SAILAU_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-publish-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
    sys.path.insert(0, str(ROOT))
    from sailau.cli.django_setup import setup

    setup()
    from django.test import Client

    from sailau.demo.load import load
    from sailau.demo.synthetic import build
    from sailau.elections.models import Station
    from sailau.protocols import tabulation
    from sailau.protocols.models import Protocol
    from sailau.publish import data as d
    from sailau.publish import search, snapshots

    t0 = time.perf_counter()
    election = load(build(seed=7, stations=args.stations))
    load_s = time.perf_counter() - t0
    n_protocols = Protocol.objects.filter(station__election=election, current=True).count()

    t0 = time.perf_counter()
    data = d.ElectionData.load(election)
    for _s, doc in d.station_documents(data):
        snapshots._dumps(doc)
    serialise_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    snapshots.publish(election.id)  # the first one also builds the search index
    first_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    manifest = snapshots.publish(election.id)
    full_s = time.perf_counter() - t0

    stations = list(Station.objects.filter(election=election).order_by("?")[: args.single])
    single = []
    for s in stations:
        t0 = time.perf_counter()
        snapshots.republish_station(s.id)
        single.append(time.perf_counter() - t0)
    contest = election.contests.get(kind="party_list")
    recount = []
    for _ in range(3):
        t0 = time.perf_counter()
        tabulation.rebuild(contest)
        recount.append(time.perf_counter() - t0)

    queries = [str(s.number) for s in stations[:10]] + [s.settlement for s in stations[:10]] \
        + [s.address_ru.split(",")[1] for s in stations[:10] if "," in s.address_ru]
    lat = []
    for q in queries * 3:
        t0 = time.perf_counter()
        search.search(election.id, q)
        lat.append(time.perf_counter() - t0)

    client = Client()
    numbers = [s.number for s in stations]
    page = []
    t_all = time.perf_counter()
    for i in range(args.requests):
        t0 = time.perf_counter()
        r = client.get(f"/kk/e/{election.id}/s/{numbers[i % len(numbers)]}/")
        assert r.status_code == 200
        page.append(time.perf_counter() - t0)
    rps = args.requests / (time.perf_counter() - t_all)

    med = statistics.median
    print(f"### Publication ({args.stations:,} stations, {n_protocols:,} protocols; "
          f"load through the chain {load_s:.0f} s)\n")
    print("| measure | value | baseline (same run) | ratio |")
    print("|---|---|---|---|")
    print(f"| full publication, {len(manifest['files']):,} files | {full_s:.1f} s | "
          f"serialise station documents only {serialise_s:.1f} s | {full_s / serialise_s:.1f}× |")
    print(f"| first publication (also builds the search index) | {first_s:.1f} s | — | — |")
    print(f"| one protocol → station + ancestors republished, median (p95) | "
          f"{1000 * med(single):.0f} ms ({1000 * pct(single, 0.95):.0f} ms) | "
          f"full recount of the national contest {1000 * med(recount):.0f} ms | "
          f"{med(single) / med(recount):.2f}× |")
    print(f"| search, median (p99) of {len(lat)} queries | {1000 * med(lat):.1f} ms "
          f"({1000 * pct(lat, 0.99):.1f} ms) | target 50 ms | "
          f"{pct(lat, 0.99) / 0.05:.2f}× of target |")
    print(f"| station page in-process, 1 thread | {rps:.0f} req/s, p99 "
          f"{1000 * pct(page, 0.99):.0f} ms | target 500 req/s on 2 cores | — |")


if __name__ == "__main__":
    main()

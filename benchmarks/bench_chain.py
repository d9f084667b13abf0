"""The protocol chain at national scale.

1. All 10,223 stations' protocols (20,369: party list + single-member district) through the
   whole chain: two entries each, the rule set's checks, coordinator resolutions, amendments,
   audit log, incremental tabulation. Baseline in the same run: the bulk insert of the same
   protocols with a full recount (what the demo did before the chain existed).
2. One protocol made definitive (second entry → new version, totals of every level, audit
   records, one transaction) on the loaded national election: median and p95 per protocol.
   Baseline: a full recount of the national contest.

SQLite always; PostgreSQL too when SAILAU_DATABASE_URL is set (use a database of its own: the
run replaces the demo election in it). Each backend runs in a subprocess with a fresh data dir.

    .venv/bin/python benchmarks/bench_chain.py [--stations N] [--single 200]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import backends

ROOT = Path(__file__).resolve().parents[1]


def measure(stations: int, single: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
    sys.path.insert(0, str(ROOT))
    from sailau.cli.django_setup import setup

    setup()
    from django.db import connection, transaction

    from sailau import audit
    from sailau.demo.chain import route
    from sailau.demo.load import load
    from sailau.demo.synthetic import build
    from sailau.elections.models import Contest
    from sailau.protocols import services, tabulation
    from sailau.protocols.catalog import Catalog
    from sailau.protocols.models import Protocol

    out = {"backend": connection.vendor, "stations": stations}
    syn = build(seed=2023, stations=stations)
    eid = syn.election["id"]

    # Baseline: bulk insert + full recount, then clear it again.
    load(syn, route=False)
    t = time.perf_counter()
    with transaction.atomic():
        Protocol.objects.bulk_create(
            [Protocol(station_id=s, contest_id=c, figures=p["figures"], choices=p["choices"],
                      source="import") for (s, c), p in syn.protocols.items()], batch_size=2000)
        for contest in Contest.objects.filter(election_id=eid).select_related("commission"):
            tabulation.rebuild(contest)
    out["import_s"] = time.perf_counter() - t

    t = time.perf_counter()
    load(syn, route=False)
    out["structure_s"] = time.perf_counter() - t
    held_back = {s["id"] for s in syn.stations[-single:]}
    rest = {s["id"] for s in syn.stations} - held_back
    t = time.perf_counter()
    stats = route(syn, only=rest)
    out["chain_s"] = time.perf_counter() - t
    out["chain_protocols"] = stats.protocols
    out["stats"] = stats.to_json()

    # One protocol at a time for the held-back stations: entry 1 in one call, then the timed
    # call: entry 2 → definitive → totals of every level updated, committed.
    list_id = next(c["id"] for c in syn.contests if c["kind"] == "party_list")
    from django.contrib.auth.models import User

    from sailau.accounts.models import Role
    from sailau.elections.models import Station

    cat_form = Catalog().contest(list_id).form
    times = []
    for st in Station.objects.filter(id__in=held_back).order_by("number"):
        a, _ = User.objects.get_or_create(username=f"bench-{st.number}-a")
        b, _ = User.objects.get_or_create(username=f"bench-{st.number}-b")
        for u in (a, b):
            Role.objects.get_or_create(user=u, kind="operator", commission_id=st.commission_id)
        p = syn.protocols[(st.id, list_id)]
        ack = [f.code for f in cat_form.check(p["figures"], p["choices"])
               if f.severity == "warning"]
        services.finalise(a, st.id, list_id, 1, p["figures"], p["choices"], ack)
        t = time.perf_counter()
        services.finalise(b, st.id, list_id, 2, p["figures"], p["choices"], ack)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    out["single_n"] = len(times)
    out["single_median_ms"] = statistics.median(times)
    out["single_p95_ms"] = times[int(0.95 * (len(times) - 1))]
    national = Contest.objects.select_related("commission").get(pk=list_id)
    recounts = []
    for _ in range(3):
        t = time.perf_counter()
        with transaction.atomic():
            tabulation.rebuild(national)
        recounts.append((time.perf_counter() - t) * 1000)
    out["recount_ms"] = statistics.median(recounts)
    t = time.perf_counter()
    v = audit.verify()
    out["verify_s"] = time.perf_counter() - t
    out["audit_records"] = v.records
    out["audit_ok"] = v.ok
    return out


def report(results: list[dict]) -> str:
    lines = ["## Protocol chain (`benchmarks/bench_chain.py`)", "",
             ("| backend | stations | protocols through the chain | chain s | bulk import + "
             "recount s (baseline) | ratio | audit records | verify s |"),
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['backend']} | {r['stations']} | {r['chain_protocols']} | "
                     f"{r['chain_s']:.1f} | {r['import_s']:.1f} | "
                     f"{r['chain_s'] / r['import_s']:.1f}× | {r['audit_records']} | "
                     f"{r['verify_s']:.1f} |")
    lines += ["", ("| backend | one protocol definitive → every level updated: median ms | "
                  "p95 ms | full recount of the national contest ms (baseline) | ratio p95 |"),
              "|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['backend']} | {r['single_median_ms']:.1f} | "
                     f"{r['single_p95_ms']:.1f} | {r['recount_ms']:.0f} | "
                     f"{r['single_p95_ms'] / r['recount_ms']:.3f} |")
    lines += ["", "Chain counts: " + "; ".join(
        f"{r['backend']}: {json.dumps(r['stats'])}" for r in results), ""]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=10_223)
    ap.add_argument("--single", type=int, default=200,
                    help="stations held back and made definitive one at a time")
    return backends.main(__file__, ap, measure, report)


if __name__ == "__main__":
    sys.exit(main())

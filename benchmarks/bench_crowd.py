"""The demo's crowd of volunteers at national scale: how long it takes to type every image of
an election twice (a third time on disagreement) through the real dispatch and readings, and
how often careless volunteers make a verified reading differ from the paper.

A synthetic election of --stations stations is loaded; every current protocol gets a scan row
and an image (bulk, no pictures drawn: the crowd never opens the file), as the demo has once
every station uploads its scan. The demo's crowd (`sailau.evidence.crowd`, 80 volunteers, a
fifth of them careless) then types them in chunks of one transaction each, as `sailau demo`
does. Baseline, side by side: the same number of primary-key reads of an image.

Every image here shows the official figures, so any verified mismatch is a false one.

    .venv/bin/python benchmarks/bench_crowd.py [--stations 10223] [--limit N]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import backends

ROOT = Path(__file__).resolve().parents[1]


def measure(stations: int, limit: int, seed: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from sailau.cli.django_setup import setup

    setup()
    from bench_evidence import election_with_images
    from django.db import connection

    from sailau.evidence import compare, crowd
    from sailau.evidence.models import Image

    election = election_with_images(stations, seed)
    members = crowd.recruit(seed=seed)
    t = time.perf_counter()
    sent = crowd.type_images(election.id, members, seed=seed, limit=limit or None)
    wall = time.perf_counter() - t
    ids = list(Image.objects.values_list("id", flat=True))
    t = time.perf_counter()
    for pk in ids[:sent["readings"]]:
        Image.objects.get(pk=pk)
    floor = time.perf_counter() - t
    images = Image.objects.select_related("protocol")
    statuses = {s: images.filter(status=s).count() for s, _ in Image.STATUSES}
    rows = compare.compared(images.filter(status=Image.VERIFIED))
    false = sum(r["status"] == compare.MISMATCH for r in rows)
    return {"backend": connection.vendor, "stations": stations, "images": len(ids),
            "crowd": dict(sorted(statistics.Counter(m.behaviour for m in members).items())),
            "readings": sent["readings"], "unreadable": sent["unreadable"],
            "by_behaviour": {k: v for k, v in sent.items() if k not in ("readings", "unreadable")},
            "wall_s": round(wall, 1), "ms_per_reading": round(1000 * wall / max(1, sent["readings"]), 2),
            "baseline_pk_read_ms": round(1000 * floor / max(1, min(len(ids), sent["readings"])), 3),
            "statuses": statuses, "verified": len(rows), "false_mismatches": false,
            "false_mismatch_rate": round(false / max(1, len(rows)), 5)}


def report(results: list[dict]) -> str:
    return "\n".join(
        f"{r['backend']}: {r['images']} images, crowd {r['crowd']}: {r['readings']} readings "
        f"(+{r['unreadable']} 'cannot read') in {r['wall_s']} s = {r['ms_per_reading']} ms a "
        f"reading (baseline pk read {r['baseline_pk_read_ms']} ms); images {r['statuses']}; "
        f"false mismatches {r['false_mismatches']} of {r['verified']} verified "
        f"({100 * r['false_mismatch_rate']:.3f} %)" for r in results)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=10_223)
    ap.add_argument("--limit", type=int, default=0, help="stop after this many readings")
    ap.add_argument("--seed", type=int, default=2023)
    sys.exit(backends.main(__file__, ap, measure, report))

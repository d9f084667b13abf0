"""Transcription task dispatch with 1,000 simulated volunteers (target: p95 under 50 ms).

A synthetic election of --stations stations is loaded; every current protocol gets a scan
row and an image (written in bulk, as `sailau.evidence.sources.sync` would register them, but
without drawing the pictures: dispatch never opens the file). --volunteers volunteers then ask
for tasks in rounds, interleaved (volunteer 1, 2, ..., 1000, then again), and type each task at
once (the official figures: the images get verified as they would on the night, so dispatch
works on a changing table). Timed: `dispatch.next_task` per call; the typing is timed apart.
Baseline, side by side: reading one image row by primary key, the floor of any dispatch.

SQLite in a fresh data dir, PostgreSQL too when SAILAU_DATABASE_URL is set (a database of its
own: the run replaces the demo election in it).

    .venv/bin/python benchmarks/bench_evidence.py [--stations 3000] [--volunteers 1000] [--rounds 3]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import backends

ROOT = Path(__file__).resolve().parents[1]


def _q(values, q):
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def election_with_images(stations: int, seed: int = 2023):
    """A synthetic election of `stations`, with a scan row and an image for every current
    protocol, written in bulk without drawing a picture (dispatch and typing never open the
    file)."""
    from sailau.demo.load import load
    from sailau.demo.synthetic import build
    from sailau.evidence.models import Image
    from sailau.protocols.models import Protocol
    from sailau.scans.models import Scan

    election = load(build(seed=seed, stations=stations))
    protocols = list(Protocol.objects.current().filter(station__election=election)
                     .values_list("id", "station_id", "contest_id"))
    Scan.objects.bulk_create(
        [Scan(station_id=sid, contest_id=cid, protocol_id=pk, sha256=f"{pk:064x}",
              file=f"scans/bench/{pk}.jpg", content_type="image/jpeg", size=1,
              status=Scan.UNREADABLE) for pk, sid, cid in protocols], batch_size=2000)
    scans = Scan.objects.filter(station__election=election).values_list(
        "id", "station_id", "contest_id", "protocol_id", "sha256")
    Image.objects.bulk_create(
        [Image(source=Image.SCAN, scan_id=pk, station_id=sid, contest_id=cid, protocol_id=p,
               sha256=sha) for pk, sid, cid, p, sha in scans], batch_size=2000)
    return election


def measure(stations: int, volunteers: int, rounds: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from sailau.cli.django_setup import setup

    setup()
    from django.contrib.auth.models import User
    from django.db import connection

    from sailau.evidence import dispatch, readings
    from sailau.evidence.models import Image, Volunteer
    from sailau.protocols.models import Protocol

    election = election_with_images(stations)
    User.objects.bulk_create([User(username=f"bench-volunteer-{i}") for i in range(volunteers)],
                             batch_size=2000)
    Volunteer.objects.bulk_create(
        [Volunteer(user=u) for u in User.objects.filter(username__startswith="bench-volunteer-")],
        batch_size=2000)
    people = list(Volunteer.objects.order_by("id"))
    official = {pk: (f, c) for pk, f, c in Protocol.objects.current().filter(
        station__election=election).values_list("id", "figures", "choices")}
    image_ids = list(Image.objects.values_list("id", flat=True))

    timed, typing, floor = [], [], []
    for r in range(rounds):
        for n, v in enumerate(people):
            t = time.perf_counter()
            task = dispatch.next_task(v)
            timed.append(time.perf_counter() - t)
            t = time.perf_counter()
            Image.objects.get(pk=image_ids[(r * len(people) + n) % len(image_ids)])
            floor.append(time.perf_counter() - t)
            if task is None:
                continue
            t = time.perf_counter()
            readings.submit(v, task.pk, *official[task.image.protocol_id])
            typing.append(time.perf_counter() - t)
    counts = {s: Image.objects.filter(status=s).count() for s in (Image.OPEN, Image.VERIFIED)}
    ms = lambda xs: {"median": round(1000 * statistics.median(xs), 2),
                     "p95": round(1000 * _q(xs, 95), 2)}
    return {"backend": connection.vendor, "stations": stations, "images": len(image_ids),
            "volunteers": len(people), "dispatches": len(timed), "dispatch_ms": ms(timed),
            "baseline_pk_read_ms": ms(floor), "reading_ms": ms(typing), "images_now": counts}


def report(results: list[dict]) -> str:
    lines = []
    for r in results:
        d, b = r["dispatch_ms"], r["baseline_pk_read_ms"]
        lines.append(f"{r['backend']}: {r['images']} images, {r['volunteers']} volunteers, "
                     f"{r['dispatches']} dispatches: median {d['median']} ms, p95 {d['p95']} ms "
                     f"(baseline pk read: median {b['median']} ms, p95 {b['p95']} ms; ratio of "
                     f"p95 {d['p95'] / max(b['p95'], 1e-6):.1f}); reading sent: median "
                     f"{r['reading_ms']['median']} ms, p95 {r['reading_ms']['p95']} ms; "
                     f"images open/verified after: {r['images_now']}")
    return "\n".join(lines)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=3000)
    ap.add_argument("--volunteers", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    sys.exit(backends.main(__file__, ap, measure, report))

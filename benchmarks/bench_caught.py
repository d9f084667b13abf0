"""Issue 17's benchmark on a demo night: of the stations the demo rewrote upstream, how many are
caught by observers' copies and by volunteers' verified readings, and how many verified readings
differ from the paper although the image shows the official figures (careless volunteers'
errors that double typing let through).

A demo of --stations stations is built with every protocol definitive (`sailau demo --no-serve
--reported 100`, in a fresh data directory), then what `sailau demo` does while it serves is
run to the end in this process: every protocol's scan drawn and uploaded (the scans' backfill),
every observer's copy photographed (`sailau.evidence.copies`), and the demo's crowd typing every
image twice (a third time on disagreement). `sailau.evidence.demo.outcome` then compares with
the demo's ground truth. Baseline for the timings, side by side: the build alone.

    .venv/bin/python benchmarks/bench_caught.py [--stations 300] [--seed 2023] [--no-ocr] \
        [--passes 1]

`--no-ocr` uploads the scans without reading their printed digits (~0.2 s of CPU a page): the
QR check and the volunteers decide what is caught here, the OCR only flags papers whose digits
differ from their code, which the demo does not draw.

`--passes N`: the crowd types every image N times over (readings, assignments and reputations
wiped between passes, the typing seed seed+k for pass k), once under today's rule and once
under the old one (two equal readings final even against the official figures and the machine
reading: `checks.doubts` answering nothing), each pass with the same seed for both rules. The
pictures are drawn once; the passes multiply the sample of verified readings the false
mismatch rate is measured on, for the cost of the typing alone.
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=300)
    ap.add_argument("--no-ocr", action="store_true")
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--passes", type=int, default=1)
    a = ap.parse_args()
    data = tempfile.mkdtemp(prefix="bench-caught-")
    os.environ["SAILAU_DATA_DIR"] = data
    os.environ.pop("SAILAU_DATABASE_URL", None)  # the demo's own SQLite database
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sailau", "demo", "--no-serve", "--reported", "100",
                    "--stations", str(a.stations), "--seed", str(a.seed)], check=True,
                   stdout=subprocess.DEVNULL, cwd=ROOT)
    build = time.perf_counter() - t
    sys.path.insert(0, str(ROOT))
    from sailau.cli.django_setup import setup

    setup()
    from django.db.models import Count

    from sailau.demo.synthetic import ELECTION_ID
    from sailau.evidence import copies, crowd, demo
    from sailau.evidence.models import Image
    from sailau.scans import backfill, service

    if a.no_ocr:
        upload_scan = service.upload_scan
        service.upload_scan = lambda *args, **kw: upload_scan(*args, **{**kw, "ocr": False})

    steps = {"build_s": round(build, 1)}
    t = time.perf_counter()
    scans = backfill.run(ELECTION_ID, a.seed, workers=2, until_done=True, say=lambda *x, **k: None)
    steps["scans_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    photos = copies.run(ELECTION_ID, a.seed, until_done=True)
    steps["photos_s"] = round(time.perf_counter() - t, 1)
    passes = []
    for k in range(a.passes):
        for rule in ("new", "old"):
            wipe()
            members = crowd.recruit(seed=a.seed)  # fresh rows: no reputation kept in memory
            t = time.perf_counter()
            with old_rule(rule == "old"):
                sent = crowd.type_images(ELECTION_ID, members, seed=a.seed + k)
            out = demo.outcome(ELECTION_ID)
            passes.append({"pass": k, "rule": rule, "crowd_s": round(time.perf_counter() - t, 1),
                           "readings": dict(sent), **out,
                           "statuses": dict(Image.objects.values_list("status")
                                            .annotate(n=Count("id")).order_by())})
            print(json.dumps(passes[-1]), file=sys.stderr, flush=True)
    totals = {}
    for rule in ("new", "old"):
        mine = [p for p in passes if p["rule"] == rule]
        verified = sum(p["verified"] for p in mine)
        false = sum(p["false_mismatches"] for p in mine)
        totals[rule] = {
            "verified": verified, "false_mismatches": false,
            "false_mismatch_rate": round(false / max(1, verified), 5),
            "readings": sum(p["readings"].get("readings", 0)
                            + p["readings"].get("unreadable", 0) for p in mine),
            "caught": [p["caught"] for p in mine], "rewritten": mine[0]["rewritten"],
            "caught_by_reading": [p["caught_by_reading"] for p in mine],
            "with_evidence": [p["with_evidence"] for p in mine],
            "typed_by_two": [p["typed_by_two"] for p in mine], "images": mine[0]["images"]}
    print(json.dumps({"stations": a.stations, "seed": a.seed, "ocr": not a.no_ocr, "scans": scans,
                      "photos": photos, **steps, "passes": passes, "totals": totals,
                      "load_average": os.getloadavg()}, indent=1))


def wipe() -> None:
    """Every image back to untyped, every volunteer back to no reputation."""
    from sailau.evidence.models import Assignment, Image, Reading, Volunteer

    Reading.objects.all().delete()
    Assignment.objects.all().delete()
    Image.objects.update(status=Image.OPEN, needed=2, assigned=0, wanted=True, figures=None,
                         choices=None, verified_by=0, verified_at=None)
    Volunteer.objects.update(typed=0, decided=0, confirmed=0, low=False, low_reason="")


@contextlib.contextmanager
def old_rule(on: bool):
    """The rule before the third reading: nothing ever speaks against two equal readings."""
    from sailau.evidence import checks

    doubts = checks.doubts
    if on:
        checks.doubts = lambda *args, **kw: []
    try:
        yield
    finally:
        checks.doubts = doubts


if __name__ == "__main__":
    main()

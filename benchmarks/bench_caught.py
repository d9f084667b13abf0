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

    .venv/bin/python benchmarks/bench_caught.py [--stations 300] [--seed 2023] [--no-ocr]

`--no-ocr` uploads the scans without reading their printed digits (~0.2 s of CPU a page): the
QR check and the volunteers decide what is caught here, the OCR only flags papers whose digits
differ from their code, which the demo does not draw.
"""

import argparse
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
    from sailau.demo.synthetic import ELECTION_ID
    from sailau.evidence import copies, crowd, demo
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
    t = time.perf_counter()
    sent = crowd.type_images(ELECTION_ID, crowd.recruit(seed=a.seed), seed=a.seed)
    steps["crowd_s"] = round(time.perf_counter() - t, 1)
    out = demo.outcome(ELECTION_ID)
    out["false_mismatch_rate"] = round(out["false_mismatches"] / max(1, out["verified"]), 5)
    print(json.dumps({"stations": a.stations, "seed": a.seed, "ocr": not a.no_ocr, "scans": scans,
                      "photos": photos, "readings": dict(sent), **steps, **out,
                      "load_average": os.getloadavg()}, indent=1))


if __name__ == "__main__":
    main()

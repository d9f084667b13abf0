"""Scans of signed protocols: QR payloads, the printed PDF, and upload + check of scan images.

1. QR payloads for every current protocol (string and hash): per protocol.
2. Scan images for a sample (the demo's: top of the page with the QR code, skewed, speckled, JPEG).
3. Upload and check of each image (`sailau.scans.service.upload_scan`: type by content, hash,
   decode, compare with the definitive protocol, store, audit): median and p95 per scan.
   Baseline in the same run: the QR decoder alone on the same bytes (`qr.decode_file`), the
   part of an upload no code of ours can make cheaper.
4. One printed protocol as PDF, and decoding the QR code back from that PDF: medians.
And whether every altered scan (a figure changed after printing) was caught on its line.

    .venv/bin/python benchmarks/bench_scans.py [--stations 600] [--sample 100] [--seed 7]

Runs in a fresh temporary SAILAU_DATA_DIR (a synthetic election of --stations stations)."""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def p95(values):
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=600)
    ap.add_argument("--sample", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    os.environ["SAILAU_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-scans-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
    from sailau.cli.django_setup import setup

    setup()
    from sailau.demo.load import load
    from sailau.demo.synthetic import build
    from sailau.elections.models import Contest, Station
    from sailau.protocols.models import Protocol
    from sailau.scans import demo, service
    from sailau.verify import qr

    election = load(build(seed=args.seed, stations=args.stations))
    altered = max(1, args.sample // 20)
    gen = demo.generate(election.id, sample=args.sample, altered=altered, smudged=2,
                        seed=args.seed)
    stations = {s.id: s for s in Station.objects.filter(id__in={s.station_id for s in gen.scans})}
    contests = {c.id: c for c in Contest.objects.filter(election=election)}

    decode, upload, caught = [], [], 0
    for s in gen.scans:
        t0 = time.perf_counter()
        qr.decode_file(s.data)
        decode.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        scan = service.upload_scan(stations[s.station_id], contests[s.contest_id], s.data,
                                   s.filename, None)
        upload.append(time.perf_counter() - t0)
        if s.altered and scan.status == "mismatch" and \
                s.altered["line"] in {d["line"] for d in scan.mismatches}:
            caught += 1

    protocols = list(Protocol.objects.filter(station__election=election, current=True)
                     .select_related("station", "contest")[:10])
    pdf_s, pdf_decode = [], []
    for p in protocols:
        t0 = time.perf_counter()
        pdf = service.protocol_pdf(p)
        pdf_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        texts = qr.decode_pdf(pdf)
        pdf_decode.append(time.perf_counter() - t0)
        assert qr.parse(texts[0]).digest == service.payload_for(p).digest

    med = statistics.median
    n = gen.notes["protocols"]
    print(f"### Scans ({args.stations:,} stations, {n:,} current protocols, "
          f"{len(gen.scans)} scan images, seed {args.seed})\n")
    print("| measure | median | p95 | baseline (same run) | ratio |")
    print("|---|---:|---:|---|---:|")
    print(f"| QR payload, per protocol (all {n:,}) | {1e6 * gen.seconds_payloads / n:.0f} µs | — | "
          "— | — |")
    print(f"| scan image drawn (demo: skewed, speckled JPEG) | "
          f"{1000 * gen.seconds_images / len(gen.scans):.1f} ms (mean) | — | — | — |")
    print(f"| upload and check of one scan | {1000 * med(upload):.1f} ms | "
          f"{1000 * p95(upload):.1f} ms | QR decoder alone {1000 * med(decode):.1f} ms | "
          f"{med(upload) / med(decode):.2f}× |")
    print(f"| printed protocol, PDF | {1000 * med(pdf_s):.0f} ms | {1000 * p95(pdf_s):.0f} ms "
          "| — | — |")
    print(f"| QR code decoded back from that PDF | {1000 * med(pdf_decode):.0f} ms | "
          f"{1000 * p95(pdf_decode):.0f} ms | — | — |")
    print(f"\nAltered scans caught on the changed line: {caught} of {altered}.")


if __name__ == "__main__":
    main()

"""The demo's scan pages: CPU per page to draw (`page.py`), to capture (`capture.py`: turn,
angle, blur, light, JPEG) and to decode the QR code back; JPEG size; and the OCR of the printed
figures (`ocr.py`): cells read right, pages read whole, CPU per page. CPU time (not wall), so
that a loaded machine does not inflate it. Run on a built demo:

    SAILAU_DATA_DIR=DIR .venv/bin/python benchmarks/bench_scan_pages.py [--pages N]
"""

import argparse
import random
import statistics
import time
from collections import Counter


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=40)
    a = ap.parse_args()
    from sailau.cli.django_setup import setup

    setup(migrate=False)
    from sailau.protocols.models import Protocol
    from sailau.scans import capture, demo, ocr, service
    from sailau.verify import qr

    protocols = list(Protocol.objects.current().select_related("station", "contest")
                     .order_by("id")[:a.pages])
    election = protocols[0].contest.election_id
    layouts = demo.forms(election)
    demo._init({cid: f for cid, (f, _, _) in layouts.items()})
    sheets = demo.sheets({p.station_id for p in protocols})
    cost = {"draw": [], "capture": [], "decode": [], "ocr": []}
    sizes, kinds, cells, pages = [], Counter(), Counter(), Counter()
    rng = random.Random(1)
    for p in protocols:
        form, lines, choices = layouts[p.contest_id]
        payload = service.payload_for(p, p.contest.form, choices)
        if p.contest_id not in demo._templates:
            demo._templates[p.contest_id] = demo.page.Template(form)
        t0 = time.process_time()
        sheet = demo._templates[p.contest_id].page(sheets[p.station_id], payload, p.figures,
                                                   p.choices, rng)
        t1 = time.process_time()
        data, kind = capture.capture(sheet, rng)
        t2 = time.process_time()
        image = qr.open_image(data)
        found = qr.first_payload(qr.decode_image(image)) == payload
        t3 = time.process_time()
        reading = ocr.read(image, payload.text, p.contest.form, lines, choices, payload.lines,
                           payload.choices)
        t4 = time.process_time()
        for key, t in zip(("draw", "capture", "decode", "ocr"), (t1 - t0, t2 - t1, t3 - t2,
                                                                 t4 - t3)):
            cost[key].append(1000 * t)
        sizes.append(len(data) / 1024)
        kinds[(kind, found)] += 1
        pages[(kind, reading.status)] += 1
        truth = {**{k: v for k, v in zip(lines, payload.lines) if v is not None},
                 **dict(zip(choices, payload.choices))}
        got = {**reading.figures, **reading.choices}
        cells["right"] += sum(got.get(k) == v for k, v in truth.items())
        cells["all"] += len(truth)
    print(f"{len(protocols)} pages; CPU ms per page, median: "
          + ", ".join(f"{k} {statistics.median(v):.0f}" for k, v in cost.items()))
    print(f"JPEG KiB median {statistics.median(sizes):.0f}; QR found by capture: {dict(kinds)}")
    print(f"OCR by capture: {dict(pages)}; cells read right in trusted readings: "
          f"{cells['right']}/{cells['all']}")


if __name__ == "__main__":
    main()

"""The demo's scans of every other protocol, uploaded while the demo serves.

A page costs ~70 ms of CPU to draw and ~15 ms to upload and check, so the ~20,000 of a national
demo would add half an hour to its build. This process, started by `sailau demo` beside the
night, follows the protocols as they become definitive: every current protocol without a scan
gets one, drawn in worker processes and uploaded through the real service (`upload_scan`, as the
system), the oldest first. It runs at a lower priority than the web server, and sleeps when
everything that is definitive has its scan, until the demo stops it.

    python -m sailau.scans.backfill ELECTION [--seed S] [--workers N] [--until-done]"""

from __future__ import annotations

import threading
import time
import zlib
from concurrent.futures.process import BrokenProcessPool

BATCH = 64


def pending(election_id: str, limit: int = BATCH) -> list[tuple[str, str]]:
    """(station, contest) of current protocols with no scan yet, the oldest first."""
    from django.db.models import Exists, OuterRef

    from sailau.protocols.models import Protocol
    from sailau.scans.models import Scan

    has_scan = Scan.objects.filter(station_id=OuterRef("station_id"),
                                   contest_id=OuterRef("contest_id"))
    return list(Protocol.objects.current().filter(contest__election_id=election_id)
                .exclude(Exists(has_scan)).order_by("created_at", "id")
                .values_list("station_id", "contest_id")[:limit])


def upload(election_id: str, keys: list[tuple[str, str]], seed: int, workers: int,
           layouts: dict, stop: threading.Event | None = None) -> dict:
    """Draw and upload the scans of `keys`; a count of statuses. Once `stop` is set, what is
    left of the batch is left for the next run."""
    from collections import Counter

    from sailau.elections.models import Contest, Station
    from sailau.protocols.models import Protocol
    from sailau.scans import demo, service

    stations = {s.id: s for s in Station.objects.filter(id__in={k[0] for k in keys})}
    contests = {c.id: c for c in Contest.objects.filter(election_id=election_id)}
    sheets = demo.sheets(stations)
    papers = demo.rewritten_papers()
    wanted, jobs = set(keys), []
    for p in (Protocol.objects.current().filter(contest__election_id=election_id,
                                                station_id__in=stations)
              .select_related("station", "contest")):
        if (p.station_id, p.contest_id) not in wanted:
            continue
        _, _, choices = layouts[p.contest_id]
        # A station rewritten upstream: its paper shows what it counted (scans/demo.py).
        figures, votes = demo.paper_figures(papers, p.station_id, p.figures, p.choices)
        payload = demo.paper_payload(service.payload_for(p, p.contest.form, choices), choices,
                                     votes)
        jobs.append(demo.Job(p.contest_id, sheets[p.station_id], payload.text, figures,
                             votes, seed=zlib.crc32(f"{seed}/{p.station_id}/{p.contest_id}"
                                                        .encode()), station_id=p.station_id))
    drawn = demo.draw_all(jobs, {cid: f for cid, (f, _, _) in layouts.items()}, workers,
                           stop)
    statuses: Counter = Counter()
    for job, (data, _) in zip(jobs, drawn):
        if stop is not None and stop.is_set():
            break
        try:
            scan = service.upload_scan(stations[job.station_id], contests[job.contest_id], data,
                                       f"scan-{job.station.number}.jpg", None)
            statuses[scan.status] += 1
        except service.ScanError as exc:  # amended in between: the next round draws it again
            statuses[exc.code] += 1
    return dict(statuses)


def run(election_id: str, seed: int = 2023, workers: int = 2, until_done: bool = False,
        stop: threading.Event | None = None, poll: float = 5.0, say=print) -> dict:
    """Upload scans until every definitive protocol has one (then return if `until_done`,
    else wait for more) or until `stop` is set. Returns the count of statuses."""
    from collections import Counter

    from sailau.scans import demo

    stop = stop or threading.Event()
    layouts = demo.forms(election_id)
    total: Counter = Counter()
    t0, reported = time.perf_counter(), 0
    while not stop.is_set():
        keys = pending(election_id)
        if not keys:
            if until_done:
                break
            stop.wait(poll)
            continue
        try:
            total.update(upload(election_id, keys, seed, workers, layouts, stop))
        except BrokenProcessPool:
            # A stop signal sent to the whole process group (the demo stopping) kills the
            # processes drawing pages under this one: stop, the batch is drawn again next time.
            if stop.is_set():
                break
            raise
        done = sum(total.values())
        if done - reported >= 1000:
            reported = done
            say(said(dict(total), time.perf_counter() - t0), flush=True)
    return dict(total)


def said(total: dict, seconds: float) -> str:
    """"scans: 1,000 uploaded in 87 s (matched 940, needs reading 60)": the scans' statuses
    (or refusals' codes) as counts, never a dict."""
    counts = ", ".join(f"{k.replace('_', ' ')} {n:,}" for k, n in sorted(total.items()) if n)
    return f"scans: {sum(total.values()):,} uploaded in {seconds:.0f} s" + (
        f" ({counts})" if counts else "")


def main(argv=None) -> int:
    from sailau.background import demo_side_main

    return demo_side_main(
        argv, prog="python -m sailau.scans.backfill",
        until_done="stop when every definitive protocol has a scan",
        arguments=lambda ap: ap.add_argument("--workers", type=int, default=2,
                                             help="processes drawing pages"),
        run=lambda a, stop: run(a.election, a.seed, a.workers, a.until_done, stop), summary=said)


if __name__ == "__main__":
    raise SystemExit(main())

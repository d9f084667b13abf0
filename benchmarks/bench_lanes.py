"""Publication while protocols arrive, in process, on a copy of a national demo: the publisher's
batch time (and the national lane's round beside it) and the national page's render after each
new station. Run it with each checkout's interpreter on its own copy of the same data directory
(`sailau demo --reported 85 --night-minutes 0 --no-serve`), one after the other (`OTHER`: the
other checkout):

    SAILAU_DATA_DIR=COPY1 OTHER/.venv/bin/python benchmarks/bench_lanes.py publisher 10 10
    SAILAU_DATA_DIR=COPY2 .venv/bin/python benchmarks/bench_lanes.py publisher 10 10
    SAILAU_DATA_DIR=COPY1 OTHER/.venv/bin/python benchmarks/bench_lanes.py page 8
    SAILAU_DATA_DIR=COPY2 .venv/bin/python benchmarks/bench_lanes.py page 8

Each interpreter imports its own checkout (its editable install). `publisher K ROUNDS`: before each
round the next K unreported stations (by id) go through the chain, then one cycle is timed; a
checkout without the national lane publishes its national tables inside the batch when due.
`page N`: one more station through the chain, then the national page rendered (no page cache)."""

import json
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
import django

django.setup()

from sailau.demo.chain import route
from sailau.demo.synthetic import build
from sailau.elections.models import Election
from sailau.protocols.models import Protocol


def unreported(syn) -> list[str]:
    done = set(Protocol.objects.filter(current=True).values_list("station_id", flat=True))
    return sorted(s["id"] for s in syn.stations if s["id"] not in done)


def publisher_rounds(eid, syn, k: int, rounds: int) -> dict:
    from sailau.publish.pipeline import batches, national_lane

    lanes = "defer_national" in batches.publish_changes.__code__.co_varnames
    kw = {"defer_national": True} if lanes else {}
    left = unreported(syn)
    batches.publish_changes(eid, **kw)
    batch, lane = [], []
    for r in range(rounds):
        route(syn, only=set(left[r * k:(r + 1) * k]))
        t = time.perf_counter()
        batches.publish_changes(eid, **kw)
        batch.append(time.perf_counter() - t)
        if lanes:
            t = time.perf_counter()
            national_lane.rewrite_national(eid)
            lane.append(time.perf_counter() - t)
        time.sleep(2)
    return {"lanes": lanes, "batch": [round(x, 2) for x in batch],
            "median": round(statistics.median(batch), 2), "max": round(max(batch), 2),
            "lane": [round(x, 2) for x in lane]}


def page_renders(eid, syn, n: int) -> dict:
    from django.test import Client

    left = unreported(syn)
    c = Client(HTTP_HOST="localhost")
    c.get(f"/en/e/{eid}/")
    times = []
    for i in range(n):
        route(syn, only={left[i]})
        t = time.perf_counter()
        r = c.get(f"/en/e/{eid}/")
        times.append(time.perf_counter() - t)
        assert r.status_code == 200 and r["X-Page-Cache"] == "miss"
    return {"renders": [round(x, 2) for x in times], "median": round(statistics.median(times), 2)}


def main() -> None:
    eid = Election.objects.values_list("id", flat=True).first()
    syn = build(seed=2023, stations=Election.objects.get(id=eid).stations.count())
    args = [int(a) for a in sys.argv[2:]]
    out = (publisher_rounds(eid, syn, *args) if sys.argv[1] == "publisher"
           else page_renders(eid, syn, *args))
    out["load"] = os.getloadavg()
    print(json.dumps(out))


if __name__ == "__main__":
    main()

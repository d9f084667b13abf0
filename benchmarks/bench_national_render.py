"""The national page rendered after each new protocol, at full scale mid-night: what every
render costs on election night, since the page's cache key follows the tallies.

In a copy of a built demo's data directory (SQLite; `sailau demo --no-serve` leaves 20 % of the
stations to arrive), each round makes one more station's protocols definitive (stored as the
chain stores them: a new current version and its difference added to every tally above it)
and then renders the national page in English, without the page cache. The first render of a
run fills the results-over-time series; the figure is the median of the renders after it.

Run it with two interpreters side by side to compare two checkouts (each editable install
imports its own tree), alternating rounds of --rounds renders:

    .venv/bin/python benchmarks/bench_national_render.py --data DIR \\
        [--baseline OTHER/.venv/bin/python] [--renders 7] [--rounds 2]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

WORKER = r'''
import os, sys, time, json
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
from sailau.cli.django_setup import setup
setup()
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone, translation
from sailau.elections.models import Contest, Election, Station
from sailau.protocols import tabulation
from sailau.protocols.models import Protocol, StepTime
from sailau.web import views

n = int(sys.argv[1])
e = Election.objects.get()
contests = list(e.contests.select_related("commission"))
waiting = list(Station.objects.filter(election=e).exclude(protocols__isnull=False)
               .order_by("number")[: n + 1])
template = Protocol.objects.filter(contest__election=e, current=True).first()
request = RequestFactory().get(f"/en/e/{e.id}/")
times = []
for i, st in enumerate(waiting):
    with transaction.atomic():
        for c in contests:
            if c.kind == Contest.SINGLE_MEMBER and c.commission_id != st.smd_id:
                continue
            keys = [ch.key for ch in c.choices.all()]
            new = Protocol.objects.create(station=st, contest=c, figures=template.figures,
                                          choices={k: 1 for k in keys})
            tabulation.apply(c, st, None, new)
        StepTime.objects.get_or_create(station=st, step="definitive",
                                       defaults={"at": timezone.now()})
    with translation.override("en"):
        t = time.perf_counter()
        r = views._election_page(request, e)
        times.append(time.perf_counter() - t)
    assert r.status_code == 200
print(json.dumps(times[1:]))
'''


def run(python: str, data: Path, renders: int) -> list[float]:
    """Renders after one new protocol each, in a fresh copy of the data directory."""
    with tempfile.TemporaryDirectory(prefix="sailau-render-") as tmp:
        copy = Path(tmp) / "var"
        shutil.copytree(data, copy, ignore=shutil.ignore_patterns("cache", "snapshots",
                                                                  "media", "static"))
        env = {**os.environ, "SAILAU_DATA_DIR": str(copy)}
        env.pop("SAILAU_DATABASE_URL", None)
        out = subprocess.run([python, "-c", WORKER, str(renders)], env=env, cwd=tmp,
                             capture_output=True, text=True, check=False)
        if out.returncode:
            raise SystemExit(f"{python}: {out.stderr[-2000:]}")
        import json

        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, required=True, help="a built demo's SAILAU_DATA_DIR")
    ap.add_argument("--baseline", help="the interpreter of the checkout to compare with")
    ap.add_argument("--renders", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args()
    runs = {"this checkout": (sys.executable, [])}
    if a.baseline:
        runs["baseline"] = (a.baseline, [])
    for _ in range(a.rounds):
        for python, times in runs.values():
            times += run(python, a.data, a.renders)
    print("| checkout | renders | median s | min s | max s |")
    print("|---|---:|---:|---:|---:|")
    for name, (_, times) in runs.items():
        print(f"| {name} | {len(times)} | {statistics.median(times):.3f} | {min(times):.3f} | "
              f"{max(times):.3f} |")
    if a.baseline:
        ratio = statistics.median(runs["this checkout"][1]) / statistics.median(
            runs["baseline"][1])
        print(f"\nratio this checkout / baseline: {ratio:.2f}")


if __name__ == "__main__":
    main()

"""Observation benchmarks, printed as Markdown.

1. PVT estimates recomputed after each report arrives, on a 1,000-station stratified sample of
   the full-scale synthetic election: median time per recompute (target < 20 ms), against a
   plain-Python implementation of the same estimator measured in the same run; and the full
   database path (`sailau.observation.pvt.result`) with 1,000 copies stored.
2. 2,000 observers syncing one checklist each through the HTTP API against `sailau serve` on
   loopback (a bounded pool of client threads; 10% of them re-send the same report, as a phone
   that lost the answer would): target within one minute, no errors, every report stored once.

Runs in a temporary SAILAU_DATA_DIR; takes about a minute.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from harness import Server

OBSERVERS = 2000
THREADS = 16
SAMPLE = 1000


def naive_estimate(rows, names, population):
    """The combined ratio estimator in plain Python loops: the baseline."""
    by: dict[str, list] = {}
    for h, votes, counted in rows:
        by.setdefault(h, []).append((votes, counted))
    x_hat = sum(population[h] / len(v) * sum(c for _, c in v) for h, v in by.items())
    out = {}
    for j, k in enumerate(names):
        y_hat = sum(population[h] / len(v) * sum(vs[j] for vs, _ in v) for h, v in by.items())
        r = y_hat / x_hat
        var = 0.0
        for h, v in by.items():
            n = len(v)
            if n < 2:
                continue
            d = [vs[j] - r * c for vs, c in v]
            mean = sum(d) / n
            s2 = sum((x - mean) ** 2 for x in d) / (n - 1)
            var += population[h] ** 2 * (1 - n / population[h]) * s2 / n
        out[k] = (r, var / x_hat ** 2)
    return out


def bench_pvt_maths() -> dict:
    import numpy as np

    from sailau.analysis import pvt
    from sailau.demo.mazhilis2023 import LIST_KEYS
    from sailau.demo.synthetic import build

    syn = build(seed=2023)
    list_id = next(c["id"] for c in syn.contests if c["kind"] == "party_list")
    ids = [s["id"] for s in syn.stations]
    strata = {s["id"]: f"{s['territory']}|{'urban' if s['urban'] else 'rural'}" for s in syn.stations}
    population: dict[str, int] = {}
    for h in strata.values():
        population[h] = population.get(h, 0) + 1
    drawn = pvt.draw(ids, SAMPLE, seed=1, strata=[strata[i] for i in ids])
    rng = np.random.default_rng(0)
    arrival = [drawn[i] for i in rng.permutation(len(drawn))]  # reports arrive in random order
    votes = np.array([[syn.protocols[(s, list_id)]["choices"][k] for k in LIST_KEYS]
                      for s, _ in arrival], dtype=float)
    figs = [syn.protocols[(s, list_id)]["figures"] for s, _ in arrival]
    counted = votes.sum(axis=1) + np.array([f["invalid"] for f in figs])
    ballots = np.array([f["issued_in_room"] + f["issued_mobile"] + f["issued_absentee"]
                        for f in figs], dtype=float)
    voters = np.array([f["voters_on_list"] for f in figs], dtype=float)
    labels = [h for _, h in arrival]

    times = []
    for n in range(1, SAMPLE + 1):
        t0 = time.perf_counter()
        est = pvt.estimate(votes[:n], counted[:n], LIST_KEYS, labels[:n], population,
                           ballots=ballots[:n], voters=voters[:n])
        times.append(time.perf_counter() - t0)
    rows = [(labels[i], list(votes[i]), counted[i]) for i in range(SAMPLE)]
    naive_times = []
    for n in (SAMPLE,) * 20:
        t0 = time.perf_counter()
        ref = naive_estimate(rows[:n], LIST_KEYS, population)
        naive_times.append(time.perf_counter() - t0)
    full_times = times[-50:]
    for k in LIST_KEYS:  # the two implementations agree
        assert abs(ref[k][0] - est.shares[k].estimate) < 1e-12
        assert abs(ref[k][1] ** 0.5 - est.shares[k].se) < 1e-9
    return {"median_all": statistics.median(times), "max_all": max(times),
            "median_full": statistics.median(full_times),
            "naive_full": statistics.median(naive_times), "strata": len(population)}


def prepare_server_data() -> dict:
    """An election with 2,000 observers, each with an account, a token and a station."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.utils import timezone

    from sailau.accounts.models import ApiToken
    from sailau.demo.load import load
    from sailau.demo.synthetic import build
    from sailau.elections.models import Commission
    from sailau.observation import models as m

    syn = build(seed=11, stations=OBSERVERS + 100)
    election = load(syn, route=False)
    cec = Commission.objects.get(election=election, level="cec")
    org = m.Organisation.objects.create(election=election, kind="citizen", name_kk="Бенчмарк")
    m.Accreditation.objects.create(organisation=org, commission=cec, applied_on=election.date,
                                   status="granted", decision_number="1",
                                   decision_date=election.date)
    unusable = make_password(None)
    User.objects.bulk_create([User(username=f"bench-obs-{i}", password=unusable)
                              for i in range(OBSERVERS)], batch_size=1000)
    users = list(User.objects.filter(username__startswith="bench-obs-").order_by("id"))
    stations = list(election.stations.order_by("number").values_list("id", flat=True))[:OBSERVERS]
    m.Observer.objects.bulk_create([m.Observer(organisation=org, kind="citizen", user=u,
                                               full_name=u.username, badge=f"B{i:06d}")
                                    for i, u in enumerate(users)], batch_size=1000)
    obs = list(m.Observer.objects.filter(organisation=org).order_by("badge"))
    m.Deployment.objects.bulk_create([m.Deployment(observer=o, station_id=s)
                                      for o, s in zip(obs, stations)], batch_size=1000)
    tokens = [uuid.uuid4().hex for _ in users]
    ApiToken.objects.bulk_create([ApiToken(user=u, key_hash=ApiToken.digest(t), label="bench")
                                  for u, t in zip(users, tokens)], batch_size=1000)
    now = timezone.now().isoformat()
    return {"jobs": [(t, s, str(uuid.uuid4()), now) for t, s in zip(tokens, stations)],
            "election": election.id}


def post(port: int, token: str, body: dict) -> tuple[int, float]:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/observation/checklists",
                                 data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {token}",
                                          "Content-Type": "application/json"})
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            resp.read()
            status = resp.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return status, time.perf_counter() - t0


def bench_sync(data: dict, port: int) -> dict:
    answers = {"voters_on_list_announced": "yes", "signatures_counted": "no",
               "counted_before_sorting": "no", "overall": "bad"}
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    latencies = []

    def one(job, resend: bool):
        token, station, uid, at = job
        body = {"uuid": uid, "station": station, "stage": "counting", "answers": answers,
                "observed_at": at}
        results = [post(port, token, body)]
        if resend:
            results.append(post(port, token, body))
        with lock:
            for status, dt_ in results:
                statuses[status] = statuses.get(status, 0) + 1
                latencies.append(dt_)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(lambda ij: one(ij[1], ij[0] % 10 == 0), enumerate(data["jobs"])))
    elapsed = time.perf_counter() - t0
    latencies.sort()
    return {"elapsed": elapsed, "statuses": statuses,
            "p50": latencies[len(latencies) // 2], "p95": latencies[int(0.95 * len(latencies))]}


def bench_pvt_db(election_id: str) -> dict:
    """pvt.result with 1,000 copies in the database (queries included)."""
    from sailau.demo.synthetic import build
    from sailau.elections.models import Contest
    from sailau.observation import models as m
    from sailau.observation import pvt

    contest = Contest.objects.get(election_id=election_id, kind="party_list")
    sample = pvt.draw_sample(None, contest.id, SAMPLE, seed=3)
    syn = build(seed=11, stations=OBSERVERS + 100)
    obs = m.Observer.objects.filter(organisation__election_id=election_id).first()
    chosen = list(sample.stations.values_list("station_id", flat=True))
    m.ObserverCopy.objects.bulk_create([
        m.ObserverCopy(uuid=uuid.uuid4(), observer=obs, station_id=s, contest=contest,
                       figures=syn.protocols[(s, contest.id)]["figures"],
                       choices=syn.protocols[(s, contest.id)]["choices"]) for s in chosen],
        batch_size=1000)
    times = []
    for _ in range(15):
        t0 = time.perf_counter()
        pvt.result(sample)
        times.append(time.perf_counter() - t0)
    return {"median": statistics.median(times)}


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="sailau-bench-obs-")
    os.environ["SAILAU_DATA_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
    maths = bench_pvt_maths()

    from sailau.cli.django_setup import setup

    setup()
    t0 = time.perf_counter()
    data = prepare_server_data()
    prep = time.perf_counter() - t0
    server = Server(Path(tmp), 3, os.environ.get("SAILAU_DATABASE_URL"))
    try:
        sync = bench_sync(data, server.port)
    finally:
        server.stop()
    from sailau.observation.models import ChecklistSubmission

    stored = ChecklistSubmission.objects.count()
    db = bench_pvt_db(data["election"])

    print("## Observation (`benchmarks/bench_observation.py`)\n")
    print(f"PVT recomputed after each of {SAMPLE:,} reports (stratified sample, "
          f"{maths['strata']} strata, 8 choices + turnout):\n")
    print("| measure | median | ratio to plain Python |")
    print("|---|---:|---:|")
    print(f"| recompute, over all 1..{SAMPLE} reports | {maths['median_all'] * 1e3:.2f} ms "
          f"(max {maths['max_all'] * 1e3:.2f} ms) | |")
    print(f"| recompute with all {SAMPLE} reports | {maths['median_full'] * 1e3:.2f} ms | "
          f"{maths['naive_full'] / maths['median_full']:.1f}× faster "
          f"(plain Python {maths['naive_full'] * 1e3:.1f} ms) |")
    print(f"| `pvt.result` from the database ({SAMPLE} copies, queries included) | "
          f"{db['median'] * 1e3:.1f} ms | |")
    errors = sum(n for s, n in sync["statuses"].items() if s not in (200, 201))
    print(f"\n{OBSERVERS:,} observers syncing one checklist each through `sailau serve` "
          f"(3 workers, SQLite WAL) on loopback, {THREADS} client threads, every tenth report "
          f"sent twice (data prepared in {prep:.1f} s):\n")
    print("| requests | elapsed | per second | p50 | p95 | errors | stored |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    total = sum(sync["statuses"].values())
    print(f"| {total:,} | {sync['elapsed']:.1f} s | {total / sync['elapsed']:.0f} | "
          f"{sync['p50'] * 1e3:.0f} ms | {sync['p95'] * 1e3:.0f} ms | {errors} | "
          f"{stored:,} of {OBSERVERS:,} |")
    print(f"\nStatus codes: {dict(sorted(sync['statuses'].items()))} "
          f"(201 stored, 200 the re-sent duplicate, answered without storing). "
          f"Target: within 60 s, no errors: {'met' if sync['elapsed'] < 60 and errors == 0 and stored == OBSERVERS else 'NOT met'}; "
          f"recompute < 20 ms: {'met' if maths['median_full'] < 0.02 else 'NOT met'}.")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

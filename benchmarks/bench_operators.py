"""50 operators entering protocols at the same time, for two minutes, against `sailau serve`
on loopback.

Each operator is a real user with an API token and operator roles on two blocks of stations:
its own block, where it types the first entries, and its neighbour's block, where it types the
second entries once the neighbour has finalised the first (a second entry needs a different
user). Every protocol goes as an operator's page sends it: a draft saved while typing (PUT),
then the finalisation (POST) with the warnings acknowledged; the second typist first reads the
entry's state (GET). Any response other than 2xx is an error (expected: none).

Baseline in the same run: one operator alone (sequential), same requests, for a tenth of the
time: the ratio says what concurrency costs each request.

    .venv/bin/python benchmarks/bench_operators.py [--operators 50] [--seconds 120]
        [--stations 3000] [--workers N] [--database-url postgres://...]
"""

import http.client
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness
from harness import Server


def prepare(data_dir: Path, stations: int, operators: int, database_url: str | None) -> dict:
    """Load an election's structure and make the operators (see `harness.in_django`)."""
    code = harness.PROTOCOLS + r'''
from sailau.accounts.models import ApiToken, Role
from django.contrib.auth.models import User
from sailau.demo.load import load
from sailau.demo.synthetic import build
n, ops = int(sys.argv[1]), int(sys.argv[2])
syn = build(seed=2023, stations=n)
election = load(syn, route=False)
stations = sorted(syn.stations, key=lambda s: s["number"])
# One block per operator, and one more for the baseline operator, who works alone.
blocks = [stations[i::ops + 1] for i in range(ops + 1)]
out = []
for i in range(ops + 1):
    u, _ = User.objects.get_or_create(username=f"op-{i:02d}")  # a reused PostgreSQL db
    mine, theirs = blocks[i], (blocks[(i - 1) % ops] if i < ops else [])
    for s in mine + theirs:
        Role.objects.get_or_create(user=u, kind="operator", commission_id=s["id"])
    out.append({"user": u.username, "token": ApiToken.issue(u, "bench"),
                "first": [s["id"] for s in mine], "second": [s["id"] for s in theirs]})
print(json.dumps({"operators": out, "protocols": protocols_of(syn)}))
'''
    return harness.in_django("import json\n" + code, data_dir, database_url, stations, operators)


class Operator(threading.Thread):
    """One operator: types first entries on its block, second entries on its neighbour's
    block once their first entries are finalised, until the time is up or nothing is left."""

    def __init__(self, port, op, protocols, until, log, seed):
        super().__init__(daemon=True)
        self.port, self.op, self.protocols, self.until = port, op, protocols, until
        self.log, self.rnd = log, random.Random(seed)
        self.done_protocols = 0

    def call(self, method, path, body=None):
        t = time.perf_counter()
        status, text = 0, ""
        try:
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            headers = {"Authorization": f"Bearer {self.op['token']}"}
            data = None
            if body is not None:
                data = json.dumps(body)
                headers["Content-Type"] = "application/json"
            c.request(method, path, body=data, headers=headers)
            r = c.getresponse()
            status, text = r.status, r.read().decode()
            c.close()
        except OSError as exc:
            text = repr(exc)
        ms = (time.perf_counter() - t) * 1000
        self.log.append((method, path.split("/")[-1], status, ms, text[:200] if
                         not 200 <= status < 300 else ""))
        return status, (json.loads(text) if text.startswith("{") else {})

    def enter(self, station, p, n):
        base = f"/api/protocols/{station}/{p['contest']}/entry/{n}"
        if n == 1:  # the operator opens the protocol: its state first, as the page does
            self.call("GET", f"/api/protocols/{station}/{p['contest']}/entry")
        # A draft as it is typed: the first few lines.
        keys = list(p["figures"])[: self.rnd.randint(2, 6)]
        self.call("PUT", base, {"figures": {k: str(p["figures"][k]) for k in keys},
                                "choices": {}})
        s, _ = self.call("POST", f"{base}/finalise", {
            "figures": p["figures"], "choices": p["choices"], "acknowledged": p["acknowledged"]})
        if 200 <= s < 300:
            self.done_protocols += 1

    def run(self):
        firsts = [(s, p) for s in self.op["first"] for p in self.protocols[s]]
        seconds = [(s, p) for s in self.op["second"] for p in self.protocols[s]]
        while time.time() < self.until and (firsts or seconds):
            if firsts and (not seconds or self.rnd.random() < 0.5):
                s, p = firsts.pop(0)
                self.enter(s, p, 1)
                continue
            s, p = seconds[0]
            _, view = self.call("GET", f"/api/protocols/{s}/{p['contest']}/entry")
            if view.get("state") in ("first_entry_finalised", "second_entry_in_progress"):
                seconds.pop(0)
                self.enter(s, p, 2)
            elif view.get("state") in ("definitive", "entries_different"):
                seconds.pop(0)
            elif not firsts:
                time.sleep(0.2)  # the neighbour has not finalised it yet
            else:
                s, p = firsts.pop(0)
                self.enter(s, p, 1)


def warm_up(port, op, workers):
    """Each server worker loads Django, the URL map and the law on its first requests: not
    what is measured here."""
    c = Operator(port, op, {}, 0, [], 0)
    for _ in range(workers * 4):
        c.call("GET", "/api/openapi.json")


def run_phase(port, setup, operators, seconds, seed):
    log = []
    until = time.time() + seconds
    threads = [Operator(port, op, setup["protocols"], until, log, seed + i)
               for i, op in enumerate(setup["operators"][:operators])]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join(seconds + 120)
    wall = time.perf_counter() - t
    return summarise(log, wall, sum(th.done_protocols for th in threads), operators)


def summarise(log, wall, entries, operators):
    ms = sorted(x[3] for x in log)
    errors = [x for x in log if not 200 <= x[2] < 300]
    by_kind = {}
    for method in ("PUT", "POST", "GET"):
        xs = sorted(x[3] for x in log if x[0] == method)
        if xs:
            by_kind[method] = {"n": len(xs), "p50": statistics.median(xs),
                               "p99": xs[min(len(xs) - 1, int(0.99 * len(xs)))]}
    return {"operators": operators, "wall_s": wall, "requests": len(log),
            "errors": len(errors), "error_samples": Counter(
                (e[2], e[4][:120]) for e in errors).most_common(5),
            "entries_finalised": entries, "rps": len(log) / wall, "entries_per_s": entries / wall,
            "p50_ms": statistics.median(ms) if ms else 0,
            "p99_ms": ms[min(len(ms) - 1, int(0.99 * len(ms)))] if ms else 0,
            "by_kind": by_kind}


def report(backend, workers, base, load, worker_class="") -> str:
    title = (f"## Concurrent operators (`benchmarks/bench_operators.py`, {backend}, "
             f"{worker_class} {workers} workers, loopback)")
    header = ("| run | operators | seconds | requests | errors | entries finalised | "
              "requests/s | entries/s | p50 ms | p99 ms |")
    lines = [title, "", header, "|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in (("baseline: one operator", base), ("concurrent", load)):
        lines.append(f"| {name} | {r['operators']} | {r['wall_s']:.0f} | {r['requests']} | "
                     f"{r['errors']} | {r['entries_finalised']} | {r['rps']:.1f} | "
                     f"{r['entries_per_s']:.1f} | {r['p50_ms']:.0f} | {r['p99_ms']:.0f} |")
    lines += ["", "| request (concurrent run) | n | p50 ms | p99 ms |", "|---|---|---|---|"]
    names = {"PUT": "PUT draft", "POST": "POST finalise", "GET": "GET entry state"}
    for k, v in load["by_kind"].items():
        lines.append(f"| {names[k]} | {v['n']} | {v['p50']:.0f} | {v['p99']:.0f} |")
    ratio = (f"Throughput ratio concurrent / one operator: {load['rps'] / base['rps']:.1f}× "
             f"requests/s; p99 ratio {load['p99_ms'] / max(base['p99_ms'], 1e-9):.1f}×. "
             "Operators type without pauses (a stress test): by Little's law each request "
             f"waits about operators / throughput = {load['operators'] / load['rps']:.2f} s.")
    lines += ["", ratio]
    if load["errors"] or base["errors"]:
        lines.append(f"Errors: {load['error_samples'] or base['error_samples']}")
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = harness.options(__doc__, stations=3000, operators=50)
    ap.add_argument("--seconds", type=float, default=120)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="sailau-ops-") as tmp:
        data = Path(tmp)
        setup = prepare(data, a.stations, a.operators, a.database_url)
        server = Server(data, a.workers, a.database_url)
        try:
            warm_up(server.port, setup["operators"][-1], a.workers)
            # Baseline: the extra operator alone on its own block (first entries: state,
            # draft, finalise). Then the ring of operators, each on its block and its
            # neighbour's.
            alone = {**setup, "operators": setup["operators"][-1:]}
            base = run_phase(server.port, alone, 1, max(5.0, a.seconds / 10), 1)
            ring = {**setup, "operators": setup["operators"][:-1]}
            load = run_phase(server.port, ring, a.operators, a.seconds, 100)
        finally:
            worker_class = "granian" if "granian" in server.log.read_text() else ""
            server.stop(a.server_log)
    backend = "PostgreSQL" if a.database_url else "SQLite"
    print(report(backend, a.workers, base, load, worker_class))
    return 1 if load["errors"] or base["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())

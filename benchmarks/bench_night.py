"""A compressed election night on loopback: every station's first and second entries (all its
contests) through the HTTP API within `--minutes`, from many concurrent simulated operators,
against `sailau serve` (its granian workers and its background publisher), while public readers
request station, commission and national pages and snapshot files.

Each operator is a real user with an API token and operator roles on two blocks of stations: it
types the first entries of its own block and the second entries of its neighbour's (a second
entry needs another user). Entries are spread over the night: each station's first entries at a
random moment of the first 85 % of it, the second a little later. An operator behind schedule
types without pause, so the submissions/s say what the server sustained.

Freshness, from the moment the second entry's answer says "definitive" to:
  (a) its station page (/en/e/<election>/s/<number>/) showing the protocol (sampled), and
      then the same page showing it in a checkpoint both witnesses cosigned ("station page,
      witnessed": the page shows a protocol only the log has signed apart, under its own badge);
  (b) the national page counting it (stations reported ≥ those the operators had made definitive);
  (c) the published snapshot file stations/<number>.json of the latest manifest carrying it
      (read from the snapshot directory: the publication, not the server's queue);
  (d) its leaf in a checkpoint of the published log cosigned by both witnesses (two
      `sailau witness serve` processes, as two observer organisations run them, to which the
      log pushes each checkpoint it signs (C2SP tlog-witness); with `--pull-witnesses`, two
      `sailau witness run` polling the server every `--witness-interval` seconds; read from
      log/checkpoint and the entry bundles in the snapshot directory).
Bytes written by publication: every object, manifest body and log file that appeared in the
snapshot directory (seen by a watcher every second: objects and tiles are immutable and named by
content or size, so none is counted twice), plus each rewrite of manifest.json and
log/checkpoint; per protocol made definitive in the night.
At the end the stored totals of every level are compared with the definitive protocols
(`sailau tally check`).

    .venv/bin/python benchmarks/bench_night.py [--stations 10223] [--minutes 10]
        [--reported PERCENT] [--operators 60] [--readers 4] [--workers N]
        [--database-url postgres://...] [--server-log FILE] [--pull-witnesses]
        [--kill-writer-at SECONDS] [--keep DIR]

`--reported`: that share of the stations is already reported (routed through the chain, as the
demo's build does) when the night starts; the rest arrive through the API. The pages then weigh
what they weigh at that point of a national night.
"""

import contextlib
import heapq
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness
from harness import Server
from process_cpu import ProcessCpu
from writer_kill import WriterKill

from sailau.demo import witnesses
from sailau.publish.storage import store

SAMPLE_PAGES = 5  # one definitive protocol in this many has its station page watched


def prepare(data_dir: Path, stations: int, operators: int, database_url: str | None,
            reported: float = 0) -> dict:
    """The election's structure, the operators with their roles and tokens, the protocols to
    type and a first publication (see `harness.in_django`)."""
    code = harness.PROTOCOLS + r'''
import json
from django.contrib.auth.models import User
from django.db import transaction
from sailau.accounts.models import ApiToken, Role
from sailau.demo.load import load
from sailau.demo.synthetic import build
from sailau.publish.pipeline import snapshots
from sailau.demo import witnesses
n, ops, reported = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
syn = build(seed=2023, stations=n)
election = load(syn, route=False)
stations = sorted(syn.stations, key=lambda s: s["number"])
# Stations already reported when the night starts: through the chain, as the demo does.
import random
before = {s["id"] for s in random.Random(7).sample(stations, int(len(stations) * reported / 100))}
if before:
    from sailau.demo.chain import route
    route(syn, only=before)
stations = [s for s in stations if s["id"] not in before]
blocks = [stations[i::ops] for i in range(ops)]
out = []
with transaction.atomic():
    users = []
    for i in range(ops):
        u, _ = User.objects.get_or_create(username=f"night-op-{i:03d}")  # a reused database
        Role.objects.filter(user=u).delete()
        users.append(u)
    Role.objects.bulk_create([Role(user=users[i], kind="operator", commission_id=s["id"],
                                   election_id=election.id)
                              for i in range(ops) for s in blocks[i] + blocks[i - 1]],
                             batch_size=2000)
    for i, u in enumerate(users):
        out.append({"token": ApiToken.issue(u, "bench-night"),
                    "first": [s["id"] for s in blocks[i]],
                    "second": [s["id"] for s in blocks[i - 1]]})
protocols = {sid: ps for sid, ps in protocols_of(syn).items() if sid not in before}
witnesses.register(election.id, say=lambda *a, **k: None)  # two observer organisations' keys
snapshots.publish(election.id)
numbers = {s["id"]: s["number"] for s in stations}
from sailau.ledger.models import LogState
print(json.dumps({"election": election.id, "operators": out, "protocols": protocols,
                  "log_key": LogState.objects.get(pk=election.id).verifier_key,
                  "numbers": numbers, "reported_before": len(before),
                  "territories": sorted({s["territory"] for s in stations})}))
'''
    return harness.in_django(code, data_dir, database_url, stations, operators, reported)


class Http:
    """A keep-alive connection per thread; every answer is logged as (kind, status, ms)."""

    def __init__(self, port: int, log: list):
        self.port, self.log, self.local = port, log, threading.local()

    def call(self, kind: str, method: str, path: str, token=None, body=None, headers=None):
        h = dict(headers or {})
        if token:
            h["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data, h["Content-Type"] = json.dumps(body), "application/json"
        t = time.perf_counter()
        status, text, rh = 0, b"", {}
        for _ in range(2):
            c = getattr(self.local, "c", None) or http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=120)
            self.local.c = c
            try:
                c.request(method, path, body=data, headers=h)
                r = c.getresponse()
                status, text, rh = r.status, r.read(), dict(r.getheaders())
                break
            except (OSError, http.client.HTTPException):
                c.close()
                self.local.c = None
        self.log.append((kind, status, (time.perf_counter() - t) * 1000,
                         "" if status in (200, 304) else text[:160].decode(errors="replace")))
        return status, text, rh


class Night:
    def __init__(self, port: int, setup: dict, minutes: float, readers: int, snapdir: Path,
                 seed: int = 1):
        self.setup, self.span, self.snapdir = setup, minutes * 60, snapdir
        self.eid = setup["election"]
        self.log: list = []
        self.http = Http(port, self.log)
        self.rnd = random.Random(seed)
        self.first_done: set[tuple[str, str]] = set()
        self.definitive: list[tuple[float, str, str]] = []  # (when, station, contest)
        self.list_done = 0  # definitive party-list protocols acknowledged so far
        self.lock = threading.Lock()
        self.fresh = {"station page": [], "station page, witnessed": [], "national page": [],
                      "snapshot file": [],
                      "leaf in a checkpoint the log signed": [],
                      "leaf cosigned by both witnesses": []}
        self.missing_cosigned = 0
        self.sizes: set[int] = set()  # the log's checkpoint sizes seen in the night
        self.written = Counter()  # bytes that appeared in the snapshot directory, by kind
        self.bytes_ready = threading.Event()  # the files there before the night are listed
        self.objects: dict[str, int] = {}  # object file name -> its size
        self.names: dict[str, str] = {}  # object file name -> the logical name it was published as
        self.log_kinds = Counter()  # bytes written under log/, by `_log_kind`
        self.page_queue: list = []
        self.readers = readers
        self.stop = threading.Event()
        self.stop_at = float("inf")
        self.missing_snapshot = 0
        self.submissions = 0
        self.kill = None  # a `WriterKill` (--kill-writer-at)
        self.cpu = None  # a `ProcessCpu`: the server's processes' CPU in the night
        self.list_contest = next(p["contest"] for ps in setup["protocols"].values() for p in ps
                                 if p["contest"].endswith(".list"))

    # operators ----------------------------------------------------------------------------
    def operator(self, op: dict, t0: float) -> None:
        rnd = random.Random(op["token"])
        heap = []
        for sid in op["first"]:
            at = rnd.uniform(0, 0.85 * self.span)
            for p in self.setup["protocols"][sid]:
                heap.append((at, 1, sid, p["contest"]))
        for sid in op["second"]:
            at = rnd.uniform(0, 0.85 * self.span) + rnd.uniform(2, max(2.0, 0.1 * self.span))
            for p in self.setup["protocols"][sid]:
                heap.append((min(at, self.span), 2, sid, p["contest"]))
        heapq.heapify(heap)
        protocols = {(sid, p["contest"]): p for sid in op["first"] + op["second"]
                     for p in self.setup["protocols"][sid]}
        while heap and not self.stop.is_set():
            at, n, sid, cid = heapq.heappop(heap)
            wait = t0 + at - time.time()
            if wait > 0:
                time.sleep(wait)
            if n == 2 and (sid, cid) not in self.first_done:
                # The first is not typed yet; one refused (counted as an error) never is.
                if time.time() < t0 + self.span + 120:
                    heapq.heappush(heap, (at + 0.3, n, sid, cid))
                continue
            p = protocols[(sid, cid)]
            status, text, _ = self.http.call(
                "entry", "POST", f"/api/protocols/{sid}/{cid}/entry/{n}/finalise", op["token"],
                {"figures": p["figures"], "choices": p["choices"],
                 "acknowledged": p["acknowledged"]})
            if status != 200:
                continue
            done = time.time()
            with self.lock:
                self.submissions += 1
                if n == 1:
                    self.first_done.add((sid, cid))
                elif json.loads(text).get("state") == "definitive":
                    if cid == self.list_contest:
                        self.list_done += 1
                    self.definitive.append((done, sid, cid, self.list_done))
                    if len(self.definitive) % SAMPLE_PAGES == 0:
                        self.page_queue.append((done, sid))

    # watchers and readers -------------------------------------------------------------------
    def national_watcher(self) -> None:
        """(b): the national page's count of stations reported against what was acknowledged."""
        seen = 0
        pattern = re.compile(rb"Stations reported:?\s*<strong>([^<]+)</strong>")
        while not self.stop.is_set():
            status, body, _ = self.http.call("national page", "GET", f"/en/e/{self.eid}/")
            m = pattern.search(body) if status == 200 else None
            now = time.time()
            if m:
                count = int(re.sub(rb"\D", b"", m.group(1)))
                with self.lock:
                    items = list(self.definitive[seen:])
                for when, _, cid, k in items:
                    if cid != self.list_contest:
                        seen += 1
                        continue
                    if self.setup["reported_before"] + k > count:
                        break
                    self.fresh["national page"].append(now - when)
                    seen += 1
            time.sleep(0.1)

    def snapshot_watcher(self) -> None:
        """(c): the station file of the latest manifest carrying the definitive protocol, read
        from the snapshot directory the server answers /snapshots/ from (through HTTP it would
        measure the queue of a saturated server, not the publication)."""
        pending: list = []
        seen, stamp, docs, shards, files = 0, None, {}, set(), {}
        manifest = self.snapdir / "manifest.json"
        while not self.stop.is_set() or pending:
            with self.lock:
                pending += self.definitive[seen:]
                seen = len(self.definitive)
            st = manifest.stat()
            if (st.st_mtime_ns, st.st_size) != stamp:
                stamp = (st.st_mtime_ns, st.st_size)
                now = time.time()
                try:
                    _new_files(self.snapdir, manifest.read_bytes(), shards, files, self.names)
                except (OSError, ValueError):
                    stamp = None  # replaced or pruned while read: the next look
                    continue
                left = []
                for item in pending:
                    when, sid, cid, _ = item
                    sha = files.get(f"stations/{self.setup['numbers'][sid]}.json", {}).get(
                        "sha256")
                    if sha and sha not in docs:
                        docs[sha] = json.loads(
                            store.read_object(self.snapdir / "objects" / f"{sha}.json"))
                    if any(c["contest"] == cid and c["protocol"]
                           for c in docs.get(sha, {}).get("contests", [])):
                        self.fresh["snapshot file"].append(now - when)
                    else:
                        left.append(item)
                pending = left
            if self.stop.is_set() and time.time() > self.stop_at + 60:
                break  # what never showed is reported as missing
            time.sleep(0.05)
        self.missing_snapshot = len(pending)

    def log_watcher(self) -> None:
        """(d): each definitive protocol's leaf (station, contest) in a checkpoint that both
        witnesses have cosigned: the latest (`log/checkpoint` with both lines) or the largest
        both have cosigned (`log/checkpoint.witnessed`, which a reader takes when the latest
        has moved on before the second cosignature came). On the way, when its leaf is first
        in a checkpoint the log has signed (where (d)'s time goes: the log's integration, then
        the witnesses). Leaves are read from the entry bundles as the log grows; counts the
        checkpoints signed (sizes seen)."""
        from sailau.tlog import tiles

        log = self.snapdir / "log"
        pending: dict[tuple[str, str], float] = {}
        keys: list[tuple[str, str] | None] = []  # each leaf read: its protocol, if one
        seen, signed_done, cosigned_done = 0, 0, 0
        signed_keys, cosigned_keys = set(), set()  # keys[:signed_done], keys[:cosigned_done]
        stamps: dict[str, tuple] = {}
        while not self.stop.is_set() or pending:
            with self.lock:
                new = self.definitive[seen:]
                seen = len(self.definitive)
            now = time.time()
            for when, sid, cid, _ in new:
                # A leaf can be signed (even cosigned) before this look saw the answer that
                # made it definitive: counted now, not lost among the keys already passed.
                key = (sid, cid)
                if key in signed_keys:
                    self.fresh["leaf in a checkpoint the log signed"].append(now - when)
                    if key in cosigned_keys:
                        self.fresh["leaf cosigned by both witnesses"].append(now - when)
                        continue
                    pending[key] = when
                    continue
                pending.setdefault(key, when)
            try:
                signed, cosigned = len(keys), cosigned_done
                for name in ("checkpoint", "checkpoint.witnessed"):
                    st = (log / name).stat()
                    if (st.st_mtime_ns, st.st_size) == stamps.get(name):
                        continue
                    stamps[name] = (st.st_mtime_ns, st.st_size)
                    body, _, sigs = (log / name).read_text().partition("\n\n")
                    size = int(body.split("\n")[1])
                    self.sizes.add(size)
                    signed = max(signed, size)
                    if sum(1 for line in sigs.splitlines() if line.startswith("— ")) >= 3:
                        cosigned = max(cosigned, size)
                now = time.time()
                while len(keys) < signed:
                    n = len(keys) // 256
                    width = min(256, signed - n * 256)
                    bundle = tiles.decode_entry_bundle(
                        (log / tiles.entries_path(n, width)).read_bytes())
                    for leaf in bundle[len(keys) - n * 256:]:
                        doc = json.loads(leaf)
                        keys.append((doc["station"], doc["contest"])
                                    if doc.get("type") == "protocol" else None)
                signed_keys.update(keys[signed_done:signed])
                cosigned_keys.update(keys[cosigned_done:cosigned])
                for key in keys[signed_done:signed]:
                    if key in pending:
                        self.fresh["leaf in a checkpoint the log signed"].append(
                            now - pending[key])
                signed_done = max(signed_done, signed)
                for key in keys[cosigned_done:cosigned]:
                    if key in pending:
                        self.fresh["leaf cosigned by both witnesses"].append(
                            now - pending.pop(key))
                cosigned_done = max(cosigned_done, cosigned)
            except (OSError, ValueError, IndexError, KeyError):
                pass  # a file being replaced: the next look
            if self.stop.is_set() and time.time() > self.stop_at + 60:
                break
            time.sleep(0.05)
        self.missing_cosigned = len(pending)

    def bytes_watcher(self) -> None:
        """Bytes written by publication: each new file of the snapshot directory once (objects,
        manifest bodies, tiles and bundles are never rewritten under the same name), and each
        new version of log/checkpoint, which is rewritten whole. `manifest.json` is a copy of
        the newest `manifests/<n>.json`, written once with each: counted as much again with
        each body (a look every second would miss versions). `chain.jsonl` is appended to: what
        it grew. The folders are listed with `os.scandir` and only new names and rewritten files
        are stat'ed: the benchmark's own client shares the server's two cores."""
        known: set[str] = {"manifest.json"}
        stamps: dict[str, tuple] = {}
        rewritten = {"chain.jsonl": "manifests", "log/checkpoint": "log"}

        def walk(folder: str, prefix: str):
            with os.scandir(folder) as it:
                for entry in it:
                    rel = prefix + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        yield from walk(entry.path, rel + "/")
                    elif rel in rewritten or rel not in known:
                        yield rel, entry

        # What was published before the night (the first publication of the stations reported
        # already) is not the night's: listed, not counted.
        for rel, entry in walk(str(self.snapdir), ""):
            with contextlib.suppress(OSError):
                st = entry.stat(follow_symlinks=False)
                if rel in rewritten:
                    stamps[rel] = (st.st_mtime_ns, st.st_size)
                else:
                    known.add(rel)
        self.bytes_ready.set()
        while not self.stop.is_set() or time.time() < self.stop_at + 5:
            for rel, entry in walk(str(self.snapdir), ""):
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                kind = "log" if rel.startswith("log/") else "manifests" \
                    if rel.startswith("manifests/") else "objects"
                if rel in rewritten:
                    if stamps.get(rel) != (st.st_mtime_ns, st.st_size):
                        grown = st.st_size - stamps[rel][1] if rel == "chain.jsonl" and \
                            rel in stamps else st.st_size
                        stamps[rel] = (st.st_mtime_ns, st.st_size)
                        self.written[rewritten[rel]] += grown
                        if kind == "log":
                            self.log_kinds[_log_kind(rel)] += grown
                else:
                    known.add(rel)
                    if kind == "log":
                        self.log_kinds[_log_kind(rel)] += st.st_size
                    self.written[kind] += st.st_size * (2 if rel.startswith("manifests/")
                                                        else 1)
                    if kind == "objects":
                        self.objects[entry.name] = st.st_size
            time.sleep(1)

    def reader(self, i: int) -> None:
        """(a) for the sampled protocols, and otherwise what the public reads on the night."""
        rnd = random.Random(i)
        numbers = list(self.setup["numbers"].values())
        while not self.stop.is_set():
            with self.lock:
                item = self.page_queue.pop(0) if self.page_queue else None
            if item:
                # first the page showing the protocol, then the same page saying it is in a
                # checkpoint both witnesses cosigned (issue's "a page showing only witnessed
                # figures": the page shows an unwitnessed protocol apart, under its own badge)
                when, sid, *witnessed = item
                want = sum(1 for w, s, _, _ in self.definitive if s == sid and w <= when)
                status, body, _ = self.http.call(
                    "station page", "GET", f"/en/e/{self.eid}/s/{self.setup['numbers'][sid]}/")
                mark = WITNESSED if witnessed else "· Turnout:".encode()
                if status == 200 and body.count(mark) >= want:
                    self.fresh["station page, witnessed" if witnessed else "station page"
                               ].append(time.time() - when)
                    if not witnessed:
                        with self.lock:
                            self.page_queue.append((when, sid, True))
                else:
                    with self.lock:
                        self.page_queue.append(item)
                continue
            kind = rnd.choice(("station page", "station page", "commission page",
                               "snapshot manifest"))
            if kind == "station page":
                self.http.call(kind, "GET", f"/en/e/{self.eid}/s/{rnd.choice(numbers)}/")
            elif kind == "commission page":
                self.http.call(kind, "GET", f"/en/e/{self.eid}/c/"
                               f"{rnd.choice(self.setup['territories'])}/")
            else:
                self.http.call(kind, "GET", f"/snapshots/{self.eid}/manifest.json")
            time.sleep(0.05)

    def run(self) -> float:
        counter = threading.Thread(target=self.bytes_watcher, daemon=True)
        counter.start()
        self.bytes_ready.wait()
        t0 = time.time() + 1
        ops = [threading.Thread(target=self.operator, args=(op, t0), daemon=True)
               for op in self.setup["operators"]]
        others = [threading.Thread(target=self.national_watcher, daemon=True),
                  threading.Thread(target=self.snapshot_watcher, daemon=True),
                  threading.Thread(target=self.log_watcher, daemon=True)]
        others += [threading.Thread(target=self.reader, args=(i,), daemon=True)
                   for i in range(self.readers)]
        for th in ops + others:
            th.start()
        if self.cpu is not None:
            others.append(self.cpu.start())
        if self.kill is not None:
            others.append(self.kill.start(t0))
        others.append(counter)
        for th in ops:
            th.join()
        wall = time.time() - t0
        time.sleep(5)  # the publisher's last batches, the readers' last samples
        self.stop_at = time.time()
        self.stop.set()
        if self.cpu is not None:
            self.cpu.stop.set()
        for th in others:
            th.join(90)
        return wall


# The station page's badge of a protocol in a checkpoint the witnesses cosigned (English page)
WITNESSED = b"In a checkpoint the witnesses cosigned"


def start_witnesses(data_dir: Path, port: int, setup: dict, interval: float,
                    database_url: str | None, pull: bool) -> list[subprocess.Popen]:
    """The two witnesses `prepare` registered (sailau/demo/witnesses.py's keys). Each a
    `sailau witness serve` whose URL the log is given, so that the log pushes it each
    checkpoint (C2SP tlog-witness); with `pull`, each a `sailau witness run` fetching the
    published folder over HTTP every `interval` seconds, as an observer's behind NAT would."""
    procs, eid = [], setup["election"]
    env = harness.environment(data_dir, database_url)
    for home in witnesses.homes(data_dir):
        # what a witness says when it refuses (a rollback, a fork) is the night's news
        err = open(data_dir / f"witness-{home.name}.log", "w")  # noqa: SIM115
        if pull:
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "sailau", "witness", "run", "--log",
                 f"http://127.0.0.1:{port}/snapshots/{eid}/", "--key", str(home / "key"),
                 "--state", str(home / "state"), "--interval", str(interval)], env=env, cwd=harness.ROOT, stdout=subprocess.DEVNULL,
                stderr=err))
            continue
        proc, name, url = witnesses.serving(home, home / "state", setup["log_key"], env=env,
                                            cwd=harness.ROOT, stderr=err)
        procs.append(proc)
        subprocess.run([sys.executable, "-m", "sailau", "log", "witness", "url", eid, name, url],
                       env=env, cwd=harness.ROOT, check=True, capture_output=True)
    return procs


def tally_check(data_dir: Path, eid: str, database_url: str | None) -> int:
    return subprocess.run([sys.executable, "-m", "sailau", "tally", "check", eid],
                          env=harness.environment(data_dir, database_url), cwd=harness.ROOT,
                          capture_output=True, check=False).returncode


def q(xs: list[float], p: int) -> float:
    if len(xs) < 2:
        return xs[0] if xs else float("nan")
    return statistics.quantiles(xs, n=100, method="inclusive")[p - 1]


def report(a, backend, night, wall, check, snapdir) -> str:
    log = night.log
    errors = [x for x in log if x[1] not in (200, 304)]
    kinds = Counter(x[0] for x in log)
    entry_ms = [x[2] for x in log if x[0] == "entry"]
    lines = [(f"### {backend}: {a.stations:,} stations ({a.reported:g} % reported before the "
              f"night), {a.operators} operators, "
              f"{a.readers} readers, {a.minutes:g} minutes, {a.workers} granian workers"), "",
             "| measure | value |", "|---|---|",
             f"| requests | {len(log):,} ({', '.join(f'{k} {v:,}' for k, v in kinds.items())}) |",
             f"| errors (non-2xx/304) | {len(errors)} |",
             (f"| entries finalised | {night.submissions:,} in {wall:.0f} s = "
              f"{night.submissions / wall:.1f}/s |"),
             f"| protocols definitive | {len(night.definitive):,} |",
             (f"| entry POST p50 / p95 ms | {q(entry_ms, 50):.0f} / {q(entry_ms, 95):.0f} |")]
    for what, xs in night.fresh.items():
        lines.append(f"| freshness → {what} p50 / p95 / max s (n) | {q(xs, 50):.2f} / "
                     f"{q(xs, 95):.2f} / {max(xs, default=float('nan')):.2f} ({len(xs):,}) |")
    m = json.loads((snapdir / "manifest.json").read_bytes())
    size = sum(p.stat().st_size for p in snapdir.rglob("*") if p.is_file())
    written = sum(night.written.values())
    per = written / max(1, len(night.definitive))
    lines += [f"| protocols never seen in a snapshot file | {night.missing_snapshot} |",
              f"| protocols never seen in a cosigned checkpoint | {night.missing_cosigned} |",
              f"| checkpoints signed in the night (sizes seen) | {len(night.sizes):,} |",
              (f"| bytes written by publication (objects / manifests / log) | "
               f"{written / 2**20:,.1f} MiB ({night.written['objects'] / 2**20:,.1f} / "
               f"{night.written['manifests'] / 2**20:,.1f} / {night.written['log'] / 2**20:,.2f}"
               f"), {per / 1024:,.1f} KiB per protocol |"),
              (f"| manifests written / snapshot directory | {m['sequence']:,} / "
               f"{size / 2**20:,.0f} MiB |"),
              f"| `sailau tally check` at the end | {'clean' if check == 0 else 'MISMATCH'} |"]
    if night.cpu is not None:
        lines.append(night.cpu.line(len(night.definitive)))
    by_kind = Counter()
    for obj, n in night.objects.items():
        by_kind[_kind_of(night.names.get(obj), night.list_contest)] += n
    if night.kill is not None:
        lines += night.kill.lines()
    lines.append("| objects written, by kind of file | " + ", ".join(
        f"{k} {v / 2**20:,.1f} MiB" for k, v in by_kind.most_common()) + " |")
    lines.append("| log written, by kind of file | " + ", ".join(
        f"{k} {v / 2**20:,.2f} MiB" for k, v in night.log_kinds.most_common()) + " |")
    if errors:
        lines.append(f"\nErrors: {Counter((e[0], e[1], e[3][:100]) for e in errors).most_common(5)}")
    return "\n".join(lines) + "\n"


def _new_files(snapdir: Path, body: bytes, seen: set, files: dict, names: dict) -> None:
    """`files` (name -> entry) brought up to a manifest, reading only the shards no manifest
    read before had: a shard's hash names its whole subtree, so one seen before holds nothing
    new. `names`: each object's file name -> the name it was published as. (Walking every
    shard of each manifest, ~13,000 at 100,000 stations, took the watcher longer than a batch
    on a loaded machine, and the next manifest was seen that much later: (c) measured the
    watcher.) Names a manifest drops stay in `files`: a station file is never dropped."""
    m = json.loads(body)
    if "shards" not in m:
        files.update(m["files"])
        return
    read = store.shard_reader(snapdir)
    todo, added = list(m["shards"].values()), set()
    while todo:
        sha = todo.pop()["sha256"]
        if sha in seen or sha in added:
            continue
        shard = json.loads(read(sha))
        added.add(sha)
        names.setdefault(f"{sha}.json", "manifest shards")
        todo += shard.get("shards", {}).values()
        for name, entry in shard.get("files", {}).items():
            files[name] = entry
            names.setdefault(f"{entry['sha256']}{Path(name).suffix}", name)
    seen |= added  # (a shard unread, pruned meanwhile: its parents are read again next time)


def _log_kind(rel: str) -> str:
    """A file of the log's folder, for the breakdown of bytes: the entry bundles, the tiles of
    level 0 (the leaves' hashes) and above, the checkpoint (each version) and the rest."""
    parts = rel.split("/")
    if parts[1] == "tile" and len(parts) > 2:
        return "entry bundles" if parts[2] == "entries" else \
            "tiles of level 0" if parts[2] == "0" else "tiles above level 0"
    return "checkpoint" if parts[1] == "checkpoint" else "other"


def _kind_of(name: str | None, national: str) -> str:
    """A published file's kind, for the breakdown of bytes: its folder, and under contests/ its
    file's name without the contest, the national contest's (`national`) apart from the
    single-member districts' (`*`)."""
    if name is None:
        return "(not in a manifest seen)"
    parts = name.split("/")
    if parts[0] == "contests" and len(parts) >= 3:
        return f"contests/{'<list>' if parts[1] == national else '*'}/" + "/".join(parts[2:])
    return parts[0] + "/" if len(parts) > 1 else name


def main() -> int:
    ap = harness.options(__doc__, stations=10223, operators=60)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--readers", type=int, default=4)
    ap.add_argument("--witness-interval", type=float, default=0.25, metavar="SECONDS",
                    help="with --pull-witnesses: how often each looks for a new checkpoint")
    ap.add_argument("--pull-witnesses", action="store_true",
                    help="the witnesses poll the published log (`sailau witness run`) rather "
                         "than being pushed each checkpoint by the log (`witness serve`)")
    ap.add_argument("--reported", type=float, default=0, metavar="PERCENT",
                    help="stations already reported (through the chain) when the night starts")
    ap.add_argument("--kill-writer-at", type=float, metavar="SECONDS",
                    help="kill the log's writer with SIGKILL this far into the night, time the "
                         "takeover and `sailau verify` the folder at the end (writer_kill.py)")
    ap.add_argument("--keep", type=Path, metavar="DIR",
                    help="copy the published folder here after the night (every object written "
                         "in it is still there: `store.RETAIN` is longer than a night)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="sailau-night-") as tmp:
        data = Path(tmp)
        t = time.time()
        setup = prepare(data, a.stations, a.operators, a.database_url, a.reported)
        print(f"prepared in {time.time() - t:.0f} s", file=sys.stderr)
        server = Server(data, a.workers, a.database_url)
        observers = start_witnesses(data, server.port, setup, a.witness_interval,
                                    a.database_url, a.pull_witnesses)
        try:
            night = Night(server.port, setup, a.minutes, a.readers,
                          data / "snapshots" / setup["election"])
            night.cpu = ProcessCpu(data)
            if a.kill_writer_at is not None:
                night.kill = WriterKill(data, night.snapdir, a.kill_writer_at,
                                        a.database_url)
            wall = night.run()
        finally:
            for w in observers:
                w.terminate()
            server.stop(a.server_log)
        check = tally_check(data, setup["election"], a.database_url)
        backend = "PostgreSQL" if a.database_url else "SQLite"
        if night.kill is not None:
            night.kill.check(night.snapdir, a.database_url)
        print(report(a, backend, night, wall, check, data / "snapshots" / setup["election"]))
        if a.keep is not None:
            shutil.copytree(data / "snapshots" / setup["election"], a.keep, symlinks=True)
    errors = sum(1 for x in night.log if x[1] not in (200, 304))
    return 1 if errors or check else 0


if __name__ == "__main__":
    sys.exit(main())

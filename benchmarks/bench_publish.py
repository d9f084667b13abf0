"""Publication at national scale.

1. Full publication (every station, commission, contest table and the NIST report as
   content-addressed snapshot files): seconds. Baseline in the same run: serialising the same
   station documents without writing or hashing them.
2. One protocol → its station and all its ancestors republished: median and p95.
   Baseline: a full recount of the national contest (`tabulation.rebuild`).
3. Search: median and p99 latency over numbers, settlements and street names.
4. Dynamic station page, in-process (Django test client, one thread): requests/s and p99.
   This is the per-core ceiling; --wrk adds load from another process.

5. Under load (--wrk, needs `wrk` and `nginx`): `sailau serve` (granian, 2 cores) with wrk on
   loopback: station pages over random station numbers (a Lua script), and snapshot JSON objects
   served by sailau vs nginx serving the same directory (the ratio).

Runs in a fresh temporary SAILAU_DATA_DIR with the synthetic election of --stations stations
(10,223 is the national one; loading it through the chain takes minutes), or in --data-dir
holding an election already built (`SAILAU_DATA_DIR=DIR sailau demo --no-serve`).

    .venv/bin/python benchmarks/bench_publish.py [--stations N] [--single 30] [--data-dir D]
        [--wrk] [--duration 10]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pct(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=2000)
    ap.add_argument("--single", type=int, default=30)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--data-dir", help="use the election already built there")
    ap.add_argument("--wrk", action="store_true", help="also load-test with wrk and nginx")
    ap.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    args = ap.parse_args()
    os.environ["SAILAU_DATA_DIR"] = args.data_dir or tempfile.mkdtemp(prefix="bench-publish-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
    sys.path.insert(0, str(ROOT))
    from sailau.cli.django_setup import setup

    setup()
    from django.test import Client

    from sailau.demo.load import load
    from sailau.demo.synthetic import build
    from sailau.elections.models import Election, Station
    from sailau.protocols import tabulation
    from sailau.protocols.models import Protocol
    from sailau.publish.files.election_data import ElectionData
    from sailau.publish.files.station_documents import station_documents
    from sailau.publish.pages import search
    from sailau.publish.pipeline import snapshots

    t0 = time.perf_counter()
    if args.data_dir:
        election = Election.objects.get()
        args.stations = election.stations.count()
    else:
        election = load(build(seed=7, stations=args.stations))
    load_s = time.perf_counter() - t0
    n_protocols = Protocol.objects.filter(station__election=election, current=True).count()

    t0 = time.perf_counter()
    data = ElectionData.load(election)
    for _s, doc in station_documents(data):
        snapshots._dumps(doc)
    serialise_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    snapshots.publish(election.id)  # the first one also builds the search index
    first_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    manifest = snapshots.publish(election.id)
    full_s = time.perf_counter() - t0

    stations = list(Station.objects.filter(election=election).order_by("?")[: args.single])
    single = []
    for s in stations:
        t0 = time.perf_counter()
        snapshots.republish_station(s.id)
        single.append(time.perf_counter() - t0)
    contest = election.contests.get(kind="party_list")
    recount = []
    for _ in range(3):
        t0 = time.perf_counter()
        tabulation.rebuild(contest)
        recount.append(time.perf_counter() - t0)

    queries = [str(s.number) for s in stations[:10]] + [s.settlement for s in stations[:10]] \
        + [s.address_ru.split(",")[1] for s in stations[:10] if "," in s.address_ru]
    lat = []
    for q in queries * 3:
        t0 = time.perf_counter()
        search.search(election.id, q)
        lat.append(time.perf_counter() - t0)

    client = Client()
    numbers = [s.number for s in stations]
    page = []
    t_all = time.perf_counter()
    for i in range(args.requests):
        t0 = time.perf_counter()
        r = client.get(f"/kk/e/{election.id}/s/{numbers[i % len(numbers)]}/")
        assert r.status_code == 200
        page.append(time.perf_counter() - t0)
    rps = args.requests / (time.perf_counter() - t_all)

    med = statistics.median
    how = "built beforehand" if args.data_dir else f"load through the chain {load_s:.0f} s"
    print(f"### Publication ({args.stations:,} stations, {n_protocols:,} protocols; {how})\n")
    print("| measure | value | baseline (same run) | ratio |")
    print("|---|---|---|---|")
    print(f"| full publication, {len(manifest['files']):,} files | {full_s:.1f} s | "
          f"serialise station documents only {serialise_s:.1f} s | {full_s / serialise_s:.1f}× |")
    print(f"| first publication (also builds the search index) | {first_s:.1f} s | — | — |")
    print(f"| one protocol → station + ancestors republished, median (p95) | "
          f"{1000 * med(single):.0f} ms ({1000 * pct(single, 0.95):.0f} ms) | "
          f"full recount of the national contest {1000 * med(recount):.0f} ms | "
          f"{med(single) / med(recount):.2f}× |")
    print(f"| search, median (p99) of {len(lat)} queries | {1000 * med(lat):.1f} ms "
          f"({1000 * pct(lat, 0.99):.1f} ms) | target 50 ms | "
          f"{pct(lat, 0.99) / 0.05:.2f}× of target |")
    print(f"| station page in-process, 1 thread | {rps:.0f} req/s, p99 "
          f"{1000 * pct(page, 0.99):.0f} ms | target 500 req/s on 2 cores | — |")

    if args.wrk:
        from django.db import connections

        connections.close_all()
        load_test(election.id, [s.number for s in Station.objects.filter(election=election)],
                  manifest, args.duration)


# ---------------------------------------------------------------------------------- load

def _wait_port(port: int, timeout: float = 60) -> None:
    import socket

    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"nothing listens on port {port}")


def _wrk(url: str, lua: str, duration: int, connections: int = 32) -> tuple[float, float]:
    """(requests/s, p99 ms) of wrk with 2 threads."""
    import re
    import subprocess

    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency",
                          "-s", lua, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"wrk saw {errors.group(1)} errors on {url}")
    return rps, p99


def _lua(path: Path, paths: list[str]) -> str:
    body = ",\n".join(f'"{p}"' for p in paths)
    path.write_text("math.randomseed(7)\nlocal paths = {" + body + "}\n"
                    "request = function()\n"
                    "  return wrk.format('GET', paths[math.random(#paths)])\nend\n")
    return str(path)


def load_test(eid: str, numbers: list[int], manifest: dict, duration: int) -> None:
    import random
    import shutil
    import subprocess

    if not (shutil.which("wrk") and shutil.which("nginx")):
        print("\n(wrk or nginx not installed: `apt-get install -y wrk nginx`)")
        return
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    data = Path(os.environ["SAILAU_DATA_DIR"])
    rng = random.Random(7)
    page_paths = [f"/kk/e/{eid}/s/{n}/" for n in rng.sample(numbers, min(2000, len(numbers)))]
    pages = _lua(tmp / "pages.lua", page_paths)
    objects = [f"/snapshots/{eid}/objects/{e['sha256']}.json"
               for name, e in manifest["files"].items() if name.startswith("stations/")]
    snaps = _lua(tmp / "snaps.lua", rng.sample(objects, min(2000, len(objects))))
    (tmp / "nginx.conf").write_text(f"""
worker_processes 2; pid {tmp}/nginx.pid; error_log {tmp}/error.log; daemon off;
events {{ worker_connections 1024; }}
http {{ access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000;
  types {{ application/json json; }}
  server {{ listen 127.0.0.1:8791; location /snapshots/ {{ alias {data}/snapshots/; }} }} }}
""")
    env = {**os.environ, "SAILAU_DATA_DIR": str(data)}
    base = "http://127.0.0.1:8790"
    srv = subprocess.Popen([sys.executable, "-m", "sailau", "serve", "--port", "8790"], cwd=ROOT,
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_port(8790)
        _wrk(base, snaps, 3)  # each worker imports Django and the URL map on its first requests
        cold = _wrk(base, pages, duration, 16)  # most of these pages are rendered for the first time
        _fetch_all(base, page_paths)  # then every sampled page once: the shared cache holds all
        hot = [_wrk(base, pages, duration, 16) for _ in range(3)]
        snap = [_wrk(base, snaps, duration) for _ in range(3)]
    finally:
        srv.terminate()
        srv.wait()
    ngx = subprocess.Popen(["nginx", "-c", str(tmp / "nginx.conf")],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_port(8791)
        nginx = [_wrk("http://127.0.0.1:8791", snaps, duration) for _ in range(3)]
    finally:
        ngx.terminate()
        ngx.wait()

    def med(runs, i):
        return statistics.median(r[i] for r in runs)

    print(f"\n### Under load: wrk -t2 on loopback, {duration} s a run, 2 cores shared with wrk; "
          "medians of 3 runs\n")
    print("| measure | sailau serve (granian, defaults) | nginx, same files | ratio |")
    print("|---|---|---|---|")
    print(f"| station page, {len(page_paths):,} random stations, first pass (mostly rendering), "
          f"-c16 | {cold[0]:.0f} req/s, p99 {cold[1]:.0f} ms | — | — |")
    print(f"| station page, same stations, every page rendered once before, -c16 | "
          f"{med(hot, 0):.0f} req/s, p99 {med(hot, 1):.0f} ms | — | "
          f"{med(hot, 0) / 500:.2f}× the 500 req/s target |")
    print(f"| snapshot JSON object (station files, random), -c32 | {med(snap, 0):.0f} req/s, p99 "
          f"{med(snap, 1):.1f} ms | {med(nginx, 0):.0f} req/s, p99 {med(nginx, 1):.1f} ms | "
          f"{med(snap, 0) / med(nginx, 0):.2f}× |")


def _fetch_all(base: str, paths: list[str]) -> None:
    from concurrent.futures import ThreadPoolExecutor
    from urllib.request import urlopen

    def get(path):
        with urlopen(base + path, timeout=60) as r:
            r.read()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(get, paths))


if __name__ == "__main__":
    main()

"""What the benchmarks that drive `sailau serve` share: their common options, a script run in
a Django subprocess on the benchmark's data directory (so the benchmark's own process never
opens the database the server uses), and the server itself on a free loopback port, its log in
a file (a pipe nobody reads would fill and stall it)."""

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

# The checkout whose server and commands run: this one, or another's (`SAILAU_BENCH_ROOT`), so
# that two builds are measured by the same benchmark.
ROOT = Path(os.environ.get("SAILAU_BENCH_ROOT") or Path(__file__).resolve().parents[1])


def options(doc: str, stations: int, operators: int) -> argparse.ArgumentParser:
    """The options every server benchmark takes; add the bench's own to what it returns."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stations", type=int, default=stations)
    ap.add_argument("--operators", type=int, default=operators)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="server worker processes")
    ap.add_argument("--database-url", default=os.environ.get("SAILAU_BENCH_DATABASE_URL"),
                    help="PostgreSQL (postgres://...); SQLite in the data directory if not given")
    ap.add_argument("--server-log", help="copy the server's log here")
    return ap


def environment(data_dir: Path, database_url: str | None) -> dict:
    env = {**os.environ, "SAILAU_DATA_DIR": str(data_dir), "ROOT": str(ROOT),
           "DJANGO_SETTINGS_MODULE": "sailau.settings"}
    env.pop("SAILAU_DATABASE_URL", None)
    if database_url:
        env["SAILAU_DATABASE_URL"] = database_url
    return env


def in_django(code: str, data_dir: Path, database_url: str | None, *args) -> dict:
    """Run `code` (after Django's setup, with `sys.argv[1:]` = `args`) in a subprocess; it
    prints its result as JSON on its last line."""
    setup = ("import os, sys\nsys.path.insert(0, os.environ['ROOT'])\n"
             "from sailau.cli.django_setup import setup\nsetup()\n")
    r = subprocess.run([sys.executable, "-c", setup + code, *map(str, args)],
                       env=environment(data_dir, database_url), capture_output=True, text=True,
                       check=False, cwd=ROOT)
    if r.returncode:
        raise SystemExit(f"preparing the benchmark failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


# The protocols of a synthetic election `syn` as operators send them: per station, each
# contest's figures and choices with the warnings the form raises acknowledged. Part of the
# code given to `in_django`.
PROTOCOLS = r'''
from sailau.protocols.catalog import Catalog
def protocols_of(syn):
    cat, out = Catalog(), {}
    for (sid, cid), p in syn.protocols.items():
        form = cat.contest(cid).form
        ack = [f.code for f in form.check(p["figures"], p["choices"]) if f.severity == "warning"]
        out.setdefault(sid, []).append({"contest": cid, "figures": p["figures"],
                                        "choices": p["choices"], "acknowledged": ack})
    return out
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`sailau serve` on a free port of loopback, ready when it answers the OpenAPI document."""

    def __init__(self, data_dir: Path, workers: int, database_url: str | None):
        self.port = free_port()
        self.log = data_dir / "server.log"
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "sailau", "serve", "--port", str(self.port),
                 "--workers", str(workers)], cwd=ROOT, env=environment(data_dir, database_url),
                stdout=log, stderr=log)
        deadline = time.time() + 600  # a loaded machine: the first answer can take minutes
        while time.time() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/api/openapi.json")
                if c.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the server did not start; its log: {self.log.read_text()[-2000:]}")

    def stop(self, keep: str | None = None) -> None:
        """Stop it; `keep`: a path to copy its log to (and its publisher's, to `keep`
        with `.publisher` added: each manifest and checkpoint with its seconds)."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        if keep:
            Path(keep).write_text(self.log.read_text())
            publisher = self.log.with_name("publisher.log")
            if publisher.exists():
                Path(keep + ".publisher").write_text(publisher.read_text())

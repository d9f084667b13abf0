"""`sailau serve` as on election night: its publisher (`sailau publish --follow`) starts the
national lane and the log's lane as processes of their own, and a protocol sent through the HTTP API reaches the
national page, its station's snapshot file and the tables of the whole country that only the
lane writes (the party list's station table, the NIST report); the log's lane pushes its
checkpoints to two witnesses (`sailau witness serve`), both of which cosign the one holding the
protocol.

Under CI load every step can take long: the test waits for each outcome with a generous bound
and asserts on what is true in every interleaving, never on how fast it came."""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.snapshotfiles import opened, read_manifest
from tests.stored import S3

ROOT = Path(__file__).resolve().parents[2]
WAIT = 240  # seconds for each outcome on a loaded 2-core machine

SETUP = r"""
import json, sys
from sailau.cli.django_setup import setup
setup()
from django.contrib.auth.models import User
from sailau.accounts.models import ApiToken, Role
from sailau.demo.load import load
from sailau.demo.synthetic import build
from sailau.protocols.catalog import Catalog
from sailau.publish.pipeline import snapshots
syn = build(seed=7, stations=60)
election = load(syn, route=False)
station = sorted(syn.stations, key=lambda s: s["number"])[0]
tokens = []
for name in ("lane-op-1", "lane-op-2"):
    u = User.objects.create(username=name)
    Role.objects.create(user=u, kind="operator", commission_id=station["id"],
                        election_id=election.id)
    tokens.append(ApiToken.issue(u, "test"))
cat, protocols = Catalog(), []
for (sid, cid), p in syn.protocols.items():
    if sid == station["id"]:
        form = cat.contest(cid).form
        ack = [f.code for f in form.check(p["figures"], p["choices"]) if f.severity == "warning"]
        protocols.append({"contest": cid, "figures": p["figures"], "choices": p["choices"],
                          "acknowledged": ack})
from sailau.demo import witnesses
from sailau.ledger.models import LogState
witnesses.register(election.id, say=lambda *a, **k: None)
snapshots.publish(election.id)
print(json.dumps({"election": election.id, "station": station["id"],
                  "number": station["number"], "tokens": tokens, "protocols": protocols,
                  "log_key": LogState.objects.get(pk=election.id).verifier_key}))
"""


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(url: str, token: str | None = None, body: dict | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    req = urllib.request.Request(url, data=data, headers=headers,
                                 method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError:
        return 0, b""


def _until(what: str, check, proc, log: Path):
    """`check()` until it returns something true, within `WAIT` seconds."""
    deadline = time.time() + WAIT
    while True:
        out = check()
        if out:
            return out
        assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
        assert time.time() < deadline, f"{what}: not within {WAIT} s\n" + \
            log.read_text(errors="replace")[-3000:]
        time.sleep(0.5)


def _page(url: str) -> bytes | None:
    status, body = _call(url)
    return body if status == 200 else None


def _reported(page: bytes) -> int | None:
    """The national page's count of stations reported (its party list's)."""
    m = re.search(rb"Stations reported:?\s*<strong>([^<]+)</strong>", page)
    return int(re.sub(rb"\D", b"", m.group(1))) if m else None


def _published(snap: Path, name: str) -> bytes | None:
    try:
        entry = read_manifest(snap)["files"][name]
    except (FileNotFoundError, KeyError, ValueError):
        return None
    if entry.get("stale"):
        return None
    return opened(snap / "objects" / f"{entry['sha256']}{Path(name).suffix}")


@pytest.mark.slow
@pytest.mark.stores_files  # its subprocesses publish, to the bucket on the S3 pass
def test_a_protocol_sent_through_the_api_reaches_the_lanes_files(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SAILAU_DATABASE_URL"}
    env["SAILAU_DATA_DIR"] = str(tmp_path)
    if S3:  # its publications in a key prefix of its own, as each test's (tests/conftest.py)
        env["SAILAU_S3_PREFIX"] = f"test-{uuid.uuid4().hex}"
    made = subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=False,
                          capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stderr[-3000:]
    setup = json.loads(made.stdout.strip().splitlines()[-1])
    eid, number = setup["election"], setup["number"]
    snap = tmp_path / "snapshots" / eid
    port, log = _free_port(), tmp_path / "serve.log"
    observers = _witnesses(tmp_path, env, eid, setup["log_key"])
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "sailau", "serve", "--port", str(port),
                                 "--workers", "1"], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        page = _until("the national page", lambda: _page(f"{base}/en/e/{eid}/"), proc, log)
        assert _reported(page) == 0, page[:3000]
        for p in setup["protocols"]:
            for n, token in ((1, setup["tokens"][0]), (2, setup["tokens"][1])):
                status, text = _call(f"{base}/api/protocols/{setup['station']}/"
                                     f"{p['contest']}/entry/{n}/finalise", token,
                                     {k: p[k] for k in ("figures", "choices", "acknowledged")})
                assert status == 200, text[:500]
            assert json.loads(text)["state"] == "definitive"
        # The national page counts it (from the tallies)...
        _until("the national page counting the protocol",
               lambda: _reported(_call(f"{base}/en/e/{eid}/")[1]) == 1, proc, log)
        # ...the batches publish the station's file...
        listed = next(p for p in setup["protocols"] if p["contest"].endswith(".list"))

        def station_file():
            body = _published(snap, f"stations/{number}.json")
            doc = json.loads(body) if body else {}
            return any(c["contest"] == listed["contest"] and c["protocol"]
                       for c in doc.get("contests", []))
        _until("the station's snapshot file", station_file, proc, log)

        # ...and only the lane, a process of its own, the tables of the whole country.
        def lane_files():
            table = _published(snap, f"contests/{listed['contest']}/stations.csv")
            report = _published(snap, "nist.json")
            return (table and setup["station"].encode() in table and report
                    and f'"GpUnitId":"gp-{setup["station"]}"'.encode() in report
                    and json.loads(report)["Election"][0]["Contest"][0]["SubUnitsReported"])
        _until("the national tables", lane_files, proc, log)
        lanes = " ".join(Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
                         for pid in _descendants(proc.pid))
        assert "--national-lane" in lanes and "--log-lane" in lanes

        # Both witnesses, pushed each checkpoint, cosign one that holds every leaf so far.
        def cosigned():
            status, body = _call(f"{base}/api/log/{eid}/status")
            doc = json.loads(body) if status == 200 else {}
            return doc if doc.get("cosigned_by") == 2 and doc["size"] >= logged else None
        logged = json.loads(_call(f"{base}/api/log/{eid}/status")[1])["size"]
        doc = _until("a checkpoint cosigned by both pushed witnesses", cosigned, proc, log)
        assert doc["witnesses_total"] == 2
        from sailau.demo.witnesses import homes

        states = [h / "state" / "state.json" for h in homes(tmp_path)]
        assert len(states) == 2  # beside the data directory, not in it
        for state in states:
            assert json.loads(state.read_text())["size"] >= logged
    finally:
        for w in observers:
            w.terminate()
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    check = subprocess.run([sys.executable, "-m", "sailau", "tally", "check", eid], cwd=ROOT,
                           env=env, check=False, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]


def _witnesses(tmp_path: Path, env: dict, eid: str, log_key: str) -> list:
    """The setup's two witnesses, each `sailau witness serve` on a port of its own, their URLs
    given to the log."""
    from sailau.demo.witnesses import homes, serving

    procs = []
    for home in homes(tmp_path):
        proc, name, url = serving(home, home / "state", log_key, env=env, cwd=ROOT)
        procs.append(proc)
        done = subprocess.run([sys.executable, "-m", "sailau", "log", "witness", "url", eid,
                               name, url], cwd=ROOT, env=env, capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, done.stderr
    return procs


def _descendants(pid: int) -> set[int]:
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = (task / "children").read_text().split()
            except OSError:
                continue
            for k in map(int, kids):
                if k not in out:
                    out.add(k)
                    todo.append(k)
    return out

"""Totals that cannot drift, on a live server: hundreds of second entries sent at once to
contests that have no tally yet all succeed and leave every total the sum of its definitive
protocols (`sailau tally check` exits 0); a server killed with SIGKILL in the middle of them
loses no acknowledged protocol and leaves no total wrong.

Runs against the database of the test run: on PostgreSQL the server and the worker use the
test database itself (a transactional test, so what they commit is seen and flushed after); on
SQLite a fresh file in a data directory of its own (the test database lives in memory)."""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("race_worker.py")
STATIONS = 600  # about the 595 second entries, over its 29 single-member districts
SENDERS = 48


# Transactional: on PostgreSQL the subprocesses write into the test database and must see
# what the others committed; it is emptied after each test.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def sailau(env, *args):
    return subprocess.run([sys.executable, "-m", "sailau", *args], check=False, cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def load(env, *options, stations=STATIONS) -> dict:
    out = subprocess.run([sys.executable, str(WORKER), "load", str(stations), *options],
                         check=False, cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


class Server:
    """`sailau serve` with two worker processes, in a process group of its own."""

    def __init__(self, env):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sailau", "serve", "--port", str(self.port), "--workers", "2",
             "--threads", "8"], cwd=ROOT, env=env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=self._log(env))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url("/api/openapi.json"), timeout=5)
                return
            except (OSError, urllib.error.URLError):
                assert self.proc.poll() is None, self.log.read_text(errors="replace")[-3000:]
                time.sleep(0.3)
        raise AssertionError("the server did not start")

    def _log(self, env):
        """The server's stderr in a file of its data directory (removed with the test's): a 5xx
        in an assertion can be traced to its cause."""
        self.log = Path(tempfile.mkstemp(prefix="serve-", suffix=".log",
                                         dir=env["SAILAU_DATA_DIR"])[1])
        return self.log.open("wb")

    def errors(self) -> str:
        """The tracebacks the server logged (the last 3000 characters)."""
        text = self.log.read_text(errors="replace")
        return text[text.find("Traceback"):][-3000:] if "Traceback" in text else ""

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def post(self, path: str, token: str, body: dict | None) -> tuple[int, dict]:
        """POST `body` (GET when None)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url(path), data, method="GET" if data is None else
                                     "POST", headers={"Authorization": f"Bearer {token}",
                                                      "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            text = e.read()
            try:
                return e.code, json.loads(text)
            except ValueError:
                return e.code, {"body": text.decode(errors="replace")[:500]}
        except (OSError, urllib.error.URLError) as e:  # the server was killed
            return 0, {"error": str(e)}

    def stop(self, sig=signal.SIGTERM) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=60)


def second_entry(server, token, item) -> tuple[int, dict]:
    return server.post(f"/api/protocols/{item['station']}/{item['contest']}/entry/2/finalise",
                       token, {"figures": item["figures"], "choices": item["choices"],
                               "acknowledged": item["acknowledged"]})


def send_all(server, token, items, on_answer=None) -> list[tuple[int, dict]]:
    """Every item at once: SENDERS threads released together by a barrier."""
    gate = threading.Barrier(SENDERS)

    def run(chunk):
        gate.wait()
        out = []
        for item in chunk:
            out.append(second_entry(server, token, item))
            if on_answer:
                on_answer()
        return out

    chunks = [items[i::SENDERS] for i in range(SENDERS)]
    with ThreadPoolExecutor(SENDERS) as pool:
        answers = list(pool.map(run, chunks))
    # Back in the order of `items`.
    flat = [None] * len(items)
    for i, chunk in enumerate(answers):
        for j, a in enumerate(chunk):
            flat[i + j * SENDERS] = a
    return flat


def sent_again_when_lost(server, token, items, answers) -> list[tuple[int, dict]]:
    """A writer that waited past SQLite's lock timeout (a loaded machine) is told "another
    change was being saved, nothing of yours was stored", and its client sends it again: that
    answer is a race lost, not a fault. Each is sent again, alone; the rest stay as answered."""
    return [second_entry(server, token, item)
            if status == 409 and body.get("error") == "concurrent_change" else (status, body)
            for item, (status, body) in zip(items, answers)]


def audit_verify(env) -> None:
    """The audit chain, the snapshots and the totals agree. The server's publisher may have
    been stopped before it caught up: publish first, as after any restart."""
    out = sailau(env, "publish")
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    out = sailau(env, "audit", "verify")
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]


def tally_check(env) -> dict:
    out = sailau(env, "tally", "check")
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return json.loads(out.stdout)


def test_concurrent_second_entries_on_contests_without_tallies(env):
    data = load(env, "without-tallies")
    items = data["items"]
    assert len(items) > 500  # 595: stations abroad vote in no single-member district
    server = Server(env)
    try:
        answers = sent_again_when_lost(server, data["token"], items,
                                       send_all(server, data["token"], items))
    finally:
        server.stop()
    statuses = Counter(status for status, _ in answers)
    check = sailau(env, "tally", "check")
    report = json.loads(check.stdout)
    wrong = sorted({m["contest"] for m in report["mismatches"]})
    # Counted first, asserted together: a failure shows the whole damage at once.
    assert (statuses, wrong) == ({200: len(items)}, []), (
        statuses, f"{len(wrong)} of {report['contests']} contests wrong",
        report["mismatches"][:3], [a[1].get("error") for a in answers if a[0] != 200][:3])
    assert check.returncode == 0
    assert all(body["state"] == "definitive" for _, body in answers)
    assert report["stations_reported"] == len(items) + data["reported_before"]


def test_server_killed_during_concurrent_submissions(env):
    """SIGKILL to the server and its workers once a third of the entries are answered: every
    acknowledged protocol is definitive afterwards and every total is exact."""
    data = load(env)
    items = data["items"]
    server = Server(env)
    answered = []
    lock = threading.Lock()

    def count():
        with lock:
            answered.append(1)
            if len(answered) == len(items) // 3:
                os.killpg(server.proc.pid, signal.SIGKILL)

    try:
        answers = send_all(server, data["token"], items, on_answer=count)
    finally:
        server.stop(signal.SIGKILL)
    statuses = Counter(status for status, _ in answers)
    assert not [s for s in statuses if s >= 500], statuses
    acknowledged = {(i["station"], i["contest"]) for i, (status, _) in zip(items, answers)
                    if status == 200}
    assert 0 < len(acknowledged) < len(items), statuses  # killed midway
    report = tally_check(env)
    # Every acknowledged protocol is there; what was cut off is wholly absent or wholly in.
    reported = report["stations_reported"] - data["reported_before"]
    assert len(acknowledged) <= reported < len(items)
    server = Server(env)  # and the rest can be sent again once it is back
    try:
        rest = [i for i, (s, _) in zip(items, answers) if s != 200]
        again = sent_again_when_lost(server, data["token"], rest,
                                     send_all(server, data["token"], rest))
    finally:
        server.stop()
    assert {s for s, _ in again} <= {200, 409}, Counter(s for s, _ in again)
    for status, body in again:
        if status == 409:  # committed before the kill, its answer lost: said so, not redone
            assert body["detail"]["state"] == "definitive", body
    report = tally_check(env)
    assert report["stations_reported"] == len(items) + data["reported_before"]
    audit_verify(env)


def at_once(server, calls) -> list[tuple[int, dict]]:
    """Each (path, token, body) from its own thread, released together."""
    gate = threading.Barrier(len(calls))

    def run(call):
        gate.wait()
        return server.post(*call)

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_races_lost_get_409_with_the_state(env):
    """The same request twice, two typists on one entry (a second entry, and a first entry of
    a protocol nobody has touched), a coordinator resolving while an amendment of the same
    protocol and one of its neighbour land: no 5xx; each loser gets a 409 naming the
    protocol's state; the totals stay exact."""
    data = load(env, stations=60)
    r = data["races"]
    op2, op3, co = data["token"], data["third"], data["coordinator"]

    def entry2(item, n=2):
        return (f"/api/protocols/{item['station']}/{item['contest']}/entry/{n}/finalise",
                {k: item[k] for k in ("figures", "choices", "acknowledged")})

    def amendment(item):
        a, b = sorted(item["choices"], key=item["choices"].get)[:2]
        return (f"/api/protocols/{item['station']}/{item['contest']}/amendments",
                {"figures": item["figures"], "acknowledged": item["acknowledged"],
                 "choices": {**item["choices"], a: item["choices"][b], b: item["choices"][a]},
                 "decision_number": "17-2", "decision_date": "2023-03-20",
                 "reason": "recount"})

    diff = r["different"]
    server = Server(env)
    try:
        answers = at_once(server, [
            (*entry2(r["twice"])[:1], op2, entry2(r["twice"])[1]),
            (*entry2(r["twice"])[:1], op2, entry2(r["twice"])[1]),
            (entry2(r["two_typists"])[0], op2, entry2(r["two_typists"])[1]),
            (entry2(r["two_typists"])[0], op3, entry2(r["two_typists"])[1]),
            (f"/api/protocols/{diff['station']}/{diff['contest']}/resolve", co,
             {"action": "accept_first"}),
            (amendment(diff)[0], co, amendment(diff)[1]),
            (amendment(r["definitive"])[0], co, amendment(r["definitive"])[1]),
            # Two typists start the first entry of a protocol nobody has touched.
            (entry2(r["fresh"], 1)[0], op2, entry2(r["fresh"], 1)[1]),
            (entry2(r["fresh"], 1)[0], op3, entry2(r["fresh"], 1)[1]),
        ])
        versions = server.post(f"/api/protocols/{diff['station']}/{diff['contest']}/versions",
                               co, None)
    finally:
        server.stop()
    statuses = [s for s, _ in answers]
    assert 500 not in statuses, (answers, server.errors())
    assert sorted(statuses[0:2]) == [200, 409], answers[0:2]
    assert sorted(statuses[2:4]) == [200, 409], answers[2:4]
    for status, body in answers[0:4]:
        if status == 409:  # told where the protocol stands, and which one
            assert body["detail"]["state"] == "definitive", body
            assert (body["detail"]["station"], body["detail"]["contest"]) != ("", ""), body
    assert statuses[4] == 200 and statuses[6] == 200, answers
    assert sorted(statuses[7:9]) == [200, 409], answers[7:9]
    lost = next(body for status, body in answers[7:9] if status == 409)
    assert lost["detail"]["state"] == "first_entry_finalised", lost
    # The amendment of the differing protocol either came after the resolution (a second
    # version) or before it (refused: not yet definitive, the state said).
    if statuses[5] == 200:
        assert [v["source"] for v in versions[1]] == ["resolution", "amendment"], versions
    else:
        assert statuses[5] == 409 and answers[5][1]["detail"]["state"] == "entries_different", answers[5]
        assert [v["source"] for v in versions[1]] == ["resolution"], versions
    tally_check(env)
    audit_verify(env)

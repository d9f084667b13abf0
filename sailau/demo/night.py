"""The live part of the demo's election night: the protocols of the stations that had not reported
when the site opened arrive through the HTTP API while visitors watch.

`sailau.demo.night_plan` (at build time, with the database) writes the plan: for every station
still to report, its paper protocols, the API tokens of its two operators, its territory's
coordinator and, where one is deployed, its observer, and its commission's key file. `run` (a
process of its own beside the server, no Django) plays the plan: many simulated operators in parallel threads,
each station arriving at its time on a night compressed into `minutes`. As in the chain that
built the reported part (`sailau.demo.chain`): the first operator types each protocol, sometimes
with a slip the control checks catch (422, corrected against the paper) or one they cannot (the
entries then differ and the coordinator accepts the right one or returns the wrong one to be
typed again); the second operator types it again a little later; once the protocol is definitive
the first operator signs it as the commission, with the commission's key file, the requests
`sailau keys sign` serves (`sailau.demo.commission_keys`); the observer sends their copy; a few
protocols are amended by a recount decision afterwards, and signed again.

The simulator never dies on an answer: a 409 (someone else, a visitor or another operator, moved
the entry first) makes it read the entry's state and carry on from there, and anything else is
counted and the protocol left for a visitor. It stops when the night is over or on SIGTERM /
Ctrl-C."""

from __future__ import annotations

import heapq
import http.client
import itertools
import json
import random
import signal
import threading
import time
import uuid as uuidlib
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sailau import clock

ALMATY = ZoneInfo("Asia/Almaty")

THREADS = 12


# --------------------------------------------------------------------------- night (HTTP only)

class Client:
    """One keep-alive connection per thread to the server."""

    def __init__(self, base: str):
        u = urlsplit(base)
        self.host, self.port = u.hostname, u.port or 80
        self.local = threading.local()

    def call(self, method: str, path: str, token: str | None = None, body=None,
             timeout: float = 60) -> tuple[int, dict]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        for attempt in range(2):
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection(self.host, self.port,
                                                                    timeout=timeout)
            try:
                conn.request(method, path, body=data, headers=headers)
                r = conn.getresponse()
                text = r.read().decode(errors="replace")
            except (OSError, http.client.HTTPException):
                conn.close()
                self.local.conn = None
                if attempt:
                    return 0, {}
                continue
            try:
                doc = json.loads(text) if text[:1] in "{[" else {}
            except ValueError:
                doc = {}
            return r.status, doc if isinstance(doc, dict) else {"items": doc}
        return 0, {}


class Night:
    """Plays the plan: a heap of timed steps, worked off by `threads` simulated operators."""

    def __init__(self, plan: dict, base: str, minutes: float, threads: int = THREADS,
                 say=print):
        self.plan, self.client, self.say = plan, Client(base), say
        self.span = max(0.0, minutes) * 60
        self.threads = threads
        self.rnd = random.Random(plan.get("seed", 0))
        self.stats: Counter = Counter()
        self.heap: list = []
        self.seq = itertools.count()
        self.cv = threading.Condition()
        self.stop = threading.Event()
        self.pending = 0
        self.tries: dict[tuple[str, str], int] = {}
        self.t0 = time.time()
        # Second entries, resolutions and amendments follow within a few minutes on a real
        # night; here that gap shrinks with the night.
        self.gap = max(0.5, min(60.0, self.span / 40)) if self.span else 0.0

    # scheduling ---------------------------------------------------------------------------
    def at(self, delay: float, step, *args) -> None:
        with self.cv:
            heapq.heappush(self.heap, (time.time() + delay, next(self.seq), step, args))
            self.pending += 1
            self.cv.notify()

    def _worker(self) -> None:
        while not self.stop.is_set():
            with self.cv:
                while not self.stop.is_set():
                    if self.heap and self.heap[0][0] <= time.time():
                        _, _, step, args = heapq.heappop(self.heap)
                        break
                    if not self.heap and self.pending == 0:
                        return
                    self.cv.wait(min(1.0, self.heap[0][0] - time.time()) if self.heap else 1.0)
                else:
                    return
            try:
                step(*args)
            except Exception as exc:  # noqa: BLE001 -- a simulated operator never takes the night down
                self.count(f"failed:{type(exc).__name__}")
            finally:
                with self.cv:
                    self.pending -= 1
                    self.cv.notify_all()

    def run(self) -> Counter:
        stations = self.plan["stations"]
        # Arrivals follow a reporting curve: few at first, most in the middle of the night.
        offsets = sorted(self.rnd.betavariate(2.0, 2.6) * self.span for _ in stations)
        for s, off in zip(stations, offsets, strict=True):
            self.at(off, self.station, s)
        workers = [threading.Thread(target=self._worker, daemon=True, name=f"operator-{i}")
                   for i in range(self.threads)]
        for w in workers:
            w.start()
        reporter = threading.Thread(target=self._report, daemon=True)
        reporter.start()
        try:
            while any(w.is_alive() for w in workers):
                for w in workers:
                    w.join(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop.set()
            with self.cv:
                self.cv.notify_all()
            for w in workers:
                w.join(65)
        return self.stats

    def _report(self) -> None:
        total = len(self.plan["stations"])
        while not self.stop.wait(max(5.0, self.span / 20 if self.span else 5.0)):
            self.say(f"night: {self.stats['stations_definitive']} of {total} stations "
                     f"arrived; {described(self.stats)}", flush=True)

    # steps ----------------------------------------------------------------------------------
    def _entry(self, s, p, n: int, paper: dict, slip: bool, typist: int | None = None
               ) -> dict | None:
        """Entry `n` of one protocol typed by its operator (the first types entry 1, the second
        entry 2, unless `typist` says otherwise), with a slip sometimes; a slip the checks
        refuse is corrected at once. Returns the chain's answer, None if it failed."""
        from sailau.demo.chain import TYPO_RATE, _with_slip

        token = s["operators"][n - 1 if typist is None else typist]
        path = f"/api/protocols/{s['station']}/{p['contest']}/entry/{n}/finalise"
        typed = {"figures": paper["figures"], "choices": paper["choices"],
                 "acknowledged": paper["acknowledged"]}
        if slip and self.rnd.random() < TYPO_RATE * 3:
            fig, ch = _with_slip(self.rnd, paper["figures"], paper["choices"])
            status, doc = self.client.call("POST", path, token, {**typed, "figures": fig,
                                                                 "choices": ch})
            if status == 200:
                self.count("slips_not_caught")
                return doc
            self.count("slips_caught_by_checks")
        status, doc = self.client.call("POST", path, token, typed)
        if status == 422 and doc.get("error") == "warnings_not_acknowledged":
            codes = [f["code"] for f in doc.get("findings", []) if f["severity"] == "warning"]
            status, doc = self.client.call("POST", path, token, {**typed, "acknowledged": codes})
        return self._answer(status, doc, "entry")

    def _answer(self, status: int, doc: dict, what: str) -> dict | None:
        if 200 <= status < 300:
            self.count(f"{what}_ok")
            return doc
        self.count(f"{what}_{status}")
        return None

    def state(self, s, p) -> str | None:
        status, doc = self.client.call(
            "GET", f"/api/protocols/{s['station']}/{p['contest']}/entry", s["coordinator"])
        return doc.get("state") if status == 200 else None

    def station(self, s) -> None:
        """The first operator types every protocol of the station."""
        for p in s["protocols"]:
            self.first(s, p)

    def first(self, s, p) -> None:
        paper = p.get("first_count") or p
        paper = {**p, **paper}
        res = self._entry(s, p, 1, paper, slip=True)
        if res is None:
            return self.recover(s, p)
        self.at(self.rnd.uniform(0.3, 1.0) * self.gap, self.second, s, p)

    def second(self, s, p, typist: int | None = None) -> None:
        """Entry 2; after a coordinator returned an entry, its own typist types it again."""
        paper = {**p, **(p.get("first_count") or {})}
        res = self._entry(s, p, 2, paper, slip=typist is None, typist=typist)
        if res is None:
            return self.recover(s, p)
        self.settled(s, p, res)

    def settled(self, s, p, res: dict) -> None:
        if res.get("state") == "entries_different":
            self.count("entries_different")
            self.at(self.rnd.uniform(0.2, 0.6) * self.gap, self.resolve, s, p)
        elif res.get("state") == "definitive":
            self.definitive(s, p)

    def resolve(self, s, p) -> None:
        """The coordinator holds both entries against the paper: the one that matches is
        accepted, or the other returned to its typist (who types it again)."""
        status, view = self.client.call(
            "GET", f"/api/protocols/{s['station']}/{p['contest']}/entry", s["coordinator"])
        if status != 200 or view.get("state") != "entries_different":
            return self.recover(s, p)
        paper = {**p, **(p.get("first_count") or {})}
        first = view.get("first") or {}
        first_right = (first.get("figures"), first.get("choices")) == (paper["figures"],
                                                                        paper["choices"])
        if self.rnd.random() < 0.5:
            action = "accept_first" if first_right else "accept_second"
        else:
            action = "return_second" if first_right else "return_first"
        status, doc = self.client.call(
            "POST", f"/api/protocols/{s['station']}/{p['contest']}/resolve", s["coordinator"],
            {"action": action})
        if self._answer(status, doc, "resolution") is None:
            return self.recover(s, p)
        self.count(action)
        if action.startswith("return"):
            self.at(self.rnd.uniform(0.2, 0.6) * self.gap, self.second, s, p,
                    0 if action == "return_first" else 1)
        else:
            self.settled(s, p, doc)

    def recover(self, s, p) -> None:
        """Someone else moved the entry (a 409), or the answer was lost: read the state and
        carry on from it, a few times at most (then the protocol is left for a visitor)."""
        st = self.state(s, p)
        self.count("recovered")
        if st == "definitive":  # made so by someone else (or an earlier night): no sequel
            self.sign(s, p)  # but its commission's signature, if it still awaits one
            if p is s["protocols"][-1]:
                self.count("stations_definitive")
            return
        key = (s["station"], p["contest"])
        with self.cv:
            tries = self.tries[key] = self.tries.get(key, 0) + 1
        args = {"empty": (self.first,), "first_entry_in_progress": (self.first,),
                # which typist is free is not known here: the other one on the next try
                "first_entry_finalised": (self.second, tries % 2),
                "second_entry_in_progress": (self.second, tries % 2),
                "entries_different": (self.resolve,)}.get(st)
        if tries > 4 or args is None:
            self.count("left_for_visitors")
            return
        self.at(self.rnd.uniform(0.5, 1.5), args[0], s, p, *args[1:])

    def count(self, what: str) -> None:
        with self.cv:
            self.stats[what] += 1

    def definitive(self, s, p) -> None:
        self.sign(s, p)
        if p is s["protocols"][-1]:
            self.count("stations_definitive")
        if s.get("observer") and p is s["protocols"][0]:
            self.at(self.rnd.uniform(0.1, 0.5) * self.gap, self.copy, s, p)
        if p.get("first_count"):
            self.at(self.rnd.uniform(1.0, 3.0) * self.gap, self.amend, s, p)

    def copy(self, s, p) -> None:
        status, doc = self.client.call("POST", "/api/observation/copies", s["observer"], {
            "uuid": str(uuidlib.UUID(int=self.rnd.getrandbits(128), version=4)),
            "station": s["station"], "contest": p["contest"], "figures": p["figures"],
            "choices": p["choices"]})
        self._answer(status, doc, "observer_copy")

    def amend(self, s, p) -> None:
        """The recount: the commission's decision corrects the first count."""
        number = s["territory"].split(".")[-1]
        status, doc = self.client.call(
            "POST", f"/api/protocols/{s['station']}/{p['contest']}/amendments", s["coordinator"],
            {"figures": p["figures"], "choices": p["choices"], "acknowledged": p["acknowledged"],
             "decision_number": f"{number}-{s['number']}/1",
             # dated by the demo's clock, on the night it replays (as the server's checks read it)
             "decision_date": clock.now().astimezone(ALMATY).date().isoformat(),
             "reason": "Қайта санау / Пересчёт: голоса ошибочно записаны другой партии"})
        if self._answer(status, doc, "amendment") is not None:
            self.sign(s, p)  # the new version, citing the decision

    def sign(self, s, p) -> None:
        """The commission signs what awaits its signature with its key file, as `sailau keys
        sign` does (the bytes checked against the fields first), and its first operator
        submits the signature. Nothing awaits for a commission the server signs for."""
        if not s.get("key_file"):
            return
        from sailau.protocols.key_files import load, signature_for

        path = f"/api/keys/protocols/{s['station']}/{p['contest']}/signature"
        status, req = self.client.call("GET", path)
        if status == 404:  # signed already (a visitor, or a try before a lost answer)
            return
        if self._answer(status, req, "to_sign") is None:
            return
        status, doc = self.client.call("POST", path, s["operators"][0],
                                       signature_for(load(s["key_file"]), req, path))
        if status == 409 and doc.get("error") == "already_signed":
            self.count("signed_by_someone_else")
            return
        self._answer(status, doc, "signature")


# What the simulated operators did, in the words a person watching the night would use, in the
# order of a protocol's way (`Night.count`'s keys; `_answer` counts "<what>_ok" and
# "<what>_<HTTP status>").
DONE = (("entry_ok", "entries typed"), ("slips_caught_by_checks", "slips caught by the checks"),
        ("slips_not_caught", "slips the checks could not catch"),
        ("entries_different", "pairs of entries that differ"),
        ("accept_first", "first entries accepted"), ("accept_second", "second entries accepted"),
        ("return_first", "first entries returned"), ("return_second", "second entries returned"),
        ("signature_ok", "protocols signed"),
        ("signed_by_someone_else", "protocols signed by someone else"),
        ("observer_copy_ok", "observers' copies sent"), ("amendment_ok", "amendments"),
        ("recovered", "protocols taken up again after someone else moved them"),
        ("left_for_visitors", "protocols left for visitors"))
QUIET = {"stations_definitive", "resolution_ok", "to_sign_ok"}
REFUSED = {"entry": "entries", "resolution": "resolutions", "to_sign": "requests to sign",
           "signature": "signatures", "observer_copy": "observers' copies",
           "amendment": "amendments"}


def described(stats: Counter) -> str:
    """`stats` as a line of counts: "412 entries typed, 9 slips caught by the checks, …;
    refused: 3 entries (HTTP 409)". Never a dict."""
    parts = [f"{stats[k]:,} {words}" for k, words in DONE if stats.get(k)]
    known = {k for k, _ in DONE} | QUIET
    refused, failed = [], []
    for key, n in sorted(stats.items()):
        if key in known or not n:
            continue
        what, _, code = key.rpartition("_")
        if key.startswith("failed:"):
            failed.append(f"{n:,} ({key.removeprefix('failed:')})")
        elif what in REFUSED and code.isdigit():
            refused.append(f"{n:,} {REFUSED[what]} (HTTP {code})")
        else:
            parts.append(f"{n:,} {key.replace('_', ' ')}")
    line = ", ".join(parts) or "nothing done yet"
    if refused:
        line += f"; refused: {', '.join(refused)}"
    if failed:
        line += f"; steps failed: {', '.join(failed)}"
    return line


def wait_for(base: str, stop: threading.Event, timeout: float = 600) -> bool:
    client = Client(base)
    deadline = time.time() + timeout
    while time.time() < deadline and not stop.is_set():
        status, _ = client.call("GET", "/api/openapi.json", timeout=5)
        if status == 200:
            return True
        stop.wait(0.5)
    return False


def main(argv=None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m sailau.demo.night")
    ap.add_argument("plan", type=Path)
    ap.add_argument("--base-url", default="http://127.0.0.1:8000")
    ap.add_argument("--minutes", type=float, default=20)
    ap.add_argument("--threads", type=int, default=THREADS)
    a = ap.parse_args(argv)
    plan = json.loads(a.plan.read_text())
    night = Night(plan, a.base_url, a.minutes, a.threads)
    signal.signal(signal.SIGTERM, lambda *_: (night.stop.set(),))
    try:
        if not wait_for(a.base_url, night.stop):
            return 0
    except KeyboardInterrupt:
        return 0
    print(f"night: {len(plan['stations'])} stations to arrive over {a.minutes:g} minutes; "
          f"left for visitors: {', '.join(map(str, plan['reserved'][:12]))}"
          f"{' …' if len(plan['reserved']) > 12 else ''}", flush=True)
    stats = night.run()
    print(f"night over: {stats['stations_definitive']} of {len(plan['stations'])} stations "
          f"arrived; {described(stats)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

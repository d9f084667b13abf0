"""The log's one writer (sailau.ledger.writer): two log lanes (`sailau publish --log-lane`)
started on one database, protocols arriving; one writes the log and the other waits. The writer
killed with SIGKILL mid-night, the other takes over within 5 s; a full publication run while it
writes waits for it; the log stays one history (every checkpoint seen before the kill is a
prefix of the final tree), every leaf of the outbox is in it exactly once, and `sailau verify`
passes the published folder. On SQLite (a flock) and, with SAILAU_TEST_POSTGRES_URL, on
PostgreSQL (an advisory lock)."""

import json
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WAIT = 180  # seconds for each outcome on a loaded 2-core machine (a bound, not a measure)
TAKEOVER = 5.0  # the promise: a standby writes the log within this of the writer's death

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BUILD = """
from sailau.demo.synthetic import build
syn = build(seed=11, stations=60)
"""

SETUP = "from sailau.cli.django_setup import setup\nsetup()\n" + BUILD + """
import json
from sailau.demo.load import load
from sailau.publish.pipeline import snapshots
election = load(syn, route=False)
snapshots.publish(election.id)
print(json.dumps({"election": election.id,
                  "stations": sorted(s["id"] for s in syn.stations)}))
"""

# The night: one station's protocols routed (made definitive) at a time, a pause between
# (twelve of the sixty: the smallest election the synthetic build makes).
ARRIVE = "from sailau.cli.django_setup import setup\nsetup()\n" + BUILD + """
import sys, time
from sailau.demo.chain import route
for sid in sys.argv[1:]:
    route(syn, only={sid}, say=lambda *a, **k: None)
    print(sid, flush=True)
    time.sleep(0.3)
"""

CHECK = """
import json, sys, base64
from sailau.cli.django_setup import setup
setup()
from sailau.ledger import integrator, outbox, tl
from sailau.ledger.models import Leaf, LogState
eid = sys.argv[1]
row = LogState.objects.get(pk=eid)
t = integrator.tree(eid, row.size, bytes(row.root))
indexes = sorted(Leaf.objects.filter(election_id=eid).values_list("index", flat=True))
print(json.dumps({"outbox": Leaf.objects.filter(election_id=eid).count(),
                  "indexes_ok": indexes == list(range(len(indexes))),
                  "pending": outbox.pending(eid), "size": row.size,
                  "checkpoint_size": row.checkpoint_size,
                  "roots": {n: base64.b64encode(tl.tree_hash(n, t)).decode()
                            for n in range(1, row.size + 1)}}))
"""


def _python(env, code, *args, timeout=WAIT):
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=timeout, check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


class Lane:
    """`sailau publish --log-lane ELECTION` with its lines read as they come, each with when."""

    def __init__(self, env, eid):
        self.proc = subprocess.Popen([sys.executable, "-m", "sailau", "publish", "--log-lane",
                                      eid], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.lines: list[tuple[float, str]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append((time.monotonic(), line))

    def writes_since(self, t0: float) -> float | None:
        """When it last said it writes the log, if after t0."""
        said = [t for t, line in self.lines if "this process writes the log" in line]
        return said[-1] if said and said[-1] >= t0 else None

    def waits(self) -> bool:
        return any("waiting to take over" in line for _, line in self.lines)

    def text(self) -> str:
        return "".join(line for _, line in self.lines)


def _until(what, bound=WAIT, step=0.05):
    end = time.monotonic() + bound
    while time.monotonic() < end:
        got = what()
        if got:
            return got
        time.sleep(step)
    return None


def _checkpoint(folder: Path) -> tuple[int, str] | None:
    try:
        lines = (folder / "log" / "checkpoint").read_text().split("\n")
        return int(lines[1]), lines[2]
    except (FileNotFoundError, IndexError, ValueError):
        return None


def test_the_writer_killed_mid_night_a_second_takes_over_and_the_log_is_one_history(env):
    setup = json.loads(_python(env, SETUP))
    eid, stations = setup["election"], setup["stations"]
    folder = Path(env["SAILAU_DATA_DIR"]) / "snapshots" / eid
    lanes = [Lane(env, eid), Lane(env, eid)]
    arrivals = None
    try:
        # One writes, the other waits: never both.
        assert _until(lambda: sum(bool(lane.writes_since(0)) for lane in lanes) == 1 and any(
            lane.waits() for lane in lanes)), [lane.text() for lane in lanes]
        first = next(lane for lane in lanes if lane.writes_since(0))
        second = lanes[1 - lanes.index(first)]
        arrivals = subprocess.Popen([sys.executable, "-c", ARRIVE, *stations[:12]], cwd=ROOT,
                                    env=env, stdout=subprocess.PIPE, text=True)
        routed = [arrivals.stdout.readline() for _ in range(4)]
        assert all(routed), "the night's arrivals stopped"
        before = _until(lambda: (cp := _checkpoint(folder)) and cp[0] > 0 and cp)
        assert before, "the writer signed no checkpoint of the night"
        assert not second.writes_since(0), second.text()  # still waiting

        first.proc.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        first.proc.wait(timeout=30)
        took = _until(lambda: second.writes_since(killed), bound=TAKEOVER * 4, step=0.02)
        assert took is not None, second.text()
        assert took - killed < TAKEOVER, (took - killed, second.text())
        assert _until(lambda: (cp := _checkpoint(folder)) and cp[0] > before[0]), \
            "the second writer signed nothing"

        assert arrivals.wait(timeout=WAIT) == 0
        # A full publication while the second writer runs waits for it (no integration of its
        # own), and shows every protocol: the log's checkpoint covers them.
        _python(env, "from sailau.cli.django_setup import setup\nsetup()\n"
                     "import sys\nfrom sailau.publish.pipeline import snapshots\n"
                     "snapshots.publish(sys.argv[1])", eid)
        assert second.proc.poll() is None  # it was not asked to stop
    finally:
        for p in [lane.proc for lane in lanes] + [arrivals]:
            if p is not None and p.poll() is None:
                p.terminate()
                p.wait(timeout=30)

    state = json.loads(_python(env, CHECK, eid))
    assert state["pending"] == [] and state["indexes_ok"], state["pending"]
    assert state["outbox"] == state["size"] == state["checkpoint_size"] > before[0]
    assert state["roots"][str(before[0])] == before[1]  # no fork across the kill
    assert len(re.findall("this process writes the log", second.text())) == 1
    out = subprocess.run([sys.executable, "-m", "sailau", "verify", str(folder),
                          "--allow-unwitnessed"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=WAIT, check=False)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]

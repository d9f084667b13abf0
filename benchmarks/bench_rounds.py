"""What one round of the background publisher writes and costs, by kind of file, in process, on a
copy of a national demo (`sailau demo --reported 85 --night-minutes 0 --no-serve`): before each
round the next K unreported stations (by id) go through the chain, then one round of the
publisher (`publish_changes`, the national tables left to their lane) is run, and the bytes it
put in the snapshot directory are counted by kind (objects by their logical name's kind, the
manifest's shards, the manifest bodies, the log's tiles, bundles and checkpoint, the
publisher's own state file), with its CPU time (this process's, so that a busy machine inflates
it less than wall time) and its wall time split into the log's step (`logstep`) and the rest.
Each round is run as if the last were a second before it (`as_in_the_night`), as in a night.

    SAILAU_DATA_DIR=COPY .venv/bin/python benchmarks/bench_rounds.py K ROUNDS [--profile FILE]
    SAILAU_DATA_DIR=COPY2 PYTHONPATH=OTHER .venv/bin/python benchmarks/bench_rounds.py K ROUNDS

(`PYTHONPATH=OTHER`: another checkout's `sailau` package imported instead, the baseline.)

Bytes do not depend on the machine's load; they depend on K (a night of 10 minutes at full
scale made about one round a second with about 5 stations each). Use a fresh copy of the data
directory for each run (the rounds consume unreported stations)."""

import cProfile
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
import django

django.setup()

from sailau.demo.chain import route
from sailau.demo.synthetic import build
from sailau.elections.models import Election
from sailau.protocols.models import Protocol
from sailau.publish.pipeline import batches, logstep
from sailau.publish.storage import publisher_state, store


def unreported(syn) -> list[str]:
    done = set(Protocol.objects.filter(current=True).values_list("station_id", flat=True))
    return sorted(s["id"] for s in syn.stations if s["id"] not in done)


def sign_as_commissions(eid: str, ids: set[str]) -> int:
    """What awaits the signature of a commission that made its own key (the demo's night
    stations) signed with its key file, as the night's operators do through the API; without
    this their protocols would never become definitive here."""
    from sailau.accounts.models import Role
    from sailau.demo import commission_keys
    from sailau.elections.models import Station
    from sailau.protocols.catalog import Catalog

    folder = commission_keys.keys_dir() / eid
    files, members = {}, {}
    for sid, cid in Station.objects.filter(id__in=ids).values_list("id", "commission_id"):
        path = folder / f"{cid}.key"
        role = Role.objects.filter(commission_id=cid, kind="operator").order_by("id").first()
        if path.exists() and role is not None:
            files[sid], members[sid] = str(path), role.user
    return commission_keys.sign(sorted(files), members, files, Catalog()) if files else 0


def kind_of(name: str) -> str:
    parts = name.split("/")
    if parts[0] == "contests" and len(parts) >= 3:
        return "contests/*/" + "/".join(parts[2:])
    return parts[0] + "/" if len(parts) > 1 else name


def listing(d: Path) -> dict[str, tuple[float, int]]:
    out = {}
    for sub in ("log",):
        for p in (d / sub).rglob("*"):
            if p.is_file():
                st = p.stat()
                out[str(p.relative_to(d))] = (st.st_mtime_ns, st.st_size)
    return out


NIGHT_GAP = 1.0  # seconds between two rounds in a night (~590 rounds in ten minutes)


def as_in_the_night(d: Path) -> None:
    """The publisher's record says its last round was `NIGHT_GAP` ago, as in a night, not the
    seconds this benchmark spent routing the next stations: each round compares the share of
    the stations' fingerprints that its time since the last is of `batches.FULL_EVERY`."""
    path = d / publisher_state.STATE
    state = json.loads(path.read_bytes())
    if state.get("full_at"):
        state["full_at"] = time.time() - NIGHT_GAP
        path.write_text(json.dumps(state, separators=(",", ":")))


def one_round(eid: str, d: Path) -> tuple[Counter, float, float, float]:
    as_in_the_night(d)
    prev = store.latest_manifest(eid)
    before_log = listing(d)
    journal = d / getattr(store, "JOURNAL", ".none")  # (a checkout before the journal)
    journal_before = journal.stat().st_size if journal.exists() else 0
    spent = {"log": 0.0}
    step = logstep.integrate

    def timed_integrate(election_id, **kw):
        t = time.perf_counter()
        try:
            return step(election_id, **kw)
        finally:
            spent["log"] += time.perf_counter() - t

    logstep.integrate = timed_integrate
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        m = batches.publish_changes(eid, defer_national=True)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        logstep.integrate = step
    written = Counter()
    if m:
        for name, e in m["files"].items():
            old = prev["files"].get(name)
            if old is None or old["sha256"] != e["sha256"]:
                written[kind_of(name)] += store.stored_size(eid, name, e)
        for sha in set(m["shard_objects"]) - set(prev["shard_objects"]):
            written["(shards)"] += (d / "objects" / f"{sha}.json").stat().st_size
        body = (d / "manifest.json").stat().st_size
        written["(manifest bodies)"] += 2 * body  # manifest.json and manifests/<seq>.json
        written["(chain line)"] += 250
    after_log = listing(d)
    for path, (mtime, size) in after_log.items():
        if before_log.get(path) != (mtime, size):
            written["(log) " + ("checkpoint" if path.endswith("checkpoint") else
                                "bundles" if "/entries/" in path else
                                "log.json" if path.endswith(".json") else "hash tiles")] += size
    journal_after = journal.stat().st_size if journal.exists() else 0
    written["(publisher state, not published)"] += (d / publisher_state.STATE).stat().st_size + (
        journal_after - journal_before if journal_after >= journal_before else journal_after)
    return written, cpu, wall, spent["log"]


def main() -> None:
    k, rounds = int(sys.argv[1]), int(sys.argv[2])
    profile = sys.argv[sys.argv.index("--profile") + 1] if "--profile" in sys.argv else None
    eid = Election.objects.values_list("id", flat=True).first()
    syn = build(seed=2023, stations=Election.objects.get(id=eid).stations.count())
    d = store.election_dir(eid)
    left = unreported(syn)
    batches.publish_changes(eid, defer_national=True)  # catch up with what the build left
    # One round not measured: a checkout whose manifest format differs from the build's
    # writes its whole tree of shards once, which is not a round's cost.
    first, left = set(left[:k]), left[k:]
    route(syn, only=first)
    sign_as_commissions(eid, first)
    batches.publish_changes(eid, defer_national=True)
    total, cpus, walls, logs, signed = Counter(), [], [], [], 0
    prof = cProfile.Profile() if profile else None
    for r in range(rounds):
        batch = set(left[r * k:(r + 1) * k])
        route(syn, only=batch)
        signed += sign_as_commissions(eid, batch)
        if prof:
            prof.enable()
        written, cpu, wall, log = one_round(eid, d)
        if prof:
            prof.disable()
        total.update(written)
        cpus.append(cpu)
        walls.append(wall)
        logs.append(log)
    if prof:
        prof.dump_stats(profile)
    per_round = {kind: round(v / rounds / 1024, 1) for kind, v in total.most_common()}
    published = sum(v for kind, v in total.items() if not kind.startswith("(publisher"))
    print(json.dumps({
        "stations_per_round": k, "rounds": rounds,
        "protocols_definitive": Protocol.objects.filter(
            station_id__in=left[:k * rounds], current=True).count(),
        "signed_by_own_keys": signed,
        "KiB_per_round_by_kind": per_round,
        "published_KiB_per_round": round(published / rounds / 1024, 1),
        "cpu_s_median": round(statistics.median(cpus), 3),
        "wall_s_median": round(statistics.median(walls), 3),
        "log_step_s_median": round(statistics.median(logs), 3),
        "load": os.getloadavg()}, indent=1))


if __name__ == "__main__":
    main()

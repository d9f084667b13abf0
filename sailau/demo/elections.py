"""The kinds of election `sailau demo --election KIND` builds besides the 2023 Mazhilis (which
`sailau.cli.demo.build` builds, with the Senate beside it): the constitutional referendum of
5 June 2022 and the early presidential election of 9 June 2019, with or without a second round.

Each is built in a data directory of its own (a folder named after the kind inside
SAILAU_DATA_DIR, `data_subdir`): its own database, published log, night plan, ground truth and,
above all, its own clock (`sailau.clock`: the demo's "now" is on the night of the election it
serves, one night per data directory), so that the kinds stand side by side and each serves
its own night.

`build` goes the way the Mazhilis demo does: the structure and the commissions' turnout reports
through the day, `reported` percent of the stations through the protocol chain on the replayed
night, the search index, scans, complaints, observers with their copies, the crowd's readings
and a sample of the register around them, the demo's witnesses, the live night's plan, cameras,
and a first publication, cosigned. Not here: the Mazhilis's nominations and campaign finance
(their synthetic files are the 2023 parties' and dated on the 2023 calendar)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from sailau.demo import president2019, referendum2022

MAZHILIS = "mazhilis-2023"


@dataclass(frozen=True)
class Kind:
    name: str  # as --election spells it
    election_id: str
    date: dt.date
    full_stations: int
    title: str


KINDS = {
    MAZHILIS: None,  # sailau.cli.demo.build
    "referendum-2022": Kind("referendum-2022", referendum2022.ELECTION_ID,
                            referendum2022.ELECTION_DATE, referendum2022.FULL_STATIONS,
                            "the constitutional referendum of 5 June 2022"),
    "president-2019": Kind("president-2019", president2019.ELECTION_ID,
                           president2019.ELECTION_DATE, president2019.FULL_STATIONS,
                           "the early presidential election of 9 June 2019"),
}
MIN_STATIONS = 40
STRUCTURE_BEFORE = dt.timedelta(days=30)  # 17 regions with two stations each, and the stations abroad


def data_subdir(kind: str, first_round_decides: bool = False) -> str | None:
    """The folder of SAILAU_DATA_DIR a kind is built in (None: the Mazhilis, in the directory
    itself, as `make demo` has always built it). The presidential election whose first round
    decides is another history of the same election: a folder of its own."""
    if kind == MAZHILIS:
        return None
    return f"{kind}-first-round-decides" if first_round_decides else kind


def build(kind: str, seed: int, stations: int, reported: float, say=print,
          server_keys: bool = False, first_round_decides: bool = False):
    """Build `kind` in the current data directory; returns the election whose night is served
    (the second round's when there is one)."""
    from sailau import clock
    from sailau.demo.chain import Night

    k = KINDS[kind]
    t0 = time.perf_counter()
    say(f"building {k.title} (synthetic): {stations} stations, seed {seed}, {reported:g}% "
        "reported ...", flush=True)
    if kind == "referendum-2022":
        clock.set_demo(Night.of(k.date).ends)
        election = one_night(referendum2022.build(seed, stations), seed, reported, say=say,
                             server_keys=server_keys)
    else:
        syn = president2019.build(seed, stations, decided=first_round_decides)
        clock.set_demo(Night.of(k.date).ends)
        if first_round_decides:
            election = one_night(syn, seed, reported, say=say, server_keys=server_keys)
        else:
            # Every station of the first round reports: the second round is called on its
            # final result, and the served night is the second round's.
            forget_second_round(president2019.ELECTION_ID)
            first = one_night(syn, seed, 100, say=say, server_keys=server_keys, plan=False)
            election = second_round(first, syn, seed, reported, say=say,
                                    server_keys=server_keys)
    say(f"{election.id}: built in {time.perf_counter() - t0:.1f} s", flush=True)
    return election


def one_night(syn, seed: int, reported: float, say=print, server_keys: bool = False,
              plan: bool = True, structure: bool = True):
    """One election's night as the Mazhilis demo builds it, on the night the clock stands at
    (`demo.chain.Night.ending`). `plan`: write the live night's plan (the stations that arrive
    while it serves, those left for visitors); `structure`: write the structure (False: it is
    already in the database, as a second round's is)."""
    from sailau import clock
    from sailau.demo import commission_keys, night_plan, turnout_day, witnesses
    from sailau.demo.chain import Night, route
    from sailau.demo.load import write_structure
    from sailau.elections.models import Election
    from sailau.publish.pipeline import snapshots
    from sailau.video.demo import at_build as cameras

    t0 = time.perf_counter()
    done, live, reserved = night_plan.split(syn, reported, seed)
    replay = Night.ending()
    # imported weeks before the election day, as a commission would (assumed: 30 days), and
    # the observers' witnesses named with it: they cosign the log from the start, so a reader
    # can tell from their timestamps when each leaf entered it (docs/log-format.md)
    with clock.showing(replay.closing - STRUCTURE_BEFORE):
        if structure:
            election = write_structure(syn.structure(), server_keys=server_keys)
        else:
            election = Election.objects.get(pk=syn.election["id"])
        witnesses.register(election.id, say=say)
    write_truth(syn, join=not structure)
    commission_keys.forget(election.id)
    # the day before: the commissions make their keys (none for the station left to
    # `demo-operator`, whose key a visitor makes) and the witnesses cosign them; then
    # election day's turnout, then the night
    made = night_plan.day_before(syn, live if plan else [], reserved if plan else set(),
                                 every_commission=not server_keys, say=say)
    turnout_day.write(syn, replay.closing)
    stats = route(syn, only=done, night=replay, own_keys=not server_keys, say=say,
                  **({} if server_keys else {"key_files": made["key_files"],
                                             "users": (made["ops"], made["coords"])}))
    t1 = time.perf_counter()
    # A second round's observers are others: their badges, numbered from the seed, are unique
    # across the data directory's elections.
    around(election, seed if structure else seed + 1, replay.closing, say=say)
    t2 = time.perf_counter()
    if plan:
        night_plan.prepare(syn, live, reserved, seed, replay, say=say, made=made)
    cams = cameras(election.id, seed)
    manifest = snapshots.publish(election.id)
    witnesses.cosign_published(election.id, say=say)
    # The integrity report of what has arrived, so that the first visitor does not wait for it.
    from sailau.integrity import service, table

    report = service.get(table.principal_contest(election.id))
    voters = sum(s["registered"] for s in syn.stations)
    say(f"{election.id}: {len(syn.stations)} stations, {voters:,} voters; {stats.stations} "
        f"stations reported, {len(live) if plan else 0} to arrive during the night, "
        f"{len(reserved) if plan else 0} left for visitors; {cams['registered']} cameras; "
        f"integrity: {report['summary']['status']}; "
        f"through the protocol chain in {t1 - t0:.1f} s, scans, complaints and observers in "
        f"{t2 - t1:.1f} s, the night's plan and {len(manifest['files'])} published files in "
        f"{time.perf_counter() - t2:.1f} s", flush=True)
    return election


def around(election, seed: int, closing: dt.datetime, say=print) -> None:
    """What the Mazhilis demo adds around the protocol chain (`demo.extras.populate`), less its
    nominations and campaign finance."""
    from sailau.complaints.demo import generate as complaints
    from sailau.demo import extras
    from sailau.evidence.demo import at_build as evidence
    from sailau.observation.demo import generate as observation
    from sailau.publish.pages import search
    from sailau.scans.demo import load as scans
    from sailau.voters.demo import generate as voters

    t = time.perf_counter()
    search.rebuild(election.id)
    summary = scans(election.id, sample=extras.SCAN_SAMPLE, seed=seed)
    filed = complaints(election, seed, closing=closing)
    o = observation(election, seed, closing=closing)
    e = evidence(election.id, seed)
    extras.record_altered_scans(summary["altered_scans"])
    voters(election, seed=seed, n=extras.VOTERS)
    say(f"scans {summary['statuses']}, {len(filed)} complaints, {o['observers']} observers at "
        f"{o['deployed']} stations, {e['readings']} readings by the crowd, a register of "
        f"{extras.VOTERS:,} voters, in {time.perf_counter() - t:.1f} s", flush=True)


def write_truth(syn, join: bool = False) -> None:
    """The ground truth of what was injected; with `join`, beside what the first round of the
    same data directory wrote (a second round's stations are not the first's)."""
    import json

    from sailau.demo.load import ground_truth_path
    from sailau.paths import write_atomic

    path = ground_truth_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    earlier = json.loads(path.read_text()) if join and path.exists() else {}
    write_atomic(path, json.dumps({
        "election": syn.election["id"], "seed": syn.seed, "stations_total": len(syn.stations),
        "rewritten_region": syn.election.get("_rewritten_region"),
        "rounds": [*earlier.get("rounds", ()), syn.election["id"]],
        "stations": {**earlier.get("stations", {}), **syn.truth},
    }, ensure_ascii=False, indent=1))


def second_round(first, syn, seed: int, reported: float, say=print,
                 server_keys: bool = False):
    """The second round the first round's result calls, on its own night: created from the
    first round (`create_second_round`), its stations' figures drawn, and counted as the first
    was."""
    from sailau import clock
    from sailau.demo.chain import Night

    date = president2019.SECOND_ROUND_DATE
    clock.set_demo(Night.of(date).ends)
    created = create_second_round(first.id, date, server_keys=server_keys)
    from sailau.demo import runoff

    return one_night(runoff.synthetic(created, syn, seed), seed, reported, say=say,
                     server_keys=server_keys, structure=False)


def forget_second_round(first_election_id: str) -> None:
    """A rebuilt first round is another history: the second round an earlier build created
    from it goes, with its results and log (as a rebuilt demo election's, `load`)."""
    from django.db import transaction

    from sailau.demo.load import _drop_results
    from sailau.elections.models import Election
    from sailau.elections.rounds import second_round_id

    eid = second_round_id(first_election_id)
    with transaction.atomic():
        if Election.objects.filter(pk=eid).exists():
            _drop_results(eid)
            Election.objects.filter(pk=eid).delete()


def create_second_round(first_election_id: str, date: dt.date, server_keys: bool = False):
    """The demo's one call of `sailau.elections.rounds.create_second_round`: the second round's
    election in the database, its structure carried over from the first round's, its two
    leaders read from the first round's published log; its commissions given no key the server
    holds unless `server_keys` (they make their own, `one_night`)."""
    from sailau.elections.rounds import create_second_round as create

    return create(first_election_id, date=date, election_id=None, server_keys=server_keys)

"""`sailau demo`: build the synthetic national election and serve it as a night in progress:
most stations reported when the site opens, the rest arriving through the HTTP API while it
serves (`sailau.demo.night`), a few in every territory left for visitors to enter."""

import json
import os
import subprocess
import sys
import time


def register(sub) -> None:
    p = sub.add_parser("demo", help="build a national-scale synthetic election and serve it")
    p.add_argument("--election", default="mazhilis-2023",
                   choices=["mazhilis-2023", "referendum-2022", "president-2019"],
                   help="which election: the Mazhilis of 19 March 2023 with its maslikhats and "
                        "the Senate beside it (default, in SAILAU_DATA_DIR itself), the "
                        "constitutional referendum of 5 June 2022, or the early presidential "
                        "election of 9 June 2019 with a second round (each of the others in a "
                        "folder of its own inside SAILAU_DATA_DIR, named after it)")
    p.add_argument("--first-round-decides", action="store_true",
                   help="president-2019: the first round elects, on the official shares (70.96 "
                        "%% for Tokayev), and there is no second round (built in the folder "
                        "president-2019-first-round-decides)")
    p.add_argument("--seed", type=int, default=2023, help="random seed (default 2023)")
    p.add_argument("--stations", type=int, default=None,
                   help="number of polling stations (default: the full count of the election: "
                        "10,223 for the Mazhilis)")
    p.add_argument("--reported", type=float, default=80, metavar="PERCENT",
                   help="share of stations whose protocols are definitive before the site "
                        "opens (default 80; 0: nothing has arrived yet)")
    p.add_argument("--night-minutes", type=float, default=20, metavar="M",
                   help="how long the remaining stations take to arrive while it serves "
                        "(default 20; 0: none arrive, they wait for visitors)")
    p.add_argument("--server-keys", action="store_true",
                   help="build as a server holding the commissions' keys would: every "
                        "commission gets a key the server holds and signs with, and only those "
                        "of the stations reporting during the night make their own (default: "
                        "every commission makes its own key the day before and signs with it; "
                        "the server holds none)")
    p.add_argument("--no-serve", action="store_true", help="only build it")
    p.add_argument("--rebuild", action="store_true",
                   help="build again even when the same election is already there")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=run)


def run(args) -> int:
    from sailau.cli import CommandError
    from sailau.cli.django_setup import setup
    from sailau.demo import elections, synthetic
    from sailau.languages import catalogue

    catalogue.compile_all()  # the pages and the first snapshots in every language, bootstrap or not
    kind = elections.KINDS[args.election]
    if args.first_round_decides and args.election != "president-2019":
        raise CommandError("--first-round-decides: only with --election president-2019")
    stations = args.stations or (kind.full_stations if kind else synthetic.FULL_STATIONS)
    if kind is None and stations < 60:
        raise CommandError("--stations: at least 60 (20 regions, 29 single-member districts)")
    if kind is not None and stations < elections.MIN_STATIONS:
        raise CommandError(f"--stations: at least {elections.MIN_STATIONS} (17 regions with two "
                           "stations each, and the stations abroad)")
    if not 0 <= args.reported <= 100:
        raise CommandError(f"--reported: a percentage from 0 to 100, got {args.reported:g}")
    if args.night_minutes < 0:
        raise CommandError(f"--night-minutes: must not be negative, got {args.night_minutes:g}")
    sub_dir = elections.data_subdir(args.election, args.first_round_decides)
    if sub_dir:
        # Its own data directory (database, published log, clock), inherited by the server
        # and every helper this command starts: set before Django reads it.
        from sailau.paths import data_dir

        os.environ["SAILAU_DATA_DIR"] = str(data_dir() / sub_dir)
        print(f"data directory of {kind.title}: {os.environ['SAILAU_DATA_DIR']}")
    fresh = setup()
    from sailau.demo.accounts import hash_ahead
    from sailau.demo.load import ground_truth_path
    from sailau.demo.night_plan import plan_path
    from sailau.paths import data_dir

    hashed = hash_ahead()  # the demo accounts' passwords, while it builds
    params_path = data_dir() / "demo" / "params.json"
    params = {"seed": args.seed, "stations": stations, "reported": args.reported,
              "keys": "server" if args.server_keys else "own",
              **({"election": args.election} if kind else {})}
    built_params = json.loads(params_path.read_text()) if params_path.exists() else {}
    built = {k: v for k, v in built_params.items() if k != "served"} == params
    if args.rebuild or not built:
        # The application's clock on the election's own night: the build's replayed night ends
        # when it really did, and every process on this data directory (the server, the
        # helpers, a command run by hand) reads the same offset from it (sailau/clock.py).
        from contextlib import nullcontext

        from sailau import clock
        from sailau.demo.chain import Night
        from sailau.demo.synthetic import ELECTION_DATE
        from sailau.sqlitedb.building import bulk_build

        # A brand-new database is filled with a throwaway file's pragmas (put back after).
        with bulk_build() if fresh else nullcontext():
            if kind is None:
                clock.set_demo(Night.of(ELECTION_DATE).ends)
                served = build(args.seed, stations, args.reported, server_keys=args.server_keys,
                               beside=True)
            else:  # each sets the clock on its own night(s)
                served = elections.build(args.election, args.seed, stations, args.reported,
                                         server_keys=args.server_keys,
                                         first_round_decides=args.first_round_decides)
        params["served"] = served.id
        params_path.write_text(json.dumps(params))
        print(f"ground truth of injected falsifications: {ground_truth_path()}")
    else:
        if not plan_path().exists():
            print("the demo election is already built (--rebuild to build it again)")
        from sailau import clock

        if not clock.demo_path().exists():  # built before the demo set its clock
            print("its clock is the real time, not its election's night: --rebuild sets it")
    from sailau.demo.accounts import create_demo_accounts, table
    from sailau.elections.models import Election

    plan = json.loads(plan_path().read_text()) if plan_path().exists() else None
    if plan and built and not args.rebuild:
        # A second start on the same data directory goes on from where the first stopped:
        # what an earlier run entered is not typed again (the chain would refuse it).
        from sailau.demo import night_plan

        night = len(plan["stations"])
        plan = night_plan.left(plan)
        night_plan.write(plan)
        print(_going_on(night, plan))
    # The election served: the one whose night the build left in progress (a presidential
    # second round's, not its first round's).
    election_id = (json.loads(params_path.read_text()).get("served")
                   or (kind.election_id if kind else synthetic.ELECTION_ID))
    # One account per role, DEMO ONLY passwords; the operator's station is one the night leaves
    # for visitors, so it is still there to be entered when a visitor signs in.
    operator_before = _operator_stations(election_id)
    print(table(create_demo_accounts(Election.objects.filter(pk=election_id).first(),
                                     free=plan["reserved"] if plan else (), hashed=hashed)))
    moved = _operator_stations(election_id) - operator_before
    if operator_before and moved:
        print(f"demo-operator: station {', '.join(map(str, sorted(operator_before)))} was "
              f"entered since the demo last started; the account now enters station "
              f"{', '.join(map(str, sorted(moved)))} too")
    _print_verify([election_id] + ([] if kind else [senate_id()]), args)
    if args.no_serve:
        return 0
    from sailau.background import stop_processes
    from sailau.cli.serve import serve

    if plan:
        if plan["reserved"]:
            print("left for visitors to enter by hand: stations "
                  f"{', '.join(map(str, plan['reserved']))}")
        if args.night_minutes > 0 and plan["stations"]:
            print(f"{len(plan['stations'])} stations report over the next "
                  f"{args.night_minutes:g} minutes", flush=True)
        print(_since_the_night(plan), end="", flush=True)
    helpers = []
    if args.night_minutes > 0 and plan and plan["stations"]:
        helpers.append(subprocess.Popen([sys.executable, "-m", "sailau.demo.night",
                                         str(plan_path()), "--base-url",
                                         f"http://{args.host}:{args.port}",
                                         "--minutes", str(args.night_minutes)], env=os.environ))
    # The build uploaded a sample of scans; every other protocol's page is drawn and uploaded
    # while it serves, as the protocols become definitive (sailau/scans/backfill.py).
    helpers.append(subprocess.Popen([sys.executable, "-m", "sailau.scans.backfill", election_id,
                                     "--seed", str(args.seed)], env=os.environ))
    # The recordings of the cameras the build registered, as count windows become known
    # (sailau/video/demo.py).
    helpers.append(subprocess.Popen([sys.executable, "-m", "sailau.video.demo", election_id,
                                     "--seed", str(args.seed)], env=os.environ))
    # The observers' photos of their copies, drawn as filled by hand (sailau/evidence/copies.py).
    helpers.append(subprocess.Popen([sys.executable, "-m", "sailau.evidence.copies", election_id,
                                     "--seed", str(args.seed)], env=os.environ))
    # The volunteers' crowd types what the build left, and the scans and photos as they come
    # (sailau/evidence/night.py), for as long as it serves.
    helpers.append(subprocess.Popen([sys.executable, "-m", "sailau.evidence.night", election_id,
                                     "--seed", str(args.seed), "--minutes", "0"],
                                    env=os.environ))
    # The two witnesses cosign each new checkpoint of the log as the log signs it (pushed to
    # them, C2SP tlog-witness), as observers' witnesses would.
    from sailau.demo import witnesses

    helpers += witnesses.start(election_id, f"http://{args.host}:{args.port}")
    try:
        # Ctrl-C: "stopping…" at once, and the helpers told to stop while the server stops.
        return serve(args.host, args.port, stopping=lambda: _tell_to_stop(helpers))
    finally:
        stop_processes(helpers, seconds=HELPERS_STOP_SECONDS)
        witnesses.stop(election_id)
        # A last publication round (the publisher may have stopped between a protocol and its
        # files), and its checkpoint cosigned by both witnesses, before the demo ends: a reader
        # verifying the stopped demo's folder needs both.
        # A territory's first scan archive is the national lane's to publish (a batch only
        # marks archives already published): one that arrived in the lane's last seconds is
        # published here, so that the stopped demo publishes every file its database has.
        try:
            from sailau.publish.pipeline import batches, national_jobs
            from sailau.publish.pipeline.logstep import Unsettled

            for _ in range(20):  # the night's operators have stopped: settled at once
                try:
                    batches.publish_changes(election_id, defer_national=False)
                    national_jobs.rewrite_stale(election_id,
                                            due=lambda job: job.startswith("scans/"))
                    break
                except Unsettled:
                    continue
            witnesses.cosign_published(election_id, say=lambda *a, **k: None)
        except KeyboardInterrupt:
            pass


# Seconds the helpers beside the server have to end after SIGTERM before they are killed: each
# ends its loop at its next item (a protocol, a scan's page, a photo), and what one left undone
# is done by the next start.
HELPERS_STOP_SECONDS = 5


def _tell_to_stop(helpers) -> None:
    for helper in helpers:
        if helper.poll() is None:
            helper.terminate()


def _going_on(night: int, plan: dict) -> str:
    """What a second start on a built demo does: the lines that say so."""
    left, arrived = len(plan["stations"]), night - len(plan["stations"])
    n = len(plan["reserved"])
    open_ = (f"{n} station{' is' if n == 1 else 's are'} still open for visitors" if n
             else "every station left for visitors has been entered")
    if not left:
        return (f"the demo election is already built and its night is over: all {night} "
                f"stations of the night arrived in an earlier run; {open_}. It is served "
                "as it stands (--rebuild for a new election and a new night)")
    return (f"the demo election is already built: of the {night} stations of its night, "
            f"{arrived} arrived in an earlier run and {left} are still to come; {open_} "
            "(--rebuild to build it again)")


def _operator_stations(election_id: str) -> set[int]:
    """Numbers of the stations the demo operator enters (a second start may add one: the
    operator's station of the first was entered meanwhile)."""
    from sailau.accounts.models import Role

    return set(Role.objects.filter(user__username="demo-operator", kind=Role.OPERATOR,
                                   election_id=election_id,
                                   commission__level="precinct")
               .values_list("commission__number", flat=True))


def senate_id() -> str:
    from sailau.demo.senate import election_id

    return election_id()


def _print_verify(election_ids, args) -> None:
    """How a careful reader checks what the demo publishes: `sailau verify` with the log key
    and the witnesses pinned (the witnesses' keys from their own folders, beside the data
    directory), a state kept between runs."""
    from sailau.demo import witnesses
    from sailau.publish.storage.store import election_dir

    for eid in election_ids:
        where = (str(election_dir(eid)) if args.no_serve
                 else f"http://{args.host}:{args.port}/snapshots/{eid}/")
        command = witnesses.verify_command(eid, where)
        if command:
            print(f"verify {eid} as a careful reader does (docs/checking-the-log.md; the "
                  f"witnesses' keys are in {witnesses.witnesses_dir()}):\n    {command}")


def _since_the_night(plan: dict) -> str:
    """A line when the built night ended long ago: what arrives now comes after a gap."""
    import datetime as dt

    ends = (plan.get("night") or {}).get("ends")
    if ends is None:
        return ""
    from sailau import clock

    idle = clock.now() - dt.datetime.fromisoformat(ends)
    if idle < dt.timedelta(hours=1):
        return ""
    return (f"the demo's night ended {idle.total_seconds() / 3600:.0f} hours ago, when it was "
            "built: what arrives now comes after a gap in the results over time "
            "(--rebuild for a night that ends now)\n")


def build(seed: int, stations: int, reported: float, say=print, server_keys: bool = False,
          beside: bool = False):
    """The election with `reported` percent of its stations through the protocol chain, the
    scans, complaints, observers and register around them, the night's plan for the rest and
    a first publication, and beside it a Senate election counted and published; returns the
    (Mazhilis) election. Every commission makes its own key the day before and signs what is
    routed with it (`night_plan.day_before`); with `server_keys` the structure gives each a
    key the server holds, which signs what is routed, and only the night's commissions make
    theirs. `beside`: the Senate election is built in a process of its own while this one
    builds the Mazhilis's (`sailau.demo.beside`: the machine's second core; the database must
    be one another process can open, not a test's in memory)."""
    from sailau.demo import witnesses

    t0 = time.perf_counter()
    say(f"building a synthetic election: {stations} stations, seed {seed}, {reported:g}% "
        "reported ...", flush=True)
    part = None
    if beside:
        # The Senate election needs nothing of the Mazhilis's but the witnesses' keys: begun
        # once the Mazhilis's structure is written (`_routed`), it is built while this process
        # routes the Mazhilis's protocols, which leave the other core half idle (begun at
        # once, it took a share of the core that writes the structure).
        witnesses.make_keys()
        part = _senate_beside(seed, server_keys)
    try:
        return _build(seed, stations, reported, say, server_keys, beside, part, t0)
    except BaseException:
        if part is not None:
            part.stop()
        raise


def _build(seed, stations, reported, say, server_keys, beside, part, t0):
    """`build`, the Senate's part to run beside (`part`, begun by `_routed`) or not."""
    from sailau.demo import commission_keys, night_plan, synthetic

    syn = synthetic.build(seed=seed, stations=stations, maslikhats=True)
    t1 = time.perf_counter()
    done, live, reserved = night_plan.split(syn, reported, seed)
    # An earlier build's key files go: their commissions are replaced. Then the commissions
    # write their new ones beside (the second core) while this process writes the structure.
    commission_keys.forget(syn.election["id"])
    keys = (commission_keys.make_beside(syn.election["id"],
                                        night_plan.keys_making(syn, reserved))
            if beside and not server_keys else None)
    try:
        return _routed(syn, done, live, reserved, seed, say, server_keys, beside, part, keys,
                       t0, t1)
    except BaseException:
        if keys is not None:
            keys.stop()
        raise


def _routed(syn, done, live, reserved, seed, say, server_keys, beside, part, keys, t0, t1):
    """`_build` once generated, the commissions' key files being written beside (`keys`) or
    not."""
    from sailau import clock
    from sailau.background import helper_pool
    from sailau.demo import night_plan, senate, synthetic, turnout_day, witnesses
    from sailau.demo.chain import Night, route
    from sailau.demo.elections import STRUCTURE_BEFORE
    from sailau.demo.extras import populate
    from sailau.demo.load import load
    from sailau.publish.pipeline import snapshots
    from sailau.video.demo import at_build as cameras

    say(f"generated {len(syn.stations):,} stations, {len(syn.commissions):,} commissions and "
        f"{len(syn.protocols):,} protocols in {t1 - t0:.1f} s; writing the commissions, "
        "stations and turnout reports to the database ...", flush=True)
    # The replayed night ends now: the stations that report while it serves continue it.
    replay = Night.ending()
    # The structure imported weeks before, with two observer organisations' witnesses of the
    # published log (sailau/demo/witnesses.py): named before anything is signed, they cosign
    # the keys the commissions register the day before, on the replay's clock, so a reader
    # sees from their timestamps that those keys were on record in time (docs/log-format.md).
    # (dated by the election's own day, which the keys are dated by: the replayed night is
    # that day's when `sailau demo` set the clock)
    with clock.showing(Night.of(synthetic.ELECTION_DATE).closing - STRUCTURE_BEFORE):
        election = load(syn, route=False, closing=replay.closing, turnout=False,
                        server_keys=server_keys)
        witnesses.register(election.id, say=say)
    say(f"written in {time.perf_counter() - t1:.1f} s; the protocols of {len(done):,} "
        "stations through the chain (two entries each, the checks, the signatures, the "
        "log) ...", flush=True)
    # the day before: the keys made and cosigned; then election day's turnout, the night
    if part is not None:
        part.run()
    # the process the commissions sign in, set up meanwhile (`commission_keys.Signing`)
    signers = helper_pool() if beside and not server_keys else None
    try:
        made = night_plan.day_before(syn, live, reserved, every_commission=not server_keys,
                                     say=say, keys_beside=keys)
        turnout_day.write(syn, replay.closing)
        stats = route(syn, only=done, night=replay, own_keys=not server_keys, say=say,
                      signers=signers,
                      **({} if server_keys else {"key_files": made["key_files"],
                                                 "users": (made["ops"], made["coords"])}))
    finally:
        if signers is not None:
            signers.shutdown(wait=False, cancel_futures=True)
    t2 = time.perf_counter()
    say(f"{stats.protocols:,} protocols of {stats.stations:,} stations definitive in "
        f"{t2 - t1:.1f} s; scans, complaints, observers and the register ...", flush=True)
    populate(election, seed, replay.closing, say=say, beside=beside)
    t3 = time.perf_counter()
    night_plan.prepare(syn, live, reserved, seed, replay, say=say, made=made)
    # After the night's accounts: every station's operator registers its camera.
    tv = time.perf_counter()
    cams = cameras(election.id, seed)
    say(f"video: {cams['registered']} cameras registered ({cams['gap']} with a gap in the "
        f"count, {cams['early']} stopping before the signing, {cams['none']} without "
        f"recordings) in {time.perf_counter() - tv:.1f} s; their recordings are uploaded "
        "while the demo serves", flush=True)
    manifest = snapshots.publish(election.id, beside=beside)
    # The witnesses cosign the first checkpoint (a served demo's witnesses go on while it
    # serves).
    witnesses.cosign_published(election.id, say=say)
    t4 = time.perf_counter()
    # The Senate election of January 2023 beside it, on its own day
    # (sailau/demo/senate.py).
    if part is None:
        senate.build(seed, say=say, server_keys=server_keys)
    else:
        part.finish(say=say)
    voters = sum(s["registered"] for s in syn.stations)
    say(f"{election.id}: {len(syn.stations)} stations, {voters:,} voters; {stats.stations} "
        f"stations ({stats.protocols} protocols) reported, {len(live)} to arrive during the "
        f"night, {len(reserved)} left for visitors; generated in {t1 - t0:.1f} s, through the "
        f"protocol chain in {t2 - t1:.1f} s, scans, complaints and observers in "
        f"{t3 - t2:.1f} s, the night's plan and {len(manifest['files'])} published files in "
        f"{t4 - t3:.1f} s")
    return election


def _senate_beside(seed: int, server_keys: bool):
    """The Senate election's build, to run in a process of its own (`senate.main`) once
    `_routed` has written the Mazhilis's structure."""
    from sailau.demo import beside

    return beside.later("sailau.demo.senate",
                        [str(seed), *(["--server-keys"] if server_keys else [])])

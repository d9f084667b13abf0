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
    p.add_argument("--seed", type=int, default=2023, help="random seed (default 2023)")
    p.add_argument("--stations", type=int, default=None,
                   help="number of polling stations (default: the full 10,223)")
    p.add_argument("--reported", type=float, default=80, metavar="PERCENT",
                   help="share of stations whose protocols are definitive before the site "
                        "opens (default 80; 0: nothing has arrived yet)")
    p.add_argument("--night-minutes", type=float, default=20, metavar="M",
                   help="how long the remaining stations take to arrive while it serves "
                        "(default 20; 0: none arrive, they wait for visitors)")
    p.add_argument("--all-own-keys", action="store_true",
                   help="the commissions of the stations reported before the site opens make "
                        "their own keys too and sign what the build routes (default: only "
                        "those that report during the night; the others keep the keys the "
                        "server holds; about 1 ms of CPU more per protocol)")
    p.add_argument("--no-serve", action="store_true", help="only build it")
    p.add_argument("--rebuild", action="store_true",
                   help="build again even when the same election is already there")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=run)


def run(args) -> int:
    from sailau.cli import CommandError
    from sailau.cli.django_setup import setup
    from sailau.demo import synthetic

    stations = args.stations or synthetic.FULL_STATIONS
    if stations < 60:
        raise CommandError("--stations: at least 60 (20 regions, 29 single-member districts)")
    if not 0 <= args.reported <= 100:
        raise CommandError(f"--reported: a percentage from 0 to 100, got {args.reported:g}")
    if args.night_minutes < 0:
        raise CommandError(f"--night-minutes: must not be negative, got {args.night_minutes:g}")
    setup()
    from sailau.demo.load import ground_truth_path
    from sailau.demo.night_plan import plan_path
    from sailau.paths import data_dir

    params_path = data_dir() / "demo" / "params.json"
    params = {"seed": args.seed, "stations": stations, "reported": args.reported,
              **({"all_own_keys": True} if args.all_own_keys else {})}
    built = params_path.exists() and json.loads(params_path.read_text()) == params
    if args.rebuild or not built:
        # The application's clock on the election's own night: the build's replayed night ends
        # when it really did, and every process on this data directory (the server, the
        # helpers, a command run by hand) reads the same offset from it (sailau/clock.py).
        from sailau import clock
        from sailau.demo.chain import Night
        from sailau.demo.synthetic import ELECTION_DATE

        clock.set_demo(Night.of(ELECTION_DATE).ends)
        build(args.seed, stations, args.reported, all_own_keys=args.all_own_keys)
        params_path.write_text(json.dumps(params))
        print(f"ground truth of injected falsifications: {ground_truth_path()}")
    else:
        print("the demo election is already built (use --rebuild to build it again)")
        from sailau import clock

        if not clock.demo_path().exists():  # built before the demo set its clock
            print("its clock is the real time, not its election's night: --rebuild sets it")
    from sailau.demo.accounts import create_demo_accounts, table

    plan = json.loads(plan_path().read_text()) if plan_path().exists() else None
    # One account per role, DEMO ONLY passwords; the operator's station is one the night leaves
    # for visitors, so it is still there to be entered when a visitor signs in.
    print(table(create_demo_accounts(free=plan["reserved"] if plan else ())))
    if args.no_serve:
        return 0
    from sailau.cli.serve import serve

    if plan:
        print(f"left for visitors to enter by hand: stations {', '.join(map(str, plan['reserved']))}")
        if args.night_minutes > 0:
            print(f"{len(plan['stations'])} stations report over the next "
                  f"{args.night_minutes:g} minutes", flush=True)
        print(_since_the_night(plan), end="", flush=True)
    helpers = []
    if args.night_minutes > 0 and plan_path().exists():
        helpers.append(subprocess.Popen([sys.executable, "-m", "sailau.demo.night",
                                         str(plan_path()), "--base-url",
                                         f"http://{args.host}:{args.port}",
                                         "--minutes", str(args.night_minutes)], env=os.environ))
    # The build uploaded a sample of scans; every other protocol's page is drawn and uploaded
    # while it serves, as the protocols become definitive (sailau/scans/backfill.py).
    from sailau.demo.synthetic import ELECTION_ID

    helpers.append(subprocess.Popen([sys.executable, "-m", "sailau.scans.backfill", ELECTION_ID,
                                     "--seed", str(args.seed)], env=os.environ))
    # The recordings of the cameras the build registered, as count windows become known
    # (sailau/video/demo.py).
    helpers.append(subprocess.Popen([sys.executable, "-m", "sailau.video.demo", ELECTION_ID,
                                     "--seed", str(args.seed)], env=os.environ))
    # The observers' photos of their copies, drawn as filled by hand (sailau/evidence/copies.py).
    helpers.append(subprocess.Popen([sys.executable, "-m", "sailau.evidence.copies", ELECTION_ID,
                                     "--seed", str(args.seed)], env=os.environ))
    # The volunteers' crowd types what the build left, and the scans and photos as they come
    # (sailau/evidence/night.py), for as long as it serves.
    helpers.append(subprocess.Popen([sys.executable, "-m", "sailau.evidence.night", ELECTION_ID,
                                     "--seed", str(args.seed), "--minutes", "0"],
                                    env=os.environ))
    # The two witnesses cosign each new checkpoint of the log as the log signs it (pushed to
    # them, C2SP tlog-witness), as observers' witnesses would.
    from sailau.demo import witnesses

    helpers += witnesses.start(ELECTION_ID, f"http://{args.host}:{args.port}")
    try:
        return serve(args.host, args.port)
    finally:
        for helper in helpers:
            if helper.poll() is None:
                helper.terminate()
        for helper in helpers:
            try:
                helper.wait(timeout=70)
            except subprocess.TimeoutExpired:
                helper.kill()
        witnesses.stop(ELECTION_ID)
        # A last publication round (the publisher may have stopped between a protocol and its
        # files), and its checkpoint cosigned by both witnesses, before the demo ends: a reader
        # verifying the stopped demo's folder needs both.
        # A territory's first scan archive is the national lane's to publish (a batch only
        # marks archives already published): one that arrived in the lane's last seconds is
        # published here, so that the stopped demo publishes every file its database has.
        try:
            from sailau.publish import publisher, snapshots

            publisher.publish_changes(ELECTION_ID, defer_national=False)
            snapshots.rewrite_stale(ELECTION_ID, due=lambda job: job.startswith("scans/"))
            witnesses.cosign_published(ELECTION_ID, say=lambda *a, **k: None)
        except KeyboardInterrupt:
            pass


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


def build(seed: int, stations: int, reported: float, say=print, all_own_keys: bool = False):
    """The election with `reported` percent of its stations through the protocol chain, the
    scans, complaints, observers and register around them, the night's plan for the rest and
    a first publication, and beside it a Senate election counted and published; returns the
    (Mazhilis) election. The commissions of the night's stations make
    their own keys; with `all_own_keys` those of the stations routed here too, and sign what
    is routed (about 1 ms of CPU per protocol: the national build's 16,000 protocols would
    take some 20 s more), else the keys the server holds sign it."""
    from sailau.demo import commission_keys, night_plan, senate, synthetic, witnesses
    from sailau.demo.chain import Night, route
    from sailau.demo.extras import populate
    from sailau.demo.load import load
    from sailau.publish import snapshots
    from sailau.video.demo import at_build as cameras

    t0 = time.perf_counter()
    say(f"building a synthetic election: {stations} stations, seed {seed}, {reported:g}% "
        "reported ...", flush=True)
    syn = synthetic.build(seed=seed, stations=stations, maslikhats=True)
    t1 = time.perf_counter()
    done, live, reserved = night_plan.split(syn, reported, seed)
    # The replayed night ends now: the stations that report while it serves continue it.
    replay = Night.ending()
    election = load(syn, route=False, closing=replay.closing)
    # An earlier build's key files go: their commissions were replaced.
    commission_keys.forget(election.id)
    stats = route(syn, only=done, night=replay, own_keys=all_own_keys, say=say)
    t2 = time.perf_counter()
    populate(election, seed, replay.closing, say=say)
    # Two observer organisations' witnesses of the published log (sailau/demo/witnesses.py).
    witnesses.register(election.id, say=say)
    t3 = time.perf_counter()
    night_plan.prepare(syn, live, reserved, seed, replay, say=say)
    # After the night's accounts: every station's operator registers its camera.
    tv = time.perf_counter()
    cams = cameras(election.id, seed)
    say(f"video: {cams['registered']} cameras registered ({cams['gap']} with a gap in the "
        f"count, {cams['early']} stopping before the signing, {cams['none']} without "
        f"recordings) in {time.perf_counter() - tv:.1f} s; their recordings are uploaded "
        "while the demo serves", flush=True)
    manifest = snapshots.publish(election.id)
    # The witnesses cosign the first checkpoint (a served demo's witnesses go on while it serves).
    witnesses.cosign_published(election.id, say=say)
    t4 = time.perf_counter()
    # The Senate election of January 2023 beside it, on its own day (sailau/demo/senate.py).
    senate.build(seed, say=say)
    voters = sum(s["registered"] for s in syn.stations)
    say(f"{election.id}: {len(syn.stations)} stations, {voters:,} voters; {stats.stations} "
        f"stations ({stats.protocols} protocols) reported, {len(live)} to arrive during the "
        f"night, {len(reserved)} left for visitors; generated in {t1 - t0:.1f} s, through the "
        f"protocol chain in {t2 - t1:.1f} s, scans, complaints and observers in "
        f"{t3 - t2:.1f} s, the night's plan and {len(manifest['files'])} published files in "
        f"{t4 - t3:.1f} s")
    return election

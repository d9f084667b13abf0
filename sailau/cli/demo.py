"""`sailau demo`: build the synthetic national election and serve it."""

import json
import time


def register(sub) -> None:
    p = sub.add_parser("demo", help="build a national-scale synthetic election and serve it")
    p.add_argument("--seed", type=int, default=2023, help="random seed (default 2023)")
    p.add_argument("--stations", type=int, default=None,
                   help="number of polling stations (default: the full 10,223)")
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
    setup()
    from sailau.demo.extras import populate
    from sailau.demo.load import ground_truth_path, load
    from sailau.paths import data_dir

    params_path = data_dir() / "demo" / "params.json"
    params = {"seed": args.seed, "stations": stations}
    built = params_path.exists() and json.loads(params_path.read_text()) == params
    if args.rebuild or not built:
        t0 = time.perf_counter()
        print(f"building a synthetic election: {stations} stations, seed {args.seed} ...",
              flush=True)
        syn = synthetic.build(seed=args.seed, stations=stations)
        t1 = time.perf_counter()
        election = load(syn)
        t2 = time.perf_counter()
        populate(election, args.seed)
        t3 = time.perf_counter()
        params_path.write_text(json.dumps(params))
        voters = sum(s["registered"] for s in syn.stations)
        print(f"{election.id}: {len(syn.stations)} stations, {voters:,} voters, "
              f"{len(syn.protocols)} protocols; generated in {t1 - t0:.1f} s, "
              f"through the protocol chain in {t2 - t1:.1f} s, scans, complaints and observers in "
              f"{t3 - t2:.1f} s")
        print(f"ground truth of injected falsifications: {ground_truth_path()}")
    else:
        print("the demo election is already built (use --rebuild to build it again)")
    if args.no_serve:
        return 0
    from sailau.cli.serve import serve

    return serve(args.host, args.port)

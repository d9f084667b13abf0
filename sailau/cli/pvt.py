"""`sailau pvt size`: the sample a parallel vote tabulation needs, as JSON (the NDI handbook's
formula n = P(1-P) / (E²/Z² + P(1-P)/N)); `sailau pvt estimate SAMPLE`: a drawn sample's
estimates and their comparison with the official result; `sailau pvt estimate --sample FILE.csv
--strata FILE.csv [--official FILE.json]`: the same estimator on files, with no database (see
`sailau.analysis.pvt_files` for the files' columns)."""

import json


def register(sub) -> None:
    p = sub.add_parser("pvt", help="parallel vote tabulation: sample size, estimates")
    pvt_sub = p.add_subparsers(dest="pvt_command", metavar="SUBCOMMAND")
    size = pvt_sub.add_parser("size", help="voters and stations needed for a margin of error")
    size.add_argument("--registered", type=int, required=True, help="registered voters N")
    size.add_argument("--p", type=float, default=0.5,
                      help="expected proportion P (0.5, the most conservative, by default)")
    size.add_argument("--margin", type=float, required=True,
                      help="margin of error E as a proportion (0.01 = one point)")
    size.add_argument("--z", type=float, default=1.96,
                      help="standard errors for the confidence level (1.96: 95%%, 2.58: 99%%)")
    size.add_argument("--turnout", type=float, default=None, help="expected turnout T")
    size.add_argument("--station-size", type=float, default=None,
                      help="mean registered voters per station S")
    size.set_defaults(func=run_size)
    est = pvt_sub.add_parser(
        "estimate", help="estimates of a drawn sample (by id) or of sample files, as JSON")
    est.add_argument("sample", type=int, nargs="?", help="sample id in this database")
    est.add_argument("--sample", dest="sample_file", metavar="FILE.csv",
                     help="sample stations: station,stratum,counted, then votes per choice "
                          "(optional ballots,voters columns give the turnout)")
    est.add_argument("--strata", metavar="FILE.csv",
                     help="stratum,stations: every stratum's number of stations")
    est.add_argument("--official", metavar="FILE.json",
                     help='official result to compare: {"shares": {choice: share}, "turnout": t}')
    est.set_defaults(func=run_estimate)
    com = pvt_sub.add_parser(
        "commitment", help="the SHA-256 to publish before election day for a sample (offline)")
    com.add_argument("--contest", required=True, help="contest id")
    com.add_argument("--seed", required=True, help="the seed that drew the sample")
    com.add_argument("--stations", required=True, metavar="FILE",
                     help="station ids, one per line (or the first column of a CSV)")
    com.add_argument("--text", action="store_true", help="print the hashed text, not the hash")
    com.set_defaults(func=run_commitment)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def run_size(args) -> int:
    from sailau.analysis.pvt import PvtInputError, sample_size
    from sailau.cli import CommandError

    try:
        out = sample_size(args.registered, args.p, args.margin, args.z, args.turnout,
                          args.station_size)
    except PvtInputError as exc:
        raise CommandError(f"--{exc.field}: {exc.said['en']}") from None
    print(json.dumps(out, indent=1))
    return 0


def run_estimate(args) -> int:
    from sailau.cli import CommandError

    if args.sample_file or args.strata or args.official:
        if args.sample is not None:
            raise CommandError("give a sample id or --sample/--strata files, not both")
        if not (args.sample_file and args.strata):
            raise CommandError("--sample FILE.csv and --strata FILE.csv are both needed")
        return _estimate_files(args)
    if args.sample is None:
        raise CommandError("give a sample id, or --sample FILE.csv --strata FILE.csv")
    from sailau.cli.django_setup import setup

    setup()
    from sailau.observation import models as m
    from sailau.observation import pvt

    sample = m.PvtSample.objects.select_related("contest").filter(pk=args.sample).first()
    if sample is None:
        raise CommandError(f"sample: no PVT sample {args.sample}")
    print(json.dumps(pvt.result(sample), indent=1, ensure_ascii=False, default=str))
    return 0


def _estimate_files(args) -> int:
    # No Django here: a group runs its PVT on its own machine, with nothing but the files.
    from sailau.analysis.pvt_files import PvtFileError, estimate_files
    from sailau.cli import CommandError

    try:
        out = estimate_files(args.sample_file, args.strata, args.official)
    except PvtFileError as exc:
        raise CommandError(str(exc)) from None
    print(json.dumps(out, indent=1, ensure_ascii=False))
    return 0


def run_commitment(args) -> int:
    # Offline and without Django: the sample stays with the organisation until the reveal.
    from pathlib import Path

    from sailau.analysis import pvt_commitment as text
    from sailau.cli import CommandError

    try:
        seed = int(args.seed)
    except ValueError:
        seed = -1
    if seed < 0:
        raise CommandError(f"--seed: {args.seed!r} is not a whole number, 0 or more")
    try:
        lines = text.parse_stations(Path(args.stations).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"{args.stations}: cannot be read as UTF-8 text ({exc})") from None
    seen: dict[str, int] = {}
    for n, sid in lines:
        if sid in seen:
            raise CommandError(f"{args.stations}, line {n}: station {sid} is already on line "
                               f"{seen[sid]}")
        seen[sid] = n
    if not seen:
        raise CommandError(f"{args.stations}: no station ids")
    print(text.canonical(args.contest, seed, seen) if args.text
          else text.digest(args.contest, seed, seen), end="" if args.text else "\n")
    return 0

"""`sailau pvt size`: the sample a parallel vote tabulation needs, as JSON (the NDI handbook's
formula n = P(1-P) / (E²/Z² + P(1-P)/N)); `sailau pvt estimate SAMPLE`: a drawn sample's
estimates and their comparison with the official result."""

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
    est = pvt_sub.add_parser("estimate", help="estimates of a drawn sample, as JSON")
    est.add_argument("sample", type=int, help="sample id")
    est.set_defaults(func=run_estimate)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def run_size(args) -> int:
    from sailau.analysis.pvt import PvtInputError, sample_size
    from sailau.cli import CommandError

    try:
        out = sample_size(args.registered, args.p, args.margin, args.z, args.turnout,
                          args.station_size)
    except PvtInputError as exc:
        raise CommandError(f"--{exc.field}: {str(exc).split(': ', 1)[-1]}") from None
    print(json.dumps(out, indent=1))
    return 0


def run_estimate(args) -> int:
    from sailau.cli import CommandError
    from sailau.cli.django_setup import setup

    setup()
    from sailau.observation import models as m
    from sailau.observation import pvt

    sample = m.PvtSample.objects.select_related("contest").filter(pk=args.sample).first()
    if sample is None:
        raise CommandError(f"sample: no PVT sample {args.sample}")
    print(json.dumps(pvt.result(sample), indent=1, ensure_ascii=False, default=str))
    return 0

"""`sailau tally check [ELECTION]`: recompute every level of every contest from the definitive
protocols and compare with the stored totals; JSON on stdout, exit 0 when they agree, 1 naming
each difference. `--repair` then rebuilds the contests that differ (an audit record each)."""

import json


def register(sub) -> None:
    p = sub.add_parser("tally", help="the stored totals: check them against the protocols")
    tsub = p.add_subparsers(dest="tally_command", metavar="ACTION", required=True)
    c = tsub.add_parser("check", help="recompute every total from the definitive protocols; "
                                      "exit 0 if every stored total equals it, 1 otherwise")
    c.add_argument("election", nargs="?", default=None,
                   help="the election's id (default: every election)")
    c.add_argument("--repair", action="store_true",
                   help="rebuild the contests whose totals differ (audited), then check again")
    c.set_defaults(func=check)


def check(args) -> int:
    from sailau.cli import CommandError
    from sailau.cli.django_setup import setup

    setup()
    from sailau.elections.models import Election
    from sailau.protocols import tally_check

    if args.election and not Election.objects.filter(pk=args.election).exists():
        raise CommandError(f"no election {args.election!r}")
    report = tally_check.check(args.election)
    if args.repair and not report.ok:
        repaired = tally_check.repair(report, actor="sailau tally check --repair")
        after = tally_check.check(args.election)
        print(json.dumps({**after.to_json(), "repaired": repaired,
                          "repaired_mismatches": [m.to_json() for m in report.mismatches]},
                         ensure_ascii=False, indent=1))
        return 0 if after.ok else 1
    print(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
    return 0 if report.ok else 1

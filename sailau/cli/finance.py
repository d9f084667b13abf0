"""`sailau finance check FILE.csv --ruleset RULESET`: totals and limit violations of a campaign
fund report, as JSON. Only the pure `sailau.law` package is used (no database)."""

import argparse
import json
import sys

CHECK_HELP = """The report is CSV with the columns
  recipient,recipient_kind,direction,source_kind,donor,amount_kzt,date
recipient_kind: party | candidate; direction: income | spending;
source_kind: own | individual | organisation | party | state | foreign | anonymous (income),
the spending category otherwise (`sailau finance rules RULESET` lists them); donor: the donor
(income) or the supplier (spending); amount_kzt: whole tenge; date: YYYY-MM-DD.
Prints {"recipients": {...}, "violations": [...]}; exit 0 with or without violations,
2 on bad input (the message names the row, header = row 1, and the column)."""


def register(sub) -> None:
    p = sub.add_parser("finance", help="campaign finance: check a fund report against the limits")
    fsub = p.add_subparsers(dest="finance_command", metavar="ACTION", required=True)
    c = fsub.add_parser("check", help="totals and violations of a fund report (CSV), as JSON",
                        formatter_class=argparse.RawDescriptionHelpFormatter,
                        description=CHECK_HELP)
    c.add_argument("file", help="the report, CSV (UTF-8), or - for standard input")
    c.add_argument("--ruleset", required=True, help="rule set name, as listed by `sailau rules`")
    c.set_defaults(func=check)
    i = fsub.add_parser("import", help="store a fund report in an election (all or nothing), "
                        "check the election's funds, record it in the audit log")
    i.add_argument("election", help="election id")
    i.add_argument("file", help="the report, CSV (UTF-8), columns as for `check`")
    i.add_argument("--actor", default="cli", help="who imports, for the audit log")
    i.set_defaults(func=import_report)
    r = fsub.add_parser("rules", help="the finance limits of a rule set, with sources, as JSON")
    r.add_argument("ruleset")
    r.set_defaults(func=rules)


def _finance_rules(name: str):
    from sailau.cli import CommandError
    from sailau.law import LawInputError, get_ruleset

    try:
        return get_ruleset(name).finance_rules
    except LawInputError as exc:
        raise CommandError(str(exc)) from None
    except LookupError as exc:
        raise CommandError(f"ruleset: {exc}") from None


def rules(args) -> int:
    json.dump(_finance_rules(args.ruleset).describe(), sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def check(args) -> int:
    from sailau.cli import CommandError
    from sailau.law.finance_check import FinanceInputError, check_csv

    finance_rules = _finance_rules(args.ruleset)
    text = _read(args.file)
    try:
        result = check_csv(text, finance_rules)
    except FinanceInputError as exc:
        raise CommandError(f"{args.file}: {exc}") from None
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def _read(path: str) -> str:
    from sailau.cli import CommandError

    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8", newline="") as fh:
            return fh.read()
    except FileNotFoundError:
        raise CommandError(f"file: {path} does not exist") from None
    except OSError as exc:
        raise CommandError(f"file: cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise CommandError(f"file: {path} is not UTF-8 text") from None


def import_report(args) -> int:
    from pathlib import Path

    from sailau.cli import CommandError
    from sailau.cli.django_setup import setup

    text = _read(args.file)
    setup()
    from sailau.elections.models import Election
    from sailau.errors import SailauError
    from sailau.finance import services

    election = Election.objects.filter(id=args.election).first()
    if election is None:
        raise CommandError(f"election: no election {args.election!r}")
    try:
        report = services.import_report(election, text, Path(args.file).name, args.actor)
    except SailauError as exc:
        raise CommandError(f"{args.file}: {exc.text('en')}") from None
    print(json.dumps({"election": election.id, "report": report.number, "rows": report.rows,
                      "findings": election.finance_findings.count()}, ensure_ascii=False))
    return 0

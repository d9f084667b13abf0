"""`sailau candidates import ELECTION FILE.csv` (nominations, decisions and appeals, all or
nothing) and `sailau candidates signatures FILE.csv --election E --candidate C` (a presidential
nominee's signature sheets checked against the voter register, as JSON)."""

import argparse
import json
import sys

from sailau.cli.finance import _read

IMPORT_HELP = """One CSV, one record a row, told apart by the column `record`:
  list        a party list: key, contest, party, [party_share], date
  nomination  a person: key, contest, nominated_by (party|self|association), party or
              association, [party_share], full_name, birth_date, [residence_years], [citizen],
              [kazakh_language], [higher_education], [woman], [disability], [list_position],
              [deposit_kzt, deposit_date], date
  decision    on a key above or imported before: decision (registered|refused|withdrawn|
              deregistered), reason, [note], [body: commission id], [basis], date
  appeal      against the key's last decision: appeal_to (higher_commission|court|
              supreme_court), [body], date, [outcome: pending|upheld|overturned, outcome_date]
Dates YYYY-MM-DD inside the electoral period; yes/no flags; party_share in percent of the last
parliamentary election (the deposit band). The rule set's requirements are checked at
nomination and stored as findings. Exit 2 on bad input, naming the row (header = 1) and column;
nothing is imported then."""

SIGNATURES_HELP = """The sheets are CSV with the columns sheet,line,voter,region,date
(voter: IIN or register id; region: the territorial commission's id, number or name).
Prints JSON: valid and invalid lines by reason (invalid_iin, not_on_register, not_eligible,
outside_region, outside_period, duplicate), valid signatures per region, the 1 % threshold,
the two-thirds spread and the sample check (redrawn identically from --seed).
Exit 0 whether or not the nominee qualifies, 2 on bad input (row and column named)."""


def register(sub) -> None:
    p = sub.add_parser("candidates", help="nominations, registration decisions, appeals; "
                                          "presidential signature sheets")
    csub = p.add_subparsers(dest="candidates_command", metavar="ACTION", required=True)
    i = csub.add_parser("import", help="store nominations, decisions and appeals (all or "
                        "nothing), check the requirements, record it in the audit log",
                        formatter_class=argparse.RawDescriptionHelpFormatter,
                        description=IMPORT_HELP)
    i.add_argument("election", help="election id")
    i.add_argument("file", help="CSV (UTF-8), or - for standard input")
    i.add_argument("--actor", default="cli", help="who imports, for the audit log")
    i.set_defaults(func=import_batch)
    s = csub.add_parser("signatures", help="check a presidential nominee's signature sheets",
                        formatter_class=argparse.RawDescriptionHelpFormatter,
                        description=SIGNATURES_HELP)
    s.add_argument("file", help="CSV (UTF-8), or - for standard input")
    s.add_argument("--election", required=True)
    s.add_argument("--candidate", required=True, help="nomination key or ballot candidate id")
    s.add_argument("--seed", type=int, default=0, help="seed of the sample check (default 0)")
    s.set_defaults(func=signatures)


def _election(ident: str):
    from sailau.cli import CommandError
    from sailau.cli.django_setup import setup

    setup()
    from sailau.elections.models import Election

    election = Election.objects.filter(id=ident).first()
    if election is None:
        raise CommandError(f"election: no election {ident!r}")
    return election


def import_batch(args) -> int:
    from pathlib import Path

    from sailau.cli import CommandError

    text = _read(args.file)
    election = _election(args.election)
    from sailau.candidates import services
    from sailau.errors import SailauError

    try:
        batch = services.import_batch(election, text, Path(args.file).name, args.actor)
    except SailauError as exc:
        raise CommandError(f"{args.file}: {exc.text('en')}") from None
    flagged = batch.nominations.exclude(findings=[]).count()
    print(json.dumps({"election": election.id, "batch": batch.number, "rows": batch.rows,
                      "nominations": batch.nominations.count(),
                      "decisions": batch.decisions.count(), "appeals": batch.appeals.count(),
                      "with_findings": flagged}, ensure_ascii=False))
    return 0


def signatures(args) -> int:
    from sailau.cli import CommandError

    text = _read(args.file)
    election = _election(args.election)
    from sailau.candidates import signatures as sig
    from sailau.errors import SailauError

    try:
        result = sig.check(election, text, args.candidate, seed=args.seed)
    except SailauError as exc:
        raise CommandError(f"{args.file}: {exc.text('en')}") from None
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0

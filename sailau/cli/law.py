"""`sailau rules` lists the rule sets; `sailau outcome RULESET FILE.json` prints the outcome the
rule set gives for the votes in the file, as JSON. Only the pure `sailau.law` package is used."""

import argparse
import json
import sys


def register(sub) -> None:
    p = sub.add_parser("rules", help="list the rule sets (versions of the electoral law)")
    p.add_argument("--json", action="store_true", help="print every rule set in full as JSON")
    p.set_defaults(func=rules)

    p = sub.add_parser("outcome", help="seats, winner or referendum result under a rule set",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description=OUTCOME_HELP)
    p.add_argument("ruleset", help="rule set name, as listed by `sailau rules`")
    p.add_argument("file", help="input JSON file, or - for standard input")
    p.add_argument("--kind", help="contest kind, when the rule set governs several")
    p.set_defaults(func=outcome)


OUTCOME_HELP = """input, party lists and single winners:
  {"votes": {"<name>": int, ...}, "against_all": int, "invalid": int, "registered": int,
   "registration_order": [names], "seats": int, "lists": {...}, "election_date": "YYYY-MM-DD"}
input, referendum:
  {"regions": {"<region>": {"registered": int, "yes": int, "no": int, "both": int,
                            "invalid": int}, ...}}
Fields a rule set does not need may be absent; keys starting with "_" are comments."""


def rules(args) -> int:
    from sailau.law import all_rulesets

    sets = all_rulesets()
    if args.json:
        json.dump([rs.describe() for rs in sets], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    width = max(len(rs.name) for rs in sets)
    for rs in sets:
        # The period it governs: an election dated outside it is refused (RuleSet.check_date).
        period = f"{rs.date.isoformat()} to {rs.until.isoformat() if rs.until else 'now'}"
        print(f"{rs.name:<{width}}  {period}  {', '.join(rs.contest_kinds)}")
        print(f"{'':<{width}}  {rs.title}")
        if rs.second_round:
            print(f"{'':<{width}}  second round: {rs.second_round}")
        for source in rs.sources:
            where = f" <{source.url}>" if source.url else ""
            print(f"{'':<{width}}  source: {source.title}{where}")
        print()
    return 0


def outcome(args) -> int:
    from sailau.cli import CommandError
    from sailau.law import LawInputError, get_ruleset

    try:
        ruleset = get_ruleset(args.ruleset)
    except LawInputError as exc:
        raise CommandError(str(exc)) from None
    data = _load(args.file)
    try:
        result = ruleset.outcome(data, args.kind)
    except LawInputError as exc:
        raise CommandError(f"{args.file}: {exc}") from None
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def _load(path: str):
    from sailau.cli import CommandError

    try:
        if path == "-":
            return json.load(sys.stdin)
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise CommandError(f"file: {path} does not exist") from None
    except OSError as exc:
        raise CommandError(f"file: cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise CommandError(f"file: {path} is not JSON (line {exc.lineno}, column {exc.colno}: "
                           f"{exc.msg})") from None
    except UnicodeDecodeError:
        raise CommandError(f"file: {path} is not UTF-8 text") from None

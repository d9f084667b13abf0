"""`sailau structure import|export`: the election structure as JSON or a folder of CSV files."""

import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("structure", help="import or export an election's structure")
    s = p.add_subparsers(dest="action", required=True)
    imp = s.add_parser("import", help="import from FILE.json or a folder of CSV files",
                       description="Every table, column and allowed value, how a rule set is "
                                   "chosen, a complete example and every refusal: "
                                   "docs/structure-format.md.")
    imp.add_argument("path", type=Path)
    imp.add_argument("--replace", action="store_true", help="replace an election with the same id")
    imp.set_defaults(func=run_import)
    exp = s.add_parser("export", help="export to FILE.json or a folder of CSV files")
    exp.add_argument("election")
    exp.add_argument("path", type=Path)
    exp.set_defaults(func=run_export)
    sec = s.add_parser("second-round", help="create the second round (repeat vote) of a "
                                            "presidential election from its first round's "
                                            "outcome")
    sec.add_argument("election", help="the first round's id")
    sec.add_argument("--date", type=_day, help="the day of the vote, YYYY-MM-DD (default: the "
                                               "Sunday two weeks after the first round)")
    sec.add_argument("--id", dest="new_id", help="the second round's id (default: the first's "
                                                 "+ .round2)")
    sec.set_defaults(func=run_second_round)


def _day(text: str):
    import argparse
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def run_import(args) -> int:
    from sailau.cli import CommandError
    from sailau.cli.django_setup import setup

    if not args.path.exists():
        raise CommandError(f"{args.path}: no such file or folder")
    setup()
    from django.db import transaction

    from sailau.elections.structure import StructureError, import_path
    from sailau.protocols.tabulation import ensure_election

    try:
        # Every total exists from the start, at zero: protocols then only move them.
        with transaction.atomic():
            election = import_path(args.path, replace=args.replace)
            ensure_election(election.id)
    except StructureError as exc:
        raise CommandError(f"{args.path}: {exc}") from None
    from sailau.publish.pages import search

    search.rebuild(election.id)
    print(f"imported {election.id}: {election.stations.count()} stations, "
          f"{election.commissions.count()} commissions")
    return 0


def run_export(args) -> int:
    from sailau.cli import CommandError
    from sailau.cli.django_setup import setup

    setup()
    from sailau.elections.models import Election
    from sailau.elections.structure import export_path

    election = Election.objects.filter(id=args.election).first()
    if election is None:
        known = ", ".join(Election.objects.values_list("id", flat=True)) or "none"
        raise CommandError(f"election {args.election!r} not found (known: {known})")
    export_path(election, args.path)
    print(f"exported {election.id} to {args.path}")
    return 0


def run_second_round(args) -> int:
    from sailau.cli import CommandError
    from sailau.cli.django_setup import setup

    setup()
    from sailau.elections.rounds import create_second_round
    from sailau.errors import SailauError

    try:
        election = create_second_round(args.election, date=args.date, election_id=args.new_id)
    except SailauError as exc:
        raise CommandError(f"{args.election}: {exc.code}: {exc}") from None
    from sailau.publish.pages import search
    from sailau.publish.pipeline import snapshots

    search.rebuild(election.id)
    # The first round's published files name their second round from now on (election.json;
    # a background publisher rewrites only the stations that change).
    if snapshots.latest_manifest(args.election) is not None \
            and snapshots.publish_after(args.election) is None:
        print(f"{args.election}: arrivals kept the publication waiting: the background "
              "publisher's next round names the second round", file=sys.stderr)
    contest = election.contests.get()
    two = ", ".join(contest.choices.exclude(key="against_all").order_by("order")
                    .values_list("names__kk", flat=True))
    print(f"created {election.id} on {election.date.isoformat()}: {two} "
          f"({contest.ruleset}); {election.stations.count()} stations, "
          f"{election.commissions.count()} commissions")
    return 0

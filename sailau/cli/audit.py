"""`sailau audit verify`: check the hash chain of the audit log, the published snapshots and the
totals; `sailau audit show`: list the log."""


def register(sub) -> None:
    p = sub.add_parser("audit", help="the audit log: verify its hash chain, show records")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = asub.add_parser("verify", help="exit 0 if the chain is intact, the published "
                                       "snapshots match the database and every stored total "
                                       "is the sum of its protocols; 1 naming the first "
                                       "edited, deleted or reordered record or snapshot file, "
                                       "or each total that differs")
    v.set_defaults(func=verify)
    s = asub.add_parser("show", help="print records as JSON lines")
    s.add_argument("--after", type=int, default=0, help="only records after this number")
    s.add_argument("--limit", type=int, default=50)
    s.add_argument("--subject", default=None, help="only records about this subject")
    s.set_defaults(func=show)


def verify(args) -> int:
    from sailau.cli.django_setup import setup

    setup()
    from sailau import audit

    verdict = audit.verify()
    print(verdict)
    if not verdict.ok:
        return 1
    # The published snapshots must still be what the database (the chain just checked) gives.
    from sailau.publish.snapshots import verify_snapshots

    problem = verify_snapshots()
    print(f"snapshots: {problem}" if problem else "snapshots: match the database")
    # The totals must still be the sum of the protocols (what `sailau tally check` prints).
    from sailau.protocols import tally_check

    report = tally_check.check()
    for m in report.mismatches:
        print(f"tallies: {m}")
    if report.ok:
        print(f"tallies: every total of {report.contests} contests is the sum of its "
              f"{report.stations_reported} definitive protocols")
    return 1 if problem or not report.ok else 0


def show(args) -> int:
    import json

    from sailau.cli import CommandError
    from sailau.cli.django_setup import setup

    if args.limit < 1 or args.after < 0:
        raise CommandError("--limit must be at least 1 and --after not negative")
    setup()
    from sailau.audit.models import Record

    qs = Record.objects.filter(seq__gt=args.after)
    if args.subject:
        qs = qs.filter(subject=args.subject)
    for r in qs.order_by("seq")[:args.limit]:
        print(json.dumps({"seq": r.seq, "at": r.at.isoformat(), "actor": r.actor,
                          "action": r.action, "subject": r.subject, "payload": r.payload,
                          "hash": r.hash}, ensure_ascii=False))
    return 0

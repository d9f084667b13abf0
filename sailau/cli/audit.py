"""`sailau audit verify`: check the hash chain of the audit log, the data against its records
(`audit_checks`), the data against each election's transparency log (`audit_log`), the
published snapshots (`audit_snapshots`) and the totals; `sailau audit show`: list the log."""


def register(sub) -> None:
    p = sub.add_parser("audit", help="the audit log: verify its hash chain, show records")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = asub.add_parser("verify", help="exit 0 if the chain is intact and the data still says "
                                       "what it recorded (protocols, data entries, complaint "
                                       "filings and decisions, roles, scan files), the database "
                                       "is what each election's log states (structure, keys, "
                                       "protocols, decisions, roles) and the audit log holds "
                                       "the heads logged there, the published snapshots match "
                                       "the database and every stored total is the sum of its "
                                       "protocols; 1 naming each object that differs and how")
    v.add_argument("--chain-only", action="store_true",
                   help="walk the hash chain only (the check before the data checks existed)")
    v.set_defaults(func=verify)
    s = asub.add_parser("show", help="print records as JSON lines")
    s.add_argument("--after", type=int, default=0, help="only records after this number")
    s.add_argument("--limit", type=int, default=50)
    s.add_argument("--subject", default=None, help="only records about this subject")
    s.set_defaults(func=show)


def verify(args) -> int:
    from sailau.cli.django_setup import setup

    setup()
    from sailau.audit.moment import one_moment

    # Every read at one moment of the database: a live night goes on writing meanwhile.
    with one_moment():
        return _verify(args)


def _verify(args) -> int:
    import itertools

    from sailau.audit import chain
    from sailau.audit.models import Record
    from sailau.cli import audit_checks as checks
    from sailau.cli.audit_snapshots import check_snapshots

    log = checks.Log()
    rows = log.tap(Record.objects.order_by("seq")
                   .values_list("seq", "at", "actor", "action", "subject", "payload",
                                "prev_hash", "hash").iterator(chunk_size=5000))
    verdict = chain.verify(rows)
    print(verdict)
    if getattr(args, "chain_only", False):
        return 0 if verdict.ok else 1
    for _ in rows:  # a broken chain stops the walk: the data is still compared with the rest
        pass
    names = checks._Names()
    failed = not verdict.ok
    for area, found, ok in (
            ("protocols", checks.check_protocols(log, names),
             "every protocol version has the figures its audit record published"),
            ("entries", checks.check_entries(log, names),
             "every finalised data entry is what its audit record says was typed"),
            ("complaints", itertools.chain(checks.check_filings(log), checks.check_attachments(log),
                                           checks.check_decisions(log)),
             "every complaint filing, attachment and decision is what its audit record says"),
            ("roles", checks.check_roles(log),
             "every role is granted by an audit record"),
            ("finance", checks.check_finance(log),
             "every campaign fund report has the entries its audit record imported"),
            ("candidates", checks.check_candidates(log),
             "every nomination, decision and appeal is what its import's audit record says"),
            ("scans", checks.check_scans(log, names),
             "every scan file is present with its recorded hash"),
            ("turnout", checks.check_turnout(log),
             "every turnout report of election day is what its audit record says")):
        n = 0
        for finding in found:
            n += 1
            print(finding)
        if not n:
            print(f"{area}: {ok}")
        failed = failed or bool(n)
    # The database against each election's transparency log, leaf by leaf, and the audit
    # log against the heads logged there.
    from sailau.cli import audit_log

    summary, n = audit_log.Summary(), 0
    for finding in audit_log.check(names, summary):
        n += 1
        print(finding)
    if not n:
        print(f"log: {summary}")
    failed = failed or bool(n)
    findings, published, unpublished = check_snapshots()
    for finding in findings:
        print(finding)
    for eid in unpublished:
        print(f"snapshots: {eid}: no snapshot yet")
    if not findings and published:
        print(f"snapshots: the published snapshots of {', '.join(published)} match the database")
    elif not findings and not unpublished:
        print("snapshots: no snapshot yet")
    failed = failed or bool(findings)
    # The totals must still be the sum of the protocols (what `sailau tally check` prints).
    from sailau.protocols import tally_check

    report = tally_check.check()
    for m in report.mismatches:
        print(f"tallies: {m}")
    if report.ok:
        print(f"tallies: every total of {report.contests} contests is the sum of its "
              f"{report.stations_reported} definitive protocols")
    return 1 if failed or not report.ok else 0


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

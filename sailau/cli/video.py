"""`sailau video expire [--dry-run]`: list, and unless --dry-run remove, the recordings whose
retention has ended (the rule set's term, `sailau.law.video`); each removal is an audit record."""

import datetime as dt


def register(sub) -> None:
    p = sub.add_parser("video", help="video of the count: retention of recordings")
    vsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    e = vsub.add_parser("expire", help="list and remove recordings past their retention")
    e.add_argument("--dry-run", action="store_true", help="only list them")
    e.add_argument("--election", help="only this election's recordings")
    e.add_argument("--today", type=dt.date.fromisoformat, help="as if it were this day (ISO)")
    e.set_defaults(func=expire)


def expire(args) -> int:
    from sailau.cli.django_setup import setup

    setup()
    from sailau import clock
    from sailau.law import video as law
    from sailau.video import retention

    today = args.today or clock.localdate()
    rows = (list(retention.expired(today, args.election)) if args.dry_run
            else retention.expire(today, args.election))
    verb = "would remove" if args.dry_run else "removed"
    for r in rows:
        print(f"{verb} recording {r.pk} station {r.station_id} sha256 {r.sha256} "
              f"(election {r.station.election.date}, expired {law.expires_on(r.station.election.date)})")
    print(f"{len(rows)} recording(s) {verb}")
    return 0

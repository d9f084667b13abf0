"""`sailau video expire [--dry-run]`: list, and unless --dry-run remove, the recordings whose
retention has ended (the rule set's term, `sailau.law.video`); each removal is an audit record.
`sailau video sweep-uploads [--hours N]`: end the uploads abandoned mid-way and remove their
staged bytes (`sailau.video.retention.sweep_uploads`; the background publisher runs it too)."""

import datetime as dt


def register(sub) -> None:
    p = sub.add_parser("video", help="video of the count: retention of recordings")
    vsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    e = vsub.add_parser("expire", help="list and remove recordings past their retention")
    e.add_argument("--dry-run", action="store_true", help="only list them")
    e.add_argument("--election", help="only this election's recordings")
    e.add_argument("--today", type=dt.date.fromisoformat, help="as if it were this day (ISO)")
    e.set_defaults(func=expire)
    s = vsub.add_parser("sweep-uploads",
                        help="end uploads untouched for N hours and remove their staged bytes")
    s.add_argument("--hours", type=float, default=None,
                   help="untouched for this long (default SAILAU_VIDEO_ABANDONED_HOURS, 24)")
    s.set_defaults(func=sweep_uploads)


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


def sweep_uploads(args) -> int:
    from sailau.cli.django_setup import setup

    setup()
    from sailau.video import retention

    hours = retention.ABANDONED_HOURS if args.hours is None else args.hours
    ended = retention.sweep_uploads(hours)
    for name in ended:
        print(f"ended {name}: untouched for {hours:g} h, its staged bytes removed")
    print(f"{len(ended)} upload(s) ended")
    return 0

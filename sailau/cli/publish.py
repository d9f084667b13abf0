"""`sailau publish`: write the immutable snapshot files of an election (or republish one
station and its ancestors) under $SAILAU_DATA_DIR/snapshots/, or check them (`--verify`), or keep
publishing what changes as protocols arrive (`--follow`, which `sailau serve` starts)."""


def register(sub) -> None:
    p = sub.add_parser("publish", help="write (or verify) the election's snapshot files")
    p.add_argument("election", nargs="?", help="election id (default: every election)")
    p.add_argument("--station", help="republish only this station id and its ancestors")
    p.add_argument("--verify", action="store_true",
                   help="check the published snapshots against the database")
    p.add_argument("--follow", action="store_true",
                   help="keep publishing what changes, every few seconds, until stopped")
    p.add_argument("--national-lane", action="store_true",
                   help="the second lane of --follow (which starts it): rewrite the tables of "
                        "the whole country that the batches left stale, until stopped")
    p.add_argument("--log-lane", action="store_true",
                   help="the third lane of --follow (which starts it): integrate the log's "
                        "waiting leaves and sign its checkpoint, until stopped")
    p.set_defaults(func=handle)


def handle(args) -> int:
    import datetime as dt
    import time

    from sailau.cli import CommandError
    from sailau.cli.django_setup import setup

    lane = args.national_lane or args.log_lane
    setup(migrate=not lane)  # (started by --follow, which migrated)
    from sailau.elections.models import Election, Station
    from sailau.publish.pipeline import logstep, snapshot_check, snapshots

    if args.follow or lane:
        from sailau.publish.pipeline import log_lane, national_lane, publisher

        if args.election and not Election.objects.filter(id=args.election).exists():
            raise CommandError(f"election: no election with id {args.election!r}")
        run = national_lane.national_lane if args.national_lane else \
            log_lane.log_lane if args.log_lane else publisher.follow
        def say(*words, **kw) -> None:  # each line of the publisher's log with its moment
            print(dt.datetime.now().astimezone().isoformat(timespec="milliseconds"), *words, **kw)

        if args.follow:  # (the lanes are its own: one line for the three)
            say(f"following {args.election or 'every election'}: publishing changes as they "
                "come", flush=True)
        run([args.election] if args.election else None, say=say)
        return 0
    if args.verify:
        problem = snapshot_check.verify_snapshots(args.election)
        print(problem or "snapshots match the database")
        return 1 if problem else 0
    if args.station:
        if not Station.objects.filter(id=args.station).exists():
            raise CommandError(f"--station: no station with id {args.station!r}")
        t0 = time.perf_counter()
        m = snapshots.republish_station(args.station)
        print(f"{m['election']}: manifest {m['sequence']} in {time.perf_counter() - t0:.2f} s")
        return 0
    ids = [args.election] if args.election else list(Election.objects.values_list("id",
                                                                                flat=True))
    for eid in ids:
        if not Election.objects.filter(id=eid).exists():
            raise CommandError(f"election: no election with id {eid!r}")
        t0 = time.perf_counter()
        try:
            m = snapshots.publish(eid)
        except logstep.Unsettled as exc:  # a burst of arrivals for `FULL_PATIENCE`: none made
            raise CommandError(f"{eid}: {exc} (`sailau publish --follow` publishes as they "
                               "come)") from None
        print(f"{eid}: {len(m['files'])} files, manifest {m['sequence']}, "
              f"{time.perf_counter() - t0:.1f} s -> {snapshots.election_dir(eid)}")
    return 0

"""`sailau keys list|issue|export`: the commissions' signing keys (see sailau.elections.keys).
Run by whoever runs the machine for the CEC; every issue is in the audit log as done by
"sailau keys". Private keys never leave the database: `export` writes public keys only.

`sailau keys generate|sign` are the commission's side (`sailau.cli.own_key`): run on the
commission's own computer, with no database; the key file they use never reaches the server."""

import json
import sys


def register(sub) -> None:
    p = sub.add_parser("keys", help="the commissions' signing keys: list, issue (rotate), "
                                    "export the public keys")
    ksub = p.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    ls = ksub.add_parser("list", help="every key of an election's commissions, as JSON lines")
    ls.add_argument("election")
    ls.add_argument("--commission", help="one commission's keys only")
    ls.set_defaults(func=list_keys)
    i = ksub.add_parser("issue", help="a new key for each commission named (the old one is "
                                      "retired, and still verifies what it signed)")
    i.add_argument("commission", nargs="*", help="commission ids")
    i.add_argument("--missing", metavar="ELECTION",
                   help="instead: a key for every commission of ELECTION that has none")
    i.add_argument("--all", metavar="ELECTION", dest="all_of",
                   help="instead: a new key for every commission of ELECTION (e.g. after "
                        "the data directory's signing.key was lost)")
    i.set_defaults(func=issue)
    e = ksub.add_parser("export", help="the public keys of an election as one JSON document "
                                       "(what snapshots publish)")
    e.add_argument("election")
    e.add_argument("-o", "--output", help="file to write (default: standard output)")
    e.set_defaults(func=export)
    from sailau.cli import own_key

    own_key.register(ksub)


def _setup(election: str | None = None):
    from sailau.cli import CommandError
    from sailau.cli.django_setup import setup

    setup()
    from sailau.elections.models import Election

    if election is not None and not Election.objects.filter(pk=election).exists():
        raise CommandError(f"no election {election!r}")


def list_keys(args) -> int:
    _setup(args.election)
    from sailau.elections import keys

    for row in keys.public_keys(args.election):
        if args.commission in (None, row["commission"]):
            print(json.dumps(row, ensure_ascii=False))
    return 0


def issue(args) -> int:
    from sailau.cli import CommandError

    if sum(map(bool, (args.commission, args.missing, args.all_of))) != 1:
        raise CommandError("name the commissions, or give --missing ELECTION or --all "
                           "ELECTION (one of the three)")
    _setup(args.missing or args.all_of)
    from django.db import transaction

    from sailau import audit
    from sailau.elections import keys
    from sailau.elections.models import Commission
    from sailau.verify.signatures import key_id

    if args.commission:
        known = set(Commission.objects.filter(pk__in=args.commission).values_list("pk", flat=True))
        if unknown := [c for c in args.commission if c not in known]:
            raise CommandError(f"no commission {', '.join(map(repr, unknown))}")
    with transaction.atomic():
        if args.commission:
            ids = args.commission
        elif args.missing:
            ids = keys.without_key(args.missing)
        else:
            ids = Commission.objects.filter(election_id=args.all_of).values_list("id", flat=True)
        new = keys.issue(ids)
        audit.append_many([("sailau keys", "key.issued", k.commission_id,
                            {"public_key": k.public_key}) for k in new])
    for k in new:
        print(json.dumps({"commission": k.commission_id, "key_id": key_id(k.public_key),
                          "public_key": k.public_key}))
    _republish({k.commission_id for k in new})
    return 0


def _republish(commission_ids: set[str]) -> None:
    """A published election's snapshot gets its new keys at once: a full publication, so that
    keys.json names the key of the protocols signed next and the retirement of the old one (an
    incremental publication adds a key only for the stations it republishes)."""
    from sailau.elections.models import Commission
    from sailau.publish.pipeline import snapshots

    elections = set(Commission.objects.filter(pk__in=commission_ids)
                    .values_list("election_id", flat=True).distinct())
    for eid in sorted(elections):
        if snapshots.latest_manifest(eid) is None:
            continue
        manifest = snapshots.publish_after(eid)
        if manifest is None:
            print(f"sailau keys: {eid}: the keys are kept; arrivals kept the publication "
                  "waiting, the background publisher's next round publishes them",
                  file=sys.stderr)
        else:
            print(f"sailau keys: published {eid} (snapshot {manifest['sequence']}) with its new "
                  "keys", file=sys.stderr)


def export(args) -> int:
    _setup(args.election)
    from sailau.elections import keys

    text = json.dumps(keys.public_keys_document(args.election), ensure_ascii=False, indent=1)
    if args.output:
        from pathlib import Path

        Path(args.output).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0

"""`sailau mirror URL DIR [--log-key VKEY]`: keep a full offline copy of an election's published
folder and log, fetching only what is new and proving the log only grew (`sailau.verify.mirror`).
Exit 0 when the copy is up to date, 2 when the source cannot be used, 3 when its checkpoint does
not extend the copy's (nothing is copied; both checkpoints are kept as evidence)."""

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("mirror", help="keep an offline copy of a published election and its log")
    p.add_argument("url", metavar="URL", help="the election's published folder (URL or folder)")
    p.add_argument("folder", metavar="DIR", help="the copy (made if absent)")
    p.add_argument("--log-key", metavar="VKEY", help="the log's verifier key (else the copy's, "
                                                     "else log/log.json's at the first copy)")
    p.set_defaults(func=mirror)


def mirror(args) -> int:
    from sailau.cli import CommandError
    from sailau.verify.logsource import BadSignature, Unusable
    from sailau.verify.logstate import StateError
    from sailau.verify.mirror import MirrorRefused
    from sailau.verify.mirror import mirror as run

    try:
        done = run(args.url, Path(args.folder), args.log_key)
    except MirrorRefused as exc:
        print(f"REFUSED: {exc}")
        return 3
    except (Unusable, BadSignature, StateError) as exc:
        raise CommandError(str(exc)) from None
    print(f"{args.folder}: size {done.size} (was {done.old_size}), {done.files} files, "
          f"{done.bytes} bytes written ({done.fetched} new tiles and entry bundles)")
    return 0

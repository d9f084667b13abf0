"""`sailau verify PATH_OR_URL [--scans DIR] [--json]`: check a published snapshot as anyone
can, with no database and no Django (`sailau.verify`). Exit 0 when everything holds, 1 naming
the first failing file, station or level, 2 when the input cannot be used at all."""

import json
import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("verify", help="check a published snapshot (folder or URL) with its "
                                      "files alone")
    p.add_argument("location", metavar="PATH_OR_URL",
                   help="a snapshot folder (with manifest.json) or its URL, e.g. "
                        "http://127.0.0.1:8000/snapshots/ELECTION/")
    p.add_argument("--scans", metavar="DIR", help="also check these scans (PNG, JPEG, PDF) "
                                                  "against the published protocols")
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.set_defaults(func=verify)


def verify(args) -> int:
    from sailau.cli import CommandError
    from sailau.verify.run import Unusable
    from sailau.verify.run import verify as run

    scans = None
    if args.scans:
        scans = Path(args.scans)
        if not scans.is_dir():
            raise CommandError(f"--scans: {args.scans} is not a folder")
    try:
        report = run(args.location, scans)
    except Unusable as exc:
        raise CommandError(str(exc)) from None
    if args.json:
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        held = ", ".join(f"{k} {v}" for k, v in sorted(report.held.items()))
        for n in report.notes:
            print(f"note: {n}")
        if report.passed:
            print(f"OK: {args.location}: everything holds ({held})")
        else:
            print(f"FAILED: {report.failures[0]}")
            if len(report.failures) > 1:
                print(f"... and {len(report.failures) - 1} more (--json lists them)")
    return 0 if report.passed else 1

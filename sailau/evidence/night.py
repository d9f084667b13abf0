"""The demo's volunteers while it serves: `python -m sailau.evidence.night ELECTION`, started by
`sailau demo` beside the night's simulator. The crowd (`sailau.evidence.crowd`) types what the
build left and every scan and photo the night brings, in short transactions with a pause
between them so that the server's own writes never wait long; it looks again every `--poll`
seconds until `--minutes` are over (0: for as long as it serves) or SIGTERM. Django is set up before the crowd's modules are
imported (they hold models)."""

from __future__ import annotations

import argparse
import signal
import time
from collections import Counter


def main(argv: list[str] | None = None) -> int:
    """The crowd of the live night: types what is open, then looks again every `--poll`
    seconds (the night's scans and photos arrive meanwhile), for `--minutes`."""
    p = argparse.ArgumentParser(prog="python -m sailau.evidence.night")
    p.add_argument("election")
    p.add_argument("--seed", type=int, default=2023)
    p.add_argument("--minutes", type=float, default=20, help="0: until stopped")
    p.add_argument("--poll", type=float, default=10)
    p.add_argument("--pause", type=float, default=0.05,
                   help="seconds between two chunks of readings, so the crowd leaves the "
                        "server room")
    args = p.parse_args(argv)
    # Django only, no migration: `sailau demo` has migrated before starting this process (and
    # the command layer is above this app's).
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sailau.settings")
    import django

    django.setup()
    from django.db import close_old_connections

    from sailau.evidence.crowd import NIGHT_CHUNK, recruit, type_images

    stopping: list[int] = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    end = time.monotonic() + args.minutes * 60 if args.minutes > 0 else float("inf")
    crowd = recruit(seed=args.seed)

    def stop() -> bool:
        return bool(stopping) or time.monotonic() > end

    total: Counter = Counter()
    while not stop():
        close_old_connections()
        sent = type_images(args.election, crowd, args.seed, stop=stop, chunk=NIGHT_CHUNK,
                           pause=args.pause)
        total += sent
        if sent:
            print(f"volunteers' crowd: {total['readings'] + total['unreadable']} readings "
                  "sent so far", flush=True)
        for _ in range(int(args.poll * 10)):
            if stopping or time.monotonic() > end:
                break
            time.sleep(0.1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

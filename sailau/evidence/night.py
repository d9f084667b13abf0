"""The demo's volunteers while it serves: `python -m sailau.evidence.night ELECTION`, started by
`sailau demo` beside the night's simulator. The crowd (`sailau.evidence.crowd`) types what the
build left and every scan and photo the night brings, in short transactions with a pause
between them so that the server's own writes never wait long; it looks again every `--poll`
seconds until `--minutes` are over (0: for as long as it serves), SIGTERM or Ctrl-C (set up by
`sailau.background.demo_side_main`, as for the demo's other side processes)."""

from __future__ import annotations

import threading
import time
from collections import Counter

# Images the crowd leaves untyped while the demo serves, so that a visitor who opens the
# volunteers' page has something to type.
LEFT_FOR_VISITORS = 12


def run(election_id: str, seed: int, stop: threading.Event, minutes: float = 0,
        poll: float = 10, pause: float = 0.05, leave: int = LEFT_FOR_VISITORS) -> Counter:
    """Type what is open, then look again every `poll` seconds (the night's scans and photos
    arrive meanwhile) until `minutes` are over or `stop` is set; the readings sent."""
    from django.db import close_old_connections

    from sailau.evidence.crowd import NIGHT_CHUNK, recruit, type_images

    end = time.monotonic() + minutes * 60 if minutes > 0 else float("inf")
    crowd = recruit(seed=seed)

    def over() -> bool:
        return stop.is_set() or time.monotonic() > end

    total: Counter = Counter()
    while not over():
        close_old_connections()
        sent = type_images(election_id, crowd, seed, stop=over, chunk=NIGHT_CHUNK, pause=pause,
                           leave=leave)
        total += sent
        if sent:
            print(f"volunteers' crowd: {total['readings'] + total['unreadable']} readings "
                  "sent so far", flush=True)
        stop.wait(max(0.0, min(poll, end - time.monotonic())))
    return total


def _arguments(ap) -> None:
    ap.add_argument("--minutes", type=float, default=20, help="0: until stopped")
    ap.add_argument("--poll", type=float, default=10)
    ap.add_argument("--pause", type=float, default=0.05,
                    help="seconds between two chunks of readings, so the crowd leaves the "
                         "server room")


def main(argv: list[str] | None = None) -> int:
    from sailau.background import demo_side_main

    return demo_side_main(
        argv, prog="python -m sailau.evidence.night",
        until_done="(no effect: the crowd stops after --minutes or when stopped)",
        arguments=_arguments,
        run=lambda a, stop: run(a.election, a.seed, stop, a.minutes, a.poll, a.pause),
        summary=lambda t, s: f"volunteers' crowd: {t['readings'] + t['unreadable']:,} "
                             f"readings in {s:.0f} s")


if __name__ == "__main__":
    raise SystemExit(main())

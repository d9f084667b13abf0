"""Turnout through election day on the cached public pages (the election's, a territorial
commission's): `sailau.turnout.public`'s table, kept per process against the newest report, so
that a page rendered again after every protocol of the night reads the day's reports once."""

from __future__ import annotations

import threading

from sailau.publish.pages import pagecache
from sailau.turnout import public

_lock = threading.Lock()


def state() -> str:
    """Part of a page's cache key: changes with every new report."""
    return public.state()


def table(election_id: str, territory: str | None = None) -> dict:
    memo = pagecache.memory("turnout through the day")
    now = public.state()
    with _lock:
        hit = memo.get((election_id, territory))
    if hit is None or hit[0] != now:
        hit = (now, public.table(election_id, territory))
        with _lock:
            memo[(election_id, territory)] = hit
    return hit[1]

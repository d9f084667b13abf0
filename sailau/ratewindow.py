"""A count of events in a sliding window, for every rate limit Sailau keeps itself: the public
"where do I vote" (each answer, refused or not, is logged), staff asking about IINs they do not
serve (only misses count), and the public API's per-client limits (sailau.api.audit.ClientThrottle).

The counters live in the database (`accounts.RateCount`), not in a cache: a cache with a cap on
its entries (Django's file cache deletes a random third past 300) hands a limited client a
fresh allowance as soon as enough other clients come, and a cache on one machine is not shared
by the next web node. One row per subject and fixed window, incremented by one atomic upsert
(`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`, SQLite 3.35+ and PostgreSQL alike), so two
workers counting at once both count; rows whose window is over are swept (at most once a
minute per process). A count is written in the caller's transaction: call `add` and `hit`
outside one that a refusal rolls back.

A fixed window (a counter per minute) lets twice the limit through across a window's edge, and
a test of it fails whenever its requests straddle one. A log of timestamps is exact but costs a
row per event. The counter here keeps one atomic counter per fixed window
and estimates the sliding count as the current window's count plus the previous window's,
weighted by the part of it that still lies inside the sliding window: never more than the
limit's worth in any window's length, give or take the previous window's spread. `hit` counts
refused events too: a client that keeps asking stays refused until it pauses."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

SWEEP_SECONDS = 60
_swept = 0.0  # when this process last deleted the rows whose window is over (monotonic)


def _table() -> str:
    from sailau.accounts.models import RateCount

    return connection.ops.quote_name(RateCount._meta.db_table)


def _name(key: str) -> str:
    # The primary key holds 200 characters: a longer subject by its digest.
    return key if len(key) <= 200 else hashlib.sha256(key.encode()).hexdigest()


def counts(keys: list[str], now: float) -> dict[str, int]:
    """The live counters among `keys` (a missing or expired one is 0)."""
    from sailau.accounts.models import RateCount

    names = {_name(k): k for k in keys}
    rows = RateCount.objects.filter(name__in=list(names), expires__gt=int(now))
    return {names[n]: hits for n, hits in rows.values_list("name", "hits")}


def increment(key: str, ttl: int, now: float) -> int:
    """Add one to the counter `key` (kept `ttl` seconds), atomically; its count after."""
    global _swept
    table, expires = _table(), int(now) + ttl
    with connection.cursor() as cur:
        # An expired row still there (not swept yet) starts again from one.
        cur.execute(
            f"INSERT INTO {table} (name, hits, expires) VALUES (%s, 1, %s) "
            f"ON CONFLICT (name) DO UPDATE SET "
            f"hits = CASE WHEN {table}.expires <= %s THEN 1 ELSE {table}.hits + 1 END, "
            f"expires = excluded.expires RETURNING hits",
            [_name(key), expires, int(now)])
        hits = cur.fetchone()[0]
        if time.monotonic() - _swept > SWEEP_SECONDS:
            _swept = time.monotonic()
            cur.execute(f"DELETE FROM {table} WHERE expires <= %s", [int(now)])
    return hits


@dataclass(frozen=True)
class SlidingWindow:
    prefix: str
    limit: int
    seconds: int

    def _keys(self, subject: str, now: float) -> tuple[str, str, float]:
        window = int(now // self.seconds)
        elapsed = (now - window * self.seconds) / self.seconds
        return (f"{self.prefix}:{subject}:{window}", f"{self.prefix}:{subject}:{window - 1}",
                elapsed)

    def _estimate(self, current: int, previous: int, elapsed: float) -> float:
        return current + previous * (1.0 - elapsed)

    def _retry_after(self, current: int, previous: int, now: float) -> int:
        """Seconds until one more event would be within the limit, if nothing else comes."""
        elapsed = (now % self.seconds) / self.seconds
        left = self.seconds - now % self.seconds
        # Inside this window the previous one's weight falls; past its end this window's does.
        for step in range(1, 2 * self.seconds + 1):
            if step < left:
                estimate = self._estimate(current, previous, elapsed + step / self.seconds)
            else:
                estimate = self._estimate(0, current, (step - left) / self.seconds)
            if estimate + 1 <= self.limit:
                return step
        return 2 * self.seconds

    def over(self, subject: str) -> tuple[bool, int]:
        """Whether one more event would pass the limit, and if so the seconds to wait."""
        now = timezone.now().timestamp()
        key, prev_key, elapsed = self._keys(subject, now)
        got = counts([key, prev_key], now)
        current, previous = got.get(key, 0), got.get(prev_key, 0)
        if self._estimate(current, previous, elapsed) + 1 <= self.limit:
            return False, 0
        return True, self._retry_after(current, previous, now)

    def add(self, subject: str) -> None:
        now = timezone.now().timestamp()
        key, _, _ = self._keys(subject, now)
        increment(key, 2 * self.seconds + 1, now)  # kept while it is the previous window

    def hit(self, subject: str) -> tuple[bool, int]:
        """Count an event and say whether it passed the limit (and the seconds to wait). The
        count is taken first and atomically, so that two workers answering at once cannot both
        see room for one more."""
        now = timezone.now().timestamp()
        key, prev_key, elapsed = self._keys(subject, now)
        current = increment(key, 2 * self.seconds + 1, now)
        previous = counts([prev_key], now).get(prev_key, 0)
        if self._estimate(current, previous, elapsed) <= self.limit + 1e-9:
            return False, 0
        return True, self._retry_after(current, previous, now)

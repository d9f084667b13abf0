"""A count of events in a sliding window, in the shared cache (sailau.sharedcache), for the
limits written here rather than with a throttle class: the public "where do I vote" (each
answer, refused or not, is logged) and staff asking about IINs they do not serve (only misses
count).

A fixed window (a counter per minute) lets twice the limit through across a window's edge, and
a test of it fails whenever its requests straddle one. A log of timestamps is exact but cannot
be appended to atomically in a cache. The counter here keeps one atomic counter per fixed window
and estimates the sliding count as the current window's count plus the previous window's,
weighted by the part of it that still lies inside the sliding window: never more than the
limit's worth in any window's length, give or take the previous window's spread. `hit` counts
refused events too: a client that keeps asking stays refused until it pauses."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone


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
        got = cache.get_many([key, prev_key])
        current, previous = int(got.get(key) or 0), int(got.get(prev_key) or 0)
        if self._estimate(current, previous, elapsed) + 1 <= self.limit:
            return False, 0
        return True, self._retry_after(current, previous, now)

    def add(self, subject: str) -> None:
        key, _, _ = self._keys(subject, timezone.now().timestamp())
        cache.add(key, 0, 2 * self.seconds + 1)  # kept while it is the previous window
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, 2 * self.seconds + 1)

    def hit(self, subject: str) -> tuple[bool, int]:
        """Count an event and say whether it passed the limit (and the seconds to wait). The
        count is taken first and atomically, so that two workers answering at once cannot both
        see room for one more."""
        now = timezone.now().timestamp()
        key, prev_key, elapsed = self._keys(subject, now)
        cache.add(key, 0, 2 * self.seconds + 1)
        try:
            current = cache.incr(key)
        except ValueError:
            cache.set(key, 1, 2 * self.seconds + 1)
            current = 1
        previous = int(cache.get(prev_key) or 0)
        if self._estimate(current, previous, elapsed) <= self.limit + 1e-9:
            return False, 0
        return True, self._retry_after(current, previous, now)

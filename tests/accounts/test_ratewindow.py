"""The sliding window behind the public lookup's and the IIN probes' limits: a burst that
straddles a window's edge is counted as one burst, the limit holds in any window's length, and
the wait it names is enough."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest

from sailau.ratewindow import SlidingWindow

pytestmark = pytest.mark.django_db

WINDOW = SlidingWindow("test-window", 10, 60)
EDGE = datetime(2026, 11, 24, 20, 0, 0, tzinfo=UTC)  # a multiple of 60 s since the epoch


def _at(moment):
    return mock.patch("sailau.ratewindow.timezone.now", return_value=moment)


def test_a_burst_across_a_windows_edge_is_one_burst():
    answers = []
    for i in range(11):
        with _at(EDGE + timedelta(seconds=-2.5 + 0.5 * i)):
            answers.append(WINDOW.hit("alice")[0])
    assert answers == [False] * 10 + [True]
    with _at(EDGE + timedelta(seconds=3)):
        assert WINDOW.hit("bob") == (False, 0)  # each subject its own


def test_a_client_that_keeps_asking_stays_refused():
    """Refused attempts count too: one a second for two minutes, straddling an edge, gets the
    limit's worth through and no more (a fixed window would let 20 and more through)."""
    passed = []
    start = EDGE - timedelta(seconds=30)
    for i in range(120):  # one attempt a second for two minutes
        moment = start + timedelta(seconds=i)
        with _at(moment):
            if not WINDOW.hit("walker")[0]:
                passed.append(moment)
    worst = max(sum(1 for t in passed if p <= t < p + timedelta(seconds=60)) for p in passed)
    assert worst <= WINDOW.limit, worst
    assert len(passed) == WINDOW.limit, len(passed)


def test_the_named_wait_is_enough_and_not_far_too_long():
    moment = EDGE + timedelta(seconds=20)
    for i in range(10):
        with _at(moment):
            assert not WINDOW.hit("family")[0]
    with _at(moment):
        over, wait = WINDOW.over("family")
    assert over and wait > 0
    with _at(moment + timedelta(seconds=wait)):
        assert WINDOW.over("family") == (False, 0)
    with _at(moment + timedelta(seconds=wait - 2)):
        assert WINDOW.over("family")[0]
    assert wait <= 60 + 40


def test_a_limited_client_stays_limited_among_many_others(settings):
    """400 other clients (more than any in-memory cache keeps: Django's file cache culls a
    third past 300 entries) do not hand a limited client a fresh allowance: the counters are
    rows in the database, shared by every worker and web node."""
    from sailau.accounts.models import RateCount

    moment = EDGE + timedelta(seconds=5)
    with _at(moment):
        for _ in range(WINDOW.limit):
            assert not WINDOW.hit("walker")[0]
        assert WINDOW.hit("walker")[0]
        for i in range(400):
            WINDOW.hit(f"client-{i}")
        assert WINDOW.hit("walker")[0] and WINDOW.over("walker")[0]
    assert RateCount.objects.filter(name__startswith="test-window:client-").count() == 400


def test_expired_counters_are_swept_and_start_again(monkeypatch):
    from sailau import ratewindow
    from sailau.accounts.models import RateCount

    with _at(EDGE):
        for _ in range(WINDOW.limit + 1):
            WINDOW.hit("old")
    monkeypatch.setattr(ratewindow, "_swept", 0.0)
    monkeypatch.setattr(ratewindow.time, "monotonic", lambda: 10**9)
    later = EDGE + timedelta(seconds=3 * WINDOW.seconds)
    with _at(later):
        assert WINDOW.hit("new") == (False, 0)
    assert not RateCount.objects.filter(name__startswith="test-window:old:").exists()

"""The national page's results over time read from the kept matrix of the arrivals' figures
(`Progress.matrix`, running sums) are the points `cumulate` adds up one arrival at a time: the
same dicts and the same floats, after arrivals in order, one placed earlier, an amendment, and a
key outside the contest's choices (counted among the ballots found)."""

import dataclasses
import datetime as dt
import random
from types import SimpleNamespace

from sailau.publish.files import progress_series
from sailau.publish.files.arrivals import Arrival, Progress, figures_matrix

KEYS = ["a", "b", "c", "against_all"]
T0 = dt.datetime(2023, 3, 19, 15, 0, tzinfo=dt.UTC)


class _Choices:
    def all(self):
        return [SimpleNamespace(key=k, order=i) for i, k in enumerate(KEYS)]


CONTEST = SimpleNamespace(choices=_Choices())


def _arrival(rnd, i: int, extra: bool = False) -> Arrival:
    votes = {k: rnd.randrange(0, 300) for k in KEYS}
    if extra:
        votes["stray"] = 7
    return Arrival(T0 + dt.timedelta(seconds=i), f"s{i:05d}", rnd.randrange(0, 20), votes)


def _both(arrivals, matrix) -> tuple[list, list]:
    p = Progress(CONTEST, 5000, tuple(arrivals), None)
    kept = dataclasses.replace(p, matrix=matrix)
    assert kept.matrix is not None
    return p.points(48), kept.points(48)


def test_points_from_the_matrix_are_the_points_added_one_by_one():
    rnd = random.Random(3)
    arrivals = [_arrival(rnd, i, extra=i == 17) for i in range(1, 1234)]
    for n in (0, 1, 47, 48, 49, 97, 1233):
        slow, fast = _both(arrivals[:n], figures_matrix(arrivals[:n], KEYS))
        assert slow == fast, n


def test_a_kept_series_keeps_its_matrix_true_through_arrivals_and_amendments():
    rnd = random.Random(5)
    s = progress_series.Series(5000, [_arrival(rnd, i) for i in range(1, 200)], None, 0)
    s.figures(KEYS)

    def same():
        assert s.matrix is not None and len(s.matrix) == len(s.arrivals)
        assert (s.matrix == figures_matrix(s.arrivals, KEYS)).all()
        assert [a.at for a in s.arrivals] == sorted(a.at for a in s.arrivals)
        slow, fast = _both(s.arrivals, s.figures(KEYS))
        assert slow == fast

    # New arrivals after the last, and one placed before the others: each in its place.
    s._place(len(s.arrivals), [_arrival(rnd, 205), _arrival(rnd, 201), _arrival(rnd, 0)])
    same()
    assert s.arrivals[0].station == "s00000"

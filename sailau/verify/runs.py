"""Runs of station numbers: how a district's or single-member district's file lists its
stations and those that have reported (docs/published-files.md, "Runs of numbers").

A list of numbers is written as its maximal runs of consecutive numbers, each `[first, last]`:
`[1, 2, 3, 7, 9, 10]` is `[[1, 3], [7, 7], [9, 10]]`. Stations are numbered by district, so a
district's stations are one run or a few: an SMD of 8,619 stations with all but a few reported
weighed 56 KB gzip'd as lists of every number and 1.4 KB as runs, and it is written again each
time one of its stations reports. (Half reported in a scattered order, the runs save less.)"""

from __future__ import annotations

import bisect
import reprlib
from collections.abc import Iterable

_SHORT = reprlib.Repr(maxlist=4, maxlevel=2, maxother=40)  # a forged run quoted, not all of it


def to_runs(numbers: Iterable[int]) -> list[list[int]]:
    """The maximal runs of `numbers` (ascending, each once)."""
    out: list[list[int]] = []
    for n in numbers:
        if out and out[-1][1] + 1 == n:
            out[-1][1] = n
        else:
            out.append([n, n])
    return out


def number(value) -> bool:
    """A station's number as JSON has it: an integer (not a boolean, not 10001.0)."""
    return isinstance(value, int) and not isinstance(value, bool)


def malformed(runs) -> str | None:
    """What is wrong with `runs` in words, or None: not a list of runs, a run out of order,
    overlapping or touching the one before (not maximal: the writing is unique). Nothing is
    expanded."""
    if not isinstance(runs, list):
        return "is not a list of runs"
    last = None
    for run in runs:
        if not (isinstance(run, list) and len(run) == 2 and all(number(x) for x in run)):
            return f"holds {_SHORT.repr(run)}, not a run [first, last] of station numbers"
        first, end = run
        if first > end:
            return f"holds the run {run!r}, whose first number is above its last"
        if last is not None and first <= last + 1:
            return (f"holds the run {run!r} after one ending at {last}: runs must ascend with a "
                    "gap between them")
        last = end
    return None


def from_runs(runs, limit: int) -> list[int] | str:
    """The numbers `runs` lists, ascending; or what is wrong with it, in words (`malformed`,
    or more than `limit` numbers: a hostile `[[1, 1000000000000]]` is not expanded)."""
    wrong = malformed(runs)
    if wrong is not None:
        return wrong
    if sum(end - first + 1 for first, end in runs) > limit:
        return f"names more than {limit} stations"
    return [n for first, end in runs for n in range(first, end + 1)]


def outside(runs: list, numbers: list[int]) -> int | None:
    """The first number of `runs` (well-formed: `from_runs` accepted them) that is not in
    `numbers` (ascending), or None: checked run by run, without expanding them."""
    for first, last in runs:
        i = bisect.bisect_left(numbers, first)
        if i == len(numbers) or numbers[i] != first:
            return first
        # numbers are distinct and ascending: first..last all in it iff last sits where it must
        j = i + (last - first)
        if j >= len(numbers) or numbers[j] != last:
            k = i
            while k < len(numbers) and numbers[k] == first + (k - i):
                k += 1
            return first + (k - i)
    return None

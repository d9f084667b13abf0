"""Runs of station numbers: how a district's or single-member district's file lists its
stations and those that have reported (docs/published-files.md, "Runs of numbers").

A list of numbers is written as its maximal runs of consecutive numbers, each `[first, last]`:
`[1, 2, 3, 7, 9, 10]` is `[[1, 3], [7, 7], [9, 10]]`. Stations are numbered by district, so a
district of 3,400 stations is one run or a few, where the list of its numbers weighed 56 KB
(gzip'd) and was written again each time one of its stations reported."""

from __future__ import annotations

from collections.abc import Iterable


def to_runs(numbers: Iterable[int]) -> list[list[int]]:
    """The maximal runs of `numbers` (ascending, each once)."""
    out: list[list[int]] = []
    for n in numbers:
        if out and out[-1][1] + 1 == n:
            out[-1][1] = n
        else:
            out.append([n, n])
    return out


def _number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def from_runs(runs, limit: int) -> list[int] | str:
    """The numbers `runs` lists, ascending; or what is wrong with it, in words. A list that is
    not runs, runs out of order, overlapping or touching (not maximal: the writing is unique),
    or naming more than `limit` numbers (a hostile `[[1, 1000000000000]]` is not expanded) is
    refused."""
    if not isinstance(runs, list):
        return "is not a list of runs"
    out: list[int] = []
    last = None
    for run in runs:
        if not (isinstance(run, list) and len(run) == 2 and all(_number(x) for x in run)):
            return f"holds {run!r}, not a run [first, last] of station numbers"
        first, end = run
        if first > end:
            return f"holds the run {run!r}, whose first number is above its last"
        if last is not None and first <= last + 1:
            return (f"holds the run {run!r} after one ending at {last}: runs must ascend with a "
                    "gap between them")
        if len(out) + end - first + 1 > limit:
            return f"names more than {limit} stations"
        out.extend(range(first, end + 1))
        last = end
    return out

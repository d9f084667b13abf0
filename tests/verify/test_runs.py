"""Runs of station numbers (docs/published-files.md, "Runs of numbers"): written maximal, read
back exactly, and anything else refused in words, never expanded beyond a limit."""

import pytest

from sailau.verify.runs import from_runs, to_runs


@pytest.mark.parametrize("numbers, runs", [
    ([], []),
    ([7], [[7, 7]]),
    ([1, 2, 3, 7, 9, 10], [[1, 3], [7, 7], [9, 10]]),
    ([10001, 10002, 10004], [[10001, 10002], [10004, 10004]]),
])
def test_numbers_are_written_as_their_maximal_runs_and_read_back(numbers, runs):
    assert to_runs(numbers) == runs
    assert from_runs(runs, len(numbers)) == numbers


@pytest.mark.parametrize("runs, words", [
    ({"1": 2}, "is not a list of runs"),
    ([[1]], "not a run"),
    ([[1.0, 2]], "not a run"),
    ([[False, 2]], "not a run"),
    ([[3, 2]], "first number is above its last"),
    ([[1, 2], [2, 4]], "runs must ascend with a gap"),
    ([[1, 2], [3, 4]], "runs must ascend with a gap"),
    ([[1, 3], [5, 6]], "names more than 4 stations"),
    ([[-(10**15), 10**15]], "names more than 4 stations"),
])
def test_anything_but_maximal_runs_within_the_limit_is_refused(runs, words):
    assert words in from_runs(runs, 4)

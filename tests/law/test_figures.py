"""The figures computed from a protocol's lines are defined once, in sailau/law/figures.py: the
ballots issued, the turnout and how a file rounds it, a choice's share."""

import pytest

from sailau.law import figures

FIG = {"voters_on_list": 1200, "issued_in_room": 700, "issued_mobile": 31,
       "issued_absentee": 2, "invalid": 7}


def test_ballots_issued_are_the_three_issued_lines():
    assert figures.issued(FIG) == 733
    assert figures.issued({"issued_in_room": 5}) == 5  # a line the form lacks counts as none


def test_turnout_is_exact_and_a_file_rounds_it():
    assert figures.turnout(FIG) == pytest.approx(61.083333, abs=1e-6)
    assert figures.published_turnout(FIG) == 61.08
    assert figures.turnout({"issued_in_room": 3}) is None  # no list: no turnout
    assert figures.published_turnout({}) is None


def test_a_share_is_of_the_votes_and_the_invalid_ballots():
    choices = {"a": 300, "b": 100}
    assert figures.counted(FIG, choices) == 407
    assert figures.share(100, 407) == pytest.approx(24.5700, abs=1e-4)
    assert figures.share(0, 0) == 0.0


def test_a_referendums_ballots_marked_both_ways_are_among_those_found():
    """Its participants as the law counts them (`sailau.law.outcomes.referendum`)."""
    assert figures.counted({"invalid": 3, "both_marked": 5}, {"yes": 10, "no": 2}) == 20
    assert figures.base({"invalid": 3, "both_marked": 5}, {"yes": 10, "no": 2},
                        figures.VALID) == 12


def test_a_file_rounds_a_share_as_it_rounds_the_turnout():
    assert figures.published_share(100, 407) == 24.57
    assert figures.published_share(5, 0) == 0.0


def test_the_fractions_are_the_percentages_over_a_hundred():
    assert figures.turnout_fraction(FIG) == pytest.approx(figures.turnout(FIG) / 100)
    assert figures.turnout_fraction({"issued_in_room": 3}) is None
    assert figures.share_fraction(1, 4) == 0.25 and figures.share_fraction(1, 0) is None


def test_numpy_columns_give_each_stations_figures():
    """The forensics read the same definitions a column per line, one station a row."""
    import numpy as np

    from sailau.analysis.stations import divide

    stations = [FIG, {"voters_on_list": 0, "issued_in_room": 0, "invalid": 0},
                {"voters_on_list": 900, "issued_in_room": 450, "invalid": 2, "both_marked": 1}]
    choices = [{"a": 300, "b": 100}, {"a": 0, "b": 0}, {"a": 40, "b": 400}]
    keys = ("voters_on_list", *figures.ISSUED, *figures.NOT_VOTES)
    cols = {k: np.array([s.get(k, 0) for s in stations]) for k in keys}
    votes = {c: np.array([ch[c] for ch in choices]) for c in ("a", "b")}
    assert figures.issued(cols).tolist() == [figures.issued(s) for s in stations]
    assert figures.counted(cols, votes).tolist() == [
        figures.counted(s, ch) for s, ch in zip(stations, choices)]
    turnout = figures.turnout_fraction(cols, divide)
    assert turnout[0] == figures.turnout_fraction(FIG) and np.isnan(turnout[1])
    assert turnout[2] == 0.5

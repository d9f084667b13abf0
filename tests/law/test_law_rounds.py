"""A rule set's period and its second round: the date it governs, the rule set that decides
the runoff its outcome calls, and that runoff's rule (more votes of the two)."""

import datetime as dt

import pytest

from sailau.law import LawInputError, all_rulesets, get_ruleset

FIRST = get_ruleset("kz-president-2022")
SECOND = get_ruleset(FIRST.second_round)


def test_a_runoff_outcome_names_a_rule_set_that_exists_and_governs_the_same_kind():
    for rs in all_rulesets():
        if rs.second_round:
            second = get_ruleset(rs.second_round)
            assert set(second.contest_kinds) == set(rs.contest_kinds)
            assert second.second_round is None  # no third round


def test_the_second_round_elects_the_one_with_more_votes():
    out = SECOND.decide({"votes": {"A": 10, "B": 11}, "against_all": 30, "invalid": 2})
    assert out.elected == "B" and out.runoff is None
    # Not a majority rule: "against all" outnumbering both does not stop the election.
    assert SECOND.decide({"votes": {"A": 3, "B": 1}, "against_all": 50}).elected == "A"


def test_a_tie_in_the_second_round_is_reported_not_broken():
    out = SECOND.decide({"votes": {"A": 7, "B": 7}})
    assert out.elected is None and set(out.tie) == {"A", "B"}


@pytest.mark.parametrize("votes", [{"A": 1}, {"A": 1, "B": 2, "C": 3}])
def test_a_second_round_is_between_two(votes):
    with pytest.raises(LawInputError) as exc:
        SECOND.decide({"votes": votes})
    assert exc.value.field == "votes" and "two" in exc.value.message


def test_a_date_outside_the_period_is_refused_with_the_period():
    FIRST.check_date(FIRST.date)
    with pytest.raises(LawInputError) as exc:
        FIRST.check_date(FIRST.date - dt.timedelta(days=1))
    assert exc.value.field == "date" and FIRST.date.isoformat() in exc.value.message
    bounded = [rs for rs in all_rulesets() if rs.until]
    for rs in bounded:
        assert rs.covers(rs.until) and not rs.covers(rs.until + dt.timedelta(days=1))

"""Complaint deadlines (ODIHR statement, 2023 Mazhilis note 66; ODIHR final report, 2022 referendum section IX): calendar days, same-day terms,
immediate consideration around election day, the court first."""

import datetime as dt

import pytest

from sailau.law import all_rulesets, get_ruleset
from sailau.law.deadlines import (
    ADMIN_COURT,
    COMMISSION,
    HIGHER_COMMISSION,
    KZ_2022,
    PROSECUTOR,
    SUPREME_COURT,
    days_left,
    for_ruleset,
    is_overdue,
)

D = dt.date
ELECTION = D(2023, 3, 19)  # a Sunday


def due(filed, **kw):
    kw.setdefault("election_day", ELECTION)
    return KZ_2022.decision_due(filed, **kw)


def test_commission_decides_in_five_calendar_days():
    d = due(D(2023, 2, 1), body=COMMISSION, topic="campaign")
    assert (d.date, d.days, d.rule, d.immediate) == (D(2023, 2, 6), 5, "commission", False)


def test_weekend_is_not_skipped_nor_rolled_forward():
    # Filed Wednesday 8 Feb 2023: 5 calendar days later is Monday 13th; filed on Tuesday 7th,
    # the term ends on Sunday 12th and stays there.
    assert due(D(2023, 2, 8), body=COMMISSION).date == D(2023, 2, 13)
    sunday = due(D(2023, 2, 7), body=COMMISSION).date
    assert sunday == D(2023, 2, 12) and sunday.weekday() == 6


def test_higher_commission_on_lower_decision_three_days():
    d = due(D(2023, 2, 1), body=HIGHER_COMMISSION, against_lower_commission_decision=True)
    assert (d.date, d.rule) == (D(2023, 2, 4), "higher_commission_on_lower_decision")
    # the same body on an action (not a decision) of a lower commission: the general 5 days
    assert due(D(2023, 2, 1), body=HIGHER_COMMISSION).date == D(2023, 2, 6)


@pytest.mark.parametrize("body,rule", [(ADMIN_COURT, "court"), (SUPREME_COURT, "court"),
                                       (PROSECUTOR, "prosecutor")])
def test_courts_and_prosecutors_five_days(body, rule):
    d = due(D(2023, 1, 10), body=body)
    assert (d.date, d.rule) == (D(2023, 1, 15), rule)


def test_voter_list_same_day_at_a_commission_only():
    d = due(D(2023, 2, 1), body=COMMISSION, topic="voter_lists")
    assert (d.date, d.immediate, d.rule) == (D(2023, 2, 1), True, "voter_list_same_day")
    # in court the expedited review is the court's own 5-day term
    assert due(D(2023, 2, 1), body=ADMIN_COURT, topic="voter_lists").date == D(2023, 2, 6)


@pytest.mark.parametrize("filed,immediate", [
    (D(2023, 3, 13), False),  # six days before: the ordinary term
    (D(2023, 3, 14), True),  # five days before: immediately
    (D(2023, 3, 18), True),
    (D(2023, 3, 19), True),  # election day itself
    (D(2023, 3, 20), False),  # the day after: ordinary terms again
])
def test_immediate_within_five_days_before_election_day_or_on_it(filed, immediate):
    d = due(filed, body=COMMISSION)
    assert d.immediate is immediate
    assert d.date == (filed if immediate else filed + dt.timedelta(days=5))


def test_immediate_applies_to_courts_too():
    assert due(ELECTION, body=SUPREME_COURT).date == ELECTION


def test_after_election_lower_decision_appeal_three_days():
    d = due(D(2023, 3, 22), body=HIGHER_COMMISSION, against_lower_commission_decision=True)
    assert d.date == D(2023, 3, 25)


def test_filing_deadline_ten_days_and_late():
    decision = D(2023, 3, 20)
    assert KZ_2022.filing_deadline(decision) == D(2023, 3, 30)
    assert not KZ_2022.is_late(D(2023, 3, 30), decision)  # the tenth day is still in time
    assert KZ_2022.is_late(D(2023, 3, 31), decision)
    assert not KZ_2022.is_late(D(2030, 1, 1), None)  # nothing contested, no term


def test_days_left_and_overdue():
    assert days_left(D(2023, 3, 25), D(2023, 3, 22)) == 3
    assert days_left(D(2023, 3, 25), D(2023, 3, 25)) == 0
    assert days_left(D(2023, 3, 25), D(2023, 3, 27)) == -2
    assert is_overdue(D(2023, 3, 25), D(2023, 3, 26))
    assert not is_overdue(D(2023, 3, 25), D(2023, 3, 25))
    assert not is_overdue(D(2023, 3, 25), D(2023, 3, 26), decided=True)


def test_court_goes_first_commission_suspends():
    first, suspended = KZ_2022.first_body([COMMISSION, ADMIN_COURT])
    assert first == ADMIN_COURT and suspended == [COMMISSION]
    assert KZ_2022.first_body([COMMISSION]) == (COMMISSION, [])


def test_unknown_body_named():
    with pytest.raises(ValueError, match="body"):
        KZ_2022.decision_due(D(2023, 1, 1), body="parliament")


def test_every_ruleset_has_deadlines_with_sources():
    for rs in all_rulesets():
        assert rs.deadlines.contest_days == 10
        assert any("ODIHR statement, 2023 Mazhilis" in s.title for s in rs.deadlines.sources)
        assert any("ODIHR final report, 2022 referendum" in s.title for s in rs.deadlines.sources)
    assert get_ruleset("kz-mazhilis-2023").deadlines is for_ruleset("kz-president-2022")
    with pytest.raises(LookupError):
        for_ruleset("fr-legislative-2024")

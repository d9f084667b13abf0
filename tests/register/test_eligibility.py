import datetime as dt

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from sailau.register.eligibility import (
    IN_DETENTION,
    LEGAL_INCAPACITY,
    NOT_CITIZEN,
    UNDER_AGE,
    EligibilityRules,
    age_on,
    eligibility,
    eligibility_frame,
)
from sailau.register.extract import Record

DAY = dt.date(2026, 3, 15)


def rec(born, citizenship="KAZ", capacity=True, detention=False):
    return Record(1, "", "", "", "", born, "M", citizenship, "", "", "", "", "", capacity, detention)


def test_eighteen_on_election_day():
    assert eligibility(rec(dt.date(2008, 3, 15)), DAY).eligible
    assert eligibility(rec(dt.date(2008, 3, 16)), DAY).reasons == (UNDER_AGE,)


def test_leap_day_birthday_comes_of_age_on_first_of_march():
    born = dt.date(2008, 2, 29)
    assert age_on(born, dt.date(2026, 2, 28)) == 17
    assert age_on(born, dt.date(2026, 3, 1)) == 18


def test_every_reason_is_recorded():
    r = rec(dt.date(2010, 1, 1), citizenship="RUS", capacity=False, detention=True)
    assert eligibility(r, DAY).reasons == (UNDER_AGE, NOT_CITIZEN, LEGAL_INCAPACITY, IN_DETENTION)


def test_restrictions_are_options():
    r = rec(dt.date(1980, 1, 1), capacity=False, detention=True)
    assert not eligibility(r, DAY).eligible
    lifted = EligibilityRules(exclude_legal_incapacity=False, exclude_detention=False)
    assert eligibility(r, DAY, lifted) == eligibility(rec(dt.date(1980, 1, 1)), DAY, lifted)
    assert eligibility(r, DAY, lifted).eligible


@given(st.lists(st.tuples(st.dates(dt.date(1920, 1, 1), dt.date(2026, 12, 31)),
                          st.sampled_from(["KAZ", "RUS"]), st.booleans(), st.booleans()), min_size=1, max_size=30),
       st.booleans(), st.booleans())
def test_frame_version_agrees_with_scalar(rows, excl_cap, excl_det):
    rules = EligibilityRules(exclude_legal_incapacity=excl_cap, exclude_detention=excl_det)
    frame = pl.DataFrame(
        {"birth_date": [r[0] for r in rows], "citizenship": [r[1] for r in rows],
         "legal_capacity": [r[2] for r in rows], "in_detention": [r[3] for r in rows]})
    out = eligibility_frame(frame, DAY, rules)
    for (born, cit, cap, det), eligible, reasons in zip(rows, out["eligible"], out["reasons"]):
        expected = eligibility(rec(born, cit, cap, det), DAY, rules)
        assert (eligible, tuple(reasons)) == (expected.eligible, expected.reasons)

"""The second round's term (`sailau.law.rounds`): after the first round, within two calendar
months; a day outside is refused with the term in every language."""

import datetime as dt

import pytest

from sailau.errors import Code
from sailau.law import LawInputError, rounds


@pytest.mark.parametrize("first, last", [
    (dt.date(2019, 6, 9), dt.date(2019, 8, 9)),
    (dt.date(2022, 12, 31), dt.date(2023, 2, 28)),  # no 31 February: the month's last day
    (dt.date(2023, 12, 31), dt.date(2024, 2, 29)),
    (dt.date(2022, 11, 20), dt.date(2023, 1, 20)),  # across the year
])
def test_the_last_day_is_two_calendar_months_after(first, last):
    assert rounds.last_day(first) == last
    rounds.check_day(first, last)
    rounds.check_day(first, first + dt.timedelta(days=1))


@pytest.mark.parametrize("day", [dt.date(2019, 6, 9), dt.date(2019, 6, 1), dt.date(2019, 8, 10)])
def test_a_day_outside_the_term_is_refused_naming_it(day):
    with pytest.raises(LawInputError) as exc:
        rounds.check_day(dt.date(2019, 6, 9), day)
    err = exc.value
    assert err.code == Code.SECOND_ROUND_DATE and err.field == "date"
    for lang in ("kk", "ru", "en"):
        assert "2019-08-09" in err.text(lang) and day.isoformat() in err.text(lang)
    assert err.detail["last_day"] == "2019-08-09"


def test_the_default_day_is_the_sunday_two_weeks_after():
    assert rounds.default_day(dt.date(2019, 6, 9)) == dt.date(2019, 6, 23)
    assert rounds.default_day(dt.date(2019, 6, 12)) == dt.date(2019, 6, 30)  # a Wednesday
    for n in range(60):
        first = dt.date(2024, 1, 1) + dt.timedelta(days=n)
        rounds.check_day(first, rounds.default_day(first))

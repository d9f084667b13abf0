"""Requirements at registration, each at its boundary: age on election day, residence, the
deposit with the party discount bands, the 30 % quota on a whole list."""

import datetime as dt
from fractions import Fraction

import pytest

from sailau.law import get_ruleset

RULES = get_ruleset("kz-mazhilis-2023").candidacy_rules
DAY = dt.date(2023, 3, 19)


def born_years_before(years: int, days: int = 0) -> dt.date:
    return DAY.replace(year=DAY.year - years) + dt.timedelta(days=days)


@pytest.mark.parametrize("office,age", [("mazhilis", 25), ("maslikhat", 20), ("president", 40)])
def test_minimum_age_on_election_day(office, age):
    ok = RULES.check_candidate(office, born_years_before(age), DAY, residence_years=20)
    assert [p for p in ok if p["requirement"] == "min_age"] == []
    young = RULES.check_candidate(office, born_years_before(age, days=1), DAY, residence_years=20)
    assert {"requirement": "min_age", "required": age, "actual": age - 1} in young


@pytest.mark.parametrize("office,years", [("mazhilis", 10), ("president", 15)])
def test_residence_years(office, years):
    birth = born_years_before(50)
    assert RULES.check_candidate(office, birth, DAY, residence_years=years) == []
    assert RULES.check_candidate(office, birth, DAY, residence_years=years - 1) == [
        {"requirement": "residence_years", "required": years, "actual": years - 1}]
    assert RULES.check_candidate(office, birth, DAY)[0]["actual"] is None  # unknown: reported
    assert RULES.check_candidate("maslikhat", born_years_before(30), DAY) == []


@pytest.mark.parametrize("office,full", [("mazhilis", 1_050_000), ("maslikhat", 350_000),
                                         ("president", 3_500_000)])
def test_deposit_and_the_party_bands_at_their_bounds(office, full):
    d = RULES.deposit
    assert d(office) == full == d(office, Fraction(0))
    assert d(office, Fraction(5, 100)) == 0
    assert d(office, Fraction(5, 100) - Fraction(1, 10**6)) == full // 2
    assert d(office, Fraction(3, 100)) == full // 2
    assert d(office, Fraction(3, 100) - Fraction(1, 10**6)) == full * 7 // 10
    assert d(office, Fraction(1, 100)) == full * 7 // 10
    assert d(office, Fraction(1, 100) - Fraction(1, 10**6)) == full


def test_list_quota_at_thirty_percent():
    women = [{"woman": True}] * 3
    men = [{"woman": False, "birth_date": born_years_before(35)}] * 7  # 35 today: not young
    assert RULES.check_list(women + men, DAY)["meets"] is True
    r = RULES.check_list(women[:2] + men, DAY)
    assert (r["meets"], r["qualifying"], r["candidates"]) == (False, 2, 9)
    young = [{"birth_date": born_years_before(35, days=1)}]  # a day short of 35: young
    assert RULES.check_list(women[:2] + young + men, DAY)["meets"] is True
    assert RULES.check_list([], DAY)["meets"] is False


def test_unknown_office_and_rule_set():
    with pytest.raises(LookupError, match="senate"):
        RULES.deposit("senate")
    with pytest.raises(LookupError):
        get_ruleset("kz-mazhilis-2021").candidacy_rules  # noqa: B018


def test_documents_required_by_the_office():
    birth = born_years_before(50)
    docs = {"citizen": True, "kazakh_language": True, "higher_education": True}
    assert RULES.check_candidate("president", birth, DAY, 15, **docs) == []
    no_kazakh = RULES.check_candidate("president", birth, DAY, 15,
                                      **{**docs, "kazakh_language": False})
    assert no_kazakh == [{"requirement": "kazakh_language", "required": True, "actual": False}]
    unknown = RULES.check_candidate("president", birth, DAY, 15, **{**docs, "higher_education": None})
    assert [p["requirement"] for p in unknown] == ["higher_education"]
    # a Mazhilis candidate needs neither the language test nor a degree, only citizenship
    assert RULES.check_candidate("mazhilis", birth, DAY, 10, citizen=True, kazakh_language=False,
                                 higher_education=False) == []
    assert RULES.check_candidate("mazhilis", birth, DAY, 10, citizen=False)[0]["requirement"] \
        == "citizen"


def test_deposit_refund_at_five_percent():
    r = RULES.refund
    assert r("registered", Fraction(5, 100), elected=False) == "returned"
    assert r("registered", Fraction(5, 100) - Fraction(1, 10**6), elected=False) == "forfeited"
    assert r("registered", Fraction(1, 100), elected=True) == "returned"
    assert r("registered", None, elected=False) == "pending"
    assert r("refused", None, False) == "returned"
    assert r("withdrawn", Fraction(1, 2), True) == r("deregistered", None, False) == "forfeited"

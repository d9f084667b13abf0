"""Referendum validity and adoption, with the official 2022 national figures."""

import pytest

from sailau.law import LawInputError, get_ruleset

NATIONAL_2022 = {"registered": 11734642, "yes": 6163516, "no": 1490470, "both": 125859,
                 "invalid": 205924}


def region(registered, yes, no, both=0, invalid=0):
    return {"registered": registered, "yes": yes, "no": no, "both": both, "invalid": invalid}


def test_official_2022_national_figures():
    out = get_ruleset("kz-referendum-2022").outcome({"regions": {"Kazakhstan": NATIONAL_2022}})
    assert out["valid"] is True and out["adopted"] is True
    assert out["participants"] == 7985769  # as published
    assert out["turnout"] == "7985769/11734642"
    # 77.18% published: percentages over all participants, both-marked and invalid included
    num, den = map(int, out["yes_share"].split("/"))
    assert round(100 * num / den, 2) == 77.18
    assert out["regions_required"] == 0


def test_turnout_of_exactly_half_is_not_valid():
    rs = get_ruleset("kz-referendum-2022")
    out = rs.outcome({"regions": {"X": region(100, 40, 10)}})
    assert out["valid"] is False and out["adopted"] is False
    assert rs.outcome({"regions": {"X": region(100, 41, 10)}})["valid"] is True


def test_invalid_and_both_marked_count_against_adoption():
    rs = get_ruleset("kz-referendum-2022")
    # yes 50 of 100 participants (no 40, both 5, invalid 5): not more than half
    assert rs.outcome({"regions": {"X": region(150, 50, 40, 5, 5)}})["adopted"] is False
    assert rs.outcome({"regions": {"X": region(150, 51, 39, 5, 5)}})["adopted"] is True


def test_regions_are_summed_for_an_ordinary_question():
    rs = get_ruleset("kz-referendum-2022")
    out = rs.outcome({"regions": {"N": region(100, 90, 10), "S": region(100, 20, 60)}})
    assert out["regions_with_yes_majority"] == 1
    assert out["yes_share"] == "11/18" and out["adopted"] is True


def constitutional(yes_regions, n=17):
    return {"regions": {f"R{i}": region(100, 60, 40) if i < yes_regions else region(100, 40, 60)
                        for i in range(n)}}


def test_constitutional_needs_two_thirds_of_regions():
    rs = get_ruleset("kz-referendum-constitutional-2022")
    out = rs.outcome(constitutional(12))
    assert out["regions_required"] == 12 and out["adopted"] is True
    assert rs.outcome(constitutional(11))["adopted"] is False
    rs26 = get_ruleset("kz-referendum-constitutional-2026")
    assert rs26.outcome(constitutional(14, 20))["regions_required"] == 14
    assert rs26.outcome(constitutional(14, 20))["adopted"] is True
    assert rs26.outcome(constitutional(13, 20))["adopted"] is False


def test_constitutional_needs_validity_too():
    data = {"regions": {f"R{i}": region(1000, 60, 40) for i in range(17)}}
    out = get_ruleset("kz-referendum-constitutional-2022").outcome(data)
    assert out["regions_with_yes_majority"] == 17 and out["valid"] is False
    assert out["adopted"] is False


@pytest.mark.parametrize("data, field", [
    ({}, "regions"),
    ({"regions": {}}, "regions"),
    ({"regions": {"X": {"registered": 1, "yes": 1, "no": 0, "both": 0}}}, "regions.X.invalid"),
    ({"regions": {"X": region(10, -1, 0)}}, "regions.X.yes"),
    ({"regions": {"X": {**region(10, 1, 0), "maybe": 2}}}, "regions.X.maybe"),
    ({"regions": {"X": region(0, 0, 0)}}, "regions"),
])
def test_referendum_bad_input(data, field):
    with pytest.raises(LawInputError) as exc:
        get_ruleset("kz-referendum-2022").outcome(data)
    assert exc.value.field == field


def test_constitutional_refuses_a_partial_region_list():
    with pytest.raises(LawInputError) as exc:
        get_ruleset("kz-referendum-constitutional-2022").outcome(constitutional(12, 16))
    assert exc.value.field == "regions" and "17" in exc.value.message

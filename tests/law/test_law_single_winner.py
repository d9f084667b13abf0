"""First past the post (districts) and majority-or-runoff (president)."""

import pytest

from sailau.law import LawInputError, get_ruleset

SMD = get_ruleset("kz-smd-2023")
PRESIDENT = get_ruleset("kz-president-2022")


def test_most_votes_wins():
    out = SMD.outcome({"votes": {"A": 30, "B": 45, "C": 25}, "against_all": 60})
    assert out["elected"] == "B" and "tie" not in out
    assert out["valid_votes"] == 160
    assert out["shares"]["B"] == "9/32"


def test_tie_for_first_is_reported():
    out = SMD.outcome({"votes": {"A": 40, "B": 40, "C": 10}})
    assert "elected" not in out
    assert out["tie"] == ["A", "B"]
    assert out["ties"][0]["stage"] == "plurality"


def test_district_refuses_seats():
    with pytest.raises(LawInputError) as exc:
        SMD.outcome({"votes": {"A": 1}, "seats": 2})
    assert exc.value.field == "seats"


def test_majority_includes_against_all_in_valid_votes():
    # 51 of 100 candidate votes, but 51 of 110 valid with against all: not elected
    assert PRESIDENT.outcome({"votes": {"A": 51, "B": 49}})["elected"] == "A"
    out = PRESIDENT.outcome({"votes": {"A": 51, "B": 49}, "against_all": 10})
    assert "elected" not in out and out["runoff"] == ["A", "B"]


def test_exactly_half_is_not_a_majority():
    out = PRESIDENT.outcome({"votes": {"A": 50, "B": 30, "C": 20}})
    assert out["runoff"] == ["A", "B"]
    assert PRESIDENT.outcome({"votes": {"A": 51, "B": 30, "C": 19}})["elected"] == "A"


def test_tie_for_second_place_is_reported():
    out = PRESIDENT.outcome({"votes": {"A": 40, "B": 30, "C": 30}})
    assert out["runoff"] == ["A"] and out["tie"] == ["B", "C"]
    assert out["ties"][0]["places"] == 1


def test_tie_for_first_place():
    assert PRESIDENT.outcome({"votes": {"A": 40, "B": 40, "C": 20}})["runoff"] == ["A", "B"]
    out = PRESIDENT.outcome({"votes": {"A": 30, "B": 30, "C": 30}, "against_all": 10})
    assert out["runoff"] == [] and out["tie"] == ["A", "B", "C"]


def test_single_candidate_without_majority():
    out = PRESIDENT.outcome({"votes": {"A": 40}, "against_all": 60})
    assert "elected" not in out and out["runoff"] == ["A"] and out["note"]


def test_president_input_errors():
    with pytest.raises(LawInputError) as exc:
        PRESIDENT.outcome({"votes": {"A": 1}, "registered": -1})
    assert exc.value.field == "registered"
    with pytest.raises(LawInputError) as exc:
        PRESIDENT.outcome({"votes": {"": 1}})
    assert exc.value.field == "votes"

"""The Senate's rule (`kz-senate-2023`): a joint session's vote counts with more than half of
its electors taking part; elected with more than half of the votes of those who took part,
else a repeat vote of the top two (`kz-senate-2023-repeat`: more votes than the other)."""

import pytest

from sailau.law import LawInputError, get_ruleset, kinds
from sailau.law.outcomes.totals import contest_outcome

RULES = get_ruleset("kz-senate-2023")


def decide(votes, invalid=0, registered=100):
    return RULES.decide({"votes": votes, "invalid": invalid, "registered": registered})


def test_more_than_half_of_those_who_took_part_elects():
    out = decide({"a": 47, "b": 44}, invalid=2)  # 93 took part: 47 is more than half
    assert (out.elected, out.runoff, out.note) == ("a", None, None)


def test_half_of_those_who_took_part_is_not_enough_the_top_two_vote_again():
    out = decide({"a": 45, "b": 40, "c": 10}, invalid=0)
    assert (out.elected, out.runoff) == (None, ("a", "b"))


def test_invalid_ballots_count_among_those_who_took_part():
    # 46 of 90 valid votes would elect under a majority of valid votes; of 98 who took part,
    # it is not more than half.
    out = decide({"a": 46, "b": 44}, invalid=8)
    assert (out.elected, out.runoff) == (None, ("a", "b"))
    assert get_ruleset("kz-president-2022").decide(
        {"votes": {"a": 46, "b": 44}, "invalid": 8}).elected == "a"


def test_without_a_quorum_nobody_is_elected():
    out = decide({"a": 50}, invalid=0, registered=100)  # exactly half took part
    assert (out.elected, out.runoff) == (None, None)
    assert out.note == "no quorum: 50 of 100 electors took part, not more than half"
    assert decide({"a": 51}, registered=100).elected == "a"


def test_a_tie_for_the_second_place_of_the_repeat_vote_is_reported():
    out = decide({"a": 40, "b": 20, "c": 20}, registered=80)
    assert (out.elected, out.runoff, out.tie) == (None, ("a",), ("b", "c"))


def test_the_electors_on_the_list_are_required():
    with pytest.raises(LawInputError, match="electors on the list"):
        RULES.decide({"votes": {"a": 1}})


def test_the_repeat_vote_elects_the_one_with_more_votes():
    repeat = get_ruleset("kz-senate-2023-repeat")
    assert repeat.decide({"votes": {"a": 40, "b": 41}, "invalid": 9}).elected == "b"
    assert repeat.decide({"votes": {"a": 40, "b": 40}}).tie == ("a", "b")


def test_the_kind_gives_the_rule_set_the_electors_from_the_protocol():
    figures = {"voters_on_list": 150, "invalid": 3}
    assert kinds.SENATE.input("kz-senate-2023", figures, {"a": 80, "b": 60}, {}) == {
        "votes": {"a": 80, "b": 60}, "invalid": 3, "registered": 150}
    out = contest_outcome("kz-senate-2023", "senate", figures, {"a": 80, "b": 60}, None,
                          final=True, reported=1, expected=1)
    assert out.result.elected == "a" and out.result.registered == 150
    assert kinds.SENATE.district and kinds.SENATE.one_seat(1)
    assert not RULES.form("senate").against_all


def test_the_rule_set_names_its_sources_and_assumptions():
    d = RULES.describe()
    assert any("arts. 50-51" in s["title"] for s in d["sources"])
    assert any("14 January 2023" in s["title"] for s in d["sources"])
    assert any("quorum" in a for a in d["assumptions"])

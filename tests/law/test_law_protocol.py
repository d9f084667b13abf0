"""The protocol form: each control relation fails when, and only when, it is broken."""

import re

import pytest

from sailau.law import ProtocolInputError, all_rulesets, blocking, get_ruleset
from sailau.law.forms import candidate_form, referendum_form, standard_relations

FORM = get_ruleset("kz-mazhilis-2023").form("party_list")

GOOD = {"voters_on_list": 1000, "ballots_received": 1000, "issued_in_room": 600,
        "issued_mobile": 20, "issued_absentee": 5, "cancelled": 375, "lost": 0,
        "found_stationary": 603, "found_mobile": 20, "mobile_requests": 25, "invalid": 13}
CHOICES = {"A": 400, "B": 150, "against_all": 60}


def codes(figures, choices=CHOICES, form=FORM):
    return [f.code for f in form.check(figures, choices)]


def test_a_consistent_protocol_has_no_findings():
    assert codes(GOOD) == []


@pytest.mark.parametrize("change, choices, expected", [
    ({"ballots_received": 1001}, None, ["F101"]),
    ({"lost": 1}, None, ["F101"]),
    ({"invalid": 14}, None, ["F102"]),
    ({"valid": 611}, None, ["F103"]),
    ({"voters_on_list": 624}, None, ["F104"]),
    ({"found_mobile": 21, "found_stationary": 602}, None, ["W202"]),
    ({"issued_mobile": 26, "cancelled": 369}, None, ["W203"]),
    ({"found_stationary": 606, "found_mobile": 17}, None, ["W204"]),
    ({"found_stationary": 606}, {"A": 403, "B": 150, "against_all": 60}, ["W201", "W204"]),
    ({"mobile_requests": 19}, None, ["F105", "W203"]),
])
def test_each_relation_fails_when_broken(change, choices, expected):
    assert codes({**GOOD, **change}, choices or CHOICES) == expected


def test_valid_line_is_optional_and_checked_when_present():
    assert codes({**GOOD, "valid": 610}) == []
    assert FORM.line("valid").required is False


def test_mobile_box_voided_is_satisfied_when_the_box_is_counted_invalid():
    figures = {**GOOD, "mobile_requests": 19, "invalid": 33}
    assert codes(figures, {"A": 380, "B": 150, "against_all": 60}) == ["W203"]


def test_findings_carry_numbers_in_three_languages():
    (finding,) = FORM.check({**GOOD, "ballots_received": 1003}, CHOICES)
    assert finding.severity == "error" and finding.lines[0] == "ballots_received"
    for lang in ("kk", "ru", "en"):
        assert "1003" in finding.message[lang] and "1000" in finding.message[lang]
        assert "3" in finding.message[lang]
    assert blocking([finding])
    (warning,) = FORM.check({**GOOD, "issued_mobile": 26, "cancelled": 369}, CHOICES)
    assert warning.severity == "warning" and not blocking([warning])
    assert warning.to_json()["code"] == "W203"


def test_referendum_form_counts_both_marked():
    form = get_ruleset("kz-referendum-2022").form()
    figures = {**GOOD, "both_marked": 10}
    choices = {"yes": 500, "no": 100}  # 600 + 13 invalid + 10 both = 623 found
    assert codes(figures, choices, form) == []
    assert codes({**figures, "both_marked": 11}, choices, form) == ["F102"]


def test_rule_set_may_change_a_severity():
    rels = {r.code for r in standard_relations(severity={"203": "error"})}
    assert "F203" in rels and "W203" not in rels
    form = candidate_form("x", severity={"203": "error"})
    assert blocking(form.check({**GOOD, "issued_mobile": 26, "cancelled": 369}, CHOICES))


def test_codes_are_stable_and_unique():
    form = candidate_form("x")
    assert [r.code for r in form.relations] == [
        "F101", "F102", "F103", "F104", "F105", "W201", "W202", "W203", "W204", "W301"]
    for rel in form.relations:
        assert set(rel.lines) <= set(form.keys)
        assert all(rel.explanation[lang] for lang in ("kk", "ru", "en"))


def test_validate_cleans_strings_of_digits():
    raw = {k: str(v) for k, v in GOOD.items()}
    figures, choices = FORM.validate(raw, {"A": "400", "B": 150, "against_all": 60},
                                     expected_choices=["A", "B"])
    assert figures == GOOD and choices == CHOICES


@pytest.mark.parametrize("figures, choices, field", [
    ({k: v for k, v in GOOD.items() if k != "lost"}, CHOICES, "figures.lost"),
    ({**GOOD, "invalid": -1}, CHOICES, "figures.invalid"),
    ({**GOOD, "invalid": "-1"}, CHOICES, "figures.invalid"),
    ({**GOOD, "invalid": 1.5}, CHOICES, "figures.invalid"),
    ({**GOOD, "invalid": "12a"}, CHOICES, "figures.invalid"),
    ({**GOOD, "invalid": True}, CHOICES, "figures.invalid"),
    ({**GOOD, "turnout": 3}, CHOICES, "figures.turnout"),
    ({**GOOD, "both_marked": 3}, CHOICES, "figures.both_marked"),
    (GOOD, {**CHOICES, "C": 1}, "choices.C"),
    (GOOD, {"A": 1, "against_all": 0}, "choices.B"),
    (GOOD, {**CHOICES, "A": -4}, "choices.A"),
])
def test_validate_refuses_bad_entries(figures, choices, field):
    with pytest.raises(ProtocolInputError) as exc:
        FORM.validate(figures, choices, expected_choices=["A", "B"])
    assert exc.value.field == field


def test_against_all_only_where_the_ballot_has_it():
    form_2021 = get_ruleset("kz-mazhilis-2021").form()
    assert form_2021.against_all is False
    with pytest.raises(ProtocolInputError) as exc:
        form_2021.validate(GOOD, CHOICES)
    assert exc.value.field == "choices.against_all"


def test_referendum_choices_are_yes_and_no():
    form = referendum_form()
    with pytest.raises(ProtocolInputError) as exc:
        form.validate({**GOOD, "both_marked": 0}, {"yes": 1})
    assert exc.value.field == "choices.no"
    form.validate({**GOOD, "both_marked": 0}, {"yes": 1, "no": 2})


def test_form_describes_itself():
    desc = FORM.to_json()
    assert [ln["key"] for ln in desc["lines"]][:3] == ["voters_on_list", "ballots_received",
                                                      "issued_in_room"]
    assert desc["relations"][0]["code"] == "F101"
    numbers = [ln["number"] for ln in desc["lines"]]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


@pytest.mark.parametrize("listed, registered, expected", [
    (1000, 86, ["W301"]),    # an embassy's 86 voters typed as 1,000
    (106, 86, []),           # 20 added on the day: the floor for a small station
    (107, 86, ["W301"]),
    (1100, 1000, []),        # 10 % added on the day
    (1101, 1000, ["W301"]),
    (1000, None, []),        # no register given: the relation does not apply
])
def test_line_1_against_the_register_before_election_day(listed, registered, expected):
    """W301: more voters on the list than the register before the day plus those a station may
    add on the day (10 %, at least 20); a warning, since a station can really receive them."""
    figures = {"voters_on_list": listed, "ballots_received": 100, "issued_in_room": 80,
               "issued_mobile": 0, "issued_absentee": 0, "cancelled": 20, "lost": 0,
               "found_stationary": 80, "found_mobile": 0, "mobile_requests": 0, "invalid": 0}
    found = FORM.check(figures, {"A": 50, "B": 30, "against_all": 0}, registered=registered)
    assert [f.code for f in found] == expected
    if expected:
        f = found[0]
        assert f.severity == "warning" and f.lines == ("voters_on_list",)
        assert f"({listed})" in f.message["ru"] and f"({registered})" in f.message["ru"]
        assert str(listed - registered) in f.message["en"] and not blocking(found)


# An election's words for those on the lists and for the day, as whole words.
ELECTION_WORDS = {"kk": r"[Сс]айлаушы\w*|[Сс]айлау күн\w*|[Сс]айлау учаске\w*",
                  "ru": r"[Ии]збирател\w*|[Вв]ыбор(ы|ов|ам|ах)",
                  "en": r"[Vv]oters?|[Ee]lection day|[Pp]olling station\w*"}


def _form_words(form, lang):
    texts = [ln.label for ln in form.lines]
    texts += [t for rel in form.relations for t in (rel.explanation, rel.message)]
    return [t[lang] for t in texts]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_referendum_protocol_counts_citizens_on_the_lists_not_voters(lang):
    """Each referendum rule set's protocol (its lines, its relations' explanations and
    messages) speaks of the citizens on the lists and the day of the vote; the elections'
    protocol keeps its voters and its election day."""
    words = re.compile(rf"(?<!\w)({ELECTION_WORDS[lang]})(?!\w)")
    referendums = [rs for rs in all_rulesets() if "referendum" in rs.contest_kinds]
    assert len(referendums) >= 3
    for rs in referendums:
        said = [w for w in _form_words(rs.form("referendum"), lang) if words.search(w)]
        assert said == [], (rs.name, said)
    assert referendums[0].form("referendum").line("voters_on_list").label["en"].startswith("Citizens")
    # the same relations of an election still speak of its voters
    assert any(words.search(w) for w in _form_words(FORM, lang))

"""Party-list outcomes: the official 2023 and 2021 results, thresholds, runner-up, quota, errors."""

import copy

import pytest

from sailau.law import LawInputError, get_ruleset

OFFICIAL_2023 = {
    "votes": {"Amanat": 3431510, "Auyl": 693938, "Respublica": 547154, "Ak Zhol": 535139,
              "QHP": 432920, "JSDP": 331058, "Baytaq": 146431},
    "against_all": 248291,
}
OFFICIAL_2021 = {
    "votes": {"Nur Otan": 5148074, "Ak Zhol": 792828, "QHP": 659019, "Auyl": 383023,
              "Adal": 258618},
    "invalid": 297718,
}


def test_official_2023_mazhilis_result():
    out = get_ruleset("kz-mazhilis-2023").outcome(copy.deepcopy(OFFICIAL_2023))
    assert out["seats"] == {"Amanat": 40, "Auyl": 8, "Respublica": 6, "Ak Zhol": 6, "QHP": 5,
                            "JSDP": 4, "Baytaq": 0}
    assert out["admitted"] == ["Amanat", "Auyl", "Respublica", "Ak Zhol", "QHP", "JSDP"]
    # quota = admitted votes / 69, exactly
    assert out["quota"] == "1990573/23"
    assert sum(OFFICIAL_2023["votes"].values()) - 146431 == 1990573 * 3
    assert out["votes_total"] == 6366441
    assert out["ties"] == [] and out["unallocated"] == 0
    assert out["quota_check"]["checked"] is False


def test_against_all_counts_in_the_threshold_base():
    # JSDP has 5.2% of all party votes + against all; without "against all" in the base it
    # would pass too, so make a case where against_all decides: 50 of 1000 passes, of 1001 not.
    rs = get_ruleset("kz-mazhilis-2023")
    data = {"votes": {"A": 950, "B": 50}}
    assert rs.outcome(data)["admitted"] == ["A", "B"]
    data["against_all"] = 1
    assert rs.outcome(data)["admitted"] == ["A"]


def test_official_2021_mazhilis_result():
    out = get_ruleset("kz-mazhilis-2021").outcome(copy.deepcopy(OFFICIAL_2021))
    assert out["seats"] == {"Nur Otan": 76, "Ak Zhol": 12, "QHP": 10, "Auyl": 0, "Adal": 0}
    assert out["seats_total"] == 98


def test_2021_runner_up_rule_admits_the_second_list():
    out = get_ruleset("kz-mazhilis-2021").outcome(
        {"votes": {"A": 900, "B": 60, "C": 40}, "invalid": 0})
    assert out["passed_threshold"] == ["A"]
    assert out["admitted"] == ["A", "B"]
    assert out["seats"]["B"] == 6 and out["seats"]["A"] == 92 and out["seats"]["C"] == 0
    assert out["notes"]


def test_2021_runner_up_tie_is_reported_and_nobody_added():
    out = get_ruleset("kz-mazhilis-2021").outcome(
        {"votes": {"A": 900, "B": 50, "C": 50}, "invalid": 0})
    assert out["admitted"] == ["A"]
    assert out["ties"][0]["stage"] == "runner_up"
    assert out["ties"][0]["names"] == ["B", "C"]
    assert out["seats"]["A"] == 98


def test_2021_threshold_is_over_participants():
    rs = get_ruleset("kz-mazhilis-2021")
    data = {"votes": {"A": 600, "B": 330, "C": 70}, "invalid": 0}
    assert rs.outcome(data)["passed_threshold"] == ["A", "B", "C"]
    data["invalid"] = 10  # 70 of 1010 < 7%
    assert rs.outcome(data)["passed_threshold"] == ["A", "B"]
    with pytest.raises(LawInputError) as exc:
        rs.outcome({"votes": {"A": 1}})
    assert exc.value.field == "invalid"
    with pytest.raises(LawInputError) as exc:
        rs.outcome({"votes": {"A": 1}, "invalid": 0, "against_all": 3})
    assert exc.value.field == "against_all"


def test_nobody_passes():
    out = get_ruleset("kz-mazhilis-2023").outcome({"votes": {"A": 0, "B": 0}, "against_all": 5})
    assert out["admitted"] == [] and out["unallocated"] == 69 and out["quota"] is None
    assert out["notes"]


def test_remainder_tie_resolved_by_registration_order():
    rs = get_ruleset("kz-maslikhat-2023")
    data = {"votes": {"A": 100, "B": 100}, "seats": 3, "registration_order": ["B", "A"]}
    out = rs.outcome(data)
    assert out["seats"] == {"B": 2, "A": 1}
    assert out["ties"][0]["chosen"] == ["B"] and out["ties"][0]["resolved_by"] == "registration_order"
    del data["registration_order"]
    out = rs.outcome(data)
    assert out["seats"] == {"A": 1, "B": 1} and out["unallocated"] == 1
    assert out["ties"][0]["resolved_by"] is None


def test_maslikhat_needs_seats_and_mazhilis_refuses_other_seats():
    with pytest.raises(LawInputError) as exc:
        get_ruleset("kz-maslikhat-2023").outcome({"votes": {"A": 1}})
    assert exc.value.field == "seats"
    with pytest.raises(LawInputError) as exc:
        get_ruleset("kz-maslikhat-2023").outcome({"votes": {"A": 1}, "seats": 0})
    assert exc.value.field == "seats"
    with pytest.raises(LawInputError) as exc:
        get_ruleset("kz-mazhilis-2023").outcome({**OFFICIAL_2023, "seats": 70})
    assert exc.value.field == "seats"
    assert get_ruleset("kz-mazhilis-2023").outcome({**OFFICIAL_2023, "seats": 69})["seats_total"] == 69


@pytest.mark.parametrize("data, field", [
    ({}, "votes"),
    ({"votes": {}}, "votes"),
    ({"votes": {"A": -1}}, "votes.A"),
    ({"votes": {"A": 1.5}}, "votes.A"),
    ({"votes": {"A": True}}, "votes.A"),
    ({"votes": {"A": "12"}}, "votes.A"),
    ({"votes": {"A": 1}, "against_all": -2}, "against_all"),
    ({"votes": {"A": 1}, "vote": 3}, "vote"),
    ({"votes": {"A": 1, "B": 2}, "registration_order": ["A"]}, "registration_order"),
    ({"votes": {"A": 1}, "registration_order": ["A", "Z"]}, "registration_order[1]"),
    ({"votes": {"A": 1}, "registration_order": ["A", "A"]}, "registration_order[1]"),
    ([1, 2], "input"),
])
def test_bad_input_names_the_field(data, field):
    with pytest.raises(LawInputError) as exc:
        get_ruleset("kz-mazhilis-2023").outcome(data)
    assert exc.value.field == field


def test_comment_keys_are_ignored():
    out = get_ruleset("kz-mazhilis-2023").outcome({**OFFICIAL_2023, "_source": "CEC"})
    assert out["seats"]["Amanat"] == 40


def _lists():
    return {
        "A": [{"name": "a1"}, {"name": "a2", "woman": True}, {"name": "a3"},
              {"name": "a4", "disability": True}],
        "B": [{"name": "b1", "birth_date": "1990-03-20"}, {"name": "b2"}],
    }


def test_quota_check_on_seats_received():
    data = {"votes": {"A": 700, "B": 300}, "seats": 3, "lists": _lists(),
            "election_date": "2023-03-19"}
    out = get_ruleset("kz-maslikhat-2023").outcome(data)
    qc = out["quota_check"]
    assert out["seats"] == {"A": 2, "B": 1}
    assert qc["checked"] is True
    assert qc["parties"]["A"]["elected"] == ["a1", "a2"]
    assert qc["parties"]["A"]["share"] == "1/2" and qc["parties"]["A"]["meets"] is True
    # b1, born 1990-03-20, is 32 on election day: young
    assert qc["parties"]["B"]["qualifying"] == 1 and qc["parties"]["B"]["meets"] is True
    assert qc["all_meet"] is True
    # born 1988-03-19: exactly 35 on election day → not young (under 35)
    data["lists"]["B"][0]["birth_date"] = "1988-03-19"
    qc = get_ruleset("kz-maslikhat-2023").outcome(data)["quota_check"]
    assert qc["parties"]["B"]["meets"] is False and qc["all_meet"] is False


def test_quota_check_below_30_percent_and_vacant_seats():
    lists = {"A": [{"name": f"a{i}"} for i in range(10)], "B": [{"name": "b1", "woman": True}]}
    lists["A"][2]["woman"] = True
    lists["A"][9]["youth"] = True
    data = {"votes": {"A": 800, "B": 200}, "seats": 10, "lists": lists}
    qc = get_ruleset("kz-maslikhat-2023").outcome(data)["quota_check"]
    a, b = qc["parties"]["A"], qc["parties"]["B"]
    assert (a["seats"], a["qualifying"], a["share"], a["meets"]) == (8, 1, "1/8", False)
    assert (b["seats"], b["vacant"], b["elected"], b["meets"]) == (2, 1, ["b1"], True)


def test_quota_check_errors():
    rs = get_ruleset("kz-maslikhat-2023")
    base = {"votes": {"A": 700, "B": 300}, "seats": 3}
    with pytest.raises(LawInputError) as exc:
        rs.outcome({**base, "lists": {"A": [{"name": "a", "birth_date": "1990-01-01"}]}})
    assert exc.value.field == "election_date"
    with pytest.raises(LawInputError) as exc:
        rs.outcome({**base, "lists": {"Z": []}})
    assert exc.value.field == "lists.Z"
    with pytest.raises(LawInputError) as exc:
        rs.outcome({**base, "lists": {"A": [{"name": "a", "woman": "yes"}]}})
    assert exc.value.field == "lists.A[0].woman"
    with pytest.raises(LawInputError) as exc:
        rs.outcome({**base, "lists": {"A": [{"name": "a"}], "B": [{"name": "b"}]}})
    assert exc.value.field == "seats"  # 3 seats, 2 candidates in all admitted lists


def test_maslikhat_threshold_boundary_counts_against_all():
    # 5 % of the votes for lists and "against all" (maslikhats as the Mazhilis):
    # 50 of 1,000 reaches it, 49 of 1,000 does not, on the maslikhat's own list seats.
    rs = get_ruleset("kz-maslikhat-2023")
    at = rs.outcome({"votes": {"A": 900, "B": 50}, "against_all": 50, "seats": 10})
    assert at["passed_threshold"] == ["A", "B"] and sum(at["seats"].values()) == 10
    below = rs.outcome({"votes": {"A": 900, "B": 49}, "against_all": 51, "seats": 10})
    assert below["passed_threshold"] == ["A"] and below["seats"] == {"A": 10, "B": 0}

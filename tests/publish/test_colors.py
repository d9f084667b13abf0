"""Each choice's colour: its party's unless too close to one given before it in the contest."""

from types import SimpleNamespace

from sailau.publish.pages.colors import MIN_DELTA_E, NO_PARTY, choice_colors, delta_e, distinct

# The demo's Mazhilis 2023 parties in ballot order, with their own colours.
MAZHILIS = ["#1f5fa8", "#d9a404", "#3a8f3a", "#b22222", "#e4572e", "#2e8b57", "#6a3d9a"]


def _choice(key, order, color=None):
    party = SimpleNamespace(color=color) if color else None
    return SimpleNamespace(key=key, order=order, party_id=1 if color else None, party=party)


def test_lab_distance_of_known_colours():
    assert delta_e("#ffffff", "#000000") == __import__("pytest").approx(100, abs=0.1)
    assert delta_e("#3a8f3a", "#2e8b57") < MIN_DELTA_E  # AUYL and Baytaq: both green


def test_two_greens_are_told_apart_and_the_others_keep_theirs():
    got = distinct(MAZHILIS)
    assert got[:5] == MAZHILIS[:5] and got[6] == MAZHILIS[6]
    assert got[5] != MAZHILIS[5]
    assert all(delta_e(a, b) >= MIN_DELTA_E for i, a in enumerate(got) for b in got[:i])


def test_candidates_without_a_party_get_distinct_colours_and_against_all_is_grey():
    choices = [_choice(f"c{i}", i) for i in range(5)] + [_choice("against_all", 9)]
    got = choice_colors(choices)
    assert got["against_all"] == NO_PARTY
    colors = [got[f"c{i}"] for i in range(5)]
    assert len(set(colors)) == 5
    assert all(delta_e(c, NO_PARTY) >= MIN_DELTA_E for c in colors)


def test_a_bad_party_colour_is_replaced():
    got = choice_colors([_choice("a", 1, "blue"), _choice("b", 2, "#12345g")])
    assert len(set(got.values())) == 2 and all(v.startswith("#") for v in got.values())

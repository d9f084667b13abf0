"""Properties of the party-list outcome, on random inputs (hypothesis)."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from sailau.law import get_ruleset

MAZHILIS = get_ruleset("kz-mazhilis-2023")
MASLIKHAT = get_ruleset("kz-maslikhat-2023")

names = st.lists(st.text("ABCDEFGHJK", min_size=1, max_size=3), min_size=1, max_size=8,
                 unique=True)


@st.composite
def elections(draw, max_votes=10**7):
    parties = draw(names)
    votes = {p: draw(st.integers(0, max_votes)) for p in parties}
    against = draw(st.integers(0, max_votes // 10))
    order = draw(st.permutations(parties))
    seats = draw(st.integers(1, 150))
    return {"votes": votes, "against_all": against, "registration_order": list(order),
            "seats": seats}


def reference_seats(votes, against_all, seats, order):
    """Independent computation in integers only: 5% test as 20·v ≥ base, quotient as divmod of
    v·seats by the admitted total, remainders compared as integers over the same denominator."""
    base = sum(votes.values()) + against_all
    admitted = [p for p, v in votes.items() if base and 20 * v >= base]
    total = sum(votes[p] for p in admitted)
    result = {p: 0 for p in votes}
    if total == 0:
        return result
    rems = {}
    for p in admitted:
        result[p], rems[p] = divmod(votes[p] * seats, total)
    left = seats - sum(result.values())
    rank = {p: i for i, p in enumerate(order)}
    for p in sorted(admitted, key=lambda p: (-rems[p], rank[p]))[:left]:
        result[p] += 1
    return result


@settings(max_examples=300, deadline=None)
@given(elections())
def test_agrees_with_independent_computation(data):
    out = MASLIKHAT.outcome(data)
    assert out["seats"] == reference_seats(data["votes"], data["against_all"], data["seats"],
                                           data["registration_order"])


@settings(max_examples=200, deadline=None)
@given(elections())
def test_seats_add_up_and_below_threshold_get_none(data):
    out = MASLIKHAT.outcome(data)
    base = sum(data["votes"].values()) + data["against_all"]
    if out["admitted"]:
        assert sum(out["seats"].values()) == data["seats"]
    for party, v in data["votes"].items():
        if 100 * v < 5 * base:
            assert out["seats"][party] == 0
            assert party not in out["admitted"]


@settings(max_examples=200, deadline=None)
@given(elections(), st.data())
def test_more_votes_never_fewer_seats(data, more):
    party = more.draw(st.sampled_from(sorted(data["votes"])))
    extra = more.draw(st.integers(1, 10**6))
    before = MASLIKHAT.outcome(data)["seats"][party]
    data["votes"][party] += extra
    after = MASLIKHAT.outcome(data)["seats"][party]
    assert after >= before


@settings(max_examples=150, deadline=None)
@given(elections(), st.randoms(use_true_random=False))
def test_input_order_does_not_matter(data, rnd: random.Random):
    out = MASLIKHAT.outcome(data)
    items = list(data["votes"].items())
    rnd.shuffle(items)
    shuffled = {**data, "votes": dict(items)}
    again = MASLIKHAT.outcome(shuffled)
    assert again == out
    assert list(again["seats"]) == list(out["seats"])  # same presentation order too


@settings(max_examples=100, deadline=None)
@given(elections())
def test_fixed_69_seats_add_up(data):
    data = {k: v for k, v in data.items() if k != "seats"}
    out = MAZHILIS.outcome(data)
    assert sum(out["seats"].values()) + out["unallocated"] == 69

"""The `contests` leaf's version 3 example in docs/log-leaves.md is what the code makes, its leaf
hash the one printed; its `ballot` names every choice once, in the ballot's order; a version-1
`contests` or `structure-change` leaf of a log published before still reads, and neither version
takes the other's members."""

import datetime as dt
import re

import pytest

from sailau.tlog import leaves, merkle
from tests.logfixture import canonical
from tests.tlog import docvector

E = "kz.mazhilis.2023-03-19"
WHEN = dt.datetime(2023, 3, 10, 9, 0, tzinfo=dt.UTC)
CONTEST = {"id": f"{E}.list", "kind": "party_list", "ruleset": "kz-mazhilis-2023", "seats": 69,
           "commission": f"{E}.cec",
           "name": {"kk": "Партиялық тізімдер", "ru": "Партийные списки", "en": "Party lists"},
           "choices": {"amanat": {"name": {"kk": "AMANAT"}, "party": f"{E}.party.amanat"},
                       "respublica": {"name": {"kk": "RESPUBLICA"},
                                      "party": f"{E}.party.respublica"},
                       "against_all": {"name": {"kk": "Барлығына қарсы", "ru": "Против всех"},
                                       "party": None}},
           "ballot": ["respublica", "amanat", "against_all"]}


def test_the_documents_example_is_the_codes_leaf():
    data, digest = docvector.example("Example of a `contests` leaf of version 3")
    made = leaves.make("contests", E, WHEN, part=1, of=1, contests=[CONTEST])
    assert made == data and merkle.leaf_hash(data).hex() == digest
    leaf = leaves.decode(data, 2)
    # the order is the ballot's, not the keys' (which canonical JSON sorts)
    assert leaf["v"] == 3 and leaf["contests"][0]["ballot"] == ["respublica", "amanat",
                                                                "against_all"]


def test_a_log_published_before_still_reads():
    old = {k: v for k, v in CONTEST.items() if k != "ballot"}
    frame = {"type": "contests", "election": E, "at": "2023-03-10T09:00:00Z", "part": 1, "of": 1}
    assert leaves.decode(canonical({"v": 1, **frame, "contests": [old]}), 2)["v"] == 1
    with pytest.raises(leaves.LeafError, match=r"leaf 2: contests\[0\].ballot: is not a member"):
        leaves.decode(canonical({"v": 1, **frame, "contests": [CONTEST]}), 2)
    with pytest.raises(leaves.LeafError, match=r"leaf 2: contests\[0\].ballot: is missing"):
        leaves.decode(canonical({"v": 2, **frame, "contests": [old]}), 2)
    change = {"type": "structure-change", "election": E, "at": "2023-03-10T09:00:00Z",
              "witnesses": None, "reason": "a contest added"}
    assert leaves.decode(canonical({"v": 1, **change, "contests": [old]}), 9)["v"] == 1
    assert leaves.decode(canonical({"v": 2, **change, "contests": [CONTEST]}), 9)["v"] == 2
    with pytest.raises(leaves.LeafError, match=r"leaf 9: contests\[0\].ballot: is missing"):
        leaves.decode(canonical({"v": 2, **change, "contests": [old]}), 9)


@pytest.mark.parametrize("ballot, problem", [
    (["respublica", "amanat"], "leaves out the choice 'against_all'"),
    (["respublica", "amanat", "against_all", "amanat"], "names 'amanat' twice"),
    (["respublica", "amanat", "against_all", "nurotan"], "names 'nurotan', not a key of choices"),
    (["respublica", "", "against_all"], "ballot[1]: '' is not a non-empty string"),
])
def test_a_ballot_that_is_not_the_choices_is_refused(ballot, problem):
    with pytest.raises(leaves.LeafError, match=re.escape(f"contests[0].{problem}")
                       if "[1]" in problem else re.escape(f"contests[0].ballot: {problem}")):
        leaves.make("contests", E, WHEN, part=1, of=1, contests=[{**CONTEST, "ballot": ballot}])

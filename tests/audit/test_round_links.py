"""`sailau audit verify` holds a presidential second round's link to its first round, and back
(`audit.logcheck.round_links`): each names an election of the database whose log names it."""

import datetime as dt

from sailau.audit import logcheck
from sailau.audit.logview import Views
from sailau.tlog import leaves

AT = dt.datetime(2019, 6, 11, 9, 30, tzinfo=dt.UTC)
FIRST, SECOND = "kz.president.2019-06-09", "kz.president.2019-06-09.round2"


def first_round_leaf(first=FIRST):
    return leaves.make("first-round", SECOND, AT, first_round={
        "election": first, "origin": f"sailau.kz/{first}", "contest": f"{first}.president",
        "size": 12, "root": "ITUUZTlR9Cxm4oj/+rKYawajpxEr6WZu7L/m3kr99RE=",
        "runoff": ["a", "b"]})


def second_round_leaf(second=SECOND):
    return leaves.make("second-round", FIRST, AT, second_round={
        "election": second, "origin": f"sailau.kz/{second}", "contest": f"{second}.president",
        "date": "2019-06-23"})


def findings(views, elections=(FIRST, SECOND)):
    return [str(f) for eid in sorted(views)
            for f in logcheck.round_links(views[eid], views, set(elections))]


def test_two_rounds_that_name_each_other_pass():
    views = Views()
    views.add(SECOND, 1, 5, first_round_leaf())
    views.add(FIRST, 2, 40, second_round_leaf())
    assert findings(views) == []


def test_a_link_to_an_election_not_in_the_database_or_not_naming_it_back_is_named():
    views = Views()
    views.add(SECOND, 1, 5, first_round_leaf())
    views.add(FIRST, 2, 40, second_round_leaf("kz.president.2019-06-09.other"))
    got = findings(views, (FIRST, SECOND))
    assert any("its second round: kz.president.2019-06-09.other, named in log leaf 40, is not "
               "in the database" in f for f in got), got
    assert any(f"{SECOND}, its first round: {FIRST}, named in log leaf 5, names no "
               f"second-round {SECOND}" in f for f in got), got


def test_a_second_second_round_leaf_is_named():
    views = Views()
    views.add(SECOND, 1, 5, first_round_leaf())
    views.add(FIRST, 2, 40, second_round_leaf())
    views.add(FIRST, 3, 41, second_round_leaf())
    assert any("a second second-round leaf (the first is log leaf 40)" in f
               for f in findings(views)), findings(views)

"""The comparison names exactly the figures that differ, whatever they are."""

from hypothesis import given, settings
from hypothesis import strategies as st

from sailau.law import get_ruleset
from sailau.protocols.models import Protocol
from sailau.scans import service
from sailau.verify import qr

FORM = get_ruleset("kz-mazhilis-2023").form("party_list")
KEYS = ["a", "b", "c", "against_all"]
figure = st.integers(0, 10**6)


@settings(max_examples=150, deadline=None)
@given(printed=st.fixed_dictionaries({ln.key: figure for ln in FORM.lines}),
       votes=st.fixed_dictionaries({k: figure for k in KEYS}),
       changes=st.dictionaries(st.sampled_from([ln.key for ln in FORM.lines] + KEYS),
                               st.integers(1, 50), max_size=5))
def test_mismatches_are_exactly_the_changed_figures(printed, votes, changes):
    payload = qr.build("s", "c", 1, *qr.ordered(printed, votes, FORM.keys, KEYS))
    figures = {k: v + changes.get(k, 0) for k, v in printed.items()}
    choices = {k: v + changes.get(k, 0) for k, v in votes.items()}
    definitive = Protocol(version=1, figures=figures, choices=choices)  # never saved
    status, reason, diffs = service.compare(payload, definitive, FORM, KEYS)
    assert {d["line"] for d in diffs} == set(changes)
    assert (status, reason) == (("mismatch", "figures") if changes else ("match", ""))
    for d in diffs:
        assert d["definitive"] - d["printed"] == changes[d["line"]]


def test_a_payload_of_another_shape_is_not_compared_line_by_line():
    payload = qr.build("s", "c", 1, [1, 2, 3], [4])
    definitive = Protocol(version=1, figures={k: 1 for k in FORM.keys},
                          choices=dict.fromkeys(KEYS, 0))
    status, reason, diffs = service.compare(payload, definitive, FORM, KEYS)
    assert (status, reason) == ("mismatch", "shape")
    assert diffs[0]["printed"] == [3, 1] and diffs[0]["definitive"] == [len(FORM.lines), 4]

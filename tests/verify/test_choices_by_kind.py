"""The verifier counts the choices it checked against the log's structure by their contest's
kind: a referendum's answers and a president's candidates are not "parties"."""

from types import SimpleNamespace

from sailau.verify.logleaves import check_parties
from sailau.verify.report import Report


def test_choices_are_counted_as_lists_candidates_or_answers():
    leaves = SimpleNamespace(contests={
        "list": {"choices": {k: {"party": k} for k in ("a", "b", "c", "d", "e", "f", "g")}},
        "pres": {"choices": {"x": {"party": None}, "y": {"party": "a"}}},
        "ref": {"choices": {"yes": {"party": None}, "no": {"party": None}}}})
    election = {"contests": [
        {"id": "list", "kind": "party_list",
         "choices": [{"key": k, "party": k} for k in ("a", "b", "c", "d", "e", "f", "g")]},
        {"id": "pres", "kind": "president",
         "choices": [{"key": "x", "party": None}, {"key": "y", "party": "a"}]},
        {"id": "ref", "kind": "referendum",
         "choices": [{"key": "yes", "party": None}, {"key": "no", "party": None}]}]}
    report = Report("test")
    check_parties(leaves, election, report)
    assert report.passed
    assert dict(report.held) == {"party lists": 7, "candidates": 2, "answers": 2}

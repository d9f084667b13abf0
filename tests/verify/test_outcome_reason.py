"""`sailau verify` decides a contest's outcome again from the station files, and with it why none
is decided (`outcome.reason`, outcome.json format 2): a constitutional question over a structure
of 2 territories, which the law counts as 17 regions. A file of the first format (no `format`,
no reason) still verifies; a reason that is not the rule set's is named."""

from collections import Counter

from sailau.verify.report import Report
from sailau.verify.totals import Sum, check_outcomes

CONTEST = {"id": "ref", "kind": "referendum", "ruleset": "kz-referendum-constitutional-2022",
           "commission": "cec", "seats": 1}
ERROR = ("regions: kz-referendum-constitutional-2022 counts 17 regions; the input has 2 (every "
         "region is needed to count two-thirds)")


def _check(outcome_doc: dict) -> Report:
    fig = Counter({"voters_on_list": 1000, "invalid": 3, "both_marked": 9})
    totals = {("ref", "cec"): Sum(fig + fig, Counter({"yes": 1046, "no": 310}), 2, 2),
              ("ref", "t1"): Sum(fig, Counter({"yes": 523, "no": 155}), 1, 1),
              ("ref", "t2"): Sum(fig, Counter({"yes": 523, "no": 155}), 1, 1)}
    docs = {"commissions/t1.json": {"id": "t1", "level": "territorial"},
            "commissions/t2.json": {"id": "t2", "level": "territorial"},
            "contests/ref/outcome.json": outcome_doc}
    report = Report("test")
    check_outcomes(docs, {"contests": [CONTEST]}, totals, report)
    return report


def _doc(outcome: dict, **more) -> dict:
    return {**more, "contest": "ref", "registration_order": [], "computed": False,
            "outcome": outcome}


def test_the_reason_is_decided_again():
    reason = {"code": "regions_count", "field": "regions", "counted": 17, "given": 2}
    ok = _check(_doc({"status": "final", "error": ERROR, "reason": reason},
                     format="sailau-outcome/2"))
    assert ok.passed, ok.failures
    forged = _check(_doc({"status": "final", "error": ERROR, "reason": {**reason, "given": 17}},
                         format="sailau-outcome/2"))
    assert [f.check for f in forged.failures] == ["outcomes"]


def test_a_file_of_the_first_format_has_no_reason_and_verifies():
    old = _check(_doc({"status": "final", "error": ERROR}))
    assert old.passed, old.failures
    assert not _check(_doc({"status": "final", "error": ERROR}, format="sailau-outcome/2")).passed

"""The demo's nominations: every ballot candidate registered, the applicants off the ballot in
2023's proportions, appeals both ways and pending, the planted violations flagged."""

from collections import Counter

from sailau.candidates.models import Appeal, Decision, Nomination
from sailau.elections.models import Candidate


def test_demo_nominations(small_structure):
    from sailau.demo.candidates import generate
    from sailau.elections.models import Election

    election = Election.objects.get()
    out = generate(election, seed=7)
    assert out["nominations"] == Nomination.objects.count() > Candidate.objects.count()
    ballot = Candidate.objects.count()
    assert Nomination.objects.filter(candidate__isnull=False).count() == ballot
    assert set(Candidate.objects.values_list("status", flat=True)) == {"registered"}
    people = Nomination.objects.filter(kind="nomination", contest__kind="single_member")
    status = Counter(people.values_list("status", flat=True))
    n = sum(status.values())
    assert 0.12 < status["refused"] / n < 0.30 and status["withdrawn"] and status["deregistered"]
    reasons = Counter(Decision.objects.filter(decision="deregistered")
                      .values_list("reason", flat=True))
    assert reasons["tax_declaration"] > reasons["early_campaigning"]
    outcomes = set(Appeal.objects.values_list("outcome", flat=True))
    assert outcomes == {"upheld", "overturned", "pending"}
    flagged = Counter(f["requirement"] for x in Nomination.objects.exclude(findings=[])
                      for f in x.findings)
    assert flagged["residence_years"] >= 2 and flagged["min_age"] >= 1 and flagged["deposit"] >= 1
    # the planted ones the commission registered anyway: both the finding and the decision kept
    planted = [x for x in Nomination.objects.filter(status="registered").exclude(findings=[])
               if any(f["requirement"] == "residence_years" and f["actual"] == 9
                      for f in x.findings)]
    assert len(planted) == 2

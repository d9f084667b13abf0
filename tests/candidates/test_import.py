"""`services.import_batch`: nominations, decisions and appeals stored all or nothing; the rule
set's requirements found at nomination; statuses from decisions and appeals; the audit record."""

import pytest

from sailau.audit.models import Record
from sailau.candidates import public, services
from sailau.candidates.models import Batch, Decision, Nomination
from sailau.elections.models import Candidate
from sailau.errors import BadInput, Conflict
from tests.candidates.conftest import appeal, csv_of, decision, party_list, person


def run(election, *rows):
    return services.import_batch(election, csv_of(*rows), "n.csv", "tester")


def test_a_registered_candidate_with_deposit_and_ballot_link(election):
    run(election, person("a"), decision("a", "registered"))
    nom = Nomination.objects.get(key="a")
    assert (nom.status, nom.office, nom.deposit_due, nom.findings) == (
        "registered", "mazhilis", 1_050_000, [])
    assert nom.candidate_id == f"{election.id}.smd.1.c1"
    d = nom.decisions.get()
    assert (d.reason, d.body) == ("requirements_met", f"{election.id}.smdc.1")
    # No basis in the file: the reason's citation, stored as data, the basis column left empty.
    assert (d.basis, d.citation) == ("", {"act": "odihr-eom-2023",
                                          "section": "candidate-registration"})
    rec = Record.objects.get(action="candidates.batch_imported")
    assert rec.payload["nominations"] == 1 and rec.payload["decisions"] == 1


def test_too_young_and_too_few_years_are_findings_naming_the_field(election):
    # 25 on election day (19 March 2023) is enough; a day short is not
    run(election, person("ok", born="1998-03-19", years="10"),
        person("young", born="1998-03-20", years="9", name="Жас Бала"),
        decision("young", "registered"))
    assert Nomination.objects.get(key="ok").findings == []
    young = Nomination.objects.get(key="young")
    assert [(f["requirement"], f["field"], f["actual"]) for f in young.findings] == [
        ("min_age", "birth_date", 24), ("residence_years", "residence_years", 9)]
    assert young.status == "registered"  # the body decided otherwise: both are kept


def test_deposit_bands_and_a_short_deposit(election):
    run(election, party_list("L1", "amanat", share="71.09"), party_list("L2", "auyl", share="4"),
        party_list("L3", "respublica", share="1"),
        person("p1", "list", "amanat", "party", "Бір Адам", position="1", deposit=""),
        person("p2", "list", "auyl", "party", "Екі Адам", position="1", deposit="525000"),
        person("p3", "list", "respublica", "party", "Үш Адам", position="1", deposit="700000"),
        person("s1", deposit="1049999", name="Өзі Ұсынған"))
    due = dict(Nomination.objects.filter(kind="nomination").values_list("key", "deposit_due"))
    assert due == {"p1": 0, "p2": 525_000, "p3": 735_000, "s1": 1_050_000}
    short = {n.key: [f["requirement"] for f in n.findings]
             for n in Nomination.objects.filter(kind="nomination")}
    assert short == {"p1": [], "p2": [], "p3": ["deposit"], "s1": ["deposit"]}


def test_list_quota_is_checked_on_the_whole_list(election):
    rows = [party_list("L", "amanat")]
    for i in range(1, 11):  # 2 women of 10 men and women, born 1970: not young
        rows.append(person(f"x{i}", "list", "amanat", "party", f"Адам {i}", born="1970-01-01",
                           woman="yes" if i <= 2 else "no", position=str(i)))
    run(election, *rows)
    lst = Nomination.objects.get(key="L")
    assert lst.findings == [{"requirement": "list_quota", "required": "3/10", "actual": "2/10",
                             "field": "list"}]
    run(election, person("x11", "list", "amanat", "party", "Әйел", woman="yes",
                         born="1970-01-01", position="11"))
    lst.refresh_from_db()
    assert lst.findings[0]["actual"] == "3/11"  # 27 %: still short
    run(election, person("x12", "list", "amanat", "party", "Жас", woman="no",
                         born="1988-03-20", position="12"))  # 34 on election day: young
    lst.refresh_from_db()
    assert lst.findings == []  # 4 of 12 meets 30 %


def test_appeals_overturn_or_uphold(election):
    run(election, person("a"), decision("a", "refused", "documents_incomplete"),
        appeal("a", "court", "overturned", "2023-02-12", "2023-02-15"),
        person("b", name="Басқа Адам"), decision("b", "registered"),
        decision("b", "deregistered", "tax_declaration", "2023-03-01"),
        appeal("b", "higher_commission", "upheld", "2023-03-02", "2023-03-05"),
        person("c", name="Үшінші"), decision("c", "registered"),
        decision("c", "deregistered", "early_campaigning", "2023-03-01"),
        appeal("c", "supreme_court", date="2023-03-03"))
    status = dict(Nomination.objects.values_list("key", "status"))
    assert status == {"a": "registered", "b": "deregistered", "c": "deregistered"}
    assert Candidate.objects.get().status == "registered"  # "a" is the ballot's candidate


def test_an_appeal_decided_in_a_later_file_is_the_same_appeal(election):
    """Filed in one file (pending), decided in the next: one appeal whose state is the outcome,
    not a pending appeal beside a decided one; the first file's rows stay as imported."""
    run(election, person("a"), decision("a", "refused", "documents_incomplete"),
        appeal("a", "court", date="2023-02-12"))
    assert Nomination.objects.get().status == "refused"
    run(election, appeal("a", "court", "overturned", "2023-02-12", "2023-02-15"))
    assert Nomination.objects.get().status == "registered"
    nom = Nomination.objects.get()
    appeals = public.history(nom, "en")
    assert [(e["kind"], e["detail"]) for e in appeals] == [
        ("nominated", "self"), ("refused", "documents incomplete"),
        ("appeal", "decision overturned")]
    assert not appeals[-1]["pending"]
    s = public.summary(election)
    assert (s["appeals"], s["pending"]) == (1, 0)
    assert public.records(election)[0]["appeals"] == 1
    assert public.records(election)[0]["appeals_pending"] is False
    # The same appeal again, pending or decided: refused, naming the row and the column.
    with pytest.raises(BadInput, match="row 2, column outcome"):
        run(election, appeal("a", "court", "upheld", "2023-02-12", "2023-02-16"))
    # Filed and decided in one file: one appeal too; repeating it pending is refused.
    run(election, person("b", name="Екінші"), decision("b", "refused", "no_deposit"),
        appeal("b", "court", date="2023-02-12"),
        appeal("b", "court", "upheld", "2023-02-12", "2023-02-14"))
    assert public.summary(election)["appeals"] == 2
    with pytest.raises(BadInput, match="row 5, column outcome"):
        run(election, person("c", name="Үшінші"), decision("c", "refused", "no_deposit"),
            appeal("c", "court", date="2023-02-12"), appeal("c", "court", date="2023-02-12"))


@pytest.mark.parametrize("row,where", [
    (person("a", born="1980-02-30"), "row 2, column birth_date"),
    (person("a", contest="smd.9"), "row 2, column contest"),
    (person("a", party="nobody", by="party"), "row 2, column party"),
    (person("a", date="2023-01-18"), "row 2, column date"),
    (person("a", date="2023-03-20"), "row 2, column date"),
    (decision("zz", "registered"), "row 2, column key"),
    (person("a", position="3"), "row 2, column list_position"),
])
def test_bad_input_names_row_and_column_and_writes_nothing(election, row, where):
    with pytest.raises(BadInput) as e:
        run(election, person("ok", name="Дұрыс"), row)
    assert where.replace("row 2", "row 3") in e.value.text("en")
    assert "3-жол" in e.value.text("kk") and "строка 3" in e.value.text("ru")
    assert not Batch.objects.exists() and not Nomination.objects.exists()
    assert not Record.objects.filter(action="candidates.batch_imported").exists()


def test_a_reason_must_fit_the_decision_and_an_appeal_needs_a_decision(election):
    with pytest.raises(BadInput, match="column reason"):
        run(election, person("a"), decision("a", "refused", "tax_declaration"))
    with pytest.raises(BadInput, match="row 3, column key"):
        run(election, person("a"), appeal("a"))
    with pytest.raises(BadInput, match="row 4, column date"):  # before the decision
        run(election, person("a"), decision("a", "refused", "no_deposit", "2023-02-10"),
            appeal("a", date="2023-02-09"))
    with pytest.raises(BadInput, match="column outcome_date"):
        run(election, person("a"), decision("a", "refused", "no_deposit"),
            appeal("a", outcome="upheld"))


def test_same_file_twice_is_a_conflict_and_later_files_continue(election):
    run(election, person("a"))
    with pytest.raises(Conflict):
        run(election, person("a"))
    run(election, decision("a", "withdrawn", "own_request"))
    assert Nomination.objects.get().status == "withdrawn"
    assert Decision.objects.get().batch.number == 2
    assert Candidate.objects.get().status == "withdrawn"

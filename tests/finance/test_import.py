"""Importing fund reports: all or nothing, recipients resolved in the election, checks stored as
findings over every report of the election, an audit record per import; the demo's reports."""

import pytest

from sailau.audit.models import Record
from sailau.errors import BadInput, Conflict
from sailau.finance import services
from sailau.finance.models import Entry, Finding, Report
from tests.finance.conftest import csv_of


def test_import_stores_entries_findings_and_an_audit_record(election):
    text = csv_of("amanat,party,income,own,,1000000,2023-02-20",
                  "AMANAT,party,income,foreign,Someone abroad,5,2023-02-21",
                  "Омарова Айгүл,candidate,income,own,,14000000,2023-02-20",
                  "Омарова  Айгүл,candidate,spending,media,TV,2000000,2023-03-01")
    before = Record.objects.count()
    report = services.import_report(election, text, "r1.csv", "tester")
    assert (report.number, report.rows, report.ruleset) == (1, 4, "kz-finance-2023")
    assert Entry.objects.filter(party__id=f"{election.id}.amanat").count() == 2
    assert Entry.objects.filter(candidate__full_name="Омарова Айгүл").count() == 2
    finding = Finding.objects.get()
    assert (finding.code, finding.source_kind, finding.amount) == ("forbidden_source", "foreign", 5)
    rec = Record.objects.order_by("-seq").first()
    assert Record.objects.count() == before + 1
    assert (rec.action, rec.actor, rec.payload["rows"], rec.payload["findings"]) == \
        ("finance.report_imported", "tester", 4, 1)


def test_donor_limit_counts_every_report_of_the_election(election):
    services.import_report(election, csv_of(
        "amanat,party,income,individual,Ким Анна,4000000,2023-02-20"), "a.csv", "t")
    assert not Finding.objects.exists()
    services.import_report(election, csv_of(
        "amanat,party,income,individual,КИМ АННА,3000000,2023-03-01"), "b.csv", "t")
    assert not Finding.objects.exists()  # exactly 7,000,000: allowed
    services.import_report(election, csv_of(
        "amanat,party,income,individual,Ким Анна,1,2023-03-02"), "c.csv", "t")
    f = Finding.objects.get()
    assert (f.code, f.amount, f.limit, len(f.entries)) == ("individual_donor_limit", 7_000_001,
                                                          7_000_000, 3)


@pytest.mark.parametrize("row,column,words", [
    ("amanat,party,income,own,,-1,2023-02-20", "amount_kzt", "negative"),
    ("amanat,party,income,own,,1,2023-04-01", "date", "outside the campaign"),
    ("Nobody,party,income,own,,1,2023-02-20", "recipient", "not a party of this election"),
    ("Nobody,candidate,income,own,,1,2023-02-20", "recipient", "no such candidate"),
])
def test_bad_report_writes_nothing_and_names_row_and_column(election, row, column, words):
    before = Record.objects.count()
    with pytest.raises(BadInput) as err:
        services.import_report(election, csv_of("auyl,party,income,own,,5,2023-02-20", row),
                               "bad.csv", "t")
    assert err.value.field == column and err.value.detail["row"] == 3
    assert words in err.value.text("en") and "3-жол" in err.value.text("kk")
    assert not Report.objects.exists() and not Entry.objects.exists()
    assert Record.objects.count() == before


def test_the_same_file_twice_is_refused(election):
    text = csv_of("auyl,party,income,own,,5,2023-02-20")
    services.import_report(election, text, "one.csv", "t")
    with pytest.raises(Conflict):
        services.import_report(election, text, "again.csv", "t")
    assert Report.objects.count() == 1


def test_an_election_without_finance_rules_is_refused(db):
    from tests import factories as f

    contest = f.ContestFactory(ruleset="kz-mazhilis-2021")
    with pytest.raises(BadInput, match="no campaign finance limits"):
        services.import_report(contest.election, csv_of("auyl,party,income,own,,5,2023-02-20"),
                               "x.csv", "t")


def test_demo_reports_flag_the_planted_violations(small_structure):
    from sailau.elections.models import Election
    from sailau.finance.demo import generate

    election = Election.objects.get()
    out = generate(election, seed=7)
    assert out["reports"] == 2 and out["rows"] > 100
    codes = set(Finding.objects.values_list("code", flat=True))
    assert {"individual_donor_limit", "organisation_donor_limit", "forbidden_source",
            "own_funds_limit"} <= codes
    assert Finding.objects.filter(code="forbidden_source").count() == 2  # foreign, anonymous
    assert Report.objects.filter(imported_by="demo").count() == 2


def test_a_donor_longer_than_its_column_is_refused_naming_the_row(election):
    """Rows are written in bulk (no save, no pre_save): the one length check is called on
    them, and the refusal names the column and the row as the import's other errors do."""
    before = Record.objects.count()
    with pytest.raises(BadInput) as err:
        services.import_report(election, csv_of(
            "amanat,party,income,own,,5,2023-02-20",
            "amanat,party,income,individual," + "Қ" * 301 + ",5,2023-02-20"), "long.csv", "t")
    e = err.value
    assert (e.code, e.field, e.detail["row"]) == ("too_long", "donor", 3)
    assert "300" in e.text("en") and "3-жол" in e.text("kk")
    assert not Report.objects.exists() and not Entry.objects.exists()
    assert Record.objects.count() == before

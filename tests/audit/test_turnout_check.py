"""`sailau audit verify` compares the turnout reports of election day with their audit records:
the honest demo passes; a report edited, deleted or inserted in the database behind the
application's back is named with its station and hour, and the command exits 1."""

import pytest

from sailau.turnout.models import TurnoutReport
from tests.audit.conftest import run

pytestmark = pytest.mark.django_db

OK = "turnout: every turnout report of election day is what its audit record says"


def evening(election) -> TurnoutReport:
    return TurnoutReport.objects.filter(station__election=election, hour=18).order_by("id").first()


def test_the_demos_reports_pass(small_election, here, capsys):
    assert TurnoutReport.objects.filter(station__election=small_election).count() > 0
    code, out = run(capsys)
    assert code == 0 and OK in out, out


def test_a_report_edited_is_named_with_both_figures(small_election, here, capsys):
    r = evening(small_election)
    TurnoutReport.objects.filter(pk=r.pk).update(issued=r.issued - 40)
    code, out = run(capsys)
    assert code == 1 and OK not in out
    assert (f"turnout: station {r.station_id}, turnout at 18:00: {r.issued - 40} ballots issued, "
            f"audit record ") in out and f"says {r.issued}" in out


def test_a_report_deleted_is_named(small_election, here, capsys):
    r = evening(small_election)
    r.delete()
    code, out = run(capsys)
    assert code == 1
    assert f"turnout: station {r.station_id}, turnout at 18:00: audit record " in out
    assert "the database has no such report" in out


def test_a_report_inserted_without_its_record_is_named(small_election, here, capsys):
    r = evening(small_election)
    TurnoutReport.objects.filter(station_id=r.station_id, hour=20).delete()
    TurnoutReport.objects.create(station_id=r.station_id, hour=19, issued=r.issued,
                                 reported_by="nobody")
    code, out = run(capsys)
    assert code == 1
    assert f"turnout: station {r.station_id}, turnout at 19:00: no audit record" in out
    assert f"turnout: station {r.station_id}, turnout at 20:00: audit record " in out

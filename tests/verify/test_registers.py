"""Turnout reports and complaint decisions are in the log (`turnout`, `complaint-decision`) and in
the published files (`turnout.json`, `decisions.json`): one deleted from the database, which
disappears from the pages and the API, is named by `sailau verify` with its log leaf, as is a
published register rewritten; an honest record passes."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from sailau.complaints import services as complaints
from sailau.complaints.models import Decision
from sailau.demo.chain import route
from sailau.demo.load import load
from sailau.elections.models import Station
from sailau.protocols.models import Protocol
from sailau.publish.pipeline import snapshots
from sailau.turnout.models import TurnoutReport
from tests.snapshotfiles import opened
from tests.verify.test_verify import _copy, _failures, _object, _rewrite, _run

pytestmark = pytest.mark.django_db


@pytest.fixture
def election(small_synthetic, tmp_path, monkeypatch):
    """The small election, its turnout through the day reported (the demo's load does), three
    stations' protocols; a complaint about the first is upheld and its result cancelled,
    another rejected."""
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "data"))
    e = load(small_synthetic, route=False)
    stations = list(Station.objects.filter(election=e).order_by("number")[:3])
    route(small_synthetic, only={s.id for s in stations})
    base = {"election": e.id, "filer_kind": "voter", "filer_name": "Private Person",
            "filer_contact": "+7 701 000 0000", "against_kind": "commission",
            "against_name": "PEC", "topic": "counting", "text": "Ballots not shown.",
            "body": "commission", "station": str(stations[0].number),
            "filed_at": timezone.make_aware(dt.datetime.combine(
                e.date + dt.timedelta(days=1), dt.time(10)))}
    cancelled, _ = complaints.file_complaint(base)
    protocol = Protocol.objects.filter(station=stations[0]).current().first()
    complaints.decide(cancelled, {"outcome": "upheld", "effect": "station_cancelled",
                                  "protocol_version": protocol.pk, "text": "Cancelled."})
    other, _ = complaints.file_complaint({**base, "station": str(stations[1].number),
                                          "text": "Observers kept away."})
    complaints.decide(other, {"outcome": "rejected", "text": "Not proven."})
    e.cancelled = cancelled
    e.reports = stations
    return e


def _publish(election):
    snapshots.publish(election.id)
    return snapshots.election_dir(election.id)


def test_an_honest_record_passes_with_every_report_and_decision_held(election, capsys):
    code, _text, report = _run(capsys, _publish(election), "--json")
    assert code == 0, _failures(report)[:5]
    assert TurnoutReport.objects.filter(station__election=election).count() > 3
    assert report["held"]["registers"] == TurnoutReport.objects.filter(
        station__election=election).count() + 2


def test_deleted_from_the_database_or_rewritten_in_the_files_is_named(election, tmp_path,
                                                                      capsys):
    station = election.reports[1]
    TurnoutReport.objects.filter(station=station, hour=18).delete()
    Decision.objects.filter(complaint=election.cancelled).delete()
    folder = _publish(election)
    code, _text, report = _run(capsys, folder, "--json")
    assert code == 1
    failures = _failures(report)
    assert any(f.startswith(f"registers: turnout.json (station {station.id}, 18:00): the "
                            "report of log leaf ") and "not published: deleted from the "
                            "register" in f for f in failures), failures
    receipt = election.cancelled.receipt
    assert any(f.startswith(f"registers: decisions.json (complaint {receipt}): the decision "
                            "of log leaf ") and "(upheld, station_cancelled, on " in f
               for f in failures), failures
    assert len([f for f in failures if f.startswith("registers:")]) == 2, failures
    # A register rewritten by hand, its hash in the manifest: the figure is named.
    forged = _copy(folder, tmp_path, "forged-turnout")
    doc = json.loads(opened(_object(forged, "turnout.json")))
    first = doc["reports"][0]
    first["issued"] += 50
    _rewrite(forged, "turnout.json", json.dumps(doc).encode())
    code, _text, report = _run(capsys, forged, "--json")
    assert any(f.startswith(f"registers: turnout.json (station {first['station']}, "
                            f"{first['hour']}:00): issued: {first['issued']}, log leaf ")
               for f in _failures(report)), _failures(report)

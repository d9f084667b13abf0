"""A turnout report is taken only within its hour's window (`turnout_hours.window`), on the
application's clock, in the stations' local time."""

import datetime as dt
import zoneinfo

import pytest

from sailau import clock
from sailau.audit.models import Record
from sailau.errors import BadInput
from sailau.law import turnout_hours
from sailau.turnout import services
from sailau.turnout.models import TurnoutReport
from tests.factories import ElectionFactory, StationFactory, operator

pytestmark = pytest.mark.django_db
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
DAY = dt.date(2026, 3, 15)


@pytest.fixture
def reporting_clock(monkeypatch):
    """Sets the application's clock to a local time (naive, Almaty) and returns the setter."""
    def at(*args):
        moment = dt.datetime(*args, tzinfo=ALMATY)
        monkeypatch.setattr(clock, "now", lambda: moment.astimezone(dt.UTC))

    return at


@pytest.fixture
def station():
    return StationFactory(registered=1000, election=ElectionFactory(date=DAY))


def refused(station, hour, issued=100):
    with pytest.raises(BadInput) as err:
        services.report(operator(station), station.id, hour, issued)
    return err.value


def test_a_later_hour_before_it_has_come_is_refused(station, reporting_clock):
    reporting_clock(2026, 3, 15, 14, 0)
    e = refused(station, 20)
    assert (e.code, e.field, e.status) == ("turnout.early", "hour", 422)
    assert e.detail == {"from": "2026-03-15T20:00", "until": "2026-03-15T22:00"}
    assert "20:00" in e.text("kk") and "с 20:00 15.03.2026" in e.text("ru")
    assert "from 20:00" in e.text("en")
    reporting_clock(2026, 3, 15, 11, 59)
    assert refused(station, 12).code == "turnout.early"  # a minute before its hour
    assert not TurnoutReport.objects.exists()
    assert not Record.objects.filter(action="turnout.reported").exists()


def test_an_hour_long_past_is_refused(station, reporting_clock):
    reporting_clock(2026, 3, 16, 4, 0)  # the next morning
    e = refused(station, 16)
    assert (e.code, e.field) == ("turnout.late", "hour")
    assert "19:00" in e.text("en") and "территориальную" in e.text("ru")
    assert "аумақтық" in e.text("kk")
    reporting_clock(2026, 3, 15, 17, 0)  # 14:00's window ended with 16:00's and an hour
    assert refused(station, 14).code == "turnout.late"
    assert not TurnoutReport.objects.filter(hour__in=(14, 16)).exists()


def test_each_hour_in_its_window_through_the_day(station, reporting_clock):
    op = operator(station)
    for hour, (h, m), issued in [(12, (12, 0), 300), (14, (16, 59), 450), (16, (16, 30), 500),
                                 (18, (20, 10), 600), (20, (21, 59), 640)]:
        reporting_clock(2026, 3, 15, h, m)
        services.report(op, station.id, hour, issued)
    assert services.of_station(station.id) == {12: 300, 14: 450, 16: 500, 18: 600, 20: 640}


def test_the_window_is_on_the_local_clock_not_utc(station, reporting_clock, monkeypatch):
    # 12:30 in Almaty is 07:30 UTC: judged in UTC, a 12:00 report would be early
    reporting_clock(2026, 3, 15, 12, 30)
    assert clock.now().hour == 7
    services.report(operator(station), station.id, 12, 100)
    assert services.of_station(station.id) == {12: 100}


def test_the_rule_in_the_law():
    assert turnout_hours.window(DAY, 12) == (dt.datetime(2026, 3, 15, 12),
                                             dt.datetime(2026, 3, 15, 15))
    assert turnout_hours.window(DAY, 20) == (dt.datetime(2026, 3, 15, 20),
                                             dt.datetime(2026, 3, 15, 22))
    assert turnout_hours.when(DAY, 18, dt.datetime(2026, 3, 15, 20, 59)) == ""
    assert turnout_hours.when(DAY, 18, dt.datetime(2026, 3, 15, 21)) == "late"
    assert turnout_hours.when(DAY, 18, dt.datetime(2026, 3, 14, 18)) == "early"  # the day before


def test_the_evening_criterion_reads_when_a_report_was_received(station):
    """`turnout.integrity.inputs` gives I23 the report's time of receipt against its window
    (18:00 until 21:00 local): within it, nothing; past it, late with the times."""
    from types import SimpleNamespace

    from sailau.turnout import integrity

    other = StationFactory(registered=1000, election=station.election)
    for st, at in ((station, (18, 40)), (other, (21, 30))):
        TurnoutReport.objects.create(station=st, hour=18, issued=500, reported_by="op",
                                     reported_at=dt.datetime(2026, 3, 15, *at, tzinfo=ALMATY))
    got = integrity.inputs(SimpleNamespace(election_id=station.election_id))["evening_reports"]
    assert got[station.id] == {"hour": 18, "issued": 500, "received": None}
    assert got[other.id]["received"] == {"verdict": "late", "at": "2026-03-15 21:30",
                                         "from": "2026-03-15 18:00", "until": "2026-03-15 21:00"}

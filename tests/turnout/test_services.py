"""Turnout through election day, the service (`sailau.turnout.services`): a report stored with
its audit record by whom it names; every refusal with its code, status and kk/ru text, and none
of them leaving a row or an audit record behind; who may report for which station; the same
hour reported twice at the same moment; the sums per hour."""

import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from sailau import audit
from sailau.accounts.models import Role
from sailau.accounts.permissions import NotAllowed
from sailau.audit.models import Record
from sailau.audit.verification import head
from sailau.errors import MESSAGES, BadInput, Code, Conflict, NotFound, SailauError
from sailau.law.turnout_hours import HOURS
from sailau.observation.models import Organisation
from sailau.turnout import services
from sailau.turnout.models import TurnoutReport
from tests.factories import (
    CecFactory,
    ContestFactory,
    DefinitiveProtocolFactory,
    ElectionFactory,
    RoleFactory,
    StationFactory,
    UserFactory,
    beside,
    coordinator,
    operator,
)

pytestmark = pytest.mark.django_db


def make_world() -> dict:
    """A station with 1000 voters on its list, one beside it in its district (500), one in
    another territory of the same election (2000), and an account of every kind of caller."""
    station = StationFactory(registered=1000)
    election = station.election
    other = beside(station, registered=500)
    far = StationFactory(election=election, registered=2000)
    organisation = Organisation.objects.create(election=election, names={"kk": "Қор"},
                                               kind=Organisation.CITIZEN)
    stranger_election = ElectionFactory()
    users = {
        "operator": operator(station),
        "district operator": RoleFactory(kind=Role.OPERATOR, commission=station.district).user,
        "admin": RoleFactory(kind=Role.ADMIN, commission=CecFactory(election=election)).user,
        "operator of another station": operator(other),
        "coordinator": coordinator(station.territory),
        "coordinator of the CEC": coordinator(CecFactory(election=election)),
        "admin of another election": RoleFactory(
            kind=Role.ADMIN, commission=CecFactory(election=stranger_election)).user,
        "observer": RoleFactory(kind=Role.OBSERVER, commission=None,
                                organisation=organisation).user,
        "citizen": RoleFactory(kind=Role.CITIZEN, commission=None).user,
        "no role": UserFactory(),
        "anonymous": AnonymousUser(),
        "nobody": None,
    }
    return {"station": station, "other": other, "far": far, "election": election,
            "op": users["operator"], "users": users}


@pytest.fixture
def world():
    return make_world()


ALLOWED = ("operator", "district operator", "admin")
REFUSED = ("operator of another station", "coordinator", "coordinator of the CEC",
           "admin of another election", "observer", "citizen", "no role", "anonymous", "nobody")


def written() -> tuple:
    """What a report writes: its rows and the audit log's head (equal before and after: none)."""
    return (list(TurnoutReport.objects.values_list("station_id", "hour", "issued")),
            Record.objects.filter(action="turnout.reported").count(), head())


def refused(exc_info, kind: type[SailauError], code: str, status: int, field: str | None):
    exc = exc_info.value
    assert type(exc) is kind or isinstance(exc, kind), exc
    assert (exc.code, exc.status) == (code, status), (exc.code, exc.status, str(exc))
    if field is not None:
        assert exc.field == field
    for lang in ("kk", "ru"):  # a refusal reads in each language of the site, not in English
        text = exc.text(lang)
        assert text and text == MESSAGES[exc.code][lang] and text != exc.text("en"), text
        assert any("\u0400" <= ch <= "\u04ff" for ch in text), text


# --- the report ------------------------------------------------------------------------------

def test_a_report_is_stored_with_its_audit_record_by_its_reporter(world):
    op, station = world["op"], world["station"]
    before = Record.objects.count()
    row = services.report(op, station.id, 14, 312)
    stored = TurnoutReport.objects.get()
    assert stored.pk == row.pk
    assert (stored.station_id, stored.hour, stored.issued) == (station.id, 14, 312)
    assert stored.reported_by == op.username
    assert stored.reported_at is not None
    records = list(Record.objects.order_by("seq")[before:])
    assert len(records) == 1
    rec = records[0]
    assert (rec.actor, rec.action, rec.subject) == (op.username, "turnout.reported", station.id)
    assert rec.payload == {"hour": 14, "issued": 312}
    assert audit.verify().ok
    assert services.of_station(station.id) == {14: 312}


def test_every_hour_of_the_day_in_turn(world):
    op, station = world["op"], world["station"]
    for n, hour in enumerate(HOURS):
        services.report(op, station.id, hour, 100 * n)
    assert services.of_station(station.id) == {h: 100 * n for n, h in enumerate(HOURS)}
    assert Record.objects.filter(action="turnout.reported").count() == len(HOURS)


@pytest.mark.parametrize("issued", [0, services.MAX_ISSUED])
def test_the_bounds_of_issued_are_accepted(world, issued):
    services.report(world["op"], world["station"].id, 12, issued)
    assert TurnoutReport.objects.get().issued == issued


# --- who may report --------------------------------------------------------------------------

@pytest.mark.parametrize("who", ALLOWED)
def test_those_covering_the_station_may_report(world, who):
    user = world["users"][who]
    services.report(user, world["station"].id, 16, 40)
    assert TurnoutReport.objects.get().reported_by == user.username


@pytest.mark.parametrize("who", REFUSED)
def test_no_one_else_may_report(world, who):
    before = written()
    with pytest.raises(NotAllowed) as e:
        services.report(world["users"][who], world["station"].id, 16, 40)
    refused(e, NotAllowed, Code.NOT_ALLOWED, 403, None)
    assert written() == before


def test_an_operator_reports_for_their_own_station_only(world):
    """The operator of the station beside it: its own, yes; this one, no."""
    mine = world["users"]["operator of another station"]
    services.report(mine, world["other"].id, 12, 10)
    with pytest.raises(NotAllowed):
        services.report(mine, world["station"].id, 12, 10)
    assert list(TurnoutReport.objects.values_list("station_id", flat=True)) == [world["other"].id]


# --- refusals --------------------------------------------------------------------------------

@pytest.mark.parametrize("station_id", ["nope", "", " ", "'; DROP TABLE turnout_turnoutreport; --",
                                        "../../etc/passwd", "учаске/1", "x" * 5000, "%00", "*"])
def test_an_unknown_station_is_404(world, station_id):
    before = written()
    with pytest.raises(NotFound) as e:
        services.report(world["op"], station_id, 12, 10)
    refused(e, NotFound, Code.UNKNOWN_STATION, 404, "station")
    assert written() == before


@pytest.mark.parametrize("hour", [0, 8, 10, 11, 13, 19, 21, 24, -12, 1200, 10**30, "12", 12.0,
                                  None, True, [12], "12:00"])
def test_only_the_cecs_hours(world, hour):
    before = written()
    with pytest.raises(BadInput) as e:
        services.report(world["op"], world["station"].id, hour, 10)
    refused(e, BadInput, Code.TURNOUT_HOUR, 422, "hour")
    assert written() == before


@pytest.mark.parametrize("issued", [-1, -10**6, services.MAX_ISSUED + 1, 10**30, True, False,
                                    10.0, 10.5, float("nan"), float("inf"), "10", "", None,
                                    [10], {"n": 10}])
def test_issued_is_a_whole_number_in_range(world, issued):
    before = written()
    with pytest.raises(BadInput) as e:
        services.report(world["op"], world["station"].id, 12, issued)
    refused(e, BadInput, Code.BAD_INPUT, 422, "issued")
    assert written() == before


def test_a_station_whose_protocol_is_in_is_closed(world):
    station, op = world["station"], world["op"]
    services.report(op, station.id, 12, 300)
    DefinitiveProtocolFactory(station=station, contest=ContestFactory(election=station.election))
    before = written()
    with pytest.raises(Conflict) as e:
        services.report(op, station.id, 20, 600)
    refused(e, Conflict, Code.TURNOUT_CLOSED, 409, None)
    assert written() == before
    # Its neighbour, without a protocol, still reports.
    services.report(world["users"]["operator of another station"], world["other"].id, 20, 50)


def test_an_hour_is_reported_once_and_never_replaced(world):
    station, op = world["station"], world["op"]
    services.report(op, station.id, 14, 300)
    before = written()
    for issued in (300, 301, 299, 0):
        with pytest.raises(Conflict) as e:
            services.report(op, station.id, 14, issued)
        refused(e, Conflict, Code.TURNOUT_REPORTED, 409, "hour")
    # Nor by anyone else allowed to report for it.
    with pytest.raises(Conflict):
        services.report(world["users"]["admin"], station.id, 14, 305)
    assert written() == before
    assert TurnoutReport.objects.get().issued == 300


def test_a_second_report_is_told_so_whatever_its_figure(world):
    """Sent again with a figure out of order with the hours around it, a report is still told
    that its hour is in, not that its figure is out of order (which would invite a retry)."""
    station, op = world["station"], world["op"]
    for hour, issued in ((12, 100), (14, 300), (16, 500)):
        services.report(op, station.id, hour, issued)
    for issued in (50, 900):
        with pytest.raises(Conflict) as e:
            services.report(op, station.id, 14, issued)
        assert e.value.code == Code.TURNOUT_REPORTED
        assert "(300)" in str(e.value)  # the figure that stands


@pytest.mark.parametrize("hour, issued", [
    (12, 401), (12, 1000),  # more before 14:00 than by 14:00
    (16, 399), (16, 0),  # fewer by 16:00 than by 14:00
    (18, 399), (20, 1),  # and any later hour, not only the next
])
def test_a_report_out_of_order_with_the_others_is_refused(world, hour, issued):
    station, op = world["station"], world["op"]
    services.report(op, station.id, 14, 400)
    before = written()
    with pytest.raises(BadInput) as e:
        services.report(op, station.id, hour, issued)
    refused(e, BadInput, Code.TURNOUT_ORDER, 422, "issued")
    assert written() == before


def test_a_late_report_between_two_others_fits_between_them(world):
    """12:00 and 18:00 in, 14:00 and 16:00 missed and sent later: each within its neighbours,
    equal to them included (no voter came)."""
    station, op = world["station"], world["op"]
    services.report(op, station.id, 12, 200)
    services.report(op, station.id, 18, 500)
    for issued in (199, 501):
        with pytest.raises(BadInput) as e:
            services.report(op, station.id, 14, issued)
        assert e.value.code == Code.TURNOUT_ORDER
    services.report(op, station.id, 14, 200)
    with pytest.raises(BadInput) as e:  # now 16:00 is between 14:00's 200 and 18:00's 500
        services.report(op, station.id, 16, 199)
    assert e.value.code == Code.TURNOUT_ORDER
    services.report(op, station.id, 16, 500)
    services.report(op, station.id, 20, 500)
    assert services.of_station(station.id) == {12: 200, 14: 200, 16: 500, 18: 500, 20: 500}


def test_another_stations_reports_do_not_order_this_ones(world):
    services.report(world["users"]["operator of another station"], world["other"].id, 12, 450)
    services.report(world["op"], world["station"].id, 14, 10)
    assert services.of_station(world["station"].id) == {14: 10}


def test_the_checks_come_in_order(world):
    """Unknown station before permission, permission before the input, the input before the
    state: a stranger learns nothing of a station's reports, and a refused input never reads
    them."""
    station = world["station"]
    with pytest.raises(NotFound):
        services.report(None, "nope", 13, -1)
    with pytest.raises(NotAllowed):
        services.report(world["users"]["citizen"], station.id, 13, -1)
    with pytest.raises(BadInput) as e:
        services.report(world["op"], station.id, 13, -1)
    assert e.value.code == Code.TURNOUT_HOUR


def test_an_audit_failure_leaves_no_report(world, monkeypatch):
    """The row and its audit record are one transaction: if the record cannot be appended,
    the report is not stored either."""

    def broken(*args, **kwargs):
        raise RuntimeError("the audit log is not writable")

    monkeypatch.setattr(services.audit, "append_many", broken)
    before = written()
    with pytest.raises(RuntimeError):
        services.report(world["op"], world["station"].id, 12, 10)
    assert written() == before


# --- the same hour twice at the same moment ----------------------------------------------------

def stale_read(monkeypatch) -> None:
    """The service as a request whose check ran before another request's report of the same
    hour was committed: the check reads no reports, the insert meets the other's row."""
    monkeypatch.setattr(services, "of_station", lambda station_id: {})


def test_a_report_racing_another_of_the_same_hour_is_a_conflict(world, monkeypatch):
    """The unique constraint decides a race the check could not see: the loser gets a 409 with
    its code, the winner's row stays, and the loser leaves no audit record."""
    station, op = world["station"], world["op"]
    services.report(op, station.id, 12, 300)  # the winner, committed first
    before = written()
    stale_read(monkeypatch)
    with pytest.raises(Conflict) as e:
        services.report(world["users"]["admin"], station.id, 12, 350)
    refused(e, Conflict, Code.TURNOUT_REPORTED, 409, "hour")
    assert written() == before
    assert TurnoutReport.objects.get().issued == 300
    # The transaction is usable after it (PostgreSQL aborts one whose statement failed unless
    # the insert had a savepoint of its own).
    monkeypatch.undo()
    services.report(op, station.id, 14, 320)
    assert services.of_station(station.id) == {12: 300, 14: 320}


class _Meeting:
    """`clock` for the service: each reporter waits, after its checks and before its insert,
    until the other has reached the same point (so both checks saw no report)."""

    def __init__(self, parties: int):
        self.barrier = threading.Barrier(parties, timeout=20)

    def now(self):
        from sailau import clock

        try:
            self.barrier.wait()
        except threading.BrokenBarrierError:
            pass
        return clock.now()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite's in-memory test database takes one writer at a time: the "
                           "race is simulated above (test_a_report_racing_...)")
def test_two_reporters_of_the_same_hour_at_once_on_postgresql(monkeypatch):
    """Two threads, each with its own connection, both past their checks before either
    inserts: one row, one 409, one audit record."""
    world = make_world()
    station = world["station"]
    users = [world["op"], world["users"]["admin"]]
    monkeypatch.setattr(services, "clock", _Meeting(len(users)))
    results: list = [None] * len(users)

    def send(k):
        try:
            results[k] = services.report(users[k], station.id, 12, 100 + k)
        except Exception as exc:  # noqa: BLE001 - the test's finding
            results[k] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(k,)) for k in range(len(users))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    wins = [r for r in results if isinstance(r, TurnoutReport)]
    losses = [r for r in results if isinstance(r, SailauError)]
    assert len(wins) == 1 and len(losses) == 1, results
    assert (losses[0].code, losses[0].status) == (Code.TURNOUT_REPORTED, 409)
    row = TurnoutReport.objects.get()
    assert row.issued == wins[0].issued
    assert Record.objects.filter(action="turnout.reported").count() == 1
    assert audit.verify().ok


# --- the sums per hour -------------------------------------------------------------------------

def hours_of(rows: list[dict]) -> dict[int, tuple]:
    return {r["hour"]: (r["stations"], r["voters_on_list"], r["issued"], r["share"]) for r in rows}


def test_by_hour_with_no_reports_lists_every_hour_at_zero(world):
    rows = services.by_hour(world["election"].id)
    assert [r["hour"] for r in rows] == list(HOURS)
    assert all((r["stations"], r["voters_on_list"], r["issued"], r["share"]) == (0, 0, 0, None)
               for r in rows)
    assert services.by_hour("no.such.election") == rows


def test_by_hour_of_one_station(world):
    op, station = world["op"], world["station"]
    services.report(op, station.id, 12, 306)
    services.report(op, station.id, 14, 468)
    got = hours_of(services.by_hour(world["election"].id))
    assert got[12] == (1, 1000, 306, 0.306)
    assert got[14] == (1, 1000, 468, 0.468)
    assert got[16] == got[18] == got[20] == (0, 0, 0, None)


def test_by_hour_of_several_stations_and_a_territory(world):
    station, other, far = world["station"], world["other"], world["far"]
    users = world["users"]
    admin = users["admin"]
    services.report(admin, station.id, 12, 300)  # 1000 on the list
    services.report(admin, other.id, 12, 101)  # 500
    services.report(admin, far.id, 12, 700)  # 2000, another territory
    services.report(admin, station.id, 14, 450)
    services.report(admin, far.id, 14, 1000)  # the one beside it did not report at 14:00
    # Another election's reports are not this one's.
    stranger = StationFactory(registered=999)
    services.report(operator(stranger), stranger.id, 12, 999)

    everywhere = hours_of(services.by_hour(world["election"].id))
    assert everywhere[12] == (3, 3500, 1101, round(1101 / 3500, 4))
    assert everywhere[12][3] == 0.3146
    # The share is of the list of the stations that reported at that hour, not of all.
    assert everywhere[14] == (2, 3000, 1450, round(1450 / 3000, 4))
    assert everywhere[16] == (0, 0, 0, None)

    territory = hours_of(services.by_hour(world["election"].id, station.territory_id))
    assert territory[12] == (2, 1500, 401, round(401 / 1500, 4))
    assert territory[14] == (1, 1000, 450, 0.45)
    far_territory = hours_of(services.by_hour(world["election"].id, far.territory_id))
    assert far_territory[12] == (1, 2000, 700, 0.35)
    assert far_territory[14] == (1, 2000, 1000, 0.5)
    assert hours_of(services.by_hour(world["election"].id, "no.such.territory"))[12] == (
        0, 0, 0, None)
    # An empty territory is no filter.
    assert hours_of(services.by_hour(world["election"].id, "")) == everywhere


def test_a_share_above_the_list_is_reported_as_it_is(world):
    """Ballots issued beyond the list (voters added on the day) are summed as reported, not
    clipped: the evening criterion reads them."""
    services.report(world["op"], world["station"].id, 20, 1200)
    assert hours_of(services.by_hour(world["election"].id))[20] == (1, 1000, 1200, 1.2)


@pytest.mark.django_db(transaction=True)
def test_reports_are_written_only_in_the_callers_transaction():
    """`write` outside a transaction would leave part of a bulk write behind when one row fails
    (and on SQLite commit every row alone): it refuses, writing nothing."""
    from sailau import clock

    station = StationFactory(registered=1000)
    with pytest.raises(RuntimeError):
        services.write([(station.id, 10, 50, "operator", clock.now())], station.election_id)
    assert not TurnoutReport.objects.exists()

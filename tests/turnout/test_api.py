"""Turnout through election day over the API (/api/turnout/): a report by bearer token or
session, every refusal in the one error shape with its code and status, in kk and ru when asked
for; who may report; hostile bodies and station ids never a 500 and never a row; the same hour
twice at once a 409; the public reads."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from sailau.accounts.models import ApiToken
from sailau.api.errors import ErrorOut
from sailau.audit.models import Record
from sailau.errors import MESSAGES, Code
from sailau.law.turnout_hours import HOURS
from sailau.turnout import services
from sailau.turnout.models import TurnoutReport
from tests.factories import ContestFactory, DefinitiveProtocolFactory, StationFactory, operator
from tests.turnout.test_services import ALLOWED, REFUSED, make_world, stale_read, written

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def token_client(user, lang: str | None = None) -> Client:
    extra = {"HTTP_ACCEPT_LANGUAGE": lang} if lang else {}
    if user is None or not user.is_authenticated:
        return Client(**extra)
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user)}", **extra)


def post(client: Client, station: str, body, raw: bool = False):
    data = body if raw else json.dumps(body)
    return client.post(f"/api/turnout/stations/{station}", data=data,
                       content_type="application/json")


def error_of(r, status: int, code: str, field: str | None = None) -> dict:
    """The one error shape, with this status, code and field."""
    assert r.status_code == status, (r.status_code, r.content[:500])
    assert r["Content-Type"].startswith("application/json")
    body = ErrorOut.model_validate(r.json()).model_dump()
    assert body["error"] == code, body
    if field is not None:
        assert body["field"] == field, body
    assert body["message"]
    return body


def cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


# --- the report ------------------------------------------------------------------------------

def test_a_report_by_token_is_stored_with_its_audit_record(world):
    op, station = world["op"], world["station"]
    r = post(token_client(op), station.id, {"hour": 12, "issued": 306})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["station"], body["hour"], body["issued"]) == (station.id, 12, 306)
    row = TurnoutReport.objects.get()
    assert (row.station_id, row.hour, row.issued, row.reported_by) == (
        station.id, 12, 306, op.username)
    assert body["reported_at"] == row.reported_at.isoformat()
    rec = Record.objects.get(action="turnout.reported")
    assert (rec.actor, rec.subject, rec.payload) == (op.username, station.id,
                                                     {"hour": 12, "issued": 306})
    # The public read shows it, by hour.
    got = Client().get(f"/api/turnout/stations/{station.id}")
    assert got.status_code == 200
    assert got.json() == {"station": station.id, "reports": {"12": 306}}


def test_a_report_by_session(world):
    c = Client()
    c.force_login(world["op"])
    r = post(c, world["station"].id, {"hour": 14, "issued": 5})
    assert r.status_code == 200, r.content
    assert TurnoutReport.objects.get().reported_by == world["op"].username


# --- who may report --------------------------------------------------------------------------

@pytest.mark.parametrize("who", ALLOWED)
def test_those_covering_the_station_may_report(world, who):
    r = post(token_client(world["users"][who]), world["station"].id, {"hour": 16, "issued": 7})
    assert r.status_code == 200, r.content
    assert TurnoutReport.objects.get().reported_by == world["users"][who].username


@pytest.mark.parametrize("who", REFUSED)
def test_no_one_else_may_report(world, who):
    user = world["users"][who]
    before = written()
    r = post(token_client(user), world["station"].id, {"hour": 16, "issued": 7})
    if user is None or not user.is_authenticated:
        error_of(r, 401, Code.UNAUTHORIZED)
    else:
        error_of(r, 403, Code.NOT_ALLOWED)
    assert written() == before


def test_a_revoked_or_forged_token_is_401(world):
    before = written()
    forged = Client(HTTP_AUTHORIZATION="Bearer not-a-token")
    error_of(post(forged, world["station"].id, {"hour": 12, "issued": 1}), 401,
             Code.UNAUTHORIZED)
    t, key = ApiToken.create(world["op"])
    ApiToken.objects.filter(pk=t.pk).update(revoked_at=timezone.now())
    revoked = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    error_of(post(revoked, world["station"].id, {"hour": 12, "issued": 1}), 401,
             Code.UNAUTHORIZED)
    assert written() == before


# --- refusals, in the request's language -----------------------------------------------------

def _closed(world):
    station = world["station"]
    DefinitiveProtocolFactory(station=station, contest=ContestFactory(election=station.election))
    return {"hour": 18, "issued": 500}


def _reported(world):
    services.report(world["op"], world["station"].id, 14, 400)
    return {"hour": 14, "issued": 400}


def _order_earlier(world):
    services.report(world["op"], world["station"].id, 14, 400)
    return {"hour": 12, "issued": 401}


def _order_later(world):
    services.report(world["op"], world["station"].id, 14, 400)
    return {"hour": 20, "issued": 399}


REFUSALS = {
    "unknown station": (lambda w: {"hour": 12, "issued": 1}, "nope", 404, Code.UNKNOWN_STATION,
                        "station"),
    "hour": (lambda w: {"hour": 13, "issued": 1}, None, 422, Code.TURNOUT_HOUR, "hour"),
    "issued negative": (lambda w: {"hour": 12, "issued": -1}, None, 422, Code.BAD_INPUT,
                        "issued"),
    "issued huge": (lambda w: {"hour": 12, "issued": services.MAX_ISSUED + 1}, None, 422,
                    Code.BAD_INPUT, "issued"),
    "closed": (_closed, None, 409, Code.TURNOUT_CLOSED, None),
    "reported": (_reported, None, 409, Code.TURNOUT_REPORTED, "hour"),
    "order earlier": (_order_earlier, None, 422, Code.TURNOUT_ORDER, "issued"),
    "order later": (_order_later, None, 422, Code.TURNOUT_ORDER, "issued"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_every_refusal_answers_its_code_and_status(world, case):
    setup, station, status, code, field = REFUSALS[case]
    body = setup(world)
    before = written()
    r = post(token_client(world["op"]), station or world["station"].id, body)
    error_of(r, status, code, field)
    assert written() == before


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("case", REFUSALS)
def test_every_refusal_reads_in_kk_and_ru(world, case, lang):
    setup, station, status, code, field = REFUSALS[case]
    body = setup(world)
    r = post(token_client(world["op"], lang), station or world["station"].id, body)
    out = error_of(r, status, code, field)
    assert out["message"] == MESSAGES[code][lang]
    assert cyrillic(out["message"]) and out["message"] != MESSAGES[code]["en"]
    en = post(token_client(world["op"]), station or world["station"].id, body)
    assert en.status_code == status and not cyrillic(en.json()["message"])


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_refused_role_reads_in_kk_and_ru(world, lang):
    r = post(token_client(world["users"]["coordinator"], lang), world["station"].id,
             {"hour": 12, "issued": 1})
    out = error_of(r, 403, Code.NOT_ALLOWED)
    assert out["message"] == MESSAGES[Code.NOT_ALLOWED][lang]


# --- hostile input ---------------------------------------------------------------------------

HOSTILE_BODIES = {
    "hour a string": {"hour": "12", "issued": 10},
    "hour words": {"hour": "noon", "issued": 10},
    "hour a time": {"hour": "12:00", "issued": 10},
    "hour a float": {"hour": 12.5, "issued": 10},
    "hour a whole float": {"hour": 12.0, "issued": 10},
    "hour true": {"hour": True, "issued": 10},
    "hour null": {"hour": None, "issued": 10},
    "hour negative": {"hour": -12, "issued": 10},
    "hour huge": {"hour": 10**40, "issued": 10},
    "hour a list": {"hour": [12], "issued": 10},
    "issued a string": {"hour": 12, "issued": "10"},
    "issued words": {"hour": 12, "issued": "ten"},
    "issued a float": {"hour": 12, "issued": 10.5},
    "issued a whole float": {"hour": 12, "issued": 10.0},
    "issued an exponent": {"hour": 12, "issued": 1e3},
    "issued true": {"hour": 12, "issued": True},
    "issued false": {"hour": 12, "issued": False},
    "issued null": {"hour": 12, "issued": None},
    "issued negative": {"hour": 12, "issued": -5},
    "issued huge": {"hour": 12, "issued": 10**40},
    "issued an object": {"hour": 12, "issued": {"n": 10}},
    "no hour": {"issued": 10},
    "no issued": {"hour": 12},
    "empty": {},
    "a list": [12, 10],
    "a number": 12,
    "a string": "12,10",
    "null": None,
}


@pytest.mark.parametrize("case", HOSTILE_BODIES)
def test_hostile_bodies_are_refused_without_a_row(world, case):
    before = written()
    r = post(token_client(world["op"]), world["station"].id, HOSTILE_BODIES[case])
    assert r.status_code == 422, (r.status_code, r.content[:300])
    out = error_of(r, 422, r.json()["error"])
    assert out["error"] in (Code.BAD_INPUT, Code.TURNOUT_HOUR)
    assert written() == before


@pytest.mark.parametrize("raw", ["", "{", "hour=12&issued=10", '{"hour": 12, "issued": NaN}',
                                 '{"hour": 12, "issued": Infinity}', '{"hour": 12, "issued": 1e999}',
                                 '{"hour": 12, "issued": 10, "issued": true}',
                                 '{"hour": 12, "issued": "\\u0000"}', "\ufeff{}", "[" * 5000])
def test_unparsable_bodies_are_refused_without_a_row(world, raw):
    before = written()
    r = post(token_client(world["op"]), world["station"].id, raw, raw=True)
    assert r.status_code in (400, 422), (r.status_code, r.content[:300])
    ErrorOut.model_validate(r.json())
    assert written() == before


def test_missing_fields_are_named(world):
    """(As every schema refusal of the API names it: "body.hour".)"""
    c = token_client(world["op"])
    for body, field in (({"issued": 10}, "hour"), ({"hour": 12}, "issued")):
        out = error_of(post(c, world["station"].id, body), 422, Code.BAD_INPUT)
        assert out["field"].split(".")[-1] == field
        assert field in out["message"]


def test_extra_fields_change_nothing(world):
    """A body naming the reporter, the time or another station is the token's report, now, of
    the station in the path."""
    r = post(token_client(world["op"]), world["station"].id,
             {"hour": 12, "issued": 10, "reported_by": "someone", "station": world["other"].id,
              "reported_at": "2023-03-19T06:00:00Z"})
    assert r.status_code == 200, r.content
    row = TurnoutReport.objects.get()
    assert (row.station_id, row.reported_by) == (world["station"].id, world["op"].username)


@pytest.mark.parametrize("station", ["nope", "%27%3B%20DROP%20TABLE%20x%3B--", "..",
                                     "%D1%83%D1%87%D0%B0%D1%81%D0%BA%D0%B5", "x" * 3000,
                                     "%20", "%E2%80%AE", "%F0%9F%97%B3", "1.0", "-1",
                                     "%25", "%FF%FE"])
def test_odd_station_ids_are_404(world, station):
    before = written()
    r = post(token_client(world["op"]), station, {"hour": 12, "issued": 10})
    error_of(r, 404, Code.UNKNOWN_STATION, "station")
    error_of(Client().get(f"/api/turnout/stations/{station}"), 404, Code.UNKNOWN_STATION)
    assert written() == before


@pytest.mark.parametrize("station", ["%00", "a%00b"])
def test_a_nul_in_the_station_id_is_refused(world, station):
    before = written()
    r = post(token_client(world["op"]), station, {"hour": 12, "issued": 10})
    error_of(r, 422, Code.BAD_INPUT)
    assert written() == before


@pytest.mark.parametrize("tail", ["/extra", "%2F..%2F..%2Fetc", "/"])
def test_a_station_path_with_a_slash_is_no_route(world, tail):
    r = post(token_client(world["op"]), f"{world['station'].id}{tail}", {"hour": 12, "issued": 1})
    assert r.status_code in (404, 405)
    ErrorOut.model_validate(r.json())
    assert not TurnoutReport.objects.exists()


# --- the same hour twice at once ---------------------------------------------------------------

def test_a_report_racing_another_of_the_same_hour_is_a_409(world, monkeypatch):
    station = world["station"]
    assert post(token_client(world["op"]), station.id, {"hour": 12, "issued": 300}).status_code \
        == 200
    before = written()
    stale_read(monkeypatch)
    r = post(token_client(world["users"]["admin"], "ru"), station.id, {"hour": 12, "issued": 350})
    out = error_of(r, 409, Code.TURNOUT_REPORTED, "hour")
    assert out["message"] == MESSAGES[Code.TURNOUT_REPORTED]["ru"]
    assert written() == before
    assert TurnoutReport.objects.get().issued == 300


# --- public reads ------------------------------------------------------------------------------

def test_a_stations_reports_in_hour_order(world):
    op, station = world["op"], world["station"]
    services.report(op, station.id, 16, 500)
    services.report(op, station.id, 12, 200)
    r = Client().get(f"/api/turnout/stations/{station.id}")
    assert r.status_code == 200
    assert list(r.json()["reports"].items()) == [("12", 200), ("16", 500)]
    empty = Client().get(f"/api/turnout/stations/{world['other'].id}")
    assert empty.json() == {"station": world["other"].id, "reports": {}}


def test_by_hour_of_an_election_and_a_territory(world):
    admin = world["users"]["admin"]
    station, other, far = world["station"], world["other"], world["far"]
    services.report(admin, station.id, 12, 300)
    services.report(admin, other.id, 12, 100)
    services.report(admin, far.id, 12, 700)
    stranger = StationFactory()
    services.report(operator(stranger), stranger.id, 12, 999)
    election = world["election"].id

    r = Client().get(f"/api/turnout/elections/{election}")
    assert r.status_code == 200
    body = r.json()
    assert (body["election"], body["territory"]) == (election, None)
    assert [h["hour"] for h in body["hours"]] == list(HOURS)
    noon = body["hours"][0]
    assert noon == {"hour": 12, "stations": 3, "voters_on_list": 3500, "issued": 1100,
                    "share": round(1100 / 3500, 4)}
    assert body["hours"][1] == {"hour": 14, "stations": 0, "voters_on_list": 0, "issued": 0,
                                "share": None}

    r = Client().get(f"/api/turnout/elections/{election}", {"territory": station.territory_id})
    assert r.json()["territory"] == station.territory_id
    assert r.json()["hours"][0] == {"hour": 12, "stations": 2, "voters_on_list": 1500,
                                    "issued": 400, "share": round(400 / 1500, 4)}
    r = Client().get(f"/api/turnout/elections/{election}", {"territory": "nope'--"})
    assert r.status_code == 200 and r.json()["hours"][0]["stations"] == 0


def test_by_hour_with_no_reports(world):
    r = Client().get(f"/api/turnout/elections/{world['election'].id}")
    assert r.status_code == 200
    assert [(h["stations"], h["issued"], h["share"]) for h in r.json()["hours"]] == [
        (0, 0, None)] * len(HOURS)


@pytest.mark.parametrize("election", ["nope", "%27--", "x" * 3000, "%D1%8B"])
def test_by_hour_of_an_unknown_election_is_404(world, election):
    error_of(Client().get(f"/api/turnout/elections/{election}"), 404, Code.UNKNOWN_ELECTION,
             "election")
    out = error_of(Client(HTTP_ACCEPT_LANGUAGE="kk").get(f"/api/turnout/elections/{election}"),
                   404, Code.UNKNOWN_ELECTION)
    assert out["message"] == MESSAGES[Code.UNKNOWN_ELECTION]["kk"]

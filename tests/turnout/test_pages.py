"""Turnout through election day, the pages: the commission's form (a report received, every
refusal at its field in kk and ru with a 4xx status, who may open it, the link from the work
list), the public table on the election's and a territory's page (summed from the reports, at
none, one and several stations), and I23's evidence on the integrity page in the page's
language."""

import re

import pytest
from django.test import Client

from sailau.accounts.models import Role
from sailau.errors import MESSAGES, Code
from sailau.integrity import views as integrity_views
from sailau.law.turnout_hours import HOURS
from sailau.turnout import public, services
from sailau.turnout.models import TurnoutReport
from tests.factories import (
    CecFactory,
    ContestFactory,
    DefinitiveProtocolFactory,
    RoleFactory,
    StationFactory,
    beside,
    coordinator,
    operator,
)

pytestmark = pytest.mark.django_db

# What each language's page says for a number that is not one (turnout.views.ISSUED_FORMAT).
NOT_A_NUMBER = {"kk": "бүтін сан", "ru": "целое число", "en": "a whole number from 0 to"}


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def url(station, lang="kk") -> str:
    return f"/{lang}/entry/turnout/{station.id}/"


def field_error(html: str, field: str) -> str:
    """The message written at a field of the form ("" if none)."""
    m = re.search(rf'id="why-{field}"><div class="finding error">(.*?)</div>', html, re.DOTALL)
    return m.group(1).strip() if m else ""


def section(html: str) -> str:
    """The public turnout section of a page, its text only ("" if the page has none)."""
    m = re.search(r'<section aria-labelledby="turnout-day".*?</section>', html, re.DOTALL)
    return re.sub(r"<[^>]+>", " ", m.group(0)) if m else ""


@pytest.fixture
def station():
    return StationFactory(registered=1000)


# -- the commission's form ------------------------------------------------------------------
def test_a_report_is_received_and_listed_and_its_hour_no_longer_offered(station):
    c = client_for(operator(station))
    page = c.get(url(station)).content.decode()
    assert [f'<option value="{h}"' in page for h in HOURS] == [True] * len(HOURS)
    assert "Әзірге хабар жоқ." in page  # no report yet, in Kazakh
    r = c.post(url(station), {"hour": "12", "issued": "1 234"})  # a thousands space is read
    assert r.status_code == 302 and r["Location"] == url(station) + "?reported=12"
    row = TurnoutReport.objects.get(station=station)
    assert (row.hour, row.issued) == (12, 1234)
    page = c.get(r["Location"]).content.decode()
    assert "12:00: хабар қабылданды." in page
    assert '<th scope="row">12:00</th><td class="n">1\u202f234</td>' in page
    assert '<option value="12"' not in page and 'value="14" selected' in page


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("hour,issued,field,status,expect", [
    ("12", "сто", "issued", 422, "number"),
    ("12", "12abc", "issued", 422, "number"),
    ("12", "-5", "issued", 422, "number"),
    ("12", "99999999999999999999", "issued", 422, "number"),
    ("12", "1000001", "issued", 422, "number"),
    ("12", "", "issued", 422, "number"),
    ("13", "100", "hour", 422, Code.TURNOUT_HOUR),
    ("twelve", "100", "hour", 422, Code.TURNOUT_HOUR),
    ("", "100", "hour", 422, Code.TURNOUT_HOUR),
])
def test_hostile_input_is_refused_at_its_field_in_the_page_language(station, lang, hour, issued,
                                                                      field, status, expect):
    r = client_for(operator(station)).post(url(station, lang), {"hour": hour, "issued": issued})
    html = r.content.decode()
    assert r.status_code == status
    said = field_error(html, field)
    if expect == "number":
        assert NOT_A_NUMBER[lang] in said and "1\u202f000\u202f000" in said
    else:
        assert said == MESSAGES[expect][lang]
    assert 'aria-invalid="true"' in html and 'role="alert"' in html
    assert not re.search(r"[A-Za-z]{3,}", said)  # no English, no id
    assert not TurnoutReport.objects.exists()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_same_hour_twice_and_out_of_order_are_refused_with_the_codes_texts(station, lang):
    c = client_for(operator(station))
    assert c.post(url(station, lang), {"hour": "14", "issued": "500"}).status_code == 302
    again = c.post(url(station, lang), {"hour": "14", "issued": "510"})
    assert again.status_code == 409
    assert field_error(again.content.decode(), "hour") == MESSAGES[Code.TURNOUT_REPORTED][lang]
    fewer = c.post(url(station, lang), {"hour": "16", "issued": "400"})
    assert fewer.status_code == 422
    assert field_error(fewer.content.decode(), "issued") == MESSAGES[Code.TURNOUT_ORDER][lang]
    assert services.of_station(station.id) == {14: 500}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_once_the_protocol_is_in_the_form_is_closed(lang):
    station = StationFactory(registered=1000)
    contest = ContestFactory(election=station.election)
    DefinitiveProtocolFactory(station=station, contest=contest)
    c = client_for(operator(station))
    page = c.get(url(station, lang)).content.decode()
    assert MESSAGES[Code.TURNOUT_CLOSED][lang] in page and 'id="turnout-form"' not in page
    r = c.post(url(station, lang), {"hour": "20", "issued": "600"})
    assert r.status_code == 409
    alert = re.search(r'role="alert" id="problem">(.*?)</p>', r.content.decode()).group(1)
    assert alert == MESSAGES[Code.TURNOUT_CLOSED][lang]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_who_is_not_the_stations_operator_is_refused(station, lang):
    others = {"coordinator": coordinator(station.territory),
              "operator of another station": operator(beside(station))}
    for who, user in others.items():
        c = client_for(user)
        for r in (c.get(url(station, lang)), c.post(url(station, lang),
                                                   {"hour": "12", "issued": "5"})):
            html = r.content.decode()
            assert r.status_code == 403, who
            said = re.search(r'<p class="error" role="alert">(.*?)</p>', html, re.DOTALL).group(1)
            assert said == MESSAGES[Code.NOT_ALLOWED][lang], who  # no login name, no id
    assert not TurnoutReport.objects.exists()
    anonymous = Client().get(url(station, lang))
    assert anonymous.status_code == 302 and f"/{lang}/entry/login/" in anonymous["Location"]
    missing = client_for(operator(station)).get(f"/{lang}/entry/turnout/no.such.station/")
    assert missing.status_code == 404
    assert MESSAGES[Code.UNKNOWN_STATION][lang] in missing.content.decode()


def test_the_work_list_links_each_station_to_its_turnout_page():
    station = StationFactory(registered=1000)
    ContestFactory(election=station.election)
    link = f'href="{url(station)}"'
    assert link in client_for(operator(station)).get("/kk/entry/").content.decode()
    # A coordinator does not report turnout: no link, though the station is listed.
    page = client_for(coordinator(station.territory)).get("/kk/entry/").content.decode()
    assert f"<th scope=\"row\" data-label=\"Учаске\">{station.number}</th>" in page
    assert link not in page


# -- the public table -----------------------------------------------------------------------
def test_at_no_report_the_sums_are_empty_and_the_pages_say_nothing(station):
    t = public.table(station.election_id)
    assert t["stations"] == 1 and not t["reported"] and t["latest"] is None
    assert [(h["hour"], h["stations"], h["issued"], h["share"]) for h in t["hours"]] == [
        (h, 0, 0, None) for h in HOURS]
    assert section(Client().get(f"/kk/e/{station.election_id}/").content.decode()) == ""
    territory = Client().get(f"/kk/e/{station.election_id}/c/{station.territory_id}/")
    assert territory.status_code == 200 and section(territory.content.decode()) == ""


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_one_stations_report_is_the_table_and_the_page_is_in_its_language(station, lang):
    services.report(operator(station), station.id, 12, 305)
    t = public.table(station.election_id)
    assert t["latest"]["hour"] == 12 and t["latest"]["share"] == 0.305
    text = section(Client().get(f"/{lang}/e/{station.election_id}/").content.decode())
    assert "12:00" in text and "305" in text and "30,50%" in text
    assert re.search(r"1\s+/\s+1", text)  # one station of one reported at 12:00
    assert re.findall(r"[A-Za-z]{2,}", text) == []  # no English, no id


def test_several_stations_summed_per_hour_and_per_territory():
    a = StationFactory(registered=1000)
    b = beside(a, registered=500)
    far = StationFactory(election=a.election, registered=2000)  # another territory
    beside(far, registered=700)  # reports nothing
    for s, figures in ((a, {12: 300, 14: 450}), (b, {12: 100}), (far, {12: 800, 14: 1000})):
        for hour, issued in figures.items():
            services.report(operator(s), s.id, hour, issued)
    country = {h["hour"]: h for h in public.table(a.election_id)["hours"]}
    assert (country[12]["stations"], country[12]["issued"], country[12]["voters_on_list"]) == \
        (3, 1200, 3500)
    assert (country[14]["stations"], country[14]["issued"]) == (2, 1450)
    assert country[16]["stations"] == 0 and country[16]["share"] is None
    mine = public.table(a.election_id, a.territory_id)
    assert mine["stations"] == 2 and mine["latest"]["hour"] == 14
    mine = {h["hour"]: h for h in mine["hours"]}
    assert (mine[12]["stations"], mine[12]["issued"], mine[12]["share"]) == (2, 400, 0.2667)
    assert (mine[14]["stations"], mine[14]["issued"], mine[14]["share"]) == (1, 450, 0.45)
    page = section(Client().get(f"/ru/e/{a.election_id}/c/{a.territory_id}/").content.decode())
    assert re.search(r"12:00\s+400\s+26,67%\s+2\s+/\s+2", page)
    assert re.search(r"14:00\s+450\s+45,00%\s+1\s+/\s+2", page)
    national = section(Client().get(f"/ru/e/{a.election_id}/").content.decode())
    assert re.search(r"12:00\s+1\u202f200\s+34,29%\s+3\s+/\s+4", national)
    # A territory with no report of its own says so, once the election has reports.
    empty = StationFactory(election=a.election)
    page = section(Client().get(f"/ru/e/{a.election_id}/c/{empty.territory_id}/")
                   .content.decode())
    assert "Ни один участок здесь ещё не сообщил о явке." in page


def test_a_new_report_reaches_the_cached_election_page(station):
    services.report(operator(station), station.id, 12, 100)
    c = Client()
    first = c.get(f"/kk/e/{station.election_id}/")
    assert c.get(f"/kk/e/{station.election_id}/")["X-Page-Cache"] == "hit"
    services.report(operator(station), station.id, 14, 250)
    later = c.get(f"/kk/e/{station.election_id}/")
    assert later["ETag"] != first["ETag"] and "14:00" in section(later.content.decode())


# -- the integrity page's words for I23 -----------------------------------------------------
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_evening_evidence_has_no_english_on_kk_and_ru_pages(lang):
    evidence = {"evening_hour": 18, "issued_by_evening": 610, "issued": 702,
                "issued_after": 92, "share_after": 0.131, "share_after_median": 0.021,
                "evening_z": 5.12, "bar": 3.9, "group": "*", "peers": "city",
                "after_evening_beyond_median": 77}
    items = integrity_views.evidence_items(evidence, lang, words=None)
    text = " ".join(map(str, items))
    assert re.findall(r"[A-Za-z]{2,}", text.replace("*", "")) == [], text
    assert len(items) == len(evidence)
    assert "18:00" in text and re.search(r"13[.,]1%", text) and re.search(r"2[.,]1%", text)


def test_an_admin_of_the_election_may_report_too(station):
    admin = RoleFactory(kind=Role.ADMIN, commission=CecFactory(election=station.election)).user
    r = client_for(admin).post(url(station, "ru"), {"hour": "12", "issued": "10"})
    assert r.status_code == 302 and services.of_station(station.id) == {12: 10}

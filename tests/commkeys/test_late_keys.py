"""A commission's own key registered after the polls closed is accepted but flagged: on the
station page, beside a protocol awaiting its signature and beside the signature it made, and in
the integrity report, in kk, ru and en (no English on the kk and ru pages)."""

import datetime as dt

import pytest
from django.test import Client

from sailau.elections.models import CommissionKey
from sailau.integrity import service, table
from tests.commkeys.conftest import Commission

pytestmark = pytest.mark.django_db

HEADING = {"kk": "Дауыс беру аяқталғаннан кейін тіркелген комиссия кілттері",
           "ru": "Ключи комиссий, зарегистрированные после закрытия участков",
           "en": "Commission keys registered after the polls closed"}
AWAITING = {"kk": "Комиссияның кілті дауыс беру аяқталғаннан кейін тіркелген",
            "ru": "Ключ комиссии зарегистрирован после закрытия участков",
            "en": "The commission's key was registered after the polls closed"}


def station_page(own, lang):
    r = Client().get(f"/{lang}/e/{own.election.id}/s/{own.station.number}/")
    assert r.status_code == 200
    return r.content.decode()


def report_page(own, lang):
    r = Client().get(f"/{lang}/e/{own.election.id}/integrity/")
    assert r.status_code == 200
    return r.content.decode()


@pytest.fixture
def data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path))


def test_a_late_key_is_flagged_on_the_station_page(own):
    assert own.register().status_code == 200 and own.confirm().status_code == 200
    assert CommissionKey.objects.get(commission=own.commission, held_by_server=False).late
    own.enter()
    for lang, text in AWAITING.items():  # awaiting its signature: the key that must sign
        html = station_page(own, lang)
        assert text in html and own.key_id in html, lang
    assert "after the polls" not in station_page(own, "kk") + station_page(own, "ru")
    assert own.sign().status_code == 200
    kk = station_page(own, "kk")
    # signed: the signature's own flag, not twice
    assert "Кілт дауыс беру аяқталғаннан кейін тіркелген" in kk and AWAITING["kk"] not in kk


def test_a_key_registered_before_the_polls_closed_is_not_flagged(own):
    assert own.register().status_code == 200 and own.confirm().status_code == 200
    CommissionKey.objects.filter(commission=own.commission, held_by_server=False).update(
        late=False, created_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    own.enter()
    assert AWAITING["en"] not in station_page(own, "en")


def test_a_late_key_is_in_the_integrity_report(data_dir, own, people):
    Commission(own.syn, own.election, people, people.stations[-1]).enter()
    contest = table.principal_contest(own.election.id)
    assert service.get(contest)["late_keys"] == []
    assert HEADING["en"] not in report_page(own, "en")
    assert own.register().status_code == 200 and own.confirm().status_code == 200
    own.enter()
    assert own.sign().status_code == 200
    data = service.get(contest)  # a key and a signature since: recomputed, not the cache
    [late] = data["late_keys"]
    assert (late["commission"], late["key_id"], late["station"], late["signed"]) == (
        own.commission.pk, own.key_id, own.station.number, 1)
    assert late["confirmed_by"] == own.commission.parent_id and not late["revoked"]
    for lang, heading in HEADING.items():
        html = report_page(own, lang)
        assert heading in html and own.key_id in html, lang
        if lang != "en":
            assert HEADING["en"] not in html and "Protocols signed" not in html
            assert own.commission.pk not in html  # the commission by name, not by its id
    assert own.commission.name("ru") in report_page(own, "ru")

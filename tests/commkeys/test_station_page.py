"""The station page says who signed each protocol: the commission with its own key (which
commission confirmed it, whether it was registered late) or the server; and a protocol that is
definitive but awaits the commission's signature is shown as such, with none of its figures."""

import pytest
from django.test import Client

from tests.commkeys.conftest import Commission

pytestmark = pytest.mark.django_db


def page(own, lang):
    r = Client().get(f"/{lang}/e/{own.election.id}/s/{own.station.number}/")
    assert r.status_code == 200
    return r.content.decode()


def test_awaiting_then_signed_by_the_commission(own):
    assert own.register().status_code == 200 and own.confirm().status_code == 200
    own.enter()
    assert "Түпкілікті, комиссияның қолтаңбасын күтуде" in page(own, "kk")
    assert "Окончательный, ожидает подписи комиссии" in page(own, "ru")
    assert own.sign().status_code == 200
    kk, en = page(own, "kk"), page(own, "en")
    assert "Комиссия өз кілтімен қол қойды" in kk and own.key_id in kk
    assert "Кілт дауыс беру аяқталғаннан кейін тіркелген" in kk  # registered after the polls
    assert "Signed by the commission with its own key" in en
    assert "awaiting the commission" not in en and "held by the server" not in en


def test_a_protocol_signed_by_the_server_is_marked(own, people):
    other = Commission(own.syn, own.election, people, people.stations[-1])
    other.enter()
    assert "Комиссия емес, сервердегі кілтпен қол қойылған" in page(other, "kk")
    assert "Signed with a key held by the server, not by the commission" in page(other, "en")


def test_the_operator_is_told_the_protocol_awaits_the_signature(own):
    assert own.register().status_code == 200 and own.confirm().status_code == 200
    own.enter()
    view = own.members[0].get(f"/api/protocols/{own.station.id}/{own.contest}/entry").json()
    assert view["state"] == "definitive" and view["awaiting_signature"] is True
    r = own.members[1].get(f"/ru/entry/{own.station.id}/{own.contest}/2/done/?event=definitive")
    assert "ожидает подписи комиссии" in r.content.decode()
    home = own.members[0].get("/kk/entry/").content.decode()
    assert "Түпкілікті, комиссияның қолтаңбасын күтуде" in home
    assert own.sign().status_code == 200
    view = own.members[0].get(f"/api/protocols/{own.station.id}/{own.contest}/entry").json()
    assert view["awaiting_signature"] is False

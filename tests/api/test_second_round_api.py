"""The second round through the API (`POST /api/elections/{id}/second-round`): a CEC
administrator of the first round creates it, as `sailau structure second-round` does; every
other role is refused 403 and nothing is created; a first round that elected is refused with
its reason in kk, ru and en, through the one error model."""

import json

import pytest
from django.test import Client

from sailau.elections.models import Commission, Election
from sailau.errors import Code
from tests.chain_fixtures import People
from tests.elections.president import first_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SAILAU_DATA_DIR", str(tmp_path / "data"))


def _post(user, election_id, body=None, lang="en"):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.post(f"/api/elections/{election_id}/second-round", json.dumps(body or {}),
                       content_type="application/json", HTTP_ACCEPT_LANGUAGE=lang)


def test_a_cec_administrator_creates_the_second_round_others_are_refused(data_dir):
    first = first_round()  # no majority: Tokayev and Daukeyeva go to a second round
    people = People(first)
    station = first.stations.order_by("number")[0]
    territory = first.commissions.filter(level=Commission.TERRITORIAL).first()
    for who in (None, people.user(), people.operator(station),
                people.coordinator(territory.id), people.user("operator", territory.id)):
        r = _post(who, first.id)
        assert r.status_code == (401 if who is None else 403), (who, r.status_code, r.content)
        assert r.json()["error"] == (Code.UNAUTHORIZED if who is None else Code.NOT_ALLOWED)
    assert not Election.objects.filter(id=f"{first.id}.round2").exists()

    r = _post(people.admin(), first.id)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["election"] == f"{first.id}.round2" and body["first_round"] == first.id
    assert body["candidates"] == ["tokayev", "daukeyeva"]
    second = Election.objects.get(id=body["election"])
    assert second.stations.count() == first.stations.count() == body["stations"]
    # a second call: the log names its second round already
    again = _post(people.admin(), first.id)
    assert again.status_code == 409 and again.json()["error"] == Code.SECOND_ROUND_EXISTS


@pytest.mark.parametrize("lang,said", [("kk", "Тоқаев Қ."), ("ru", "Токаев К."),
                                       ("en", "Tokayev K. was elected")])
def test_a_first_round_that_elected_is_refused_with_its_reason(data_dir, lang, said):
    first = first_round({"tokayev": 80, "daukeyeva": 10, "tasmagambetov": 9, "against_all": 1})
    r = _post(People(first).admin(), first.id, lang=lang)
    assert r.status_code == 409, r.content
    err = r.json()
    assert err["error"] == Code.NO_SECOND_ROUND and err["field"] == "election"
    assert said in err["message"], err
    assert not Election.objects.filter(id=f"{first.id}.round2").exists()


def test_a_publication_that_cannot_settle_leaves_the_second_round_made(data_dir, monkeypatch):
    """The first round's files name their second round at the next publication when arrivals
    keep the log unsettled: the round is made and the answer says so, never a 500."""
    from sailau.publish.pipeline import logstep, snapshots

    first = first_round()
    monkeypatch.setattr(snapshots, "latest_manifest", lambda eid: {"sequence": 1})

    def unsettled(eid):
        raise logstep.Unsettled(detail={"election": eid})
    monkeypatch.setattr(snapshots, "publish", unsettled)
    r = _post(People(first).admin(), first.id)
    assert r.status_code == 200, r.content
    assert r.json()["first_round_republished"] is False
    assert Election.objects.filter(id=f"{first.id}.round2").exists()

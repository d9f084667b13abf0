"""A manager cannot enlist just anyone: an account with a commission role in the election is
refused, and any other account becomes the observer only when its owner accepts."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from sailau.accounts.models import Role
from sailau.observation import models as m
from sailau.observation import services
from sailau.observation.errors import ObservationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(org_setup):
    return org_setup["organisation"], org_setup["manager"]


def test_a_commission_member_cannot_be_enlisted(org, election):
    organisation, manager = org
    operator = User.objects.create_user("station-operator")
    st = election.stations.order_by("number").first()
    Role.objects.create(user=operator, kind=Role.OPERATOR, commission=st.commission)
    with pytest.raises(ObservationError) as refused:
        services.register_observer(manager, organisation.pk, "citizen", "Оператор",
                                   "station-operator")
    assert refused.value.code == "commission_member"
    assert not m.Observer.objects.filter(full_name="Оператор").exists()


def test_the_account_becomes_the_observer_only_when_its_owner_accepts(org):
    organisation, manager = org
    person = User.objects.create_user("willing")
    obs = services.register_observer(manager, organisation.pk, "citizen", "Ерлан", "willing")
    obs.refresh_from_db()
    assert obs.user is None and not Role.objects.filter(user=person).exists()
    client = Client()
    client.force_login(person)
    assert client.get("/api/observation/me").status_code == 403  # not an observer yet
    listed = client.get("/api/observation/invitations").json()
    assert [(i["organisation"], i["status"]) for i in listed] == [(organisation.pk, "pending")]
    # Nobody else answers for them.
    stranger = Client()
    stranger.force_login(User.objects.create_user("stranger"))
    assert stranger.post(f"/api/observation/invitations/{listed[0]['id']}/accept").status_code == 404
    r = client.post(f"/api/observation/invitations/{listed[0]['id']}/accept")
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    obs.refresh_from_db()
    assert obs.user == person
    assert Role.objects.filter(user=person, kind=Role.OBSERVER, organisation=organisation).exists()
    assert client.get("/api/observation/me").json()["observer"] == obs.pk
    assert client.post(f"/api/observation/invitations/{listed[0]['id']}/accept").status_code == 409


def test_a_declined_invitation_enlists_nobody(org):
    organisation, manager = org
    person = User.objects.create_user("unwilling")
    obs = services.register_observer(manager, organisation.pk, "citizen", "Айжан", "unwilling")
    inv = services.answer_invitation(person, obs.invitations.get().pk, accept=False)
    obs.refresh_from_db()
    assert inv.status == "declined" and obs.user is None
    assert not Role.objects.filter(user=person).exists()

"""The demo's accounts: one per role, each can sign in with its documented password and holds
exactly its role; making them again resets them rather than duplicating anything."""

import datetime as dt

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_one_account_per_role_signs_in_with_its_documented_password(election, make_user):
    from sailau.accounts.models import Role
    from sailau.demo.accounts import create_demo_accounts, table
    from sailau.elections.models import Commission
    from sailau.observation import services as observation

    election.synthetic = True
    election.save()
    admin = make_user("cec")
    Role.objects.create(user=admin, kind=Role.ADMIN,
                        commission=Commission.objects.get(election=election, level="cec"))
    acc = observation.apply(make_user("founder"), election.id, "citizen", "Қор")
    observation.decide(admin, acc.pk, "granted", "1/2023", dt.date(2023, 3, 1))
    obs = observation.register_observer(admin, acc.organisation_id, "citizen", "Бақылаушы")
    observation.deploy(admin, obs.pk, election.stations.order_by("number").first().number)

    rows = create_demo_accounts()
    assert {k for _, k, _, _ in rows} == {"admin", "coordinator", "operator", "org_manager",
                                          "observer", "decider", "citizen"}
    assert len(rows) == 8  # operators of a precinct and of a district
    for username, kind, scope, password in rows:
        assert password == f"demo-{username.removeprefix('demo-')}"
        c = Client()
        assert c.login(username=username, password=password), username
        roles = c.get("/api/accounts/me").json()["roles"]
        assert [r["kind"] for r in roles] == [kind], username
    assert create_demo_accounts() == rows
    assert Role.objects.filter(user__username__startswith="demo-").count() == 8
    assert "DEMO ONLY" in table(rows) and "demo-admin" in table(rows)


def test_the_operator_gets_a_station_the_night_leaves_for_visitors(election):
    """Otherwise the simulated night may enter the demo operator's station before a visitor
    signs in, and there is nothing left to type."""
    from sailau.demo.accounts import create_demo_accounts

    election.synthetic = True
    election.save()
    last = election.stations.order_by("number").last()
    rows = {k: scope for u, k, scope, _ in create_demo_accounts(free=[last.number])
            if u == "demo-operator"}
    assert rows == {"operator": last.commission_id}

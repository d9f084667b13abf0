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
    # operators of a precinct and of a district, coordinators of a territory and of the
    # district above the operator's precinct (it confirms the key the operator makes)
    assert len(rows) == 9
    scopes = {u: scope for u, _, scope, _ in rows}
    from sailau.elections.models import Commission as C

    assert C.objects.get(pk=scopes["demo-operator"]).parent_id == \
        scopes["demo-district-coordinator"]
    for username, kind, scope, password in rows:
        assert password == f"demo-{username.removeprefix('demo-')}"
        c = Client()
        assert c.login(username=username, password=password), username
        roles = c.get("/api/accounts/me").json()["roles"]
        assert [r["kind"] for r in roles] == [kind], username
    assert create_demo_accounts() == rows
    assert Role.objects.filter(user__username__startswith="demo-").count() == 9
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


def test_the_observer_watches_a_station_whose_night_is_still_open(election, make_user):
    """A visitor signing in as demo-observer can try the phone app on a count still to come."""
    from sailau.accounts.models import Role
    from sailau.demo.accounts import create_demo_accounts
    from sailau.elections.models import Commission
    from sailau.observation import services as observation
    from sailau.observation.models import Observer
    from sailau.protocols.models import Protocol

    election.synthetic = True
    election.save()
    admin = make_user("cec")
    Role.objects.create(user=admin, kind=Role.ADMIN,
                        commission=Commission.objects.get(election=election, level="cec"))
    acc = observation.apply(make_user("founder"), election.id, "citizen", "Қор")
    observation.decide(admin, acc.pk, "granted", "1/2023", dt.date(2023, 3, 1))
    obs = observation.register_observer(admin, acc.organisation_id, "citizen", "Бақылаушы")
    first, last = election.stations.order_by("number")[0], election.stations.order_by("number").last()
    observation.deploy(admin, obs.pk, first.number)
    contest = election.contests.order_by("id").first()
    Protocol.objects.create(station=first, contest=contest, figures={}, choices={},
                            source="import")  # the night reached the first station
    create_demo_accounts(free=[last.number])
    create_demo_accounts(free=[last.number])  # again: nothing doubled
    watched = set(Observer.objects.get(user__username="demo-observer")
                  .deployments.values_list("station__number", flat=True))
    assert watched == {first.number, last.number}
    assert not Protocol.objects.filter(station=last).exists()


def _a_complaint(election, body: str) -> tuple:
    """(the data of a voter's complaint about the election's first station to `body`, that
    station); the election made the demo's."""
    import datetime as dt

    from django.utils import timezone

    election.synthetic = True
    election.save()
    st = election.stations.order_by("number").first()
    return {"election": election.id, "filer_kind": "voter", "filer_name": "A Voter",
            "against_kind": "commission", "against_name": "PEC", "topic": "counting",
            "text": "Ballots not shown.", "body": body, "station": st.number,
            "filed_at": timezone.make_aware(dt.datetime.combine(election.date, dt.time(10)))}, st


def test_the_decider_decides_where_the_demos_complaints_go(election):
    """The most urgent open complaint's commission, and the CEC, where a complaint that names
    no station goes: before, a visitor's complaint to a commission reached nobody in the demo."""
    from django.contrib.auth import get_user_model

    from sailau.accounts.permissions import may_decide
    from sailau.complaints import services as complaints
    from sailau.demo.accounts import create_demo_accounts

    data, st = _a_complaint(election, "higher_commission")
    to_district, _ = complaints.file_complaint(data)
    to_cec, _ = complaints.file_complaint({**data, "station": None, "text": "Campaign."})
    rows = create_demo_accounts()
    scopes = {scope for u, _, scope, _ in rows if u == "demo-decider"}
    cec = election.commissions.get(level="cec")
    assert scopes == {st.district_id, cec.id}
    decider = get_user_model().objects.get(username="demo-decider")
    assert may_decide(decider, to_district) and may_decide(decider, to_cec)


def test_a_complaint_to_the_commission_above_the_deciders_station_reaches_it(election):
    """The most urgent open complaint is to a station's own commission: the same station's
    complaint to the "higher commission" goes to the district, which the decider decides too."""
    from django.contrib.auth import get_user_model

    from sailau.accounts.permissions import may_decide
    from sailau.complaints import services as complaints
    from sailau.demo.accounts import create_demo_accounts

    data, st = _a_complaint(election, "commission")
    to_station, _ = complaints.file_complaint(data)
    create_demo_accounts()
    to_district, _ = complaints.file_complaint({**data, "body": "higher_commission",
                                                "text": "Observers sent out."})
    decider = get_user_model().objects.get(username="demo-decider")
    assert to_station.body_commission_id == st.commission_id
    assert to_district.body_commission_id == st.district_id
    assert may_decide(decider, to_station) and may_decide(decider, to_district)

import pytest


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker, small_synthetic):
    """The small synthetic election, loaded once per module and committed; each test then runs
    in a transaction that is rolled back, and the module's end empties the database again (as a
    TransactionTestCase does), so other test folders start from an empty database.

    Official protocols are stored directly, as an import would store them: the double-entry
    chain has its own tests, and skipping it keeps this folder fast. Official figures are then
    exactly the synthetic ones."""
    from django.core.management import call_command

    from sailau.demo.load import load
    from sailau.protocols import tabulation
    from sailau.protocols.models import Protocol

    with django_db_blocker.unblock():
        election = load(small_synthetic, route=False)
        Protocol.objects.bulk_create([
            Protocol(station_id=s, contest_id=c, figures=p["figures"], choices=p["choices"],
                     source="import") for (s, c), p in small_synthetic.protocols.items()])
        tabulation.rebuild(election.contests.get(kind="party_list"))
    yield election.pk
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def election(_loaded, db, settings, tmp_path):
    from sailau.elections.models import Election

    settings.MEDIA_ROOT = tmp_path / "media"
    return Election.objects.get(pk=_loaded)


@pytest.fixture
def admin_user(election):
    """A CEC administrator of the election."""
    from django.contrib.auth.models import User

    from sailau.accounts.models import Role
    from sailau.elections.models import Commission

    u = User.objects.create_user("cec-admin")
    Role.objects.create(user=u, kind=Role.ADMIN,
                        commission=Commission.objects.get(election=election, level="cec"))
    return u


@pytest.fixture
def org_setup(election, admin_user):
    """An accredited national organisation, its manager, and an observer with an account,
    deployed to the first station."""
    import datetime as dt

    from django.contrib.auth.models import User

    from sailau.observation import services

    manager = User.objects.create_user("manager")
    acc = services.apply(manager, election.id, "citizen", "Тест қоры", name_en="Test foundation")
    services.decide(admin_user, acc.pk, "granted", "7/2023", dt.date(2023, 3, 1))
    account = User.objects.create_user("obs1")
    obs = services.register_observer(manager, acc.organisation_id, "citizen", "Айгүл Тестова",
                                     "obs1")
    # The account becomes the observer once its owner accepts the invitation.
    services.answer_invitation(account, obs.invitations.get().pk, accept=True)
    obs.refresh_from_db()
    station = election.stations.order_by("number").first()
    services.deploy(manager, obs.pk, station.number)
    return {"manager": manager, "observer": obs, "user": account, "station": station,
            "organisation": acc.organisation, "admin": admin_user}

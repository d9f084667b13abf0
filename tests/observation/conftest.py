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

    from tests.observation.deployed import deployed_observer

    station = election.stations.order_by("number").first()
    manager, obs, account = deployed_observer(admin_user, election, station, dt.date(2023, 3, 1))
    return {"manager": manager, "observer": obs, "user": account, "station": station,
            "organisation": obs.organisation, "admin": admin_user}

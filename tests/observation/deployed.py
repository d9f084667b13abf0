"""An accredited organisation's observer, deployed: the steps every observer test goes through
before it can report (the organisation applies and is granted, registers the observer, whose
account accepts the invitation, and deploys them to a station)."""

import datetime as dt


def deployed_observer(admin, election, station, granted_on: dt.date, name_ru: str | None = None):
    """(manager, observer, account): the organisation's manager, the observer, and the account
    that accepted the invitation, deployed to `station`."""
    from django.contrib.auth.models import User

    from sailau.observation import services

    manager = User.objects.create_user("manager")
    names = {"name_ru": name_ru} if name_ru else {}
    acc = services.apply(manager, election.id, "citizen", "Тест қоры", name_en="Test foundation",
                         **names)
    services.decide(admin, acc.pk, "granted", f"7/{granted_on.year}", granted_on)
    account = User.objects.create_user("obs1")
    obs = services.register_observer(manager, acc.organisation_id, "citizen", "Айгүл Тестова",
                                     "obs1")
    # The account becomes the observer once its owner accepts the invitation.
    services.answer_invitation(account, obs.invitations.get().pk, accept=True)
    obs.refresh_from_db()
    services.deploy(manager, obs.pk, station.number)
    return manager, obs, account

"""A small synthetic register for the demo election: `generate(election, seed, n)` writes n
synthetic persons (`sailau.register.synthetic`, no duplicates) to a temporary extract and imports
it like a real one (so the assignment rule and the eligibility rules are the real ones), then
issues some absentee certificates (a few redeemed, one presented twice), transfers,
mobile-voting requests and same-day additions through the same services the pages use."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from sailau.voters import importer, services
from sailau.voters import models as m

DEMO_USER = "demo.registrar"
MOBILE_REASONS = ["болезнь", "инвалидность", "уход за больным родственником", "науқас"]


def _at(election, days_before: int, hour: int, minute: int = 0) -> dt.datetime:
    day = election.date - dt.timedelta(days=days_before)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _user(election):
    """The registrar who does the demo's list operations: a CEC administrator (no superuser
    shortcut: the role model decides, as for everyone)."""
    from sailau.accounts.models import Role
    from sailau.accounts.services import grant_by_system
    from sailau.elections.models import Commission

    User = get_user_model()
    user, created = User.objects.get_or_create(username=DEMO_USER)
    if created:
        user.set_unusable_password()
        user.save()
    cec = Commission.objects.get(election=election, level=Commission.CEC)
    grant_by_system(user, Role.ADMIN, "demo", commission=cec)
    return user


def generate(election, seed: int = 0, n: int = 20_000) -> dict:
    from sailau.register.synthetic import generate as synth

    rnd = random.Random(seed)
    syn = synth(n, 0.0, seed, reference_date=election.date)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "extract.csv"
        syn.frame.write_csv(path)
        imported = importer.import_extract(path, election, today=election.date)
    with transaction.atomic():  # one commit for the few hundred operations, not one each
        return _operations(election, rnd, n, imported)


def newcomer_name(rnd: random.Random, sex: str) -> tuple[str, str]:
    """A same-day addition's (first name, surname), the surname in the form of the person's sex
    (a woman's Ахметова, never Ахметов)."""
    from sailau.register import names as N

    first = rnd.choice(N.KAZAKH_MALE if sex == "M" else N.KAZAKH_FEMALE)
    last = rnd.choice(N.KAZAKH_SURNAMES)
    return first, last if sex == "M" else N.feminine(last)


def _operations(election, rnd, n, imported) -> dict:
    user = _user(election)
    on_list = list(m.ListEntry.objects.filter(election=election, state=m.ListEntry.ON_LIST)
                   .select_related("election", "station").order_by("pk"))
    rnd.shuffle(on_list)
    k = max(1, n // 200)
    absentee, transfers, mobile = on_list[:k], on_list[k:2 * k], on_list[2 * k:3 * k]
    numbers = list(election.stations.filter(kind="ordinary").values_list("number", flat=True))
    certs = [services.issue_absentee(e, user, at=_at(election, rnd.randint(1, 14), rnd.randint(9, 17)))
             for e in absentee]
    refused = 0
    for i, c in enumerate(certs[: len(certs) * 2 // 3]):
        services.redeem_absentee(election, c.number, rnd.choice(numbers), user,
                                 at=_at(election, 0, rnd.randint(8, 19)))
        if i % 25 == 0:  # the attempts oversight is looking for
            try:
                services.redeem_absentee(election, c.number, rnd.choice(numbers), user,
                                         at=_at(election, 0, 19, 30))
            except services.VoterError:
                refused += 1
    for e in transfers:
        to = rnd.choice(numbers)
        while to == e.station.number and len(numbers) > 1:  # a transfer is to another list
            to = rnd.choice(numbers)
        services.transfer(e, to, "временно: общежитие", user,
                          at=_at(election, rnd.randint(2, 20), 11))
    for e in mobile:
        e.refresh_from_db()
        services.request_mobile(e, rnd.choice(MOBILE_REASONS), user,
                                at=_at(election, rnd.randint(0, 5), rnd.randint(8, 11)))
    added = 0
    # Same-day additions: persons unknown to the register, with valid IINs of adults.
    from sailau.register import names as N
    from sailau.register.iin import make_iin

    for j in range(max(1, n // 400)):
        born = dt.date(1960 + rnd.randint(0, 40), rnd.randint(1, 12), rnd.randint(1, 28))
        sex = rnd.choice("MF")
        iin = make_iin(born, sex, 9000 + j)
        if iin is None or m.Voter.objects.filter(iin=iin).exists():
            continue
        reason = rnd.choices(["not_on_list", "error_in_list", "court_decision", "other"],
                             [70, 15, 5, 10])[0]
        first, last = newcomer_name(rnd, sex)
        person = services.Person(iin=iin, last_name=last, first_name=first,
                                 locality="Астана", region="Астана", street=rnd.choice(N.STREETS),
                                 house=str(rnd.randint(1, 150)))
        services.add_same_day(election, rnd.choice(numbers), person, reason,
                              rnd.choice(["id_card", "passport", "residence_certificate"]),
                              f"{rnd.randint(10**8, 10**9 - 1)}", user,
                              "разрешено председателем" if reason == "other" else "",
                              at=_at(election, 0, rnd.randint(8, 19)))
        added += 1
    return {"imported": imported.created + imported.updated, "absentee": len(certs),
            "refused_second_redemptions": refused, "transfers": len(transfers),
            "mobile": len(mobile), "same_day": added,
            "excluded": imported.excluded}

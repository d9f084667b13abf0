"""Becoming a volunteer, and the rate limit on what volunteers send.

Anyone signed in may volunteer. The accounts model already says who may do what: becoming a
volunteer grants the unscoped citizen role (no new kind of account, the role list shows it),
and the `Volunteer` row beside it holds only the reputation counters.

The limit counts each volunteer's readings in the database (`sailau.ratewindow`, the table
every limit of the project counts in), so every server process and web node shares it and no
load of other users makes it forget, for the API and the pages alike."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from sailau.errors import Code, Forbidden, RateLimited
from sailau.evidence import texts
from sailau.evidence.models import Claim, Volunteer
from sailau.ratewindow import SlidingWindow

RATE = 30  # readings a minute: a careful typist needs a minute or more per protocol; a script not
SCOPE = "evidence-readings"  # the counters' name in the table


def become(user) -> Volunteer:
    from sailau.accounts.models import Role
    from sailau.accounts.services import grant_by_system

    with transaction.atomic():
        grant_by_system(user, Role.CITIZEN, "volunteer sign-up")
        try:
            with transaction.atomic():
                return Volunteer.objects.get_or_create(user=user)[0]
        except IntegrityError:  # two clicks at once
            return Volunteer.objects.get(user=user)


def of(user) -> Volunteer:
    v = (Volunteer.objects.filter(user=user).first()
         if getattr(user, "is_authenticated", False) else None)
    if v is None:
        raise Forbidden(code=Code.NOT_ALLOWED, message=texts.NOT_VOLUNTEER)
    return v


def limit(request) -> None:
    """Refuse with 429 and a clear message when the user sent more than `RATE` readings in a
    minute (a sliding window: sailau.ratewindow)."""
    limited, wait = SlidingWindow(SCOPE, RATE, 60).hit(f"user:{request.user.pk}")
    if limited:
        seconds = int(wait or 1) + 1
        raise RateLimited(code=Code.RATE_LIMITED, message=texts.RATE_LIMITED.format(seconds=seconds),
                          detail={"retry_after": seconds})


def claim(volunteer: Volunteer, station) -> Claim:
    """"I watch this one": the station's images come to this volunteer first."""
    c = Claim.objects.get_or_create(volunteer=volunteer, station=station)[0]
    Volunteer.objects.filter(pk=volunteer.pk).update(claimed=True)
    volunteer.claimed = True
    return c


def unclaim(volunteer: Volunteer, claim_id: int) -> int:
    deleted = Claim.objects.filter(volunteer=volunteer, pk=claim_id).delete()[0]
    left = Claim.objects.filter(volunteer=volunteer).exists()
    Volunteer.objects.filter(pk=volunteer.pk).update(claimed=left)
    volunteer.claimed = left
    return deleted

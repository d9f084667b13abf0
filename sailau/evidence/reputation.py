"""A volunteer's reputation: the share of their readings of since-verified images that equal
the verified reading. Low reputation (a flag, never shown to others) means their readings
never decide alone: it is set when, after enough decided readings, too few were confirmed, or
when they send the same figures for different images (someone typing anything)."""

from __future__ import annotations

import json

from django.db.models import F

from sailau.evidence.models import Reading, Volunteer

MIN_DECIDED = 4  # readings judged before a share means anything
LOW_SHARE = 0.5
SAME_RUN = 3  # this many different images typed with identical figures in a row


def _key(figures, choices) -> str:
    return json.dumps([figures, choices], sort_keys=True)


def after_reading(volunteer: Volunteer, reading: Reading) -> None:
    if reading.unreadable or volunteer.low:
        return
    last = list(Reading.objects.filter(volunteer=volunteer, unreadable=False)
                .order_by("-id").values_list("figures", "choices")[:SAME_RUN])
    if len(last) == SAME_RUN and len({_key(f, c) for f, c in last}) == 1:
        Volunteer.objects.filter(pk=volunteer.pk).update(low=True, low_reason=Volunteer.LOW_SAME)
        volunteer.low = True


def after_verified(image_id: int, verified_key: str) -> None:
    """Count each reading of a just-verified image as confirmed or outvoted."""
    for r in Reading.objects.filter(image_id=image_id, volunteer__isnull=False,
                                    outcome=Reading.PENDING):
        ok = not r.unreadable and _key(r.figures, r.choices) == verified_key
        Reading.objects.filter(pk=r.pk).update(
            outcome=Reading.CONFIRMED if ok else Reading.OUTVOTED)
        Volunteer.objects.filter(pk=r.volunteer_id).update(
            decided=F("decided") + 1, confirmed=F("confirmed") + int(ok))
        v = Volunteer.objects.get(pk=r.volunteer_id)
        if (not v.low and v.decided >= MIN_DECIDED and v.confirmed < LOW_SHARE * v.decided):
            Volunteer.objects.filter(pk=v.pk).update(low=True, low_reason=Volunteer.LOW_SHARE)

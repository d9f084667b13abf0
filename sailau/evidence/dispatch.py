"""Which image a volunteer types next.

Independence is kept by the database, not by timing: an `Assignment` is unique per (image,
volunteer), so nobody is handed the same image twice however many requests race; a slot is
taken by one conditional UPDATE (`assigned < needed`), so an image never has more volunteers at
once than readings wanted, on SQLite and PostgreSQL alike. A volunteer is never shown the
official figures nor another volunteer's reading: a task carries the image and the empty form.

Speed: candidates come from the (wanted, assigned, id) index, minus what the volunteer already had (the
unique index), a few at a time, tried in random order so that a thousand volunteers asking at
once do not all fight over the same row."""

from __future__ import annotations

import datetime as dt
import random

from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.utils import timezone

from sailau.evidence.models import Assignment, Claim, Image, Volunteer

BATCH = 24  # candidates read per query
TTL = dt.timedelta(minutes=30)  # an assignment not typed by then gives its slot to another


def _candidates(volunteer: Volunteer, election_id: str | None, claimed: bool) -> list[int]:
    qs = Image.objects.filter(wanted=True)
    if election_id:
        qs = qs.filter(station__election_id=election_id)
    qs = qs.exclude(Exists(Assignment.objects.filter(image=OuterRef("pk"), volunteer=volunteer)))
    if claimed:
        qs = qs.filter(station_id__in=Claim.objects.filter(volunteer=volunteer)
                       .values("station_id"))
    rows = list(qs.order_by("-assigned", "id").values_list("id", "assigned")[:BATCH])
    # Images someone already has come first (a pair completes, the image gets verified
    # sooner); among equals, a random order, so concurrent volunteers spread over the rows.
    random.shuffle(rows)
    rows.sort(key=lambda r: -r[1])
    return [r[0] for r in rows]


def _take_slot(image_id: int) -> bool:
    """One more volunteer on this image, if a slot is still free: True when this caller got it."""
    return bool(Image.objects.filter(pk=image_id, wanted=True, assigned__lt=F("needed"))
                .update(assigned=F("assigned") + 1,
                        wanted=Case(When(assigned__lt=F("needed") - 1, then=Value(True)),
                                    default=Value(False))))


def _give_back(image_id: int) -> None:
    Image.objects.filter(pk=image_id, assigned__gt=0).update(
        assigned=F("assigned") - 1,
        wanted=Case(When(status=Image.OPEN, then=Value(True)), default=Value(False)))


def current(volunteer: Volunteer) -> Assignment | None:
    """The volunteer's task not typed yet (asking again shows the same one, burning no slot)."""
    return (Assignment.objects.filter(volunteer=volunteer, done=False)
            .select_related("image").order_by("id").first())


def next_task(volunteer: Volunteer, election_id: str | None = None) -> Assignment | None:
    """The volunteer's open task, else a new one: an image of a station they claimed first,
    then any; None when there is nothing left for them."""
    open_task = current(volunteer)
    if open_task is not None:
        return open_task
    for claimed in (True, False):
        if claimed and not Claim.objects.filter(volunteer=volunteer).exists():
            continue
        for _attempt in range(3):
            ids = _candidates(volunteer, election_id, claimed)
            if not ids:
                break
            for image_id in ids:
                if not _take_slot(image_id):
                    continue  # taken by someone else meanwhile
                try:
                    with transaction.atomic():
                        return Assignment.objects.create(image_id=image_id, volunteer=volunteer)
                except IntegrityError:
                    # The same volunteer asked twice at once and the other request won this
                    # image: give the slot back, and let them have that request's task.
                    _give_back(image_id)
                    return current(volunteer)
    return None


def release_stale(now: dt.datetime | None = None) -> int:
    """Assignments not typed within TTL give their slot to another volunteer; the row stays
    (abandoned), so its volunteer is still never handed that image again."""
    cutoff = (now or timezone.now()) - TTL
    released = 0
    for a in Assignment.objects.filter(done=False, issued_at__lt=cutoff).only("id", "image_id"):
        with transaction.atomic():
            if Assignment.objects.filter(pk=a.pk, done=False).update(done=True, abandoned=True):
                _give_back(a.image_id)
                released += 1
    return released

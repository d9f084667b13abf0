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

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from sailau.evidence.models import Assignment, Image, Volunteer

BATCH = 24  # candidates read per query
TTL = dt.timedelta(minutes=30)  # an assignment not typed by then gives its slot to another


# The two statements of every dispatch, in plain SQL that SQLite and PostgreSQL both read: the
# ORM's compiling of them cost more than running them (profiled: a few ms a call on a busy
# machine, the query itself well under one).
_CANDIDATES = """
SELECT i.id, i.assigned FROM evidence_image i
WHERE i.wanted {election}{claimed}{trusted}
  AND NOT EXISTS (SELECT 1 FROM evidence_assignment a
                  WHERE a.image_id = i.id AND a.volunteer_id = %s)
ORDER BY i.wanted, i.assigned DESC, i.id LIMIT {batch}"""
_ELECTION = ("AND i.station_id IN (SELECT s.id FROM elections_station s "
             "WHERE s.election_id = %s) ")
_CLAIMED = ("AND i.station_id IN (SELECT c.station_id FROM evidence_claim c "
            "WHERE c.volunteer_id = %s) ")
# A reading being checked again goes to a volunteer in good standing: the third reading decides.
_TRUSTED = f"AND i.status <> '{Image.CHECKING}' "
# SET expressions read the row as it was: `assigned + 1 < needed` is whether a slot is left after.
_TAKE = ("UPDATE evidence_image SET assigned = assigned + 1, wanted = (assigned + 1 < needed) "
         "WHERE id = %s AND wanted AND assigned < needed")


def _candidates(volunteer: Volunteer, election_id: str | None, claimed: bool) -> list[int]:
    sql = _CANDIDATES.format(election=_ELECTION if election_id else "",
                             claimed=_CLAIMED if claimed else "",
                             trusted=_TRUSTED if volunteer.low else "", batch=BATCH)
    params = [*([election_id] if election_id else []), *([volunteer.pk] if claimed else []),
              volunteer.pk]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    # Images someone already has come first (a pair completes, the image gets verified
    # sooner); among equals, a random order, so concurrent volunteers spread over the rows.
    random.shuffle(rows)
    rows.sort(key=lambda r: -r[1])
    return [r[0] for r in rows]


def _take_slot(image_id: int) -> bool:
    """One more volunteer on this image, if a slot is still free: True when this caller got it."""
    with connection.cursor() as cur:
        cur.execute(_TAKE, [image_id])
        return cur.rowcount == 1


def _give_back(image_id: int) -> None:
    Image.objects.filter(pk=image_id, assigned__gt=0).update(
        assigned=F("assigned") - 1,
        wanted=Case(When(status__in=(Image.OPEN, Image.CHECKING), then=Value(True)),
                    default=Value(False)))


def current(volunteer: Volunteer) -> Assignment | None:
    """The volunteer's task not typed yet (asking again shows the same one, burning no slot).
    Its image is read when used (a page shows it; dispatch itself needs only its id)."""
    with connection.cursor() as cur:
        cur.execute("SELECT id, image_id, issued_at FROM evidence_assignment "
                    "WHERE volunteer_id = %s AND done = %s ORDER BY id LIMIT 1",
                    [volunteer.pk, False])
        row = cur.fetchone()
    if row is None:
        return None
    return Assignment(id=row[0], image_id=row[1], volunteer=volunteer, issued_at=row[2],
                      done=False)


def next_task(volunteer: Volunteer, election_id: str | None = None) -> Assignment | None:
    """The volunteer's open task, else a new one: an image of a station they claimed first,
    then any; None when there is nothing left for them."""
    open_task = current(volunteer)
    if open_task is not None:
        return open_task
    for claimed in (True, False):
        if claimed and not volunteer.claimed:
            continue
        for _attempt in range(3):
            ids = _candidates(volunteer, election_id, claimed)
            if not ids:
                break
            for image_id in ids:
                try:
                    # The slot and the assignment in one transaction: a failure between the
                    # two (a lock, a lost connection) must not leave a slot taken by nobody.
                    with transaction.atomic():
                        if not _take_slot(image_id):
                            continue  # taken by someone else meanwhile
                        return Assignment.objects.create(image_id=image_id, volunteer=volunteer)
                except IntegrityError:
                    # The same volunteer asked twice at once and the other request won this
                    # image (its slot is rolled back with ours): they have that request's task.
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

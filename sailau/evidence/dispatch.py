"""Which image a volunteer types next.

Independence is kept by the database, not by timing: an `Assignment` is unique per (image,
volunteer), so nobody is handed the same image twice however many requests race; a slot is
taken by one conditional UPDATE (`assigned < needed`), so an image never has more volunteers at
once than readings wanted, on SQLite and PostgreSQL alike. A volunteer is never shown the
official figures nor another volunteer's reading: a task carries the image and the empty form.

Speed: one statement takes the slot, choosing the image in the same breath: the first image of
the (wanted, assigned, id) index this volunteer has not had (the unique index answers that),
images someone already has first so that pairs complete. On PostgreSQL the choice is
`FOR UPDATE SKIP LOCKED`, so a thousand volunteers asking at once each take a different row
instead of queueing behind one; on SQLite writers are one at a time anyway (the transaction
begins IMMEDIATE), so the choice is always the current one. The slot and the assignment are
one short transaction; on PostgreSQL it commits without waiting for the WAL flush
(`synchronous_commit` off for this transaction only): a dispatch lost in a crash loses its slot
and its assignment together, and the volunteer simply asks again."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from sailau.evidence.models import Assignment, Image, Volunteer

TTL = dt.timedelta(minutes=30)  # an assignment not typed by then gives its slot to another


# Every dispatch's statements, in plain SQL that SQLite and PostgreSQL both read: the ORM's
# compiling of them cost more than running them (profiled: a few ms a call on a busy machine,
# the queries themselves well under one). SET expressions read the row as it was:
# `assigned + 1 < needed` is whether a slot is left after this one.
_TAKE = """
UPDATE evidence_image SET assigned = assigned + 1, wanted = (assigned + 1 < needed)
WHERE id = (SELECT i.id FROM evidence_image i
            WHERE i.wanted = TRUE {election}{claimed}{trusted}
              AND NOT EXISTS (SELECT 1 FROM evidence_assignment a
                              WHERE a.image_id = i.id AND a.volunteer_id = %s)
            ORDER BY i.wanted, i.assigned DESC, i.id LIMIT 1{lock})
  AND wanted AND assigned < needed
RETURNING id"""
# `wanted = TRUE`, not `wanted`: SQLite uses the dispatch index only for a comparison. Without
# it SQLite walked the election's every station (10,223 index lookups, about 10 ms a dispatch
# with 108 images); with it, only the wanted images, each station looked up by its key.
_ELECTION = ("AND EXISTS (SELECT 1 FROM elections_station s "
             "WHERE s.id = i.station_id AND s.election_id = %s) ")
_CLAIMED = ("AND i.station_id IN (SELECT c.station_id FROM evidence_claim c "
            "WHERE c.volunteer_id = %s) ")
# A reading being checked again goes to a volunteer in good standing: the third reading decides.
_TRUSTED = f"AND i.status <> '{Image.CHECKING}' "
_ASSIGN = ("INSERT INTO evidence_assignment (image_id, volunteer_id, issued_at, done, abandoned) "
           "VALUES (%s, %s, %s, %s, %s) RETURNING id")


def _take(volunteer: Volunteer, election_id: str | None, claimed: bool) -> Assignment | None:
    """A slot on the first image for this volunteer and their assignment to it, in one
    transaction; None when no image is left for them (or, on PostgreSQL, every one left is
    being taken by someone else this instant)."""
    postgres = connection.vendor == "postgresql"
    sql = _TAKE.format(election=_ELECTION if election_id else "",
                       claimed=_CLAIMED if claimed else "",
                       trusted=_TRUSTED if volunteer.low else "",
                       lock=" FOR UPDATE OF i SKIP LOCKED" if postgres else "")
    params = [*([election_id] if election_id else []), *([volunteer.pk] if claimed else []),
              volunteer.pk]
    now = timezone.now()
    outermost = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cur:
        if postgres and outermost:  # not when a caller's transaction holds more than this
            cur.execute("SET LOCAL synchronous_commit TO OFF")
        cur.execute(sql, params)
        row = cur.fetchone()
        if row is None:
            return None
        cur.execute(_ASSIGN, [row[0], volunteer.pk,
                              connection.ops.adapt_datetimefield_value(now), False, False])
        pk = cur.fetchone()[0]
    return Assignment(id=pk, image_id=row[0], volunteer=volunteer, issued_at=now, done=False)


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
        try:
            task = _take(volunteer, election_id, claimed)
        except IntegrityError:
            # The same volunteer asked twice at once and the other request won this image
            # (our slot is rolled back with the refused row): they have that request's task.
            return current(volunteer)
        if task is not None:
            return task
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

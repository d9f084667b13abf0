"""Removing recordings whose retention has ended (`sailau.law.video`): the file leaves the
storage, the registry row stays (with its hash) marked expired, and each removal is an audit
record. A file shared by another recording still kept stays until that one expires too."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from sailau import audit, clock
from sailau.law import video as law
from sailau.video import services
from sailau.video.models import Recording


def expired(today: dt.date, election_id: str | None = None):
    qs = Recording.objects.filter(state=Recording.AVAILABLE,
                                  station__election__date__lte=law.last_expired_election_day(today))
    if election_id:
        qs = qs.filter(station__election_id=election_id)
    return qs.select_related("station__election").order_by("id")


def expire(today: dt.date, election_id: str | None = None, by: str = "system") -> list[Recording]:
    """Mark each expired recording and remove its file; returns them."""
    done = []
    for rec in expired(today, election_id):
        with transaction.atomic():
            n = Recording.objects.filter(pk=rec.pk, state=Recording.AVAILABLE).update(
                state=Recording.EXPIRED, expired_at=clock.now())
            if not n:  # another run got there first
                continue
            audit.append(by, "recording.expired", f"recording/{rec.pk}", {
                "station": rec.station_id, "sha256": rec.sha256,
                "election_day": rec.station.election.date.isoformat(),
                "expires_on": law.expires_on(rec.station.election.date).isoformat()})
        done.append(rec)
    sweep()
    return done


def sweep() -> None:
    """Delete the files of expired recordings that no kept recording shares."""
    kept = set(Recording.objects.filter(state=Recording.AVAILABLE)
               .values_list("object_name", flat=True))
    store = services.storage()
    for name in set(Recording.objects.filter(state=Recording.EXPIRED)
                    .values_list("object_name", flat=True)) - kept:
        if store.exists(name):
            store.delete(name)

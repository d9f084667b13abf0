"""Removing recordings whose retention has ended (`sailau.law.video`): the file leaves the
storage, the registry row stays (with its hash) marked expired, and each removal is an audit
record. A file shared by another recording still kept stays until that one expires too.

Also the staged bytes of uploads abandoned mid-way (`sweep_uploads`)."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

from django.db import transaction

from sailau import audit, clock
from sailau.errors import Code
from sailau.law import video as law
from sailau.paths import data_dir
from sailau.video import services
from sailau.video.models import Recording, Upload


def staging(upload_id) -> Path:
    """Where an upload's bytes are staged on this node's local disk until it is finished (the
    resumable upload, `sailau.api.tus`, writes there; the sweep below removes the abandoned)."""
    d = data_dir() / "video" / "uploads"
    d.mkdir(parents=True, exist_ok=True)
    return d / f"{upload_id}.part"


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


# An upload none of whose bytes moved for this long is taken as abandoned: a tus client resumes
# within minutes of a dropped connection, and a station's recording is sent during the night
# after the count, so a day's silence is not a pause. Its staged bytes are removed and it is
# ended (`reason` "abandoned": a PATCH or HEAD then answers 410, and the client starts again).
ABANDONED_HOURS = float(os.environ.get("SAILAU_VIDEO_ABANDONED_HOURS", "24"))


def sweep_uploads(hours: float | None = None, now: float | None = None,
                  by: str = "system") -> list[str]:
    """End the open uploads untouched (their staged file's last write, or their creation if
    none) for `hours` (ABANDONED_HOURS unless given), remove their staged bytes, and remove
    staged files no open upload owns that are as old; returns the uploads ended, as
    `upload/<id>`. Each ending is an audit record. Run by `sailau video sweep-uploads` and by
    the background publisher's pruning."""
    hours = ABANDONED_HOURS if hours is None else hours
    now = time.time() if now is None else now
    cutoff = now - hours * 3600
    ended = []
    for up in Upload.objects.filter(state=Upload.OPEN).order_by("created_at"):
        path = staging(up.pk)
        try:
            touched = path.stat().st_mtime
        except FileNotFoundError:
            touched = up.created_at.timestamp()
        if touched > cutoff:
            continue
        with transaction.atomic():
            if not Upload.objects.filter(pk=up.pk, state=Upload.OPEN).update(
                    state=Upload.REFUSED, reason=Code.ABANDONED):
                continue  # finished or ended meanwhile
            audit.append(by, "upload.abandoned", f"upload/{up.pk}", {
                "station": up.camera.station_id, "camera": up.camera_id,
                "length": up.length, "staged": path.stat().st_size if path.exists() else 0})
        path.unlink(missing_ok=True)
        ended.append(f"upload/{up.pk}")
    open_ids = {str(u) for u in Upload.objects.filter(state=Upload.OPEN)
                .values_list("pk", flat=True)}
    for part in staging("x").parent.glob("*.part"):
        try:
            if part.stem not in open_ids and part.stat().st_mtime <= cutoff:
                part.unlink(missing_ok=True)  # its upload is over, or its row is gone
        except FileNotFoundError:
            pass
    return ended

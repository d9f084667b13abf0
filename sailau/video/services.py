"""Registering cameras and recording uploaded files: who may, and the audit record of each.

Who may register a station's cameras and upload their recordings:
- a commission's operator, coordinator or CEC administrator whose commission covers the station
  (the precinct commission installs the official cameras, as it enters the station's protocol);
- the manager of an observer organisation with an observer deployed at the station (independent
  cameras are an observer organisation's to bring; its deployment is what ties it to the room).
Observers themselves do not: their organisation answers for what it publishes."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction

from sailau import audit, clock
from sailau.accounts import permissions as perms
from sailau.elections.models import Commission, Station
from sailau.errors import BadInput, Code, NotFound
from sailau.filestores import direct_url
from sailau.video import probe as probes
from sailau.video import texts
from sailau.video.models import Camera, Recording

COMMISSION_KINDS = (perms.OP, perms.CO, perms.AD)
HASH_CHUNK = 1 << 20


def storage():
    return storages["recordings"]


def may_manage(user, station: Station) -> bool:
    gs = perms.grants(user)
    if any(g.kind in COMMISSION_KINDS and perms.covers(g, station) for g in gs):
        return True
    orgs = {g.organisation_id for g in gs if g.kind == perms.MANAGER}
    if not orgs:
        return False
    from sailau.observation.models import Deployment

    return Deployment.objects.filter(station=station, observer__organisation_id__in=orgs).exists()


def answerable_for(rec: Recording):
    """Who answers for a recording on a public page: the commission (its name) or the observer
    organisation whose role let the uploader upload it, by the rule of `may_manage`. Never the
    login name, which is personal data. The roles read are those the uploader holds now (the
    recording keeps only the login name); None when none of them allows it any more."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=rec.uploaded_by).first()
    station = rec.station
    gs = perms.grants(user)
    # The commission nearest the station first: the precinct's own before those above it.
    order = {Commission.PRECINCT: 0, Commission.DISTRICT: 1, Commission.TERRITORIAL: 2}
    covering = sorted((g for g in gs if g.kind in COMMISSION_KINDS and perms.covers(g, station)),
                      key=lambda g: order.get(g.level, 3))
    if covering:
        return Commission.objects.filter(pk=covering[0].commission_id).first()
    orgs = [g.organisation_id for g in gs if g.kind == perms.MANAGER]
    if not orgs:
        return None
    from sailau.observation.models import Organisation

    return Organisation.objects.filter(
        pk__in=orgs, observers__deployments__station=station).order_by("pk").first()


def require_manage(user, station: Station) -> None:
    if not may_manage(user, station):
        raise perms.NotAllowed(
            message=f"{perms.username(
                user)} may not register cameras or upload recordings for station "
                    f"{station.number} ({station.id}): only a commission role covering it, or the "
                    f"manager of an organisation with an observer deployed there, may")


def station_of(election_id: str, number) -> Station:
    s = Station.objects.filter(election_id=election_id, number=number).first()
    if s is None:
        raise NotFound(code=Code.UNKNOWN_STATION,
                       message=f"no station {number} in election {election_id}",
                       field="station")
    return s


def register_camera(user, station: Station, position: str, covers: str,
                    installed_by: str) -> Camera:
    require_manage(user, station)
    if covers not in dict(Camera.COVERS):
        raise BadInput(code=Code.INVALID,
                       message=f"covers must be one of {', '.join(dict(Camera.COVERS))}, "
                                     f"not {covers!r}", field="covers")
    for field, value in (("position", position), ("installed_by", installed_by)):
        if not (value or "").strip():
            raise BadInput(code=Code.REQUIRED, message=f"{field} is required", field=field)
        if len(value) > 200:
            raise BadInput(code=Code.INVALID, message=f"{field} is longer than 200 characters",
                           field=field)
    with transaction.atomic():
        cam = Camera.objects.create(station=station, position=position.strip(), covers=covers,
                                    installed_by=installed_by.strip(),
                                    registered_by=perms.username(user))
        audit.append(perms.username(user), "camera.registered", f"camera/{cam.pk}", {
            "station": station.id, "position": cam.position, "covers": covers,
            "installed_by": cam.installed_by})
    return cam


def remove_camera(user, camera: Camera) -> Camera:
    require_manage(user, camera.station)
    if camera.removed_at is None:
        with transaction.atomic():
            camera.removed_at = clock.now()
            camera.save(update_fields=["removed_at"])
            audit.append(perms.username(user), "camera.removed", f"camera/{camera.pk}",
                         {"station": camera.station_id})
    return camera


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def existing(camera: Camera, sha256: str) -> Recording | None:
    return Recording.objects.filter(camera=camera, sha256=sha256).first()


def check_station(camera: Camera, tags: dict) -> None:
    """A file that names its station (a `station` tag, e.g. `-metadata station=ID`) must name
    the camera's."""
    named = (tags.get("station") or "").strip()
    if named and named not in (camera.station_id, str(camera.station.number)):
        raise texts.refused(texts.OTHER_STATION, "station",
                            {"file": named, "camera": camera.station_id})


def record(user, camera: Camera, path: Path, declared_sha256: str,
           started_at: dt.datetime | None = None) -> Recording:
    """Check a whole uploaded file and register it: its hash against the declared one, that it
    is a whole video of this camera's station, then store it and record it. Nothing is recorded
    unless the file is stored; the same file twice gives back the first recording."""
    actual = sha256_of(path)
    if actual != declared_sha256:
        raise texts.refused(texts.HASH_MISMATCH, "sha256",
                            {"declared": declared_sha256, "actual": actual})
    found = existing(camera, actual)
    if found is not None:
        return found
    facts = probes.probe(path)
    check_station(camera, facts.tags)
    start = facts.started_at or started_at
    if start is None:
        raise texts.refused(texts.NO_START_TIME, "started_at")
    name = object_name(actual, facts.format)
    store = storage()
    try:
        if not store.exists(name):
            with path.open("rb") as f:
                name = store.save(name, File(f, name=name))
    except Exception as exc:  # any backend: disk full, S3 down, credentials refused
        raise texts.refused(texts.STORAGE_UNAVAILABLE, detail={"storage": type(exc).__name__}) \
            from exc
    try:
        with transaction.atomic():
            rec = Recording.objects.create(
                camera=camera, station_id=camera.station_id, started_at=start,
                ended_at=start + dt.timedelta(milliseconds=facts.duration_ms),
                duration_ms=facts.duration_ms, format=facts.format, size=path.stat().st_size,
                sha256=actual, object_name=name, uploaded_by=perms.username(user))
            audit.append(perms.username(user), "recording.uploaded", f"recording/{rec.pk}", {
                "station": camera.station_id, "camera": camera.pk, "sha256": actual,
                "size": rec.size, "started_at": rec.started_at.isoformat(),
                "duration_ms": rec.duration_ms})
    except IntegrityError:  # the same file finished at the same moment by another request
        found = existing(camera, actual)
        if found is None:
            raise
        return found
    return rec


def object_name(sha256: str, fmt: str) -> str:
    """Named by content: the same file is stored once however often it is uploaded."""
    ext = {"mov,mp4,m4a,3gp,3g2,mj2": "mp4", "matroska,webm": "mkv", "mpegts": "ts",
           "avi": "avi"}.get(fmt, "bin")
    return f"{sha256[:2]}/{sha256}.{ext}"


TYPES = {"mp4": "video/mp4", "mkv": "video/x-matroska", "ts": "video/mp2t", "avi": "video/x-msvideo"}


def content_type(rec: Recording) -> str:
    return TYPES.get(rec.object_name.rsplit(".", 1)[-1], "application/octet-stream")


def public_url(rec: Recording, download_as: str | None = None) -> str | None:
    """Where the file is fetched from: the storage's own URL when it serves files itself (S3: a
    public or pre-signed address, so this server is not in the path; pre-signed, it asks the
    storage to answer as a download named `download_as` when given), else None (the app's
    range-capable view serves it from the storage)."""
    try:
        url = direct_url(storage(), rec.object_name, filename=download_as,
                         attachment=bool(download_as), content_type=content_type(rec))
    except Exception:  # noqa: BLE001 (a backend with no URLs at all: served by the app)
        return None
    return url if url and url.startswith(("http://", "https://")) else None

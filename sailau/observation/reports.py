"""The reports observers send from the stations they are deployed to: checklists (the
tabulation stage at a territorial or district commission), incidents and their photos, counts
of voters through the day, and certified copies of protocols with their photos.

Every report carries the phone's uuid: the same uuid with the same content returns the stored
report (`created` False) and stores nothing; the same uuid with other content is refused. A
photo carries the SHA-256 the phone computed when it was taken: the bytes that arrive must hash
to it, or nothing is stored (a photo changed or cut on the way is not evidence)."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid as uuidlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from sailau import audit, clock, uploads
from sailau.accounts import permissions as perm
from sailau.elections import electorate
from sailau.elections.models import Commission, Contest, Station
from sailau.errors import Code
from sailau.filestores import refused_when_unavailable
from sailau.i18n import later
from sailau.law import LawInputError
from sailau.observation import checklists, photo_time
from sailau.observation import models as m
from sailau.observation.errors import (
    ISO_TIME,
    Conflict,
    NotDeployed,
    ObservationError,
    Unknown,
    one_of,
)
from sailau.observation.services import observer_of, resolve_station

MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = (uploads.JPEG, uploads.PNG, uploads.WEBP, uploads.GIF)
MAX_DESCRIPTION = 5000  # characters: a page of text; the photos say the rest


@dataclass
class Stored:
    report: object
    created: bool


def _uuid(value) -> uuidlib.UUID:
    try:
        return uuidlib.UUID(str(value))
    except (ValueError, TypeError):
        raise ObservationError(field="uuid",
                               message=later(_("a UUID made by the phone for this report"))) \
            from None


def _deployed_station(obs: m.Observer, station: str | int) -> Station:
    st = resolve_station(obs.organisation.election_id, station)
    if not m.Deployment.objects.filter(observer=obs, station=st).exists():
        raise NotDeployed(field="station",
                          message=later(_("%(name)s is not deployed to station %(number)s "
                                             "(%(id)s)"),
                                           name=obs.full_name, number=st.number, id=st.id))
    return st


def _when(value, field: str) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ObservationError(field=field, message=later(ISO_TIME)) from None
    if not isinstance(value, dt.datetime):
        raise ObservationError(field=field, message=later(ISO_TIME))
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > clock.now() + dt.timedelta(minutes=10):
        raise ObservationError(field=field, message=later(_("is in the future")))
    return value


def _store(model, uid: uuidlib.UUID, same: dict, create) -> Stored:
    """The report with this uuid if it exists with the same content, else a new one."""
    def existing():
        row = model.objects.filter(uuid=uid).first()
        if row is None:
            return None
        if any(getattr(row, k) != v for k, v in same.items()):
            raise Conflict(field="uuid",
                           message=later(_("%(uuid)s was already used for a different report"),
                                         uuid=str(uid)),
                           detail={"existing": row.pk})
        return Stored(row, False)

    if (found := existing()) is not None:
        return found
    try:
        with transaction.atomic():
            return Stored(create(), True)
    except IntegrityError:  # the same report arrived twice at once: the other one won
        if (found := existing()) is not None:
            return found
        raise


def _tabulating(st: Station, stage: str, commission: str | None) -> Commission | None:
    """Where a checklist was filled: the station itself, or for the tabulation stage the
    territorial or district commission that tabulates the station's protocol (the observer
    follows their station's paper upstream)."""
    if stage != "tabulation":
        if commission:
            raise ObservationError(field="commission",
                                   message=later(_("only a tabulation checklist is filled "
                                                         "at a commission")))
        return None
    upstream = {st.district_id: Commission.DISTRICT, st.territory_id: Commission.TERRITORIAL}
    if not commission:
        raise ObservationError(field="commission",
                               message=later(_("the territorial or district commission "
                                                     "where the tabulation was observed")))
    if commission not in upstream:
        raise ObservationError(field="commission",
                               message=later(_("%(commission)s does not tabulate the "
                                                     "protocol of station %(number)s; it goes "
                                                     "to %(district)s, then %(territory)s"),
                                                   commission=repr(commission), number=st.number,
                                                   district=st.district_id,
                                                   territory=st.territory_id))
    return Commission.objects.get(pk=commission)


def submit_checklist(user, uuid, station, stage: str, answers: dict, observed_at,
                     form_version: str | None = None, commission: str | None = None) -> Stored:
    obs = observer_of(user)
    uid = _uuid(uuid)
    version = form_version or checklists.current_version()
    clean = checklists.validate(stage, answers, version)
    st = _deployed_station(obs, station)
    where = _tabulating(st, stage, (commission or "").strip() or None)
    at = _when(observed_at, "observed_at")

    def create():
        row = m.ChecklistSubmission.objects.create(
            uuid=uid, observer=obs, station=st, commission=where, stage=stage,
            form_version=version, answers=clean, negative=checklists.is_negative(clean),
            observed_at=at)
        audit.append(perm.username(user), "observation.checklist", st.id,
                     {"uuid": str(uid), "stage": stage, "version": version, "answers": clean,
                      "commission": where.pk if where else None})
        return row

    return _store(m.ChecklistSubmission, uid, {"observer_id": obs.pk, "station_id": st.id,
                                               "stage": stage, "answers": clean,
                                               "commission_id": where.pk if where else None},
                  create)


def validate_image(data: bytes, field: str = "photo") -> tuple[int, int, str]:
    """(width, height, format) of an image, or a clear error: the bytes are decoded within the
    limits every upload has (`sailau.uploads`), not trusted by their name or content type."""
    try:
        c = uploads.check(data, field=field, accept=PHOTO_TYPES, max_bytes=MAX_PHOTO_BYTES)
    except uploads.UploadError as exc:
        code = {Code.UPLOAD_TYPE: Code.NOT_AN_IMAGE, Code.UPLOAD_CORRUPT: Code.NOT_AN_IMAGE}.get(
            exc.code, exc.code.removeprefix("upload."))
        raise ObservationError(field=field, message=exc.message, code=code) from None
    return c.width, c.height, uploads.NAMES[c.content_type].upper()


def _photo_name(data: bytes, fmt: str) -> tuple[str, str]:
    digest = hashlib.sha256(data).hexdigest()
    ext = {"JPEG": "jpg"}.get(fmt, fmt.lower())
    return digest, f"{digest[:24]}.{ext}"


@dataclass(frozen=True)
class Photo:
    """A photo as it arrived: checked to be an image, hashed here and compared with the hash the
    phone computed when it was taken."""

    data: bytes
    width: int
    height: int
    sha256: str
    name: str
    captured_at: dt.datetime | None


def checked_photo(data: bytes, sha256: str | None = None, captured_at=None,
                  field: str = "photo") -> Photo:
    width, height, fmt = validate_image(data, field)
    digest, name = _photo_name(data, fmt)
    if sha256 is not None and sha256.strip().lower() != digest:
        raise ObservationError(field="sha256",
                               message=later(_("the photo that arrived (SHA-256 %(arrived)s) "
                                                 "is not the one hashed on the phone "
                                                 "(%(sent)s): it was changed or cut on the way; "
                                                 "nothing was stored"),
                                               arrived=digest[:16], sent=sha256.strip()[:64]),
                               code=Code.HASH_MISMATCH)
    # The time sent with the photo (the phone's), else the one its camera wrote in it.
    when = (_when(captured_at, "captured_at") if captured_at not in (None, "")
            else photo_time.exif_taken(data))
    return Photo(data, width, height, digest, name, when)


def report_incident(user, uuid, station, kind: str, occurred_at, description: str,
                    photos: list[bytes] = ()) -> Stored:
    obs = observer_of(user)
    uid = _uuid(uuid)
    if kind not in dict(m.Incident.KINDS):
        raise ObservationError(field="kind", message=one_of(m.Incident.KINDS))
    if not (description or "").strip():
        raise ObservationError(field="description",
                               message=later(_("required: what happened, who was "
                                                      "involved")))
    if len(description.strip()) > MAX_DESCRIPTION:
        raise ObservationError(field="description", message=later(_("at most %(n)d characters"),
                                                                  n=MAX_DESCRIPTION),
                               code=Code.TOO_LONG)
    checked = [checked_photo(p, field=f"photos[{i}]") for i, p in enumerate(photos)]
    st = _deployed_station(obs, station)
    at = _when(occurred_at, "occurred_at")

    def create():
        row = m.Incident.objects.create(uuid=uid, observer=obs, station=st, kind=kind,
                                        occurred_at=at, description=description.strip())
        for photo in checked:
            _add_photo(row, photo)
        audit.append(perm.username(user), "observation.incident", st.id,
                     {"uuid": str(uid), "kind": kind, "photos": len(photos)})
        return row

    return _store(m.Incident, uid, {"observer_id": obs.pk, "station_id": st.id, "kind": kind,
                                    "description": description.strip()}, create)


def _add_photo(incident: m.Incident, photo: Photo) -> m.IncidentPhoto:
    existing = incident.photos.filter(sha256=photo.sha256).first()
    if existing:
        return existing
    row = m.IncidentPhoto(incident=incident, sha256=photo.sha256, width=photo.width,
                          height=photo.height, captured_at=photo.captured_at)
    with refused_when_unavailable(f"storing a photo of incident {incident.uuid}"):
        row.image.save(photo.name, ContentFile(photo.data), save=False)
    row.save()
    return row


@transaction.atomic
def add_incident_photo(user, uuid, data: bytes, sha256: str | None = None,
                       captured_at=None) -> m.IncidentPhoto:
    """A photo sent after its incident (phones send text first, photos when there is signal).
    The same photo sent again is kept once."""
    obs = observer_of(user)
    incident = m.Incident.objects.filter(uuid=_uuid(uuid), observer=obs).first()
    if incident is None:
        raise Unknown(field="uuid", message=later(_("no incident %(uuid)s reported by %(name)s"),
                                                  uuid=uuid,
                                    name=obs.full_name))
    photo = checked_photo(data, sha256, captured_at)
    if incident.photos.filter(sha256=photo.sha256).exists():
        return incident.photos.get(sha256=photo.sha256)
    row = _add_photo(incident, photo)
    audit.append(perm.username(user), "observation.incident_photo", incident.station_id,
                 {"uuid": str(incident.uuid), "sha256": row.sha256,
                  "captured_at": photo.captured_at.isoformat() if photo.captured_at else None})
    return row


def submit_count(user, uuid, station, moment: str, at, voters: int) -> Stored:
    obs = observer_of(user)
    uid = _uuid(uuid)
    if moment not in dict(m.VoterCount.MOMENTS):
        raise ObservationError(field="moment", message=one_of(m.VoterCount.MOMENTS))
    if not isinstance(voters, int) or isinstance(voters, bool) or voters < 0:
        raise ObservationError(field="voters",
                               message=later(_("a whole number of voters, 0 or more")))
    st = _deployed_station(obs, station)
    when = _when(at, "at")

    def create():
        row = m.VoterCount.objects.create(uuid=uid, observer=obs, station=st, moment=moment,
                                          at=when, voters=voters)
        audit.append(perm.username(user), "observation.count", st.id,
                     {"uuid": str(uid), "moment": moment, "at": when.isoformat(), "voters": voters})
        return row

    return _store(m.VoterCount, uid, {"observer_id": obs.pk, "station_id": st.id,
                                      "moment": moment, "voters": voters}, create)


def clean_copy(contest: Contest, figures: dict, choices: dict) -> tuple[dict, dict]:
    """The copy's figures checked like a protocol entry: known lines, whole numbers."""
    from sailau.protocols.catalog import Catalog

    info = Catalog().contest(contest.id)
    try:
        return info.form.validate(figures, choices, expected_choices=info.choice_keys)
    except LawInputError as exc:
        raise ObservationError(field=exc.field, message=exc.message) from None


def submit_copy(user, uuid, station, contest_id: str, figures: dict, choices: dict,
                photo: bytes | None = None) -> Stored:
    obs = observer_of(user)
    uid = _uuid(uuid)
    st = resolve_station(obs.organisation.election_id, station)  # unknown station: 404 first
    contest = Contest.objects.filter(pk=contest_id, election_id=st.election_id).first()
    if contest is None:
        raise Unknown(field="contest", message=later(_("no contest %(contest)s in %(election)s"),
                                                     contest=repr(
                                                         contest_id), election=st.election_id))
    if not electorate.votes_in(st.id, contest.id):
        raise ObservationError(field="contest",
                               message=later(_("station %(number)s does not vote in "
                                                  "%(contest)s"),
                                                number=st.number, contest=contest_id))
    fig, ch = clean_copy(contest, figures, choices)
    checked = checked_photo(photo) if photo else None
    st = _deployed_station(obs, st.id)

    def create():
        row = m.ObserverCopy(uuid=uid, observer=obs, station=st, contest=contest, figures=fig,
                             choices=ch)
        if checked:
            row.photo_sha256 = checked.sha256
            with refused_when_unavailable(f"storing the photo of copy {uid}"):
                row.photo.save(checked.name, ContentFile(checked.data), save=False)
        row.save()
        audit.append(perm.username(user), "observation.copy", f"{st.id}/{contest.id}",
                     {"uuid": str(uid), "figures": fig, "choices": ch,
                      "photo_sha256": row.photo_sha256})
        return row

    return _store(m.ObserverCopy, uid, {"observer_id": obs.pk, "station_id": st.id,
                                        "contest_id": contest.id, "figures": fig, "choices": ch},
                  create)


@transaction.atomic
def add_copy_photo(user, uuid, data: bytes, sha256: str | None = None,
                   captured_at=None) -> m.ObserverCopy:
    obs = observer_of(user)
    row = m.ObserverCopy.objects.select_for_update().filter(uuid=_uuid(uuid), observer=obs).first()
    if row is None:
        raise Unknown(field="uuid", message=later(_("no copy %(uuid)s sent by %(name)s"), uuid=uuid,
                                                  name=obs.full_name))
    return attach_copy_photo(row, data, perm.username(user), sha256, captured_at)


def attach_copy_photo(row: m.ObserverCopy, data: bytes, actor: str, sha256: str | None = None,
                      captured_at=None) -> m.ObserverCopy:
    """The photo of a copy already sent (row locked by the caller's transaction): checked,
    hashed, stored once, audited under `actor`; a second, different photo is refused. The
    demo's observers' photos come through here too (`sailau.evidence.copies`)."""
    photo = checked_photo(data, sha256, captured_at)
    if row.photo_sha256 == photo.sha256:
        return row
    if row.photo_sha256:
        raise Conflict(field="photo", message=later(_("this copy already has a different photo")))
    row.photo_sha256, row.photo_captured_at = photo.sha256, photo.captured_at
    with refused_when_unavailable(f"storing the photo of copy {row.uuid}"):
        row.photo.save(photo.name, ContentFile(photo.data), save=False)
    row.save(update_fields=["photo", "photo_sha256", "photo_captured_at"])
    audit.append(actor, "observation.copy_photo", f"{row.station_id}/{row.contest_id}",
                 {"uuid": str(row.uuid), "sha256": photo.sha256,
                  "captured_at": photo.captured_at.isoformat() if photo.captured_at else None})
    return row

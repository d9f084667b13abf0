"""Everything that writes observation data: applications and accreditation decisions,
observers, deployments, and the reports observers send from stations. Each write checks who may
do it and is recorded in the audit log in the same transaction.

Reports carry the phone's uuid: the same uuid with the same content returns the stored report
(`created` False) and stores nothing; the same uuid with other content is refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid as uuidlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from sailau import audit, uploads
from sailau.accounts import permissions as perm
from sailau.accounts.models import Role
from sailau.elections import areas
from sailau.elections.models import Commission, Contest, Election, Station
from sailau.errors import LANGS
from sailau.i18n import later
from sailau.law import LawInputError
from sailau.observation import checklists
from sailau.observation import models as m
from sailau.observation.errors import (
    ISO_TIME,
    REQUIRED,
    Conflict,
    NotDeployed,
    ObservationError,
    Unknown,
    one_of,
)

MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = (uploads.JPEG, uploads.PNG, uploads.WEBP, uploads.GIF)
MAX_DESCRIPTION = 5000  # characters: a page of text; the photos say the rest


@dataclass
class Stored:
    report: object
    created: bool


# ------------------------------------------------------------------ who may do what


def _staff_of(user, commission: Commission) -> bool:
    """A coordinator or administrator of the deciding commission, or a CEC administrator."""
    for g in perm.grants(user):
        if g.election_id != commission.election_id:
            continue
        if g.kind == perm.AD and g.level == Commission.CEC:
            return True
        if g.commission_id == commission.id and g.kind in (perm.CO, perm.AD):
            return True
    return False


def deciding_commission(org: m.Organisation) -> Commission:
    if org.territory_id:
        return org.territory
    return Commission.objects.get(election_id=org.election_id, level=Commission.CEC)


def _require_staff(user, commission: Commission) -> None:
    if not _staff_of(user, commission):
        raise perm.NotAllowed(later(_("%(user)s is not a coordinator or administrator of "
                                      "%(commission)s, which accredits this organisation"),
                                    user=perm.username(user), commission=commission.id))


def _require_manager(user, org: m.Organisation) -> None:
    if perm.manages(user, org):
        return
    if _staff_of(user, deciding_commission(org)):
        return
    raise perm.NotAllowed(later(_("%(user)s does not manage organisation %(org)s"),
                                user=perm.username(user), org=org.pk))


def observer_of(user) -> m.Observer:
    """The user's observer record, while they hold the observer role of its organisation."""
    if not getattr(user, "is_authenticated", False):
        raise perm.NotAllowed(later(_("log in as an observer to send reports")))
    orgs = [g.organisation_id for g in perm.grants(user) if g.kind == perm.OBSERVER]
    obs = (m.Observer.objects.select_related("organisation")
           .filter(user=user, organisation_id__in=orgs).first())
    if obs is None:
        raise perm.NotAllowed(later(_("%(user)s is not registered as an observer"),
                                    user=user.username))
    return obs


def _accredited(org: m.Organisation) -> bool:
    last = org.accreditations.exclude(status=m.Accreditation.PENDING).order_by(
        "-decision_date", "-id").first()
    return last is not None and last.status == m.Accreditation.GRANTED


# ------------------------------------------------------------------ organisations


@transaction.atomic
def apply(user, election_id: str, kind: str, name_kk: str, *, name_ru: str = "",
          name_en: str = "", territory_id: str | None = None, contact: str = "",
          applied_on: dt.date | None = None) -> m.Accreditation:
    """An organisation applies for accreditation (the applicant becomes its manager)."""
    if not getattr(user, "is_authenticated", False):
        raise perm.NotAllowed(later(_("log in to apply for accreditation")))
    if not Election.objects.filter(pk=election_id).exists():
        raise Unknown("election", later(_("no election %(election)s"), election=repr(election_id)))
    if kind not in dict(m.Organisation.KINDS):
        raise ObservationError("kind", one_of(m.Organisation.KINDS))
    if not (name_kk or "").strip():
        raise ObservationError("name_kk", later(REQUIRED))
    territory = None
    if territory_id:
        territory = Commission.objects.filter(pk=territory_id, election_id=election_id,
                                              level=Commission.TERRITORIAL).first()
        if territory is None:
            raise Unknown("territory", later(_("no territorial commission %(territory)s in "
                                               "%(election)s"),
                                             territory=repr(territory_id), election=election_id))
    org = m.Organisation.objects.create(election_id=election_id, kind=kind, name_kk=name_kk.strip(),
                                        name_ru=name_ru, name_en=name_en, territory=territory,
                                        contact=contact)
    role = Role.objects.create(user=user, kind=Role.MANAGER, organisation=org,
                               granted_by="apply")
    audit.append(perm.username(user), "role.granted", role.scope,
                 {"user": perm.username(user), "kind": role.kind, "scope": role.scope})
    perm.forget(user)
    acc = m.Accreditation.objects.create(organisation=org, commission=deciding_commission(org),
                                         applied_on=applied_on or timezone.localdate())
    audit.append(perm.username(user), "observation.applied", f"organisation/{org.pk}",
                 {"name": org.name_kk, "kind": kind, "territory": territory_id})
    return acc


@transaction.atomic
def decide(user, accreditation_id: int, status: str, decision_number: str,
           decision_date: dt.date, reasons: str = "") -> m.Accreditation:
    acc = (m.Accreditation.objects.select_for_update().select_related("commission", "organisation")
           .filter(pk=accreditation_id).first())
    if acc is None:
        raise Unknown("accreditation", later(_("no application %(id)s"), id=accreditation_id))
    _require_staff(user, acc.commission)
    if status not in (m.Accreditation.GRANTED, m.Accreditation.REFUSED, m.Accreditation.REVOKED):
        raise ObservationError("status", later(_("must be granted, refused or revoked")))
    if status == m.Accreditation.REVOKED and acc.status != m.Accreditation.GRANTED:
        raise ObservationError("status", later(_("only a granted accreditation can be revoked")))
    if status != m.Accreditation.REVOKED and acc.status != m.Accreditation.PENDING:
        raise ObservationError("status", later(_("the application was already decided "
                                                 "(%(status)s)"),
                                               status=dict(m.Accreditation.STATUSES)[acc.status]))
    if status != m.Accreditation.GRANTED and not (reasons or "").strip():
        raise ObservationError("reasons", later(_("a refusal or revocation must give its "
                                                  "reasons: they are published")))
    if not (decision_number or "").strip():
        raise ObservationError("decision_number", later(REQUIRED))
    acc.status, acc.decision_number, acc.decision_date = status, decision_number.strip(), decision_date
    acc.reasons, acc.decided_by = (reasons or "").strip(), perm.username(user)
    acc.save()
    audit.append(perm.username(user), f"observation.accreditation_{status}",
                 f"organisation/{acc.organisation_id}",
                 {"decision_number": acc.decision_number, "decision_date": decision_date.isoformat(),
                  "reasons": acc.reasons, "commission": acc.commission_id})
    return acc


@transaction.atomic
def register_observer(user, organisation_id: int, kind: str, full_name: str,
                      username: str | None = None) -> m.Observer:
    org = m.Organisation.objects.filter(pk=organisation_id).first()
    if org is None:
        raise Unknown("organisation", later(_("no organisation %(id)s"), id=organisation_id))
    _require_manager(user, org)
    if not _accredited(org):
        raise ObservationError("organisation", later(_("%(name)s is not accredited"),
                                                     name=org.name_kk), "not_accredited")
    if kind not in dict(m.Observer.KINDS):
        raise ObservationError("kind", one_of(m.Observer.KINDS))
    if not (full_name or "").strip():
        raise ObservationError("full_name", later(REQUIRED))
    account = None
    if username:
        account = get_user_model().objects.filter(username=username).first()
        if account is None:
            raise Unknown("username", later(_("no user %(user)s"), user=repr(username)))
        _check_may_observe(account, org)
    obs = m.Observer.objects.create(organisation=org, kind=kind, full_name=full_name.strip(),
                                    badge=m.Observer.new_badge())
    audit.append(perm.username(user), "observation.observer_registered", f"observer/{obs.pk}",
                 {"organisation": org.pk, "kind": kind, "badge": obs.badge})
    if account is not None:
        # The account becomes this observer only when its owner accepts.
        inv = m.Invitation.objects.create(observer=obs, user=account,
                                          invited_by=perm.username(user))
        audit.append(perm.username(user), "observation.invited", f"observer/{obs.pk}",
                     {"user": account.username, "invitation": inv.pk})
    return obs


def _check_may_observe(account, org: m.Organisation) -> None:
    """Members of a commission may not observe its election; one account, one observer."""
    if perm.has_commission_role(account, org.election_id):
        raise ObservationError("username", later(_("%(user)s works for a commission of "
                                                   "%(election)s and cannot be its observer"),
                                                 user=account.username, election=org.election_id),
                               "commission_member")
    if m.Observer.objects.filter(user=account).exists():
        raise ObservationError("username", later(_("%(user)s is already an observer"),
                                                 user=account.username), "already_observer")


def invitations_of(user):
    return (m.Invitation.objects.filter(user=user)
            .select_related("observer__organisation").order_by("-created_at"))


@transaction.atomic
def answer_invitation(user, invitation_id: int, accept: bool) -> m.Invitation:
    inv = (m.Invitation.objects.select_for_update().select_related("observer__organisation")
           .filter(pk=invitation_id, user_id=getattr(user, "pk", None)).first())
    if inv is None:  # someone else's invitation is as unknown as a missing one
        raise Unknown("invitation", later(_("you have no invitation %(id)s"), id=invitation_id))
    if inv.status != m.Invitation.PENDING:
        raise Conflict("invitation", later(_("the invitation was already answered "
                                             "(%(status)s)"),
                                           status=dict(m.Invitation.STATUSES)[inv.status]))
    if accept:
        _check_may_observe(user, inv.observer.organisation)
        from sailau.accounts import services as accounts

        accounts.grant(None, user.username, Role.OBSERVER, f"org:{inv.observer.organisation_id}",
                       observer=inv.observer)
        perm.forget(user)
    inv.status = m.Invitation.ACCEPTED if accept else m.Invitation.DECLINED
    inv.answered_at = timezone.now()
    inv.save(update_fields=["status", "answered_at"])
    audit.append(perm.username(user), f"observation.invitation_{inv.status}",
                 f"observer/{inv.observer_id}", {"invitation": inv.pk})
    return inv


def link_observer(org: m.Organisation, user, observer: m.Observer | None = None) -> m.Observer:
    """Called when the observer role is granted: the account becomes `observer` (or a new
    observer record of `org` named after the account)."""
    current = m.Observer.objects.filter(user=user).first()
    if current is not None and current.organisation_id != org.pk:
        raise ObservationError("username", later(_("%(user)s is already an observer of "
                                                   "organisation %(org)s"),
                                                 user=user.username, org=current.organisation_id),
                               "already_observer")
    if current is not None:
        return current
    if observer is None:
        observer = m.Observer(organisation=org, kind=m.Observer.CITIZEN,
                              full_name=user.get_full_name() or user.username,
                              badge=m.Observer.new_badge())
    observer.user = user
    observer.save()
    return observer


def unlink_observer(organisation_id: int, user) -> None:
    m.Observer.objects.filter(user=user, organisation_id=organisation_id).update(user=None)


def role_granting(sender, role: Role, user, observer: m.Observer | None = None, **_) -> None:
    """An observer role is being granted (sailau.accounts.signals): link its account."""
    if role.kind == Role.OBSERVER:
        link_observer(role.organisation, user, observer)


def role_revoking(sender, role: Role, **_) -> None:
    if role.kind == Role.OBSERVER:
        unlink_observer(role.organisation_id, role.user)


def resolve_station(election_id: str, station: str | int) -> Station:
    """A station by id, or by number within the election."""
    s = str(station).strip()
    qs = Station.objects.filter(election_id=election_id)
    found = qs.filter(number=int(s)).first() if s.isdigit() else qs.filter(pk=s).first()
    if found is None:
        raise Unknown("station", later(_("no station %(station)s in %(election)s"),
                                       station=repr(s), election=election_id), "unknown_station")
    return found


@transaction.atomic
def deploy(user, observer_id: int, station: str | int) -> m.Deployment:
    obs = m.Observer.objects.select_related("organisation").filter(pk=observer_id).first()
    if obs is None:
        raise Unknown("observer", later(_("no observer %(id)s"), id=observer_id))
    org = obs.organisation
    _require_manager(user, org)
    st = resolve_station(org.election_id, station)
    if org.territory_id and st.territory_id != org.territory_id:
        raise ObservationError("station", later(_("station %(number)s is outside %(territory)s, "
                                                  "where this regional organisation is "
                                                  "accredited"),
                                                number=st.number, territory=org.territory_id))
    dep, created = m.Deployment.objects.get_or_create(observer=obs, station=st)
    if created:
        audit.append(perm.username(user), "observation.deployed", st.id,
                     {"observer": obs.pk, "badge": obs.badge})
    return dep


# ------------------------------------------------------------------ reports from stations


def _uuid(value) -> uuidlib.UUID:
    try:
        return uuidlib.UUID(str(value))
    except (ValueError, TypeError):
        raise ObservationError("uuid", later(_("a UUID made by the phone for this report"))) \
            from None


def _deployed_station(obs: m.Observer, station: str | int) -> Station:
    st = resolve_station(obs.organisation.election_id, station)
    if not m.Deployment.objects.filter(observer=obs, station=st).exists():
        raise NotDeployed("station", later(_("%(name)s is not deployed to station %(number)s "
                                             "(%(id)s)"),
                                           name=obs.full_name, number=st.number, id=st.id))
    return st


def _when(value, field: str) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ObservationError(field, later(ISO_TIME)) from None
    if not isinstance(value, dt.datetime):
        raise ObservationError(field, later(ISO_TIME))
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now() + dt.timedelta(minutes=10):
        raise ObservationError(field, later(_("is in the future")))
    return value


def _store(model, uid: uuidlib.UUID, same: dict, create) -> Stored:
    """The report with this uuid if it exists with the same content, else a new one."""
    def existing():
        row = model.objects.filter(uuid=uid).first()
        if row is None:
            return None
        if any(getattr(row, k) != v for k, v in same.items()):
            raise Conflict("uuid", later(_("%(uuid)s was already used for a different report"),
                                         uuid=str(uid)),
                           existing=row.pk)
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


def submit_checklist(user, uuid, station, stage: str, answers: dict, observed_at,
                     form_version: str | None = None) -> Stored:
    obs = observer_of(user)
    uid = _uuid(uuid)
    version = form_version or checklists.current_version()
    clean = checklists.validate(stage, answers, version)
    st = _deployed_station(obs, station)
    at = _when(observed_at, "observed_at")

    def create():
        row = m.ChecklistSubmission.objects.create(
            uuid=uid, observer=obs, station=st, stage=stage, form_version=version, answers=clean,
            negative=checklists.is_negative(clean), observed_at=at)
        audit.append(perm.username(user), "observation.checklist", st.id,
                     {"uuid": str(uid), "stage": stage, "version": version, "answers": clean})
        return row

    return _store(m.ChecklistSubmission, uid, {"observer_id": obs.pk, "station_id": st.id,
                                               "stage": stage, "answers": clean}, create)


def validate_image(data: bytes, field: str = "photo") -> tuple[int, int, str]:
    """(width, height, format) of an image, or a clear error: the bytes are decoded within the
    limits every upload has (`sailau.uploads`), not trusted by their name or content type."""
    try:
        c = uploads.check(data, field=field, accept=PHOTO_TYPES, max_bytes=MAX_PHOTO_BYTES)
    except uploads.UploadError as exc:
        code = {"upload.type": "not_an_image", "upload.corrupt": "not_an_image"}.get(
            exc.code, exc.code.removeprefix("upload."))
        raise ObservationError(field, {lang: exc.message(lang) for lang in LANGS}, code) from None
    return c.width, c.height, uploads.NAMES[c.content_type].upper()


def _photo_name(data: bytes, fmt: str) -> tuple[str, str]:
    digest = hashlib.sha256(data).hexdigest()
    ext = {"JPEG": "jpg"}.get(fmt, fmt.lower())
    return digest, f"{digest[:24]}.{ext}"


def report_incident(user, uuid, station, kind: str, occurred_at, description: str,
                    photos: list[bytes] = ()) -> Stored:
    obs = observer_of(user)
    uid = _uuid(uuid)
    if kind not in dict(m.Incident.KINDS):
        raise ObservationError("kind", one_of(m.Incident.KINDS))
    if not (description or "").strip():
        raise ObservationError("description", later(_("required: what happened, who was "
                                                      "involved")))
    if len(description.strip()) > MAX_DESCRIPTION:
        raise ObservationError("description", later(_("at most %(n)d characters"),
                                                    n=MAX_DESCRIPTION),
                               "too_long")
    checked = [validate_image(p, f"photos[{i}]") for i, p in enumerate(photos)]
    st = _deployed_station(obs, station)
    at = _when(occurred_at, "occurred_at")

    def create():
        row = m.Incident.objects.create(uuid=uid, observer=obs, station=st, kind=kind,
                                        occurred_at=at, description=description.strip())
        for data, info in zip(photos, checked):
            _add_photo(row, data, info)
        audit.append(perm.username(user), "observation.incident", st.id,
                     {"uuid": str(uid), "kind": kind, "photos": len(photos)})
        return row

    return _store(m.Incident, uid, {"observer_id": obs.pk, "station_id": st.id, "kind": kind,
                                    "description": description.strip()}, create)


def _add_photo(incident: m.Incident, data: bytes, info) -> m.IncidentPhoto:
    width, height, fmt = info
    digest, name = _photo_name(data, fmt)
    existing = incident.photos.filter(sha256=digest).first()
    if existing:
        return existing
    photo = m.IncidentPhoto(incident=incident, sha256=digest, width=width, height=height)
    photo.image.save(name, ContentFile(data), save=False)
    photo.save()
    return photo


@transaction.atomic
def add_incident_photo(user, uuid, data: bytes) -> m.IncidentPhoto:
    """A photo sent after its incident (phones send text first, photos when there is signal)."""
    obs = observer_of(user)
    incident = m.Incident.objects.filter(uuid=_uuid(uuid), observer=obs).first()
    if incident is None:
        raise Unknown("uuid", later(_("no incident %(uuid)s reported by %(name)s"), uuid=uuid,
                                    name=obs.full_name))
    photo = _add_photo(incident, data, validate_image(data))
    audit.append(perm.username(user), "observation.incident_photo", incident.station_id,
                 {"uuid": str(incident.uuid), "sha256": photo.sha256})
    return photo


def submit_count(user, uuid, station, moment: str, at, voters: int) -> Stored:
    obs = observer_of(user)
    uid = _uuid(uuid)
    if moment not in (m.VoterCount.ARRIVAL, m.VoterCount.DEPARTURE):
        raise ObservationError("moment", later(_("arrival or departure")))
    if not isinstance(voters, int) or isinstance(voters, bool) or voters < 0:
        raise ObservationError("voters", later(_("a whole number of voters, 0 or more")))
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
        raise ObservationError(exc.field, exc.message) from None


def submit_copy(user, uuid, station, contest_id: str, figures: dict, choices: dict,
                photo: bytes | None = None) -> Stored:
    obs = observer_of(user)
    uid = _uuid(uuid)
    st = resolve_station(obs.organisation.election_id, station)  # unknown station: 404 first
    contest = Contest.objects.filter(pk=contest_id, election_id=st.election_id).first()
    if contest is None:
        raise Unknown("contest", later(_("no contest %(contest)s in %(election)s"),
                                       contest=repr(contest_id), election=st.election_id))
    if not areas.contains(contest.commission, st):
        raise ObservationError("contest", later(_("station %(number)s does not vote in "
                                                  "%(contest)s"),
                                                number=st.number, contest=contest_id))
    fig, ch = clean_copy(contest, figures, choices)
    info = validate_image(photo) if photo else None
    st = _deployed_station(obs, st.id)

    def create():
        row = m.ObserverCopy(uuid=uid, observer=obs, station=st, contest=contest, figures=fig,
                             choices=ch)
        if photo:
            row.photo_sha256, name = _photo_name(photo, info[2])
            row.photo.save(name, ContentFile(photo), save=False)
        row.save()
        audit.append(perm.username(user), "observation.copy", f"{st.id}/{contest.id}",
                     {"uuid": str(uid), "figures": fig, "choices": ch,
                      "photo_sha256": row.photo_sha256})
        return row

    return _store(m.ObserverCopy, uid, {"observer_id": obs.pk, "station_id": st.id,
                                        "contest_id": contest.id, "figures": fig, "choices": ch},
                  create)


@transaction.atomic
def add_copy_photo(user, uuid, data: bytes) -> m.ObserverCopy:
    obs = observer_of(user)
    row = m.ObserverCopy.objects.select_for_update().filter(uuid=_uuid(uuid), observer=obs).first()
    if row is None:
        raise Unknown("uuid", later(_("no copy %(uuid)s sent by %(name)s"), uuid=uuid,
                                    name=obs.full_name))
    fmt = validate_image(data)[2]
    digest, name = _photo_name(data, fmt)
    if row.photo_sha256 == digest:
        return row
    if row.photo_sha256:
        raise Conflict("photo", later(_("this copy already has a different photo")))
    row.photo_sha256 = digest
    row.photo.save(name, ContentFile(data), save=False)
    row.save(update_fields=["photo", "photo_sha256"])
    audit.append(perm.username(user), "observation.copy_photo", f"{row.station_id}/{row.contest_id}",
                 {"uuid": str(row.uuid), "sha256": digest})
    return row

"""Everything that writes observation data about organisations: applications (with the
observers they propose) and accreditation decisions, observers, invitations and deployments.
Each write checks who may do it and is recorded in the audit log in the same transaction. The
reports observers send from stations are in `reports`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_noop as _

from sailau import audit, clock
from sailau.accounts import permissions as perm
from sailau.accounts.models import Role
from sailau.elections.models import Commission, Election, Station, spelled
from sailau.errors import BadInput, Code
from sailau.errors.lengths import check_lengths
from sailau.i18n import later
from sailau.languages import ENGLISH, KAZAKH, RUSSIAN, column
from sailau.observation import models as m
from sailau.observation.errors import (
    REQUIRED,
    Conflict,
    ObservationError,
    Unknown,
    one_of,
)

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
    """Who accredits `org`: its territorial commission, else the election's highest commission
    (the CEC; a structure imported without it, a local election's, has its own top)."""
    if org.territory_id:
        return org.territory
    top = (Commission.objects.filter(election_id=org.election_id, level=Commission.CEC).first()
           or Commission.objects.filter(election_id=org.election_id, parent__isnull=True)
           .order_by("id").first())
    if top is None:
        raise Unknown(field="election",
                      message=later(_("%(election)s has no commission yet to accredit observers: "
                                      "import its structure first"), election=org.election_id))
    return top


def _require_staff(user, commission: Commission) -> None:
    if not _staff_of(user, commission):
        raise perm.NotAllowed(message=later(_("%(user)s is not a coordinator or administrator of "
                                              "%(commission)s, which accredits this organisation"),
                                            user=perm.username(user), commission=commission.id))


def _require_manager(user, org: m.Organisation) -> None:
    if perm.manages(user, org):
        return
    if _staff_of(user, deciding_commission(org)):
        return
    raise perm.NotAllowed(message=later(_("%(user)s does not manage organisation %(org)s"),
                                        user=perm.username(user), org=org.pk))


def observer_of(user) -> m.Observer:
    """The user's observer record, while they hold the observer role of its organisation."""
    if not getattr(user, "is_authenticated", False):
        raise perm.NotAllowed(message=later(_("log in as an observer to send reports")))
    orgs = [g.organisation_id for g in perm.grants(user) if g.kind == perm.OBSERVER]
    obs = (m.Observer.objects.select_related("organisation")
           .filter(user=user, organisation_id__in=orgs).first())
    if obs is None:
        raise perm.NotAllowed(message=later(_("%(user)s is not registered as an observer"),
                                            user=user.username))
    if (status := accreditation_status(obs.organisation)) != m.Accreditation.GRANTED:
        # Refused, revoked or still pending: the observer's reports would carry no authority.
        raise perm.NotAllowed(
            message=later(_("%(org)s is not accredited (%(status)s): its observers "
                            "cannot send reports"),
                          org=obs.organisation.name(KAZAKH),
                          status=dict(m.Accreditation.STATUSES)[status]),
            field="organisation")
    return obs


def accreditation_status(org: m.Organisation) -> str:
    """pending, granted, refused or revoked: the latest decision, or pending before one."""
    last = org.accreditations.exclude(status=m.Accreditation.PENDING).order_by(
        "-decision_date", "-id").first()
    return last.status if last else m.Accreditation.PENDING


def _accredited(org: m.Organisation) -> bool:
    return accreditation_status(org) == m.Accreditation.GRANTED


# ------------------------------------------------------------------ organisations


@transaction.atomic
def apply(user, election_id: str, kind: str, name_kk: str = "", *, name_ru: str = "",
          name_en: str = "", names: Mapping[str, str] | None = None,
          territory_id: str | None = None, contact: str = "",
          applied_on: dt.date | None = None,
          observers: list[tuple[str, str]] = ()) -> m.Accreditation:
    """An organisation applies for accreditation (the applicant becomes its manager), listing
    the observers it proposes as (kind, full name): they get their badges with the application
    and the badges become valid when the accreditation is granted. Its name comes as `names`
    (by written language: `{"kk": ..., "xx": ...}`), or as the fields `name_kk`, `name_ru`,
    `name_en` of the API's first clients, which are read as those languages of `names` (a
    language given both ways with two texts is refused: neither silently wins)."""
    if not getattr(user, "is_authenticated", False):
        raise perm.NotAllowed(message=later(_("log in to apply for accreditation")))
    if not Election.objects.filter(pk=election_id).exists():
        raise Unknown(field="election", message=later(_("no election %(election)s"),
                                                      election=repr(election_id)))
    if kind not in dict(m.Organisation.KINDS):
        raise ObservationError(field="kind", message=one_of(m.Organisation.KINDS))
    fields = {lang: text for lang, text in ((KAZAKH, name_kk), (RUSSIAN, name_ru),
                                            (ENGLISH, name_en)) if text}
    for lang, text in fields.items():
        other = (names or {}).get(lang)
        if isinstance(other, str) and other.strip() != text.strip():
            raise ObservationError(field=column("name", lang), message=later(
                _("%(field)s and names.%(language)s give two different names: send one"),
                language=lang, field=column("name", lang)))
    given = {lang: text.strip() if isinstance(text, str) else text
             for lang, text in {**(names or {}), **fields}.items()}
    if not given.get(KAZAKH):
        raise ObservationError(field=column("name", KAZAKH) if names is None else "names.kk",
                               message=later(REQUIRED))
    try:
        names = spelled(given)
    except BadInput as exc:  # named as the request names it: name_ru, or names.xx
        lang = exc.field.partition(".")[2]
        raise BadInput(code=exc.code, field=column("name", lang) if lang in fields
                       else exc.field, message=exc.message) from None
    check_lengths(m.Organisation, contact=contact)
    territory = None
    if territory_id:
        territory = Commission.objects.filter(pk=territory_id, election_id=election_id,
                                              level=Commission.TERRITORIAL).first()
        if territory is None:
            raise Unknown(field="territory",
                          message=later(_("no territorial commission %(territory)s in "
                                               "%(election)s"),
                                             territory=repr(territory_id), election=election_id))
    proposed = _proposed(observers)
    org = m.Organisation.objects.create(election_id=election_id, kind=kind, names=names,
                                        territory=territory,
                                        contact=contact)
    from sailau.accounts.services import grant_by_system

    grant_by_system(user, Role.MANAGER, perm.username(user), organisation=org)
    acc = m.Accreditation.objects.create(organisation=org, commission=deciding_commission(org),
                                         applied_on=applied_on or clock.localdate())
    listed = m.Observer.objects.bulk_create([
        m.Observer(organisation=org, kind=k, full_name=n, badge=m.Observer.new_badge())
        for k, n in proposed])
    audit.append(perm.username(user), "observation.applied", f"organisation/{org.pk}",
                 {"name": org.name(KAZAKH), "kind": kind, "territory": territory_id,
                  "observers": [{"kind": o.kind, "full_name": o.full_name, "badge": o.badge}
                                for o in listed]})
    return acc


MAX_LISTED = 2000  # observers on one application: a national network's size


def _proposed(observers) -> list[tuple[str, str]]:
    """The observers listed on an application, checked: a known kind and a name each."""
    if len(observers) > MAX_LISTED:
        raise ObservationError(field="observers", code=Code.TOO_LONG, message=later(
            _("at most %(n)d observers on one application"), n=MAX_LISTED))
    out = []
    for i, (kind, name) in enumerate(observers):
        if kind not in dict(m.Observer.KINDS):
            raise ObservationError(field=f"observers[{i}].kind", message=one_of(m.Observer.KINDS))
        name = (name or "").strip()
        if not name:
            raise ObservationError(field=f"observers[{i}].full_name", message=later(REQUIRED))
        check_lengths(m.Observer, prefix=f"observers[{i}].", full_name=name)
        out.append((kind, name))
    return out


def decision_queue(user):
    """Pending applications the user may decide: the CEC's staff decide national
    organisations, a territorial commission's staff the regional ones of their territory."""
    pending = (m.Accreditation.objects.filter(status=m.Accreditation.PENDING)
               .select_related("organisation", "commission").order_by("applied_on", "id"))
    commissions = {g.commission_id for g in perm.grants(user) if g.kind in (perm.CO, perm.AD)}
    cec_elections = {g.election_id for g in perm.grants(user)
                     if g.kind == perm.AD and g.level == Commission.CEC}
    return [a for a in pending if a.commission_id in commissions
            or a.commission.election_id in cec_elections]


def decides_any(user) -> bool:
    return any(g.kind in (perm.CO, perm.AD) and g.level in (Commission.CEC, Commission.TERRITORIAL)
               for g in perm.grants(user))


@transaction.atomic
def decide(user, accreditation_id: int, status: str, decision_number: str,
           decision_date: dt.date, reasons: str = "") -> m.Accreditation:
    acc = (m.Accreditation.objects.select_for_update().select_related("commission", "organisation")
           .filter(pk=accreditation_id).first())
    if acc is None:
        raise Unknown(field="accreditation", message=later(_("no application %(id)s"),
                                                           id=accreditation_id))
    _require_staff(user, acc.commission)
    if status not in (m.Accreditation.GRANTED, m.Accreditation.REFUSED, m.Accreditation.REVOKED):
        raise ObservationError(field="status",
                               message=later(_("must be granted, refused or revoked")))
    if status == m.Accreditation.REVOKED and acc.status != m.Accreditation.GRANTED:
        raise ObservationError(field="status",
                               message=later(_("only a granted accreditation can be revoked")))
    if status != m.Accreditation.REVOKED and acc.status != m.Accreditation.PENDING:
        raise ObservationError(field="status",
                               message=later(_("the application was already decided "
                                                 "(%(status)s)"),
                                               status=dict(m.Accreditation.STATUSES)[acc.status]))
    if status != m.Accreditation.GRANTED and not (reasons or "").strip():
        raise ObservationError(field="reasons",
                               message=later(_("a refusal or revocation must give its "
                                                  "reasons: they are published")))
    if not (decision_number or "").strip():
        raise ObservationError(field="decision_number", message=later(REQUIRED))
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
        raise Unknown(field="organisation", message=later(_("no organisation %(id)s"),
                                                          id=organisation_id))
    _require_manager(user, org)
    if not _accredited(org):
        raise ObservationError(field="organisation", message=later(_("%(name)s is not accredited"),
                                                     name=org.name(KAZAKH)), code=Code.NOT_ACCREDITED)
    if kind not in dict(m.Observer.KINDS):
        raise ObservationError(field="kind", message=one_of(m.Observer.KINDS))
    if not (full_name or "").strip():
        raise ObservationError(field="full_name", message=later(REQUIRED))
    check_lengths(m.Observer, full_name=full_name.strip())
    account = None
    if username:
        account = get_user_model().objects.filter(username=username).first()
        if account is None:
            raise Unknown(field="username", message=later(_("no user %(user)s"),
                                                          user=repr(username)))
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
        raise ObservationError(field="username",
                               message=later(_("%(user)s works for a commission of "
                                                   "%(election)s and cannot be its observer"),
                                                 user=account.username, election=org.election_id),
                               code=Code.COMMISSION_MEMBER)
    if m.Observer.objects.filter(user=account).exists():
        raise ObservationError(field="username", message=later(_("%(user)s is already an observer"),
                                                 user=account.username), code=Code.ALREADY_OBSERVER)


def invitations_of(user):
    return (m.Invitation.objects.filter(user=user)
            .select_related("observer__organisation").order_by("-created_at"))


@transaction.atomic
def answer_invitation(user, invitation_id: int, accept: bool) -> m.Invitation:
    inv = (m.Invitation.objects.select_for_update().select_related("observer__organisation")
           .filter(pk=invitation_id, user_id=getattr(user, "pk", None)).first())
    if inv is None:  # someone else's invitation is as unknown as a missing one
        raise Unknown(field="invitation", message=later(_("you have no invitation %(id)s"),
                                                        id=invitation_id))
    if inv.status != m.Invitation.PENDING:
        raise Conflict(field="invitation", message=later(_("the invitation was already answered "
                                                           "(%(status)s)"),
                                                         status=dict(
                                                             m.Invitation.STATUSES)[inv.status]))
    if accept:
        _check_may_observe(user, inv.observer.organisation)
        from sailau.accounts import services as accounts

        accounts.grant(None, user.username, Role.OBSERVER, f"org:{inv.observer.organisation_id}",
                       observer=inv.observer)
        perm.forget(user)
    inv.status = m.Invitation.ACCEPTED if accept else m.Invitation.DECLINED
    inv.answered_at = clock.now()
    inv.save(update_fields=["status", "answered_at"])
    audit.append(perm.username(user), f"observation.invitation_{inv.status}",
                 f"observer/{inv.observer_id}", {"invitation": inv.pk})
    return inv


def link_observer(org: m.Organisation, user, observer: m.Observer | None = None) -> m.Observer:
    """Called when the observer role is granted: the account becomes `observer` (or a new
    observer record of `org` named after the account)."""
    current = m.Observer.objects.filter(user=user).first()
    if current is not None and current.organisation_id != org.pk:
        raise ObservationError(field="username",
                               message=later(_("%(user)s is already an observer of "
                                                   "organisation %(org)s"),
                                                 user=user.username, org=current.organisation_id),
                               code=Code.ALREADY_OBSERVER)
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
        raise Unknown(field="station", message=later(_("no station %(station)s in %(election)s"),
                                       station=repr(
                                           s), election=election_id), code=Code.UNKNOWN_STATION)
    return found


@transaction.atomic
def deploy(user, observer_id: int, station: str | int) -> m.Deployment:
    obs = m.Observer.objects.select_related("organisation").filter(pk=observer_id).first()
    if obs is None:
        raise Unknown(field="observer", message=later(_("no observer %(id)s"), id=observer_id))
    org = obs.organisation
    _require_manager(user, org)
    st = resolve_station(org.election_id, station)
    if org.territory_id and st.territory_id != org.territory_id:
        raise ObservationError(field="station",
                               message=later(_("station %(number)s is outside %(territory)s, "
                                                  "where this regional organisation is "
                                                  "accredited"),
                                                number=st.number, territory=org.territory_id))
    dep, created = m.Deployment.objects.get_or_create(observer=obs, station=st)
    if created:
        audit.append(perm.username(user), "observation.deployed", st.id,
                     {"observer": obs.pk, "badge": obs.badge})
    return dep

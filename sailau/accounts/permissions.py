"""Who may do what, read from the user's roles (`models.Role`). Every write in the service layer
calls one of these checks, so that the API and the pages cannot disagree. A superuser is not
exempt: the first one becomes CEC administrator with `sailau roles grant USER admin ELECTION`."""

from dataclasses import dataclass

from sailau.elections import areas
from sailau.elections.models import Commission, Station
from sailau.errors import Forbidden

# Actions on a station.
ENTER = "enter"  # type a protocol entry
RESOLVE = "resolve"  # settle differing entries
AMEND = "amend"  # enter an amendment decided by a commission
PRECINCT_TIME = "precinct_time"  # polls closed, protocol signed, copy handed to observers
TURNOUT = "turnout"  # ballots issued so far, at one of the CEC's hours of election day
RECEIVE = "receive"  # the territorial commission received the paper protocol
SCAN = "scan"  # upload the scan of the signed protocol

OP, CO, AD = "operator", "coordinator", "admin"
MANAGER, OBSERVER, DECIDER, CITIZEN = "org_manager", "observer", "decider", "citizen"
COMMISSION_KINDS = (OP, CO, AD)
ALLOWED_KINDS = {
    ENTER: {OP, AD},
    PRECINCT_TIME: {OP, AD},
    TURNOUT: {OP, AD},
    SCAN: {OP, CO, AD},
    RESOLVE: {CO, AD},
    AMEND: {CO, AD},
    RECEIVE: {OP, CO, AD},
}
# Receipt upstream is recorded upstream: not by the precinct commission itself.
MIN_LEVEL = {RECEIVE: {Commission.TERRITORIAL, Commission.CEC}}


class NotAllowed(Forbidden):
    """The user has no role that allows this action on this station."""


@dataclass(frozen=True)
class Grant:
    kind: str
    commission_id: str | None
    level: str | None
    election_id: str | None
    organisation_id: int | None = None
    body: str = ""


def grants(user) -> tuple[Grant, ...]:
    """The user's roles, read once per request and kept on the user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ()
    cached = getattr(user, "_sailau_grants", None)
    if cached is None:
        from sailau.accounts.models import Role

        cached = tuple(Grant(*row) for row in Role.objects.filter(user=user).values_list(
            "kind", "commission_id", "commission__level", "election_id", "organisation_id",
            "body"))
        user._sailau_grants = cached
    return cached


def forget(user) -> None:
    """Drop the roles read for this request (after a grant or revoke)."""
    if user is not None and hasattr(user, "_sailau_grants"):
        del user._sailau_grants


def covers(grant: Grant, station: Station) -> bool:
    if grant.commission_id is None or grant.election_id != station.election_id:
        return False
    if grant.level == Commission.CEC:
        return True
    return grant.commission_id in (station.commission_id, *areas.station_area_ids(station))


def allowed(user, action: str, station: Station) -> bool:
    kinds = ALLOWED_KINDS[action]
    levels = MIN_LEVEL.get(action)
    return any(g.kind in kinds and (levels is None or g.level in levels) and covers(g, station)
               for g in grants(user))


def require(user, action: str, station: Station) -> None:
    if not allowed(user, action, station):
        who = getattr(user, "username", "") or "the public"
        raise NotAllowed(message=f"{who} may not {action.replace('_', ' ')} for station "
                                 f"{station.number} ({station.id}): no role covering it allows "
                                 "that")


def require_admin(user, election_id: str) -> None:
    if not any(g.kind == AD and g.election_id == election_id for g in grants(user)):
        who = getattr(user, "username", "") or "the public"
        raise NotAllowed(message=f"{who} is not a CEC administrator of {election_id}")


def has_commission_role(user, election_id: str | None = None) -> bool:
    """Whether the user works for a commission (of that election, if given)."""
    return any(g.kind in COMMISSION_KINDS and election_id in (None, g.election_id)
               for g in grants(user))


def manages(user, organisation) -> bool:
    return any(g.kind == MANAGER and g.organisation_id == organisation.pk for g in grants(user))


def deciding_body(complaint) -> tuple[str | None, str]:
    """(commission id, "") for a commission body, (None, body) for a court or the prosecutor.
    A complaint filed with "a commission" that names none is the CEC's to decide."""
    from sailau.law import deadlines as law

    if complaint.body in law.COMMISSION_BODIES:
        if complaint.body_commission_id:
            return complaint.body_commission_id, ""
        cec = Commission.objects.filter(election_id=complaint.election_id,
                                        level=Commission.CEC).values_list("pk", flat=True).first()
        return cec, ""
    return None, complaint.body


def may_decide(user, complaint) -> bool:
    """Only the body the complaint was filed with decides it, in its own election."""
    commission_id, body = deciding_body(complaint)
    return any(g.kind == DECIDER and g.election_id == complaint.election_id
               and (g.commission_id, g.body) == (commission_id, body) for g in grants(user))


def decidable(user):
    """A filter of the complaints the user's deciding-body roles may decide (none: nothing)."""
    from django.db.models import Q

    from sailau.law import deadlines as law

    q = Q(pk__in=[])
    for g in grants(user):
        if g.kind != DECIDER:
            continue
        if g.body:
            q |= Q(election_id=g.election_id, body=g.body)
            continue
        q |= Q(body__in=law.COMMISSION_BODIES, body_commission_id=g.commission_id)
        if g.level == Commission.CEC:
            q |= Q(election_id=g.election_id, body__in=law.COMMISSION_BODIES,
                   body_commission__isnull=True)
    return q


def is_decider(user) -> bool:
    return any(g.kind == DECIDER for g in grants(user))


def require_decide(user, complaint) -> None:
    if not may_decide(user, complaint):
        commission_id, body = deciding_body(complaint)
        raise NotAllowed(message=f"{username(user)} is not the body deciding complaint "
                                 f"{complaint.receipt} ({commission_id or body})")


def username(user) -> str:
    return getattr(user, "username", "") or "system"

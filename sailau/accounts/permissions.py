"""Who may do what to which station. Every write in the service layer calls `require`."""

from dataclasses import dataclass

from sailau.elections.models import Commission, Station

# Actions on a station.
ENTER = "enter"  # type a protocol entry
RESOLVE = "resolve"  # settle differing entries
AMEND = "amend"  # enter an amendment decided by a commission
PRECINCT_TIME = "precinct_time"  # polls closed, protocol signed, copy handed to observers
RECEIVE = "receive"  # the territorial commission received the paper protocol
SCAN = "scan"  # upload the scan of the signed protocol

OP, CO, AD = "operator", "coordinator", "admin"
ALLOWED_KINDS = {
    ENTER: {OP, AD},
    PRECINCT_TIME: {OP, AD},
    SCAN: {OP, CO, AD},
    RESOLVE: {CO, AD},
    AMEND: {CO, AD},
    RECEIVE: {OP, CO, AD},
}
# Receipt upstream is recorded upstream: not by the precinct commission itself.
MIN_LEVEL = {RECEIVE: {Commission.TERRITORIAL, Commission.CEC}}


class NotAllowed(Exception):
    """The user has no role that allows this action on this station."""

    status = 403
    code = "not_allowed"

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Grant:
    kind: str
    commission_id: str
    level: str
    election_id: str


def grants(user) -> tuple[Grant, ...]:
    """The user's roles, read once per request and kept on the user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ()
    cached = getattr(user, "_sailau_grants", None)
    if cached is None:
        from sailau.accounts.models import Role

        cached = tuple(Grant(k, c, lv, e) for k, c, lv, e in Role.objects.filter(user=user)
                       .values_list("kind", "commission_id", "commission__level",
                                    "commission__election_id"))
        user._sailau_grants = cached
    return cached


def covers(grant: Grant, station: Station) -> bool:
    if grant.election_id != station.election_id:
        return False
    if grant.level == Commission.CEC:
        return True
    return grant.commission_id in (station.commission_id, station.district_id,
                                   station.territory_id, station.smd_id)


def allowed(user, action: str, station: Station) -> bool:
    kinds = ALLOWED_KINDS[action]
    levels = MIN_LEVEL.get(action)
    return any(g.kind in kinds and (levels is None or g.level in levels) and covers(g, station)
               for g in grants(user))


def require(user, action: str, station: Station) -> None:
    if not allowed(user, action, station):
        who = getattr(user, "username", "") or "the public"
        raise NotAllowed(f"{who} may not {action.replace('_', ' ')} for station "
                         f"{station.number} ({station.id}): no role covering it allows that")


def require_admin(user, election_id: str) -> None:
    if not any(g.kind == AD and g.election_id == election_id for g in grants(user)):
        who = getattr(user, "username", "") or "the public"
        raise NotAllowed(f"{who} is not a CEC administrator of {election_id}")


def username(user) -> str:
    return getattr(user, "username", "") or "system"

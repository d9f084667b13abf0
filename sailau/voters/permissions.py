"""Who may see and change voter lists: the members of a commission whose area covers the
station (operators, coordinators, administrators). The public sees none of it, and neither does
a superuser without a role: the role model is the only way in."""

from sailau.accounts.permissions import AD, CO, OP, NotAllowed, covers, grants
from sailau.elections.models import Station

STAFF_KINDS = {OP, CO, AD}


def can_see(user, station: Station) -> bool:
    return any(g.kind in STAFF_KINDS and covers(g, station) for g in grants(user))


def require(user, station: Station, what: str) -> None:
    if not can_see(user, station):
        who = getattr(user, "username", "") or "the public"
        raise NotAllowed(
            message=f"{who} may not {what} at station {station.number}: no role covers it")


def is_staff_of(user, election_id: str) -> bool:
    """Any commission role in the election: enough to open the staff pages and to ask about
    an IIN (each list and each operation checks the station again)."""
    return any(g.kind in STAFF_KINDS and g.election_id == election_id for g in grants(user))


def require_staff(user, election_id: str, what: str) -> None:
    if not is_staff_of(user, election_id):
        who = getattr(user, "username", "") or "the public"
        raise NotAllowed(message=f"{who} may not {what}: no commission role in {election_id}")

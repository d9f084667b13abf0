"""Who may see and change voter lists: the members of a commission whose area covers the
station (operators, coordinators, administrators), and superusers. The public sees none of it."""

from sailau.accounts.permissions import AD, CO, OP, NotAllowed, covers, grants
from sailau.elections.models import Station

STAFF_KINDS = {OP, CO, AD}


def can_see(user, station: Station) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return any(g.kind in STAFF_KINDS and covers(g, station) for g in grants(user))


def require(user, station: Station, what: str) -> None:
    if not can_see(user, station):
        who = getattr(user, "username", "") or "the public"
        raise NotAllowed(f"{who} may not {what} at station {station.number}: no role covers it")


def is_staff_of(user, election_id: str) -> bool:
    """Any role in the election: enough to open the staff pages (each list checks again)."""
    if getattr(user, "is_superuser", False):
        return True
    return any(g.kind in STAFF_KINDS and g.election_id == election_id for g in grants(user))


def require_admin(user, election_id: str) -> None:
    if getattr(user, "is_superuser", False):
        return
    if not any(g.kind == AD and g.election_id == election_id for g in grants(user)):
        who = getattr(user, "username", "") or "the public"
        raise NotAllowed(f"{who} is not an administrator of {election_id}")

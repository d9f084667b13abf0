"""Commission keys registered after the polls closed, for the integrity report: a commission's
own key registered late (`elections.keys`, `own_keys.register` marks it) is accepted, but every
reader should see it, since a key made after the count is the one a substitution would use.

Each is listed with its commission, its station's number when the commission is a precinct
commission, when it was registered, who confirmed it, whether it is revoked since, and how many
of the contest's current protocols it signed."""

from __future__ import annotations

from django.db.models import Count, Max

from sailau.elections.models import CommissionKey, Contest, Station
from sailau.protocols.models import Protocol
from sailau.verify.signatures import key_id


def _late(contest: Contest):
    return CommissionKey.objects.filter(commission__election_id=contest.election_id,
                                        held_by_server=False, late=True)


def cache_part(contest: Contest) -> str:
    """What the list depends on beyond the protocols (a key registered, confirmed, revoked)."""
    agg = CommissionKey.objects.filter(commission__election_id=contest.election_id,
                                       held_by_server=False).aggregate(
        n=Count("id"), last=Max("id"), confirmed=Max("confirmed_at"), revoked=Max("retired_at"))
    return f"k{agg['n']}-{agg['last']}-{agg['confirmed']}-{agg['revoked']}"


def listed(contest: Contest) -> list[dict]:
    """The contest's election's late keys, oldest first (JSON-ready)."""
    keys = list(_late(contest).order_by("created_at", "pk"))
    if not keys:
        return []
    numbers = dict(Station.objects.filter(commission_id__in={k.commission_id for k in keys})
                   .values_list("commission_id", "number"))
    signed = dict(Protocol.objects.current().filter(
        contest=contest, signed_with__in=[k.public_key for k in keys])
        .values("signed_with").annotate(n=Count("id")).values_list("signed_with", "n"))
    return [{"commission": k.commission_id, "station": numbers.get(k.commission_id),
             "key_id": key_id(k.public_key),
             "registered_at": k.created_at.isoformat(timespec="seconds"),
             "confirmed_by": k.confirmed_by_commission or None,
             "revoked": k.retired_at is not None, "signed": signed.get(k.public_key, 0)}
            for k in keys]

"""A protocol changed behind the publication's back, for tests of what republishing does."""

from sailau.protocols import tabulation
from sailau.protocols.models import Protocol


def add_a_vote(election) -> Protocol:
    """One more vote for the first choice of a party-list protocol, totals rebuilt."""
    p = Protocol.objects.filter(station__election=election, current=True,
                                contest__kind="party_list").first()
    key = next(iter(p.choices))
    p.choices = {**p.choices, key: p.choices[key] + 1}
    p.save()
    tabulation.rebuild(p.contest)
    return p

"""The election a public page's address names, found or refused as not found."""

from django.shortcuts import get_object_or_404

from sailau.elections.models import Election
from sailau.errors import Code, NotFound


def nominated_election(election_id: str) -> Election:
    """The election of a candidates' or campaign-finance page: not found for one with no
    nominated choice (a referendum), whose page would otherwise speak of candidates, parties and
    funds that it cannot have. No page links there; an address typed by hand gets the not-found
    page in its own language."""
    election = get_object_or_404(Election, id=election_id)
    if not election.nominated():
        raise NotFound(code=Code.NOT_FOUND, message="no candidates nor funds in this election")
    return election

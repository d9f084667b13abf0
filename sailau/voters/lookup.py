"""The public "where do I vote": an IIN gives the station number and its address, nothing
else (no name, no eligibility reason, no list state: a stranger who types someone's IIN learns
only a polling place). Rate-limited per client address; every lookup is logged with keyed
hashes of the IIN and of the client address."""

from __future__ import annotations

from dataclasses import dataclass

from sailau.elections.models import Election
from sailau.ratewindow import SlidingWindow
from sailau.voters import models as m
from sailau.voters.access import iin_hash, keyed_hash

LIMIT = 10  # lookups per client per minute: enough for a family, too few to walk the IINs
WINDOW = SlidingWindow("voters-lookup", LIMIT, 60)


@dataclass(frozen=True)
class Answer:
    status: str  # "found", "not_found", "invalid", "limited"
    station: int | None = None
    address: str = ""
    retry_after: int = 0

    def to_json(self) -> dict:
        return {"status": self.status, "station": self.station, "address": self.address}


def where_do_i_vote(election: Election, iin: str, client: str, lang: str = "kk") -> Answer:
    from sailau.register.iin import is_valid_iin

    iin = (iin or "").strip()
    from sailau.clientaddr import counted_as

    client_hash = keyed_hash(counted_as(client), "client")  # an IPv6 client by its /64
    limited, retry = WINDOW.hit(client_hash)
    answer: Answer
    if limited:
        answer = Answer("limited", retry_after=retry)
    elif not is_valid_iin(iin):
        answer = Answer("invalid")
    else:
        entry = (m.ListEntry.objects.filter(election=election, voter__iin=iin,
                                            state__in=(m.ListEntry.ON_LIST,
                                                       m.ListEntry.TRANSFERRED))
                 .select_related("station").first())
        if entry is None or entry.station is None:
            answer = Answer("not_found")
        else:
            answer = Answer("found", entry.station.number, entry.station.where(lang))
    m.LookupLog.objects.create(election=election, iin_hash=iin_hash(iin) if iin else "",
                               client_hash=client_hash, found=answer.status == "found",
                               limited=limited)
    return answer

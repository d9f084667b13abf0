"""Elections: the CEC's act on an election as a whole through the API, the second round of a
presidential election created from its first round's outcome (as `sailau structure
second-round` creates it: `elections.rounds.create_second_round`)."""

import datetime as dt

from ninja import Router, Schema

from sailau.accounts.permissions import require_admin
from sailau.api.auth import WRITE, user_of
from sailau.elections.rounds import create_second_round
from sailau.publish.pages import search
from sailau.publish.pipeline import snapshots

router = Router(tags=["elections"])


class SecondRoundIn(Schema):
    date: dt.date | None = None  # default: the law's day (`law.rounds.default_day`)
    id: str | None = None  # default: the first round's id + ".round2"


@router.post("/{election_id}/second-round", auth=WRITE,
             summary="Create the second round of a presidential election (CEC administrators)")
def second_round(request, election_id: str, body: SecondRoundIn):
    """Refused with the reason (kk, ru, en) when the first round's log calls no second round
    (elected in the first round, a tie for a place, a station without its definitive protocol),
    names one already, or the day is outside the law's term."""
    require_admin(user_of(request), election_id)
    election = create_second_round(election_id, date=body.date, election_id=body.id)
    search.rebuild(election.id)
    # The first round's published files name their second round from now on (election.json).
    republished = None
    if snapshots.latest_manifest(election_id) is not None:
        # False: arrivals kept coming, the background publisher's next round names it
        republished = snapshots.publish_after(election_id) is not None
    contest = election.contests.get()
    return {"election": election.id, "first_round": election_id,
            "date": election.date.isoformat(), "contest": contest.id,
            "ruleset": contest.ruleset,
            "candidates": list(contest.choices.exclude(key="against_all").order_by("order")
                               .values_list("key", flat=True)),
            "stations": election.stations.count(),
            # whether the first round's files already name it (None: nothing published yet)
            "first_round_republished": republished}

"""Staff asking about voters they do not serve. An IIN that is not on a list the caller's role
covers (unknown, or a voter of another station) is answered "not found", recorded in the audit
log by its keyed hash, and counted per account: after MISS_LIMIT misses in an hour the
account's IIN look-ups are refused until the last hour's misses fall under it (a sliding
window, sailau.ratewindow). Typing mistakes stay well under the limit; walking the register
does not (a commission account otherwise answers 150 IINs in under four seconds).

Every answer to staff that depends on a person's IIN goes through here: the look-up of a list
entry (`services.entry_by_iin`) and a same-day addition (`services.add_same_day`), whose
refusals are misses too and name neither the person's station nor the reason."""

from __future__ import annotations

from sailau import audit
from sailau.accounts.permissions import username
from sailau.errors import Code, RateLimited
from sailau.languages import Text, texts
from sailau.ratewindow import SlidingWindow
from sailau.voters.access import iin_hash

T = texts("voters.probing")

MISS_LIMIT = 20
WINDOW_SECONDS = 3600
WINDOW = SlidingWindow("voters-iin-miss", MISS_LIMIT, WINDOW_SECONDS)

LIMITED = T("Too many look-ups of IINs that are not on your stations' lists: the next is possible "
            "in {minutes} minutes.")


def _subject(user) -> str:
    # The account by its id and creation time: an id handed out again (a database restored,
    # or rebuilt for a test) does not inherit another account's count.
    joined = int(user.date_joined.timestamp()) if getattr(user, "date_joined", None) else 0
    return f"{user.pk}:{joined}"


def refuse_if_limited(user) -> None:
    over, wait = WINDOW.over(_subject(user))
    if over:
        minutes = max(1, -(-wait // 60))
        raise RateLimited(code=Code.RATE_LIMITED, field="iin",
                          message=Text.of(LIMITED).format(minutes=minutes))


def missed(user, election, iin: str, action: str = "voters.iin_not_found", **payload) -> None:
    """Count the miss and record it: the audit record is the same for an unknown IIN and for a
    voter of another station, so the public log tells nothing either. A same-day addition
    refused at a station (`voters.addition_refused`, with the station's number) is a miss too:
    its answer depends on the IIN as much as a look-up's."""
    WINDOW.add(_subject(user))
    audit.append(username(user), action, f"election:{election.id}",
                 {"iin": iin_hash(iin) if iin else "", **payload})

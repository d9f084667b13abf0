"""Staff asking about voters they do not serve. An IIN that is not on a list the caller's role
covers (unknown, or a voter of another station) is answered "not found", recorded in the audit
log by its keyed hash, and counted per account: after MISS_LIMIT misses in WINDOW_SECONDS the
account's IIN look-ups are refused until the window ends. Typing mistakes stay well under the
limit; walking the register does not (a commission account otherwise answers 150 IINs in
under four seconds)."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from sailau import audit
from sailau.accounts.permissions import username
from sailau.errors import Code, RateLimited
from sailau.languages import Text
from sailau.voters.access import iin_hash

MISS_LIMIT = 20
WINDOW_SECONDS = 3600

LIMITED = Text(
    kk="Сіздің учаскелеріңіздің тізімдерінде жоқ ЖСН-дер тым көп сұралды: келесі іздеу "
       "{minutes} минуттан кейін мүмкін.",
    ru="Слишком много запросов ИИН, которых нет в списках ваших участков: следующий поиск "
       "возможен через {minutes} мин.",
    en="Too many look-ups of IINs that are not on your stations' lists: the next is possible "
       "in {minutes} minutes.",
)


def _key(user) -> tuple[str, int]:
    now = int(timezone.now().timestamp())
    # The account by its id and creation time: an id handed out again (a database restored,
    # or rebuilt for a test) does not inherit another account's count.
    joined = int(user.date_joined.timestamp()) if getattr(user, "date_joined", None) else 0
    return (f"voters-iin-miss:{user.pk}:{joined}:{now // WINDOW_SECONDS}",
            WINDOW_SECONDS - now % WINDOW_SECONDS)


def refuse_if_limited(user) -> None:
    key, left = _key(user)
    if (cache.get(key) or 0) >= MISS_LIMIT:
        minutes = max(1, -(-left // 60))
        raise RateLimited(code=Code.RATE_LIMITED, field="iin",
                          message=Text.of(LIMITED).format(minutes=minutes))


def missed(user, election, iin: str) -> None:
    """Count the miss and record it: the audit record is the same for an unknown IIN and for a
    voter of another station, so the public log tells nothing either."""
    key, _ = _key(user)
    cache.add(key, 0, WINDOW_SECONDS + 1)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS + 1)
    audit.append(username(user), "voters.iin_not_found", f"election:{election.id}",
                 {"iin": iin_hash(iin) if iin else ""})

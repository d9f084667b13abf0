"""Search stations by number, address, settlement or commission, in Kazakh, Russian or Latin
spelling. Each word of the query must prefix-match a token of the station (AND); numbers
match station numbers and house numbers."""

import re
from functools import lru_cache

from django.db import transaction
from django.utils.translation import gettext_noop as _

from sailau.audit.sql import insert_rows
from sailau.elections.models import Commission, Station
from sailau.errors import BadInput, Code
from sailau.i18n import later
from sailau.publish.models import SearchToken
from sailau.register.translit import name_key

MAX_QUERY = 100  # characters
MAX_WORDS = 8
LIMIT = 50
_WORD = re.compile(r"\d+|[^\W\d_]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class BadQuery(BadInput):
    """A query that cannot be searched; the message is translated when shown."""

    def __init__(self, text):
        super().__init__(Code.BAD_QUERY, text, "q")


@lru_cache(maxsize=65536)
def _key(word: str) -> str:
    return (word if word.isdigit() else name_key(word))[:64]


def tokens(text: str) -> list[str]:
    return [k for k in map(_key, _WORD.findall(text or "")) if k]


def parse(q: str) -> list[str]:
    """The query's tokens, or BadQuery saying what is wrong with it."""
    if len(q) > MAX_QUERY:
        raise BadQuery(later(_("The query is too long: at most %(n)d characters."), n=MAX_QUERY))
    if _CONTROL.search(q):
        raise BadQuery(later(_("The query contains control characters.")))
    words = list(dict.fromkeys(tokens(q)))
    if not words:
        raise BadQuery(later(_("The query has no letters or digits to search for.")))
    if len(words) > MAX_WORDS:
        raise BadQuery(later(_("The query has too many words: at most %(n)d."), n=MAX_WORDS))
    return words


def station_tokens(s: Station, commissions: dict[str, Commission]) -> set[str]:
    out = {str(s.number)}
    for t in (s.address, s.address_ru, s.settlement, s.settlement_ru):
        out.update(tokens(t))
    for cid in (s.territory_id, s.district_id, s.smd_id):
        out |= _commission_tokens(commissions, cid)
    return out


def _commission_tokens(commissions: dict, cid: str | None) -> frozenset:
    c = commissions.get(cid)
    if c is None:
        return frozenset()
    if not hasattr(c, "_tokens"):  # the same few hundred commissions for every station
        c._tokens = frozenset(tokens(f"{c.name_kk} {c.name_ru} {c.name_en}"))
    return c._tokens


def ensure(election_id: str) -> None:
    """Build the index if it does not cover every station (it depends on the structure only,
    not on results, so a publication does not rebuild it)."""
    indexed = (SearchToken.objects.filter(election_id=election_id)
               .values("station_id").distinct().count())
    if indexed != Station.objects.filter(election_id=election_id).count():
        rebuild(election_id)


@transaction.atomic
def rebuild(election_id: str) -> int:
    """Rewrite the election's index; returns the number of tokens."""
    commissions = {c.id: c for c in Commission.objects.filter(election_id=election_id)
                   .exclude(level=Commission.PRECINCT)}
    SearchToken.objects.filter(election_id=election_id).delete()
    rows = [(election_id, s.id, t)
            for s in Station.objects.filter(election_id=election_id)
            for t in station_tokens(s, commissions)]
    # ~40 tokens a station: plain rows (COPY on PostgreSQL), not 400,000 model instances.
    insert_rows(SearchToken, ["election", "station", "token"], rows)
    return len(rows)


def _upper(token: str) -> str:
    # The smallest string above every string that starts with `token` (tokens are [a-z0-9]).
    return token[:-1] + chr(ord(token[-1]) + 1)


def search(election_id: str, q: str, limit: int = LIMIT) -> list[Station]:
    words = parse(q)
    idx = SearchToken.objects.filter(election_id=election_id)
    if not idx.exists():
        rebuild(election_id)  # first search of an election never published
    # Each word narrows the stations by a subquery on the index: the database intersects them
    # and stops at the first `limit` by number, so a one-digit query that matches thousands of
    # stations costs no more than a precise one (no station ids come through Python).
    qs = Station.objects.filter(election_id=election_id)
    for w in sorted(words, key=len, reverse=True):
        qs = qs.filter(id__in=idx.filter(token__gte=w, token__lt=_upper(w)).values("station_id"))
    exact = [int(w) for w in words if w.isdigit()]
    if not exact:
        return list(qs.order_by("number")[:limit])
    # A station whose number is a word of the query comes first.
    first = list(qs.filter(number__in=exact).order_by("number")[:limit])
    return first + list(qs.exclude(number__in=exact).order_by("number")[:limit - len(first)])

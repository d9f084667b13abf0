"""The search index: every station's words as script-independent keys, each with the field it
came from (station number, settlement, district, region, street, house number, other), so that a
query can tell a town called "Абай" or the Abai region from an Abai street and rank accordingly.

Keys come from `sailau.register.translit.name_key`: "Қарағанды", "Караганда" and "Qaraǵandy"
meet. Street and house markers ("улица", "ул.", "көшесі", "street", "д.") carry no meaning for
matching and are left out of the index and of queries (`search.py` reads them as a hint)."""

import re
from functools import lru_cache

from django.db import transaction

from sailau.audit.sql import insert_rows
from sailau.elections.models import Commission, Station, spellings
from sailau.publish.models import SearchToken
from sailau.register.translit import name_key

_WORD = re.compile(r"\d+|[^\W\d_]+")
_PARENS = re.compile(r"\([^)]*\)")
# Abbreviations with a hyphen, spelled out before the text is cut into words.
_ABBREVIATIONS = [(re.compile(p, re.IGNORECASE), full) for p, full in [
    (r"\bк-сі\b", "көшесі"), (r"\bпр-т\b", "проспект"), (r"\bр-н\b", "район"),
    (r"\bмкр-н\b", "микрорайон"), (r"\bд-лы\b", "даңғылы"),
]]

# The fields a token comes from (stored as small integers).
NUMBER, SETTLEMENT, DISTRICT, REGION, STREET, HOUSE, OTHER = range(7)

STREET_MARKERS = frozenset(map(name_key, (
    "улица", "ул", "көшесі", "көш", "проспект", "пр", "даңғылы", "даңғ", "переулок", "пер",
    "тұйық", "бульвар", "бул", "шоссе", "микрорайон", "мкр", "шағынаудан", "дом", "д", "үй",
    "street", "st", "str", "avenue", "ave", "road", "rd", "ulitsa", "koshesi", "prospekt",
    "mikroraion")))
# Words that name a kind of commission area: kept (they are in the commissions' names), and
# they tell a query that it names a region, district or city rather than a settlement.
AREA_MARKERS = frozenset(map(name_key, (
    "облысы", "облыс", "область", "обл", "ауданы", "аудан", "район", "қаласы", "қала", "город",
    "region", "oblast", "oblysy", "district", "raion", "city", "kalasy")))


def _spell_out(text: str) -> str:
    for pattern, full in _ABBREVIATIONS:
        text = pattern.sub(full, text)
    return text


@lru_cache(maxsize=65536)
def key(word: str) -> str:
    return (word if word.isdigit() else name_key(word))[:64]


def all_keys(text: str) -> list[str]:
    """The keys of every word of a text, markers included."""
    return [k for k in map(key, _WORD.findall(_spell_out(text or ""))) if k]


def meaningful(k: str) -> bool:
    """Not a marker, nor a lone letter ("г.", "қ.", "д.")."""
    return k not in STREET_MARKERS and (k.isdigit() or len(k) > 1)


def words(text: str) -> list[str]:
    """The keys of a text's words that say something."""
    return [k for k in all_keys(text) if meaningful(k)]


def station_rows(s: Station, commissions: dict[str, Commission]) -> set[tuple[str, int]]:
    """(token, field) of one station. A token can come from several fields (a station of the
    Abai region on Abai street): each is kept, since which one counts depends on the query."""
    out: set[tuple[str, int]] = set()

    def put(tokens, field):
        out.update((t, field) for t in tokens)

    put([str(s.number)], NUMBER)
    places = set(words(" ".join(spellings(s, "settlement").values())))
    put(places, SETTLEMENT)
    for address in spellings(s, "address").values():
        put(words(" ".join(_PARENS.findall(address))), OTHER)  # "(мектеп)": what the place is
        for t in words(_PARENS.sub(" ", address)):
            put([t], HOUSE if t.isdigit() else SETTLEMENT if t in places else STREET)
    for cid, field in ((s.territory_id, REGION), (s.smd_id, REGION), (s.district_id, DISTRICT)):
        for t in _commission_words(commissions, cid):
            put([t], OTHER if t.isdigit() else field)
    return out


def _commission_words(commissions: dict, cid: str | None) -> tuple:
    c = commissions.get(cid)
    if c is None:
        return ()
    if not hasattr(c, "_words"):  # the same few hundred commissions for every station
        c._words = tuple(dict.fromkeys(words(" ".join(spellings(c, "name").values()))))
    return c._words


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
    rows = [(election_id, s.id, t, f)
            for s in Station.objects.filter(election_id=election_id)
            for t, f in station_rows(s, commissions)]
    rows.sort(key=lambda r: (r[2], r[1], r[3]))  # the unique index's order: appended, not spread
    # ~40 tokens a station: plain rows (COPY on PostgreSQL), not 400,000 model instances.
    insert_rows(SearchToken, ["election", "station", "token", "field"], rows)
    return len(rows)

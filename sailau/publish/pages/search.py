"""Search stations as people type them: a station number, a settlement, a region or district,
an address with or without "улица/ул./көшесі/street", a house number, in Kazakh, Russian or
Latin spelling, Russian street names in the genitive ("улица Абая") included.

Every word of the query must match a word of the station, whole or as its beginning (AND).
Where a word matches a whole word somewhere, the stations where it matches in the best field
are the answer: "Алматы" is the 702 stations of the city of Almaty, not those of the Almaty
region or of Almaty streets, and "Абай" the Abai region's stations rather than Astana's Abai
street; "улица Абая" asks for the street. If no station has every word in its best field at
once, every station with all the words is listed, best matches first. The count is exact and
the results come in pages; all of it is one SQL statement on the index (`searchindex`)."""

import json
import re
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext_noop as _

from sailau.errors import BadInput, Code
from sailau.i18n import later
from sailau.languages import KAZAKH, RUSSIAN
from sailau.publish.models import SearchToken
from sailau.publish.pages import searchindex as ix
from sailau.publish.pages.searchindex import ensure, rebuild  # noqa: F401 (the index's entry points)

MAX_QUERY = 100  # characters
MAX_WORDS = 8
PER_PAGE = 50
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
PREFIX = 10  # rank offset of a word matched by its beginning only (exact ranks are 0-6)

# Which field a word is best found in, by what the query looks like.
_PLACES_FIRST = (ix.SETTLEMENT, ix.DISTRICT, ix.REGION, ix.STREET, ix.OTHER, ix.HOUSE, ix.NUMBER)
_STREET_FIRST = (ix.STREET, ix.SETTLEMENT, ix.DISTRICT, ix.REGION, ix.OTHER, ix.HOUSE, ix.NUMBER)
_AREAS_FIRST = (ix.DISTRICT, ix.REGION, ix.SETTLEMENT, ix.STREET, ix.OTHER, ix.HOUSE, ix.NUMBER)
_NUMBER_FIRST = (ix.NUMBER, ix.HOUSE, ix.OTHER, ix.SETTLEMENT, ix.DISTRICT, ix.REGION, ix.STREET)
_HOUSE_FIRST = (ix.HOUSE, ix.NUMBER, ix.OTHER, ix.SETTLEMENT, ix.DISTRICT, ix.REGION, ix.STREET)


class BadQuery(BadInput, code=Code.BAD_QUERY):
    """A query that cannot be searched (`field` "q" or "page"); the message is translated when
    shown."""


@dataclass(frozen=True)
class Word:
    keys: tuple[str, ...]  # the word's key first, then its stems ("abaia" → "abai")
    order: tuple[int, ...]  # fields, best first


@dataclass(frozen=True)
class Hit:
    """What a results list shows of a station (fetched with the page: no model instances)."""
    id: str
    number: int
    settlement: str
    settlement_ru: str
    address: str
    address_ru: str


_HIT_COLUMNS = "s.id, COUNT(*) OVER (), s.number, s.settlements, s.addresses"


def _hit(row) -> Hit:
    """A row of `_HIT_COLUMNS` as a Hit: the station's spellings (a JSON mapping by language,
    text on SQLite, decoded on PostgreSQL) in the official languages the list shows."""
    sid, _count, number, settlements, addresses = row
    settlements, addresses = (json.loads(v) if isinstance(v, str) else (v or {})
                              for v in (settlements, addresses))
    return Hit(sid, number, settlements.get(KAZAKH) or "", settlements.get(RUSSIAN) or "",
               addresses.get(KAZAKH) or "", addresses.get(RUSSIAN) or "")


@dataclass
class Found:
    stations: list[Hit]
    count: int
    page: int
    pages: int
    per_page: int = PER_PAGE

    @property
    def first(self) -> int:
        """The position of the page's first station (1-based), for "51–100 of 702"."""
        return (self.page - 1) * self.per_page + 1 if self.stations else 0

    @property
    def last(self) -> int:
        return self.first + len(self.stations) - 1 if self.stations else 0


def _stems(k: str) -> tuple[str, ...]:
    # Russian genitive of a street name: "Абая" → "Абай", "Жамбыла" → "Жамбыл", "Сатпаева"
    # → "Сатпаев" (keys: "abaa" → "abai", "jambila" → "jambil").
    if len(k) >= 4 and k.endswith("a"):
        return (k[:-1], k[:-1] + "i")
    return ()


def parse(q: str) -> list[Word]:
    """The query's words, or BadQuery saying what is wrong with it."""
    if len(q) > MAX_QUERY:
        raise BadQuery(message=later(_("The query is too long: at most %(n)d characters."),
                                     n=MAX_QUERY), field="q")
    if _CONTROL.search(q):
        raise BadQuery(message=later(_("The query contains control characters.")), field="q")
    raw = ix.all_keys(q)
    if not raw:
        raise BadQuery(message=later(_("The query has no letters or digits to search for.")),
                       field="q")
    street = any(k in ix.STREET_MARKERS for k in raw)
    keys = list(dict.fromkeys(filter(ix.meaningful, raw)))
    if not keys:
        raise BadQuery(message=later(_("Add a name or a number to the query: words such as "
                                       "“street” alone find nothing.")), field="q")
    if len(keys) > MAX_WORDS:
        raise BadQuery(message=later(_("The query has too many words: at most %(n)d."),
                                     n=MAX_WORDS), field="q")
    letters = [k for k in keys if not k.isdigit()]
    places = (_STREET_FIRST if street
              else _AREAS_FIRST if any(k in ix.AREA_MARKERS for k in letters) else _PLACES_FIRST)
    digits = _HOUSE_FIRST if letters else _NUMBER_FIRST
    return [Word((k,) if k.isdigit() else (k, *_stems(k)), digits if k.isdigit() else places)
            for k in keys]


def _upper(token: str) -> str:
    # The smallest string above every string that starts with `token` (tokens are [a-z0-9]).
    return token[:-1] + chr(ord(token[-1]) + 1)


def _rank(order: tuple[int, ...]) -> str:
    return "CASE field " + " ".join(f"WHEN {f} THEN {i}" for i, f in enumerate(order)) + " END"


def _matches(election_id: str, words: list[Word]) -> tuple[str, list]:
    """SQL for (station_id, w, r) rows: each index row that matches a word, with its rank.
    One range scan for each key of each word (an OR of ranges would scan the whole election)."""
    parts, params = [], []
    table = SearchToken._meta.db_table
    for i, w in enumerate(words):
        exact = ", ".join(["%s"] * len(w.keys))
        for k in w.keys:
            parts.append(
                f"SELECT station_id, {i} AS w, CASE WHEN token IN ({exact}) THEN {_rank(w.order)}"
                f" ELSE {PREFIX} + {_rank(w.order)} END AS r FROM {table}"
                " WHERE election_id = %s AND token >= %s AND token < %s")
            params += [*w.keys, election_id, k, _upper(k)]
    return " UNION ALL ".join(parts), params


def _sql(election_id: str, words: list[Word]) -> tuple[str, list]:
    """The page of stations with the total count. `every` is the stations that have every
    word; `best` the rank each word has at best among them; `strict` the stations where every
    word that matches somewhere whole has that best rank (a word matched by its beginning only
    does not narrow). `strict` is the answer when it is not empty, `every` otherwise."""
    matches, params = _matches(election_id, words)
    n = len(words)
    station = connection.ops.quote_name(_station_table())
    sql = f"""
        WITH m AS MATERIALIZED (SELECT station_id, w, MIN(r) AS r FROM ({matches}) rows
                                GROUP BY station_id, w),
        every AS MATERIALIZED (SELECT station_id, SUM(r) AS score FROM m GROUP BY station_id
                  HAVING COUNT(*) = {n}),
        em AS MATERIALIZED (SELECT m.station_id, m.w, m.r FROM m JOIN every ON every.station_id = m.station_id),
        best AS (SELECT w, MIN(r) AS r FROM em GROUP BY w),
        strict AS (SELECT em.station_id FROM em JOIN best ON best.w = em.w
                   WHERE em.r = best.r OR best.r >= {PREFIX}
                   GROUP BY em.station_id HAVING COUNT(*) = {n}),
        chosen AS (SELECT station_id FROM strict
                   UNION ALL SELECT station_id FROM every WHERE NOT EXISTS (SELECT 1 FROM strict))
        SELECT {_HIT_COLUMNS} FROM chosen
        JOIN every ON every.station_id = chosen.station_id
        JOIN {station} s ON s.id = chosen.station_id
        ORDER BY every.score, s.number LIMIT %s OFFSET %s"""
    return sql, params


def _best_fields(cur, election_id: str, words: list[Word]) -> list[tuple[int, int]] | None:
    """For each word, the best field it matches whole anywhere in the election and how many
    rows have it there; None when a word matches nowhere whole (then only the full ranking can
    answer)."""
    table = SearchToken._meta.db_table
    best = []
    for w in words:
        cur.execute(f"SELECT field, COUNT(*) FROM {table} WHERE election_id = %s AND token IN "
                    f"({', '.join(['%s'] * len(w.keys))}) GROUP BY field", [election_id, *w.keys])
        fields = dict(cur.fetchall())
        if not fields:
            return None
        f = next(f for f in w.order if f in fields)
        best.append((f, fields[f]))
    return best


def _strict_sql(election_id: str, words: list[Word], fields: list[tuple[int, int]]
                ) -> tuple[str, list]:
    """The stations where every word is whole in its best field of the whole election: when
    there are any, they are what `_sql` would answer (every word's best rank among them is its
    best anywhere), found by exact lookups instead of range scans and ranking. The rarest word
    drives; each other word is one index probe per station ("Абай облысы": the Abai rows,
    each checked for "облысы", not every oblast's stations gathered)."""
    table = SearchToken._meta.db_table
    order = sorted(range(len(words)), key=lambda i: fields[i][1])
    first, rest = order[0], order[1:]

    def keys(i):
        return ", ".join(["%s"] * len(words[i].keys))

    probes = "".join(
        f" AND EXISTS (SELECT 1 FROM {table} t{i} WHERE t{i}.election_id = %s AND t{i}.token IN"
        f" ({keys(i)}) AND t{i}.station_id = t.station_id AND t{i}.field = {fields[i][0]})"
        for i in rest)
    params = [election_id, *words[first].keys]
    for i in rest:
        params += [election_id, *words[i].keys]
    station = connection.ops.quote_name(_station_table())
    sql = f"""SELECT {_HIT_COLUMNS} FROM (SELECT DISTINCT t.station_id FROM {table} t
              WHERE t.election_id = %s AND t.token IN ({keys(first)})
              AND t.field = {fields[first][0]}{probes}) y
              JOIN {station} s ON s.id = y.station_id ORDER BY s.number LIMIT %s OFFSET %s"""
    return sql, params


def _station_table() -> str:
    from sailau.elections.models import Station

    return Station._meta.db_table


def _page(cur, sql: str, params: list, page: int, per_page: int) -> tuple[list, int, int]:
    """(rows, count, page): a page past the last one is the last one."""
    cur.execute(sql, [*params, per_page, (page - 1) * per_page])
    rows = cur.fetchall()
    if not rows and page > 1:
        cur.execute(sql, [*params, 1, 0])
        first = cur.fetchall()
        page = max(1, -(-(first[0][1] if first else 0) // per_page))
        cur.execute(sql, [*params, per_page, (page - 1) * per_page])
        rows = cur.fetchall()
    return rows, (rows[0][1] if rows else 0), page


def search(election_id: str, q: str, page: int | None = 1, per_page: int | None = None) -> Found:
    """One page of the stations the query finds, best first, and how many there are. A page
    past the last is the last; `page` None or below 1 is refused (a parameter that was not a
    number)."""
    words = parse(q)
    per_page = per_page or PER_PAGE
    if not isinstance(page, int) or page < 1:
        raise BadQuery(message=later(_("The page number must be a whole number from 1.")),
                       field="page")
    with connection.cursor() as cur:
        cur.execute(f"SELECT 1 FROM {SearchToken._meta.db_table} WHERE election_id = %s LIMIT 1",
                    [election_id])
        if not cur.fetchone():
            rebuild(election_id)  # first search of an election never published
        rows, count = [], 0
        fields = _best_fields(cur, election_id, words)
        if fields is not None:
            rows, count, page = _page(cur, *_strict_sql(election_id, words, fields), page,
                                      per_page)
        if not count:
            rows, count, page = _page(cur, *_sql(election_id, words), page, per_page)
    return Found([_hit(r) for r in rows], count, page,
                 max(1, -(-count // per_page)), per_page)

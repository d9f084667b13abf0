"""Rendered public pages cached by what they show, and answered 304 when the visitor has them.

A page's key is the hash of the rows it is drawn from (a station's protocol ids, versions and
current flags and its scans' ids and statuses; a commission's tallies and its children's), plus
its path (with the language) and the query parameters the page reads (`params`): any other query
string (`?utm_source=...`, `?x=1`, `?x=2`...) is the same page, so it neither bypasses the cache
nor stores one entry per string. An amendment adds a protocol row and moves the
`current` flag, a scan recheck changes its status, a new protocol changes the tallies: the key
changes with them, so a cached page is never a stale protocol. The key costs one indexed query
(a station page's is a single statement); rendering the page costs tens.

The same key is the page's ETag, so a browser or a proxy that revalidates gets a 304 without
even the cache lookup's body.

A results page (a station's, a commission's, the national one) also shows the log's banner, which
changes with every checkpoint (2.5 a second on election night) while the rest of the page does
not: `with_banner` keeps the two apart and joins them per request, so the log moving costs no
render."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from django.core.cache.backends.filebased import FileBasedCache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

# The cache and the key's parts the published files' series share with the pages
# (`files/keptcache.py`), under the names the pages and their tests read them by.
from sailau.publish.files.keptcache import (  # noqa: F401
    BUILD,
    CACHE_ALIAS,
    _build,
    _cache,
    digest,
    memory,
)


class PageFileCache(FileBasedCache):
    """Django's file cache, culled now and then instead of before every write: its cull lists
    the whole directory each time (43 ms a write at 10,000 pages, as much as rendering one)."""

    CULL_EVERY = 1000  # writes per process between culls

    _writes = 0

    def _cull(self):
        PageFileCache._writes += 1
        if PageFileCache._writes % self.CULL_EVERY == 0:
            super()._cull()


MAX_AGE = 10  # seconds a visitor's browser may keep a page without asking again

# What a station page shows besides the station row, as (table, columns) of rows keyed by the
# station: its protocols (an amendment adds a row and moves `current`), step times, observers'
# copies and scans (a recheck changes status and checked_at). Only installed apps take part.
_STATION_ROWS = [
    ("protocols", "protocols_protocol", ("id", "version", "current")),
    ("protocols", "protocols_steptime", ("id", "at")),
    ("observation", "observation_observercopy", ("id",)),
    ("scans", "scans_scan", ("id", "status", "reason", "checked_at")),
    ("evidence", "evidence_image", ("id", "status", "verified_at")),
    ("video", "video_camera", ("id", "removed_at")),
    ("video", "video_recording", ("id", "state")),
]


@lru_cache(maxsize=4)
def _station_sql(vendor: str) -> str:
    """One statement for the whole state of a station page: the station's own shown fields and,
    per related table, its rows folded into one string in id order. Page views are the busiest
    requests of election night; this is their only query when the page is cached."""
    from django.apps import apps

    from sailau.law import kinds

    agg = "string_agg(v, ',')" if vendor == "postgresql" else "group_concat(v, ',')"
    parts = []
    for app, table, cols in _STATION_ROWS:
        if not apps.is_installed(f"sailau.{app}"):
            continue
        row = " || ':' || ".join(f"COALESCE(CAST({c} AS TEXT), '')" for c in cols)
        parts.append(f"(SELECT {agg} FROM (SELECT {row} AS v FROM {table} "
                     f"WHERE station_id = s.id ORDER BY id) AS r)")
    # The integrity report the page's flags come from is the principal contest's (the rule of
    # integrity.table.principal_contest: the first national contest, else the first of all).
    districts = ", ".join(f"'{k}'" for k in kinds.named(district=True))  # names, never input
    principal = ("(SELECT c.id FROM elections_contest c WHERE c.election_id = s.election_id "
                 f"ORDER BY c.kind IN ({districts}), c.kind, c.id LIMIT 1)")
    return (f"SELECT s.id, s.registered, CAST(s.addresses AS TEXT), {principal}, "
            f"{', '.join(parts) or 'NULL'}, {_leaves_sql(agg)}, {_log_sql(agg)} "
            "FROM elections_station s "
            "WHERE s.election_id = %s AND s.number = %s")


def _leaves_sql(agg: str) -> str:
    """The log's index of each current protocol's leaf, in protocol id order ('' for one not in
    the log yet): the largest, as `ledger.outbox.indexes` says, by the leaf's subject
    (station/contest/version), a seek of the (election, kind, subject) index each. (`+ 0`: a
    bare MAX of the index made SQLite walk the (election, index) index, the whole log.)"""
    from django.apps import apps

    if not (apps.is_installed("sailau.protocols") and apps.is_installed("sailau.ledger")):
        return "NULL"
    leaf = ("(SELECT MAX(l.\"index\" + 0) FROM ledger_leaf l WHERE l.election_id = s.election_id "
            "AND l.kind = 'protocol' AND l.subject = s.id || '/' || p.contest_id || '/' || "
            "CAST(p.version AS TEXT))")
    return (f"(SELECT {agg} FROM (SELECT COALESCE(CAST({leaf} AS TEXT), '') AS v "
            "FROM protocols_protocol p WHERE p.station_id = s.id AND p.current ORDER BY p.id) "
            "AS r)")


def _log_sql(agg: str) -> str:
    """The log's checkpoint size and each witness's latest cosignature (`logbanner._latest`),
    "name:size:signed_at" apart by spaces (a witness's name has none): what the page's banner
    follows, read with the station's rows rather than in two more round trips."""
    from django.apps import apps

    if not apps.is_installed("sailau.ledger"):
        return "NULL, NULL"
    spaced = agg.replace("','", "' '")  # the same aggregate, apart by spaces
    latest = ("(SELECT c.{} FROM ledger_cosignature c WHERE c.witness_id = w.id "
              "ORDER BY c.size DESC LIMIT 1)")
    witness = (f"w.name || ':' || COALESCE(CAST({latest.format('size')} AS TEXT), '') || ':' "
               f"|| COALESCE(CAST({latest.format('signed_at')} AS TEXT), '')")
    return ("(SELECT checkpoint_size FROM ledger_logstate WHERE election_id = s.election_id), "
            f"(SELECT {spaced} FROM (SELECT {witness} AS v FROM ledger_witness w "
            "WHERE w.election_id = s.election_id ORDER BY w.name) AS r)")


class StationRows(NamedTuple):
    state: str  # the state of the page but for the log
    leaves: list[int | None]  # the log's index of each current protocol's leaf, None: not yet
    log_size: int | None  # the log's checkpoint size (None: no log)
    witnesses: list[tuple[str, int | None, int | None]]  # as logbanner._latest


def station_rows(election_id: str, number: int) -> StationRows | None:
    """What station `number`'s page is drawn from, or None if the election has no such
    station. One statement."""
    from django.apps import apps
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(_station_sql(connection.vendor), [election_id, number])
        row = cur.fetchone()
    if row is None:
        return None
    *row, leaves, log_size, witnesses = row
    report = None
    if row[3] is not None and apps.is_installed("sailau.integrity"):
        from sailau.integrity.service import report_version

        report = report_version(election_id, row[3])
    indexes = [int(i) if i else None for i in leaves.split(",")] if leaves is not None else []
    return StationRows(digest("station", *row, report), indexes, log_size,
                       [_witness(w) for w in witnesses.split(" ")] if witnesses else [])


def _witness(text: str) -> tuple[str, int | None, int | None]:
    name, size, signed = text.rsplit(":", 2)
    return name, int(size) if size else None, int(signed) if signed else None


def tallies_state(commission_ids, election_id: str) -> str:
    """What a results page shows: the tallies of these commissions (all contests), and when
    each was last written: an amendment that leaves every total as it was still moves the
    page's "as of"."""
    from sailau.protocols.models import Tally

    rows = list(Tally.objects.filter(commission_id__in=list(commission_ids),
                                     contest__election_id=election_id)
                .order_by("contest_id", "commission_id")
                .values_list("contest_id", "commission_id", "stations_reported",
                             "stations_expected", "figures", "choices", "updated_at"))
    return digest("tallies", election_id, rows)


def page_key(request, params: tuple[str, ...] = ()) -> tuple:
    """What besides the rows tells one page from another: its path and the values of the query
    parameters it reads, in a fixed order. Unknown parameters are not part of it."""
    return (request.path, tuple((p, request.GET.getlist(p)) for p in sorted(params)
                                if p in request.GET))


def cached(request, state: str, render, params: tuple[str, ...] = ()) -> HttpResponse:
    """The page for `state`: 304 if the visitor has it, from the cache if rendered before,
    else `render()` stored for the next visitor. Only 200 responses are stored. A page whose
    content depends on query parameters names them in `params`."""
    key = digest(state, *page_key(request, params))
    etag = f'"{key}"'
    if (unchanged := _not_modified(request, etag)) is not None:
        return unchanged
    cache = _cache()
    hit = cache.get(f"page:{key}")
    if hit is not None:
        content, content_type = hit
        r = HttpResponse(content, content_type=content_type)
        r["X-Page-Cache"] = "hit"
    else:
        r = render()
        if r.status_code != 200:
            return r
        cache.set(f"page:{key}", (r.content, r["Content-Type"]))
        r["X-Page-Cache"] = "miss"
    _headers(r, etag)
    return r


def with_banner(request, state: str, log_key: str, count: int | None, render,
                banner) -> HttpResponse:
    """A page that shows the log's banner (`publish/_log.html`): the banner changes with the log
    (`log_key`), a checkpoint about 2.5 times a second on election night, the rest of the page
    with `state` only. The rest is kept as the bytes before and after the banner; the banner
    once per log state, language and `count` (the page's protocols signed by the log alone,
    which it says), shared by every page that says the same; the two are joined at response
    time. `render()` -> (response, the banner's bytes in it); `banner(count)` -> the banner's
    bytes. A page in which the banner's bytes are not found exactly once is answered and not
    kept."""
    key = digest(state, *page_key(request))
    etag = f'"{digest(key, log_key, count)}"'
    if (unchanged := _not_modified(request, etag)) is not None:
        return unchanged
    cache = _cache()
    kept = cache.get(f"body:{key}")
    shown_key = f"banner:{digest(log_key, get_language(), count)}"
    if kept is not None:
        before, after, content_type = kept
        shown = cache.get(shown_key)
        if shown is None:
            shown = banner(count)
            cache.set(shown_key, shown)
        r = HttpResponse(before + shown + after, content_type=content_type)
        r["X-Page-Cache"] = "hit"
    else:
        r, shown = render()
        if r.status_code != 200:
            return r
        parts = r.content.split(shown) if shown else []
        if len(parts) == 2:
            # (the banner not kept from here: the render read the log a moment after `count`)
            cache.set(f"body:{key}", (parts[0], parts[1], r["Content-Type"]))
        r["X-Page-Cache"] = "miss"
    _headers(r, etag)
    return r


def _not_modified(request, etag: str) -> HttpResponse | None:
    """A 304 when the visitor's copy has this ETag, else None."""
    if etag not in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        return None
    r = HttpResponseNotModified()
    _headers(r, etag)
    return r


def _headers(r: HttpResponse, etag: str) -> None:
    r["ETag"] = etag
    r["Cache-Control"] = f"public, max-age={MAX_AGE}"
    patch_vary_headers(r, ["Accept-Language"])

"""Rendered public pages cached by what they show, and answered 304 when the visitor has them.

A page's key is the hash of the rows it is drawn from (a station's protocol ids, versions and
current flags and its scans' ids and statuses; a commission's tallies and its children's), plus
its full path (language and query included). An amendment adds a protocol row and moves the
`current` flag, a scan recheck changes its status, a new protocol changes the tallies: the key
changes with them, so a cached page is never a stale protocol. The key costs one or two small
indexed queries; rendering the page costs tens.

The same key is the page's ETag, so a browser or a proxy that revalidates gets a 304 without
even the cache lookup's body."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

CACHE_ALIAS = "pages"
MAX_AGE = 10  # seconds a visitor's browser may keep a page without asking again


def _cache():
    from django.conf import settings

    return caches[CACHE_ALIAS if CACHE_ALIAS in settings.CACHES else "default"]


def _build() -> str:
    """What a rendered page also depends on besides the rows: the code's version, the templates
    and the translations. Read once at start-up, so that an upgrade never serves old pages."""
    import sailau

    root = Path(sailau.__file__).parent
    stamps = [sailau.__version__]
    for path in sorted(root.rglob("*")):
        if path.suffix in (".html", ".mo", ".css", ".js"):
            stamps.append(f"{path.relative_to(root)}:{path.stat().st_mtime_ns}")
    return hashlib.sha256("\n".join(stamps).encode()).hexdigest()[:12]


BUILD = _build()


def digest(*parts) -> str:
    h = hashlib.sha256()
    h.update(BUILD.encode())
    for p in parts:
        h.update(repr(p).encode())
        h.update(b"\x00")
    return h.hexdigest()[:32]


def station_state(station) -> str:
    """What a station page shows, as rows: its protocols, scans, step times, observers' copies,
    and which integrity report its flags come from."""
    from django.apps import apps

    from sailau.protocols.models import Protocol, StepTime

    protocols = list(Protocol.objects.filter(station_id=station.id).order_by("id")
                     .values_list("id", "version", "current"))
    steps = list(StepTime.objects.filter(station_id=station.id).order_by("id")
                 .values_list("id", "at"))
    copies = []
    if apps.is_installed("sailau.observation"):
        from sailau.observation.models import ObserverCopy

        copies = list(ObserverCopy.objects.filter(station_id=station.id).order_by("id")
                      .values_list("id", flat=True))
    report = None
    if apps.is_installed("sailau.integrity"):
        from sailau.integrity.service import report_version

        report = report_version(station.election_id)
    scans = []
    if apps.is_installed("sailau.scans"):
        from sailau.scans.models import Scan

        scans = list(Scan.objects.filter(station_id=station.id).order_by("id")
                     .values_list("id", "status", "reason", "checked_at"))
    return digest("station", station.id, station.registered, station.address,
                  station.address_ru, protocols, scans, steps, copies, report)


def tallies_state(commission_ids, election_id: str) -> str:
    """What a results page shows: the tallies of these commissions (all contests)."""
    from sailau.protocols.models import Tally

    rows = list(Tally.objects.filter(commission_id__in=list(commission_ids),
                                     contest__election_id=election_id)
                .order_by("contest_id", "commission_id")
                .values_list("contest_id", "commission_id", "stations_reported",
                             "stations_expected", "figures", "choices"))
    return digest("tallies", election_id, rows)


def cached(request, state: str, render) -> HttpResponse:
    """The page for `state`: 304 if the visitor has it, from the cache if rendered before,
    else `render()` stored for the next visitor. Only 200 responses are stored."""
    key = digest(state, request.get_full_path())
    etag = f'"{key}"'
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        r = HttpResponseNotModified()
        _headers(r, etag)
        return r
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


def _headers(r: HttpResponse, etag: str) -> None:
    r["ETag"] = etag
    r["Cache-Control"] = f"public, max-age={MAX_AGE}"
    patch_vary_headers(r, ["Accept-Language"])

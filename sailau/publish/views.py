"""The drill-down pages (country → territory → district → station), search and downloads.

Every page reads the documents of `files/` and the view models of `pages/` (the same the
snapshots and the API publish) or `results.contest_result` (the same totals as the election
page), so no figure is computed twice. The views only find the objects, cache and answer."""

import hashlib
import io
import json
import re
from pathlib import Path

from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_noop as _

from sailau.elections import areas
from sailau.elections.models import Commission, Election, Station
from sailau.errors import BadInput, Code, NotFound
from sailau.i18n import later, page_lang
from sailau.languages import texts
from sailau.publish.files import downloads as dl
from sailau.publish.files import nist, progress
from sailau.publish.files.election_data import ElectionData
from sailau.publish.files.station_documents import station_document
from sailau.publish.pages import logbanner, page_models, pagecache, turnout_day
from sailau.publish.pages import search as engine
from sailau.publish.pipeline import snapshots
from sailau.publish.storage import mirror
from sailau.tlog import gzipped

T = texts("publish.views")


def _election(election_id: str) -> Election:
    try:
        return Election.objects.get(id=election_id)
    except Election.DoesNotExist:
        raise NotFound(code=Code.UNKNOWN_ELECTION, message=later(_("No election with this id"))) from None


def commission(request, election_id: str, commission_id: str):
    e = _election(election_id)
    try:
        c = Commission.objects.get(election=e, id=commission_id)
    except Commission.DoesNotExist:
        raise NotFound(code=Code.UNKNOWN_COMMISSION, message=later(_("No commission with this id here"))) from None
    if c.level == Commission.PRECINCT:
        number = Station.objects.filter(commission=c).values_list("number", flat=True).first()
        if number is None:
            raise NotFound(code=Code.UNKNOWN_STATION, message=later(_("No station with this number here")))
        return redirect("publish:station", election_id=e.id, number=number)
    ids = [c.id] + list(Commission.objects.filter(parent=c).values_list("id", flat=True))
    # A territory's page shows the turnout its stations reported through the day (once any
    # station of the election has reported).
    territory = c.level == Commission.TERRITORIAL
    state = pagecache.tallies_state(ids, e.id) + (turnout_day.state() if territory else "")
    # The log's banner, with how many protocols counted here only the log has signed, is
    # joined to the kept page per request (pagecache.with_banner).
    log = logbanner.current(e.id)

    def page():
        shown = territory and turnout_day.table(e.id)["reported"]
        context = {**page_models.commission_page(e, c),
                   "turnout": turnout_day.table(e.id, c.id) if shown else None}
        return render(request, "publish/commission.html", context), logbanner.rendered(context["log"])

    return pagecache.with_banner(
        request, state, log.key, logbanner.unwitnessed_in(e.id, log, areas.station_q(c), state + c.id),
        page, lambda n: logbanner.rendered_for(e.id, n))


def station(request, election_id: str, number: int):
    # The page's one query when its body is kept: the station's rows and the log's state.
    found = pagecache.station_rows(election_id, number)
    if found is None:
        _election(election_id)  # 404 for the election first, then for the station
        raise NotFound(code=Code.UNKNOWN_STATION, message=later(_("No station with this number here")))
    log = logbanner.current(election_id, (found.log_size, found.witnesses))
    # What the log means for this station's own protocols (the badge each says): with the rows,
    # what its body is kept by. The banner above it moves with every checkpoint and cosignature,
    # and is joined to the body per log state (pagecache.with_banner).
    mine = (bool(log.total), tuple(logbanner.is_witnessed(i, log.witnessed) for i in found.leaves))

    def page():
        s = Station.objects.select_related("election").get(election_id=election_id,
                                                            number=number)
        context = page_models.station_page(s.election, s)
        return render(request, "publish/station.html", context), logbanner.rendered(context["log"])

    # (what its banner counts: those of its protocols the witnesses have not cosigned)
    unwitnessed = sum(not witnessed for witnessed in mine[1])
    return pagecache.with_banner(request, found.state + repr(mine), log.key, unwitnessed, page,
                                 lambda n: logbanner.rendered_for(election_id, n))


def search(request, election_id: str):
    """A bad query is answered 400 with the search page itself, the error above the box, so
    that the visitor can correct it there. Results come 50 to a page with the true count; the
    page links are relative, so they stay in the page's language."""
    e = _election(election_id)
    q = request.GET.get("q", "")
    found, error = None, None
    if q:
        try:
            found = engine.search(e.id, q, _page_number(request.GET.get("page")))
        except engine.BadQuery as exc:
            error = exc.page_text(page_lang())
    return render(request, "publish/search.html", {
        "election": e, "q": q, "found": found, "error": error},
        status=400 if error else 200)


def _page_number(value: str | None) -> int | None:
    """The `page` parameter (1 when absent), None for one that is not a number from 1 (the
    search says so)."""
    if value in (None, ""):
        return 1
    return int(value) if value.isdigit() and int(value) >= 1 else None


def downloads(request, election_id: str):
    """Every file of the election's snapshot, by contest (single-member districts with their
    candidates named), each with the SHA-256 the manifest lists: the link serves those bytes,
    whatever the page's language. The link names the object by that hash (`?sha256=`), so a
    publication between reading this page and clicking cannot put other bytes behind it."""
    e = _election(election_id)
    data = ElectionData.load(e)
    manifest = mirror.published_manifest(e.id)
    listed = (manifest or {}).get("files", {})

    def row(name, url, label=None):
        entry = listed.get(name)
        if entry:
            url = f"{url}?{VERSION}={entry['sha256']}"
        # Under its contest's heading a file is named by its own name ("stations.csv"): the
        # whole snapshot name took six lines of a phone, and its hash is what identifies it.
        return {"name": name, "url": url, "label": label or name.rsplit("/", 1)[-1],
                "sha256": entry and entry["sha256"], "size": entry and entry["size"],
                "stale": bool(entry and entry.get("stale"))}

    lang = page_lang()
    groups = []
    for c in sorted(data.contests, key=lambda c: (c.contest_kind.district, c.id)):
        choices = sorted(c.choices.all(), key=lambda ch: ch.order)
        groups.append({"contest": c, "name": c.name(lang),
                       "candidates": [ch.name(lang) for ch in choices]
                       if c.contest_kind.district else [],
                       "files": [row(n, u) for n, u in _contest_downloads(e, c)]})
    other = [row("nist.json", reverse("publish:download_nist", args=[e.id]))]
    # Scan archives are built at publication (they are large): listed from the manifest.
    places = {c.id: c.place(lang) for c in e.commissions.filter(level=Commission.TERRITORIAL)}
    other += [row(name, reverse("publish:download_scans", args=[e.id, name[6:-4]]),
                  f"{places.get(name[6:-4], name[6:-4])} (ZIP)")
              for name in sorted(listed) if name.startswith("scans/") and name.endswith(".zip")]
    rewriting = any(f["stale"] for f in other) or any(f["stale"] for g in groups
                                                       for f in g["files"])
    return render(request, "publish/downloads.html", {
        "election": e, "groups": groups, "other": other, "manifest": manifest,
        "rewriting": rewriting,
        "snapshot_url": request.build_absolute_uri(f"/snapshots/{e.id}/")})


def _contest_downloads(e, c):
    """(logical name, address) of a contest's files, as the snapshot names them."""
    yield (f"contests/{c.id}/choices.csv",
           reverse("publish:download_level", args=[e.id, c.id, "choices", "csv"]))
    yield (f"contests/{c.id}/outcome.json",
           reverse("publish:download_level", args=[e.id, c.id, "outcome", "json"]))
    for fmt in dl.FORMATS:
        yield (f"contests/{c.id}/stations.{fmt}",
               reverse("publish:download_stations", args=[e.id, c.id, fmt]))
    for level in dl.levels_of(c):
        for fmt in dl.FORMATS:
            yield (f"contests/{c.id}/{level}.{fmt}",
                   reverse("publish:download_level", args=[e.id, c.id, level, fmt]))
    for fmt in ("csv", "json"):
        yield (f"contests/{c.id}/progress.{fmt}",
               reverse("publish:download_level", args=[e.id, c.id, "progress", fmt]))


def _file(body: bytes, content_type: str, filename: str) -> HttpResponse:
    digest = hashlib.sha256(body).hexdigest()
    r = HttpResponse(body, content_type=content_type)
    r["Content-Disposition"] = f'inline; filename="{filename}"'
    r["ETag"] = f'"{digest}"'
    r["X-Content-SHA256"] = digest
    r["Access-Control-Allow-Origin"] = "*"
    return r


# The query parameter naming one published object of a file by its SHA-256 (the downloads
# page's links carry it); without it a file's address serves the latest publication.
VERSION = "sha256"


GONE = T("This version of the file is no longer kept: the downloads page lists the "
         "current one")


def _version(request) -> str | None:
    """The object `?sha256=` asks for, or None; a value that is no SHA-256 is refused."""
    want = request.GET.get(VERSION)
    if want is None:
        return None
    if not re.fullmatch(r"[0-9a-f]{64}", want):
        raise BadInput(field=VERSION, message=T(
            "sha256: must be 64 hexadecimal digits, lower case"))
    return want


def _published(request, e: Election, name: str, filename: str, build, attachment: bool = False,
               version: str | None = None):
    """The bytes the latest manifest lists under `name` (the same in every language, with the
    hash the downloads page shows); built from the database by `build()` -> (bytes, type) only
    when nothing is published under that name yet. With `version` (a SHA-256), exactly that
    published object, or a 404 once it is no longer kept: never other bytes."""
    if version is not None:
        entry = {"sha256": version}
        key = f"objects/{version}{Path(name).suffix}"
        path = snapshots.election_dir(e.id) / key
        bucket = None if path.exists() else mirror.remote()
        if not path.exists() and (bucket is None or not bucket.exists(f"{e.id}/{key}")):
            raise NotFound(message=GONE)
        r = _serve(request, e, name, filename, entry, path, attachment)
        if path.exists():  # an object never changes: a cache may keep it
            r["Cache-Control"] = "public, max-age=31536000, immutable"
        return r
    entry = (mirror.published_manifest(e.id) or {}).get("files", {}).get(name)
    path = entry and snapshots.election_dir(e.id) / "objects" / f"{entry['sha256']}" \
        f"{Path(name).suffix}"
    if entry is None or (not path.exists() and mirror.remote() is None):
        if build is None:
            raise NotFound(code=Code.NOT_PUBLISHED, message=later(_("No scans published for this territory")))
        body, ctype = build()
        return _file(body, ctype, filename)
    return _serve(request, e, name, filename, entry, path, attachment)


def _serve(request, e: Election, name: str, filename: str, entry: dict, path: Path,
           attachment: bool):
    """The published object `entry` of `name`: from this server's data directory (`path`), as
    stored (gzip'd text with `Content-Encoding: gzip` to a client that accepts it, opened for
    one that does not), or a redirect to the bucket the publisher copied it to."""
    if not path.exists():
        where = mirror.object_url(e.id, name, entry, filename=filename, attachment=attachment)
        r = HttpResponseRedirect(where)
        r["Cache-Control"] = "no-store"  # a pre-signed address expires
        r["X-Content-SHA256"] = entry["sha256"]
        return r
    ctype = {"zip": "application/zip", **dl.CONTENT_TYPES}.get(name.rsplit(".", 1)[-1],
                                                              "application/octet-stream")
    # FileResponse closes the file when the response is done.
    opened, gzipped_ = gzipped.as_sent(path, request.headers.get("Accept-Encoding"),
                                       entry.get("size"))
    f = io.BytesIO(opened) if opened is not None else open(path, "rb")  # noqa: SIM115
    r = FileResponse(f, content_type=ctype, as_attachment=attachment, filename=filename)
    if gzipped_:
        r["Content-Encoding"] = "gzip"
    r["Vary"] = "Accept-Encoding"
    if not attachment:
        r["Content-Disposition"] = f'inline; filename="{filename}"'
    # One tag for each form: the file's hash when sent as it is, marked when sent gzip'd.
    r["ETag"] = f'"{entry["sha256"]}{"-gzip" if gzipped_ else ""}"'
    r["X-Content-SHA256"] = entry["sha256"]
    r["Access-Control-Allow-Origin"] = "*"
    return r


def _contest(e: Election, contest_id: str):
    c = e.contests.filter(id=contest_id).select_related("commission").first()
    if c is None:
        raise NotFound(code=Code.UNKNOWN_CONTEST, message=later(_("No vote with this id here")))
    return c


def download_stations(request, election_id: str, contest_id: str, fmt: str):
    e, version = _election(election_id), _version(request)
    c = _contest(e, contest_id)
    return _published(request, e, f"contests/{c.id}/stations.{fmt}", f"{c.id}.stations.{fmt}",
                      lambda: dl.stations_file(ElectionData.load(e), c, fmt), version=version)


def download_level(request, election_id: str, contest_id: str, level: str, fmt: str):
    e, version = _election(election_id), _version(request)
    c = _contest(e, contest_id)
    name, filename = f"contests/{c.id}/{level}.{fmt}", f"{c.id}.{level}.{fmt}"
    if level == "progress" and fmt != "parquet":
        return _published(request, e, name, filename, lambda: progress.progress_file(c, fmt), version=version)
    if level == "choices" and fmt == "csv":
        return _published(request, e, name, filename,
                          lambda: (dl.choices_file(c), dl.CONTENT_TYPES["csv"]),
                          version=version)
    if level == "outcome" and fmt == "json":  # the outcome sailau verify decides again
        return _published(request, e, name, filename,
                          lambda: (dl.outcome_file(c), "application/json"), version=version)
    if level not in dl.levels_of(c):
        raise NotFound(code=Code.NOT_FOUND, message=later(_("No such level")))
    return _published(request, e, name, filename,
                      lambda: dl.level_file(ElectionData.load(e), c, level, fmt), version=version)


def download_nist(request, election_id: str):
    e, version = _election(election_id), _version(request)
    return _published(request, e, "nist.json", f"{e.id}.nist.json", lambda: (
        snapshots._dumps(nist.report(ElectionData.load(e))), "application/json"), version=version)


def download_scans(request, election_id: str, territory_id: str):
    """A territory's scans in bulk, as last published: a stable address for a changing file,
    with its SHA-256 in the header (and in the manifest), downloaded as a file."""
    e, version = _election(election_id), _version(request)
    name = f"scans/{territory_id}.zip"
    if name not in (mirror.published_manifest(e.id) or {}).get("files", {}):
        raise NotFound(code=Code.NOT_PUBLISHED, message=later(_("No scans published for this territory")))
    return _published(request, e, name, f"{e.id}.scans.{territory_id}.zip", None, attachment=True,
                      version=version)


def station_json(request, election_id: str, number: int):
    e = _election(election_id)
    try:
        s = Station.objects.select_related("election").get(election=e, number=number)
    except Station.DoesNotExist:
        raise NotFound(code=Code.UNKNOWN_STATION, message=later(_("No station with this number here"))) from None
    doc = station_document(ElectionData.for_station(s), s)
    return _file(json.dumps(doc, ensure_ascii=False, sort_keys=True).encode(),
                 "application/json", f"station-{s.number}.json")

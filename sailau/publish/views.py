"""The drill-down pages (country → territory → district → station), search and downloads.

Every page reads the documents and view models of `data` (the same the snapshots and the API
publish) or `results.contest_result` (the same totals as the election page), so no figure is
computed twice. The views only find the objects, cache and answer."""

import hashlib
import json

from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sailau.elections.models import Commission, Contest, Election, Station
from sailau.publish import data as d
from sailau.publish import downloads as dl
from sailau.publish import nist, pagecache, progress, snapshots
from sailau.publish import search as engine


def _election(election_id: str) -> Election:
    try:
        return Election.objects.get(id=election_id)
    except Election.DoesNotExist:
        raise Http404(_("No election with this id")) from None


def bad_request(request, message: str) -> HttpResponse:
    """A 400 page in the visitor's language that says what is wrong."""
    html = render_to_string("400.html", {"message": message}, request)
    return HttpResponseBadRequest(html)


def commission(request, election_id: str, commission_id: str):
    e = _election(election_id)
    try:
        c = Commission.objects.get(election=e, id=commission_id)
    except Commission.DoesNotExist:
        raise Http404(_("No commission with this id in this election")) from None
    if c.level == Commission.PRECINCT:
        number = Station.objects.filter(commission=c).values_list("number", flat=True).first()
        if number is None:
            raise Http404(_("No station with this number in this election"))
        return redirect("publish:station", election_id=e.id, number=number)
    ids = [c.id] + list(Commission.objects.filter(parent=c).values_list("id", flat=True))
    return pagecache.cached(request, pagecache.tallies_state(ids, e.id),
                            lambda: render(request, "publish/commission.html",
                                           d.commission_page(e, c)))


def station(request, election_id: str, number: int):
    # The state is the page's only query when it is cached; the rows come when it is not.
    state = pagecache.station_state(election_id, number)
    if state is None:
        _election(election_id)  # 404 for the election first, then for the station
        raise Http404(_("No station with this number in this election"))

    def page():
        e = _election(election_id)
        s = Station.objects.select_related("election").get(election=e, number=number)
        return render(request, "publish/station.html", d.station_page(e, s))

    return pagecache.cached(request, state, page)


def search(request, election_id: str):
    """A bad query is answered 400 with the search page itself, the error above the box, so
    that the visitor can correct it there."""
    e = _election(election_id)
    q = request.GET.get("q", "")
    results, error = [], None
    if q:
        try:
            results = engine.search(e.id, q)
        except engine.BadQuery as exc:
            error = exc.text()
    return render(request, "publish/search.html", {
        "election": e, "q": q, "results": results, "error": error},
        status=400 if error else 200)


def downloads(request, election_id: str):
    e = _election(election_id)
    data = d.ElectionData.load(e)
    manifest = snapshots.latest_manifest(e.id)
    files = []
    for name, url in _download_names(e, data, manifest):
        entry = (manifest or {}).get("files", {}).get(name) if manifest else None
        files.append({"name": name, "url": url, "sha256": entry and entry["sha256"],
                      "size": entry and entry["size"]})
    return render(request, "publish/downloads.html", {
        "election": e, "files": files, "manifest": manifest})


def _download_names(e, data, manifest=None):
    for c in data.contests:
        if c.kind == Contest.SINGLE_MEMBER:
            continue
        for fmt in ("csv", "json"):
            yield (f"contests/{c.id}/stations.{fmt}",
                   reverse("publish:download_stations", args=[e.id, c.id, fmt]))
        for level in ("territorial", "district"):
            for fmt in ("csv", "json"):
                yield (f"contests/{c.id}/{level}.{fmt}",
                       reverse("publish:download_level", args=[e.id, c.id, level, fmt]))
        for fmt in ("csv", "json"):
            yield (f"contests/{c.id}/progress.{fmt}",
                   reverse("publish:download_level", args=[e.id, c.id, "progress", fmt]))
    yield "nist.json", reverse("publish:download_nist", args=[e.id])
    # Scan archives are built at publication (they are large): listed from the manifest.
    for name in sorted((manifest or {}).get("files", {})):
        if name.startswith("scans/") and name.endswith(".zip"):
            yield name, reverse("publish:download_scans", args=[e.id, name[6:-4]])


def _file(body: bytes, content_type: str, filename: str) -> HttpResponse:
    digest = hashlib.sha256(body).hexdigest()
    r = HttpResponse(body, content_type=content_type)
    r["Content-Disposition"] = f'inline; filename="{filename}"'
    r["ETag"] = f'"{digest}"'
    r["X-Content-SHA256"] = digest
    r["Access-Control-Allow-Origin"] = "*"
    return r


def _contest(e: Election, contest_id: str):
    c = e.contests.filter(id=contest_id).select_related("commission").first()
    if c is None:
        raise Http404(_("No contest with this id in this election"))
    return c


def _lang() -> str:
    return (get_language() or "kk")[:2]


def download_stations(request, election_id: str, contest_id: str, fmt: str):
    e = _election(election_id)
    c = _contest(e, contest_id)
    body, ctype = dl.stations_file(d.ElectionData.load(e), c, fmt, _lang())
    return _file(body, ctype, f"{c.id}.stations.{fmt}")


def download_level(request, election_id: str, contest_id: str, level: str, fmt: str):
    e = _election(election_id)
    c = _contest(e, contest_id)
    if level == "progress":
        body, ctype = progress.progress_file(c, fmt)
        return _file(body, ctype, f"{c.id}.progress.{fmt}")
    if level not in dl.LEVELS:
        raise Http404(_("No such level"))
    body, ctype = dl.level_file(d.ElectionData.load(e), c, level, fmt, _lang())
    return _file(body, ctype, f"{c.id}.{level}.{fmt}")


def download_nist(request, election_id: str):
    e = _election(election_id)
    body = json.dumps(nist.report(d.ElectionData.load(e)), ensure_ascii=False,
                      indent=1).encode()
    return _file(body, "application/json", f"{e.id}.nist.json")


def download_scans(request, election_id: str, territory_id: str):
    """A territory's scans in bulk, as last published: a stable address for a changing file,
    with its SHA-256 in the header (and in the manifest), downloaded as a file."""
    e = _election(election_id)
    entry = (snapshots.latest_manifest(e.id) or {}).get("files", {}).get(
        f"scans/{territory_id}.zip")
    if entry is None:
        raise Http404(_("No scans published for this territory"))
    path = snapshots.election_dir(e.id) / "objects" / f"{entry['sha256']}.zip"
    # FileResponse closes the file when the response is done.
    r = FileResponse(open(path, "rb"), content_type="application/zip",  # noqa: SIM115
                     as_attachment=True, filename=f"{e.id}.scans.{territory_id}.zip")
    r["ETag"] = f'"{entry["sha256"]}"'
    r["X-Content-SHA256"] = entry["sha256"]
    r["Access-Control-Allow-Origin"] = "*"
    return r


def station_json(request, election_id: str, number: int):
    e = _election(election_id)
    try:
        s = Station.objects.select_related("election").get(election=e, number=number)
    except Station.DoesNotExist:
        raise Http404(_("No station with this number in this election")) from None
    doc = d.station_document(d.ElectionData.for_station(s), s)
    return _file(json.dumps(doc, ensure_ascii=False, sort_keys=True).encode(),
                 "application/json", f"station-{s.number}.json")

"""The drill-down pages (country → territory → district → station), search and downloads.

Every page reads the documents of `data` (the same the snapshots and the API publish) or
`contest_result` (the same totals as the election page), so no figure is computed twice."""

import datetime as dt

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from sailau.elections.models import Commission, Contest, Election, Station
from sailau.publish import data as d
from sailau.publish.results import contest_result


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
    from sailau.publish import pagecache

    ids = [c.id] + list(Commission.objects.filter(parent=c).values_list("id", flat=True))
    return pagecache.cached(request, pagecache.tallies_state(ids, e.id),
                            lambda: _commission_page(request, e, c))


def _commission_page(request, e: Election, c: Commission):
    data = d.ElectionData.load(e)
    doc = d.commission_document(data, c)
    results = [contest_result(contest, c.id) for contest in data.contests_of_commission(c)]
    main = results[0].contest.id if results else None
    children = []
    for ch in doc["children"]:
        totals = next((t for t in ch["contests"] if t["contest"] == main), None) \
            or (ch["contests"][0] if ch["contests"] else None)
        children.append({**ch, "obj": data.commissions[ch["id"]], "totals": totals})
    return render(request, "publish/commission.html", {
        "election": e, "commission": c, "ancestors": data.ancestors(c.id), "results": results,
        "children": children, "stations": doc.get("stations"),
        "contest_names": {x.id: x.name() for x in data.contests},
    })


def station(request, election_id: str, number: int):
    from sailau.publish import pagecache

    # The state is the page's only query when it is cached; the rows come when it is not.
    state = pagecache.station_state(election_id, number)
    if state is None:
        _election(election_id)  # 404 for the election first, then for the station
        raise Http404(_("No station with this number in this election"))

    def render():
        e = _election(election_id)
        s = Station.objects.select_related("election").get(election=e, number=number)
        return _station_page(request, e, s)

    return pagecache.cached(request, state, render)


def _station_page(request, e: Election, s: Station):
    data = d.ElectionData.for_station(s)
    doc = d.station_document(data, s)
    above = Commission.objects.in_bulk([s.territory_id, s.district_id, s.smd_id])
    lang = (get_language() or "kk")[:2]
    contests = {c.id: c for c in data.contests}
    sections = []
    for part in doc["contests"]:
        contest = contests[part["contest"]]
        form = data.forms[contest.id]
        protocol = part["protocol"] or {"figures": {}, "choices": {}}
        choice_names = {ch.key: ch for ch in contest.choices.all()}
        valid = sum(protocol["choices"].values())
        found = valid + protocol["figures"].get("invalid", 0)
        choices = sorted(
            ({"key": k, "name": choice_names[k].name(lang) if k in choice_names else k,
              "color": (choice_names[k].party.color if k in choice_names
                        and choice_names[k].party_id else "#999999"),
              "votes": v, "share": 100 * v / found if found else 0.0}
             for k, v in protocol["choices"].items()),
            key=lambda r: (r["key"] == "against_all", -r["votes"]))
        lines = [{"number": ln.number, "key": ln.key, "label": ln.label.get(lang, ln.label["kk"]),
                  # The valid line is the sum of the choices when the form does not store it.
                  "value": protocol["figures"].get(
                      ln.key, valid if ln.key == "valid" and part["protocol"] else None)}
                 for ln in form.lines]
        for scan in part["scans"]:
            scan["url"] = _scan_url(scan["id"])
        sections.append({
            "contest": contest, "part": part, "lines": lines, "choices": choices,
            "turnout": d.turnout(protocol["figures"]),
            "checks": [{**f, "text": f["message"].get(lang, f["message"]["kk"])}
                       for f in part["checks"]],
            "versions": [{**v, "changes": [(k, a, b) for k, (a, b) in v["changes"].items()]}
                         for v in part["versions"]],
        })
    return render(request, "publish/station.html", {
        "election": e, "station": s, "doc": doc, "sections": sections,
        "ancestors": [above[i] for i in (s.territory_id, s.district_id) if i in above],
        "smd": above.get(s.smd_id) if s.smd_id else None,
        "chronometry": [(STEP_LABELS.get(step, step), _aware(at))
                        for step, at in sorted(doc["chronometry"].items(),
                                               key=lambda kv: kv[1] or "") if at],
        "copies": _observer_copies(s),
    })


STEP_LABELS = {
    "polls_closed": gettext_lazy("Polls closed"),
    "protocol_signed": gettext_lazy("Protocol signed"),
    "copy_to_observers": gettext_lazy("Copy handed to observers"),
    "first_entry": gettext_lazy("First entry"),
    "definitive": gettext_lazy("Protocol definitive"),
    "scan_uploaded": gettext_lazy("Scan uploaded"),
    "published": gettext_lazy("Published"),
    "received_by_territory": gettext_lazy("Received by the territorial commission"),
}


def _aware(iso: str) -> dt.datetime:
    """Step times are stored in UTC; the page shows them in Almaty time."""
    at = dt.datetime.fromisoformat(iso)
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def _observer_copies(station) -> list[dict]:
    """Observers' certified copies of this station's protocols, each compared with the current
    official protocol (the observation app may not be installed in every deployment)."""
    try:
        from sailau.observation.compare import compared
        from sailau.observation.models import ObserverCopy
    except ImportError:
        return []
    rows = compared(ObserverCopy.objects.filter(station=station)
                    .select_related("station", "observer", "contest"))
    lang = (get_language() or "kk")[:2]
    for row in rows:  # name the lines and choices as the protocol above does
        contest = row["copy"].contest
        names = {c.key: c.name(lang) for c in contest.choices.all()}
        form = contest.form
        names.update({ln.key: ln.label.get(lang, ln.label["kk"]) for ln in form.lines})
        for diff in row["differences"]:
            diff["label"] = names.get(diff["line"], diff["line"])
    return rows


def _scan_url(pk: int) -> str | None:
    # The scans app may or may not be mounted: the page shows the hash either way.
    from django.urls import NoReverseMatch

    try:
        return reverse("scans:download", args=[pk])
    except NoReverseMatch:
        return None


def search(request, election_id: str):
    from sailau.publish import search as engine

    e = _election(election_id)
    q = request.GET.get("q", "")
    results, error = [], None
    if q:
        try:
            results = engine.search(e.id, q)
        except engine.BadQuery as exc:
            return bad_request(request, exc.message())
    return render(request, "publish/search.html", {
        "election": e, "q": q, "results": results, "error": error})


def downloads(request, election_id: str):
    from sailau.publish import snapshots

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
    yield "nist.json", reverse("publish:download_nist", args=[e.id])
    # Scan archives are built at publication (they are large): listed from the manifest.
    for name in sorted((manifest or {}).get("files", {})):
        if name.startswith("scans/") and name.endswith(".zip"):
            yield name, reverse("publish:download_scans", args=[e.id, name[6:-4]])


def _file(body: bytes, content_type: str, filename: str) -> HttpResponse:
    import hashlib

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


def download_stations(request, election_id: str, contest_id: str, fmt: str):
    from sailau.publish import downloads as dl

    e = _election(election_id)
    c = _contest(e, contest_id)
    data = d.ElectionData.load(e)
    body, ctype = dl.stations_file(data, c, fmt, (get_language() or "kk")[:2])
    return _file(body, ctype, f"{c.id}.stations.{fmt}")


def download_level(request, election_id: str, contest_id: str, level: str, fmt: str):
    from sailau.publish import downloads as dl

    e = _election(election_id)
    c = _contest(e, contest_id)
    if level not in dl.LEVELS:
        raise Http404(_("No such level"))
    data = d.ElectionData.load(e)
    body, ctype = dl.level_file(data, c, level, fmt, (get_language() or "kk")[:2])
    return _file(body, ctype, f"{c.id}.{level}.{fmt}")


def download_nist(request, election_id: str):
    import json

    from sailau.publish import nist

    e = _election(election_id)
    body = json.dumps(nist.report(d.ElectionData.load(e)), ensure_ascii=False,
                      indent=1).encode()
    return _file(body, "application/json", f"{e.id}.nist.json")


def download_scans(request, election_id: str, territory_id: str):
    """A territory's scans in bulk, as last published: a stable address for a changing file,
    with its SHA-256 in the header (and in the manifest)."""
    from django.http import FileResponse

    from sailau.publish import snapshots

    e = _election(election_id)
    entry = (snapshots.latest_manifest(e.id) or {}).get("files", {}).get(
        f"scans/{territory_id}.zip")
    if entry is None:
        raise Http404(_("No scans published for this territory"))
    path = snapshots.election_dir(e.id) / "objects" / f"{entry['sha256']}.zip"
    r = FileResponse(open(path, "rb"),  # noqa: SIM115 (FileResponse closes it) content_type="application/zip", as_attachment=True,
                     filename=f"{e.id}.scans.{territory_id}.zip")
    r["ETag"] = f'"{entry["sha256"]}"'
    r["X-Content-SHA256"] = entry["sha256"]
    r["Access-Control-Allow-Origin"] = "*"
    return r


def station_json(request, election_id: str, number: int):
    import json

    e = _election(election_id)
    try:
        s = Station.objects.select_related("election").get(election=e, number=number)
    except Station.DoesNotExist:
        raise Http404(_("No station with this number in this election")) from None
    doc = d.station_document(d.ElectionData.for_station(s), s)
    return _file(json.dumps(doc, ensure_ascii=False, sort_keys=True).encode(),
                 "application/json", f"station-{s.number}.json")

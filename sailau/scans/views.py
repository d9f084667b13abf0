"""Pages for the printed protocol and its scans: the PDF to print, the upload form, the scans of
a station (public, with their check), the flagged scans of an election, and the scan files."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods

from sailau import filestores
from sailau.elections.models import Contest, Election, Station
from sailau.errors import Code, Forbidden, NotFound, StorageUnavailable
from sailau.i18n import page_lang
from sailau.languages import pick, texts
from sailau.protocols.catalog import line_names
from sailau.protocols.models import Protocol
from sailau.scans import service
from sailau.scans.models import Scan

T = texts("scans.views")

EXT = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


def _pair(station_id: str, contest_id: str) -> tuple[Station, Contest]:
    station = get_object_or_404(Station, id=station_id)
    contest = get_object_or_404(Contest, id=contest_id, election_id=station.election_id)
    return station, contest


def _explain(scans) -> None:
    """Why each scan differs and which lines, in the page's language: the reason's text, and
    each differing line by its number and label or its choice's name, never its key."""
    names: dict[str, dict[str, str]] = {}
    for s in scans:
        s.reason_text = pick(service.REASONS.get(s.reason, {}), page_lang())
        if s.contest_id not in names:
            names[s.contest_id] = line_names(s.contest, page_lang())
        for d in s.mismatches:
            d["label"] = names[s.contest_id].get(d.get("line"), d.get("line"))


def protocol_pdf(request, station_id: str, contest_id: str):
    station, contest = _pair(station_id, contest_id)
    try:
        protocol = service.definitive_protocol(station, contest)
    except service.ScanError as exc:
        raise NotFound(code=exc.code, field=exc.field, message=exc.message) from None
    response = HttpResponse(service.protocol_pdf(protocol), content_type="application/pdf")
    name = f"protocol-{station.number}-{contest.id}-v{protocol.version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def station_scans(request, station_id: str, contest_id: str):
    station, contest = _pair(station_id, contest_id)
    scans = list(Scan.objects.filter(station=station, contest=contest)
                 .select_related("protocol").order_by("-uploaded_at"))
    current = (Protocol.objects.current().of(station, contest)
               .values_list("version", flat=True).first())
    said, note = service.standing([{"protocol_version": s.protocol.version, "status": s.status,
                                    "reason": s.reason} for s in scans], current, page_lang())
    for s, d in zip(scans, said):
        s.of_current, s.reason_text = d["of_current"], d["note"]
    names = line_names(contest, page_lang())
    for s in scans:  # differing lines by number and label or choice name, never by key
        for d in s.mismatches:
            d["label"] = names.get(d.get("line"), d.get("line"))
    return render(request, "scans/station.html", {
        "station": station, "contest": contest, "scans": scans, "note": note,
        "can_upload": request.user.is_authenticated and service.may_upload(request.user, station),
    })


@require_http_methods(["GET", "POST"])
@login_required(login_url=reverse_lazy("entry:login"))  # an operator's page, as the entry form
def upload(request, station_id: str, contest_id: str):
    station, contest = _pair(station_id, contest_id)
    if not service.may_upload(request.user, station):
        raise Forbidden(code=Code.NOT_ALLOWED, message="no role allows uploading scans for this station")
    error, status = None, 400
    if request.method == "POST":
        f = request.FILES.get("file")
        if f is None:
            error = T("No file was chosen.")[page_lang()]
        elif f.size > service.MAX_BYTES:  # refused before it is read into memory
            error = service.too_large(f.size).page_text(page_lang())
        else:
            try:
                scan = service.upload_scan(station, contest, f.read(), f.name, request.user)
            except service.ScanError as exc:
                error = exc.page_text(page_lang())
            except StorageUnavailable as exc:  # nothing stored: the form again, with why
                error, status = exc.page_text(page_lang()), exc.status
            else:
                url = reverse("scans:station", args=[station.id, contest.id])
                return redirect(f"{url}?scan={scan.pk}{'' if scan.created else '&again=1'}")
    return render(request, "scans/upload.html", {
        "station": station, "contest": contest, "error": error,
        "max_mb": service.MAX_BYTES // (1024 * 1024),
    }, status=status if error else 200)


def download(request, pk: int):
    """The scan: from the application on the local disk, by a redirect to a short-lived
    pre-signed URL on object storage (sailau.filestores.serve)."""
    scan = get_object_or_404(Scan, pk=pk)
    name = f"scan-{scan.station.number}-{scan.sha256[:12]}.{EXT.get(scan.content_type, 'bin')}"
    return filestores.serve(scan.file, scan.content_type, name)


def flagged(request, election_id: str):
    election = get_object_or_404(Election, id=election_id)
    scans = list(Scan.objects.filter(station__election=election)
                 .exclude(status=Scan.MATCH).select_related("station", "contest")
                 .order_by("station__number", "contest_id", "-uploaded_at")[:2000])
    _explain(scans)
    counts = {row["status"]: row["n"] for row in
              Scan.objects.filter(station__election=election).values("status")
              .annotate(n=Count("id"))}
    return render(request, "scans/flagged.html", {
        "election": election, "scans": scans, "counts": counts,
    })

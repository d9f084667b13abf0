"""Pages at /<lang>/voters/: the public lookup and the oversight report (counts only), and
the staff pages (station lists, the operations), each access to personal data logged."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _n
from django.views.decorators.cache import never_cache

from sailau import clock, tabledownload
from sailau.accounts.permissions import NotAllowed
from sailau.clientaddr import client_address
from sailau.elections.models import Election, Station
from sailau.errors import Code, Forbidden, RateLimited
from sailau.i18n import later, page_lang
from sailau.languages import pick
from sailau.voters import models as m
from sailau.voters import report, services
from sailau.voters.access import log_access
from sailau.voters.lookup import where_do_i_vote
from sailau.voters.permissions import can_see, is_staff_of

LOGIN_URL = reverse_lazy("complaints:login")


def _election(request) -> Election | None:
    eid = request.POST.get("election") or request.GET.get("election")
    qs = Election.objects.all()
    return (qs.filter(pk=eid).first() if eid else None) or qs.first()


@never_cache
def lookup(request):
    """POST, so that the IIN never appears in an address, a server log or the history."""
    election = _election(request)
    answer = None
    if request.method == "POST" and election is not None:
        answer = where_do_i_vote(election, request.POST.get("iin", ""), client_address(request),
                                 page_lang())
    resp = render(request, "voters/lookup.html", {
        "election": election, "elections": Election.objects.all(), "answer": answer,
        "wording": election.wording() if election else None})
    if answer is not None and answer.status == "limited":
        resp.status_code = 429
        resp["Retry-After"] = str(answer.retry_after)
    return resp


def oversight(request):
    election = _election(request)
    territory = request.GET.get("territory", "")
    rows = report.by_station(election, territory) if election else []
    wording = election.wording() if election else None
    return render(request, "voters/report.html", {
        "election": election, "elections": Election.objects.all(), "rows": rows,
        "territories": report.by_territory(report.by_station(election)) if election else [],
        "territory": territory, "reasons": m.SameDayAddition.REASONS, "wording": wording,
        "added": (pick(wording.lists_added, page_lang()) if wording and wording.lists_added
                  else _("Added on election day"))})


def oversight_csv(request):
    election = _election(request)
    if election is None:
        return HttpResponse(status=404)
    # Only a known level names the file: the request's text never reaches the header.
    level = "territory" if request.GET.get("level") == "territory" else "station"
    rows = report.by_station(election, request.GET.get("territory", ""))
    resp = tabledownload.csv_attachment(f"voter-lists-{level}.csv")
    w = csv.writer(resp)
    if level == "territory":
        cols = ["territory", "territory_name", "stations", *report.COLUMNS, "same_day_per_1000"]
        rows = report.by_territory(rows)
    else:
        cols = ["station", "station_id", "territory", *report.COLUMNS]
    w.writerow(cols)
    for r in rows:
        w.writerow(tabledownload.row(r[c] if r[c] is not None else "" for c in cols))
    return resp


@login_required(login_url=LOGIN_URL)
def staff(request):
    election = _election(request)
    if election is None or not is_staff_of(request.user, election.id):
        raise Forbidden(code=Code.NOT_ALLOWED, message=later(_n("No role of yours here gives access to the lists.")))
    stations = [s for s in election.stations.select_related("territory", "district")
                if can_see(request.user, s)]
    return render(request, "voters/staff.html", {"election": election, "stations": stations[:2000],
                                                 "wording": election.wording()})


@login_required(login_url=LOGIN_URL)
def station_list(request, election_id: str, number: int):
    station = get_object_or_404(Station, election_id=election_id, number=number)
    if not can_see(request.user, station):
        raise Forbidden(code=Code.NOT_ALLOWED, message=later(_n("No role of yours covers this station.")))
    entries = (m.ListEntry.objects.filter(station=station).select_related("voter", "addition")
               .order_by("voter__last_name", "voter__first_name"))
    certs = m.AbsenteeCertificate.objects.filter(home_station=station).select_related("entry__voter")
    mobile = m.MobileRequest.objects.filter(station=station).select_related("entry__voter")
    refused = m.RefusedRedemption.objects.filter(station=station).select_related("certificate")
    entries = list(entries)
    log_access(request.user, "view_list", f"station:{station.id}", entries=len(entries))
    return render(request, "voters/station.html", {
        "station": station, "entries": entries, "certificates": certs, "mobile": mobile,
        "refused": refused, "now": clock.now(), "election": station.election,
        "wording": station.election.wording()})


@login_required(login_url=LOGIN_URL)
def operation(request, election_id: str):
    """One form per operation; each posts here with `op` and reports success or the refusal."""
    election = get_object_or_404(Election, pk=election_id)
    if not is_staff_of(request.user, election.id):
        raise Forbidden(code=Code.NOT_ALLOWED, message=later(_n("No role of yours here gives access to the lists.")))
    result, error = None, None
    if request.method == "POST":
        p = request.POST
        try:
            result = _run(election, p, request.user)
        except services.VoterError as exc:
            error = exc
        except (NotAllowed, RateLimited) as exc:
            error = exc
    resp = render(request, "voters/operations.html", {
        "election": election, "result": result, "error": error,
        # In the page's language, without the field's key or the ids an English message names.
        "error_text": error.page_text(page_lang()) if error is not None else "",
        "reasons": m.SameDayAddition.REASONS, "documents": m.SameDayAddition.DOCUMENTS,
        "wording": election.wording()})
    if error is not None:
        resp.status_code = error.status
    return resp


def _run(election, p, user) -> str:
    op = p.get("op")
    if op == "absentee":
        cert = services.issue_absentee(services.entry_by_iin(election, p.get("iin"), user), user)
        return _("Absentee certificate %(n)s issued; the voter has left the home list.") % {"n": cert.number}
    if op == "redeem":
        cert = services.redeem_absentee(election, p.get("certificate"), p.get("station"), user)
        return _("Certificate %(n)s redeemed at station %(s)s.") % {
            "n": cert.number, "s": cert.redeemed_station.number}
    if op == "transfer":
        entry = services.entry_by_iin(election, p.get("iin"), user)
        t = services.transfer(entry, p.get("station"), p.get("address", ""), user)
        return _("Transferred to the list of station %(s)s.") % {"s": t.to_station.number}
    if op == "mobile":
        entry = services.entry_by_iin(election, p.get("iin"), user)
        r = services.request_mobile(entry, p.get("reason", ""), user)
        return _("Mobile-voting request recorded at station %(s)s.") % {"s": r.station.number}
    if op == "add":
        person = services.Person(**{f: p.get(f, "") for f in
                                    ("iin", "last_name", "first_name", "patronymic", "region",
                                     "locality", "street", "house", "apartment")})
        a = services.add_same_day(election, p.get("station"), person, p.get("reason", ""),
                                  p.get("document_kind", ""), p.get("document_number", ""), user,
                                  p.get("reason_text", ""))
        return _("Added to the list of station %(s)s.") % {"s": a.station.number}
    raise services.VoterError(code=Code.UNKNOWN, field="op", message="unknown operation")

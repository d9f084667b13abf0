"""Observation pages (kk/ru/en under /<lang>/observation/): accreditation decisions, statistics
(and their CSV), observers' copies against the official protocols, the PVT, the badge check and
its PDF, and the offline phone form."""

import csv

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _n
from django.views.decorators.csrf import ensure_csrf_cookie

from sailau import tabledownload
from sailau.accounts import permissions as perm
from sailau.accounts.permissions import NotAllowed
from sailau.elections.models import Commission, Contest, Election
from sailau.errors import Code, NotFound, SailauError
from sailau.i18n import later, page_lang
from sailau.languages.alphabet import alphabetical
from sailau.observation import commitment, phone, pvt, services, statistics
from sailau.observation import models as m
from sailau.observation.compare import compared, name_lines
from sailau.paging import paged

LOGIN_URL = reverse_lazy("observation:login")


def _election(request) -> Election:
    eid = request.GET.get("election")
    e = Election.objects.filter(pk=eid).first() if eid else Election.objects.first()
    if e is None:
        raise NotFound(code=Code.UNKNOWN_ELECTION, field="election", message="no election")
    return e


def index(request):
    e = _election(request)
    stats = statistics.compute(e.id, page_lang())
    return render(request, "observation/index.html", {
        "election": e, "stats": stats, "wording": e.wording(),
        "organisations": m.Organisation.objects.filter(election=e).count(),
        "observers": m.Observer.objects.filter(organisation__election=e).count(),
        "deployed": m.Deployment.objects.filter(station__election=e).values("station").distinct().count(),
        "stations": e.stations.count(),
        "samples": m.PvtSample.objects.filter(election=e).select_related("contest")[:10],
        "commitments": m.PvtCommitment.objects.filter(contest__election=e)
        .select_related("organisation")[:10]})


def organisations(request):
    e = _election(request)
    lang = page_lang()
    orgs = alphabetical(m.Organisation.objects.filter(election=e).select_related("territory")
                        .prefetch_related("accreditations__commission"), lang)
    refused = request.GET.get("status")
    rows = []
    for o in orgs:
        accs = list(o.accreditations.all())
        last = accs[0] if accs else None
        if refused and (last is None or last.status != refused):
            continue
        rows.append({"org": o, "last": last, "history": accs[1:],
                     "observers": o.observers.count()})
    words = e.wording()
    return render(request, "observation/organisations.html", {
        "election": e, "rows": rows, "status": refused or "",
        "statuses": m.Accreditation.STATUSES, "kinds": dict(m.Organisation.KINDS),
        # a referendum's organisations are accredited by its commissions, named as its own
        "referendum": words is not None and words.referendum})


def _filters(request, e: Election) -> dict:
    terr = request.GET.get("territory") or None
    org = request.GET.get("organisation")
    return {"territory": terr, "organisation": int(org) if org and org.isdigit() else None}


def stats_page(request):
    e = _election(request)
    f = _filters(request, e)
    return render(request, "observation/statistics.html", {
        "election": e, "stats": statistics.compute(e.id, page_lang(), **f), "filters": f,
        "territories": Commission.objects.filter(election=e, level=Commission.TERRITORIAL)
        .order_by("number"),
        "orgs": alphabetical(m.Organisation.objects.filter(election=e), page_lang()),
        "query": request.GET.urlencode()})


def stats_csv(request):
    e = _election(request)
    stats = statistics.compute(e.id, page_lang(), **_filters(request, e))
    resp = tabledownload.csv_attachment(f"observation-{e.id}.csv")
    w = csv.writer(resp)
    w.writerow(statistics.CSV_HEADER)
    w.writerows(tabledownload.row(r) for r in statistics.csv_rows(stats))
    return resp


# Copies listed per page: a national night's tens of thousands made a phone's page 40,000 px tall.
COPIES_PER_PAGE = 100


def copies(request):
    e = _election(request)
    status = request.GET.get("status", "different")
    qs = (m.ObserverCopy.objects.filter(station__election=e)
          .select_related("station", "observer__organisation", "contest").order_by("station__number"))
    rows = compared(qs)
    counts = {k: sum(1 for r in rows if r["status"] == k)
              for k in ("equal", "different", "official_missing")}
    if status:
        rows = [r for r in rows if r["status"] == status]
    page, query = paged(request, rows, COPIES_PER_PAGE)
    name_lines(page.object_list, page_lang())  # the lines' names of the rows shown only
    return render(request, "observation/copies.html", {
        "election": e, "rows": page, "page": page, "query": query, "counts": counts,
        "status": status})


def pvt_page(request, sample_id: int):
    sample = get_object_or_404(m.PvtSample.objects.select_related("contest", "election"),
                               pk=sample_id)
    res = pvt.result(sample)
    shares = res["estimate"]["shares"]
    rows = []
    by_key = {c["key"]: c for c in res["comparison"]}
    for key, iv in shares.items():
        rows.append({"key": key, "name": res["names"].get(key, key), **iv,
                     "official": res["official"]["shares"].get(key),
                     "cmp": by_key.get(key)})
    return render(request, "observation/pvt.html", {
        "sample": sample, "res": res, "rows": rows, "turnout": res["estimate"]["turnout"],
        "turnout_cmp": by_key.get("turnout"), "election": sample.election,
        "wording": sample.election.wording()})


def check(request, badge: str):
    obs = m.Observer.objects.select_related("organisation").filter(badge=badge.upper()).first()
    acc = None
    if obs:
        acc = obs.organisation.accreditations.exclude(status=m.Accreditation.PENDING).first()
    return render(request, "observation/check.html", {
        "obs": obs, "badge": badge, "acc": acc,
        "valid": bool(acc and acc.status == m.Accreditation.GRANTED),
        "stations": obs.deployments.select_related("station") if obs else []})


@login_required(login_url=LOGIN_URL)
def badge_pdf(request, badge: str):
    from sailau.observation.badge import BadgeData
    from sailau.observation.badge import render as render_pdf

    obs = get_object_or_404(m.Observer.objects.select_related("organisation__election"),
                            badge=badge.upper())
    if obs.user_id != request.user.pk:
        try:
            services._require_manager(request.user, obs.organisation)
        except NotAllowed:
            raise NotFound(code=Code.NOT_FOUND, field="badge", message="no such badge among yours") from None
    if services.accreditation_status(obs.organisation) != m.Accreditation.GRANTED:
        # A badge is issued for a granted accreditation only: a printed one would mislead.
        raise NotAllowed(message=later(_n("%(org)s is not accredited: no badge is issued"),
                                       org=obs.organisation.name(page_lang())))
    acc = obs.organisation.accreditations.filter(status=m.Accreditation.GRANTED).first()
    lang = page_lang()
    data = BadgeData(
        badge=obs.badge, full_name=obs.full_name, kind=obs.get_kind_display(),
        organisation=obs.organisation.name(lang), election=obs.organisation.election.name(lang),
        accreditation=(f"№ {acc.decision_number}, {acc.decision_date}, {acc.commission.name(lang)}"
                       if acc else _("not accredited")),
        stations=tuple(str(n) for n in obs.deployments.values_list("station__number", flat=True)),
        check_url=request.build_absolute_uri(reverse("observation:check", args=[obs.badge])))
    resp = HttpResponse(render_pdf(data), content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="badge-{obs.badge}.pdf"'
    return resp


@ensure_csrf_cookie
@login_required(login_url=LOGIN_URL)
def phone_form(request):
    """The observer's offline phone app: what it needs is embedded in the page (phone.py);
    reports wait on the phone and sync with their uuid when there is a network. An account that
    is no observer, or whose organisation is not accredited, is told so instead of a form."""
    obs = m.Observer.objects.filter(user=request.user).select_related("organisation").first()
    status = services.accreditation_status(obs.organisation) if obs else None
    accredited = status == m.Accreditation.GRANTED
    return render(request, "observation/form.html", {
        # json_script escapes <, > and & so that no text in the data (a station address, an
        # organisation's name) can close the script element and run as code.
        "obs": obs, "accredited": accredited,
        "status": dict(m.Accreditation.STATUSES).get(status, ""),
        "wording": obs.organisation.election.wording() if obs else None,
        "boot": phone.boot(obs, page_lang()) if accredited else None})


def _commitment(cid: int) -> m.PvtCommitment:
    return get_object_or_404(m.PvtCommitment.objects.select_related(
        "organisation", "contest__election", "sample"), pk=cid)


def pvt_commitment_page(request, commitment_id: int):
    """A PVT commitment: the hash and its time for everyone; the reveal form for the
    organisation's managers; a refused reveal says what differs, in the page's language."""
    c = _commitment(commitment_id)
    error, status, form = None, 200, {}
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), LOGIN_URL)
        form = {"seed": request.POST.get("seed", ""), "stations": request.POST.get("stations", "")}
        try:
            commitment.reveal(request.user, c.pk, form["seed"], form["stations"])
            return HttpResponseRedirect(reverse("observation:pvt_commitment", args=[c.pk]))
        except SailauError as exc:
            error, status = exc.page_text(page_lang()), exc.status
            c = _commitment(commitment_id)
    return render(request, "observation/pvt_commitment.html", {
        "c": c, "info": commitment.summary(c, page_lang()), "election": c.contest.election,
        "error": error, "form": form,
        "may_reveal": c.revealed_at is None and perm.manages(request.user, c.organisation)},
        status=status)


def pvt_commitment_text(request, commitment_id: int):
    """The revealed sample's text, as hashed: `sha256sum` on it gives the committed hash."""
    c = _commitment(commitment_id)
    if c.revealed_at is None:
        raise NotFound(code=Code.NOT_PUBLISHED, message="not revealed yet")
    resp = HttpResponse(commitment.revealed_text(c), content_type="text/plain; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="pvt-commitment-{c.pk}.txt"'
    return resp


@login_required(login_url=LOGIN_URL)
def pvt_commit_page(request):
    """A manager commits the organisation's sample by its hash, before election day."""
    orgs = [o for o in m.Organisation.objects.select_related("election")
            if perm.manages(request.user, o)]
    contests = Contest.objects.filter(election__in={o.election_id for o in orgs}).order_by("id")
    error, status = None, 200
    form = {"organisation": "", "contest": "", "digest": "", "size": "", "method": "stratified"}
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in form}
        try:
            size = int(form["size"]) if form["size"].isdigit() else -1
            org = int(form["organisation"]) if form["organisation"].isdigit() else -1
            c = commitment.commit(request.user, org, form["contest"], form["digest"], size,
                                  form["method"])
            return HttpResponseRedirect(reverse("observation:pvt_commitment", args=[c.pk]))
        except SailauError as exc:
            error, status = exc.page_text(page_lang()), exc.status
    return render(request, "observation/pvt_commit.html", {
        "orgs": orgs, "contests": contests, "form": form, "error": error,
        "methods": m.PvtCommitment.METHODS,
        "election": orgs[0].election if orgs else Election.objects.first()}, status=status)

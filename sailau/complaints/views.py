"""Public register pages, online filing, and the deciding body's staff view."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sailau import clock, filestores
from sailau.accounts import permissions as perm
from sailau.complaints import models as m
from sailau.complaints import public, services
from sailau.complaints.forms import DecisionForm, FilingForm, only_referendums, referendum_choices
from sailau.elections.models import Election, Station
from sailau.errors import Code, Forbidden, StorageUnavailable
from sailau.i18n import AsWritten, page_lang
from sailau.tabledownload import csv_attachment, json_attachment

LOGIN_URL = reverse_lazy("complaints:login")


def _choices(election_id: str | None = None) -> dict:
    """The filters' choices; the register of a referendum (the one chosen, or every election
    the server holds when none is) offers none of a candidate's, and names its own."""
    referendum = only_referendums(election_id)
    pick = referendum_choices if referendum else (lambda _field, choices: list(choices))
    return {"topics": pick("topic", m.TOPICS), "bodies": pick("body", m.BODIES),
            "filer_kinds": pick("filer_kind", m.FILER_KINDS),
            "outcomes": m.OUTCOMES, "statuses": m.STATUSES,
            "elections": Election.objects.all(), "referendum": referendum}


def register(request):
    qs = public.search(request.GET)
    page = Paginator(qs.prefetch_related("attachments", "election__parties"), 50).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "complaints/register.html", {
        "page": page, "total": page.paginator.count, "params": request.GET,
        "query": query.urlencode(), "today": clock.localdate(),
        **_choices(request.GET.get("election"))})


def _records(request) -> list[dict]:
    today = clock.localdate()
    qs = public.search(request.GET).select_related("contests__complaint").prefetch_related(
        "attachments")
    return [public.record(c, today) for c in qs]


def download_csv(request):
    resp = csv_attachment("complaints.csv")
    w = csv.writer(resp)
    w.writerow(public.CSV_COLUMNS)
    for r in _records(request):
        w.writerow(public.csv_row(r))
    return resp


def download_json(request):
    return json_attachment("complaints.json", {"complaints": _records(request)})


def statistics(request):
    qs = public.search(request.GET)
    choices = _choices(request.GET.get("election"))
    stats = public.statistics(qs, choices={"topic": choices["topics"], "body": choices["bodies"],
                                           "filer_kind": choices["filer_kinds"]})
    # The repeated complaints' table names each topic (a referendum's in its words) and each
    # election by name, not by its id; `choices["topics"]` is the filter's list of pairs.
    topic_names = {**dict(m.TOPICS), **dict(choices["topics"])}
    election_names = {e.id: e.name() for e in choices["elections"]}
    # A place is grouped by its Kazakh spelling and shown in the page's language; a target
    # named by no station is shown as the filer wrote it.
    lang, rows = page_lang(), public.repeated()
    stations = Station.objects.in_bulk({r["station"] for r in rows if r["station"]})
    repeated = [{**r, "topic": topic_names.get(r["topic"], r["topic"]),
                 "place": stations[r["station"]].located(lang) if r["station"]
                 else AsWritten(r["place"]),
                 "elections": [election_names.get(e, e) for e in r["elections"]]}
                for r in rows]
    # The repeats are over every vote the server holds, whichever one the filters chose: a
    # server of referendums alone speaks of referendums there.
    return render(request, "complaints/statistics.html", {
        "stats": stats, "repeated": repeated, "params": request.GET, **choices,
        "across_referendums": only_referendums()})


def _with_attachments(chain, user):
    """The case's chain, each complaint marked with whether this visitor may open its files."""
    for _depth, c in chain:
        c.attachments_open = public.attachments_open(c, user)
    return chain


def case(request, receipt: str):
    c = get_object_or_404(m.Complaint, receipt=receipt)
    chain = _with_attachments(services.case_chain(c), request.user)
    return render(request, "complaints/case.html", {
        "complaint": c, "chain": chain, "today": clock.localdate(),
        "decides": services.decider_name(c),
        "filed": request.GET.get("filed"), "duplicate": request.GET.get("duplicate")})


def attachment(request, pk: int):
    """An attached file, where this visitor may open it (`public.attachments_open`): from the
    application on the local disk, by a short-lived pre-signed redirect on object storage."""
    att = get_object_or_404(m.Attachment.objects.select_related("complaint"), pk=pk)
    if not public.attachments_open(att.complaint, request.user):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), LOGIN_URL)
        raise Forbidden(code=Code.NOT_ALLOWED, message="only the filer and the deciding body open a private filer's files")
    return filestores.serve(att.file, att.content_type, att.name, attachment=True)


def _put_back(form, errors: dict) -> None:
    """The service's errors on the form's fields (an attachment's "attachments[1]" on its
    field), each once: a field the form itself found empty already says "This field is
    required." in the same words, and the page showed it twice."""
    for field, msg in errors.items():
        name = field.split("[")[0]
        name = name if name in form.fields else None
        if msg not in form.errors.get(name or NON_FIELD_ERRORS, []):
            form.add_error(name, msg)


def _uploads(request) -> list[services.Upload]:
    return [services.Upload(f.name, f.read()) for f in request.FILES.getlist("attachments")]


@login_required(login_url=LOGIN_URL)
def file(request):
    """Filing online: the receipt number and the deadline are shown at once on the case page."""
    status, decides = 200, None
    if request.method == "POST" and request.POST.get("action") == "route":
        # "Who will decide it?": the form again, filled in, with the answer; nothing is filed.
        form = FilingForm(request.POST)
        decides, errors = services.route(request.POST.dict())
        for field, msg in errors.items():
            form.add_error(field if field in form.fields else None, msg)
    elif request.method == "POST":
        form = FilingForm(request.POST, request.FILES)
        data = {k: request.POST.get(k, "") for k in FilingForm.base_fields if k != "attachments"}
        try:
            c, created = services.file_complaint(data, _uploads(request), user=request.user)
        except services.ComplaintInputError as exc:
            form.is_valid()  # so that the form can carry errors
            _put_back(form, exc.errors)
        except StorageUnavailable as exc:  # nothing filed: the form again, with why
            form.is_valid()
            form.add_error(None, exc.page_text(page_lang()))
            status = exc.status
        else:
            flag = "filed" if created else "duplicate"
            return redirect(reverse("complaints:case", args=[c.receipt]) + f"?{flag}=1")
    else:
        u = request.user
        form = FilingForm(initial={"filer_name": u.get_full_name() or u.get_username(),
                                   "filer_contact": u.email})
    return render(request, "complaints/file.html", {"form": form, "decides": decides},
                  status=status)


@require_GET
def route(request):
    """Who would decide a complaint with the fields in the query (the filing form asks as they
    change): {"decides": name in the page's language} or {"decides": null, "errors": {...}}."""
    decides, errors = services.route(request.GET.dict())
    return JsonResponse({"decides": decides, "errors": errors})


def _overseen(user) -> set[str]:
    """The elections whose complaints the user follows as their CEC administrator."""
    return {g.election_id for g in perm.grants(user) if g.kind == perm.AD}


@login_required(login_url=LOGIN_URL)
def staff(request):
    """The body's work list: its open complaints, the most urgent first, overdue ones flagged.
    A deciding body sees only the complaints filed with it (its role's scope); a CEC
    administrator sees every open complaint of its election, to follow the terms, and decides
    none it is not the body of."""
    overseen = _overseen(request.user)
    if not perm.is_decider(request.user) and not overseen:
        raise Forbidden(code=Code.NOT_ALLOWED, message="no complaint-deciding body or CEC administrator role")
    qs = (public.search(request.GET)
          .filter(perm.decidable(request.user) | Q(election_id__in=overseen),
                  decision__isnull=True)
          .select_related("assigned_to", "body_commission").order_by("due_date", "filed_at"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for c in page:  # a private filer's name is for the deciding body only
        c.mine = perm.may_decide(request.user, c)
    return render(request, "complaints/staff.html", {"page": page, "today": clock.localdate(),
                                                     "params": request.GET, **_choices(request.GET.get("election"))})


@login_required(login_url=LOGIN_URL)
def staff_case(request, receipt: str):
    c = get_object_or_404(m.Complaint, receipt=receipt)
    decides = perm.may_decide(request.user, c)
    if not decides and c.election_id not in _overseen(request.user):
        raise Forbidden(code=Code.NOT_ALLOWED, message=f"not the body deciding {c.receipt}")
    if request.method == "POST" and not decides:  # the administrator reads; the body decides
        raise Forbidden(code=Code.NOT_ALLOWED, message=f"not the body deciding {c.receipt}")
    form = DecisionForm(initial={"decided_on": clock.localdate()}, complaint=c)
    status = 200  # the form again with its errors; 409 when someone else decided meanwhile
    if request.method == "POST" and request.POST.get("action") == "assign":
        services.assign(c, request.user)
        messages.success(request, _("Assigned to you."))
        return redirect("complaints:staff_case", receipt=receipt)
    if request.method == "POST" and request.POST.get("action") == "decide":
        form = DecisionForm(request.POST, complaint=c)
        try:
            services.decide(c, request.POST.dict(), user=request.user)
        except services.ComplaintInputError as exc:
            form.is_valid()
            _put_back(form, exc.errors)
            status = 409 if isinstance(exc, services.ComplaintConflict) else 200
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("complaints:case", receipt=receipt)
    return render(request, "complaints/staff_case.html", {
        "complaint": c, "form": form, "today": clock.localdate(), "decides": decides,
        "decider": services.decider_name(c),
        "chain": _with_attachments(services.case_chain(c), request.user)}, status=status)



"""The accreditation workflow as pages: an organisation applies with the observers it proposes
(`apply/`), the deciding commission's staff grant or refuse with reasons (`queue/`), and the
organisation's managers see their applications and, once granted, their observers' badges.
Every write goes through `services` (role checks, audit record); a refusal is shown on the page
that was filled, naming the field, in the page's language, with what was typed kept."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_noop as _

from sailau import clock, languages
from sailau.accounts import permissions as perm
from sailau.elections.models import Commission, Election
from sailau.errors import SailauError
from sailau.i18n import later, page_lang
from sailau.languages import ENGLISH, KAZAKH, RUSSIAN, column
from sailau.observation import models as m
from sailau.observation import services
from sailau.observation.errors import ObservationError
from sailau.observation.views import LOGIN_URL
from sailau.paging import paged

# The languages of the application form's first name fields (name_kk, name_ru, name_en).
FORM_LANGUAGES = (KAZAKH, RUSSIAN, ENGLISH)

BLANK_ROWS = 5  # empty observer rows on a new application; more rows come back after a refusal


def _observer_rows(post) -> list[tuple[str, str]]:
    """The (kind, name) rows typed on the application; rows left empty are not observers."""
    kinds, names = post.getlist("observer_kind"), post.getlist("observer_name")
    return [(k, n) for k, n in zip(kinds, names) if n.strip()]


@login_required(login_url=LOGIN_URL)
def apply_page(request):
    elections = list(Election.objects.order_by("-date"))
    # a written language after the three the form was made with has a field of its own,
    # `name_<code>`, labelled with the language's own name (`languages.NAMES`)
    more = [(column("name", lang), lang, languages.NAMES[lang])
            for lang in languages.WRITTEN if lang not in FORM_LANGUAGES]
    fields = ("election", "kind", "name_kk", "name_ru", "name_en",
              *(field for field, _lang, _label in more), "territory", "contact")
    form = {k: "" for k in fields}
    form["election"] = request.GET.get("election") or (elections[0].pk if elections else "")
    rows: list[tuple[str, str]] = []
    error, status = None, 200
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in fields}
        rows = _observer_rows(request.POST)
        try:
            acc = services.apply(request.user, form["election"], form["kind"], form["name_kk"],
                                 name_ru=form["name_ru"], name_en=form["name_en"],
                                 names={lang: form[field] for field, lang, _label in more}
                                 or None,
                                 territory_id=form["territory"] or None, contact=form["contact"],
                                 observers=rows)
            return HttpResponseRedirect(reverse("observation:queue") + f"?applied={acc.pk}")
        except SailauError as exc:
            error, status = exc.page_text(page_lang()), exc.status
    election = next((e for e in elections if e.pk == form["election"]), None)
    territories = (Commission.objects.filter(election=election, level=Commission.TERRITORIAL)
                   .order_by("number") if election else [])
    return render(request, "observation/apply.html", {
        "form": form, "elections": elections, "election": election, "territories": territories,
        "kinds": m.Organisation.KINDS, "observer_kinds": m.Observer.KINDS,
        "rows": rows + [("", "")] * BLANK_ROWS, "error": error,
        "more_names": [(field, label, form[field]) for field, _lang, label in more]},
        status=status)


def _decision_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ObservationError(field="decision_date",
                               message=later(_("a date (YYYY-MM-DD)"))) from None


# Observers listed per page of an organisation: a national organisation's thousands made its
# manager's page tens of thousands of pixels tall on a phone.
OBSERVERS_PER_PAGE = 100


def _managed(request) -> list[dict]:
    """The organisations the user manages, each with its latest decision and the page of its
    observers the request asks for (`?page=N`: the same page of each, as a manager has one
    organisation as a rule)."""
    orgs = [g.organisation_id for g in perm.grants(request.user) if g.kind == perm.MANAGER]
    out = []
    for org in (m.Organisation.objects.filter(pk__in=orgs).select_related("election")
                .prefetch_related("accreditations__commission")):
        status = services.accreditation_status(org)
        page, query = paged(request, org.observers.order_by("full_name", "pk"), OBSERVERS_PER_PAGE)
        out.append({"org": org, "accreditations": list(org.accreditations.all()),
                    "status": status, "granted": status == m.Accreditation.GRANTED,
                    "observers": page, "query": query})
    return out


@login_required(login_url=LOGIN_URL)
def queue_page(request, accreditation_id: int | None = None):
    """GET: the queue. POST to queue/ID/: the commission's decision on one application."""
    errors, status, typed = {}, 200, {}
    if request.method == "POST" and accreditation_id is not None:
        if not services.decides_any(request.user):  # before reading what was sent
            raise perm.NotAllowed(
                message=later(_("%(user)s is not a coordinator or administrator of "
                                "a commission that accredits observers"),
                              user=perm.username(request.user)))
        typed = {k: request.POST.get(k, "") for k in
                 ("status", "decision_number", "decision_date", "reasons")}
        try:
            services.decide(request.user, accreditation_id, typed["status"],
                            typed["decision_number"], _decision_date(typed["decision_date"]),
                            typed["reasons"])
            return HttpResponseRedirect(reverse("observation:queue")
                                        + f"?decided={accreditation_id}")
        except SailauError as exc:
            errors[accreditation_id], status = exc.page_text(page_lang()), exc.status
    pending = services.decision_queue(request.user)
    for acc in pending:
        acc.proposed = list(acc.organisation.observers.all())
        acc.error = errors.get(acc.pk)
        acc.typed = typed if acc.pk == accreditation_id else {}
    refused_elsewhere = errors and accreditation_id not in {a.pk for a in pending}
    return render(request, "observation/queue.html", {
        "pending": pending, "decides": services.decides_any(request.user),
        "managed": _managed(request), "today": clock.localdate().isoformat(),
        "applied": request.GET.get("applied"), "decided": request.GET.get("decided"),
        "error": next(iter(errors.values())) if refused_elsewhere else None,
        "election": Election.objects.order_by("-date").first()}, status=status)

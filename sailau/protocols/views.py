"""Operator pages: the work list, the entry form (first and second entry), the coordinator's
comparison of differing entries, and the amendment form.

Every write goes through `services`, so the pages check exactly what the API checks (role,
state machine, control relations); these views only turn forms into calls and errors into
messages next to the fields they name."""

from functools import wraps

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from sailau.accounts import permissions as perm
from sailau.elections.models import Choice, Commission, Contest, Station
from sailau.errors import BadInput, NotFound, SailauError
from sailau.i18n import page_lang
from sailau.languages import Text, pick
from sailau.law import kinds
from sailau.protocols import content, highlight, services
from sailau.protocols.catalog import Catalog
from sailau.protocols.entry import RESOLUTIONS, State
from sailau.protocols.errors import REFUSALS, UNREAD_SUMMARY, EntryRejected, unreadable_fields
from sailau.protocols.models import AwaitingSignature, DataEntry, Protocol

LOGIN_URL = reverse_lazy("entry:login")
PAGE = 50

STATE_LABELS = {  # what each state means to an operator (translated when shown)
    State.EMPTY: gettext_noop("not started"),
    State.FIRST_IN_PROGRESS: gettext_noop("first entry being typed"),
    State.FIRST_FINALISED: gettext_noop("waiting for the second entry"),
    State.SECOND_IN_PROGRESS: gettext_noop("second entry being typed"),
    State.DIFFERENT: gettext_noop("entries differ: coordinator"),
    State.FIRST_RETURNED: gettext_noop("first entry returned for correction"),
    State.SECOND_RETURNED: gettext_noop("second entry returned for correction"),
    State.DEFINITIVE: gettext_noop("definitive"),
}


def state_label(state: str) -> str:
    # Looked up at render time so that it follows the page's language.
    return _(STATE_LABELS.get(state, state))


def _refusal(info, exc: SailauError, values: dict | None = None) -> tuple[list, dict, str]:
    """What the form shows when the chain refuses a protocol: the findings beside their
    lines, every field that could not be read (`values`: what was posted), and the message
    (in the page's language: the chain's own message is English naming ids, for logs and the
    API's English)."""
    message = exc.text(page_lang())
    if isinstance(exc, EntryRejected):
        found = _explanations(info, exc.detail.get("findings", []))
        # The alert names the findings' codes (F101, W203: the same on every language's form),
        # so that a screen reader hears at once which checks failed, not only that some did.
        codes = list(dict.fromkeys(f["code"] for f in found))
        return found, {}, f"{message}: {', '.join(codes)}" if codes else message
    if isinstance(exc, BadInput):
        fields = {f"figures.{ln.key}": ln.required for ln in info.form.lines}
        fields.update({f"choices.{k}": True for k, _label in _choice_rows(info)})
        unread = unreadable_fields(fields, values or {}, page_lang())
        if not unread:
            return [], {exc.field: message}, message
        summary = BadInput(field=exc.field, message=Text.of(UNREAD_SUMMARY).format(n=len(unread)))
        return [], unread, summary.text(page_lang())
    return [], {}, message


class Login(LoginView):
    template_name = "protocols/login.html"

    def get_default_redirect_url(self):
        return reverse("entry:home")


@require_POST
def logout_view(request):
    logout(request)
    return redirect("entry:login")


def page(view):
    """Log in first; a refusal of the service layer becomes a page saying why (403/404), in
    the page's language and without the ids the English message names (`page_text`)."""
    @login_required(login_url=LOGIN_URL)
    @wraps(view)
    def run(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (perm.NotAllowed, NotFound) as exc:
            return render(request, "protocols/refused.html", {
                "message": exc.page_text(page_lang()), "not_found": exc.status == 404,
                "role_missing": isinstance(exc, perm.NotAllowed)},
                status=exc.status)
    return run


# -- the work list --------------------------------------------------------------------------
def _stations_for(user):
    """Stations covered by the user's roles, and whether the user coordinates any of them."""
    q, any_grant = None, False
    for g in perm.grants(user):
        any_grant = True
        if g.level == Commission.CEC:
            part = Q(election_id=g.election_id)
        else:
            part = (Q(commission_id=g.commission_id) | Q(district_id=g.commission_id)
                    | Q(territory_id=g.commission_id) | Q(smd_id=g.commission_id)
                    | Q(territorial_smd_id=g.commission_id) | Q(district_smd_id=g.commission_id))
        q = part if q is None else q | part
    if not any_grant:
        return Station.objects.none()
    return Station.objects.filter(q).order_by("number")


@page
def home(request):
    from sailau.protocols import own_keys

    user = request.user
    stations = _stations_for(user)
    number = (request.GET.get("station") or "").strip()
    if number:
        stations = stations.filter(number=number) if number.isdigit() else stations.none()
    coordinates = any(g.kind in (perm.CO, perm.AD) for g in perm.grants(user))
    page = Paginator(stations, PAGE).get_page(request.GET.get("page"))
    ids = [s.id for s in page]
    catalog = Catalog()
    # Which contests each station votes in: the national ones and its single-member district.
    by_election = {}
    for c in Contest.objects.filter(election_id__in={s.election_id for s in page}):
        by_election.setdefault(c.election_id, []).append(c)
    states = {(e.station_id, e.contest_id): e for e in
              DataEntry.objects.filter(station_id__in=ids)}
    # (station, contest) -> the commission above that typed it from the paper, or ""
    waiting = {(s, c): by for s, c, by in AwaitingSignature.objects.filter(
        station_id__in=ids).values_list("station_id", "contest_id", "typed_by")}
    rows = []
    for s in page:
        # The station's turnout through the day (sailau.turnout), on its first row.
        turnout = perm.allowed(user, perm.TURNOUT, s)
        for c in by_election.get(s.election_id, []):
            try:
                catalog.pair(s.id, c.id)
            except REFUSALS:
                continue
            e = states.get((s.id, c.id))
            state = e.state if e else State.EMPTY
            rows.append({"station": s, "contest": c, "state": state, "turnout": turnout,
                         "state_label": (_("Definitive, awaiting the commission's signature")
                                         if (s.id, c.id) in waiting else state_label(state)),
                         "next": (_("Sign the protocol"), reverse("entry:sign",
                                                                  args=[s.id, c.id]))
                         if (s.id, c.id) in waiting and (
                             own_keys.member_of(user, s.commission_id)
                             or (waiting[(s.id, c.id)]
                                 and own_keys.member_of(user, waiting[(s.id, c.id)])))
                         else _next_step(user, s, c.id, e)})
            turnout = False
    to_resolve = []
    if coordinates:
        to_resolve = list(DataEntry.objects.filter(state=State.DIFFERENT,
                                                   station__in=_stations_for(user))
                          .select_related("station", "contest").order_by("station__number")[:100])
    return render(request, "protocols/home.html", {
        "rows": rows, "page": page, "coordinates": coordinates, "to_resolve": to_resolve,
        # The kind's own words when every listed contest is of one kind that has them (a
        # referendum's question, its participation), else the words of an election.
        "wording": (words := kinds.wording(r["contest"].kind for r in rows)),
        "contest_heading": pick(words.contest, page_lang()) if words and words.contest
        else _("Contest"),
        "number": number, **own_keys.home_keys(user)})


def _next_step(user, station, contest_id, e) -> tuple[str, str] | None:
    """The link an operator most likely wants for this protocol: (label, url)."""
    state = e.state if e else State.EMPTY
    uid = user.pk
    can_enter = perm.allowed(user, perm.ENTER, station)
    args = [station.id, contest_id]
    if state == State.DEFINITIVE:
        if perm.allowed(user, perm.AMEND, station):
            return _("Amend"), reverse("entry:amend", args=args)
        return None
    if state == State.DIFFERENT:
        if perm.allowed(user, perm.RESOLVE, station):
            return _("Compare and resolve"), reverse("entry:resolve", args=args)
        return None
    if not can_enter:
        return None
    if state == State.FIRST_RETURNED:
        if e.first_user_id == uid:
            return _("Correct the first entry"), reverse("entry:form", args=[*args, 1])
        return None
    if state == State.SECOND_RETURNED:
        if e.second_user_id == uid:
            return _("Correct the second entry"), reverse("entry:form", args=[*args, 2])
        return None
    if state in (State.EMPTY, State.FIRST_IN_PROGRESS):
        if state == State.EMPTY or e.first_user_id == uid:
            return _("Type the first entry"), reverse("entry:form", args=[*args, 1])
        return None
    if e.first_user_id == uid:
        return None  # the second entry needs someone else
    if state == State.FIRST_FINALISED or e.second_user_id == uid:
        return _("Type the second entry"), reverse("entry:form", args=[*args, 2])
    return None


# -- the entry form -------------------------------------------------------------------------
def _choice_rows(info) -> list[tuple[str, str]]:
    names = {c.key: c.name() for c in Choice.objects.filter(contest=info.contest)}
    keys = list(info.choice_keys) + (["against_all"] if info.form.against_all else [])
    return [(k, names.get(k) or (_("Against all") if k == "against_all" else k)) for k in keys]


def _explanations(info, findings) -> list[dict]:
    """Findings as the page shows them: code, the numbers, and the plain explanation."""
    lang = page_lang()
    out = []
    for f in findings:
        f = f if isinstance(f, dict) else f.to_json()
        try:
            relation = info.form.relation(f["code"])
        except KeyError:
            explanation, light = "", []
        else:
            explanation, light = pick(relation.explanation, lang), list(relation.votes)
        out.append({**f, "text": pick(f["message"], lang),
                    "explanation": explanation, "light": light})
    return out


def _form_rows(info, values: dict, findings: list[dict], field_error: dict) -> dict:
    lang = page_lang()
    figures, choices = values.get("figures", {}), values.get("choices", {})
    # Each finding lights the lines it relates (the likely slip when several fail together)
    # and is written once, under the last of them (highlight.place).
    lit, at = highlight.place(findings, [ln.key for ln in info.form.lines])
    lines = [{"name": f"figures.{ln.key}", "key": ln.key, "number": ln.number,
              "label": pick(ln.label, lang), "required": ln.required,
              "value": "" if figures.get(ln.key) is None else figures.get(ln.key),
              "lit": lit.get(ln.key, []), "findings": at.get(ln.key, []),
              "error": field_error.get(f"figures.{ln.key}")} for ln in info.form.lines]
    choice_rows = [{"name": f"choices.{k}", "key": k, "label": label,
                    "value": "" if choices.get(k) is None else choices.get(k),
                    "lit": lit.get(highlight.CHOICES, []),
                    "error": field_error.get(f"choices.{k}")}
                   for k, label in _choice_rows(info)]
    return {"lines": lines, "choices": choice_rows,
            "choice_findings": at.get(highlight.CHOICES, [])}


def _posted(request, info) -> dict:
    figures = {ln.key: request.POST.get(f"figures.{ln.key}", "").strip()
               for ln in info.form.lines}
    figures = {k: v for k, v in figures.items() if v != ""}
    keys = list(info.choice_keys) + (["against_all"] if info.form.against_all else [])
    choices = {k: request.POST.get(f"choices.{k}", "").strip() for k in keys}
    return {"figures": figures, "choices": choices}


def _context(request, station_id, contest_id):
    catalog = Catalog()
    station, info = catalog.pair(station_id, contest_id)
    return station, info


@page
def entry_form(request, station_id, contest_id, n):
    station, info = _context(request, station_id, contest_id)
    user = request.user
    perm.require(user, perm.ENTER, station)  # the service checks again on every write
    view = services.entry_view(user, station_id, contest_id)
    first = view["first"] or {}
    if n == 2 and first.get("user") == user.pk:
        # Refused when the form opens, not after the whole protocol has been typed again.
        return render(request, "protocols/refused.html", {
            "message": _("You typed the first entry of this protocol: the second entry must be "
                         "typed by another operator, from the paper protocol.")}, status=403)
    mine = view["first" if n == 1 else "second"]
    values = mine if mine and mine.get("figures") is not None else {}
    findings, field_error, problem, acknowledged = [], {}, None, set()
    if request.method == "POST":
        values = _posted(request, info)
        acknowledged = set(request.POST.getlist("ack"))
        try:
            result = services.finalise(user, station_id, contest_id, n, values["figures"],
                                       values["choices"], sorted(acknowledged))
        except REFUSALS as exc:
            findings, field_error, problem = _refusal(info, exc, values)
        else:
            return redirect(reverse("entry:done", args=[station_id, contest_id, n])
                            + f"?event={result.event}")
    elif mine:
        try:  # show what the saved draft already breaks
            *_rest, found = content.check(info, station, values.get("figures", {}),
                                      values.get("choices", {}))
            findings = _explanations(info, found)
        except REFUSALS:
            pass
    return render(request, "protocols/entry.html", {
        "station": station, "contest": info.contest, "n": n, "view": view,
        "wording": info.contest.contest_kind.wording,
        "state_label": state_label(view["state"]), "problem": problem,
        "acknowledged": acknowledged, "findings": findings,
        "warnings": [f for f in findings if f["severity"] == "warning"],
        "draft_url": f"/api/protocols/{station_id}/{contest_id}/entry/{n}",
        "explanations": {r.code: pick(r.explanation, page_lang())
                         for r in info.form.relations},
        # What each relation lights when the page's script shows it (protocols.highlight).
        "lights": {r.code: list(r.votes) for r in info.form.relations if r.votes},
        **_form_rows(info, values, findings, field_error)},
        status=422 if problem else 200)


@page
def entry_done(request, station_id, contest_id, n):
    station, info = _context(request, station_id, contest_id)
    view = services.entry_view(request.user, station_id, contest_id)
    return render(request, "protocols/done.html", {
        "station": station, "contest": info.contest, "n": n, "view": view,
        "event": request.GET.get("event", ""), "state_label": state_label(view["state"])})


# -- the coordinator's comparison -----------------------------------------------------------
@page
def resolve(request, station_id, contest_id):
    station, info = _context(request, station_id, contest_id)
    user = request.user
    perm.require(user, perm.RESOLVE, station)
    problem = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            result = services.resolve(user, station_id, contest_id, action)
        except REFUSALS as exc:
            problem = exc.text(page_lang())
        else:
            return redirect(reverse("entry:home") + f"?resolved={station.number}&"
                            f"event={result.event}")
    view = services.entry_view(user, station_id, contest_id)
    rows = []
    first, second = view["first"] or {}, view["second"] or {}
    differing = set(view["differences"])
    form = _form_rows(info, {}, [], {})
    for part, items in (("figures", form["lines"]), ("choices", form["choices"])):
        for r in items:
            path = f"{part}.{r['key']}"
            rows.append({"path": path, "number": r.get("number", ""), "label": r["label"],
                         "first": (first.get(part) or {}).get(r["key"]),
                         "second": (second.get(part) or {}).get(r["key"]),
                         "differs": path in differing})
    users = _usernames([first.get("user"), second.get("user")])
    return render(request, "protocols/resolve.html", {
        "station": station, "contest": info.contest, "view": view, "rows": rows,
        "differing": len(differing), "problem": problem, "actions": RESOLUTIONS,
        "first_user": users.get(first.get("user"), ""),
        "second_user": users.get(second.get("user"), ""),
        "state_label": state_label(view["state"])}, status=422 if problem else 200)


def _usernames(ids) -> dict:
    from django.contrib.auth import get_user_model

    return dict(get_user_model().objects.filter(pk__in=[i for i in ids if i])
                .values_list("pk", "username"))


# -- amendments -----------------------------------------------------------------------------
@page
def amend(request, station_id, contest_id):
    station, info = _context(request, station_id, contest_id)
    user = request.user
    perm.require(user, perm.AMEND, station)
    current = Protocol.objects.current().of(station_id, contest_id).first()
    values = {"figures": current.figures, "choices": current.choices} if current else {}
    decision = {"decision_number": "", "decision_date": "", "reason": ""}
    findings, field_error, problem, acknowledged = [], {}, None, set()
    if request.method == "POST":
        values = _posted(request, info)
        decision = {k: request.POST.get(k, "").strip() for k in decision}
        acknowledged = set(request.POST.getlist("ack"))
        try:
            result = services.amend(user, station_id, contest_id, values["figures"],
                                    values["choices"], decision["decision_number"],
                                    decision["decision_date"], decision["reason"],
                                    sorted(acknowledged))
        except REFUSALS as exc:
            findings, field_error, problem = _refusal(info, exc, values)
        else:
            return redirect(reverse("entry:home") + f"?amended={station.number}&"
                            f"changes={len(result.differences)}")
    versions = list(Protocol.objects.filter(station_id=station_id, contest_id=contest_id)
                    .select_related("amendment").order_by("version"))
    return render(request, "protocols/amend.html", {
        "station": station, "contest": info.contest, "current": current, "versions": versions,
        "decision": decision, "problem": problem, "field_error": field_error,
        "acknowledged": acknowledged, "findings": findings,
        "warnings": [f for f in findings if f["severity"] == "warning"],
        **_form_rows(info, values, findings, field_error)}, status=422 if problem else 200)

"""The precinct commission's page of turnout through election day: the station's reports so
far and a form for the next one, at /<lang>/entry/turnout/<station>/.

Every report goes through `services.report`, so the page checks exactly what the API checks;
this view only reads the form and puts a refusal next to the field it names, in the page's
language. A field that is not a number is refused here, before the service is asked, by the
same error model (`BadInput`)."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_noop

from sailau.accounts import permissions as perm
from sailau.errors import MESSAGES, BadInput, Code, NotFound, SailauError
from sailau.i18n import later, page_lang
from sailau.languages import pick
from sailau.law import figures, turnout_hours
from sailau.protocols.catalog import Catalog
from sailau.protocols.views import page
from sailau.turnout import services
from sailau.turnout.models import TurnoutReport

ISSUED_FORMAT = gettext_noop("Type the number of voters who have received ballots so far: a "
                             "whole number from 0 to %(max)s.")
MAX_DIGITS = 7  # MAX_ISSUED has seven digits: longer input is refused before it is read


def _hour(typed: str) -> int:
    if not (typed.isascii() and typed.isdigit() and len(typed) <= 2
            and turnout_hours.is_hour(int(typed))):
        raise BadInput(code=Code.TURNOUT_HOUR, field="hour")
    return int(typed)


def _issued(typed: str) -> int:
    typed = typed.replace(" ", "").replace("\u202f", "").replace("\u00a0", "")
    if not (typed.isascii() and typed.isdigit() and len(typed) <= MAX_DIGITS
            and int(typed) <= services.MAX_ISSUED):
        raise BadInput(field="issued", message=later(
            ISSUED_FORMAT, max=f"{services.MAX_ISSUED:,}".replace(",", "\u202f")))
    return int(typed)


@page
def station(request, station_id: str):
    s = Catalog().station(station_id)
    user = request.user
    perm.require(user, perm.TURNOUT, s)  # the service checks again on every report
    lang = page_lang()
    errors, typed, status = {}, {"hour": "", "issued": ""}, 200
    if request.method == "POST":
        typed = {k: request.POST.get(k, "").strip()[:40] for k in typed}
        parsed = {}
        for key, read in (("hour", _hour), ("issued", _issued)):
            try:
                parsed[key] = read(typed[key])
            except BadInput as exc:
                errors[key], status = exc.page_text(lang), exc.status
        if not errors:
            try:
                services.report(user, s.id, parsed["hour"], parsed["issued"])
            except (perm.NotAllowed, NotFound):
                raise
            except SailauError as exc:
                errors[exc.field or "issued"], status = exc.page_text(lang), exc.status
            else:
                return redirect(reverse("turnout:station", args=[s.id])
                                + f"?reported={parsed['hour']}")
    reports = list(TurnoutReport.objects.filter(station=s).order_by("hour"))
    done = {r.hour for r in reports}
    open_hours = [h for h in turnout_hours.HOURS if h not in done]
    closed = services.closed(s.id)
    # The hour offered first: the one after the last reported (the day goes on), else the first.
    after = [h for h in open_hours if h > max(done, default=0)]
    chosen = typed["hour"] or str((after or open_hours or [""])[0])
    reported = request.GET.get("reported", "")
    return render(request, "turnout/station.html", {
        "station": s, "wording": s.election.wording(), "reports": [{"hour": f"{r.hour}:00", "issued": r.issued,
                                   "share": figures.percent_of_list(r.issued, s.registered),
                                   "at": r.reported_at} for r in reports],
        "hours": [(str(h), f"{h}:00") for h in open_hours], "chosen": chosen,
        "closed": pick(MESSAGES[Code.TURNOUT_CLOSED], lang) if closed else "",
        "typed": typed, "errors": errors,
        "reported": f"{reported}:00" if reported.isdigit() and int(reported) in done else ""},
        status=status)

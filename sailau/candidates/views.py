"""Public pages of nomination and registration (per election, per contest, per nomination, the
refusals and deregistrations) and the downloads."""

import csv

from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from sailau.candidates import public
from sailau.candidates.models import PERSON, Nomination
from sailau.elections.models import Contest, Election


def _lang() -> str:
    lang = (get_language() or "kk")[:2]
    return lang if lang in ("kk", "ru", "en") else "kk"


def _name(obj, lang: str) -> str:
    return getattr(obj, f"name_{lang}", "") or obj.name_kk


def index(request, election_id: str):
    election = get_object_or_404(Election, id=election_id)
    lang = _lang()
    counts = {row["contest_id"]: row for row in Nomination.objects.filter(
        election=election, kind=PERSON).values("contest_id").annotate(
        nominated=Count("id"), registered=Count("id", filter=Q(status="registered")))}
    contests = [{"c": c, "name": _name(c, lang), **counts[c.id]}
                for c in Contest.objects.filter(election=election, id__in=counts)
                .order_by("kind", "id")]
    summary = public.summary(election)
    return render(request, "candidates/index.html", {
        "election": election, "summary": summary, "contests": contests,
        "statuses": [(v[lang], summary["status"][k]) for k, v in public.STATUSES.items()
                     if summary["status"][k]]})


def contest(request, election_id: str, contest_id: str):
    election = get_object_or_404(Election, id=election_id)
    c = get_object_or_404(Contest, election=election, id=contest_id)
    lang = _lang()
    return render(request, "candidates/contest.html", {
        "election": election, "contest": c, "name": _name(c, lang),
        "data": public.contest(c, lang)})


def nomination(request, election_id: str, key: str):
    election = get_object_or_404(Election, id=election_id)
    n = get_object_or_404(Nomination.objects.select_related("contest", "party", "candidate"),
                          election=election, key=key)
    lang = _lang()
    refund = public.refund(n)
    return render(request, "candidates/nomination.html", {
        "election": election, "n": n, "contest_name": _name(n.contest, lang),
        "party": public._party(n, lang), "status": public.STATUSES[n.status][lang],
        "history": public.history(n, lang), "findings": public.finding_texts(n.findings, lang),
        "refund": public.REFUNDS[refund][lang] if refund else "",
        "finance": n.candidate_id if n.candidate_id and n.candidate.finance_entries.exists()
        else None,
        "members": n.kind != PERSON and Nomination.objects.filter(
            contest=n.contest, party=n.party, kind=PERSON).order_by("list_position")})


def refusals(request, election_id: str):
    election = get_object_or_404(Election, id=election_id)
    lang = _lang()
    summary = public.summary(election)
    reasons = [{"what": public.STATUSES[d][lang], "reason": public.REASONS[r][lang], "n": n}
               for d in public.NEGATIVE for r, n in sorted(
                   summary["decisions"].get(d, {}).items(), key=lambda kv: -kv[1])]
    return render(request, "candidates/refusals.html", {
        "election": election, "summary": summary, "reasons": reasons,
        "rows": public.negative(election, lang)})


def download(request, election_id: str, fmt: str):
    election = get_object_or_404(Election, id=election_id)
    rows = public.records(election)
    if fmt == "csv":
        resp = HttpResponse(content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = f'attachment; filename="candidates-{election.id}.csv"'
        w = csv.DictWriter(resp, fieldnames=public.FIELDS)
        w.writeheader()
        w.writerows(rows)
        return resp
    if fmt != "json":
        raise Http404("csv or json")
    summary = public.summary(election)
    resp = JsonResponse({"election": election.id,
                         "summary": {**summary, "status": dict(summary["status"])},
                         "nominations": rows}, json_dumps_params={"ensure_ascii": False})
    resp["Content-Disposition"] = f'attachment; filename="candidates-{election.id}.json"'
    return resp

"""Public pages of nomination and registration (per election, per contest, per nomination, the
refusals and deregistrations) and the downloads."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from sailau.candidates import public
from sailau.candidates.models import PERSON, Nomination
from sailau.elections.models import Contest
from sailau.elections.pages import nominated_election
from sailau.i18n import page_lang
from sailau.tabledownload import csv_or_json


def index(request, election_id: str):
    election = nominated_election(election_id)
    lang = page_lang()
    counts = {row["contest_id"]: row for row in Nomination.objects.filter(
        election=election, kind=PERSON).values("contest_id").annotate(
        nominated=Count("id"), registered=Count("id", filter=Q(status="registered")))}
    contests = [{"c": c, "name": c.name(lang), **counts[c.id]}
                for c in Contest.objects.filter(election=election, id__in=counts)
                .order_by("kind", "id")]
    summary = public.summary(election)
    return render(request, "candidates/index.html", {
        "election": election, "summary": summary, "contests": contests,
        "statuses": [(v[lang], summary["status"][k]) for k, v in public.STATUSES.items()
                     if summary["status"][k]]})


def contest(request, election_id: str, contest_id: str):
    election = nominated_election(election_id)
    c = get_object_or_404(Contest, election=election, id=contest_id)
    lang = page_lang()
    return render(request, "candidates/contest.html", {
        "election": election, "contest": c, "name": c.name(lang),
        "data": public.contest(c, lang)})


def nomination(request, election_id: str, key: str):
    election = nominated_election(election_id)
    n = get_object_or_404(Nomination.objects.select_related(
        "contest", "party", "candidate__choice", "candidate__contest"),
                          election=election, key=key)
    lang = page_lang()
    refund = public.refund(n)
    return render(request, "candidates/nomination.html", {
        "election": election, "n": n, "name": n.name(lang), "contest_name": n.contest.name(lang),
        "party": public._party(n, lang), "status": public.STATUSES[n.status][lang],
        "history": public.history(n, lang), "findings": public.finding_texts(n.findings, lang),
        "refund": public.REFUNDS[refund][lang] if refund else "",
        "finance": n.candidate_id if n.candidate_id and n.candidate.finance_entries.exists()
        else None,
        "members": n.kind != PERSON and [
            {"key": p.key, "list_position": p.list_position, "name": p.name(lang)}
            for p in Nomination.objects.filter(contest=n.contest, party=n.party, kind=PERSON)
            .select_related("candidate__choice", "candidate__contest").order_by("list_position")]})


REFUSALS_PAGE = 50  # a few screens on a phone; the downloads hold them all


def refusals(request, election_id: str):
    """The counts by reason, each a link to its decisions, and the decisions a page at a time
    (a national election has about a thousand: one page of them was 60,000 px on a phone)."""
    election = nominated_election(election_id)
    lang = page_lang()
    summary = public.summary(election)
    # An unknown kind or reason in the address lists everything rather than nothing.
    decision = request.GET.get("decision", "")
    decision = decision if decision in public.NEGATIVE else ""
    reason = request.GET.get("reason", "")
    reason = reason if reason in public.REASONS else ""
    reasons = [{"what": public.STATUSES[d][lang], "reason": public.REASONS[r][lang], "n": n,
                "decision": d, "key": r, "chosen": (d, r) == (decision, reason)}
               for d in public.NEGATIVE for r, n in sorted(
                   summary["decisions"].get(d, {}).items(), key=lambda kv: -kv[1])]
    page = Paginator(public.negative_decisions(election, decision, reason),
                     REFUSALS_PAGE).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in (("decision", decision), ("reason", reason)) if v)
    return render(request, "candidates/refusals.html", {
        "election": election, "summary": summary, "reasons": reasons, "page": page,
        "rows": public.negative(election, lang, page.object_list), "query": query,
        "filtered": {"what": public.STATUSES[decision][lang] if decision else "",
                     "reason": public.REASONS[reason][lang] if reason else ""}})


def download(request, election_id: str, fmt: str):
    election = nominated_election(election_id)
    rows = public.records(election)

    def body():
        summary = public.summary(election)
        return {"election": election.id, "summary": {**summary, "status": dict(summary["status"])},
                "nominations": rows}

    return csv_or_json(fmt, f"candidates-{election.id}", public.FIELDS, rows, body)

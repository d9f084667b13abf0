"""Public pages of campaign finance (per election, per party or candidate) and downloads."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from sailau.elections.models import Candidate, Party
from sailau.elections.pages import nominated_election
from sailau.errors import Code, NotFound
from sailau.finance import public
from sailau.finance.models import CANDIDATE, PARTY
from sailau.i18n import page_lang
from sailau.law import kinds
from sailau.law.campaign_finance import SPENDING_CATEGORIES
from sailau.tabledownload import csv_or_json

PAGE_ROWS = 50


def _labelled(page, lang: str) -> list[dict]:
    return [{"e": e, "recipient": public._name(e.party or e.candidate, lang),
             "what": public.SOURCES[e.source_kind][lang],
             "direction": public.DIRECTIONS[e.direction][lang]} for e in page]


def index(request, election_id: str):
    election = nominated_election(election_id)
    lang = page_lang()
    q = request.GET.get("q", "")
    matches = None
    if q.strip():
        page = Paginator(public.entries(election, q=q), PAGE_ROWS).get_page(request.GET.get("page"))
        matches = {"page": page, "rows": _labelled(page, lang)}
    return render(request, "finance/index.html", {
        "election": election, "funds": public.funds(election, lang),
        # Parties have funds only where lists are elected (the President's are candidates').
        "lists": election.contests.filter(kind__in=kinds.named(by_list=True)).exists(),
        "findings": public.findings(election, lang), "q": q, "matches": matches})


def _recipient(election, kind: str, ident: str):
    if kind == PARTY:
        return get_object_or_404(Party, election=election, id=ident)
    if kind == CANDIDATE:
        return get_object_or_404(Candidate, contest__election=election, id=ident)
    raise NotFound(code=Code.NOT_FOUND, field="kind", message="no such kind of fund")


def fund(request, election_id: str, kind: str, ident: str):
    election = nominated_election(election_id)
    obj = _recipient(election, kind, ident)
    lang = page_lang()
    of = {"party": obj} if kind == PARTY else {"candidate": obj}
    rows = public.entries(election, **of)
    page = Paginator(rows, PAGE_ROWS).get_page(request.GET.get("page"))
    listed = public.funds(election, lang)["parties" if kind == PARTY else "candidates"]
    totals = next((t for t in listed if t["id"] == obj.pk), None)
    by = (totals or {}).get("by", {})
    top = max(by.values(), default=1)
    # income sources first, then spending categories, each largest first: the party's bar chart
    breakdown = [{"label": public.SOURCES[k][lang], "amount": v, "pct": round(100 * v / top, 1),
                  "spending": k in SPENDING_CATEGORIES}
                 for k, v in sorted(by.items(), key=lambda kv: (kv[0] in SPENDING_CATEGORIES,
                                                                -kv[1]))]
    return render(request, "finance/fund.html", {
        "election": election, "kind": kind, "name": public._name(obj, lang), "totals": totals,
        "breakdown": breakdown, "findings": public.findings(election, lang, **of),
        "page": page, "rows": _labelled(page, lang),
        "color": getattr(obj, "color", None) or (obj.party.color if getattr(obj, "party", None)
                                                 else "#777777")})


def download(request, election_id: str, fmt: str):
    election = nominated_election(election_id)
    records = [public.entry_record(e) for e in public.entries(election)]

    def body():
        lang = "en"
        funds = public.funds(election, lang)
        return {"election": election.id,
                "funds": [{k: t[k] for k in ("kind", "id", "name", "income", "spending", "own",
                                             "donations", "balance", "by", "findings")}
                          for t in funds["parties"] + funds["candidates"]],
                "findings": [{k: f[k] for k in ("code", "kind", "id", "recipient", "donor",
                                                "limit", "amount", "rows")}
                             for f in public.findings(election, lang)],
                "entries": records}

    return csv_or_json(fmt, f"finance-{election.id}", public.ENTRY_FIELDS, records, body)

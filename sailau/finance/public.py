"""What the public sees of the funds: totals per party and candidate, the findings with their
words in kk/ru/en, itemised entries, and the rows of the downloads. Pages, the API and the
downloads all read from here, so they show the same figures."""

from collections import defaultdict

from sailau.finance.models import CANDIDATE, INCOME, PARTY, Entry, Finding, Report
from sailau.languages import texts

T = texts("finance.public")

FINDINGS = {
    "individual_donor_limit": T("One individual's donations exceed the limit"),
    "organisation_donor_limit": T("One organisation's donations exceed the limit"),
    "own_funds_limit": T("Own funds exceed the limit"),
    "donations_total_limit": T("Donations in total exceed the limit"),
    "forbidden_source": T("Money from a source the law forbids"),
    "spending_exceeds_income": T("Spending exceeds income"),
}
SOURCES = {
    "own": T("own funds"),
    "individual": T("individuals"),
    "organisation": T("organisations"),
    "party": T("party"),
    "state": T("state body"),
    "foreign": T("foreign source"),
    "anonymous": T("anonymous"),
    "media": T("media"),
    "print": T("print"),
    "outdoor": T("outdoor advertising"),
    "events": T("events"),
    "premises": T("premises"),
    "transport": T("transport"),
    "staff": T("staff"),
    "communications": T("communications"),
    "other": T("other"),
}
DIRECTIONS = {"income": T("income"),
              "spending": T("spending")}


# A fund's recipient as its name is read: a party, or a candidate with the ballot's spelling.
RECIPIENT = ("party", "candidate__choice", "candidate__contest")


def _name(obj, lang: str) -> str:
    """A party's name in `lang`; a candidate's as the ballot spells it (`Candidate.name`), so
    the finance pages write the name the results and candidates' pages write."""
    return obj.name(lang)


def funds(election, lang: str) -> dict:
    """Totals per fund, parties first (in registration order), with their findings counted."""
    totals: dict[tuple[str, str], dict] = {}
    entries = Entry.objects.filter(election=election).select_related(*RECIPIENT)
    for e in entries.iterator():
        obj = e.party if e.party_id else e.candidate
        key = (e.recipient_kind, obj.pk)
        t = totals.setdefault(key, {"kind": e.recipient_kind, "id": obj.pk, "obj": obj,
                                    "name": _name(obj, lang), "income": 0, "spending": 0,
                                    "own": 0, "donations": 0, "by": defaultdict(int),
                                    "findings": 0})
        t[e.direction] += e.amount
        t["by"][e.source_kind] += e.amount
        if e.direction == INCOME:
            if e.source_kind == "own":
                t["own"] += e.amount
            elif e.source_kind in ("individual", "organisation", "party"):
                t["donations"] += e.amount
    for f in Finding.objects.filter(election=election):
        key = (f.recipient_kind, f.party_id or f.candidate_id)
        if key in totals:
            totals[key]["findings"] += 1
    rows = list(totals.values())
    for t in rows:
        t["balance"] = t["income"] - t["spending"]
        t["by"] = dict(t["by"])
    parties = sorted((t for t in rows if t["kind"] == PARTY),
                     key=lambda t: (t["obj"].registration_order or 0, t["id"]))
    candidates = sorted((t for t in rows if t["kind"] == CANDIDATE), key=lambda t: t["name"])
    top = max([t["income"] for t in parties] + [t["spending"] for t in parties] + [1])
    for i, t in enumerate(parties):  # the chart: 10 units a party, bars as a share of the largest
        t["income_pct"] = round(100 * t["income"] / top, 1)
        t["spending_pct"] = round(100 * t["spending"] / top, 1)
        t["y"] = 10 * i + 1
        t["y2"] = 10 * i + 5
    return {"parties": parties, "candidates": candidates, "chart_height": 10 * len(parties),
            "chart_px": 26 * len(parties),
            "reports": Report.objects.filter(election=election).count()}


def findings(election, lang: str, party=None, candidate=None) -> list[dict]:
    qs = Finding.objects.filter(election=election).select_related(*RECIPIENT)
    if party is not None:
        qs = qs.filter(party=party)
    if candidate is not None:
        qs = qs.filter(candidate=candidate)
    where = _entry_places([i for f in qs for i in f.entries])
    return [{"code": f.code, "text": FINDINGS[f.code][lang], "kind": f.recipient_kind,
             "id": f.party_id or f.candidate_id,
             "recipient": _name(f.party or f.candidate, lang), "donor": f.donor,
             "source": SOURCES[f.source_kind][lang] if f.source_kind else "",
             "limit": f.limit, "amount": f.amount,
             "rows": [where[i] for i in f.entries if i in where]} for f in qs]


def _entry_places(ids: list[int]) -> dict[int, tuple[int, int]]:
    """Entry id → (report number, row in that report), to cite where a finding comes from."""
    return {i: (n, r) for i, n, r in
            Entry.objects.filter(id__in=ids).values_list("id", "report__number", "row")}


def entries(election, party=None, candidate=None, q: str = ""):
    qs = Entry.objects.filter(election=election).select_related("report", *RECIPIENT)
    if party is not None:
        qs = qs.filter(party=party)
    if candidate is not None:
        qs = qs.filter(candidate=candidate)
    q = " ".join(q.split())[:100]
    if q:
        qs = qs.filter(search__contains=q.casefold())
    return qs.order_by("date", "report__number", "row")


ENTRY_FIELDS = ["report", "row", "recipient_kind", "recipient_id", "recipient", "direction",
                "source_kind", "donor", "amount_kzt", "date"]


def entry_record(e, lang: str = "en") -> dict:
    """One row of the downloads and of the API (codes, not words: for scripts)."""
    return {"report": e.report.number, "row": e.row, "recipient_kind": e.recipient_kind,
            "recipient_id": e.party_id or e.candidate_id,
            "recipient": _name(e.party or e.candidate, lang), "direction": e.direction,
            "source_kind": e.source_kind, "donor": e.donor, "amount_kzt": e.amount,
            "date": e.date.isoformat()}

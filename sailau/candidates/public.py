"""What the public sees of nominations and registration: each contest's candidates with their
status, each nomination's history (decisions, appeals), deposits and their refund, the refusals
and deregistrations with their reasons and counts, and the rows of the downloads. Pages, the
API and the downloads all read from here, so they show the same things."""

from collections import Counter, defaultdict
from fractions import Fraction

from sailau import languages
from sailau.candidates import appeals as appeal_records
from sailau.candidates import basis
from sailau.candidates.models import LIST, PERSON, Appeal, Decision, Nomination
from sailau.elections.models import Commission
from sailau.languages import Text, in_script, pick, texts
from sailau.law import get_ruleset
from sailau.protocols.models import Tally

T = texts("candidates.public")

STATUSES = {
    "nominated": T("nominated"),
    "registered": T("registered"),
    "refused": T("refused registration"),
    "withdrawn": T("withdrew"),
    "deregistered": T("deregistered"),
}
REASONS = {
    "requirements_met": T("requirements met"),
    "documents_incomplete": T("documents incomplete"),
    "no_deposit": T("deposit not paid"),
    "corruption": T("corruption offence"),
    "min_age": T("under the minimum age"),
    "residence_years": T("too few years of residence"),
    "citizen": T("not a citizen"),
    "kazakh_language": T("Kazakh language not shown"),
    "higher_education": T("no higher education"),
    "signatures": T("too few signatures"),
    "list_quota": T("list below the 30 % quota"),
    "own_request": T("at own request"),
    "party_recall": T("recalled by the party"),
    "tax_declaration": T("discrepancies in the tax declaration"),
    "early_campaigning": T("campaigning before the campaign"),
    "finance_rules": T("campaign finance rules broken"),
    "other": T("other reason"),
}
REQUIREMENTS = {
    "min_age": T("age"),
    "residence_years": T("years of residence"),
    "citizen": T("citizenship"),
    "kazakh_language": T("Kazakh language"),
    "higher_education": T("higher education"),
    "deposit": T("deposit"),
    "list_quota": T("quota of women, youth, persons with disabilities (30 %)"),
}
APPEAL_TO = {"higher_commission": T("higher commission"),
             "court": T("court"), "supreme_court": T("Supreme Court")}
OUTCOMES = {"pending": T("pending"),
            "upheld": T("decision upheld"),
            "overturned": T("decision overturned")}
NOMINATORS = {"party": T("party"), "self": T("self"),
              "association": T("association")}
REFUNDS = {"returned": T("returned"),
           "forfeited": T("forfeited"),
           "pending": T("awaiting the result")}
NEGATIVE = ("refused", "withdrawn", "deregistered")


def _bodies(election) -> dict[str, dict[str, str]]:
    # every written language, as the one chooser reads the commission's own spellings
    return {c.id: Text(**{code: pick(c.names, code) for code in languages.WRITTEN})
            for c in Commission.objects.filter(election=election)
            .exclude(level=Commission.PRECINCT).only("id", "names")}


def _party(n, lang: str) -> str:
    p = n.party
    return p.name(lang) if p else ""


def finding_texts(findings: list[dict], lang: str) -> list[str]:
    out = []
    for f in findings:
        label = REQUIREMENTS.get(f["requirement"], Text.same(f["requirement"]))[lang]
        actual = "—" if f.get("actual") is None else f["actual"]
        required = {True: "✓", False: "✗"}.get(f["required"], f["required"])
        actual = {True: "✓", False: "✗"}.get(actual, actual)
        out.append(f"{label}: {actual} / {required}")
    return out


def _row(n: Nomination, lang: str, pending: set[int], last: dict[int, Decision]) -> dict:
    d = last.get(n.id)
    return {"n": n, "key": n.key, "name": n.name(lang), "party": _party(n, lang),
            "position": n.list_position, "status": n.status,
            "status_text": STATUSES[n.status][lang],
            "reason": REASONS[d.reason][lang] if d and n.status in NEGATIVE else "",
            "findings": finding_texts(n.findings, lang), "appeal_pending": n.id in pending,
            "nominated_by": NOMINATORS.get(n.nominated_by, NOMINATORS["party"])[lang]}


def _context(noms) -> tuple[set[int], dict[int, Decision]]:
    """`noms` (a queryset: a subquery, however many) -> the ids with an appeal pending, and
    each one's last decision."""
    ids = noms.values("id")
    pending = {a.decision.nomination_id for a in appeal_records.pending(
        Appeal.objects.filter(decision__nomination__in=ids).select_related("decision"))}
    last: dict[int, Decision] = {}
    for d in Decision.objects.filter(nomination__in=ids).order_by("date", "batch__number", "row"):
        last[d.nomination_id] = d
    return pending, last


def contest(contest, lang: str) -> dict:
    """The contest's lists (each with its candidates in list order) and its persons."""
    qs = Nomination.objects.filter(contest=contest)
    noms = list(qs.select_related("party", "candidate__choice", "candidate__contest")
                .order_by("kind", "party__registration_order", "list_position", "full_name"))
    pending, last = _context(qs)
    rows = [_row(n, lang, pending, last) for n in noms]
    lists = [r for r in rows if r["n"].kind == LIST]
    people = [r for r in rows if r["n"].kind == PERSON]
    for lst in lists:
        lst["members"] = [r for r in people if r["n"].party_id == lst["n"].party_id]
    return {"lists": lists, "people": [] if lists else people, "count": len(people),
            "counts": Counter(r["status"] for r in people)}


def history(n: Nomination, lang: str) -> list[dict]:
    """Nomination, decisions and appeals in date order."""
    bodies = _bodies(n.election)
    events = [{"date": n.nominated_on, "what": STATUSES["nominated"][lang],
               "detail": NOMINATORS.get(n.nominated_by, NOMINATORS["party"])[lang]
               + (f": {_party(n, lang)}" if n.party_id else "")
               + (f": {in_script(n.association, lang)}" if n.association else ""),
               "kind": "nominated"}]
    for d in n.decisions.all():
        events.append({"date": d.date, "what": STATUSES[d.decision][lang], "kind": d.decision,
                       "detail": REASONS[d.reason][lang], "note": d.note,
                       "body": bodies.get(d.body, Text.same(d.body))[lang],
                       "basis": basis.shown(d, lang)})
        for a in appeal_records.current(d.appeals.all()):
            events.append({"date": a.filed_on, "kind": "appeal",
                           "what": APPEAL_TO[a.appeal_to][lang],
                           "body": in_script(a.body, lang),
                           "detail": OUTCOMES[a.outcome][lang], "decided": a.outcome_date,
                           "pending": a.outcome == "pending"})
    return sorted(events, key=lambda e: e["date"])


def refund(n: Nomination, tallies: dict | None = None) -> str | None:
    """What becomes of the deposit paid, under the rule set: returned, forfeited or pending
    (the contest's result is not final yet). None when nothing was paid. `tallies`: a cache
    of contest tallies, for many nominations at once."""
    if not n.deposit_paid:
        return None
    rules = get_ruleset(n.contest.ruleset).candidacy_rules
    share, elected = _result(n, {} if tallies is None else tallies)
    return rules.refund(n.status, share, elected)


def _result(n: Nomination, tallies: dict) -> tuple[Fraction | None, bool]:
    """The share of the valid votes and whether elected, from the contest's complete tally
    (None before): the candidate's choice, or the list's party's choice."""
    if n.contest_id not in tallies:
        tallies[n.contest_id] = Tally.objects.filter(contest_id=n.contest_id,
                                                     commission_id=n.contest.commission_id).first()
    tally = tallies[n.contest_id]
    if tally is None or not tally.complete:
        return None, False
    votes = {k: v for k, v in tally.choices.items() if k != "against_all"}
    valid = sum(tally.choices.values())
    if n.kind == LIST or n.contest.contest_kind.by_list:
        key = n.contest.choices.filter(party=n.party).values_list("key", flat=True).first()
    else:
        key = n.candidate.choice.key if n.candidate and n.candidate.choice else None
    if key is None or not valid:
        return None, False
    mine = votes.get(key, 0)
    elected = not n.contest.contest_kind.by_list and mine == max(votes.values(), default=0) > 0
    return Fraction(mine, valid), elected


def summary(election) -> dict:
    """Counts over the persons nominated: by status, and the negative decisions by reason."""
    people = Nomination.objects.filter(election=election, kind=PERSON)
    status = Counter(people.values_list("status", flat=True))
    reasons: dict[str, Counter] = defaultdict(Counter)
    for decision, reason in Decision.objects.filter(
            nomination__election=election, nomination__kind=PERSON,
            decision__in=NEGATIVE).values_list("decision", "reason"):
        reasons[decision][reason] += 1
    appeals = appeal_records.current(
        Appeal.objects.filter(decision__nomination__election=election))
    return {"nominated": sum(status.values()), "status": status,
            "decisions": {k: dict(v) for k, v in reasons.items()},
            "appeals": len(appeals),
            "pending": sum(a.outcome == appeal_records.PENDING for a in appeals),
            "flagged": people.exclude(findings=[]).count()}


def negative_decisions(election, decision: str = "", reason: str = ""):
    """The refusals, withdrawals and deregistrations (of one kind, for one reason when given),
    in the order the refusals page lists them."""
    qs = Decision.objects.filter(nomination__election=election, decision__in=NEGATIVE)
    if decision:
        qs = qs.filter(decision=decision)
    if reason:
        qs = qs.filter(reason=reason)
    return (qs.select_related("nomination__contest", "nomination__party",
                              "nomination__candidate__choice", "nomination__candidate__contest")
            .prefetch_related("appeals").order_by("decision", "date", "nomination__full_name", "id"))


def negative(election, lang: str, decisions=None) -> list[dict]:
    """Every refusal, withdrawal and deregistration (or those of `decisions`, a page of
    `negative_decisions`), with its reason, body and appeals."""
    bodies = _bodies(election)
    out = []
    for d in negative_decisions(election) if decisions is None else decisions:
        n = d.nomination
        out.append({"d": d, "n": n, "what": STATUSES[d.decision][lang],
                    "reason": REASONS[d.reason][lang], "note": d.note,
                    "name": n.name(lang), "contest": n.contest.name(lang),
                    "body": bodies.get(d.body, Text.same(d.body))[lang],
                    "party": _party(n, lang),
                    "appeals": [{"to": APPEAL_TO[a.appeal_to][lang],
                                 "outcome": OUTCOMES[a.outcome][lang],
                                 "pending": a.outcome == "pending"}
                                for a in appeal_records.current(d.appeals.all())]})
    return out


FIELDS = ["key", "kind", "contest", "office", "party", "list_position", "full_name",
          "nominated_by", "nominated_on", "status", "last_decision", "reason", "decided_on",
          "body", "basis", "appeals", "appeals_pending", "deposit_due_kzt", "deposit_paid_kzt",
          "deposit_date", "refund", "findings"]


def records(election, **where) -> list[dict]:
    """One row a nomination, codes not words (for scripts), in contest order; `where` filters
    the nominations (contest_id=, status=, key=)."""
    qs = Nomination.objects.filter(election=election, **where)
    noms = list(qs.select_related("contest__commission", "party", "candidate__choice")
                .order_by("contest_id", "kind", "party__registration_order", "list_position",
                          "full_name"))
    pending, last = _context(qs)
    tallies: dict = {}
    appeals = Counter(a.decision.nomination_id for a in appeal_records.current(
        Appeal.objects.filter(decision__nomination__in=qs.values("id")).select_related("decision")))
    out = []
    for n in noms:
        d = last.get(n.id)
        out.append({"key": n.key, "kind": n.kind, "contest": n.contest_id, "office": n.office,
                    "party": n.party_id or "", "list_position": n.list_position,
                    "full_name": n.full_name, "nominated_by": n.nominated_by,
                    "nominated_on": n.nominated_on.isoformat(), "status": n.status,
                    "last_decision": d.decision if d else "", "reason": d.reason if d else "",
                    "decided_on": d.date.isoformat() if d else "", "body": d.body if d else "",
                    "basis": basis.shown(d, "en") if d else "", "appeals": appeals.get(n.id, 0),
                    "appeals_pending": n.id in pending, "deposit_due_kzt": n.deposit_due,
                    "deposit_paid_kzt": n.deposit_paid,
                    "deposit_date": n.deposit_date.isoformat() if n.deposit_date else "",
                    "refund": (refund(n, tallies) or "") if n.kind == PERSON else "",
                    "findings": " ".join(f["requirement"] for f in n.findings)})
    return out

"""Importing nominations, decisions and appeals, all or nothing.

The file is read by the law (`nominations.read`: the row and column of the first bad cell, dates
inside the electoral period), every contest and party must be the election's, and only then are
the batch, its rows, the nominations' statuses, the ballot candidates' statuses and the audit
record written, in one transaction. The rule set's requirements are checked at nomination and
stored as findings beside whatever the commission decides."""

from collections import defaultdict
from fractions import Fraction

from django.db import transaction

from sailau import audit
from sailau.candidates import audit as batch_audit
from sailau.candidates.models import (
    DEREGISTERED,
    LIST,
    NOMINATED,
    PERSON,
    REFUSED,
    REGISTERED,
    Appeal,
    Batch,
    Decision,
    Nomination,
)
from sailau.candidates.resolve import Resolver, office_of
from sailau.elections.imported import sha256_of
from sailau.elections.models import Candidate, Election
from sailau.errors import BadInput
from sailau.errors.lengths import check_rows
from sailau.languages import KAZAKH, texts
from sailau.law import nominations as law
from sailau.law.candidacy import CandidacyRules
from sailau.law.table import RowError

T = texts("candidates.services")


def candidacy_rules(election: Election) -> CandidacyRules:
    """The requirements of the election: those of the first of its contests' rule sets that has
    any (the 2023 Mazhilis, maslikhat and single-member rule sets share one)."""
    if rules := election.rules("candidacy_rules"):
        return rules
    raise BadInput(message=T("the rule sets of this election have no candidacy requirements"),
                   field="ruleset")


def _frac(x: Fraction | None) -> str:
    return "" if x is None else f"{x.numerator}/{x.denominator}"


# What an overturned decision leaves: a refusal, withdrawal or deregistration undone puts the
# candidate back on the ballot; a registration undone (a rival's appeal) takes them off.
UNDONE = {REGISTERED: DEREGISTERED, REFUSED: REGISTERED, law.WITHDRAWN: REGISTERED,
          DEREGISTERED: REGISTERED}


def status_of(decisions: list[Decision], appeals: list[Appeal]) -> str:
    """The status the decisions and the appeals' outcomes make, in date order (a decision
    before an outcome of the same day: the outcome answers it)."""
    events = [(d.date, 0, d.batch_id, d.row, d.decision) for d in decisions]
    events += [(a.outcome_date, 1, a.batch_id, a.row, UNDONE[a.decision.decision])
               for a in appeals if a.outcome == law.OVERTURNED]
    status = NOMINATED
    for *_, s in sorted(events):
        status = s
    return status


AGAIN = T("this file was imported before")


def import_batch(election: Election, text: str, filename: str, actor: str) -> Batch:
    """Read, resolve, check and store one file; BadInput (nothing written) on bad input,
    Conflict if the same file was imported before."""
    rules = candidacy_rules(election)
    digest = sha256_of(text)
    # Before reading too: a file again would read as keys given twice.
    Batch.refuse_again(election, digest, AGAIN)
    known = dict(Nomination.objects.filter(election=election).values_list("key", "kind"))
    decided = set(Decision.objects.filter(nomination__election=election)
                  .values_list("nomination__key", flat=True))
    records = law.read(text, (rules.period_start, election.date), known, decided)
    resolver = Resolver(election)
    with transaction.atomic():
        Batch.begin(election, digest, AGAIN)
        batch = Batch.add(election, digest, filename, actor, len(records))
        touched = _store(election, batch, records, rules, resolver)
        _check_lists(election, rules, touched)
        _settle(touched)
        audit.append(actor, batch_audit.IMPORTED, batch_audit.subject(batch),
                     batch_audit.batch_record(batch))
    return batch


def _store(election, batch, records, rules, resolver) -> set[int]:
    """Write the batch's rows (three bulk inserts, in file order); the ids of every nomination
    it touched."""
    by_key = {n.key: n for n in Nomination.objects.filter(election=election)
              .select_related("contest")}
    last_decision = {}
    for d in (Decision.objects.filter(nomination__election=election).select_related("nomination")
              .order_by("date", "batch__number", "row")):
        last_decision[d.nomination.key] = d
    # Each appeal's latest record so far, by (key, appeal_to, filing date): a later row of the
    # same appeal gives its outcome (appeals.py).
    filed: dict[tuple, Appeal] = {}
    for a in (Appeal.objects.filter(decision__nomination__election=election)
              .select_related("decision__nomination").order_by("batch_id", "row")):
        filed[(a.decision.nomination.key, a.appeal_to, a.filed_on)] = a
    noms, decisions, appeals, touched = [], [], [], []
    for r in records:
        if r.record in (LIST, PERSON):
            nom = _nomination(election, batch, r, rules, resolver, by_key)
            by_key[r.key] = nom
            noms.append(nom)
        elif r.record == "decision":
            nom = by_key[r.key]
            v = r.values
            last_decision[r.key] = d = Decision(
                nomination=nom, batch=batch, row=r.row, decision=v["decision"],
                reason=v["reason"], note=v["note"][:500],
                body=resolver.body(r.row, v["body"], nom.contest)[:200], basis=v["basis"][:300],
                citation=v["citation"].to_json() if v["citation"] else None, date=r.date)
            decisions.append(d)
        else:
            nom = by_key[r.key]
            v = r.values
            same = (r.key, v["appeal_to"], r.date)
            if same in filed:  # the outcome of an appeal filed before
                appealed = _decided_later(r, filed[same])
            else:
                appealed = last_decision[r.key]
                if r.date < appealed.date:
                    raise RowError.at(r.row, "date", T(
                        "the appeal is filed before the decision "
                        "({date})").format(date=appealed.date.isoformat()))
            filed[same] = a = Appeal(decision=appealed, batch=batch, row=r.row,
                                     appeal_to=v["appeal_to"], body=v["body"][:200],
                                     filed_on=r.date, outcome=v["outcome"],
                                     outcome_date=v["outcome_date"])
            appeals.append(a)
        touched.append(nom)
    # each after the rows it points to, so that their ids are set (both databases return them)
    check_rows([*noms, *decisions, *appeals], lambda o: o.row)
    Nomination.objects.bulk_create(noms, batch_size=500)
    Decision.objects.bulk_create(decisions, batch_size=500)
    Appeal.objects.bulk_create(appeals, batch_size=500)
    return {n.id for n in touched}


def _decided_later(r, earlier: Appeal) -> Decision:
    """The decision an appeal filed before was against, when row `r` gives its outcome; a
    row repeating a pending appeal, or deciding one already decided, is refused."""
    if earlier.outcome != law.PENDING:
        day = earlier.outcome_date.isoformat()
        raise RowError.at(r.row, "outcome", T(
            "this appeal was decided before ({day})").format(day=day))
    if r.values["outcome"] == law.PENDING:
        raise RowError.at(r.row, "outcome", T(
            "this appeal was filed before and is pending: give its outcome"))
    return earlier.decision


def _nomination(election, batch, r, rules, resolver, by_key) -> Nomination:
    c = r.cells
    contest = resolver.contest(r.row, c["contest"])
    party = resolver.party(r.row, c["party"]) if c["party"] else None
    office = office_of(contest)
    v = r.values
    share = v.get("party_share")
    nom = Nomination(election=election, batch=batch, row=r.row, key=r.key, kind=r.record,
                     contest=contest, office=office, party=party, nominated_on=r.date,
                     party_share=_frac(share), nominated_by="party" if r.record == LIST else "")
    if r.record == LIST:
        if not contest.contest_kind.by_list:
            raise RowError.at(r.row, "contest", T(
                "{id!r} is not a party-list contest").format(id=contest.id))
        if _list_of(by_key, contest, party) is not None:
            raise RowError.at(r.row, "party", T("this party's list was nominated before"))
        nom.full_name = party.name(KAZAKH)
        return nom
    for name in ("nominated_by", "full_name", "birth_date", "residence_years", "citizen",
                 "kazakh_language", "higher_education", "woman", "disability", "list_position"):
        setattr(nom, name, v[name])
    nom.association = c["association"][:200]
    nom.deposit_paid, nom.deposit_date = v["deposit_kzt"], v["deposit_date"]
    if contest.contest_kind.by_list:
        if party is None or v["list_position"] is None:
            raise RowError.at(r.row, "list_position" if party else "party", T(
                "a candidate on a party list needs the party and the list position"))
        lst = _list_of(by_key, contest, party)
        if lst is None:
            raise RowError.at(r.row, "party", T("no list of this party above (record=list)"))
        share = share if share is not None else (Fraction(lst.party_share)
                                                 if lst.party_share else None)
        taken = next((o for o in by_key.values() if o.kind == PERSON and o.contest_id == contest.id
                      and o.party_id == party.id and o.list_position == v["list_position"]), None)
        if taken is not None:
            raise RowError.at(r.row, "list_position", T(
                "position {list_position} is taken by "
                "{key!r}").format(list_position=v['list_position'], key=taken.key))
    elif v["list_position"] is not None:
        raise RowError.at(r.row, "list_position", T(
            "a single-member contest has no list positions"))
    nom.deposit_due = rules.deposit(office, share if nom.nominated_by == "party" else None)
    nom.findings = _requirements(nom, rules, election)
    nom.candidate = resolver.ballot(r.row, contest, c["candidate"], nom.full_name, party)
    return nom


def _list_of(by_key, contest, party):
    return next((o for o in by_key.values() if o.kind == LIST and o.contest_id == contest.id
                 and o.party_id == (party.id if party else None)), None)


FIELD = {"min_age": "birth_date"}  # the column a requirement reads, where the names differ


def _requirements(nom: Nomination, rules: CandidacyRules, election: Election) -> list[dict]:
    found = rules.check_candidate(nom.office, nom.birth_date, election.date, nom.residence_years,
                                  citizen=nom.citizen, kazakh_language=nom.kazakh_language,
                                  higher_education=nom.higher_education)
    out = [{**p, "field": FIELD.get(p["requirement"], p["requirement"])} for p in found]
    if nom.deposit_due and (nom.deposit_paid or 0) < nom.deposit_due:
        out.append({"requirement": "deposit", "required": nom.deposit_due,
                    "actual": nom.deposit_paid, "field": "deposit_kzt"})
    return out


def _check_lists(election, rules, touched: set[int]) -> None:
    """The 30 % quota on every list with a nomination in this batch, as nominated."""
    lists = Nomination.objects.filter(election=election, kind=LIST)
    people = Nomination.objects.filter(election=election, kind=PERSON)
    keys = set(Nomination.objects.filter(id__in=touched).values_list("contest_id", "party_id"))
    for lst in lists:
        if (lst.contest_id, lst.party_id) not in keys:
            continue
        members = people.filter(contest_id=lst.contest_id, party_id=lst.party_id)
        q = rules.check_list([{"woman": p.woman, "disability": p.disability,
                               "birth_date": p.birth_date} for p in members], election.date)
        lst.findings = [] if q["meets"] else [{
            "requirement": "list_quota", "required": q["required"],
            "actual": f"{q['qualifying']}/{q['candidates']}", "field": "list"}]
        lst.deposit_due = sum(p.deposit_due or 0 for p in members)
        lst.save(update_fields=["findings", "deposit_due"])
        touched.add(lst.id)


def _settle(touched: set[int]) -> None:
    """Each touched nomination's status from all its decisions and appeals; the ballot's
    candidate follows (its status and the reason of the last decision)."""
    noms = list(Nomination.objects.filter(id__in=touched).select_related("candidate"))
    ids = Nomination.objects.filter(id__in=touched).values("id")
    decisions, appeals = defaultdict(list), defaultdict(list)
    for d in Decision.objects.filter(nomination__in=ids).order_by("date", "batch__number", "row"):
        decisions[d.nomination_id].append(d)
    for a in Appeal.objects.filter(decision__nomination__in=ids).select_related("decision"):
        appeals[a.decision.nomination_id].append(a)
    changed: dict[str, list[int]] = defaultdict(list)
    ballot: dict[tuple[str, str], list[str]] = defaultdict(list)
    for nom in noms:
        status = status_of(decisions[nom.id], appeals[nom.id])
        if status != nom.status:
            changed[status].append(nom.id)
        c = nom.candidate
        if c is not None and status in (REGISTERED, law.WITHDRAWN, DEREGISTERED):
            reason = decisions[nom.id][-1].reason if decisions[nom.id] else ""
            if (c.status, c.status_reason) != (status, reason):
                ballot[(status, reason)].append(c.id)
    # one UPDATE per status: a CASE over a thousand rows costs more than the rest of an import
    for status, ids in changed.items():
        Nomination.objects.filter(id__in=ids).update(status=status)
    for (status, reason), ids in ballot.items():
        Candidate.objects.filter(id__in=ids).update(status=status, status_reason=reason)


def settled_status(nom: Nomination) -> str:
    """What the nomination's decisions and appeals, as stored, make its status."""
    appeals = Appeal.objects.filter(decision__nomination=nom).select_related("decision")
    return status_of(list(nom.decisions.all()), list(appeals))

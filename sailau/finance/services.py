"""Importing a fund report and checking an election's funds.

An import is all or nothing: the file is read by the law (`finance_check.read_report`, the
row and column of the first bad cell), every recipient must be a party or a candidate of the
election, and then the report, its entries, the new findings of the whole election and the
audit record are written in one transaction. The checks run on all the election's entries,
since a donor's limit is on their total over the campaign, whichever report it came in."""

from django.db import transaction

from sailau import audit
from sailau.elections.imported import sha256_of
from sailau.elections.models import Candidate, Election, Party, spellings
from sailau.errors import BadInput
from sailau.errors.lengths import check_rows
from sailau.finance import audit as finance_audit
from sailau.finance.models import CANDIDATE, PARTY, Entry, Finding, Report
from sailau.languages import Text, texts
from sailau.law.campaign_finance import FinanceRules
from sailau.law.finance_check import FinanceInputError, Row, check, read_report

T = texts("finance.services")

IMPORTED = "finance.report_imported"


def finance_rules(election: Election) -> FinanceRules:
    """The finance rules of the election: those of the first of its contests' rule sets that
    has any (the 2023 Mazhilis, maslikhat and single-member rule sets share one)."""
    if rules := election.rules("finance_rules"):
        return rules
    raise BadInput(message=T("the rule sets of this election have no campaign finance limits"),
        field="ruleset")


class _Recipients:
    """Resolves a report's recipient names to the election's parties and candidates: a party by
    its key, short name or any of its names; a candidate by full name (or id)."""

    def __init__(self, election: Election):
        self.parties: dict[str, Party] = {}
        for p in Party.objects.filter(election=election):
            for name in (p.id, p.id.rsplit(".", 1)[-1], p.short, *spellings(p, "name").values()):
                if name:
                    self.parties.setdefault(name.casefold(), p)
        self.candidates: dict[str, list[Candidate]] = {}
        for c in Candidate.objects.filter(contest__election=election):
            for name in {c.id, c.full_name}:
                self.candidates.setdefault(" ".join(name.split()).casefold(), []).append(c)

    def resolve(self, row: Row) -> tuple[Party | None, Candidate | None]:
        key = row.recipient.casefold()
        if row.recipient_kind == PARTY:
            party = self.parties.get(key)
            if party is None:
                raise FinanceInputError.at(row.row, "recipient", T(
                    "{recipient!r} is not a party of this election").format(recipient=row.recipient))
            return party, None
        found = self.candidates.get(key, [])
        if len(found) != 1:
            many = len(found) > 1
            raise FinanceInputError.at(row.row, "recipient", Text(
                kk=f"«{row.recipient}»: " + ("бірнеше кандидат, идентификаторын жазыңыз" if many
                                               else "бұл сайлауда мұндай кандидат жоқ"),
                ru=f"«{row.recipient}»: " + ("несколько кандидатов, укажите идентификатор"
                                               if many else "нет такого кандидата на этих выборах"),
                en=f"{row.recipient!r}: " + ("several candidates have this name; give the id"
                                               if many else "no such candidate in this election")))
        return None, found[0]


def import_report(election: Election, text: str, filename: str, actor: str) -> Report:
    """Read, resolve, store and check one report; BadInput (nothing written) on bad input,
    Conflict if the same file was imported before."""
    rules = finance_rules(election)
    rows = read_report(text, rules)
    recipients = _Recipients(election)
    resolved = [(row, *recipients.resolve(row)) for row in rows]
    digest = sha256_of(text)
    with transaction.atomic():
        Report.begin(election, digest, T("this report was imported before"))
        report = Report.add(election, digest, filename, actor, len(rows), ruleset=rules.name)
        entries = [
            Entry(report=report, election=election, row=row.row, recipient_kind=row.recipient_kind,
                  party=party, candidate=cand, direction=row.direction,
                  source_kind=row.source_kind, donor=row.donor, amount=row.amount, date=row.date,
                  search=" ".join([row.donor, cand.full_name if cand else ""]).casefold())
            for row, party, cand in resolved]
        check_rows(entries, lambda e: e.row)
        Entry.objects.bulk_create(entries)
        findings = recheck(election, rules)
        audit.append(actor, IMPORTED, finance_audit.subject(report),
                     {**finance_audit.report_record(report), "findings": len(findings)})
    return report


def recheck(election: Election, rules: FinanceRules | None = None) -> list[Finding]:
    """Check every entry of the election and replace its findings (in the caller's transaction)."""
    rules = rules or finance_rules(election)
    entries = list(Entry.objects.filter(election=election).order_by("id"))
    rows = [Row(e.id, e.fund_key, e.recipient_kind, e.direction, e.source_kind, e.donor,
                e.amount, e.date) for e in entries]
    result = check(rows, rules)
    Finding.objects.filter(election=election).delete()
    findings = []
    for v in result["violations"]:
        kind, _, ident = v["recipient"].partition(":")
        findings.append(Finding(
            election=election, code=v["code"], recipient_kind=kind,
            party_id=ident if kind == PARTY else None,
            candidate_id=ident if kind == CANDIDATE else None, donor=v["donor"] or "",
            source_kind=v.get("source_kind", ""), limit=v["limit"], amount=v["amount"],
            entries=v["rows"]))
    return Finding.objects.bulk_create(findings)

"""Reading a campaign fund report (CSV) strictly, and checking it against the finance rules.

The report's columns are `recipient,recipient_kind,direction,source_kind,donor,amount_kzt,date`
(any order, no others). For income `source_kind` is where the money came from
(`campaign_finance.INCOME_SOURCES`) and `donor` who gave it; for spending `source_kind` is the
category and `donor` the supplier. Rows are numbered as in a spreadsheet: the header is row 1.

Bad input (`FinanceInputError`) names the row and the column, in kk/ru/en, and nothing of the
file is used; a report that reads is checked, and what breaks the rules comes back as
violations, which are findings, not errors. Pure Python: no Django here."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from sailau.languages import texts
from sailau.law import table
from sailau.law.campaign_finance import INCOME_SOURCES, RECIPIENT_KINDS, FinanceRules

T = texts("law.finance_check")

COLUMNS = ("recipient", "recipient_kind", "direction", "source_kind", "donor", "amount_kzt",
           "date")
DIRECTIONS = ("income", "spending")
AMOUNT = re.compile(r"-?\d+(?:\.0+)?")
# Sources that count as donations (against the donations total) and whose donor is limited.
DONATIONS = ("individual", "organisation", "party")


# A report that cannot be read: `row` (spreadsheet numbering) and `field` (the column), as every
# importer of the law reports a bad cell.
FinanceInputError = table.RowError



@dataclass(frozen=True)
class Row:
    row: int
    recipient: str
    recipient_kind: str
    direction: str
    source_kind: str
    donor: str
    amount: int
    date: dt.date

    def to_json(self) -> dict:
        return {"row": self.row, "recipient": self.recipient,
                "recipient_kind": self.recipient_kind, "direction": self.direction,
                "source_kind": self.source_kind, "donor": self.donor,
                "amount_kzt": self.amount, "date": self.date.isoformat()}


def read_report(text: str, rules: FinanceRules) -> list[Row]:
    """Every row of the CSV `text`, or FinanceInputError at the first bad cell (the header,
    blank lines and ragged rows as `table.records` reads every importer's file)."""
    rows: list[Row] = []
    kinds: dict[str, tuple[str, int]] = {}
    for n, cells in table.records(text, COLUMNS):
        row = _read_row(n, cells, rules)
        first = kinds.setdefault(row.recipient, (row.recipient_kind, n))
        if first[0] != row.recipient_kind:
            raise FinanceInputError.at(n, "recipient_kind", T(
                "{recipient!r} is a {kind} in row {row}").format(
                recipient=row.recipient, kind=first[0], row=first[1]))
        rows.append(row)
    return rows




def _read_row(n: int, cells: dict[str, str], rules: FinanceRules) -> Row:
    recipient = " ".join(cells["recipient"].split())
    if not recipient:
        raise FinanceInputError.at(n, "recipient", T("empty"))
    kind = table.one_of(n, "recipient_kind", cells["recipient_kind"], RECIPIENT_KINDS)
    direction = table.one_of(n, "direction", cells["direction"], DIRECTIONS)
    allowed = INCOME_SOURCES if direction == "income" else rules.spending_categories
    source = table.one_of(n, "source_kind", cells["source_kind"], allowed)
    raw = cells["amount_kzt"]
    if not AMOUNT.fullmatch(raw):
        raise FinanceInputError.at(n, "amount_kzt", T(
            "{raw!r} is not a whole number of tenge").format(raw=raw))
    amount = int(raw.split(".")[0])
    if amount < 0 or raw.startswith("-"):
        raise FinanceInputError.at(n, "amount_kzt", T("negative amount ({raw})").format(raw=raw))
    if amount == 0:
        raise FinanceInputError.at(n, "amount_kzt", T("the amount is zero"))
    try:
        date = dt.date.fromisoformat(cells["date"])
        if len(cells["date"]) != 10:
            raise ValueError
    except ValueError:
        raw = cells["date"]
        raise FinanceInputError.at(n, "date", T(
            "{raw!r} is not a date YYYY-MM-DD").format(raw=raw)) from None
    start, end = rules.campaign_start, rules.campaign_end
    if (start and date < start) or (end and date > end):
        span = f"{start.isoformat() if start else '…'} – {end.isoformat() if end else '…'}"
        raise FinanceInputError.at(n, "date", T(
            "{date} is outside the campaign ({span})").format(date=date.isoformat(), span=span))
    return Row(n, recipient, kind, direction, source, " ".join(cells["donor"].split()), amount,
               date)


def _donor_key(donor: str) -> str:
    return donor.casefold()


def check(rows: list[Row], rules: FinanceRules) -> dict:
    """Totals per recipient and every limit broken: `{"recipients", "violations"}`."""
    recipients: dict[str, dict] = {}
    by_donor: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    by_source: dict[tuple[str, str], list[Row]] = defaultdict(list)
    spelled: dict[tuple[str, str], str] = {}
    for r in rows:
        t = recipients.setdefault(r.recipient, {
            "kind": r.recipient_kind, "income": {}, "spending": {}, "income_total": 0,
            "spending_total": 0, "own_funds": 0, "donations": 0, "rows": 0})
        t["rows"] += 1
        side = t[r.direction]
        side[r.source_kind] = side.get(r.source_kind, 0) + r.amount
        t[f"{r.direction}_total"] += r.amount
        if r.direction != "income":
            continue
        by_source[(r.recipient, r.source_kind)].append(r)
        if r.source_kind == "own":
            t["own_funds"] += r.amount
        elif r.source_kind in DONATIONS:
            t["donations"] += r.amount
            key = _donor_key(r.donor)
            group = "individual" if r.source_kind == "individual" else "organisation"
            by_donor[(r.recipient, group, key)].append(r)
            spelled.setdefault((group, key), r.donor)
    for t in recipients.values():
        t["balance"] = t["income_total"] - t["spending_total"]

    violations: list[dict] = []

    def flag(code, recipient, donor, limit, group: list[Row], **extra):
        amount = sum(r.amount for r in group)
        violations.append({"code": code, "recipient": recipient,
                           "recipient_kind": recipients[recipient]["kind"], "donor": donor,
                           "limit": limit, "amount": amount,
                           "rows": sorted(r.row for r in group), **extra})

    for (recipient, group, key), grows in by_donor.items():
        if not key:
            flag("forbidden_source", recipient, None, 0, grows, source_kind="anonymous")
            continue
        limit = (rules.individual_donor_limit if group == "individual"
                 else rules.organisation_donor_limit)
        if sum(r.amount for r in grows) > limit:
            flag(f"{group}_donor_limit", recipient, spelled[(group, key)], limit, grows)
    for (recipient, source), srows in by_source.items():
        if source in rules.forbidden_sources:
            donors = defaultdict(list)
            for r in srows:
                donors[r.donor].append(r)
            for donor, drows in donors.items():
                flag("forbidden_source", recipient, donor or None, 0, drows, source_kind=source)
    for recipient, t in recipients.items():
        income = [r for r in rows if r.recipient == recipient and r.direction == "income"]
        own_limit = rules.own_funds_limit[t["kind"]]
        if t["own_funds"] > own_limit:
            flag("own_funds_limit", recipient, None, own_limit,
                 [r for r in income if r.source_kind == "own"])
        total_limit = rules.donations_total_limit[t["kind"]]
        if t["donations"] > total_limit:
            flag("donations_total_limit", recipient, None, total_limit,
                 [r for r in income if r.source_kind in DONATIONS])
        if t["spending_total"] > t["income_total"]:
            flag("spending_exceeds_income", recipient, None, t["income_total"],
                 [r for r in rows if r.recipient == recipient and r.direction == "spending"])
    violations.sort(key=lambda v: (v["recipient"], v["code"], v["donor"] or "", v["rows"]))
    return {"ruleset": rules.name, "recipients": dict(sorted(recipients.items())),
            "violations": violations}


def check_csv(text: str, rules: FinanceRules) -> dict:
    return check(read_report(text, rules), rules)

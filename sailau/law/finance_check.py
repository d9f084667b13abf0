"""Reading a campaign fund report (CSV) strictly, and checking it against the finance rules.

The report's columns are `recipient,recipient_kind,direction,source_kind,donor,amount_kzt,date`
(any order, no others). For income `source_kind` is where the money came from
(`campaign_finance.INCOME_SOURCES`) and `donor` who gave it; for spending `source_kind` is the
category and `donor` the supplier. Rows are numbered as in a spreadsheet: the header is row 1.

Bad input (`FinanceInputError`) names the row and the column, in kk/ru/en, and nothing of the
file is used; a report that reads is checked, and what breaks the rules comes back as
violations, which are findings, not errors. Pure Python: no Django here."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass

from sailau.law.campaign_finance import INCOME_SOURCES, RECIPIENT_KINDS, FinanceRules
from sailau.law.errors import LawInputError

COLUMNS = ("recipient", "recipient_kind", "direction", "source_kind", "donor", "amount_kzt",
           "date")
DIRECTIONS = ("income", "spending")
AMOUNT = re.compile(r"-?\d+(?:\.0+)?")
# Sources that count as donations (against the donations total) and whose donor is limited.
DONATIONS = ("individual", "organisation", "party")


class FinanceInputError(LawInputError):
    """A report that cannot be read; `row` (spreadsheet numbering) and `field` (the column)."""

    def __init__(self, row: int | None, column: str | None, message: dict[str, str]):
        self.row = row
        where = {"kk": "", "ru": "", "en": ""}
        if row is not None and column:
            where = {"kk": f"{row}-жол, «{column}» бағаны: ", "ru": f"строка {row}, столбец "
                     f"«{column}»: ", "en": f"row {row}, column {column}: "}
        elif row is not None:
            where = {"kk": f"{row}-жол: ", "ru": f"строка {row}: ", "en": f"row {row}: "}
        super().__init__(column or "", {k: where[k] + message[k] for k in message})
        self.detail = {"row": row, "column": column}

    def text(self, lang: str | None = None) -> str:
        return super(LawInputError, self).text(lang)  # the location is in the message already


def _m(kk: str, ru: str, en: str) -> dict[str, str]:
    return {"kk": kk, "ru": ru, "en": en}


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
    """Every row of the CSV `text`, or FinanceInputError at the first bad cell."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader, None)
        if header is None:
            raise FinanceInputError(1, None, _m(
                "файл бос: тақырып жолы жоқ", "файл пуст: нет строки заголовка",
                "the file is empty: no header row"))
        header = [h.strip() for h in header]
        _check_header(header)
        rows: list[Row] = []
        kinds: dict[str, tuple[str, int]] = {}
        for n, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue  # a blank line, as spreadsheets write at the end
            if len(record) != len(header):
                raise FinanceInputError(n, None, _m(
                    f"{len(header)} баған болуы керек, {len(record)} бар",
                    f"должно быть столбцов: {len(header)}, а их {len(record)}",
                    f"has {len(record)} cells, the header has {len(header)}"))
            cells = {h: c.strip() for h, c in zip(header, record, strict=True)}
            row = _read_row(n, cells, rules)
            first = kinds.setdefault(row.recipient, (row.recipient_kind, n))
            if first[0] != row.recipient_kind:
                raise FinanceInputError(n, "recipient_kind", _m(
                    f"«{row.recipient}» {first[1]}-жолда «{first[0]}» деп берілген",
                    f"«{row.recipient}» в строке {first[1]} указан как «{first[0]}»",
                    f"{row.recipient!r} is a {first[0]} in row {first[1]}"))
            rows.append(row)
    except csv.Error as exc:
        raise FinanceInputError(reader.line_num, None, _m(
            f"CSV оқылмайды ({exc})", f"CSV не читается ({exc})", f"not readable CSV ({exc})"),
        ) from None
    return rows


def _check_header(header: list[str]) -> None:
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        names = ", ".join(missing)
        raise FinanceInputError(1, missing[0], _m(
            f"тақырып жолында баған жоқ: {names}", f"в заголовке нет столбцов: {names}",
            f"the header lacks the column(s) {names}"))
    for col in header:
        if col not in COLUMNS or header.count(col) > 1:
            raise FinanceInputError(1, col, _m(
                f"белгісіз немесе қайталанған баған (керегі: {', '.join(COLUMNS)})",
                f"неизвестный или повторённый столбец (нужны: {', '.join(COLUMNS)})",
                f"unknown or repeated column (expected {', '.join(COLUMNS)})"))


def _one_of(n: int, column: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        listed = ", ".join(allowed)
        raise FinanceInputError(n, column, _m(
            f"«{value}» белгісіз; болуы мүмкін: {listed}",
            f"«{value}» неизвестно; допустимо: {listed}",
            f"{value!r} is not one of {listed}"))
    return value


def _read_row(n: int, cells: dict[str, str], rules: FinanceRules) -> Row:
    recipient = " ".join(cells["recipient"].split())
    if not recipient:
        raise FinanceInputError(n, "recipient", _m("бос", "пусто", "empty"))
    kind = _one_of(n, "recipient_kind", cells["recipient_kind"], RECIPIENT_KINDS)
    direction = _one_of(n, "direction", cells["direction"], DIRECTIONS)
    allowed = INCOME_SOURCES if direction == "income" else rules.spending_categories
    source = _one_of(n, "source_kind", cells["source_kind"], allowed)
    raw = cells["amount_kzt"]
    if not AMOUNT.fullmatch(raw):
        raise FinanceInputError(n, "amount_kzt", _m(
            f"«{raw}» теңгенің бүтін саны емес", f"«{raw}» не целое число тенге",
            f"{raw!r} is not a whole number of tenge"))
    amount = int(raw.split(".")[0])
    if amount < 0 or raw.startswith("-"):
        raise FinanceInputError(n, "amount_kzt", _m(
            f"теріс сома ({raw})", f"отрицательная сумма ({raw})",
            f"negative amount ({raw})"))
    if amount == 0:
        raise FinanceInputError(n, "amount_kzt", _m(
            "сома нөлге тең", "сумма равна нулю", "the amount is zero"))
    try:
        date = dt.date.fromisoformat(cells["date"])
        if len(cells["date"]) != 10:
            raise ValueError
    except ValueError:
        raw = cells["date"]
        raise FinanceInputError(n, "date", _m(
            f"«{raw}» ЖЖЖЖ-АА-КК түріндегі күн емес", f"«{raw}» не дата вида ГГГГ-ММ-ДД",
            f"{raw!r} is not a date YYYY-MM-DD")) from None
    start, end = rules.campaign_start, rules.campaign_end
    if (start and date < start) or (end and date > end):
        span = f"{start.isoformat() if start else '…'} – {end.isoformat() if end else '…'}"
        raise FinanceInputError(n, "date", _m(
            f"{date.isoformat()} сайлау науқанынан тыс ({span})",
            f"{date.isoformat()} вне избирательной кампании ({span})",
            f"{date.isoformat()} is outside the campaign ({span})"))
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

"""A file of nominations, registration decisions and appeals, read strictly (`read`), and the
reasons a commission gives with the source each rests on (`REASONS`).

One CSV, one record a row, told apart by `record`:
- `list`: a party list in a list contest (`key`, `contest`, `party`, `date`);
- `nomination`: a person (`key`, `contest`, `nominated_by` party|self|association, `party` or
  `association`, `full_name`, `birth_date`, `residence_years`, `citizen`, `kazakh_language`,
  `higher_education`, `woman`, `disability`, `list_position` on a list, `candidate` the
  ballot's candidate id once registered (else matched by name), `deposit_kzt` and
  `deposit_date` when paid, `date` nominated);
- `decision`: on an earlier list or nomination `key` (`decision`
  registered|refused|withdrawn|deregistered, `reason` from `REASONS`, `note`, `body` the
  deciding commission, `basis` the legal basis in the commission's words, else the reason's
  citation (`law.citations`), `date`);
- `appeal`: against the last decision on `key` (`appeal_to` higher_commission|court|
  supreme_court, `body`, `date` filed, `outcome` pending|upheld|overturned, `outcome_date`).

Pure Python; contests, parties and commissions are resolved by the caller."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from sailau.languages import texts
from sailau.law import citations as C
from sailau.law import table
from sailau.law.table import RowError

T = texts("law.nominations")

REQUIRED = ("record", "key", "date")
OPTIONAL = ("contest", "party", "party_share", "nominated_by", "association", "full_name", "birth_date",
            "residence_years", "citizen", "kazakh_language", "higher_education", "woman",
            "disability", "list_position", "candidate", "deposit_kzt", "deposit_date", "decision", "reason",
            "note", "body", "basis", "appeal_to", "outcome", "outcome_date")
RECORDS = ("list", "nomination", "decision", "appeal")
NOMINATORS = ("party", "self", "association")
REGISTERED, REFUSED, WITHDRAWN, DEREGISTERED = "registered", "refused", "withdrawn", "deregistered"
DECISIONS = (REGISTERED, REFUSED, WITHDRAWN, DEREGISTERED)
APPEAL_TO = ("higher_commission", "court", "supreme_court")
PENDING, UPHELD, OVERTURNED = "pending", "upheld", "overturned"
OUTCOMES = (PENDING, UPHELD, OVERTURNED)

_REG = C.REGISTRATION
# reason -> (the decisions it may justify, the legal basis cited when the file gives none)
REASONS: dict[str, tuple[tuple[str, ...], C.Citation | None]] = {
    "requirements_met": ((REGISTERED,), C.Citation(C.ODIHR_2023, section=_REG)),
    "documents_incomplete": ((REFUSED,), C.Citation(C.ODIHR_2023, notes=("27",))),
    "no_deposit": ((REFUSED,), C.Citation(C.ODIHR_2023, notes=("27", "31"))),
    "corruption": ((REFUSED, DEREGISTERED), C.Citation(C.ODIHR_2023, section=_REG, notes=("27",))),
    "min_age": ((REFUSED, DEREGISTERED), C.Citation(C.ODIHR_2023, section=_REG, notes=("22",))),
    "residence_years": ((REFUSED, DEREGISTERED), C.Citation(C.ODIHR_2023, notes=("22", "29"))),
    "citizen": ((REFUSED, DEREGISTERED), C.Citation(C.ODIHR_2011, section="VII")),
    "kazakh_language": ((REFUSED,), C.Citation(C.ODIHR_2011, section="VII", notes=("4",))),
    "higher_education": ((REFUSED,), C.Citation(C.ELECTIONS_LAW, article="54")),
    "signatures": ((REFUSED,), C.Citation(C.ODIHR_2011, section="VII")),
    "list_quota": ((REFUSED,), C.Citation(C.ODIHR_2023, section=_REG)),
    "own_request": ((WITHDRAWN,), C.Citation(C.ODIHR_2023, notes=("27", "35"))),
    "party_recall": ((WITHDRAWN,), C.Citation(C.ODIHR_2023, notes=("35",))),
    "tax_declaration": ((DEREGISTERED,), C.Citation(C.ODIHR_2023, notes=("30", "34"))),
    "early_campaigning": ((DEREGISTERED,), C.Citation(C.ODIHR_2023, notes=("30", "33"))),
    "finance_rules": ((DEREGISTERED,), C.Citation(C.ODIHR_2023, section=_REG, notes=("30",))),
    "other": (DECISIONS, None),
}


@dataclass
class Record:
    row: int
    record: str
    key: str
    date: dt.date
    cells: dict[str, str] = field(default_factory=dict)  # the rest, checked by `read`
    values: dict = field(default_factory=dict)  # typed values of the record's columns


def read(text: str, period: tuple[dt.date | None, dt.date], known: dict[str, str] | None = None,
         decided: set[str] | None = None) -> list[Record]:
    """Every record of the file in order, typed; RowError at the first bad cell, a key given
    twice, a decision or appeal on a key not (yet) nominated, or a date outside `period`.
    `known`: keys imported before (key -> record kind), `decided`: those with a decision."""
    out: list[Record] = []
    kinds: dict[str, str] = dict(known or {})
    decided = set(decided or ())
    start, end = period
    for n, c in table.records(text, REQUIRED, OPTIONAL):
        record = table.one_of(n, "record", c["record"], RECORDS)
        key = table.need(n, "key", c["key"])
        day = table.date(n, "date", c["date"])
        table.within(n, "date", day, start, end, PERIOD)
        r = Record(n, record, key, day, c)
        if record in ("list", "nomination"):
            if key in kinds:
                raise RowError.at(n, "key", T("key {key!r} is given twice").format(key=key))
            kinds[key] = record
            table.need(n, "contest", c["contest"])
            if record == "list":
                table.need(n, "party", c["party"])
                r.values = {}
            else:
                r.values = _nomination(n, c, period)
            r.values["party_share"] = _share(n, c["party_share"])
        else:
            if key not in kinds:
                raise RowError.at(n, "key", T(
                    "{key!r}: no list or nomination with this key above").format(key=key))
            if record == "decision":
                r.values = _decision(n, c)
                decided.add(key)
            else:
                if key not in decided:
                    raise RowError.at(n, "key", T(
                        "{key!r}: no decision above to appeal").format(key=key))
                r.values = _appeal(n, c, day, period)
        out.append(r)
    return out


PERIOD = T("the electoral period")


def _share(n: int, raw: str) -> Fraction | None:
    """A percentage as written ("5", "4.99", "71,09") -> an exact fraction of 1."""
    if not raw:
        return None
    try:
        value = Fraction(raw.replace(",", ".")) / 100
    except (ValueError, ZeroDivisionError):
        value = None
    if value is None or not 0 <= value <= 1:
        raise RowError.at(n, "party_share", T(
            "{raw!r} is not a percentage from 0 to 100").format(raw=raw))
    return value


def _nomination(n: int, c: dict[str, str], period) -> dict:
    by = table.one_of(n, "nominated_by", c["nominated_by"] or "party", NOMINATORS)
    if by == "party":
        table.need(n, "party", c["party"])
    elif by == "association":
        table.need(n, "association", c["association"])
    elif c["party"]:
        raise RowError.at(n, "party", T("a self-nominated candidate has no party"))
    v = {"nominated_by": by, "full_name": " ".join(table.need(n, "full_name",
                                                              c["full_name"]).split()),
         "birth_date": table.date(n, "birth_date", c["birth_date"]),
         "residence_years": table.whole(n, "residence_years", c["residence_years"], False),
         "list_position": table.whole(n, "list_position", c["list_position"], False, 1),
         "deposit_kzt": table.whole(n, "deposit_kzt", c["deposit_kzt"], False),
         "deposit_date": table.date(n, "deposit_date", c["deposit_date"], False)}
    for name in ("citizen", "kazakh_language", "higher_education", "woman", "disability"):
        v[name] = table.flag(n, name, c[name])
    table.within(n, "deposit_date", v["deposit_date"], *period, PERIOD)
    if v["deposit_kzt"] and v["deposit_date"] is None:
        table.need(n, "deposit_date", "")
    return v


def _decision(n: int, c: dict[str, str]) -> dict:
    decision = table.one_of(n, "decision", c["decision"], DECISIONS)
    reason = table.one_of(n, "reason", c["reason"] or ("requirements_met" if decision == REGISTERED
                                                        else ""), tuple(REASONS))
    allowed, basis = REASONS[reason]
    if decision not in allowed:
        raise RowError.at(n, "reason", T(
            "{reason!r} is not a reason for {decision!r}").format(reason=reason, decision=decision))
    if reason == "other" and not c["note"]:
        table.need(n, "note", "")
    # The commission's own words when it gave a basis, else the reason's citation (as data).
    return {"decision": decision, "reason": reason, "note": c["note"], "body": c["body"],
            "basis": c["basis"], "citation": None if c["basis"] else basis}


def _appeal(n: int, c: dict[str, str], day: dt.date, period) -> dict:
    to = table.one_of(n, "appeal_to", c["appeal_to"], APPEAL_TO)
    outcome = table.one_of(n, "outcome", c["outcome"] or PENDING, OUTCOMES)
    decided = table.date(n, "outcome_date", c["outcome_date"], outcome != PENDING)
    if outcome == PENDING and decided:
        raise RowError.at(n, "outcome_date", T("a pending appeal has no outcome date"))
    table.within(n, "outcome_date", decided, day, period[1], PERIOD)
    return {"appeal_to": to, "body": c["body"], "outcome": outcome, "outcome_date": decided}

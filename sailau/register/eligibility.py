"""Who may vote: a pure function of a register record, the election day and the rules.

The restrictions on legal capacity and detention are options, not constants: Kazakhstan's
law excludes persons declared legally incapable by a court and persons held in places of
deprivation of liberty by a court sentence, and ODIHR recommends lifting both; the election's
rule set decides. Every exclusion carries every reason that applies, each with a stable code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sailau.law.eligibility import KZ_1995

UNDER_AGE = "under_age"
NOT_CITIZEN = "not_citizen"
LEGAL_INCAPACITY = "legal_incapacity"
IN_DETENTION = "in_detention"


@dataclass(frozen=True)
class EligibilityRules:
    """The parameters alone; the law's `sailau.law.eligibility.VoterRules` (what an election's
    rule set carries) has the same fields and can be passed wherever this is."""

    min_age: int = KZ_1995.min_age
    citizenship: str = KZ_1995.citizenship
    exclude_legal_incapacity: bool = KZ_1995.exclude_legal_incapacity
    exclude_detention: bool = KZ_1995.exclude_detention


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[str, ...]  # empty when eligible


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years on `day`; someone born on 29 February comes of age on 1 March in
    common years (the birthday has not yet been reached on 28 February)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def eligibility(record, election_day: dt.date, rules=EligibilityRules()) -> Eligibility:
    """`record` needs birth_date, citizenship, legal_capacity and in_detention (an
    `extract.Record` has them)."""
    reasons = []
    if age_on(record.birth_date, election_day) < rules.min_age:
        reasons.append(UNDER_AGE)
    if record.citizenship != rules.citizenship:
        reasons.append(NOT_CITIZEN)
    if rules.exclude_legal_incapacity and not record.legal_capacity:
        reasons.append(LEGAL_INCAPACITY)
    if rules.exclude_detention and record.in_detention:
        reasons.append(IN_DETENTION)
    return Eligibility(not reasons, tuple(reasons))


def eligibility_frame(valid, election_day: dt.date, rules=EligibilityRules()):
    """The same rules over a whole frame of valid rows (from `extract.validate_frame`): adds
    `eligible` and `reasons` (a list of codes)."""
    import polars as pl

    b = pl.col("birth_date")
    before_birthday = (pl.lit(election_day.month) < b.dt.month()) | (
        (pl.lit(election_day.month) == b.dt.month()) & (pl.lit(election_day.day) < b.dt.day()))
    age = pl.lit(election_day.year) - b.dt.year() - before_birthday.cast(pl.Int32)
    conds = [(age < rules.min_age, UNDER_AGE), (pl.col("citizenship") != rules.citizenship, NOT_CITIZEN)]
    if rules.exclude_legal_incapacity:
        conds.append((~pl.col("legal_capacity"), LEGAL_INCAPACITY))
    if rules.exclude_detention:
        conds.append((pl.col("in_detention"), IN_DETENTION))
    reasons = pl.concat_list([pl.when(c).then(pl.lit([code])).otherwise(pl.lit([], dtype=pl.List(pl.String)))
                              for c, code in conds])
    return valid.with_columns(reasons=reasons).with_columns(eligible=pl.col("reasons").list.len() == 0)

"""Signatures supporting a presidential candidate: the sheets as imported, checked line by line
against the voter register, the threshold and its spread over the regions, and the sample
check a commission makes.

Sources (see `SOURCES`):
- OSCE/ODIHR, Kazakhstan early presidential election 3 April 2011, interim report (Kazakh;
  ODIHR interim report, 2011 presidential), section VII: a nominee must submit at least 91,010 valid signatures of
  supporting citizens (1 % of the registered voters then), and the ODIHR notes that the
  verification rules were unclear, the commissions' protocols gave no reason for a signature
  found invalid, and one territorial commission refused a whole sheet over technical errors.
- Constitutional Law of the RK 'On Elections in the RK', No. 2464, 28 September 1995, art. 56 (collection of signatures for a presidential candidate): at least 1 % of
  the registered voters, spread so that at least two-thirds of the regions (oblasts, cities of
  republican significance and the capital) are represented.

Pure Python: the register is a function given by the caller (it also tells an IIN whose check
digit fails, since the IIN's rules live with the register)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from sailau.languages import texts
from sailau.law.source import Source
from sailau.law.table import RowError, need, records, whole
from sailau.law.table import date as date_cell

T = texts("law.signatures")

SOURCES = (
    Source("OSCE/ODIHR, Kazakhstan early presidential election 3 April 2011, Interim Report "
           "(Kazakh; ODIHR interim report, 2011 presidential), section VII 'Nomination and registration of candidates'", None,
           "at least 1 % of registered voters' valid signatures (91,010 in 2011); reasons of "
           "invalidity to be stated"),
    Source("Constitutional Law of the RK 'On Elections in the RK', No. 2464, 28 September 1995, "
           "art. 56 'Collection of signatures in support of a candidate for President'",
           "https://adilet.zan.kz/eng/docs/Z950002464_",
           "1 % of registered voters, representing at least two-thirds of the regions"),
)

ASSUMPTIONS = (
    ("'Represented evenly' is read as: a region counts when its valid signatures reach the same "
     "1 % of that region's registered voters (the sources give no other measure of evenness)."),
    "Regions are the territorial commissions: 17 oblasts, Almaty, Astana and Shymkent.",
    ("A voter signs once for a candidate: a second line of the same voter is a duplicate and "
     "invalid, the first stays valid (the order is sheet, then line)."),
    ("The sample check draws `sample` lines uniformly at random (or all lines if there are "
     "fewer) from a seeded generator, so anyone can redraw it; the share found invalid in the "
     "sample is projected onto all the lines, as a commission that checks only a sample would."),
)

COLUMNS = ("sheet", "line", "voter", "region", "date")
# Why a signature line does not count; kept in this order (the first reason wins).
INVALID_IIN, NOT_ON_REGISTER, NOT_ELIGIBLE, OUTSIDE_REGION, OUTSIDE_PERIOD, DUPLICATE = (
    "invalid_iin", "not_on_register", "not_eligible", "outside_region", "outside_period",
    "duplicate")
REASONS = (INVALID_IIN, NOT_ON_REGISTER, NOT_ELIGIBLE, OUTSIDE_REGION, OUTSIDE_PERIOD, DUPLICATE)


@dataclass(frozen=True)
class SignatureRules:
    name: str
    share: Fraction = Fraction(1, 100)  # of the registered voters of the country
    regions: Fraction = Fraction(2, 3)  # of the regions that must be represented
    region_share: Fraction = Fraction(1, 100)  # of a region's voters for it to count
    sample: int = 400  # lines in the commission's sample check
    sources: tuple[Source, ...] = SOURCES
    assumptions: tuple[str, ...] = ASSUMPTIONS

    def required(self, voters: int) -> int:
        return _ceil(self.share * voters)

    def regions_required(self, regions: int) -> int:
        return _ceil(self.regions * regions)

    def describe(self) -> dict:
        return {"name": self.name, "share": _frac(self.share), "regions": _frac(self.regions),
                "region_share": _frac(self.region_share), "sample": self.sample,
                "sources": [s.to_json() for s in self.sources],
                "assumptions": list(self.assumptions)}


def _ceil(x: Fraction) -> int:
    return -(-x.numerator // x.denominator)


def _frac(x: Fraction) -> str:
    return f"{x.numerator}/{x.denominator}"


@dataclass(frozen=True)
class Line:
    row: int
    sheet: int
    line: int
    voter: str  # an IIN (12 digits) or a register id (other digits)
    region: str  # as written on the sheet; the caller resolves it
    date: dt.date


def read_sheets(text: str, regions: Callable[[str], str | None]) -> list[Line]:
    """Every line of the CSV `text` (columns `COLUMNS`), the region resolved by `regions` (None:
    unknown); RowError at the first bad cell or a sheet line given twice."""
    out: list[Line] = []
    seen: dict[tuple[int, int], int] = {}
    for n, c in records(text, COLUMNS):
        sheet = whole(n, "sheet", c["sheet"], minimum=1)
        line = whole(n, "line", c["line"], minimum=1)
        voter = need(n, "voter", c["voter"])
        if not (voter.isascii() and voter.isdigit()):
            raise RowError.at(n, "voter", T("{voter!r}: must be an IIN (12 digits) or a register "
                                            "id").format(voter=voter))
        region = regions(need(n, "region", c["region"]))
        if region is None:
            raise RowError.at(n, "region", T(
                "{region!r} is not a region of this election").format(region=c['region']))
        day = date_cell(n, "date", c["date"])
        first = seen.setdefault((sheet, line), n)
        if first != n:
            raise RowError.at(n, "line", T(
                "sheet {sheet} line {line} is also row {first}").format(sheet=sheet, line=line, first=first))
        out.append(Line(n, sheet, line, voter, region, day))
    return out


@dataclass(frozen=True)
class Registered:
    """What the register says of one voter: the region of their station list and whether they
    may vote in this election."""

    region: str
    eligible: bool = True


def reasons(lines: list[Line], register: Callable[[str], Registered | str | None],
            period: tuple[dt.date | None, dt.date | None] = (None, None)) -> dict[int, str]:
    """row -> why that line is invalid (lines not named are valid). `register(voter)` is what
    the register says: `Registered`, None (not on it) or a reason (`INVALID_IIN`)."""
    bad: dict[int, str] = {}
    signed: dict[str, int] = {}
    start, end = period
    for ln in sorted(lines, key=lambda x: (x.sheet, x.line)):
        who = register(ln.voter)
        if isinstance(who, str):
            bad[ln.row] = who
        elif who is None:
            bad[ln.row] = NOT_ON_REGISTER
        elif not who.eligible:
            bad[ln.row] = NOT_ELIGIBLE
        elif who.region != ln.region:
            bad[ln.row] = OUTSIDE_REGION
        elif (start and ln.date < start) or (end and ln.date > end):
            bad[ln.row] = OUTSIDE_PERIOD
        elif ln.voter in signed:
            bad[ln.row] = DUPLICATE
        else:
            signed[ln.voter] = ln.row
    return bad


def check(lines: list[Line], register: Callable[[str], Registered | str | None],
          voters: Mapping[str, int], rules: SignatureRules, seed: int = 0,
          period: tuple[dt.date | None, dt.date | None] = (None, None)) -> dict:
    """The whole check: each invalid line with its reason, valid signatures per region against
    the region's share, the national threshold, the two-thirds spread, and the sample check.
    `voters`: registered voters per region (every region of the country, even one without a
    sheet)."""
    bad = reasons(lines, register, period)
    valid_by: Counter = Counter(ln.region for ln in lines if ln.row not in bad)
    total = sum(voters.values())
    required = rules.required(total)
    per_region = {}
    for region, n in sorted(voters.items()):
        need = _ceil(rules.region_share * n)
        per_region[region] = {"voters": n, "valid": valid_by.get(region, 0), "required": need,
                              "represented": n > 0 and valid_by.get(region, 0) >= need}
    represented = sum(r["represented"] for r in per_region.values())
    regions_required = rules.regions_required(len(voters))
    valid = sum(valid_by.values())
    sample = _sample(lines, bad, rules.sample, seed)
    projected = valid if not lines else _ceil(Fraction(len(lines)) * (
        1 - Fraction(sample["invalid"], max(sample["lines"], 1))))
    by_reason: dict[str, list] = defaultdict(list)
    for ln in lines:
        if ln.row in bad:
            by_reason[bad[ln.row]].append({"row": ln.row, "sheet": ln.sheet, "line": ln.line})
    return {
        "ruleset": rules.name, "lines": len(lines), "valid": valid, "invalid": len(bad),
        "registered_voters": total, "required": required, "meets_threshold": valid >= required,
        "regions": len(voters), "regions_represented": represented,
        "regions_required": regions_required, "meets_spread": represented >= regions_required,
        "per_region": per_region,
        "findings": [{"code": code, "count": len(by_reason[code]), "lines": by_reason[code]}
                     for code in REASONS if by_reason.get(code)],
        "sample": {**sample, "projected_valid": projected,
                   "meets_threshold": projected >= required},
        "meets": valid >= required and represented >= regions_required,
    }


def _sample(lines: list[Line], bad: dict[int, str], size: int, seed: int) -> dict:
    ordered = sorted(lines, key=lambda x: (x.sheet, x.line))
    drawn = ordered if len(ordered) <= size else random.Random(seed).sample(ordered, size)
    drawn = sorted(drawn, key=lambda x: (x.sheet, x.line))
    invalid = [ln for ln in drawn if ln.row in bad]
    return {"seed": seed, "lines": len(drawn), "invalid": len(invalid),
            "drawn": [[ln.sheet, ln.line] for ln in drawn],
            "found": [{"sheet": ln.sheet, "line": ln.line, "code": bad[ln.row]} for ln in invalid]}


KZ_2022 = SignatureRules("kz-signatures-2022")
BY_RULESET = {"kz-president-2022": KZ_2022}


def for_ruleset(name: str) -> SignatureRules:
    try:
        return BY_RULESET[name]
    except KeyError:
        raise LookupError(f"rule set {name!r} asks for no signatures") from None

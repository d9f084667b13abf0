"""Who may stand, and the deposit: requirements checked at registration, as data each rule set
carries (like `eligibility` for voters).

Sources (see `SOURCES`):
- OSCE/ODIHR EOM 2023 (ODIHR statement, 2023 Mazhilis), "Candidate registration" and notes 22, 31: a Mazhilis
  candidate is a voter of at least 25 who has lived in the country for 10 years; a deposit of
  1,050,000 KZT per candidate, list or single-member (15 minimum wages of 70,000); a party with
  at least 5 % in the last parliamentary election pays none, 3 to 5 % half, 1 to 3 % 70 %.
- Constitutional Law of the RK 'On Elections in the RK', No. 2464, 28 September 1995, art. 54
  (the President) and the chapters on the Parliament and maslikhats: maslikhat candidates at
  least 20, the President at least 40 with 15 years of residence; deposits 5 (maslikhat) and 50
  (President) minimum wages; the party list's combined 30 % of women, youth (under 35) and
  persons with disabilities.

Pure Python: no Django here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from fractions import Fraction

from sailau.law.candidate_quota import age_on
from sailau.law.source import Source

SOURCES = (
    Source("OSCE/ODIHR EOM, Kazakhstan early parliamentary elections 19 March 2023, Statement "
           "of Preliminary Findings and Conclusions (Kazakh; ODIHR statement, 2023 Mazhilis), 'Candidate "
           "registration', notes 22 and 31", None,
           "Mazhilis: 25 years, 10 years of residence; deposit 1,050,000 KZT per candidate; "
           "party discount by its share in the last parliamentary election"),
    Source("Constitutional Law of the RK 'On Elections in the RK', No. 2464, 28 September 1995, "
           "art. 54 'Requirements for a candidate for President' and the chapters on the "
           "Mazhilis and maslikhats", "https://adilet.zan.kz/eng/docs/Z950002464_",
           "maslikhat 20 years, President 40 years and 15 years of residence; deposits of 5 and "
           "50 minimum wages; 30 % combined quota on party lists"),
    Source("OSCE/ODIHR, Kazakhstan early presidential election 3 April 2011, Interim Report "
           "(Kazakh; ODIHR interim report, 2011 presidential), section VII", None,
           "President: a citizen, at least 40, fluent in Kazakh (a language test), 15 years of "
           "residence"),
    Source("OSCE/ODIHR EOM 2023 (ODIHR statement, 2023 Mazhilis), 'Background' (the President called the elections "
           "on 19 January) and notes 27, 30, 34", None,
           "the electoral period; refusals (incomplete documents, no deposit, corruption) and "
           "deregistrations (early campaigning, tax declarations)"),
)

ASSUMPTIONS = (
    ("Ages are counted on election day; residence in whole years as the candidate declares "
     "them, checked against the minimum."),
    ("The party discount bands include their lower bound: exactly 5 % pays nothing, exactly 3 % "
     "half, exactly 1 % 70 %; under 1 % (or a self-nominated candidate) pays the whole deposit."),
    ("The minimum wage is that of the election's year (70,000 KZT in 2023: the 1,050,000 deposit "
     "is 15 of them). Deposits are whole tenge, rounded up where a share leaves a fraction."),
    "The list quota counts each person once, whatever the number of categories they belong to.",
    ("The President's higher education is recorded and checked as art. 54 of the law asks; the ODIHR "
     "reports name the Kazakh language, citizenship, age and residence only."),
    ("Nominations, decisions and appeals are dated within the electoral period: from the day "
     "the election was called to election day."),
    ("The deposit is returned to a candidate (or list) elected or with at least 5 % of the valid "
     "votes of its contest, and to a nomination the commission refused; a candidate who "
     "withdrew or was deregistered forfeits it (we did not have the law's text on it: this is "
     "the rule as commonly reported, kept as a parameter)."),
)


@dataclass(frozen=True)
class Office:
    min_age: int
    residence_years: int | None  # None: no residence requirement in the rule set
    deposit_wages: int  # deposit in minimum wages
    kazakh_language: bool = False  # fluency in Kazakh required (the President)
    higher_education: bool = False


# Documents a nomination records, each a requirement when the office asks for it.
DOCUMENTS = ("citizen", "kazakh_language", "higher_education")


@dataclass(frozen=True)
class CandidacyRules:
    name: str
    minimum_wage: int
    offices: dict[str, Office]
    # (lower bound of the party's share in the last parliamentary election, share of the
    # deposit it pays), highest bound first
    party_bands: tuple[tuple[Fraction, Fraction], ...] = (
        (Fraction(5, 100), Fraction(0)), (Fraction(3, 100), Fraction(1, 2)),
        (Fraction(1, 100), Fraction(7, 10)))
    list_quota: Fraction = Fraction(3, 10)
    youth_age: int = 35
    period_start: dt.date | None = None  # the election called: nominations from this day
    refund_share: Fraction = Fraction(5, 100)  # of the contest's valid votes: deposit returned
    sources: tuple[Source, ...] = SOURCES
    assumptions: tuple[str, ...] = ASSUMPTIONS

    def office(self, office: str) -> Office:
        try:
            return self.offices[office]
        except KeyError:
            raise LookupError(f"{self.name} has no requirements for {office!r} (known: "
                              f"{', '.join(sorted(self.offices))})") from None

    def deposit(self, office: str, party_share: Fraction | None = None) -> int:
        """The deposit in tenge of one candidate; `party_share` is the nominating party's share
        of the vote in the last parliamentary election (None: self-nominated)."""
        full = self.office(office).deposit_wages * self.minimum_wage
        pays = Fraction(1)
        if party_share is not None:
            for bound, share in self.party_bands:
                if party_share >= bound:
                    pays = share
                    break
        amount = full * pays
        return -(-amount.numerator // amount.denominator)  # rounded up to a whole tenge

    def check_candidate(self, office: str, birth_date: dt.date, election_day: dt.date,
                        residence_years: int | None = None, **documents: bool | None
                        ) -> list[dict]:
        """What keeps this person from standing: `[{"requirement", "required", "actual"}]`,
        empty when they may. A residence not given is reported as unknown, never assumed.
        `documents` (`DOCUMENTS`: citizen, kazakh_language, higher_education) are checked when
        given: False, or None for one the office requires, is a problem."""
        o = self.office(office)
        problems = []
        age = age_on(birth_date, election_day)
        if age < o.min_age:
            problems.append({"requirement": "min_age", "required": o.min_age, "actual": age})
        if o.residence_years is not None and (residence_years is None
                                              or residence_years < o.residence_years):
            problems.append({"requirement": "residence_years", "required": o.residence_years,
                             "actual": residence_years})
        for name, value in documents.items():
            if name not in DOCUMENTS:
                raise TypeError(f"unknown document {name!r}")
            needed = name == "citizen" or getattr(o, name)
            if needed and value is not True:
                problems.append({"requirement": name, "required": True, "actual": value})
        return problems

    def refund(self, status: str, share: Fraction | None, elected: bool) -> str:
        """What becomes of a paid deposit: "returned", "forfeited", or "pending" while the
        contest's result (`share` of the valid votes, `elected`) is not final (share None)."""
        if status == "refused":
            return "returned"
        if status in ("withdrawn", "deregistered"):
            return "forfeited"
        if status != "registered":
            return "pending"  # nominated, not yet decided
        if share is None:
            return "pending"
        return "returned" if elected or share >= self.refund_share else "forfeited"

    def check_list(self, candidates: list[dict], election_day: dt.date) -> dict:
        """The 30 % quota on a whole party list: each candidate `{"woman", "disability",
        "youth" | "birth_date"}`; youth is under `youth_age` on election day."""
        qualifying = 0
        for c in candidates:
            young = c.get("youth")
            if young is None and c.get("birth_date"):
                young = age_on(c["birth_date"], election_day) < self.youth_age
            qualifying += bool(c.get("woman") or c.get("disability") or young)
        n = len(candidates)
        share = Fraction(qualifying, n) if n else Fraction(0)
        return {"candidates": n, "qualifying": qualifying, "share": f"{share.numerator}/"
                f"{share.denominator}", "required": f"{self.list_quota.numerator}/"
                f"{self.list_quota.denominator}", "meets": n > 0 and share >= self.list_quota}


KZ_2023 = CandidacyRules(
    "kz-candidacy-2023", minimum_wage=70_000,
    offices={"mazhilis": Office(25, 10, 15), "maslikhat": Office(20, None, 5),
             "president": Office(40, 15, 50, kazakh_language=True, higher_education=True)},
    period_start=dt.date(2023, 1, 19))
# The 2022 presidential election: the same requirements; the minimum wage of 2022 was 60,000 KZT
# (ASSUMPTION: not in the sources) and the period is left open.
KZ_2022 = replace(KZ_2023, name="kz-candidacy-2022", minimum_wage=60_000, period_start=None)
BY_RULESET = {"kz-mazhilis-2023": KZ_2023, "kz-maslikhat-2023": KZ_2023, "kz-smd-2023": KZ_2023,
              "kz-president-2022": KZ_2022}


def for_ruleset(name: str) -> CandidacyRules:
    try:
        return BY_RULESET[name]
    except KeyError:
        raise LookupError(f"no candidacy rules for rule set {name!r}") from None

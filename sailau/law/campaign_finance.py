"""Campaign finance limits, as data each rule set carries (like `eligibility` and `deadlines`).

Sources (see `SOURCES`):
- OSCE/ODIHR EOM, 2023 parliamentary elections (ODIHR statement, 2023 Mazhilis), section "Campaign finance" and its
  notes 49-51: a donation from one individual at most 7 million KZT, from one organisation at
  most 35 million; a party's own funds spent on the campaign at most 350 million and donations
  from citizens and organisations in total at most 700 million; a candidate's own funds at most
  14 million and donations in total at most 35 million. The same section: the official campaign
  ran from 18 February to midnight of 17 March 2023 (also "Election campaign").
- Constitutional Law of the RK 'On Elections in the RK', No. 2464, 28 September 1995, art. 34 (election funds): donations from
  foreign sources, anonymous donors and state bodies are forbidden.

Amounts are whole tenge. Pure Python: no Django here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sailau.law.source import Source

ELECTION_FUNDS = Source(
    "Constitutional Law of the RK 'On Elections in the RK', No. 2464, 28 September 1995, art. 34 "
    "'Election funds'", "https://adilet.zan.kz/eng/docs/Z950002464_",
    "donations from foreign sources, anonymous donors and state bodies are forbidden")

SOURCES = (
    Source("OSCE/ODIHR EOM, Kazakhstan early parliamentary elections 19 March 2023, Statement "
           "of Preliminary Findings and Conclusions (Kazakh; ODIHR statement, 2023 Mazhilis), 'Campaign finance'", None,
           "limits (notes 49-51): 7,000,000 per individual, 35,000,000 per organisation; party "
           "own funds 350,000,000 and donations 700,000,000; candidate own funds 14,000,000 and "
           "donations 35,000,000; campaign period 18 February - 17 March 2023"),
    ELECTION_FUNDS,
)

ASSUMPTIONS = (
    ("A donor limit (7 million for an individual, 35 million for an organisation) applies to the "
     "donor's TOTAL to one recipient over the campaign, not to each transfer: the text we have "
     "leaves it open, and a per-transfer limit would be met by splitting a gift in two."),
    ("Donors are told apart by their name as written, ignoring case and repeated spaces; the "
     "same name given as an individual and as an organisation is two donors."),
    ("A transfer from a party (source 'party') is a donation from an organisation: it counts "
     "against the organisation limit and the donations total (a party is a legal entity)."),
    ("A donation from an individual or an organisation with no donor name is anonymous."),
    ("'state' means a donation from a state body or state enterprise. The state's own campaign "
     "support (airtime, subsidies to self-nominated candidates, ODIHR statement, 2023 Mazhilis note 54) is paid by "
     "the commissions to suppliers and does not enter the fund, so it is not in these reports."),
    ("Every income and spending row is dated within the official campaign; a date outside it "
     "is refused as bad input, not flagged (the report is then wrong, not the fund)."),
    ("Spending beyond the fund's income is flagged: a fund cannot pay more than it received."),
    ("The spending categories are our own classification (not from a source): media, print, "
     "outdoor, events, premises, transport, staff, communications, other."),
)

INCOME_SOURCES = ("own", "individual", "organisation", "party", "state", "foreign", "anonymous")
SPENDING_CATEGORIES = ("media", "print", "outdoor", "events", "premises", "transport", "staff",
                       "communications", "other")
RECIPIENT_KINDS = ("party", "candidate")


@dataclass(frozen=True)
class FinanceRules:
    name: str
    campaign_start: dt.date | None
    campaign_end: dt.date | None
    individual_donor_limit: int
    organisation_donor_limit: int
    own_funds_limit: dict[str, int]  # by recipient kind
    donations_total_limit: dict[str, int]  # by recipient kind
    forbidden_sources: tuple[str, ...] = ("foreign", "anonymous", "state")
    donor_limit_applies_to: str = "donor_total_per_recipient_campaign"
    sources: tuple[Source, ...] = SOURCES
    assumptions: tuple[str, ...] = ASSUMPTIONS
    spending_categories: tuple[str, ...] = field(default=SPENDING_CATEGORIES)

    def describe(self) -> dict:
        return {"name": self.name,
                "campaign": [d.isoformat() if d else None
                             for d in (self.campaign_start, self.campaign_end)],
                "individual_donor_limit": self.individual_donor_limit,
                "organisation_donor_limit": self.organisation_donor_limit,
                "own_funds_limit": dict(self.own_funds_limit),
                "donations_total_limit": dict(self.donations_total_limit),
                "donor_limit_applies_to": self.donor_limit_applies_to,
                "forbidden_sources": list(self.forbidden_sources),
                "spending_categories": list(self.spending_categories),
                "sources": [s.to_json() for s in self.sources],
                "assumptions": list(self.assumptions)}


# The 2023 parliamentary and maslikhat elections (one election day, 19 March 2023).
KZ_2023 = FinanceRules(
    "kz-finance-2023",
    campaign_start=dt.date(2023, 2, 18), campaign_end=dt.date(2023, 3, 17),
    individual_donor_limit=7_000_000, organisation_donor_limit=35_000_000,
    own_funds_limit={"party": 350_000_000, "candidate": 14_000_000},
    donations_total_limit={"party": 700_000_000, "candidate": 35_000_000},
)
BY_RULESET = {"kz-mazhilis-2023": KZ_2023, "kz-maslikhat-2023": KZ_2023, "kz-smd-2023": KZ_2023}


def for_ruleset(name: str) -> FinanceRules:
    """The campaign finance rules under the rule set `name` (LookupError when none is known)."""
    try:
        return BY_RULESET[name]
    except KeyError:
        raise LookupError(f"no campaign finance rules for rule set {name!r} (known: "
                          f"{', '.join(sorted(BY_RULESET))})") from None

"""Legal deadlines for complaints and appeals, as data plus small pure functions.

Sources (see `SOURCES`):
- ODIHR statement, 2023 Mazhilis (ODIHR 2023), note 66: 10 days to complain about a decision of the election
  administration; commissions decide in 5 days, 3 days on complaints against a lower
  commission's decision; complaints about inclusion in the voter list the same day (then an
  expedited court review); complaints filed within five days before election day or on it
  are considered immediately.
- ODIHR final report, 2022 referendum (ODIHR 2022), section IX and notes 61-62: a complaint within 10 days of the
  decision, action or inaction; courts and commissions decide within 5 days, appeals against
  lower courts' and commissions' decisions within 3 days; filed with a commission and a court
  at once, the court goes first and the commission suspends until the court's decision takes
  effect. (The Kazakh text of note 62 reads "after" election day; the 2023 report, the law as
  reported in the press say "before": we follow them.)

Days are calendar days, a weekend or holiday is not skipped and does not move the end of a
term: the election law counts its terms in days, election day itself is a Sunday on which
commissions must decide immediately, so the law plainly does not stop at weekends (ASSUMPTION,
stated in `assumptions`; the general working-day roll-forward of the Administrative Procedure
Code is not applied to the special election terms).
"""

import datetime as dt
from dataclasses import dataclass, field

from sailau.law.source import Source

# Where a complaint can be filed. Kept here (not in the Django app) because the law names them.
COMMISSION, HIGHER_COMMISSION = "commission", "higher_commission"
ADMIN_COURT, SUPREME_COURT, CONSTITUTIONAL_COURT = "admin_court", "supreme_court", "constitutional_court"
PROSECUTOR = "prosecutor"
COMMISSION_BODIES = (COMMISSION, HIGHER_COMMISSION)
COURT_BODIES = (ADMIN_COURT, SUPREME_COURT, CONSTITUTIONAL_COURT)
BODIES = (*COMMISSION_BODIES, *COURT_BODIES, PROSECUTOR)

VOTER_LISTS = "voter_lists"  # the topic with its own same-day term

SOURCES = (
    Source("OSCE/ODIHR EOM, Kazakhstan early parliamentary elections 19 March 2023 (Kazakh; "
           "ODIHR statement, 2023 Mazhilis), 'Election dispute resolution' and note 66", None,
           "10 days to complain; 5 days to decide, 3 days on a lower commission's decision; voter "
           "lists the same day; immediately within 5 days before election day or on it"),
    Source("OSCE/ODIHR RAM, Kazakhstan constitutional referendum 5 June 2022, Final Report "
           "(Kazakh; ODIHR final report, 2022 referendum), section IX and notes 61-62",
           "https://www.osce.org/files/f/documents/2/3/14310.pdf",
           "10 days from the decision, action or inaction; courts and commissions 5 days; "
           "appeals 3 days; a court and a commission at once: the court first, the commission "
           "suspends"),
    Source("Informburo.kz, 'All decisions of the CEC can now be appealed to the Supreme Court' "
           "(on the amended Constitutional Law on Elections)",
           "https://informburo.kz/novosti/vse-resheniya-cik-teper-mozhno-obzhalovat-v-verhovnom-sude-9674.html",
           "courts and prosecutors consider election complaints within 5 days, immediately when "
           "received less than 5 days before voting or on voting day"),
)


@dataclass(frozen=True)
class Due:
    """When a decision on a complaint is due, and the rule that says so."""

    date: dt.date
    rule: str  # "voter_list_same_day" | "immediate_near_election_day" | "court" | ...
    days: int  # 0 for same-day terms
    immediate: bool = False

    def to_json(self) -> dict:
        return {"date": self.date.isoformat(), "rule": self.rule, "days": self.days,
                "immediate": self.immediate}


@dataclass(frozen=True)
class Deadlines:
    """The complaint terms of one version of the law. All terms are calendar days."""

    name: str
    contest_days: int = 10  # to complain about a decision, action or inaction
    commission_days: int = 5  # a commission decides
    higher_on_lower_days: int = 3  # a higher commission decides on a lower one's decision
    court_days: int = 5  # administrative court, Supreme Court, Constitutional Court
    prosecutor_days: int = 5
    immediate_window_days: int = 5  # filed this many days before election day (or on it)
    voter_list_same_day: bool = True
    court_first: bool = True  # filed with a commission and a court at once
    sources: tuple[Source, ...] = SOURCES
    assumptions: tuple[str, ...] = field(default=(
        "calendar days; weekends and holidays neither skipped nor moving the end of a term",
        "'immediately' is recorded as due on the day of filing",
        ("the 3-day term applies to a higher commission deciding on a complaint against a lower "
         "commission's decision; a complaint against a commission's action or inaction filed with "
         "the higher commission keeps the 5-day term"),
    ))

    def filing_deadline(self, event_date: dt.date) -> dt.date:
        """The last day to complain about a decision, action or inaction of `event_date`."""
        return event_date + dt.timedelta(days=self.contest_days)

    def is_late(self, filed_on: dt.date, event_date: dt.date | None) -> bool:
        """Filed after the term to complain. A late complaint is still accepted: the body
        decides whether to consider it."""
        return event_date is not None and filed_on > self.filing_deadline(event_date)

    def near_election_day(self, filed_on: dt.date, election_day: dt.date | None) -> bool:
        """Filed within the window before election day, or on it."""
        if election_day is None:
            return False
        return election_day - dt.timedelta(days=self.immediate_window_days) <= filed_on <= election_day

    def decision_due(self, filed_on: dt.date, *, body: str, topic: str = "",
                     election_day: dt.date | None = None,
                     against_lower_commission_decision: bool = False) -> Due:
        """When the body where the complaint was filed must decide."""
        if body not in BODIES:
            raise ValueError(f"body: unknown body {body!r}; known: {', '.join(BODIES)}")
        if self.voter_list_same_day and topic == VOTER_LISTS and body in COMMISSION_BODIES:
            return Due(filed_on, "voter_list_same_day", 0, immediate=True)
        if self.near_election_day(filed_on, election_day):
            return Due(filed_on, "immediate_near_election_day", 0, immediate=True)
        if body in COURT_BODIES:
            days, rule = self.court_days, "court"
        elif body == PROSECUTOR:
            days, rule = self.prosecutor_days, "prosecutor"
        elif body == HIGHER_COMMISSION and against_lower_commission_decision:
            days, rule = self.higher_on_lower_days, "higher_commission_on_lower_decision"
        else:
            days, rule = self.commission_days, "commission"
        return Due(filed_on + dt.timedelta(days=days), rule, days)

    def first_body(self, bodies: list[str] | tuple[str, ...]) -> tuple[str | None, list[str]]:
        """For one complaint filed with several bodies at once: which one proceeds, and which
        suspend until its decision takes effect (the court goes first)."""
        courts = [b for b in bodies if b in COURT_BODIES]
        if self.court_first and courts:
            return courts[0], [b for b in bodies if b in COMMISSION_BODIES]
        return (bodies[0] if bodies else None), []


def days_left(due: dt.date, today: dt.date) -> int:
    """Calendar days from `today` to `due`; negative when overdue, 0 on the day itself."""
    return (due - today).days


def is_overdue(due: dt.date, today: dt.date, decided: bool = False) -> bool:
    return not decided and today > due


# One version of the complaint terms covers every rule set so far: the Constitutional Law on
# Elections governs them all, and the referendum law applies it (ODIHR final report, 2022 referendum, section IX).
KZ_2022 = Deadlines("kz-complaints-2022")
BY_RULESET_PREFIX = {"kz-": KZ_2022}


def for_ruleset(name: str) -> Deadlines:
    """The complaint terms under the rule set `name`."""
    for prefix, deadlines in BY_RULESET_PREFIX.items():
        if name.startswith(prefix):
            return deadlines
    raise LookupError(f"no complaint deadlines for rule set {name!r}")

"""Who may vote, and the voter-list deadlines, as data each rule set carries.

Sources (see `SOURCES`):
- Constitution of the Republic of Kazakhstan, art. 33 (as cited by ODIHR, ODIHR final report, 2022 referendum and
  ODIHR statement, 2023 Mazhilis, "Voter registration" / "Right to vote"): citizens who have reached 18 years of
  age vote; citizens declared legally incapable by a court and persons held in places of
  deprivation of liberty by a court sentence do not. ODIHR recommends lifting both
  restrictions, so each is an option of the rule set, not a constant.
- sailau/law/deadlines.py (ODIHR statement, 2023 Mazhilis and ODIHR final report, 2022 referendum): absentee certificates from about 15 days before
  election day until 18:00 on the day before; mobile-voting requests in writing by 12:00 on
  election day.

Times are local wall-clock times of the voter's station; the app makes them aware in its own
time zone. Pure Python: no Django here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sailau.law.source import Source

SOURCES = (
    Source("Constitution of the Republic of Kazakhstan, art. 33, as cited by OSCE/ODIHR "
           "(ODIHR final report, 2022 referendum, ODIHR statement, 2023 Mazhilis)", None,
           "18 years on election day; legal incapacity and detention by sentence exclude"),
    Source("OSCE/ODIHR EOM, Kazakhstan early parliamentary elections 19 March 2023 (ODIHR statement, 2023 Mazhilis)",
           None, "absentee certificates until 18:00 the day before; mobile requests by 12:00"),
)

ASSUMPTIONS = (
    ("Absentee certificates are issued from 15 days before election day (reported as 'about'"
     " 15 days)."),
    ("A transfer to the list of the place of temporary residence closes with the absentee"
     " certificates, at 18:00 the day before election day: the home list must be final when"
     " the certificates close (not from a source)."),
    ("Voting, and so the redemption of an absentee certificate, runs from 07:00 to 20:00 local"
     " time on election day (the hours of the Constitutional Law on Elections, art. 48, not"
     " yet quoted in the ODIHR reports)."),
)


@dataclass(frozen=True)
class VoterRules:
    name: str
    min_age: int = 18
    citizenship: str = "KAZ"  # ICAO code of the citizenship that gives the vote
    exclude_legal_incapacity: bool = True
    exclude_detention: bool = True
    absentee_from_days: int = 15  # days before election day
    absentee_until_days: int = 1  # ... until this many days before, at absentee_until_time
    absentee_until_time: dt.time = dt.time(18, 0)
    transfer_until_days: int = 1
    transfer_until_time: dt.time = dt.time(18, 0)
    mobile_until_time: dt.time = dt.time(12, 0)  # on election day
    # The hours of voting on election day: an absentee certificate is redeemed (the voter votes
    # with it) within them only, never before election day nor years after it.
    polls_open: dt.time = dt.time(7, 0)
    polls_close: dt.time = dt.time(20, 0)
    sources: tuple[Source, ...] = SOURCES
    assumptions: tuple[str, ...] = ASSUMPTIONS

    def absentee_window(self, election_day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """First and last moment (local, naive) an absentee certificate may be issued."""
        start = dt.datetime.combine(election_day - dt.timedelta(days=self.absentee_from_days),
                                    dt.time(0, 0))
        end = dt.datetime.combine(election_day - dt.timedelta(days=self.absentee_until_days),
                                  self.absentee_until_time)
        return start, end

    def transfer_deadline(self, election_day: dt.date) -> dt.datetime:
        return dt.datetime.combine(election_day - dt.timedelta(days=self.transfer_until_days),
                                   self.transfer_until_time)

    def mobile_deadline(self, election_day: dt.date) -> dt.datetime:
        return dt.datetime.combine(election_day, self.mobile_until_time)

    def voting_period(self, election_day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """First and last moment (local, naive) of voting: when a certificate is redeemed."""
        return (dt.datetime.combine(election_day, self.polls_open),
                dt.datetime.combine(election_day, self.polls_close))

    def describe(self) -> dict:
        return {"name": self.name, "min_age": self.min_age, "citizenship": self.citizenship,
                "exclude_legal_incapacity": self.exclude_legal_incapacity,
                "exclude_detention": self.exclude_detention,
                "absentee_from_days": self.absentee_from_days,
                "absentee_until": f"{self.absentee_until_days} day(s) before, "
                                  f"{self.absentee_until_time:%H:%M}",
                "mobile_until": f"election day, {self.mobile_until_time:%H:%M}",
                "voting": f"election day, {self.polls_open:%H:%M}-{self.polls_close:%H:%M}",
                "assumptions": list(self.assumptions)}


# The restrictions have stood since the 1995 Constitution; every rule set so far keeps them.
KZ_1995 = VoterRules("kz-voters-1995")
# What ODIHR recommends: neither legal incapacity nor detention removes the vote. Not law; a
# rule set that adopts the recommendation names it.
ODIHR_RECOMMENDED = VoterRules("odihr-recommended", exclude_legal_incapacity=False,
                               exclude_detention=False)
BY_RULESET_PREFIX = {"kz-": KZ_1995}


def for_ruleset(name: str) -> VoterRules:
    """The voter rules under the rule set `name`."""
    for prefix, rules in BY_RULESET_PREFIX.items():
        if name.startswith(prefix):
            return rules
    raise LookupError(f"no voter rules for rule set {name!r}")

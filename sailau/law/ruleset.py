"""A rule set: one version of the electoral law, named and dated. An election names the rule set
it runs under; a change in the law is a new rule set, never an edit of an old one.

Holds, per contest kind, the protocol form and the outcome function, and (looked up by name)
the complaint deadlines. Other parts of the law (voter eligibility) can be added later."""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Siblings by their own names, never through the package face (`from sailau.law import`):
# `sailau.law` imports this module, so that would be a circle.
from sailau.law.campaign_finance import for_ruleset as finance_for
from sailau.law.candidacy import for_ruleset as candidacy_for
from sailau.law.deadlines import for_ruleset as deadlines_for
from sailau.law.eligibility import for_ruleset as eligibility_for
from sailau.law.errors import LawInputError
from sailau.law.outcomes.types import Outcome
from sailau.law.protocol import ProtocolForm
from sailau.law.signatures import for_ruleset as signatures_for
from sailau.law.source import Source

__all__ = ["RuleSet", "Source"]


@dataclass(frozen=True, eq=False)
class RuleSet:
    name: str  # "kz-mazhilis-2023"
    date: dt.date  # from when it applies: the law's change that made it, else its first election day
    title: str
    contest_kinds: tuple[str, ...]
    forms: Mapping[str, ProtocolForm]
    outcomes: Mapping[str, Callable[[Any, str], Outcome]]  # kind → f(data, ruleset name)
    sources: tuple[Source, ...] = ()
    assumptions: tuple[str, ...] = ()  # what is not from a source, said plainly
    parameters: Mapping[str, Any] = field(default_factory=dict)  # seats, threshold..., for display
    # The last election day it governs: the day before the law that replaced it took effect
    # (None: still in force). An election dated outside [date, until] is refused with the reason.
    until: dt.date | None = None
    # The rule set of the second round its outcome may call ("runoff"), by name; None: the law
    # it states has no second round.
    second_round: str | None = None

    def form(self, kind: str | None = None) -> ProtocolForm:
        return self.forms[self._kind(kind)]

    def decide(self, data: Any, kind: str | None = None) -> Outcome:
        """The result of the votes in `data` under this rule set, as a typed outcome."""
        return self.outcomes[self._kind(kind)](data, self.name)

    def outcome(self, data: Any, kind: str | None = None) -> dict:
        """The result of the votes in `data` under this rule set, JSON-ready (the format
        `sailau outcome` prints)."""
        return self.decide(data, kind).to_json()

    @property
    def deadlines(self):
        """The complaint and appeal terms under this rule set (`sailau.law.deadlines`)."""
        return deadlines_for(self.name)

    @property
    def voter_rules(self):
        """Who may vote and the voter-list deadlines (`sailau.law.eligibility`)."""
        return eligibility_for(self.name)

    @property
    def candidacy_rules(self):
        """Age, residence, deposit and list quota at registration (`sailau.law.candidacy`)."""
        return candidacy_for(self.name)

    @property
    def signature_rules(self):
        """Signatures a presidential nominee needs (`sailau.law.signatures`); LookupError if
        the rule set asks for none."""
        return signatures_for(self.name)

    @property
    def finance_rules(self):
        """Campaign finance limits (`sailau.law.campaign_finance`); LookupError if none."""
        return finance_for(self.name)

    def covers(self, day: dt.date) -> bool:
        """Whether an election held on `day` runs under this rule set."""
        return self.date <= day and (self.until is None or day <= self.until)

    def check_date(self, day: dt.date) -> None:
        """Refuse an election day this rule set does not govern, saying which period it does."""
        if self.covers(day):
            return
        period = (f"from {self.date.isoformat()} to {self.until.isoformat()}" if self.until
                  else f"from {self.date.isoformat()}")
        raise LawInputError(field="date", message=f"{self.name} governs elections held {period}; "
                            f"{day.isoformat()} is outside it")

    def _kind(self, kind: str | None) -> str:
        if kind is None:
            if len(self.contest_kinds) == 1:
                return self.contest_kinds[0]
            raise LawInputError(field="kind",
                                message=f"{self.name} governs {', '.join(self.contest_kinds)}; "
                                "say which")
        if kind not in self.contest_kinds:
            raise LawInputError(field="kind",
                                message=f"{self.name} does not govern {kind!r} (it governs "
                                f"{', '.join(self.contest_kinds)})")
        return kind

    def describe(self) -> dict:
        return {"name": self.name, "date": self.date.isoformat(),
                "until": self.until.isoformat() if self.until else None,
                "second_round": self.second_round, "title": self.title,
                "contest_kinds": list(self.contest_kinds),
                "parameters": {k: str(v) for k, v in self.parameters.items()},
                "sources": [s.to_json() for s in self.sources],
                "assumptions": list(self.assumptions)}

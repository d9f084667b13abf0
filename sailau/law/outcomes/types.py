"""What an outcome function answers, one frozen type per contest kind, each with `to_json()`
(the JSON `sailau outcome` prints and the API publishes: its fields and their order are a
public format, see `sailau/law/README.md`).

Pages read the attributes; nothing outside this package builds or edits these values."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sailau.law.apportion import Tie


def _ties(ties: tuple[Tie, ...]) -> list[dict]:
    return [t.to_json() for t in ties]


@dataclass(frozen=True)
class PartyListOutcome:
    """Seats of one party-list constituency: threshold, admitted lists, largest remainders."""

    ruleset: str
    seats_total: int
    votes_total: int
    threshold: str  # exact, "p/q"
    threshold_base: str
    passed_threshold: tuple[str, ...]
    admitted: tuple[str, ...]
    quota: str | None  # the Hare quota, "p/q"; None when no list is admitted
    quotients: Mapping[str, str]
    seats: Mapping[str, int]  # every list, in presentation order (votes, registration, name)
    ties: tuple[Tie, ...]
    unallocated: int
    quota_check: Mapping[str, Any]
    notes: tuple[str, ...]
    registered: int | None = None

    kind = "party_list"

    def to_json(self) -> dict:
        out = {
            "ruleset": self.ruleset, "seats_total": self.seats_total,
            "votes_total": self.votes_total, "threshold": self.threshold,
            "threshold_base": self.threshold_base,
            "passed_threshold": list(self.passed_threshold), "admitted": list(self.admitted),
            "quota": self.quota, "quotients": dict(self.quotients), "seats": dict(self.seats),
            "ties": _ties(self.ties), "unallocated": self.unallocated,
        }
        if self.registered is not None:
            out["registered"] = self.registered
        out["quota_check"] = dict(self.quota_check)
        out["notes"] = list(self.notes)
        return out


@dataclass(frozen=True)
class SingleWinnerOutcome:
    """One seat: who is elected, or who goes to a runoff, or who is tied (then nobody is
    elected: the law's remedy is for the commission)."""

    ruleset: str
    valid_votes: int
    against_all: int
    ranking: tuple[str, ...]
    shares: Mapping[str, str | None]  # of valid votes, "p/q"
    invalid: int | None = None
    registered: int | None = None
    turnout: str | None = None
    elected: str | None = None
    runoff: tuple[str, ...] | None = None  # None: no runoff; () with a tie for its places
    tie: tuple[str, ...] = ()
    ties: tuple[Tie, ...] = ()
    note: str | None = None

    kind = "single_winner"

    def to_json(self) -> dict:
        out = {"ruleset": self.ruleset, "valid_votes": self.valid_votes,
               "against_all": self.against_all, "ranking": list(self.ranking),
               "shares": dict(self.shares)}
        for name in ("invalid", "registered", "turnout", "elected"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        if self.runoff is not None:
            out["runoff"] = list(self.runoff)
        if self.tie:
            out["tie"] = list(self.tie)
            out["ties"] = _ties(self.ties)
        if self.note is not None:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class ReferendumOutcome:
    ruleset: str
    valid: bool
    adopted: bool
    registered: int
    participants: int
    turnout: str
    yes_share: str | None
    regions_with_yes_majority: int
    regions_required: int
    regions: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    kind = "referendum"

    def to_json(self) -> dict:
        return {"ruleset": self.ruleset, "valid": self.valid, "adopted": self.adopted,
                "registered": self.registered, "participants": self.participants,
                "turnout": self.turnout, "yes_share": self.yes_share,
                "regions_with_yes_majority": self.regions_with_yes_majority,
                "regions_required": self.regions_required,
                "regions": {k: dict(v) for k, v in self.regions.items()}}


Outcome = PartyListOutcome | SingleWinnerOutcome | ReferendumOutcome


@dataclass(frozen=True)
class Computed:
    """A contest's outcome under its rule set from the totals so far: `final` once every
    station of the contest has reported, provisional before."""

    result: Outcome
    final: bool
    stations_reported: int
    stations_expected: int

    def to_json(self) -> dict:
        return {"status": "final" if self.final else "provisional",
                "stations_reported": self.stations_reported,
                "stations_expected": self.stations_expected, "result": self.result.to_json()}


# Why an outcome is not computed (`NotComputable.reason["code"]`); a page says it in its language.
INPUT = "input"  # the rule set refuses the totals: `field` names what is at fault
REGIONS_COUNT = "regions_count"  # the law counts `counted` regions, the structure has `given`


@dataclass(frozen=True)
class NotComputable:
    """The rule set cannot give an outcome from these totals (no votes yet, say): `error`
    names what is missing, as the law's input error does (English); `reason` says it as data:
    `{"code": REGIONS_COUNT, "field": "regions", "counted": 17, "given": 2}` or
    `{"code": INPUT, "field": ...}`."""

    error: str
    final: bool
    reason: Mapping[str, Any] = field(default_factory=lambda: {"code": INPUT, "field": None})

    result = None

    def to_json(self) -> dict:
        return {"status": "final" if self.final else "provisional", "error": self.error,
                "reason": dict(self.reason)}


ContestOutcome = Computed | NotComputable

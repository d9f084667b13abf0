"""Contest kinds: one object per kind of contest, owning what the rest of the project used to
decide by testing the kind's name: the protocol form and the outcome (through the contest's
rule set), the facts the outcome needs besides the votes and how they become the rule set's
input, how its result reads on a page (seats, one seat, a question), its NIST 1500-100 shape,
and the body it elects (`Body`, `ContestKind.elects`).

The server (`protocols.tabulation`, `publish`, pages) and the offline verifier (`sailau verify`)
both go through `get(name)`; a new kind is a new entry in `KINDS` (and its rule sets), not an
edit across the tree. `tests/law/test_kinds.py` fails on a branch on a kind's name elsewhere."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from sailau.law import wordings
from sailau.law.errors import LawInputError
from sailau.law.figures import FOUND, VALID
from sailau.law.outcomes.types import PartyListOutcome, ReferendumOutcome, SingleWinnerOutcome
from sailau.law.wordings import Wording


class ContestFacts(Protocol):
    """What is known of a contest besides its totals, read only when its kind needs it: the
    server answers from its database, `sailau verify` from the published files."""

    def seats(self) -> int | None: ...

    def registration_order(self) -> Sequence[str]: ...

    def regions(self) -> Mapping[str, tuple[Mapping[str, int], Mapping[str, int]]]: ...


# What the outcome of a kind needs besides the votes (the names of `ContestFacts`' methods).
SEATS, REGISTRATION_ORDER, REGIONS = "seats", "registration_order", "regions"


@dataclass(frozen=True, eq=False)  # one object per body: compared (and hashed) by identity
class Body:
    """What a contest elects: a representative body (the Mazhilis, the Senate, a maslikhat), an
    office (the President) or a referendum's answer. An election is of the kind of the body its
    headline contests elect (`elections.models.Election.kind`)."""

    name: str  # as an election's kind and the candidacy rules' offices spell it: "maslikhat"
    label: str  # English, for the admin's list of election kinds
    # One of many, each elected by the voters of one region, city or district (its commission's
    # area); its contests are listed on that commission's page, not the election's.
    local: bool = False


# Constitution of the RK, 30 Aug 1995, art. 50 (the Parliament: the Senate and the Mazhilis),
# art. 41 (the President) and art. 86 (a maslikhat, elected by the population of a region, a
# city of republican significance, the capital, a district or a city); the Constitutional Law
# of the RK "On the Republican Referendum", No. 2592, 2 Nov 1995 (a referendum's question).
MAZHILIS = Body("mazhilis", "Mazhilis")
PRESIDENCY = Body("president", "President")
MASLIKHAT = Body("maslikhat", "Maslikhat", local=True)
QUESTION = Body("referendum", "Referendum")
# An election kind the admin has always offered; no contest kind below elects it.
KURULTAI = Body("kurultai", "Kurultai")
SENATE_SEATS = Body("senate", "Senate")
# In the order of the admin's list of election kinds (`Election.KINDS`).
BODIES: dict[str, Body] = {b.name: b for b in (MAZHILIS, PRESIDENCY, MASLIKHAT, QUESTION,
                                               KURULTAI, SENATE_SEATS)}

# The body elected by the voters of a commission's area, by the commission's level, for a kind
# whose body follows from where its contest is held (a party list, a single-member district):
# the country's, the Mazhilis; a region's or city's, and a district's or city's, its
# maslikhat. A single-member district ("smd") is one of the districts of the body of its
# parent commission's area. (Commission levels as `elections.models.Commission` spells them.)
AREA_BODY: dict[str, Body] = {"cec": MAZHILIS, "territorial": MASLIKHAT, "district": MASLIKHAT}
SMD_LEVEL = "smd"


@dataclass(frozen=True)
class ContestKind:
    name: str  # as contests and rule sets spell it: "party_list"
    label: str  # English, for the admin's list of kinds
    outcome_type: type
    # Ballots are cast for party lists, and the seats go to the lists' candidates: a result
    # shows seats per list (and the hemicycle); a list is nominated, not only persons.
    by_list: bool = False
    # One of the many districts that elect a body: listed under that body's page, its station
    # tables written after the headline contests; never an election's headline itself.
    district: bool = False
    # A question put to the voters: the result reads adopted or not, and valid or not.
    measure: bool = False
    # The body the kind elects wherever it is held (the President, a region's Senate seat, a
    # referendum's question); None: the body of the area of the contest's commission
    # (`AREA_BODY`, through `elects`).
    body: Body | None = None
    # The facts its outcome needs besides the votes, and how it is shaped in NIST 1500-100.
    needs: tuple[str, ...] = ()
    nist_contest: str = "ElectionResults.CandidateContest"
    # Its outcome needs the voters (electors) on the list: a quorum of them must take part.
    quorum: bool = False
    # Its own words on the pages; None: the words of a vote at polling stations.
    wording: Wording | None = None
    # What the pages' shares are of (`figures.FOUND` or `figures.VALID`): the base its rule
    # sets decide on, where that base is a share (the President's majority).
    share_base: str = FOUND

    @property
    def office(self) -> str | None:
        """The office the kind fills whatever its area, as the candidacy rules name it (the
        President's); None where its contest's commission decides (`elects`)."""
        return self.body.name if self.body else None

    def elects(self, level: str, parent_level: str | None = None) -> Body:
        """The body a contest of this kind elects, held by a commission of `level` (whose parent
        is of `parent_level`): the kind's own, else the body of that commission's area, or for
        a single-member district the body of its parent's area (a Mazhilis district is the
        CEC's, a maslikhat's district its territorial or district commission's)."""
        if self.body is not None:
            return self.body
        area = parent_level if level == SMD_LEVEL else level
        try:
            return AREA_BODY[area]
        except KeyError:
            where = f"a single-member district under a {parent_level} commission" \
                if level == SMD_LEVEL else f"a {level} commission"
            raise LawInputError(field="commission", message=(
                f"a contest of kind {self.name!r} on {where} elects no body (it is held by a "
                f"{' or '.join(AREA_BODY)} commission or a single-member district of one)")
            ) from None

    @property
    def nominated(self) -> bool:
        """Its choices are candidates or lists that were nominated and registered, with
        campaign funds: its election has candidates' and finance pages (a question has
        neither)."""
        return not self.measure

    def form(self, ruleset: str):
        """The contest's protocol form: its rule set's form for this kind."""
        from sailau.law import get_ruleset

        return get_ruleset(ruleset).form(self.name)

    def one_seat(self, seats: int) -> bool:
        """Whether the result reads as one seat: leading, then elected, tie or runoff."""
        return not self.by_list and not self.measure and seats == 1

    def context(self, facts: ContestFacts) -> dict:
        """The facts this kind's outcome needs, read from `facts` (and only those)."""
        return {need: getattr(facts, need)() for need in self.needs}

    def input(self, ruleset: str, figures: Mapping[str, int], choices: Mapping[str, int],
              context: Mapping) -> dict:
        """The rule set's input (the format of `sailau outcome`) from the contest's totals
        (`figures`, `choices` summed over its stations) and its `context`."""
        from sailau.law import get_ruleset

        if self.measure:
            return {"regions": {rid: {"registered": fig.get("voters_on_list", 0),
                                      "yes": cho.get("yes", 0), "no": cho.get("no", 0),
                                      "both": fig.get("both_marked", 0),
                                      "invalid": fig.get("invalid", 0)}
                                for rid, (fig, cho) in (context.get(REGIONS) or {}).items()}}
        votes = {k: v for k, v in choices.items() if k != "against_all"}
        data = {"votes": votes, "invalid": figures.get("invalid", 0)}
        if get_ruleset(ruleset).form(self.name).against_all:
            data["against_all"] = choices.get("against_all", 0)
        if REGISTRATION_ORDER in self.needs:
            data["registration_order"] = [k for k in context.get(REGISTRATION_ORDER) or ()
                                          if k in votes]
        if SEATS in self.needs:
            data["seats"] = context.get(SEATS)
        if self.quorum:
            data["registered"] = figures.get("voters_on_list", 0)
        return data

    def nist_selection(self, party_id: str | None) -> dict:
        """A choice's NIST selection: a party's list, or a candidate (endorsed by a party)."""
        if self.by_list and party_id:
            return {"@type": "ElectionResults.PartySelection", "PartyIds": [f"party-{party_id}"]}
        sel = {"@type": "ElectionResults.CandidateSelection"}
        if party_id and not self.by_list:
            sel["EndorsementPartyIds"] = [f"party-{party_id}"]
        return sel

    def nist_fields(self, seats: int) -> dict:
        """The contest's NIST type and what it says of the seats."""
        if self.nist_contest == "ElectionResults.CandidateContest":
            return {"@type": self.nist_contest, "VotesAllowed": 1, "NumberElected": seats}
        return {"@type": self.nist_contest}


PARTY_LIST = ContestKind("party_list", "Party list (proportional)", PartyListOutcome,
                         by_list=True, needs=(REGISTRATION_ORDER, SEATS),
                         nist_contest="ElectionResults.PartyContest")
SINGLE_MEMBER = ContestKind("single_member", "Single-member district", SingleWinnerOutcome,
                            district=True)
# Elected with more than half of the valid ballots (`single_winner.majority_or_runoff`, on
# `figures.valid`): the pages show each candidate's share of them.
PRESIDENT = ContestKind("president", "President", SingleWinnerOutcome, body=PRESIDENCY,
                        share_base=VALID, wording=Wording(criteria="one_seat"))
# A referendum's question: NIST's BallotMeasureContest would fit, but the files published so
# far name it a CandidateContest of one "seat"; kept so that their readers are not broken.
REFERENDUM = ContestKind("referendum", "Referendum question", ReferendumOutcome, measure=True,
                         body=QUESTION, needs=(REGIONS,), wording=wordings.REFERENDUM)

# The Senate: one region's seat, elected by the deputies of its maslikhats at a joint session
# (the contest's one station; its voters on the list are the electors). One of the many
# regional contests of the body, like a single-member district.
SENATE = ContestKind("senate", "Senate (maslikhat deputies at a joint session)",
                     SingleWinnerOutcome, district=True, body=SENATE_SEATS, quorum=True,
                     wording=wordings.SENATE)

KINDS: dict[str, ContestKind] = {k.name: k for k in (PARTY_LIST, SINGLE_MEMBER, PRESIDENT,
                                                     REFERENDUM, SENATE)}


def get(name: str) -> ContestKind:
    try:
        return KINDS[name]
    except KeyError:
        raise LawInputError(field="kind", message=f"{name!r} is not a contest kind "
                            f"({', '.join(KINDS)})") from None


def named(**attributes) -> list[str]:
    """The names of the kinds with these attributes (`named(district=True)`), for a query."""
    return [k.name for k in KINDS.values()
            if all(getattr(k, a) == v for a, v in attributes.items())]


def wording(names) -> Wording | None:
    """The pages' words for an election (or a list) whose contests are of the kinds `names`:
    their kind's own when they are all of one kind that has them, else None."""
    found = {KINDS[n].wording for n in set(names) if n in KINDS}
    return found.pop() if len(found) == 1 else None


def choices() -> list[tuple[str, str]]:
    """(name, label) of every kind, for a model field's choices."""
    return [(k.name, k.label) for k in KINDS.values()]


def body_choices() -> list[tuple[str, str]]:
    """(name, label) of every body, for the choices of an election's kind."""
    return [(b.name, b.label) for b in BODIES.values()]

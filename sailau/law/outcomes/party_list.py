"""Party-list seats in one constituency: a threshold, then largest remainders (Hare quota)."""

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sailau.law.apportion import Tie, fraction_str, largest_remainder, reaches
from sailau.law.candidate_quota import check as check_quota
from sailau.law.candidate_quota import read_lists
from sailau.law.errors import LawInputError
from sailau.law.inputs import (
    check_fields,
    counts_by_name,
    iso_date,
    optional_count,
    registration_order,
    require,
    require_mapping,
)
from sailau.law.outcomes.types import PartyListOutcome

# What the threshold is a share of.
PARTIES_AND_AGAINST_ALL = "votes for parties plus 'against all'"  # 2023 onwards
PARTICIPANTS = "voters who took part (all ballots, invalid included)"  # before 2022


@dataclass(frozen=True)
class PartyListRules:
    seats: int | None  # None: the input gives the number (maslikhats)
    threshold: Fraction
    threshold_base: str
    against_all: bool  # does the ballot have an "against all" line
    runner_up: bool  # if only one list passes, the next one is admitted too (2009–2022 law)
    quota_share: Fraction | None  # women/youth/disability share of each party's seats
    youth_age: int = 35


FIELDS = {"votes", "against_all", "invalid", "registered", "registration_order", "seats",
          "lists", "election_date"}


def outcome(rules: PartyListRules, data: Any, ruleset: str) -> PartyListOutcome:
    data = require_mapping(data, "input")
    check_fields(data, FIELDS, "", ruleset)
    votes = counts_by_name(require(data, "votes", ""), "votes", what="party")
    against_all = optional_count(data, "against_all")
    if against_all and not rules.against_all:
        raise LawInputError(field="against_all",
                            message=f"the {ruleset} ballot has no 'against all' line")
    invalid = optional_count(data, "invalid", default=None)
    registered = optional_count(data, "registered", default=None)
    order = registration_order(data.get("registration_order"), votes)
    seats = _seats(rules, data, ruleset)

    if rules.threshold_base == PARTICIPANTS:
        if invalid is None:
            raise LawInputError(field="invalid",
                                message=f"missing (the {ruleset} threshold is a share of all "
                                "who took part, invalid ballots included)")
        base = sum(votes.values()) + against_all + invalid
    else:
        base = sum(votes.values()) + against_all

    rank = {name: i for i, name in enumerate(order or ())}
    # One presentation order whatever the input order: votes, then registration, then name.
    names = sorted(votes, key=lambda n: (-votes[n], rank.get(n, len(rank)), n))
    passed = [n for n in names if base > 0 and reaches(votes[n], base, rules.threshold)]
    admitted, ties, notes = list(passed), [], []
    if rules.runner_up and len(passed) == 1:
        admitted, tie = _add_runner_up(passed, names, votes)
        ties += [tie] if tie else []
        if len(admitted) == 2:
            notes.append(f"only {passed[0]} reached the threshold; {admitted[1]}, next by votes, "
                         "takes part in the allocation")

    seat_counts = {n: 0 for n in names}
    quota, quotients, unallocated = None, {}, 0
    admitted_total = sum(votes[n] for n in admitted)
    if admitted_total == 0 or len(admitted) == 0:
        notes.append("no list is admitted to the allocation; the law as encoded here does not say "
                     "how the seats are then filled")
        unallocated = seats
    else:
        alloc = largest_remainder({n: votes[n] for n in admitted}, seats, order)
        quota = fraction_str(alloc.quota)
        quotients = {n: fraction_str(alloc.quotients[n]) for n in admitted}
        seat_counts.update(alloc.seats)
        unallocated = alloc.unallocated
        ties += list(alloc.ties)

    if rules.quota_share is not None:
        lists = None
        if "lists" in data and data["lists"] is not None:
            election_date = (iso_date(data["election_date"], "election_date")
                             if "election_date" in data else None)
            lists = read_lists(data["lists"], votes, election_date, rules.youth_age)
            _check_enough_candidates(lists, admitted, seats)
        quota_check = check_quota(seat_counts, lists, rules.quota_share)
    else:
        quota_check = {"checked": False,
                       "reason": f"{ruleset} has no quota on the seats received"}
    return PartyListOutcome(
        ruleset=ruleset, seats_total=seats, votes_total=base,
        threshold=fraction_str(rules.threshold), threshold_base=rules.threshold_base,
        passed_threshold=tuple(passed), admitted=tuple(admitted), quota=quota,
        quotients=quotients, seats=seat_counts, ties=tuple(ties), unallocated=unallocated,
        quota_check=quota_check, notes=tuple(notes), registered=registered)


def _seats(rules: PartyListRules, data: Mapping, ruleset: str) -> int:
    if rules.seats is None:
        seats = optional_count(data, "seats", default=None)
        if seats is None:
            raise LawInputError(field="seats",
                                message=f"missing ({ruleset} takes the number of list seats "
                                "from the input)")
        if seats == 0:
            raise LawInputError(field="seats", message="must be at least 1")
        return seats
    given = optional_count(data, "seats", default=None)
    if given is not None and given != rules.seats:
        raise LawInputError(field="seats",
                            message=f"{ruleset} fixes {rules.seats} list seats, got {given}")
    return rules.seats


def _add_runner_up(passed: list[str], names: list[str], votes: Mapping[str, int]):
    """The next list by votes joins the only one that passed; a tie for that place is reported
    and left open (the law does not say how to break it), so nobody is added."""
    rest = [n for n in names if n not in passed]
    if not rest:
        return passed, None
    best = votes[rest[0]]
    tied = [n for n in rest if votes[n] == best]
    if len(tied) > 1:
        return passed, Tie("runner_up", tuple(sorted(tied)), Fraction(best), 1)
    return passed + [rest[0]], None


def _check_enough_candidates(lists: Mapping[str, list], admitted: list[str], seats: int) -> None:
    """More seats than all admitted lists together can fill is bad input; a single party's
    shortfall is a legal fact and is reported as vacant seats instead."""
    if all(n in lists for n in admitted):
        available = sum(len(lists[n]) for n in admitted)
        if available < seats:
            raise LawInputError(field="seats",
                                message=f"{seats} seats but the admitted lists hold only "
                                f"{available} candidates")

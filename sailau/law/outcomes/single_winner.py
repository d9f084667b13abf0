"""One seat: first past the post (single-member districts), an absolute majority of valid
votes with a runoff of the top two (president), the runoff itself (more votes of the two), or a majority of the electors who took part
with a repeat vote of the top two (the Senate, elected indirectly)."""

from fractions import Fraction
from typing import Any

from sailau.law.apportion import Tie, fraction_str
from sailau.law.errors import LawInputError
from sailau.law.figures import valid as valid_ballots
from sailau.law.inputs import check_fields, counts_by_name, optional_count, require, require_mapping
from sailau.law.outcomes.types import SingleWinnerOutcome

FIELDS = {"votes", "against_all", "invalid", "registered"}


def _read(data: Any, ruleset: str, against_all: bool = True):
    data = require_mapping(data, "input")
    if "seats" in data:
        raise LawInputError(field="seats",
                            message=f"{ruleset} elects one person; the field is not accepted")
    if not against_all and "against_all" in data:
        raise LawInputError(field="against_all",
                            message=f"the ballot under {ruleset} has no 'against all' line")
    check_fields(data, FIELDS, "", ruleset)
    votes = counts_by_name(require(data, "votes", ""), "votes", what="candidate")
    against_all = optional_count(data, "against_all")
    invalid = optional_count(data, "invalid", default=None)
    registered = optional_count(data, "registered", default=None)
    # The base of a majority: the valid ballots, one figure with the share the pages show.
    valid = valid_ballots({**votes, "against_all": against_all})
    out = {"ruleset": ruleset, "valid_votes": valid, "against_all": against_all,
           "ranking": tuple(sorted(votes, key=lambda n: (-votes[n], n))),
           "shares": {n: fraction_str(Fraction(v, valid)) if valid else None
                      for n, v in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))},
           "invalid": invalid, "registered": registered,
           "turnout": fraction_str(Fraction(valid + (invalid or 0), registered))
           if registered else None}
    return votes, valid, out


def first_past_the_post(data: Any, ruleset: str) -> SingleWinnerOutcome:
    """Most votes wins in one round; equal first places are reported as a tie (the law's
    remedy, a repeat vote or a lot, is for the commission, not for this function).
    Assumed: "against all" does not win a seat and does not void the election."""
    votes, _valid, out = _read(data, ruleset)
    top = max(votes.values())
    first = sorted(n for n, v in votes.items() if v == top)
    if len(first) == 1:
        return SingleWinnerOutcome(**out, elected=first[0])
    return SingleWinnerOutcome(**out, tie=tuple(first),
                               ties=(Tie("plurality", tuple(first), Fraction(top), 1),))


def plurality_of_two(data: Any, ruleset: str, against_all: bool = True) -> SingleWinnerOutcome:
    """A second round: the two candidates the first round named, and the one with more votes
    is elected; equal votes are reported as a tie (never broken here). Any other number of
    candidates is refused: a second round is between two. `against_all=False`: the ballot has
    no such line, and an "against all" figure is refused."""
    votes, _valid, out = _read(data, ruleset, against_all)
    if len(votes) != 2:
        raise LawInputError(field="votes", message=f"{ruleset} is a second round between two "
                            f"candidates; the input has {len(votes)}")
    (a, va), (b, vb) = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    if va > vb:
        return SingleWinnerOutcome(**out, elected=a)
    return SingleWinnerOutcome(**out, tie=(a, b), ties=(Tie("plurality", (a, b), Fraction(va), 1),))


def majority_or_runoff(data: Any, ruleset: str, against_all: bool = True) -> SingleWinnerOutcome:
    """Elected with more than half of the valid votes ("against all" counts as valid); else a
    runoff of the two with most votes. A tie that decides who enters the runoff is reported.
    `against_all=False`: the ballot has no such line, and an "against all" figure is refused."""
    votes, valid, out = _read(data, ruleset, against_all)
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    leader, lead_votes = ranked[0]
    if 2 * lead_votes > valid:
        return SingleWinnerOutcome(**out, elected=leader)
    levels = sorted(set(votes.values()), reverse=True)
    first = tuple(sorted(n for n, v in votes.items() if v == levels[0]))
    if len(first) == 2:
        return SingleWinnerOutcome(**out, runoff=first)
    if len(first) > 2:
        return SingleWinnerOutcome(**out, runoff=(), tie=first,
                                   ties=(Tie("runoff", first, Fraction(levels[0]), 2),))
    if len(levels) == 1 or len(votes) == 1:
        # One candidate short of a majority: nobody to run against (the law calls a new election).
        return SingleWinnerOutcome(**out, runoff=first,
                                   note="fewer than two candidates for a runoff")
    second = tuple(sorted(n for n, v in votes.items() if v == levels[1]))
    if len(second) == 1:
        return SingleWinnerOutcome(**out, runoff=first + second)
    return SingleWinnerOutcome(**out, runoff=first, tie=second,
                               ties=(Tie("runoff", second, Fraction(levels[1]), 1),))


def majority_of_electors(data: Any, ruleset: str) -> SingleWinnerOutcome:
    """An indirect election (the Senate): the vote counts when more than half of the electors
    on the list took part; elected with more than half of the votes of the electors who took
    part (the candidates' votes and the invalid ballots); else a repeat vote of the two with
    most votes, as `majority_or_runoff` names them. Without `registered` (electors on the
    list) the quorum cannot be judged: refused."""
    votes, valid, out = _read(data, ruleset)
    registered = out["registered"]
    if registered is None:
        raise LawInputError(field="registered",
                            message=f"{ruleset} needs the number of electors on the list")
    took_part = valid + (out["invalid"] or 0)
    if 2 * took_part <= registered:
        return SingleWinnerOutcome(**out, note=(f"no quorum: {took_part} of {registered} "
                                                "electors took part, not more than half"))
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    if 2 * ranked[0][1] > took_part:
        return SingleWinnerOutcome(**out, elected=ranked[0][0])
    # No majority of those who took part: the same rule as a runoff names the repeat vote's two.
    # (Every ballot here is for a candidate, so "valid" below is the votes cast for them.)
    repeat = majority_or_runoff({"votes": dict(votes), "invalid": out["invalid"],
                                 "registered": registered}, ruleset)
    if repeat.elected is not None:  # a majority of the valid votes, not of those who took part
        return SingleWinnerOutcome(**out, runoff=tuple(n for n, _ in ranked[:2]),
                                   note=None if len(ranked) > 1
                                   else "fewer than two candidates for a runoff")
    return SingleWinnerOutcome(**out, runoff=repeat.runoff, tie=repeat.tie, ties=repeat.ties,
                               note=repeat.note)

"""The figures computed from a protocol's lines, each defined once: the ballots issued, the
turnout (and how a published file rounds it) and a choice's share, on the base its contest's
law decides on. Pages and files take them from here, so that the turnout on a page and in a
CSV are one number, and the share a page shows is the share the rule set decides on."""

from collections.abc import Mapping

from sailau.law.forms import ISSUED

# A published file (CSV, JSON, Parquet) gives the turnout in percent to two decimals: it is for
# display; anyone checking recomputes it from the lines, which are exact.
TURNOUT_DIGITS = 2


def issued(figures: Mapping[str, int]) -> int:
    """The ballots issued: in the room, for mobile voting and against absentee certificates."""
    return sum(figures.get(k) or 0 for k in ISSUED)


def turnout(figures: Mapping[str, int]) -> float | None:
    """The ballots issued over the voters on the list, in percent (exact); None without a list."""
    voters = figures.get("voters_on_list") or 0
    return 100 * issued(figures) / voters if voters else None


def published_turnout(figures: Mapping[str, int]) -> float | None:
    """`turnout` as a published file gives it: rounded to TURNOUT_DIGITS."""
    t = turnout(figures)
    return round(t, TURNOUT_DIGITS) if t is not None else None


# What a share is of (a contest kind's `share_base`). FOUND: every ballot found in the boxes,
# valid and invalid. VALID: the valid ballots only, the votes for every choice ("against all"
# included where the ballot has it): the base of the President's majority, "more than half of
# the votes of the voters who took part", as the CEC has counted it at every election since
# 2011 (rulesets/president.py; its shares reproduce the CEC's to two decimals only on it).
FOUND = "found"
VALID = "valid"


def valid(choices: Mapping[str, int]) -> int:
    """The valid ballots: the votes for every choice, "against all" included."""
    return sum(v or 0 for v in choices.values())


def counted(figures: Mapping[str, int], choices: Mapping[str, int]) -> int:
    """The ballots found: the votes for every choice and the invalid ballots, and on a
    referendum's protocol the ballots marked both ways: its participants, as the law counts
    them for validity and adoption (`sailau.law.outcomes.referendum`: yes + no + both marked +
    invalid; 2022: 7,985,769 = 6,163,516 + 1,490,470 + 125,859 + 205,924)."""
    return valid(choices) + (figures.get("invalid") or 0) + (figures.get("both_marked") or 0)


def base(figures: Mapping[str, int], choices: Mapping[str, int], of: str = FOUND) -> int:
    """The ballots a share is of: `valid` for VALID, `counted` for FOUND."""
    if of == VALID:
        return valid(choices)
    if of == FOUND:
        return counted(figures, choices)
    raise ValueError(f"no share base {of!r}")


def share(votes: int, of: int) -> float:
    """`votes` in percent of `of` (`base`), 0 when nothing was counted."""
    return 100 * votes / of if of else 0.0

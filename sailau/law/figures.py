"""The figures computed from a protocol's lines, each defined once: the ballots issued, the
turnout (and how a published file rounds it) and a choice's share, on the base its contest's
law decides on. Pages and files take them from here, so that the turnout on a page and in a
CSV are one number, and the share a page shows is the share the rule set decides on.

Every function reads its lines with `line` and adds and divides with the operators only, so
that the forensics (`sailau.analysis`) give it numpy columns, one per line, and divide them
with their own `divide` (NaN where nothing is below the line): the definition (which lines over
which) is still this one. The static site's viewer has the one JavaScript twin of them
(`publish/static_site/figures.js`), held to these by a test on the same inputs."""

from collections.abc import Mapping

from sailau.law.forms import ISSUED

# A published file (CSV, JSON, Parquet) gives the turnout in percent to two decimals: it is for
# display; anyone checking recomputes it from the lines, which are exact.
TURNOUT_DIGITS = 2


# A share in a published file (the results over time) is in percent to two decimals, as the
# turnout is.
SHARE_DIGITS = 2


def line(figures: Mapping[str, int], key: str) -> int:
    """A protocol's line, 0 where the form lacks it (or it was left empty)."""
    value = figures.get(key)
    return 0 if value is None else value


def fraction(part: int, whole: int) -> float | None:
    """`part` over `whole` (0 to 1 for a figure below its whole), None when `whole` is 0: the
    default `divide` of the fractions below."""
    return part / whole if whole else None


def issued(figures: Mapping[str, int]) -> int:
    """The ballots issued: in the room, for mobile voting and against absentee certificates."""
    return sum(line(figures, k) for k in ISSUED)


def of_list(ballots: int, voters: int, divide=fraction):
    """The turnout as a fraction: `ballots` issued over the `voters` on the list."""
    return divide(ballots, voters)


def turnout_fraction(figures: Mapping[str, int], divide=fraction):
    """`of_list` read from a protocol's lines (the turnout, 0 to 1; None without a list)."""
    return of_list(issued(figures), line(figures, "voters_on_list"), divide)


def percent_of_list(ballots: int, voters: int) -> float | None:
    """`ballots` issued over the `voters` on the list, in percent; None without a list."""
    return 100 * ballots / voters if voters else None


def turnout(figures: Mapping[str, int]) -> float | None:
    """The ballots issued over the voters on the list, in percent (exact); None without a list."""
    return percent_of_list(issued(figures), line(figures, "voters_on_list"))


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


# The lines of ballots found in the boxes that are no choice's votes: the invalid ballots, and
# on a referendum's protocol those marked both ways.
NOT_VOTES = ("invalid", "both_marked")


def valid(choices: Mapping[str, int]) -> int:
    """The valid ballots: the votes for every choice, "against all" included."""
    return sum(0 if v is None else v for v in choices.values())


def counted(figures: Mapping[str, int], choices: Mapping[str, int]) -> int:
    """The ballots found: the votes for every choice and the invalid ballots, and on a
    referendum's protocol the ballots marked both ways: its participants, as the law counts
    them for validity and adoption (`sailau.law.outcomes.referendum`: yes + no + both marked +
    invalid; 2022: 7,985,769 = 6,163,516 + 1,490,470 + 125,859 + 205,924)."""
    return valid(choices) + sum(line(figures, k) for k in NOT_VOTES)


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


def published_share(votes: int, of: int) -> float:
    """`share` as a published file gives it: rounded to SHARE_DIGITS."""
    return round(share(votes, of), SHARE_DIGITS)


def share_fraction(votes: int, of: int, divide=fraction):
    """`votes` over `of` (`base`) as a fraction, 0 to 1 (None, or `divide`'s NaN, when nothing
    was counted): the forensics' and the parallel tabulation's share."""
    return divide(votes, of)

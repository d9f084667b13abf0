"""The figures computed from a protocol's lines, each defined once: the ballots issued, the
turnout (and how a published file rounds it) and a choice's share. Pages and files take them
from here, so that the turnout on a page and in a CSV are one number."""

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


def counted(figures: Mapping[str, int], choices: Mapping[str, int]) -> int:
    """The ballots a share is of: the votes for every choice and the invalid ballots."""
    return sum(choices.values()) + (figures.get("invalid") or 0)


def share(votes: int, of: int) -> float:
    """`votes` in percent of `of` (`counted`), 0 when nothing was counted."""
    return 100 * votes / of if of else 0.0

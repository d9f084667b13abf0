"""Whether a first round's log calls a second round, and between whom: its outcome recomputed
from its leaves (the structure's contests and stations, each station's latest protocol) under
its rule set. Pure Python, one function for both sides: the server creates a second round from
this answer (`sailau.elections.rounds`), and `sailau verify` of the second round holds its
candidates to it (`sailau.verify.round_link`), so that the two cannot disagree on the law.

The leaves read are those of one checkpoint of the first round's log (its size and root are
named by the second round's `first-round` leaf, docs/log-leaves.md)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sailau.languages import WRITTEN, Text, pick, texts
from sailau.law import LawInputError, get_ruleset
from sailau.law.outcomes.totals import contest_outcome
from sailau.law.outcomes.types import Computed

T = texts("verify.rounds")


@dataclass(frozen=True)
class Called:
    """A second round called by the outcome of `contest` (a first round's contest)."""

    contest: str
    ruleset: str
    second_ruleset: str
    candidates: tuple[str, str]  # the two choice keys, as the outcome ranks them
    stations: int  # the contest's stations, every one reported


@dataclass(frozen=True)
class NotCalled:
    """Why the first round's log calls no second round (kk, ru, en)."""

    reason: Text
    contest: str | None = None


class _Facts:
    """What a contest's kind may ask besides its votes, from the log's contest."""

    def __init__(self, contest: dict):
        self._contest = contest

    def seats(self) -> int | None:
        return self._contest.get("seats")

    def registration_order(self) -> list[str]:
        return sorted(self._contest.get("choices") or {})

    def regions(self) -> dict:
        return {}


def _rounds_of(contests: dict[str, dict]) -> list[dict]:
    out = []
    for cid, c in sorted(contests.items()):
        try:
            if get_ruleset(c.get("ruleset") or "").second_round:
                out.append(c)
        except LawInputError:
            continue
    return out


def decide(contests: dict[str, dict], stations: dict[str, dict],
           latest: dict[tuple[str, str], tuple[int, dict]]) -> Called | NotCalled:
    """The second round the first round's log calls, or why it calls none. `contests` and
    `stations` by id as the log states them, `latest`: (station, contest) -> (index, the
    station's latest protocol leaf), as `sailau.verify.logleaves.read` folds them."""
    candidates = _rounds_of(contests)
    if len(candidates) != 1:
        return NotCalled(T("the election has {len_candidates} contests under a rule set with a "
                           "second round, not one").format(len_candidates=len(candidates)))
    contest = candidates[0]
    cid, ruleset = contest["id"], contest["ruleset"]
    voting = sorted(sid for sid, s in stations.items() if cid in (s.get("contests") or ()))
    figures, choices = Counter(), Counter()
    reported = 0
    for sid in voting:
        found = latest.get((sid, cid))
        if found is None:
            continue
        reported += 1
        figures.update(found[1].get("figures") or {})
        choices.update(found[1].get("choices") or {})
    if reported < len(voting) or not voting:
        n, m = reported, len(voting)
        return NotCalled(T("only {n} of the first round's {m} stations have a definitive "
                           "protocol: its outcome is not final").format(m=m, n=n), cid)
    out = contest_outcome(ruleset, contest.get("kind") or "", dict(figures), dict(choices),
                          _Facts(contest), final=True, reported=reported, expected=len(voting))
    if not isinstance(out, Computed):
        return NotCalled(T(
            "the first round's outcome cannot be computed: {error}").format(error=out.error),
                         cid)
    result = out.result
    names = {k: (v.get("name") or {}) for k, v in (contest.get("choices") or {}).items()}

    def name(key: str, lang: str) -> str:
        return pick(names.get(key, {}), lang) or key

    if getattr(result, "elected", None):
        who = result.elected
        return NotCalled(T("{name} was elected in the first round").format(
            name={lang: name(who, lang) for lang in WRITTEN}), cid)
    runoff = tuple(getattr(result, "runoff", None) or ())
    if getattr(result, "tie", ()):
        tied = tuple(result.tie)
        return NotCalled(T("a tie for a place in the second round: {names}").format(
            names={lang: ", ".join(name(k, lang) for k in tied) for lang in WRITTEN}), cid)
    if len(runoff) != 2:
        return NotCalled(T(
            "the first round's outcome names no second round between two candidates"), cid)
    return Called(cid, ruleset, get_ruleset(ruleset).second_round, (runoff[0], runoff[1]),
                  len(voting))

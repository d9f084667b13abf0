"""A contest's outcome from its totals: the one place that turns summed protocol figures into a
rule set's input, used by the server (`protocols.tabulation.outcome`) and by the offline verifier
(`sailau verify`, from the published station files), so that both decide the same way. What
the input holds besides the votes is the contest's kind's (`sailau.law.kinds`)."""

from collections.abc import Mapping

from sailau.law.errors import LawInputError
from sailau.law.outcomes.types import INPUT, Computed, ContestOutcome, NotComputable


def contest_outcome(ruleset: str, kind: str, figures: Mapping[str, int],
                    choices: Mapping[str, int], facts, *, final: bool, reported: int,
                    expected: int) -> ContestOutcome:
    """The outcome under `ruleset`: final when every station has reported (`final`),
    provisional before, not computable while the rule set lacks what it needs (no votes yet).
    `facts` (`kinds.ContestFacts`): what the contest's kind needs besides the votes."""
    from sailau.law import get_ruleset, kinds

    k = kinds.get(kind)
    data = k.input(ruleset, figures, choices, k.context(facts))
    try:
        result = get_ruleset(ruleset).decide(data, kind)
    except LawInputError as exc:
        return NotComputable(str(exc), final=final, reason=reason(exc))
    return Computed(result, final, reported, expected)


def reason(exc: LawInputError) -> dict:
    """Why the rule set gives no outcome, as data (`NotComputable.reason`): the code its
    refusal names in `detail["reason"]` (else INPUT), the field at fault, and its figures."""
    detail = {k: v for k, v in exc.detail.items() if k != "reason"}
    return {"code": exc.detail.get("reason") or INPUT, "field": exc.field, **detail}

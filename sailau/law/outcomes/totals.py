"""A contest's outcome from its totals: the one place that turns summed protocol figures into a
rule set's input, used by the server (`protocols.tabulation.outcome`) and by the offline verifier
(`sailau verify`, from the published station files), so that both decide the same way."""

from collections.abc import Mapping, Sequence

from sailau.law.errors import LawInputError
from sailau.law.outcomes.types import Computed, ContestOutcome, NotComputable


def contest_input(ruleset: str, kind: str, figures: Mapping[str, int],
                  choices: Mapping[str, int], *, registration_order: Sequence[str] = (),
                  seats: int | None = None,
                  regions: Mapping[str, tuple[Mapping, Mapping]] | None = None) -> dict:
    """The rule set's input (the format of `sailau outcome`) from a contest's totals: `figures`
    and `choices` summed over its stations; for a referendum, `regions` maps each territory to
    its own (figures, choices)."""
    from sailau.law import get_ruleset

    if kind == "referendum":
        return {"regions": {rid: {"registered": fig.get("voters_on_list", 0),
                                  "yes": cho.get("yes", 0), "no": cho.get("no", 0),
                                  "both": fig.get("both_marked", 0),
                                  "invalid": fig.get("invalid", 0)}
                            for rid, (fig, cho) in (regions or {}).items()}}
    votes = {k: v for k, v in choices.items() if k != "against_all"}
    data = {"votes": votes, "invalid": figures.get("invalid", 0)}
    if get_ruleset(ruleset).form(kind).against_all:
        data["against_all"] = choices.get("against_all", 0)
    if kind == "party_list":
        data["registration_order"] = [k for k in registration_order if k in votes]
        data["seats"] = seats
    return data


def contest_outcome(ruleset: str, kind: str, figures: Mapping[str, int],
                    choices: Mapping[str, int], *, final: bool, reported: int, expected: int,
                    **context) -> ContestOutcome:
    """The outcome under `ruleset`: final when every station has reported (`final`),
    provisional before, not computable while the rule set lacks what it needs (no votes yet).
    `context`: `registration_order`, `seats`, `regions` as for `contest_input`."""
    from sailau.law import get_ruleset

    data = contest_input(ruleset, kind, figures, choices, **context)
    try:
        result = get_ruleset(ruleset).decide(data, kind)
    except LawInputError as exc:
        return NotComputable(str(exc), final=final)
    return Computed(result, final, reported, expected)

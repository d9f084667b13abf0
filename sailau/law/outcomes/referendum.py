"""Referendum validity and adoption.

Valid when more than half of the registered voters took part. Participants are counted as the
ballots found: yes + no + both marked + invalid, so percentages are over all participants (2022
official figures: 7,985,769 took part = 6,163,516 + 1,490,470 + 125,859 + 205,924).
- ordinary question: adopted when valid and more than half of all participants vote yes;
  `regions` may hold one entry with national figures or the regions (they are summed);
- constitutional change: adopted when valid and more than half of participants vote yes in at
  least two-thirds of the regions; the input must list exactly the rule set's regions count."""

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sailau.law.apportion import fraction_str
from sailau.law.errors import LawInputError
from sailau.law.inputs import as_count, check_fields, require, require_mapping
from sailau.law.outcomes.types import REGIONS_COUNT, ReferendumOutcome

REGION_FIELDS = ("registered", "yes", "no", "both", "invalid")


@dataclass(frozen=True)
class ReferendumRules:
    constitutional: bool
    regions: int | None = None  # how many regions there are (constitutional kind)
    regions_share: Fraction = Fraction(2, 3)

    @property
    def regions_required(self) -> int:
        if not self.constitutional:
            return 0
        # at least two-thirds: the smallest whole number ≥ 2/3 × regions (12 of 17, 14 of 20)
        n = self.regions_share * self.regions
        return -(-n.numerator // n.denominator)


def outcome(rules: ReferendumRules, data: Any, ruleset: str) -> ReferendumOutcome:
    data = require_mapping(data, "input")
    check_fields(data, {"regions"}, "", ruleset)
    regions = require_mapping(require(data, "regions", ""), "regions")
    if not regions:
        raise LawInputError(field="regions",
                            message="must hold at least one region (or national figures)")
    if rules.constitutional and len(regions) != rules.regions:
        # `detail` says it in figures, so that a page can say it in its own language.
        raise LawInputError(field="regions",
                            message=f"{ruleset} counts {rules.regions} regions; the input has "
                            f"{len(regions)} (every region is needed to count two-thirds)",
                            detail={"reason": REGIONS_COUNT, "counted": rules.regions,
                                    "given": len(regions)})
    figures = {}
    for name, region in regions.items():
        path = f"regions.{name}"
        region = require_mapping(region, path)
        check_fields(region, REGION_FIELDS, path, ruleset)
        figures[name] = {k: as_count(require(region, k, path), f"{path}.{k}")
                         for k in REGION_FIELDS}

    per_region = {}
    for name, f in figures.items():
        took_part = f["yes"] + f["no"] + f["both"] + f["invalid"]
        per_region[name] = {
            "registered": f["registered"],
            "participants": took_part,
            "turnout": fraction_str(Fraction(took_part, f["registered"])) if f["registered"] else None,
            "yes_share": fraction_str(Fraction(f["yes"], took_part)) if took_part else None,
            "yes_majority": 2 * f["yes"] > took_part,
        }
    registered = sum(f["registered"] for f in figures.values())
    participants = sum(r["participants"] for r in per_region.values())
    yes = sum(f["yes"] for f in figures.values())
    if registered == 0:
        raise LawInputError(field="regions", message="the registered voters add up to zero")
    valid = 2 * participants > registered
    with_majority = sum(1 for r in per_region.values() if r["yes_majority"])
    if rules.constitutional:
        adopted = valid and with_majority >= rules.regions_required
    else:
        adopted = valid and 2 * yes > participants
    return ReferendumOutcome(
        ruleset=ruleset, valid=valid, adopted=adopted, registered=registered,
        participants=participants, turnout=fraction_str(Fraction(participants, registered)),
        yes_share=fraction_str(Fraction(yes, participants)) if participants else None,
        regions_with_yes_majority=with_majority, regions_required=rules.regions_required,
        regions=per_region)

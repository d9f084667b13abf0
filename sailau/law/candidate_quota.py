"""The combined quota of women, young people and persons with disabilities on the seats a party
receives (Mazhilis from 2023: at least 30% of each list and of the seats each party receives).

Decisions (documented because the law's text was not at hand):
- a party's seats go to its candidates in list order; the quota is checked on those candidates
  and reported, never used to reorder the list (the CEC decides what follows a failure);
- one person counts once, whatever the number of categories they belong to;
- "young" is under `youth_age` (35) on election day: from `"youth": bool`, or from
  `"birth_date"` and the input's `election_date`;
- a party winning more seats than its list has candidates leaves the rest `vacant`."""

import datetime as dt
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from sailau.law.apportion import fraction_str
from sailau.law.errors import LawInputError
from sailau.law.inputs import boolean, iso_date, require_mapping

CANDIDATE_FIELDS = {"name", "woman", "youth", "birth_date", "disability"}


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def read_lists(value: Any, parties: Mapping[str, int], election_date: dt.date | None,
               youth_age: int) -> dict[str, list[dict]]:
    """`{"<party>": [{"name":..., "woman":bool, "youth":bool|"birth_date", "disability":bool}]}`
    → per party, candidates in list order with a resolved `qualifies` flag."""
    lists = require_mapping(value, "lists")
    out: dict[str, list[dict]] = {}
    for party, candidates in lists.items():
        path = f"lists.{party}"
        if party not in parties:
            raise LawInputError(field=path, message=f"{party!r} is not among the names in votes")
        if not isinstance(candidates, list):
            raise LawInputError(field=path, message="must be a list of candidates in list order")
        out[party] = []
        for i, cand in enumerate(candidates):
            cpath = f"{path}[{i}]"
            cand = require_mapping(cand, cpath)
            for key in cand:
                if key not in CANDIDATE_FIELDS:
                    raise LawInputError(field=f"{cpath}.{key}",
                                        message="unknown candidate field (expected "
                                        + ", ".join(sorted(CANDIDATE_FIELDS)) + ")")
            name = cand.get("name")
            if not isinstance(name, str) or not name.strip():
                raise LawInputError(field=f"{cpath}.name", message="missing or empty")
            woman = boolean(cand.get("woman", False), f"{cpath}.woman")
            disability = boolean(cand.get("disability", False), f"{cpath}.disability")
            if "youth" in cand:
                youth = boolean(cand["youth"], f"{cpath}.youth")
            elif "birth_date" in cand:
                if election_date is None:
                    raise LawInputError(field="election_date",
                                        message=f"needed to tell the age of {cpath}")
                born = iso_date(cand["birth_date"], f"{cpath}.birth_date")
                youth = age_on(born, election_date) < youth_age
            else:
                youth = False
            out[party].append({"name": name, "woman": woman, "youth": youth,
                               "disability": disability,
                               "qualifies": woman or youth or disability})
    return out


def check(seats: Mapping[str, int], lists: Mapping[str, list[dict]] | None,
          share: Fraction) -> dict:
    """Report, per party with seats, who takes them and whether the quota holds."""
    if lists is None:
        return {"checked": False, "reason": "no candidate lists in the input",
                "share_required": fraction_str(share)}
    parties: dict[str, dict] = {}
    for party, n in seats.items():
        if n == 0:
            continue
        if party not in lists:
            parties[party] = {"checked": False, "seats": n, "reason": "no list given"}
            continue
        elected = lists[party][:n]
        k = sum(1 for c in elected if c["qualifies"])
        filled = len(elected)
        parties[party] = {
            "checked": True,
            "seats": n,
            "elected": [c["name"] for c in elected],
            "vacant": n - filled,
            "qualifying": k,
            "share": fraction_str(Fraction(k, filled)) if filled else None,
            "meets": filled > 0 and Fraction(k, filled) >= share,
        }
    checked = [p for p in parties.values() if p["checked"]]
    return {
        "checked": True,
        "share_required": fraction_str(share),
        "parties": parties,
        "all_meet": bool(checked) and len(checked) == len(parties) and all(p["meets"] for p in checked),
    }

"""The structure's cross-table checks: unique ids, references, the commission tree (one CEC,
each parent exactly one level up), the stations' single-member districts (each in its column's
kind and under the station's own territory or district), contests on a level that holds an
election, rule sets that govern their contests' kinds, one choice on each place of a ballot,
and an "against all" choice exactly where the rule set's ballot has that line. Called by `structure.validate`, which adds each problem to `errors` as
file:row:field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sailau.law import kinds

# Each level's parents: exactly one level up (a single-member district's parent is a commission
# whose area elects a body, and says which: `law.kinds.AREA_BODY`). With this a cycle cannot be
# stored, and every walk up the tree ends within four steps.
PARENT_LEVEL = {"cec": (), "territorial": ("cec",), "district": ("territorial",),
                "precinct": ("district",), "smd": tuple(kinds.AREA_BODY)}
# The station's columns naming its single-member districts, by the level of the district's parent
# (`areas.SMD_FIELD`), and the station's column that parent must be (None: the CEC).
SMD_COLUMNS = {"smd": ("cec", None), "territorial_smd": ("territorial", "territory"),
               "district_smd": ("district", "district")}


def check_references(doc: dict, errors: list[str], where) -> None:
    def unique(table: str, key: Callable[[dict], Any], label: str) -> set:
        seen: set = set()
        for i, r in enumerate(doc[table]):
            k = key(r)
            if k in seen:
                errors.append(f"{where(table, i)}: duplicate {label} {k!r}")
            seen.add(k)
        return seen

    commissions = {r.get("id"): r for r in doc["commissions"]}
    unique("commissions", lambda r: r.get("id"), "id")
    unique("stations", lambda r: r.get("id"), "id")
    unique("stations", lambda r: r.get("number"), "number")
    # A precinct commission has one station (the database refuses a second half-way through).
    unique("stations", lambda r: r.get("commission"), "commission")
    parties = unique("parties", lambda r: r.get("id"), "id")
    contests = unique("contests", lambda r: r.get("id"), "id")
    choices = unique("choices", lambda r: (r.get("contest"), r.get("key")), "choice")
    unique("candidates", lambda r: r.get("id"), "id")
    unique("electorate", lambda r: (r.get("contest"), r.get("station")), "pair")

    def ref(table, i, field, value, known, level=None):
        if value is None:
            return
        if value not in known:
            errors.append(f"{where(table, i)}: field '{field}': unknown {value!r}")
        elif level and commissions[value].get("level") != level:
            errors.append(f"{where(table, i)}: field '{field}': {value!r} is a "
                          f"{commissions[value].get('level')} commission, expected {level}")

    _check_tree(doc, errors, where, commissions, ref)
    for i, s in enumerate(doc["stations"]):
        ref("stations", i, "commission", s.get("commission"), commissions, "precinct")
        ref("stations", i, "district", s.get("district"), commissions, "district")
        ref("stations", i, "territory", s.get("territory"), commissions, "territorial")
        for column, (parent_level, parent_column) in SMD_COLUMNS.items():
            ref("stations", i, column, s.get(column), commissions, "smd")
            _check_station_smd(s, column, parent_level, parent_column, commissions, errors,
                               where("stations", i))
        # The district and territory columns repeat the tree: they must say what it says.
        pec = commissions.get(s.get("commission")) or {}
        dist = commissions.get(s.get("district")) or {}
        if pec.get("level") == "precinct" and dist.get("level") == "district" and \
                pec.get("parent") != s.get("district"):
            errors.append(f"{where('stations', i)}: field 'district': {s.get('district')!r} is "
                          f"not the parent of precinct commission {s.get('commission')!r}")
        if dist.get("level") == "district" and s.get("territory") in commissions and \
                dist.get("parent") != s.get("territory"):
            errors.append(f"{where('stations', i)}: field 'territory': {s.get('territory')!r} "
                          f"is not the parent of district commission {s.get('district')!r}")
    for i, c in enumerate(doc["contests"]):
        ref("contests", i, "commission", c.get("commission"), commissions)
        _check_law(c, errors, f"{where('contests', i)}", (doc.get("election") or {}).get("date"))
        level = commissions.get(c.get("commission"), {}).get("level")
        if level == "precinct":
            # A contest is held in an area of several stations, counted by the commission above.
            errors.append(f"{where('contests', i)}: field 'commission': a contest on a precinct "
                          "commission is not possible (use the CEC, a territorial, district or "
                          "single-member district commission)")
    places: dict[tuple, str] = {}
    by_id = {c.get("id"): c for c in doc["contests"]}
    for i, c in enumerate(doc["choices"]):
        ref("choices", i, "contest", c.get("contest"), contests)
        ref("choices", i, "party", c.get("party"), parties)
        # The ballot prints each choice on a line of its own: two on one place would leave
        # their order (published and logged, docs/log-leaves.md `contests`) to the database.
        place = (c.get("contest"), c.get("order"))
        if place in places and c.get("key") != places[place]:
            errors.append(f"{where('choices', i)}: field 'order': place {c.get('order')!r} on "
                          f"the ballot of contest {c.get('contest')!r} is already choice "
                          f"{places[place]!r}'s")
        places.setdefault(place, c.get("key"))
        if c.get("key") == "against_all":
            _check_against_all(by_id.get(c.get("contest")) or {}, errors, where("choices", i))
    for i, c in enumerate(doc["candidates"]):
        ref("candidates", i, "contest", c.get("contest"), contests)
        ref("candidates", i, "party", c.get("party"), parties)
        if c.get("choice") is not None and (c.get("contest"), c.get("choice")) not in choices:
            errors.append(f"{where('candidates', i)}: field 'choice': no choice {c['choice']!r} "
                          f"in contest {c['contest']!r}")
    for i, x in enumerate(doc["members"]):
        ref("members", i, "commission", x.get("commission"), commissions)
        ref("members", i, "party", x.get("party"), parties)
    stations = {s.get("id") for s in doc["stations"]}
    for i, x in enumerate(doc["electorate"]):
        ref("electorate", i, "contest", x.get("contest"), contests)
        ref("electorate", i, "station", x.get("station"), stations)


def _check_tree(doc: dict, errors: list[str], where, commissions: dict, ref) -> None:
    """One CEC at the root, every other commission's parent exactly one level up (which also
    rules out cycles), and every precinct commission the commission of one station."""
    cecs = [i for i, c in enumerate(doc["commissions"]) if c.get("level") == "cec"]
    if doc["commissions"] and len(cecs) != 1:
        errors.append(f"{where('commissions', None)}: expected exactly one commission of level "
                      f"cec, found {len(cecs)}")
    for i, c in enumerate(doc["commissions"]):
        level, parent = c.get("level"), c.get("parent")
        if level not in PARENT_LEVEL:
            continue  # reported by the field check
        ref("commissions", i, "parent", parent, commissions)
        if level == "cec":
            if parent is not None:
                errors.append(f"{where('commissions', i)}: field 'parent': the CEC has no parent")
        elif parent is None:
            errors.append(f"{where('commissions', i)}: field 'parent' is required below the CEC")
        elif parent in commissions and commissions[parent].get("level") not in PARENT_LEVEL[level]:
            errors.append(f"{where('commissions', i)}: field 'parent': {parent!r} is a "
                          f"{commissions[parent].get('level')} commission; a {level} commission's "
                          f"parent is a {' or '.join(PARENT_LEVEL[level])} commission")
    with_station = {s.get("commission") for s in doc["stations"]}
    for i, c in enumerate(doc["commissions"]):
        if c.get("level") == "precinct" and c.get("id") not in with_station:
            errors.append(f"{where('commissions', i)}: precinct commission {c.get('id')!r} has "
                          "no station")


def _check_station_smd(s: dict, column: str, parent_level: str, parent_column: str | None,
                       commissions: dict, errors: list[str], at: str) -> None:
    """A station's single-member district in `column` must be one of that column's parent
    level (whose body it elects: `law.kinds.AREA_BODY`), under the station's own territory or
    district: otherwise its votes would count in another region's maslikhat."""
    smd = commissions.get(s.get(column))
    if not smd or smd.get("level") != "smd":
        return
    parent = commissions.get(smd.get("parent")) or {}
    if parent.get("level") != parent_level:
        errors.append(f"{at}: field '{column}': {s.get(column)!r} is a single-member district of "
                      f"a {parent.get('level')} commission, expected one of a {parent_level} "
                      "commission")
    elif parent_column and smd.get("parent") != s.get(parent_column):
        errors.append(f"{at}: field '{column}': {s.get(column)!r} belongs to "
                      f"{smd.get('parent')!r}, not to the station's {parent_column} "
                      f"{s.get(parent_column)!r}")


def _ballot(contest: dict):
    """The protocol form of the contest's rule set and kind, or None where the contest's own
    check names a rule set that is not, or not of its kind."""
    from sailau.law import LawInputError, UnknownRuleSet, get_ruleset

    try:
        return get_ruleset(contest.get("ruleset")).form(contest.get("kind"))
    except (UnknownRuleSet, LawInputError, KeyError, TypeError):
        return None


def _check_against_all(contest: dict, errors: list[str], at: str) -> None:
    """An `against_all` choice only where the rule set's ballot has that line: before the 2021
    amendments a presidential ballot had none (`law.rulesets.president`), and the choice would
    be counted as a candidate, with its own share and a place in the outcome."""
    form = _ballot(contest)
    if form is not None and not form.against_all and not form.fixed_choices:
        errors.append(f"{at}: field 'key': the ballot under rule set {contest['ruleset']!r} "
                      "has no 'against all' line")


def check_against_all_present(doc: dict, errors: list[str], where) -> None:
    """Where the rule set's ballot has an "against all" line, the contest has its choice: the
    protocol's line would otherwise have no place to be typed, and its votes would be missing
    from the valid ballots the shares and the outcome are counted on."""
    keys: dict = {}
    for c in doc["choices"]:
        keys.setdefault(c.get("contest"), set()).add(c.get("key"))
    for i, contest in enumerate(doc["contests"]):
        form = _ballot(contest)
        if (form is not None and form.against_all and not form.fixed_choices
                and "against_all" not in keys.get(contest.get("id"), ())):
            errors.append(f"{where('contests', i)}: contest {contest.get('id')!r}: the ballot "
                          f"under rule set {contest['ruleset']!r} has an 'against all' line: "
                          "add its choice (key 'against_all')")


def _check_law(contest: dict, errors: list[str], at: str, day=None) -> None:
    """The rule set must exist in sailau.law, govern the contest's kind (otherwise every
    protocol of the contest would be refused and its pages could not be computed) and govern
    the election's `day`: a law not in force that day would decide it wrongly (a 2019 ballot
    had no "against all" line; the 2022 one has)."""
    from sailau.law import LawInputError, UnknownRuleSet, get_ruleset

    name, kind = contest.get("ruleset"), contest.get("kind")
    if not name:
        return
    try:
        rs = get_ruleset(name)
    except UnknownRuleSet as exc:
        errors.append(f"{at}: field 'ruleset': {exc.message}")  # the field is named already
        return
    if kind and kind not in rs.contest_kinds:
        errors.append(f"{at}: field 'kind': rule set {name!r} does not govern {kind!r} contests "
                      f"(it governs {', '.join(rs.contest_kinds)})")
    if day is not None:
        try:
            rs.check_date(day)
        except LawInputError as exc:
            errors.append(f"{at}: field 'ruleset': {exc.message} (election.date)")

"""An observer's certified copy against the official protocol: equal, different (which lines,
by how much), or the official protocol missing. Compared when read, so an amendment of the
official protocol shows at once."""

from __future__ import annotations

from collections.abc import Iterable

from sailau.law.forms import LINE_KEYS

# The protocol's lines in the paper's order (1, 2, 3, ...), not their keys' alphabetical one: a
# reader checks a copy against the paper line by line.
_ON_PAPER = {key: i for i, key in enumerate(LINE_KEYS)}

EQUAL, DIFFERENT, OFFICIAL_MISSING = "equal", "different", "official_missing"


def differences(official_figures: dict, official_choices: dict, figures: dict,
                choices: dict) -> list[dict]:
    """Lines the copy gives that the official protocol has otherwise; `by` = official - copy
    (positive: the official figure is higher than what the commission signed)."""
    out = []
    for part, ours, theirs in (("figures", official_figures, figures),
                               ("choices", official_choices, choices)):
        for key in sorted(set(ours) | set(theirs), key=lambda k: (_ON_PAPER.get(k, len(_ON_PAPER)), k)):
            a, b = ours.get(key), theirs.get(key)
            if b is None or a == b:
                continue
            out.append({"part": part, "line": key, "official": a, "copy": b,
                        "by": None if a is None else a - b})
    return out


def compare(copy_figures: dict, copy_choices: dict, official: tuple[dict, dict] | None) -> dict:
    if official is None:
        return {"status": OFFICIAL_MISSING, "differences": []}
    diff = differences(official[0], official[1], copy_figures, copy_choices)
    return {"status": DIFFERENT if diff else EQUAL, "differences": diff}


def official_protocols(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[dict, dict]]:
    """Current official protocols of (station, contest) pairs, read in one query per contest."""
    from sailau.protocols.models import Protocol

    by_contest: dict[str, set[str]] = {}
    for sid, cid in pairs:
        by_contest.setdefault(cid, set()).add(sid)
    out = {}
    for cid, sids in by_contest.items():
        for sid, fig, ch in (Protocol.objects.current().filter(contest_id=cid,
                                                               station_id__in=sids)
                             .values_list("station_id", "figures", "choices")):
            out[(sid, cid)] = (fig, ch)
    return out


def compared(copies) -> list[dict]:
    """Each copy (ObserverCopy rows, with station and observer selected) with its comparison."""
    copies = list(copies)
    official = official_protocols((c.station_id, c.contest_id) for c in copies)
    rows = []
    for c in copies:
        result = compare(c.figures, c.choices, official.get((c.station_id, c.contest_id)))
        rows.append({"copy": c, "station": c.station_id, "contest": c.contest_id,
                     "observer": c.observer_id, **result})
    return rows


def name_lines(rows: list[dict], lang: str) -> None:
    """Give each difference of `compared` rows the name a reader knows (`label`): the
    choice's name or the protocol line's number and label, never its key."""
    from sailau.protocols.catalog import line_names

    names: dict[str, dict[str, str]] = {}
    for row in rows:
        contest = row["copy"].contest
        if contest.id not in names:
            names[contest.id] = line_names(contest, lang)
        for diff in row["differences"]:
            diff["label"] = names[contest.id].get(diff["line"], diff["line"])

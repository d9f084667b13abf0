"""Where the entry form shows the control relations' findings: which lines each one lights up,
and the one place its message is written (once, however many lines it relates).

A finding lights the lines its relation relates, or, when the relation holds the votes, that
side of it (`Relation.votes`: F102 lights the votes and the invalid ballots, not the ballots
found): one count per choice is where a slip is likeliest. When several errors fail together,
the lines they share are the likely slip (a typo in one party's votes breaking F102 and F103
lights the votes only). Warnings light their own lines and take no part in the guess. No
Django: `entry.js` does the same in the page."""

from collections.abc import Iterable

CHOICES = "choices"  # the votes for the choices, as relations name them (law.protocol.CHOICES)


def related(finding: dict, keys: Iterable[str]) -> list[str]:
    """The lines of the form a finding lights (its "light", else its "lines"), in the form's
    order, "choices" last (the votes come after the numbered lines). A relation over no line
    of the form relates the votes."""
    keys = list(keys)
    lines = set(finding.get("light") or finding.get("lines") or [])
    out = [k for k in keys if k in lines]
    if CHOICES in lines or not out:
        out.append(CHOICES)
    return out


def place(findings: list[dict], keys: Iterable[str]) -> tuple[dict, dict]:
    """(lit, at): `lit` maps a line key (or "choices") to the codes that light it; `at` maps a
    line key (or "choices") to the findings whose message is written under it: the last lit
    line of each finding, so that each message appears once."""
    keys = list(keys)
    lines = {f["code"]: related(f, keys) for f in findings}
    errors = [f for f in findings if f.get("severity") == "error"]
    shared = set.intersection(*(set(lines[f["code"]]) for f in errors)) if len(errors) > 1 \
        else set()
    lit: dict[str, list[str]] = {}
    at: dict[str, list[dict]] = {}
    for f in findings:
        mine = lines[f["code"]]
        if shared and f in errors:
            mine = [k for k in mine if k in shared]
        for k in mine:
            lit.setdefault(k, []).append(f["code"])
        at.setdefault(mine[-1], []).append(f)
    return lit, at

"""Checklist forms as data: one JSON file per version under `checklists/`, with every label in
Kazakh, Russian and English (and, where an election's words would mislead, a kind's own:
`label_referendum`). Submissions keep the version they were filled in, so old answers
stay readable when a form changes."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_noop as _

from sailau.i18n import later
from sailau.languages import pick
from sailau.observation.errors import ONE_OF, REQUIRED, ObservationError

FOLDER = Path(__file__).resolve().parent / "checklists"
STAGES = ("opening", "voting", "counting", "tabulation")
YES_NO = ("yes", "no", "na")
ASSESSMENT = ("very_good", "good", "bad", "very_bad")
NEGATIVE_ASSESSMENT = {"bad", "very_bad"}


@cache
def versions() -> dict[str, dict]:
    out = {}
    for path in sorted(FOLDER.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        out[doc["version"]] = doc
    return out


def current_version() -> str:
    return max(versions(), key=lambda v: tuple(int(x) for x in v.split(".")))


def form(version: str | None = None) -> dict:
    version = version or current_version()
    try:
        return versions()[version]
    except KeyError:
        raise ObservationError(field="form_version",
                               message=later(_("no checklist version %(version)s; "
                                                       "known: %(known)s"),
                                                     version=repr(version),
                                                     known=", ".join(versions()))) from None


def items(stage: str, version: str | None = None) -> list[dict]:
    doc = form(version)
    if stage not in doc["stages"]:
        raise ObservationError(field="stage",
                               message=later(_("must be one of %(allowed)s, not %(value)s"),
                                              allowed=", ".join(STAGES), value=repr(stage)))
    return doc["stages"][stage]["items"]


def label(entry: dict, lang: str) -> str:
    return pick(entry, lang)


def item_label(item: dict, lang: str, words=None) -> str:
    """An item's label in `lang`, in the words of the observed vote's kind (`words`, a
    `law.wordings.Wording`): a referendum's item names citizens and participants, not voters,
    where the form gives it a `label_referendum`."""
    variant = "label_referendum" if words is not None and words.referendum else None
    return pick(item.get(variant) or item["label"], lang)


def validate(stage: str, answers: dict, version: str | None = None) -> dict:
    """The answers, checked against the form: known items, allowed values, required ones given.
    Returns them with unanswered items left out."""
    if not isinstance(answers, dict):
        raise ObservationError(field="answers", message=later(_("an object of item -> answer")))
    spec = {i["key"]: i for i in items(stage, version)}
    clean = {}
    for key, value in answers.items():
        if key not in spec:
            raise ObservationError(field=f"answers.{key}",
                                   message=later(_("not an item of the %(stage)s "
                                                             "checklist"), stage=stage))
        allowed = ASSESSMENT if spec[key]["type"] == "assessment" else YES_NO
        if value in (None, ""):
            continue
        if value not in allowed:
            raise ObservationError(field=f"answers.{key}", message=later(ONE_OF,
                                                                         allowed=", ".join(
                                                                             allowed)))
        clean[key] = value
    for key, item in spec.items():
        if item.get("required") and key not in clean:
            raise ObservationError(field=f"answers.{key}", message=later(REQUIRED))
    return clean


def is_negative(answers: dict) -> bool:
    return answers.get("overall") in NEGATIVE_ASSESSMENT


def negative_items(stage: str, answers: dict, version: str | None = None) -> list[str]:
    """Items answered the way that is a problem (the `negative` answer of each item)."""
    return [i["key"] for i in items(stage, version)
            if i["type"] == "yes_no" and answers.get(i["key"]) == i["negative"]]


def rights_items(version: str | None = None) -> set[tuple[str, str]]:
    """(stage, item) pairs about observers' own rights."""
    return {(s, i["key"]) for s, d in form(version)["stages"].items() for i in d["items"]
            if i.get("rights")}
